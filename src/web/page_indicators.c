/*
 * page_indicators.c — /s/{s}/indicators: every indicator with its derived
 * status as of a year, and /s/{s}/indicators/{code}: one indicator, its
 * line chart against baseline, milestones and target, its measurements and
 * its status year by year.
 *
 * Statuses are never stored: rules_indicator_status() derives them as of
 * the end of a year, the same way the governing-body report does.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cache.h"
#include "chart.h"
#include "html.h"
#include "indicator_query.h"
#include "layout.h"
#include "markdown.h"
#include "pages.h"
#include "store_indicators.h"

/* v as a person reads it: at most two decimals, no trailing zeros, with the
 * unit ("45%", "3.5 days"). In the arena; plain text. */
static const char *num(Arena *a, double v, const char *unit)
{
    if (isnan(v)) return "n/a";
    char s[48];
    snprintf(s, sizeof s, "%.2f", v);
    char *dot = strchr(s, '.');
    if (dot) {
        char *e = s + strlen(s) - 1;
        while (e > dot && *e == '0') *e-- = 0;
        if (e == dot) *e = 0;
    }
    if (strcmp(s, "-0") == 0) strcpy(s, "0");
    if (!unit || !*unit) return arena_strdup(a, s);
    return arena_printf(a, "%s%s%s", s, strcmp(unit, "%") == 0 ? "" : " ", unit);
}

/* "Output 1.1: Title", "Outcome 2: Title", "Driver: Title" or the strategy;
 * brief: "Output 1.1", "Outcome 2", the driver's title, or for a key risk
 * indicator of the strategy as a whole its first risk ("Risk R01"). */
static void measures(Buf *b, const StoreIndicator *x, int brief)
{
    if (!x->home_kind && x->nrisks && brief) html_printf(b, "Risk %s", x->risks[0].code);
    else if (!x->home_kind) html_lit(b, "the strategy as a whole");
    else if (strcmp(x->home_kind, "outcome") == 0)
        html_printf(b, "Outcome %s", x->home_code);
    else if (strcmp(x->home_kind, "output") == 0)
        html_printf(b, "Output %s", x->home_code);
    else if (brief) html_printf(b, "%s", x->home_title);
    else html_printf(b, "Driver: %s", x->home_title);
    if (x->home_kind && !brief && strcmp(x->home_kind, "driver") != 0)
        html_printf(b, ": %s", x->home_title);
}

/* The status as a badge: its words, coloured by its key (never colour alone). */
static void badge(Buf *b, IndicatorStatus st)
{
    html_printf(b, "<span class=\"badge s-%s\">%s</span>", rules_indicator_status_key(st),
                rules_indicator_status_label(st));
}

/* Writes the list's URL for kind and status (each -1: none) and, when q
 * has one, the year; HTML-safe. */
static void list_url(Buf *b, const ReqStrategy *s, const IndicatorQuery *q, int kind, int status,
                     int year)
{
    html_printf(b, "/s/%s/indicators?", s->code);
    int more = 0; /* a parameter is written: the next one needs "&amp;" */
    if (kind >= 0) {
        html_printf(b, "kind=%s", store_indicator_kinds[kind]);
        more = 1;
    }
    if (status >= 0) {
        if (more) html_lit(b, "&amp;");
        html_printf(b, "status=%s", store_indicator_status_keys[status]);
        more = 1;
    }
    if (q->has_year) {
        if (more) html_lit(b, "&amp;");
        html_printf(b, "year=%d", year);
    }
}

/* One <option> of a filter; value and label are escaped. */
static void select_option(Buf *b, const char *value, const char *label, int selected)
{
    if (selected) html_printf(b, "<option value=\"%s\" selected>%s</option>", value, label);
    else html_printf(b, "<option value=\"%s\">%s</option>", value, label);
}

/* The filter form of the list (GET, so a view can be shared): kind,
 * status and the as-of year, each labelled, the current choice selected. */
static void list_filters(Buf *b, const ReqStrategy *s, const IndicatorQuery *q, int year)
{
    html_printf(b, "<form class=\"filters\" method=\"get\" action=\"/s/%s/indicators\">\n",
                s->code);
    html_lit(b, "<div><label for=\"f-kind\">Kind</label><select id=\"f-kind\" name=\"kind\">");
    select_option(b, "", "All kinds", !q->has_kind);
    for (int k = 0; store_indicator_kinds[k]; k++)
        select_option(b, store_indicator_kinds[k],
                      store_indicator_kind_label(store_indicator_kinds[k]),
                      q->has_kind && q->kind == k);
    html_lit(b, "</select></div>\n<div><label for=\"f-status\">Status</label>"
                "<select id=\"f-status\" name=\"status\">");
    select_option(b, "", "Any status", !q->has_status);
    for (int k = 0; k < IND__COUNT; k++)
        select_option(b, store_indicator_status_keys[k],
                      rules_indicator_status_label((IndicatorStatus)k),
                      q->has_status && q->status == k);
    html_lit(b, "</select></div>\n<div><label for=\"f-year\">Status at the end of</label>"
                "<select id=\"f-year\" name=\"year\">");
    for (int y = s->first_year; y <= s->last_year; y++) {
        char v[16];
        snprintf(v, sizeof v, "%d", y);
        select_option(b, v, v, y == year);
    }
    html_printf(b, "</select></div>\n<div class=\"actions\"><button type=\"submit\">Show</button> "
                   "<a href=\"/s/%s/indicators\">Clear filters</a></div>\n</form>\n", s->code);
}

int page_indicators(Req *rq, Resp *rs)
{
    const ReqStrategy *s = rq->strategy;
    IndicatorQuery q = {0};
    if (http_query(rq, rs, indicator_query_list_fields, &q)) return 0;
    /* The page depends on the data and the filters only: kept until the
     * data changes (a bad year is answered below and never kept). */
    const char *key = arena_printf(&rq->arena, "indicators-page:%lld:%d:%d:%lld",
                                   (long long)s->id, q.has_kind ? q.kind : -1,
                                   q.has_status ? q.status : -1, q.has_year ? q.year : 0);
    if (cache_get(key, &rs->body)) return 0;
    int year;
    int r = indicator_query_year(rq, rs, &q, &year);
    if (r) return r < 0 ? -1 : 0;
    IndicatorSet set;
    if (store_indicators_load(rq->store, s->id, NULL, s->first_year, s->last_year, &rq->arena,
                              &set))
        return -1;
    Arena *a = &rq->arena;
    Buf *b = &rs->body;
    layout_begin(rq, rs, NAV_INDICATORS, "Indicators");
    if (set.n == 0) {
        html_lit(b, "<p>This strategy has no indicators. Outcome indicators, KPIs and key risk "
                    "indicators come from <code>indicators</code> in the strategy document; "
                    "import a document that has them to follow them here.</p>\n");
        layout_end(rq, rs);
        cache_put(key, b->a, b->n);
        return 0;
    }
    /* Statuses once; counts over the kind filter, whatever the status filter. */
    IndicatorStatus *st = arena_alloc(a, set.n * sizeof *st);
    int *latest = arena_alloc(a, set.n * sizeof *latest);
    int counts[IND__COUNT] = {0}, nkind = 0;
    for (size_t k = 0; k < set.n; k++) {
        st[k] = store_indicator_status(&set.a[k], year, &latest[k]);
        if (q.has_kind && strcmp(set.a[k].kind, store_indicator_kinds[q.kind]) != 0) continue;
        counts[st[k]]++;
        nkind++;
    }
    int lo = rules_biennium_first(year, s->odd);
    html_printf(b, "<p class=\"lead\">Status at the end of %d, derived from the latest "
                   "measurement against baseline, milestones and target. Milestones shown are "
                   "those due in %d–%02d.</p>\n", year, lo, (lo + 1) % 100);
    html_printf(b, "<h2 id=\"by-status\">%d %s%s by status</h2>\n<ul class=\"kpis\">\n", nkind,
                q.has_kind ? store_indicator_kind_label(store_indicator_kinds[q.kind])
                           : "indicator",
                nkind == 1 ? "" : "s");
    static const IndicatorStatus order[] = {IND_ACHIEVED, IND_ACHIEVED_AHEAD, IND_ON_TRACK,
                                            IND_AT_RISK, IND_NOT_ACHIEVED, IND_NO_DATA};
    for (size_t k = 0; k < sizeof order / sizeof *order; k++) {
        html_printf(b, "<li><strong>%d</strong> <a href=\"", counts[order[k]]);
        list_url(b, s, &q, q.has_kind ? q.kind : -1, (int)order[k], year);
        html_printf(b, "\">%s</a></li>\n", rules_indicator_status_label(order[k]));
    }
    html_lit(b, "</ul>\n");
    list_filters(b, s, &q, year);

    const char *biennium = arena_printf(a, "%d-%02d", lo, (lo + 1) % 100);
    Buf rows = BUF_INIT;
    int nshown = 0;
    for (size_t k = 0; k < set.n; k++) {
        const StoreIndicator *x = &set.a[k];
        if (q.has_kind && strcmp(x->kind, store_indicator_kinds[q.kind]) != 0) continue;
        if (q.has_status && (int)st[k] != q.status) continue;
        nshown++;
        const RulesIndicator *ru = &x->rule;
        html_printf(&rows, "<tr><td class=\"nowrap\">%s</td><th scope=\"row\" class=\"name\"><a href=\"/s/%s/"
                           "indicators/", x->code, s->code);
        html_url_param(&rows, x->code);
        html_printf(&rows, "?year=%d\">%s</a></th><td>", year, x->title);
        badge(&rows, st[k]);
        html_lit(&rows, "</td>");
        if (latest[k] >= 0)
            html_printf(&rows, "<td class=\"num\">%s<br><span class=\"muted nowrap\">%s</span>"
                               "</td>", num(a, x->measurements[latest[k]].value, x->unit),
                        x->measurements[latest[k]].date);
        else html_lit(&rows, "<td class=\"num\">none yet</td>");
        if (ru->has_baseline)
            html_printf(&rows, "<td class=\"num\">%s<br><span class=\"muted\">%d</span></td>",
                        num(a, ru->baseline, x->unit), ru->baseline_year);
        else html_lit(&rows, "<td class=\"num\">–</td>");
        int m = store_indicator_milestone_in(x, lo);
        if (m >= 0 && strcmp(x->milestones[m].period, biennium) != 0)
            html_printf(&rows, "<td class=\"num\">%s<br><span class=\"muted\">%s</span></td>",
                        num(a, x->milestones[m].value, x->unit), x->milestones[m].period);
        else if (m >= 0)
            html_printf(&rows, "<td class=\"num\">%s</td>", num(a, x->milestones[m].value, x->unit));
        else html_lit(&rows, "<td class=\"num\">–</td>");
        if (ru->has_target)
            html_printf(&rows, "<td class=\"num\">%s</td>", num(a, ru->target, x->unit));
        else html_lit(&rows, "<td class=\"num\">–</td>");
        html_printf(&rows, "<td class=\"kind\">%s</td><td>", store_indicator_kind_label(x->kind));
        measures(&rows, x, 1);
        html_lit(&rows, "</td></tr>\n");
    }
    if (nshown == 0) {
        html_printf(b, "<p>No indicator matches these filters. <a href=\"/s/%s/indicators\">Show "
                       "every indicator</a>.</p>\n", s->code);
    } else {
        html_printf(b, "<div class=\"table-wrap\" tabindex=\"0\" role=\"group\" aria-label=\"Table, scrolls sideways on a small screen\"><table class=\"data\">\n<caption>%d %s, status "
                       "at the end of %d</caption>\n<thead><tr><th scope=\"col\">Code</th>"
                       "<th scope=\"col\">Indicator</th><th scope=\"col\">Status</th>"
                       "<th scope=\"col\" class=\"num\">Latest<br>measurement</th>"
                       "<th scope=\"col\" class=\"num\">Baseline</th>"
                       "<th scope=\"col\" class=\"num\">Milestone<br>%d–%02d</th>"
                       "<th scope=\"col\" class=\"num\">Target<br>%d</th>"
                       "<th scope=\"col\">Kind</th><th scope=\"col\">Measures</th></tr></thead>\n"
                       "<tbody>\n",
                    nshown, nshown == 1 ? "indicator" : "indicators", year, lo, (lo + 1) % 100,
                    s->last_year);
        buf_append(b, rows.a, rows.n);
        html_lit(b, "</tbody>\n</table></div>\n");
    }
    buf_free(&rows);
    { static const char *const kinds[] = {"indicators", "milestones", "measurements", NULL};
      page_sheet_links(b, s, kinds); }
    html_printf(b, "<p class=\"muted\">The same list as JSON: <a href=\"/api/v1/strategies/%s/"
                   "indicators\">/api/v1/strategies/%s/indicators</a>. How statuses are derived: "
                   "docs/rules.md.</p>\n", s->code, s->code);
    layout_end(rq, rs);
    cache_put(key, b->a, b->n);
    return 0;
}

/* Digits after the point v needs, at most 2. */
static int decimals(double v)
{
    long long c = llround(fabs(v) * 100);
    return c % 10 ? 2 : c % 100 ? 1 : 0;
}

/* Digits after the point needed to show every value of x (at most 2). */
static int decimals_of(const StoreIndicator *x)
{
    const RulesIndicator *r = &x->rule;
    int d = 0;
    if (r->has_baseline && decimals(r->baseline) > d) d = decimals(r->baseline);
    if (r->has_target && decimals(r->target) > d) d = decimals(r->target);
    for (size_t k = 0; k < x->nmilestones; k++)
        if (decimals(x->milestones[k].value) > d) d = decimals(x->milestones[k].value);
    for (size_t k = 0; k < x->nmeasurements; k++)
        if (decimals(x->measurements[k].value) > d) d = decimals(x->measurements[k].value);
    return d;
}

/* The line chart of x (measurements, baseline, milestones, target) and the
 * same data as an accessible table; the chart's arrays in the arena. */
static void indicator_chart(Req *rq, Buf *b, const StoreIndicator *x)
{
    Arena *a = &rq->arena;
    const RulesIndicator *r = &x->rule;
    ChartPoint *pts = arena_alloc(a, (x->nmeasurements + 1) * sizeof *pts);
    for (size_t k = 0; k < x->nmeasurements; k++)
        pts[k] = (ChartPoint){x->measurements[k].date, x->measurements[k].value};
    ChartMilestone *ms = arena_alloc(a, (x->nmilestones + 1) * sizeof *ms);
    for (size_t k = 0; k < x->nmilestones; k++)
        ms[k] = (ChartMilestone){x->milestones[k].period, x->milestones[k].value};
    const char *unit = NULL;
    if (x->unit && *x->unit)
        unit = strcmp(x->unit, "%") == 0 ? x->unit : arena_printf(a, " %s", x->unit);
    ChartLine spec = {
        .id = "indicator",
        .title = arena_printf(a, "%s: measurements against baseline, milestones and target",
                              x->code),
        .desc = NULL,
        .x_label = "Year",
        .y_label = x->unit && *x->unit ? x->unit : "Value",
        .unit = unit,
        .decimals = decimals_of(x),
        .points = pts,
        .npoints = x->nmeasurements,
        .milestones = ms,
        .nmilestones = x->nmilestones,
        .has_baseline = r->has_baseline,
        .baseline = r->baseline,
        .baseline_year = r->has_baseline ? r->baseline_year : 0,
        .has_target = r->has_target,
        .target = r->target,
        .target_year = r->end_year,
    };
    html_lit(b, "<div class=\"figure\">\n");
    chart_line(b, &spec);
    html_lit(b, "\n");
    chart_line_table(b, &spec);
    html_lit(b, "\n</div>\n");
}

int page_indicator(Req *rq, Resp *rs)
{
    const ReqStrategy *s = rq->strategy;
    IndicatorQuery q = {0};
    if (http_query(rq, rs, indicator_query_one_fields, &q)) return 0;
    const char *key = arena_printf(&rq->arena, "indicator-page:%lld:%lld:%s", (long long)s->id,
                                   q.has_year ? q.year : 0, rq->args[1]);
    if (cache_get(key, &rs->body)) return 0;
    int year;
    int r = indicator_query_year(rq, rs, &q, &year);
    if (r) return r < 0 ? -1 : 0;
    IndicatorSet set;
    if (store_indicators_load(rq->store, s->id, rq->args[1], s->first_year, s->last_year,
                              &rq->arena, &set))
        return -1;
    if (set.n == 0)
        return http_error(rq, rs, 404, "Strategy %s has no indicator \"%s\". Its indicators "
                                       "are listed at /s/%s/indicators.", s->code, rq->args[1],
                          s->code);
    Arena *a = &rq->arena;
    Buf *b = &rs->body;
    const StoreIndicator *x = &set.a[0];
    const RulesIndicator *ru = &x->rule;
    layout_begin(rq, rs, NAV_INDICATORS, x->title);
    html_printf(b, "<p class=\"lead\">%s · %s · <a href=\"/s/%s/indicators?year=%d\">All "
                   "indicators</a></p>\n", x->code, store_indicator_kind_label(x->kind), s->code,
                year);
    if (x->description) md_to_html(b, x->description, MD_HEADING_SHIFT(1));

    int latest;
    IndicatorStatus st = store_indicator_status(x, year, &latest);
    html_lit(b, "<h2 id=\"facts\">At a glance</h2>\n<dl class=\"fields\">\n");
    html_printf(b, "<dt>Status at the end of %d</dt><dd>", year);
    badge(b, st);
    html_lit(b, "</dd>\n<dt>Latest measurement</dt><dd>");
    if (latest >= 0)
        html_printf(b, "%s on %s", num(a, x->measurements[latest].value, x->unit),
                    x->measurements[latest].date);
    else html_printf(b, "none by the end of %d", year);
    html_printf(b, "</dd>\n<dt>Code</dt><dd>%s</dd>\n<dt>Kind</dt><dd>%s</dd>\n"
                   "<dt>Measures</dt><dd>", x->code, store_indicator_kind_label(x->kind));
    measures(b, x, 0);
    html_printf(b, "</dd>\n<dt>Unit</dt><dd>%s</dd>\n<dt>Direction</dt><dd>%s</dd>\n",
                x->unit ? x->unit : "none", x->down ? "lower is better" : "higher is better");
    html_lit(b, "<dt>Baseline</dt><dd>");
    if (ru->has_baseline)
        html_printf(b, "%s in %d%s", num(a, ru->baseline, x->unit), ru->baseline_year,
                    x->baseline_year == DB_NULL_INT ? " (year not stated: the year before the "
                                                      "strategy)" : "");
    else html_lit(b, "not stated");
    html_lit(b, "</dd>\n<dt>Milestones</dt><dd>");
    if (!x->nmilestones) html_lit(b, "none");
    for (size_t k = 0; k < x->nmilestones; k++)
        html_printf(b, "%s%s in %s", k ? "; " : "", num(a, x->milestones[k].value, x->unit),
                    x->milestones[k].period);
    html_lit(b, "</dd>\n<dt>Target</dt><dd>");
    if (ru->has_target) html_printf(b, "%s by %d", num(a, ru->target, x->unit), ru->end_year);
    else html_lit(b, "not stated");
    html_lit(b, "</dd>\n</dl>\n");

    html_lit(b, "<h2 id=\"chart\">Measurements against baseline, milestones and target</h2>\n");
    indicator_chart(rq, b, x);

    html_lit(b, "<h2 id=\"measurements\">Measurements</h2>\n");
    if (!x->nmeasurements) {
        html_lit(b, "<p>No measurement has been recorded yet.</p>\n");
    } else {
        html_printf(b, "<div class=\"table-wrap\" tabindex=\"0\" role=\"group\" aria-label=\"Table, scrolls sideways on a small screen\"><table class=\"data\">\n<caption>Measurements "
                       "of %s, oldest first</caption>\n<thead><tr><th scope=\"col\">Date</th>"
                       "<th scope=\"col\" class=\"num\">Value</th><th scope=\"col\">Source</th>"
                       "<th scope=\"col\">Note</th></tr></thead>\n<tbody>\n", x->code);
        for (size_t k = 0; k < x->nmeasurements; k++) {
            const IndMeasurement *m = &x->measurements[k];
            html_printf(b, "<tr><th scope=\"row\">%s</th><td class=\"num\">%s</td><td>%s</td>"
                           "<td>%s</td></tr>\n", m->date, num(a, m->value, x->unit),
                        m->source ? m->source : "", m->note ? m->note : "");
        }
        html_lit(b, "</tbody>\n</table></div>\n");
    }

    html_lit(b, "<h2 id=\"status-by-year\">Status year by year</h2>\n");
    html_printf(b, "<div class=\"table-wrap\" tabindex=\"0\" role=\"group\" aria-label=\"Table, scrolls sideways on a small screen\"><table class=\"data\">\n<caption>Status of %s at "
                   "the end of each year of the strategy</caption>\n<thead><tr>"
                   "<th scope=\"col\">Year</th><th scope=\"col\">Status</th>"
                   "<th scope=\"col\" class=\"num\">Measurement it rests on</th></tr></thead>\n"
                   "<tbody>\n", x->code);
    for (int y = s->first_year; y <= s->last_year; y++) {
        int l;
        IndicatorStatus ys = store_indicator_status(x, y, &l);
        html_printf(b, "<tr><th scope=\"row\">%d</th><td>", y);
        badge(b, ys);
        if (l >= 0)
            html_printf(b, "</td><td class=\"num\">%s <span class=\"muted\">on %s</span></td></tr>\n",
                        num(a, x->measurements[l].value, x->unit), x->measurements[l].date);
        else html_lit(b, "</td><td class=\"num\">none yet</td></tr>\n");
    }
    html_lit(b, "</tbody>\n</table></div>\n");

    if (x->nrisks) {
        html_lit(b, "<h2 id=\"risks\">Risks it signals</h2>\n<p>This is a key risk indicator "
                    "of:</p>\n<ul>\n");
        for (size_t k = 0; k < x->nrisks; k++)
            html_printf(b, "<li><a href=\"/s/%s/risks\">%s</a> %s</li>\n", s->code,
                        x->risks[k].code, x->risks[k].title);
        html_lit(b, "</ul>\n");
    }
    html_lit(b, "<p class=\"muted\">As JSON: <a href=\"");
    html_printf(b, "/api/v1/strategies/%s/indicators/", s->code);
    html_url_param(b, x->code);
    html_lit(b, "\">the API</a>.</p>\n");
    layout_end(rq, rs);
    cache_put(key, b->a, b->n);
    return 0;
}
