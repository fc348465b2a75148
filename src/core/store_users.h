/*
 * store_users.h — the accounts of the people who sign in: app_user, their
 * recovery codes and the last TOTP step each used (schema version 3).
 *
 * All SQL about accounts lives in store_users.c. Functions take the open
 * database, return 0 on success and -1 on a database error (db_errmsg()
 * says what failed), unless they say otherwise. Writers that must be atomic
 * with a check (the last active admin) are run by the caller inside
 * db_begin()/db_commit(). Hashes and secrets are stored as given: hashing
 * is the caller's (password.h, totp.h).
 */
#ifndef ITSTRAT_STORE_USERS_H
#define ITSTRAT_STORE_USERS_H
#include <stddef.h>
#include <stdint.h>

#include "db.h"

#define USER_LOGIN_MAX 64 /* characters of a login */

/* One account; every string is owned by the row (store_user_free). */
typedef struct UserRow {
    int64_t id;
    char *login;          /* 1-64 of A-Z a-z 0-9 . _ - @, unique without regard to case */
    char *name;           /* full name, or NULL */
    char *role;           /* admin, manager, contributor or viewer */
    char *password_hash;  /* Argon2id string (password.h) */
    char *totp_secret;    /* base32, NULL until MFA enrolment is confirmed */
    int disabled;         /* 1: may not sign in */
    int failed_logins;    /* failed sign-ins since the last good one */
    char *locked_until;   /* UTC 'YYYY-MM-DDTHH:MM:SSZ', or NULL */
    char *created_at;     /* UTC 'YYYY-MM-DDTHH:MM:SSZ' */
    int64_t version;      /* bumped by every change */
    char *email;          /* e-mail address (schema 6), or NULL */
} UserRow;

/* 1 when login is 1 to USER_LOGIN_MAX characters of letters, digits and
 * . _ - @ (ASCII); 0 otherwise. */
int store_user_login_valid(const char *login);
/* 1 when role is one of the four roles of app_user. */
int store_user_role_valid(const char *role);
/* Writes the current UTC time as 'YYYY-MM-DDTHH:MM:SSZ' into out. */
void store_user_now(char out[21]);

void store_user_free(UserRow *u); /* frees the strings; u is zeroed */

/* Inserts an account. Returns 0 and *id, 1 when the login is taken (in any
 * case), -1 on a database error. */
int store_user_create(Db *db, const char *login, const char *name, const char *role,
                      const char *password_hash, int64_t *id);

/* Reads the account login (without regard to case) into *u. Returns 1
 * (found; caller frees u with store_user_free), 0 (no such account), -1. */
int store_user_get(Db *db, const char *login, UserRow *u);

/* Reads account id into *u: 1 found (caller frees u), 0 none, -1. */
int store_user_get_id(Db *db, int64_t id, UserRow *u);

/* Reads the account with e-mail address email (without regard to case):
 * 1 found (caller frees u), 0 none, -1. */
int store_user_get_email(Db *db, const char *email, UserRow *u);
/* Sets (or with NULL clears) the e-mail address of account id. 0 or -1 (also
 * when another account has that address: it is unique). */
int store_user_set_email(Db *db, int64_t id, const char *email);

/* Every account by login into *out (caller frees with store_user_list_free).
 * Returns 0 or -1 (then *out is NULL and *n 0). */
int store_user_list(Db *db, UserRow **out, size_t *n);
void store_user_list_free(UserRow *a, size_t n);

/* Number of accounts, or -1. */
int64_t store_user_count(Db *db);
/* Number of accounts with role admin that are not disabled, or -1. */
int64_t store_user_active_admins(Db *db);

/* Sets the password hash of account id, clears its failed sign-ins and
 * lock-out and ends its sessions (so a stolen session dies with the old
 * password). 0, 1 (no such account) or -1. */
int store_user_set_password(Db *db, int64_t id, const char *password_hash);
/* Sets the role (a valid role). 0, 1 (no such account) or -1. */
int store_user_set_role(Db *db, int64_t id, const char *role);
/* Disables (and ends the sessions of) or enables account id; enabling also
 * clears failed sign-ins and the lock-out. 0, 1 (no such account) or -1. */
int store_user_set_disabled(Db *db, int64_t id, int disabled);

/* Counts one failed sign-in of account id and returns the new count in
 * *count; when locked_until is not NULL the account is locked until then.
 * 0 or -1. */
int store_user_login_failed(Db *db, int64_t id, const char *locked_until, int *count);
/* A good sign-in: clears failed sign-ins and the lock-out. 0 or -1. */
int store_user_login_ok(Db *db, int64_t id);

/* Sets (secret base32) or removes (secret NULL) the TOTP secret of account
 * id; either way forgets its last used step. Removing it also deletes the
 * recovery codes. 0, 1 (no such account) or -1. */
int store_user_set_totp(Db *db, int64_t id, const char *secret);
/* The last TOTP step account id used into *step (-1: none). 0 or -1. */
int store_user_totp_last_step(Db *db, int64_t id, int64_t *step);
/* Records that account id used TOTP step, only if step is later than the
 * last one recorded, in one statement (two sign-ins racing with the same
 * code cannot both win). Returns 0 when recorded, 1 when step was not
 * later (a replay: refuse the sign-in), -1 on error. */
int store_user_totp_use_step(Db *db, int64_t id, int64_t step);

/* Replaces the recovery codes of account id with n digests (totp.h's
 * recovery_hash). Run inside a transaction so that it is all or nothing.
 * 0 or -1. */
int store_user_recovery_set(Db *db, int64_t id, char (*hashes)[65], size_t n);
/* Uses the recovery code with digest hash of account id: 0 when it was
 * there unused and is now used, 1 when there is no such unused code, -1. */
int store_user_recovery_use(Db *db, int64_t id, const char *hash);
/* Number of unused recovery codes of account id, or -1. */
int64_t store_user_recovery_left(Db *db, int64_t id);

/* Optimistic concurrency for forms that change an account: 0 when account
 * id is still at version (nobody changed it since the form was shown), 1
 * when it has moved on or no longer exists, -1 on error. Run it inside the
 * transaction of the change, so nothing can slip in between. */
int store_user_check_version(Db *db, int64_t id, int64_t version);

#endif
