/*
 * api_indicators.c — /api/v1/strategies/{s}/indicators (the list, with the
 * page's filters kind, status and year) and .../indicators/{code} (one
 * indicator with milestones, measurements, status year by year and the
 * risks it signals). Statuses are derived as of the end of a year by
 * rules_indicator_status(), as on the pages and in the report.
 */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "cache.h"
#include "indicator_query.h"
#include "json_w.h"
#include "pages.h"
#include "store_indicators.h"

/* Binds the query into q. The answer depends on the data and the query
 * only, so it is kept in the cache until the data changes: *key receives
 * the cache key (what: "" for the list, the code for one indicator), and
 * when the cache holds the answer it is in rs. Then settles the as-of year
 * (asked for, inside the period, or the default). Returns 0; 2 when the
 * answer came from the cache; 1 after answering 400 (never cached); -1 on
 * a database error. */
static int api_ind_query(Req *rq, Resp *rs, const QueryField *fields, const char *what,
                         IndicatorQuery *q, const char **key, int *year)
{
    const ReqStrategy *s = rq->strategy;
    if (http_query(rq, rs, fields, q)) return 1;
    rs->content_type = "application/json";
    *key = arena_printf(&rq->arena, "indicators-api:%lld:%d:%d:%lld:%s", (long long)s->id,
                        q->has_kind ? q->kind : -1, q->has_status ? q->status : -1,
                        q->has_year ? q->year : 0, what);
    if (cache_get(*key, &rs->body)) return 2;
    return indicator_query_year(rq, rs, q, year);
}

/* "key": {"value": v, "year": y} */
static void value_year(JsonW *w, double v, int year)
{
    jw_object(w);
    jw_key(w, "value"), jw_double(w, v);
    jw_key(w, "year"), jw_int(w, year);
    jw_end(w);
}

/* {"date", "value"} of m, and with full its source and note when known. */
static void measurement(JsonW *w, const IndMeasurement *m, int full)
{
    jw_object(w);
    jw_key(w, "date"), jw_string(w, m->date);
    jw_key(w, "value"), jw_double(w, m->value);
    if (full) {
        jw_opt_string(w, "source", m->source);
        jw_opt_string(w, "note", m->note);
    }
    jw_end(w);
}

/* The members the list and the single indicator share. */
static void indicator_common(JsonW *w, const StoreIndicator *x)
{
    const RulesIndicator *r = &x->rule;
    jw_key(w, "code"), jw_string(w, x->code);
    jw_key(w, "kind"), jw_string(w, x->kind);
    jw_key(w, "title"), jw_string(w, x->title);
    jw_opt_string(w, "unit", x->unit);
    jw_key(w, "direction"), jw_string(w, x->down ? "down" : "up");
    if (x->home_kind) {
        jw_key(w, "measures");
        jw_object(w);
        jw_key(w, "kind"), jw_string(w, x->home_kind);
        jw_key(w, "code"), jw_string(w, x->home_code);
        jw_key(w, "title"), jw_string(w, x->home_title);
        jw_end(w);
    }
    if (r->has_baseline) jw_key(w, "baseline"), value_year(w, r->baseline, r->baseline_year);
    if (r->has_target) jw_key(w, "target"), value_year(w, r->target, r->end_year);
}

/* "status": the key (as the status filter takes it), "status_label": words. */
static void status_members(JsonW *w, IndicatorStatus st)
{
    jw_key(w, "status"), jw_string(w, rules_indicator_status_key(st));
    jw_key(w, "status_label"), jw_string(w, rules_indicator_status_label(st));
}

int api_indicators(Req *rq, Resp *rs)
{
    const ReqStrategy *s = rq->strategy;
    IndicatorQuery q = {0};
    const char *key;
    int year;
    int r = api_ind_query(rq, rs, indicator_query_list_fields, "", &q, &key, &year);
    if (r) return r < 0 ? -1 : 0;
    IndicatorSet set;
    if (store_indicators_load(rq->store, s->id, NULL, s->first_year, s->last_year, &rq->arena,
                              &set))
        return -1;
    int lo = rules_biennium_first(year, s->odd);
    IndicatorStatus *st = arena_alloc(&rq->arena, (set.n + 1) * sizeof *st);
    int *latest = arena_alloc(&rq->arena, (set.n + 1) * sizeof *latest);
    int counts[IND__COUNT] = {0};
    for (size_t k = 0; k < set.n; k++) {
        st[k] = store_indicator_status(&set.a[k], year, &latest[k]);
        if (!q.has_kind || strcmp(set.a[k].kind, store_indicator_kinds[q.kind]) == 0)
            counts[st[k]]++;
    }
    JsonW w;
    jw_init(&w, &rs->body, NULL, NULL);
    jw_object(&w);
    jw_key(&w, "strategy"), jw_string(&w, s->code);
    jw_key(&w, "as_of"), jw_int(&w, year);
    jw_key(&w, "biennium"), jw_string(&w, arena_printf(&rq->arena, "%d-%02d", lo, (lo + 1) % 100));
    jw_key(&w, "counts");
    jw_object(&w);
    for (int k = 0; k < IND__COUNT; k++) {
        jw_key_(&w, rules_indicator_status_key((IndicatorStatus)k)); /* a constant of rules.c */
        jw_int(&w, counts[k]);
    }
    jw_end(&w);
    jw_key(&w, "indicators");
    jw_array_always(&w);
    for (size_t k = 0; k < set.n; k++) {
        const StoreIndicator *x = &set.a[k];
        if (q.has_kind && strcmp(x->kind, store_indicator_kinds[q.kind]) != 0) continue;
        if (q.has_status && (int)st[k] != q.status) continue;
        jw_object(&w);
        indicator_common(&w, x);
        int m = store_indicator_milestone_in(x, lo);
        if (m >= 0) {
            jw_key(&w, "milestone");
            jw_object(&w);
            jw_key(&w, "period"), jw_string(&w, x->milestones[m].period);
            jw_key(&w, "value"), jw_double(&w, x->milestones[m].value);
            jw_end(&w);
        }
        if (latest[k] >= 0) jw_key(&w, "latest"), measurement(&w, &x->measurements[latest[k]], 0);
        status_members(&w, st[k]);
        jw_end(&w);
    }
    jw_end(&w);
    jw_end(&w);
    jw_finish(&w);
    cache_put(key, rs->body.a, rs->body.n);
    return 0;
}

int api_indicator(Req *rq, Resp *rs)
{
    const ReqStrategy *s = rq->strategy;
    IndicatorQuery q = {0};
    const char *key;
    int year;
    int r = api_ind_query(rq, rs, indicator_query_one_fields, rq->args[1], &q, &key, &year);
    if (r) return r < 0 ? -1 : 0;
    IndicatorSet set;
    if (store_indicators_load(rq->store, s->id, rq->args[1], s->first_year, s->last_year,
                              &rq->arena, &set))
        return -1;
    if (set.n == 0)
        return http_error(rq, rs, 404, "Strategy %s has no indicator \"%s\"; "
                                       "/api/v1/strategies/%s/indicators lists them.",
                          s->code, rq->args[1], s->code);
    const StoreIndicator *x = &set.a[0];
    JsonW w;
    jw_init(&w, &rs->body, NULL, NULL);
    jw_object(&w);
    jw_key(&w, "strategy"), jw_string(&w, s->code);
    indicator_common(&w, x);
    jw_opt_string(&w, "description", x->description);
    jw_key(&w, "milestones");
    jw_array_always(&w);
    for (size_t k = 0; k < x->nmilestones; k++) {
        jw_object(&w);
        jw_key(&w, "period"), jw_string(&w, x->milestones[k].period);
        jw_key(&w, "value"), jw_double(&w, x->milestones[k].value);
        jw_end(&w);
    }
    jw_end(&w);
    jw_key(&w, "measurements");
    jw_array_always(&w);
    for (size_t k = 0; k < x->nmeasurements; k++) measurement(&w, &x->measurements[k], 1);
    jw_end(&w);
    int latest;
    IndicatorStatus st = store_indicator_status(x, year, &latest);
    jw_key(&w, "as_of"), jw_int(&w, year);
    if (latest >= 0) jw_key(&w, "latest"), measurement(&w, &x->measurements[latest], 0);
    status_members(&w, st);
    jw_key(&w, "status_by_year");
    jw_array_always(&w);
    for (int y = s->first_year; y <= s->last_year; y++) {
        int l;
        IndicatorStatus ys = store_indicator_status(x, y, &l);
        jw_object(&w);
        jw_key(&w, "year"), jw_int(&w, y);
        status_members(&w, ys);
        if (l >= 0) jw_key(&w, "measurement"), measurement(&w, &x->measurements[l], 0);
        jw_end(&w);
    }
    jw_end(&w);
    jw_key(&w, "risks");
    jw_array_always(&w);
    for (size_t k = 0; k < x->nrisks; k++) {
        jw_object(&w);
        jw_key(&w, "code"), jw_string(&w, x->risks[k].code);
        jw_key(&w, "title"), jw_string(&w, x->risks[k].title);
        jw_end(&w);
    }
    jw_end(&w);
    jw_end(&w);
    jw_finish(&w);
    cache_put(key, rs->body.a, rs->body.n);
    return 0;
}
