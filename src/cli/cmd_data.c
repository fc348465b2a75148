/*
 * cmd_data.c — commands that move whole strategies: init, import, export,
 * list, delete.
 */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "auth/password.h"
#include "cli.h"
#include "csv_io.h"
#include "export.h"
#include "import.h"
#include "sheet_export.h"
#include "sheet_import.h"
#include "sheet_value.h"
#include "store.h"
#include "store_stats.h"
#include "store_users.h"

/* Creates the database (or upgrades it) and, when it has no account yet,
 * the first admin "admin" with a random password printed once. The count
 * and the insert run in one write transaction, so two inits at once still
 * make one admin. */
int cmd_init(const CliCommand *cmd, CliArgs *a)
{
    Db *db;
    char pw[PASSWORD_RANDOM_CHARS + 1] = "", hash[PASSWORD_HASH_SIZE];
    int rc = EXIT_STORE;
    int64_t n = -1;
    if (cli_open_db(cmd, a, DB_OPEN_CREATE, &db)) return EXIT_STORE;
    if (db_begin(db) || (n = store_user_count(db)) < 0) goto fail;
    if (n == 0) {
        password_random(pw);
        if (password_hash(pw, hash)) {
            fprintf(stderr, "itstrat init: could not hash the admin's password (%llu MiB of "
                            "memory needed)\n", PASSWORD_MEMLIMIT >> 20);
            db_rollback(db);
            goto out;
        }
        if (store_user_create(db, "admin", NULL, "admin", hash, NULL) != 0 ||
            audit_append(db, NULL, "create", "user", "admin", NULL,
                         "{\"role\": \"admin\", \"password\": \"changed\", "
                         "\"disabled\": false}"))
            goto fail;
    }
    if (db_commit(db)) goto fail;
    printf("%s: ready (schema version %d)\n", db_path(db), DB_SCHEMA_VERSION);
    if (n == 0)
        printf("first account created: admin (role admin)\npassword: %s\n"
               "This password is shown only once. Change it now with "
               "'itstrat user passwd admin'.\n", pw);
    rc = EXIT_OK;
    goto out;
fail:
    fprintf(stderr, "itstrat init: %s\n", db_errmsg(db));
    db_rollback(db);
out:
    sodium_memzero(pw, sizeof pw);
    db_close(db);
    return rc;
}

int cmd_import(const CliCommand *cmd, CliArgs *a)
{
    Db *db;
    const char *kind = cli_opt(cmd, a, "csv"), *sheet = cli_opt(cmd, a, "sheet");
    const char *order = cli_opt(cmd, a, "day-order");
    int dry = cli_opt(cmd, a, "dry-run") != NULL;
    if (kind && sheet) {
        fprintf(stderr, "itstrat import: give --sheet KIND or --csv KIND, not both\n");
        return EXIT_USAGE;
    }
    if (!kind) kind = sheet;
    if (!kind && (cli_opt(cmd, a, "strategy") || dry || order)) {
        fprintf(stderr, "itstrat import: --strategy goes with --csv KIND or --sheet KIND (so do "
                        "--dry-run and --day-order); a JSON document names its own strategy\n");
        return EXIT_USAGE;
    }
    if (kind) { /* sheet rows into an existing strategy (docs/csv.md) */
        CsvKind k;
        int64_t sid = 0;
        CsvImportOpts opts = {.dry_run = dry};
        if (csv_kind_parse(kind, &k)) {
            fprintf(stderr, "itstrat import: --%s must be %s, not \"%s\"\n",
                    sheet ? "sheet" : "csv", csv_kind_list(), kind);
            return EXIT_USAGE;
        }
        if (order && (opts.day_order = sheet_order_parse(order)) < 0) {
            fprintf(stderr, "itstrat import: --day-order must be dmy (day/month/year) or mdy "
                            "(month/day/year), not \"%s\"\n", order);
            return EXIT_USAGE;
        }
        if (cli_open_db(cmd, a, DB_OPEN_EXISTING, &db)) return EXIT_STORE;
        int rc = cli_strategy(cmd, a, db, &sid);
        Buf msgs = BUF_INIT, preview = BUF_INIT, about = BUF_INIT;
        opts.preview = dry ? &preview : NULL;
        CsvImportStats st;
        SheetInfo info;
        int r = rc ? IMPORT_FAILED
                   : sheet_import_file(db, sid, k, a->pos[0], &opts, &msgs, &st, &info);
        if (r != IMPORT_FAILED) {
            sheet_describe(a->pos[0], &st, &info, &about);
            fputs(buf_str(&about), stdout);
        }
        if (rc) {
            /* cli_strategy said why */
        } else if (r == IMPORT_FAILED) {
            fputs(buf_str(&msgs), stderr);
            fprintf(stderr, "itstrat import: %s was not imported; %s is unchanged\n",
                    a->pos[0], db_path(db));
            rc = EXIT_INPUT;
        } else if (r == IMPORT_UNCHANGED) {
            printf("strategy %s: unchanged (%s already holds every row of %s)%s\n", st.code,
                   db_path(db), a->pos[0], dry ? "; nothing to change" : "");
        } else if (dry) {
            fputs(buf_str(&preview), stdout);
            if (k == CSV_EXPENDITURE)
                printf("preview of strategy %s: the %ld year%s in %s would be replaced: %ld "
                       "line%s removed, %ld added; nothing written (run without --dry-run to "
                       "apply)\n", st.code, st.nyears, st.nyears == 1 ? "" : "s", a->pos[0],
                       st.nremoved, st.nremoved == 1 ? "" : "s", st.nadded);
            else
                printf("preview of strategy %s: %ld row%s of %s: %ld to add, %ld to change, %ld "
                       "unchanged; nothing written (run without --dry-run to apply)\n", st.code,
                       st.nrows, st.nrows == 1 ? "" : "s", kind, st.nadded, st.nchanged,
                       st.nrows - st.nadded - st.nchanged);
        } else if (k == CSV_EXPENDITURE) {
            printf("strategy %s: expenditure of the %ld year%s in %s replaced: %ld line%s "
                   "removed, %ld added in %s\n", st.code, st.nyears, st.nyears == 1 ? "" : "s",
                   a->pos[0], st.nremoved, st.nremoved == 1 ? "" : "s", st.nadded, db_path(db));
        } else {
            printf("strategy %s: %ld row%s of %s read: %ld added, %ld changed, %ld as they "
                   "were in %s\n", st.code, st.nrows, st.nrows == 1 ? "" : "s", kind, st.nadded,
                   st.nchanged, st.nrows - st.nadded - st.nchanged, db_path(db));
        }
        buf_free(&msgs), buf_free(&preview), buf_free(&about);
        db_close(db);
        return rc;
    }
    if (cli_open_db(cmd, a, DB_OPEN_CREATE, &db)) return EXIT_STORE;
    Buf msgs = BUF_INIT;
    ImportStats st;
    int rc = import_json_file(db, a->pos[0], &msgs, &st);
    if (rc == IMPORT_FAILED) {
        fputs(buf_str(&msgs), stderr);
        fprintf(stderr, "itstrat import: %s was not imported; %s is unchanged\n", a->pos[0],
                db_path(db));
    } else if (rc == IMPORT_UNCHANGED) {
        printf("strategy %s: unchanged (%s holds exactly this document)\n", st.code, db_path(db));
    } else {
        printf("strategy %s: %s (%ld projects, %ld indicators, %ld risks, %ld services) in %s\n",
               st.code, st.replaced ? "replaced" : "imported", st.nprojects, st.nindicators,
               st.nrisks, st.nservices, db_path(db));
    }
    buf_free(&msgs);
    db_close(db);
    return rc == IMPORT_FAILED ? EXIT_INPUT : EXIT_OK;
}

int cmd_export(const CliCommand *cmd, CliArgs *a)
{
    Db *db;
    int64_t sid = 0;
    const char *kind = cli_opt(cmd, a, "csv");
    CsvKind k = CSV_PROJECTS;
    int xlsx = cli_opt(cmd, a, "xlsx") != NULL, bom = cli_opt(cmd, a, "no-bom") == NULL;
    if (!kind) kind = cli_opt(cmd, a, "sheet");
    if (!kind && (xlsx || !bom)) {
        fprintf(stderr, "itstrat export: --xlsx and --no-bom go with --csv KIND\n");
        return EXIT_USAGE;
    }
    if (xlsx && !cli_opt(cmd, a, "output")) {
        fprintf(stderr, "itstrat export: --xlsx needs -o FILE (a workbook is not written to "
                        "standard output)\n");
        return EXIT_USAGE;
    }
    if (kind && csv_kind_parse(kind, &k)) {
        fprintf(stderr, "itstrat export: --csv must be %s, not \"%s\"\n", csv_kind_list(),
                kind);
        return EXIT_USAGE;
    }
    if (cli_open_db(cmd, a, DB_OPEN_EXISTING, &db)) return EXIT_STORE;
    int rc = cli_strategy(cmd, a, db, &sid);
    if (rc) goto out;
    const char *path = cli_opt(cmd, a, "output");
    if (xlsx) {
        Buf err = BUF_INIT;
        if (sheet_export_xlsx(db, sid, k, path, &err)) {
            fprintf(stderr, "itstrat export: %s\n", buf_str(&err));
            rc = EXIT_STORE;
        }
        buf_free(&err);
        goto out;
    }
    FILE *f = stdout;
    if (path && !(f = fopen(path, "wb"))) {
        fprintf(stderr, "itstrat export: cannot write %s: %s\n", path, strerror(errno));
        rc = EXIT_STORE;
        goto out;
    }
    Buf err = BUF_INIT, csv = BUF_INIT;
    if (kind && bom) buf_puts(&csv, SHEET_BOM);
    if (kind ? csv_export(db, sid, k, &csv, f, &err) : export_json_file(db, sid, f, &err)) {
        fprintf(stderr, "itstrat export: %s\n", buf_str(&err));
        rc = EXIT_STORE;
    }
    buf_free(&err);
    buf_free(&csv);
    if (f != stdout && fclose(f)) {
        fprintf(stderr, "itstrat export: cannot write %s: %s\n", path, strerror(errno));
        rc = EXIT_STORE;
    } else if (f == stdout && fflush(stdout)) {
        rc = EXIT_STORE;
    }
out:
    db_close(db);
    return rc;
}

int cmd_list(const CliCommand *cmd, CliArgs *a)
{
    Db *db;
    if (cli_open_db(cmd, a, DB_OPEN_EXISTING, &db)) return EXIT_STORE;
    Store s;
    store_init(&s, db);
    StoreCursor c;
    int rc = EXIT_OK, n = 0;
    if (store_open(&s, &c, Q_STRATEGIES, 0) == 0) {
        for (; c.has_row; store_advance(&c), n++) {
            const StrategyRow *r = c.row;
            printf("%-12s %lld-%lld  %s%s\n", r->code, (long long)r->first_year,
                   (long long)r->last_year, r->title, r->is_public ? "  (public)" : "");
        }
    }
    if (c.failed) {
        fprintf(stderr, "itstrat list: %s\n", db_errmsg(db));
        rc = EXIT_STORE;
    } else if (n == 0) {
        printf("%s holds no strategy yet; load one with 'itstrat import FILE'\n", db_path(db));
    }
    store_close(&c);
    store_done(&s);
    db_close(db);
    return rc;
}

/* Records the deletion of strategy sid (its export digest and counts before)
 * in the audit trail, inside the open transaction. Returns 0 or -1
 * (db_errmsg). */
static int cmd_delete_audit(Store *s, int64_t sid, const char *code)
{
    unsigned char digest[32];
    char hex[65], before[256];
    PortfolioStats ps;
    if (export_json_digest(s->db, sid, digest) || store_stats(s, sid, DB_NULL_INT, &ps))
        return -1;
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    snprintf(before, sizeof before, "{\"digest\": \"%s\", \"projects\": %lld, "
             "\"indicators\": %lld, \"risks\": %lld, \"services\": %lld}", hex,
             (long long)ps.totals.projects, (long long)ps.totals.indicators,
             (long long)ps.totals.risks, (long long)ps.totals.services);
    store_stats_free(&ps);
    return audit_append(s->db, NULL, "delete", "strategy", code, before, NULL);
}

int cmd_delete(const CliCommand *cmd, CliArgs *a)
{
    if (!cli_opt(cmd, a, "strategy")) {
        fprintf(stderr, "itstrat delete: say which strategy with --strategy CODE\n");
        return EXIT_USAGE;
    }
    Db *db;
    int64_t sid = 0;
    if (cli_open_db(cmd, a, DB_OPEN_EXISTING, &db)) return EXIT_STORE;
    int rc = cli_strategy(cmd, a, db, &sid);
    if (rc == EXIT_OK) {
        Store s;
        store_init(&s, db);
        if (db_begin(db) || cmd_delete_audit(&s, sid, cli_opt(cmd, a, "strategy")) ||
            store_strategy_delete(&s, sid) || db_commit(db)) {
            fprintf(stderr, "itstrat delete: %s\n", db_errmsg(db));
            db_rollback(db);
            rc = EXIT_STORE;
        } else {
            printf("strategy %s deleted from %s\n", cli_opt(cmd, a, "strategy"), db_path(db));
        }
        store_done(&s);
    }
    db_close(db);
    return rc;
}
