/*
 * cmd_audit.c — `itstrat audit verify` (walk the hash chain) and `itstrat
 * audit list` (the entries as a table, or CSV) over src/core/audit.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "cli.h"
#include "csv.h"

static int cmd_audit_verify(Db *db)
{
    AuditCheck c;
    int r = audit_check(db, &c);
    if (r < 0) {
        fprintf(stderr, "itstrat audit: cannot read the audit trail of %s: %s\n", db_path(db),
                db_errmsg(db));
        return EXIT_STORE;
    }
    if (r > 0) {
        fprintf(stderr, "itstrat audit: the audit trail of %s is broken at entry %" PRId64 ": %s\n"
                "The entries before it are intact. Compare the database with a backup from "
                "before that entry's time to see what was changed, keep this copy as evidence, "
                "and restore the backup (then the head recorded in the governing body's records "
                "shows which entries are proven).\n", db_path(db), c.broken_at, c.problem);
        return EXIT_INPUT;
    }
    printf("audit trail intact: %" PRId64 " entr%s, head %s\n", c.entries,
           c.entries == 1 ? "y" : "ies", c.head);
    return EXIT_OK;
}

/* Writes s with control characters shown as '?', padded to width. */
static void cmd_audit_cell(FILE *f, const char *s, int width)
{
    int n = 0;
    for (const char *p = s ? s : ""; *p; p++, n++)
        fputc((unsigned char)*p < 0x20 || *p == 0x7F ? '?' : *p, f);
    for (; n < width; n++) fputc(' ', f);
}

typedef struct ListCtx {
    FILE *f;
    Buf csv;     /* CSV rows not yet written */
    int as_csv;
    long n;      /* entries written */
    int failed;  /* a write failed */
} ListCtx;

static int cmd_audit_row(void *ctx, const AuditEntry *e)
{
    ListCtx *l = ctx;
    char id[24];
    snprintf(id, sizeof id, "%" PRId64, e->id);
    l->n++;
    if (l->as_csv) {
        csv_field(&l->csv, id);
        const char *cells[] = {e->at, e->actor, e->via, e->address, e->action, e->entity,
                               e->entity_key, e->before, e->after, e->prev_hash, e->hash};
        for (size_t i = 0; i < sizeof cells / sizeof *cells; i++) csv_text(&l->csv, cells[i]);
        csv_row_end(&l->csv);
        if (l->csv.n >= (1u << 20)) {
            if (fwrite(l->csv.a, 1, l->csv.n, l->f) != l->csv.n) return l->failed = 1;
            buf_reset(&l->csv);
        }
        return 0;
    }
    fprintf(l->f, "%6s  %-20s  ", id, e->at);
    Buf who = BUF_INIT;
    buf_printf(&who, "%s (%s%s%s)", e->actor, e->via, e->address ? " " : "",
               e->address ? e->address : "");
    cmd_audit_cell(l->f, buf_str(&who), 24);
    buf_free(&who);
    fputs("  ", l->f);
    cmd_audit_cell(l->f, e->action, 10);
    fputs("  ", l->f);
    cmd_audit_cell(l->f, e->entity, 12);
    fputs("  ", l->f);
    cmd_audit_cell(l->f, e->entity_key, 0);
    fputc('\n', l->f);
    return 0;
}

static int cmd_audit_list(const CliCommand *cmd, const CliArgs *a, Db *db)
{
    AuditFilter flt = {.entity = cli_opt(cmd, a, "entity"), .actor = cli_opt(cmd, a, "actor")};
    const char *path = cli_opt(cmd, a, "output");
    ListCtx l = {.f = stdout, .csv = BUF_INIT, .as_csv = cli_opt(cmd, a, "csv") != NULL};
    int rc = EXIT_OK;
    if (path && !(l.f = fopen(path, "wb"))) {
        fprintf(stderr, "itstrat audit: cannot write %s: %s\n", path, strerror(errno));
        return EXIT_STORE;
    }
    if (l.as_csv) {
        static const char *const header[] = {"id", "at", "actor", "via", "address", "action",
                                             "entity", "entity_key", "before", "after",
                                             "prev_hash", "hash"};
        for (size_t i = 0; i < sizeof header / sizeof *header; i++) csv_field(&l.csv, header[i]);
        csv_row_end(&l.csv);
    } else {
        fprintf(l.f, "%6s  %-20s  %-24s  %-10s  %-12s  %s\n", "ID", "AT (UTC)", "WHO (VIA)",
                "ACTION", "ENTITY", "KEY");
    }
    int r = audit_list(db, &flt, cmd_audit_row, &l);
    if (r < 0) {
        fprintf(stderr, "itstrat audit: cannot read the audit trail of %s: %s\n", db_path(db),
                db_errmsg(db));
        rc = EXIT_STORE;
    }
    if (l.csv.n && fwrite(l.csv.a, 1, l.csv.n, l.f) != l.csv.n) l.failed = 1;
    buf_free(&l.csv);
    if (!l.as_csv && rc == EXIT_OK && l.n == 0)
        fprintf(stderr, "itstrat audit: no entries%s\n",
                flt.entity || flt.actor ? " match the filters" : " yet");
    if (l.f != stdout ? fclose(l.f) != 0 : fflush(stdout) != 0) l.failed = 1;
    if (l.failed) {
        fprintf(stderr, "itstrat audit: cannot write %s: %s\n", path ? path : "the output",
                strerror(errno));
        rc = EXIT_STORE;
    }
    return rc;
}

int cmd_audit(const CliCommand *cmd, CliArgs *a)
{
    const char *sub = a->pos[0];
    int verify = strcmp(sub, "verify") == 0;
    if (!verify && strcmp(sub, "list") != 0) {
        fprintf(stderr, "itstrat audit: say verify or list, not \"%s\"\n", sub);
        return EXIT_USAGE;
    }
    if (verify && (cli_opt(cmd, a, "entity") || cli_opt(cmd, a, "actor") ||
                   cli_opt(cmd, a, "csv") || cli_opt(cmd, a, "output"))) {
        fprintf(stderr, "itstrat audit: verify checks the whole trail; --entity, --actor, "
                        "--csv and -o go with list\n");
        return EXIT_USAGE;
    }
    Db *db;
    if (cli_open_db(cmd, a, DB_OPEN_READONLY, &db)) return EXIT_STORE;
    int rc = verify ? cmd_audit_verify(db) : cmd_audit_list(cmd, a, db);
    db_close(db);
    return rc;
}
