/*
 * totp.h — second factor: RFC 6238 time-based one-time passwords (through
 * liboath) and one-time recovery codes.
 *
 * A secret is 160 random bits (RFC 4226's recommended length for HMAC-SHA1)
 * kept base32-encoded, the form authenticator apps read. Codes are 6 digits
 * over 30-second steps from the Unix epoch. totp_verify() accepts the
 * current step and one either side (clock drift) and never a step at or
 * before the last one the account used, so a code seen over a shoulder or
 * in a log cannot be replayed; the caller keeps that last step
 * (store_users.h) and must record the matched step atomically.
 *
 * Recovery codes are about 79 random bits each (16 characters drawn from
 * 31), written as four groups of four; only an unsalted BLAKE2b digest of
 * each is stored: a random 79-bit code needs no slow hash, guessing one
 * is 2^79 work.
 */
#ifndef ITSTRAT_TOTP_H
#define ITSTRAT_TOTP_H
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "buf.h"

#define TOTP_SECRET_BYTES 20      /* 160 bits */
#define TOTP_SECRET_SIZE 33       /* base32 of 20 bytes (32 characters) and NUL */
#define TOTP_STEP 30              /* seconds per step */
#define TOTP_DIGITS 6
#define TOTP_WINDOW 1             /* steps accepted either side of now */
#define RECOVERY_COUNT 10         /* codes per account */
#define RECOVERY_CODE_SIZE 20     /* "XXXX-XXXX-XXXX-XXXX" and NUL */
#define RECOVERY_HASH_SIZE 65     /* 64 hex digits and NUL */

enum { TOTP_OK = 0, TOTP_WRONG = -1, TOTP_REUSED = -2, TOTP_BAD_SECRET = -3 };

/* Starts liboath and libsodium once (thread-safe). 0, or -1 when either
 * cannot start. The other functions call it. */
int totp_init(void);

/* A new random secret, base32 (A-Z 2-7, 32 characters), into out. */
void totp_secret_new(char out[TOTP_SECRET_SIZE]);

/* Appends the enrolment URI for authenticator apps to b:
 * otpauth://totp/itstrat:LOGIN?secret=...&issuer=itstrat&algorithm=SHA1&
 * digits=6&period=30, the login percent-encoded. */
void totp_uri(Buf *b, const char *secret_b32, const char *login);

/* The step that time now falls in: floor(now / TOTP_STEP). */
int64_t totp_step(time_t now);

/* Writes the code of secret_b32 at step with digits (6 to 8) digits into
 * out (room for digits + 1). 0, or TOTP_BAD_SECRET when the secret is not
 * base32. For tests and for showing a code during enrolment checks. */
int totp_code(const char *secret_b32, int64_t step, int digits, char *out);

/* Checks code (TOTP_DIGITS digits; spaces are ignored) against secret_b32
 * at time now, in steps now-1 .. now+1, comparing in constant time.
 * last_step is the last step the account used (-1: none). Returns TOTP_OK
 * and the step that matched in *matched, TOTP_REUSED when the code matches
 * a step <= last_step, TOTP_WRONG when it matches none, TOTP_BAD_SECRET
 * when secret_b32 cannot be decoded. Allocates nothing that outlives it. */
int totp_verify(const char *secret_b32, const char *code, time_t now, int64_t last_step,
                int64_t *matched);

/* RECOVERY_COUNT new codes into codes, and their digests (recovery_hash)
 * into hashes, index for index. Show the codes once; store the hashes. */
void recovery_new(char codes[RECOVERY_COUNT][RECOVERY_CODE_SIZE],
                  char hashes[RECOVERY_COUNT][RECOVERY_HASH_SIZE]);

/* The digest to look code up by: BLAKE2b-256, hex, of the code with dashes
 * and spaces dropped and letters upper-cased, so "abcd efgh-..." matches.
 * Returns 0, or -1 when code has not exactly 16 code characters (out is
 * then empty). */
int recovery_hash(const char *code, char out[RECOVERY_HASH_SIZE]);

#endif
