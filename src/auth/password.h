/*
 * password.h — password hashing (Argon2id), strength rules and random
 * passwords for the accounts of itstrat.
 *
 * Hashes are libsodium's crypto_pwhash_str strings ("$argon2id$v=19$m=...")
 * with the cost chosen in docs/security.md ("Passwords"): PASSWORD_OPSLIMIT
 * passes over PASSWORD_MEMLIMIT bytes, about a quarter of a second on the
 * reference machine. The parameters travel inside each hash, so raising them
 * later only makes password_needs_rehash() say yes for the older hashes.
 *
 * Strength rules follow NIST SP 800-63B 5.1.1.2: a length, a list of
 * passwords known to be common, and context (the login); no composition
 * rules, so a passphrase of ordinary words is fine.
 */
#ifndef ITSTRAT_PASSWORD_H
#define ITSTRAT_PASSWORD_H
#include <stddef.h>

#include "buf.h"

#define PASSWORD_OPSLIMIT 4ULL                  /* Argon2id passes (t) */
#define PASSWORD_MEMLIMIT (128ULL * 1024 * 1024) /* bytes of memory (m), 128 MiB */
#define PASSWORD_MIN_CHARS 12                   /* characters (code points) */
#define PASSWORD_MAX_BYTES 1024                 /* longer input is refused */
#define PASSWORD_HASH_SIZE 128                  /* room for a hash string and NUL */
#define PASSWORD_RANDOM_CHARS 20                /* length of password_random() */

/* Initialises libsodium once (thread-safe, idempotent). Returns 0, or -1
 * when libsodium cannot start (no entropy source). Every function below
 * calls it; call it first from a server's start-up to fail early. */
int password_init(void);

/* Hashes password pw into out (NUL-terminated crypto_pwhash_str string).
 * Takes about PASSWORD_MEMLIMIT bytes and a quarter of a second. Returns 0,
 * or -1 when the memory could not be had (out is then empty). */
int password_hash(const char *pw, char out[PASSWORD_HASH_SIZE]);

/* 1 when pw matches hash, 0 when not (or when hash is malformed). The
 * comparison is libsodium's, in constant time; the cost is that of the
 * parameters stored in hash. */
int password_verify(const char *hash, const char *pw);

/* 1 when hash was made with other parameters than the current ones (or is
 * not an Argon2id hash) and should be replaced after the next successful
 * password_verify(); 0 when it is current. */
int password_needs_rehash(const char *hash);

/* Checks pw against the strength rules for the account login (may be NULL).
 * Returns 0 when pw is acceptable; else -1 with one sentence in why saying
 * what is wrong and what to do instead. Allocates only in why. */
int password_check(const char *pw, const char *login, Buf *why);

/* Fills out with PASSWORD_RANDOM_CHARS characters drawn uniformly from an
 * alphabet without look-alikes (no 0 O o 1 l I), about 115 bits, and a NUL.
 * Uses libsodium's randombytes (the kernel's CSPRNG). */
void password_random(char out[PASSWORD_RANDOM_CHARS + 1]);

#endif
