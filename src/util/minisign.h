/*
 * minisign.h — Ed25519 keys and detached signatures in minisign's formats
 * (libsodium), so that a report signed by itstrat is checked by the stock
 * `minisign -V` and the other way round.
 *
 * Formats (minisign's documentation), each a two-line text file, the second
 * line base64 (the original alphabet, with padding):
 *   public key  "untrusted comment: ..." / "Ed" key_id[8] public_key[32]
 *   secret key  "untrusted comment: ..." / "Ed" "Sc" "B2" salt[32]
 *               opslimit[8 LE] memlimit[8 LE] and, encrypted by XOR with
 *               scrypt(passphrase, salt, opslimit, memlimit) (104 bytes):
 *               key_id[8] secret_key[64] checksum[32], the checksum being
 *               BLAKE2b-256("Ed" key_id secret_key)
 *   signature   "untrusted comment: ..." / "ED" key_id[8] sig[64] /
 *               "trusted comment: TEXT" / global_sig[64]
 *               where sig signs BLAKE2b-512(file) and global_sig signs
 *               sig || TEXT.
 * Key ids are shown as minisign shows them: 16 upper-case hex digits of the
 * id read as a little-endian number.
 *
 * Every function returns 0, or -1 with a message for a person in err; they
 * allocate only into the Bufs given. Secrets are wiped (sodium_memzero).
 */
#ifndef ITSTRAT_MINISIGN_H
#define ITSTRAT_MINISIGN_H
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define MINISIGN_COMMENT_MAX 1024 /* longest trusted comment accepted */

typedef struct MinisignPub {
    unsigned char key_id[8];
    unsigned char pk[32];
} MinisignPub;

typedef struct MinisignSig {
    unsigned char key_id[8];
    unsigned char sig[64];            /* of BLAKE2b-512(file) */
    char trusted[MINISIGN_COMMENT_MAX + 1];
    unsigned char global_sig[64];     /* of sig || trusted */
} MinisignSig;

/* Makes a key pair: the public key file's text into pub, the secret key
 * file's (encrypted with passphrase; scrypt with opslimit and memlimit, see
 * minisign_kdf_*) into sec; comment goes into the secret key's untrusted
 * comment (one line). */
int minisign_keygen(const char *passphrase, const char *comment, uint64_t opslimit,
                    uint64_t memlimit, Buf *pub, Buf *sec, Buf *err);

/* The KDF limits itstrat writes into a new key: 2^22 operations, 64 MiB
 * (about a third of a second; minisign's own default needs 1 GiB). */
#define MINISIGN_KDF_OPSLIMIT 4194304ULL
#define MINISIGN_KDF_MEMLIMIT 67108864ULL

/* Parses a public key file's text (n bytes). */
int minisign_parse_pub(const char *text, size_t n, MinisignPub *pub, Buf *err);

/* Parses a signature file's text (n bytes). */
int minisign_parse_sig(const char *text, size_t n, MinisignSig *sig, Buf *err);

/* The secret key file's untrusted comment (after "untrusted comment: ")
 * into out; "" when there is none. */
void minisign_sec_comment(const char *text, size_t n, char *out, size_t outlen);

/* Signs hash (BLAKE2b-512 of the file) with the secret key file's text
 * (n bytes) opened with passphrase: the signature file's text into sig, with
 * trusted comment trusted (one line, at most MINISIGN_COMMENT_MAX bytes).
 * A wrong passphrase is told as such (the checksum does not match). */
int minisign_sign(const char *sec, size_t n, const char *passphrase,
                  const unsigned char hash[64], const char *trusted, Buf *sig, Buf *err);

/* Checks sig against pub and hash: the key ids match, sig signs hash and
 * global_sig signs sig || trusted comment. */
int minisign_verify(const MinisignPub *pub, const MinisignSig *sig,
                    const unsigned char hash[64], Buf *err);

/* BLAKE2b-512 of the file at path, read in blocks. */
int minisign_hash_file(const char *path, unsigned char hash[64], Buf *err);

/* A key id as minisign shows it, into out[17]. */
void minisign_key_id(const unsigned char id[8], char out[17]);

#endif
