/*
 * sheet_import.c — a CSV file or an .xlsx workbook into a strategy. See
 * sheet_import.h.
 */
#include "sheet_import.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "import.h"
#include "mem.h"
#include "sheet_value.h"
#include "xlsx_read.h"

int sheet_import(Db *db, int64_t sid, CsvKind kind, const char *name, const char *data,
                 size_t len, CsvImportOpts *opts, Buf *msgs, CsvImportStats *stats,
                 SheetInfo *info)
{
    SheetInfo dummy;
    if (!info) info = &dummy;
    memset(info, 0, sizeof *info);
    Buf why = BUF_INIT, where = BUF_INIT;
    SheetTable t;
    memset(&t, 0, sizeof t);
    int rc = IMPORT_FAILED;
    int what = sheet_sniff(data, len, &why);
    if (what < 0) {
        buf_printf(msgs, "%s: %s\n", name, buf_str(&why));
        goto out;
    }
    if (what == SHEET_CSV) {
        opts->table = NULL;
        rc = csv_import_opts(db, sid, kind, name, data, len, opts, msgs, stats);
        goto out;
    }
    info->xlsx = 1;
    if (xlsx_read(data, len, csv_kind_name(kind), &t, &why)) {
        buf_printf(msgs, "%s: %s\n", name, buf_str(&why));
        goto out;
    }
    snprintf(info->sheet, sizeof info->sheet, "%s", t.sheet);
    info->nsheets = t.nsheets, info->nformulas = t.nformulas, info->ndates = t.ndates;
    buf_printf(&where, "%s:%s", name, t.sheet);
    opts->table = &t;
    rc = csv_import_opts(db, sid, kind, buf_str(&where), NULL, 0, opts, msgs, stats);
    opts->table = NULL;
out:
    sheet_table_free(&t);
    buf_free(&why);
    buf_free(&where);
    return rc;
}

int sheet_import_file(Db *db, int64_t sid, CsvKind kind, const char *path, CsvImportOpts *opts,
                      Buf *msgs, CsvImportStats *stats, SheetInfo *info)
{
    size_t len, got = 0;
    int fd = import_open(path, "sheets", "split it by year", msgs, &len);
    if (fd < 0) return IMPORT_FAILED;
    char *data = xmalloc(len + 1);
    while (got < len) {
        ssize_t n = read(fd, data + got, len - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        got += (size_t)n;
    }
    close(fd);
    int rc = IMPORT_FAILED;
    if (got != len) buf_printf(msgs, "%s: cannot read: %s\n", path, strerror(errno));
    else rc = sheet_import(db, sid, kind, path, data, len, opts, msgs, stats, info);
    free(data);
    return rc;
}

void sheet_describe(const char *name, const CsvImportStats *st, const SheetInfo *info, Buf *b)
{
    if (info->xlsx) {
        buf_printf(b, "%s: sheet \"%s\"", name, info->sheet);
        if (info->nsheets > 1) buf_printf(b, " (of %d sheets)", info->nsheets);
        buf_puts(b, " read");
        if (info->ndates) buf_printf(b, "; %ld date cell%s", info->ndates,
                                     info->ndates == 1 ? "" : "s");
        if (info->nformulas)
            buf_printf(b, "; %ld cell%s with formulas: the results saved with the file were "
                       "read", info->nformulas, info->nformulas == 1 ? "" : "s");
        buf_putc(b, '\n');
    } else if (st->sep == ';') {
        buf_printf(b, "%s: values separated by ';' (detected)\n", name);
    }
    const SheetDates *d = &st->dates;
    if (d->nslashed && d->order != SHEET_ORDER_UNKNOWN) {
        buf_printf(b, "%s: %ld date%s read as %s ", name, d->nslashed,
                   d->nslashed == 1 ? "" : "s", sheet_order_name(d->order));
        if (d->stated) buf_puts(b, "(the order stated)\n");
        else buf_printf(b, "(line %ld has \"%s\", which can only be read so)\n", d->line,
                        d->example);
    }
}
