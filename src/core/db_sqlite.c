/*
 * db_sqlite.c — the SQLite backend of db.h.
 *
 * Migrations are forward only: migrations[i] takes a database from version i
 * to i + 1, and each runs in its own transaction with the user_version
 * update, so a crash leaves either the old or the new version.
 */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "builtin.h"
#include "db.h"
#include "mem.h"

/* Statements kept prepared per connection. SQL text only comes from string
 * literals and static tables, so its address names it: parsing and planning
 * a statement costs more than running a keyed one (a page's ten or twenty
 * statements were most of its time). Slots are probed DB_KEPT_PROBE deep;
 * a statement that finds none is prepared and finalized as before. */
#define DB_KEPT 512
#define DB_KEPT_PROBE 8

struct Db {
    sqlite3 *h;   /* the connection */
    char *path;   /* file name as given */
    Buf err;      /* last error message */
    DbStmt *data_version; /* PRAGMA data_version, prepared once (asked every request) */
    DbStmt *kept[DB_KEPT];  /* statements kept prepared, by the address of their SQL */
    int64_t nprepared;      /* statements compiled by SQLite since the connection opened */
    struct {
        const void *key;
        void *data;
        void (*free_fn)(void *);
    } attached[8];        /* db_attach() */
};

struct DbStmt {
    Db *db;           /* owning connection */
    sqlite3_stmt *st; /* prepared statement */
    char *bind_error; /* first binding problem, reported by db_step */
    const char *sql;  /* the text it was prepared from (the key in db->kept) */
    int kept;         /* 1: lives in db->kept; db_finalize() only resets it */
    int busy;         /* 1: handed out by db_prepare_ and not finalized yet */
};

/* Sets db->err from SQLite's message, naming the SQL when given. */
static void db_set_error(Db *db, const char *what, const char *sql)
{
    buf_reset(&db->err);
    buf_printf(&db->err, "%s: %s", what, sqlite3_errmsg(db->h));
    if (sql) buf_printf(&db->err, " [SQL: %.200s]", sql);
}

const char *db_errmsg(Db *db) { return buf_str(&db->err); }
const char *db_path(Db *db) { return db->path; }

int db_exec_(Db *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
        buf_reset(&db->err);
        buf_printf(&db->err, "%s [SQL: %.200s]", msg ? msg : "error", sql);
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

/* Compiles sql into a new DbStmt; 0 or -1 with the error set. */
static int db_compile(Db *db, DbStmt **out, const char *sql)
{
    sqlite3_stmt *st = NULL;
    *out = NULL;
    if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        db_set_error(db, "prepare", sql);
        return -1;
    }
    db->nprepared++;
    DbStmt *s = xcalloc(1, sizeof *s);
    s->db = db;
    s->st = st;
    s->sql = sql;
    *out = s;
    return 0;
}

/* The slot where sql starts its probe. */
static size_t db_kept_home(const char *sql)
{
    uintptr_t h = (uintptr_t)sql;
    h ^= h >> 17;
    h *= (uintptr_t)0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 7) % DB_KEPT;
}

int db_prepare_(Db *db, DbStmt **out, const char *sql)
{
    *out = NULL;
    DbStmt **empty = NULL;
    for (size_t k = 0, i = db_kept_home(sql); k < DB_KEPT_PROBE; k++, i = (i + 1) % DB_KEPT) {
        DbStmt *s = db->kept[i];
        if (!s) {
            if (!empty) empty = &db->kept[i];
            continue;
        }
        /* The same address with other text (a buffer reused) is not a hit. */
        if (s->sql == sql && !s->busy && strcmp(sqlite3_sql(s->st), sql) == 0) {
            s->busy = 1;
            *out = s;
            return 0;
        }
    }
    if (db_compile(db, out, sql)) return -1;
    if (empty) { /* a statement in use (nested) is compiled again, not kept */
        (*out)->kept = 1;
        *empty = *out;
    }
    (*out)->busy = 1;
    return 0;
}

/* Frees a statement for good. */
static void db_destroy(DbStmt *st)
{
    sqlite3_finalize(st->st);
    free(st->bind_error);
    free(st);
}

void db_finalize(DbStmt *st)
{
    if (!st) return;
    if (!st->kept) {
        db_destroy(st);
        return;
    }
    /* Kept: reset ends its read transaction and drops its bindings, as
     * finalizing would; the compiled program stays for the next caller. */
    db_reset(st);
    st->busy = 0;
}

int64_t db_prepared_count(Db *db) { return db->nprepared; }

void db_reset(DbStmt *st)
{
    sqlite3_reset(st->st);
    sqlite3_clear_bindings(st->st);
    free(st->bind_error);
    st->bind_error = NULL;
}

int db_has_param(DbStmt *st, const char *name)
{
    return sqlite3_bind_parameter_index(st->st, name) != 0;
}

/* Returns the index of parameter name, or 0 after recording the problem. */
static int db_param(DbStmt *st, const char *name)
{
    int i = sqlite3_bind_parameter_index(st->st, name);
    if (i == 0 && !st->bind_error) {
        Buf b = BUF_INIT;
        buf_printf(&b, "no parameter %s in [SQL: %.200s]", name, sqlite3_sql(st->st));
        st->bind_error = buf_detach(&b);
    }
    return i;
}

int db_param_index(DbStmt *st, const char *name)
{
    int i = db_param(st, name);
    if (!i) {
        buf_reset(&st->db->err);
        buf_puts(&st->db->err, st->bind_error);
    }
    return i;
}

void db_bind_int_at(DbStmt *st, int i, int64_t v)
{
    if (v == DB_NULL_INT) sqlite3_bind_null(st->st, i);
    else sqlite3_bind_int64(st->st, i, v);
}

void db_bind_double_at(DbStmt *st, int i, double v)
{
    if (isnan(v)) sqlite3_bind_null(st->st, i);
    else sqlite3_bind_double(st->st, i, v);
}

void db_bind_text_at(DbStmt *st, int i, const char *v)
{
    if (!v) sqlite3_bind_null(st->st, i);
    else sqlite3_bind_text(st->st, i, v, -1, SQLITE_TRANSIENT);
}

void db_bind_int(DbStmt *st, const char *name, int64_t v)
{
    int i = db_param(st, name);
    if (i) db_bind_int_at(st, i, v);
}

void db_bind_double(DbStmt *st, const char *name, double v)
{
    int i = db_param(st, name);
    if (i) db_bind_double_at(st, i, v);
}

void db_bind_text(DbStmt *st, const char *name, const char *v)
{
    int i = db_param(st, name);
    if (i) db_bind_text_at(st, i, v);
}

void db_bind_null(DbStmt *st, const char *name)
{
    int i = db_param(st, name);
    if (i) sqlite3_bind_null(st->st, i);
}

int db_step(DbStmt *st)
{
    if (st->bind_error) {
        buf_reset(&st->db->err);
        buf_puts(&st->db->err, st->bind_error);
        return DB_ERROR;
    }
    int rc = sqlite3_step(st->st);
    if (rc == SQLITE_ROW) return DB_ROW;
    if (rc == SQLITE_DONE) return DB_DONE;
    db_set_error(st->db, "step", sqlite3_sql(st->st));
    return DB_ERROR;
}

int db_column_count(DbStmt *st) { return sqlite3_column_count(st->st); }
const char *db_column_name(DbStmt *st, int i) { return sqlite3_column_name(st->st, i); }
int db_column_is_null(DbStmt *st, int i) { return sqlite3_column_type(st->st, i) == SQLITE_NULL; }

int64_t db_column_int(DbStmt *st, int i)
{
    if (sqlite3_column_type(st->st, i) == SQLITE_NULL) return DB_NULL_INT;
    return sqlite3_column_int64(st->st, i);
}

double db_column_double(DbStmt *st, int i)
{
    if (sqlite3_column_type(st->st, i) == SQLITE_NULL) return NAN;
    return sqlite3_column_double(st->st, i);
}

const char *db_column_text(DbStmt *st, int i)
{
    return (const char *)sqlite3_column_text(st->st, i);
}

int db_begin(Db *db) { return db_exec(db, "BEGIN IMMEDIATE"); }
int db_commit(Db *db) { return db_exec(db, "COMMIT"); }

int db_rollback(Db *db)
{
    if (sqlite3_get_autocommit(db->h)) return 0;
    return db_exec(db, "ROLLBACK");
}

int64_t db_last_id(Db *db) { return sqlite3_last_insert_rowid(db->h); }
int64_t db_changes(Db *db) { return sqlite3_total_changes64(db->h); }

int64_t db_run(DbStmt *st)
{
    Db *db = st->db;
    int64_t before = db_changes(db);
    int64_t n = db_step(st) == DB_DONE ? db_changes(db) - before : -1;
    db_finalize(st);
    return n;
}

/* Reads one integer pragma; -1 on error. */
static int64_t db_pragma_int(Db *db, int which)
{
    DbStmt *st = NULL;
    int rc = which == 0 ? db_prepare(db, &st, "PRAGMA user_version")
                        : db_prepare(db, &st, "PRAGMA application_id");
    if (rc) return -1;
    int64_t v = db_step(st) == DB_ROW ? db_column_int(st, 0) : -1;
    db_finalize(st);
    return v;
}

/* Counts the tables in the file: 0 means a new, empty database. */
static int64_t db_table_count(Db *db)
{
    DbStmt *st = NULL;
    if (db_prepare(db, &st, "SELECT count(*) FROM sqlite_schema")) return -1;
    int64_t v = db_step(st) == DB_ROW ? db_column_int(st, 0) : -1;
    db_finalize(st);
    return v;
}

/* Migration i takes the schema from version i to i + 1. Version 1 is the
 * whole schema of src/core/schema.sql. */
static const char *const db_migrations[] = {
    "core/schema.sql",
    "core/migrate_2.sql", /* portfolio index, full-text search (store_portfolio.c) */
    "core/migrate_3.sql", /* users, sessions, API tokens, audit trail */
    "core/migrate_4.sql", /* record versions, ids for roll-out rows and dependencies */
    "core/migrate_5.sql", /* versions of deliverables, footnotes, related documents */
    "core/migrate_6.sql", /* identity providers: e-mail, idp, roles, identities */
};

/* Applies migration number from (0-based) in one transaction. */
static int db_migrate_one(Db *db, int from, Buf *err)
{
    const Builtin *f = builtin_find(db_migrations[from]);
    if (!f) {
        buf_printf(err, "internal error: migration %s is not built in", db_migrations[from]);
        return -1;
    }
    if (db_begin(db)) goto fail;
    if (db_exec_(db, f->data)) goto fail;
    char pragma[96];
    snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d; PRAGMA application_id = %d",
             from + 1, DB_APPLICATION_ID);
    if (db_exec_(db, pragma)) goto fail; /* digits only: no value from outside */
    if (db_commit(db)) goto fail;
    return 0;
fail:
    buf_printf(err, "%s: could not upgrade the database to schema version %d: %s",
               db->path, from + 1, db_errmsg(db));
    db_rollback(db);
    return -1;
}

int db_open(const char *path, int flags, Db **out, Buf *err)
{
    *out = NULL;
    struct stat sb;
    int exists = stat(path, &sb) == 0;
    if (!exists && !(flags & DB_OPEN_CREATE)) {
        buf_printf(err, "%s: no such database; create one with 'itstrat init --db %s' "
                        "or 'itstrat import FILE --db %s'", path, path, path);
        return -1;
    }
    Db *db = xcalloc(1, sizeof *db);
    db->path = xstrdup(path);
    int oflags = (flags & DB_OPEN_READONLY) ? SQLITE_OPEN_READONLY
                                            : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path, &db->h, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        buf_printf(err, "%s: cannot open: %s", path, db->h ? sqlite3_errmsg(db->h) : "out of memory");
        goto fail;
    }
    sqlite3_extended_result_codes(db->h, 1);
    sqlite3_busy_timeout(db->h, 5000);

    int64_t tables = db_table_count(db);
    if (tables < 0) {
        buf_printf(err, "%s: not a database itstrat can read (%s)", path, sqlite3_errmsg(db->h));
        goto fail;
    }
    int64_t app = db_pragma_int(db, 1), version = db_pragma_int(db, 0);
    /* A file with tables, or marked by another program, is not ours to take. */
    if ((tables > 0 || app != 0) && app != DB_APPLICATION_ID) {
        buf_printf(err, "%s: this SQLite file is not an itstrat database; "
                        "give another file with --db", path);
        goto fail;
    }
    if (version > DB_SCHEMA_VERSION) {
        buf_printf(err, "%s: written by a newer itstrat (schema version %lld; this itstrat "
                        "knows up to %d); use a newer itstrat, nothing was changed",
                   path, (long long)version, DB_SCHEMA_VERSION);
        goto fail;
    }
    /* Pages of 8 KiB halve the writes of large imports; the page size can only
     * be chosen before the first table exists and before WAL is on. */
    if (tables == 0 && !(flags & DB_OPEN_READONLY) && db_exec(db, "PRAGMA page_size = 16384")) {
        buf_printf(err, "%s: %s", path, db_errmsg(db));
        goto fail;
    }
    if (!(flags & DB_OPEN_READONLY)) {
        if (db_exec(db, "PRAGMA journal_mode = WAL") ||
            db_exec(db, "PRAGMA synchronous = NORMAL")) {
            buf_printf(err, "%s: %s", path, db_errmsg(db));
            goto fail;
        }
    }
    /* Reads go through a memory map: on virtual machines every pread is a
     * costly system call. */
    if (db_exec(db, "PRAGMA foreign_keys = ON") || db_exec(db, "PRAGMA cache_size = -32768") ||
        db_exec(db, "PRAGMA mmap_size = 1073741824")) {
        buf_printf(err, "%s: %s", path, db_errmsg(db));
        goto fail;
    }
    if (version < DB_SCHEMA_VERSION && (flags & DB_OPEN_READONLY)) {
        buf_printf(err, "%s: needs an upgrade to schema version %d; open it once for writing",
                   path, DB_SCHEMA_VERSION);
        goto fail;
    }
    for (int v = (int)version; v < DB_SCHEMA_VERSION; v++)
        if (db_migrate_one(db, v, err)) goto fail;
    *out = db;
    return 0;
fail:
    db_close(db);
    return -1;
}

void db_close(Db *db)
{
    if (!db) return;
    for (int k = 0; k < 8; k++)
        if (db->attached[k].key) db->attached[k].free_fn(db->attached[k].data);
    db_finalize(db->data_version);
    for (int k = 0; k < DB_KEPT; k++)
        if (db->kept[k]) db_destroy(db->kept[k]);
    sqlite3_close_v2(db->h);
    free(db->path);
    buf_free(&db->err);
    free(db);
}

int64_t db_data_version(Db *db)
{
    if (!db->data_version && db_compile(db, &db->data_version, "PRAGMA data_version")) return -1;
    int64_t v = db_step(db->data_version) == DB_ROW ? db_column_int(db->data_version, 0) : -1;
    db_reset(db->data_version);
    return v;
}

void *db_attached(Db *db, const void *key)
{
    for (int k = 0; k < 8; k++)
        if (db->attached[k].key == key) return db->attached[k].data;
    return NULL;
}

void db_attach(Db *db, const void *key, void *data, void (*free_fn)(void *data))
{
    for (int k = 0; k < 8; k++)
        if (!db->attached[k].key) {
            db->attached[k].key = key;
            db->attached[k].data = data;
            db->attached[k].free_fn = free_fn;
            return;
        }
    abort(); /* more modules than slots: raise the 8 */
}
