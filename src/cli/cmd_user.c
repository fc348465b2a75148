/*
 * cmd_user.c — `itstrat user`: the accounts of the people who sign in.
 *
 *   user add LOGIN --role ROLE [--name NAME] [--password-stdin]
 *   user passwd LOGIN [--password-stdin]
 *   user role LOGIN --role ROLE
 *   user disable LOGIN | user enable LOGIN
 *   user list
 *
 * Without --password-stdin, add and passwd make a random password and print
 * it once. A password read from standard input (its first line) must pass
 * password_check(). The last active admin can be neither disabled nor
 * demoted: the check and the change run in one write transaction.
 */
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "auth/password.h"
#include "audit.h"
#include "cli.h"
#include "json_w.h"
#include "store_users.h"

/* What each subcommand accepts besides --db. */
typedef struct UserSub {
    const char *name;
    int needs_login; /* 1: LOGIN is required; 0: no LOGIN */
    int role;        /* --role: 0 refused, 1 allowed, 2 required */
    int name_opt;    /* --name allowed */
    int pw_stdin;    /* --password-stdin allowed */
} UserSub;

static const UserSub user_subs[] = {
    {"add", 1, 2, 1, 1},     {"disable", 1, 0, 0, 0}, {"enable", 1, 0, 0, 0},
    {"list", 0, 0, 0, 0},    {"passwd", 1, 0, 0, 1},  {"role", 1, 2, 0, 0},
};

/* Reads the first line of standard input as a password into pw (room for
 * PASSWORD_MAX_BYTES + 2 bytes): the line end (LF or CRLF) is dropped. At
 * a terminal it prompts on stderr and turns echo off while reading.
 * Returns 0, or -1 with a message printed. */
static int user_read_password(char *pw, size_t size)
{
    int r = cli_read_secret("new password", pw, size);
    if (r == 1)
        fprintf(stderr, "itstrat user: --password-stdin: standard input is empty; give the "
                        "password as its first line\n");
    else if (r == 2)
        fprintf(stderr, "itstrat user: --password-stdin: the password is longer than %d "
                        "bytes; use a shorter one\n", PASSWORD_MAX_BYTES);
    return r ? -1 : 0;
}

/* Gets the new password of login: read and checked (--password-stdin), or
 * random (*random set to 1). Then hashes it into hash. Returns EXIT_OK,
 * or an exit code with the reason printed. The clear password is wiped. */
static int user_new_password(const CliCommand *cmd, const CliArgs *a, const char *login,
                             char hash[PASSWORD_HASH_SIZE], char shown[PASSWORD_RANDOM_CHARS + 1])
{
    char pw[PASSWORD_MAX_BYTES + 2];
    int rc = EXIT_OK;
    shown[0] = '\0';
    if (cli_opt(cmd, a, "password-stdin")) {
        Buf why = BUF_INIT;
        if (user_read_password(pw, sizeof pw)) {
            rc = EXIT_INPUT;
        } else if (password_check(pw, login, &why)) {
            fprintf(stderr, "itstrat user: %s; nothing was changed\n", buf_str(&why));
            rc = EXIT_INPUT;
        }
        buf_free(&why);
    } else {
        password_random(shown);
        memcpy(pw, shown, sizeof shown[0] * (PASSWORD_RANDOM_CHARS + 1));
    }
    if (rc == EXIT_OK && password_hash(pw, hash)) {
        fprintf(stderr, "itstrat user: could not hash the password (%llu MiB of memory "
                        "needed); nothing was changed\n", PASSWORD_MEMLIMIT >> 20);
        rc = EXIT_STORE;
    }
    sodium_memzero(pw, sizeof pw);
    return rc;
}

/* Prints a database failure and rolls back. */
static int user_db_failed(Db *db)
{
    fprintf(stderr, "itstrat user: %s\n", db_errmsg(db));
    db_rollback(db);
    return EXIT_STORE;
}

/* Records a change of account login in the audit trail, inside the open
 * transaction: after holds the role, name and state, never a password, a
 * hash or a secret. Returns 0 or -1 (db_errmsg). */
static int user_audit(Db *db, const char *action, const char *login, const char *before_role,
                      const char *role, const char *name, int disabled, int password)
{
    Buf before = BUF_INIT, after = BUF_INIT;
    if (before_role) {
        buf_puts(&before, "{\"role\": ");
        json_quote(&before, before_role);
        buf_puts(&before, "}");
    }
    buf_puts(&after, "{");
    if (role) {
        buf_puts(&after, "\"role\": ");
        json_quote(&after, role);
        buf_puts(&after, ", ");
    }
    if (name) {
        buf_puts(&after, "\"name\": ");
        json_quote(&after, name);
        buf_puts(&after, ", ");
    }
    if (password) buf_puts(&after, "\"password\": \"changed\", ");
    buf_printf(&after, "\"disabled\": %s}", disabled ? "true" : "false");
    int rc = audit_append(db, NULL, action, "user", login, before_role ? buf_str(&before) : NULL,
                          buf_str(&after));
    buf_free(&before);
    buf_free(&after);
    return rc;
}

static int user_add(const CliCommand *cmd, const CliArgs *a, Db *db, const char *login)
{
    const char *role = cli_opt(cmd, a, "role"), *name = cli_opt(cmd, a, "name");
    char hash[PASSWORD_HASH_SIZE], shown[PASSWORD_RANDOM_CHARS + 1];
    for (const char *p = name; p && *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7F || p - name >= 200) {
            fprintf(stderr, "itstrat user add: --name must be at most 200 bytes of text "
                            "without control characters (tab, newline, escape)\n");
            return EXIT_USAGE;
        }
    int rc = user_new_password(cmd, a, login, hash, shown);
    if (rc) return rc;
    int64_t id;
    if (db_begin(db)) return user_db_failed(db);
    int r = store_user_create(db, login, name && *name ? name : NULL, role, hash, &id);
    if (r == 0 && user_audit(db, "create", login, NULL, role, name && *name ? name : NULL, 0, 1))
        r = -1;
    if (r < 0 || (r == 0 && db_commit(db))) return user_db_failed(db);
    if (r > 0) {
        db_rollback(db);
        fprintf(stderr, "itstrat user add: there is already an account \"%s\" (logins are "
                        "compared without regard to case); 'itstrat user list' shows them\n",
                login);
        return EXIT_INPUT;
    }
    printf("account %s created with role %s\n", login, role);
    if (*shown)
        printf("password: %s\n(shown only this once: hand it over safely; they can change it "
               "once signed in, or an admin with 'itstrat user passwd %s')\n", shown, login);
    sodium_memzero(shown, sizeof shown);
    return EXIT_OK;
}

static int user_passwd(const CliCommand *cmd, const CliArgs *a, Db *db, const UserRow *u)
{
    char hash[PASSWORD_HASH_SIZE], shown[PASSWORD_RANDOM_CHARS + 1];
    int rc = user_new_password(cmd, a, u->login, hash, shown);
    if (rc) return rc;
    if (db_begin(db) || store_user_set_password(db, u->id, hash) ||
        user_audit(db, "update", u->login, u->role, u->role, NULL, u->disabled, 1) ||
        db_commit(db))
        return user_db_failed(db);
    printf("password of %s changed; its sessions are ended%s\n", u->login,
           u->failed_logins || u->locked_until ? " and its lock-out cleared" : "");
    if (*shown) printf("password: %s\n(shown only this once)\n", shown);
    sodium_memzero(shown, sizeof shown);
    return EXIT_OK;
}

/* Changes the role or the disabled flag of u in one write transaction that
 * first makes sure an active admin remains. */
static int user_change(const CliCommand *cmd, const CliArgs *a, Db *db, const UserRow *u,
                       const char *sub)
{
    const char *role = cli_opt(cmd, a, "role");
    int disable = strcmp(sub, "disable") == 0, enable = strcmp(sub, "enable") == 0;
    int loses_admin = strcmp(u->role, "admin") == 0 && !u->disabled &&
                      (disable || (role && strcmp(role, "admin") != 0));
    if (db_begin(db)) return user_db_failed(db);
    if (loses_admin) {
        int64_t n = store_user_active_admins(db);
        if (n < 0) return user_db_failed(db);
        if (n <= 1) {
            db_rollback(db);
            fprintf(stderr, "itstrat user %s: %s is the last active admin; make another "
                            "account admin first ('itstrat user role LOGIN --role admin'), "
                            "nothing was changed\n", sub, u->login);
            return EXIT_INPUT;
        }
    }
    int r = enable || disable ? store_user_set_disabled(db, u->id, disable)
                              : store_user_set_role(db, u->id, role);
    if (r >= 0 && user_audit(db, enable ? "enable" : disable ? "disable" : "update", u->login,
                             u->role, role ? role : u->role, NULL,
                             enable ? 0 : disable ? 1 : u->disabled, 0))
        r = -1;
    if (r < 0 || db_commit(db)) return user_db_failed(db);
    if (enable)
        printf("account %s enabled%s\n", u->login,
               u->failed_logins || u->locked_until ? " and its lock-out cleared" : "");
    else if (disable)
        printf("account %s disabled; its sessions are ended\n", u->login);
    else
        printf("account %s: role %s (was %s)\n", u->login, role, u->role);
    return EXIT_OK;
}

static int user_list(Db *db)
{
    UserRow *us;
    size_t n;
    char now[21];
    if (store_user_list(db, &us, &n)) return user_db_failed(db);
    store_user_now(now);
    printf("%-24s %-28s %-12s %-4s %-8s %s\n", "LOGIN", "NAME", "ROLE", "MFA", "DISABLED",
           "LOCKED");
    for (size_t i = 0; i < n; i++) {
        const UserRow *u = &us[i];
        int locked = u->locked_until && strcmp(u->locked_until, now) > 0;
        printf("%-24s %-28s %-12s %-4s %-8s %s\n", u->login, u->name ? u->name : "-", u->role,
               u->totp_secret ? "on" : "off", u->disabled ? "yes" : "no",
               locked ? u->locked_until : "no");
    }
    if (n == 0) printf("(no account yet: 'itstrat init' creates the first admin)\n");
    store_user_list_free(us, n);
    return EXIT_OK;
}

int cmd_user(const CliCommand *cmd, CliArgs *a)
{
    const char *subname = a->pos[0], *login = a->npos > 1 ? a->pos[1] : NULL;
    const char *role = cli_opt(cmd, a, "role");
    const UserSub *sub = NULL;
    for (size_t i = 0; i < sizeof user_subs / sizeof *user_subs; i++)
        if (strcmp(user_subs[i].name, subname) == 0) sub = &user_subs[i];
    if (!sub) {
        fprintf(stderr, "itstrat user: no subcommand \"%s\"; use add, passwd, role, disable, "
                        "enable or list\n", subname);
        return EXIT_USAGE;
    }
    if (sub->needs_login && !login) {
        fprintf(stderr, "itstrat user %s: say which account: itstrat user %s LOGIN\n", sub->name,
                sub->name);
        return EXIT_USAGE;
    }
    if (!sub->needs_login && login) {
        fprintf(stderr, "itstrat user %s takes no LOGIN\n", sub->name);
        return EXIT_USAGE;
    }
    if (sub->role == 2 && !role) {
        fprintf(stderr, "itstrat user %s: give the role with --role admin, manager, "
                        "contributor or viewer\n", sub->name);
        return EXIT_USAGE;
    }
    if ((!sub->role && role) || (!sub->name_opt && cli_opt(cmd, a, "name")) ||
        (!sub->pw_stdin && cli_opt(cmd, a, "password-stdin"))) {
        fprintf(stderr, "itstrat user %s: --%s does not go with %s; 'itstrat user --help' "
                        "says which options go where\n", sub->name,
                !sub->role && role ? "role"
                : !sub->name_opt && cli_opt(cmd, a, "name") ? "name" : "password-stdin",
                sub->name);
        return EXIT_USAGE;
    }
    if (role && !store_user_role_valid(role)) {
        fprintf(stderr, "itstrat user %s: --role must be admin, manager, contributor or "
                        "viewer, not \"%s\"\n", sub->name, role);
        return EXIT_USAGE;
    }
    if (login && !store_user_login_valid(login)) {
        fprintf(stderr, "itstrat user %s: \"%s\" is not a valid login: use 1 to %d letters, "
                        "digits and . _ - @\n", sub->name, login, USER_LOGIN_MAX);
        return EXIT_USAGE;
    }
    if (password_init()) {
        fprintf(stderr, "itstrat user: libsodium could not start (no entropy source?)\n");
        return EXIT_STORE;
    }
    Db *db;
    if (cli_open_db(cmd, a, DB_OPEN_EXISTING, &db)) return EXIT_STORE;
    int rc;
    if (strcmp(sub->name, "list") == 0) {
        rc = user_list(db);
    } else if (strcmp(sub->name, "add") == 0) {
        rc = user_add(cmd, a, db, login);
    } else {
        UserRow u;
        int r = store_user_get(db, login, &u);
        if (r < 0) {
            rc = user_db_failed(db);
        } else if (r == 0) {
            fprintf(stderr, "itstrat user %s: no account \"%s\" in %s; 'itstrat user list' "
                            "shows them\n", sub->name, login, db_path(db));
            rc = EXIT_NOTFOUND;
        } else if (strcmp(sub->name, "passwd") == 0) {
            rc = user_passwd(cmd, a, db, &u);
        } else {
            rc = user_change(cmd, a, db, &u, sub->name);
        }
        store_user_free(&u);
    }
    db_close(db);
    return rc;
}
