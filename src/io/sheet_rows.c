/*
 * sheet_rows.c — the rows of a sheet, header first (sheet_rows.h).
 */
#include "sheet_rows.h"

#include <stdio.h>

#include "buf.h"
#include "mem.h"

/* 1 when every field of rec is empty (a blank line, or ",,,"). */
static int blank(const CsvRecord *rec)
{
    for (int i = 0; i < rec->n; i++)
        if (*csv_get(rec, i)) return 0;
    return 1;
}

/* Reports the reader's syntax error at its place: the field's column name
 * when the header has one, else its number. */
static void syntax(const SheetRowsOps *ops, const CsvReader *r, int nfields)
{
    int f = r->err_field;
    char num[24];
    const char *col = NULL;
    if (f >= 1 && f <= nfields && *ops->field(ops->ctx, f - 1)) col = ops->field(ops->ctx, f - 1);
    else if (f >= 1) snprintf(num, sizeof num, "%d", f), col = num;
    ops->problem(ops->ctx, r->err_line, col, buf_str(&r->err));
}

/* Widens rec with empty fields to n. */
static void pad(CsvRecord *rec, int n)
{
    while (rec->n < n) {
        if (rec->n == rec->cap) {
            rec->cap *= 2;
            rec->off = xrealloc(rec->off, (size_t)rec->cap * sizeof *rec->off);
        }
        rec->off[rec->n++] = rec->text.n;
        buf_putc(&rec->text, 0);
    }
}

void sheet_rows_read(const char *data, size_t len, SheetTable *table, const SheetRowsOps *ops,
                     char *sep, long *nrows)
{
    CsvReader r;
    CsvRecord rec = CSV_RECORD_INIT;
    Buf msg = BUF_INIT;
    csv_reader_init(&r, data, len);
    if (!table) r.sep = *sep = csv_detect_sep(data, len);
    int got = table ? sheet_table_next(table, &rec) : csv_read(&r, &rec);
    if (got <= 0) {
        if (got < 0) {
            syntax(ops, &r, 0);
            goto out;
        }
        buf_printf(&msg, "the file is empty; a sheet of %s starts with a header row naming its "
                         "columns (%s)", ops->kind, ops->columns);
        ops->problem(ops->ctx, 1, NULL, buf_str(&msg));
        goto out;
    }
    long header_line = rec.line;
    int nfields = rec.n;
    if (ops->header(ops->ctx, &rec)) goto out;
    while ((got = table ? sheet_table_next(table, &rec) : csv_read(&r, &rec)) == 1) {
        if (blank(&rec)) continue;
        ++*nrows;
        if (table) pad(&rec, nfields);
        if (rec.n != nfields) {
            buf_reset(&msg);
            if (table) {
                char cn[8];
                xlsx_col_name(nfields + 1, cn);
                buf_printf(&msg, "has values beyond the last column of the header (from column "
                                 "%s on); give them a header or clear them", cn);
            } else {
                buf_printf(&msg, "has %d fields but the header has %d; a value that holds a %s "
                                 "must be in double quotes", rec.n, nfields,
                           r.sep == ';' ? "semicolon" : "comma");
            }
            ops->problem(ops->ctx, rec.line, NULL, buf_str(&msg));
            continue;
        }
        if (ops->row(ops->ctx, &rec)) goto out;
    }
    if (got < 0) {
        syntax(ops, &r, nfields);
    } else if (*nrows == 0) {
        buf_printf(&msg, "the file has a header but no rows of %s; nothing to import", ops->kind);
        ops->problem(ops->ctx, header_line, NULL, buf_str(&msg));
    }
out:
    buf_free(&msg);
    csv_record_free(&rec);
    csv_reader_free(&r);
}
