/*
 * page_strategy.c — /s/{s}/strategy: the strategy as a tree. Outcomes in
 * order, their outputs (description, key deliverables) and the projects of
 * each, then the cross-cutting drivers and theirs.
 *
 * A home lists its first STRATEGY_PROJECTS projects and links to the
 * portfolio filtered by it for the rest, so that a 100,000-project
 * portfolio gives a page of a few hundred rows. No query parameters. The
 * page is cached (cache.h) under "strategy:<sid>" until the database changes.
 */
#include <stdio.h>
#include <string.h>

#include "cache.h"
#include "html.h"
#include "layout.h"
#include "markdown.h"
#include "pages.h"
#include "store_project.h"
#include "store_stats.h"

#define STRATEGY_PROJECTS 20 /* projects listed per output, outcome or driver */

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

/* What a home is called in captions and links: "output 1.2". */
typedef struct HomeName {
    int kind;            /* PROJECT_HOME_* */
    const char *code;    /* outcome number as text, output or driver code */
    const char *label;   /* "output 1.2", "outcome 1", "driver Information security" */
} HomeName;

/* The projects of a home: a table of the first ones and a link to all.
 * Writes nothing when it has none and `quiet` is set; else says so. */
static int home_projects(Req *rq, Buf *b, int64_t home_id, const HomeName *h, int quiet,
                         int64_t *total)
{
    const ReqStrategy *s = rq->strategy;
    Arena *a = &rq->arena;
    ProjectRef *p;
    size_t n;
    if (store_project_list_home(rq->store, h->kind, home_id, STRATEGY_PROJECTS, a, &p, &n, total))
        return -1;
    if (*total == 0) {
        if (!quiet) html_printf(b, "<p class=\"muted\">No project of %s yet.</p>\n", h->label);
        return 0;
    }
    html_printf(b, "<div class=\"table-wrap\" tabindex=\"0\" role=\"group\" aria-label=\"Table, scrolls sideways on a small screen\"><table class=\"data\">\n<caption>Projects of %s",
                h->label);
    if ((int64_t)n < *total)
        html_printf(b, " (the first %zu of %s)", n, grouped(a, *total));
    html_lit(b, "</caption>\n<thead><tr><th scope=\"col\">Code</th><th scope=\"col\">Title</th>"
                "<th scope=\"col\">Status</th></tr></thead>\n<tbody>\n");
    for (size_t k = 0; k < n; k++) {
        html_printf(b, "<tr><th scope=\"row\"><a href=\"/s/%s/projects/", s->code);
        html_url_param(b, p[k].code);
        html_printf(b, "\">%s</a></th><td>%s</td><td><span class=\"badge s-%s\">%s</span></td>"
                       "</tr>\n",
                    p[k].code, p[k].title, p[k].status, store_status_label(p[k].status));
    }
    html_lit(b, "</tbody>\n</table></div>\n");
    static const char *const param[] = {"outcome", "output", "driver"};
    html_printf(b, "<p><a href=\"/s/%s/portfolio?%s=", s->code, param[h->kind]);
    html_url_param(b, h->code);
    if (h->kind == PROJECT_HOME_OUTCOME) /* the filter takes its outputs' projects too */
        html_printf(b, "\">Every project of outcome %s in the portfolio, its outputs' "
                       "included</a></p>\n", h->code);
    else if ((int64_t)n < *total)
        html_printf(b, "\">All %s projects of %s</a></p>\n", grouped(a, *total), h->label);
    else
        html_printf(b, "\">These projects in the portfolio</a></p>\n");
    return 0;
}

/* Links to each outcome and to the drivers. */
static int strategy_contents(Req *rq, Buf *b, int *ndrivers)
{
    StoreCursor oc, dc;
    int rc = -1;
    int opened = store_open(rq->store, &oc, Q_OUTCOMES, rq->strategy->id) == 0;
    opened = store_open(rq->store, &dc, Q_DRIVERS, rq->strategy->id) == 0 && opened;
    if (!opened) goto out;
    *ndrivers = dc.has_row;
    if (!oc.has_row && !dc.has_row) {
        html_lit(b, "<p>This strategy defines no outcome and no driver yet.</p>\n");
        rc = 0;
        goto out;
    }
    html_lit(b, "<nav aria-label=\"Contents\"><ul class=\"toc\">\n");
    for (const OutcomeRow *r; (r = store_child(&oc, 0)); store_advance(&oc))
        html_printf(b, "<li><a href=\"#outcome-%lld\">Outcome %lld: %s</a></li>\n",
                    (long long)r->number, (long long)r->number, r->title);
    if (dc.has_row) html_lit(b, "<li><a href=\"#drivers\">Cross-cutting drivers</a></li>\n");
    html_lit(b, "</ul></nav>\n");
    rc = oc.failed || dc.failed ? -1 : 0;
out:
    store_close(&oc);
    store_close(&dc);
    return rc;
}

/* One output: description, key deliverables, projects. */
static int strategy_output(Req *rq, Buf *b, const OutputRow *o, StoreCursor *dc, int64_t *total)
{
    html_lit(b, "<section class=\"tree-output\" id=\"output-");
    html_url_param(b, o->code);
    html_printf(b, "\">\n<h3>Output %s: %s</h3>\n", o->code, o->title);
    md_to_html(b, o->description, MD_HEADING_SHIFT(3));
    int any = 0;
    for (const DeliverableRow *d; (d = store_child(dc, o->id)); store_advance(dc)) {
        if (!any++) html_lit(b, "<h4>Key deliverables</h4>\n<ul>\n");
        html_printf(b, "<li>%s</li>\n", d->text);
    }
    if (any) html_lit(b, "</ul>\n");
    HomeName h = {PROJECT_HOME_OUTPUT, o->code,
                  arena_printf(&rq->arena, "output %s", o->code)};
    if (home_projects(rq, b, o->id, &h, 0, total)) return -1;
    html_lit(b, "</section>\n");
    return 0;
}

/* The outcomes with their outputs and projects. */
static int strategy_outcomes(Req *rq, Buf *b)
{
    const ReqStrategy *s = rq->strategy;
    StoreCursor oc, pc, dc;
    int rc = -1;
    int opened = store_open(rq->store, &oc, Q_OUTCOMES, s->id) == 0;
    opened = store_open(rq->store, &pc, Q_OUTPUTS, s->id) == 0 && opened;
    opened = store_open(rq->store, &dc, Q_DELIVERABLES, s->id) == 0 && opened;
    if (!opened) goto out;
    for (const OutcomeRow *r; (r = store_child(&oc, 0)); store_advance(&oc)) {
        html_printf(b, "<section aria-labelledby=\"outcome-%lld\">\n<h2 id=\"outcome-%lld\">"
                       "Outcome %lld: %s</h2>\n",
                    (long long)r->number, (long long)r->number, (long long)r->number, r->title);
        md_to_html(b, r->description, MD_HEADING_SHIFT(2));
        int64_t sum = 0, t;
        int noutputs = 0;
        for (const OutputRow *o; (o = store_child(&pc, r->id)); store_advance(&pc)) {
            noutputs++;
            if (strategy_output(rq, b, o, &dc, &t)) goto out;
            sum += t;
        }
        char number[24];
        snprintf(number, sizeof number, "%lld", (long long)r->number);
        HomeName h = {PROJECT_HOME_OUTCOME, arena_strdup(&rq->arena, number),
                      arena_printf(&rq->arena, "outcome %lld outside its outputs",
                                   (long long)r->number)};
        Buf direct = BUF_INIT;
        if (home_projects(rq, &direct, r->id, &h, 1, &t)) {
            buf_free(&direct);
            goto out;
        }
        if (t) {
            html_printf(b, "<h3>Projects of outcome %lld outside its outputs</h3>\n",
                        (long long)r->number);
            buf_append(b, direct.a, direct.n);
        } else if (!noutputs) {
            html_printf(b, "<p class=\"muted\">Outcome %lld has no output and no project yet.</p>\n",
                        (long long)r->number);
        }
        buf_free(&direct);
        sum += t;
        html_printf(b, "<p class=\"muted\">Outcome %lld holds %s project%s in all.</p>\n",
                    (long long)r->number, grouped(&rq->arena, sum), sum == 1 ? "" : "s");
        html_lit(b, "</section>\n");
    }
    rc = oc.failed || pc.failed || dc.failed ? -1 : 0;
out:
    store_close(&oc);
    store_close(&pc);
    store_close(&dc);
    return rc;
}

/* The cross-cutting drivers and their projects. */
static int strategy_drivers(Req *rq, Buf *b)
{
    StoreCursor c;
    int rc = -1;
    if (store_open(rq->store, &c, Q_DRIVERS, rq->strategy->id)) goto out;
    if (!c.has_row) {
        rc = 0;
        goto out;
    }
    html_lit(b, "<section aria-labelledby=\"drivers\">\n<h2 id=\"drivers\">Cross-cutting "
                "drivers</h2>\n");
    for (const DriverRow *r; (r = store_child(&c, 0)); store_advance(&c)) {
        html_lit(b, "<section class=\"tree-output\" id=\"driver-");
        html_url_param(b, r->code);
        html_printf(b, "\">\n<h3>%s</h3>\n", r->title);
        md_to_html(b, r->description, MD_HEADING_SHIFT(3));
        HomeName h = {PROJECT_HOME_DRIVER, r->code,
                      arena_printf(&rq->arena, "driver %s", r->code)};
        int64_t t;
        if (home_projects(rq, b, r->id, &h, 0, &t)) goto out;
        html_lit(b, "</section>\n");
    }
    html_lit(b, "</section>\n");
    rc = c.failed ? -1 : 0;
out:
    store_close(&c);
    return rc;
}

int page_strategy(Req *rq, Resp *rs)
{
    const ReqStrategy *s = rq->strategy;
    if (rq->query.n)
        return http_error(rq, rs, 400, "parameter %.40s: unknown here; this page takes no "
                                       "parameters", rq->query.a[0].name);
    char *key = arena_printf(&rq->arena, "strategy:%lld", (long long)s->id);
    if (cache_get(key, &rs->body)) return 0;
    Buf *b = &rs->body;
    int ndrivers = 0;
    layout_begin(rq, rs, NAV_STRATEGY, "Outcomes, outputs and drivers");
    html_printf(b, "<p class=\"lead\">What the strategy set out to achieve in %d–%d, and the "
                   "projects that deliver it. Each output and driver lists its first %d "
                   "projects; the portfolio has them all.</p>\n",
                s->first_year, s->last_year, STRATEGY_PROJECTS);
    if (strategy_contents(rq, b, &ndrivers) || strategy_outcomes(rq, b) || strategy_drivers(rq, b))
        return -1;
    layout_end(rq, rs);
    cache_put(key, b->a, b->n);
    return 0;
}
