/*
 * store_users.c — SQL of the accounts (store_users.h).
 */
#include "store_users.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mem.h"

int store_user_login_valid(const char *login)
{
    size_t n = 0;
    for (const char *p = login; *p; p++, n++) {
        char c = *p;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '_' || c == '-' || c == '@';
        if (!ok || n >= USER_LOGIN_MAX) return 0;
    }
    return n > 0;
}

int store_user_role_valid(const char *role)
{
    static const char *const roles[] = {"admin", "manager", "contributor", "viewer"};
    for (size_t i = 0; i < sizeof roles / sizeof *roles; i++)
        if (role && strcmp(role, roles[i]) == 0) return 1;
    return 0;
}

void store_user_now(char out[21])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void store_user_free(UserRow *u)
{
    free(u->login);
    free(u->name);
    free(u->role);
    free(u->password_hash);
    free(u->totp_secret);
    free(u->locked_until);
    free(u->created_at);
    free(u->email);
    memset(u, 0, sizeof *u);
}

void store_user_list_free(UserRow *a, size_t n)
{
    for (size_t i = 0; i < n; i++) store_user_free(&a[i]);
    free(a);
}

/* The columns every reader selects, in the order store_user_read takes. */
#define USER_COLUMNS                                                                        \
    "id, login, name, role, password_hash, totp_secret, disabled, failed_logins, "        \
    "locked_until, created_at, version, email"

static void store_user_read(DbStmt *st, UserRow *u)
{
    u->id = db_column_int(st, 0);
    u->login = xstrdup(db_column_text(st, 1));
    u->name = xstrdup(db_column_text(st, 2));
    u->role = xstrdup(db_column_text(st, 3));
    u->password_hash = xstrdup(db_column_text(st, 4));
    u->totp_secret = xstrdup(db_column_text(st, 5));
    u->disabled = db_column_int(st, 6) != 0;
    u->failed_logins = (int)db_column_int(st, 7);
    u->locked_until = xstrdup(db_column_text(st, 8));
    u->created_at = xstrdup(db_column_text(st, 9));
    u->version = db_column_int(st, 10);
    u->email = xstrdup(db_column_text(st, 11));
}

int store_user_get_email(Db *db, const char *email, UserRow *u)
{
    DbStmt *st = NULL;
    memset(u, 0, sizeof *u);
    if (db_prepare(db, &st, "SELECT " USER_COLUMNS " FROM app_user "
                            "WHERE email = :email COLLATE NOCASE"))
        return -1;
    db_bind_text(st, ":email", email);
    int r = db_step(st);
    if (r == DB_ROW) store_user_read(st, u);
    db_finalize(st);
    return r == DB_ROW ? 1 : r == DB_DONE ? 0 : -1;
}

int store_user_set_email(Db *db, int64_t id, const char *email)
{
    DbStmt *st = NULL;
    if (db_prepare(db, &st, "UPDATE app_user SET email = :email, version = version + 1 "
                            "WHERE id = :id AND email IS NOT :email"))
        return -1;
    db_bind_text(st, ":email", email);
    db_bind_int(st, ":id", id);
    int rc = db_step(st) == DB_DONE ? 0 : -1;
    db_finalize(st);
    return rc;
}

int store_user_create(Db *db, const char *login, const char *name, const char *role,
                      const char *password_hash, int64_t *id)
{
    DbStmt *st = NULL;
    char now[21];
    int rc = -1;
    store_user_now(now);
    /* The UNIQUE login (COLLATE NOCASE) is checked first so that a taken
     * login is an answer, not a constraint error. */
    if (db_prepare(db, &st, "SELECT 1 FROM app_user WHERE login = :login")) goto out;
    db_bind_text(st, ":login", login);
    int r = db_step(st);
    db_finalize(st);
    st = NULL;
    if (r == DB_ERROR) goto out;
    if (r == DB_ROW) {
        rc = 1;
        goto out;
    }
    if (db_prepare(db, &st, "INSERT INTO app_user (login, name, role, password_hash, created_at) "
                            "VALUES (:login, :name, :role, :hash, :now)"))
        goto out;
    db_bind_text(st, ":login", login);
    db_bind_text(st, ":name", name);
    db_bind_text(st, ":role", role);
    db_bind_text(st, ":hash", password_hash);
    db_bind_text(st, ":now", now);
    if (db_step(st) != DB_DONE) goto out;
    if (id) *id = db_last_id(db);
    rc = 0;
out:
    db_finalize(st);
    return rc;
}

int store_user_get(Db *db, const char *login, UserRow *u)
{
    DbStmt *st = NULL;
    memset(u, 0, sizeof *u);
    if (db_prepare(db, &st, "SELECT " USER_COLUMNS " FROM app_user WHERE login = :login"))
        return -1;
    db_bind_text(st, ":login", login);
    int r = db_step(st);
    if (r == DB_ROW) store_user_read(st, u);
    db_finalize(st);
    return r == DB_ROW ? 1 : r == DB_DONE ? 0 : -1;
}

int store_user_get_id(Db *db, int64_t id, UserRow *u)
{
    DbStmt *st = NULL;
    memset(u, 0, sizeof *u);
    if (db_prepare(db, &st, "SELECT " USER_COLUMNS " FROM app_user WHERE id = :id")) return -1;
    db_bind_int(st, ":id", id);
    int r = db_step(st);
    if (r == DB_ROW) store_user_read(st, u);
    db_finalize(st);
    return r == DB_ROW ? 1 : r == DB_DONE ? 0 : -1;
}

int store_user_list(Db *db, UserRow **out, size_t *n)
{
    DbStmt *st = NULL;
    UserRow *a = NULL;
    size_t count = 0, cap = 0;
    int r;
    *out = NULL;
    *n = 0;
    if (db_prepare(db, &st, "SELECT " USER_COLUMNS " FROM app_user ORDER BY login, id"))
        return -1;
    while ((r = db_step(st)) == DB_ROW) {
        if (count == cap) {
            cap = cap ? 2 * cap : 16;
            a = xrealloc(a, cap * sizeof *a);
        }
        store_user_read(st, &a[count++]);
    }
    db_finalize(st);
    if (r != DB_DONE) {
        store_user_list_free(a, count);
        return -1;
    }
    *out = a;
    *n = count;
    return 0;
}

int64_t store_user_count(Db *db)
{
    DbStmt *st = NULL;
    if (db_prepare(db, &st, "SELECT count(*) FROM app_user")) return -1;
    int64_t n = db_step(st) == DB_ROW ? db_column_int(st, 0) : -1;
    db_finalize(st);
    return n;
}

int64_t store_user_active_admins(Db *db)
{
    DbStmt *st = NULL;
    if (db_prepare(db, &st, "SELECT count(*) FROM app_user WHERE role = 'admin' AND disabled = 0"))
        return -1;
    int64_t n = db_step(st) == DB_ROW ? db_column_int(st, 0) : -1;
    db_finalize(st);
    return n;
}

/* Steps st (an UPDATE of one account) and finalizes it: 0 when a row
 * changed, 1 when none did, -1 on error. */
static int store_user_update(DbStmt *st)
{
    int64_t n = db_run(st);
    return n < 0 ? -1 : n > 0 ? 0 : 1;
}

/* Deletes the sessions of account id. 0 or -1. */
static int store_user_end_sessions(Db *db, int64_t id)
{
    DbStmt *st = NULL;
    if (db_prepare(db, &st, "DELETE FROM session WHERE user_id = :id")) return -1;
    db_bind_int(st, ":id", id);
    int r = db_step(st);
    db_finalize(st);
    return r == DB_DONE ? 0 : -1;
}

int store_user_set_password(Db *db, int64_t id, const char *password_hash)
{
    DbStmt *st = NULL;
    if (db_prepare(db, &st, "UPDATE app_user SET password_hash = :hash, failed_logins = 0, "
                            "locked_until = NULL, version = version + 1 WHERE id = :id"))
        return -1;
    db_bind_text(st, ":hash", password_hash);
    db_bind_int(st, ":id", id);
    int rc = store_user_update(st);
    return rc == 0 ? store_user_end_sessions(db, id) : rc;
}

int store_user_set_role(Db *db, int64_t id, const char *role)
{
    DbStmt *st = NULL;
    if (db_prepare(db, &st, "UPDATE app_user SET role = :role, version = version + 1 "
                            "WHERE id = :id"))
        return -1;
    db_bind_text(st, ":role", role);
    db_bind_int(st, ":id", id);
    return store_user_update(st);
}

int store_user_set_disabled(Db *db, int64_t id, int disabled)
{
    DbStmt *st = NULL;
    int rc;
    if (disabled) {
        if (db_prepare(db, &st, "UPDATE app_user SET disabled = 1, version = version + 1 "
                                "WHERE id = :id"))
            return -1;
    } else if (db_prepare(db, &st, "UPDATE app_user SET disabled = 0, failed_logins = 0, "
                                   "locked_until = NULL, version = version + 1 WHERE id = :id")) {
        return -1;
    }
    db_bind_int(st, ":id", id);
    rc = store_user_update(st);
    return rc == 0 && disabled ? store_user_end_sessions(db, id) : rc;
}

int store_user_login_failed(Db *db, int64_t id, const char *locked_until, int *count)
{
    DbStmt *st = NULL;
    *count = 0;
    if (db_prepare(db, &st, "UPDATE app_user SET failed_logins = failed_logins + 1, "
                            "locked_until = coalesce(:until, locked_until) WHERE id = :id "
                            "RETURNING failed_logins"))
        return -1;
    db_bind_text(st, ":until", locked_until);
    db_bind_int(st, ":id", id);
    int r = db_step(st);
    if (r == DB_ROW) *count = (int)db_column_int(st, 0), r = db_step(st);
    db_finalize(st);
    return r == DB_DONE ? 0 : -1;
}

int store_user_login_ok(Db *db, int64_t id)
{
    DbStmt *st = NULL;
    if (db_prepare(db, &st, "UPDATE app_user SET failed_logins = 0, locked_until = NULL "
                            "WHERE id = :id AND (failed_logins <> 0 OR locked_until IS NOT NULL)"))
        return -1;
    db_bind_int(st, ":id", id);
    return store_user_update(st) < 0 ? -1 : 0;
}

/* The setting key that holds the last TOTP step of account id. */
static void store_user_step_key(char out[48], int64_t id)
{
    snprintf(out, 48, "totp_last_step:%lld", (long long)id);
}

int store_user_set_totp(Db *db, int64_t id, const char *secret)
{
    DbStmt *st = NULL;
    char key[48];
    if (db_prepare(db, &st, "UPDATE app_user SET totp_secret = :secret, version = version + 1 "
                            "WHERE id = :id"))
        return -1;
    db_bind_text(st, ":secret", secret);
    db_bind_int(st, ":id", id);
    int rc = store_user_update(st);
    if (rc) return rc;
    store_user_step_key(key, id);
    if (db_prepare(db, &st, "DELETE FROM setting WHERE key = :key")) return -1;
    db_bind_text(st, ":key", key);
    int r = db_step(st);
    db_finalize(st);
    if (r != DB_DONE) return -1;
    if (!secret) return store_user_recovery_set(db, id, NULL, 0);
    return 0;
}

int store_user_totp_last_step(Db *db, int64_t id, int64_t *step)
{
    DbStmt *st = NULL;
    char key[48];
    *step = -1;
    store_user_step_key(key, id);
    if (db_prepare(db, &st, "SELECT CAST(value AS INTEGER) FROM setting WHERE key = :key"))
        return -1;
    db_bind_text(st, ":key", key);
    int r = db_step(st);
    if (r == DB_ROW) *step = db_column_int(st, 0);
    db_finalize(st);
    return r == DB_ERROR ? -1 : 0;
}

int store_user_totp_use_step(Db *db, int64_t id, int64_t step)
{
    DbStmt *st = NULL;
    char key[48], value[24];
    store_user_step_key(key, id);
    snprintf(value, sizeof value, "%lld", (long long)step);
    if (db_prepare(db, &st, "INSERT INTO setting (key, value) VALUES (:key, :value) "
                            "ON CONFLICT (key) DO UPDATE SET value = excluded.value "
                            "WHERE CAST(value AS INTEGER) < CAST(excluded.value AS INTEGER)"))
        return -1;
    db_bind_text(st, ":key", key);
    db_bind_text(st, ":value", value);
    return store_user_update(st);
}

int store_user_recovery_set(Db *db, int64_t id, char (*hashes)[65], size_t n)
{
    DbStmt *st = NULL;
    int rc = -1;
    if (db_prepare(db, &st, "DELETE FROM recovery_code WHERE user_id = :id")) goto out;
    db_bind_int(st, ":id", id);
    if (db_step(st) != DB_DONE) goto out;
    db_finalize(st);
    st = NULL;
    if (n == 0) {
        rc = 0;
        goto out;
    }
    if (db_prepare(db, &st, "INSERT INTO recovery_code (user_id, code_hash) VALUES (:id, :hash)"))
        goto out;
    for (size_t i = 0; i < n; i++) {
        db_reset(st);
        db_bind_int(st, ":id", id);
        db_bind_text(st, ":hash", hashes[i]);
        if (db_step(st) != DB_DONE) goto out;
    }
    rc = 0;
out:
    db_finalize(st);
    return rc;
}

int store_user_recovery_use(Db *db, int64_t id, const char *hash)
{
    DbStmt *st = NULL;
    char now[21];
    store_user_now(now);
    if (db_prepare(db, &st, "UPDATE recovery_code SET used_at = :now WHERE user_id = :id "
                            "AND code_hash = :hash AND used_at IS NULL"))
        return -1;
    db_bind_text(st, ":now", now);
    db_bind_int(st, ":id", id);
    db_bind_text(st, ":hash", hash);
    return store_user_update(st);
}

int64_t store_user_recovery_left(Db *db, int64_t id)
{
    DbStmt *st = NULL;
    if (db_prepare(db, &st, "SELECT count(*) FROM recovery_code WHERE user_id = :id "
                            "AND used_at IS NULL"))
        return -1;
    db_bind_int(st, ":id", id);
    int64_t n = db_step(st) == DB_ROW ? db_column_int(st, 0) : -1;
    db_finalize(st);
    return n;
}

int store_user_check_version(Db *db, int64_t id, int64_t version)
{
    DbStmt *st = NULL;
    if (db_prepare(db, &st, "SELECT 1 FROM app_user WHERE id = :id AND version = :version"))
        return -1;
    db_bind_int(st, ":id", id);
    db_bind_int(st, ":version", version);
    int r = db_step(st);
    db_finalize(st);
    return r == DB_ROW ? 0 : r == DB_DONE ? 1 : -1;
}
