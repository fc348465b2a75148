/*
 * password.c — Argon2id hashing through libsodium, the strength rules of
 * password.h and random passwords.
 */
#include "password.h"

#include <ctype.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* Passwords of 12 characters or more that lead the published lists of
 * leaked passwords (lower case; compared without regard to case). */
static const char *const password_common[] = {
    "000000000000", "1111111111111", "111111111111", "112233445566", "123123123123",
    "123456123456", "1234567890123", "123456789012", "123456789123", "123456qwerty",
    "123qweasdzxc", "1q2w3e4r5t6y", "1qaz2wsx3edc", "1qaz2wsx3edc4rfv", "a1b2c3d4e5f6",
    "abc123abc123", "abcdefghijkl", "asdfghjkl123", "correcthorsebatterystaple",
    "correct horse battery staple", "iloveyou1234", "letmeinletmein", "passw0rd1234",
    "password1234", "password12345", "password123456", "passwordpassword", "q1w2e3r4t5y6",
    "qazwsxedcrfv", "qwerty123456", "qwertyqwerty", "qwertyuiop123", "qwertyuiopas",
    "qwertyuiopasdf", "qwertyuiopasdfgh", "zaq12wsxcde3", "zxcvbnm12345", "zxcvbnmasdfg",
};

/* Words that make most weak long passwords once digits and symbols are
 * stripped from their ends ("Password2024!", "!!Welcome123456"). */
static const char *const password_words[] = {
    "admin", "administrator", "changeme", "dragon", "football", "iloveyou", "itstrat",
    "letmein", "master", "monkey", "passw0rd", "password", "princess", "qwerty",
    "qwertyuiop", "secret", "sunshine", "welcome",
};

int password_init(void)
{
    return sodium_init() < 0 ? -1 : 0; /* 1 (already done) is fine */
}

int password_hash(const char *pw, char out[PASSWORD_HASH_SIZE])
{
    out[0] = '\0';
    if (password_init()) return -1;
    _Static_assert(crypto_pwhash_STRBYTES <= PASSWORD_HASH_SIZE, "hash room");
    if (crypto_pwhash_str(out, pw, strlen(pw), PASSWORD_OPSLIMIT, (size_t)PASSWORD_MEMLIMIT)) {
        out[0] = '\0';
        return -1;
    }
    return 0;
}

int password_verify(const char *hash, const char *pw)
{
    if (password_init() || !hash || !pw) return 0;
    if (strncmp(hash, crypto_pwhash_argon2id_STRPREFIX,
                strlen(crypto_pwhash_argon2id_STRPREFIX)) != 0)
        return 0;
    return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

int password_needs_rehash(const char *hash)
{
    if (password_init() || !hash) return 1;
    return crypto_pwhash_str_needs_rehash(hash, PASSWORD_OPSLIMIT, (size_t)PASSWORD_MEMLIMIT) != 0;
}

/* Number of UTF-8 code points in s (continuation bytes are not counted). */
static size_t password_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

/* Lower-cased ASCII copy of s into out (room for n bytes); 0, or -1 when s
 * does not fit. */
static int password_lower(const char *s, char *out, size_t n)
{
    size_t len = strlen(s);
    if (len >= n) return -1;
    for (size_t i = 0; i <= len; i++) out[i] = (char)tolower((unsigned char)s[i]);
    return 0;
}

/* 1 when s is a unit of 1 to 4 bytes repeated ("aaaa", "abcabcabc"). */
static int password_repeated(const char *s, size_t len)
{
    for (size_t unit = 1; unit <= 4 && unit < len; unit++) {
        size_t i = unit;
        while (i < len && s[i] == s[i - unit]) i++;
        if (i == len) return 1;
    }
    return 0;
}

/* 1 when every character of s is the one before it plus (or minus) one
 * ("abcdefghijkl", "987654321098": digits wrap around). */
static int password_sequential(const char *s, size_t len)
{
    for (int dir = -1; dir <= 1; dir += 2) {
        size_t i = 1;
        for (; i < len; i++) {
            int a = (unsigned char)s[i - 1], b = (unsigned char)s[i];
            if (b - a == dir) continue;
            if (isdigit(a) && isdigit(b) && (b - a) == (dir > 0 ? -9 : 9)) continue;
            break;
        }
        if (i == len) return 1;
    }
    return 0;
}

static int password_check_(const char *pw, const char *login, Buf *why, char *low);

int password_check(const char *pw, const char *login, Buf *why)
{
    char low[PASSWORD_MAX_BYTES + 1]; /* lower-case copy, wiped afterwards */
    int rc = password_check_(pw, login, why, low);
    sodium_memzero(low, sizeof low);
    return rc;
}

/* password_check() with low, room for PASSWORD_MAX_BYTES + 1 bytes. */
static int password_check_(const char *pw, const char *login, Buf *why, char *low)
{
    char lowlogin[256];
    size_t len = strlen(pw), nchars = password_chars(pw);
    if (len > PASSWORD_MAX_BYTES) {
        buf_printf(why, "the password is longer than %d bytes; use a shorter one",
                   PASSWORD_MAX_BYTES);
        return -1;
    }
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)pw[i] < 0x20 || pw[i] == 0x7F) {
            buf_printf(why, "the password contains a control character (tab, newline or "
                            "similar); use printable characters and spaces only");
            return -1;
        }
    if (nchars < PASSWORD_MIN_CHARS) {
        buf_printf(why, "the password has %zu character%s; use at least %d (a few unrelated "
                        "words make a good one)", nchars, nchars == 1 ? "" : "s",
                   PASSWORD_MIN_CHARS);
        return -1;
    }
    password_lower(pw, low, PASSWORD_MAX_BYTES + 1);
    if (password_repeated(low, len)) {
        buf_printf(why, "the password only repeats the same few characters; choose one that "
                        "is not a pattern");
        return -1;
    }
    if (password_sequential(low, len)) {
        buf_printf(why, "the password is a run of consecutive characters (like abcd or "
                        "1234); choose one that is not a pattern");
        return -1;
    }
    if (login && *login && password_lower(login, lowlogin, sizeof lowlogin) == 0 &&
        (strcmp(low, lowlogin) == 0 || (strlen(lowlogin) >= 4 && strstr(low, lowlogin)))) {
        buf_printf(why, "the password contains the login; choose one that does not");
        return -1;
    }
    for (size_t i = 0; i < sizeof password_common / sizeof *password_common; i++)
        if (strcmp(low, password_common[i]) == 0) {
            buf_printf(why, "the password is on the list of the most common passwords; "
                            "choose one nobody else is likely to use");
            return -1;
        }
    /* The word left when digits, spaces and symbols are taken off both ends. */
    size_t b = 0, e = len;
    while (b < e && !isalpha((unsigned char)low[b])) b++;
    while (e > b && !isalpha((unsigned char)low[e - 1])) e--;
    for (size_t i = 0; i < sizeof password_words / sizeof *password_words; i++) {
        const char *w = password_words[i];
        size_t wn = strlen(w);
        int hit = e - b == wn && memcmp(low + b, w, wn) == 0;
        /* the word said twice or more ("adminadmin2024") */
        if (!hit && e - b > wn && (e - b) % wn == 0) {
            hit = 1;
            for (size_t k = b; k < e && hit; k += wn) hit = memcmp(low + k, w, wn) == 0;
        }
        if (hit) {
            buf_printf(why, "the password is a common word with digits or symbols around it; "
                            "choose one that is not on lists of leaked passwords");
            return -1;
        }
    }
    return 0;
}

void password_random(char out[PASSWORD_RANDOM_CHARS + 1])
{
    static const char alphabet[] = "23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
    if (password_init()) abort(); /* no entropy source: nothing safe to do */
    for (int i = 0; i < PASSWORD_RANDOM_CHARS; i++)
        out[i] = alphabet[randombytes_uniform((uint32_t)(sizeof alphabet - 1))];
    out[PASSWORD_RANDOM_CHARS] = '\0';
}
