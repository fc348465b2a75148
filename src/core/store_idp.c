/*
 * store_idp.c — SQL of identity providers, their role tables, linked
 * identities and OpenID Connect sign-ins under way (store_idp.h).
 */
#include "store_idp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "store_users.h"

int store_idp_name_valid(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > IDP_NAME_MAX || name[0] == '-') return 0;
    return strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

void store_idp_free(IdpRow *p)
{
    free(p->name);
    free(p->kind);
    free(p->label);
    free(p->issuer);
    free(p->client_id);
    free(p->client_secret);
    free(p->scopes);
    free(p->role_claim);
    free(p->mfa_values);
    memset(p, 0, sizeof *p);
}

void store_idp_list_free(IdpRow *a, size_t n)
{
    for (size_t k = 0; k < n; k++) store_idp_free(&a[k]);
    free(a);
}

#define IDP_COLUMNS                                                                         \
    "id, name, kind, label, issuer, client_id, client_secret, scopes, role_claim, jit, "  \
    "mfa_values"

static void idp_read(DbStmt *st, IdpRow *p)
{
    p->id = db_column_int(st, 0);
    p->name = xstrdup(db_column_text(st, 1));
    p->kind = xstrdup(db_column_text(st, 2));
    p->label = xstrdup(db_column_text(st, 3));
    p->issuer = xstrdup(db_column_text(st, 4));
    p->client_id = xstrdup(db_column_text(st, 5));
    p->client_secret = xstrdup(db_column_text(st, 6));
    p->scopes = xstrdup(db_column_text(st, 7));
    p->role_claim = xstrdup(db_column_text(st, 8));
    p->jit = db_column_int(st, 9) != 0;
    p->mfa_values = xstrdup(db_column_text(st, 10));
}

int store_idp_add(Db *db, const IdpRow *p, int64_t *id)
{
    DbStmt *st = NULL;
    char now[21];
    int rc = -1;
    store_user_now(now);
    if (db_prepare(db, &st, "SELECT 1 FROM idp WHERE name = :name")) return -1;
    db_bind_text(st, ":name", p->name);
    int r = db_step(st);
    db_finalize(st);
    st = NULL;
    if (r == DB_ERROR) return -1;
    if (r == DB_ROW) return 1;
    if (db_prepare(db, &st, "INSERT INTO idp (name, kind, label, issuer, client_id, "
                            "client_secret, scopes, role_claim, jit, mfa_values, created_at) "
                            "VALUES (:name, :kind, :label, :issuer, :cid, :secret, :scopes, "
                            ":claim, :jit, :mfa, :now)"))
        goto out;
    db_bind_text(st, ":name", p->name);
    db_bind_text(st, ":kind", p->kind);
    db_bind_text(st, ":label", p->label);
    db_bind_text(st, ":issuer", p->issuer);
    db_bind_text(st, ":cid", p->client_id);
    db_bind_text(st, ":secret", p->client_secret);
    db_bind_text(st, ":scopes", p->scopes);
    db_bind_text(st, ":claim", p->role_claim);
    db_bind_int(st, ":jit", p->jit);
    db_bind_text(st, ":mfa", p->mfa_values);
    db_bind_text(st, ":now", now);
    if (db_step(st) != DB_DONE) goto out;
    *id = db_last_id(db);
    rc = 0;
out:
    db_finalize(st);
    return rc;
}

int store_idp_get(Db *db, const char *name, IdpRow *p)
{
    DbStmt *st = NULL;
    memset(p, 0, sizeof *p);
    if (db_prepare(db, &st, "SELECT " IDP_COLUMNS " FROM idp WHERE name = :name")) return -1;
    db_bind_text(st, ":name", name);
    int r = db_step(st);
    if (r == DB_ROW) idp_read(st, p);
    db_finalize(st);
    return r == DB_ROW ? 1 : r == DB_DONE ? 0 : -1;
}

int store_idp_get_id(Db *db, int64_t id, IdpRow *p)
{
    DbStmt *st = NULL;
    memset(p, 0, sizeof *p);
    if (db_prepare(db, &st, "SELECT " IDP_COLUMNS " FROM idp WHERE id = :id")) return -1;
    db_bind_int(st, ":id", id);
    int r = db_step(st);
    if (r == DB_ROW) idp_read(st, p);
    db_finalize(st);
    return r == DB_ROW ? 1 : r == DB_DONE ? 0 : -1;
}

int store_idp_list(Db *db, IdpRow **out, size_t *n)
{
    DbStmt *st = NULL;
    IdpRow *a = NULL;
    size_t count = 0, cap = 0;
    *out = NULL;
    *n = 0;
    if (db_prepare(db, &st, "SELECT " IDP_COLUMNS " FROM idp ORDER BY name")) return -1;
    int r;
    while ((r = db_step(st)) == DB_ROW) {
        if (count == cap) {
            cap = cap ? 2 * cap : 4;
            a = xrealloc(a, cap * sizeof *a);
        }
        memset(&a[count], 0, sizeof *a);
        idp_read(st, &a[count++]);
    }
    db_finalize(st);
    if (r != DB_DONE) {
        store_idp_list_free(a, count);
        return -1;
    }
    *out = a;
    *n = count;
    return 0;
}

int store_idp_remove(Db *db, const char *name)
{
    DbStmt *st = NULL;
    if (db_prepare(db, &st, "DELETE FROM idp WHERE name = :name")) return -1;
    db_bind_text(st, ":name", name);
    int64_t before = db_changes(db);
    int rc = db_step(st) == DB_DONE ? 0 : -1;
    if (rc == 0 && db_changes(db) == before) rc = 1;
    db_finalize(st);
    return rc;
}

int store_idp_role_set(Db *db, int64_t idp_id, const char *value, const char *role)
{
    DbStmt *st = NULL;
    int rc;
    if (role) {
        if (db_prepare(db, &st, "INSERT INTO idp_role (idp_id, value, role) VALUES (:idp, "
                                ":value, :role) ON CONFLICT (idp_id, value) DO UPDATE SET "
                                "role = excluded.role"))
            return -1;
        db_bind_text(st, ":role", role);
    } else if (db_prepare(db, &st, "DELETE FROM idp_role WHERE idp_id = :idp AND value = :value")) {
        return -1;
    }
    db_bind_int(st, ":idp", idp_id);
    db_bind_text(st, ":value", value);
    int64_t before = db_changes(db);
    rc = db_step(st) == DB_DONE ? 0 : -1;
    if (rc == 0 && !role && db_changes(db) == before) rc = 1;
    db_finalize(st);
    return rc;
}

int store_idp_role_list(Db *db, int64_t idp_id, IdpRole **out, size_t *n)
{
    DbStmt *st = NULL;
    IdpRole *a = NULL;
    size_t count = 0, cap = 0;
    *out = NULL;
    *n = 0;
    if (db_prepare(db, &st, "SELECT value, role FROM idp_role WHERE idp_id = :idp ORDER BY value"))
        return -1;
    db_bind_int(st, ":idp", idp_id);
    int r;
    while ((r = db_step(st)) == DB_ROW) {
        if (count == cap) {
            cap = cap ? 2 * cap : 8;
            a = xrealloc(a, cap * sizeof *a);
        }
        snprintf(a[count].value, sizeof a[count].value, "%s", db_column_text(st, 0));
        snprintf(a[count].role, sizeof a[count].role, "%s", db_column_text(st, 1));
        count++;
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

int64_t store_identity_user(Db *db, const char *issuer, const char *subject)
{
    DbStmt *st = NULL;
    if (db_prepare(db, &st, "SELECT user_id FROM user_identity WHERE issuer = :iss AND "
                            "subject = :sub"))
        return -1;
    db_bind_text(st, ":iss", issuer);
    db_bind_text(st, ":sub", subject);
    int r = db_step(st);
    int64_t id = r == DB_ROW ? db_column_int(st, 0) : r == DB_DONE ? 0 : -1;
    db_finalize(st);
    return id;
}

int store_identity_link(Db *db, const char *issuer, const char *subject, int64_t user_id,
                        const char *now)
{
    DbStmt *st = NULL;
    if (db_prepare(db, &st, "INSERT INTO user_identity (issuer, subject, user_id, created_at, "
                            "last_login) VALUES (:iss, :sub, :uid, :now, :now) ON CONFLICT "
                            "(issuer, subject) DO UPDATE SET last_login = excluded.last_login"))
        return -1;
    db_bind_text(st, ":iss", issuer);
    db_bind_text(st, ":sub", subject);
    db_bind_int(st, ":uid", user_id);
    db_bind_text(st, ":now", now);
    int rc = db_step(st) == DB_DONE ? 0 : -1;
    db_finalize(st);
    return rc;
}

int64_t store_identity_count(Db *db, int64_t user_id)
{
    DbStmt *st = NULL;
    if (db_prepare(db, &st, "SELECT count(*) FROM user_identity WHERE user_id = :uid")) return -1;
    db_bind_int(st, ":uid", user_id);
    int64_t n = db_step(st) == DB_ROW ? db_column_int(st, 0) : -1;
    db_finalize(st);
    return n;
}

int store_oidc_pending_add(Db *db, const char *state_hash, const OidcPending *p,
                           const char *forget_before)
{
    DbStmt *st = NULL;
    if (db_prepare(db, &st, "DELETE FROM oidc_pending WHERE created_at < :before")) return -1;
    db_bind_text(st, ":before", forget_before);
    int r = db_step(st);
    db_finalize(st);
    if (r != DB_DONE) return -1;
    if (db_prepare(db, &st, "INSERT INTO oidc_pending (state_hash, idp_id, browser_hash, nonce, "
                            "verifier, next, created_at) VALUES (:state, :idp, :browser, :nonce, "
                            ":verifier, :next, :now)"))
        return -1;
    db_bind_text(st, ":state", state_hash);
    db_bind_int(st, ":idp", p->idp_id);
    db_bind_text(st, ":browser", p->browser_hash);
    db_bind_text(st, ":nonce", p->nonce);
    db_bind_text(st, ":verifier", p->verifier);
    db_bind_text(st, ":next", p->next);
    db_bind_text(st, ":now", p->created_at);
    int rc = db_step(st) == DB_DONE ? 0 : -1;
    db_finalize(st);
    return rc;
}

int store_oidc_pending_take(Db *db, const char *state_hash, OidcPending *out)
{
    DbStmt *st = NULL;
    memset(out, 0, sizeof *out);
    if (db_prepare(db, &st, "DELETE FROM oidc_pending WHERE state_hash = :state RETURNING "
                            "idp_id, browser_hash, nonce, verifier, next, created_at"))
        return -1;
    db_bind_text(st, ":state", state_hash);
    int r = db_step(st);
    if (r == DB_ROW) {
        out->idp_id = db_column_int(st, 0);
        snprintf(out->browser_hash, sizeof out->browser_hash, "%s", db_column_text(st, 1));
        snprintf(out->nonce, sizeof out->nonce, "%s", db_column_text(st, 2));
        snprintf(out->verifier, sizeof out->verifier, "%s", db_column_text(st, 3));
        snprintf(out->next, sizeof out->next, "%s", db_column_text(st, 4));
        snprintf(out->created_at, sizeof out->created_at, "%s", db_column_text(st, 5));
        if (db_step(st) != DB_DONE) r = DB_ERROR;
    }
    db_finalize(st);
    return r == DB_ROW ? 1 : r == DB_DONE ? 0 : -1;
}
