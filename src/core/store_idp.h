/*
 * store_idp.h — identity providers (schema 6): the providers an admin
 * configured, the table of claim values to roles, the identities linked to
 * accounts, and the OpenID Connect sign-ins under way.
 *
 * All SQL about providers lives in store_idp.c. Functions return 0 on
 * success and -1 on a database error (db_errmsg) unless they say otherwise.
 * The client secret is stored as given (sealed by idp_secret.h): never in
 * clear in the database.
 */
#ifndef ITSTRAT_STORE_IDP_H
#define ITSTRAT_STORE_IDP_H
#include <stddef.h>
#include <stdint.h>

#include "db.h"

#define IDP_NAME_MAX 32 /* characters of a provider's name (a-z 0-9 -) */

/* One provider; every string is owned by the row (store_idp_free). */
typedef struct IdpRow {
    int64_t id;
    char *name;           /* in /login/oidc/NAME */
    char *kind;           /* "oidc" (or "ldap", for later) */
    char *label;          /* the sign-in button's text */
    char *issuer;         /* exactly as the ID token's iss */
    char *client_id;
    char *client_secret;  /* sealed (idp_secret.h), or NULL: a public client */
    char *scopes;         /* space separated, "openid" among them */
    char *role_claim;     /* claim whose values map to roles ("groups") */
    int jit;              /* 1: accounts are made at first sign-in */
    char *mfa_values;     /* amr/acr values that count as a second factor, or NULL */
} IdpRow;

/* 1 when name is 1 to IDP_NAME_MAX of a-z 0-9 -, not starting with '-'. */
int store_idp_name_valid(const char *name);
void store_idp_free(IdpRow *p);
void store_idp_list_free(IdpRow *a, size_t n);

/* Inserts p (id ignored). 0 and *id, 1 when the name is taken, -1. */
int store_idp_add(Db *db, const IdpRow *p, int64_t *id);
/* Reads provider name: 1 found (caller frees p), 0 none, -1. */
int store_idp_get(Db *db, const char *name, IdpRow *p);
/* Reads provider id: 1 found (caller frees p), 0 none, -1. */
int store_idp_get_id(Db *db, int64_t id, IdpRow *p);
/* Every provider by name (caller frees with store_idp_list_free). */
int store_idp_list(Db *db, IdpRow **out, size_t *n);
/* Removes provider name with its role table and pending sign-ins; the
 * accounts and their identities stay. 0, 1 (no such provider) or -1. */
int store_idp_remove(Db *db, const char *name);

/* One row of the role table. */
typedef struct IdpRole {
    char value[257];  /* the claim's value (a group name) */
    char role[16];
} IdpRole;
#define IDP_ROLE_VALUE_MAX 256

/* Sets value -> role for provider idp_id (role NULL: removes the row).
 * 0, 1 (removing a row that is not there) or -1. */
int store_idp_role_set(Db *db, int64_t idp_id, const char *value, const char *role);
/* The role table of idp_id by value (caller frees *out). 0 or -1. */
int store_idp_role_list(Db *db, int64_t idp_id, IdpRole **out, size_t *n);

/* The account linked to (issuer, subject): its id, 0 none, -1. */
int64_t store_identity_user(Db *db, const char *issuer, const char *subject);
/* Links (issuer, subject) to account user_id, or updates last_login when
 * it is linked already. */
int store_identity_link(Db *db, const char *issuer, const char *subject, int64_t user_id,
                        const char *now);
/* How many identities account user_id has, or -1. */
int64_t store_identity_count(Db *db, int64_t user_id);

/* A sign-in under way (strings are the row's copies, fixed size). */
typedef struct OidcPending {
    int64_t idp_id;
    char browser_hash[65];
    char nonce[64];
    char verifier[64];
    char next[512];
    char created_at[21];
} OidcPending;

/* Stores a sign-in under way keyed by the digest of its state, first
 * forgetting those created before forget_before. */
int store_oidc_pending_add(Db *db, const char *state_hash, const OidcPending *p,
                           const char *forget_before);
/* Takes (reads and deletes, in one statement: a state is used once) the
 * sign-in of state_hash. 1 found, 0 none (unknown or used), -1. */
int store_oidc_pending_take(Db *db, const char *state_hash, OidcPending *out);

#endif
