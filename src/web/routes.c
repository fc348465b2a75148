/*
 * routes.c — the route table and the dispatcher (routes.h).
 */
#include "routes.h"

#include <stdio.h>
#include <string.h>

#include "html.h"
#include "pages.h"
#include "session.h"

WebConfig web_config;

#define GET (M_GET | M_HEAD)
#define FORM (M_GET | M_HEAD | M_POST)

/* Sorted by pattern (a unit test checks it). */
const Route routes[] = {
    {"/", GET, PERM_ANY, PERM_ANY, LIGHT, page_index, "the strategies in the database"},
    {"/account", GET, PERM_SIGNED, PERM_SIGNED, LIGHT, page_account,
     "your account: password, two-factor sign-in, API tokens, sessions"},
    {"/account/logout-everywhere", M_POST, PERM_SIGNED, PERM_SIGNED, LIGHT, page_account_logout_all,
     "end every session of your account (tokens=revoke: and revoke your API tokens)"},
    {"/account/mfa", FORM, PERM_SIGNED, PERM_SIGNED, LIGHT, page_account_mfa,
     "set up (QR code) or remove two-factor sign-in"},
    {"/account/password", FORM, PERM_SIGNED, PERM_SIGNED, LIGHT, page_account_password,
     "change your password"},
    {"/account/recovery", M_POST, PERM_SIGNED, PERM_SIGNED, LIGHT, page_account_recovery,
     "new one-time recovery codes"},
    {"/account/tokens", M_POST, PERM_SIGNED, PERM_SIGNED, LIGHT, page_account_tokens,
     "create an API token (shown once)"},
    {"/account/tokens/{id}/revoke", M_POST, PERM_SIGNED, PERM_SIGNED, LIGHT, page_account_token_revoke,
     "revoke one of your API tokens"},
    {"/admin/audit", GET, PERM_ADMIN, PERM_ADMIN, LIGHT, page_admin_audit,
     "the audit trail, filtered, with its chain check"},
    {"/admin/audit.csv", GET, PERM_ADMIN, PERM_ADMIN, HEAVY, page_admin_audit_csv,
     "the filtered audit trail as CSV"},
    {"/admin/settings", FORM, PERM_ADMIN, PERM_ADMIN, LIGHT, page_admin_settings,
     "settings: require two-factor sign-in for everyone"},
    {"/admin/users", FORM, PERM_ADMIN, PERM_ADMIN, LIGHT, page_admin_users, "accounts: list and add"},
    {"/admin/users/{id}", FORM, PERM_ADMIN, PERM_ADMIN, LIGHT, page_admin_user,
     "an account: role, disable, unlock, new password, assignments"},
    {"/api/v1/strategies", GET, PERM_ANY, PERM_ANY, LIGHT, api_strategies, "the strategies (JSON)"},
    {"/api/v1/strategies/{s}", GET, PERM_READ, PERM_READ, LIGHT, api_strategy,
     "a strategy: outcomes, outputs, drivers, categories, totals"},
    {"/api/v1/strategies/{s}/expenditure", GET, PERM_READ, PERM_READ, LIGHT, api_expenditure,
     "IT expenditure lines, filter by year and category"},
    {"/api/v1/strategies/{s}/governance", GET, PERM_READ, PERM_READ, LIGHT, api_governance,
     "committees, meetings and decisions"},
    {"/api/v1/strategies/{s}/indicators", GET, PERM_READ, PERM_READ, LIGHT, api_indicators,
     "indicators with derived status"},
    {"/api/v1/strategies/{s}/indicators/{code}", GET, PERM_READ, PERM_READ, LIGHT, api_indicator,
     "an indicator with milestones and measurements"},
    {"/api/v1/strategies/{s}/projects", GET, PERM_READ, PERM_READ, LIGHT, api_projects,
     "projects, with the portfolio's filters, sorting and paging"},
    {"/api/v1/strategies/{s}/projects/{code}", GET, PERM_READ, PERM_READ, LIGHT, api_project,
     "a project with roll-out, dependencies, updates and decisions"},
    {"/api/v1/strategies/{s}/records/{entity}", M_GET | M_HEAD | M_POST, PERM_SIGNED, PERM_EDIT, LIGHT,
     api_records, "records of one kind (with ids and versions); POST creates one"},
    {"/api/v1/strategies/{s}/records/{entity}/{id}", M_GET | M_HEAD | M_PATCH | M_DELETE,
     PERM_SIGNED, PERM_EDIT, LIGHT, api_record, "one record; PATCH changes it, DELETE removes it"},
    {"/api/v1/strategies/{s}/records/{entity}/{id}/history", GET, PERM_SIGNED, PERM_SIGNED, LIGHT,
     api_record_history, "the audit entries of one record"},
    {"/api/v1/strategies/{s}/reports", GET, PERM_READ, PERM_READ, LIGHT, api_reports, "report metadata by year"},
    {"/api/v1/strategies/{s}/risks", GET, PERM_READ, PERM_READ, LIGHT, api_risks,
     "the risk register with levels and actions"},
    {"/api/v1/strategies/{s}/services", GET, PERM_READ, PERM_READ, LIGHT, api_services,
     "services with SLA targets and monthly compliance"},
    {"/api/v1/strategies/{s}/stats", GET, PERM_READ, PERM_READ, LIGHT, api_stats,
     "project counts by outcome/driver, category, status, year for a filter"},
    {"/login", FORM, PERM_ANY, PERM_ANY, LIGHT, page_login, "sign in with login and password"},
    {"/login/code", FORM, PERM_ANY, PERM_ANY, LIGHT, page_login_code,
     "the second step of signing in: authenticator or recovery code"},
    {"/login/oidc/callback", GET, PERM_ANY, PERM_ANY, LIGHT, page_oidc_callback,
     "where an identity provider sends the browser back (state, code)"},
    {"/login/oidc/{provider}", GET, PERM_ANY, PERM_ANY, LIGHT, page_oidc_start,
     "sign in through an identity provider (OpenID Connect)"},
    {"/logout", M_POST, PERM_ANY, PERM_ANY, LIGHT, page_logout, "sign out: end this session"},
    {"/s/{s}", GET, PERM_READ, PERM_READ, LIGHT, page_home, "the strategy at a glance"},
    {"/s/{s}/expenditure", GET, PERM_READ, PERM_READ, LIGHT, page_expenditure, "IT spending by category and year"},
    {"/s/{s}/governance", GET, PERM_READ, PERM_READ, LIGHT, page_governance, "meetings and decisions"},
    {"/s/{s}/indicators", GET, PERM_READ, PERM_READ, LIGHT, page_indicators, "indicators and their status"},
    {"/s/{s}/indicators/{code}", GET, PERM_READ, PERM_READ, LIGHT, page_indicator,
     "an indicator: measurements against baseline, milestones and target"},
    {"/s/{s}/portfolio", GET, PERM_READ, PERM_READ, LIGHT, page_portfolio,
     "the projects: filters, search, sorting, paging, figures"},
    {"/s/{s}/portfolio.csv", GET, PERM_READ, PERM_READ, HEAVY, page_portfolio_csv, "the filtered projects as CSV"},
    {"/s/{s}/portfolio.xlsx", GET, PERM_READ, PERM_READ, HEAVY, page_portfolio_xlsx,
     "the filtered projects as an Excel workbook"},
    {"/s/{s}/projects/{code}", GET, PERM_READ, PERM_READ, LIGHT, page_project, "one project, every field"},
    {"/s/{s}/records", GET, PERM_SIGNED, PERM_SIGNED, LIGHT, page_records,
     "every kind of record of the strategy, to browse and edit"},
    {"/s/{s}/records/{entity}", GET, PERM_SIGNED, PERM_SIGNED, LIGHT, page_record_list,
     "the records of one kind"},
    {"/s/{s}/records/{entity}/new", FORM, PERM_EDIT, PERM_EDIT, LIGHT, page_record_new,
     "add a record"},
    {"/s/{s}/records/{entity}/{id}", GET, PERM_SIGNED, PERM_SIGNED, LIGHT, page_record,
     "a record: its fields, what belongs to it, its history"},
    {"/s/{s}/records/{entity}/{id}/delete", FORM, PERM_EDIT, PERM_EDIT, LIGHT, page_record_delete,
     "delete a record, after showing what depends on it"},
    {"/s/{s}/records/{entity}/{id}/edit", FORM, PERM_EDIT, PERM_EDIT, LIGHT, page_record_edit,
     "change a record (refused when someone saved it since)"},
    {"/s/{s}/reports", GET, PERM_READ, PERM_READ, LIGHT, page_reports, "the governing-body reports by year"},
    {"/s/{s}/reports/{year}", GET, PERM_READ, PERM_READ, HEAVY, page_report,
     "the report of a year, shown or downloaded (HTML, PDF or Markdown)"},
    {"/s/{s}/risks", GET, PERM_READ, PERM_READ, LIGHT, page_risks, "the risk register and heat maps"},
    {"/s/{s}/services", GET, PERM_READ, PERM_READ, LIGHT, page_services, "service levels and their trend"},
    {"/s/{s}/sheets/{file}", GET, PERM_READ, PERM_READ, HEAVY, page_sheet_download,
     "the rows of a kind as KIND.csv or KIND.xlsx, which import back unchanged"},
    {"/s/{s}/strategy", GET, PERM_READ, PERM_READ, LIGHT, page_strategy, "outcomes, outputs, drivers and projects"},
    {"/static/{file}", GET, PERM_ANY, PERM_ANY, LIGHT, static_asset, "style sheet and icons (cached)"},
};
const int nroutes = (int)(sizeof routes / sizeof *routes);

/* Matches path against pattern; fills rq->args with the {...} segments
 * (the {s} one goes first) as arena copies. Returns 1 on a match. */
static int route_match(const char *pattern, const char *path, Req *rq)
{
    const char *p = pattern, *u = path;
    int nargs = 0;
    const char *args[4];
    while (*p && *u) {
        if (*p != '/' || *u != '/') return 0;
        p++, u++;
        const char *pe = strchr(p, '/'), *ue = strchr(u, '/');
        size_t plen = pe ? (size_t)(pe - p) : strlen(p), ulen = ue ? (size_t)(ue - u) : strlen(u);
        if (plen >= 2 && p[0] == '{' && p[plen - 1] == '}') {
            if (ulen == 0 || nargs == 4) return 0;
            char *seg = arena_alloc(&rq->arena, ulen + 1);
            memcpy(seg, u, ulen);
            args[nargs++] = seg;
        } else if (plen != ulen || memcmp(p, u, plen) != 0) {
            return 0;
        }
        p += plen;
        u += ulen;
    }
    if (*p || *u) return 0;
    for (int k = 0; k < nargs; k++) rq->args[k] = args[k];
    rq->nargs = nargs;
    return 1;
}

/* Loads the strategy of code into *out (in rq's arena); 0 when found, 1
 * when there is none, -1 on a database error. */
static int route_strategy(Req *rq, const char *code, ReqStrategy **out)
{
    int64_t sid = store_strategy_id(rq->store, code);
    if (sid <= 0) return sid < 0 ? -1 : 1;
    StoreCursor c;
    int rc = -1;
    if (store_open(rq->store, &c, Q_STRATEGY, sid) == 0 && c.has_row) {
        const StrategyRow *r = c.row;
        ReqStrategy *s = arena_alloc(&rq->arena, sizeof *s);
        s->id = r->id;
        s->code = arena_strdup(&rq->arena, r->code);
        s->title = arena_strdup(&rq->arena, r->title);
        s->organization = arena_strdup(&rq->arena, r->organization);
        s->currency = arena_strdup(&rq->arena, r->currency);
        s->risk_matrix = arena_strdup(&rq->arena, r->risk_matrix);
        s->first_year = (int)r->first_year;
        s->last_year = (int)r->last_year;
        s->odd = r->biennium_start && strcmp(r->biennium_start, "odd") == 0;
        s->is_public = (int)r->is_public;
        *out = s;
        rc = 0;
    }
    store_close(&c);
    return rc;
}

/* The Allow header of a route's methods ("GET, HEAD"), in rq's arena. */
static const char *allow_header(Req *rq, unsigned m)
{
    static const struct { unsigned bit; const char *name; } names[] = {
        {M_GET, "GET"}, {M_HEAD, "HEAD"}, {M_POST, "POST"}, {M_PUT, "PUT"},
        {M_PATCH, "PATCH"}, {M_DELETE, "DELETE"}};
    Buf b = BUF_INIT;
    for (size_t k = 0; k < sizeof names / sizeof *names; k++)
        if (m & names[k].bit) buf_printf(&b, "%s%s", b.n ? ", " : "", names[k].name);
    const char *out = arena_strdup(&rq->arena, buf_str(&b));
    buf_free(&b);
    return out;
}

int routes_sees_all(const Req *rq)
{
    return !web_config.public_only && (rq->user || web_config.open_read);
}

const char *routes_perm_name(Perm p)
{
    static const char *const names[] = {"any", "read", "signed", "edit", "admin"};
    return (unsigned)p < sizeof names / sizeof *names ? names[p] : "?";
}

/* The least role of a permission (ROLE_NONE: anyone). */
static Role perm_role(Perm p)
{
    switch (p) {
    case PERM_ANY: case PERM_READ: return ROLE_NONE;
    case PERM_SIGNED: return ROLE_VIEWER;
    case PERM_EDIT: return ROLE_CONTRIBUTOR;
    case PERM_ADMIN: return ROLE_ADMIN;
    }
    return ROLE_ADMIN;
}

/* Refuses rq: sign-in first (a page asked anonymously), 401 (the API
 * anonymously) or 403. Returns 0. */
static int refuse(Req *rq, Resp *rs, Perm need)
{
    if (!rq->user && !http_is_api(rq) && (rq->method & (M_GET | M_HEAD))) {
        Buf to = BUF_INIT;
        buf_puts(&to, "/login?next=");
        html_url_param(&to, rq->path);
        http_redirect(rs, arena_strdup(&rq->arena, buf_str(&to)));
        buf_free(&to);
        return 0;
    }
    if (!rq->user)
        return http_error(rq, rs, 401, "Sign in first: this needs an account%s.",
                          http_is_api(rq) ? " (send an API token as \"Authorization: Bearer "
                                            "TOKEN\")" : "");
    return http_error(rq, rs, 403, "Your role (%s) may not do this; it needs %s. Ask an "
                      "administrator if you should.", rq->user->role,
                      need == PERM_ADMIN ? "an administrator" : need == PERM_EDIT ? "a contributor or a manager" :
                      "an account");
}

/* Checks method-level security of a writing request: a form needs its CSRF
 * token, the API a token that may write. 0 to go on, 1 when rs holds the
 * refusal. */
static int write_check(Req *rq, Resp *rs)
{
    if (!(rq->method & (M_POST | M_PATCH | M_DELETE | M_PUT))) return 0;
    if (rq->by_token) {
        if (rq->token_write) return 0;
        http_error(rq, rs, 403, "This API token may only read; create a read-write token on "
                                "your account page.");
        return 1;
    }
    if (http_is_api(rq)) {
        http_error(rq, rs, rq->user ? 403 : 401, "Changes through the API need an API token "
                   "that may write: \"Authorization: Bearer TOKEN\" (create one at /account).");
        return 1;
    }
    if (session_csrf_ok(rq)) return 0;
    http_error(rq, rs, 403, "This form has expired or did not come from this site's page. "
                            "Go back, reload the page and send it again.");
    return 1;
}

void routes_dispatch(Req *rq, Resp *rs)
{
    const Route *r = NULL;
    for (int k = 0; k < nroutes && !r; k++)
        if (route_match(routes[k].pattern, rq->path, rq)) r = &routes[k];
    if (!r) {
        size_t n = strlen(rq->path);
        if (n > 1 && rq->path[n - 1] == '/' && (rq->method & (M_GET | M_HEAD))) {
            /* /s/x/ -> /s/x: one canonical address per page. */
            char *to = arena_alloc(&rq->arena, n);
            memcpy(to, rq->path, n - 1);
            if (strspn(to, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-") ==
                n - 1) {
                http_redirect(rs, to);
                return;
            }
        }
        http_error(rq, rs, 404, "There is no page at this address. The list of strategies is "
                                "at /.");
        return;
    }
    if (!(r->methods & rq->method)) {
        rs->allow = allow_header(rq, r->methods);
        http_error(rq, rs, 405, "This address takes %s only.", rs->allow);
        return;
    }
    /* The strategy {s}: attached to rq (and so named in the page header)
     * only when the asker may read it. One that does not exist and one the
     * asker may not see take the same path through every check below, and
     * no answer before the handler names either (docs/security.md,
     * "Unknown and hidden strategies"). */
    ReqStrategy *s = NULL;
    int has_strategy = strncmp(r->pattern, "/s/{s}", 6) == 0 ||
                       strncmp(r->pattern, "/api/v1/strategies/{s}", 22) == 0;
    int unknown = 0; /* no strategy the asker could ever read there */
    if (has_strategy) {
        int found = route_strategy(rq, rq->args[0], &s);
        if (found < 0) {
            http_error(rq, rs, 500, "The database could not be read; the server log says why.");
            fprintf(stderr, "itstrat serve: %s\n", db_errmsg(rq->db));
            return;
        }
        if (found > 0 || (web_config.public_only && !s->is_public)) {
            s = NULL;
            unknown = 1;
        }
        if (unknown && web_config.public_only) {
            /* Nobody sees it, signed in or not: the same 404 for all. */
            http_error(rq, rs, 404, "There is no strategy \"%s\" here. The list of strategies "
                                    "is at /.", rq->args[0]);
            return;
        }
        if (s && (s->is_public || routes_sees_all(rq))) rq->strategy = s;
    }
    if (rq->by_token && !http_is_api(rq)) {
        /* Pages are a person's, in a browser; a program's token reads and
         * writes through /api/v1 only. */
        http_error(rq, rs, 403, "API tokens are for /api/v1 only; pages need a signed-in "
                                "browser.");
        return;
    }
    if (write_check(rq, rs)) return;
    if (r->perm != PERM_ANY && rq->must_enrol && strcmp(r->pattern, "/account/mfa") != 0) {
        /* The admin requires a second factor: nothing else until it is set up. */
        if (http_is_api(rq))
            http_error(rq, rs, 403, "Your account must set up two-factor sign-in first: "
                                    "open /account/mfa in a browser.");
        else
            http_redirect(rs, "/account/mfa");
        return;
    }
    Perm need = (rq->method & (M_GET | M_HEAD)) ? r->perm : r->wperm;
    /* An unknown code counts as a private strategy here, so that an asker
     * who may not read private ones is refused the same way for both. */
    int allowed = need == PERM_READ
                      ? (!has_strategy || (s && s->is_public) || routes_sees_all(rq))
                      : (!perm_role(need) || (rq->user && rq->user->rank >= perm_role(need)));
    if (!allowed) {
        refuse(rq, rs, need);
        return;
    }
    if (unknown) {
        /* Only askers who may read every strategy get here. */
        http_error(rq, rs, 404, "There is no strategy \"%s\" here. The list of strategies is "
                                "at /.", rq->args[0]);
        return;
    }
    rq->strategy = s;
    if (r->cost == HEAVY) {
        rs->heavy = r->handler; /* the server runs it (heavy.h) */
        return;
    }
    routes_run(rq, rs, r->handler);
}

void routes_run(Req *rq, Resp *rs, Handler h)
{
    if (h(rq, rs)) {
        /* The handler could not finish: a database error it logged. */
        buf_reset(&rs->body);
        http_error(rq, rs, 500, "The page could not be made; the server log says why.");
    }
}
