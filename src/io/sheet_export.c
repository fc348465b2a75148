/*
 * sheet_export.c — the CSV tables as an .xlsx workbook. See sheet_export.h.
 *
 * The rows are made by csv_export() (one source of what a table holds) and
 * read back with the CSV reader; each cell is then written with the type of
 * its column.
 */
#include "sheet_export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "csv.h"

/* The export's columns, as ex_header() writes them: types by field. */
static int sx_types(CsvKind kind, CsvType *types, int max)
{
    int n = 0;
    for (const CsvColumn *c = csv_columns(kind); c->name && n < max; c++)
        if (c->type != CT_LOCATIONS && c->type != CT_IGNORED) types[n++] = c->type;
    return n;
}

int sheet_export_xlsx(Db *db, int64_t sid, CsvKind kind, const char *path, Buf *err)
{
    Buf csv = BUF_INIT, clean = BUF_INIT;
    CsvReader r;
    CsvRecord rec = CSV_RECORD_INIT;
    CsvType types[64];
    int ntypes = sx_types(kind, types, 64), rc = -1;
    lxw_workbook *wb = NULL;
    csv_reader_init(&r, NULL, 0);
    if (csv_export(db, sid, kind, &csv, NULL, err)) goto out;
    wb = workbook_new(path);
    lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, csv_kind_name(kind)) : NULL;
    lxw_format *bold = wb ? workbook_add_format(wb) : NULL;
    lxw_format *date = wb ? workbook_add_format(wb) : NULL;
    lxw_format *money = wb ? workbook_add_format(wb) : NULL;
    if (!ws || !bold || !date || !money) {
        buf_printf(err, "%s: cannot make a workbook", path);
        goto out;
    }
    format_set_bold(bold);
    format_set_num_format(date, "yyyy-mm-dd");
    format_set_num_format(money, "#,##0.00");
    csv_reader_free(&r);
    csv_reader_init(&r, csv.a, csv.n);
    int failed = 0;
    for (lxw_row_t row = 0; !failed && csv_read(&r, &rec) == 1; row++) {
        for (int i = 0; i < rec.n && !failed; i++) {
            const char *s = csv_get(&rec, i);
            lxw_col_t col = (lxw_col_t)i;
            CsvType t = i < ntypes ? types[i] : CT_TEXT;
            lxw_error e = LXW_NO_ERROR;
            int y, m, d;
            if (!*s) continue;
            if (row == 0) {
                e = worksheet_write_string(ws, row, col, s, bold);
            } else if (t == CT_DATE && sscanf(s, "%4d-%2d-%2d", &y, &m, &d) == 3) {
                lxw_datetime dt = {y, m, d, 0, 0, 0};
                e = worksheet_write_datetime(ws, row, col, &dt, date);
            } else if (t == CT_MONEY || t == CT_REAL || t == CT_INT || t == CT_YEAR) {
                e = worksheet_write_number(ws, row, col, strtod(s, NULL),
                                           t == CT_MONEY ? money : NULL);
            } else {
                /* XML cannot hold control characters other than tab and line feed */
                buf_reset(&clean);
                for (const unsigned char *p = (const unsigned char *)s; *p; p++)
                    if (*p >= 0x20 || *p == '\t' || *p == '\n') buf_putc(&clean, (char)*p);
                e = worksheet_write_string(ws, row, col, buf_str(&clean), NULL);
            }
            failed = e != LXW_NO_ERROR;
        }
    }
    if (failed) buf_printf(err, "%s: a cell could not be written", path);
    lxw_error ce = workbook_close(wb);
    wb = NULL;
    if (ce != LXW_NO_ERROR && !failed) buf_printf(err, "%s: cannot write: %s", path,
                                                  lxw_strerror(ce));
    else if (!failed) rc = 0;
out:
    if (wb) workbook_close(wb);
    csv_record_free(&rec);
    csv_reader_free(&r);
    buf_free(&csv);
    buf_free(&clean);
    return rc;
}
