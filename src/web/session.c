/* session.c — sessions, API tokens and the CSRF check (session.h). */
#define _GNU_SOURCE /* timegm */
#include "session.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "html.h"
#include "routes.h"
#include "store_sessions.h"

void session_digest(const char *token, char out[65])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
    sodium_bin2hex(out, 65, h, sizeof h);
}

void session_random(char out[SESSION_TOKEN_CHARS + 1])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, SESSION_TOKEN_CHARS + 1, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void session_utc(time_t t, char out[21])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Seconds since the epoch of a UTC text 'YYYY-MM-DDTHH:MM:SSZ'; 0 if bad. */
static time_t utc_parse(const char *s)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                     &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
        return 0;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return timegm(&tm);
}

static Role role_rank(const char *role)
{
    static const struct { const char *name; Role rank; } t[] = {
        {"viewer", ROLE_VIEWER}, {"contributor", ROLE_CONTRIBUTOR},
        {"manager", ROLE_MANAGER}, {"admin", ROLE_ADMIN}};
    for (size_t k = 0; k < sizeof t / sizeof *t; k++)
        if (strcmp(role, t[k].name) == 0) return t[k].rank;
    return ROLE_NONE;
}

static ReqUser *req_user(Req *rq, int64_t id, const char *login, const char *name,
                         const char *role)
{
    ReqUser *u = arena_alloc(&rq->arena, sizeof *u);
    u->id = id;
    u->login = arena_strdup(&rq->arena, login);
    u->name = arena_strdup(&rq->arena, name ? name : "");
    u->role = arena_strdup(&rq->arena, role);
    u->rank = role_rank(role);
    return u;
}

void session_actor(const Req *rq, const char *login, AuditActor *a)
{
    memset(a, 0, sizeof *a);
    if (!login) login = rq->user ? rq->user->login : "?";
    snprintf(a->login, sizeof a->login, "%s", *login ? login : "?");
    a->via = http_is_api(rq) ? "api" : "web";
    snprintf(a->address, sizeof a->address, "%s", rq->client ? rq->client : "");
}

int session_mfa_required(Req *rq)
{
    Buf v = BUF_INIT;
    int r = store_setting_get(rq->db, "require_mfa", &v);
    int on = r == 1 && strcmp(buf_str(&v), "1") == 0;
    buf_free(&v);
    return on;
}

/* The bearer token of rq: 0 none, 1 accepted, 2 answered 401, -1 error. */
static int resolve_token(Req *rq, Resp *rs)
{
    const char *a = rq->authorization;
    if (!a) return 0;
    if (strncmp(a, "Bearer ", 7) != 0) {
        http_error(rq, rs, 401, "The Authorization header must be \"Bearer TOKEN\" with an API "
                                "token from your account page.");
        return 2;
    }
    const char *tok = a + 7;
    char h[65];
    session_digest(tok, h);
    TokenRow t;
    int r = store_token_get(rq->db, h, &t);
    if (r < 0) return -1;
    char now[21];
    session_utc(time(NULL), now);
    const char *why = NULL;
    if (r == 0 || strncmp(tok, TOKEN_PREFIX, strlen(TOKEN_PREFIX)) != 0)
        why = "This API token is not known. Create one on your account page (/account).";
    else if (t.revoked_at[0])
        why = "This API token was revoked. Create a new one on your account page (/account).";
    else if (t.expires_at[0] && strcmp(t.expires_at, now) <= 0)
        why = "This API token has expired. Create a new one on your account page (/account).";
    else if (t.disabled)
        why = "The account of this API token is disabled; ask an administrator.";
    if (why) {
        http_error(rq, rs, 401, "%s", why);
        return 2;
    }
    rq->user = req_user(rq, t.user_id, t.login, "", t.role);
    rq->by_token = 1;
    rq->token_write = strcmp(t.scope, "write") == 0;
    return 1;
}

int session_resolve(Req *rq, Resp *rs)
{
    int t = resolve_token(rq, rs);
    if (t) return t < 0 ? -1 : t == 2 ? 1 : 0;
    const char *c = rq->cookie_session;
    if (!c) return 0;
    char h[65];
    session_digest(c, h);
    SessionRow s;
    int r = store_session_get(rq->db, h, &s);
    if (r < 0) return -1;
    time_t now = time(NULL);
    if (r == 1 && !s.disabled && now - utc_parse(s.last_seen) < SESSION_IDLE_SECONDS &&
        now - utc_parse(s.created_at) < SESSION_MAX_SECONDS) {
        rq->session_hash = arena_strdup(&rq->arena, h);
        rq->csrf = arena_strdup(&rq->arena, s.csrf);
        if (s.mfa_pending) {
            rq->pending_user = s.user_id;
            return 0;
        }
        rq->user = req_user(rq, s.user_id, s.login, s.name, s.role);
        if (!s.has_totp && s.mfa_required) rq->must_enrol = 1;
        if (now - utc_parse(s.last_seen) >= SESSION_TOUCH_SECONDS) {
            char seen[21];
            session_utc(now, seen);
            if (store_session_touch(rq->db, h, seen)) return -1;
        }
        return 0;
    }
    /* Unknown, expired or of a disabled account: forget it on both sides. */
    if (r == 1 && store_session_delete(rq->db, h)) return -1;
    session_cookie(rq, rs, SESSION_COOKIE, NULL);
    return 0;
}

/* Adds a Set-Cookie of name=value (NULL: cleared) with SameSite=same. */
static void cookie_add(Req *rq, Resp *rs, const char *name, const char *value, const char *same)
{
    if (rs->nset_cookie >= (int)(sizeof rs->set_cookie / sizeof *rs->set_cookie)) return;
    Buf b = BUF_INIT;
    /* name and value are ours (a constant, base64url): nothing to escape. */
    buf_printf(&b, "%s=%s; Path=/; HttpOnly; SameSite=%s%s%s", name, value ? value : "", same,
               web_config.tls_proxy ? "; Secure" : "", value ? "" : "; Max-Age=0");
    rs->set_cookie[rs->nset_cookie++] = arena_strdup(&rq->arena, buf_str(&b));
    buf_free(&b);
}

void session_cookie(Req *rq, Resp *rs, const char *name, const char *value)
{
    cookie_add(rq, rs, name, value, "Strict");
}

void session_cookie_lax(Req *rq, Resp *rs, const char *name, const char *value)
{
    cookie_add(rq, rs, name, value, "Lax");
}

int session_start(Req *rq, Resp *rs, int64_t user_id, int mfa_pending)
{
    char tok[SESSION_TOKEN_CHARS + 1], csrf[SESSION_TOKEN_CHARS + 1], h[65], now[21];
    session_random(tok);
    session_random(csrf);
    session_digest(tok, h);
    session_utc(time(NULL), now);
    /* A new token at every step (no session fixation); old ones go. */
    if (rq->session_hash && store_session_delete(rq->db, rq->session_hash)) return -1;
    char idle[21], created[21];
    session_utc(time(NULL) - SESSION_IDLE_SECONDS, idle);
    session_utc(time(NULL) - SESSION_MAX_SECONDS, created);
    if (store_session_prune(rq->db, idle, created)) return -1;
    if (store_session_create(rq->db, h, user_id, csrf, rq->client, mfa_pending, now)) return -1;
    rq->session_hash = arena_strdup(&rq->arena, h);
    rq->csrf = arena_strdup(&rq->arena, csrf);
    session_cookie(rq, rs, SESSION_COOKIE, tok);
    return 0;
}

int session_end(Req *rq, Resp *rs)
{
    if (rq->session_hash && store_session_delete(rq->db, rq->session_hash)) return -1;
    rq->session_hash = NULL;
    rq->user = NULL;
    session_cookie(rq, rs, SESSION_COOKIE, NULL);
    return 0;
}

/* Whether the Origin header (when sent) is this server: http(s)://HOST. */
static int origin_ok(const Req *rq)
{
    const char *o = rq->origin;
    if (!o) return 1;
    if (!rq->host) return 0;
    const char *rest = strncmp(o, "http://", 7) == 0    ? o + 7
                       : strncmp(o, "https://", 8) == 0 ? o + 8
                                                        : NULL;
    return rest && strcmp(rest, rq->host) == 0;
}

int session_csrf_ok(const Req *rq)
{
    const char *want = rq->csrf ? rq->csrf : rq->cookie_login;
    const char *got = query_get(&rq->form, "_csrf");
    if (!want || !got || !origin_ok(rq)) return 0;
    size_t n = strlen(want);
    return n == strlen(got) && n > 0 && sodium_memcmp(want, got, n) == 0;
}

void session_csrf_field(const Req *rq, Buf *b)
{
    const char *t = rq->csrf ? rq->csrf : rq->cookie_login;
    html_printf(b, "<input type=\"hidden\" name=\"_csrf\" value=\"%s\">", t ? t : "");
}
