/*
 * test_gen.c — the synthetic strategy generator: the same seed gives the
 * same bytes, another seed other bytes, the document is canonical and
 * imports without a problem.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "export.h"
#include "gen.h"
#include "import.h"
#include "store.h"

#define assert_contains(hay, needle)                                                         \
    do {                                                                                     \
        if (!strstr((hay), (needle))) fail_msg("\"%s\" not in \"%s\"", (needle), (hay));     \
    } while (0)

/* Generates a document into b (reset first). */
static void generate(Buf *b, long projects, uint64_t seed, const char *code)
{
    GenSpec spec = {.projects = projects, .seed = seed, .code = code};
    JsonW w;
    buf_reset(b);
    jw_init(&w, b, NULL, NULL);
    assert_int_equal(gen_strategy(&spec, &w), 0);
}

static void test_same_seed_same_bytes(void **state)
{
    (void)state;
    Buf a = BUF_INIT, b = BUF_INIT;
    generate(&a, 300, 7, NULL);
    generate(&b, 300, 7, NULL);
    assert_true(a.n > 10000);
    assert_int_equal(a.n, b.n);
    assert_memory_equal(a.a, b.a, a.n);
    assert_contains(a.a, "\"code\": \"GEN-7\"");
    assert_int_equal(a.a[a.n - 1], '\n');
    buf_free(&a);
    buf_free(&b);
}

static void test_other_seed_other_bytes(void **state)
{
    (void)state;
    Buf a = BUF_INIT, b = BUF_INIT;
    generate(&a, 300, 7, "SAME");
    generate(&b, 300, 8, "SAME");
    /* Same code, so the difference is in the content, not just the name. */
    assert_true(a.n != b.n || memcmp(a.a, b.a, a.n) != 0);
    assert_contains(b.a, "\"code\": \"SAME\"");
    buf_free(&a);
    buf_free(&b);
}

/* A sink that fails at once. */
static int failing_sink(void *ctx, const char *p, size_t n)
{
    (void)ctx, (void)p, (void)n;
    return -1;
}

static void test_sink_failure(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    GenSpec spec = {.projects = 5, .seed = 1};
    JsonW w;
    jw_init(&w, &b, failing_sink, NULL);
    assert_int_equal(gen_strategy(&spec, &w), -1);
    buf_free(&b);
}

static void test_generated_document_imports_cleanly(void **state)
{
    (void)state;
    Buf doc = BUF_INIT, msgs = BUF_INIT, out = BUF_INIT;
    generate(&doc, 400, 42, NULL);
    Db *db;
    Buf err = BUF_INIT;
    assert_int_equal(db_open(":memory:", DB_OPEN_CREATE, &db, &err), 0);
    ImportStats st;
    int rc = import_json(db, doc.a, doc.n, &msgs, &st);
    if (rc != IMPORT_DONE) fail_msg("%s", buf_str(&msgs));
    assert_string_equal(buf_str(&msgs), "");
    assert_string_equal(st.code, "GEN-42");
    assert_int_equal(st.nprojects, 400);
    assert_true(st.nindicators > 0 && st.nrisks > 0 && st.nservices > 0);
    /* Generated documents are canonical: the export is the same bytes. */
    Store s;
    store_init(&s, db);
    int64_t sid = store_strategy_id(&s, "GEN-42");
    store_done(&s);
    JsonW w;
    jw_init(&w, &out, NULL, NULL);
    assert_int_equal(export_json(db, sid, &w), 0);
    assert_int_equal(out.n, doc.n);
    assert_memory_equal(out.a, doc.a, doc.n);
    assert_int_equal(import_json(db, doc.a, doc.n, &msgs, &st), IMPORT_UNCHANGED);
    db_close(db);
    buf_free(&doc);
    buf_free(&msgs);
    buf_free(&out);
    buf_free(&err);
}

static void test_one_project(void **state)
{
    (void)state;
    Buf doc = BUF_INIT, msgs = BUF_INIT, err = BUF_INIT;
    generate(&doc, 1, 0, NULL);
    Db *db;
    assert_int_equal(db_open(":memory:", DB_OPEN_CREATE, &db, &err), 0);
    ImportStats st;
    int rc = import_json(db, doc.a, doc.n, &msgs, &st);
    if (rc != IMPORT_DONE) fail_msg("%s", buf_str(&msgs));
    assert_int_equal(st.nprojects, 1);
    assert_string_equal(st.code, "GEN-0");
    db_close(db);
    buf_free(&doc);
    buf_free(&msgs);
    buf_free(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_seed_same_bytes),
        cmocka_unit_test(test_other_seed_other_bytes),
        cmocka_unit_test(test_sink_failure),
        cmocka_unit_test(test_generated_document_imports_cleanly),
        cmocka_unit_test(test_one_project),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
