/*
 * xlsx_read.h — one sheet of an .xlsx workbook (Office Open XML) as a table
 * of text cells, for the importers (docs/sheets.md).
 *
 * The workbook is a zip (minizip, read from memory) of XML parts read with
 * expat as a stream. What a cell holds becomes the text an importer reads:
 * shared and inline strings as they are, numbers in their shortest form (15
 * significant digits, as Excel shows them), a number in a date format as
 * YYYY-MM-DD (1900 and 1904 date systems), TRUE/FALSE, and a formula's last
 * calculated value (counted in nformulas). Refused, with the place (sheet,
 * row, column) and a fix: a document type declaration (so no entity is
 * ever expanded and nothing is loaded: billion laughs, external entities), a
 * part larger than XLSX_MAX_PART uncompressed (zip bombs), shared strings
 * and cells that take more than XLSX_MAX_HELD to hold (a shared string
 * repeated in a million cells, a cell at XFD in every row), a row beyond
 * 1,048,576 or a column beyond XFD (16,384), a cell longer than 32,767
 * characters, a text that itstrat's own export cut at that limit (xlsx.h:
 * reading it would cut the stored text), a formula without a saved result,
 * an error value (#DIV/0!),
 * merged cells in the header row, a broken zip or XML.
 *
 * sheet_sniff() tells an .xlsx from CSV and refuses what is neither: an
 * encrypted (password-protected) workbook, an old .xls, an .ods, UTF-16.
 */
#ifndef ITSTRAT_XLSX_READ_H
#define ITSTRAT_XLSX_READ_H
#include <stddef.h>

#include "buf.h"
#include "csv.h"

#define XLSX_MAX_PART ((size_t)256 << 20) /* uncompressed bytes of one XML part */
#define XLSX_MAX_HELD ((size_t)256 << 20) /* bytes of shared strings and cells held */
#define XLSX_MAX_ROWS 1048576L
#define XLSX_MAX_COLS 16384
#define XLSX_MAX_CELL 32767 /* characters in a cell */

typedef struct SheetRow {
    long line;          /* the row's number in the sheet (from 1) */
    size_t first;       /* its first cell in SheetTable.cell */
    int n;              /* cells, empty ones between included */
} SheetRow;

typedef struct SheetTable {
    Buf text;           /* every cell's text, each followed by a NUL */
    size_t *cell;       /* where cell k starts in text */
    size_t ncell, capcell;
    SheetRow *row;      /* rows that hold at least one value, in order */
    size_t nrow, caprow;
    size_t next;        /* the row sheet_table_next() returns next */
    char sheet[256];    /* the sheet's name */
    int nsheets;        /* sheets in the workbook */
    long nformulas;     /* cells whose saved formula result was read */
    long ndates;        /* cells read as dates from their number format */
} SheetTable;

enum { SHEET_CSV, SHEET_XLSX };

/* What data (len bytes) is: SHEET_CSV (text) or SHEET_XLSX (a zip that is
 * not an OpenDocument file); -1 with why (what it is and how to save it)
 * for an encrypted workbook, an .xls, an .ods or UTF-16 text. */
int sheet_sniff(const char *data, size_t len, Buf *why);

/* Reads the sheet named want (case aside), or the first sheet when there is
 * none of that name, of the workbook in data into t (initialised here; free
 * it with sheet_table_free() whatever the result). Returns 0, or -1 with
 * what is wrong, where, and what to do in err (no file name). */
int xlsx_read(const char *data, size_t len, const char *want, SheetTable *t, Buf *err);

/* The next row of t as a record (fields = the row's cells, line = its
 * number): 1, or 0 after the last. */
int sheet_table_next(SheetTable *t, CsvRecord *rec);
void sheet_table_free(SheetTable *t);

/* Column letters of 1-based column c ("A", "AB") into s (8 bytes). */
void xlsx_col_name(int c, char s[8]);

#endif
