/*
 * oidc.h — the OpenID Connect relying party's calls to a provider, through
 * libcurl: discovery (/.well-known/openid-configuration), the key set
 * (JWKS) cached by issuer, the code exchange with PKCE, and userinfo.
 *
 * Every call has a connect and a total time-out (OidcSettings.timeout_ms),
 * takes https only (TLS verified against the system's CAs or the CA file
 * setting), follows no redirect and reads at most OIDC_MAX_ANSWER bytes. A
 * slow provider thus holds the one sign-in's request for at most the
 * time-out. Discovery and the key set are cached for jwks_seconds; a token
 * whose kid the cached set does not have makes one refetch, at most one per
 * refetch_seconds per provider (so a stream of forged kids cannot make
 * itstrat hammer the provider), which is how key rotation works without a
 * restart. The cache is shared by the server's threads (a mutex) and no
 * network call is made while holding it.
 */
#ifndef ITSTRAT_OIDC_H
#define ITSTRAT_OIDC_H
#include <jansson.h>

#include "buf.h"
#include "jwt.h"

#define OIDC_MAX_ANSWER (1024 * 1024)

/* Settings of the calls (setting table: oidc_ca_file, oidc_timeout_ms,
 * oidc_jwks_seconds, oidc_refetch_seconds). */
typedef struct OidcSettings {
    const char *ca_file;   /* NULL: the system's CAs */
    long timeout_ms;       /* each call, connect included; default 5000 */
    long jwks_seconds;     /* how long discovery and keys are kept; default 3600 */
    long refetch_seconds;  /* least time between two key-set fetches; default 60 */
} OidcSettings;

/* What went wrong with a call (for the person: oidc_error_text). */
typedef enum OidcError {
    OIDC_OK = 0,
    OIDC_DOWN,     /* could not connect (refused, no route, TLS failure) */
    OIDC_SLOW,     /* no full answer within the time-out */
    OIDC_BAD       /* an answer, but an error status or not what OIDC says */
} OidcError;

/* The provider's endpoints from discovery (arena-free copies: caller frees
 * with oidc_meta_free). */
typedef struct OidcMeta {
    char *authorization_endpoint, *token_endpoint, *userinfo_endpoint, *end_session_endpoint;
    char *jwks_uri;
} OidcMeta;

void oidc_init(void);  /* once at start-up: curl_global_init */
void oidc_meta_free(OidcMeta *m);

/* The endpoints of issuer (discovery, cached): OIDC_OK and *m, or an error
 * with why. The document's issuer must equal issuer exactly and every
 * endpoint must be https. */
OidcError oidc_discover(const OidcSettings *s, const char *issuer, OidcMeta *m, Buf *why);

/* Exchanges code at the token endpoint (client_secret_basic when secret is
 * not NULL, else a public client) with the PKCE verifier; id_token and
 * access_token (may be absent: "") are appended to the buffers. */
OidcError oidc_exchange(const OidcSettings *s, const OidcMeta *m, const char *client_id,
                        const char *secret, const char *code, const char *redirect_uri,
                        const char *verifier, Buf *id_token, Buf *access_token, Buf *why);

/* Checks id_token with the provider's cached key set, refetching it once
 * (rate-limited) when no key fits. *fetch_error is set when the key set
 * could not be fetched at all (then the status is JWT_KID_UNKNOWN). */
JwtStatus oidc_check(const OidcSettings *s, const char *issuer, const OidcMeta *m,
                     const char *id_token, const JwtExpect *e, json_t **claims,
                     OidcError *fetch_error, Buf *why);

/* The userinfo claims for access_token (caller json_decref's *out). */
OidcError oidc_userinfo(const OidcSettings *s, const OidcMeta *m, const char *access_token,
                        json_t **out, Buf *why);

/* A plain sentence for a person. */
const char *oidc_error_text(OidcError e);

/* Test hook: how many key-set fetches were made for issuer (bench/oidc.sh
 * prints it through the server log). */
long oidc_jwks_fetches(const char *issuer);

#endif
