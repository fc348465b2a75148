/*
 * fuzz_csv.c — libFuzzer target: the RFC 4180 reader (csv.c) and the CSV
 * import of each kind (csv_import.c) into an in-memory database ":memory:"
 * holding a small strategy.
 *
 * Besides "no crash, no sanitizer report" it checks properties and aborts
 * when one fails:
 *  - every record read, written again with csv_field(), reads back the same,
 *    and csv_unguard(csv_text(x)) gives x back;
 *  - an import that fails reports a problem, and one that fails or changes
 *    nothing writes no row at all (SQLite's count of changed rows), which
 *    is stronger than the strategy exporting the same;
 *  - after an import that changes something, exporting that kind and
 *    importing the export again changes nothing.
 *
 * Build: CC=clang cmake -S . -B build-fuzz -DITSTRAT_FUZZ=ON && cmake --build
 * build-fuzz --target fuzz_csv; run: build-fuzz/fuzz_csv fuzz/corpus/csv.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "csv_io.h"
#include "export.h"
#include "import.h"
#include "store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char fz_strategy[] =
    "{\"format\": \"itstrat/1\",\n"
    " \"strategy\": {\"code\": \"S\", \"title\": \"Small\", \"first_year\": 2018,\n"
    "   \"last_year\": 2021, \"categories\": [{\"code\": \"infra\", \"name\": \"Infra\"},\n"
    "   {\"code\": \"apps\", \"name\": \"Applications\", \"new_or_major\": true}]},\n"
    " \"outcomes\": [{\"number\": 1, \"title\": \"Efficient\", \"outputs\": [\n"
    "   {\"code\": \"1.1\", \"title\": \"One\"}, {\"code\": \"1.2\", \"title\": \"Two\"}]}],\n"
    " \"drivers\": [{\"code\": \"security\", \"title\": \"Security\"}],\n"
    " \"indicators\": [\n"
    "   {\"code\": \"KPI-1\", \"kind\": \"kpi\", \"title\": \"Uptime\", \"measurements\": [\n"
    "     {\"date\": \"2019-12-31\", \"value\": 99.5, \"source\": \"Ops\"}]},\n"
    "   {\"code\": \"KPI-2\", \"kind\": \"kpi\", \"title\": \"Tickets\"}],\n"
    " \"projects\": [\n"
    "   {\"code\": \"P1\", \"title\": \"Cloud\", \"output\": \"1.1\", \"category\": \"infra\",\n"
    "    \"years\": [2018, 2019], \"status\": \"completed\", \"planned_start\": \"2018-01-01\",\n"
    "    \"planned_end\": \"2019-06-30\", \"budget\": 1000.5, \"tags\": [\"cloud\"]},\n"
    "   {\"code\": \"P2\", \"title\": \"Security\", \"driver\": \"security\",\n"
    "    \"status\": \"in_progress\"}],\n"
    " \"expenditure\": [\n"
    "   {\"year\": 2018, \"category\": \"Staff\", \"amount\": 100},\n"
    "   {\"year\": 2019, \"category\": \"Staff\", \"amount\": 200.25, \"project\": \"P1\"}]}\n";

static Db *fz_db;
static int64_t fz_sid;

static void fz_die(const char *what, const Buf *detail)
{
    fprintf(stderr, "fuzz_csv: %s\n%s\n", what, detail ? buf_str(detail) : "");
    abort();
}

/* (Re)creates the database with the small strategy. */
static void fz_open(void)
{
    Buf err = BUF_INIT;
    if (fz_db) db_close(fz_db);
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

/* Reads data record by record; each must survive the writer and the guard. */
static void fz_reader(const char *data, size_t size)
{
    CsvReader r, again;
    CsvRecord rec = CSV_RECORD_INIT, back = CSV_RECORD_INIT;
    Buf b = BUF_INIT;
    csv_reader_init(&r, data, size);
    r.max_field = 4096;
    r.max_fields = 64;
    while (csv_read(&r, &rec) == 1) {
        buf_reset(&b);
        for (int i = 0; i < rec.n; i++) csv_field(&b, csv_get(&rec, i));
        csv_row_end(&b);
        csv_reader_init(&again, b.a, b.n);
        if (csv_read(&again, &back) != 1 || back.n != rec.n) fz_die("re-read differs", &b);
        for (int i = 0; i < rec.n; i++)
            if (strcmp(csv_get(&rec, i), csv_get(&back, i)) != 0) fz_die("field differs", &b);
        if (csv_read(&again, &back) != 0) fz_die("re-read has more records", &b);
        csv_reader_free(&again);
        for (int i = 0; i < rec.n; i++) {
            buf_reset(&b);
            csv_text(&b, csv_get(&rec, i));
            csv_row_end(&b);
            csv_reader_init(&again, b.a, b.n);
            if (csv_read(&again, &back) != 1 || back.n != 1 ||
                strcmp(csv_unguard(csv_get(&back, 0)), csv_get(&rec, i)) != 0)
                fz_die("formula guard does not round-trip", &b);
            csv_reader_free(&again);
        }
    }
    if (r.failed && !r.err.n) fz_die("an error without a message", NULL);
    csv_record_free(&rec);
    csv_record_free(&back);
    csv_reader_free(&r);
    buf_free(&b);
}

/* Imports data as kind k and checks what the import claims. */
static void fz_import(CsvKind k, const char *data, size_t size)
{
    Buf msgs = BUF_INIT, csv = BUF_INIT, err = BUF_INIT;
    int64_t before = db_changes(fz_db);
    int rc = csv_import(fz_db, fz_sid, k, "fuzz.csv", data, size, &msgs, NULL);
    if (rc == IMPORT_FAILED && !msgs.n) fz_die("failed without a message", NULL);
    if (rc != IMPORT_DONE) {
        if (db_changes(fz_db) != before)
            fz_die("a failed or unchanged import wrote to the database", &msgs);
    } else {
        if (csv_export(fz_db, fz_sid, k, &csv, NULL, &err)) fz_die("cannot export", &err);
        buf_reset(&msgs);
        rc = csv_import(fz_db, fz_sid, k, "again.csv", csv.a, csv.n, &msgs, NULL);
        if (rc != IMPORT_UNCHANGED) {
            buf_puts(&msgs, "\n--- the export:\n");
            buf_puts(&msgs, buf_str(&csv));
            fz_die("export -> import of an imported file is not unchanged", &msgs);
        }
        fz_open(); /* the next kind starts from the same strategy */
    }
    buf_free(&msgs);
    buf_free(&csv);
    buf_free(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!fz_db) fz_open();
    fz_reader((const char *)data, size);
    for (int k = 0; k < CSV__KINDS; k++) fz_import((CsvKind)k, (const char *)data, size);
    return 0;
}
