/* store_dashboard.c — see store_dashboard.h. */
#include "store_dashboard.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store_stats.h"

int store_dashboard_last_year(Store *s, int64_t sid, int *year)
{
    DbStmt *st = NULL;
    *year = 0;
    /* Walks project_year_year from the top: the first row of the strategy. */
    if (db_prepare(s->db, &st,
        "SELECT y.year FROM project_year y CROSS JOIN project p ON p.id = y.project_id"
        " WHERE p.strategy_id = :sid ORDER BY y.year DESC LIMIT 1"))
        return -1;
    db_bind_int(st, ":sid", sid);
    int step = db_step(st);
    if (step == DB_ROW) *year = (int)db_column_int(st, 0);
    db_finalize(st);
    return step == DB_ERROR ? -1 : 0;
}

int store_dashboard_project_count(Store *s, int64_t sid, int64_t *n)
{
    DbStmt *st = NULL;
    *n = 0;
    if (db_prepare(s->db, &st, "SELECT count(*) FROM project WHERE strategy_id = :sid"))
        return -1;
    db_bind_int(st, ":sid", sid);
    int step = db_step(st);
    if (step == DB_ROW) *n = db_column_int(st, 0);
    db_finalize(st);
    return step == DB_ROW ? 0 : -1;
}

/* The outcomes and drivers of sid, in order, with no counts yet. */
static int homes_structure(Store *s, int64_t sid, Arena *a, DashHome **out, size_t *n)
{
    DbStmt *st = NULL;
    if (db_prepare(s->db, &st,
        "SELECT 0, id, CAST(number AS TEXT), title, number FROM outcome WHERE strategy_id = :sid"
        " UNION ALL SELECT 1, id, code, title, sort FROM driver WHERE strategy_id = :sid"
        " ORDER BY 1, 5"))
        return -1;
    db_bind_int(st, ":sid", sid);
    int step;
    while ((step = db_step(st)) == DB_ROW) {
        DashHome h;
        memset(&h, 0, sizeof h);
        h.is_driver = (int)db_column_int(st, 0);
        h.id = db_column_int(st, 1);
        h.code = arena_strdup(a, db_column_text(st, 2));
        h.title = arena_strdup(a, db_column_text(st, 3));
        *out = arena_grow(a, *out, *n, sizeof **out);
        (*out)[(*n)++] = h;
    }
    db_finalize(st);
    return step == DB_DONE ? 0 : -1;
}

int store_dashboard_homes(Store *s, int64_t sid, int64_t year, Arena *a, DashHome **out,
                          size_t *n)
{
    *out = NULL;
    *n = 0;
    if (homes_structure(s, sid, a, out, n)) return -1;
    DbStmt *st = NULL;
    /* Grouped first on the covering index project_stats, then the few groups
     * are taken to their outcome (through the output) or driver. */
    if (db_prepare(s->db, &st,
        "WITH g AS (SELECT output_id, outcome_id, driver_id, status, count(*) AS n"
        "   FROM project WHERE strategy_id = :sid AND (:year IS NULL OR id IN"
        "     (SELECT project_id FROM project_year WHERE year = :year))"
        "   GROUP BY output_id, outcome_id, driver_id, status)"
        " SELECT g.driver_id IS NOT NULL, coalesce(g.driver_id, o.outcome_id, g.outcome_id),"
        "   g.status, sum(g.n) FROM g LEFT JOIN output o ON o.id = g.output_id"
        " GROUP BY 1, 2, 3"))
        return -1;
    db_bind_int(st, ":sid", sid);
    db_bind_int(st, ":year", year);
    int step;
    while ((step = db_step(st)) == DB_ROW) {
        int is_driver = (int)db_column_int(st, 0);
        int64_t id = db_column_int(st, 1), count = db_column_int(st, 3);
        const char *status = db_column_text(st, 2);
        for (size_t k = 0; k < *n; k++) {
            DashHome *h = &(*out)[k];
            if (h->is_driver != is_driver || h->id != id) continue;
            h->total += count;
            for (int j = 0; j < 7; j++)
                if (status && strcmp(status, store_status_keys[j]) == 0) h->by_status[j] += count;
        }
    }
    db_finalize(st);
    return step == DB_DONE ? 0 : -1;
}

/* Reads the milestones of indicator id from c into x, in period order. */
static void indicator_milestones(StoreCursor *c, int64_t id, Arena *a, DashIndicator *x)
{
    RulesMilestone *ms = NULL;
    size_t n = 0;
    for (const MilestoneRow *m; (m = store_child(c, id)); store_advance(c)) {
        int first, last;
        if (rules_period_parse(m->period, &first, &last)) continue;
        ms = arena_grow(a, ms, n, sizeof *ms);
        size_t k = n++;
        while (k > 0 && ms[k - 1].first > first) {
            ms[k] = ms[k - 1];
            k--;
        }
        ms[k] = (RulesMilestone){first, last, m->value};
    }
    x->rule.milestones = ms;
    x->rule.nmilestones = n;
}

/* Reads the measurements of indicator id from c (by date) into x. */
static void indicator_measurements(StoreCursor *c, int64_t id, Arena *a, DashIndicator *x,
                                   int *latest_year)
{
    RulesMeasurement *me = NULL;
    size_t n = 0;
    for (const MeasurementRow *m; (m = store_child(c, id)); store_advance(c)) {
        int y = rules_year_of(m->date);
        me = arena_grow(a, me, n, sizeof *me);
        me[n++] = (RulesMeasurement){y, m->value};
        x->latest_date = arena_strdup(a, m->date);
        x->latest_value = m->value;
        if (y > *latest_year) *latest_year = y;
    }
    x->rule.measurements = me;
    x->rule.nmeasurements = n;
}

int store_dashboard_indicators(Store *s, int64_t sid, int first_year, int last_year, Arena *a,
                               DashIndicator **out, size_t *n, int *latest_year)
{
    StoreCursor ic, mc, ec;
    *out = NULL;
    *n = 0;
    *latest_year = 0;
    int rc = -1;
    int opened = store_open(s, &ic, Q_INDICATORS, sid) == 0;
    opened = store_open(s, &mc, Q_MILESTONES, sid) == 0 && opened;
    opened = store_open(s, &ec, Q_MEASUREMENTS, sid) == 0 && opened;
    if (!opened) goto out;
    for (const IndicatorRow *r; (r = store_child(&ic, 0)); store_advance(&ic)) {
        DashIndicator x;
        memset(&x, 0, sizeof x);
        x.id = r->id;
        x.outcome_id = r->outcome_id;
        x.output_id = r->output_id;
        x.driver_id = r->driver_id;
        x.code = arena_strdup(a, r->code);
        x.kind = arena_strdup(a, r->kind);
        x.title = arena_strdup(a, r->title);
        x.unit = arena_strdup(a, r->unit);
        x.outcome_number = r->outcome_number;
        x.output_code = arena_strdup(a, r->output_code);
        x.driver_code = arena_strdup(a, r->driver_code);
        x.latest_value = NAN;
        RulesIndicator *ri = &x.rule;
        ri->down = r->direction && strcmp(r->direction, "down") == 0;
        ri->has_baseline = !isnan(r->baseline_value);
        ri->baseline = ri->has_baseline ? r->baseline_value : 0;
        ri->baseline_year =
            r->baseline_year == DB_NULL_INT ? first_year - 1 : (int)r->baseline_year;
        ri->has_target = !isnan(r->target);
        ri->target = ri->has_target ? r->target : 0;
        ri->end_year = last_year;
        indicator_milestones(&mc, r->id, a, &x);
        indicator_measurements(&ec, r->id, a, &x, latest_year);
        *out = arena_grow(a, *out, *n, sizeof **out);
        (*out)[(*n)++] = x;
    }
    if (!ic.failed && !mc.failed && !ec.failed) rc = 0;
out:
    store_close(&ic);
    store_close(&mc);
    store_close(&ec);
    return rc;
}

/* 1 when v is a probability or impact (1-5). */
static int scale_ok(int64_t v)
{
    return v >= 1 && v <= 5;
}

int store_dashboard_risk_grids(Store *s, int64_t sid, int inherent[5][5], int residual[5][5],
                               int *nrisks, int *unassessed)
{
    memset(inherent, 0, 25 * sizeof(int));
    memset(residual, 0, 25 * sizeof(int));
    *nrisks = *unassessed = 0;
    StoreCursor c;
    int rc = store_open(s, &c, Q_RISKS, sid);
    for (const RiskRow *r; rc == 0 && (r = store_child(&c, 0)); store_advance(&c)) {
        (*nrisks)++;
        int in_ok = scale_ok(r->inherent_probability) && scale_ok(r->inherent_impact);
        int res_ok = scale_ok(r->residual_probability) && scale_ok(r->residual_impact);
        if (in_ok) inherent[r->inherent_probability - 1][r->inherent_impact - 1]++;
        if (res_ok) residual[r->residual_probability - 1][r->residual_impact - 1]++;
        if (!in_ok || !res_ok) (*unassessed)++;
    }
    if (c.failed) rc = -1;
    store_close(&c);
    return rc;
}

int store_dashboard_sla(Store *s, int64_t sid, int months, Arena *a, DashSla **out, size_t *n)
{
    StoreCursor sc, mc;
    *out = NULL;
    *n = 0;
    int rc = -1;
    int opened = store_open(s, &sc, Q_SERVICES, sid) == 0;
    opened = store_open(s, &mc, Q_SERVICE_MEASUREMENTS, sid) == 0 && opened;
    if (!opened) goto out;
    for (const ServiceRow *r; (r = store_child(&sc, 0)); store_advance(&sc)) {
        DashSla x = {arena_strdup(a, r->code), arena_strdup(a, r->name), 0,
                     0, NULL, NULL};
        /* Months with data, oldest first; the last `months` of them count. */
        const char **period = NULL;
        int *met = NULL;
        size_t k = 0;
        for (const ServiceMeasurementRow *m; (m = store_child(&mc, r->id)); store_advance(&mc)) {
            RulesSla sla = {r->availability_target, r->response_hours, r->resolution_hours,
                            m->availability, m->response_hours, m->resolution_hours};
            int c = rules_sla_month(&sla);
            if (c == SLA_NO_DATA) continue;
            period = arena_grow(a, period, k, sizeof *period);
            met = arena_grow(a, met, k, sizeof *met);
            period[k] = arena_strdup(a, m->period);
            met[k++] = c == SLA_MET;
        }
        for (size_t j = k > (size_t)months ? k - (size_t)months : 0; j < k; j++) {
            if (!x.first) x.first = period[j];
            x.last = period[j];
            x.measured++;
            x.met += met[j];
        }
        *out = arena_grow(a, *out, *n, sizeof **out);
        (*out)[(*n)++] = x;
    }
    if (!sc.failed && !mc.failed) rc = 0;
out:
    store_close(&sc);
    store_close(&mc);
    return rc;
}

int store_dashboard_latest_updates(Store *s, int64_t sid, int limit, Arena *a, DashUpdate **out,
                                   size_t *n)
{
    *out = NULL;
    *n = 0;
    DbStmt *st = NULL;
    if (db_prepare(s->db, &st,
        "SELECT u.date, u.text, u.report_year, p.code, p.title, p.status"
        " FROM project p JOIN project_update u ON u.project_id = p.id"
        " WHERE p.strategy_id = :sid ORDER BY u.date DESC, u.id DESC LIMIT :limit"))
        return -1;
    db_bind_int(st, ":sid", sid);
    db_bind_int(st, ":limit", limit);
    int step;
    while ((step = db_step(st)) == DB_ROW) {
        DashUpdate u = {arena_strdup(a, db_column_text(st, 0)),
                        arena_strdup(a, db_column_text(st, 1)), db_column_int(st, 2),
                        arena_strdup(a, db_column_text(st, 3)),
                        arena_strdup(a, db_column_text(st, 4)),
                        arena_strdup(a, db_column_text(st, 5))};
        *out = arena_grow(a, *out, *n, sizeof **out);
        (*out)[(*n)++] = u;
    }
    db_finalize(st);
    return step == DB_DONE ? 0 : -1;
}
