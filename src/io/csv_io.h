/*
 * csv_io.h — three tables of a strategy as CSV for spreadsheets: projects,
 * indicator measurements and IT expenditure lines (docs/csv.md).
 *
 * Export writes a header row and one row per record in the strategy's order;
 * import checks every row against the strategy, reports every problem as
 * "FILE:LINE: column NAME: what is wrong", and only when there is none
 * applies all rows in one transaction. Exporting and importing the same file
 * changes nothing.
 */
#ifndef ITSTRAT_CSV_IO_H
#define ITSTRAT_CSV_IO_H
#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "db.h"
#include "sheet_value.h"

/* The first three have importers of their own (csv_import.c); the others are
 * read and written through their record definitions (sheet_records.h). */
typedef enum CsvKind {
    CSV_PROJECTS, CSV_MEASUREMENTS, CSV_EXPENDITURE,
    CSV_UPDATES, CSV_INDICATORS, CSV_MILESTONES, CSV_RISKS, CSV_ACTIONS, CSV_SERVICES,
    CSV_SERVICE_FIGURES, CSV_COMMITTEES, CSV_MEETINGS, CSV_DECISIONS, CSV__KINDS
} CsvKind;

/* The kinds of value a column holds (how a cell is read and written). */
typedef enum CsvType {
    CT_CODE,     /* a code: letters, digits, . _ - */
    CT_TEXT,     /* free text, kept exactly */
    CT_INT,      /* a whole number (outcome number) */
    CT_YEAR,     /* a year */
    CT_REAL,     /* a number */
    CT_MONEY,    /* an amount with at most two decimals */
    CT_DATE,     /* YYYY-MM-DD */
    CT_CURRENCY, /* ISO 4217 code */
    CT_STATUS,   /* a project status */
    CT_YEARS,    /* years separated by ";" */
    CT_TAGS,     /* tags separated by ";" */
    CT_LOCATIONS, /* roll-out location codes separated by ";": compared, not written */
    CT_IGNORED   /* a figure an export adds (the number of updates): not read */
} CsvType;

typedef struct CsvColumn {
    const char *name;  /* header name: the key of docs/format.md */
    CsvType type;
    int required;      /* the header must have it */
    size_t maxlen;     /* characters, for CT_TEXT and CT_TAGS */
} CsvColumn;

/* The columns of kind k, in export order, ending with a NULL name (none for
 * the kinds of sheet_records.h, whose columns are their record's fields). */
const CsvColumn *csv_columns(CsvKind k);

/* 1 when the CSV and .xlsx exports write column c: all but the columns that
 * only the portfolio page's download has (locations, updates). */
int csv_column_exported(const CsvColumn *c);

/* Reads a kind name ("projects", "measurements", "expenditure", "updates",
 * "indicators", "milestones", "risks", "actions", "services",
 * "service_figures", "committees", "meetings", "decisions"): 0 and *out, or
 * -1 when name is none of them. */
int csv_kind_parse(const char *name, CsvKind *out);
const char *csv_kind_name(CsvKind k);
/* The kind names, "projects, measurements, ... and decisions" (for messages). */
const char *csv_kind_list(void);

typedef struct CsvImportStats {
    char code[72];   /* the strategy's code */
    long nrows;      /* data rows read (rows with every cell empty are skipped) */
    long nadded;     /* projects, measurements or expenditure lines added */
    long nchanged;   /* existing projects or measurements whose values changed */
    long nremoved;   /* expenditure lines removed (replaced by the file's lines) */
    long nyears;     /* expenditure: years the file replaces */
    char sep;        /* the separator the CSV uses (',' or ';'); 0 for a sheet */
    SheetDates dates; /* the order d/m/y dates were read in, how it was known, how many */
    unsigned char digest[32]; /* of the preview (the changes planned and the counts);
                              * set when opts->preview was given */
} CsvImportStats;

struct SheetTable;
struct AuditActor;

/* Besides import.h's results: the preview confirmed is not what the import
 * would do now (the strategy or the file changed in between); nothing written. */
#define IMPORT_STALE 2

/* How to import (all zero: CSV in data, dates in ISO or unambiguous, apply). */
typedef struct CsvImportOpts {
    int day_order;            /* SHEET_ORDER_* stated by the person (--day-order) */
    int dry_run;              /* check and count, write nothing (the preview) */
    Buf *preview;             /* when not NULL: one line per row added or changed,
                               * with before -> after for each field that changes */
    struct SheetTable *table; /* rows of a sheet (xlsx_read.h) instead of data */
    const struct AuditActor *actor; /* who imports (NULL: the thread's actor) */
    const unsigned char *expect; /* when not NULL: 32 bytes, the digest of the preview
                              * confirmed (CsvImportStats.digest); an import whose
                              * preview differs now is refused (IMPORT_STALE) */
} CsvImportOpts;

/* Checks the CSV in data (len bytes) as rows of kind for strategy sid and,
 * when no row has a problem, applies them all in one transaction. name is
 * the file name that starts every message. Problems go to msgs, one line
 * each ("NAME:LINE: column COL: what"); then nothing is changed. Returns
 * IMPORT_DONE, IMPORT_UNCHANGED (every row matches what the database holds;
 * nothing written) or IMPORT_FAILED (import.h). */
int csv_import(Db *db, int64_t sid, CsvKind kind, const char *name, const char *data,
               size_t len, Buf *msgs, CsvImportStats *stats);

/* csv_import() with options: the rows come from opts->table when set, the
 * day order of d/m/y dates from opts->day_order, and with opts->dry_run the
 * changes are written and counted in the transaction and then rolled back
 * (IMPORT_DONE: the counts are what the import would do; nothing stays). */
int csv_import_opts(Db *db, int64_t sid, CsvKind kind, const char *name, const char *data,
                    size_t len, const CsvImportOpts *opts, Buf *msgs, CsvImportStats *stats);

/* The digest of a preview: its n bytes of text (the lines of opts->preview)
 * and the counts of st, into out. The web's confirmation carries it. */
void csv_preview_digest(const char *text, size_t n, const CsvImportStats *st,
                        unsigned char out[32]);

/* Writes the rows of kind of strategy sid as CSV into b. When out is not
 * NULL, b's text is written to out every megabyte and at the end (b is then
 * empty). Nothing is written when the table cannot be represented (a tag
 * that holds ';'). Returns 0, or -1 with err set (a database or write
 * error, or such a tag). */
int csv_export(Db *db, int64_t sid, CsvKind kind, Buf *b, FILE *out, Buf *err);

#endif
