/*
 * store_assign.c — SQL of the contributors' assignments (store_assign.h).
 */
#include "store_assign.h"

#include <stdlib.h>
#include <string.h>

#include "mem.h"

void store_assign_list_free(AssignRow *a, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(a[i].strategy);
        free(a[i].code);
        free(a[i].title);
    }
    free(a);
}

int store_assign_list(Db *db, int64_t user_id, AssignRow **out, size_t *n)
{
    DbStmt *st = NULL;
    AssignRow *a = NULL;
    size_t count = 0, cap = 0;
    int r;
    *out = NULL;
    *n = 0;
    if (db_prepare(db, &st,
                   "SELECT 0, p.id, s.code, p.code, p.title FROM assignment a "
                   "JOIN project p ON p.id = a.project_id JOIN strategy s ON s.id = p.strategy_id "
                   "WHERE a.user_id = :user "
                   "UNION ALL "
                   "SELECT 1, i.id, s.code, i.code, i.title FROM assignment a "
                   "JOIN indicator i ON i.id = a.indicator_id "
                   "JOIN strategy s ON s.id = i.strategy_id WHERE a.user_id = :user "
                   "ORDER BY 3, 1, 4"))
        return -1;
    db_bind_int(st, ":user", user_id);
    while ((r = db_step(st)) == DB_ROW) {
        if (count == cap) {
            cap = cap ? 2 * cap : 16;
            a = xrealloc(a, cap * sizeof *a);
        }
        AssignRow *row = &a[count++];
        row->is_indicator = db_column_int(st, 0) != 0;
        row->target_id = db_column_int(st, 1);
        row->strategy = xstrdup(db_column_text(st, 2));
        row->code = xstrdup(db_column_text(st, 3));
        row->title = xstrdup(db_column_text(st, 4));
    }
    db_finalize(st);
    if (r != DB_DONE) {
        store_assign_list_free(a, count);
        return -1;
    }
    *out = a;
    *n = count;
    return 0;
}

int store_assign_add(Db *db, int64_t user_id, const char *strategy, int is_indicator,
                     const char *code, int64_t *target_id)
{
    DbStmt *st = NULL;
    int64_t id = 0;
    int r, rc = -1;
    if (is_indicator
            ? db_prepare(db, &st, "SELECT i.id FROM indicator i JOIN strategy s "
                                  "ON s.id = i.strategy_id WHERE s.code = :s AND i.code = :code")
            : db_prepare(db, &st, "SELECT p.id FROM project p JOIN strategy s "
                                  "ON s.id = p.strategy_id WHERE s.code = :s AND p.code = :code"))
        goto out;
    db_bind_text(st, ":s", strategy);
    db_bind_text(st, ":code", code);
    r = db_step(st);
    if (r == DB_ERROR) goto out;
    if (r == DB_DONE) {
        rc = 2;
        goto out;
    }
    id = db_column_int(st, 0);
    db_finalize(st);
    st = NULL;
    r = is_indicator ? store_assign_has_indicator(db, user_id, id)
                     : store_assign_has_project(db, user_id, id);
    if (r != 0) {
        rc = r < 0 ? -1 : 1;
        goto out;
    }
    if (db_prepare(db, &st, "INSERT INTO assignment (user_id, project_id, indicator_id) "
                            "VALUES (:user, :project, :indicator)"))
        goto out;
    db_bind_int(st, ":user", user_id);
    db_bind_int(st, ":project", is_indicator ? DB_NULL_INT : id);
    db_bind_int(st, ":indicator", is_indicator ? id : DB_NULL_INT);
    if (db_step(st) != DB_DONE) goto out;
    if (target_id) *target_id = id;
    rc = 0;
out:
    db_finalize(st);
    return rc;
}

int store_assign_remove(Db *db, int64_t user_id, int is_indicator, int64_t target_id)
{
    DbStmt *st = NULL;
    if (is_indicator ? db_prepare(db, &st, "DELETE FROM assignment WHERE user_id = :user "
                                           "AND indicator_id = :id")
                     : db_prepare(db, &st, "DELETE FROM assignment WHERE user_id = :user "
                                           "AND project_id = :id"))
        return -1;
    db_bind_int(st, ":user", user_id);
    db_bind_int(st, ":id", target_id);
    int64_t n = db_run(st);
    return n < 0 ? -1 : n > 0 ? 0 : 1;
}

/* Steps st (a SELECT 1 ... query) and finalizes it: 1 a row, 0 none, -1. */
static int store_assign_exists(DbStmt *st)
{
    int r = db_step(st);
    db_finalize(st);
    return r == DB_ROW ? 1 : r == DB_DONE ? 0 : -1;
}

int store_assign_has_project(Db *db, int64_t user_id, int64_t project_id)
{
    DbStmt *st = NULL;
    if (db_prepare(db, &st, "SELECT 1 FROM assignment WHERE user_id = :user "
                            "AND project_id = :id"))
        return -1;
    db_bind_int(st, ":user", user_id);
    db_bind_int(st, ":id", project_id);
    return store_assign_exists(st);
}

int store_assign_has_indicator(Db *db, int64_t user_id, int64_t indicator_id)
{
    DbStmt *st = NULL;
    if (db_prepare(db, &st, "SELECT 1 FROM assignment WHERE user_id = :user "
                            "AND indicator_id = :id"))
        return -1;
    db_bind_int(st, ":user", user_id);
    db_bind_int(st, ":id", indicator_id);
    return store_assign_exists(st);
}
