/*
 * xlsx.h — what every Excel workbook itstrat writes (libxlsxwriter) has in
 * common: text cells that always fit Excel's limits, and a sheet "Notes"
 * that says where the data did not fit.
 *
 * Excel holds at most 32,767 characters in a cell (it counts UTF-16 code
 * units: a character beyond U+FFFF counts twice) and 1,048,576 rows in a
 * sheet, while a project summary may have 100,000 characters. A longer text
 * is cut on a character boundary, never inside a UTF-8 sequence, and ends
 * with a visible marker, "… [truncated: 100,000 characters; the full text
 * is in the CSV/JSON]"; rows past the sheet's last are left out. The Notes
 * sheet lists every truncated cell and counts the rows left out. What the
 * data holds never makes the workbook fail: only I/O or memory can.
 */
#ifndef ITSTRAT_XLSX_H
#define ITSTRAT_XLSX_H
#include <stddef.h>
#include <xlsxwriter.h>

#include "buf.h"

#define XLSX_CELL_MAX 32767     /* UTF-16 code units in a cell */
/* How the marker of a cut text begins and ends (the count between): the
 * reader (xlsx_read.c) refuses such a cell rather than store the cut text. */
#define XLSX_CUT_START " … [truncated: "
#define XLSX_CUT_END " characters; the full text is in the CSV/JSON]"
#define XLSX_ROWS LXW_ROW_MAX   /* rows in a sheet, the header row included */

/* A worksheet being written, with what did not fit. */
typedef struct XlsxSheet {
    lxw_worksheet *ws;
    const char *name;       /* the sheet's name, for the notes */
    Buf cell;               /* scratch: the text of the cell being written */
    Buf truncated;          /* one line per truncated cell: CELL \t ROW \t COLUMN \t N \n */
    size_t ntruncated;      /* lines in truncated */
    size_t nrows_left_out;  /* rows that did not fit */
    int failed;             /* libxlsxwriter refused a cell (I/O, memory) */
} XlsxSheet;

/* Starts x on the worksheet ws called name (a literal or longer-lived). */
void xlsx_sheet_init(XlsxSheet *x, lxw_worksheet *ws, const char *name);

/* Frees x's buffers (not the worksheet: the workbook owns it). */
void xlsx_sheet_free(XlsxSheet *x);

/* Whether row (0: the header row) fits in a sheet; a row that does not is
 * counted as left out. The caller skips writing it. */
int xlsx_row_fits(XlsxSheet *x, lxw_row_t row);

/* Writes s as text at (row, col) with fmt (may be NULL). Control
 * characters XML cannot hold are dropped, bytes that are not UTF-8 become
 * U+FFFD, and a text over XLSX_CELL_MAX is cut with the marker and noted
 * under row_label (e.g. the project's code) and column (its name). NULL or
 * "": the cell stays empty. A refusal by libxlsxwriter sets x->failed. */
void xlsx_text(XlsxSheet *x, lxw_row_t row, lxw_col_t col, const char *s, lxw_format *fmt,
               const char *row_label, const char *column);

/* Adds a sheet "Notes" to wb that lists what of x did not fit, when
 * anything did not; bold (may be NULL) formats its headings. Returns 0, or
 * -1 when libxlsxwriter refused. */
int xlsx_notes(lxw_workbook *wb, const XlsxSheet *x, lxw_format *bold);

/* Appends s to out as a cell's text: cleaned as xlsx_text says, cut with
 * the marker when longer than max UTF-16 code units (max leaves room for
 * the marker: at least 80). Returns 1 when cut (*nchars: the characters
 * of the whole text), else 0. */
int xlsx_fit(Buf *out, const char *s, size_t max, size_t *nchars);

#endif
