/*
 * audit.c — the hash-chained audit trail: appending, verifying and listing
 * entries (audit.h explains the construction). All SQL of the audit table
 * and of the "audit_head" setting lives here.
 */
#include "audit.h"

#include <inttypes.h>
#include <jansson.h>
#include <pwd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static _Thread_local const AuditActor *audit_current; /* set by a request handler */
static _Thread_local AuditActor audit_cli;            /* the default, filled once */
static _Thread_local int audit_cli_ready;

/* Copies s into out (size n): control characters become '?', and a cut falls
 * on a UTF-8 character boundary. */
static void audit_copy_name(char *out, size_t n, const char *s)
{
    size_t len = strlen(s);
    if (len > n - 1) {
        len = n - 1;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80) len--;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        out[i] = c < 0x20 || c == 0x7F ? '?' : (char)c;
    }
    out[len] = 0;
}

void audit_actor_cli(AuditActor *a)
{
    memset(a, 0, sizeof *a);
    a->via = "cli";
    const char *env = getenv("ITSTRAT_ACTOR");
    if (env && *env) {
        audit_copy_name(a->login, sizeof a->login, env);
        return;
    }
    char buf[4096];
    struct passwd pw, *ppw = NULL;
    if (getpwuid_r(geteuid(), &pw, buf, sizeof buf, &ppw) == 0 && ppw && ppw->pw_name &&
        *ppw->pw_name)
        audit_copy_name(a->login, sizeof a->login, ppw->pw_name);
    else
        snprintf(a->login, sizeof a->login, "uid %ju", (uintmax_t)geteuid());
}

void audit_set_actor(const AuditActor *a)
{
    audit_current = a;
}

const AuditActor *audit_actor(void)
{
    if (audit_current) return audit_current;
    if (!audit_cli_ready) {
        audit_actor_cli(&audit_cli);
        audit_cli_ready = 1;
    }
    return &audit_cli;
}

/* 1 when s is "YYYY-MM-DDTHH:MM:SSZ" with plausible digits. */
static int audit_time_valid(const char *s)
{
    static const char pat[] = "dddd-dd-ddTdd:dd:ddZ";
    if (strlen(s) != sizeof pat - 1) return 0;
    for (size_t i = 0; pat[i]; i++)
        if (pat[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != pat[i]) return 0;
    return 1;
}

void audit_now(char out[21])
{
    const char *env = getenv("ITSTRAT_NOW");
    if (env && audit_time_valid(env)) {
        memcpy(out, env, 21);
        return;
    }
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Feeds one field: 0 for NULL, else 1, the length (8 bytes, big-endian), the bytes. */
static void audit_field(crypto_generichash_state *st, const char *s)
{
    unsigned char hdr[9] = {0};
    if (!s) {
        crypto_generichash_update(st, hdr, 1);
        return;
    }
    uint64_t n = strlen(s);
    hdr[0] = 1;
    for (int i = 0; i < 8; i++) hdr[1 + i] = (unsigned char)(n >> (56 - 8 * i));
    crypto_generichash_update(st, hdr, sizeof hdr);
    crypto_generichash_update(st, (const unsigned char *)s, n);
}

void audit_hash(const AuditEntry *e, char out[65])
{
    static const char domain[] = "itstrat-audit-1";
    char id[24];
    snprintf(id, sizeof id, "%" PRId64, e->id);
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, 32);
    crypto_generichash_update(&st, (const unsigned char *)domain, sizeof domain - 1);
    const char *fields[] = {id, e->at, e->actor, e->via, e->address, e->action, e->entity,
                            e->entity_key, e->before, e->after, e->prev_hash};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) audit_field(&st, fields[i]);
    unsigned char h[32];
    crypto_generichash_final(&st, h, sizeof h);
    sodium_bin2hex(out, 65, h, sizeof h);
}

/* Reads the head setting "ID HASH": 1 when present and well formed, 0 when
 * absent, 2 when present but unreadable, -1 on a database error. */
static int audit_head_read(Db *db, int64_t *id, char hash[65])
{
    DbStmt *st;
    if (db_prepare(db, &st, "SELECT value FROM setting WHERE key = :key")) return -1;
    db_bind_text(st, ":key", AUDIT_HEAD_KEY);
    int r = db_step(st), rc = 0;
    if (r == DB_ERROR) rc = -1;
    else if (r == DB_ROW) {
        const char *v = db_column_text(st, 0);
        char *end;
        long long n = v ? strtoll(v, &end, 10) : 0;
        rc = 2;
        if (v && end != v && n > 0 && *end == ' ' && strlen(end + 1) == 64 &&
            strspn(end + 1, "0123456789abcdef") == 64) {
            *id = n;
            memcpy(hash, end + 1, 65);
            rc = 1;
        }
    }
    db_finalize(st);
    return rc;
}

/* The last entry of the table: 1 with id and hash, 0 when empty, -1 on error. */
static int audit_last(Db *db, int64_t *id, char hash[65])
{
    DbStmt *st;
    if (db_prepare(db, &st, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")) return -1;
    int r = db_step(st), rc = r == DB_ERROR ? -1 : 0;
    if (r == DB_ROW) {
        *id = db_column_int(st, 0);
        snprintf(hash, 65, "%s", db_column_text(st, 1) ? db_column_text(st, 1) : "");
        rc = 1;
    }
    db_finalize(st);
    return rc;
}

int audit_append(Db *db, const AuditActor *actor, const char *action, const char *entity,
                 const char *entity_key, const char *before, const char *after)
{
    if (!actor) actor = audit_actor();
    int64_t last = 0;
    char prev[65] = AUDIT_GENESIS, at[21], hash[65], head[96];
    /* The head when there is one: after the last entries were removed, the
     * next entry still chains to the removed one and the gap shows. */
    int h = audit_head_read(db, &last, prev);
    if (h < 0) return -1;
    if (h != 1 && audit_last(db, &last, prev) < 0) return -1;
    audit_now(at);
    AuditEntry e = {.id = last + 1, .at = at, .actor = actor->login, .via = actor->via,
                    .address = actor->address[0] ? actor->address : NULL, .action = action,
                    .entity = entity, .entity_key = entity_key, .before = before,
                    .after = after, .prev_hash = prev};
    audit_hash(&e, hash);
    DbStmt *st = NULL;
    int rc = -1;
    if (db_prepare(db, &st,
                   "INSERT INTO audit (id, at, actor, via, address, action, entity, entity_key,"
                   " before, after, prev_hash, hash) VALUES (:id, :at, :actor, :via, :address,"
                   " :action, :entity, :key, :before, :after, :prev, :hash)"))
        goto out;
    db_bind_int(st, ":id", e.id);
    db_bind_text(st, ":at", e.at);
    db_bind_text(st, ":actor", e.actor);
    db_bind_text(st, ":via", e.via);
    db_bind_text(st, ":address", e.address);
    db_bind_text(st, ":action", e.action);
    db_bind_text(st, ":entity", e.entity);
    db_bind_text(st, ":key", e.entity_key);
    db_bind_text(st, ":before", e.before);
    db_bind_text(st, ":after", e.after);
    db_bind_text(st, ":prev", e.prev_hash);
    db_bind_text(st, ":hash", hash);
    if (db_step(st) != DB_DONE) goto out;
    db_finalize(st);
    st = NULL;
    snprintf(head, sizeof head, "%" PRId64 " %s", e.id, hash);
    if (db_prepare(db, &st,
                   "INSERT INTO setting (key, value) VALUES (:key, :value)"
                   " ON CONFLICT (key) DO UPDATE SET value = excluded.value"))
        goto out;
    db_bind_text(st, ":key", AUDIT_HEAD_KEY);
    db_bind_text(st, ":value", head);
    if (db_step(st) != DB_DONE) goto out;
    rc = 0;
out:
    db_finalize(st);
    return rc;
}

/* Fills e from the current row of a SELECT of every column in table order. */
static void audit_row(DbStmt *st, AuditEntry *e)
{
    e->id = db_column_int(st, 0);
    e->at = db_column_text(st, 1);
    e->actor = db_column_text(st, 2);
    e->via = db_column_text(st, 3);
    e->address = db_column_text(st, 4);
    e->action = db_column_text(st, 5);
    e->entity = db_column_text(st, 6);
    e->entity_key = db_column_text(st, 7);
    e->before = db_column_text(st, 8);
    e->after = db_column_text(st, 9);
    e->prev_hash = db_column_text(st, 10);
    e->hash = db_column_text(st, 11);
}

static void audit_report_none(void *ctx, int64_t id, const char *problem)
{
    (void)ctx, (void)id, (void)problem;
}

int audit_verify(Db *db, AuditReport report, void *ctx, int64_t *nentries, char head[65])
{
    if (!report) report = audit_report_none;
    char expect_prev[65] = AUDIT_GENESIS, calc[65], msg[512];
    int64_t n = 0, expect_id = 1;
    int rc = 0;
    DbStmt *st;
    if (db_prepare(db, &st,
                   "SELECT id, at, actor, via, address, action, entity, entity_key, before,"
                   " after, prev_hash, hash FROM audit ORDER BY id"))
        return -1;
    int r;
    while ((r = db_step(st)) == DB_ROW) {
        AuditEntry e;
        audit_row(st, &e);
        const char *stored = e.hash ? e.hash : "";
        if (e.id != expect_id) {
            if (e.id == expect_id + 1)
                snprintf(msg, sizeof msg, "entry %" PRId64 " is missing: it was removed",
                         expect_id);
            else
                snprintf(msg, sizeof msg, "entries %" PRId64 " to %" PRId64
                         " are missing: they were removed", expect_id, e.id - 1);
            report(ctx, e.id, msg);
            rc = 1;
            break;
        }
        audit_hash(&e, calc);
        if (strcmp(calc, stored) != 0) {
            snprintf(msg, sizeof msg, "entry %" PRId64 " does not match its hash: it was edited "
                     "after it was written", e.id);
            report(ctx, e.id, msg);
            rc = 1;
            break;
        }
        if (!e.prev_hash || strcmp(e.prev_hash, expect_prev) != 0) {
            snprintf(msg, sizeof msg, "entry %" PRId64 " does not chain to the entry before it "
                     "(prev_hash differs): an entry before it was removed, inserted or "
                     "rewritten", e.id);
            report(ctx, e.id, msg);
            rc = 1;
            break;
        }
        snprintf(expect_prev, sizeof expect_prev, "%s", stored);
        expect_id++;
        n++;
    }
    if (r == DB_ERROR) rc = -1;
    db_finalize(st);
    if (rc == 0) {
        int64_t hid = 0;
        char hhash[65] = "";
        int h = audit_head_read(db, &hid, hhash);
        if (h < 0) {
            rc = -1;
        } else if (h == 0 && n > 0) {
            report(ctx, 0, "the head of the chain (setting \"" AUDIT_HEAD_KEY "\") is missing: "
                   "it was removed, so entries at the end may have been removed too");
            rc = 1;
        } else if (h == 2) {
            report(ctx, 0, "the head of the chain (setting \"" AUDIT_HEAD_KEY "\") is not "
                   "\"ID HASH\": it was edited");
            rc = 1;
        } else if (h == 1 && hid > n) {
            snprintf(msg, sizeof msg, "the chain ends at entry %" PRId64 " but its head names "
                     "entry %" PRId64 ": the last entries were removed", n, hid);
            report(ctx, n + 1, msg);
            rc = 1;
        } else if (h == 1 && (hid < n || strcmp(hhash, expect_prev) != 0)) {
            snprintf(msg, sizeof msg, "entry %" PRId64 " is not the head of the chain recorded "
                     "by itstrat (entry %" PRId64 "): entries were added or rewritten behind "
                     "itstrat's back", n, hid);
            report(ctx, hid < n ? hid + 1 : n, msg);
            rc = 1;
        }
    }
    if (nentries) *nentries = n;
    if (head) snprintf(head, 65, "%s", expect_prev);
    return rc;
}

/* The WHERE clause of audit_list() and audit_count(): every filter is
 * optional ("(:x IS NULL OR ...)"), bound by audit_bind_filter(). */
#define AUDIT_FILTER_SQL                                                                   \
    " WHERE (:entity IS NULL OR entity = :entity)"                                         \
    "   AND (:actor IS NULL OR actor = :actor COLLATE NOCASE)"                             \
    "   AND (:key IS NULL OR entity_key = :key)"                                           \
    "   AND (:prefix IS NULL OR substr(entity_key, 1, length(:prefix)) = :prefix)"         \
    "   AND (:via IS NULL OR via = :via)"                                                  \
    "   AND (:action IS NULL OR action = :action)"                                         \
    "   AND (:since IS NULL OR at >= :since)"                                              \
    "   AND (:until IS NULL OR at <= :until)"

static void audit_bind_filter(DbStmt *st, const AuditFilter *f)
{
    db_bind_text(st, ":entity", f->entity);
    db_bind_text(st, ":actor", f->actor);
    db_bind_text(st, ":key", f->key);
    db_bind_text(st, ":prefix", f->key_prefix);
    db_bind_text(st, ":via", f->via);
    db_bind_text(st, ":action", f->action);
    db_bind_text(st, ":since", f->since);
    db_bind_text(st, ":until", f->until);
}

int audit_list(Db *db, const AuditFilter *f, int (*row)(void *ctx, const AuditEntry *e),
               void *ctx)
{
    static const AuditFilter none = {0};
    if (!f) f = &none;
    DbStmt *st;
    /* Two texts so that both orders walk the primary key without sorting. */
#define AUDIT_LIST_SQL                                                                     \
    "SELECT id, at, actor, via, address, action, entity, entity_key, before,"             \
    " after, prev_hash, hash FROM audit" AUDIT_FILTER_SQL
    int bad = f->newest_first
                  ? db_prepare(db, &st, AUDIT_LIST_SQL " ORDER BY id DESC LIMIT :n OFFSET :skip")
                  : db_prepare(db, &st, AUDIT_LIST_SQL " ORDER BY id LIMIT :n OFFSET :skip");
#undef AUDIT_LIST_SQL
    if (bad) return -1;
    audit_bind_filter(st, f);
    db_bind_int(st, ":n", f->limit > 0 ? f->limit : -1);
    db_bind_int(st, ":skip", f->offset > 0 ? f->offset : 0);
    int r, rc = 0;
    while ((r = db_step(st)) == DB_ROW) {
        AuditEntry e;
        audit_row(st, &e);
        if ((rc = row(ctx, &e)) != 0) break;
    }
    if (r == DB_ERROR) rc = -1;
    db_finalize(st);
    return rc;
}

int audit_count(Db *db, const AuditFilter *f, int64_t *n)
{
    static const AuditFilter none = {0};
    if (!f) f = &none;
    DbStmt *st;
    if (db_prepare(db, &st, "SELECT count(*) FROM audit" AUDIT_FILTER_SQL)) return -1;
    audit_bind_filter(st, f);
    int r = db_step(st);
    if (r == DB_ROW) *n = db_column_int(st, 0);
    db_finalize(st);
    return r == DB_ROW ? 0 : -1;
}

/* The text of a member's value for audit_changes(): a string's own text,
 * else compact JSON (caller frees), or NULL for an absent member. *own says
 * whether the result must be freed. */
static const char *audit_value_text(const json_t *v, int *own)
{
    *own = 0;
    if (!v) return NULL;
    if (json_is_string(v)) return json_string_value(v);
    char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    *own = s != NULL;
    return s ? s : "?";
}

/* Reports member name if a and b (either may be NULL: absent) differ. */
static int audit_change_one(const char *name, const json_t *a, const json_t *b,
                            AuditChange change, void *ctx)
{
    if (a && b && json_equal((json_t *)a, (json_t *)b)) return 0;
    if (!a && !b) return 0;
    int own_a, own_b;
    const char *was = audit_value_text(a, &own_a), *now = audit_value_text(b, &own_b);
    change(ctx, name, was, now);
    if (own_a) free((char *)was);
    if (own_b) free((char *)now);
    return 1;
}

int audit_changes(const char *before, const char *after, AuditChange change, void *ctx)
{
    json_error_t jerr;
    json_t *b = before ? json_loads(before, JSON_DECODE_ANY, &jerr) : NULL;
    json_t *a = after ? json_loads(after, JSON_DECODE_ANY, &jerr) : NULL;
    int n = -1;
    if ((before && !b) || (after && !a)) goto out;
    n = 0;
    int bobj = !b || json_is_object(b), aobj = !a || json_is_object(a);
    if (!bobj || !aobj) {
        n = audit_change_one("", b, a, change, ctx);
        goto out;
    }
    const char *key;
    json_t *v;
    if (b) {
        json_object_foreach(b, key, v) {
            n += audit_change_one(key, v, a ? json_object_get(a, key) : NULL, change, ctx);
        }
    }
    if (a) {
        json_object_foreach(a, key, v) {
            if (!b || !json_object_get(b, key)) n += audit_change_one(key, NULL, v, change, ctx);
        }
    }
out:
    json_decref(b);
    json_decref(a);
    return n;
}

static void audit_check_report(void *ctx, int64_t id, const char *problem)
{
    AuditCheck *c = ctx;
    c->broken_at = id;
    snprintf(c->problem, sizeof c->problem, "%s", problem);
}

int audit_check(Db *db, AuditCheck *c)
{
    memset(c, 0, sizeof *c);
    return audit_verify(db, audit_check_report, c, &c->entries, c->head);
}
