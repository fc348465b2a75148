/*
 * test_audit.c — the hash-chained audit trail: a chain of entries verifies;
 * an edited field, a removed middle or last entry, a forged entry, a changed
 * prev_hash and a removed head are each reported with the right entry; the
 * schema's triggers refuse UPDATE and DELETE; an entry rolls back with its
 * transaction; the serialization keeps NULL and "" apart; the actor context
 * and the ITSTRAT_NOW clock; list filters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"

#define assert_contains(hay, needle)                                                         \
    do {                                                                                     \
        if (!strstr((hay), (needle))) fail_msg("\"%s\" not in \"%s\"", (needle), (hay));     \
    } while (0)

typedef struct Problem {
    int64_t id;
    char what[512];
    int calls;
} Problem;

static void on_problem(void *ctx, int64_t id, const char *what)
{
    Problem *p = ctx;
    p->id = id;
    snprintf(p->what, sizeof p->what, "%s", what);
    p->calls++;
}

/* Verifies db: returns audit_verify()'s result, the problem in *p. */
static int verify(Db *db, Problem *p, int64_t *n)
{
    memset(p, 0, sizeof *p);
    int64_t dummy;
    return audit_verify(db, on_problem, p, n ? n : &dummy, NULL);
}

static int64_t count(Db *db, const char *sql)
{
    DbStmt *st;
    assert_int_equal(db_prepare_(db, &st, sql), 0);
    assert_int_equal(db_step(st), DB_ROW);
    int64_t v = db_column_int(st, 0);
    db_finalize(st);
    return v;
}

/* A database with five entries by two actors, ids 1..5. */
static int setup(void **state)
{
    Db *db;
    Buf err = BUF_INIT;
    setenv("ITSTRAT_NOW", "2026-01-02T03:04:05Z", 1);
    if (db_open(":memory:", DB_OPEN_CREATE, &db, &err)) return -1;
    buf_free(&err);
    AuditActor web = {.login = "bob", .via = "web", .address = "192.0.2.7"};
    if (db_begin(db)) return -1;
    for (int i = 1; i <= 5; i++) {
        char key[32], after[64];
        snprintf(key, sizeof key, "S%d", i);
        snprintf(after, sizeof after, "{\"n\": %d}", i);
        if (audit_append(db, i % 2 ? NULL : &web, "import", i == 3 ? "project" : "strategy",
                         key, i == 1 ? NULL : "{\"n\": 0}", after))
            return -1;
    }
    if (db_commit(db)) return -1;
    *state = db;
    return 0;
}

static int teardown(void **state)
{
    db_close(*state);
    return 0;
}

static void drop_triggers(Db *db)
{
    assert_int_equal(db_exec(db, "DROP TRIGGER audit_append_only_update;"
                                 "DROP TRIGGER audit_append_only_delete"), 0);
}

static void test_chain_verifies(void **state)
{
    Db *db = *state;
    Problem p;
    int64_t n = 0;
    char head[65];
    assert_int_equal(audit_verify(db, on_problem, &p, &n, head), 0);
    assert_int_equal(n, 5);
    assert_int_equal(strlen(head), 64);
    DbStmt *st;
    assert_int_equal(db_prepare(db, &st, "SELECT hash, prev_hash, at, actor, via, address "
                                         "FROM audit WHERE id = 5"), 0);
    assert_int_equal(db_step(st), DB_ROW);
    assert_string_equal(db_column_text(st, 0), head);
    assert_string_equal(db_column_text(st, 2), "2026-01-02T03:04:05Z");
    assert_string_equal(db_column_text(st, 3), getenv("ITSTRAT_ACTOR"));
    assert_string_equal(db_column_text(st, 4), "cli");
    assert_null(db_column_text(st, 5));
    db_finalize(st);
    assert_int_equal(db_prepare(db, &st, "SELECT prev_hash FROM audit WHERE id = 1"), 0);
    assert_int_equal(db_step(st), DB_ROW);
    assert_string_equal(db_column_text(st, 0), AUDIT_GENESIS);
    db_finalize(st);
    assert_int_equal(db_prepare(db, &st, "SELECT value FROM setting WHERE key = 'audit_head'"),
                     0);
    assert_int_equal(db_step(st), DB_ROW);
    char want[96];
    snprintf(want, sizeof want, "5 %s", head);
    assert_string_equal(db_column_text(st, 0), want);
    db_finalize(st);
    /* An empty trail verifies too. */
    Db *empty;
    Buf err = BUF_INIT;
    assert_int_equal(db_open(":memory:", DB_OPEN_CREATE, &empty, &err), 0);
    assert_int_equal(audit_verify(empty, on_problem, &p, &n, head), 0);
    assert_int_equal(n, 0);
    assert_string_equal(head, AUDIT_GENESIS);
    db_close(empty);
}

static void test_triggers_refuse_update_and_delete(void **state)
{
    Db *db = *state;
    assert_int_equal(db_exec(db, "UPDATE audit SET actor = 'mallory' WHERE id = 2"), -1);
    assert_contains(db_errmsg(db), "append-only");
    assert_int_equal(db_exec(db, "DELETE FROM audit WHERE id = 5"), -1);
    assert_contains(db_errmsg(db), "append-only");
    Problem p;
    assert_int_equal(verify(db, &p, NULL), 0);
}

/* One tampering each, done with the triggers dropped on a fresh five-entry
 * trail: the entry verify must name and the words its message must hold. */
static const struct {
    const char *sql;
    int64_t id;
    const char *what;
} tamperings[] = {
    {"UPDATE audit SET after = '{\"n\": 99}' WHERE id = 3", 3, "edited"},
    {"UPDATE audit SET address = NULL WHERE id = 4", 4, "edited"},
    {"UPDATE audit SET at = '2020-01-01T00:00:00Z' WHERE id = 2", 2, "edited"},
    {"UPDATE audit SET actor = 'mallory' WHERE id = 1", 1, "edited"},
    {"DELETE FROM audit WHERE id = 2", 3, "entry 2 is missing"},
    {"DELETE FROM audit WHERE id <= 2", 3, "entries 1 to 2 are missing"},
};

static void test_tampering_is_found(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof tamperings / sizeof *tamperings; i++) {
        void *fresh;
        assert_int_equal(setup(&fresh), 0);
        Db *db = fresh;
        drop_triggers(db);
        assert_int_equal(db_exec_(db, tamperings[i].sql), 0);
        Problem p;
        if (verify(db, &p, NULL) != 1 || p.calls != 1 || p.id != tamperings[i].id ||
            !strstr(p.what, tamperings[i].what))
            fail_msg("%s: %d problem(s), last at entry %lld: \"%s\"; expected one at entry "
                     "%lld with \"%s\"", tamperings[i].sql, p.calls, (long long)p.id, p.what,
                     (long long)tamperings[i].id, tamperings[i].what);
        teardown(&fresh);
    }
}

static void test_removed_last_entry_is_found(void **state)
{
    Db *db = *state;
    drop_triggers(db);
    assert_int_equal(db_exec(db, "DELETE FROM audit WHERE id = 5"), 0);
    Problem p;
    assert_int_equal(verify(db, &p, NULL), 1);
    assert_int_equal(p.id, 5);
    assert_contains(p.what, "last entries were removed");
    /* The next entry still chains to the head: the gap stays visible. */
    assert_int_equal(db_begin(db), 0);
    assert_int_equal(audit_append(db, NULL, "delete", "strategy", "S1", "{}", NULL), 0);
    assert_int_equal(db_commit(db), 0);
    assert_int_equal(count(db, "SELECT max(id) FROM audit"), 6);
    assert_int_equal(verify(db, &p, NULL), 1);
    assert_int_equal(p.id, 6);
    assert_contains(p.what, "entry 5 is missing");
}

static void test_removed_head_is_found(void **state)
{
    Db *db = *state;
    assert_int_equal(db_exec(db, "DELETE FROM setting WHERE key = 'audit_head'"), 0);
    Problem p;
    assert_int_equal(verify(db, &p, NULL), 1);
    assert_contains(p.what, "head of the chain");
}

static void test_forged_entry_is_found(void **state)
{
    Db *db = *state;
    /* A row added with a made-up hash. */
    assert_int_equal(db_exec(db, "INSERT INTO audit (id, at, actor, via, action, entity,"
                                 " prev_hash, hash) SELECT 6, at, 'mallory', 'cli', 'delete',"
                                 " 'strategy', hash, hash FROM audit WHERE id = 5"), 0);
    Problem p;
    assert_int_equal(verify(db, &p, NULL), 1);
    assert_int_equal(p.id, 6);
    assert_contains(p.what, "edited");
    /* The same row with a correct hash: only the head tells. */
    drop_triggers(db);
    assert_int_equal(db_exec(db, "DELETE FROM audit WHERE id = 6"), 0);
    DbStmt *st;
    assert_int_equal(db_prepare(db, &st, "SELECT hash FROM audit WHERE id = 5"), 0);
    assert_int_equal(db_step(st), DB_ROW);
    char prev[65], hash[65];
    snprintf(prev, sizeof prev, "%s", db_column_text(st, 0));
    db_finalize(st);
    AuditEntry e = {.id = 6, .at = "2026-01-02T03:04:05Z", .actor = "mallory", .via = "cli",
                    .action = "delete", .entity = "strategy", .prev_hash = prev};
    audit_hash(&e, hash);
    assert_int_equal(db_prepare(db, &st, "INSERT INTO audit (id, at, actor, via, action, entity,"
                                         " prev_hash, hash) VALUES (6, :at, 'mallory', 'cli',"
                                         " 'delete', 'strategy', :prev, :hash)"), 0);
    db_bind_text(st, ":at", e.at);
    db_bind_text(st, ":prev", prev);
    db_bind_text(st, ":hash", hash);
    assert_int_equal(db_step(st), DB_DONE);
    db_finalize(st);
    assert_int_equal(verify(db, &p, NULL), 1);
    assert_int_equal(p.id, 6);
    assert_contains(p.what, "head of the chain");
}

static void test_changed_prev_hash_is_found(void **state)
{
    Db *db = *state;
    drop_triggers(db);
    /* prev_hash changed alone: the entry's own hash no longer matches. */
    assert_int_equal(db_exec(db, "UPDATE audit SET prev_hash = '" AUDIT_GENESIS "' WHERE id = 4"),
                     0);
    Problem p;
    assert_int_equal(verify(db, &p, NULL), 1);
    assert_int_equal(p.id, 4);
    /* prev_hash changed and the hash recomputed to match: the link breaks. */
    DbStmt *st;
    assert_int_equal(db_prepare(db, &st, "SELECT id, at, actor, via, address, action, entity,"
                                         " entity_key, before, after, prev_hash FROM audit"
                                         " WHERE id = 4"), 0);
    assert_int_equal(db_step(st), DB_ROW);
    AuditEntry e = {.id = 4, .at = db_column_text(st, 1), .actor = db_column_text(st, 2),
                    .via = db_column_text(st, 3), .address = db_column_text(st, 4),
                    .action = db_column_text(st, 5), .entity = db_column_text(st, 6),
                    .entity_key = db_column_text(st, 7), .before = db_column_text(st, 8),
                    .after = db_column_text(st, 9), .prev_hash = db_column_text(st, 10)};
    char hash[65];
    audit_hash(&e, hash);
    db_finalize(st);
    assert_int_equal(db_prepare(db, &st, "UPDATE audit SET hash = :h WHERE id = 4"), 0);
    db_bind_text(st, ":h", hash);
    assert_int_equal(db_step(st), DB_DONE);
    db_finalize(st);
    assert_int_equal(verify(db, &p, NULL), 1);
    assert_int_equal(p.id, 4);
    assert_contains(p.what, "prev_hash");
}

static void test_entry_rolls_back_with_its_transaction(void **state)
{
    Db *db = *state;
    assert_int_equal(db_begin(db), 0);
    assert_int_equal(audit_append(db, NULL, "import", "strategy", "X", NULL, "{}"), 0);
    assert_int_equal(count(db, "SELECT count(*) FROM audit"), 6);
    assert_int_equal(db_rollback(db), 0);
    assert_int_equal(count(db, "SELECT count(*) FROM audit"), 5);
    Problem p;
    int64_t n;
    assert_int_equal(verify(db, &p, &n), 0);
    assert_int_equal(n, 5);
}

static void test_serialization_is_unambiguous(void **state)
{
    (void)state;
    char h1[65], h2[65], h3[65], h4[65];
    AuditEntry a = {.id = 1, .at = "t", .actor = "ab", .via = "cli", .action = "c",
                    .entity = "e", .entity_key = NULL, .prev_hash = AUDIT_GENESIS};
    audit_hash(&a, h1);
    a.entity_key = "";
    audit_hash(&a, h2);
    assert_string_not_equal(h1, h2); /* NULL is not "" */
    a.actor = "a", a.via = "bcli";
    audit_hash(&a, h3);
    a.actor = "ab", a.via = "cli";
    audit_hash(&a, h4);
    assert_string_not_equal(h3, h4); /* no field runs into the next */
    assert_string_equal(h2, h4);
}

static int list_row(void *ctx, const AuditEntry *e)
{
    Buf *b = ctx;
    buf_printf(b, "%lld:%s:%s ", (long long)e->id, e->actor, e->entity_key ? e->entity_key : "-");
    return 0;
}

static void test_list_filters(void **state)
{
    Db *db = *state;
    Buf b = BUF_INIT;
    AuditFilter f = {.actor = "BOB"};
    assert_int_equal(audit_list(db, &f, list_row, &b), 0);
    assert_string_equal(buf_str(&b), "2:bob:S2 4:bob:S4 ");
    buf_reset(&b);
    f = (AuditFilter){.entity = "project"};
    assert_int_equal(audit_list(db, &f, list_row, &b), 0);
    assert_contains(buf_str(&b), "3:");
    assert_int_equal(strlen(buf_str(&b)), strlen("3:") + strlen(getenv("ITSTRAT_ACTOR")) + 4);
    buf_reset(&b);
    f = (AuditFilter){.newest_first = 1, .limit = 2, .offset = 1};
    assert_int_equal(audit_list(db, &f, list_row, &b), 0);
    assert_contains(buf_str(&b), "4:bob:S4 3:");
    assert_null(strstr(buf_str(&b), "5:"));
    buf_reset(&b);
    f = (AuditFilter){.key_prefix = "S5"};
    assert_int_equal(audit_list(db, &f, list_row, &b), 0);
    assert_contains(buf_str(&b), "5:");
    assert_null(strstr(buf_str(&b), "4:"));
    buf_free(&b);
}

/* The filters added for the admins' page and record histories, and
 * audit_count() over the same filters. */
static void test_list_more_filters(void **state)
{
    Db *db = *state;
    Buf b = BUF_INIT;
    int64_t n = -1;
    AuditFilter f = {.via = "web"};
    assert_int_equal(audit_list(db, &f, list_row, &b), 0);
    assert_string_equal(buf_str(&b), "2:bob:S2 4:bob:S4 ");
    assert_int_equal(audit_count(db, &f, &n), 0);
    assert_int_equal(n, 2);
    f = (AuditFilter){.action = "delete"};
    assert_int_equal(audit_count(db, &f, &n), 0);
    assert_int_equal(n, 0);
    f = (AuditFilter){.action = "import", .limit = 1}; /* count ignores limit */
    assert_int_equal(audit_count(db, &f, &n), 0);
    assert_int_equal(n, 5);
    buf_reset(&b);
    f = (AuditFilter){.key = "S1"}; /* exactly, where a prefix would also take S10... */
    assert_int_equal(audit_list(db, &f, list_row, &b), 0);
    assert_int_equal((int)strlen(buf_str(&b)), (int)(strlen("1::S1 ") + strlen(getenv("ITSTRAT_ACTOR"))));
    f = (AuditFilter){.key = "S"};
    assert_int_equal(audit_count(db, &f, &n), 0);
    assert_int_equal(n, 0);
    f = (AuditFilter){.since = "2026-01-02T03:04:05Z", .until = "2026-01-02T03:04:05Z"};
    assert_int_equal(audit_count(db, &f, &n), 0);
    assert_int_equal(n, 5); /* both ends included */
    f = (AuditFilter){.until = "2026-01-02T03:04:04Z"};
    assert_int_equal(audit_count(db, &f, &n), 0);
    assert_int_equal(n, 0);
    f = (AuditFilter){.since = "2026-01-02T03:04:06Z"};
    assert_int_equal(audit_count(db, &f, &n), 0);
    assert_int_equal(n, 0);
    f = (AuditFilter){.via = "web", .actor = "bob", .entity = "strategy", .key_prefix = "S4"};
    assert_int_equal(audit_count(db, &f, &n), 0);
    assert_int_equal(n, 1);
    buf_free(&b);
}

static void on_change(void *ctx, const char *name, const char *was, const char *now)
{
    buf_printf(ctx, "%s:%s>%s;", name, was ? was : "(absent)", now ? now : "(absent)");
}

/* audit_changes() names exactly the members that differ, with their values. */
static void test_changes(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    assert_int_equal(audit_changes("{\"a\": 1, \"b\": \"x\", \"c\": [1], \"d\": null}",
                                   "{\"a\": 1, \"b\": \"y\", \"c\": [1, 2], \"e\": true}",
                                   on_change, &b), 4);
    assert_string_equal(buf_str(&b), "b:x>y;c:[1]>[1,2];d:null>(absent);e:(absent)>true;");
    buf_reset(&b);
    assert_int_equal(audit_changes(NULL, "{\"role\": \"viewer\"}", on_change, &b), 1);
    assert_string_equal(buf_str(&b), "role:(absent)>viewer;");
    buf_reset(&b);
    assert_int_equal(audit_changes("{\"n\": 2}", NULL, on_change, &b), 1);
    assert_string_equal(buf_str(&b), "n:2>(absent);");
    buf_reset(&b);
    assert_int_equal(audit_changes("{\"n\": 2}", "{\"n\": 2}", on_change, &b), 0);
    assert_int_equal(audit_changes(NULL, NULL, on_change, &b), 0);
    assert_string_equal(buf_str(&b), "");
    assert_int_equal(audit_changes("[1]", "[2]", on_change, &b), 1); /* not objects: one value */
    assert_string_equal(buf_str(&b), ":[1]>[2];");
    buf_reset(&b);
    assert_int_equal(audit_changes("{\"n\": ", "{}", on_change, &b), -1);
    assert_string_equal(buf_str(&b), "");
    buf_free(&b);
}

static void test_actor_context(void **state)
{
    (void)state;
    AuditActor cli;
    setenv("ITSTRAT_ACTOR", "carol\x1b[31m", 1);
    audit_actor_cli(&cli);
    assert_string_equal(cli.login, "carol?[31m");
    assert_string_equal(cli.via, "cli");
    assert_string_equal(cli.address, "");
    unsetenv("ITSTRAT_ACTOR");
    audit_actor_cli(&cli);
    assert_true(cli.login[0] != 0); /* the OS login, or "uid N" */
    AuditActor web = {.login = "dave", .via = "api", .address = "198.51.100.1"};
    audit_set_actor(&web);
    assert_ptr_equal(audit_actor(), &web);
    audit_set_actor(NULL);
    assert_string_equal(audit_actor()->via, "cli");
    setenv("ITSTRAT_ACTOR", "tester", 1);
    char now[21];
    audit_now(now);
    assert_string_equal(now, "2026-01-02T03:04:05Z");
    setenv("ITSTRAT_NOW", "yesterday", 1); /* not the form: the real clock */
    audit_now(now);
    assert_int_equal(strlen(now), 20);
    assert_int_equal(now[19], 'Z');
    setenv("ITSTRAT_NOW", "2026-01-02T03:04:05Z", 1);
}

int main(void)
{
    setenv("ITSTRAT_ACTOR", "tester", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_chain_verifies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_triggers_refuse_update_and_delete, setup, teardown),
        cmocka_unit_test(test_tampering_is_found),
        cmocka_unit_test_setup_teardown(test_removed_last_entry_is_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_removed_head_is_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forged_entry_is_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changed_prev_hash_is_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_entry_rolls_back_with_its_transaction, setup,
                                        teardown),
        cmocka_unit_test(test_serialization_is_unambiguous),
        cmocka_unit_test_setup_teardown(test_list_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_more_filters, setup, teardown),
        cmocka_unit_test(test_changes),
        cmocka_unit_test(test_actor_context),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
