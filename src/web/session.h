/*
 * session.h — who is asking: the session cookie of a signed-in person, or
 * the API token of a program; and the request-forgery check of forms.
 *
 * A session is a random 256-bit token in the cookie itstrat_session
 * (HttpOnly, SameSite=Strict, Path=/, Secure when a TLS proxy fronts the
 * server); the session table keeps its BLAKE2b-256 digest, the account, a
 * per-session CSRF token, and when it started and was last used. A session
 * ends after SESSION_IDLE_SECONDS without a request or SESSION_MAX_SECONDS
 * after sign-in, whichever comes first, at sign-out, at "sign out
 * everywhere", and when the password changes or the account is disabled.
 *
 * An API token arrives as "Authorization: Bearer itst_..." and is checked
 * the same way (digest lookup), plus scope, expiry and revocation.
 */
#ifndef ITSTRAT_SESSION_H
#define ITSTRAT_SESSION_H
#include <stdint.h>
#include <time.h>

#include "http.h"

#define SESSION_COOKIE "itstrat_session"
#define LOGIN_COOKIE "itstrat_login"      /* binds the sign-in form to its browser */
#define OIDC_COOKIE "itstrat_oidc"        /* binds a provider sign-in to its browser (Lax) */
#define SESSION_IDLE_SECONDS (30 * 60)    /* ends after 30 minutes without a request */
#define SESSION_MAX_SECONDS (12 * 3600)   /* and 12 hours after sign-in */
/* last_seen is written at most every 5 minutes: each write is a commit,
 * and every commit makes the other workers drop their page cache (cache.h),
 * so a busy office must not write one per request. The idle expiry then
 * falls between 25 and 30 minutes after the last request. */
#define SESSION_TOUCH_SECONDS 300
#define SESSION_TOKEN_CHARS 43            /* base64url of 32 random bytes */
#define TOKEN_PREFIX "itst_"              /* API tokens start with this */

/* The hex BLAKE2b-256 digest of a cookie or token value. */
void session_digest(const char *token, char out[65]);

/* A new random token (base64url, SESSION_TOKEN_CHARS characters). */
void session_random(char out[SESSION_TOKEN_CHARS + 1]);

/* Reads the cookie or bearer token of rq and fills rq->user, rq->csrf,
 * rq->by_token, rq->pending_user, rq->must_enrol. An expired or unknown
 * session clears the cookie (rs) and leaves rq anonymous; an unusable
 * bearer token (unknown, expired, revoked, disabled account) answers 401 and
 * returns 1. Returns 0 to go on, 1 when rs holds the answer, -1 on a
 * database error. */
int session_resolve(Req *rq, Resp *rs);

/* Starts a session for account user_id (mfa_pending: the second factor is
 * still to come): stores it, ends the request's old session if any, and
 * sets the cookie on rs. 0 or -1. */
int session_start(Req *rq, Resp *rs, int64_t user_id, int mfa_pending);

/* Ends the request's session (if any) and clears the cookie. 0 or -1. */
int session_end(Req *rq, Resp *rs);

/* Adds a Set-Cookie of name=value (value NULL: clear it) to rs. */
void session_cookie(Req *rq, Resp *rs, const char *name, const char *value);

/* The same with SameSite=Lax: for the cookie that must come back on the
 * identity provider's redirect (a cross-site navigation; page_oidc.c). */
void session_cookie_lax(Req *rq, Resp *rs, const char *name, const char *value);

/* 1 when the form field _csrf of rq's body equals the session's token (or,
 * with no session, the sign-in cookie's value) and the Origin header, when
 * sent, names this host; 0 otherwise. */
int session_csrf_ok(const Req *rq);

/* Writes the hidden _csrf field of a form for rq into b. */
void session_csrf_field(const Req *rq, Buf *b);

/* Fills a with the web actor of rq for the audit trail: login (NULL: the
 * signed-in account's), via "web" (or "api" under /api/), the client's
 * address. */
struct AuditActor;
void session_actor(const Req *rq, const char *login, struct AuditActor *a);

/* The UTC time t as 'YYYY-MM-DDTHH:MM:SSZ' (how the tables keep times). */
void session_utc(time_t t, char out[21]);

/* 1 when the admin requires every account to use a second factor. */
int session_mfa_required(Req *rq);

#endif
