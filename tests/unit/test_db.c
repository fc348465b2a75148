/*
 * test_db.c — the database layer: creating a database with the schema
 * version and application id, refusing files it must not touch (newer
 * schema, another application's SQLite file, not SQLite at all) without
 * changing them, and named binding where a misspelled name is an error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db.h"

#define assert_contains(hay, needle)                                                         \
    do {                                                                                     \
        if (!strstr((hay), (needle))) fail_msg("\"%s\" not in \"%s\"", (needle), (hay));     \
    } while (0)

static char tmpdir[64];

static int make_tmpdir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/itstrat-test-db-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* A path inside the test's directory (static storage, one at a time). */
static const char *tmp_path(const char *name)
{
    static char p[128];
    snprintf(p, sizeof p, "%s/%s", tmpdir, name);
    return p;
}

/* The whole content of a file (caller frees); *n its size. */
static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)len + 1);
    assert_int_equal(fread(p, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    *n = (size_t)len;
    return p;
}

/* Runs SQL on path with plain SQLite, outside itstrat. */
static void raw_sql(const char *path, const char *sql)
{
    sqlite3 *h;
    assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
    char *msg = NULL;
    if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK) fail_msg("%s: %s", sql, msg);
    assert_int_equal(sqlite3_close(h), SQLITE_OK);
}

/* One integer from a query with no parameters. */
static int64_t query_int(Db *db, const char *sql)
{
    DbStmt *st;
    assert_int_equal(db_prepare_(db, &st, sql), 0);
    assert_int_equal(db_step(st), DB_ROW);
    int64_t v = db_column_int(st, 0);
    db_finalize(st);
    return v;
}

static void test_create_sets_version_and_application_id(void **state)
{
    (void)state;
    const char *path = tmp_path("new.db");
    Db *db = NULL;
    Buf err = BUF_INIT;
    assert_int_equal(db_open(path, DB_OPEN_CREATE, &db, &err), 0);
    assert_non_null(db);
    assert_string_equal(buf_str(&err), "");
    assert_string_equal(db_path(db), path);
    assert_int_equal(query_int(db, "PRAGMA user_version"), DB_SCHEMA_VERSION);
    assert_int_equal(query_int(db, "PRAGMA application_id"), DB_APPLICATION_ID);
    assert_int_equal(query_int(db, "PRAGMA foreign_keys"), 1);
    assert_true(query_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'strategy'") == 1);
    DbStmt *st;
    assert_int_equal(db_prepare(db, &st, "PRAGMA journal_mode"), 0);
    assert_int_equal(db_step(st), DB_ROW);
    assert_string_equal(db_column_text(st, 0), "wal");
    db_finalize(st);
    db_close(db);
    /* Opening it again changes nothing and needs no creation. */
    assert_int_equal(db_open(path, DB_OPEN_EXISTING, &db, &err), 0);
    assert_int_equal(query_int(db, "PRAGMA user_version"), DB_SCHEMA_VERSION);
    db_close(db);
    assert_int_equal(db_open(path, DB_OPEN_READONLY, &db, &err), 0);
    assert_int_equal(db_exec(db, "CREATE TABLE nope(a)"), -1); /* read-only */
    assert_contains(db_errmsg(db), "readonly");
    db_close(db);
    buf_free(&err);
}

static void test_missing_file_is_not_created(void **state)
{
    (void)state;
    const char *path = tmp_path("absent.db");
    Db *db = (Db *)1;
    Buf err = BUF_INIT;
    assert_int_equal(db_open(path, DB_OPEN_EXISTING, &db, &err), -1);
    assert_null(db);
    assert_contains(buf_str(&err), "absent.db: no such database");
    assert_contains(buf_str(&err), "itstrat init");
    struct stat sb;
    assert_int_equal(stat(path, &sb), -1);
    buf_free(&err);
}

/* Opens path expecting a refusal that leaves the file as it was; returns
 * the message (caller frees). */
static char *refused(const char *path, int flags)
{
    size_t n0, n1;
    char *before = slurp(path, &n0);
    Db *db = NULL;
    Buf err = BUF_INIT;
    assert_int_equal(db_open(path, flags, &db, &err), -1);
    assert_null(db);
    char *after = slurp(path, &n1);
    assert_int_equal(n0, n1);
    assert_memory_equal(before, after, n0);
    free(before);
    free(after);
    char wal[160];
    snprintf(wal, sizeof wal, "%s-wal", path);
    struct stat sb;
    assert_true(stat(wal, &sb) == -1 || sb.st_size == 0);
    return buf_detach(&err);
}

static void test_newer_schema_is_refused(void **state)
{
    (void)state;
    const char *path = tmp_path("newer.db");
    Db *db;
    Buf err = BUF_INIT;
    assert_int_equal(db_open(path, DB_OPEN_CREATE, &db, &err), 0);
    db_close(db);
    raw_sql(path, "PRAGMA user_version = 42");
    char *msg = refused(path, DB_OPEN_CREATE);
    assert_contains(msg, "newer.db: written by a newer itstrat (schema version 42");
    assert_contains(msg, "use a newer itstrat, nothing was changed");
    free(msg);
    msg = refused(path, DB_OPEN_READONLY);
    assert_contains(msg, "schema version 42");
    free(msg);
    buf_free(&err);
}

static void test_other_sqlite_file_is_refused(void **state)
{
    (void)state;
    const char *path = tmp_path("other.db");
    raw_sql(path, "CREATE TABLE notes(id INTEGER PRIMARY KEY, text); INSERT INTO notes(text) "
                  "VALUES('keep')");
    char *msg = refused(path, DB_OPEN_CREATE);
    assert_contains(msg, "other.db: this SQLite file is not an itstrat database");
    free(msg);
    /* The same with the application id of another program. */
    raw_sql(path, "PRAGMA application_id = 1234");
    msg = refused(path, DB_OPEN_EXISTING);
    assert_contains(msg, "not an itstrat database");
    free(msg);
}

static void test_empty_file_of_another_application_is_refused(void **state)
{
    (void)state;
    /* No tables yet, but the header says the file belongs to another program:
     * itstrat must not claim it. */
    const char *path = tmp_path("foreign-empty.db");
    raw_sql(path, "PRAGMA application_id = 1234; PRAGMA user_version = 0");
    char *msg = refused(path, DB_OPEN_CREATE);
    assert_contains(msg, "not an itstrat database");
    free(msg);
}

static void test_non_sqlite_file_is_refused(void **state)
{
    (void)state;
    const char *path = tmp_path("text.db");
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    for (int i = 0; i < 200; i++) fputs("this is a plain text file, not a database\n", f);
    fclose(f);
    char *msg = refused(path, DB_OPEN_CREATE);
    assert_contains(msg, "text.db: not a database itstrat can read");
    free(msg);
}

static void test_empty_file_becomes_a_database(void **state)
{
    (void)state;
    const char *path = tmp_path("empty.db");
    FILE *f = fopen(path, "wb");
    fclose(f);
    Db *db;
    Buf err = BUF_INIT;
    assert_int_equal(db_open(path, DB_OPEN_EXISTING, &db, &err), 0);
    assert_int_equal(query_int(db, "PRAGMA application_id"), DB_APPLICATION_ID);
    db_close(db);
    buf_free(&err);
}

static void test_misspelled_bind_name_is_an_error(void **state)
{
    (void)state;
    Db *db;
    Buf err = BUF_INIT;
    assert_int_equal(db_open(":memory:", DB_OPEN_CREATE, &db, &err), 0);
    DbStmt *st;
    assert_int_equal(db_prepare(db, &st, "SELECT :code, :year"), 0);
    db_bind_text(st, ":code", "A");
    db_bind_int(st, ":yaer", 2020);
    assert_int_equal(db_step(st), DB_ERROR);
    assert_contains(db_errmsg(db), "no parameter :yaer");
    assert_contains(db_errmsg(db), "SELECT :code, :year");
    /* After a reset the statement works with the right names. */
    db_reset(st);
    db_bind_text(st, ":code", "A");
    db_bind_int(st, ":year", 2020);
    assert_int_equal(db_step(st), DB_ROW);
    assert_string_equal(db_column_text(st, 0), "A");
    assert_int_equal(db_column_int(st, 1), 2020);
    db_finalize(st);
    /* The same check for indexes looked up once. */
    assert_int_equal(db_prepare(db, &st, "SELECT :a"), 0);
    assert_int_equal(db_param_index(st, ":b"), 0);
    assert_contains(db_errmsg(db), "no parameter :b");
    assert_int_equal(db_param_index(st, ":a"), 1);
    db_finalize(st);
    db_close(db);
    buf_free(&err);
}

static void test_nulls_round_trip(void **state)
{
    (void)state;
    Db *db;
    Buf err = BUF_INIT;
    assert_int_equal(db_open(":memory:", DB_OPEN_CREATE, &db, &err), 0);
    DbStmt *st;
    assert_int_equal(db_prepare(db, &st, "SELECT :i, :d, :t, :n, :x"), 0);
    db_bind_int(st, ":i", DB_NULL_INT);
    db_bind_double(st, ":d", (double)NAN);
    db_bind_text(st, ":t", NULL);
    db_bind_null(st, ":n");
    db_bind_double(st, ":x", 0.5);
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_column_count(st), 5);
    assert_string_equal(db_column_name(st, 0), ":i");
    for (int i = 0; i < 4; i++) assert_true(db_column_is_null(st, i));
    assert_true(db_column_int(st, 0) == DB_NULL_INT);
    assert_true(isnan(db_column_double(st, 1)));
    assert_null(db_column_text(st, 2));
    assert_false(db_column_is_null(st, 4));
    assert_true(db_column_double(st, 4) == 0.5);
    assert_int_equal(db_step(st), DB_DONE);
    db_finalize(st);
    db_finalize(NULL);
    db_close(db);
    buf_free(&err);
}

/* db_run counts the rows its statement changed, not the connection's
 * earlier changes, and says -1 when the statement fails. */
static void test_run_counts_the_rows_changed(void **state)
{
    (void)state;
    Db *db;
    Buf err = BUF_INIT;
    assert_int_equal(db_open(":memory:", DB_OPEN_CREATE, &db, &err), 0);
    DbStmt *st;
    assert_int_equal(db_prepare(db, &st, "CREATE TABLE t (k INTEGER UNIQUE, v TEXT)"), 0);
    assert_int_equal(db_run(st), 0);
    assert_int_equal(db_prepare(db, &st, "INSERT INTO t VALUES (1, 'a'), (2, 'a'), (3, 'b')"), 0);
    assert_int_equal(db_run(st), 3);
    assert_int_equal(db_prepare(db, &st, "UPDATE t SET v = 'c' WHERE v = :v"), 0);
    db_bind_text(st, ":v", "a");
    assert_int_equal(db_run(st), 2);
    assert_int_equal(db_prepare(db, &st, "UPDATE t SET v = 'c' WHERE v = :v"), 0);
    db_bind_text(st, ":v", "none");
    assert_int_equal(db_run(st), 0);
    assert_int_equal(db_prepare(db, &st, "INSERT INTO t VALUES (1, 'again')"), 0);
    assert_int_equal(db_run(st), -1);
    assert_non_null(strstr(db_errmsg(db), "UNIQUE"));
    db_close(db);
    buf_free(&err);
}

/* Steps "SELECT :v + 1" (one literal, so one address) with v; its result. */
static int64_t plus_one(Db *db, int64_t v, DbStmt **used)
{
    DbStmt *st;
    assert_int_equal(db_prepare(db, &st, "SELECT :v + 1"), 0);
    if (used) *used = st;
    db_bind_int(st, ":v", v);
    assert_int_equal(db_step(st), DB_ROW);
    int64_t r = db_column_int(st, 0);
    db_finalize(st);
    return r;
}

static void test_statements_are_kept_prepared(void **state)
{
    (void)state;
    Db *db;
    Buf err = BUF_INIT;
    assert_int_equal(db_open(":memory:", DB_OPEN_CREATE, &db, &err), 0);
    int64_t before = db_prepared_count(db);
    DbStmt *a, *b;
    assert_int_equal(plus_one(db, 1, &a), 2);
    assert_int_equal(db_prepared_count(db), before + 1);
    /* The second use of the same text compiles nothing and gets the same
     * statement, reset: fresh bindings, from its first row. */
    for (int k = 0; k < 100; k++) assert_int_equal(plus_one(db, k, &b), k + 1);
    assert_ptr_equal(a, b);
    assert_int_equal(db_prepared_count(db), before + 1);
    /* A binding left out after reuse is NULL, not the last value. */
    DbStmt *st;
    assert_int_equal(db_prepare(db, &st, "SELECT :v + 1"), 0);
    assert_int_equal(db_step(st), DB_ROW);
    assert_true(db_column_is_null(st, 0));
    /* Used twice at once (nested): the second is compiled apart and the
     * first keeps its bindings and position. */
    db_bind_int(st, ":v", 41);
    db_reset(st);
    db_bind_int(st, ":v", 41);
    assert_int_equal(plus_one(db, 7, &b), 8);
    assert_ptr_not_equal(st, b);
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_column_int(st, 0), 42);
    db_finalize(st);
    /* Kept statements see later changes, and a finalized one holds no read
     * transaction: another connection may commit and checkpoint. */
    assert_int_equal(db_exec(db, "CREATE TABLE t(a)"), 0);
    assert_int_equal(db_exec(db, "INSERT INTO t VALUES(1)"), 0);
    for (int k = 0; k < 3; k++) {
        assert_int_equal(db_prepare(db, &st, "SELECT count(*) FROM t"), 0);
        assert_int_equal(db_step(st), DB_ROW);
        assert_int_equal(db_column_int(st, 0), k + 1);
        db_finalize(st);
        assert_int_equal(db_exec(db, "INSERT INTO t VALUES(2)"), 0);
    }
    db_close(db);
    buf_free(&err);
}

static void test_kept_statement_does_not_hold_a_read_lock(void **state)
{
    (void)state;
    const char *path = tmp_path("kept.db");
    Db *a, *b;
    Buf err = BUF_INIT;
    assert_int_equal(db_open(path, DB_OPEN_CREATE, &a, &err), 0);
    assert_int_equal(db_open(path, DB_OPEN_EXISTING, &b, &err), 0);
    assert_int_equal(db_exec(a, "CREATE TABLE t(a)"), 0);
    DbStmt *st;
    assert_int_equal(db_prepare(b, &st, "SELECT count(*) FROM t"), 0);
    assert_int_equal(db_step(st), DB_ROW);
    db_finalize(st); /* kept, reset: no snapshot held */
    assert_int_equal(db_exec(a, "INSERT INTO t VALUES(1)"), 0);
    /* A full checkpoint waits for no reader and b sees the new row. */
    assert_int_equal(db_exec(a, "PRAGMA wal_checkpoint(TRUNCATE)"), 0);
    assert_int_equal(query_int(a, "SELECT count(*) FROM t"), 1);
    assert_int_equal(db_prepare(b, &st, "SELECT count(*) FROM t"), 0);
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_column_int(st, 0), 1);
    db_finalize(st);
    db_close(b);
    db_close(a);
    buf_free(&err);
}

static void test_errors_name_the_sql_and_transactions(void **state)
{
    (void)state;
    Db *db;
    Buf err = BUF_INIT;
    assert_int_equal(db_open(":memory:", DB_OPEN_CREATE, &db, &err), 0);
    DbStmt *st = (DbStmt *)1;
    assert_int_equal(db_prepare(db, &st, "SELECT nosuchcolumn FROM strategy"), -1);
    assert_null(st);
    assert_contains(db_errmsg(db), "no such column: nosuchcolumn");
    assert_contains(db_errmsg(db), "[SQL: SELECT nosuchcolumn FROM strategy]");
    assert_int_equal(db_exec(db, "NOT SQL"), -1);
    assert_contains(db_errmsg(db), "[SQL: NOT SQL]");
    assert_int_equal(db_rollback(db), 0); /* no transaction: harmless */
    assert_int_equal(db_exec(db, "CREATE TABLE t(a)"), 0);
    int64_t changes = db_changes(db);
    assert_int_equal(db_begin(db), 0);
    assert_int_equal(db_exec(db, "INSERT INTO t VALUES(1)"), 0);
    assert_int_equal(db_last_id(db), 1);
    assert_int_equal(db_changes(db), changes + 1);
    assert_int_equal(db_rollback(db), 0);
    assert_int_equal(query_int(db, "SELECT count(*) FROM t"), 0);
    assert_int_equal(db_begin(db), 0);
    assert_int_equal(db_exec(db, "INSERT INTO t VALUES(2)"), 0);
    assert_int_equal(db_commit(db), 0);
    assert_int_equal(query_int(db, "SELECT count(*) FROM t"), 1);
    db_close(db);
    db_close(NULL);
    buf_free(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_sets_version_and_application_id),
        cmocka_unit_test(test_missing_file_is_not_created),
        cmocka_unit_test(test_newer_schema_is_refused),
        cmocka_unit_test(test_other_sqlite_file_is_refused),
        cmocka_unit_test(test_empty_file_of_another_application_is_refused),
        cmocka_unit_test(test_non_sqlite_file_is_refused),
        cmocka_unit_test(test_empty_file_becomes_a_database),
        cmocka_unit_test(test_misspelled_bind_name_is_an_error),
        cmocka_unit_test(test_nulls_round_trip),
        cmocka_unit_test(test_run_counts_the_rows_changed),
        cmocka_unit_test(test_errors_name_the_sql_and_transactions),
        cmocka_unit_test(test_statements_are_kept_prepared),
        cmocka_unit_test(test_kept_statement_does_not_hold_a_read_lock),
    };
    return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
