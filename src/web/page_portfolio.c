/*
 * page_portfolio.c — /s/{s}/portfolio: the projects of a strategy with
 * filters, full-text search, sorting and paging, Figure 1 (projects by
 * outcome and cross-cutting driver) and Figure 2 (by category) for the
 * current filter; and the same list as CSV (/portfolio.csv) and as an Excel
 * workbook (/portfolio.xlsx: texts over Excel's 32,767 characters cut with
 * a marker and listed on a sheet "Notes", see xlsx.h).
 *
 * Query (portfolio_filter.h): outcome, output, driver, category, status,
 * year, location, unit, q; sort (code title status category start end
 * budget) and dir (asc desc); page and per (10 25 50 100) on the page.
 * Everything lives in the URL, so a view can be shared.
 *
 * Cost: the rows come from an indexed query with LIMIT/OFFSET; the count
 * and the figures of a filter are cached (portfolio_counts, and the
 * figures' HTML under "pf-fig:<sid>:<filter>") until the database changes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache.h"
#include "chart.h"
#include "csv.h"
#include "html.h"
#include "layout.h"
#include "pages.h"
#include "portfolio_filter.h"
#include "xlsx.h"

/* v with ',' between thousands into out (at least 32 bytes). */
static const char *grouped(char *out, int64_t v)
{
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%llu",
                     (unsigned long long)(v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v));
    size_t o = 0;
    if (v < 0) out[o++] = '-';
    for (int k = 0; k < n; k++) {
        if (k && (n - k) % 3 == 0) out[o++] = ',';
        out[o++] = digits[k];
    }
    out[o] = 0;
    return out;
}

/* Column headers of the table: label, sort key (index into
 * portfolio_sort_names, -1: not sortable), numeric. */
static const struct {
    const char *label;
    int sort;
    int num;
} columns[] = {
    {"Code", 0, 0},     {"Title", 1, 0}, {"Status", 2, 0}, {"Category", 3, 0},
    {"Outcome / driver", -1, 0}, {"Start", 4, 0}, {"End", 5, 0}, {"Budget", 6, 1},
};

static const char *const sort_labels[] = {"code", "title", "status", "category",
                                          "planned start", "planned end", "budget"};

/* Appends href="/s/CODE/portfolio?QUERY" where QUERY is the filter and
 * sort of f with page set to page (1: left out). */
static void page_link(Buf *b, const Req *rq, const PortfolioFilter *f, long long page)
{
    PortfolioFilter g = *f;
    g.has_page = page > 1;
    g.page = page;
    Buf q = BUF_INIT;
    portfolio_filter_url(&q, &g, PF_URL_FILTERS | PF_URL_SORT | PF_URL_PAGE);
    html_lit(b, "href=\"/s/");
    html_url_param(b, rq->strategy->code);
    html_lit(b, "/portfolio");
    if (q.n) html_printf(b, "?%s", buf_str(&q));
    html_lit(b, "\"");
    buf_free(&q);
}

/* ---- the filter form ----------------------------------------------------- */

static void select_open(Buf *b, const char *name, const char *label)
{
    html_printf(b, "<div><label for=\"f-%s\">%s</label><select id=\"f-%s\" name=\"%s\">"
                   "<option value=\"\">Any</option>", name, label, name, name);
}

static void option(Buf *b, const char *value, const char *text, int selected)
{
    if (selected) html_printf(b, "<option value=\"%s\" selected>%s</option>", value, text);
    else html_printf(b, "<option value=\"%s\">%s</option>", value, text);
}

static void option_list(Buf *b, const char *name, const char *label,
                        const PortfolioChoice *l, size_t n, const char *current, int with_code)
{
    select_open(b, name, label);
    for (size_t k = 0; k < n; k++) {
        int sel = current && strcmp(current, l[k].code) == 0;
        if (with_code) {
            Buf t = BUF_INIT;
            buf_printf(&t, "%s %s", l[k].code, l[k].label);
            option(b, l[k].code, buf_str(&t), sel);
            buf_free(&t);
        } else {
            option(b, l[k].code, l[k].label, sel);
        }
    }
    html_lit(b, "</select></div>\n");
}

static void filter_form_build(Buf *b, const Req *rq, const PortfolioCtx *ctx)
{
    const PortfolioFilter *f = &ctx->f;
    const PortfolioChoices *ch = &ctx->choices;
    html_lit(b, "<form class=\"filters\" method=\"get\" action=\"/s/");
    html_url_param(b, rq->strategy->code);
    html_lit(b, "/portfolio\" role=\"search\" aria-label=\"Filter the projects\">\n"
                "<div class=\"search\"><label for=\"f-q\">Search titles, summaries and "
                "progress updates</label>");
    html_printf(b, "<input type=\"search\" id=\"f-q\" name=\"q\" value=\"%s\" maxlength=\"200\">"
                   "</div>\n", f->q ? f->q : "");
    char num[32];
    select_open(b, "outcome", "Outcome");
    for (size_t k = 0; k < ch->noutcomes; k++) {
        Buf t = BUF_INIT;
        buf_printf(&t, "%s. %s", ch->outcomes[k].code, ch->outcomes[k].label);
        snprintf(num, sizeof num, "%lld", f->outcome);
        option(b, ch->outcomes[k].code, buf_str(&t),
               f->has_outcome && strcmp(num, ch->outcomes[k].code) == 0);
        buf_free(&t);
    }
    html_lit(b, "</select></div>\n");
    option_list(b, "output", "Output", ch->outputs, ch->noutputs, f->output, 1);
    option_list(b, "driver", "Cross-cutting driver", ch->drivers, ch->ndrivers, f->driver, 0);
    option_list(b, "category", "Category", ch->categories, ch->ncategories, f->category, 0);
    select_open(b, "status", "Status");
    for (int k = 0; portfolio_status_names[k]; k++)
        option(b, portfolio_status_names[k], portfolio_status_label(portfolio_status_names[k]),
               f->has_status && f->status == k);
    html_lit(b, "</select></div>\n");
    select_open(b, "year", "Work-plan year");
    for (int y = rq->strategy->first_year; y <= rq->strategy->last_year; y++) {
        snprintf(num, sizeof num, "%d", y);
        option(b, num, num, f->has_year && f->year == y);
    }
    html_lit(b, "</select></div>\n");
    select_open(b, "location", "Rolled out at");
    for (size_t k = 0; k < ch->nlocations; k++) {
        Buf t = BUF_INIT;
        for (int64_t d = 0; d < ch->locations[k].parent && d < 8; d++) buf_puts(&t, "\xc2\xa0\xc2\xa0");
        buf_puts(&t, ch->locations[k].label);
        option(b, ch->locations[k].code, buf_str(&t),
               f->location && strcmp(f->location, ch->locations[k].code) == 0);
        buf_free(&t);
    }
    html_lit(b, "</select></div>\n");
    option_list(b, "unit", "Owning unit", ch->units, ch->nunits, f->unit, 0);
    html_lit(b, "<div><label for=\"f-per\">Rows per page</label><select id=\"f-per\" name=\"per\">");
    for (int k = 0; portfolio_per_names[k]; k++)
        option(b, portfolio_per_names[k], portfolio_per_names[k], f->per == k);
    html_lit(b, "</select></div>\n");
    if (f->has_sort)
        html_printf(b, "<input type=\"hidden\" name=\"sort\" value=\"%s\">",
                    portfolio_sort_names[f->sort]);
    if (f->has_dir && f->dir == 1) html_lit(b, "<input type=\"hidden\" name=\"dir\" value=\"desc\">");
    html_lit(b, "<div class=\"actions\"><button type=\"submit\">Show projects</button> "
                "<a class=\"button secondary\" href=\"/s/");
    html_url_param(b, rq->strategy->code);
    html_lit(b, "/portfolio\">Clear filters</a></div>\n</form>\n");
}

/* Appends the form of ctx's filter: the same for every page of a filter
 * and sort, so it is cached under "pf-form:<sid>:<filter&sort&per>". */
static void filter_form(Buf *b, Req *rq, const PortfolioCtx *ctx)
{
    PortfolioFilter g = ctx->f;
    g.has_page = 0;
    Buf key = BUF_INIT;
    buf_printf(&key, "pf-form:%lld:", (long long)rq->strategy->id);
    portfolio_filter_url(&key, &g, PF_URL_FILTERS | PF_URL_SORT | PF_URL_PAGE);
    if (!cache_get(buf_str(&key), b)) {
        size_t start = b->n;
        filter_form_build(b, rq, ctx);
        cache_put(buf_str(&key), b->a + start, b->n - start);
    }
    buf_free(&key);
}

/* ---- figures ------------------------------------------------------------- */

static void figure(Buf *b, const char *id, const char *title, const char *axis,
                   const PortfolioCount *l, size_t n, Arena *a)
{
    ChartBar *bars = arena_alloc(a, (n + 1) * sizeof *bars);
    for (size_t k = 0; k < n; k++) {
        bars[k].label = l[k].label;
        bars[k].value = (double)l[k].n;
    }
    ChartBars spec = {.id = id, .title = title, .category_label = axis,
                      .value_label = "Projects", .bars = bars, .nbars = n};
    html_lit(b, "<figure class=\"figure\">");
    chart_bars(b, &spec);
    html_lit(b, "<details><summary>The figure as a table</summary>");
    chart_bars_table(b, &spec);
    html_lit(b, "</details></figure>\n");
}

/* Appends the two figures of ctx's filter (cached). */
static void figures(Req *rq, const PortfolioCtx *ctx, const PortfolioCounts *c, Buf *b)
{
    const char *key = portfolio_cache_key(rq, ctx, "pf-fig");
    if (cache_get(key, b)) return;
    size_t start = b->n;
    html_lit(b, "<section aria-labelledby=\"figures\"><h2 id=\"figures\">Figures</h2>\n"
                "<div class=\"grid wide\">\n");
    figure(b, "fig1", "Figure 1. Projects by outcome and cross-cutting driver",
           "Outcome or driver", c->home, c->nhome, &rq->arena);
    figure(b, "fig2", "Figure 2. Projects by category", "Category", c->category, c->ncategory,
           &rq->arena);
    html_lit(b, "</div>\n</section>\n");
    cache_put(key, b->a + start, b->n - start);
}

/* ---- the table ----------------------------------------------------------- */

static void money(Buf *b, int64_t cents, const char *currency)
{
    char g[48];
    if (cents == DB_NULL_INT) return;
    grouped(g, cents / 100);
    html_printf(b, "%s %s", currency ? currency : "", g);
}

static void header_cell(Buf *b, const Req *rq, const PortfolioFilter *f, int k)
{
    int sort = columns[k].sort, current = sort >= 0 && f->has_sort && f->sort == sort;
    int desc = current && f->has_dir && f->dir == 1;
    html_lit(b, "<th scope=\"col\"");
    if (columns[k].num) html_lit(b, " class=\"num\"");
    if (current) html_printf(b, " aria-sort=\"%s\"", desc ? "descending" : "ascending");
    html_lit(b, ">");
    if (sort < 0) {
        html_printf(b, "%s</th>", columns[k].label);
        return;
    }
    PortfolioFilter g = *f;
    g.has_sort = 1;
    g.sort = sort;
    g.has_dir = 1;
    g.dir = current && !desc; /* a second click reverses */
    g.has_page = 0;
    html_lit(b, "<a ");
    page_link(b, rq, &g, 1);
    html_printf(b, ">%s", columns[k].label);
    if (current) html_printf(b, " <span aria-hidden=\"true\">%s</span>", desc ? "▼" : "▲");
    html_lit(b, "</a></th>");
}

static void project_row(Buf *b, const Req *rq, const PortfolioRow *r)
{
    html_lit(b, "<tr><td><a href=\"/s/");
    html_url_param(b, rq->strategy->code);
    html_lit(b, "/projects/");
    html_url_param(b, r->code);
    html_printf(b, "\">%s</a></td><td>%s</td><td><span class=\"badge s-%s\">%s</span></td>"
                   "<td>%s</td><td>", r->code, r->title, r->status,
                portfolio_status_label(r->status), r->category_name ? r->category_name : "—");
    if (r->home_kind == PORTFOLIO_HOME_DRIVER) html_printf(b, "%s", r->home_title);
    else if (r->home_kind == PORTFOLIO_HOME_OUTPUT) html_printf(b, "Output %s", r->home_code);
    else html_printf(b, "Outcome %s", r->home_code);
    html_printf(b, "</td><td class=\"nowrap\">%s</td><td class=\"nowrap\">%s</td><td class=\"num\">",
                r->planned_start ? r->planned_start : "", r->planned_end ? r->planned_end : "");
    money(b, r->budget, r->currency);
    html_lit(b, "</td></tr>\n");
}

static void pager(Buf *b, const Req *rq, const PortfolioCtx *ctx, long long pages)
{
    const PortfolioFilter *f = &ctx->f;
    long long p = ctx->page;
    if (pages <= 1) return;
    html_lit(b, "<nav class=\"pager\" aria-label=\"Pages\">");
    if (p > 1) {
        html_lit(b, "<a ");
        page_link(b, rq, f, 1);
        html_lit(b, ">« First</a><a rel=\"prev\" ");
        page_link(b, rq, f, p - 1);
        html_lit(b, ">‹ Previous</a>");
    }
    long long lo = p - 2 < 1 ? 1 : p - 2, hi = lo + 4 > pages ? pages : lo + 4;
    if (hi - 4 < lo && hi - 4 >= 1) lo = hi - 4;
    for (long long k = lo; k <= hi; k++) {
        if (k == p) {
            html_printf(b, "<span aria-current=\"page\">%lld</span>", k);
            continue;
        }
        html_lit(b, "<a ");
        page_link(b, rq, f, k);
        html_printf(b, " aria-label=\"Page %lld\">%lld</a>", k, k);
    }
    if (p < pages) {
        html_lit(b, "<a rel=\"next\" ");
        page_link(b, rq, f, p + 1);
        html_lit(b, ">Next ›</a><a ");
        page_link(b, rq, f, pages);
        html_lit(b, ">Last »</a>");
    }
    html_printf(b, "<span class=\"muted\">Page %lld of %lld</span></nav>\n", p, pages);
}

/* A sentence that says what the filter selects. */
static void describe(Buf *b, const PortfolioCtx *ctx, int64_t total, size_t n)
{
    char g[48];
    html_printf(b, "<p class=\"result-count\"><strong>%s</strong> %s", grouped(g, total),
                total == 1 ? "project" : "projects");
    if (ctx->f.q) html_printf(b, " matching “%s”", ctx->f.q);
    if (n) {
        char a1[48], a2[48];
        html_printf(b, "; %s–%s shown", grouped(a1, ctx->q.offset + 1),
                    grouped(a2, ctx->q.offset + (int64_t)n));
    }
    if (ctx->f.has_sort)
        html_printf(b, ", by %s%s", sort_labels[ctx->f.sort],
                    ctx->f.has_dir && ctx->f.dir == 1 ? " (descending)" : "");
    else if (ctx->f.has_dir && ctx->f.dir == 1)
        html_lit(b, ", in reverse document order");
    html_lit(b, ".</p>\n");
}

int page_portfolio(Req *rq, Resp *rs)
{
    PortfolioCtx ctx;
    if (portfolio_load(rq, rs, PF_ROUTE_PAGE, &ctx)) return 0;
    PortfolioCounts counts;
    PortfolioRow *rows;
    size_t n;
    if (portfolio_counts(rq, &ctx, &counts) ||
        store_portfolio_page(rq->store, &ctx.q, &ctx.choices, &rq->arena, &rows, &n)) {
        fprintf(stderr, "itstrat serve: %s\n", db_errmsg(rq->db));
        return -1;
    }
    Buf *b = &rs->body;
    layout_begin(rq, rs, NAV_PORTFOLIO, "Portfolio");
    filter_form(b, rq, &ctx);
    html_lit(b, "<section aria-labelledby=\"results\"><h2 id=\"results\">Projects</h2>\n");
    describe(b, &ctx, counts.total, n);
    Buf q = BUF_INIT;
    portfolio_filter_url(&q, &ctx.f, PF_URL_FILTERS | PF_URL_SORT);
    html_lit(b, "<p class=\"downloads\">Download this list: <a href=\"/s/");
    html_url_param(b, rq->strategy->code);
    html_printf(b, "/portfolio.csv%s%s\" download>CSV</a> · <a href=\"/s/", q.n ? "?" : "",
                buf_str(&q));
    html_url_param(b, rq->strategy->code);
    html_printf(b, "/portfolio.xlsx%s%s\" download>Excel workbook</a></p>\n", q.n ? "?" : "",
                buf_str(&q));
    buf_free(&q);
    long long pages = (counts.total + ctx.per - 1) / ctx.per;
    if (n) {
        html_lit(b, "<div class=\"table-wrap\" tabindex=\"0\" role=\"group\" aria-label=\"Table, "
                    "scrolls sideways on a small screen\"><table class=\"data portfolio\">"
                    "<caption>Projects");
        if (pages > 1) html_printf(b, ", page %lld of %lld", ctx.page, pages);
        html_lit(b, "</caption>\n<thead><tr>");
        for (size_t k = 0; k < sizeof columns / sizeof *columns; k++) header_cell(b, rq, &ctx.f, (int)k);
        html_lit(b, "</tr></thead>\n<tbody>\n");
        for (size_t k = 0; k < n; k++) project_row(b, rq, &rows[k]);
        html_lit(b, "</tbody></table></div>\n");
    } else if (counts.total > 0) {
        html_printf(b, "<p>There is no page %lld: the list has %lld. <a ", ctx.page, pages);
        page_link(b, rq, &ctx.f, 1);
        html_lit(b, ">Go to the first page</a>.</p>\n");
    } else {
        html_lit(b, "<p>No project matches these filters. <a href=\"/s/");
        html_url_param(b, rq->strategy->code);
        html_lit(b, "/portfolio\">Show every project</a>.</p>\n");
    }
    pager(b, rq, &ctx, pages);
    html_lit(b, "</section>\n");
    if (counts.total > 0) figures(rq, &ctx, &counts, b);
    layout_end(rq, rs);
    return 0;
}

/* ---- downloads ----------------------------------------------------------- */

static const char *const export_columns[] = {
    "code", "title", "status", "category", "outcome", "output", "driver", "years",
    "planned_start", "planned_end", "budget", "currency", "unit", "summary", "actual_start",
    "actual_end", "actual_cost", "source", "locations", "tags", "updates", NULL};

/* An amount in cents as a plain decimal with two decimals: 1234.50. */
static void money_text(char *s, size_t n, int64_t cents)
{
    s[0] = 0;
    if (cents == DB_NULL_INT) return;
    unsigned long long a = cents < 0 ? 0ULL - (unsigned long long)cents : (unsigned long long)cents;
    snprintf(s, n, "%s%llu.%02llu", cents < 0 ? "-" : "", a / 100, a % 100);
}

static int csv_row(void *ctx, const PortfolioRow *r)
{
    Buf *b = ctx;
    char num[32] = "";
    csv_text(b, r->code);
    csv_text(b, r->title);
    csv_field(b, r->status);
    csv_text(b, r->category_code);
    if (r->outcome_number != DB_NULL_INT) snprintf(num, sizeof num, "%lld", (long long)r->outcome_number);
    csv_field(b, num);
    csv_text(b, r->home_kind == PORTFOLIO_HOME_OUTPUT ? r->home_code : NULL);
    csv_text(b, r->home_kind == PORTFOLIO_HOME_DRIVER ? r->home_code : NULL);
    csv_field(b, r->years);
    csv_field(b, r->planned_start);
    csv_field(b, r->planned_end);
    money_text(num, sizeof num, r->budget);
    csv_field(b, num);
    csv_text(b, r->currency);
    csv_text(b, r->unit);
    csv_text(b, r->summary);
    csv_field(b, r->actual_start);
    csv_field(b, r->actual_end);
    money_text(num, sizeof num, r->actual_cost);
    csv_field(b, num);
    csv_text(b, r->source);
    csv_text(b, r->locations);
    csv_text(b, r->tags);
    snprintf(num, sizeof num, "%lld", (long long)r->nupdates);
    csv_field(b, num);
    csv_row_end(b);
    return 0;
}

int page_portfolio_csv(Req *rq, Resp *rs)
{
    PortfolioCtx ctx;
    if (portfolio_load(rq, rs, PF_ROUTE_EXPORT, &ctx)) return 0;
    Buf *b = &rs->body;
    for (int k = 0; export_columns[k]; k++) csv_field(b, export_columns[k]);
    csv_row_end(b);
    if (store_portfolio_export(rq->store, &ctx.q, &ctx.choices, csv_row, b)) {
        fprintf(stderr, "itstrat serve: %s\n", db_errmsg(rq->db));
        return -1;
    }
    rs->content_type = "text/csv; charset=utf-8";
    rs->disposition = http_attachment(rq, "portfolio", "csv");
    return 0;
}

/* The workbook being written. */
typedef struct Xlsx {
    XlsxSheet sheet;
    lxw_format *money; /* #,##0.00 */
    lxw_row_t row;     /* the row being written (0: the header) */
} Xlsx;

/* Writes s at (row, col) as text (xlsx.c: cut at Excel's cell limit with a
 * note), with the apostrophe of csv_guard() before a value that a spreadsheet
 * could run as a formula (docs/csv.md). */
static void xl_text(Xlsx *x, lxw_col_t col, const char *s, const char *code)
{
    if (!s || !*s) return;
    Buf g = BUF_INIT;
    csv_guard(&g, s);
    xlsx_text(&x->sheet, x->row, col, buf_str(&g), NULL, code, export_columns[col]);
    buf_free(&g);
}

static void xl_number(Xlsx *x, lxw_col_t col, int64_t v, lxw_format *fmt, double scale)
{
    if (v == DB_NULL_INT) return;
    if (worksheet_write_number(x->sheet.ws, x->row, col, (double)v / scale, fmt) != LXW_NO_ERROR)
        x->sheet.failed = 1;
}

static int xlsx_row(void *ctx, const PortfolioRow *r)
{
    Xlsx *x = ctx;
    if (!xlsx_row_fits(&x->sheet, x->row + 1)) return 0; /* counted for the notes */
    x->row++;
    const char *c = r->code;
    xl_text(x, 0, r->code, c);
    xl_text(x, 1, r->title, c);
    xl_text(x, 2, r->status, c);
    xl_text(x, 3, r->category_code, c);
    xl_number(x, 4, r->outcome_number, NULL, 1);
    xl_text(x, 5, r->home_kind == PORTFOLIO_HOME_OUTPUT ? r->home_code : NULL, c);
    xl_text(x, 6, r->home_kind == PORTFOLIO_HOME_DRIVER ? r->home_code : NULL, c);
    xl_text(x, 7, r->years, c);
    xl_text(x, 8, r->planned_start, c);
    xl_text(x, 9, r->planned_end, c);
    xl_number(x, 10, r->budget, x->money, 100);
    xl_text(x, 11, r->currency, c);
    xl_text(x, 12, r->unit, c);
    xl_text(x, 13, r->summary, c);
    xl_text(x, 14, r->actual_start, c);
    xl_text(x, 15, r->actual_end, c);
    xl_number(x, 16, r->actual_cost, x->money, 100);
    xl_text(x, 17, r->source, c);
    xl_text(x, 18, r->locations, c);
    xl_text(x, 19, r->tags, c);
    xl_number(x, 20, r->nupdates, NULL, 1);
    return x->sheet.failed;
}

int page_portfolio_xlsx(Req *rq, Resp *rs)
{
    static const double widths[] = {12, 48, 12, 20, 9, 9, 12, 18, 13, 13, 14, 9, 14, 60,
                                    13, 13, 14, 24, 24, 24, 9};
    PortfolioCtx ctx;
    if (portfolio_load(rq, rs, PF_ROUTE_EXPORT, &ctx)) return 0;
    char path[] = "/tmp/itstrat-portfolio-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        perror("itstrat serve: a temporary file for the workbook");
        return http_error(rq, rs, 503, "The workbook could not be written just now; try again.");
    }
    close(fd);
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = "/tmp"};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    int rc = -1, store_rc = 0, notes_rc = 0;
    Xlsx x = {0};
    if (!wb) goto out;
    lxw_doc_properties props = {.title = "Portfolio", .subject = "Projects of the strategy"};
    workbook_set_properties(wb, &props);
    xlsx_sheet_init(&x.sheet, workbook_add_worksheet(wb, "Portfolio"), "Portfolio");
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    x.money = workbook_add_format(wb);
    format_set_num_format(x.money, "#,##0.00");
    if (!x.sheet.ws || !bold || !x.money) goto close;
    for (int k = 0; export_columns[k]; k++) {
        worksheet_set_column(x.sheet.ws, (lxw_col_t)k, (lxw_col_t)k, widths[k], NULL);
        worksheet_write_string(x.sheet.ws, 0, (lxw_col_t)k, export_columns[k], bold);
    }
    worksheet_freeze_panes(x.sheet.ws, 1, 0);
    store_rc = store_portfolio_export(rq->store, &ctx.q, &ctx.choices, xlsx_row, &x);
    if (store_rc == 0 && x.row > 0)
        worksheet_autofilter(x.sheet.ws, 0, 0, x.row,
                             (lxw_col_t)(sizeof widths / sizeof *widths - 1));
    if (store_rc == 0) notes_rc = xlsx_notes(wb, &x.sheet, bold);
close:
    if (workbook_close(wb) == LXW_NO_ERROR && store_rc == 0 && notes_rc == 0 &&
        !x.sheet.failed && x.sheet.ws && buf_append_file(&rs->body, path) == 0)
        rc = 0;
out:
    unlink(path);
    xlsx_sheet_free(&x.sheet);
    if (rc) {
        if (store_rc < 0) fprintf(stderr, "itstrat serve: %s\n", db_errmsg(rq->db));
        else fprintf(stderr, "itstrat serve: the workbook %s could not be written\n", path);
        buf_reset(&rs->body);
        return http_error(rq, rs, 500, "The workbook could not be made; the server log says why.");
    }
    rs->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    rs->disposition = http_attachment(rq, "portfolio", "xlsx");
    rs->no_gzip = 1;
    return 0;
}
