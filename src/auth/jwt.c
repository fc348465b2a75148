/*
 * jwt.c — ID token checks with OpenSSL EVP (jwt.h).
 */
#include "jwt.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

int jwt_b64url_decode(const char *s, size_t n, unsigned char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    unsigned char *b = xmalloc(n + 1);
    size_t got = 0;
    const char *end = NULL;
    if (sodium_base642bin(b, n + 1, s, n, NULL, &got, &end,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 || end != s + n) {
        free(b);
        return -1;
    }
    b[got] = 0;
    *out = b;
    *len = got;
    return 0;
}

/* The JSON object of base64url part s of n bytes, or NULL. */
static json_t *part_json(const char *s, size_t n)
{
    unsigned char *raw;
    size_t len;
    if (jwt_b64url_decode(s, n, &raw, &len)) return NULL;
    json_t *j = json_loadb((const char *)raw, len, JSON_REJECT_DUPLICATES, NULL);
    free(raw);
    if (j && !json_is_object(j)) {
        json_decref(j);
        j = NULL;
    }
    return j;
}

static int alg_allowed(const char *alg)
{
    return strcmp(alg, "RS256") == 0 || strcmp(alg, "PS256") == 0 || strcmp(alg, "ES256") == 0;
}

/* Splits token at its two dots: 0 and the lengths, or -1. */
static int split(const char *token, size_t *h, size_t *p, size_t *s)
{
    size_t n = strlen(token);
    if (n > JWT_MAX_BYTES) return -1;
    const char *d1 = strchr(token, '.');
    if (!d1) return -1;
    const char *d2 = strchr(d1 + 1, '.');
    if (!d2 || strchr(d2 + 1, '.')) return -1;
    *h = (size_t)(d1 - token);
    *p = (size_t)(d2 - d1 - 1);
    *s = n - (size_t)(d2 - token) - 1;
    return *h && *p ? 0 : -1;
}

JwtStatus jwt_header(const char *token, char alg[16], char kid[128])
{
    size_t hn, pn, sn;
    alg[0] = kid[0] = 0;
    if (split(token, &hn, &pn, &sn)) return JWT_MALFORMED;
    json_t *h = part_json(token, hn);
    if (!h) return JWT_MALFORMED;
    JwtStatus st = JWT_MALFORMED;
    const char *a = json_string_value(json_object_get(h, "alg"));
    json_t *k = json_object_get(h, "kid");
    if (!a || (k && !json_is_string(k)) || json_object_get(h, "crit")) goto out;
    if (k && strlen(json_string_value(k)) >= 128) goto out;
    snprintf(alg, 16, "%.15s", a);
    snprintf(kid, 128, "%s", k ? json_string_value(k) : "");
    st = alg_allowed(a) && strlen(a) < 16 ? JWT_OK : JWT_ALG;
out:
    json_decref(h);
    return st;
}

/* A big number from the base64url text of JWK member name, or NULL. */
static BIGNUM *jwk_bn(json_t *jwk, const char *name, size_t *bytes)
{
    const char *s = json_string_value(json_object_get(jwk, name));
    if (!s) return NULL;
    unsigned char *raw;
    size_t len;
    if (jwt_b64url_decode(s, strlen(s), &raw, &len) || len == 0) return NULL;
    BIGNUM *bn = BN_bin2bn(raw, (int)len, NULL);
    if (bytes) *bytes = len;
    free(raw);
    return bn;
}

/* The public key of JWK jwk for alg, or NULL when it is not one. */
static EVP_PKEY *jwk_key(json_t *jwk, const char *alg)
{
    const char *kty = json_string_value(json_object_get(jwk, "kty"));
    const char *use = json_string_value(json_object_get(jwk, "use"));
    const char *kalg = json_string_value(json_object_get(jwk, "alg"));
    if (!kty || (use && strcmp(use, "sig") != 0) || (kalg && strcmp(kalg, alg) != 0)) return NULL;
    EVP_PKEY *key = NULL;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    BIGNUM *n = NULL, *e = NULL, *x = NULL, *y = NULL;
    unsigned char pub[65];
    if (!bld) goto out;
    if (alg[0] != 'E') {
        if (strcmp(kty, "RSA") != 0) goto out;
        n = jwk_bn(jwk, "n", NULL);
        e = jwk_bn(jwk, "e", NULL);
        if (!n || !e || BN_num_bits(n) < 2048 || BN_num_bits(n) > 8192) goto out;
        if (!OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
            !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e))
            goto out;
        ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
    } else {
        const char *crv = json_string_value(json_object_get(jwk, "crv"));
        size_t xl = 0, yl = 0;
        if (strcmp(kty, "EC") != 0 || !crv || strcmp(crv, "P-256") != 0) goto out;
        x = jwk_bn(jwk, "x", &xl);
        y = jwk_bn(jwk, "y", &yl);
        if (!x || !y || xl != 32 || yl != 32) goto out;
        pub[0] = 4;
        if (BN_bn2binpad(x, pub + 1, 32) != 32 || BN_bn2binpad(y, pub + 33, 32) != 32) goto out;
        if (!OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) ||
            !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub, sizeof pub))
            goto out;
        ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    }
    params = OSSL_PARAM_BLD_to_param(bld);
    if (!ctx || !params || EVP_PKEY_fromdata_init(ctx) <= 0 ||
        EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) <= 0)
        key = NULL;
out:
    BN_free(n);
    BN_free(e);
    BN_free(x);
    BN_free(y);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    EVP_PKEY_CTX_free(ctx);
    return key;
}

/* The key of set jwks for kid ("" matches a set's only key) and alg, or
 * NULL. */
static EVP_PKEY *jwks_find(const char *jwks, const char *kid, const char *alg)
{
    json_t *set = json_loads(jwks ? jwks : "", 0, NULL);
    json_t *keys = json_object_get(set, "keys");
    EVP_PKEY *found = NULL;
    size_t k, fits = 0;
    json_t *jwk;
    json_array_foreach(keys, k, jwk) {
        const char *id = json_string_value(json_object_get(jwk, "kid"));
        if (kid[0] && (!id || strcmp(id, kid) != 0)) continue;
        EVP_PKEY *key = jwk_key(jwk, alg);
        if (!key) continue;
        fits++;
        if (found) EVP_PKEY_free(found);
        found = key;
    }
    json_decref(set);
    if (fits > 1 && !kid[0]) { /* no kid and several keys: which one is not known */
        EVP_PKEY_free(found);
        found = NULL;
    }
    return found;
}

int jwt_jwks_has(const char *jwks, const char *kid, const char *alg)
{
    EVP_PKEY *k = jwks_find(jwks, kid, alg);
    EVP_PKEY_free(k);
    return k != NULL;
}

/* 1 when sig (sn bytes) is alg's signature of data (dn bytes) by key. */
static int sig_ok(EVP_PKEY *key, const char *alg, const unsigned char *data, size_t dn,
                  const unsigned char *sig, size_t sn)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    unsigned char *der = NULL;
    ECDSA_SIG *es = NULL;
    int ok = 0;
    if (!md || EVP_DigestVerifyInit(md, &pctx, EVP_sha256(), NULL, key) <= 0) goto out;
    if (strcmp(alg, "PS256") == 0) {
        if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) <= 0 ||
            EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) <= 0 ||
            EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) <= 0)
            goto out;
    } else if (strcmp(alg, "RS256") == 0) {
        if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) <= 0) goto out;
    } else {
        /* JWS carries ES256 as r || s, 32 bytes each; OpenSSL wants DER. */
        if (sn != 64) goto out;
        es = ECDSA_SIG_new();
        BIGNUM *r = BN_bin2bn(sig, 32, NULL), *s = BN_bin2bn(sig + 32, 32, NULL);
        if (!es || !r || !s || !ECDSA_SIG_set0(es, r, s)) {
            BN_free(r);
            BN_free(s);
            goto out;
        }
        int len = i2d_ECDSA_SIG(es, &der);
        if (len <= 0) goto out;
        sig = der;
        sn = (size_t)len;
    }
    ok = EVP_DigestVerify(md, sig, sn, data, dn) == 1;
out:
    OPENSSL_free(der);
    ECDSA_SIG_free(es);
    EVP_MD_CTX_free(md);
    return ok;
}

/* The integer claim name (a JSON number, integral), or -1 when absent or
 * not one. */
static long long claim_time(json_t *c, const char *name)
{
    json_t *v = json_object_get(c, name);
    if (json_is_integer(v)) return json_integer_value(v) >= 0 ? json_integer_value(v) : -1;
    if (json_is_real(v) && json_real_value(v) >= 0 && json_real_value(v) < 1e15)
        return (long long)json_real_value(v);
    return -1;
}

static JwtStatus check_claims(json_t *c, const JwtExpect *e, Buf *why)
{
    const char *iss = json_string_value(json_object_get(c, "iss"));
    if (!iss || strcmp(iss, e->issuer) != 0) {
        buf_printf(why, "the ID token's issuer is not %s", e->issuer);
        return JWT_ISSUER;
    }
    json_t *aud = json_object_get(c, "aud");
    int ours = 0;
    size_t naud = 0;
    if (json_is_string(aud)) {
        naud = 1;
        ours = strcmp(json_string_value(aud), e->client_id) == 0;
    } else if (json_is_array(aud)) {
        size_t k;
        json_t *a;
        json_array_foreach(aud, k, a) {
            naud++;
            if (json_is_string(a) && strcmp(json_string_value(a), e->client_id) == 0) ours = 1;
        }
    }
    json_t *azp = json_object_get(c, "azp");
    if (!ours || (azp && (!json_is_string(azp) ||
                          strcmp(json_string_value(azp), e->client_id) != 0)) ||
        (naud > 1 && !azp)) {
        buf_printf(why, "the ID token was issued for another client (aud/azp)");
        return JWT_AUDIENCE;
    }
    long long exp = claim_time(c, "exp"), iat = claim_time(c, "iat"), nbf = claim_time(c, "nbf");
    long long now = (long long)e->now;
    if (exp < 0 || now > exp + e->skew) {
        buf_printf(why, "the ID token has expired (exp)");
        return JWT_EXPIRED;
    }
    if (iat < 0 || iat > now + e->skew ||
        (json_object_get(c, "nbf") && (nbf < 0 || nbf > now + e->skew))) {
        buf_printf(why, "the ID token is not valid yet (iat/nbf in the future)");
        return JWT_NOT_YET;
    }
    const char *nonce = json_string_value(json_object_get(c, "nonce"));
    size_t nl = nonce ? strlen(nonce) : 0;
    if (!nonce || nl != strlen(e->nonce) || sodium_memcmp(nonce, e->nonce, nl) != 0) {
        buf_printf(why, "the ID token's nonce is %s", nonce ? "not this sign-in's" : "missing");
        return JWT_NONCE;
    }
    const char *sub = json_string_value(json_object_get(c, "sub"));
    if (!sub || !*sub || strlen(sub) > 255) {
        buf_printf(why, "the ID token has no usable subject (sub)");
        return JWT_SUBJECT;
    }
    return JWT_OK;
}

JwtStatus jwt_verify(const char *token, const char *jwks, const JwtExpect *e, json_t **claims,
                     Buf *why)
{
    *claims = NULL;
    char alg[16], kid[128];
    JwtStatus st = jwt_header(token, alg, kid);
    if (st == JWT_ALG) {
        buf_printf(why, "the ID token is signed with %s, which is not allowed (RS256, PS256, "
                        "ES256 only)", alg);
        return st;
    }
    if (st) {
        buf_printf(why, "the ID token is not a signed JWT");
        return st;
    }
    size_t hn, pn, sn;
    split(token, &hn, &pn, &sn);
    EVP_PKEY *key = jwks_find(jwks, kid, alg);
    if (!key) {
        buf_printf(why, "no key of the provider's key set fits the ID token (kid \"%.64s\", %s)",
                   kid, alg);
        return JWT_KID_UNKNOWN;
    }
    unsigned char *sig = NULL;
    size_t siglen;
    json_t *c = NULL;
    st = JWT_MALFORMED;
    if (jwt_b64url_decode(token + hn + pn + 2, sn, &sig, &siglen)) {
        buf_printf(why, "the ID token's signature is not base64url");
        goto out;
    }
    if (!sig_ok(key, alg, (const unsigned char *)token, hn + 1 + pn, sig, siglen)) {
        buf_printf(why, "the ID token's signature does not verify with the provider's key");
        st = JWT_SIGNATURE;
        goto out;
    }
    c = part_json(token + hn + 1, pn);
    if (!c) {
        buf_printf(why, "the ID token's claims are not a JSON object");
        goto out;
    }
    st = check_claims(c, e, why);
    if (st == JWT_OK) {
        *claims = c;
        c = NULL;
    }
out:
    json_decref(c);
    free(sig);
    EVP_PKEY_free(key);
    return st;
}

const char *jwt_status_text(JwtStatus s)
{
    switch (s) {
    case JWT_OK: return "The sign-in was accepted.";
    case JWT_MALFORMED: return "The identity provider's answer could not be read.";
    case JWT_ALG: return "The identity provider signed the sign-in with a method itstrat does not accept.";
    case JWT_KID_UNKNOWN: return "The identity provider signed the sign-in with a key itstrat does not know.";
    case JWT_SIGNATURE: return "The sign-in's signature is not the identity provider's.";
    case JWT_ISSUER: return "The sign-in came from another identity provider than the one configured.";
    case JWT_AUDIENCE: return "The sign-in was meant for another application, not itstrat.";
    case JWT_EXPIRED: return "The sign-in has expired. Try again.";
    case JWT_NOT_YET: return "The sign-in is dated in the future; a clock is wrong. Try again, or tell an administrator.";
    case JWT_NONCE: return "The sign-in does not belong to this attempt. Start again.";
    case JWT_SUBJECT: return "The identity provider did not say who signed in.";
    }
    return "The sign-in was refused.";
}
