/*
 * fuzz_xlsx.c — libFuzzer target: the .xlsx reader (xlsx_read.c: minizip +
 * expat), sheet_sniff() and the sheet import (sheet_import.c) as a preview
 * (--dry-run) into an in-memory database holding a small strategy.
 *
 * Besides "no crash, no sanitizer report" it checks, and aborts when one
 * fails:
 *  - a refusal always says why;
 *  - a table read has rows in increasing order, at most XLSX_MAX_COLS cells
 *    in a row and at most XLSX_MAX_CELL characters in a cell;
 *  - a preview never leaves anything written: the strategy's export digest
 *    is the same after it, whatever it finds.
 *
 * Seeds: fuzz/corpus/xlsx, workbooks written by libxlsxwriter (itstrat export
 * --xlsx) and by tests/data/mkxlsx.py (broken ones among them).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_io.h"
#include "export.h"
#include "import.h"
#include "sheet_import.h"
#include "store.h"
#include "xlsx_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char fz_strategy[] =
    "{\"format\": \"itstrat/1\",\n"
    " \"strategy\": {\"code\": \"S\", \"title\": \"Small\", \"first_year\": 2018,\n"
    "   \"last_year\": 2021, \"categories\": [{\"code\": \"infra\", \"name\": \"Infra\"}]},\n"
    " \"outcomes\": [{\"number\": 1, \"title\": \"Efficient\", \"outputs\": [\n"
    "   {\"code\": \"1.1\", \"title\": \"One\"}]}],\n"
    " \"indicators\": [{\"code\": \"KPI-1\", \"kind\": \"kpi\", \"title\": \"Uptime\"}],\n"
    " \"projects\": [\n"
    "   {\"code\": \"P000001\", \"title\": \"Cloud\", \"output\": \"1.1\",\n"
    "    \"status\": \"completed\"}]}\n";

static Db *fz_db;
static int64_t fz_sid;

static void fz_die(const char *what, const Buf *detail)
{
    fprintf(stderr, "fuzz_xlsx: %s\n%s\n", what, detail ? buf_str(detail) : "");
    abort();
}

static void fz_open(void)
{
    Buf err = BUF_INIT;
    if (db_open(":memory:", DB_OPEN_CREATE, &fz_db, &err)) fz_die("cannot open", &err);
    if (import_json(fz_db, fz_strategy, sizeof fz_strategy - 1, &err, NULL) != IMPORT_DONE)
        fz_die("cannot load the strategy", &err);
    Store s;
    store_init(&s, fz_db);
    fz_sid = store_strategy_id(&s, "S");
    store_done(&s);
    if (fz_sid <= 0) fz_die("no strategy", NULL);
    buf_free(&err);
}

/* Reads data as a workbook and checks the table. */
static void fz_table(const char *data, size_t size)
{
    SheetTable t;
    Buf err = BUF_INIT;
    if (xlsx_read(data, size, "projects", &t, &err)) {
        if (!err.n) fz_die("refused without a reason", NULL);
    } else {
        long last = 0;
        for (size_t i = 0; i < t.nrow; i++) {
            if (t.row[i].line <= last || t.row[i].line > XLSX_MAX_ROWS)
                fz_die("rows out of order", NULL);
            if (t.row[i].n > XLSX_MAX_COLS) fz_die("too many cells in a row", NULL);
            last = t.row[i].line;
        }
        for (size_t k = 0; k < t.ncell; k++)
            if (strlen(t.text.a + t.cell[k]) > (size_t)XLSX_MAX_CELL * 4)
                fz_die("a cell longer than the limit", NULL);
    }
    sheet_table_free(&t);
    buf_free(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!fz_db) fz_open();
    Buf why = BUF_INIT;
    if (sheet_sniff((const char *)data, size, &why) < 0 && !why.n)
        fz_die("sniff refused without a reason", NULL);
    buf_free(&why);
    fz_table((const char *)data, size);
    for (int k = 0; k < CSV__KINDS; k++) {
        Buf msgs = BUF_INIT, preview = BUF_INIT;
        CsvImportOpts opts = {.dry_run = 1, .preview = &preview};
        unsigned char before[32], after[32];
        if (export_json_digest(fz_db, fz_sid, before)) fz_die("cannot digest", NULL);
        int rc = sheet_import(fz_db, fz_sid, (CsvKind)k, "fuzz.xlsx", (const char *)data, size,
                              &opts, &msgs, NULL, NULL);
        if (rc == IMPORT_FAILED && !msgs.n) fz_die("failed without a message", NULL);
        if (export_json_digest(fz_db, fz_sid, after)) fz_die("cannot digest", NULL);
        if (memcmp(before, after, 32) != 0) fz_die("a preview changed the strategy", &msgs);
        buf_free(&msgs);
        buf_free(&preview);
    }
    return 0;
}
