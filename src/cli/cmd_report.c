/*
 * cmd_report.c — `itstrat report`: the governing-body report of a year, as
 * HTML, Markdown or PDF, written atomically (a temporary file renamed into place).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "report.h"

/* Writes data to path through path.tmp and a rename, so that a reader never
 * sees half a report. Returns 0, or -1 after printing why. */
static int write_atomic(const char *path, const Buf *data)
{
    Buf tmp = BUF_INIT;
    buf_printf(&tmp, "%s.tmp", path);
    FILE *f = fopen(buf_str(&tmp), "wb");
    int rc = -1;
    if (!f) goto out;
    if (fwrite(data->a ? data->a : "", 1, data->n, f) != data->n) {
        fclose(f);
        goto out;
    }
    if (fclose(f)) goto out;
    if (rename(buf_str(&tmp), path)) goto out;
    rc = 0;
out:
    if (rc) {
        fprintf(stderr, "itstrat report: cannot write %s: %s\n", path, strerror(errno));
        unlink(buf_str(&tmp));
    }
    buf_free(&tmp);
    return rc;
}

/* The folder part of path ("" for none, else ending in '/'), and the stem:
 * the file name without its extension. Both allocated; caller frees. */
static void split_path(const char *path, char **dir, char **stem)
{
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    size_t dlen = (size_t)(name - path);
    *dir = strndup(path, dlen);
    const char *dot = strrchr(name, '.');
    *stem = strndup(name, dot && dot != name ? (size_t)(dot - name) : strlen(name));
    if (!*dir || !*stem) abort();
}

int cmd_report(const CliCommand *cmd, CliArgs *a)
{
    const char *fmt = cli_opt(cmd, a, "format"), *out_path = cli_opt(cmd, a, "output");
    const char *ys = cli_opt(cmd, a, "year");
    int format = 'h';
    if (fmt && strcmp(fmt, "md") == 0) format = 'm';
    else if (fmt && strcmp(fmt, "pdf") == 0) format = 'p';
    else if (fmt && strcmp(fmt, "html") != 0) {
        fprintf(stderr, "itstrat report: --format is html, md or pdf, not \"%s\"\n", fmt);
        return EXIT_USAGE;
    }
    if (!ys) {
        fprintf(stderr, "itstrat report: say which year with --year YEAR\n");
        return EXIT_USAGE;
    }
    long long year;
    if (cli_int(cmd, "year", ys, 1900, 2200, &year)) return EXIT_USAGE;
    if (format == 'm' && !out_path) {
        fprintf(stderr, "itstrat report: a Markdown report writes its figures as SVG files "
                        "beside it: give the file with -o FILE.md\n");
        return EXIT_USAGE;
    }
    Db *db;
    if (cli_open_db(cmd, a, DB_OPEN_READONLY, &db)) return EXIT_STORE;
    int64_t sid = 0;
    int rc = cli_strategy(cmd, a, db, &sid);
    if (rc) {
        db_close(db);
        return rc;
    }
    char *dir = NULL, *stem = NULL;
    if (out_path) split_path(out_path, &dir, &stem);
    ReportOut out = {BUF_INIT, NULL, 0};
    Buf err = BUF_INIT;
    int r = report_generate(db, sid, (int)year, cli_opt(cmd, a, "final") != NULL, format,
                            stem ? stem : "report", &out, &err);
    if (r != RDATA_OK) {
        fprintf(stderr, "itstrat report: %s", buf_str(&err));
        rc = r == RDATA_NOTFOUND ? EXIT_NOTFOUND : EXIT_STORE;
    } else if (!out_path) {
        if (fwrite(out.main.a, 1, out.main.n, stdout) != out.main.n || fflush(stdout))
            rc = EXIT_STORE;
    } else {
        for (size_t k = 0; k < out.nfiles && rc == EXIT_OK; k++) {
            Buf p = BUF_INIT;
            buf_printf(&p, "%s%s", dir, out.files[k].name);
            if (write_atomic(buf_str(&p), &out.files[k].data)) rc = EXIT_STORE;
            buf_free(&p);
        }
        if (rc == EXIT_OK && write_atomic(out_path, &out.main)) rc = EXIT_STORE;
    }
    report_out_free(&out);
    buf_free(&err);
    free(dir);
    free(stem);
    db_close(db);
    return rc;
}
