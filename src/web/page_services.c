/*
 * page_services.c — /s/{s}/services: service levels. The SLA table of a
 * year (targets, the last month with data and its figures, months met of
 * those measured, compliance), then the trend: the compliance of every
 * service in the year as bars, or, for one service, its monthly
 * availability against the target as a line with the months as a table.
 *
 * Query: year=YYYY (default: the last year with a measurement),
 * service=CODE (one service's trend; an unknown code is a 400).
 */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "cache.h"
#include "chart.h"
#include "html.h"
#include "layout.h"
#include "pages.h"
#include "registers_query.h"
#include "store_registers.h"

/* A figure as measured ("99.52", "4"), or "—" when not measured. */
static void figure(Buf *b, double v, const char *unit)
{
    if (isnan(v)) html_lit(b, "—");
    else html_printf(b, "%.10g%s", v, unit);
}

static const char *sla_key(int sla)
{
    return sla == SLA_MET ? "met" : sla == SLA_MISSED ? "missed" : "none";
}

static const char *sla_label(int sla)
{
    return sla == SLA_MET ? "met" : sla == SLA_MISSED ? "missed" : "no data";
}

static void sla_badge(Buf *b, int sla)
{
    html_printf(b, "<span class=\"badge s-%s\">%s</span>", sla_key(sla), sla_label(sla));
}

/* Compliance of v in per cent, NAN when no month had data. */
static double compliance(const RegService *v)
{
    int n = v->met + v->missed;
    return n ? 100.0 * v->met / n : NAN;
}

static void filters_form(Buf *b, const ReqStrategy *s, const RegServices *all,
                         const ServiceQuery *q, int year)
{
    html_printf(b, "<form class=\"filters\" method=\"get\" action=\"/s/%s/services\" "
                   "aria-label=\"Choose a year and a service\">\n", s->code);
    html_lit(b, "<div><label for=\"f-year\">Year</label><select id=\"f-year\" name=\"year\">");
    int listed = 0;
    for (size_t k = all->nyears; k-- > 0;) {
        listed |= all->years[k] == year;
        html_printf(b, "<option%s>%d</option>", all->years[k] == year ? " selected" : "",
                    all->years[k]);
    }
    if (!listed && year) html_printf(b, "<option selected>%d</option>", year);
    html_lit(b, "</select></div>\n<div><label for=\"f-service\">Service</label>"
                "<select id=\"f-service\" name=\"service\"><option value=\"\">All services"
                "</option>");
    for (size_t k = 0; k < all->n; k++) {
        html_lit(b, "<option value=\"");
        html_attr(b, all->a[k].code);
        html_printf(b, "\"%s>%s</option>",
                    q->service && strcmp(q->service, all->a[k].code) == 0 ? " selected" : "",
                    all->a[k].name);
    }
    html_printf(b, "</select></div>\n<div class=\"actions\"><button type=\"submit\">Show</button> "
                   "<a href=\"/s/%s/services\">All services, latest year</a></div>\n</form>\n",
                s->code);
}

static void sla_table(Buf *b, const ReqStrategy *s, const RegServices *v)
{
    html_lit(b, "<div class=\"table-wrap\" tabindex=\"0\" role=\"group\" aria-label=\"Table, scrolls sideways on a small screen\"><table class=\"data\">\n");
    html_printf(b, "<caption>Service levels in %d by service</caption>\n", v->year);
    html_lit(b, "<colgroup span=\"1\"></colgroup><colgroup span=\"2\"></colgroup>"
                "<colgroup span=\"3\"></colgroup><colgroup span=\"4\"></colgroup>\n"
                "<thead><tr><th scope=\"col\" rowspan=\"2\">Service</th>");
    html_printf(b, "<th scope=\"colgroup\" colspan=\"2\">In %d</th>", v->year);
    html_lit(b, "<th scope=\"colgroup\" colspan=\"3\">Targets</th>"
                "<th scope=\"colgroup\" colspan=\"4\">Last month with data</th></tr>\n<tr>"
                "<th scope=\"col\" class=\"num\">Compliance</th>"
                "<th scope=\"col\" class=\"num\">Months met / measured</th>"
                "<th scope=\"col\" class=\"num\">Availability</th>"
                "<th scope=\"col\" class=\"num\">Response</th>"
                "<th scope=\"col\" class=\"num\">Resolution</th>"
                "<th scope=\"col\">Month</th>"
                "<th scope=\"col\" class=\"num\">Availability</th>"
                "<th scope=\"col\" class=\"num\">Response</th>"
                "<th scope=\"col\" class=\"num\">Resolution</th></tr></thead>\n<tbody>\n");
    for (size_t k = 0; k < v->n; k++) {
        const RegService *x = &v->a[k];
        html_printf(b, "<tr><th scope=\"row\"><a href=\"/s/%s/services?year=%d&amp;service=",
                    s->code, v->year);
        html_url_param(b, x->code);
        html_printf(b, "\">%s</a></th><td class=\"num\">", x->name);
        double c = compliance(x);
        if (isnan(c)) html_lit(b, "no data");
        else html_printf(b, "%.1f%%", c);
        html_printf(b, "</td><td class=\"num\">%d / %d</td><td class=\"num\">", x->met,
                    x->met + x->missed);
        figure(b, x->availability_target, "%");
        html_lit(b, "</td><td class=\"num\">");
        figure(b, x->response_target, " h");
        html_lit(b, "</td><td class=\"num\">");
        figure(b, x->resolution_target, " h");
        html_lit(b, "</td><td>");
        if (x->last.period) {
            html_printf(b, "<span class=\"nowrap\">%s</span> ", x->last.period);
            sla_badge(b, x->last.sla);
        } else {
            html_lit(b, "none");
        }
        html_lit(b, "</td><td class=\"num\">");
        figure(b, x->last.period ? x->last.availability : NAN, "%");
        html_lit(b, "</td><td class=\"num\">");
        figure(b, x->last.period ? x->last.response : NAN, " h");
        html_lit(b, "</td><td class=\"num\">");
        figure(b, x->last.period ? x->last.resolution : NAN, " h");
        html_lit(b, "</td></tr>\n");
    }
    html_lit(b, "</tbody>\n</table></div>\n");
}

/* Bars: the compliance of every service in the year. */
static void compliance_chart(Buf *b, Arena *a, const RegServices *v)
{
    ChartBar *bars = arena_alloc(a, (v->n + 1) * sizeof *bars);
    for (size_t k = 0; k < v->n; k++) bars[k] = (ChartBar){v->a[k].name, compliance(&v->a[k]), NULL};
    char *title = arena_printf(a, "Share of months in %d that met every measured target", v->year);
    ChartBars spec = {.id = "compliance", .title = title, .category_label = "Service",
                      .value_label = "Months met (% of months with data)", .unit = "%",
                      .decimals = 1, .bars = bars, .nbars = v->n};
    html_lit(b, "<div class=\"figure\">\n");
    chart_bars(b, &spec);
    html_lit(b, "<details><summary>The chart as a table</summary>\n");
    chart_bars_table(b, &spec);
    html_lit(b, "</details>\n</div>\n");
}

/* One service: monthly availability against the target, and every month. */
static void service_trend(Buf *b, Arena *a, const RegService *x, int year)
{
    ChartPoint *pts = arena_alloc(a, (x->nmonths + 1) * sizeof *pts);
    size_t np = 0;
    for (size_t k = 0; k < x->nmonths; k++)
        if (!isnan(x->months[k].availability))
            pts[np++] = (ChartPoint){x->months[k].period, x->months[k].availability};
    ChartLine spec = {.id = "availability",
                      .title = arena_printf(a, "Monthly availability in %d", year),
                      .x_label = "Month", .y_label = "Availability (%)", .unit = "%",
                      .decimals = 2, .points = pts, .npoints = np,
                      .has_target = !isnan(x->availability_target),
                      .target = x->availability_target};
    html_lit(b, "<div class=\"figure\">\n");
    chart_line(b, &spec);
    html_lit(b, "</div>\n");
    if (!x->nmonths) {
        html_printf(b, "<p>%s has no measurement in %d.</p>\n", x->name, year);
        return;
    }
    html_lit(b, "<div class=\"table-wrap\" tabindex=\"0\" role=\"group\" aria-label=\"Table, scrolls sideways on a small screen\"><table class=\"data\">\n");
    html_printf(b, "<caption>%s, month by month in %d</caption>\n", x->name, year);
    html_lit(b, "<thead><tr><th scope=\"col\">Month</th>"
                "<th scope=\"col\" class=\"num\">Availability</th>"
                "<th scope=\"col\" class=\"num\">Response</th>"
                "<th scope=\"col\" class=\"num\">Resolution</th>"
                "<th scope=\"col\">Service level</th></tr></thead>\n<tbody>\n");
    for (size_t k = 0; k < x->nmonths; k++) {
        const RegMonth *m = &x->months[k];
        html_printf(b, "<tr><th scope=\"row\">%s</th><td class=\"num\">", m->period);
        figure(b, m->availability, "%");
        html_lit(b, "</td><td class=\"num\">");
        figure(b, m->response, " h");
        html_lit(b, "</td><td class=\"num\">");
        figure(b, m->resolution, " h");
        html_lit(b, "</td><td>");
        sla_badge(b, m->sla);
        html_lit(b, "</td></tr>\n");
    }
    html_lit(b, "</tbody>\n</table></div>\n");
}

int page_services(Req *rq, Resp *rs)
{
    const ReqStrategy *s = rq->strategy;
    ServiceQuery q = {0};
    if (http_query(rq, rs, registers_service_fields, &q)) return 0;
    char *key = arena_printf(&rq->arena, "services:%lld:%lld:%s", (long long)s->id,
                             q.has_year ? q.year : 0, q.service ? q.service : "");
    if (cache_get(key, &rs->body)) return 0;
    RegServices v;
    if (store_registers_services(rq->store, s->id, q.has_year ? (int)q.year : 0, NULL, &rq->arena,
                                 &v))
        return -1;
    const RegService *chosen = NULL;
    for (size_t k = 0; q.service && k < v.n && !chosen; k++)
        if (strcmp(v.a[k].code, q.service) == 0) chosen = &v.a[k];
    if (q.service && !chosen)
        return http_error(rq, rs, 400, "parameter service: this strategy has no service \"%s\"",
                          q.service);
    Buf *b = &rs->body;
    layout_begin(rq, rs, NAV_SERVICES, "Service levels");
    if (!v.total) {
        html_lit(b, "<p>This strategy has no services with service-level targets recorded.</p>\n");
        layout_end(rq, rs);
        return 0;
    }
    html_printf(b, "<p class=\"lead\">%zu %s with service-level targets: availability (per cent "
                   "of time, at least), response and resolution times (hours, at most). A month "
                   "is met when every target measured in it is met; months without data are "
                   "counted apart.</p>\n", v.total, v.total == 1 ? "service" : "services");
    if (!v.nyears) {
        html_lit(b, "<p>No service has a measurement yet.</p>\n");
        layout_end(rq, rs);
        return 0;
    }
    filters_form(b, s, &v, &q, v.year);
    int has_year = 0;
    for (size_t k = 0; k < v.nyears; k++) has_year |= v.years[k] == v.year;
    if (!has_year) {
        html_printf(b, "<p>No service has a measurement in %d. Measurements cover %d to %d: "
                       "<a href=\"/s/%s/services\">show the latest year</a>.</p>\n",
                    v.year, v.years[0], v.years[v.nyears - 1], s->code);
        layout_end(rq, rs);
        return 0;
    }
    html_printf(b, "<section aria-labelledby=\"sla\">\n<h2 id=\"sla\">Service levels in %d</h2>\n"
                   "<p class=\"muted\">Compliance is the share of the year's months with data "
                   "that met every measured target.</p>\n", v.year);
    sla_table(b, s, &v);
    html_lit(b, "</section>\n");
    if (chosen) {
        html_printf(b, "<section aria-labelledby=\"trend\">\n<h2 id=\"trend\">Trend: %s</h2>\n",
                    chosen->name);
        html_printf(b, "<p><a href=\"/s/%s/services?year=%d\">All services in %d</a></p>\n",
                    s->code, v.year, v.year);
        service_trend(b, &rq->arena, chosen, v.year);
    } else {
        html_lit(b, "<section aria-labelledby=\"trend\">\n<h2 id=\"trend\">Compliance by "
                    "service</h2>\n<p class=\"muted\">Choose a service in the table for its "
                    "monthly trend.</p>\n");
        compliance_chart(b, &rq->arena, &v);
    }
    html_lit(b, "</section>\n");
    { static const char *const kinds[] = {"services", "service_figures", NULL};
      page_sheet_links(b, s, kinds); }
    layout_end(rq, rs);
    cache_put(key, b->a, b->n);
    return 0;
}
