/* store_indicators.c — see store_indicators.h. */
#include "store_indicators.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The indicator of set with row id, looked for from *hint on (children come
 * in the indicators' order, so this is almost always the first try). */
static StoreIndicator *ind_find(IndicatorSet *set, int64_t id, size_t *hint)
{
    for (size_t k = 0; k < set->n; k++) {
        size_t at = (*hint + k) % set->n;
        if (set->a[at].id == id) {
            *hint = at;
            return &set->a[at];
        }
    }
    return NULL;
}

/* The indicators themselves, with what each one measures. */
static int ind_rows(Db *db, int64_t sid, const char *code, int first_year, int last_year,
                    Arena *a, IndicatorSet *out)
{
    DbStmt *st = NULL;
    if (db_prepare(db, &st,
        "SELECT i.id, i.code, i.kind, i.title, i.description, i.unit, i.direction,"
        " i.baseline_value, i.baseline_year, i.target,"
        " CASE WHEN op.id IS NOT NULL THEN 'output' WHEN oc.id IS NOT NULL THEN 'outcome'"
        "      WHEN dr.id IS NOT NULL THEN 'driver' END,"
        " COALESCE(op.code, CAST(oc.number AS TEXT), dr.code),"
        " COALESCE(op.title, oc.title, dr.title)"
        " FROM indicator i"
        " LEFT JOIN outcome oc ON oc.id = i.outcome_id"
        " LEFT JOIN output op ON op.id = i.output_id"
        " LEFT JOIN driver dr ON dr.id = i.driver_id"
        " WHERE i.strategy_id = :sid AND (:code IS NULL OR i.code = :code)"
        " ORDER BY i.sort, i.id"))
        return -1;
    db_bind_int(st, ":sid", sid);
    db_bind_text(st, ":code", code);
    int step;
    while ((step = db_step(st)) == DB_ROW) {
        StoreIndicator x;
        memset(&x, 0, sizeof x);
        x.id = db_column_int(st, 0);
        x.code = arena_strdup(a, db_column_text(st, 1));
        x.kind = arena_strdup(a, db_column_text(st, 2));
        x.title = arena_strdup(a, db_column_text(st, 3));
        x.description = arena_strdup(a, db_column_text(st, 4));
        x.unit = arena_strdup(a, db_column_text(st, 5));
        const char *dir = db_column_text(st, 6);
        x.down = dir && strcmp(dir, "down") == 0;
        x.baseline = db_column_double(st, 7);
        x.baseline_year = db_column_int(st, 8);
        x.target = db_column_double(st, 9);
        x.home_kind = arena_strdup(a, db_column_text(st, 10));
        x.home_code = arena_strdup(a, db_column_text(st, 11));
        x.home_title = arena_strdup(a, db_column_text(st, 12));
        RulesIndicator *r = &x.rule;
        r->down = x.down;
        r->has_baseline = !isnan(x.baseline);
        r->baseline = r->has_baseline ? x.baseline : 0;
        r->baseline_year = x.baseline_year == DB_NULL_INT ? first_year - 1 : (int)x.baseline_year;
        r->has_target = !isnan(x.target);
        r->target = r->has_target ? x.target : 0;
        r->end_year = last_year;
        out->a = arena_grow(a, out->a, out->n, sizeof *out->a);
        out->a[out->n++] = x;
    }
    db_finalize(st);
    return step == DB_DONE ? 0 : -1;
}

/* Milestones, kept in period order (the document may list them otherwise);
 * a period that is neither a year nor a biennium is left out, as the
 * report leaves it out. */
static int ind_milestones(Db *db, int64_t sid, const char *code, Arena *a, IndicatorSet *set)
{
    DbStmt *st = NULL;
    if (db_prepare(db, &st,
        "SELECT m.indicator_id, m.period, m.value FROM milestone m"
        " JOIN indicator i ON i.id = m.indicator_id"
        " WHERE i.strategy_id = :sid AND (:code IS NULL OR i.code = :code)"
        " ORDER BY i.sort, i.id, m.sort"))
        return -1;
    db_bind_int(st, ":sid", sid);
    db_bind_text(st, ":code", code);
    int step;
    size_t hint = 0;
    while ((step = db_step(st)) == DB_ROW) {
        StoreIndicator *x = ind_find(set, db_column_int(st, 0), &hint);
        const char *period = db_column_text(st, 1);
        int first, last;
        if (!x || rules_period_parse(period, &first, &last)) continue;
        RulesMilestone *rm = (RulesMilestone *)x->rule.milestones;
        size_t n = x->nmilestones;
        rm = arena_grow(a, rm, n, sizeof *rm);
        x->milestones = arena_grow(a, x->milestones, n, sizeof *x->milestones);
        size_t k = n;
        while (k > 0 && rm[k - 1].first > first) {
            rm[k] = rm[k - 1];
            x->milestones[k] = x->milestones[k - 1];
            k--;
        }
        rm[k] = (RulesMilestone){first, last, db_column_double(st, 2)};
        x->milestones[k] = (IndMilestone){arena_strdup(a, period), rm[k].value};
        x->nmilestones = x->rule.nmilestones = n + 1;
        x->rule.milestones = rm;
    }
    db_finalize(st);
    return step == DB_DONE ? 0 : -1;
}

static int ind_measurements(Db *db, int64_t sid, const char *code, Arena *a, IndicatorSet *set)
{
    DbStmt *st = NULL;
    if (db_prepare(db, &st,
        "SELECT m.indicator_id, m.date, m.value, m.source, m.note FROM measurement m"
        " JOIN indicator i ON i.id = m.indicator_id"
        " WHERE i.strategy_id = :sid AND (:code IS NULL OR i.code = :code)"
        " ORDER BY i.sort, i.id, m.date"))
        return -1;
    db_bind_int(st, ":sid", sid);
    db_bind_text(st, ":code", code);
    int step;
    size_t hint = 0;
    while ((step = db_step(st)) == DB_ROW) {
        StoreIndicator *x = ind_find(set, db_column_int(st, 0), &hint);
        if (!x) continue;
        const char *date = db_column_text(st, 1);
        size_t n = x->nmeasurements;
        RulesMeasurement *rm = (RulesMeasurement *)x->rule.measurements;
        rm = arena_grow(a, rm, n, sizeof *rm);
        x->measurements = arena_grow(a, x->measurements, n, sizeof *x->measurements);
        double v = db_column_double(st, 2);
        rm[n] = (RulesMeasurement){rules_year_of(date), v};
        x->measurements[n] = (IndMeasurement){arena_strdup(a, date), v,
                                              arena_strdup(a, db_column_text(st, 3)),
                                              arena_strdup(a, db_column_text(st, 4))};
        x->nmeasurements = x->rule.nmeasurements = n + 1;
        x->rule.measurements = rm;
    }
    db_finalize(st);
    return step == DB_DONE ? 0 : -1;
}

static int ind_risks(Db *db, int64_t sid, const char *code, Arena *a, IndicatorSet *set)
{
    DbStmt *st = NULL;
    if (db_prepare(db, &st,
        "SELECT ri.indicator_id, r.code, r.title FROM risk_indicator ri"
        " JOIN indicator i ON i.id = ri.indicator_id JOIN risk r ON r.id = ri.risk_id"
        " WHERE i.strategy_id = :sid AND (:code IS NULL OR i.code = :code)"
        " ORDER BY i.sort, i.id, r.sort, r.id"))
        return -1;
    db_bind_int(st, ":sid", sid);
    db_bind_text(st, ":code", code);
    int step;
    size_t hint = 0;
    while ((step = db_step(st)) == DB_ROW) {
        StoreIndicator *x = ind_find(set, db_column_int(st, 0), &hint);
        if (!x) continue;
        x->risks = arena_grow(a, x->risks, x->nrisks, sizeof *x->risks);
        x->risks[x->nrisks++] = (IndRisk){arena_strdup(a, db_column_text(st, 1)),
                                          arena_strdup(a, db_column_text(st, 2))};
    }
    db_finalize(st);
    return step == DB_DONE ? 0 : -1;
}

int store_indicators_load(Store *s, int64_t sid, const char *code, int first_year, int last_year,
                          Arena *arena, IndicatorSet *out)
{
    out->a = NULL;
    out->n = 0;
    if (ind_rows(s->db, sid, code, first_year, last_year, arena, out)) return -1;
    if (out->n == 0) return 0;
    if (ind_milestones(s->db, sid, code, arena, out) ||
        ind_measurements(s->db, sid, code, arena, out) || ind_risks(s->db, sid, code, arena, out))
        return -1;
    return 0;
}

IndicatorStatus store_indicator_status(const StoreIndicator *x, int as_of, int *latest)
{
    return rules_indicator_status(&x->rule, as_of, latest);
}

int store_indicators_default_year(Store *s, int64_t sid, int first_year, int last_year,
                                  int *year)
{
    DbStmt *st = NULL;
    if (db_prepare(s->db, &st,
        "SELECT MAX(CAST(substr(m.date, 1, 4) AS INTEGER)) FROM measurement m"
        " JOIN indicator i ON i.id = m.indicator_id WHERE i.strategy_id = :sid"))
        return -1;
    db_bind_int(st, ":sid", sid);
    int step = db_step(st);
    int64_t y = step == DB_ROW ? db_column_int(st, 0) : DB_NULL_INT;
    db_finalize(st);
    if (step != DB_ROW) return -1;
    if (y == DB_NULL_INT || y < first_year) *year = first_year;
    else *year = y > last_year ? last_year : (int)y;
    return 0;
}

const char *const store_indicator_kinds[4] = {"outcome", "kpi", "kri", NULL};

const char *store_indicator_kind_label(const char *kind)
{
    static const char *const labels[3] = {"outcome indicator", "KPI", "key risk indicator"};
    for (int k = 0; k < 3; k++)
        if (kind && strcmp(kind, store_indicator_kinds[k]) == 0) return labels[k];
    return kind ? kind : "";
}

const char *const store_indicator_status_keys[IND__COUNT + 1] = {
    [IND_NO_DATA] = "no_data",         [IND_ACHIEVED] = "achieved",
    [IND_ACHIEVED_AHEAD] = "achieved_ahead", [IND_ON_TRACK] = "on_track",
    [IND_AT_RISK] = "at_risk",         [IND_NOT_ACHIEVED] = "not_achieved",
    [IND__COUNT] = NULL};

int store_indicator_milestone_in(const StoreIndicator *x, int lo)
{
    int found = -1;
    for (size_t k = 0; k < x->rule.nmilestones; k++)
        if (x->rule.milestones[k].last >= lo && x->rule.milestones[k].last <= lo + 1)
            found = (int)k;
    return found;
}
