/*
 * oidc.c — calls to an OpenID provider with libcurl, and the shared cache
 * of discovery documents and key sets (oidc.h).
 */
#include "oidc.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mem.h"

#define CACHE_MAX 16 /* providers whose documents are kept */

typedef struct CacheEntry {
    char *issuer;
    OidcMeta meta;        /* from discovery */
    time_t meta_at;       /* when discovery was read (0: never) */
    char *jwks;           /* the key set's JSON text, or NULL */
    time_t jwks_at;       /* when it was read */
    time_t jwks_tried_at; /* when a fetch was last started (the rate limit) */
    long fetches;         /* key-set fetches made */
} CacheEntry;

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static CacheEntry cache[CACHE_MAX];

void oidc_init(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

void oidc_meta_free(OidcMeta *m)
{
    free(m->authorization_endpoint);
    free(m->token_endpoint);
    free(m->userinfo_endpoint);
    free(m->end_session_endpoint);
    free(m->jwks_uri);
    memset(m, 0, sizeof *m);
}

static void meta_copy(OidcMeta *to, const OidcMeta *from)
{
    to->authorization_endpoint = xstrdup(from->authorization_endpoint);
    to->token_endpoint = xstrdup(from->token_endpoint);
    to->userinfo_endpoint = xstrdup(from->userinfo_endpoint);
    to->end_session_endpoint = xstrdup(from->end_session_endpoint);
    to->jwks_uri = xstrdup(from->jwks_uri);
}

/* The cache entry of issuer, made (or the oldest reused) when missing.
 * Called with cache_lock held. */
static CacheEntry *entry(const char *issuer)
{
    CacheEntry *free_slot = NULL, *oldest = &cache[0];
    for (int k = 0; k < CACHE_MAX; k++) {
        if (cache[k].issuer && strcmp(cache[k].issuer, issuer) == 0) return &cache[k];
        if (!cache[k].issuer && !free_slot) free_slot = &cache[k];
        if (cache[k].meta_at < oldest->meta_at) oldest = &cache[k];
    }
    CacheEntry *e = free_slot ? free_slot : oldest;
    free(e->issuer);
    oidc_meta_free(&e->meta);
    free(e->jwks);
    memset(e, 0, sizeof *e);
    e->issuer = xstrdup(issuer);
    return e;
}

long oidc_jwks_fetches(const char *issuer)
{
    pthread_mutex_lock(&cache_lock);
    long n = entry(issuer)->fetches;
    pthread_mutex_unlock(&cache_lock);
    return n;
}

/* Appends what curl receives to a Buf, up to OIDC_MAX_ANSWER bytes. */
static size_t on_data(char *p, size_t size, size_t n, void *cls)
{
    Buf *b = cls;
    if (b->n + size * n > OIDC_MAX_ANSWER) return 0; /* too long: curl stops */
    buf_append(b, p, size * n);
    return size * n;
}

/* One HTTPS call: GET url (form NULL) or POST form; auth "user:pass" for
 * HTTP Basic, bearer a token for Authorization. The body goes into answer.
 * OIDC_OK for a 200 answer. */
static OidcError call(const OidcSettings *s, const char *url, const char *form,
                      const char *user, const char *pass, const char *bearer, Buf *answer,
                      Buf *why)
{
    if (!url || strncmp(url, "https://", 8) != 0) {
        buf_printf(why, "the provider's endpoint is not an https address");
        return OIDC_BAD;
    }
    CURL *c = curl_easy_init();
    if (!c) {
        buf_printf(why, "libcurl could not start");
        return OIDC_DOWN;
    }
    struct curl_slist *h = curl_slist_append(NULL, "Accept: application/json");
    Buf auth = BUF_INIT;
    if (bearer) {
        buf_printf(&auth, "Authorization: Bearer %s", bearer);
        h = curl_slist_append(h, buf_str(&auth));
    }
    long t = s->timeout_ms > 0 ? s->timeout_ms : 5000;
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, t);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, t);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (s->ca_file && *s->ca_file) curl_easy_setopt(c, CURLOPT_CAINFO, s->ca_file);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "itstrat/" ITSTRAT_VERSION);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, answer);
    if (form) curl_easy_setopt(c, CURLOPT_POSTFIELDS, form);
    if (user) {
        curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        curl_easy_setopt(c, CURLOPT_USERNAME, user);
        curl_easy_setopt(c, CURLOPT_PASSWORD, pass);
    }
    CURLcode rc = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    OidcError e = OIDC_OK;
    if (rc == CURLE_OPERATION_TIMEDOUT) {
        buf_printf(why, "no answer from %.200s within %ld ms", url, t);
        e = OIDC_SLOW;
    } else if (rc == CURLE_WRITE_ERROR) {
        buf_printf(why, "the answer of %.200s is longer than %d bytes", url, OIDC_MAX_ANSWER);
        e = OIDC_BAD;
    } else if (rc != CURLE_OK) {
        buf_printf(why, "%.200s: %s", url, curl_easy_strerror(rc));
        e = OIDC_DOWN;
    } else if (status != 200) {
        buf_printf(why, "%.200s answered HTTP %ld", url, status);
        e = OIDC_BAD;
    }
    curl_slist_free_all(h);
    buf_free(&auth);
    curl_easy_cleanup(c);
    return e;
}

/* A copy of string member name of j, or NULL. */
static char *member(json_t *j, const char *name)
{
    return xstrdup(json_string_value(json_object_get(j, name)));
}

OidcError oidc_discover(const OidcSettings *s, const char *issuer, OidcMeta *m, Buf *why)
{
    memset(m, 0, sizeof *m);
    time_t now = time(NULL);
    long keep = s->jwks_seconds > 0 ? s->jwks_seconds : 3600;
    pthread_mutex_lock(&cache_lock);
    CacheEntry *ce = entry(issuer);
    if (ce->meta_at && now - ce->meta_at < keep) {
        meta_copy(m, &ce->meta);
        pthread_mutex_unlock(&cache_lock);
        return OIDC_OK;
    }
    pthread_mutex_unlock(&cache_lock);

    Buf url = BUF_INIT, body = BUF_INIT;
    size_t n = strlen(issuer);
    buf_printf(&url, "%s%s.well-known/openid-configuration", issuer,
               n && issuer[n - 1] == '/' ? "" : "/");
    OidcError e = call(s, buf_str(&url), NULL, NULL, NULL, NULL, &body, why);
    json_t *j = NULL;
    if (e) goto out;
    e = OIDC_BAD;
    j = json_loadb(body.a, body.n, 0, NULL);
    const char *iss = json_string_value(json_object_get(j, "issuer"));
    if (!iss || strcmp(iss, issuer) != 0) {
        buf_printf(why, "the discovery document's issuer is not exactly %s", issuer);
        goto out;
    }
    m->authorization_endpoint = member(j, "authorization_endpoint");
    m->token_endpoint = member(j, "token_endpoint");
    m->userinfo_endpoint = member(j, "userinfo_endpoint");
    m->end_session_endpoint = member(j, "end_session_endpoint");
    m->jwks_uri = member(j, "jwks_uri");
    const char *must[] = {m->authorization_endpoint, m->token_endpoint, m->jwks_uri};
    for (size_t k = 0; k < 3; k++)
        if (!must[k] || strncmp(must[k], "https://", 8) != 0) {
            buf_printf(why, "the discovery document lacks an https authorization, token or "
                            "jwks endpoint");
            goto out;
        }
    const char *opt[] = {m->userinfo_endpoint, m->end_session_endpoint};
    for (size_t k = 0; k < 2; k++)
        if (opt[k] && strncmp(opt[k], "https://", 8) != 0) {
            buf_printf(why, "the discovery document names an endpoint that is not https");
            goto out;
        }
    e = OIDC_OK;
    pthread_mutex_lock(&cache_lock);
    ce = entry(issuer);
    oidc_meta_free(&ce->meta);
    meta_copy(&ce->meta, m);
    ce->meta_at = now;
    pthread_mutex_unlock(&cache_lock);
out:
    if (e) oidc_meta_free(m);
    json_decref(j);
    buf_free(&url);
    buf_free(&body);
    return e;
}

/* Appends the URL-encoded s to b. */
static void form_value(Buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '.' || *p == '_' || *p == '~') {
            buf_append(b, p, 1);
        } else {
            char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            buf_append(b, e, 3);
        }
    }
}

OidcError oidc_exchange(const OidcSettings *s, const OidcMeta *m, const char *client_id,
                        const char *secret, const char *code, const char *redirect_uri,
                        const char *verifier, Buf *id_token, Buf *access_token, Buf *why)
{
    Buf form = BUF_INIT, body = BUF_INIT, user = BUF_INIT, pass = BUF_INIT;
    buf_puts(&form, "grant_type=authorization_code&code=");
    form_value(&form, code);
    buf_puts(&form, "&redirect_uri=");
    form_value(&form, redirect_uri);
    buf_puts(&form, "&code_verifier=");
    form_value(&form, verifier);
    if (secret) { /* client_secret_basic: both parts form-encoded (RFC 6749 2.3.1) */
        form_value(&user, client_id);
        form_value(&pass, secret);
    } else {
        buf_puts(&form, "&client_id=");
        form_value(&form, client_id);
    }
    OidcError e = call(s, m->token_endpoint, buf_str(&form), secret ? buf_str(&user) : NULL,
                       secret ? buf_str(&pass) : NULL, NULL, &body, why);
    json_t *j = NULL;
    if (e) goto out;
    j = json_loadb(body.a, body.n, 0, NULL);
    const char *idt = json_string_value(json_object_get(j, "id_token"));
    const char *at = json_string_value(json_object_get(j, "access_token"));
    if (!idt) {
        buf_printf(why, "the token endpoint's answer has no id_token");
        e = OIDC_BAD;
        goto out;
    }
    buf_puts(id_token, idt);
    if (at) buf_puts(access_token, at);
out:
    json_decref(j);
    buf_free(&form);
    buf_free(&body);
    buf_free(&user);
    buf_free(&pass);
    return e;
}

/* Fetches the key set of m into the cache entry of issuer, unless one was
 * fetched less than refetch_seconds ago (force: for an unknown kid) or the
 * cached one is fresh (not force). 1 when it fetched, 0 when it did not
 * need to or may not yet, -1 when the fetch failed (*err set). */
static int jwks_fetch(const OidcSettings *s, const char *issuer, const OidcMeta *m, int force,
                      OidcError *err, Buf *why)
{
    time_t now = time(NULL);
    long keep = s->jwks_seconds > 0 ? s->jwks_seconds : 3600;
    long gap = s->refetch_seconds >= 0 ? s->refetch_seconds : 60;
    pthread_mutex_lock(&cache_lock);
    CacheEntry *ce = entry(issuer);
    int fresh = ce->jwks && now - ce->jwks_at < keep;
    int may = !ce->jwks_tried_at || now - ce->jwks_tried_at >= gap;
    if ((fresh && !force) || (ce->jwks && !may)) {
        pthread_mutex_unlock(&cache_lock);
        return 0;
    }
    ce->jwks_tried_at = now; /* others wait for the rate limit, not for us */
    ce->fetches++;
    pthread_mutex_unlock(&cache_lock);

    Buf body = BUF_INIT;
    OidcError e = call(s, m->jwks_uri, NULL, NULL, NULL, NULL, &body, why);
    json_t *j = e ? NULL : json_loadb(body.a, body.n, 0, NULL);
    if (!e && !json_is_array(json_object_get(j, "keys"))) {
        buf_printf(why, "the provider's key set (jwks_uri) is not a JWKS document");
        e = OIDC_BAD;
    }
    json_decref(j);
    if (!e) {
        pthread_mutex_lock(&cache_lock);
        ce = entry(issuer);
        free(ce->jwks);
        ce->jwks = xstrdup(buf_str(&body));
        ce->jwks_at = now;
        pthread_mutex_unlock(&cache_lock);
    }
    buf_free(&body);
    if (e) *err = e;
    return e ? -1 : 1;
}

/* A copy of the cached key set of issuer (caller frees), or NULL. */
static char *jwks_copy(const char *issuer)
{
    pthread_mutex_lock(&cache_lock);
    char *t = xstrdup(entry(issuer)->jwks);
    pthread_mutex_unlock(&cache_lock);
    return t;
}

JwtStatus oidc_check(const OidcSettings *s, const char *issuer, const OidcMeta *m,
                     const char *id_token, const JwtExpect *e, json_t **claims,
                     OidcError *fetch_error, Buf *why)
{
    *claims = NULL;
    *fetch_error = OIDC_OK;
    char alg[16], kid[128];
    JwtStatus st = jwt_header(id_token, alg, kid);
    if (st) return jwt_verify(id_token, NULL, e, claims, why); /* says why */
    Buf fwhy = BUF_INIT;
    jwks_fetch(s, issuer, m, 0, fetch_error, &fwhy);
    char *set = jwks_copy(issuer);
    if (!jwt_jwks_has(set, kid, alg)) {
        /* Perhaps the provider rotated its keys: one refetch, rate-limited. */
        free(set);
        jwks_fetch(s, issuer, m, 1, fetch_error, &fwhy);
        set = jwks_copy(issuer);
    }
    if (!set && *fetch_error) {
        buf_printf(why, "the provider's key set could not be fetched: %s", buf_str(&fwhy));
        st = JWT_KID_UNKNOWN;
    } else {
        st = jwt_verify(id_token, set, e, claims, why);
    }
    free(set);
    buf_free(&fwhy);
    return st;
}

OidcError oidc_userinfo(const OidcSettings *s, const OidcMeta *m, const char *access_token,
                        json_t **out, Buf *why)
{
    *out = NULL;
    Buf body = BUF_INIT;
    OidcError e = call(s, m->userinfo_endpoint, NULL, NULL, NULL, access_token, &body, why);
    if (!e) {
        json_t *j = json_loadb(body.a, body.n, 0, NULL);
        if (!json_is_object(j)) {
            json_decref(j);
            buf_printf(why, "the userinfo answer is not a JSON object");
            e = OIDC_BAD;
        } else {
            *out = j;
        }
    }
    buf_free(&body);
    return e;
}

const char *oidc_error_text(OidcError e)
{
    switch (e) {
    case OIDC_OK: return "";
    case OIDC_DOWN: return "The identity provider cannot be reached at the moment. Try again "
                           "later, or tell an administrator.";
    case OIDC_SLOW: return "The identity provider did not answer in time. Try again later, or "
                           "tell an administrator.";
    case OIDC_BAD: return "The identity provider gave an answer itstrat cannot use. Tell an "
                          "administrator.";
    }
    return "";
}
