/*
 * sheet_records.h — the kinds of rows that a sheet holds as records of the
 * forms (record_def.h): progress updates, indicators, milestones, risks,
 * remedial actions, services, their monthly figures, committees, meetings
 * and decisions (docs/sheets.md).
 *
 * A kind's columns are the columns that find the record's parent (the code
 * of its project, indicator, risk, service or committee; for a decision the
 * committee and the meeting's date), then the fields of its RecordDef, named
 * as the forms and the API name them. A choice (a status, a kind) is written
 * as its code in a CSV; a workbook has its label, and beside it a column
 * FIELD_code with the code, which wins when both are given.
 *
 * Import: each row is matched with a record by its parent and its key fields
 * (a code; for a milestone or a monthly figure its period, an update or a
 * meeting its date, an action its title; a decision its place among its
 * meeting's decisions); the n-th row with a key matches the n-th record with
 * it. A matched row changes the fields of the columns present, an unmatched
 * one adds a record; records that no row names are left as they are. Every
 * row is checked by record_validate(), the check of the forms and the API,
 * with the same words; problems are reported as "NAME:LINE: column COL: what"
 * and then nothing is written. The changes go into one transaction with one
 * audit entry per record changed (versions move as a form's save moves them).
 */
#ifndef ITSTRAT_SHEET_RECORDS_H
#define ITSTRAT_SHEET_RECORDS_H
#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "csv_io.h"
#include "db.h"

/* 1 when kind k is one of this file's kinds. */
int sheet_records_kind(CsvKind k);

/* The record kind ("risk") whose rows kind k holds, NULL when none. */
const char *sheet_records_def(CsvKind k);

/* Imports the rows of kind k in data (CSV) or opts->table (a sheet) into
 * strategy sid, as csv_import_opts() says. */
int sheet_records_import(Db *db, int64_t sid, CsvKind k, const char *name, const char *data,
                         size_t len, const CsvImportOpts *opts, Buf *msgs,
                         CsvImportStats *stats);

/* Writes the records of kind k of strategy sid as CSV into b (handed to out
 * every megabyte when out is not NULL). 0, or -1 with err set. */
int sheet_records_csv(Db *db, int64_t sid, CsvKind k, Buf *b, FILE *out, Buf *err);

/* Writes them as an .xlsx workbook at path: dates as date cells, amounts as
 * numbers, choices as labels with a FIELD_code column. 0, or -1 with err. */
int sheet_records_xlsx(Db *db, int64_t sid, CsvKind k, const char *path, Buf *err);

#endif
