/* store_stats.c — see store_stats.h. */
#include "store_stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

const char *const store_status_keys[7] = {"proposed",  "approved", "in_progress", "pilot",
                                          "completed", "on_hold",  "cancelled"};
static const char *const status_labels[7] = {"proposed",  "approved", "in progress", "pilot",
                                             "completed", "on hold",  "cancelled"};

const char *store_status_label(const char *key)
{
    for (int k = 0; k < 7; k++)
        if (key && strcmp(key, store_status_keys[k]) == 0) return status_labels[k];
    return key ? key : "";
}

/* Appends a line to l; code and label are copied. Returns its index. */
static size_t stat_add(StatList *l, const char *code, const char *label, int flag)
{
    l->a = xrealloc(l->a, (l->n + 1) * sizeof *l->a);
    StatCount *c = &l->a[l->n];
    c->code = xstrdup(code ? code : "");
    c->label = xstrdup(label ? label : "");
    c->n = 0;
    c->flag = flag;
    return l->n++;
}

static void stat_list_free(StatList *l)
{
    for (size_t k = 0; k < l->n; k++) {
        free(l->a[k].code);
        free(l->a[k].label);
    }
    free(l->a);
    l->a = NULL;
    l->n = 0;
}

void store_stats_free(PortfolioStats *ps)
{
    stat_list_free(&ps->home);
    stat_list_free(&ps->outputs);
    stat_list_free(&ps->category);
    stat_list_free(&ps->status);
    stat_list_free(&ps->years);
}

/* Row ids of the lines of one list, parallel to its entries. */
typedef struct IdIndex {
    int64_t *id;
    size_t n;
} IdIndex;

static void id_add(IdIndex *x, int64_t id)
{
    x->id = xrealloc(x->id, (x->n + 1) * sizeof *x->id);
    x->id[x->n++] = id;
}

/* The entry holding id, or -1 (lists are small: a linear search). */
static long id_find(const IdIndex *x, int64_t id)
{
    for (size_t k = 0; k < x->n; k++)
        if (x->id[k] == id) return (long)k;
    return -1;
}

/* Outcomes, outputs, drivers and categories of the strategy, in order. */
static int stats_structure(Db *db, int64_t sid, PortfolioStats *ps, IdIndex *outcomes,
                           IdIndex *outputs, long **output_home, IdIndex *drivers,
                           IdIndex *cats)
{
    DbStmt *st = NULL;
    int rc = -1;
    if (db_prepare(db, &st,
        "SELECT 0, id, CAST(number AS TEXT), title, number, 0, 0 FROM outcome"
        " WHERE strategy_id = :sid"
        " UNION ALL SELECT 1, o.id, o.code, o.title, c.number, o.sort, o.outcome_id"
        "   FROM output o JOIN outcome c ON c.id = o.outcome_id WHERE c.strategy_id = :sid"
        " UNION ALL SELECT 2, id, code, title, sort, 0, 0 FROM driver WHERE strategy_id = :sid"
        " UNION ALL SELECT 3, id, code, name, sort, 0, new_or_major FROM category"
        "   WHERE strategy_id = :sid"
        " ORDER BY 1, 5, 6"))
        return -1;
    db_bind_int(st, ":sid", sid);
    int step;
    size_t nout = 0;
    while ((step = db_step(st)) == DB_ROW) {
        int kind = (int)db_column_int(st, 0);
        int64_t id = db_column_int(st, 1);
        const char *code = db_column_text(st, 2), *label = db_column_text(st, 3);
        if (kind == 0) {
            char *full = xmalloc(strlen(code) + strlen(label ? label : "") + 16);
            sprintf(full, "Outcome %s: %s", code, label ? label : "");
            stat_add(&ps->home, code, full, 0);
            free(full);
            id_add(outcomes, id);
        } else if (kind == 1) {
            stat_add(&ps->outputs, code, label, (int)db_column_int(st, 4));
            id_add(outputs, id);
            *output_home = xrealloc(*output_home, ++nout * sizeof **output_home);
            (*output_home)[nout - 1] = id_find(outcomes, db_column_int(st, 6));
        } else if (kind == 2) {
            stat_add(&ps->home, code, label, 1);
            id_add(drivers, id);
        } else {
            stat_add(&ps->category, code, label, (int)db_column_int(st, 6));
            id_add(cats, id);
        }
    }
    if (step == DB_DONE) rc = 0;
    db_finalize(st);
    return rc;
}

/* Adds the grouped counts of the projects to the lists. */
static int stats_projects(Db *db, int64_t sid, int64_t year, PortfolioStats *ps,
                          const IdIndex *outcomes, const IdIndex *outputs,
                          const long *output_home, const IdIndex *drivers, const IdIndex *cats)
{
    DbStmt *st = NULL;
    /* GROUP BY follows the covering index project_stats: no sort, no table. */
    if (db_prepare(db, &st,
        "SELECT category_id, status, output_id, outcome_id, driver_id, count(*) FROM project"
        " WHERE strategy_id = :sid AND (:year IS NULL OR id IN"
        "   (SELECT project_id FROM project_year WHERE year = :year))"
        " GROUP BY category_id, status, output_id, outcome_id, driver_id"))
        return -1;
    db_bind_int(st, ":sid", sid);
    db_bind_int(st, ":year", year);
    long nocat = -1;
    int step;
    while ((step = db_step(st)) == DB_ROW) {
        int64_t n = db_column_int(st, 5);
        ps->totals.projects += n;
        long c = db_column_is_null(st, 0) ? -1 : id_find(cats, db_column_int(st, 0));
        if (c >= 0) {
            ps->category.a[c].n += n;
            if (ps->category.a[c].flag) ps->totals.new_or_major += n;
        } else {
            if (nocat < 0) nocat = (long)stat_add(&ps->category, "", "(no category)", 0);
            ps->category.a[nocat].n += n;
        }
        const char *status = db_column_text(st, 1);
        for (int k = 0; k < 7; k++)
            if (status && strcmp(status, store_status_keys[k]) == 0) ps->status.a[k].n += n;
        if (status && strcmp(status, "completed") == 0) ps->totals.completed += n;
        long h = -1;
        if (!db_column_is_null(st, 2)) {
            long o = id_find(outputs, db_column_int(st, 2));
            if (o >= 0) {
                ps->outputs.a[o].n += n;
                h = output_home[o];
            }
        } else if (!db_column_is_null(st, 3)) {
            h = id_find(outcomes, db_column_int(st, 3));
        } else if (!db_column_is_null(st, 4)) {
            long d = id_find(drivers, db_column_int(st, 4));
            if (d >= 0) h = (long)outcomes->n + d;
        }
        if (h >= 0) ps->home.a[h].n += n;
    }
    db_finalize(st);
    return step == DB_DONE ? 0 : -1;
}

/* Projects per work-plan year, and the strategy's other totals. */
static int stats_years_totals(Db *db, int64_t sid, PortfolioStats *ps)
{
    DbStmt *st = NULL;
    if (db_prepare(db, &st,
        "SELECT y.year, count(*) FROM project p JOIN project_year y ON y.project_id = p.id"
        " WHERE p.strategy_id = :sid GROUP BY y.year ORDER BY y.year"))
        return -1;
    db_bind_int(st, ":sid", sid);
    int step;
    while ((step = db_step(st)) == DB_ROW) {
        char y[24];
        snprintf(y, sizeof y, "%lld", (long long)db_column_int(st, 0));
        size_t k = stat_add(&ps->years, y, y, 0);
        ps->years.a[k].n = db_column_int(st, 1);
    }
    db_finalize(st);
    if (step != DB_DONE) return -1;
    if (db_prepare(db, &st,
        "SELECT (SELECT count(*) FROM project p JOIN project_update u ON u.project_id = p.id"
        "   WHERE p.strategy_id = :sid),"
        " (SELECT count(*) FROM indicator WHERE strategy_id = :sid),"
        " (SELECT count(*) FROM risk WHERE strategy_id = :sid),"
        " (SELECT count(*) FROM service WHERE strategy_id = :sid),"
        " (SELECT count(*) FROM expenditure WHERE strategy_id = :sid)"))
        return -1;
    db_bind_int(st, ":sid", sid);
    step = db_step(st);
    if (step == DB_ROW) {
        ps->totals.updates = db_column_int(st, 0);
        ps->totals.indicators = db_column_int(st, 1);
        ps->totals.risks = db_column_int(st, 2);
        ps->totals.services = db_column_int(st, 3);
        ps->totals.expenditure_lines = db_column_int(st, 4);
    }
    db_finalize(st);
    return step == DB_ROW ? 0 : -1;
}

int store_stats(Store *s, int64_t sid, int64_t year, PortfolioStats *out)
{
    memset(out, 0, sizeof *out);
    IdIndex outcomes = {0}, outputs = {0}, drivers = {0}, cats = {0};
    long *output_home = NULL;
    for (int k = 0; k < 7; k++) stat_add(&out->status, store_status_keys[k], status_labels[k], 0);
    int rc = stats_structure(s->db, sid, out, &outcomes, &outputs, &output_home, &drivers,
                             &cats);
    if (rc == 0)
        rc = stats_projects(s->db, sid, year, out, &outcomes, &outputs, output_home, &drivers,
                            &cats);
    if (rc == 0) rc = stats_years_totals(s->db, sid, out);
    free(outcomes.id);
    free(outputs.id);
    free(drivers.id);
    free(cats.id);
    free(output_home);
    if (rc) store_stats_free(out);
    return rc;
}
