/*
 * test_strmap.c — the string-to-integer map: put/get, replacement, growth
 * past many resizes, keys copied, empty map.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "strmap.h"

static void test_empty_map_finds_nothing(void **state)
{
    (void)state;
    StrMap m = STRMAP_INIT;
    int64_t v = 7;
    assert_int_equal(strmap_get(&m, "x", &v), 0);
    assert_int_equal(v, 7); /* untouched when absent */
    assert_int_equal(strmap_get(&m, "", NULL), 0);
    strmap_free(&m);
}

static void test_put_get_replace(void **state)
{
    (void)state;
    StrMap m = STRMAP_INIT;
    int64_t v = 0;
    assert_int_equal(strmap_put(&m, "1.1", 10), 1);
    assert_int_equal(strmap_put(&m, "1.2", 20), 1);
    assert_int_equal(strmap_put(&m, "", -5), 1); /* the empty key is a key */
    assert_int_equal(m.count, 3);
    assert_int_equal(strmap_get(&m, "1.1", &v), 1);
    assert_int_equal(v, 10);
    assert_int_equal(strmap_get(&m, "", &v), 1);
    assert_int_equal(v, -5);
    assert_int_equal(strmap_put(&m, "1.1", INT64_MIN), 0); /* replaced, not added */
    assert_int_equal(m.count, 3);
    assert_int_equal(strmap_get(&m, "1.1", &v), 1);
    assert_true(v == INT64_MIN);
    assert_int_equal(strmap_get(&m, "1.3", NULL), 0);
    assert_int_equal(strmap_get(&m, "1.1", NULL), 1); /* value pointer optional */
    strmap_free(&m);
    assert_int_equal(m.count, 0);
    assert_int_equal(strmap_get(&m, "1.2", NULL), 0);
}

static void test_keys_are_copied(void **state)
{
    (void)state;
    StrMap m = STRMAP_INIT;
    char key[16];
    snprintf(key, sizeof key, "P-1");
    strmap_put(&m, key, 1);
    key[2] = '2'; /* the caller's buffer changes; the map keeps "P-1" */
    assert_int_equal(strmap_get(&m, "P-1", NULL), 1);
    assert_int_equal(strmap_get(&m, "P-2", NULL), 0);
    strmap_free(&m);
}

static void test_many_keys_survive_growth(void **state)
{
    (void)state;
    StrMap m = STRMAP_INIT;
    char key[32];
    const int n = 50000;
    for (int i = 0; i < n; i++) {
        snprintf(key, sizeof key, "PRJ-%d", i);
        assert_int_equal(strmap_put(&m, key, (int64_t)i * 3), 1);
    }
    assert_int_equal(m.count, n);
    assert_true(m.cap >= 2 * m.count); /* grown at 50% load */
    assert_int_equal(m.cap & (m.cap - 1), 0); /* a power of two */
    for (int i = 0; i < n; i++) {
        int64_t v = -1;
        snprintf(key, sizeof key, "PRJ-%d", i);
        assert_int_equal(strmap_get(&m, key, &v), 1);
        assert_int_equal(v, (int64_t)i * 3);
    }
    assert_int_equal(strmap_get(&m, "PRJ-50000", NULL), 0);
    assert_int_equal(strmap_get(&m, "PRJ-", NULL), 0);
    strmap_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_map_finds_nothing),
        cmocka_unit_test(test_put_get_replace),
        cmocka_unit_test(test_keys_are_copied),
        cmocka_unit_test(test_many_keys_survive_growth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
