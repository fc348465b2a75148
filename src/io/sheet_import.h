/*
 * sheet_import.h — a CSV file or an .xlsx workbook into a strategy, with a
 * preview (docs/csv.md, "Sheets"). The file's kind is told by its bytes, not
 * its name: an .xlsx is read with xlsx_read.h (the sheet named like the
 * kind, else the first), anything else that is text as CSV (the separator
 * detected); an encrypted workbook, an .xls, an .ods and UTF-16 text are
 * refused with how to save them. Then the rows go through csv_import_opts()
 * with the same checks as a CSV.
 */
#ifndef ITSTRAT_SHEET_IMPORT_H
#define ITSTRAT_SHEET_IMPORT_H
#include "csv_io.h"

typedef struct SheetInfo {
    int xlsx;            /* 1: the file was an .xlsx */
    char sheet[256];     /* ... the sheet read */
    int nsheets;         /* ... of so many */
    long nformulas;      /* cells whose saved formula result was read */
    long ndates;         /* date cells */
} SheetInfo;

/* Imports data (len bytes, named name in messages) as rows of kind into
 * strategy sid; opts as csv_import_opts() (opts->table is set here for an
 * .xlsx). Returns IMPORT_DONE, IMPORT_UNCHANGED or IMPORT_FAILED. */
int sheet_import(Db *db, int64_t sid, CsvKind kind, const char *name, const char *data,
                 size_t len, CsvImportOpts *opts, Buf *msgs, CsvImportStats *stats,
                 SheetInfo *info);

/* The same for the file at path (at most IMPORT_MAX_BYTES). */
int sheet_import_file(Db *db, int64_t sid, CsvKind kind, const char *path, CsvImportOpts *opts,
                      Buf *msgs, CsvImportStats *stats, SheetInfo *info);

/* What the import read, in lines for a person: the sheet, the separator, the
 * day order and the formulas ("" when there is nothing to say). */
void sheet_describe(const char *name, const CsvImportStats *st, const SheetInfo *info, Buf *b);

#endif
