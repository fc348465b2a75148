/*
 * page_risks.c — /s/{s}/risks: the risk register. Two 5 x 5 heat maps
 * (inherent and residual, from the strategy's matrix) with their tables,
 * the risks per residual level, the register, and the remedial actions.
 *
 * Query: level=low|medium|high|critical (residual level), category=TEXT,
 * date=YYYY-MM-DD (actions due before it and not done are marked overdue;
 * without it due dates are shown plainly: the server has no clock).
 */
#include <stddef.h>
#include <string.h>

#include "cache.h"
#include "chart.h"
#include "date.h"
#include "html.h"
#include "layout.h"
#include "markdown.h"
#include "pages.h"
#include "registers_query.h"
#include "store_registers.h"

static const char *level_label(RiskLevel l)
{
    return l == RISK_NONE ? "not assessed" : rules_risk_level_key(l);
}

/* A level as a badge: the word, coloured. */
static void level_badge(Buf *b, RiskLevel l)
{
    html_printf(b, "<span class=\"badge s-%s\">%s</span>", rules_risk_level_key(l),
                level_label(l));
}

/* "?level=...&category=...&date=..." of the current filter with level
 * replaced by lv (RISK_NONE: no level). */
static void risk_href(Buf *b, const ReqStrategy *s, const RiskQuery *q, RiskLevel lv)
{
    int first = 1;
    html_printf(b, "/s/%s/risks", s->code);
    if (lv != RISK_NONE) {
        html_printf(b, "?level=%s", rules_risk_level_key(lv));
        first = 0;
    }
    if (q->category) {
        if (first) html_lit(b, "?category=");
        else html_lit(b, "&amp;category=");
        html_url_param(b, q->category);
        first = 0;
    }
    if (q->date) {
        if (first) html_lit(b, "?date=");
        else html_lit(b, "&amp;date=");
        html_url_param(b, q->date);
    }
}

static void filters_form(Buf *b, const ReqStrategy *s, const RiskQuery *q, const RegRisks *r)
{
    html_printf(b, "<form class=\"filters\" method=\"get\" action=\"/s/%s/risks\" "
                   "aria-label=\"Filter the register\">\n", s->code);
    html_lit(b, "<div><label for=\"f-level\">Residual level</label>"
                "<select id=\"f-level\" name=\"level\"><option value=\"\">Any level</option>");
    for (int k = 0; registers_risk_levels[k]; k++)
        html_printf(b, "<option value=\"%s\"%s>%s</option>", registers_risk_levels[k],
                    q->has_level && q->level == k ? " selected" : "", registers_risk_levels[k]);
    html_lit(b, "</select></div>\n<div><label for=\"f-category\">Category</label>"
                "<select id=\"f-category\" name=\"category\"><option value=\"\">Any category"
                "</option>");
    int listed = 0;
    for (size_t k = 0; k < r->ncategories; k++) {
        int sel = q->category && strcmp(q->category, r->categories[k]) == 0;
        listed |= sel;
        html_lit(b, "<option value=\"");
        html_attr(b, r->categories[k]);
        html_printf(b, "\"%s>%s</option>", sel ? " selected" : "", r->categories[k]);
    }
    if (q->category && !listed) {
        html_lit(b, "<option value=\"");
        html_attr(b, q->category);
        html_printf(b, "\" selected>%s</option>", q->category);
    }
    html_lit(b, "</select></div>\n<div><label for=\"f-date\">Overdue as of</label>"
                "<input type=\"date\" id=\"f-date\" name=\"date\" aria-describedby=\"f-date-help\"");
    if (q->date) html_printf(b, " value=\"%s\"", q->date);
    html_lit(b, "><small id=\"f-date-help\" class=\"muted\">Marks actions due before this "
                "date that are not done.</small></div>\n");
    html_printf(b, "<div class=\"actions\"><button type=\"submit\">Show</button> "
                   "<a href=\"/s/%s/risks\">Clear filters</a></div>\n</form>\n", s->code);
}

static void level_counts(Buf *b, const ReqStrategy *s, const RiskQuery *q, const RegRisks *r)
{
    html_lit(b, "<section aria-labelledby=\"levels\">\n<h2 id=\"levels\">Residual risk by level"
                "</h2>\n<ul class=\"kpis\">\n");
    for (RiskLevel l = RISK_CRITICAL; l >= RISK_LOW; l--) {
        int current = q->has_level && q->level + 1 == (int)l;
        html_printf(b, "<li><strong>%zu</strong> ", r->by_residual[l]);
        if (current) {
            level_badge(b, l);
            html_lit(b, " <span class=\"muted\">(shown)</span>");
        } else {
            html_lit(b, "<a href=\"");
            risk_href(b, s, q, l);
            html_printf(b, "\" aria-label=\"%zu at %s level: show them\">", r->by_residual[l],
                        level_label(l));
            level_badge(b, l);
            html_lit(b, "</a>");
        }
        html_lit(b, "</li>\n");
    }
    if (r->by_residual[RISK_NONE])
        html_printf(b, "<li><strong>%zu</strong> not assessed</li>\n", r->by_residual[RISK_NONE]);
    html_lit(b, "</ul>\n</section>\n");
}

static void heatmaps(Buf *b, const ReqStrategy *s, const RegRisks *r)
{
    ChartHeatmap inh = {.id = "inherent", .title = "Inherent risk (before actions)",
                        .matrix = s->risk_matrix};
    ChartHeatmap res = {.id = "residual", .title = "Residual risk (after actions)",
                        .matrix = s->risk_matrix};
    for (size_t k = 0; k < r->n; k++) {
        const RegRisk *x = &r->a[k];
        if (x->ip && x->ii) inh.counts[x->ip - 1][x->ii - 1]++;
        if (x->rp && x->ri) res.counts[x->rp - 1][x->ri - 1]++;
    }
    html_lit(b, "<section aria-labelledby=\"heat\">\n<h2 id=\"heat\">Heat maps</h2>\n"
                "<p class=\"muted\">Probability (1–5, up) against impact (1–5, across); each "
                "cell shows its level's letter and the number of risks in it.</p>\n"
                "<div class=\"grid wide\">\n<div class=\"figure\">\n");
    chart_heatmap(b, &inh);
    html_lit(b, "<details><summary>Inherent risk as a table</summary>\n");
    chart_heatmap_table(b, &inh);
    html_lit(b, "</details>\n</div>\n<div class=\"figure\">\n");
    chart_heatmap(b, &res);
    html_lit(b, "<details><summary>Residual risk as a table</summary>\n");
    chart_heatmap_table(b, &res);
    html_lit(b, "</details>\n</div>\n</div>\n</section>\n");
}

/* "4 × 3" and the level's badge, or "not assessed". */
static void score_cell(Buf *b, int p, int i, RiskLevel l)
{
    html_lit(b, "<td>");
    if (p && i) html_printf(b, "<span class=\"nowrap\">%d × %d</span> ", p, i);
    level_badge(b, l);
    html_lit(b, "</td>");
}

static void register_table(Buf *b, const ReqStrategy *s, const RegRisks *r)
{
    html_lit(b, "<section aria-labelledby=\"register\">\n<h2 id=\"register\">Register</h2>\n"
                "<div class=\"table-wrap\" tabindex=\"0\" role=\"group\" aria-label=\"Table, scrolls sideways on a small screen\"><table class=\"data\">\n");
    if (r->n == r->total) html_printf(b, "<caption>The %zu risks of the register</caption>\n", r->n);
    else html_printf(b, "<caption>%zu of the %zu risks of the register</caption>\n", r->n, r->total);
    html_lit(b, "<thead><tr><th scope=\"col\">Code</th><th scope=\"col\">Risk</th>"
                "<th scope=\"col\">Category</th><th scope=\"col\">Owner</th>"
                "<th scope=\"col\">Inherent (P × I)</th><th scope=\"col\">Residual (P × I)</th>"
                "<th scope=\"col\" class=\"num\">Actions done</th>"
                "<th scope=\"col\">Key risk indicators</th></tr></thead>\n<tbody>\n");
    for (size_t k = 0; k < r->n; k++) {
        const RegRisk *x = &r->a[k];
        html_printf(b, "<tr><th scope=\"row\">%s</th><td>%s", x->code, x->title);
        if (x->description) {
            html_lit(b, "<div class=\"muted\">");
            md_to_html(b, x->description, MD_HEADING_SHIFT(3));
            html_lit(b, "</div>");
        }
        html_printf(b, "</td><td>%s</td><td>%s</td>", x->category ? x->category : "—",
                    x->owner ? x->owner : "—");
        score_cell(b, x->ip, x->ii, x->inherent);
        score_cell(b, x->rp, x->ri, x->residual);
        if (x->nactions)
            html_printf(b, "<td class=\"num\">%zu of %zu</td><td>", x->ndone, x->nactions);
        else
            html_lit(b, "<td class=\"num\">none</td><td>");
        if (!x->nkris) html_lit(b, "—");
        for (size_t j = 0; j < x->nkris; j++) {
            html_printf(b, "%s<a href=\"/s/%s/indicators/", j ? ", " : "", s->code);
            html_url_param(b, x->kris[j].code);
            html_lit(b, "\" title=\"");
            html_attr(b, x->kris[j].title);
            html_printf(b, "\">%s</a>", x->kris[j].code);
        }
        html_lit(b, "</td></tr>\n");
    }
    html_lit(b, "</tbody>\n</table></div>\n</section>\n");
}

static const char *action_status_label(const char *st)
{
    if (st && strcmp(st, "in_progress") == 0) return "in progress";
    return st ? st : "";
}

/* Whether action x is overdue as of date (NULL: never). */
static int overdue(const RegAction *x, const char *date)
{
    return date && x->due && strcmp(x->due, date) < 0 && strcmp(x->status, "done") != 0 &&
           strcmp(x->status, "cancelled") != 0;
}

static void actions_table(Buf *b, const RegRisks *r, const char *date)
{
    size_t n = 0, late = 0;
    for (size_t k = 0; k < r->n; k++) {
        n += r->a[k].nactions;
        for (size_t j = 0; j < r->a[k].nactions; j++) late += overdue(&r->a[k].actions[j], date);
    }
    html_lit(b, "<section aria-labelledby=\"actions\">\n<h2 id=\"actions\">Remedial actions</h2>\n");
    if (!n) {
        html_lit(b, "<p>None of the risks shown has a remedial action recorded.</p>\n</section>\n");
        return;
    }
    if (date)
        html_printf(b, "<p>%zu of the %zu actions shown %s overdue as of %s (due before that "
                       "date and not done).</p>\n", late, n, late == 1 ? "was" : "were", date);
    else
        html_lit(b, "<p class=\"muted\">Due dates are shown as recorded. To mark the actions "
                    "that are overdue, choose a date under “Overdue as of”.</p>\n");
    html_lit(b, "<div class=\"table-wrap\" tabindex=\"0\" role=\"group\" aria-label=\"Table, scrolls sideways on a small screen\"><table class=\"data\">\n"
                "<caption>Remedial actions by risk</caption>\n"
                "<thead><tr><th scope=\"col\">Risk</th><th scope=\"col\">Action</th>"
                "<th scope=\"col\">Status</th><th scope=\"col\">Due</th>"
                "<th scope=\"col\">Owner</th></tr></thead>\n");
    for (size_t k = 0; k < r->n; k++) {
        const RegRisk *x = &r->a[k];
        if (!x->nactions) continue;
        html_lit(b, "<tbody>\n");
        for (size_t j = 0; j < x->nactions; j++) {
            const RegAction *a = &x->actions[j];
            html_lit(b, "<tr>");
            if (j == 0)
                html_printf(b, "<th scope=\"rowgroup\" rowspan=\"%zu\">%s %s</th>", x->nactions,
                            x->code, x->title);
            html_printf(b, "<td>%s</td><td><span class=\"badge s-%s\">%s</span></td>"
                           "<td class=\"nowrap\">",
                        a->title, a->status, action_status_label(a->status));
            if (a->due) html_printf(b, "<time datetime=\"%s\">%s</time>", a->due, a->due);
            else html_lit(b, "—");
            if (overdue(a, date)) html_lit(b, " <span class=\"badge s-missed\">overdue</span>");
            html_printf(b, "</td><td>%s</td></tr>\n", a->owner ? a->owner : "—");
        }
        html_lit(b, "</tbody>\n");
    }
    html_lit(b, "</table></div>\n</section>\n");
}

int page_risks(Req *rq, Resp *rs)
{
    const ReqStrategy *s = rq->strategy;
    RiskQuery q;
    if (registers_risk_query(rq, rs, &q)) return 0;
    /* The page depends on the strategy's data and the filter only. */
    char *key = arena_printf(&rq->arena, "risks:%lld:%d:%s:%zu:%s", (long long)s->id,
                             q.has_level ? q.level : -1, q.date ? q.date : "",
                             q.category ? strlen(q.category) : 0, q.category ? q.category : "");
    if (cache_get(key, &rs->body)) return 0;
    RegRisks r;
    if (store_registers_risks(rq->store, s->id, s->risk_matrix, q.category,
                              q.has_level ? (RiskLevel)(q.level + 1) : RISK_NONE, &rq->arena, &r))
        return -1;
    Buf *b = &rs->body;
    layout_begin(rq, rs, NAV_RISKS, "Risk register");
    if (!r.total) {
        html_lit(b, "<p>This strategy has no risk register: no risks have been recorded for "
                    "it.</p>\n");
        layout_end(rq, rs);
        return 0;
    }
    html_printf(b, "<p class=\"lead\">%zu %s in the IT risk register, each assessed for "
                   "probability and impact (1–5) before remedial actions (inherent) and after "
                   "them (residual). Levels come from the strategy's risk matrix.</p>\n",
                r.total, r.total == 1 ? "risk" : "risks");
    filters_form(b, s, &q, &r);
    size_t in_category = 0;
    for (int l = RISK_NONE; l <= RISK_CRITICAL; l++) in_category += r.by_residual[l];
    if (in_category) level_counts(b, s, &q, &r);
    if (!r.n) {
        if (q.category && !in_category)
            html_printf(b, "<p>The register has no risk in the category “%s”. ", q.category);
        else
            html_lit(b, "<p>No risk matches this filter. ");
        html_printf(b, "<a href=\"/s/%s/risks\">Show the whole register</a>.</p>\n", s->code);
        layout_end(rq, rs);
        return 0;
    }
    { static const char *const kinds[] = {"risks", "actions", NULL};
      page_sheet_links(b, s, kinds); }
    heatmaps(b, s, &r);
    register_table(b, s, &r);
    actions_table(b, &r, q.date);
    layout_end(rq, rs);
    cache_put(key, b->a, b->n);
    return 0;
}
