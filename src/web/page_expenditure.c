/*
 * page_expenditure.c — /s/{s}/expenditure: IT spending. Totals by category
 * and year (with a totals row and column), a bar chart of the selected
 * year's spending by category, and the spending lines of that year, linked
 * to their projects, a page at a time.
 *
 * Query: year=YYYY (default: the last year with spending), category=TEXT
 * (the lines of one category), page=N (100 lines a page).
 *
 * Money is stored in cents and shown in the strategy's currency with
 * thousands separators; lines in another currency are listed but left out
 * of the sums, and the page says so.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cache.h"
#include "chart.h"
#include "html.h"
#include "layout.h"
#include "pages.h"
#include "registers_query.h"
#include "store_registers.h"

#define LINES_PER_PAGE 100

/* Appends cents as "1,234,567.89" (decimals 2) or "1,234,568" (decimals 0,
 * rounded half away from zero). */
static void money(Buf *b, int64_t cents, int decimals)
{
    char digits[32];
    int neg = cents < 0;
    uint64_t u = neg ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
    uint64_t units = u / 100, frac = u % 100;
    if (!decimals && frac >= 50) units++;
    int n = 0;
    do digits[n++] = (char)('0' + units % 10), units /= 10;
    while (units);
    char out[48];
    int o = 0;
    if (neg) out[o++] = '-';
    for (int k = n - 1; k >= 0; k--) {
        out[o++] = digits[k];
        if (k && k % 3 == 0) out[o++] = ',';
    }
    if (decimals) out[o++] = '.', out[o++] = (char)('0' + frac / 10), out[o++] = (char)('0' + frac % 10);
    buf_append(b, out, (size_t)o);
}

/* Appends the count n as "2,096". */
static void thousands(Buf *b, size_t n)
{
    money(b, (int64_t)n * 100, 0);
}

/* a + b into *sum; 1 when it does not fit (the sum is then not shown). */
static int add_cents(int64_t *sum, int64_t v)
{
    return __builtin_add_overflow(*sum, v, sum);
}

static void money_cell(Buf *b, int64_t cents, int overflow, int decimals, int strong)
{
    html_lit(b, "<td class=\"num\">");
    if (strong) html_lit(b, "<strong>");
    if (overflow) html_lit(b, "too large to sum");
    else money(b, cents, decimals);
    if (strong) html_lit(b, "</strong>");
    html_lit(b, "</td>");
}

/* /s/CODE/expenditure?year=Y[&category=C][&page=P] */
static void spend_href(Buf *b, const ReqStrategy *s, int year, const char *category, long long page)
{
    html_printf(b, "/s/%s/expenditure?year=%d", s->code, year);
    if (category) {
        html_lit(b, "&amp;category=");
        html_url_param(b, category);
    }
    if (page > 1) html_printf(b, "&amp;page=%lld", page);
}

static void totals_table(Buf *b, const ReqStrategy *s, const RegSpendTotals *t, Arena *a)
{
    size_t ny = t->nyears, nc = t->ncategories;
    int decimals = 0;
    for (size_t k = 0; k < ny * nc; k++) decimals |= t->cents[k] % 100 != 0;
    int64_t *col = arena_alloc(a, (ny + 1) * sizeof *col);
    int *col_over = arena_alloc(a, (ny + 1) * sizeof *col_over);
    int64_t all = 0;
    int all_over = 0;

    html_lit(b, "<div class=\"table-wrap\" tabindex=\"0\" role=\"group\" aria-label=\"Table, scrolls sideways on a small screen\"><table class=\"data\">\n");
    html_printf(b, "<caption>Spending by category and year, %s</caption>\n<thead><tr>"
                   "<th scope=\"col\">Category</th>", s->currency);
    for (size_t y = 0; y < ny; y++) {
        html_lit(b, "<th scope=\"col\" class=\"num\"><a href=\"");
        spend_href(b, s, t->years[y], NULL, 1);
        html_printf(b, "\">%d</a></th>", t->years[y]);
    }
    html_lit(b, "<th scope=\"col\" class=\"num\">Total</th></tr></thead>\n<tbody>\n");
    for (size_t c = 0; c < nc; c++) {
        html_lit(b, "<tr><th scope=\"row\"><a href=\"");
        spend_href(b, s, t->years[ny - 1], t->categories[c], 1);
        html_printf(b, "\">%s</a></th>", t->categories[c]);
        int64_t row = 0;
        int row_over = 0;
        for (size_t y = 0; y < ny; y++) {
            int64_t v = t->cents[c * ny + y];
            money_cell(b, v, 0, decimals, 0);
            row_over |= add_cents(&row, v);
            col_over[y] |= add_cents(&col[y], v);
            all_over |= add_cents(&all, v);
        }
        money_cell(b, row, row_over, decimals, 1);
        html_lit(b, "</tr>\n");
    }
    html_lit(b, "</tbody>\n<tfoot><tr><th scope=\"row\">Total</th>");
    for (size_t y = 0; y < ny; y++) money_cell(b, col[y], col_over[y], decimals, 1);
    money_cell(b, all, all_over, decimals, 1);
    html_lit(b, "</tr></tfoot>\n</table></div>\n");
}

static void year_chart(Buf *b, const ReqStrategy *s, const RegSpendTotals *t, int year, Arena *a)
{
    size_t y = 0;
    while (y < t->nyears && t->years[y] != year) y++;
    ChartBar *bars = arena_alloc(a, (t->ncategories + 1) * sizeof *bars);
    for (size_t c = 0; c < t->ncategories; c++)
        bars[c] = (ChartBar){t->categories[c], (double)t->cents[c * t->nyears + y] / 100.0, NULL};
    ChartBars spec = {.id = "spending", .title = arena_printf(a, "Spending in %d by category", year),
                      .category_label = "Category",
                      .value_label = arena_printf(a, "Spending (%s)", s->currency),
                      .decimals = 0, .bars = bars, .nbars = t->ncategories};
    html_lit(b, "<div class=\"figure\">\n");
    chart_bars(b, &spec);
    html_lit(b, "<details><summary>The chart as a table</summary>\n");
    chart_bars_table(b, &spec);
    html_lit(b, "</details>\n</div>\n");
}

static void filters_form(Buf *b, const ReqStrategy *s, const RegSpendTotals *t,
                         const SpendQuery *q, int year)
{
    html_printf(b, "<form class=\"filters\" method=\"get\" action=\"/s/%s/expenditure\" "
                   "aria-label=\"Choose a year and a category\">\n", s->code);
    html_lit(b, "<div><label for=\"f-year\">Year</label><select id=\"f-year\" name=\"year\">");
    int listed = 0;
    for (size_t k = t->nyears; k-- > 0;) {
        listed |= t->years[k] == year;
        html_printf(b, "<option%s>%d</option>", t->years[k] == year ? " selected" : "",
                    t->years[k]);
    }
    if (!listed) html_printf(b, "<option selected>%d</option>", year);
    html_lit(b, "</select></div>\n<div><label for=\"f-category\">Category</label>"
                "<select id=\"f-category\" name=\"category\"><option value=\"\">Every category"
                "</option>");
    listed = 0;
    for (size_t k = 0; k < t->ncategories; k++) {
        int sel = q->category && strcmp(q->category, t->categories[k]) == 0;
        listed |= sel;
        html_lit(b, "<option value=\"");
        html_attr(b, t->categories[k]);
        html_printf(b, "\"%s>%s</option>", sel ? " selected" : "", t->categories[k]);
    }
    if (q->category && !listed) {
        html_lit(b, "<option value=\"");
        html_attr(b, q->category);
        html_printf(b, "\" selected>%s</option>", q->category);
    }
    html_printf(b, "</select></div>\n<div class=\"actions\"><button type=\"submit\">Show</button> "
                   "<a href=\"/s/%s/expenditure\">Latest year, every category</a></div>\n"
                   "</form>\n", s->code);
}

static void pager(Buf *b, const ReqStrategy *s, int year, const char *category, long long page,
                  long long pages)
{
    if (pages <= 1) return;
    html_lit(b, "<nav class=\"pager\" aria-label=\"Pages of spending lines\">");
    if (page > 1) {
        html_lit(b, "<a href=\"");
        spend_href(b, s, year, category, page - 1);
        html_lit(b, "#lines\" rel=\"prev\">Previous</a>");
    }
    html_printf(b, "<span aria-current=\"page\">Page %lld of %lld</span>", page, pages);
    if (page < pages) {
        html_lit(b, "<a href=\"");
        spend_href(b, s, year, category, page + 1);
        html_lit(b, "#lines\" rel=\"next\">Next</a>");
    }
    html_lit(b, "</nav>\n");
}

static int lines_section(Req *rq, Buf *b, const ReqStrategy *s, int year, const char *category,
                         long long page)
{
    RegSpendLine *l;
    size_t n;
    int64_t total;
    if (store_registers_spend_lines(rq->store, s->id, year, category, LINES_PER_PAGE,
                                    (page - 1) * LINES_PER_PAGE, &rq->arena, &l, &n, &total))
        return -1;
    long long pages = (total + LINES_PER_PAGE - 1) / LINES_PER_PAGE;
    html_lit(b, "<section aria-labelledby=\"lines\">\n<h2 id=\"lines\">Spending lines</h2>\n");
    if (!total) {
        if (category)
            html_printf(b, "<p>No spending is recorded in the category “%s” in %d.</p>\n",
                        category, year);
        else
            html_printf(b, "<p>No spending is recorded in %d.</p>\n", year);
        html_lit(b, "</section>\n");
        return 0;
    }
    if (!n) {
        html_printf(b, "<p>There is no page %lld: the lines fill %lld %s. <a href=\"", page, pages,
                    pages == 1 ? "page" : "pages");
        spend_href(b, s, year, category, 1);
        html_lit(b, "#lines\">First page</a>.</p>\n</section>\n");
        return 0;
    }
    html_lit(b, "<div class=\"table-wrap\" tabindex=\"0\" role=\"group\" aria-label=\"Table, scrolls sideways on a small screen\"><table class=\"data\">\n<caption>");
    if (category) html_printf(b, "Spending lines of %d in “%s”", year, category);
    else html_printf(b, "Spending lines of %d", year);
    if (pages > 1)
        html_printf(b, ": %lld–%lld of ", (page - 1) * LINES_PER_PAGE + 1,
                    (page - 1) * LINES_PER_PAGE + (long long)n);
    else
        html_lit(b, ": ");
    thousands(b, (size_t)total);
    if (pages <= 1) html_printf(b, " %s", total == 1 ? "line" : "lines");
    html_printf(b, "</caption>\n<thead><tr><th scope=\"col\">Category</th>"
                   "<th scope=\"col\">Unit</th><th scope=\"col\">Project</th>"
                   "<th scope=\"col\">Note</th><th scope=\"col\" class=\"num\">Amount (%s)</th>"
                   "</tr></thead>\n<tbody>\n", s->currency);
    for (size_t k = 0; k < n; k++) {
        const RegSpendLine *x = &l[k];
        html_printf(b, "<tr><td>%s</td><td>%s</td><td>", x->category, x->unit ? x->unit : "—");
        if (x->project_code) {
            html_printf(b, "<a href=\"/s/%s/projects/", s->code);
            html_url_param(b, x->project_code);
            html_printf(b, "\">%s</a> %s", x->project_code, x->project_title);
        } else {
            html_lit(b, "—");
        }
        html_printf(b, "</td><td>%s</td><td class=\"num\">", x->note ? x->note : "");
        if (x->currency && strcmp(x->currency, s->currency) != 0)
            html_printf(b, "%s ", x->currency);
        money(b, x->cents, 2);
        if (x->currency && strcmp(x->currency, s->currency) != 0)
            html_lit(b, " <span class=\"muted\">(not in the sums)</span>");
        html_lit(b, "</td></tr>\n");
    }
    html_lit(b, "</tbody>\n</table></div>\n");
    pager(b, s, year, category, page, pages);
    html_lit(b, "</section>\n");
    return 0;
}

int page_expenditure(Req *rq, Resp *rs)
{
    const ReqStrategy *s = rq->strategy;
    SpendQuery q = {.page = 1};
    if (http_query(rq, rs, registers_spend_page_fields, &q)) return 0;
    char *key = arena_printf(&rq->arena, "expenditure:%lld:%lld:%lld:%zu:%s", (long long)s->id,
                             q.has_year ? q.year : 0, q.page, q.category ? strlen(q.category) : 0,
                             q.category ? q.category : "");
    if (cache_get(key, &rs->body)) return 0;
    RegSpendTotals t;
    if (store_registers_spend_totals(rq->store, s->id, s->currency, &rq->arena, &t)) return -1;
    Buf *b = &rs->body;
    layout_begin(rq, rs, NAV_EXPENDITURE, "IT expenditure");
    if (!t.lines) {
        html_lit(b, "<p>This strategy has no IT expenditure recorded.</p>\n");
        layout_end(rq, rs);
        return 0;
    }
    int year = q.has_year ? (int)q.year : t.nyears ? t.years[t.nyears - 1] : s->last_year;
    html_lit(b, "<p class=\"lead\">");
    thousands(b, t.lines);
    html_printf(b, " spending %s, in %s unless marked.", t.lines == 1 ? "line" : "lines",
                s->currency);
    if (t.other_currency)
        html_printf(b, " %zu %s in another currency %s listed but not summed.", t.other_currency,
                    t.other_currency == 1 ? "line" : "lines", t.other_currency == 1 ? "is" : "are");
    html_lit(b, "</p>\n");
    filters_form(b, s, &t, &q, year);
    if (t.nyears) {
        html_lit(b, "<section aria-labelledby=\"totals\">\n<h2 id=\"totals\">By category and "
                    "year</h2>\n");
        totals_table(b, s, &t, &rq->arena);
        html_lit(b, "</section>\n");
        int has_year = 0;
        for (size_t k = 0; k < t.nyears; k++) has_year |= t.years[k] == year;
        html_printf(b, "<section aria-labelledby=\"year\">\n<h2 id=\"year\">%d by category</h2>\n",
                    year);
        if (has_year) year_chart(b, s, &t, year, &rq->arena);
        else
            html_printf(b, "<p>No spending in %s is recorded in %d. Spending covers %d to %d.</p>\n",
                        s->currency, year, t.years[0], t.years[t.nyears - 1]);
        html_lit(b, "</section>\n");
    }
    { static const char *const kinds[] = {"expenditure", NULL};
      page_sheet_links(b, s, kinds); }
    if (lines_section(rq, b, s, year, q.category, q.page)) return -1;
    layout_end(rq, rs);
    cache_put(key, b->a, b->n);
    return 0;
}
