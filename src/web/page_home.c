/*
 * page_home.c — /s/{s}: the strategy at a glance, for a governance
 * committee: key figures of a work-plan year, the outcomes and drivers with
 * their projects by status, indicator status, the risk heat maps, service
 * levels and the latest progress updates.
 *
 * Query: year (a year of the strategy's period; default the last year with
 * projects in the work plan). The whole page is cached (cache.h) under
 * "home:<sid>:<year>" until the database changes: on a 100,000-project
 * portfolio it costs about 0.1 s to build and a copy to serve.
 */
#include <cmark.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "chart.h"
#include "html.h"
#include "layout.h"
#include "markdown.h"
#include "pages.h"
#include "rules.h"
#include "store_dashboard.h"
#include "store_stats.h"

#define HOME_UPDATES 10    /* latest updates shown */
#define HOME_SLA_MONTHS 12 /* months with data per service */

typedef struct HomeQuery {
    long long year;
    int has_year;
} HomeQuery;

/* Fill colours of the status bar, in store_status_keys order (site.css
 * gives the swatches .k-<status> the same); the table beside each bar says
 * the same in words. */
static const char *const status_fill[7] = {"#94a3b8", "#60a5fa", "#1d4ed8", "#7c3aed",
                                           "#15803d", "#d97706", "#b91c1c"};

/* v with ',' between thousands, in the arena. */
static const char *grouped(Arena *a, int64_t v)
{
    char digits[32], out[48];
    int n = snprintf(digits, sizeof digits, "%lld", (long long)(v < 0 ? -v : v));
    size_t o = 0;
    if (v < 0) out[o++] = '-';
    for (int k = 0; k < n; k++) {
        if (k && (n - k) % 3 == 0) out[o++] = ',';
        out[o++] = digits[k];
    }
    out[o] = 0;
    return arena_strdup(a, out);
}

/* n as a whole percentage of total (0 when total is 0). */
static int percent(int64_t n, int64_t total)
{
    return total > 0 ? (int)((n * 100 + total / 2) / total) : 0;
}

/* The strategy's approval and summary, for the lead paragraph. */
static int home_lead(Req *rq, Buf *b)
{
    const ReqStrategy *s = rq->strategy;
    StoreCursor c;
    int rc = store_open(rq->store, &c, Q_STRATEGY, s->id);
    if (rc == 0 && c.has_row) {
        const StrategyRow *r = c.row;
        html_lit(b, "<p class=\"lead\">");
        if (s->organization) html_printf(b, "%s · ", s->organization);
        html_printf(b, "%d–%d", s->first_year, s->last_year);
        if (r->approved_by) html_printf(b, " · approved by %s", r->approved_by);
        if (r->approved_on) html_printf(b, " on %s", r->approved_on);
        html_lit(b, "</p>\n");
        md_to_html(b, r->summary, MD_HEADING_SHIFT(1));
    }
    if (c.failed) rc = -1;
    store_close(&c);
    return rc;
}

/* Links to the page of each year of the period, the shown one current. */
static void home_years(Req *rq, Buf *b, int year)
{
    const ReqStrategy *s = rq->strategy;
    html_lit(b, "<nav class=\"pager\" aria-label=\"Work-plan year\"><span class=\"label\">"
                "Work-plan year</span>");
    for (int y = s->first_year; y <= s->last_year; y++) {
        if (y == year)
            html_printf(b, "<a href=\"/s/%s?year=%d\" aria-current=\"page\">%d</a>", s->code, y, y);
        else
            html_printf(b, "<a href=\"/s/%s?year=%d\">%d</a>", s->code, y, y);
    }
    html_lit(b, "</nav>\n");
}

/* Key figures of the year's work plan. */
static int home_figures(Req *rq, Buf *b, int year)
{
    const ReqStrategy *s = rq->strategy;
    Arena *a = &rq->arena;
    PortfolioStats ps;
    int64_t all;
    if (store_stats(rq->store, s->id, year, &ps)) return -1;
    if (store_dashboard_project_count(rq->store, s->id, &all)) {
        store_stats_free(&ps);
        return -1;
    }
    const StatTotals *t = &ps.totals;
    html_printf(b, "<h2>%d at a glance</h2>\n<ul class=\"kpis\">\n", year);
    html_printf(b, "<li><strong>%s</strong> <a href=\"/s/%s/portfolio?year=%d\">project%s in the "
                   "%d work plan</a></li>\n",
                grouped(a, t->projects), s->code, year, t->projects == 1 ? "" : "s", year);
    html_printf(b, "<li><strong>%s</strong> completed", grouped(a, t->completed));
    if (t->projects) html_printf(b, " (%d%%)", percent(t->completed, t->projects));
    html_lit(b, "</li>\n");
    int has_new_or_major = 0;
    for (size_t k = 0; k < ps.category.n; k++) has_new_or_major |= ps.category.a[k].flag;
    if (t->projects && has_new_or_major)
        html_printf(b, "<li><strong>%d%%</strong> new service offerings or major improvements "
                       "(%s of %s)</li>\n",
                    percent(t->new_or_major, t->projects), grouped(a, t->new_or_major),
                    grouped(a, t->projects));
    html_printf(b, "<li><strong>%s</strong> <a href=\"/s/%s/portfolio\">project%s in "
                   "%d–%d</a></li>\n</ul>\n",
                grouped(a, all), s->code, all == 1 ? "" : "s", s->first_year, s->last_year);
    store_stats_free(&ps);
    return 0;
}

/* A bar of the projects of h by status (decorative: the table says it). */
static void status_bar(Buf *b, const DashHome *h)
{
    html_lit(b, "<svg class=\"statusbar\" viewBox=\"0 0 1000 20\" preserveAspectRatio=\"none\" "
                "aria-hidden=\"true\" focusable=\"false\">");
    int last = 0;
    for (int k = 0; k < 7; k++)
        if (h->by_status[k]) last = k;
    int64_t x = 0;
    for (int k = 0; k <= last; k++) {
        if (!h->by_status[k]) continue;
        /* Rounding leaves a sliver: the last segment takes it. */
        int64_t w = k == last ? 1000 - x : h->by_status[k] * 1000 / h->total;
        html_printf(b, "<rect x=\"%lld\" y=\"0\" width=\"%lld\" height=\"20\" fill=\"%s\"/>",
                    (long long)x, (long long)w, status_fill[k]);
        x += w;
    }
    html_lit(b, "</svg>\n");
}

/* The "outcome=1" or "driver=security" filter of h, URL-encoded. */
static void home_filter(Buf *b, const DashHome *h)
{
    if (h->is_driver) html_lit(b, "driver=");
    else html_lit(b, "outcome=");
    html_url_param(b, h->code);
}

/* One card: an outcome or a driver with its projects by status. */
static void home_card(Req *rq, Buf *b, const DashHome *h, int year, int index)
{
    const ReqStrategy *s = rq->strategy;
    html_printf(b, "<section class=\"card\" aria-labelledby=\"home-%d\">\n<h3 id=\"home-%d\">",
                index, index);
    if (h->is_driver) html_printf(b, "%s</h3>\n<p class=\"muted\">Cross-cutting driver</p>\n",
                                  h->title);
    else html_printf(b, "Outcome %s: %s</h3>\n", h->code, h->title);
    if (h->total == 0) {
        html_printf(b, "<p>No project in the %d work plan.</p>\n</section>\n", year);
        return;
    }
    html_printf(b, "<p><a href=\"/s/%s/portfolio?", s->code);
    home_filter(b, h);
    html_printf(b, "&amp;year=%d\"><strong>%s</strong> project%s</a> in the %d work plan</p>\n",
                year, grouped(&rq->arena, h->total), h->total == 1 ? "" : "s", year);
    status_bar(b, h);
    html_lit(b, "<table class=\"chart-table status-table\">\n<caption>Projects by status</caption>\n"
                "<thead><tr><th scope=\"col\">Status</th><th scope=\"col\" class=\"num\">"
                "Projects</th></tr></thead>\n<tbody>\n");
    for (int k = 0; k < 7; k++) {
        if (!h->by_status[k]) continue;
        html_printf(b, "<tr><th scope=\"row\"><span class=\"swatch k-%s\"></span>%s</th>"
                       "<td class=\"num\"><a href=\"/s/%s/portfolio?",
                    store_status_keys[k], store_status_label(store_status_keys[k]), s->code);
        home_filter(b, h);
        html_printf(b, "&amp;status=%s&amp;year=%d\">%s</a></td></tr>\n", store_status_keys[k],
                    year, grouped(&rq->arena, h->by_status[k]));
    }
    html_lit(b, "</tbody>\n</table>\n</section>\n");
}

/* Outcome and driver cards. */
static int home_homes(Req *rq, Buf *b, int year)
{
    DashHome *homes;
    size_t n;
    if (store_dashboard_homes(rq->store, rq->strategy->id, year, &rq->arena, &homes, &n))
        return -1;
    if (n == 0) return 0;
    html_printf(b, "<h2>Outcomes and drivers in %d</h2>\n<div class=\"grid\">\n", year);
    for (size_t k = 0; k < n; k++) home_card(rq, b, &homes[k], year, (int)k + 1);
    html_lit(b, "</div>\n");
    return 0;
}

/* Indicators counted by derived status as of the end of the year shown,
 * or of the latest year with a measurement when that is earlier. */
static int home_indicators(Req *rq, Buf *b, int year, int *none)
{
    const ReqStrategy *s = rq->strategy;
    DashIndicator *ind;
    size_t n;
    int latest;
    if (store_dashboard_indicators(rq->store, s->id, s->first_year, s->last_year, &rq->arena,
                                   &ind, &n, &latest))
        return -1;
    *none = n == 0;
    if (n == 0) return 0;
    /* As the indicators page reads "latest": kept within the period. */
    if (latest > s->last_year) latest = s->last_year;
    if (latest && latest < s->first_year) latest = s->first_year;
    int as_of = latest && latest < year ? latest : year;
    int count[IND__COUNT] = {0};
    for (size_t k = 0; k < n; k++) count[rules_indicator_status(&ind[k].rule, as_of, NULL)]++;
    html_lit(b, "<h2>Indicators</h2>\n");
    html_printf(b, "<p>The %zu indicator%s of the strategy at the end of %d", n,
                n == 1 ? "" : "s", as_of);
    if (as_of == latest) html_lit(b, ", the latest year with measurements");
    html_lit(b, ".</p>\n<ul class=\"kpis\">\n");
    static const IndicatorStatus order[] = {IND_ACHIEVED_AHEAD, IND_ACHIEVED, IND_ON_TRACK,
                                            IND_AT_RISK, IND_NOT_ACHIEVED, IND_NO_DATA};
    for (size_t k = 0; k < sizeof order / sizeof *order; k++) {
        IndicatorStatus st = order[k];
        if (!count[st]) continue;
        html_printf(b, "<li><strong>%d</strong> <span class=\"badge s-%s\">%s</span></li>\n",
                    count[st], rules_indicator_status_key(st), rules_indicator_status_label(st));
    }
    html_printf(b, "</ul>\n<p><a href=\"/s/%s/indicators?year=%d\">Every indicator with its "
                   "status at the end of %d</a></p>\n",
                s->code, as_of, as_of);
    return 0;
}

/* The inherent and residual heat maps side by side, each with its table. */
static int home_risks(Req *rq, Buf *b, int *none)
{
    const ReqStrategy *s = rq->strategy;
    ChartHeatmap maps[2];
    memset(maps, 0, sizeof maps);
    int nrisks, unassessed;
    if (store_dashboard_risk_grids(rq->store, s->id, maps[0].counts, maps[1].counts, &nrisks,
                                   &unassessed))
        return -1;
    *none = nrisks == 0;
    if (nrisks == 0) return 0;
    html_lit(b, "<h2>Risks</h2>\n");
    html_printf(b, "<p>%d risk%s in the register", nrisks, nrisks == 1 ? "" : "s");
    if (unassessed)
        html_printf(b, "; %d not fully assessed (without a probability or an impact) and "
                       "left out of a map",
                    unassessed);
    html_printf(b, ". <a href=\"/s/%s/risks\">The risk register and its actions</a></p>\n",
                s->code);
    maps[0].id = "home-inherent";
    maps[0].title = "Inherent risk (before mitigation)";
    maps[1].id = "home-residual";
    maps[1].title = "Residual risk (after mitigation)";
    html_lit(b, "<div class=\"grid wide\">\n");
    for (int k = 0; k < 2; k++) {
        maps[k].matrix = s->risk_matrix;
        html_lit(b, "<div class=\"figure\">\n");
        chart_heatmap(b, &maps[k]);
        html_printf(b, "<details><summary>%s as a table</summary>\n", maps[k].title);
        chart_heatmap_table(b, &maps[k]);
        html_lit(b, "</details>\n</div>\n");
    }
    html_lit(b, "</div>\n");
    return 0;
}

/* Service-level compliance over each service's last months with data. */
static int home_sla(Req *rq, Buf *b, int *none)
{
    const ReqStrategy *s = rq->strategy;
    DashSla *sla;
    size_t n;
    if (store_dashboard_sla(rq->store, s->id, HOME_SLA_MONTHS, &rq->arena, &sla, &n)) return -1;
    *none = n == 0;
    if (n == 0) return 0;
    html_lit(b, "<h2>Service levels</h2>\n");
    html_printf(b, "<p>A month is met when every target with a measurement was met. Each "
                   "service's last %d months with data. <a href=\"/s/%s/services\">Targets and "
                   "trend by service</a></p>\n",
                HOME_SLA_MONTHS, s->code);
    html_printf(b, "<div class=\"table-wrap\" tabindex=\"0\" role=\"group\" aria-label=\"Table, scrolls sideways on a small screen\"><table class=\"data\">\n<caption>Service-level "
                   "compliance, last %d months with data</caption>\n",
                HOME_SLA_MONTHS);
    html_lit(b, "<thead><tr><th scope=\"col\">Service</th><th scope=\"col\" class=\"num\">Months "
                "met</th><th scope=\"col\" class=\"num\">Months measured</th><th scope=\"col\" "
                "class=\"num\">Share met</th><th scope=\"col\">Period</th></tr></thead>\n<tbody>\n");
    for (size_t k = 0; k < n; k++) {
        const DashSla *x = &sla[k];
        html_printf(b, "<tr><th scope=\"row\">%s</th>", x->name);
        if (!x->measured) {
            html_lit(b, "<td class=\"num\">–</td><td class=\"num\">0</td><td class=\"num\">"
                        "<span class=\"badge\">no data</span></td><td></td></tr>\n");
            continue;
        }
        int p = percent(x->met, x->measured);
        const char *key = x->met == x->measured ? "met" : p >= 75 ? "at_risk" : "missed";
        html_printf(b, "<td class=\"num\">%d</td><td class=\"num\">%d</td><td class=\"num\">"
                       "<span class=\"badge s-%s\">%d%%</span></td><td>%s to %s</td></tr>\n",
                    x->met, x->measured, key, p, x->first, x->last);
    }
    html_lit(b, "</tbody>\n</table></div>\n");
    return 0;
}

/* Appends the first paragraph of the Markdown text, made safe. */
static void first_paragraph(Buf *b, const char *text)
{
    cmark_node *doc = md_parse_safe(text, 0);
    for (cmark_node *n = cmark_node_first_child(doc); n; n = cmark_node_next(n)) {
        if (cmark_node_get_type(n) != CMARK_NODE_PARAGRAPH) continue;
        char *html = cmark_render_html(n, CMARK_OPT_DEFAULT);
        buf_puts(b, html);
        cmark_get_default_mem_allocator()->free(html);
        break;
    }
    cmark_node_free(doc);
}

/* The latest progress updates, newest first. */
static int home_updates(Req *rq, Buf *b)
{
    const ReqStrategy *s = rq->strategy;
    DashUpdate *u;
    size_t n;
    if (store_dashboard_latest_updates(rq->store, s->id, HOME_UPDATES, &rq->arena, &u, &n))
        return -1;
    if (n == 0) return 0;
    html_lit(b, "<h2>Latest progress updates</h2>\n<ol class=\"timeline\">\n");
    for (size_t k = 0; k < n; k++) {
        html_printf(b, "<li><p><time datetime=\"%s\">%s</time> · <a href=\"/s/%s/projects/",
                    u[k].date, u[k].date, s->code);
        html_url_param(b, u[k].project_code);
        html_printf(b, "\">%s %s</a> <span class=\"badge s-%s\">%s</span></p>\n",
                    u[k].project_code, u[k].project_title, u[k].project_status,
                    store_status_label(u[k].project_status));
        first_paragraph(b, u[k].text);
        html_lit(b, "</li>\n");
    }
    html_lit(b, "</ol>\n");
    return 0;
}

/* The whole page of year into rs->body. */
static int home_build(Req *rq, Resp *rs, int year)
{
    Buf *b = &rs->body;
    int no_ind = 0, no_risk = 0, no_sla = 0;
    layout_begin(rq, rs, NAV_HOME, rq->strategy->title);
    if (home_lead(rq, b)) return -1;
    home_years(rq, b, year);
    if (home_figures(rq, b, year) || home_homes(rq, b, year) ||
        home_indicators(rq, b, year, &no_ind) || home_risks(rq, b, &no_risk) ||
        home_sla(rq, b, &no_sla))
        return -1;
    if (no_ind || no_risk || no_sla) {
        const char *what[3];
        int n = 0;
        if (no_ind) what[n++] = "indicators";
        if (no_risk) what[n++] = "risks";
        if (no_sla) what[n++] = "service levels";
        html_printf(b, "<p class=\"muted\">Not recorded for this strategy yet: %s", what[0]);
        for (int k = 1; k < n; k++) html_printf(b, "%s%s", k == n - 1 ? " or " : ", ", what[k]);
        html_lit(b, ".</p>\n");
    }
    if (home_updates(rq, b)) return -1;
    layout_end(rq, rs);
    return 0;
}

int page_home(Req *rq, Resp *rs)
{
    const ReqStrategy *s = rq->strategy;
    HomeQuery hq = {0, 0};
    const QueryField fields[] = {
        {"year", QT_INT, offsetof(HomeQuery, year), offsetof(HomeQuery, has_year),
         s->first_year, s->last_year, NULL, 0},
        {NULL, 0, 0, 0, 0, 0, NULL, 0}};
    if (http_query(rq, rs, fields, &hq)) return 0;
    int year = (int)hq.year;
    if (!hq.has_year) {
        char *key = arena_printf(&rq->arena, "home-year:%lld", (long long)s->id);
        Buf y = BUF_INIT;
        if (cache_get(key, &y)) {
            year = atoi(buf_str(&y));
        } else {
            if (store_dashboard_last_year(rq->store, s->id, &year)) return -1;
            if (!year) year = s->last_year;
            buf_printf(&y, "%d", year);
            cache_put(key, y.a, y.n);
        }
        buf_free(&y);
    }
    char *key = arena_printf(&rq->arena, "home:%lld:%d", (long long)s->id, year);
    if (cache_get(key, &rs->body)) return 0;
    if (home_build(rq, rs, year)) return -1;
    cache_put(key, rs->body.a, rs->body.n);
    return 0;
}
