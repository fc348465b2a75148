/*
 * sheet_rows.h — the walk over the rows of a CSV text or of a workbook's
 * table that every sheet importer shares (csv_import.c, sheet_records.c):
 * the header first, then each row that is not blank, padded to the header's
 * width (a workbook leaves out the empty cells at the end of a row). The
 * problems of the file itself — empty, a syntax error, a row wider or
 * narrower than the header, a header with no rows — are reported here, in
 * the same words for every kind; what a row means is the importer's.
 */
#ifndef ITSTRAT_SHEET_ROWS_H
#define ITSTRAT_SHEET_ROWS_H
#include <stddef.h>

#include "csv.h"
#include "xlsx_read.h"

typedef struct SheetRowsOps {
    void *ctx;
    const char *kind;    /* for messages: "projects", "risks" */
    const char *columns; /* the kind's columns, "a, b and c" */
    /* The header row: 0 to go on, -1 to stop (the importer said why). */
    int (*header)(void *ctx, const CsvRecord *rec);
    /* One row, as wide as the header: 0 to go on, -1 to stop. */
    int (*row)(void *ctx, const CsvRecord *rec);
    /* A problem of line: in column col, or (col NULL) of the row as a whole. */
    void (*problem)(void *ctx, long line, const char *col, const char *msg);
    /* The name of header field f (0-based) as the importer read it, or "". */
    const char *(*field)(void *ctx, int f);
} SheetRowsOps;

/* Reads data (table NULL: CSV text, its separator detected into *sep) or
 * table's rows. *nrows: the rows that were not blank. */
void sheet_rows_read(const char *data, size_t len, SheetTable *table, const SheetRowsOps *ops,
                     char *sep, long *nrows);

#endif
