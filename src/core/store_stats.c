/* store_stats.c — see store_stats.h. Each statistic is one pass over the
 * strategy's projects. */
#include "store_stats.h"

#include <string.h>

/* Prepares the query of statistic q. */
static int stats_prepare(Db *db, StatQuery q, DbStmt **st)
{
    switch (q) {
    case S_BY_HOME: return db_prepare(db, st,
        "WITH h AS (SELECT p.output_id AS op, p.outcome_id AS oc, p.driver_id AS dr,"
        "   count(*) AS n FROM project p"
        "   WHERE p.strategy_id = :sid AND (:year IS NULL OR p.id IN"
        "     (SELECT project_id FROM project_year WHERE year = :year)) GROUP BY 1, 2, 3),"
        " c AS (SELECT COALESCE(h.oc, o.outcome_id) AS oc, h.dr AS dr, h.n AS n FROM h"
        "   LEFT JOIN output o ON o.id = h.op)"
        " SELECT 'outcome' AS kind, CAST(oc.number AS TEXT) AS code,"
        "   'Outcome ' || oc.number || ': ' || oc.title AS label,"
        "   COALESCE((SELECT sum(n) FROM c WHERE c.oc = oc.id), 0) AS n, 0 AS extra,"
        "   oc.number AS k FROM outcome oc WHERE oc.strategy_id = :sid"
        " UNION ALL"
        " SELECT 'driver', d.code, d.title, COALESCE((SELECT sum(n) FROM c WHERE c.dr = d.id), 0),"
        "   0, 1000 + d.sort FROM driver d WHERE d.strategy_id = :sid ORDER BY k");
    case S_BY_CATEGORY: return db_prepare(db, st,
        "WITH c AS (SELECT p.category_id AS cat, count(*) AS n FROM project p"
        "   WHERE p.strategy_id = :sid AND (:year IS NULL OR p.id IN"
        "     (SELECT project_id FROM project_year WHERE year = :year)) GROUP BY 1)"
        " SELECT 'category' AS kind, ca.code AS code, ca.name AS label,"
        "   COALESCE((SELECT n FROM c WHERE c.cat = ca.id), 0) AS n, ca.new_or_major AS extra,"
        "   ca.sort AS k FROM category ca WHERE ca.strategy_id = :sid"
        " UNION ALL"
        " SELECT 'category', '', '(no category)', n, 0, 1e9 FROM c WHERE cat IS NULL"
        " ORDER BY k");
    case S_BY_STATUS: return db_prepare(db, st,
        "SELECT 'status' AS kind, p.status AS code, replace(p.status, '_', ' ') AS label,"
        "   count(*) AS n, 0 AS extra FROM project p"
        " WHERE p.strategy_id = :sid AND (:year IS NULL OR p.id IN"
        "   (SELECT project_id FROM project_year WHERE year = :year))"
        " GROUP BY p.status ORDER BY CASE p.status WHEN 'proposed' THEN 1 WHEN 'approved' THEN 2"
        "   WHEN 'in_progress' THEN 3 WHEN 'pilot' THEN 4 WHEN 'completed' THEN 5"
        "   WHEN 'on_hold' THEN 6 ELSE 7 END");
    case S_BY_YEAR: return db_prepare(db, st,
        "SELECT 'year' AS kind, CAST(y.year AS TEXT) AS code, CAST(y.year AS TEXT) AS label,"
        "   count(*) AS n, 0 AS extra FROM project_year y"
        " WHERE y.project_id IN (SELECT id FROM project WHERE strategy_id = :sid)"
        "   AND :year IS :year GROUP BY y.year ORDER BY y.year");
    }
    return -1;
}

int store_stats(Store *s, StatQuery q, int64_t sid, int64_t year,
                void (*fn)(void *ctx, const StatRow *row), void *ctx)
{
    DbStmt *st = NULL;
    if (stats_prepare(s->db, q, &st)) return -1;
    db_bind_int(st, ":sid", sid);
    db_bind_int(st, ":year", year);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        StatRow r = {db_column_text(st, 0), db_column_text(st, 1), db_column_text(st, 2),
                     db_column_int(st, 3), db_column_int(st, 4)};
        fn(ctx, &r);
    }
    db_finalize(st);
    return rc == DB_DONE ? 0 : -1;
}

int store_totals(Store *s, int64_t sid, int64_t year, StatTotals *t)
{
    memset(t, 0, sizeof *t);
    DbStmt *st = NULL;
    if (db_prepare(s->db, &st,
        "SELECT count(*), coalesce(sum(ca.new_or_major), 0),"
        "   coalesce(sum(p.status = 'completed'), 0),"
        "   (SELECT count(*) FROM project_update u WHERE u.project_id IN"
        "     (SELECT id FROM project WHERE strategy_id = :sid)),"
        "   (SELECT count(*) FROM indicator WHERE strategy_id = :sid),"
        "   (SELECT count(*) FROM risk WHERE strategy_id = :sid),"
        "   (SELECT count(*) FROM service WHERE strategy_id = :sid),"
        "   (SELECT count(*) FROM expenditure WHERE strategy_id = :sid)"
        " FROM project p LEFT JOIN category ca ON ca.id = p.category_id"
        " WHERE p.strategy_id = :sid AND (:year IS NULL OR p.id IN"
        "   (SELECT project_id FROM project_year WHERE year = :year))"))
        return -1;
    db_bind_int(st, ":sid", sid);
    db_bind_int(st, ":year", year);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        t->projects = db_column_int(st, 0);
        t->new_or_major = db_column_int(st, 1);
        t->completed = db_column_int(st, 2);
        t->updates = db_column_int(st, 3);
        t->indicators = db_column_int(st, 4);
        t->risks = db_column_int(st, 5);
        t->services = db_column_int(st, 6);
        t->expenditure_lines = db_column_int(st, 7);
    }
    db_finalize(st);
    return rc == DB_ROW ? 0 : -1;
}
