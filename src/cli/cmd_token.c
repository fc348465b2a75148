/*
 * cmd_token.c — `itstrat token`: API tokens of an account, for programs that
 * call the JSON API ("Authorization: Bearer TOKEN").
 *
 *   token add LOGIN --name NAME [--scope read|write] [--days N]
 *   token list [LOGIN]
 *   token revoke ID
 *
 * add makes a random token (TOKEN_PREFIX and 43 base64url characters, 256
 * bits), prints it once and stores only its digest (session_digest), as the
 * web server checks it. Every change is recorded in the audit trail in the
 * same transaction: entity "token", key "LOGIN/ID", never the token itself.
 * Token times are the real clock's (the server compares expiry with it), not
 * $ITSTRAT_NOW.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "audit.h"
#include "cli.h"
#include "json_w.h"
#include "store_sessions.h"
#include "store_users.h"
#include "session.h"

#define TOKEN_MAX_DAYS 3650

/* UTC text "YYYY-MM-DDTHH:MM:SSZ" of t. */
static void token_time(time_t t, char out[21])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Prints a database failure, rolls back, returns EXIT_STORE. */
static int token_db_failed(Db *db)
{
    fprintf(stderr, "itstrat token: %s\n", db_errmsg(db));
    db_rollback(db);
    return EXIT_STORE;
}

/* Appends the JSON summary of a token for the audit trail: its name, scope,
 * expiry and (when revoked) the revocation time; never the secret. */
static void token_summary(Buf *b, const char *name, const char *scope, const char *expires,
                          const char *revoked)
{
    buf_puts(b, "{\"name\": ");
    json_quote(b, name);
    buf_puts(b, ", \"scope\": ");
    json_quote(b, scope);
    buf_puts(b, ", \"expires_at\": ");
    if (expires && *expires) json_quote(b, expires);
    else buf_puts(b, "null");
    if (revoked) {
        buf_puts(b, ", \"revoked_at\": ");
        json_quote(b, revoked);
    }
    buf_puts(b, "}");
}

static int token_add(const CliCommand *cmd, const CliArgs *a, Db *db, const char *login)
{
    const char *name = cli_opt(cmd, a, "name"), *scope = cli_opt(cmd, a, "scope");
    const char *days_s = cli_opt(cmd, a, "days");
    if (!name || !*name) {
        fprintf(stderr, "itstrat token add: say what the token is for with --name NAME (e.g. "
                        "--name \"nightly export\")\n");
        return EXIT_USAGE;
    }
    size_t nlen = strlen(name);
    int bad_name = nlen > TOKEN_NAME_MAX;
    for (const char *p = name; *p && !bad_name; p++)
        bad_name = (unsigned char)*p < 0x20 || *p == 0x7F;
    if (bad_name) {
        fprintf(stderr, "itstrat token add: --name must be at most %d bytes of text without "
                        "control characters (tab, newline, escape)\n", TOKEN_NAME_MAX);
        return EXIT_USAGE;
    }
    if (!scope) scope = "read";
    if (strcmp(scope, "read") != 0 && strcmp(scope, "write") != 0) {
        fprintf(stderr, "itstrat token add: --scope must be read or write, not \"%s\"\n", scope);
        return EXIT_USAGE;
    }
    long long days = 0;
    if (days_s && cli_int(cmd, "days", days_s, 1, TOKEN_MAX_DAYS, &days)) return EXIT_USAGE;
    UserRow u;
    int r = store_user_get(db, login, &u);
    if (r < 0) return token_db_failed(db);
    if (r == 0) {
        fprintf(stderr, "itstrat token add: no account \"%s\" in %s; 'itstrat user list' shows "
                        "them\n", login, db_path(db));
        return EXIT_NOTFOUND;
    }
    int rc = EXIT_STORE;
    if (u.disabled) {
        fprintf(stderr, "itstrat token add: the account %s is disabled, so a token of it would "
                        "be refused; enable it first ('itstrat user enable %s')\n", u.login,
                u.login);
        rc = EXIT_INPUT;
        goto out;
    }
    char secret[SESSION_TOKEN_CHARS + 1], token[sizeof TOKEN_PREFIX + SESSION_TOKEN_CHARS];
    char digest[65], now[21], expires[21] = "";
    session_random(secret);
    snprintf(token, sizeof token, "%s%s", TOKEN_PREFIX, secret);
    session_digest(token, digest);
    time_t t = time(NULL);
    token_time(t, now);
    if (days) token_time(t + (time_t)days * 86400, expires);
    int64_t id = 0;
    Buf after = BUF_INIT;
    token_summary(&after, name, scope, expires, NULL);
    if (db_begin(db) ||
        store_token_create(db, u.id, name, digest, scope, days ? expires : NULL, now, &id)) {
        rc = token_db_failed(db);
    } else {
        char key[96];
        snprintf(key, sizeof key, "%s/%" PRId64, u.login, id);
        if (audit_append(db, NULL, "create", "token", key, NULL, buf_str(&after)) ||
            db_commit(db))
            rc = token_db_failed(db);
        else
            rc = EXIT_OK;
    }
    buf_free(&after);
    if (rc == EXIT_OK) {
        printf("token %" PRId64 " created for %s: scope %s, %s%s\n", id, u.login, scope,
               days ? "expires " : "does not expire", expires);
        printf("token: %s\n(shown only this once: keep it where the program reads it; send it as "
               "\"Authorization: Bearer TOKEN\"; 'itstrat token revoke %" PRId64 "' ends it)\n",
               token, id);
    }
    sodium_memzero(secret, sizeof secret);
    sodium_memzero(token, sizeof token);
out:
    store_user_free(&u);
    return rc;
}

/* The state of token t at now: "active", "revoked" or "expired". */
static const char *token_state(const TokenRow *t, const char *now)
{
    if (t->revoked_at[0]) return "revoked";
    if (t->expires_at[0] && strcmp(t->expires_at, now) <= 0) return "expired";
    return "active";
}

/* Prints the tokens of account user_id (header printed by the caller);
 * *n counts them. Returns 0 or -1 (database). */
static int token_print(Db *db, int64_t user_id, const char *now, size_t *count)
{
    TokenRow *ts;
    size_t n;
    if (store_token_list(db, user_id, &ts, &n)) return -1;
    for (size_t i = 0; i < n; i++) {
        const TokenRow *t = &ts[i];
        printf("%6" PRId64 "  %-20s  %-6s  %-20s  %-20s  %-8s  ", t->id, t->login, t->scope,
               t->created_at, t->expires_at[0] ? t->expires_at : "never", token_state(t, now));
        for (const char *p = t->name; *p; p++) /* no control characters to the terminal */
            putchar((unsigned char)*p < 0x20 || *p == 0x7F ? '?' : *p);
        putchar('\n');
    }
    *count += n;
    free(ts);
    return 0;
}

static int token_list(Db *db, const char *login)
{
    char now[21];
    token_time(time(NULL), now);
    size_t count = 0;
    int rc = EXIT_OK;
    if (login) {
        UserRow u;
        int r = store_user_get(db, login, &u);
        if (r < 0) return token_db_failed(db);
        if (r == 0) {
            fprintf(stderr, "itstrat token list: no account \"%s\" in %s; 'itstrat user list' "
                            "shows them\n", login, db_path(db));
            return EXIT_NOTFOUND;
        }
        printf("%6s  %-20s  %-6s  %-20s  %-20s  %-8s  %s\n", "ID", "LOGIN", "SCOPE", "CREATED",
               "EXPIRES", "STATE", "NAME");
        if (token_print(db, u.id, now, &count)) rc = token_db_failed(db);
        store_user_free(&u);
    } else {
        UserRow *us;
        size_t n;
        if (store_user_list(db, &us, &n)) return token_db_failed(db);
        printf("%6s  %-20s  %-6s  %-20s  %-20s  %-8s  %s\n", "ID", "LOGIN", "SCOPE", "CREATED",
               "EXPIRES", "STATE", "NAME");
        for (size_t i = 0; i < n && rc == EXIT_OK; i++)
            if (token_print(db, us[i].id, now, &count)) rc = token_db_failed(db);
        store_user_list_free(us, n);
    }
    if (rc == EXIT_OK && count == 0)
        printf("(no API token yet: 'itstrat token add LOGIN --name NAME' creates one)\n");
    return rc;
}

/* Finds token id among every account's tokens into *out: 1 found, 0 not,
 * -1 on a database error. */
static int token_find(Db *db, int64_t id, TokenRow *out)
{
    UserRow *us;
    size_t n;
    int found = 0;
    if (store_user_list(db, &us, &n)) return -1;
    for (size_t i = 0; i < n && !found; i++) {
        TokenRow *ts;
        size_t nt;
        if (store_token_list(db, us[i].id, &ts, &nt)) {
            found = -1;
            break;
        }
        for (size_t k = 0; k < nt && !found; k++)
            if (ts[k].id == id) *out = ts[k], found = 1;
        free(ts);
    }
    store_user_list_free(us, n);
    return found;
}

static int token_revoke(const CliCommand *cmd, Db *db, const char *id_s)
{
    char *end;
    long long id = strtoll(id_s, &end, 10);
    if (!*id_s || *end || id < 1) {
        fprintf(stderr, "itstrat %s revoke: ID must be the number of a token ('itstrat token "
                        "list' shows them), not \"%s\"\n", cmd->name, id_s);
        return EXIT_USAGE;
    }
    if (db_begin(db)) return token_db_failed(db);
    TokenRow t;
    int r = token_find(db, id, &t);
    if (r < 0) return token_db_failed(db);
    if (r == 0 || t.revoked_at[0]) {
        db_rollback(db);
        if (r == 0)
            fprintf(stderr, "itstrat token revoke: no token %lld; 'itstrat token list' shows "
                            "them\n", id);
        else
            fprintf(stderr, "itstrat token revoke: token %lld of %s was revoked already, at "
                            "%s\n", id, t.login, t.revoked_at);
        return r == 0 ? EXIT_NOTFOUND : EXIT_INPUT;
    }
    char now[21], key[96];
    token_time(time(NULL), now);
    snprintf(key, sizeof key, "%s/%lld", t.login, id);
    Buf before = BUF_INIT, after = BUF_INIT;
    token_summary(&before, t.name, t.scope, t.expires_at, NULL);
    token_summary(&after, t.name, t.scope, t.expires_at, now);
    int rc = EXIT_OK;
    if (store_token_revoke(db, 0, id, now) ||
        audit_append(db, NULL, "revoke", "token", key, buf_str(&before), buf_str(&after)) ||
        db_commit(db))
        rc = token_db_failed(db);
    buf_free(&before);
    buf_free(&after);
    if (rc == EXIT_OK)
        printf("token %lld of %s (\"%s\") revoked: it is refused from now on\n", id, t.login,
               t.name);
    return rc;
}

int cmd_token(const CliCommand *cmd, CliArgs *a)
{
    const char *sub = a->pos[0], *arg = a->npos > 1 ? a->pos[1] : NULL;
    int add = strcmp(sub, "add") == 0, list = strcmp(sub, "list") == 0,
        revoke = strcmp(sub, "revoke") == 0;
    if (!add && !list && !revoke) {
        fprintf(stderr, "itstrat token: no subcommand \"%s\"; use add, list or revoke\n", sub);
        return EXIT_USAGE;
    }
    if ((add || revoke) && !arg) {
        fprintf(stderr, "itstrat token %s: say which %s: itstrat token %s\n", sub,
                add ? "account" : "token", add ? "add LOGIN --name NAME" : "revoke ID");
        return EXIT_USAGE;
    }
    const char *opt = cli_opt(cmd, a, "name")    ? "name"
                      : cli_opt(cmd, a, "scope") ? "scope"
                      : cli_opt(cmd, a, "days")  ? "days"
                                                 : NULL;
    if (!add && opt) {
        fprintf(stderr, "itstrat token %s: --%s goes with add only\n", sub, opt);
        return EXIT_USAGE;
    }
    if (arg && (add || list) && !store_user_login_valid(arg)) {
        fprintf(stderr, "itstrat token %s: \"%s\" is not a valid login: use 1 to %d letters, "
                        "digits and . _ - @\n", sub, arg, USER_LOGIN_MAX);
        return EXIT_USAGE;
    }
    if (sodium_init() < 0) {
        fprintf(stderr, "itstrat token: libsodium could not start (no entropy source?)\n");
        return EXIT_STORE;
    }
    Db *db;
    if (cli_open_db(cmd, a, DB_OPEN_EXISTING, &db)) return EXIT_STORE;
    int rc = add ? token_add(cmd, a, db, arg) : list ? token_list(db, arg)
                                                     : token_revoke(cmd, db, arg);
    db_close(db);
    return rc;
}
