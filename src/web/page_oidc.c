/*
 * page_oidc.c — signing in through an OpenID Connect provider
 * (/login/oidc/{provider}, /login/oidc/callback), the provider buttons of
 * the sign-in page, and the provider's end-session redirect at sign-out.
 *
 * The flow is the authorization code flow with PKCE (S256). The start makes
 * a random state, nonce and PKCE verifier, keeps them in oidc_pending under
 * the digest of state together with the digest of a random pre-sign-in
 * cookie (itstrat_oidc, SameSite=Lax so that it comes back on the
 * provider's redirect), and sends the browser to the provider. The callback
 * takes the pending row (deleted as it is read: a state works once), checks
 * that the cookie is the one it was bound to and that it is at most
 * OIDC_PENDING_SECONDS old, exchanges the code (with the verifier) at the
 * token endpoint, checks the ID token (jwt.h, oidc.h), reads userinfo, and
 * then finds the account: linked by (issuer, sub), else an account with the
 * same verified e-mail address (linked now), else a new one when the
 * provider makes accounts (jit). The role comes from the role table each
 * time. Every refusal is written to the audit trail (action login_refused,
 * entity idp, the reason; never a token or a secret) and shown as a
 * sentence on the sign-in page.
 */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "audit.h"
#include "html.h"
#include "idp_secret.h"
#include "json_w.h"
#include "layout.h"
#include "oidc.h"
#include "pages.h"
#include "routes.h"
#include "session.h"
#include "store_idp.h"
#include "store_sessions.h"
#include "store_users.h"

#define OIDC_PENDING_SECONDS 600 /* a sign-in must come back within 10 minutes */
#define OIDC_SKEW_SECONDS 60     /* clock difference allowed for exp, iat, nbf */

/* A whole-number setting, or def. */
static long setting_long(Req *rq, const char *key, long def)
{
    Buf v = BUF_INIT;
    long n = def;
    if (store_setting_get(rq->db, key, &v) == 1) {
        char *end;
        long got = strtol(buf_str(&v), &end, 10);
        if (!*end && end != buf_str(&v) && got >= 0) n = got;
    }
    buf_free(&v);
    return n;
}

/* A text setting as an arena copy, or NULL. */
static const char *setting_text(Req *rq, const char *key)
{
    Buf v = BUF_INIT;
    const char *t = NULL;
    if (store_setting_get(rq->db, key, &v) == 1 && v.n) t = arena_strdup(&rq->arena, buf_str(&v));
    buf_free(&v);
    return t;
}

static void settings_load(Req *rq, OidcSettings *s)
{
    s->ca_file = setting_text(rq, "oidc_ca_file");
    s->timeout_ms = setting_long(rq, "oidc_timeout_ms", 5000);
    s->jwks_seconds = setting_long(rq, "oidc_jwks_seconds", 3600);
    s->refetch_seconds = setting_long(rq, "oidc_refetch_seconds", 60);
}

/* This server's address as the provider sees it: the public_url setting,
 * else the Host of the request. */
static void base_url(Req *rq, Buf *b)
{
    const char *pub = setting_text(rq, "public_url");
    if (pub) {
        size_t n = strlen(pub);
        buf_append(b, pub, n && pub[n - 1] == '/' ? n - 1 : n);
        return;
    }
    buf_printf(b, "%s://%s", web_config.tls_proxy ? "https" : "http",
               rq->host ? rq->host : "127.0.0.1");
}

static const char *redirect_uri(Req *rq)
{
    Buf b = BUF_INIT;
    base_url(rq, &b);
    buf_puts(&b, "/login/oidc/callback");
    const char *t = arena_strdup(&rq->arena, buf_str(&b));
    buf_free(&b);
    return t;
}

void page_oidc_buttons(Req *rq, Buf *b)
{
    IdpRow *a;
    size_t n;
    if (store_idp_list(rq->db, &a, &n)) {
        fprintf(stderr, "itstrat serve: %s\n", db_errmsg(rq->db));
        return;
    }
    size_t shown = 0;
    for (size_t k = 0; k < n; k++) {
        if (strcmp(a[k].kind, "oidc") != 0) continue;
        if (!shown++) html_lit(b, "<ul class=\"links idp-buttons\">\n");
        html_printf(b, "<li><a class=\"button\" href=\"/login/oidc/%s\">%s</a></li>\n",
                    a[k].name, a[k].label);
    }
    if (shown) html_lit(b, "</ul>\n<p class=\"note\">Or with a login and password of itstrat:</p>\n");
    store_idp_list_free(a, n);
}

/* Writes a refusal to the audit trail: provider name (or "?"), a short
 * reason word and the detail for administrators (no secrets). */
static int audit_refusal(Req *rq, const char *provider, const char *reason, const char *detail)
{
    AuditActor a;
    session_actor(rq, "-", &a);
    Buf after = BUF_INIT;
    json_t *j = json_pack("{s:s, s:s}", "reason", reason, "detail", detail ? detail : "");
    char *t = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    buf_puts(&after, t ? t : "{}");
    free(t);
    json_decref(j);
    int rc = -1;
    if (db_begin(rq->db)) goto out;
    if (audit_append(rq->db, &a, "login_refused", "idp", provider ? provider : "?", NULL,
                     buf_str(&after)) ||
        db_commit(rq->db)) {
        db_rollback(rq->db);
        goto out;
    }
    rc = 0;
out:
    buf_free(&after);
    return rc;
}

/* The sign-in failed: audit it and show msg on a page with a way back. */
static int refuse(Req *rq, Resp *rs, int status, const char *provider, const char *reason,
                  const char *detail, const char *msg)
{
    if (audit_refusal(rq, provider, reason, detail)) return -1;
    fprintf(stderr, "itstrat serve: sign-in through %s refused (%s): %s\n",
            provider ? provider : "?", reason, detail ? detail : "");
    Buf *b = &rs->body;
    rs->status = status;
    rs->cache_control = "no-store";
    layout_begin(rq, rs, NAV_NONE, "Sign in");
    html_printf(b, "<p class=\"error-message\" role=\"alert\">%s</p>\n", msg);
    html_lit(b, "<p><a href=\"/login\">Back to the sign-in page</a></p>\n");
    layout_end(rq, rs);
    return 0;
}

/* Builds {"K1": "V1"} or {"K1": "V1", "K2": "V2"} (k2 NULL) into b. */
static void json_obj(Buf *b, const char *k1, const char *v1, const char *k2, const char *v2)
{
    buf_putc(b, '{');
    json_quote(b, k1);
    buf_puts(b, ": ");
    json_quote(b, v1);
    if (k2) {
        buf_puts(b, ", ");
        json_quote(b, k2);
        buf_puts(b, ": ");
        json_quote(b, v2);
    }
    buf_putc(b, '}');
}

/* base64url of SHA-256 of s (the PKCE challenge) into out. */
static void pkce_challenge(const char *verifier, char out[SESSION_TOKEN_CHARS + 1])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)verifier, strlen(verifier));
    sodium_bin2base64(out, SESSION_TOKEN_CHARS + 1, h, sizeof h,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* The local path of ?next= (as page_login.c takes it), else "/". */
static const char *next_of(const Req *rq)
{
    const char *n = query_get(&rq->query, "next");
    if (!n || n[0] != '/' || n[1] == '/' || n[1] == '\\' || strlen(n) > 500) return "/";
    for (const char *p = n; *p; p++)
        if ((unsigned char)*p < 0x21 || *p == '\\') return "/";
    return n;
}

int page_oidc_start(Req *rq, Resp *rs)
{
    const char *name = rq->args[0];
    IdpRow p;
    int found = store_idp_name_valid(name) ? store_idp_get(rq->db, name, &p) : 0;
    if (found < 0) return -1;
    if (!found || strcmp(p.kind, "oidc") != 0) {
        if (found) store_idp_free(&p);
        return http_error(rq, rs, 404, "There is no identity provider \"%s\" here. The sign-in "
                                       "page lists them: /login.", name);
    }
    int rc = -1;
    OidcSettings s;
    settings_load(rq, &s);
    OidcMeta m;
    Buf why = BUF_INIT, to = BUF_INIT;
    OidcError e = oidc_discover(&s, p.issuer, &m, &why);
    if (e) {
        rc = refuse(rq, rs, e == OIDC_SLOW ? 504 : 502, p.name,
                    e == OIDC_SLOW ? "provider_slow" : e == OIDC_DOWN ? "provider_down"
                                                                       : "provider_bad",
                    buf_str(&why), oidc_error_text(e));
        goto out;
    }
    char state[SESSION_TOKEN_CHARS + 1], browser[SESSION_TOKEN_CHARS + 1];
    char challenge[SESSION_TOKEN_CHARS + 1], state_hash[65], now[21], forget[21];
    OidcPending pend;
    memset(&pend, 0, sizeof pend);
    session_random(state);
    session_random(browser);
    session_random(pend.nonce);
    session_random(pend.verifier);
    session_digest(state, state_hash);
    session_digest(browser, pend.browser_hash);
    pkce_challenge(pend.verifier, challenge);
    pend.idp_id = p.id;
    snprintf(pend.next, sizeof pend.next, "%s", next_of(rq));
    session_utc(time(NULL), now);
    session_utc(time(NULL) - OIDC_PENDING_SECONDS, forget);
    snprintf(pend.created_at, sizeof pend.created_at, "%s", now);
    if (db_begin(rq->db)) goto out;
    if (store_oidc_pending_add(rq->db, state_hash, &pend, forget) || db_commit(rq->db)) {
        db_rollback(rq->db);
        goto out;
    }
    session_cookie_lax(rq, rs, OIDC_COOKIE, browser);
    buf_puts(&to, m.authorization_endpoint);
    buf_puts(&to, strchr(m.authorization_endpoint, '?') ? "&" : "?");
    buf_puts(&to, "response_type=code&client_id=");
    html_url_param(&to, p.client_id);
    buf_puts(&to, "&redirect_uri=");
    html_url_param(&to, redirect_uri(rq));
    buf_puts(&to, "&scope=");
    html_url_param(&to, p.scopes);
    buf_printf(&to, "&state=%s&nonce=%s&code_challenge=%s&code_challenge_method=S256", state,
               pend.nonce, challenge);
    rs->cache_control = "no-store";
    rc = http_redirect(rs, arena_strdup(&rq->arena, buf_str(&to)));
    oidc_meta_free(&m);
out:
    buf_free(&why);
    buf_free(&to);
    store_idp_free(&p);
    return rc;
}

/* A string claim of c, else of u (userinfo, may be NULL). */
static const char *claim_str(json_t *c, json_t *u, const char *name)
{
    const char *v = json_string_value(json_object_get(c, name));
    return v ? v : json_string_value(json_object_get(u, name));
}

static json_t *claim(json_t *c, json_t *u, const char *name)
{
    json_t *v = json_object_get(c, name);
    return v ? v : json_object_get(u, name);
}

static int role_rank_of(const char *r)
{
    static const char *const order[] = {"viewer", "contributor", "manager", "admin"};
    for (int k = 0; k < 4; k++)
        if (strcmp(r, order[k]) == 0) return k + 1;
    return 0;
}

/* The highest role the values of claim v (a string or an array of strings)
 * give through table t; "" when none. */
static const char *mapped_role(json_t *v, const IdpRole *t, size_t nt)
{
    const char *best = "";
    size_t nv = json_is_array(v) ? json_array_size(v) : 1;
    for (size_t i = 0; i < nv; i++) {
        const char *val = json_string_value(json_is_array(v) ? json_array_get(v, i) : v);
        if (!val) continue;
        for (size_t k = 0; k < nt; k++)
            if (strcmp(t[k].value, val) == 0 && role_rank_of(t[k].role) > role_rank_of(best))
                best = t[k].role;
    }
    return best;
}

/* 1 when amr (array) or acr (string) holds one of the space-separated
 * values of list. */
static int mfa_by_provider(json_t *c, const char *list)
{
    if (!list || !*list) return 0;
    json_t *amr = json_object_get(c, "amr");
    const char *acr = json_string_value(json_object_get(c, "acr"));
    char *copy = strdup(list), *save = NULL;
    int yes = 0;
    for (char *w = strtok_r(copy, " ,", &save); w && !yes; w = strtok_r(NULL, " ,", &save)) {
        if (acr && strcmp(acr, w) == 0) yes = 1;
        size_t k;
        json_t *a;
        json_array_foreach(amr, k, a) if (json_is_string(a) && strcmp(json_string_value(a), w) == 0) yes = 1;
    }
    free(copy);
    return yes;
}

/* A free login for a new account from the provider's claims into out. */
static int new_login(Req *rq, const char *want, const char *email, const char *sub, char *out,
                     size_t n)
{
    char base[USER_LOGIN_MAX - 3];
    if (want && store_user_login_valid(want) && strlen(want) < sizeof base) {
        snprintf(base, sizeof base, "%s", want);
    } else if (email && strchr(email, '@')) {
        snprintf(base, sizeof base, "%.*s", (int)(strchr(email, '@') - email), email);
    } else {
        base[0] = 0;
    }
    if (!store_user_login_valid(base)) {
        char h[65];
        session_digest(sub, h);
        snprintf(base, sizeof base, "idp-%.12s", h);
    }
    for (int k = 1; k < 100; k++) {
        if (k == 1) snprintf(out, n, "%s", base);
        else snprintf(out, n, "%s-%d", base, k);
        UserRow u;
        int r = store_user_get(rq->db, out, &u);
        if (r < 0) return -1;
        if (r == 0) return 0;
        store_user_free(&u);
    }
    return 1;
}

int page_oidc_callback(Req *rq, Resp *rs)
{
    const char *state = query_get(&rq->query, "state");
    const char *code = query_get(&rq->query, "code");
    const char *error = query_get(&rq->query, "error");
    if (!state || strlen(state) > 100)
        return refuse(rq, rs, 400, NULL, "state_missing", "the callback has no state",
                      "This sign-in has no state: start again from the sign-in page.");
    char state_hash[65];
    session_digest(state, state_hash);
    OidcPending pend;
    if (db_begin(rq->db)) return -1;
    int r = store_oidc_pending_take(rq->db, state_hash, &pend);
    if (r < 0 || db_commit(rq->db)) {
        db_rollback(rq->db);
        return -1;
    }
    session_cookie_lax(rq, rs, OIDC_COOKIE, NULL);
    if (r == 0)
        return refuse(rq, rs, 400, NULL, "state_unknown",
                      "the state is unknown or was used already",
                      "This sign-in is not known or was used already. Start again from the "
                      "sign-in page.");
    char browser_hash[65];
    session_digest(rq->cookie_oidc ? rq->cookie_oidc : "", browser_hash);
    IdpRow p;
    int found = store_idp_get_id(rq->db, pend.idp_id, &p);
    if (found < 0) return -1;
    if (!found)
        return refuse(rq, rs, 400, NULL, "provider_removed", "the provider was removed",
                      "This identity provider is no longer configured.");
    int rc = -1;
    OidcMeta m;
    memset(&m, 0, sizeof m);
    Buf why = BUF_INIT, idt = BUF_INIT, at = BUF_INIT, secret = BUF_INIT;
    json_t *claims = NULL, *info = NULL;
    IdpRole *table = NULL;
    size_t ntable = 0;
    UserRow u;
    int have_user = 0;
    char now[21];
    time_t t_now = time(NULL);
    session_utc(t_now, now);
    if (!rq->cookie_oidc || sodium_memcmp(browser_hash, pend.browser_hash, 64) != 0) {
        rc = refuse(rq, rs, 400, p.name, "browser_mismatch",
                    "the pre-sign-in cookie is missing or not the one of this state",
                    "This sign-in was started in another browser (or its cookie is gone). "
                    "Start again from the sign-in page.");
        goto out;
    }
    char oldest[21];
    session_utc(t_now - OIDC_PENDING_SECONDS, oldest);
    if (strcmp(pend.created_at, oldest) < 0) {
        rc = refuse(rq, rs, 400, p.name, "state_expired", "the sign-in took over 10 minutes",
                    "This sign-in took too long. Start again from the sign-in page.");
        goto out;
    }
    if (error || !code) {
        char d[200];
        snprintf(d, sizeof d, "the provider answered error=%.60s", error ? error : "(no code)");
        rc = refuse(rq, rs, 401, p.name, "provider_error", d,
                    "The identity provider did not sign you in. Try again, or ask your IT "
                    "department.");
        goto out;
    }
    OidcSettings s;
    settings_load(rq, &s);
    OidcError e = oidc_discover(&s, p.issuer, &m, &why);
    if (!e && p.client_secret && idp_secret_open(db_path(rq->db), p.client_secret, &secret, &why)) {
        rc = refuse(rq, rs, 500, p.name, "secret", buf_str(&why),
                    "itstrat's configuration of this identity provider is broken. Tell an "
                    "administrator.");
        goto out;
    }
    if (!e)
        e = oidc_exchange(&s, &m, p.client_id, p.client_secret ? buf_str(&secret) : NULL, code,
                          redirect_uri(rq), pend.verifier, &idt, &at, &why);
    if (e) {
        rc = refuse(rq, rs, e == OIDC_SLOW ? 504 : 502, p.name,
                    e == OIDC_SLOW ? "provider_slow" : e == OIDC_DOWN ? "provider_down"
                                                                       : "provider_bad",
                    buf_str(&why), oidc_error_text(e));
        goto out;
    }
    JwtExpect want = {p.issuer, p.client_id, pend.nonce, t_now, OIDC_SKEW_SECONDS};
    OidcError fe;
    JwtStatus js = oidc_check(&s, p.issuer, &m, buf_str(&idt), &want, &claims, &fe, &why);
    if (js) {
        static const char *const words[] = {"ok", "malformed", "alg", "kid_unknown", "signature",
                                            "issuer", "audience", "expired", "not_yet", "nonce",
                                            "subject"};
        rc = refuse(rq, rs, fe ? 502 : 401, p.name, words[js], buf_str(&why),
                    fe ? oidc_error_text(fe) : jwt_status_text(js));
        goto out;
    }
    const char *sub = json_string_value(json_object_get(claims, "sub"));
    if (m.userinfo_endpoint && at.n) {
        buf_reset(&why);
        e = oidc_userinfo(&s, &m, buf_str(&at), &info, &why);
        if (e) {
            rc = refuse(rq, rs, e == OIDC_SLOW ? 504 : 502, p.name, "userinfo", buf_str(&why),
                        oidc_error_text(e));
            goto out;
        }
        const char *usub = json_string_value(json_object_get(info, "sub"));
        if (!usub || strcmp(usub, sub) != 0) {
            rc = refuse(rq, rs, 401, p.name, "userinfo_sub",
                        "userinfo is about another subject than the ID token",
                        "The identity provider's answers do not agree. Tell an administrator.");
            goto out;
        }
    }
    const char *email = claim_str(claims, info, "email");
    json_t *ev = claim(claims, info, "email_verified");
    int email_ok = email && json_is_true(ev) && strlen(email) <= 254;
    if (store_idp_role_list(rq->db, p.id, &table, &ntable)) goto out;
    const char *role = mapped_role(claim(claims, info, p.role_claim), table, ntable);
    int64_t uid = store_identity_user(rq->db, p.issuer, sub);
    if (uid < 0) goto out;
    if (uid > 0) {
        int g = store_user_get_id(rq->db, uid, &u);
        if (g < 0) goto out;
        have_user = g;
    }
    if (!have_user && email && !email_ok) {
        rc = refuse(rq, rs, 403, p.name, "email_unverified",
                    "the e-mail claim is not verified (email_verified is not true)",
                    "Your identity provider has not verified your e-mail address, so itstrat "
                    "cannot match it to an account. Ask your IT department.");
        goto out;
    }
    if (!*role) {
        rc = refuse(rq, rs, 403, p.name, "no_role",
                    "no value of the role claim is in the provider's role table",
                    "Your account at the identity provider is in no group that has a role in "
                    "itstrat. Ask an administrator to give your group a role.");
        goto out;
    }
    if (!have_user && email_ok) {
        int g = store_user_get_email(rq->db, email, &u);
        if (g < 0) goto out;
        have_user = g;
    }
    if (db_begin(rq->db)) goto out;
    AuditActor a;
    if (!have_user) {
        if (!p.jit) {
            db_rollback(rq->db);
            rc = refuse(rq, rs, 403, p.name, "no_account",
                        "no account is linked to this identity or has its verified e-mail",
                        "There is no itstrat account for you yet. Ask an administrator to "
                        "create one with your e-mail address.");
            goto out;
        }
        char login[USER_LOGIN_MAX + 1];
        int g = new_login(rq, claim_str(claims, info, "preferred_username"), email, sub, login,
                          sizeof login);
        int64_t id;
        if (g || store_user_create(rq->db, login, claim_str(claims, info, "name"), role, "!",
                                   &id) ||
            (email_ok && store_user_set_email(rq->db, id, email)))
            goto rollback;
        session_actor(rq, login, &a);
        Buf after = BUF_INIT;
        json_obj(&after, "role", role, "idp", p.name);
        g = audit_append(rq->db, &a, "create", "user", login, NULL, buf_str(&after));
        buf_free(&after);
        if (g || store_user_get_id(rq->db, id, &u) != 1) goto rollback;
        have_user = 1;
    } else {
        if (u.disabled) {
            db_rollback(rq->db);
            rc = refuse(rq, rs, 403, p.name, "disabled", "the account is disabled",
                        "This account is disabled. Ask an administrator.");
            goto out;
        }
        if (strcmp(u.role, role) != 0) {
            /* The provider's groups decide the role, at each sign-in. */
            session_actor(rq, u.login, &a);
            Buf before = BUF_INIT, after = BUF_INIT;
            json_obj(&before, "role", u.role, NULL, NULL);
            json_obj(&after, "role", role, NULL, NULL);
            int g = store_user_set_role(rq->db, u.id, role) ||
                    audit_append(rq->db, &a, "role", "user", u.login, buf_str(&before),
                                 buf_str(&after));
            buf_free(&before);
            buf_free(&after);
            if (g) goto rollback;
        }
        if (email_ok && (!u.email || strcasecmp(u.email, email) != 0)) {
            UserRow other;
            int g = store_user_get_email(rq->db, email, &other);
            if (g < 0) goto rollback;
            if (g) store_user_free(&other);
            else if (store_user_set_email(rq->db, u.id, email)) goto rollback;
        }
    }
    int mfa = mfa_by_provider(claims, p.mfa_values);
    if (store_identity_link(rq->db, p.issuer, sub, u.id, now) || store_user_login_ok(rq->db, u.id))
        goto rollback;
    /* An account with its own second factor that the provider did not
     * vouch for still gives its code (/login/code). */
    int pending = u.totp_secret && !mfa;
    if (session_start(rq, rs, u.id, pending) ||
        store_session_set_idp(rq->db, rq->session_hash, p.id, mfa))
        goto rollback;
    session_actor(rq, u.login, &a);
    Buf after = BUF_INIT;
    json_obj(&after, "idp", p.name, "mfa", mfa ? "provider" : pending ? "code" : "none");
    int g = audit_append(rq->db, &a, "login", "user", u.login, NULL, buf_str(&after));
    buf_free(&after);
    if (g || db_commit(rq->db)) goto rollback;
    session_cookie(rq, rs, LOGIN_COOKIE, NULL);
    /* The browser arrives here from the provider (a cross-site navigation),
     * so it would not send the new SameSite=Strict cookie on a redirect; a
     * page of ours that moves on is a same-site navigation that does. */
    Buf to = BUF_INIT;
    if (pending) {
        buf_puts(&to, "/login/code?next=");
        html_url_param(&to, pend.next);
    } else {
        buf_puts(&to, pend.next);
    }
    Buf *b = &rs->body;
    rs->status = 200;
    rs->cache_control = "no-store";
    layout_begin(rq, rs, NAV_NONE, "Signed in");
    html_printf(b, "<meta http-equiv=\"refresh\" content=\"0;url=%s\">\n<p role=\"status\">You "
                   "are signed in as <code>%s</code>. <a id=\"continue\" href=\"%s\">Continue"
                   "</a></p>\n", buf_str(&to), u.login, buf_str(&to));
    layout_end(rq, rs);
    buf_free(&to);
    rc = 0;
    goto out;
rollback:
    db_rollback(rq->db);
out:
    if (have_user) store_user_free(&u);
    free(table);
    json_decref(claims);
    json_decref(info);
    oidc_meta_free(&m);
    if (secret.a) sodium_memzero(secret.a, secret.n);
    buf_free(&secret);
    buf_free(&why);
    buf_free(&idt);
    buf_free(&at);
    store_idp_free(&p);
    return rc;
}

const char *page_oidc_logout_target(Req *rq)
{
    if (!rq->session_hash) return NULL;
    int64_t id = store_session_idp(rq->db, rq->session_hash);
    if (id <= 0) return NULL;
    IdpRow p;
    if (store_idp_get_id(rq->db, id, &p) != 1) return NULL;
    OidcSettings s;
    settings_load(rq, &s);
    OidcMeta m;
    Buf why = BUF_INIT, to = BUF_INIT, home = BUF_INIT;
    const char *target = NULL;
    if (oidc_discover(&s, p.issuer, &m, &why) == OIDC_OK) {
        if (m.end_session_endpoint) {
            base_url(rq, &home);
            buf_puts(&home, "/");
            buf_puts(&to, m.end_session_endpoint);
            buf_puts(&to, strchr(m.end_session_endpoint, '?') ? "&" : "?");
            buf_puts(&to, "client_id=");
            html_url_param(&to, p.client_id);
            buf_puts(&to, "&post_logout_redirect_uri=");
            html_url_param(&to, buf_str(&home));
            target = arena_strdup(&rq->arena, buf_str(&to));
        }
        oidc_meta_free(&m);
    } else {
        fprintf(stderr, "itstrat serve: sign-out at %s skipped: %s\n", p.name, buf_str(&why));
    }
    buf_free(&why);
    buf_free(&to);
    buf_free(&home);
    store_idp_free(&p);
    return target;
}
