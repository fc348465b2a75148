/*
 * page_project.c — /s/{s}/projects/{code}: one project, every field. Its
 * home in the strategy, category, status, work-plan years, dates, budget
 * and cost, owning unit, source and tags; the roll-out by location; the
 * projects it waits on and those waiting on it; the progress updates with
 * their footnotes; the governance decisions that name it; the indicators of
 * its output, outcome or driver with their derived status.
 *
 * No query parameters. An unknown code is a 404 page. Every read is an
 * indexed lookup of this one project, but the indicators of its home are
 * computed from all the strategy's measurements: the page is kept in the
 * cache until the data changes (one copy for visitors, one for people
 * signed in, who see the edit link).
 */
#include <stdio.h>
#include <string.h>

#include "cache.h"
#include "html.h"
#include "layout.h"
#include "markdown.h"
#include "pages.h"
#include "rules.h"
#include "store_dashboard.h"
#include "store_project.h"
#include "store_stats.h"

/* cents as "12,000" or "12,000.50" followed by the currency, in the arena. */
static const char *money(Arena *a, int64_t cents, const char *currency)
{
    char digits[32], out[64];
    int64_t whole = cents / 100, part = cents % 100;
    if (part < 0) part = -part;
    int n = snprintf(digits, sizeof digits, "%lld", (long long)(whole < 0 ? -whole : whole));
    size_t o = 0;
    if (cents < 0) out[o++] = '-';
    for (int k = 0; k < n; k++) {
        if (k && (n - k) % 3 == 0) out[o++] = ',';
        out[o++] = digits[k];
    }
    if (part) o += (size_t)snprintf(out + o, sizeof out - o, ".%02lld", (long long)part);
    snprintf(out + o, sizeof out - o, "%s%s", currency ? " " : "", currency ? currency : "");
    return arena_strdup(a, out);
}

static void not_recorded(Buf *b)
{
    html_lit(b, "<span class=\"muted\">not recorded</span>");
}

/* "2021-01-01 to 2021-06-30", one side or "not recorded". */
static void date_range(Buf *b, const char *from, const char *to)
{
    if (!from && !to) not_recorded(b);
    else if (from && to) html_printf(b, "%s to %s", from, to);
    else if (from) html_printf(b, "from %s", from);
    else html_printf(b, "until %s", to);
}

/* A link to another project of the strategy with its status. */
static void project_link(Req *rq, Buf *b, const ProjectRef *p)
{
    html_printf(b, "<a href=\"/s/%s/projects/", rq->strategy->code);
    html_url_param(b, p->code);
    html_printf(b, "\">%s</a> %s <span class=\"badge s-%s\">%s</span>", p->code, p->title,
                p->status, store_status_label(p->status));
}

/* Where the project sits in the strategy, linked to the strategy page. */
static void project_home(Req *rq, Buf *b, const ProjectDetail *p)
{
    const char *sc = rq->strategy->code;
    if (p->home_kind == PROJECT_HOME_DRIVER) {
        html_printf(b, "Cross-cutting driver <a href=\"/s/%s/strategy#driver-", sc);
        html_url_param(b, p->driver_code);
        html_printf(b, "\">%s</a>", p->driver_title);
        return;
    }
    if (p->home_kind == PROJECT_HOME_OUTPUT) {
        html_printf(b, "<a href=\"/s/%s/strategy#output-", sc);
        html_url_param(b, p->output_code);
        html_printf(b, "\">Output %s: %s</a>, under ", p->output_code, p->output_title);
    }
    html_printf(b, "<a href=\"/s/%s/strategy#outcome-%lld\">Outcome %lld: %s</a>", sc,
                (long long)p->outcome_number, (long long)p->outcome_number, p->outcome_title);
}

/* The fields of the project as a definition list. */
static void project_fields(Req *rq, Buf *b, const ProjectDetail *p)
{
    Arena *a = &rq->arena;
    const char *currency = p->currency ? p->currency : rq->strategy->currency;
    html_lit(b, "<h2>Details</h2>\n<dl class=\"fields\">\n");
    html_printf(b, "<dt>Code</dt><dd>%s</dd>\n", p->code);
    html_printf(b, "<dt>Status</dt><dd><span class=\"badge s-%s\">%s</span></dd>\n", p->status,
                store_status_label(p->status));
    html_lit(b, "<dt>Home in the strategy</dt><dd>");
    project_home(rq, b, p);
    html_lit(b, "</dd>\n<dt>Category</dt><dd>");
    if (!p->category_name) not_recorded(b);
    else html_printf(b, "%s", p->category_name);
    if (p->category_new_or_major)
        html_lit(b, " <span class=\"muted\">(a new service offering or major improvement)</span>");
    html_lit(b, "</dd>\n<dt>Work-plan years</dt><dd>");
    if (!p->nyears) not_recorded(b);
    for (size_t k = 0; k < p->nyears; k++) html_printf(b, "%s%d", k ? ", " : "", p->years[k]);
    html_lit(b, "</dd>\n<dt>Planned</dt><dd>");
    date_range(b, p->planned_start, p->planned_end);
    html_lit(b, "</dd>\n<dt>Actual</dt><dd>");
    date_range(b, p->actual_start, p->actual_end);
    html_lit(b, "</dd>\n<dt>Budget</dt><dd>");
    if (p->budget == DB_NULL_INT) not_recorded(b);
    else html_printf(b, "%s", money(a, p->budget, currency));
    html_lit(b, "</dd>\n<dt>Actual cost</dt><dd>");
    if (p->actual_cost == DB_NULL_INT) not_recorded(b);
    else html_printf(b, "%s", money(a, p->actual_cost, currency));
    html_lit(b, "</dd>\n<dt>Owning unit</dt><dd>");
    if (!p->unit) not_recorded(b);
    else html_printf(b, "%s", p->unit);
    html_lit(b, "</dd>\n<dt>Source</dt><dd>");
    if (!p->source) not_recorded(b);
    else html_printf(b, "%s", p->source);
    html_lit(b, "</dd>\n<dt>Tags</dt><dd>");
    if (!p->ntags) html_lit(b, "<span class=\"muted\">none</span>");
    else {
        html_lit(b, "<ul class=\"tags\">");
        for (size_t k = 0; k < p->ntags; k++) html_printf(b, "<li>%s</li>", p->tags[k]);
        html_lit(b, "</ul>");
    }
    html_lit(b, "</dd>\n</dl>\n");
}

static void project_rollout(Buf *b, const ProjectDetail *p)
{
    html_lit(b, "<h2>Roll-out by location</h2>\n<div class=\"table-wrap\" tabindex=\"0\" role=\"group\" aria-label=\"Table, scrolls sideways on a small screen\"><table class=\"data\">\n"
                "<caption>Where the project is rolled out</caption>\n<thead><tr>"
                "<th scope=\"col\">Location</th><th scope=\"col\">Kind</th>"
                "<th scope=\"col\">Status</th><th scope=\"col\">Date</th>"
                "<th scope=\"col\">Note</th></tr></thead>\n<tbody>\n");
    for (size_t k = 0; k < p->nrollout; k++) {
        const ProjectRollout *r = &p->rollout[k];
        html_printf(b, "<tr><th scope=\"row\">%s</th><td>%s</td><td><span class=\"badge s-%s\">"
                       "%s</span></td><td>%s</td><td>%s</td></tr>\n",
                    r->location_name, r->kind, r->status,
                    strcmp(r->status, "in_progress") ? r->status : "in progress", r->date,
                    r->note);
    }
    html_lit(b, "</tbody>\n</table></div>\n");
}

static void project_dependencies(Req *rq, Buf *b, const ProjectDetail *p)
{
    html_lit(b, "<h2>Dependencies</h2>\n");
    if (p->nwaits_on) {
        html_lit(b, "<h3>Waits on</h3>\n<ul class=\"plain\">\n");
        for (size_t k = 0; k < p->nwaits_on; k++) {
            html_lit(b, "<li>");
            project_link(rq, b, &p->waits_on[k]);
            html_lit(b, "</li>\n");
        }
        html_lit(b, "</ul>\n");
    } else {
        html_lit(b, "<p>This project waits on no other project.</p>\n");
    }
    if (p->nwaited_on_by) {
        html_lit(b, "<h3>Waited on by</h3>\n<ul class=\"plain\">\n");
        for (size_t k = 0; k < p->nwaited_on_by; k++) {
            html_lit(b, "<li>");
            project_link(rq, b, &p->waited_on_by[k]);
            html_lit(b, "</li>\n");
        }
        html_lit(b, "</ul>\n");
    } else {
        html_lit(b, "<p>No other project waits on this one.</p>\n");
    }
}

static void project_updates(Buf *b, const ProjectDetail *p)
{
    html_lit(b, "<h2>Progress updates</h2>\n<ol class=\"timeline\">\n");
    for (size_t k = 0; k < p->nupdates; k++) {
        const ProjectProgress *u = &p->updates[k];
        html_printf(b, "<li><p><time datetime=\"%s\">%s</time>", u->date, u->date);
        if (u->report_year != DB_NULL_INT)
            html_printf(b, " · in the report for %lld", (long long)u->report_year);
        if (u->source) html_printf(b, " · source: %s", u->source);
        html_lit(b, "</p>\n<div class=\"md\">");
        md_to_html(b, u->text, MD_HEADING_SHIFT(2));
        html_lit(b, "</div>\n");
        if (u->nfootnotes) {
            html_lit(b, "<ol class=\"footnotes\" aria-label=\"Footnotes\">\n");
            for (size_t f = 0; f < u->nfootnotes; f++) {
                html_lit(b, "<li>");
                md_to_html(b, u->footnotes[f], MD_HEADING_SHIFT(2));
                html_lit(b, "</li>\n");
            }
            html_lit(b, "</ol>\n");
        }
        html_lit(b, "</li>\n");
    }
    html_lit(b, "</ol>\n");
}

static void project_decisions(Buf *b, const ProjectDetail *p)
{
    html_lit(b, "<h2>Decisions</h2>\n<div class=\"table-wrap\" tabindex=\"0\" role=\"group\" aria-label=\"Table, scrolls sideways on a small screen\"><table class=\"data\">\n"
                "<caption>Governance decisions that name this project</caption>\n<thead><tr>"
                "<th scope=\"col\">Meeting</th><th scope=\"col\">Committee</th>"
                "<th scope=\"col\">Kind</th><th scope=\"col\">Decision</th></tr></thead>\n"
                "<tbody>\n");
    for (size_t k = 0; k < p->ndecisions; k++) {
        const ProjectDecision *d = &p->decisions[k];
        html_printf(b, "<tr><th scope=\"row\"><time datetime=\"%s\">%s</time>", d->meeting_date,
                    d->meeting_date);
        if (d->meeting_title) html_printf(b, "<br>%s", d->meeting_title);
        html_printf(b, "</th><td>%s</td><td>%s</td><td>", d->committee_name, d->kind);
        md_to_html(b, d->text, MD_HEADING_SHIFT(2));
        html_lit(b, "</td></tr>\n");
    }
    html_lit(b, "</tbody>\n</table></div>\n");
}

/* Whether indicator x measures the project's output, outcome or driver. */
static int related(const DashIndicator *x, const ProjectDetail *p)
{
    if (p->home_kind == PROJECT_HOME_DRIVER) return x->driver_id == p->driver_id;
    return (p->home_kind == PROJECT_HOME_OUTPUT && x->output_id == p->output_id) ||
           (x->outcome_id != DB_NULL_INT && x->outcome_id == p->outcome_id);
}

/* The indicators of the project's home with their status at the end of
 * the latest year with a measurement. Sets *n to how many were shown. */
static int project_indicators(Req *rq, Buf *b, const ProjectDetail *p, size_t *shown)
{
    const ReqStrategy *s = rq->strategy;
    DashIndicator *ind;
    size_t n;
    int latest;
    *shown = 0;
    if (store_dashboard_indicators(rq->store, s->id, s->first_year, s->last_year, &rq->arena,
                                   &ind, &n, &latest))
        return -1;
    /* As the indicators page reads its default year: kept within the period. */
    int as_of = latest > s->last_year ? s->last_year
                : latest < s->first_year ? s->first_year
                                         : latest;
    for (size_t k = 0; k < n; k++) {
        const DashIndicator *x = &ind[k];
        if (!related(x, p)) continue;
        if (!(*shown)++)
            html_printf(b, "<h2>Related indicators</h2>\n<div class=\"table-wrap\" tabindex=\"0\" role=\"group\" aria-label=\"Table, scrolls sideways on a small screen\"><table "
                           "class=\"data\">\n<caption>Indicators of this project's %s, status at "
                           "the end of %d</caption>\n<thead><tr><th scope=\"col\">Code</th>"
                           "<th scope=\"col\">Indicator</th><th scope=\"col\">Measures</th>"
                           "<th scope=\"col\">Latest measurement</th>"
                           "<th scope=\"col\">Status</th></tr></thead>\n<tbody>\n",
                        p->home_kind == PROJECT_HOME_DRIVER ? "driver" : "output and outcome",
                        as_of);
        IndicatorStatus st = rules_indicator_status(&x->rule, as_of, NULL);
        html_printf(b, "<tr><th scope=\"row\"><a href=\"/s/%s/indicators/", s->code);
        html_url_param(b, x->code);
        html_printf(b, "\">%s</a></th><td>%s</td><td>", x->code, x->title);
        if (x->output_code) html_printf(b, "output %s", x->output_code);
        else if (x->driver_code) html_printf(b, "driver %s", x->driver_code);
        else html_printf(b, "outcome %lld", (long long)x->outcome_number);
        html_lit(b, "</td><td>");
        if (x->latest_date)
            html_printf(b, "%g%s%s (%s)", x->latest_value, x->unit && strcmp(x->unit, "%") ? " " : "",
                        x->unit, x->latest_date);
        else
            not_recorded(b);
        html_printf(b, "</td><td><span class=\"badge s-%s\">%s</span></td></tr>\n",
                    rules_indicator_status_key(st), rules_indicator_status_label(st));
    }
    if (*shown) html_lit(b, "</tbody>\n</table></div>\n");
    return 0;
}

int page_project(Req *rq, Resp *rs)
{
    const ReqStrategy *s = rq->strategy;
    if (rq->query.n)
        return http_error(rq, rs, 400, "parameter %.40s: unknown here; this page takes no "
                                       "parameters", rq->query.a[0].name);
    const char *key = arena_printf(&rq->arena, "project-page:%lld:%d:%s", (long long)s->id,
                                   rq->user != NULL, rq->args[1]);
    if (cache_get(key, &rs->body)) return 0;
    ProjectDetail p;
    int rc = store_project_load(rq->store, s->id, rq->args[1], &rq->arena, &p);
    if (rc < 0) return -1;
    if (rc > 0)
        return http_error(rq, rs, 404, "There is no project \"%.64s\" in strategy %s. The "
                                       "portfolio at /s/%s/portfolio lists them all.",
                          rq->args[1], s->code, s->code);
    Buf *b = &rs->body;
    layout_begin(rq, rs, NAV_PORTFOLIO, p.title);
    html_printf(b, "<p class=\"lead\">Project %s · <span class=\"badge s-%s\">%s</span></p>\n",
                p.code, p.status, store_status_label(p.status));
    md_to_html(b, p.summary, MD_HEADING_SHIFT(2));
    project_fields(rq, b, &p);
    if (p.nrollout) project_rollout(b, &p);
    if (p.nwaits_on || p.nwaited_on_by) project_dependencies(rq, b, &p);
    if (p.nupdates) project_updates(b, &p);
    if (p.ndecisions) project_decisions(b, &p);
    size_t nind;
    if (project_indicators(rq, b, &p, &nind)) return -1;
    const char *missing[5];
    int nmissing = 0;
    if (!p.nrollout) missing[nmissing++] = "roll-out by location";
    if (!p.nwaits_on && !p.nwaited_on_by) missing[nmissing++] = "dependencies";
    if (!p.nupdates) missing[nmissing++] = "progress updates";
    if (!p.ndecisions) missing[nmissing++] = "governance decisions";
    if (!nind) missing[nmissing++] = "indicators of its home";
    if (nmissing) {
        html_printf(b, "<p class=\"muted\">Nothing recorded for this project: %s", missing[0]);
        for (int k = 1; k < nmissing; k++)
            html_printf(b, "%s%s", k == nmissing - 1 ? " or " : ", ", missing[k]);
        html_lit(b, ".</p>\n");
    }
    if (rq->user)
        html_printf(b, "<p><a class=\"button secondary\" href=\"/s/%s/records/project/%lld\">"
                       "Edit, add updates, history</a></p>\n", s->code, (long long)p.id);
    html_printf(b, "<p><a href=\"/s/%s/portfolio\">Back to the portfolio</a></p>\n", s->code);
    layout_end(rq, rs);
    cache_put(key, b->a, b->n);
    return 0;
}
