/*
 * fuzz_record.c — libFuzzer target: what a form or an API body becomes
 * before it is written (src/io/record.c).
 *
 * The first byte picks a kind of record (record_def_at), the second how the
 * rest is read: as an urlencoded form body (query_parse_form, then each
 * field's text through record_text_json, as the record pages do) or as a
 * JSON body (as the records API does). Then record_validate() checks it
 * against a small strategy in a database made once. Besides "no crash, no
 * sanitizer report" it aborts when a property fails:
 *  - record_validate answers RECORD_OK with no problem, or RECORD_INVALID
 *    with at least one, each with a message;
 *  - on RECORD_OK every text value is valid UTF-8 within its field's limit,
 *    every enum value is one of the field's values, every required field is
 *    given, and every reference is the id of a record of the strategy;
 *  - record_text_json gives NULL exactly when it added a problem.
 * Nothing is written: validation only.
 *
 * Build: CC=clang cmake -S . -B build-fuzz -DITSTRAT_FUZZ=ON && cmake --build
 * build-fuzz --target fuzz_record; run: build-fuzz/fuzz_record fuzz/corpus/record.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "db.h"
#include "query.h"
#include "record.h"
#include "store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static Db *db;
static Store store;
static char path[64];

static void cleanup(void)
{
    store_done(&store);
    db_close(db);
    unlink(path);
    char side[80];
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

/* A database with one strategy and one record of each kind others refer to. */
static void setup(void)
{
    snprintf(path, sizeof path, "/tmp/fuzz-record-%d.db", (int)getpid());
    unlink(path);
    Buf err = BUF_INIT;
    if (db_open(path, DB_OPEN_CREATE, &db, &err)) {
        fprintf(stderr, "fuzz_record: %s\n", buf_str(&err));
        abort();
    }
    buf_free(&err);
    if (db_exec(db,
                "INSERT INTO strategy (id, code, title, first_year, last_year) VALUES "
                "(1, 'S', 'Strategy', 2018, 2021);"
                "INSERT INTO outcome (id, strategy_id, number, title) VALUES (1, 1, 1, 'O');"
                "INSERT INTO output (id, strategy_id, outcome_id, code, title, sort) VALUES "
                "(1, 1, 1, '1.1', 'Out', 1);"
                "INSERT INTO driver (id, strategy_id, code, title, sort) VALUES (1, 1, 'D1', 'D', 1);"
                "INSERT INTO category (id, strategy_id, code, name, sort) VALUES (1, 1, 'C', 'C', 1);"
                "INSERT INTO location (id, strategy_id, code, name, kind, sort) VALUES "
                "(1, 1, 'HQ', 'HQ', 'headquarters', 1);"
                "INSERT INTO project (id, strategy_id, code, title, output_id, status, sort) VALUES "
                "(1, 1, 'P1', 'P', 1, 'approved', 1);"
                "INSERT INTO indicator (id, strategy_id, code, kind, title, sort) VALUES "
                "(1, 1, 'I1', 'kpi', 'I', 1);")) {
        fprintf(stderr, "fuzz_record: %s\n", db_errmsg(db));
        abort();
    }
    store_init(&store, db);
    atexit(cleanup);
}

/* Whether s is valid UTF-8 of at most max code points. */
static int utf8_within(const char *s, int64_t max)
{
    int64_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; n++) {
        int len = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3
                : (*p & 0xF8) == 0xF0 ? 4 : 0;
        if (!len) return 0;
        for (int k = 1; k < len; k++)
            if ((p[k] & 0xC0) != 0x80) return 0;
        p += len;
    }
    return max <= 0 || n <= max;
}

static void check_ok(const RecordDef *d, const RecordValue *vals)
{
    size_t k = 0;
    for (const RecordField *f = d->fields; f->name; f++, k++) {
        const RecordValue *v = &vals[k];
        if (f->required && v->null && f->type != RF_BOOL) abort();
        if (v->null) continue;
        switch (f->type) {
        case RF_TEXT: case RF_MARKDOWN:
            if (!v->s || !utf8_within(v->s, f->hi)) abort();
            break;
        case RF_ENUM: {
            int found = 0;
            for (const char *const *e = f->values; *e; e++) found |= strcmp(*e, v->s) == 0;
            if (!found) abort();
            break;
        }
        case RF_REF:
            if (v->i != 1) abort(); /* the only record of each kind has id 1 */
            break;
        default: break;
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!db) setup();
    if (size < 2) return 0;
    const RecordDef *d = record_def_at(data[0] % record_def_count());
    int as_form = data[1] & 1;
    char *text = malloc(size - 1);
    memcpy(text, data + 2, size - 2);
    text[size - 2] = 0;
    RecordProblems p = {.n = 0};
    json_t *in = NULL;
    if (as_form) {
        Arena arena = {0};
        Query q;
        Buf err = BUF_INIT;
        if (query_parse_form(text, &arena, &q, &err) == 0) {
            in = json_object();
            for (const RecordField *f = d->fields; f->name; f++) {
                int before = p.n;
                json_t *v = record_text_json(f, query_get(&q, f->name), &p);
                if ((v == NULL) != (p.n > before)) abort();
                if (v) json_object_set_new(in, f->name, v);
            }
        } else if (!err.n) {
            abort(); /* a refusal says why */
        }
        buf_free(&err);
        arena_free(&arena);
    } else {
        in = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
    }
    if (in && p.n == 0) {
        RecordCtx c = {&store, 1, "S", 2018, 2021, 0, NULL};
        RecordValue vals[64];
        int rc = record_validate(&c, d, in, 0, 1, vals, &p);
        if (rc == RECORD_OK && p.n) abort();
        if (rc == RECORD_INVALID && !p.n) abort();
        if (rc != RECORD_OK && rc != RECORD_INVALID) abort();
        for (int k = 0; k < p.n; k++)
            if (!p.a[k].msg[0]) abort();
        if (rc == RECORD_OK) check_ok(d, vals);
    }
    json_decref(in);
    free(text);
    return 0;
}
