/*
 * page_audit.c — /admin/audit: the audit trail for administrators, newest
 * first, with filters, paging and the chain check at the top; and the same
 * entries as CSV (/admin/audit.csv), every column with the JSON and hashes.
 *
 * Query: entity, actor, key (a key prefix), via (cli web api), action, from
 * and to (dates YYYY-MM-DD, both days included, UTC), page (50 entries a
 * page; the CSV ignores it and writes every matching entry). Everything
 * lives in the URL, so a view can be shared among admins. The route table
 * lets only admins in.
 *
 * Cost: the chain check (audit_verify) rereads and rehashes every entry at
 * each view of the page: about a second per million entries.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "csv.h"
#include "html.h"
#include "layout.h"
#include "pages.h"

#define AUDIT_PER_PAGE 50
#define AUDIT_CHANGED_SHOWN 8 /* field names shown in "what changed" */

static const char *const via_names[] = {"cli", "web", "api", NULL};

/* The page's query, bound by audit_query_fields. */
typedef struct AuditQuery {
    const char *entity, *actor, *key, *action, *from, *to;
    int via, has_via;
    long long page;
    int has_page;
} AuditQuery;

static const QueryField audit_query_fields[] = {
    {"entity", QT_CODE, offsetof(AuditQuery, entity), QUERY_NO_HAS, 0, 0, NULL, 0},
    {"actor", QT_TEXT, offsetof(AuditQuery, actor), QUERY_NO_HAS, 0, 0, NULL, 128},
    {"key", QT_TEXT, offsetof(AuditQuery, key), QUERY_NO_HAS, 0, 0, NULL, 200},
    {"via", QT_ENUM, offsetof(AuditQuery, via), offsetof(AuditQuery, has_via), 0, 0, via_names,
     0},
    {"action", QT_CODE, offsetof(AuditQuery, action), QUERY_NO_HAS, 0, 0, NULL, 0},
    {"from", QT_TEXT, offsetof(AuditQuery, from), QUERY_NO_HAS, 0, 0, NULL, 10},
    {"to", QT_TEXT, offsetof(AuditQuery, to), QUERY_NO_HAS, 0, 0, NULL, 10},
    {"page", QT_INT, offsetof(AuditQuery, page), offsetof(AuditQuery, has_page), 1, 1000000000,
     NULL, 0},
    {NULL, 0, 0, 0, 0, 0, NULL, 0},
};

/* 1 when s is a date YYYY-MM-DD with a month 01-12 and a day 01-31. */
static int is_date(const char *s)
{
    static const char pat[] = "dddd-dd-dd";
    if (strlen(s) != sizeof pat - 1) return 0;
    for (size_t i = 0; pat[i]; i++)
        if (pat[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != pat[i]) return 0;
    int month = (s[5] - '0') * 10 + (s[6] - '0'), day = (s[8] - '0') * 10 + (s[9] - '0');
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/* Binds and checks the query into q and the store's filter f (times in rq's
 * arena). Returns 0, or 1 when rs holds a 400. */
static int audit_load(Req *rq, Resp *rs, AuditQuery *q, AuditFilter *f)
{
    memset(q, 0, sizeof *q);
    memset(f, 0, sizeof *f);
    if (http_query(rq, rs, audit_query_fields, q)) return 1;
    const char *bad = q->from && !is_date(q->from) ? "from" : q->to && !is_date(q->to) ? "to"
                                                                                      : NULL;
    if (bad) {
        http_error(rq, rs, 400, "parameter %s: must be a date YYYY-MM-DD, not \"%s\"", bad,
                   strcmp(bad, "from") == 0 ? q->from : q->to);
        return 1;
    }
    if (q->from && q->to && strcmp(q->from, q->to) > 0) {
        http_error(rq, rs, 400, "parameter to: %s is before from (%s); give the earlier date "
                                "as from", q->to, q->from);
        return 1;
    }
    f->entity = q->entity;
    f->actor = q->actor;
    f->key_prefix = q->key;
    f->via = q->has_via ? via_names[q->via] : NULL;
    f->action = q->action;
    if (q->from) f->since = arena_printf(&rq->arena, "%sT00:00:00Z", q->from);
    if (q->to) f->until = arena_printf(&rq->arena, "%sT23:59:59Z", q->to);
    if (!q->has_page) q->page = 1;
    return 0;
}

/* Appends the query string of q's filters (and page, when above 1) to out,
 * each value percent-encoded; "" when nothing is set. */
static void audit_url(Buf *out, const AuditQuery *q, long long page)
{
    const char *names[] = {"entity", "actor", "key", "via", "action", "from", "to"};
    const char *values[] = {q->entity, q->actor, q->key, q->has_via ? via_names[q->via] : NULL,
                            q->action, q->from, q->to};
    for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
        if (!values[k]) continue;
        buf_printf(out, "%s%s=", out->n ? "&" : "", names[k]);
        html_url_param(out, values[k]);
    }
    if (page > 1) buf_printf(out, "%spage=%lld", out->n ? "&" : "", page);
}

/* Appends href="PATH?QUERY" for q at page. */
static void audit_href(Buf *b, const AuditQuery *q, long long page, int csv)
{
    Buf u = BUF_INIT;
    audit_url(&u, q, page);
    if (csv) html_printf(b, "href=\"/admin/audit.csv%s%s\"", u.n ? "?" : "", buf_str(&u));
    else html_printf(b, "href=\"/admin/audit%s%s\"", u.n ? "?" : "", buf_str(&u));
    buf_free(&u);
}

/* ---- the chain ----------------------------------------------------------- */

/* Appends the result of audit_verify(). Returns 0 or -1 (database). */
static int chain_status(Req *rq, Buf *b)
{
    AuditCheck c;
    int r = audit_check(rq->db, &c);
    if (r < 0) return -1;
    int64_t n = c.entries;
    html_lit(b, "<section aria-labelledby=\"chain\"><h2 id=\"chain\">Chain</h2>\n");
    if (r == 0)
        html_printf(b, "<p class=\"chain-ok\">The chain is intact: %" PRId64 " %s, head "
                       "<code>%s</code>. Record the head in the governing body's minutes to "
                       "pin every entry up to it.</p>\n", n, n == 1 ? "entry" : "entries", c.head);
    else
        html_printf(b, "<div class=\"error-message\" role=\"alert\"><p>The chain is broken at "
                       "entry %" PRId64 ": %s.</p><p>The %" PRId64 " %s before it %s intact. "
                       "Keep this database as evidence, compare it with a backup from before "
                       "that entry's time and restore the backup (docs/security.md, \"Audit "
                       "trail\").</p></div>\n", c.broken_at, c.problem, n,
                    n == 1 ? "entry" : "entries", n == 1 ? "is" : "are");
    html_lit(b, "</section>\n");
    return 0;
}

/* ---- the filter form ----------------------------------------------------- */

static void text_box(Buf *b, const char *name, const char *label, const char *type,
                     const char *value, const char *hint)
{
    html_printf(b, "<div><label for=\"f-%s\">%s</label><input type=\"%s\" id=\"f-%s\" "
                   "name=\"%s\" value=\"%s\"", name, label, type, name, name, value ? value : "");
    if (hint) html_printf(b, " aria-describedby=\"h-%s\"><small id=\"h-%s\">%s</small></div>\n",
                          name, name, hint);
    else html_lit(b, "></div>\n");
}

static void filter_form(Buf *b, const AuditQuery *q)
{
    html_lit(b, "<form class=\"filters\" method=\"get\" action=\"/admin/audit\" role=\"search\" "
                "aria-label=\"Filter the audit trail\">\n");
    text_box(b, "entity", "Kind of record", "text", q->entity, "e.g. user, strategy, project");
    text_box(b, "key", "Key starts with", "text", q->key, "e.g. 2018-21/ or a login");
    text_box(b, "actor", "Who", "text", q->actor, NULL);
    html_lit(b, "<div><label for=\"f-via\">Via</label><select id=\"f-via\" name=\"via\">"
                "<option value=\"\">Any</option>");
    for (int k = 0; via_names[k]; k++) {
        if (q->has_via && q->via == k)
            html_printf(b, "<option value=\"%s\" selected>%s</option>", via_names[k], via_names[k]);
        else
            html_printf(b, "<option value=\"%s\">%s</option>", via_names[k], via_names[k]);
    }
    html_lit(b, "</select></div>\n");
    text_box(b, "action", "Action", "text", q->action, "e.g. login, update, import");
    text_box(b, "from", "From (UTC)", "date", q->from, NULL);
    text_box(b, "to", "To (UTC)", "date", q->to, NULL);
    html_lit(b, "<div class=\"actions\"><button type=\"submit\">Show entries</button> "
                "<a class=\"button secondary\" href=\"/admin/audit\">Clear filters</a></div>\n"
                "</form>\n");
}

/* ---- the table ----------------------------------------------------------- */

/* The names of the changed fields, collected for one row. */
typedef struct Changed {
    Buf *b;
    int n;
} Changed;

static void changed_name(void *ctx, const char *name, const char *was, const char *now)
{
    Changed *c = ctx;
    (void)was, (void)now;
    if (c->n++ >= AUDIT_CHANGED_SHOWN) return;
    if (c->n > 1) html_lit(c->b, ", ");
    html_printf(c->b, "<code>%s</code>", *name ? name : "(value)");
}

static int entry_row(void *ctx, const AuditEntry *e)
{
    Buf *b = ctx;
    html_printf(b, "<tr><td class=\"num\">%" PRId64 "</td><td class=\"nowrap\">%s</td>"
                   "<td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>",
                e->id, e->at, e->actor, e->via, e->address ? e->address : "", e->action,
                e->entity, e->entity_key ? e->entity_key : "");
    Changed c = {b, 0};
    int n = audit_changes(e->before, e->after, changed_name, &c);
    if (n < 0) html_lit(b, "<span class=\"muted\">(not JSON)</span>");
    else if (n > AUDIT_CHANGED_SHOWN) html_printf(b, " and %d more", n - AUDIT_CHANGED_SHOWN);
    html_lit(b, "</td></tr>\n");
    return 0;
}

static void pager(Buf *b, const AuditQuery *q, long long pages)
{
    long long p = q->page;
    if (pages <= 1) return;
    html_lit(b, "<nav class=\"pager\" aria-label=\"Pages\">");
    if (p > 1) {
        html_lit(b, "<a rel=\"prev\" ");
        audit_href(b, q, p - 1, 0);
        html_lit(b, ">‹ Newer</a>");
    }
    if (p < pages) {
        html_lit(b, "<a rel=\"next\" ");
        audit_href(b, q, p + 1, 0);
        html_lit(b, ">Older ›</a>");
    }
    html_printf(b, "<span class=\"muted\">Page %lld of %lld</span></nav>\n", p, pages);
}

int page_admin_audit(Req *rq, Resp *rs)
{
    AuditQuery q;
    AuditFilter f;
    if (audit_load(rq, rs, &q, &f)) return 0;
    int64_t total = 0;
    if (audit_count(rq->db, &f, &total)) goto fail;
    Buf *b = &rs->body;
    layout_begin(rq, rs, NAV_NONE, "Audit trail");
    if (chain_status(rq, b)) goto fail;
    filter_form(b, &q);
    html_lit(b, "<section aria-labelledby=\"entries\"><h2 id=\"entries\">Entries</h2>\n");
    long long pages = (total + AUDIT_PER_PAGE - 1) / AUDIT_PER_PAGE;
    f.newest_first = 1;
    f.limit = AUDIT_PER_PAGE;
    f.offset = (q.page - 1) * AUDIT_PER_PAGE;
    html_printf(b, "<p class=\"result-count\"><strong>%" PRId64 "</strong> %s, newest first",
                total, total == 1 ? "entry" : "entries");
    if (total > f.offset)
        html_printf(b, "; %lld–%lld shown", (long long)f.offset + 1,
                    (long long)(total < f.offset + AUDIT_PER_PAGE ? total
                                                                  : f.offset + AUDIT_PER_PAGE));
    html_lit(b, ".</p>\n<p class=\"downloads\">Download these entries with every column: <a ");
    audit_href(b, &q, 1, 1);
    html_lit(b, " download>CSV</a></p>\n");
    if (total > f.offset) {
        html_lit(b, "<div class=\"table-wrap\" tabindex=\"0\" role=\"group\" aria-label=\"Table, "
                    "scrolls sideways on a small screen\"><table class=\"data audit\">"
                    "<caption>Audit entries");
        if (pages > 1) html_printf(b, ", page %lld of %lld", q.page, pages);
        html_lit(b, "</caption>\n<thead><tr><th scope=\"col\" class=\"num\">Id</th>"
                    "<th scope=\"col\">At (UTC)</th><th scope=\"col\">Who</th>"
                    "<th scope=\"col\">Via</th><th scope=\"col\">Address</th>"
                    "<th scope=\"col\">Action</th><th scope=\"col\">Kind</th>"
                    "<th scope=\"col\">Key</th><th scope=\"col\">What changed</th></tr></thead>\n"
                    "<tbody>\n");
        if (audit_list(rq->db, &f, entry_row, b)) goto fail;
        html_lit(b, "</tbody></table></div>\n");
    } else if (total > 0) {
        html_printf(b, "<p>There is no page %lld: the entries fill %lld. <a ", q.page, pages);
        audit_href(b, &q, 1, 0);
        html_lit(b, ">Go to the first page</a>.</p>\n");
    } else {
        html_lit(b, "<p>No entry matches these filters. <a href=\"/admin/audit\">Show every "
                    "entry</a>.</p>\n");
    }
    pager(b, &q, pages);
    html_lit(b, "</section>\n");
    layout_end(rq, rs);
    return 0;
fail:
    fprintf(stderr, "itstrat serve: the audit trail: %s\n", db_errmsg(rq->db));
    return -1;
}

/* ---- CSV ----------------------------------------------------------------- */

static int csv_row(void *ctx, const AuditEntry *e)
{
    Buf *b = ctx;
    char id[24];
    snprintf(id, sizeof id, "%" PRId64, e->id);
    csv_field(b, id);
    const char *cells[] = {e->at, e->actor, e->via, e->address, e->action, e->entity,
                           e->entity_key, e->before, e->after, e->prev_hash, e->hash};
    for (size_t i = 0; i < sizeof cells / sizeof *cells; i++) csv_text(b, cells[i]);
    csv_row_end(b);
    return 0;
}

int page_admin_audit_csv(Req *rq, Resp *rs)
{
    static const char *const header[] = {"id", "at", "actor", "via", "address", "action",
                                         "entity", "entity_key", "before", "after",
                                         "prev_hash", "hash"};
    AuditQuery q;
    AuditFilter f;
    if (audit_load(rq, rs, &q, &f)) return 0;
    if (q.has_page) return http_error(rq, rs, 400, "parameter page: the CSV holds every "
                                                   "matching entry; leave page out");
    Buf *b = &rs->body;
    for (size_t i = 0; i < sizeof header / sizeof *header; i++) csv_field(b, header[i]);
    csv_row_end(b);
    if (audit_list(rq->db, &f, csv_row, b)) {
        fprintf(stderr, "itstrat serve: the audit trail: %s\n", db_errmsg(rq->db));
        return -1;
    }
    rs->content_type = "text/csv; charset=utf-8";
    rs->disposition = "attachment; filename=\"audit.csv\"";
    return 0;
}
