/*
 * idp_secret.h — client secrets of identity providers, sealed with a key
 * kept outside the database (docs/security.md "Identity providers").
 *
 * The key is 32 random bytes in a file: $ITSTRAT_IDP_KEY_FILE when set,
 * else the database's path with ".key" appended (made, mode 0600, the
 * first time a secret is sealed). A sealed secret is "v1:" and the base64
 * of a 24-byte nonce and libsodium's crypto_secretbox_easy of the secret,
 * so a copy of the database alone opens no provider account.
 */
#ifndef ITSTRAT_IDP_SECRET_H
#define ITSTRAT_IDP_SECRET_H

#include "buf.h"

/* Seals secret with the key of database db_path into out (creating the key
 * file when there is none). 0, or -1 with err saying why. */
int idp_secret_seal(const char *db_path, const char *secret, Buf *out, Buf *err);

/* Opens sealed into out. 0, or -1 with err saying why (no key file, wrong
 * key, damaged text). */
int idp_secret_open(const char *db_path, const char *sealed, Buf *out, Buf *err);

#endif
