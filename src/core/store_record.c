/* store_record.c — one record of any kind, by its definition (store_record.h). */
#include "store_record.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

/* The JSON value of column i for field f (NULL column: json null). */
static json_t *column_json(DbStmt *st, int i, const RecordField *f)
{
    if (db_column_is_null(st, i)) return json_null();
    switch (f->type) {
    case RF_INT: case RF_YEAR: return json_integer(db_column_int(st, i));
    case RF_BOOL: return json_boolean(db_column_int(st, i) != 0);
    case RF_REAL: return json_real(db_column_double(st, i));
    case RF_MONEY: {
        int64_t c = db_column_int(st, i);
        return c % 100 == 0 ? json_integer(c / 100) : json_real((double)c / 100.0);
    }
    default: return json_string(db_column_text(st, i));
    }
}

static int64_t int_or_zero(DbStmt *st, int i)
{
    return db_column_is_null(st, i) ? 0 : db_column_int(st, i);
}

int store_record_get(Db *db, const RecordDef *d, int64_t id, RecordRow *out)
{
    memset(out, 0, sizeof *out);
    DbStmt *st = NULL;
    if (db_prepare_(db, &st, d->sql_get)) return -1;
    db_bind_int(st, ":id", id);
    int r = db_step(st);
    if (r == DB_ROW) {
        out->fields = json_object();
        int n = db_column_count(st);
        for (int i = 0; i < n; i++) {
            const char *name = db_column_name(st, i);
            if (strcmp(name, "id") == 0) out->id = db_column_int(st, i);
            else if (strcmp(name, "version") == 0) out->version = db_column_int(st, i);
            else if (strcmp(name, "strategy_id") == 0) out->strategy_id = db_column_int(st, i);
            else if (strcmp(name, "parent_id") == 0) out->parent_id = int_or_zero(st, i);
            else if (strcmp(name, "scope_project") == 0) out->scope_project = int_or_zero(st, i);
            else if (strcmp(name, "scope_indicator") == 0) out->scope_indicator = int_or_zero(st, i);
            else if (strcmp(name, "key") == 0) out->key = xstrdup(db_column_text(st, i));
            else if (strcmp(name, "label") == 0) out->title = xstrdup(db_column_text(st, i));
            else {
                const RecordField *f = record_field(d, name);
                if (f) json_object_set_new(out->fields, name, column_json(st, i, f));
            }
        }
        if (!out->key) out->key = xstrdup("?");
        if (!out->title) out->title = xstrdup(out->key);
    }
    db_finalize(st);
    return r == DB_ROW ? 1 : r == DB_DONE ? 0 : -1;
}

void store_record_free(RecordRow *r)
{
    free(r->key);
    free(r->title);
    json_decref(r->fields);
    memset(r, 0, sizeof *r);
}

int store_record_list(Db *db, const RecordDef *d, int64_t sid, int64_t parent,
                      int (*row)(void *ctx, int64_t id, const char *title, int64_t version),
                      void *ctx)
{
    DbStmt *st = NULL;
    if (db_prepare_(db, &st, d->sql_list)) return -1;
    if (db_has_param(st, ":sid")) db_bind_int(st, ":sid", sid);
    if (db_has_param(st, ":parent")) db_bind_int(st, ":parent", parent > 0 ? parent : DB_NULL_INT);
    int r, stop = 0;
    while (!stop && (r = db_step(st)) == DB_ROW)
        stop = row(ctx, db_column_int(st, 0), db_column_text(st, 1), db_column_int(st, 2));
    db_finalize(st);
    if (stop) return stop;
    return r == DB_DONE ? 0 : -1;
}

int64_t store_record_options(Db *db, const RecordDef *d, int64_t sid, int64_t max,
                             void (*opt)(void *ctx, const char *code, const char *label),
                             void *ctx)
{
    DbStmt *st = NULL;
    if (db_prepare_(db, &st, d->sql_list)) return -1;
    if (db_column_count(st) < 4 || strcmp(db_column_name(st, 3), "code") != 0) {
        db_finalize(st);
        return 0;
    }
    if (db_has_param(st, ":sid")) db_bind_int(st, ":sid", sid);
    if (db_has_param(st, ":parent")) db_bind_int(st, ":parent", DB_NULL_INT);
    int64_t n = 0;
    int r;
    while ((r = db_step(st)) == DB_ROW) {
        if (n++ < max) opt(ctx, db_column_text(st, 3), db_column_text(st, 1));
    }
    db_finalize(st);
    return r == DB_DONE ? n : -1;
}

int store_record_dependents(Db *db, const RecordDef *d, int64_t id,
                            int (*dep)(void *ctx, const char *what, const char *label),
                            void *ctx)
{
    if (!d->sql_dependents) return 0;
    DbStmt *st = NULL;
    if (db_prepare_(db, &st, d->sql_dependents)) return -1;
    db_bind_int(st, ":id", id);
    int r, stop = 0;
    while (!stop && (r = db_step(st)) == DB_ROW)
        stop = dep(ctx, db_column_text(st, 0), db_column_text(st, 1));
    db_finalize(st);
    if (stop) return stop;
    return r == DB_DONE ? 0 : -1;
}

int64_t store_record_find(Db *db, const RecordDef *d, int64_t sid, const char *code)
{
    if (!d->sql_find) return 0;
    DbStmt *st = NULL;
    if (db_prepare_(db, &st, d->sql_find)) return -1;
    db_bind_int(st, ":sid", sid);
    db_bind_text(st, ":code", code);
    int r = db_step(st);
    int64_t id = r == DB_ROW ? db_column_int(st, 0) : r == DB_DONE ? 0 : -1;
    db_finalize(st);
    return id;
}

/* Binds every field's value to its :name. */
static void bind_values(DbStmt *st, const RecordDef *d, const RecordValue *vals)
{
    char name[80];
    for (size_t k = 0; d->fields[k].name; k++) {
        const RecordField *f = &d->fields[k];
        if (f->type == RF_LIST) continue; /* a table of its own: write_lists() */
        snprintf(name, sizeof name, ":%s", f->name);
        const RecordValue *v = &vals[k];
        if (v->null) db_bind_null(st, name);
        else if (f->type == RF_REAL) db_bind_double(st, name, v->d);
        else if (f->type == RF_INT || f->type == RF_YEAR || f->type == RF_MONEY ||
                 f->type == RF_BOOL || f->type == RF_REF)
            db_bind_int(st, name, v->i);
        else db_bind_text(st, name, v->s);
    }
}

/* Replaces the items of every RF_LIST field of record id with vals' lists
 * (space-separated, already checked). 0 or -1. */
static int write_lists(Db *db, const RecordDef *d, int64_t sid, int64_t id,
                       const RecordValue *vals)
{
    for (size_t k = 0; d->fields[k].name; k++) {
        const RecordField *f = &d->fields[k];
        if (f->type != RF_LIST) continue;
        DbStmt *st = NULL;
        if (db_prepare_(db, &st, f->values[0])) return -1;
        db_bind_int(st, ":id", id);
        int r = db_step(st);
        db_finalize(st);
        if (r != DB_DONE) return -1;
        if (vals[k].null || !vals[k].s) continue;
        if (db_prepare_(db, &st, f->values[1])) return -1;
        int64_t sort = 0;
        const char *p = vals[k].s;
        const char *sep = f->lo == 1 ? "," : " "; /* texts (tags) or codes and years */
        while (*p) {
            size_t n = strcspn(p, sep);
            char item[512];
            snprintf(item, sizeof item, "%.*s", (int)(n < sizeof item ? n : sizeof item - 1), p);
            db_reset(st);
            db_bind_int(st, ":id", id);
            if (db_has_param(st, ":sid")) db_bind_int(st, ":sid", sid);
            if (db_has_param(st, ":sort")) db_bind_int(st, ":sort", ++sort);
            db_bind_text(st, ":item", item);
            if (db_step(st) != DB_DONE) {
                db_finalize(st);
                return -1;
            }
            p += n;
            while (*p == ' ' || *p == ',') p++;
        }
        db_finalize(st);
    }
    return 0;
}

int store_record_insert(Db *db, const RecordDef *d, int64_t sid, int64_t parent,
                        const RecordValue *vals, int64_t *id)
{
    DbStmt *st = NULL;
    if (db_prepare_(db, &st, d->sql_insert)) return -1;
    if (db_has_param(st, ":sid")) db_bind_int(st, ":sid", sid);
    if (db_has_param(st, ":parent")) db_bind_int(st, ":parent", parent > 0 ? parent : DB_NULL_INT);
    bind_values(st, d, vals);
    int rc = db_step(st) == DB_DONE ? 0 : -1;
    if (rc == 0) *id = db_last_id(db);
    db_finalize(st);
    if (rc == 0) rc = write_lists(db, d, sid, *id, vals);
    return rc;
}

/* Runs a statement bound by :id and :version; 0 when it changed a row, 1
 * when none matched, -1 on error. */
static int run_versioned(Db *db, DbStmt *st, int64_t id, int64_t version)
{
    db_bind_int(st, ":id", id);
    db_bind_int(st, ":version", version);
    int64_t before = db_changes(db);
    int r = db_step(st);
    int64_t changed = db_changes(db) - before;
    db_finalize(st);
    if (r != DB_DONE) return -1;
    return changed > 0 ? 0 : 1;
}

int store_record_update(Db *db, const RecordDef *d, int64_t sid, int64_t id, int64_t version,
                        const RecordValue *vals)
{
    DbStmt *st = NULL;
    if (db_prepare_(db, &st, d->sql_update)) return -1;
    bind_values(st, d, vals);
    int rc = run_versioned(db, st, id, version);
    if (rc == 0 && write_lists(db, d, sid, id, vals)) rc = -1;
    return rc;
}

int store_record_delete(Db *db, const RecordDef *d, int64_t id, int64_t version)
{
    DbStmt *st = NULL;
    if (db_prepare_(db, &st, d->sql_delete)) return -1;
    return run_versioned(db, st, id, version);
}

int store_record_assigned(Db *db, int64_t user_id, int64_t project_id, int64_t indicator_id)
{
    DbStmt *st = NULL;
    if (db_prepare(db, &st,
                   "SELECT 1 FROM assignment WHERE user_id = :uid AND "
                   "(project_id = :project OR indicator_id = :indicator)"))
        return -1;
    db_bind_int(st, ":uid", user_id);
    db_bind_int(st, ":project", project_id ? project_id : DB_NULL_INT);
    db_bind_int(st, ":indicator", indicator_id ? indicator_id : DB_NULL_INT);
    int r = db_step(st);
    db_finalize(st);
    return r == DB_ROW ? 1 : r == DB_DONE ? 0 : -1;
}
