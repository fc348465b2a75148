/*
 * api_projects.c — the portfolio in JSON:
 *   /api/v1/strategies/{s}/projects         the projects of a filter, a page at a time
 *   /api/v1/strategies/{s}/projects/{code}  one project with everything around it
 *   /api/v1/strategies/{s}/stats            the counts of a filter
 *
 * The lists take the portfolio's filters (portfolio_filter.h): outcome,
 * output, driver, category, status, year, location, unit, q; the projects
 * list also sort, dir, limit (1-500, default 50) and offset. Lists are
 * always present ([] when empty); optional fields are left out when not
 * known. Counts are cached per strategy and filter until the database
 * changes, so "total" costs nothing after the first request.
 */
#include <stdio.h>
#include <string.h>

#include "cache.h"
#include "html.h"
#include "json_w.h"
#include "pages.h"
#include "portfolio_filter.h"
#include "rules.h"
#include "store_dashboard.h"
#include "store_project.h"

static const char *const home_kinds[] = {"outcome", "output", "driver"};

static int db_failed(Req *rq)
{
    fprintf(stderr, "itstrat serve: %s\n", db_errmsg(rq->db));
    return -1;
}

/* Writes "years": [2019, 2020] from "2019; 2020". */
static void years_array(JsonW *w, const char *years)
{
    jw_key(w, "years");
    jw_array_always(w);
    for (const char *p = years; p && *p;) {
        long long y = 0;
        while (*p >= '0' && *p <= '9') y = y * 10 + (*p++ - '0');
        jw_int(w, y);
        while (*p == ';' || *p == ' ') p++;
    }
    jw_end(w);
}

int api_projects(Req *rq, Resp *rs)
{
    PortfolioCtx ctx;
    if (portfolio_load(rq, rs, PF_ROUTE_API, &ctx)) return 0;
    ctx.q.with_years = 1;
    PortfolioCounts counts;
    PortfolioRow *rows;
    size_t n;
    if (portfolio_counts(rq, &ctx, &counts) ||
        store_portfolio_page(rq->store, &ctx.q, &ctx.choices, &rq->arena, &rows, &n))
        return db_failed(rq);
    rs->content_type = "application/json";
    JsonW w;
    jw_init(&w, &rs->body, NULL, NULL);
    jw_object(&w);
    jw_key(&w, "strategy"), jw_string(&w, rq->strategy->code);
    jw_key(&w, "total"), jw_int(&w, counts.total);
    jw_key(&w, "offset"), jw_int(&w, ctx.q.offset);
    jw_key(&w, "limit"), jw_int(&w, ctx.q.limit);
    jw_key(&w, "projects");
    jw_array_always(&w);
    for (size_t k = 0; k < n; k++) {
        const PortfolioRow *r = &rows[k];
        jw_object(&w);
        jw_key(&w, "code"), jw_string(&w, r->code);
        jw_key(&w, "title"), jw_string(&w, r->title);
        jw_key(&w, "status"), jw_string(&w, r->status);
        jw_opt_string(&w, "category", r->category_code);
        jw_key(&w, "home");
        jw_object(&w);
        jw_key(&w, "kind"), jw_string(&w, home_kinds[r->home_kind]);
        jw_key(&w, "code"), jw_string(&w, r->home_code);
        jw_end(&w);
        jw_opt_int(&w, "outcome", r->outcome_number);
        years_array(&w, r->years);
        jw_opt_string(&w, "unit", r->unit);
        jw_opt_string(&w, "planned_start", r->planned_start);
        jw_opt_string(&w, "planned_end", r->planned_end);
        jw_opt_money(&w, "budget", r->budget);
        jw_opt_string(&w, "currency", r->currency);
        jw_end(&w);
    }
    jw_end(&w);
    jw_end(&w);
    jw_finish(&w);
    return 0;
}

static void counts_array(JsonW *w, const PortfolioCount *l, size_t n, size_t noutcomes,
                         int is_home, int is_year)
{
    jw_array_always(w);
    for (size_t k = 0; k < n; k++) {
        jw_object(w);
        if (is_home) {
            jw_key(w, "kind"), jw_string(w, k < noutcomes ? "outcome" : "driver");
        }
        if (is_year) {
            long long y = 0;
            sscanf(l[k].code, "%lld", &y);
            jw_key(w, "year"), jw_int(w, y);
        } else {
            jw_key(w, "code"), jw_string(w, l[k].code);
            jw_key(w, "label"), jw_string(w, l[k].label);
        }
        jw_key(w, "projects"), jw_int(w, l[k].n);
        jw_end(w);
    }
    jw_end(w);
}

int api_stats(Req *rq, Resp *rs)
{
    PortfolioCtx ctx;
    if (portfolio_load(rq, rs, PF_ROUTE_STATS, &ctx)) return 0;
    PortfolioCounts c;
    if (portfolio_counts(rq, &ctx, &c)) return db_failed(rq);
    rs->content_type = "application/json";
    JsonW w;
    jw_init(&w, &rs->body, NULL, NULL);
    jw_object(&w);
    jw_key(&w, "strategy"), jw_string(&w, rq->strategy->code);
    jw_key(&w, "total"), jw_int(&w, c.total);
    jw_key(&w, "by_home"), counts_array(&w, c.home, c.nhome, c.noutcomes, 1, 0);
    jw_key(&w, "by_category"), counts_array(&w, c.category, c.ncategory, 0, 0, 0);
    jw_key(&w, "by_status"), counts_array(&w, c.status, c.nstatus, 0, 0, 0);
    jw_key(&w, "by_year"), counts_array(&w, c.year, c.nyear, 0, 0, 1);
    jw_end(&w);
    jw_finish(&w);
    return 0;
}

/* ---- one project --------------------------------------------------------- */

static void project_refs(JsonW *w, const ProjectRef *l, size_t n)
{
    jw_array_always(w);
    for (size_t k = 0; k < n; k++) {
        jw_object(w);
        jw_key(w, "code"), jw_string(w, l[k].code);
        jw_key(w, "title"), jw_string(w, l[k].title);
        jw_key(w, "status"), jw_string(w, l[k].status);
        jw_end(w);
    }
    jw_end(w);
}

/* Whether indicator x measures the project's output, outcome or driver
 * (as the project page reads it). */
static int related(const DashIndicator *x, const ProjectDetail *p)
{
    if (p->home_kind == PROJECT_HOME_DRIVER) return x->driver_id == p->driver_id;
    return (p->home_kind == PROJECT_HOME_OUTPUT && x->output_id == p->output_id) ||
           (x->outcome_id != DB_NULL_INT && x->outcome_id == p->outcome_id);
}

static int indicators(Req *rq, JsonW *w, const ProjectDetail *p)
{
    const ReqStrategy *s = rq->strategy;
    DashIndicator *ind;
    size_t n;
    int latest;
    if (store_dashboard_indicators(rq->store, s->id, s->first_year, s->last_year, &rq->arena,
                                   &ind, &n, &latest))
        return -1;
    int as_of = latest > s->last_year ? s->last_year
                : latest < s->first_year ? s->first_year : latest;
    jw_key(w, "indicators");
    jw_array_always(w);
    for (size_t k = 0; k < n; k++) {
        const DashIndicator *x = &ind[k];
        if (!related(x, p)) continue;
        IndicatorStatus st = rules_indicator_status(&x->rule, as_of, NULL);
        jw_object(w);
        jw_key(w, "code"), jw_string(w, x->code);
        jw_key(w, "kind"), jw_string(w, x->kind);
        jw_key(w, "title"), jw_string(w, x->title);
        jw_key(w, "status"), jw_string(w, rules_indicator_status_key(st));
        jw_key(w, "status_as_of"), jw_int(w, as_of);
        jw_opt_string(w, "latest_date", x->latest_date);
        jw_opt_double(w, "latest_value", x->latest_value);
        jw_end(w);
    }
    jw_end(w);
    return 0;
}

int api_project(Req *rq, Resp *rs)
{
    if (rq->query.n)
        return http_error(rq, rs, 400, "parameter %.40s: unknown here; this address takes no "
                                       "parameters", rq->query.a[0].name);
    /* The answer depends on the data only: kept until the data changes. */
    const char *key = arena_printf(&rq->arena, "project-api:%lld:%s",
                                   (long long)rq->strategy->id, rq->args[1]);
    if (cache_get(key, &rs->body)) {
        rs->content_type = "application/json";
        return 0;
    }
    ProjectDetail p;
    int found = store_project_load(rq->store, rq->strategy->id, rq->args[1], &rq->arena, &p);
    if (found < 0) return db_failed(rq);
    if (found > 0)
        return http_error(rq, rs, 404, "Strategy %s has no project \"%s\".", rq->strategy->code,
                          rq->args[1]);
    rs->content_type = "application/json";
    JsonW w;
    jw_init(&w, &rs->body, NULL, NULL);
    jw_object(&w);
    jw_key(&w, "strategy"), jw_string(&w, rq->strategy->code);
    jw_key(&w, "code"), jw_string(&w, p.code);
    jw_key(&w, "title"), jw_string(&w, p.title);
    jw_opt_string(&w, "summary", p.summary);
    jw_key(&w, "status"), jw_string(&w, p.status);
    jw_key(&w, "home");
    jw_object(&w);
    jw_key(&w, "kind"), jw_string(&w, home_kinds[p.home_kind]);
    if (p.home_kind == PROJECT_HOME_OUTPUT) {
        jw_key(&w, "code"), jw_string(&w, p.output_code);
        jw_opt_string(&w, "title", p.output_title);
    } else if (p.home_kind == PROJECT_HOME_DRIVER) {
        jw_key(&w, "code"), jw_string(&w, p.driver_code);
        jw_opt_string(&w, "title", p.driver_title);
    } else {
        jw_key(&w, "code"), jw_string(&w, arena_printf(&rq->arena, "%lld",
                                                        (long long)p.outcome_number));
        jw_opt_string(&w, "title", p.outcome_title);
    }
    jw_end(&w);
    jw_opt_int(&w, "outcome", p.outcome_number);
    if (p.category_code) {
        jw_key(&w, "category");
        jw_object(&w);
        jw_key(&w, "code"), jw_string(&w, p.category_code);
        jw_opt_string(&w, "name", p.category_name);
        jw_key(&w, "new_or_major"), jw_bool(&w, p.category_new_or_major);
        jw_end(&w);
    }
    jw_key(&w, "years");
    jw_array_always(&w);
    for (size_t k = 0; k < p.nyears; k++) jw_int(&w, p.years[k]);
    jw_end(&w);
    jw_opt_string(&w, "planned_start", p.planned_start);
    jw_opt_string(&w, "planned_end", p.planned_end);
    jw_opt_string(&w, "actual_start", p.actual_start);
    jw_opt_string(&w, "actual_end", p.actual_end);
    jw_opt_money(&w, "budget", p.budget);
    jw_opt_money(&w, "actual_cost", p.actual_cost);
    jw_opt_string(&w, "currency", p.currency);
    jw_opt_string(&w, "unit", p.unit);
    jw_opt_string(&w, "source", p.source);
    jw_key(&w, "tags");
    jw_array_always(&w);
    for (size_t k = 0; k < p.ntags; k++) jw_string(&w, p.tags[k]);
    jw_end(&w);
    jw_key(&w, "locations");
    jw_array_always(&w);
    for (size_t k = 0; k < p.nrollout; k++) {
        const ProjectRollout *r = &p.rollout[k];
        jw_object(&w);
        jw_key(&w, "location"), jw_string(&w, r->location_code);
        jw_opt_string(&w, "name", r->location_name);
        jw_key(&w, "status"), jw_string(&w, r->status);
        jw_opt_string(&w, "date", r->date);
        jw_opt_string(&w, "note", r->note);
        jw_end(&w);
    }
    jw_end(&w);
    jw_key(&w, "depends_on"), project_refs(&w, p.waits_on, p.nwaits_on);
    jw_key(&w, "depended_on_by"), project_refs(&w, p.waited_on_by, p.nwaited_on_by);
    jw_key(&w, "updates");
    jw_array_always(&w);
    for (size_t k = 0; k < p.nupdates; k++) {
        const ProjectProgress *u = &p.updates[k];
        jw_object(&w);
        jw_key(&w, "date"), jw_string(&w, u->date);
        jw_key(&w, "text"), jw_string(&w, u->text);
        jw_opt_int(&w, "report_year", u->report_year);
        jw_opt_string(&w, "source", u->source);
        jw_key(&w, "footnotes");
        jw_array_always(&w);
        for (size_t j = 0; j < u->nfootnotes; j++) jw_string(&w, u->footnotes[j]);
        jw_end(&w);
        jw_end(&w);
    }
    jw_end(&w);
    jw_key(&w, "decisions");
    jw_array_always(&w);
    for (size_t k = 0; k < p.ndecisions; k++) {
        const ProjectDecision *d = &p.decisions[k];
        jw_object(&w);
        jw_key(&w, "committee"), jw_string(&w, d->committee_code);
        jw_key(&w, "meeting_date"), jw_string(&w, d->meeting_date);
        jw_opt_string(&w, "meeting_title", d->meeting_title);
        jw_key(&w, "kind"), jw_string(&w, d->kind);
        jw_key(&w, "text"), jw_string(&w, d->text);
        jw_end(&w);
    }
    jw_end(&w);
    if (indicators(rq, &w, &p)) return db_failed(rq);
    jw_key(&w, "links");
    jw_object(&w);
    Buf url = BUF_INIT; /* path segments percent-encoded */
    buf_puts(&url, "/s/");
    html_url_param(&url, rq->strategy->code);
    buf_puts(&url, "/projects/");
    html_url_param(&url, p.code);
    jw_key(&w, "html"), jw_string(&w, buf_str(&url));
    buf_free(&url);
    jw_end(&w);
    jw_end(&w);
    jw_finish(&w);
    cache_put(key, rs->body.a, rs->body.n);
    return 0;
}
