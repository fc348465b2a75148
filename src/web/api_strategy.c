/*
 * api_strategy.c — /api/v1/strategies (the strategies this server shows)
 * and /api/v1/strategies/{s} (one strategy: its fields, categories,
 * outcomes with outputs and key deliverables, drivers, locations, and the
 * portfolio totals of store_stats over every year).
 *
 * Neither takes query parameters (any is a 400). Lists are always present,
 * [] when empty; optional fields are left out when not known. The strategy
 * answer is cached (cache.h) under "api-strategy:<sid>": its totals count
 * the whole portfolio.
 */
#include <string.h>

#include "export.h"
#include "cache.h"
#include "json_w.h"
#include "pages.h"
#include "routes.h"
#include "store_stats.h"

/* 400 when the request has any query parameter. Returns 1 after answering. */
static int no_parameters(Req *rq, Resp *rs)
{
    if (!rq->query.n) return 0;
    http_error(rq, rs, 400, "parameter %.40s: unknown here; this address takes no parameters",
               rq->query.a[0].name);
    return 1;
}

/* "links": the addresses of a strategy in the API and the pages. */
static void strategy_links(Req *rq, JsonW *w, const char *code)
{
    Arena *a = &rq->arena;
    jw_key(w, "links");
    jw_object(w);
    jw_key(w, "self"), jw_string(w, arena_printf(a, "/api/v1/strategies/%s", code));
    jw_key(w, "html"), jw_string(w, arena_printf(a, "/s/%s", code));
    jw_key(w, "projects"), jw_string(w, arena_printf(a, "/api/v1/strategies/%s/projects", code));
    jw_key(w, "stats"), jw_string(w, arena_printf(a, "/api/v1/strategies/%s/stats", code));
    jw_key(w, "indicators"),
        jw_string(w, arena_printf(a, "/api/v1/strategies/%s/indicators", code));
    jw_key(w, "risks"), jw_string(w, arena_printf(a, "/api/v1/strategies/%s/risks", code));
    jw_key(w, "services"), jw_string(w, arena_printf(a, "/api/v1/strategies/%s/services", code));
    jw_key(w, "expenditure"),
        jw_string(w, arena_printf(a, "/api/v1/strategies/%s/expenditure", code));
    jw_key(w, "governance"),
        jw_string(w, arena_printf(a, "/api/v1/strategies/%s/governance", code));
    jw_key(w, "reports"), jw_string(w, arena_printf(a, "/api/v1/strategies/%s/reports", code));
    jw_end(w);
}

int api_strategies(Req *rq, Resp *rs)
{
    if (no_parameters(rq, rs)) return 0;
    StoreCursor c;
    int rc = -1;
    if (store_open(rq->store, &c, Q_STRATEGIES, 0)) goto out;
    rs->content_type = "application/json";
    JsonW w;
    jw_init(&w, &rs->body, NULL, NULL);
    jw_object(&w);
    jw_key(&w, "strategies");
    jw_array_always(&w);
    for (const StrategyRow *r; (r = store_child(&c, 0)); store_advance(&c)) {
        if (!r->is_public && !routes_sees_all(rq)) continue;
        jw_object(&w);
        jw_key(&w, "code"), jw_string(&w, r->code);
        jw_key(&w, "title"), jw_string(&w, r->title);
        jw_opt_string(&w, "organization", r->organization);
        jw_key(&w, "first_year"), jw_int(&w, r->first_year);
        jw_key(&w, "last_year"), jw_int(&w, r->last_year);
        jw_key(&w, "public"), jw_bool(&w, r->is_public == 1);
        strategy_links(rq, &w, r->code);
        jw_end(&w);
    }
    jw_end(&w);
    jw_end(&w);
    jw_finish(&w);
    rc = c.failed ? -1 : 0;
out:
    store_close(&c);
    return rc;
}

/* The strategy row's own fields. */
static int strategy_fields(Req *rq, JsonW *w)
{
    StoreCursor c;
    int rc = store_open(rq->store, &c, Q_STRATEGY, rq->strategy->id);
    if (rc == 0 && c.has_row) {
        const StrategyRow *r = c.row;
        export_json_strategy_fields(w, r); /* as the strategy document writes them */
        jw_key(w, "public"), jw_bool(w, r->is_public == 1);
        jw_opt_string(w, "risk_matrix", r->risk_matrix);
    }
    if (c.failed) rc = -1;
    store_close(&c);
    return rc;
}

static int strategy_categories(Req *rq, JsonW *w)
{
    StoreCursor c;
    int rc = store_open(rq->store, &c, Q_CATEGORIES, rq->strategy->id);
    jw_key(w, "categories");
    jw_array_always(w);
    for (const CategoryRow *r; rc == 0 && (r = store_child(&c, 0)); store_advance(&c)) {
        jw_object(w);
        jw_key(w, "code"), jw_string(w, r->code);
        jw_key(w, "name"), jw_string(w, r->name);
        jw_key(w, "new_or_major"), jw_bool(w, r->new_or_major == 1);
        jw_end(w);
    }
    jw_end(w);
    if (c.failed) rc = -1;
    store_close(&c);
    return rc;
}

/* Outcomes by number, each with its outputs and their deliverables. */
static int strategy_outcomes(Req *rq, JsonW *w)
{
    StoreCursor oc, pc, dc;
    int64_t sid = rq->strategy->id;
    int rc = -1;
    int opened = store_open(rq->store, &oc, Q_OUTCOMES, sid) == 0;
    opened = store_open(rq->store, &pc, Q_OUTPUTS, sid) == 0 && opened;
    opened = store_open(rq->store, &dc, Q_DELIVERABLES, sid) == 0 && opened;
    if (!opened) goto out;
    jw_key(w, "outcomes");
    jw_array_always(w);
    for (const OutcomeRow *r; (r = store_child(&oc, 0)); store_advance(&oc)) {
        jw_object(w);
        jw_key(w, "number"), jw_int(w, r->number);
        jw_key(w, "title"), jw_string(w, r->title);
        jw_opt_string(w, "description", r->description);
        jw_key(w, "outputs");
        jw_array_always(w);
        for (const OutputRow *o; (o = store_child(&pc, r->id)); store_advance(&pc)) {
            jw_object(w);
            jw_key(w, "code"), jw_string(w, o->code);
            jw_key(w, "title"), jw_string(w, o->title);
            jw_opt_string(w, "description", o->description);
            jw_key(w, "deliverables");
            jw_array_always(w);
            for (const DeliverableRow *d; (d = store_child(&dc, o->id)); store_advance(&dc))
                jw_string(w, d->text);
            jw_end(w);
            jw_end(w);
        }
        jw_end(w);
        jw_end(w);
    }
    jw_end(w);
    rc = oc.failed || pc.failed || dc.failed ? -1 : 0;
out:
    store_close(&oc);
    store_close(&pc);
    store_close(&dc);
    return rc;
}

static int strategy_drivers_locations(Req *rq, JsonW *w)
{
    StoreCursor dc, lc;
    int64_t sid = rq->strategy->id;
    int rc = -1;
    int opened = store_open(rq->store, &dc, Q_DRIVERS, sid) == 0;
    opened = store_open(rq->store, &lc, Q_LOCATIONS, sid) == 0 && opened;
    if (!opened) goto out;
    jw_key(w, "drivers");
    jw_array_always(w);
    for (const DriverRow *r; (r = store_child(&dc, 0)); store_advance(&dc)) {
        jw_object(w);
        jw_key(w, "code"), jw_string(w, r->code);
        jw_key(w, "title"), jw_string(w, r->title);
        jw_opt_string(w, "description", r->description);
        jw_end(w);
    }
    jw_end(w);
    jw_key(w, "locations");
    jw_array_always(w);
    for (const LocationRow *r; (r = store_child(&lc, 0)); store_advance(&lc)) {
        jw_object(w);
        jw_key(w, "code"), jw_string(w, r->code);
        jw_key(w, "name"), jw_string(w, r->name);
        jw_key(w, "kind"), jw_string(w, r->kind);
        jw_opt_string(w, "parent", r->parent_code);
        jw_end(w);
    }
    jw_end(w);
    rc = dc.failed || lc.failed ? -1 : 0;
out:
    store_close(&dc);
    store_close(&lc);
    return rc;
}

/* [{"code": ..., "label": ..., "projects": n}, ...] of one counted list. */
static void stat_list(JsonW *w, const StatList *l)
{
    jw_array_always(w);
    for (size_t k = 0; k < l->n; k++) {
        jw_object(w);
        jw_key(w, "code"), jw_string(w, l->a[k].code);
        jw_key(w, "label"), jw_string(w, l->a[k].label);
        jw_key(w, "projects"), jw_int(w, l->a[k].n);
        jw_end(w);
    }
    jw_end(w);
}

/* "totals": the portfolio over every year (store_stats). */
static int strategy_totals(Req *rq, JsonW *w)
{
    PortfolioStats ps;
    if (store_stats(rq->store, rq->strategy->id, DB_NULL_INT, &ps)) return -1;
    const StatTotals *t = &ps.totals;
    jw_key(w, "totals");
    jw_object(w);
    jw_key(w, "projects"), jw_int(w, t->projects);
    jw_key(w, "new_or_major"), jw_int(w, t->new_or_major);
    jw_key(w, "completed"), jw_int(w, t->completed);
    jw_key(w, "updates"), jw_int(w, t->updates);
    jw_key(w, "indicators"), jw_int(w, t->indicators);
    jw_key(w, "risks"), jw_int(w, t->risks);
    jw_key(w, "services"), jw_int(w, t->services);
    jw_key(w, "expenditure_lines"), jw_int(w, t->expenditure_lines);
    /* Outcomes (code: the number) then drivers, as Figure 1 counts them. */
    jw_key(w, "by_home");
    jw_array_always(w);
    for (size_t k = 0; k < ps.home.n; k++) {
        jw_object(w);
        jw_key(w, "kind"), jw_string(w, ps.home.a[k].flag ? "driver" : "outcome");
        jw_key(w, "code"), jw_string(w, ps.home.a[k].code);
        jw_key(w, "label"), jw_string(w, ps.home.a[k].label);
        jw_key(w, "projects"), jw_int(w, ps.home.a[k].n);
        jw_end(w);
    }
    jw_end(w);
    jw_key(w, "by_output"), stat_list(w, &ps.outputs);
    jw_key(w, "by_category"), stat_list(w, &ps.category);
    jw_key(w, "by_status"), stat_list(w, &ps.status);
    jw_key(w, "by_year"), stat_list(w, &ps.years);
    jw_end(w);
    store_stats_free(&ps);
    return 0;
}

int api_strategy(Req *rq, Resp *rs)
{
    if (no_parameters(rq, rs)) return 0;
    rs->content_type = "application/json";
    char *key = arena_printf(&rq->arena, "api-strategy:%lld", (long long)rq->strategy->id);
    if (cache_get(key, &rs->body)) return 0;
    JsonW w;
    jw_init(&w, &rs->body, NULL, NULL);
    jw_object(&w);
    if (strategy_fields(rq, &w) || strategy_categories(rq, &w) || strategy_outcomes(rq, &w) ||
        strategy_drivers_locations(rq, &w) || strategy_totals(rq, &w))
        return -1;
    strategy_links(rq, &w, rq->strategy->code);
    jw_end(&w);
    jw_finish(&w);
    cache_put(key, rs->body.a, rs->body.n);
    return 0;
}
