/*
 * totp.c — RFC 6238 codes through liboath, replay refusal and recovery
 * codes (totp.h).
 */
#include "totp.h"

#include <ctype.h>
#include <liboath/oath.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static pthread_once_t totp_once = PTHREAD_ONCE_INIT;
static int totp_init_rc = -1;

static void totp_init_once(void)
{
    totp_init_rc = oath_init() == OATH_OK && sodium_init() >= 0 ? 0 : -1;
}

int totp_init(void)
{
    pthread_once(&totp_once, totp_init_once);
    return totp_init_rc;
}

void totp_secret_new(char out[TOTP_SECRET_SIZE])
{
    unsigned char raw[TOTP_SECRET_BYTES];
    char *b32 = NULL;
    size_t n = 0;
    if (totp_init()) abort(); /* no entropy source: nothing safe to do */
    randombytes_buf(raw, sizeof raw);
    if (oath_base32_encode((const char *)raw, sizeof raw, &b32, &n) != OATH_OK ||
        n != TOTP_SECRET_SIZE - 1)
        abort(); /* only fails on out-of-memory */
    memcpy(out, b32, n + 1);
    sodium_memzero(raw, sizeof raw);
    sodium_memzero(b32, n);
    free(b32);
}

/* Appends s percent-encoded (all but A-Z a-z 0-9 - . _ ~). */
static void totp_pct(Buf *b, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') buf_putc(b, (char)c);
        else buf_printf(b, "%%%02X", c);
    }
}

void totp_uri(Buf *b, const char *secret_b32, const char *login)
{
    buf_puts(b, "otpauth://totp/itstrat:");
    totp_pct(b, login);
    buf_puts(b, "?secret=");
    totp_pct(b, secret_b32);
    buf_printf(b, "&issuer=itstrat&algorithm=SHA1&digits=%d&period=%d", TOTP_DIGITS, TOTP_STEP);
}

int64_t totp_step(time_t now)
{
    int64_t t = (int64_t)now;
    return t >= 0 ? t / TOTP_STEP : -((-t + TOTP_STEP - 1) / TOTP_STEP);
}

/* Decodes secret_b32 (case and spaces ignored) into raw (caller frees with
 * free after wiping). 0, or -1 when it is not base32 of 10 to 64 bytes. */
static int totp_decode(const char *secret_b32, char **raw, size_t *n)
{
    char clean[128];
    size_t k = 0;
    *raw = NULL;
    for (const char *p = secret_b32; *p; p++) {
        if (*p == ' ') continue;
        if (k + 1 >= sizeof clean) return -1;
        clean[k++] = (char)toupper((unsigned char)*p);
    }
    clean[k] = '\0';
    int rc = oath_base32_decode(clean, k, raw, n);
    sodium_memzero(clean, sizeof clean);
    if (rc != OATH_OK || *n < 10 || *n > 64) {
        if (*raw) sodium_memzero(*raw, *n), free(*raw);
        *raw = NULL;
        return -1;
    }
    return 0;
}

int totp_code(const char *secret_b32, int64_t step, int digits, char *out)
{
    char *raw;
    size_t n;
    out[0] = '\0';
    if (totp_init() || digits < 6 || digits > 8 || totp_decode(secret_b32, &raw, &n))
        return TOTP_BAD_SECRET;
    /* liboath takes a time; the start of the step gives that step. */
    int rc = oath_totp_generate(raw, n, (time_t)(step * TOTP_STEP), TOTP_STEP, 0,
                                (unsigned)digits, out);
    sodium_memzero(raw, n);
    free(raw);
    return rc == OATH_OK ? TOTP_OK : TOTP_BAD_SECRET;
}

int totp_verify(const char *secret_b32, const char *code, time_t now, int64_t last_step,
                int64_t *matched)
{
    char given[TOTP_DIGITS + 1], want[TOTP_DIGITS + 1];
    int k = 0, result = TOTP_WRONG;
    *matched = -1;
    for (const char *p = code; *p; p++) {
        if (*p == ' ') continue;
        if (!isdigit((unsigned char)*p) || k >= TOTP_DIGITS) return TOTP_WRONG;
        given[k++] = *p;
    }
    if (k != TOTP_DIGITS) return TOTP_WRONG;
    given[k] = '\0';
    int64_t now_step = totp_step(now);
    /* Every step of the window is computed and compared, whatever matches,
     * so the time taken does not tell which step (if any) matched. */
    for (int64_t s = now_step - TOTP_WINDOW; s <= now_step + TOTP_WINDOW; s++) {
        if (totp_code(secret_b32, s, TOTP_DIGITS, want)) return TOTP_BAD_SECRET;
        if (sodium_memcmp(given, want, TOTP_DIGITS) == 0) {
            if (s > last_step) {
                result = TOTP_OK;
                *matched = s;
            } else if (result != TOTP_OK) {
                result = TOTP_REUSED;
            }
        }
    }
    sodium_memzero(want, sizeof want);
    return result;
}

int recovery_hash(const char *code, char out[RECOVERY_HASH_SIZE])
{
    static const char prefix[] = "itstrat recovery code\n"; /* separates this use of BLAKE2b */
    unsigned char d[32];
    char norm[17];
    int k = 0;
    out[0] = '\0';
    for (const char *p = code; *p; p++) {
        if (*p == '-' || *p == ' ') continue;
        if (!isalnum((unsigned char)*p) || k >= 16) return -1;
        norm[k++] = (char)toupper((unsigned char)*p);
    }
    if (k != 16) return -1;
    if (totp_init()) abort();
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, sizeof d);
    crypto_generichash_update(&st, (const unsigned char *)prefix, sizeof prefix - 1);
    crypto_generichash_update(&st, (const unsigned char *)norm, (unsigned long long)k);
    crypto_generichash_final(&st, d, sizeof d);
    sodium_bin2hex(out, RECOVERY_HASH_SIZE, d, sizeof d);
    sodium_memzero(norm, sizeof norm);
    return 0;
}

void recovery_new(char codes[RECOVERY_COUNT][RECOVERY_CODE_SIZE],
                  char hashes[RECOVERY_COUNT][RECOVERY_HASH_SIZE])
{
    static const char alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"; /* no 0 O 1 I L */
    if (totp_init()) abort();
    for (int i = 0; i < RECOVERY_COUNT; i++) {
        char *c = codes[i];
        for (int j = 0, k = 0; j < 16; j++) {
            if (j && j % 4 == 0) c[k++] = '-';
            c[k++] = alphabet[randombytes_uniform((uint32_t)(sizeof alphabet - 1))];
            c[k] = '\0';
        }
        recovery_hash(c, hashes[i]);
    }
}
