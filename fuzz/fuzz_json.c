/*
 * fuzz_json.c — libFuzzer target of the JSON importer (import_json).
 *
 * Every input is imported into one in-memory database, opened once and
 * reused, that holds a resident strategy. After each input the target checks
 * what must always hold, and aborts (a crash for libFuzzer) when it does not:
 *   - no transaction is left open;
 *   - a refused document has at least one message and changes nothing: the
 *     resident strategy exports the same bytes and no strategy was added;
 *   - an accepted document is canonical once stored: its export, imported
 *     again, is unchanged, and exports the same bytes again. It is then
 *     deleted (and the resident strategy restored if it was replaced), so
 *     the database stays small.
 *
 * Build: CC=clang cmake -S . -B build-fuzz-json -DITSTRAT_FUZZ=ON
 *        cmake --build build-fuzz-json --target fuzz_json
 * Run:   build-fuzz-json/fuzz_json fuzz/corpus/json -max_total_time=90
 * (for coverage of the library itself, configure with
 *  CFLAGS=-fsanitize=fuzzer-no-link,address,undefined).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "import.h"
#include "store.h"

#define FUZZ_RESIDENT "RESIDENT"

static const char fuzz_resident_doc[] =
    "{\"format\": \"itstrat/1\", \"strategy\": {\"code\": \"" FUZZ_RESIDENT "\","
    " \"title\": \"Resident\", \"first_year\": 2020, \"last_year\": 2023},"
    " \"outcomes\": [{\"number\": 1, \"title\": \"O\", \"outputs\": [{\"code\": \"1.1\","
    " \"title\": \"Out\"}]}],"
    " \"projects\": [{\"code\": \"P1\", \"title\": \"One\", \"output\": \"1.1\","
    " \"status\": \"approved\", \"budget\": 12.5},"
    " {\"code\": \"P2\", \"title\": \"Two\", \"outcome\": 1, \"status\": \"proposed\","
    " \"depends_on\": [\"P1\"]}]}";

static Db *fuzz_db;
static unsigned char fuzz_resident_digest[32];

/* Stops the run with a message when a property does not hold. */
static void fuzz_require(int ok, const char *what, const Buf *detail)
{
    if (ok) return;
    fprintf(stderr, "fuzz_json: %s\n%s\n", what, detail ? buf_str(detail) : "");
    abort();
}

static int64_t fuzz_strategy_id(const char *code)
{
    Store s;
    store_init(&s, fuzz_db);
    int64_t sid = store_strategy_id(&s, code);
    store_done(&s);
    fuzz_require(sid >= 0, "cannot look a strategy up", NULL);
    return sid;
}

static int64_t fuzz_strategy_count(void)
{
    DbStmt *st;
    fuzz_require(db_prepare(fuzz_db, &st, "SELECT count(*) FROM strategy") == 0,
                 "cannot count", NULL);
    fuzz_require(db_step(st) == DB_ROW, "cannot count", NULL);
    int64_t n = db_column_int(st, 0);
    db_finalize(st);
    return n;
}

/* The export of strategy sid into b (reset first). */
static void fuzz_export(int64_t sid, Buf *b)
{
    JsonW w;
    buf_reset(b);
    jw_init(&w, b, NULL, NULL);
    fuzz_require(export_json(fuzz_db, sid, &w) == 0, "export failed", NULL);
}

static void fuzz_import_resident(void)
{
    Buf msgs = BUF_INIT;
    int rc = import_json(fuzz_db, fuzz_resident_doc, strlen(fuzz_resident_doc), &msgs, NULL);
    fuzz_require(rc != IMPORT_FAILED, "the resident strategy does not import", &msgs);
    buf_free(&msgs);
}

static void fuzz_open(void)
{
    Buf err = BUF_INIT;
    fuzz_require(db_open(":memory:", DB_OPEN_CREATE, &fuzz_db, &err) == 0, "cannot open", &err);
    buf_free(&err);
    fuzz_import_resident();
    fuzz_require(export_json_digest(fuzz_db, fuzz_strategy_id(FUZZ_RESIDENT),
                                    fuzz_resident_digest) == 0, "no digest", NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!fuzz_db) fuzz_open();
    int64_t nbefore = fuzz_strategy_count();
    Buf msgs = BUF_INIT, e1 = BUF_INIT, e2 = BUF_INIT, again = BUF_INIT;
    ImportStats st;
    int rc = import_json(fuzz_db, (const char *)data, size, &msgs, &st);
    fuzz_require(db_begin(fuzz_db) == 0, "a transaction was left open", &msgs);
    db_rollback(fuzz_db);

    if (rc == IMPORT_FAILED) {
        fuzz_require(msgs.n > 0, "refused without a message", NULL);
        fuzz_require(fuzz_strategy_count() == nbefore, "a refused document added rows", &msgs);
    } else {
        fuzz_require(msgs.n == 0, "accepted with messages", &msgs);
        int64_t sid = fuzz_strategy_id(st.code);
        fuzz_require(sid > 0, "the accepted strategy is not there", NULL);
        fuzz_export(sid, &e1);
        int rc2 = import_json(fuzz_db, e1.a, e1.n, &again, NULL);
        fuzz_require(rc2 == IMPORT_UNCHANGED, "the export does not import as unchanged", &again);
        fuzz_export(fuzz_strategy_id(st.code), &e2);
        fuzz_require(e1.n == e2.n && memcmp(e1.a, e2.a, e1.n) == 0,
                     "export -> import -> export changed the bytes", &e1);
        Store s;
        store_init(&s, fuzz_db);
        fuzz_require(db_begin(fuzz_db) == 0 && store_strategy_delete(&s, sid) == 0 &&
                     db_commit(fuzz_db) == 0, "cannot delete", NULL);
        store_done(&s);
        if (strcmp(st.code, FUZZ_RESIDENT) == 0) fuzz_import_resident();
    }
    unsigned char now[32];
    fuzz_require(export_json_digest(fuzz_db, fuzz_strategy_id(FUZZ_RESIDENT), now) == 0 &&
                 memcmp(now, fuzz_resident_digest, 32) == 0,
                 "the resident strategy changed", &msgs);
    fuzz_require(fuzz_strategy_count() == 1, "strategies were left behind", NULL);
    buf_free(&msgs);
    buf_free(&e1);
    buf_free(&e2);
    buf_free(&again);
    return 0;
}
