/* minisign.c — see minisign.h. */
#include "minisign.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define SEC_LEN (2 + 2 + 2 + 32 + 8 + 8 + 104)
#define PUB_LEN (2 + 8 + 32)
#define SIG_LEN (2 + 8 + 64)

static void le64_put(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t le64_get(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

void minisign_key_id(const unsigned char id[8], char out[17])
{
    snprintf(out, 17, "%016llX", (unsigned long long)le64_get(id));
}

/* Line number `line` (0-based) of text[0..n) into *start and *len (without its
 * line end, CR too). Returns -1 when the text has fewer lines. */
static int line_of(const char *text, size_t n, int line, const char **start, size_t *len)
{
    size_t i = 0;
    for (int l = 0; l < line; l++) {
        const char *nl = memchr(text + i, '\n', n - i);
        if (!nl) return -1;
        i = (size_t)(nl - text) + 1;
    }
    if (i >= n) return -1;
    const char *nl = memchr(text + i, '\n', n - i);
    size_t e = nl ? (size_t)(nl - text) : n;
    if (e > i && text[e - 1] == '\r') e--;
    *start = text + i;
    *len = e - i;
    return 0;
}

/* Decodes line `line` of text as base64 of exactly want bytes into out. */
static int b64_line(const char *text, size_t n, int line, unsigned char *out, size_t want,
                    const char *what, Buf *err)
{
    const char *s;
    size_t len, got = 0;
    if (line_of(text, n, line, &s, &len)) {
        buf_printf(err, "%s: line %d is missing (the file is cut short)\n", what, line + 1);
        return -1;
    }
    if (sodium_base642bin(out, want, s, len, NULL, &got, NULL, sodium_base64_VARIANT_ORIGINAL) ||
        got != want) {
        buf_printf(err, "%s: line %d is not the base64 of %zu bytes\n", what, line + 1, want);
        return -1;
    }
    return 0;
}

static int comment_line(const char *text, size_t n, int line, const char *prefix,
                        const char **rest, size_t *rlen, const char *what, Buf *err)
{
    const char *s;
    size_t len, pl = strlen(prefix);
    if (line_of(text, n, line, &s, &len) || len < pl || memcmp(s, prefix, pl) != 0) {
        buf_printf(err, "%s: line %d does not start with \"%s\"\n", what, line + 1, prefix);
        return -1;
    }
    *rest = s + pl;
    *rlen = len - pl;
    return 0;
}

static void b64_put(Buf *b, const unsigned char *bin, size_t n)
{
    size_t cap = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
    buf_reserve(b, cap);
    sodium_bin2base64(b->a + b->n, cap, bin, n, sodium_base64_VARIANT_ORIGINAL);
    b->n += strlen(b->a + b->n);
    buf_putc(b, '\n');
}

static void checksum(const unsigned char *key_id, const unsigned char *sk, unsigned char out[32])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, 32);
    crypto_generichash_update(&st, (const unsigned char *)"Ed", 2);
    crypto_generichash_update(&st, key_id, 8);
    crypto_generichash_update(&st, sk, 64);
    crypto_generichash_final(&st, out, 32);
}

/* XORs the 104 bytes at p with scrypt(passphrase, salt, ops, mem). */
static int kdf_xor(unsigned char *p, const char *passphrase, const unsigned char *salt,
                   uint64_t ops, uint64_t mem, Buf *err)
{
    unsigned char stream[104];
    if (crypto_pwhash_scryptsalsa208sha256(stream, sizeof stream, passphrase, strlen(passphrase),
                                           salt, ops, (size_t)mem)) {
        buf_puts(err, "the key derivation (scrypt) failed: not enough memory?\n");
        return -1;
    }
    for (size_t i = 0; i < sizeof stream; i++) p[i] ^= stream[i];
    sodium_memzero(stream, sizeof stream);
    return 0;
}

int minisign_keygen(const char *passphrase, const char *comment, uint64_t opslimit,
                    uint64_t memlimit, Buf *pub, Buf *sec, Buf *err)
{
    if (sodium_init() < 0) {
        buf_puts(err, "libsodium could not start\n");
        return -1;
    }
    if (memlimit > SIZE_MAX || opslimit < crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_MIN) {
        buf_puts(err, "the key derivation limits are out of range\n");
        return -1;
    }
    unsigned char s[SEC_LEN], p[PUB_LEN], pk[32];
    unsigned char *keynum = s + 54, *sk = keynum + 8, *chk = sk + 64;
    memcpy(s, "EdScB2", 6);
    randombytes_buf(s + 6, 32);
    le64_put(s + 38, opslimit);
    le64_put(s + 46, memlimit);
    randombytes_buf(keynum, 8);
    crypto_sign_keypair(pk, sk);
    checksum(keynum, sk, chk);
    memcpy(p, "Ed", 2);
    memcpy(p + 2, keynum, 8);
    memcpy(p + 10, pk, 32);
    int rc = kdf_xor(keynum, passphrase, s + 6, opslimit, memlimit, err);
    if (rc == 0) {
        char id[17];
        minisign_key_id(p + 2, id);
        buf_printf(pub, "untrusted comment: minisign public key %s\n", id);
        b64_put(pub, p, sizeof p);
        buf_puts(sec, "untrusted comment: ");
        for (const char *c = comment ? comment : ""; *c; c++)
            buf_putc(sec, *c == '\n' || *c == '\r' ? ' ' : *c);
        buf_putc(sec, '\n');
        b64_put(sec, s, sizeof s);
    }
    sodium_memzero(s, sizeof s);
    return rc;
}

int minisign_parse_pub(const char *text, size_t n, MinisignPub *pub, Buf *err)
{
    const char *r;
    size_t rl;
    unsigned char p[PUB_LEN];
    if (comment_line(text, n, 0, "untrusted comment:", &r, &rl, "public key", err) ||
        b64_line(text, n, 1, p, sizeof p, "public key", err))
        return -1;
    if (memcmp(p, "Ed", 2) != 0) {
        buf_puts(err, "public key: not an Ed25519 key (the algorithm is not \"Ed\")\n");
        return -1;
    }
    memcpy(pub->key_id, p + 2, 8);
    memcpy(pub->pk, p + 10, 32);
    return 0;
}

int minisign_parse_sig(const char *text, size_t n, MinisignSig *sig, Buf *err)
{
    const char *r;
    size_t rl;
    unsigned char s[SIG_LEN];
    if (comment_line(text, n, 0, "untrusted comment:", &r, &rl, "signature", err) ||
        b64_line(text, n, 1, s, sizeof s, "signature", err))
        return -1;
    if (memcmp(s, "ED", 2) != 0) {
        buf_puts(err, memcmp(s, "Ed", 2) == 0
                          ? "signature: a legacy (not prehashed) signature; sign again\n"
                          : "signature: the algorithm is not \"ED\" (Ed25519, prehashed)\n");
        return -1;
    }
    if (comment_line(text, n, 2, "trusted comment: ", &r, &rl, "signature", err)) return -1;
    if (rl > MINISIGN_COMMENT_MAX || memchr(r, 0, rl)) {
        buf_printf(err, "signature: the trusted comment is longer than %d bytes\n",
                   MINISIGN_COMMENT_MAX);
        return -1;
    }
    if (b64_line(text, n, 3, sig->global_sig, 64, "signature", err)) return -1;
    memcpy(sig->key_id, s + 2, 8);
    memcpy(sig->sig, s + 10, 64);
    memcpy(sig->trusted, r, rl);
    sig->trusted[rl] = 0;
    return 0;
}

void minisign_sec_comment(const char *text, size_t n, char *out, size_t outlen)
{
    const char *s;
    size_t len, pl = strlen("untrusted comment: ");
    out[0] = 0;
    if (line_of(text, n, 0, &s, &len) || len < pl || memcmp(s, "untrusted comment: ", pl)) return;
    snprintf(out, outlen, "%.*s", (int)(len - pl), s + pl);
}

int minisign_sign(const char *sec, size_t n, const char *passphrase,
                  const unsigned char hash[64], const char *trusted, Buf *sig, Buf *err)
{
    const char *r;
    size_t rl;
    unsigned char s[SEC_LEN], chk[32];
    int rc = -1;
    if (sodium_init() < 0) {
        buf_puts(err, "libsodium could not start\n");
        return -1;
    }
    if (strlen(trusted) > MINISIGN_COMMENT_MAX || strpbrk(trusted, "\r\n")) {
        buf_puts(err, "the trusted comment must be one line of at most 1024 bytes\n");
        return -1;
    }
    if (comment_line(sec, n, 0, "untrusted comment:", &r, &rl, "secret key", err) ||
        b64_line(sec, n, 1, s, sizeof s, "secret key", err))
        goto out;
    if (memcmp(s, "EdScB2", 6) != 0) {
        buf_puts(err, "secret key: not an encrypted Ed25519 key (expected Ed, Sc, B2)\n");
        goto out;
    }
    uint64_t ops = le64_get(s + 38), mem = le64_get(s + 46);
    if (ops < crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_MIN ||
        ops > crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_MAX || mem > (1ULL << 32)) {
        buf_puts(err, "secret key: its key derivation limits are out of range\n");
        goto out;
    }
    unsigned char *keynum = s + 54, *sk = keynum + 8;
    if (kdf_xor(keynum, passphrase, s + 6, ops, mem, err)) goto out;
    checksum(keynum, sk, chk);
    if (sodium_memcmp(chk, sk + 64, 32) != 0) {
        buf_puts(err, "wrong passphrase for this secret key (or the key file is damaged)\n");
        goto out;
    }
    unsigned char out_sig[SIG_LEN], global[64];
    memcpy(out_sig, "ED", 2);
    memcpy(out_sig + 2, keynum, 8);
    crypto_sign_detached(out_sig + 10, NULL, hash, 64, sk);
    size_t tl = strlen(trusted);
    unsigned char msg[64 + MINISIGN_COMMENT_MAX];
    memcpy(msg, out_sig + 10, 64);
    memcpy(msg + 64, trusted, tl);
    crypto_sign_detached(global, NULL, msg, 64 + tl, sk);
    char id[17];
    minisign_key_id(keynum, id);
    buf_printf(sig, "untrusted comment: signature from itstrat secret key %s\n", id);
    b64_put(sig, out_sig, sizeof out_sig);
    buf_printf(sig, "trusted comment: %s\n", trusted);
    b64_put(sig, global, sizeof global);
    rc = 0;
out:
    sodium_memzero(s, sizeof s);
    return rc;
}

int minisign_verify(const MinisignPub *pub, const MinisignSig *sig,
                    const unsigned char hash[64], Buf *err)
{
    if (sodium_init() < 0) {
        buf_puts(err, "libsodium could not start\n");
        return -1;
    }
    if (memcmp(pub->key_id, sig->key_id, 8) != 0) {
        char a[17], b[17];
        minisign_key_id(sig->key_id, a);
        minisign_key_id(pub->key_id, b);
        buf_printf(err, "the signature was made with key %s, not with this public key (%s)\n",
                   a, b);
        return -1;
    }
    if (crypto_sign_verify_detached(sig->sig, hash, 64, pub->pk) != 0) {
        buf_puts(err, "the signature does not match the file: the file is not the one signed "
                      "(changed since, or another file)\n");
        return -1;
    }
    size_t tl = strlen(sig->trusted);
    unsigned char msg[64 + MINISIGN_COMMENT_MAX];
    memcpy(msg, sig->sig, 64);
    memcpy(msg + 64, sig->trusted, tl);
    if (crypto_sign_verify_detached(sig->global_sig, msg, 64 + tl, pub->pk) != 0) {
        buf_puts(err, "the trusted comment was changed after signing\n");
        return -1;
    }
    return 0;
}

int minisign_hash_file(const char *path, unsigned char hash[64], Buf *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        buf_printf(err, "cannot read %s: %s\n", path, strerror(errno));
        return -1;
    }
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, 64);
    unsigned char block[65536];
    size_t got;
    while ((got = fread(block, 1, sizeof block, f)) > 0) crypto_generichash_update(&st, block, got);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        buf_printf(err, "cannot read %s\n", path);
        return -1;
    }
    crypto_generichash_final(&st, hash, 64);
    return 0;
}
