/*
 * page_account.c — one's own account (/account and the pages under it):
 * who you are, changing your password, setting up and removing two-factor
 * sign-in (TOTP) with its recovery codes, API tokens, and ending every
 * session of the account.
 *
 * Every change runs in one write transaction together with its audit entry
 * (entity "user", key the login), which never holds a secret: no password
 * hash, TOTP secret, recovery code or token. Secrets made here (recovery
 * codes, an API token) are shown once, on an answer marked
 * Cache-Control: private, no-store, and only their digests are kept. A
 * TOTP secret being set up waits server-side in the setting table under
 * "mfa_pending:<user id>" until a right code confirms it, so the browser
 * never sends a secret back. These pages are for a person in a browser: an
 * API token cannot use them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "form.h"
#include "html.h"
#include "json_w.h"
#include "layout.h"
#include "pages.h"
#include "password.h"
#include "qr.h"
#include "session.h"
#include "signin.h"
#include "store_sessions.h"
#include "store_users.h"
#include "totp.h"

#define TOKEN_MAX_DAYS 365 /* the longest an API token may live */

/* Appends an audit entry about rq's own account; inside the caller's
 * transaction. 0 or -1. */
static int audit_self(Req *rq, const char *action, const char *before, const char *after)
{
    AuditActor a;
    session_actor(rq, NULL, &a);
    return audit_append(rq->db, &a, action, "user", rq->user->login, before, after);
}

/* Reads rq's own account row into *u: 1, 0 (gone), -1. */
static int own_row(Req *rq, UserRow *u)
{
    return store_user_get_id(rq->db, rq->user->id, u);
}

/* ---- /account ---------------------------------------------------------- */

/* What the token form was sent with, to show it again with its problems. */
typedef struct TokenForm {
    const char *name, *scope, *days;
} TokenForm;

/* The notice of ?done=WHAT after a change ("" when none or unknown). */
static const char *done_notice(const Req *rq)
{
    static const struct { const char *key, *msg; } t[] = {
        {"password", "Your password was changed. Every other session of your account was "
                     "signed out."},
        {"mfa_off", "Two-factor sign-in is off. Your recovery codes were deleted."},
        {"revoked", "The API token was revoked: programs that use it get 401 from now on."},
    };
    const char *d = query_get(&rq->query, "done");
    for (size_t k = 0; d && k < sizeof t / sizeof *t; k++)
        if (strcmp(d, t[k].key) == 0) return t[k].msg;
    return "";
}

static void token_rows(Req *rq, Buf *b, const TokenRow *t, size_t n)
{
    char now[21];
    session_utc(time(NULL), now);
    if (n == 0) {
        html_lit(b, "<p class=\"muted\">You have no API tokens.</p>\n");
        return;
    }
    html_lit(b, "<div class=\"table-wrap\"><table class=\"data tokens\">\n<caption>Your API "
                "tokens</caption>\n<thead><tr><th scope=\"col\">Name</th><th scope=\"col\">"
                "Scope</th><th scope=\"col\">Created</th><th scope=\"col\">Expires</th>"
                "<th scope=\"col\">Revoked</th><th scope=\"col\"><span class=\"visually-hidden\">"
                "Action</span></th></tr></thead>\n<tbody>\n");
    for (size_t k = 0; k < n; k++) {
        int expired = t[k].expires_at[0] && strcmp(t[k].expires_at, now) <= 0;
        html_printf(b, "<tr><td>%s</td><td>%s</td><td class=\"nowrap\"><time datetime=\"%s\">"
                       "%.10s</time></td><td class=\"nowrap\">",
                    t[k].name, t[k].scope, t[k].created_at, t[k].created_at);
        if (t[k].expires_at[0])
            html_printf(b, "<time datetime=\"%s\">%.10s</time>%s", t[k].expires_at,
                        t[k].expires_at, expired ? " (expired)" : "");
        else
            html_lit(b, "never");
        html_lit(b, "</td><td class=\"nowrap\">");
        if (t[k].revoked_at[0])
            html_printf(b, "<time datetime=\"%s\">%.10s</time>", t[k].revoked_at,
                        t[k].revoked_at);
        else
            html_lit(b, "no");
        html_lit(b, "</td><td>");
        if (!t[k].revoked_at[0] && !expired) {
            html_printf(b, "<form class=\"inline\" method=\"post\" action=\"/account/tokens/"
                           "%lld/revoke\">", (long long)t[k].id);
            session_csrf_field(rq, b);
            html_printf(b, "<button type=\"submit\" class=\"secondary\" aria-label=\"Revoke %s\">"
                           "Revoke</button></form>", t[k].name);
        }
        html_lit(b, "</td></tr>\n");
    }
    html_lit(b, "</tbody></table></div>\n");
}

/* The account page, with the token form's values and problems (tf, p may
 * be NULL) and status. 0 or -1. */
static int account_page(Req *rq, Resp *rs, const TokenForm *tf, const FormProblems *p,
                        int status)
{
    static const char *const scopes[] = {"read", "write"};
    static const char *const scope_labels[] = {"read: GET only", "write: read and change"};
    UserRow u;
    TokenRow *tokens = NULL;
    size_t ntokens = 0;
    int found = own_row(rq, &u), rc = -1;
    if (found <= 0) return found < 0 ? -1 : http_error(rq, rs, 404, "Your account is gone.");
    int64_t left = u.totp_secret ? store_user_recovery_left(rq->db, u.id) : 0;
    int64_t nsessions = store_session_count(rq->db, u.id);
    if (left < 0 || nsessions < 0 || store_token_list(rq->db, u.id, &tokens, &ntokens)) goto out;
    FormProblems none = {NULL, 0};
    if (!p) p = &none;
    Buf *b = &rs->body;
    rs->status = status;
    rs->cache_control = HTTP_PRIVATE;
    layout_begin(rq, rs, NAV_NONE, "Your account");
    const char *notice = done_notice(rq);
    if (*notice) html_printf(b, "<p class=\"notice\" role=\"status\">%s</p>\n", notice);
    form_problems(b, p);

    html_lit(b, "<section class=\"card account\" aria-labelledby=\"acct-you\">\n"
                "<h2 id=\"acct-you\">You</h2>\n<dl class=\"fields\">");
    html_printf(b, "<dt>Login</dt><dd><code>%s</code></dd><dt>Name</dt><dd>%s</dd>"
                   "<dt>Role</dt><dd>%s</dd><dt>Account created</dt><dd>%.10s</dd></dl>\n",
                u.login, u.name && *u.name ? u.name : "—", u.role, u.created_at);
    html_lit(b, "<p><a href=\"/account/password\">Change your password</a></p>\n</section>\n");

    html_lit(b, "<section class=\"card account\" aria-labelledby=\"acct-mfa\">\n"
                "<h2 id=\"acct-mfa\">Two-factor sign-in</h2>\n");
    if (u.totp_secret)
        html_printf(b, "<p><span class=\"badge s-met\">on</span> Signing in asks for a code "
                       "from your authenticator app. %lld of %d recovery codes left.</p>\n"
                       "<p><a href=\"/account/mfa\">Manage two-factor sign-in and recovery "
                       "codes</a></p>\n", (long long)left, RECOVERY_COUNT);
    else
        html_lit(b, "<p><span class=\"badge s-not_achieved\">off</span> Signing in asks for your "
                    "password only.</p>\n<p><a href=\"/account/mfa\">Set up two-factor sign-in"
                    "</a> with an authenticator app.</p>\n");
    html_lit(b, "</section>\n");

    html_lit(b, "<section class=\"card account\" aria-labelledby=\"acct-tokens\">\n"
                "<h2 id=\"acct-tokens\">API tokens</h2>\n<p>A program sends a token as "
                "<code>Authorization: Bearer TOKEN</code> to use the API (docs/api.md) with "
                "your role. A read token may only read.</p>\n");
    token_rows(rq, b, tokens, ntokens);
    html_lit(b, "<h3>New API token</h3>\n");
    form_begin(rq, b, "/account/tokens");
    form_field(b, FORM_TEXT, "name", "Name", tf ? tf->name : NULL,
               "What the token is for, e.g. \"monthly report script\" (up to 128 characters)",
               1, form_problem_of(p, "name"), "off");
    form_select(b, "scope", "Scope", scopes, scope_labels, 2, tf ? tf->scope : "read", 0, NULL,
                form_problem_of(p, "scope"));
    form_field(b, FORM_NUMBER, "days", "Expires after (days)", tf ? tf->days : "90",
               "1 to 365 days; leave empty for a token that never expires", 0,
               form_problem_of(p, "days"), "off");
    form_end(b, "Create token");
    html_lit(b, "</section>\n");

    html_lit(b, "<section class=\"card account\" aria-labelledby=\"acct-sessions\">\n"
                "<h2 id=\"acct-sessions\">Sessions</h2>\n");
    if (nsessions == 1)
        html_lit(b, "<p>Your account is signed in here only, in this browser.</p>\n");
    else
        html_printf(b, "<p>Your account is signed in in %lld places (this browser included).</p>\n",
                    (long long)nsessions);
    size_t live = 0;
    for (size_t k = 0; k < ntokens; k++)
        if (!tokens[k].revoked_at[0]) live++;
    html_lit(b, "<form method=\"post\" action=\"/account/logout-everywhere\">");
    session_csrf_field(rq, b);
    if (live)
        html_printf(b, "<p><label><input type=\"checkbox\" id=\"f-tokens\" name=\"tokens\" value=\"revoke\"> "
                       "Also revoke my %zu API %s (the programs that use %s stop working)"
                       "</label></p>\n", live, live == 1 ? "token" : "tokens",
                    live == 1 ? "it" : "them");
    html_lit(b, "<button type=\"submit\">Sign out everywhere</button></form>\n"
                "<p class=\"note\">Ends every session of your account, this one too. API tokens "
                "keep working unless you tick the box: they belong to programs, not to a "
                "browser.</p>\n</section>\n");
    layout_end(rq, rs);
    rc = 0;
out:
    free(tokens);
    store_user_free(&u);
    return rc;
}

int page_account(Req *rq, Resp *rs)
{
    return account_page(rq, rs, NULL, NULL, 200);
}

/* ---- /account/password ------------------------------------------------- */

static void password_form(Req *rq, Resp *rs, const FormProblems *p, int status)
{
    Buf *b = &rs->body;
    rs->status = status;
    rs->cache_control = HTTP_PRIVATE;
    layout_begin(rq, rs, NAV_NONE, "Change your password");
    form_problems(b, p);
    html_printf(b, "<p>At least %d characters; a few ordinary words make a good one. Changing "
                   "it signs your account out everywhere else.</p>\n", PASSWORD_MIN_CHARS);
    form_begin(rq, b, "/account/password");
    form_field(b, FORM_PASSWORD, "current", "Current password", NULL, NULL, 1,
               form_problem_of(p, "current"), "current-password");
    form_field(b, FORM_PASSWORD, "new", "New password", NULL, NULL, 1,
               form_problem_of(p, "new"), "new-password");
    form_field(b, FORM_PASSWORD, "new2", "New password again", NULL, NULL, 1,
               form_problem_of(p, "new2"), "new-password");
    form_end(b, "Change password");
    html_lit(b, "<p><a href=\"/account\">Back to your account</a></p>\n");
    layout_end(rq, rs);
}

int page_account_password(Req *rq, Resp *rs)
{
    FormProblems p = {NULL, 0};
    if (rq->method != M_POST) {
        password_form(rq, rs, &p, 200);
        return 0;
    }
    const char *cur = query_get(&rq->form, "current");
    const char *pw = query_get(&rq->form, "new");
    const char *pw2 = query_get(&rq->form, "new2");
    UserRow u;
    int found = own_row(rq, &u), rc = -1;
    if (found <= 0) return found < 0 ? -1 : http_error(rq, rs, 404, "Your account is gone.");
    if (!cur || !*cur)
        form_problem(rq, &p, "current", "Enter your current password.");
    else if (signin_password_again(rq, &u, cur) != 1)
        form_problem(rq, &p, "current", "This is not your current password.");
    if (!pw || !*pw) {
        form_problem(rq, &p, "new", "Enter a new password.");
    } else {
        Buf why = BUF_INIT;
        if (password_check(pw, u.login, &why))
            form_problem(rq, &p, "new", "%s", buf_str(&why));
        else if (cur && strcmp(pw, cur) == 0)
            form_problem(rq, &p, "new", "The new password is your current one; choose another.");
        buf_free(&why);
    }
    if (pw && *pw && (!pw2 || strcmp(pw, pw2) != 0))
        form_problem(rq, &p, "new2", "The two new passwords differ; type the same one twice.");
    if (p.n) {
        password_form(rq, rs, &p, 422);
        rc = 0;
        goto out;
    }
    char hash[PASSWORD_HASH_SIZE];
    if (password_hash(pw, hash)) {
        http_error(rq, rs, 503, "The server is short of memory to protect your password; try "
                                "again in a minute.");
        rc = 0;
        goto out;
    }
    /* The new password ends every session of the account, this one too;
     * a fresh one starts in the same transaction. */
    if (db_begin(rq->db)) goto out;
    if (store_user_set_password(rq->db, u.id, hash) != 0 ||
        audit_self(rq, "passwd", NULL, "{\"password\": \"changed\"}") ||
        session_start(rq, rs, u.id, 0) || db_commit(rq->db)) {
        db_rollback(rq->db);
        goto out;
    }
    rc = http_redirect(rs, "/account?done=password");
out:
    store_user_free(&u);
    return rc;
}

/* ---- /account/mfa and /account/recovery -------------------------------- */

/* The setting key of account id's TOTP secret waiting for confirmation. */
static void pending_key(char out[48], int64_t id)
{
    snprintf(out, 48, "mfa_pending:%lld", (long long)id);
}

/* The pending TOTP secret of account id into out: 1 found (or, with
 * create, made and stored now), 0 none, -1 on a database error. */
static int pending_secret(Req *rq, int64_t id, int create, char out[TOTP_SECRET_SIZE])
{
    char key[48];
    Buf v = BUF_INIT;
    pending_key(key, id);
    int r = store_setting_get(rq->db, key, &v);
    if (r == 1 && v.n == TOTP_SECRET_SIZE - 1) {
        memcpy(out, v.a, TOTP_SECRET_SIZE);
    } else if (r >= 0) {
        r = 0;
        if (create) {
            totp_secret_new(out);
            r = store_setting_set(rq->db, key, out) ? -1 : 1;
        }
    }
    buf_free(&v);
    return r;
}

/* Shows the recovery codes just made, once. */
static void recovery_page(Req *rq, Resp *rs, const char *title, const char *lead,
                          char codes[RECOVERY_COUNT][RECOVERY_CODE_SIZE])
{
    Buf *b = &rs->body;
    rs->status = 200;
    rs->cache_control = HTTP_PRIVATE;
    layout_begin(rq, rs, NAV_NONE, title);
    html_printf(b, "<p class=\"notice\" role=\"status\">%s</p>\n", lead);
    html_printf(b, "<p><strong>Save these %d recovery codes now</strong> (print them or keep them "
                   "in a password manager): this page shows them once and itstrat keeps only "
                   "their digests. Each code signs you in once in place of an authenticator "
                   "code, if you lose your phone.</p>\n<ol class=\"recovery-codes\">",
                RECOVERY_COUNT);
    for (int k = 0; k < RECOVERY_COUNT; k++)
        html_printf(b, "<li><code>%s</code></li>", codes[k]);
    html_lit(b, "</ol>\n<p><a href=\"/account\">Continue to your account</a></p>\n");
    layout_end(rq, rs);
}

/* The two-factor page of account u, with problems p and status. 0 or -1. */
static int mfa_page(Req *rq, Resp *rs, const UserRow *u, const FormProblems *p, int status)
{
    Buf *b = &rs->body;
    int required = session_mfa_required(rq);
    if (!u->totp_secret) {
        char secret[TOTP_SECRET_SIZE];
        if (pending_secret(rq, u->id, 1, secret) < 0) return -1;
        rs->status = status;
        rs->cache_control = HTTP_PRIVATE;
        layout_begin(rq, rs, NAV_NONE, "Set up two-factor sign-in");
        if (rq->must_enrol)
            html_lit(b, "<p class=\"notice\" role=\"status\">An administrator requires two-factor "
                        "sign-in for every account. Set it up here to go on: until then this is "
                        "the only page you can open.</p>\n");
        form_problems(b, p);
        html_lit(b, "<ol class=\"steps\"><li>Open an authenticator app on your phone (for "
                    "example FreeOTP, Aegis, Google Authenticator or 1Password) and add an "
                    "account by scanning this QR code:<div class=\"qr\">");
        Buf uri = BUF_INIT;
        totp_uri(&uri, secret, u->login);
        int qr = qr_svg(b, buf_str(&uri), "QR code to add itstrat to an authenticator app", 4);
        buf_free(&uri);
        if (qr) html_lit(b, "<p>(The QR code could not be drawn: type the key below.)</p>");
        html_lit(b, "</div>If you cannot scan it, type this key instead (time-based, 6 digits, "
                    "30 seconds): <code class=\"secret\" id=\"totp-secret\">");
        for (int k = 0; k < TOTP_SECRET_SIZE - 1; k += 4)
            html_printf(b, "%s%.4s", k ? " " : "", secret + k);
        html_lit(b, "</code></li>\n<li>Enter the 6-digit code the app now shows for itstrat."
                    "</li></ol>\n");
        form_begin(rq, b, "/account/mfa");
        html_lit(b, "<input type=\"hidden\" name=\"action\" value=\"enable\">\n");
        form_field(b, FORM_CODE, "code", "Code from the app", NULL, "6 digits, e.g. 123456", 1,
                   form_problem_of(p, "code"), "one-time-code");
        form_end(b, "Turn on two-factor sign-in");
        if (!rq->must_enrol)
            html_lit(b, "<p><a href=\"/account\">Back to your account</a></p>\n");
        layout_end(rq, rs);
        return 0;
    }
    int64_t left = store_user_recovery_left(rq->db, u->id);
    if (left < 0) return -1;
    rs->status = status;
    rs->cache_control = HTTP_PRIVATE;
    layout_begin(rq, rs, NAV_NONE, "Two-factor sign-in");
    form_problems(b, p);
    html_printf(b, "<p><span class=\"badge s-met\">on</span> Signing in asks for a code from "
                   "your authenticator app after your password. You have %lld unused recovery "
                   "code%s of %d.</p>\n", (long long)left, left == 1 ? "" : "s", RECOVERY_COUNT);
    html_lit(b, "<section class=\"card account\" aria-labelledby=\"mfa-recovery\">\n"
                "<h2 id=\"mfa-recovery\">New recovery codes</h2>\n<p>Makes "
                "a new set of recovery codes; the old ones stop working.</p>\n");
    form_begin(rq, b, "/account/recovery");
    form_field(b, FORM_PASSWORD, "recovery_password", "Your password", NULL, NULL, 1,
               form_problem_of(p, "recovery_password"), "current-password");
    form_end(b, "Make new recovery codes");
    html_lit(b, "</section>\n<section class=\"card account\" aria-labelledby=\"mfa-off\">\n"
                "<h2 id=\"mfa-off\">Turn off two-factor sign-in</h2>\n");
    if (required) {
        html_lit(b, "<p>An administrator requires two-factor sign-in for every account, so it "
                    "cannot be turned off. If you lost your authenticator, sign in with a "
                    "recovery code, or ask an administrator to reset it.</p>\n");
    } else {
        html_lit(b, "<p>Signing in will then ask for your password only; your recovery codes "
                    "are deleted.</p>\n");
        form_begin(rq, b, "/account/mfa");
        html_lit(b, "<input type=\"hidden\" name=\"action\" value=\"disable\">\n");
        form_field(b, FORM_PASSWORD, "password", "Your password", NULL, NULL, 1,
                   form_problem_of(p, "password"), "current-password");
        form_end(b, "Turn off two-factor sign-in");
    }
    html_lit(b, "</section>\n<p><a href=\"/account\">Back to your account</a></p>\n");
    layout_end(rq, rs);
    return 0;
}

/* Confirms the pending secret of u with the code of the form. 0 or -1. */
static int mfa_enable(Req *rq, Resp *rs, const UserRow *u)
{
    FormProblems p = {NULL, 0};
    char secret[TOTP_SECRET_SIZE];
    const char *code = query_get(&rq->form, "code");
    int have = pending_secret(rq, u->id, 0, secret);
    if (have < 0) return -1;
    int64_t step = -1;
    if (!code || !*code)
        form_problem(rq, &p, "code", "Enter the 6-digit code your authenticator app shows.");
    else if (!have)
        form_problem(rq, &p, "code", "This set-up has expired. Scan the new QR code below and "
                                     "enter its code.");
    else if (strlen(code) > 16 || totp_verify(secret, code, time(NULL), -1, &step) != TOTP_OK)
        form_problem(rq, &p, "code", "That code is not right. Check that the app's clock is "
                                     "right, wait for the next code and enter it.");
    if (p.n) return mfa_page(rq, rs, u, &p, 422);
    char codes[RECOVERY_COUNT][RECOVERY_CODE_SIZE], hashes[RECOVERY_COUNT][RECOVERY_HASH_SIZE];
    char key[48];
    recovery_new(codes, hashes);
    pending_key(key, u->id);
    char after[80];
    snprintf(after, sizeof after, "{\"mfa\": true, \"recovery_codes\": %d}", RECOVERY_COUNT);
    /* The matched step counts as used: the same code cannot sign in again. */
    if (db_begin(rq->db)) return -1;
    if (store_user_set_totp(rq->db, u->id, secret) != 0 ||
        store_user_totp_use_step(rq->db, u->id, step) < 0 ||
        store_user_recovery_set(rq->db, u->id, hashes, RECOVERY_COUNT) ||
        store_setting_set(rq->db, key, NULL) ||
        audit_self(rq, "mfa_enable", "{\"mfa\": false}", after) || db_commit(rq->db)) {
        db_rollback(rq->db);
        return -1;
    }
    rq->must_enrol = 0;
    recovery_page(rq, rs, "Two-factor sign-in is on",
                  "Two-factor sign-in is on: from now on signing in asks for a code from your "
                  "app after your password.", codes);
    return 0;
}

/* Removes the TOTP of u after checking the password of the form. 0 or -1. */
static int mfa_disable(Req *rq, Resp *rs, const UserRow *u)
{
    FormProblems p = {NULL, 0};
    const char *pw = query_get(&rq->form, "password");
    if (session_mfa_required(rq)) {
        form_problem(rq, &p, "_form", "An administrator requires two-factor sign-in for every "
                                      "account, so it cannot be turned off.");
        return mfa_page(rq, rs, u, &p, 403);
    }
    if (!pw || !*pw)
        form_problem(rq, &p, "password", "Enter your password to turn off two-factor sign-in.");
    else if (signin_password_again(rq, u, pw) != 1)
        form_problem(rq, &p, "password", "This is not your password.");
    if (p.n) return mfa_page(rq, rs, u, &p, 422);
    if (db_begin(rq->db)) return -1;
    if (store_user_set_totp(rq->db, u->id, NULL) != 0 ||
        audit_self(rq, "mfa_disable", "{\"mfa\": true}", "{\"mfa\": false}") ||
        db_commit(rq->db)) {
        db_rollback(rq->db);
        return -1;
    }
    return http_redirect(rs, "/account?done=mfa_off");
}

int page_account_mfa(Req *rq, Resp *rs)
{
    UserRow u;
    int found = own_row(rq, &u), rc;
    if (found <= 0) return found < 0 ? -1 : http_error(rq, rs, 404, "Your account is gone.");
    FormProblems p = {NULL, 0};
    const char *action = query_get(&rq->form, "action");
    if (rq->method != M_POST)
        rc = mfa_page(rq, rs, &u, &p, 200);
    else if (action && strcmp(action, u.totp_secret ? "disable" : "enable") == 0)
        rc = u.totp_secret ? mfa_disable(rq, rs, &u) : mfa_enable(rq, rs, &u);
    else /* a form of the other state (sent twice, or from an old page) */
        rc = http_redirect(rs, "/account/mfa");
    store_user_free(&u);
    return rc;
}

int page_account_recovery(Req *rq, Resp *rs)
{
    UserRow u;
    int found = own_row(rq, &u), rc = -1;
    if (found <= 0) return found < 0 ? -1 : http_error(rq, rs, 404, "Your account is gone.");
    FormProblems p = {NULL, 0};
    const char *pw = query_get(&rq->form, "recovery_password");
    if (!u.totp_secret) {
        rc = http_error(rq, rs, 409, "Recovery codes belong to two-factor sign-in, which your "
                                     "account does not use. Set it up at /account/mfa first.");
        goto out;
    }
    if (!pw || !*pw)
        form_problem(rq, &p, "recovery_password", "Enter your password to make new codes.");
    else if (signin_password_again(rq, &u, pw) != 1)
        form_problem(rq, &p, "recovery_password", "This is not your password.");
    if (p.n) {
        rc = mfa_page(rq, rs, &u, &p, 422);
        goto out;
    }
    char codes[RECOVERY_COUNT][RECOVERY_CODE_SIZE], hashes[RECOVERY_COUNT][RECOVERY_HASH_SIZE];
    char after[40];
    recovery_new(codes, hashes);
    snprintf(after, sizeof after, "{\"recovery_codes\": %d}", RECOVERY_COUNT);
    if (db_begin(rq->db)) goto out;
    if (store_user_recovery_set(rq->db, u.id, hashes, RECOVERY_COUNT) ||
        audit_self(rq, "recovery_new", NULL, after) || db_commit(rq->db)) {
        db_rollback(rq->db);
        goto out;
    }
    recovery_page(rq, rs, "New recovery codes",
                  "New recovery codes were made; the old ones no longer work.", codes);
    rc = 0;
out:
    store_user_free(&u);
    return rc;
}

/* ---- API tokens -------------------------------------------------------- */

int page_account_tokens(Req *rq, Resp *rs)
{
    FormProblems p = {NULL, 0};
    TokenForm tf = {query_get(&rq->form, "name"), query_get(&rq->form, "scope"),
                    query_get(&rq->form, "days")};
    const char *name = tf.name, *scope = tf.scope, *days = tf.days;
    long ndays = 0;
    if (!name || !*name)
        form_problem(rq, &p, "name", "Give the token a name that says what it is for.");
    else if (form_chars(name) > TOKEN_NAME_MAX)
        form_problem(rq, &p, "name", "The name has %zu characters; use at most %d.",
                     form_chars(name), TOKEN_NAME_MAX);
    else if (form_has_control(name))
        form_problem(rq, &p, "name", "The name may not hold tabs, line breaks or other control "
                                     "characters.");
    if (!scope || (strcmp(scope, "read") != 0 && strcmp(scope, "write") != 0))
        form_problem(rq, &p, "scope", "Choose the scope: read or write.");
    if (days && *days && strcmp(days, "never") != 0) {
        size_t n = strspn(days, "0123456789");
        if (n == 0 || n > 3 || days[n] || (ndays = strtol(days, NULL, 10)) < 1 ||
            ndays > TOKEN_MAX_DAYS)
            form_problem(rq, &p, "days", "Give a whole number of days from 1 to %d, or leave it "
                                         "empty for a token that never expires.", TOKEN_MAX_DAYS);
    }
    if (p.n) return account_page(rq, rs, &tf, &p, 422);

    char secret[sizeof TOKEN_PREFIX + SESSION_TOKEN_CHARS], rnd[SESSION_TOKEN_CHARS + 1];
    char digest[65], now[21], expires[21];
    time_t t = time(NULL);
    session_random(rnd);
    snprintf(secret, sizeof secret, "%s%s", TOKEN_PREFIX, rnd);
    session_digest(secret, digest);
    session_utc(t, now);
    if (ndays) session_utc(t + ndays * 86400, expires);
    int64_t id;
    Buf after = BUF_INIT;
    buf_puts(&after, "{\"token\": {\"name\": ");
    json_quote(&after, name);
    buf_printf(&after, ", \"scope\": \"%s\", \"expires_at\": ", scope);
    if (ndays) json_quote(&after, expires);
    else buf_puts(&after, "null");
    int rc = -1;
    if (db_begin(rq->db)) goto out;
    if (store_token_create(rq->db, rq->user->id, name, digest, scope, ndays ? expires : NULL, now,
                           &id)) {
        db_rollback(rq->db);
        goto out;
    }
    buf_printf(&after, ", \"id\": %lld}}", (long long)id);
    if (audit_self(rq, "token_create", NULL, buf_str(&after)) || db_commit(rq->db)) {
        db_rollback(rq->db);
        goto out;
    }
    Buf *b = &rs->body;
    rs->cache_control = HTTP_PRIVATE;
    layout_begin(rq, rs, NAV_NONE, "API token created");
    html_printf(b, "<p class=\"notice\" role=\"status\">The %s token \"%s\" was created%s%s.</p>\n",
                scope, name, ndays ? "; it expires on " : " and never expires",
                ndays ? expires : "");
    html_lit(b, "<p><strong>Copy the token now</strong>: this page shows it once, and itstrat "
                "keeps only its digest, so it cannot show it again. Select it and copy it into "
                "your program's configuration or a password manager.</p>\n");
    html_printf(b, "<p><code class=\"secret\" id=\"api-token\">%s</code></p>\n", secret);
    html_printf(b, "<p>Send it with each request, for example:</p>\n<pre><code>curl -H "
                   "\"Authorization: Bearer %s\" https://HOST/api/v1/strategies</code></pre>\n",
                secret);
    html_lit(b, "<p>If it leaks, revoke it on your account page.</p>\n"
                "<p><a href=\"/account\">Back to your account</a></p>\n");
    layout_end(rq, rs);
    rc = 0;
out:
    buf_free(&after);
    return rc;
}

int page_account_token_revoke(Req *rq, Resp *rs)
{
    int64_t id;
    TokenRow *tokens = NULL;
    size_t n = 0;
    const TokenRow *t = NULL;
    if (!(id = http_parse_id(rq->args[0])))
        return http_error(rq, rs, 404, "There is no such API token of yours.");
    if (store_token_list(rq->db, rq->user->id, &tokens, &n)) return -1;
    for (size_t k = 0; k < n && !t; k++)
        if (tokens[k].id == id && !tokens[k].revoked_at[0]) t = &tokens[k];
    int rc = -1;
    if (!t) {
        free(tokens);
        return http_error(rq, rs, 404, "There is no such API token of yours (or it was revoked "
                                       "already). Your tokens are listed at /account.");
    }
    char now[21];
    session_utc(time(NULL), now);
    Buf before = BUF_INIT, after = BUF_INIT;
    buf_printf(&before, "{\"token\": {\"id\": %lld, \"name\": ", (long long)id);
    json_quote(&before, t->name);
    buf_puts(&before, ", \"revoked\": false}}");
    buf_printf(&after, "{\"token\": {\"id\": %lld, \"name\": ", (long long)id);
    json_quote(&after, t->name);
    buf_puts(&after, ", \"revoked\": true}}");
    if (db_begin(rq->db)) goto out;
    int r = store_token_revoke(rq->db, rq->user->id, id, now);
    if (r < 0 || (r == 0 && audit_self(rq, "token_revoke", buf_str(&before), buf_str(&after)))) {
        db_rollback(rq->db);
        goto out;
    }
    if (r == 1) {
        db_rollback(rq->db);
        rc = http_error(rq, rs, 404, "There is no such API token of yours (or it was revoked "
                                     "already).");
        goto out;
    }
    if (db_commit(rq->db)) {
        db_rollback(rq->db);
        goto out;
    }
    rc = http_redirect(rs, "/account?done=revoked");
out:
    buf_free(&before);
    buf_free(&after);
    free(tokens);
    return rc;
}

/* ---- sign out everywhere ----------------------------------------------- */

int page_account_logout_all(Req *rq, Resp *rs)
{
    int64_t n = 0, ntok = 0;
    char after[80], now[21];
    const char *tokens = query_get(&rq->form, "tokens");
    if (tokens && strcmp(tokens, "revoke") != 0) {
        FormProblems p = {NULL, 0};
        form_problem(rq, &p, "tokens", "Tick the box to revoke your API tokens too, or leave it "
                                       "empty to keep them.");
        return account_page(rq, rs, NULL, &p, 422);
    }
    session_utc(time(NULL), now);
    if (db_begin(rq->db)) return -1;
    if (store_session_delete_user(rq->db, rq->user->id, &n)) goto fail;
    if (tokens && store_token_revoke_user(rq->db, rq->user->id, now, &ntok)) goto fail;
    if (tokens)
        snprintf(after, sizeof after, "{\"sessions_ended\": %lld, \"tokens_revoked\": %lld}",
                 (long long)n, (long long)ntok);
    else
        snprintf(after, sizeof after, "{\"sessions_ended\": %lld}", (long long)n);
    if (audit_self(rq, "logout_everywhere", NULL, after) || db_commit(rq->db)) goto fail;
    rq->session_hash = NULL;
    session_cookie(rq, rs, SESSION_COOKIE, NULL);
    return http_redirect(rs, "/login");
fail:
    db_rollback(rq->db);
    return -1;
}
