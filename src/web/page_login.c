/*
 * page_login.c — signing in and out (/login, /login/code, /logout).
 *
 * Sign-in is two steps when the account has TOTP: the password opens a
 * session marked mfa_pending that reaches only /login/code; the right code
 * (or an unused recovery code) replaces it with a full session under a new
 * token. Failed attempts back off per account (SIGNIN_FREE_FAILURES, then a
 * lock of 1, 2, 4 ... up to SIGNIN_MAX_LOCK_MINUTES minutes) and per address
 * (SIGNIN_ADDRESS_FAILURES within SIGNIN_ADDRESS_WINDOW minutes). An unknown
 * login costs the same Argon2id time as a known one, and a locked account
 * answers as a wrong password does, so neither the answer nor its timing
 * tells which logins exist.
 */
#define _GNU_SOURCE /* timegm */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "audit.h"
#include "form.h"
#include "html.h"
#include "layout.h"
#include "pages.h"
#include "password.h"
#include "session.h"
#include "signin.h"
#include "store_sessions.h"
#include "store_users.h"
#include "totp.h"

#define SIGNIN_FREE_FAILURES 5       /* failures before the account locks */
#define SIGNIN_MAX_LOCK_MINUTES 60
#define SIGNIN_ADDRESS_FAILURES 20   /* failures from one address ... */
#define SIGNIN_ADDRESS_WINDOW 15     /* ... within this many minutes */
/* The one answer to a wrong login, a wrong password and a locked account. */
#define SIGNIN_WRONG                                                                             \
    "The login or the password is wrong. Check both and try again. (After 5 failed sign-ins "  \
    "in a row an account is refused for a while, even with the right password: wait a few "    \
    "minutes, or ask an administrator to unlock it.)"

/* The address to go to after signing in: a local path from ?next= or the
 * form, else "/". Anything else (another site, "//host") is ignored. */
static const char *next_path(const Req *rq)
{
    const char *n = query_get(&rq->form, "next");
    if (!n) n = query_get(&rq->query, "next");
    if (!n || n[0] != '/' || n[1] == '/' || n[1] == '\\' || strlen(n) > 500) return "/";
    for (const char *p = n; *p; p++)
        if ((unsigned char)*p < 0x21 || *p == '\\') return "/";
    return n;
}

/* Runs audit_append for a sign-in event in its own transaction. */
static int audit_signin(Req *rq, const char *login, const char *action)
{
    AuditActor a;
    session_actor(rq, login, &a);
    if (db_begin(rq->db)) return -1;
    if (audit_append(rq->db, &a, action, "user", login, NULL, NULL) || db_commit(rq->db)) {
        db_rollback(rq->db);
        return -1;
    }
    return 0;
}

static void signin_form(Req *rq, Resp *rs, const char *login, const char *msg, int status)
{
    Buf *b = &rs->body;
    rs->status = status;
    /* The form's CSRF token is a cookie of its own until a session exists. */
    if (!rq->csrf && !rq->cookie_login) {
        char t[SESSION_TOKEN_CHARS + 1];
        session_random(t);
        rq->cookie_login = arena_strdup(&rq->arena, t);
        session_cookie(rq, rs, LOGIN_COOKIE, t);
    }
    layout_begin(rq, rs, NAV_NONE, "Sign in");
    if (msg) html_printf(b, "<p class=\"error-message\" role=\"alert\">%s</p>\n", msg);
    page_oidc_buttons(rq, b);
    form_begin(rq, b, "/login");
    html_printf(b, "<input type=\"hidden\" name=\"next\" value=\"%s\">\n", next_path(rq));
    form_field(b, FORM_CODE, "login", "Login", login, NULL, 1, NULL, "username");
    form_field(b, FORM_PASSWORD, "password", "Password", NULL, NULL, 1, NULL,
               "current-password");
    form_end(b, "Sign in");
    html_lit(b, "<p class=\"note\">Forgotten your password? An administrator can set a new one "
                "(<code>itstrat user passwd LOGIN</code>).</p>\n");
    layout_end(rq, rs);
}

/* A failed attempt on account u (may be NULL: unknown login): counts it for
 * the address and the account, locking the account when it must. */
static int count_failure(Req *rq, const UserRow *u)
{
    time_t now = time(NULL);
    char t[21], forget[21], until[21];
    session_utc(now, t);
    session_utc(now - 24 * 3600, forget);
    if (db_begin(rq->db)) return -1;
    if (store_login_failure_add(rq->db, rq->client, t, forget)) goto fail;
    if (u) {
        int n = u->failed_logins + 1;
        const char *lock = NULL;
        if (n >= SIGNIN_FREE_FAILURES) {
            int shift = n - SIGNIN_FREE_FAILURES;
            long minutes = shift >= 6 ? SIGNIN_MAX_LOCK_MINUTES : 1L << shift;
            if (minutes > SIGNIN_MAX_LOCK_MINUTES) minutes = SIGNIN_MAX_LOCK_MINUTES;
            session_utc(now + minutes * 60, until);
            lock = until;
        }
        int count;
        if (store_user_login_failed(rq->db, u->id, lock, &count)) goto fail;
        if (lock && n == SIGNIN_FREE_FAILURES) {
            AuditActor a;
            session_actor(rq, u->login, &a);
            if (audit_append(rq->db, &a, "lock", "user", u->login, NULL, NULL)) goto fail;
        }
    }
    if (db_commit(rq->db)) goto fail;
    return 0;
fail:
    db_rollback(rq->db);
    return -1;
}

/* 1 when the client's address has failed too often lately (rs answered). */
static int address_blocked(Req *rq, Resp *rs, int *err)
{
    char since[21];
    session_utc(time(NULL) - SIGNIN_ADDRESS_WINDOW * 60, since);
    int64_t n = store_login_failure_count(rq->db, rq->client, since);
    if (n < 0) {
        *err = 1;
        return 1;
    }
    if (n < SIGNIN_ADDRESS_FAILURES) return 0;
    http_error(rq, rs, 429, "Too many failed sign-ins from your address. Wait %d minutes and try "
                            "again.", SIGNIN_ADDRESS_WINDOW);
    return 1;
}

/* A locked account's message ("" when not locked). */
static int locked(const UserRow *u, char *msg, size_t n)
{
    char now[21];
    session_utc(time(NULL), now);
    if (!u->locked_until || strcmp(u->locked_until, now) <= 0) return 0;
    snprintf(msg, n, "After repeated failed sign-ins this account is locked until %.5s UTC. Try "
             "again then, or ask an administrator to unlock it.", u->locked_until + 11);
    return 1;
}

int signin_password_again(Req *rq, const UserRow *u, const char *pw)
{
    char msg[300];
    if (!pw || locked(u, msg, sizeof msg)) return 0;
    if (strlen(pw) <= PASSWORD_MAX_BYTES && password_verify(u->password_hash, pw) == 1) return 1;
    if (count_failure(rq, u)) fprintf(stderr, "itstrat serve: %s\n", db_errmsg(rq->db));
    return 0;
}

/* 0 when the admin turned local passwords off (setting local_passwords =
 * off) and login is not the break-glass account (setting break_glass_login);
 * else 1. A database error counts as off for everyone but break-glass. */
static int local_password_allowed(Req *rq, const char *login)
{
    Buf v = BUF_INIT, bg = BUF_INIT;
    int r = store_setting_get(rq->db, "local_passwords", &v);
    int off = r < 0 || (r == 1 && strcmp(buf_str(&v), "off") == 0);
    int allowed = !off || (store_setting_get(rq->db, "break_glass_login", &bg) == 1 &&
                           strcasecmp(buf_str(&bg), login) == 0);
    buf_free(&v);
    buf_free(&bg);
    return allowed;
}

/* A full session for u: audit, cookie, and where to go. */
static int signed_in(Req *rq, Resp *rs, const UserRow *u)
{
    if (session_start(rq, rs, u->id, 0) || audit_signin(rq, u->login, "login")) return -1;
    session_cookie(rq, rs, LOGIN_COOKIE, NULL);
    int must_enrol = !u->totp_secret && session_mfa_required(rq);
    return http_redirect(rs, must_enrol ? "/account/mfa" : next_path(rq));
}

/* An Argon2id hash with the current parameters, made once, so that checking
 * an unknown login costs what checking a known one does. */
static char dummy[PASSWORD_HASH_SIZE];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_make(void)
{
    char pw[PASSWORD_RANDOM_CHARS + 1];
    password_random(pw);
    if (password_hash(pw, dummy)) dummy[0] = 0;
}

static const char *dummy_hash(void)
{
    pthread_once(&dummy_once, dummy_make);
    return dummy;
}

int page_login(Req *rq, Resp *rs)
{
    if (rq->method != M_POST) {
        if (rq->user) return http_redirect(rs, next_path(rq));
        signin_form(rq, rs, NULL, NULL, 200);
        return 0;
    }
    const char *login = query_get(&rq->form, "login");
    const char *pw = query_get(&rq->form, "password");
    if (!login || !*login || !pw || !*pw) {
        signin_form(rq, rs, login, "Enter your login and your password.", 422);
        return 0;
    }
    int err = 0;
    if (address_blocked(rq, rs, &err)) return err ? -1 : 0;
    UserRow u;
    int found = store_user_login_valid(login) ? store_user_get(rq->db, login, &u) : 0;
    if (found < 0) return -1;
    char msg[300];
    int rc = -1;
    /* A locked account answers as a wrong password does, and as an unknown
     * login does: the same status, message and cost (the password is
     * checked all the same, its result ignored), and the failure counts for
     * the address as theirs do. So the lock tells a guesser neither that the
     * login exists nor that guessing has stopped working (docs/security.md,
     * "Back-off and lock-out"). */
    int is_locked = found && locked(&u, msg, sizeof msg);
    int ok = password_verify(found ? u.password_hash : dummy_hash(), pw) == 1 && !is_locked;
    if (ok && !local_password_allowed(rq, u.login)) {
        /* Checked after the password, so that timing does not tell which
         * login is the break-glass one. */
        if (audit_signin(rq, u.login, "login_refused")) goto out;
        signin_form(rq, rs, login, "Sign-in with a password is turned off here: use your "
                                   "organization's sign-in button above.", 403);
        rc = 0;
        goto out;
    }
    if (!found || !ok || u.disabled) {
        if (count_failure(rq, found && !is_locked ? &u : NULL)) goto out;
        signin_form(rq, rs, login,
                    found && ok && u.disabled
                        ? "This account is disabled. Ask an administrator."
                        : SIGNIN_WRONG,
                    found && ok && u.disabled ? 403 : 401);
        rc = 0;
        goto out;
    }
    if (db_begin(rq->db)) goto out;
    if (store_user_login_ok(rq->db, u.id)) goto rollback;
    if (password_needs_rehash(u.password_hash)) {
        char h[PASSWORD_HASH_SIZE];
        if (password_hash(pw, h) == 0 && store_user_set_password(rq->db, u.id, h) < 0)
            goto rollback;
    }
    if (db_commit(rq->db)) goto rollback;
    if (u.totp_secret) {
        if (session_start(rq, rs, u.id, 1)) goto out;
        Buf to = BUF_INIT;
        buf_puts(&to, "/login/code?next=");
        html_url_param(&to, next_path(rq));
        http_redirect(rs, arena_strdup(&rq->arena, buf_str(&to)));
        buf_free(&to);
        rc = 0;
        goto out;
    }
    rc = signed_in(rq, rs, &u);
    goto out;
rollback:
    db_rollback(rq->db);
out:
    if (found > 0) store_user_free(&u);
    return rc;
}

static void code_form(Req *rq, Resp *rs, const char *msg, int status)
{
    Buf *b = &rs->body;
    rs->status = status;
    layout_begin(rq, rs, NAV_NONE, "Sign in: second step");
    if (msg) html_printf(b, "<p class=\"error-message\" role=\"alert\">%s</p>\n", msg);
    html_lit(b, "<p>Enter the 6-digit code your authenticator app shows for itstrat, or one of "
                "your unused recovery codes.</p>\n");
    form_begin(rq, b, "/login/code");
    html_printf(b, "<input type=\"hidden\" name=\"next\" value=\"%s\">\n", next_path(rq));
    form_field(b, FORM_CODE, "code", "Code", NULL, "For example 123456, or XXXX-XXXX-XXXX-XXXX",
               1, NULL, "one-time-code");
    form_end(b, "Continue");
    layout_end(rq, rs);
}

int page_login_code(Req *rq, Resp *rs)
{
    if (rq->user) return http_redirect(rs, next_path(rq));
    if (!rq->pending_user) return http_redirect(rs, "/login");
    if (rq->method != M_POST) {
        code_form(rq, rs, NULL, 200);
        return 0;
    }
    int err = 0;
    if (address_blocked(rq, rs, &err)) return err ? -1 : 0;
    UserRow u;
    int found = store_user_get_id(rq->db, rq->pending_user, &u);
    if (found < 0) return -1;
    int rc = -1;
    char msg[300];
    if (!found || u.disabled || !u.totp_secret) {
        rc = session_end(rq, rs) ? -1 : http_redirect(rs, "/login");
        goto out;
    }
    if (locked(&u, msg, sizeof msg)) {
        if (session_end(rq, rs)) goto out;
        signin_form(rq, rs, u.login, msg, 429);
        rc = 0;
        goto out;
    }
    const char *code = query_get(&rq->form, "code");
    if (!code) code = "";
    int good = 0;
    char rh[RECOVERY_HASH_SIZE];
    if (recovery_hash(code, rh) == 0) {
        int r = store_user_recovery_use(rq->db, u.id, rh);
        if (r < 0) goto out;
        good = r == 0;
    } else {
        int64_t last, step;
        if (store_user_totp_last_step(rq->db, u.id, &last)) goto out;
        if (totp_verify(u.totp_secret, code, time(NULL), last, &step) == TOTP_OK) {
            int r = store_user_totp_use_step(rq->db, u.id, step);
            if (r < 0) goto out;
            good = r == 0;
        }
    }
    if (!good) {
        if (count_failure(rq, &u)) goto out;
        code_form(rq, rs, "That code is not right (or was used already). Wait for the next "
                          "code and try again.", 401);
        rc = 0;
        goto out;
    }
    if (db_begin(rq->db)) goto out;
    if (store_user_login_ok(rq->db, u.id) || db_commit(rq->db)) {
        db_rollback(rq->db);
        goto out;
    }
    rc = signed_in(rq, rs, &u);
out:
    if (found > 0) store_user_free(&u);
    return rc;
}

int page_logout(Req *rq, Resp *rs)
{
    if (rq->user && audit_signin(rq, rq->user->login, "logout")) return -1;
    /* A session from a provider also ends there, where it offers it. */
    const char *to = page_oidc_logout_target(rq);
    if (session_end(rq, rs)) return -1;
    if (!to) return http_redirect(rs, "/");
    /* A page that moves on, not a redirect: the form-action 'self' of the
     * Content-Security-Policy stops a form's redirect to another site. */
    Buf *b = &rs->body;
    rs->status = 200;
    rs->cache_control = "no-store";
    layout_begin(rq, rs, NAV_NONE, "Signed out");
    html_printf(b, "<meta http-equiv=\"refresh\" content=\"0;url=%s\">\n<p role=\"status\">You "
                   "are signed out of itstrat. <a id=\"continue\" href=\"%s\">Sign out at your "
                   "organization's sign-in too</a>.</p>\n", to, to);
    layout_end(rq, rs);
    return 0;
}
