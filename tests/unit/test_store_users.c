/*
 * test_store_users.c — the account store: create (a login taken in any
 * case), get, list, counts of admins, password/role/disabled changes that
 * end sessions and clear lock-outs, failed sign-ins, the TOTP secret and
 * its last step (a replayed or older step is refused), recovery codes used
 * once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "store_users.h"

static Db *open_db(void)
{
    Db *db = NULL;
    Buf err = BUF_INIT;
    assert_int_equal(db_open(":memory:", DB_OPEN_CREATE, &db, &err), 0);
    buf_free(&err);
    return db;
}

static int64_t count(Db *db, const char *what)
{
    DbStmt *st = NULL;
    int64_t n = -1;
    if (strcmp(what, "session") == 0) assert_int_equal(db_prepare(db, &st, "SELECT count(*) FROM session"), 0);
    else assert_int_equal(db_prepare(db, &st, "SELECT count(*) FROM recovery_code"), 0);
    if (db_step(st) == DB_ROW) n = db_column_int(st, 0);
    db_finalize(st);
    return n;
}

static void add_session(Db *db, int64_t uid)
{
    DbStmt *st = NULL;
    assert_int_equal(db_prepare(db, &st, "INSERT INTO session (token_hash, user_id, csrf, "
                                         "created_at, last_seen) VALUES (hex(randomblob(16)), "
                                         ":u, 'c', 'now', 'now')"), 0);
    db_bind_int(st, ":u", uid);
    assert_int_equal(db_step(st), DB_DONE);
    db_finalize(st);
}

static void test_validation(void **state)
{
    (void)state;
    assert_true(store_user_login_valid("a"));
    assert_true(store_user_login_valid("j.doe_2-x@example.org"));
    assert_false(store_user_login_valid(""));
    assert_false(store_user_login_valid("a b"));
    assert_false(store_user_login_valid("é"));
    assert_false(store_user_login_valid("a/b"));
    char l[66];
    memset(l, 'x', 64);
    l[64] = '\0';
    assert_true(store_user_login_valid(l));
    l[64] = 'x', l[65] = '\0';
    assert_false(store_user_login_valid(l));
    assert_true(store_user_role_valid("viewer"));
    assert_false(store_user_role_valid("Admin"));
    assert_false(store_user_role_valid(NULL));
}

static void test_accounts(void **state)
{
    (void)state;
    Db *db = open_db();
    int64_t a, b;
    UserRow u;
    assert_int_equal(store_user_count(db), 0);
    assert_int_equal(store_user_create(db, "Alice", "Alice A", "admin", "$argon2id$h1", &a), 0);
    assert_int_equal(store_user_create(db, "alice", NULL, "viewer", "$argon2id$h2", &b), 1);
    assert_int_equal(store_user_create(db, "bob", NULL, "viewer", "$argon2id$h3", &b), 0);
    assert_int_equal(store_user_count(db), 2);
    assert_int_equal(store_user_active_admins(db), 1);
    assert_int_equal(store_user_get(db, "ALICE", &u), 1); /* any case */
    assert_int_equal(u.id, a);
    assert_string_equal(u.login, "Alice");
    assert_string_equal(u.name, "Alice A");
    assert_string_equal(u.role, "admin");
    assert_null(u.totp_secret);
    assert_int_equal(u.version, 1);
    assert_int_equal(strlen(u.created_at), 20);
    store_user_free(&u);
    assert_int_equal(store_user_get(db, "carol", &u), 0);

    add_session(db, a);
    add_session(db, b);
    assert_int_equal(store_user_set_password(db, a, "$argon2id$new"), 0);
    assert_int_equal(count(db, "session"), 1); /* alice's session ended, bob's kept */
    assert_int_equal(store_user_set_password(db, 999, "$argon2id$x"), 1);
    assert_int_equal(store_user_set_role(db, b, "admin"), 0);
    assert_int_equal(store_user_active_admins(db), 2);
    assert_int_equal(store_user_set_disabled(db, b, 1), 0);
    assert_int_equal(count(db, "session"), 0);
    assert_int_equal(store_user_active_admins(db), 1);

    int n;
    assert_int_equal(store_user_login_failed(db, b, NULL, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(store_user_login_failed(db, b, "2999-01-01T00:00:00Z", &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(store_user_get(db, "bob", &u), 1);
    assert_string_equal(u.locked_until, "2999-01-01T00:00:00Z");
    assert_int_equal(u.disabled, 1);
    assert_int_equal(u.version, 3);
    store_user_free(&u);
    assert_int_equal(store_user_set_disabled(db, b, 0), 0); /* enable clears the lock-out */
    assert_int_equal(store_user_get(db, "bob", &u), 1);
    assert_null(u.locked_until);
    assert_int_equal(u.failed_logins, 0);
    store_user_free(&u);

    UserRow *all;
    size_t nall;
    assert_int_equal(store_user_list(db, &all, &nall), 0);
    assert_int_equal(nall, 2);
    assert_string_equal(all[0].login, "Alice");
    assert_string_equal(all[1].login, "bob");
    store_user_list_free(all, nall);
    db_close(db);
}

static void test_totp_steps_and_recovery(void **state)
{
    (void)state;
    Db *db = open_db();
    int64_t a, step;
    assert_int_equal(store_user_create(db, "alice", NULL, "admin", "$argon2id$h", &a), 0);
    assert_int_equal(store_user_totp_last_step(db, a, &step), 0);
    assert_int_equal(step, -1);
    assert_int_equal(store_user_set_totp(db, a, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"), 0);
    assert_int_equal(store_user_totp_use_step(db, a, 1000), 0);
    assert_int_equal(store_user_totp_use_step(db, a, 1000), 1); /* replay */
    assert_int_equal(store_user_totp_use_step(db, a, 999), 1);  /* older */
    assert_int_equal(store_user_totp_use_step(db, a, 1001), 0);
    assert_int_equal(store_user_totp_last_step(db, a, &step), 0);
    assert_int_equal(step, 1001);
    /* 10 is less than 9 as text: the comparison must be numeric */
    assert_int_equal(store_user_totp_use_step(db, a, 10000), 0);
    assert_int_equal(store_user_totp_use_step(db, a, 9999), 1);

    char hashes[3][65] = {"aa", "bb", "cc"};
    assert_int_equal(store_user_recovery_set(db, a, hashes, 3), 0);
    assert_int_equal(store_user_recovery_left(db, a), 3);
    assert_int_equal(store_user_recovery_use(db, a, "bb"), 0);
    assert_int_equal(store_user_recovery_use(db, a, "bb"), 1); /* once only */
    assert_int_equal(store_user_recovery_use(db, a, "zz"), 1);
    assert_int_equal(store_user_recovery_left(db, a), 2);
    /* removing the secret forgets the step and deletes the codes */
    assert_int_equal(store_user_set_totp(db, a, NULL), 0);
    assert_int_equal(store_user_totp_last_step(db, a, &step), 0);
    assert_int_equal(step, -1);
    assert_int_equal(count(db, "recovery"), 0);
    UserRow u;
    assert_int_equal(store_user_get(db, "alice", &u), 1);
    assert_null(u.totp_secret);
    store_user_free(&u);
    db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_validation),
        cmocka_unit_test(test_accounts),
        cmocka_unit_test(test_totp_steps_and_recovery),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
