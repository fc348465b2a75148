/*
 * audit.h — the tamper-evident audit trail (table `audit`, schema 3).
 *
 * Every change (CLI import, web, API) appends one entry: who, when, from
 * where, what (action, entity, key) and small JSON summaries of the record
 * before and after. Entries are chained: each entry's hash is BLAKE2b-256
 * (libsodium's crypto_generichash, 32 bytes, lower-case hex) over
 *
 *     "itstrat-audit-1" then, for each of id (decimal text), at, actor, via,
 *     address, action, entity, entity_key, before, after, prev_hash:
 *     one byte 0 for NULL, or one byte 1, the length as 8 bytes big-endian
 *     and the bytes of the text
 *
 * so that no two different entries serialize the same (NULL differs from "",
 * and no field can run into the next). prev_hash is the hash of the entry
 * before, or AUDIT_GENESIS for the first. The head (last id and hash) is also
 * kept in the setting table under "audit_head", so removing the last entries
 * shows too. Triggers of the schema refuse UPDATE and DELETE on the table.
 *
 * Limit: nothing here is secret. Someone who can rewrite the whole database
 * file can recompute every hash and the head; the chain proves integrity
 * against partial edits. Recording the head (`itstrat audit verify` prints
 * it) in the governing body's minutes pins everything up to that entry.
 *
 * Who acts: an AuditActor says who (login, or the OS user for the CLI), via
 * (cli, web, api) and from where (client address). Writers deep in the
 * import code do not take it as a parameter: they pass NULL to audit_append()
 * and get the current actor of their thread, which a web request handler
 * sets with audit_set_actor() for the time of the request (and clears after),
 * and which otherwise is the CLI actor: $ITSTRAT_ACTOR if set, else the OS
 * login. Thread-local, so parallel requests never see each other's actor.
 *
 * The clock: `at` is UTC "YYYY-MM-DDTHH:MM:SSZ"; when the environment holds
 * ITSTRAT_NOW in that form, that time is used instead (tests).
 */
#ifndef ITSTRAT_AUDIT_H
#define ITSTRAT_AUDIT_H
#include <stdint.h>

#include "buf.h"
#include "db.h"

#define AUDIT_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"
#define AUDIT_HEAD_KEY "audit_head" /* setting: "ID HASH" of the last entry */

typedef struct AuditActor {
    char login[128];    /* who: a login, or the OS user for the CLI; never empty */
    const char *via;    /* "cli", "web" or "api" (a static string) */
    char address[64];   /* client address; "" for the CLI */
} AuditActor;

/* Fills a with the CLI actor: $ITSTRAT_ACTOR when set and not empty, else the
 * login of the effective user (getpwuid), else "uid N"; via "cli", no
 * address. Control characters become '?'; a long name is cut at 127 bytes
 * (at a UTF-8 character boundary). Cannot fail. */
void audit_actor_cli(AuditActor *a);

/* Sets the actor of the calling thread's changes (borrowed: a must stay valid
 * until audit_set_actor(NULL)); NULL goes back to the CLI actor. */
void audit_set_actor(const AuditActor *a);

/* The calling thread's actor: the one set, else the CLI actor (filled once
 * per thread). */
const AuditActor *audit_actor(void);

/* Writes the current UTC time "YYYY-MM-DDTHH:MM:SSZ" (or $ITSTRAT_NOW when it
 * has that form) into out. */
void audit_now(char out[21]);

/* Appends an entry by actor (NULL: audit_actor()) about entity/entity_key
 * (e.g. "strategy", "2018-21"); before and after are JSON texts or NULL.
 * Must run inside the caller's write transaction (db_begin), so the entry is
 * committed or rolled back with the change it records. Reads the head (the
 * setting, else the table's last entry, else AUDIT_GENESIS), inserts entry
 * head id + 1 and moves the head to it. Returns 0, or -1 with db_errmsg(db)
 * set (e.g. no transaction is open and another writer took the id). */
int audit_append(Db *db, const AuditActor *actor, const char *action, const char *entity,
                 const char *entity_key, const char *before, const char *after);

/* One entry as read back. Text members point into the statement's row and are
 * valid only during the callback; address, entity_key, before, after may be
 * NULL. */
typedef struct AuditEntry {
    int64_t id;
    const char *at, *actor, *via, *address, *action, *entity, *entity_key;
    const char *before, *after, *prev_hash, *hash;
} AuditEntry;

/* Called with each problem found: the entry (0 when the problem is not one
 * entry's) and what is wrong, for a person. */
typedef void (*AuditReport)(void *ctx, int64_t id, const char *problem);

/* Walks every entry in id order, recomputing each hash and checking the ids
 * (1, 2, 3, ...), each prev_hash against the hash before it, and the last entry
 * against the head in the setting table. Reports the first problem only:
 * an id gap (entries removed), a hash that does not match the entry (edited),
 * a prev_hash that does not match (an entry before it removed, inserted or
 * rewritten), a head that names another entry (the last entries removed, or
 * entries added behind itstrat's back). *nentries and head (hex, may be NULL)
 * receive the number of entries and the last hash. Returns 0 when intact, 1
 * when broken (report was called), -1 on a database error (db_errmsg). */
int audit_verify(Db *db, AuditReport report, void *ctx, int64_t *nentries, char head[65]);

/* audit_verify()'s answer kept for a page or a command. */
typedef struct AuditCheck {
    int64_t entries;     /* entries read */
    char head[65];       /* hash of the last one */
    int64_t broken_at;   /* the first entry in question (0: not one entry's problem) */
    char problem[512];   /* what is wrong, for a person; "" when intact */
} AuditCheck;

/* Runs audit_verify() and keeps its report in *c: 0 intact, 1 broken, -1 on
 * a database error (db_errmsg). */
int audit_check(Db *db, AuditCheck *c);

/* Which entries audit_list() returns. NULL / 0 members do not filter. */
typedef struct AuditFilter {
    const char *entity;      /* exactly this entity */
    const char *actor;       /* this actor (case does not matter) */
    const char *key;         /* exactly this entity_key (one record's history) */
    const char *key_prefix;  /* entity_key starts with this */
    const char *via;         /* exactly this via ("cli", "web", "api") */
    const char *action;      /* exactly this action ("login", "import", ...) */
    const char *since;       /* at >= this time ("YYYY-MM-DDTHH:MM:SSZ") */
    const char *until;       /* at <= this time (same form) */
    int64_t limit;           /* at most this many; 0: all */
    int64_t offset;          /* skip this many first */
    int newest_first;        /* 1: by id descending (history views) */
} AuditFilter;

/* Calls row(ctx, e) for each matching entry, in id order (or reversed). A
 * callback returning non-zero stops the walk (then that value is returned).
 * Returns 0, or -1 on a database error (db_errmsg). */
int audit_list(Db *db, const AuditFilter *f, int (*row)(void *ctx, const AuditEntry *e),
               void *ctx);

/* The number of entries matching f (limit and offset ignored) into *n.
 * Returns 0, or -1 on a database error (db_errmsg). */
int audit_count(Db *db, const AuditFilter *f, int64_t *n);

/* Called by audit_changes() for one member that differs: its name, and its
 * value before and after as text (a JSON string's own text; any other value
 * as compact JSON; NULL when the member is absent on that side). The texts
 * are valid only during the call. */
typedef void (*AuditChange)(void *ctx, const char *name, const char *was, const char *now);

/* Compares an entry's before and after JSON (either may be NULL: a creation
 * or a deletion) member by member and calls change(ctx, ...) for each member
 * whose value differs, in the order of before's members, then the members
 * only after has. A text that is JSON but not an object counts as one member
 * named "". Returns the number of changed members, or -1 when before or
 * after is not JSON (change is not called then). Allocates only for the
 * call. */
int audit_changes(const char *before, const char *after, AuditChange change, void *ctx);

/* The hash of e as audit_append() computes it, from all of e's members but
 * hash, as hex into out. Exposed for tests. */
void audit_hash(const AuditEntry *e, char out[65]);

#endif
