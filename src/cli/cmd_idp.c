/*
 * cmd_idp.c — `itstrat idp`: the identity providers people sign in with
 * (OpenID Connect), their role tables and the sign-in settings.
 *
 *   idp add NAME --issuer URL --client-id ID [--client-secret-file PATH]
 *       [--label TEXT] [--scopes "openid email profile"] [--role-claim groups]
 *       [--jit] [--mfa-values "mfa otp"]
 *   idp list
 *   idp remove NAME
 *   idp map NAME VALUE ROLE      (ROLE "-" removes the row)
 *   idp set KEY VALUE            (VALUE "" removes the setting)
 *   idp email LOGIN ADDRESS      (an account's e-mail address; "" clears it)
 *
 * The client secret is read from a file (never from the command line, where
 * other users of the machine could see it) and stored sealed with the key
 * file of idp_secret.h. Every change goes to the audit trail (without the
 * secret).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "audit.h"
#include "auth/idp_secret.h"
#include "cli.h"
#include "json_w.h"
#include "store_idp.h"
#include "store_sessions.h"
#include "store_users.h"

/* The settings `idp set` changes, with what a value must be. */
static const struct {
    const char *key;
    const char *kind; /* "int", "path", "url", "onoff", "login" */
    const char *help;
} idp_settings[] = {
    {"break_glass_login", "login", "the one account that keeps its password when they are off"},
    {"local_passwords", "onoff", "on (default) or off: sign-in with a password of itstrat"},
    {"oidc_ca_file", "path", "CA certificates (PEM) that the providers' TLS is checked with"},
    {"oidc_jwks_seconds", "int", "how long discovery and key sets are kept (default 3600)"},
    {"oidc_refetch_seconds", "int", "least seconds between two key-set fetches (default 60)"},
    {"oidc_timeout_ms", "int", "time-out of each call to a provider (default 5000)"},
    {"public_url", "url", "this server's address as browsers see it (redirect_uri)"},
};

/* Builds {"key": "value", ...} of n pairs (value NULL: null) into b. */
static void json_obj(Buf *b, int n, const char *const *kv)
{
    buf_putc(b, '{');
    for (int k = 0; k < n; k++) {
        if (k) buf_puts(b, ", ");
        json_quote(b, kv[2 * k]);
        buf_puts(b, ": ");
        if (kv[2 * k + 1]) json_quote(b, kv[2 * k + 1]);
        else buf_puts(b, "null");
    }
    buf_putc(b, '}');
}

/* Reads the first line of file path into out. 0, or -1 with a message. */
static int read_secret(const char *path, Buf *out)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "itstrat idp add: --client-secret-file %s: cannot read it\n", path);
        return -1;
    }
    char line[1024];
    int rc = -1;
    if (!fgets(line, sizeof line, f)) {
        fprintf(stderr, "itstrat idp add: --client-secret-file %s: the file is empty\n", path);
    } else {
        line[strcspn(line, "\r\n")] = 0;
        if (!*line) fprintf(stderr, "itstrat idp add: --client-secret-file %s: the first line "
                                    "is empty\n", path);
        else {
            buf_puts(out, line);
            rc = 0;
        }
    }
    sodium_memzero(line, sizeof line);
    fclose(f);
    return rc;
}

/* 1 when s is an https URL without spaces or control characters. */
static int https_url(const char *s)
{
    if (!s || strncmp(s, "https://", 8) != 0 || strlen(s) <= 8 || strlen(s) > 500) return 0;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= 0x20 || *p == 0x7f) return 0;
    return 1;
}

static int idp_add(const CliCommand *cmd, CliArgs *a, Db *db, const char *name)
{
    IdpRow p;
    memset(&p, 0, sizeof p);
    const char *issuer = cli_opt(cmd, a, "issuer"), *cid = cli_opt(cmd, a, "client-id");
    const char *secret_file = cli_opt(cmd, a, "client-secret-file");
    const char *scopes = cli_opt(cmd, a, "scopes"), *claim = cli_opt(cmd, a, "role-claim");
    if (!https_url(issuer)) {
        fprintf(stderr, "itstrat idp add: --issuer must be the provider's https:// address, "
                        "exactly as its ID tokens' iss\n");
        return EXIT_USAGE;
    }
    if (!cid || !*cid || strlen(cid) > 255) {
        fprintf(stderr, "itstrat idp add: --client-id is required (1 to 255 characters)\n");
        return EXIT_USAGE;
    }
    if (scopes && !strstr(scopes, "openid")) {
        fprintf(stderr, "itstrat idp add: --scopes must include openid\n");
        return EXIT_USAGE;
    }
    Buf secret = BUF_INIT, sealed = BUF_INIT, err = BUF_INIT, after = BUF_INIT;
    int rc = EXIT_STORE;
    if (secret_file) {
        if (read_secret(secret_file, &secret)) {
            rc = EXIT_INPUT;
            goto out;
        }
        if (idp_secret_seal(db_path(db), buf_str(&secret), &sealed, &err)) {
            fprintf(stderr, "itstrat idp add: %s\n", buf_str(&err));
            goto out;
        }
    }
    p.name = (char *)name;
    p.kind = "oidc";
    p.label = (char *)(cli_opt(cmd, a, "label") ? cli_opt(cmd, a, "label") : name);
    p.issuer = (char *)issuer;
    p.client_id = (char *)cid;
    p.client_secret = secret_file ? (char *)buf_str(&sealed) : NULL;
    p.scopes = (char *)(scopes ? scopes : "openid email profile");
    p.role_claim = (char *)(claim ? claim : "groups");
    p.jit = cli_opt(cmd, a, "jit") != NULL;
    p.mfa_values = (char *)cli_opt(cmd, a, "mfa-values");
    const char *kv[] = {"issuer", p.issuer, "client_id", p.client_id, "label", p.label,
                        "jit", p.jit ? "on" : "off", "secret", secret_file ? "sealed" : NULL};
    json_obj(&after, 5, kv);
    int64_t id;
    if (db_begin(db)) goto dberr;
    int r = store_idp_add(db, &p, &id);
    if (r == 1) {
        db_rollback(db);
        fprintf(stderr, "itstrat idp add: there is a provider \"%s\" already; remove it first\n",
                name);
        rc = EXIT_INPUT;
        goto out;
    }
    if (r || audit_append(db, NULL, "create", "idp", name, NULL, buf_str(&after)) ||
        db_commit(db))
        goto dberr;
    printf("provider %s added: its redirect URI is PUBLIC_URL/login/oidc/callback\n", name);
    rc = EXIT_OK;
    goto out;
dberr:
    fprintf(stderr, "itstrat idp add: %s\n", db_errmsg(db));
    db_rollback(db);
out:
    if (secret.a) sodium_memzero(secret.a, secret.n);
    buf_free(&secret);
    buf_free(&sealed);
    buf_free(&err);
    buf_free(&after);
    return rc;
}

static int idp_list(Db *db)
{
    IdpRow *a;
    size_t n;
    if (store_idp_list(db, &a, &n)) {
        fprintf(stderr, "itstrat idp list: %s\n", db_errmsg(db));
        return EXIT_STORE;
    }
    for (size_t k = 0; k < n; k++) {
        printf("%s\t%s\t%s\tclient=%s\tsecret=%s\tjit=%s\tclaim=%s\n", a[k].name, a[k].kind,
               a[k].issuer, a[k].client_id, a[k].client_secret ? "sealed" : "none",
               a[k].jit ? "on" : "off", a[k].role_claim);
        IdpRole *t;
        size_t nt;
        if (store_idp_role_list(db, a[k].id, &t, &nt) == 0) {
            for (size_t i = 0; i < nt; i++) printf("  %s -> %s\n", t[i].value, t[i].role);
            free(t);
        }
    }
    store_idp_list_free(a, n);
    return EXIT_OK;
}

static int idp_remove(Db *db, const char *name)
{
    if (db_begin(db)) goto dberr;
    int r = store_idp_remove(db, name);
    if (r == 1) {
        db_rollback(db);
        fprintf(stderr, "itstrat idp remove: there is no provider \"%s\" (itstrat idp list)\n",
                name);
        return EXIT_NOTFOUND;
    }
    if (r || audit_append(db, NULL, "delete", "idp", name, NULL, NULL) || db_commit(db))
        goto dberr;
    printf("provider %s removed (its accounts stay)\n", name);
    return EXIT_OK;
dberr:
    fprintf(stderr, "itstrat idp remove: %s\n", db_errmsg(db));
    db_rollback(db);
    return EXIT_STORE;
}

static int idp_map(Db *db, const char *name, const char *value, const char *role)
{
    int remove = strcmp(role, "-") == 0;
    if (!remove && !store_user_role_valid(role)) {
        fprintf(stderr, "itstrat idp map: ROLE must be admin, manager, contributor, viewer "
                        "or - (remove), not \"%s\"\n", role);
        return EXIT_USAGE;
    }
    if (!*value || strlen(value) > IDP_ROLE_VALUE_MAX) {
        fprintf(stderr, "itstrat idp map: VALUE must be 1 to %d bytes\n", IDP_ROLE_VALUE_MAX);
        return EXIT_USAGE;
    }
    IdpRow p;
    int found = store_idp_get(db, name, &p);
    if (found <= 0) {
        if (found < 0) fprintf(stderr, "itstrat idp map: %s\n", db_errmsg(db));
        else fprintf(stderr, "itstrat idp map: there is no provider \"%s\"\n", name);
        return found < 0 ? EXIT_STORE : EXIT_NOTFOUND;
    }
    Buf key = BUF_INIT, after = BUF_INIT;
    int rc = EXIT_STORE;
    buf_printf(&key, "%s/%s", name, value);
    const char *kv[] = {"role", remove ? NULL : role};
    json_obj(&after, 1, kv);
    if (db_begin(db)) goto dberr;
    int r = store_idp_role_set(db, p.id, value, remove ? NULL : role);
    if (r == 1) {
        db_rollback(db);
        fprintf(stderr, "itstrat idp map: %s has no row for \"%s\"\n", name, value);
        rc = EXIT_NOTFOUND;
        goto out;
    }
    if (r || audit_append(db, NULL, "map", "idp", buf_str(&key), NULL, buf_str(&after)) ||
        db_commit(db))
        goto dberr;
    printf(remove ? "%s: %s gives no role now\n" : "%s: %s gives the role %s\n", name, value,
           role);
    rc = EXIT_OK;
    goto out;
dberr:
    fprintf(stderr, "itstrat idp map: %s\n", db_errmsg(db));
    db_rollback(db);
out:
    buf_free(&key);
    buf_free(&after);
    store_idp_free(&p);
    return rc;
}

static int idp_set(Db *db, const char *key, const char *value)
{
    size_t k, n = sizeof idp_settings / sizeof *idp_settings;
    for (k = 0; k < n && strcmp(idp_settings[k].key, key) != 0; k++) {}
    if (k == n) {
        fprintf(stderr, "itstrat idp set: no setting \"%s\"; the settings are:\n", key);
        for (k = 0; k < n; k++) fprintf(stderr, "  %-22s %s\n", idp_settings[k].key,
                                        idp_settings[k].help);
        return EXIT_USAGE;
    }
    const char *kind = idp_settings[k].kind;
    int ok = !*value;
    if (!ok && strcmp(kind, "int") == 0) {
        char *end;
        long v = strtol(value, &end, 10);
        ok = !*end && v >= 0 && v <= 86400000;
    } else if (!ok && strcmp(kind, "onoff") == 0) {
        ok = strcmp(value, "on") == 0 || strcmp(value, "off") == 0;
    } else if (!ok && strcmp(kind, "login") == 0) {
        ok = store_user_login_valid(value);
    } else if (!ok && strcmp(kind, "url") == 0) {
        ok = (strncmp(value, "http://", 7) == 0 || strncmp(value, "https://", 8) == 0) &&
             strlen(value) < 500 && !strpbrk(value, " \t\r\n?#");
    } else if (!ok) {
        FILE *f = fopen(value, "r");
        ok = f != NULL;
        if (f) fclose(f);
    }
    if (!ok) {
        fprintf(stderr, "itstrat idp set: %s: \"%s\" is not a valid value (%s: %s)\n", key, value,
                kind, idp_settings[k].help);
        return EXIT_USAGE;
    }
    Buf after = BUF_INIT;
    const char *kv[] = {"value", *value ? value : NULL};
    json_obj(&after, 1, kv);
    int rc = EXIT_STORE;
    if (db_begin(db) || store_setting_set(db, key, *value ? value : NULL) ||
        audit_append(db, NULL, "set", "setting", key, NULL, buf_str(&after)) || db_commit(db)) {
        fprintf(stderr, "itstrat idp set: %s\n", db_errmsg(db));
        db_rollback(db);
    } else {
        printf("%s = %s\n", key, *value ? value : "(default)");
        rc = EXIT_OK;
    }
    buf_free(&after);
    return rc;
}

static int idp_email(Db *db, const char *login, const char *email)
{
    if (*email && (!strchr(email, '@') || strlen(email) > 254 || strpbrk(email, " \t\r\n<>"))) {
        fprintf(stderr, "itstrat idp email: \"%s\" is not an e-mail address\n", email);
        return EXIT_USAGE;
    }
    UserRow u;
    int found = store_user_login_valid(login) ? store_user_get(db, login, &u) : 0;
    if (found <= 0) {
        fprintf(stderr, "itstrat idp email: %s\n",
                found < 0 ? db_errmsg(db) : "there is no such account (itstrat user list)");
        return found < 0 ? EXIT_STORE : EXIT_NOTFOUND;
    }
    Buf before = BUF_INIT, after = BUF_INIT;
    const char *kb[] = {"email", u.email}, *ka[] = {"email", *email ? email : NULL};
    json_obj(&before, 1, kb);
    json_obj(&after, 1, ka);
    int rc = EXIT_STORE;
    if (db_begin(db) || store_user_set_email(db, u.id, *email ? email : NULL) ||
        audit_append(db, NULL, "update", "user", u.login, buf_str(&before), buf_str(&after)) ||
        db_commit(db)) {
        fprintf(stderr, "itstrat idp email: %s (is the address another account's?)\n",
                db_errmsg(db));
        db_rollback(db);
    } else {
        printf("%s: e-mail %s\n", u.login, *email ? email : "cleared");
        rc = EXIT_OK;
    }
    buf_free(&before);
    buf_free(&after);
    store_user_free(&u);
    return rc;
}

int cmd_idp(const CliCommand *cmd, CliArgs *a)
{
    static const struct { const char *name; int nargs; const char *usage; } subs[] = {
        {"add", 1, "add NAME --issuer URL --client-id ID"}, {"email", 2, "email LOGIN ADDRESS"},
        {"list", 0, "list"}, {"map", 3, "map NAME VALUE ROLE"}, {"remove", 1, "remove NAME"},
        {"set", 2, "set KEY VALUE"}};
    const char *sub = a->pos[0];
    size_t k, n = sizeof subs / sizeof *subs;
    for (k = 0; k < n && strcmp(subs[k].name, sub) != 0; k++) {}
    if (k == n) {
        fprintf(stderr, "itstrat idp: no subcommand \"%s\"; use add, list, remove, map, set or "
                        "email\n", sub);
        return EXIT_USAGE;
    }
    if (a->npos - 1 != subs[k].nargs) {
        fprintf(stderr, "itstrat idp %s: usage: itstrat idp %s\n", sub, subs[k].usage);
        return EXIT_USAGE;
    }
    static const char *const add_only[] = {"issuer", "client-id", "client-secret-file", "label",
                                           "scopes", "role-claim", "jit", "mfa-values"};
    for (size_t i = 0; i < sizeof add_only / sizeof *add_only; i++)
        if (k != 0 && cli_opt(cmd, a, add_only[i])) {
            fprintf(stderr, "itstrat idp %s: --%s goes with add only\n", sub, add_only[i]);
            return EXIT_USAGE;
        }
    const char *name = a->npos > 1 ? a->pos[1] : NULL;
    if ((k == 0 || k == 3 || k == 4) && !store_idp_name_valid(name)) {
        fprintf(stderr, "itstrat idp %s: \"%s\" is not a provider name: 1 to %d of a-z 0-9 -\n",
                sub, name, IDP_NAME_MAX);
        return EXIT_USAGE;
    }
    if (sodium_init() < 0) {
        fprintf(stderr, "itstrat idp: libsodium could not start\n");
        return EXIT_STORE;
    }
    Db *db;
    if (cli_open_db(cmd, a, DB_OPEN_EXISTING, &db)) return EXIT_STORE;
    int rc;
    switch (k) {
    case 0: rc = idp_add(cmd, a, db, name); break;
    case 1: rc = idp_email(db, a->pos[1], a->pos[2]); break;
    case 2: rc = idp_list(db); break;
    case 3: rc = idp_map(db, name, a->pos[2], a->pos[3]); break;
    case 4: rc = idp_remove(db, name); break;
    default: rc = idp_set(db, a->pos[1], a->pos[2]); break;
    }
    db_close(db);
    return rc;
}
