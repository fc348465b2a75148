/*
 * store_sessions.h — sign-in state: server-side sessions, API tokens,
 * failed sign-ins by address, and the settings an admin changes (schema 3-4).
 *
 * The session cookie and an API token are random secrets the server shows
 * once; the tables keep only their BLAKE2b digests (session.c hashes), so a
 * copy of the database opens no session. Functions return 0 on success and
 * -1 on a database error (db_errmsg) unless they say otherwise. Times are
 * UTC 'YYYY-MM-DDTHH:MM:SSZ' texts, which sort as times.
 */
#ifndef ITSTRAT_STORE_SESSIONS_H
#define ITSTRAT_STORE_SESSIONS_H
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "db.h"

/* A session joined with its account, as every signed-in request reads it. */
typedef struct SessionRow {
    int64_t user_id;
    char csrf[64];         /* the form token of this session */
    char created_at[21], last_seen[21];
    int mfa_pending;       /* 1: password right, second factor still to come */
    char login[65];
    char name[256];        /* "" when the account has no name */
    char role[16];
    int disabled;
    int has_totp;          /* the account has confirmed TOTP enrolment, or the session's
                            * identity provider said it used a second factor (amr/acr) */
    int mfa_required;      /* the admin requires a second factor of everyone */
} SessionRow;

/* Stores a new session (token_hash: hex digest of the cookie). */
int store_session_create(Db *db, const char *token_hash, int64_t user_id, const char *csrf,
                         const char *address, int mfa_pending, const char *now);
/* Reads the session of token_hash with its account: 1 found, 0 none, -1.
 * Its statement stays prepared with the connection. */
int store_session_get(Db *db, const char *token_hash, SessionRow *out);
/* Marks a session as opened through identity provider idp_id (schema 6);
 * mfa_idp 1: the provider's amr/acr counted as the second factor. */
int store_session_set_idp(Db *db, const char *token_hash, int64_t idp_id, int mfa_idp);
/* The identity provider a session was opened through: its id, 0 (none, or
 * no such session) or -1. */
int64_t store_session_idp(Db *db, const char *token_hash);
/* Sets last_seen of the session to now. */
int store_session_touch(Db *db, const char *token_hash, const char *now);
/* Ends one session (0 also when there was none). */
int store_session_delete(Db *db, const char *token_hash);
/* Ends every session of an account; *n (may be NULL) gets how many. */
int store_session_delete_user(Db *db, int64_t user_id, int64_t *n);
/* Removes sessions idle since before idle_before or created before
 * created_before (both times). */
int store_session_prune(Db *db, const char *idle_before, const char *created_before);
/* Number of sessions of an account, or -1. */
int64_t store_session_count(Db *db, int64_t user_id);

/* An API token as listed (never the secret: only its digest is stored). */
typedef struct TokenRow {
    int64_t id, user_id;
    char name[129];
    char scope[8];          /* "read" or "write" */
    char created_at[21];
    char expires_at[21];    /* "" when it does not expire */
    char revoked_at[21];    /* "" when not revoked */
    char login[65], role[16];
    int disabled;           /* the account is disabled */
} TokenRow;

#define TOKEN_NAME_MAX 128

/* Stores a token; expires_at may be NULL. 0 and *id, or -1. */
int store_token_create(Db *db, int64_t user_id, const char *name, const char *token_hash,
                       const char *scope, const char *expires_at, const char *now, int64_t *id);
/* The token with digest token_hash and its account: 1 found, 0 none, -1. */
int store_token_get(Db *db, const char *token_hash, TokenRow *out);
/* The tokens of an account, newest first (caller frees *out). 0 or -1. */
int store_token_list(Db *db, int64_t user_id, TokenRow **out, size_t *n);
/* Revokes token id of account user_id (user_id 0: of any account): 0 done,
 * 1 no such token (or already revoked), -1. */
int store_token_revoke(Db *db, int64_t user_id, int64_t id, const char *now);
/* Revokes every token of account user_id not yet revoked; *n: how many. 0 or -1. */
int store_token_revoke_user(Db *db, int64_t user_id, const char *now, int64_t *n);

/* Records one failed sign-in from address at now, forgetting failures older
 * than forget_before. */
int store_login_failure_add(Db *db, const char *address, const char *now,
                            const char *forget_before);
/* Failed sign-ins from address since since, or -1. */
int64_t store_login_failure_count(Db *db, const char *address, const char *since);

/* The value of setting key appended to out: 1 found, 0 none, -1. */
int store_setting_get(Db *db, const char *key, Buf *out);
/* Sets (value not NULL) or removes a setting. */
int store_setting_set(Db *db, const char *key, const char *value);

#endif
