/*
 * store_sessions.c — SQL of sessions, API tokens, failed sign-ins and
 * settings (store_sessions.h).
 */
#include "store_sessions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

/* Copies text (NULL as "") into out of size n, cutting if it must. */
static void copy_text(char *out, size_t n, const char *text)
{
    snprintf(out, n, "%s", text ? text : "");
}

int store_session_create(Db *db, const char *token_hash, int64_t user_id, const char *csrf,
                         const char *address, int mfa_pending, const char *now)
{
    DbStmt *st = NULL;
    if (db_prepare(db, &st,
                   "INSERT INTO session (token_hash, user_id, csrf, created_at, last_seen, "
                   "address, mfa_pending) VALUES (:hash, :uid, :csrf, :now, :now, :address, "
                   ":pending)"))
        return -1;
    db_bind_text(st, ":hash", token_hash);
    db_bind_int(st, ":uid", user_id);
    db_bind_text(st, ":csrf", csrf);
    db_bind_text(st, ":now", now);
    db_bind_text(st, ":address", address);
    db_bind_int(st, ":pending", mfa_pending);
    int rc = db_step(st) == DB_DONE ? 0 : -1;
    db_finalize(st);
    return rc;
}

/* The session lookup runs on every signed-in request: its statement is
 * prepared once per connection and kept with it (db_attach). */
static const char session_get_key = 0;

static void finalize_stmt(void *st)
{
    db_finalize(st);
}

int store_session_get(Db *db, const char *token_hash, SessionRow *out)
{
    memset(out, 0, sizeof *out);
    DbStmt *st = db_attached(db, &session_get_key);
    if (!st) {
        if (db_prepare(db, &st,
                       "SELECT s.user_id, s.csrf, s.created_at, s.last_seen, s.mfa_pending, "
                       "u.login, u.name, u.role, u.disabled, u.totp_secret IS NOT NULL OR s.mfa_idp, "
                       "coalesce((SELECT value = '1' FROM setting WHERE key = 'require_mfa'), 0) "
                       "FROM session s JOIN app_user u ON u.id = s.user_id "
                       "WHERE s.token_hash = :hash"))
            return -1;
        db_attach(db, &session_get_key, st, finalize_stmt);
    }
    db_reset(st);
    db_bind_text(st, ":hash", token_hash);
    int r = db_step(st);
    if (r == DB_ROW) {
        out->user_id = db_column_int(st, 0);
        copy_text(out->csrf, sizeof out->csrf, db_column_text(st, 1));
        copy_text(out->created_at, sizeof out->created_at, db_column_text(st, 2));
        copy_text(out->last_seen, sizeof out->last_seen, db_column_text(st, 3));
        out->mfa_pending = db_column_int(st, 4) != 0;
        copy_text(out->login, sizeof out->login, db_column_text(st, 5));
        copy_text(out->name, sizeof out->name, db_column_text(st, 6));
        copy_text(out->role, sizeof out->role, db_column_text(st, 7));
        out->disabled = db_column_int(st, 8) != 0;
        out->has_totp = db_column_int(st, 9) != 0;
        out->mfa_required = db_column_int(st, 10) != 0;
    }
    db_reset(st); /* let go of the read snapshot */
    return r == DB_ROW ? 1 : r == DB_DONE ? 0 : -1;
}

int store_session_set_idp(Db *db, const char *token_hash, int64_t idp_id, int mfa_idp)
{
    DbStmt *st = NULL;
    if (db_prepare(db, &st, "UPDATE session SET idp_id = :idp, mfa_idp = :mfa "
                            "WHERE token_hash = :hash"))
        return -1;
    db_bind_int(st, ":idp", idp_id);
    db_bind_int(st, ":mfa", mfa_idp);
    db_bind_text(st, ":hash", token_hash);
    int rc = db_step(st) == DB_DONE ? 0 : -1;
    db_finalize(st);
    return rc;
}

int64_t store_session_idp(Db *db, const char *token_hash)
{
    DbStmt *st = NULL;
    if (db_prepare(db, &st, "SELECT coalesce(idp_id, 0) FROM session WHERE token_hash = :hash"))
        return -1;
    db_bind_text(st, ":hash", token_hash);
    int r = db_step(st);
    int64_t id = r == DB_ROW ? db_column_int(st, 0) : r == DB_DONE ? 0 : -1;
    db_finalize(st);
    return id;
}

int store_session_touch(Db *db, const char *token_hash, const char *now)
{
    DbStmt *st = NULL;
    if (db_prepare(db, &st, "UPDATE session SET last_seen = :now WHERE token_hash = :hash"))
        return -1;
    db_bind_text(st, ":now", now);
    db_bind_text(st, ":hash", token_hash);
    int rc = db_step(st) == DB_DONE ? 0 : -1;
    db_finalize(st);
    return rc;
}

int store_session_delete(Db *db, const char *token_hash)
{
    DbStmt *st = NULL;
    if (db_prepare(db, &st, "DELETE FROM session WHERE token_hash = :hash")) return -1;
    db_bind_text(st, ":hash", token_hash);
    int rc = db_step(st) == DB_DONE ? 0 : -1;
    db_finalize(st);
    return rc;
}

int store_session_delete_user(Db *db, int64_t user_id, int64_t *n)
{
    DbStmt *st = NULL;
    if (db_prepare(db, &st, "DELETE FROM session WHERE user_id = :uid")) return -1;
    db_bind_int(st, ":uid", user_id);
    int64_t changed = db_run(st);
    if (n) *n = changed < 0 ? 0 : changed;
    return changed < 0 ? -1 : 0;
}

int store_session_prune(Db *db, const char *idle_before, const char *created_before)
{
    DbStmt *st = NULL;
    if (db_prepare(db, &st,
                   "DELETE FROM session WHERE last_seen < :idle OR created_at < :created"))
        return -1;
    db_bind_text(st, ":idle", idle_before);
    db_bind_text(st, ":created", created_before);
    int rc = db_step(st) == DB_DONE ? 0 : -1;
    db_finalize(st);
    return rc;
}

int64_t store_session_count(Db *db, int64_t user_id)
{
    DbStmt *st = NULL;
    if (db_prepare(db, &st, "SELECT count(*) FROM session WHERE user_id = :uid")) return -1;
    db_bind_int(st, ":uid", user_id);
    int64_t n = db_step(st) == DB_ROW ? db_column_int(st, 0) : -1;
    db_finalize(st);
    return n;
}

int store_token_create(Db *db, int64_t user_id, const char *name, const char *token_hash,
                       const char *scope, const char *expires_at, const char *now, int64_t *id)
{
    DbStmt *st = NULL;
    if (db_prepare(db, &st,
                   "INSERT INTO api_token (user_id, name, token_hash, scope, created_at, "
                   "expires_at) VALUES (:uid, :name, :hash, :scope, :now, :expires)"))
        return -1;
    db_bind_int(st, ":uid", user_id);
    db_bind_text(st, ":name", name);
    db_bind_text(st, ":hash", token_hash);
    db_bind_text(st, ":scope", scope);
    db_bind_text(st, ":now", now);
    db_bind_text(st, ":expires", expires_at);
    int rc = db_step(st) == DB_DONE ? 0 : -1;
    if (rc == 0 && id) *id = db_last_id(db);
    db_finalize(st);
    return rc;
}

#define TOKEN_COLUMNS                                                                     \
    "t.id, t.user_id, t.name, t.scope, t.created_at, t.expires_at, t.revoked_at, u.login, " \
    "u.role, u.disabled"

static void token_read(DbStmt *st, TokenRow *t)
{
    memset(t, 0, sizeof *t);
    t->id = db_column_int(st, 0);
    t->user_id = db_column_int(st, 1);
    copy_text(t->name, sizeof t->name, db_column_text(st, 2));
    copy_text(t->scope, sizeof t->scope, db_column_text(st, 3));
    copy_text(t->created_at, sizeof t->created_at, db_column_text(st, 4));
    copy_text(t->expires_at, sizeof t->expires_at, db_column_text(st, 5));
    copy_text(t->revoked_at, sizeof t->revoked_at, db_column_text(st, 6));
    copy_text(t->login, sizeof t->login, db_column_text(st, 7));
    copy_text(t->role, sizeof t->role, db_column_text(st, 8));
    t->disabled = db_column_int(st, 9) != 0;
}

int store_token_get(Db *db, const char *token_hash, TokenRow *out)
{
    DbStmt *st = NULL;
    memset(out, 0, sizeof *out);
    if (db_prepare(db, &st,
                   "SELECT " TOKEN_COLUMNS " FROM api_token t JOIN app_user u ON u.id = "
                   "t.user_id WHERE t.token_hash = :hash"))
        return -1;
    db_bind_text(st, ":hash", token_hash);
    int r = db_step(st);
    if (r == DB_ROW) token_read(st, out);
    db_finalize(st);
    return r == DB_ROW ? 1 : r == DB_DONE ? 0 : -1;
}

int store_token_list(Db *db, int64_t user_id, TokenRow **out, size_t *n)
{
    DbStmt *st = NULL;
    TokenRow *a = NULL;
    size_t count = 0, cap = 0;
    int r;
    *out = NULL;
    *n = 0;
    if (db_prepare(db, &st,
                   "SELECT " TOKEN_COLUMNS " FROM api_token t JOIN app_user u ON u.id = "
                   "t.user_id WHERE t.user_id = :uid ORDER BY t.id DESC"))
        return -1;
    db_bind_int(st, ":uid", user_id);
    while ((r = db_step(st)) == DB_ROW) {
        if (count == cap) {
            cap = cap ? 2 * cap : 8;
            a = xrealloc(a, cap * sizeof *a);
        }
        token_read(st, &a[count++]);
    }
    db_finalize(st);
    if (r != DB_DONE) {
        free(a);
        return -1;
    }
    *out = a;
    *n = count;
    return 0;
}

int store_token_revoke(Db *db, int64_t user_id, int64_t id, const char *now)
{
    DbStmt *st = NULL;
    if (db_prepare(db, &st,
                   "UPDATE api_token SET revoked_at = :now WHERE id = :id AND revoked_at IS "
                   "NULL AND (:uid = 0 OR user_id = :uid)"))
        return -1;
    db_bind_text(st, ":now", now);
    db_bind_int(st, ":id", id);
    db_bind_int(st, ":uid", user_id);
    int64_t changed = db_run(st);
    return changed < 0 ? -1 : changed > 0 ? 0 : 1;
}

int store_token_revoke_user(Db *db, int64_t user_id, const char *now, int64_t *n)
{
    DbStmt *st = NULL;
    *n = 0;
    if (db_prepare(db, &st,
                   "UPDATE api_token SET revoked_at = :now WHERE user_id = :uid AND revoked_at "
                   "IS NULL"))
        return -1;
    db_bind_text(st, ":now", now);
    db_bind_int(st, ":uid", user_id);
    int64_t changed = db_run(st);
    *n = changed < 0 ? 0 : changed;
    return changed < 0 ? -1 : 0;
}

int store_login_failure_add(Db *db, const char *address, const char *now,
                            const char *forget_before)
{
    DbStmt *st = NULL;
    if (db_prepare(db, &st, "DELETE FROM login_failure WHERE at < :before")) return -1;
    db_bind_text(st, ":before", forget_before);
    int r = db_step(st);
    db_finalize(st);
    if (r != DB_DONE) return -1;
    if (db_prepare(db, &st, "INSERT INTO login_failure (address, at) VALUES (:address, :now)"))
        return -1;
    db_bind_text(st, ":address", address);
    db_bind_text(st, ":now", now);
    r = db_step(st);
    db_finalize(st);
    return r == DB_DONE ? 0 : -1;
}

int64_t store_login_failure_count(Db *db, const char *address, const char *since)
{
    DbStmt *st = NULL;
    if (db_prepare(db, &st,
                   "SELECT count(*) FROM login_failure WHERE address = :address AND at >= :since"))
        return -1;
    db_bind_text(st, ":address", address);
    db_bind_text(st, ":since", since);
    int64_t n = db_step(st) == DB_ROW ? db_column_int(st, 0) : -1;
    db_finalize(st);
    return n;
}

int store_setting_get(Db *db, const char *key, Buf *out)
{
    DbStmt *st = NULL;
    if (db_prepare(db, &st, "SELECT value FROM setting WHERE key = :key")) return -1;
    db_bind_text(st, ":key", key);
    int r = db_step(st);
    if (r == DB_ROW) buf_puts(out, db_column_text(st, 0));
    db_finalize(st);
    return r == DB_ROW ? 1 : r == DB_DONE ? 0 : -1;
}

int store_setting_set(Db *db, const char *key, const char *value)
{
    DbStmt *st = NULL;
    if (value) {
        if (db_prepare(db, &st,
                       "INSERT INTO setting (key, value) VALUES (:key, :value) "
                       "ON CONFLICT (key) DO UPDATE SET value = excluded.value"))
            return -1;
        db_bind_text(st, ":value", value);
    } else if (db_prepare(db, &st, "DELETE FROM setting WHERE key = :key")) {
        return -1;
    }
    db_bind_text(st, ":key", key);
    int rc = db_step(st) == DB_DONE ? 0 : -1;
    db_finalize(st);
    return rc;
}
