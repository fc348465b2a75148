/*
 * db.h — the one database interface of itstrat.
 *
 * SQL text only ever comes from string literals: db_prepare() and db_exec()
 * are macros that glue "" to their SQL argument, so a variable does not
 * compile. Every value is bound by name (":code"); binding a name the SQL
 * does not have is an error reported by the next db_step(), so a misspelled
 * parameter cannot pass silently. Identifiers that vary (sort columns) come
 * from whitelists in the store, never from input.
 *
 * Errors: functions return 0 on success and -1 on failure; db_errmsg() then
 * says what failed, with the SQL, for the log. Pages and CLI messages should
 * say what to do, not show SQL.
 *
 * The SQLite backend lives in db_sqlite.c; backend differences stay there.
 */
#ifndef ITSTRAT_DB_H
#define ITSTRAT_DB_H
#include <stdint.h>

#include "buf.h"

#define DB_SCHEMA_VERSION 6          /* the schema this build writes */
#define DB_APPLICATION_ID 0x49545354 /* 'ITST' in the SQLite header */
#define DB_NULL_INT INT64_MIN        /* an integer that is not known (binds NULL) */

typedef struct Db Db;
typedef struct DbStmt DbStmt;

enum { DB_OPEN_EXISTING = 0, DB_OPEN_CREATE = 1, DB_OPEN_READONLY = 2 };
enum { DB_ERROR = -1, DB_DONE = 0, DB_ROW = 1 };

/* Opens (and with DB_OPEN_CREATE creates) the database at path, applies the
 * pragmas (WAL, foreign keys, busy timeout) and brings the schema up to
 * DB_SCHEMA_VERSION. Refuses a file that is not an itstrat database or was
 * written by a newer itstrat. On failure returns -1, *out is NULL and err
 * holds a message for a person. Caller closes with db_close(). */
int db_open(const char *path, int flags, Db **out, Buf *err);
void db_close(Db *db);
const char *db_errmsg(Db *db); /* the last error, with SQL where there was one */
const char *db_path(Db *db);

int db_exec_(Db *db, const char *sql); /* runs statements with no values */
#define db_exec(db, SQL) db_exec_((db), "" SQL)

/* Prepares sql; caller finalizes. The connection keeps statements prepared
 * between uses, found by the address of their text (sql must not change
 * while the connection is open: a literal or a static table): db_finalize()
 * then resets the statement for the next db_prepare_ of the same text
 * instead of freeing it. Using a statement of the same text twice at once
 * is fine (the second is prepared apart). */
int db_prepare_(Db *db, DbStmt **out, const char *sql);
#define db_prepare(db, out, SQL) db_prepare_((db), (out), "" SQL)
void db_finalize(DbStmt *st); /* NULL is fine */
/* Statements SQLite compiled on db since it opened (tests and benches). */
int64_t db_prepared_count(Db *db);
void db_reset(DbStmt *st);    /* ready to step again, bindings cleared */

/* Binding by name; a NULL text or DB_NULL_INT binds NULL. */
void db_bind_int(DbStmt *st, const char *name, int64_t v);
void db_bind_double(DbStmt *st, const char *name, double v); /* NAN binds NULL */
void db_bind_text(DbStmt *st, const char *name, const char *v);
void db_bind_null(DbStmt *st, const char *name);

/* For hot loops: the index of parameter name, looked up once (0 with
 * db_errmsg set when the SQL has no such parameter), then bound by index. */
int db_param_index(DbStmt *st, const char *name);
/* 1 when the statement has parameter name (binding it would not be an
 * error): for statements from a table where some use a value, some not. */
int db_has_param(DbStmt *st, const char *name);
void db_bind_int_at(DbStmt *st, int i, int64_t v);
void db_bind_double_at(DbStmt *st, int i, double v);
void db_bind_text_at(DbStmt *st, int i, const char *v);

int db_step(DbStmt *st); /* DB_ROW, DB_DONE or DB_ERROR */
int db_column_count(DbStmt *st);
const char *db_column_name(DbStmt *st, int i);
int db_column_is_null(DbStmt *st, int i);
int64_t db_column_int(DbStmt *st, int i);        /* NULL reads as DB_NULL_INT */
double db_column_double(DbStmt *st, int i);      /* NULL reads as NAN */
const char *db_column_text(DbStmt *st, int i);   /* NULL stays NULL; valid until next step */

int db_begin(Db *db);    /* BEGIN IMMEDIATE: the write lock now, not later */
int db_commit(Db *db);
int db_rollback(Db *db); /* harmless when no transaction is open */
int64_t db_last_id(Db *db);
int64_t db_changes(Db *db); /* rows changed since the connection opened */
/* Steps st, a statement that returns no rows, and finalizes it: the rows it
 * changed (0 or more), or -1 on error. */
int64_t db_run(DbStmt *st);
/* Data a module keeps per connection (prepared statements it reuses), found
 * by key (the address of a static of that module). db_close() frees it with
 * free_fn before closing the connection, so it can never outlive or be
 * mistaken for another connection's. db_attached returns NULL when none. */
void *db_attached(Db *db, const void *key);
void db_attach(Db *db, const void *key, void *data, void (*free_fn)(void *data));

/* SQLite's data_version: changes when another connection commits; -1 on error. */
int64_t db_data_version(Db *db);

#endif
