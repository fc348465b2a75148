/*
 * page_admin.c — the administrators' pages: accounts (/admin/users), one
 * account (/admin/users/{id}) and settings (/admin/settings).
 *
 * The route table lets only admins in. Every change runs in one write
 * transaction with its audit entry; the last active admin can be neither
 * demoted nor disabled (counted inside that transaction, so two admins at
 * once cannot both pass). Forms that change an account carry the version
 * of the account they showed; when it has moved on since, the change is
 * refused (409) and the page shows the account as it is now. Random
 * passwords made here are shown once (Cache-Control: no-store) and never
 * written to the audit trail. An API token cannot use these pages.
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
#include "session.h"
#include "store_assign.h"
#include "store_sessions.h"
#include "store_users.h"

#define USER_NAME_MAX 200   /* characters of a full name */
#define ASSIGN_CODE_MAX 64  /* characters of a strategy, project or indicator code */

static const char *const roles[] = {"admin", "manager", "contributor", "viewer"};
#define NROLES (sizeof roles / sizeof *roles)

/* Appends an audit entry by the admin about entity/key; inside the caller's
 * transaction. 0 or -1. */
static int audit_admin(Req *rq, const char *action, const char *entity, const char *key,
                       const char *before, const char *after)
{
    AuditActor a;
    session_actor(rq, NULL, &a);
    return audit_append(rq->db, &a, action, entity, key, before, after);
}

/* 1 when account u is locked out now. */
static int is_locked(const UserRow *u)
{
    char now[21];
    session_utc(time(NULL), now);
    return u->locked_until && strcmp(u->locked_until, now) > 0;
}

static void admin_nav(Buf *b)
{
    html_lit(b, "<nav class=\"admin-nav\" aria-label=\"Administration\"><ul class=\"links\">"
                "<li><a href=\"/admin/users\">Accounts</a></li>"
                "<li><a href=\"/admin/settings\">Settings</a></li>"
                "<li><a href=\"/admin/audit\">Audit trail</a></li></ul></nav>\n");
}

/* Starts an answer that shows a secret once: no copy may be stored. */
static void once_begin(Req *rq, Resp *rs, const char *title)
{
    rs->status = 200;
    rs->cache_control = HTTP_PRIVATE;
    layout_begin(rq, rs, NAV_NONE, title);
}

/* Shows the random password of an account, once. */
static void password_shown(Req *rq, Resp *rs, const char *title, const char *login, int64_t id,
                           const char *pw)
{
    Buf *b = &rs->body;
    once_begin(rq, rs, title);
    admin_nav(b);
    html_printf(b, "<p class=\"notice\" role=\"status\">The password of <code>%s</code> was set."
                   "</p>\n<p><strong>Pass this password on now</strong> by a safe way (in person, "
                   "or split over two channels): this page shows it once and itstrat keeps only "
                   "a hash of it. Ask the person to change it at once on their account page."
                   "</p>\n<p><code class=\"secret\" id=\"new-password\">%s</code></p>\n", login,
                pw);
    html_printf(b, "<p><a href=\"/admin/users/%lld\">Back to the account</a></p>\n",
                (long long)id);
    layout_end(rq, rs);
}

/* ---- /admin/users ------------------------------------------------------ */

/* What the add form was sent with. */
typedef struct AddForm {
    const char *login, *name, *role;
} AddForm;

static int users_page(Req *rq, Resp *rs, const AddForm *f, const FormProblems *p, int status)
{
    UserRow *a;
    size_t n;
    if (store_user_list(rq->db, &a, &n)) return -1;
    Buf *b = &rs->body;
    rs->status = status;
    rs->cache_control = HTTP_PRIVATE;
    layout_begin(rq, rs, NAV_NONE, "Accounts");
    admin_nav(b);
    form_problems(b, p);
    html_lit(b, "<div class=\"table-wrap\"><table class=\"data accounts\">\n<caption>Every "
                "account</caption>\n<thead><tr><th scope=\"col\">Login</th><th scope=\"col\">"
                "Name</th><th scope=\"col\">Role</th><th scope=\"col\">Two-factor</th>"
                "<th scope=\"col\">Disabled</th><th scope=\"col\">Locked until (UTC)</th>"
                "<th scope=\"col\" class=\"num\">Failed sign-ins</th></tr></thead>\n<tbody>\n");
    for (size_t k = 0; k < n; k++) {
        const UserRow *u = &a[k];
        html_printf(b, "<tr><th scope=\"row\"><a href=\"/admin/users/%lld\">%s</a></th>"
                       "<td>%s</td><td>%s</td><td>%s</td><td>%s</td><td class=\"nowrap\">",
                    (long long)u->id, u->login, u->name ? u->name : "", u->role,
                    u->totp_secret ? "on" : "off", u->disabled ? "yes" : "no");
        if (is_locked(u))
            html_printf(b, "%.10s %.5s", u->locked_until, u->locked_until + 11);
        else
            html_lit(b, "—");
        html_printf(b, "</td><td class=\"num\">%d</td></tr>\n", u->failed_logins);
    }
    html_lit(b, "</tbody></table></div>\n");
    store_user_list_free(a, n);

    html_lit(b, "<section class=\"card admin\" aria-labelledby=\"add-account\">\n"
                "<h2 id=\"add-account\">Add an account</h2>\n<p>The account gets a random "
                "password, shown once on the next page, for you to pass on.</p>\n");
    form_begin(rq, b, "/admin/users");
    form_field(b, FORM_CODE, "login", "Login", f ? f->login : NULL,
               "1 to 64 letters, digits and . _ - @ (case does not matter)", 1,
               form_problem_of(p, "login"), "off");
    form_field(b, FORM_TEXT, "name", "Full name", f ? f->name : NULL, NULL, 0,
               form_problem_of(p, "name"), "off");
    form_select(b, "role", "Role", roles, NULL, NROLES, f && f->role ? f->role : "viewer", 0,
                "viewer: reads; contributor: updates what is assigned; manager: edits "
                "everything; admin: also accounts and settings", form_problem_of(p, "role"));
    form_end(b, "Add account");
    html_lit(b, "</section>\n");
    layout_end(rq, rs);
    return 0;
}

/* Checks a full name (NULL or "" is none); adds a problem to p. */
static void check_name(Req *rq, FormProblems *p, const char *name)
{
    if (!name || !*name) return;
    if (form_chars(name) > USER_NAME_MAX)
        form_problem(rq, p, "name", "The name has %zu characters; use at most %d.",
                     form_chars(name), USER_NAME_MAX);
    else if (form_has_control(name))
        form_problem(rq, p, "name", "The name may not hold tabs, line breaks or other control "
                                    "characters.");
}

int page_admin_users(Req *rq, Resp *rs)
{
    FormProblems p = {NULL, 0};
    if (rq->method != M_POST) return users_page(rq, rs, NULL, &p, 200);
    AddForm f = {query_get(&rq->form, "login"), query_get(&rq->form, "name"),
                 query_get(&rq->form, "role")};
    if (!f.login || !*f.login)
        form_problem(rq, &p, "login", "Enter a login.");
    else if (!store_user_login_valid(f.login))
        form_problem(rq, &p, "login", "A login is 1 to %d letters, digits and . _ - @ "
                                      "(no spaces or other characters).", USER_LOGIN_MAX);
    check_name(rq, &p, f.name);
    if (!store_user_role_valid(f.role))
        form_problem(rq, &p, "role", "Choose a role: admin, manager, contributor or viewer.");
    if (p.n) return users_page(rq, rs, &f, &p, 422);

    char pw[PASSWORD_RANDOM_CHARS + 1], hash[PASSWORD_HASH_SIZE];
    password_random(pw);
    if (password_hash(pw, hash))
        return http_error(rq, rs, 503, "The server is short of memory to hash a password; try "
                                       "again in a minute.");
    const char *name = f.name && *f.name ? f.name : NULL;
    Buf after = BUF_INIT;
    buf_puts(&after, "{\"role\": ");
    json_quote(&after, f.role);
    if (name) {
        buf_puts(&after, ", \"name\": ");
        json_quote(&after, name);
    }
    buf_puts(&after, ", \"password\": \"set\", \"disabled\": false}");
    int64_t id = 0;
    int rc = -1;
    if (db_begin(rq->db)) goto out;
    int r = store_user_create(rq->db, f.login, name, f.role, hash, &id);
    if (r != 0 || audit_admin(rq, "create", "user", f.login, NULL, buf_str(&after)) ||
        db_commit(rq->db)) {
        db_rollback(rq->db);
        if (r == 1) {
            form_problem(rq, &p, "login", "The login \"%s\" is taken (case does not matter); "
                                          "choose another.", f.login);
            rc = users_page(rq, rs, &f, &p, 422);
        }
        goto out;
    }
    password_shown(rq, rs, "Account added", f.login, id, pw);
    rc = 0;
out:
    buf_free(&after);
    return rc;
}

/* ---- /admin/users/{id} ------------------------------------------------- */

/* What the assignment form was sent with. */
typedef struct AssignForm {
    const char *strategy, *kind, *code;
} AssignForm;

/* The notice of ?done=WHAT ("" when none or unknown). */
static const char *user_notice(const Req *rq)
{
    static const struct { const char *key, *msg; } t[] = {
        {"role", "The role was changed."},
        {"disable", "The account was disabled; its sessions were ended."},
        {"enable", "The account was enabled; its failed sign-ins and lock-out were cleared."},
        {"unlock", "The lock-out was cleared."},
        {"totp_off", "Two-factor sign-in was removed; the account can set it up again."},
        {"assign_add", "The assignment was added."},
        {"assign_remove", "The assignment was removed."},
    };
    const char *d = query_get(&rq->query, "done");
    for (size_t k = 0; d && k < sizeof t / sizeof *t; k++)
        if (strcmp(d, t[k].key) == 0) return t[k].msg;
    return "";
}

/* Opens a form posting action to the account's page, with the version. */
static void action_form(Req *rq, Buf *b, const UserRow *u, const char *action)
{
    form_begin(rq, b, arena_printf(&rq->arena, "/admin/users/%lld", (long long)u->id));
    html_printf(b, "<input type=\"hidden\" name=\"action\" value=\"%s\">"
                   "<input type=\"hidden\" name=\"version\" value=\"%lld\">\n",
                action, (long long)u->version);
}

static void assignments_section(Req *rq, Buf *b, const UserRow *u, const AssignRow *a, size_t n,
                                const AssignForm *f, const FormProblems *p)
{
    static const char *const kinds[] = {"project", "indicator"};
    html_lit(b, "<section class=\"card admin\" aria-labelledby=\"u-assign\">\n<h2 id=\"u-assign\">"
                "Assignments</h2>\n<p>A contributor may update only the projects and indicators "
                "assigned here; other roles ignore assignments.</p>\n");
    if (strcmp(u->role, "contributor") != 0)
        html_printf(b, "<p class=\"note\">This account is a %s: its assignments take effect only "
                       "if it becomes a contributor.</p>\n", u->role);
    if (n == 0) {
        html_lit(b, "<p class=\"muted\">Nothing is assigned.</p>\n");
    } else {
        html_lit(b, "<div class=\"table-wrap\"><table class=\"data\">\n<caption>Assigned</caption>"
                    "\n<thead><tr><th scope=\"col\">Strategy</th><th scope=\"col\">Kind</th>"
                    "<th scope=\"col\">Code</th><th scope=\"col\">Title</th><th scope=\"col\">"
                    "<span class=\"visually-hidden\">Action</span></th></tr></thead>\n<tbody>\n");
        const char *action = arena_printf(&rq->arena, "/admin/users/%lld", (long long)u->id);
        for (size_t k = 0; k < n; k++) {
            const char *kind = a[k].is_indicator ? "indicator" : "project";
            html_printf(b, "<tr><td>%s</td><td>%s</td><td><a href=\"/s/", a[k].strategy, kind);
            html_url_param(b, a[k].strategy);
            html_printf(b, "/%s/", a[k].is_indicator ? "indicators" : "projects");
            html_url_param(b, a[k].code);
            html_printf(b, "\">%s</a></td><td>%s</td><td>", a[k].code, a[k].title);
            html_printf(b, "<form class=\"inline\" method=\"post\" action=\"%s\">", action);
            session_csrf_field(rq, b);
            html_printf(b, "<input type=\"hidden\" name=\"action\" value=\"assign_remove\">"
                           "<input type=\"hidden\" name=\"kind\" value=\"%s\">"
                           "<input type=\"hidden\" name=\"target\" value=\"%lld\">"
                           "<button type=\"submit\" class=\"secondary\" aria-label=\"Remove %s %s\">"
                           "Remove</button></form></td></tr>\n",
                        kind, (long long)a[k].target_id, kind, a[k].code);
        }
        html_lit(b, "</tbody></table></div>\n");
    }
    html_lit(b, "<h3>Assign a project or an indicator</h3>\n");
    action_form(rq, b, u, "assign_add");
    form_field(b, FORM_CODE, "strategy", "Strategy code", f ? f->strategy : NULL,
               "e.g. 2018-21", 1, form_problem_of(p, "strategy"), "off");
    form_select(b, "kind", "Kind", kinds, NULL, 2, f && f->kind ? f->kind : "project", 0, NULL,
                form_problem_of(p, "kind"));
    form_field(b, FORM_CODE, "code", "Project or indicator code", f ? f->code : NULL, NULL, 1,
               form_problem_of(p, "code"), "off");
    form_end(b, "Assign");
    html_lit(b, "</section>\n");
}

/* The page of account u with problems p (may be empty), the assignment
 * form's values (f may be NULL) and status. 0 or -1. */
static int user_page(Req *rq, Resp *rs, const UserRow *u, const AssignForm *f,
                     const FormProblems *p, int status)
{
    AssignRow *a;
    size_t n;
    if (store_assign_list(rq->db, u->id, &a, &n)) return -1;
    int64_t nsessions = store_session_count(rq->db, u->id);
    if (nsessions < 0) {
        store_assign_list_free(a, n);
        return -1;
    }
    int self = u->id == rq->user->id;
    Buf *b = &rs->body;
    rs->status = status;
    rs->cache_control = HTTP_PRIVATE;
    layout_begin(rq, rs, NAV_NONE, arena_printf(&rq->arena, "Account %s", u->login));
    admin_nav(b);
    const char *notice = user_notice(rq);
    if (*notice && !p->n) html_printf(b, "<p class=\"notice\" role=\"status\">%s</p>\n", notice);
    form_problems(b, p);
    html_printf(b, "<dl class=\"fields\"><dt>Login</dt><dd><code>%s</code>%s</dd><dt>Name</dt>"
                   "<dd>%s</dd><dt>Role</dt><dd>%s</dd><dt>Two-factor sign-in</dt><dd>%s</dd>"
                   "<dt>Disabled</dt><dd>%s</dd><dt>Failed sign-ins</dt><dd>%d</dd>"
                   "<dt>Locked until</dt><dd>",
                u->login, self ? " (you)" : "", u->name && *u->name ? u->name : "—", u->role,
                u->totp_secret ? "on" : "off", u->disabled ? "yes" : "no", u->failed_logins);
    if (is_locked(u))
        html_printf(b, "%.10s %.5s UTC", u->locked_until, u->locked_until + 11);
    else
        html_lit(b, "—");
    html_printf(b, "</dd><dt>Sessions</dt><dd>%lld</dd><dt>Created</dt><dd>%.10s</dd>"
                   "<dt>Version</dt><dd>%lld</dd></dl>\n",
                (long long)nsessions, u->created_at, (long long)u->version);

    html_lit(b, "<section class=\"card admin\" aria-labelledby=\"u-role\">\n<h2 id=\"u-role\">"
                "Role</h2>\n");
    action_form(rq, b, u, "role");
    form_select(b, "role", "Role", roles, NULL, NROLES, u->role, 0, NULL,
                form_problem_of(p, "role"));
    form_end(b, "Change role");
    html_lit(b, "</section>\n");

    html_lit(b, "<section class=\"card admin\" aria-labelledby=\"u-access\">\n<h2 id=\"u-access\">"
                "Access</h2>\n");
    if (u->disabled) {
        html_lit(b, "<p>This account is disabled: it cannot sign in and its API tokens do not "
                    "work.</p>\n");
        action_form(rq, b, u, "enable");
        form_end(b, "Enable the account");
    } else if (self) {
        html_lit(b, "<p>You cannot disable your own account; another admin can.</p>\n");
    } else {
        html_lit(b, "<p>Disabling ends the account's sessions and stops its API tokens; "
                    "enabling it again also clears a lock-out.</p>\n");
        action_form(rq, b, u, "disable");
        if (form_problem_of(p, "disable"))
            html_printf(b, "<p class=\"field-error\">%s</p>", form_problem_of(p, "disable"));
        form_end(b, "Disable the account");
    }
    if (!u->disabled && (u->failed_logins || u->locked_until)) {
        html_printf(b, "<p>%d failed sign-in%s since the last good one.</p>\n", u->failed_logins,
                    u->failed_logins == 1 ? "" : "s");
        action_form(rq, b, u, "unlock");
        form_end(b, "Clear failed sign-ins and lock-out");
    }
    html_lit(b, "</section>\n");

    html_lit(b, "<section class=\"card admin\" aria-labelledby=\"u-pw\">\n<h2 id=\"u-pw\">"
                "Password and two-factor sign-in</h2>\n");
    if (self) {
        html_lit(b, "<p>Change your own password on <a href=\"/account/password\">your account "
                    "page</a>.</p>\n");
    } else {
        html_lit(b, "<p>A new random password, shown once, for a person who forgot theirs. It "
                    "ends the account's sessions.</p>\n");
        action_form(rq, b, u, "password");
        form_end(b, "Set a new random password");
    }
    if (u->totp_secret) {
        html_lit(b, "<p>For a person who lost their authenticator and recovery codes: removing "
                    "two-factor sign-in lets them sign in with their password and set it up "
                    "again.</p>\n");
        action_form(rq, b, u, "totp_off");
        form_end(b, "Remove two-factor sign-in");
    } else {
        html_lit(b, "<p>Two-factor sign-in is not set up for this account.</p>\n");
    }
    html_lit(b, "</section>\n");

    assignments_section(rq, b, u, a, n, f, p);
    store_assign_list_free(a, n);
    layout_end(rq, rs);
    return 0;
}

/* Builds {"KEY": "VALUE"} (value NULL: null) into b. */
static void json_pair(Buf *b, const char *key, const char *value)
{
    buf_putc(b, '{');
    json_quote(b, key);
    buf_puts(b, ": ");
    if (value) json_quote(b, value);
    else buf_puts(b, "null");
    buf_putc(b, '}');
}

/* Runs one change of account u (action of the form) inside the caller's
 * transaction; the row is known to be at the version the form showed.
 * Returns 0 done, 1 refused (a problem added to p, status in *status), -1.
 * pw_hash is the hash of the new random password of action "password". */
static int user_change(Req *rq, UserRow *u, const char *action, FormProblems *p, int *status,
                       const char *pw_hash)
{
    Buf before = BUF_INIT, after = BUF_INIT;
    int rc = -1, self = u->id == rq->user->id;
    int active_admin = strcmp(u->role, "admin") == 0 && !u->disabled;
    const char *audit_action = action;
    if (strcmp(action, "role") == 0) {
        const char *role = query_get(&rq->form, "role");
        if (!store_user_role_valid(role)) {
            form_problem(rq, p, "role", "Choose a role: admin, manager, contributor or viewer.");
            goto refused;
        }
        if (strcmp(role, u->role) == 0) {
            form_problem(rq, p, "role", "The account is a %s already.", role);
            goto refused;
        }
        if (active_admin && strcmp(role, "admin") != 0) {
            int64_t admins = store_user_active_admins(rq->db);
            if (admins < 0) goto out;
            if (admins <= 1) {
                form_problem(rq, p, "role", "%s is the last active admin and must stay one: make "
                             "another account admin first.", u->login);
                goto refused;
            }
        }
        json_pair(&before, "role", u->role);
        json_pair(&after, "role", role);
        if (store_user_set_role(rq->db, u->id, role)) goto out;
    } else if (strcmp(action, "disable") == 0 || strcmp(action, "enable") == 0) {
        int disable = action[0] == 'd';
        if (disable == u->disabled) {
            form_problem(rq, p, "_form", "The account is %s already.",
                         disable ? "disabled" : "enabled");
            goto refused;
        }
        if (disable && self) {
            form_problem(rq, p, "disable", "You cannot disable your own account.");
            goto refused;
        }
        if (disable && active_admin) {
            int64_t admins = store_user_active_admins(rq->db);
            if (admins < 0) goto out;
            if (admins <= 1) {
                form_problem(rq, p, "disable", "%s is the last active admin and cannot be "
                             "disabled.", u->login);
                goto refused;
            }
        }
        buf_printf(&before, "{\"disabled\": %s}", disable ? "false" : "true");
        buf_printf(&after, "{\"disabled\": %s}", disable ? "true" : "false");
        if (store_user_set_disabled(rq->db, u->id, disable)) goto out;
    } else if (strcmp(action, "unlock") == 0) {
        buf_printf(&before, "{\"failed_logins\": %d}", u->failed_logins);
        buf_puts(&after, "{\"failed_logins\": 0}");
        if (store_user_login_ok(rq->db, u->id)) goto out;
    } else if (strcmp(action, "password") == 0) {
        if (self) {
            form_problem(rq, p, "_form", "Change your own password on your account page.");
            goto refused;
        }
        audit_action = "passwd";
        buf_puts(&after, "{\"password\": \"changed\"}");
        if (store_user_set_password(rq->db, u->id, pw_hash)) goto out;
    } else if (strcmp(action, "totp_off") == 0) {
        if (!u->totp_secret) {
            form_problem(rq, p, "_form", "Two-factor sign-in is not set up for this account.");
            goto refused;
        }
        audit_action = "mfa_reset";
        buf_puts(&before, "{\"mfa\": true}");
        buf_puts(&after, "{\"mfa\": false}");
        if (store_user_set_totp(rq->db, u->id, NULL)) goto out;
    } else {
        form_problem(rq, p, "_form", "This form asked for something this page does not do; "
                                     "reload the page and try again.");
        goto refused;
    }
    if (audit_admin(rq, audit_action, "user", u->login, before.n ? buf_str(&before) : NULL,
                    buf_str(&after)))
        goto out;
    rc = 0;
    goto out;
refused:
    *status = 422;
    rc = 1;
out:
    buf_free(&before);
    buf_free(&after);
    return rc;
}

/* Adds or removes an assignment of account u (action assign_add or
 * assign_remove). 0 and the answer in rs, or -1. */
static int user_assign(Req *rq, Resp *rs, UserRow *u, const char *action)
{
    FormProblems p = {NULL, 0};
    AssignForm f = {query_get(&rq->form, "strategy"), query_get(&rq->form, "kind"),
                    query_get(&rq->form, "code")};
    int is_indicator = f.kind && strcmp(f.kind, "indicator") == 0;
    if (!f.kind || (!is_indicator && strcmp(f.kind, "project") != 0))
        form_problem(rq, &p, "kind", "Choose project or indicator.");
    Buf before = BUF_INIT, after = BUF_INIT;
    int rc = -1;
    if (strcmp(action, "assign_add") == 0) {
        if (!f.strategy || !*f.strategy)
            form_problem(rq, &p, "strategy", "Enter the code of the strategy.");
        else if (form_chars(f.strategy) > ASSIGN_CODE_MAX || form_has_control(f.strategy))
            form_problem(rq, &p, "strategy", "A strategy code has at most %d characters.",
                         ASSIGN_CODE_MAX);
        if (!f.code || !*f.code)
            form_problem(rq, &p, "code", "Enter the code of the project or indicator.");
        else if (form_chars(f.code) > ASSIGN_CODE_MAX || form_has_control(f.code))
            form_problem(rq, &p, "code", "A code has at most %d characters.", ASSIGN_CODE_MAX);
        if (p.n) {
            rc = user_page(rq, rs, u, &f, &p, 422);
            goto out;
        }
        buf_printf(&after, "{\"%s\": {\"strategy\": ", is_indicator ? "indicator" : "project");
        json_quote(&after, f.strategy);
        buf_puts(&after, ", \"code\": ");
        json_quote(&after, f.code);
        buf_puts(&after, "}}");
        if (db_begin(rq->db)) goto out;
        int r = store_assign_add(rq->db, u->id, f.strategy, is_indicator, f.code, NULL);
        if (r != 0 || audit_admin(rq, "assign", "user", u->login, NULL, buf_str(&after)) ||
            db_commit(rq->db)) {
            db_rollback(rq->db);
            if (r == 1 || r == 2) {
                if (r == 1)
                    form_problem(rq, &p, "code", "This %s is assigned to %s already.", f.kind,
                                 u->login);
                else
                    form_problem(rq, &p, "code", "There is no %s \"%s\" in a strategy \"%s\". "
                                 "Check both codes.", f.kind, f.code, f.strategy);
                rc = user_page(rq, rs, u, &f, &p, 422);
            }
            goto out;
        }
    } else {
        int64_t target = 0;
        AssignRow *a = NULL;
        size_t n = 0;
        const AssignRow *hit = NULL;
        if (!(target = http_parse_id(query_get(&rq->form, "target"))))
            form_problem(rq, &p, "_form", "This form names no assignment; reload the page.");
        if (p.n) {
            rc = user_page(rq, rs, u, NULL, &p, 422);
            goto out;
        }
        if (db_begin(rq->db)) goto out;
        if (store_assign_list(rq->db, u->id, &a, &n)) goto rollback;
        for (size_t k = 0; k < n && !hit; k++)
            if (a[k].is_indicator == is_indicator && a[k].target_id == target) hit = &a[k];
        if (!hit) {
            db_rollback(rq->db);
            store_assign_list_free(a, n);
            form_problem(rq, &p, "_form", "That assignment is not there (removed already?).");
            rc = user_page(rq, rs, u, NULL, &p, 422);
            goto out;
        }
        buf_printf(&before, "{\"%s\": {\"strategy\": ", is_indicator ? "indicator" : "project");
        json_quote(&before, hit->strategy);
        buf_puts(&before, ", \"code\": ");
        json_quote(&before, hit->code);
        buf_puts(&before, "}}");
        store_assign_list_free(a, n);
        if (store_assign_remove(rq->db, u->id, is_indicator, target) ||
            audit_admin(rq, "unassign", "user", u->login, buf_str(&before), NULL) ||
            db_commit(rq->db))
            goto rollback;
    }
    rc = http_redirect(rs, arena_printf(&rq->arena, "/admin/users/%lld?done=%s",
                                        (long long)u->id, action));
    goto out;
rollback:
    db_rollback(rq->db);
out:
    buf_free(&before);
    buf_free(&after);
    return rc;
}

int page_admin_user(Req *rq, Resp *rs)
{
    int64_t id;
    UserRow u;
    if (!(id = http_parse_id(rq->args[0])))
        return http_error(rq, rs, 404, "There is no such account. The accounts are listed at "
                                       "/admin/users.");
    int found = store_user_get_id(rq->db, id, &u);
    if (found <= 0)
        return found < 0 ? -1 : http_error(rq, rs, 404, "There is no such account. The accounts "
                                                         "are listed at /admin/users.");
    FormProblems p = {NULL, 0};
    int rc = -1;
    if (rq->method != M_POST) {
        rc = user_page(rq, rs, &u, NULL, &p, 200);
        goto out;
    }
    const char *action = query_get(&rq->form, "action");
    if (action && (strcmp(action, "assign_add") == 0 || strcmp(action, "assign_remove") == 0)) {
        rc = user_assign(rq, rs, &u, action);
        goto out;
    }
    int64_t version;
    if (!action || !(version = http_parse_id(query_get(&rq->form, "version")))) {
        form_problem(rq, &p, "_form", "This form is incomplete (no action or version); reload "
                                      "the page and try again.");
        rc = user_page(rq, rs, &u, NULL, &p, 422);
        goto out;
    }
    /* A new password is hashed before the transaction: a quarter second
     * that need not hold the write lock. */
    char pw[PASSWORD_RANDOM_CHARS + 1], hash[PASSWORD_HASH_SIZE];
    int is_pw = strcmp(action, "password") == 0 && u.id != rq->user->id;
    if (is_pw) {
        password_random(pw);
        if (password_hash(pw, hash)) {
            rc = http_error(rq, rs, 503, "The server is short of memory to hash a password; "
                                         "try again in a minute.");
            goto out;
        }
    }
    if (db_begin(rq->db)) goto out;
    int stale = store_user_check_version(rq->db, u.id, version);
    if (stale < 0) goto rollback;
    if (stale || u.version != version) {
        db_rollback(rq->db);
        store_user_free(&u);
        found = store_user_get_id(rq->db, id, &u);
        if (found <= 0) {
            rc = found < 0 ? -1 : http_error(rq, rs, 404, "This account was removed.");
            goto out;
        }
        form_problem(rq, &p, "_form", "Someone changed this account since the page was shown; "
                                      "here it is as it is now. Check it and make your change "
                                      "again if it is still needed.");
        rc = user_page(rq, rs, &u, NULL, &p, 409);
        goto out;
    }
    int status = 200;
    int r = user_change(rq, &u, action, &p, &status, is_pw ? hash : NULL);
    if (r < 0) goto rollback;
    if (r == 1) {
        db_rollback(rq->db);
        rc = user_page(rq, rs, &u, NULL, &p, status);
        goto out;
    }
    if (db_commit(rq->db)) goto rollback;
    if (is_pw)
        password_shown(rq, rs, "New password", u.login, u.id, pw);
    else
        http_redirect(rs, arena_printf(&rq->arena, "/admin/users/%lld?done=%s", (long long)u.id,
                                       action));
    rc = 0;
    goto out;
rollback:
    db_rollback(rq->db);
out:
    if (found > 0) store_user_free(&u);
    return rc;
}

/* ---- /admin/settings --------------------------------------------------- */

static int settings_page(Req *rq, Resp *rs, const FormProblems *p, int status)
{
    UserRow *a;
    size_t n, without = 0;
    if (store_user_list(rq->db, &a, &n)) return -1;
    for (size_t k = 0; k < n; k++)
        if (!a[k].disabled && !a[k].totp_secret) without++;
    store_user_list_free(a, n);
    int on = session_mfa_required(rq);
    Buf *b = &rs->body;
    rs->status = status;
    rs->cache_control = HTTP_PRIVATE;
    layout_begin(rq, rs, NAV_NONE, "Settings");
    admin_nav(b);
    const char *d = query_get(&rq->query, "done");
    if (d && strcmp(d, "saved") == 0 && !p->n)
        html_lit(b, "<p class=\"notice\" role=\"status\">The settings were saved.</p>\n");
    form_problems(b, p);
    html_printf(b, "<p>%zu active account%s %s no two-factor sign-in yet.</p>\n", without,
                without == 1 ? "" : "s", without == 1 ? "has" : "have");
    form_begin(rq, b, "/admin/settings");
    form_field(b, FORM_CHECKBOX, "require_mfa", "Require two-factor sign-in for every account",
               on ? "1" : NULL,
               "An account without it (yours too) is sent to set it up at its next request and "
               "can open nothing else until it has; no one can turn it off.", 0,
               form_problem_of(p, "require_mfa"), NULL);
    form_end(b, "Save settings");
    layout_end(rq, rs);
    return 0;
}

int page_admin_settings(Req *rq, Resp *rs)
{
    FormProblems p = {NULL, 0};
    if (rq->method != M_POST) return settings_page(rq, rs, &p, 200);
    const char *v = query_get(&rq->form, "require_mfa");
    if (v && strcmp(v, "1") != 0 && strcmp(v, "on") != 0) {
        form_problem(rq, &p, "require_mfa", "Tick the box or leave it empty.");
        return settings_page(rq, rs, &p, 422);
    }
    const char *want = v ? "1" : "0";
    Buf old = BUF_INIT, before = BUF_INIT, after = BUF_INIT;
    int rc = -1;
    if (db_begin(rq->db)) goto out;
    int r = store_setting_get(rq->db, "require_mfa", &old);
    if (r < 0) goto rollback;
    const char *was = r == 1 ? buf_str(&old) : "0";
    if (strcmp(was, want) != 0) {
        json_pair(&before, "value", r == 1 ? buf_str(&old) : NULL);
        json_pair(&after, "value", want);
        if (store_setting_set(rq->db, "require_mfa", want) ||
            audit_admin(rq, "set", "setting", "require_mfa", buf_str(&before), buf_str(&after)))
            goto rollback;
    }
    if (db_commit(rq->db)) goto rollback;
    rc = http_redirect(rs, "/admin/settings?done=saved");
    goto out;
rollback:
    db_rollback(rq->db);
out:
    buf_free(&old);
    buf_free(&before);
    buf_free(&after);
    return rc;
}
