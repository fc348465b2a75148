/*
 * jwt.h — checking an OpenID Connect ID token (a JWS in compact form) with
 * OpenSSL's EVP interface: the signature against a JSON Web Key Set, then
 * the claims (docs/security.md "Identity providers" says why each check).
 *
 * Only RS256, PS256 and ES256 are accepted; "none", HS256 and every other
 * algorithm are refused before any key is looked at, so a token cannot
 * choose a weaker check (HS256 "signed" with the provider's public key is
 * the classic confusion). RSA keys must have at least 2048 bits.
 */
#ifndef ITSTRAT_JWT_H
#define ITSTRAT_JWT_H
#include <jansson.h>
#include <time.h>

#include "buf.h"

#define JWT_MAX_BYTES 16384 /* a longer token is refused unread */

typedef enum JwtStatus {
    JWT_OK = 0,
    JWT_MALFORMED,     /* not three base64url parts of JSON */
    JWT_ALG,           /* an algorithm outside the allow-list (none, HS256...) */
    JWT_KID_UNKNOWN,   /* no key of the set fits the token's kid and algorithm */
    JWT_SIGNATURE,     /* the signature does not verify */
    JWT_ISSUER,        /* iss is not exactly the provider's issuer */
    JWT_AUDIENCE,      /* aud does not hold our client id, or azp names another */
    JWT_EXPIRED,       /* exp is past (beyond the skew) or missing */
    JWT_NOT_YET,       /* iat or nbf in the future (beyond the skew), or iat missing */
    JWT_NONCE,         /* nonce missing or not the one of this sign-in */
    JWT_SUBJECT        /* sub missing, empty or longer than 255 bytes */
} JwtStatus;

/* What the token must say. */
typedef struct JwtExpect {
    const char *issuer;     /* exact iss */
    const char *client_id;  /* in aud; azp, when present, equals it */
    const char *nonce;      /* exact nonce */
    time_t now;
    int skew;               /* seconds of clock difference allowed (exp, iat, nbf) */
} JwtExpect;

/* The token's header: alg and kid (kid "" when absent) copied into the
 * arrays. JWT_OK, JWT_MALFORMED or JWT_ALG (alg not allowed). */
JwtStatus jwt_header(const char *token, char alg[16], char kid[128]);

/* 1 when the key set jwks (the JSON text of a JWKS document) has a key for
 * kid and alg, else 0. */
int jwt_jwks_has(const char *jwks, const char *kid, const char *alg);

/* Checks token against the key set jwks and e. On JWT_OK *claims gets the
 * payload (caller json_decref's it); on a refusal *claims is NULL and why
 * gets a sentence for the log (no token or key material in it). */
JwtStatus jwt_verify(const char *token, const char *jwks, const JwtExpect *e, json_t **claims,
                     Buf *why);

/* A plain sentence for a person about status s. */
const char *jwt_status_text(JwtStatus s);

/* Decodes base64url text s of n bytes (no padding) into a new buffer
 * (*out, caller frees, NUL-terminated) of *len bytes. 0, or -1 if bad. */
int jwt_b64url_decode(const char *s, size_t n, unsigned char **out, size_t *len);

#endif
