/*
 * sheet_export.c — the CSV tables as an .xlsx workbook. See sheet_export.h.
 *
 * The rows are made by csv_export() (one source of what a table holds) and
 * read back with the CSV reader; each cell is then written with the type of
 * its column, text through xlsx_text() (Excel's limits, the sheet Notes).
 */
#include "sheet_export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "csv.h"
#include "sheet_records.h"
#include "xlsx.h"

/* The export's columns (csv_column_exported()): types by field. */
static int sx_types(CsvKind kind, CsvType *types, int max)
{
    int n = 0;
    for (const CsvColumn *c = csv_columns(kind); c->name && n < max; c++)
        if (csv_column_exported(c)) types[n++] = c->type;
    return n;
}

int sheet_export_xlsx(Db *db, int64_t sid, CsvKind kind, const char *path, Buf *err)
{
    if (sheet_records_kind(kind)) return sheet_records_xlsx(db, sid, kind, path, err);
    Buf csv = BUF_INIT;
    CsvReader r;
    CsvRecord rec = CSV_RECORD_INIT, head = CSV_RECORD_INIT;
    CsvType types[64];
    int ntypes = sx_types(kind, types, 64), rc = -1;
    lxw_workbook *wb = NULL;
    XlsxSheet x;
    xlsx_sheet_init(&x, NULL, csv_kind_name(kind));
    csv_reader_init(&r, NULL, 0);
    if (csv_export(db, sid, kind, &csv, NULL, err)) goto out;
    wb = workbook_new(path);
    x.ws = wb ? workbook_add_worksheet(wb, csv_kind_name(kind)) : NULL;
    lxw_format *bold = wb ? workbook_add_format(wb) : NULL;
    lxw_format *date = wb ? workbook_add_format(wb) : NULL;
    lxw_format *money = wb ? workbook_add_format(wb) : NULL;
    if (!x.ws || !bold || !date || !money) {
        buf_printf(err, "%s: cannot make a workbook", path);
        goto out;
    }
    format_set_bold(bold);
    format_set_num_format(date, "yyyy-mm-dd");
    format_set_num_format(money, "#,##0.00");
    csv_reader_free(&r);
    csv_reader_init(&r, csv.a, csv.n);
    for (lxw_row_t row = 0; !x.failed && csv_read(&r, &rec) == 1; row++) {
        if (!xlsx_row_fits(&x, row)) continue; /* counted for the notes */
        for (int i = 0; i < rec.n && !x.failed; i++) {
            const char *s = csv_get(&rec, i), *column = i < head.n ? csv_get(&head, i) : NULL;
            lxw_col_t col = (lxw_col_t)i;
            CsvType t = i < ntypes ? types[i] : CT_TEXT;
            int y, m, d;
            if (row == 0) {
                xlsx_text(&x, row, col, s, bold, NULL, NULL);
            } else if (*s && t == CT_DATE && sscanf(s, "%4d-%2d-%2d", &y, &m, &d) == 3) {
                lxw_datetime dt = {y, m, d, 0, 0, 0};
                x.failed |= worksheet_write_datetime(x.ws, row, col, &dt, date) != LXW_NO_ERROR;
            } else if (*s && (t == CT_MONEY || t == CT_REAL || t == CT_INT || t == CT_YEAR)) {
                x.failed |= worksheet_write_number(x.ws, row, col, strtod(s, NULL),
                                                   t == CT_MONEY ? money : NULL) != LXW_NO_ERROR;
            } else { /* text, cut at Excel's limit and noted under the row's first cell */
                xlsx_text(&x, row, col, s, NULL, csv_get(&rec, 0), column);
            }
        }
        if (row == 0) { /* the header names the columns in the notes */
            CsvRecord tmp = head;
            head = rec, rec = tmp;
        }
    }
    if (x.failed || xlsx_notes(wb, &x, bold)) {
        buf_printf(err, "%s: a cell could not be written", path);
        x.failed = 1;
    }
    lxw_error ce = workbook_close(wb);
    wb = NULL;
    if (ce != LXW_NO_ERROR && !x.failed) buf_printf(err, "%s: cannot write: %s", path,
                                                    lxw_strerror(ce));
    else if (!x.failed) rc = 0;
out:
    if (wb) workbook_close(wb);
    xlsx_sheet_free(&x);
    csv_record_free(&rec);
    csv_record_free(&head);
    csv_reader_free(&r);
    buf_free(&csv);
    return rc;
}
