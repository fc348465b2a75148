/*
 * sheet_export.h — the CSV tables of csv_io.h (projects, measurements,
 * expenditure) as an .xlsx workbook (libxlsxwriter), and the byte order
 * mark of CSV downloads (docs/csv.md).
 *
 * The workbook has one sheet named like the kind, the same header and rows
 * as the CSV, with typed cells: dates are date cells (yyyy-mm-dd), amounts
 * numbers formatted #,##0.00, numbers numbers, everything else text. Text
 * that a spreadsheet could take for a formula carries the same leading
 * apostrophe as in the CSV (csv_text()), which the importer removes, so
 * export -> import of the workbook changes nothing.
 */
#ifndef ITSTRAT_SHEET_EXPORT_H
#define ITSTRAT_SHEET_EXPORT_H
#include <stdint.h>

#include "buf.h"
#include "csv_io.h"
#include "db.h"

#define SHEET_BOM "\xEF\xBB\xBF" /* the UTF-8 byte order mark Excel needs to read UTF-8 */

/* Writes kind of strategy sid as an .xlsx workbook to path. Returns 0, or -1
 * with err set (the database, the table, or the file). */
int sheet_export_xlsx(Db *db, int64_t sid, CsvKind kind, const char *path, Buf *err);

#endif
