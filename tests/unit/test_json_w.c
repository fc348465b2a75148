/*
 * test_json_w.c — the canonical JSON writer: string escaping, shortest
 * round-trip numbers, money in cents, lazy (omitted) empty arrays, layout
 * and the sink.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "json_w.h"

/* json_quote(s) as a new string in *b (reset first). */
static const char *quoted(Buf *b, const char *s)
{
    buf_reset(b);
    json_quote(b, s);
    return buf_str(b);
}

static const char *number(Buf *b, double v)
{
    buf_reset(b);
    json_number(b, v);
    return buf_str(b);
}

static void test_quote_escapes(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    assert_string_equal(quoted(&b, ""), "\"\"");
    assert_string_equal(quoted(&b, "plain"), "\"plain\"");
    assert_string_equal(quoted(&b, "say \"hi\""), "\"say \\\"hi\\\"\"");
    assert_string_equal(quoted(&b, "C:\\dir"), "\"C:\\\\dir\"");
    assert_string_equal(quoted(&b, "a\nb\rc\td\be\ff"), "\"a\\nb\\rc\\td\\be\\ff\"");
    assert_string_equal(quoted(&b, "\x01\x1f"), "\"\\u0001\\u001f\"");
    assert_string_equal(quoted(&b, "x\x1b[0m"), "\"x\\u001b[0m\"");
    /* '/' and DEL need no escape; neither does non-ASCII UTF-8, written as is. */
    assert_string_equal(quoted(&b, "a/b\x7f"), "\"a/b\x7f\"");
    assert_string_equal(quoted(&b, "2018\xE2\x80\x93" "21 caf\xC3\xA9 \xF0\x9F\x98\x80"),
                        "\"2018\xE2\x80\x93" "21 caf\xC3\xA9 \xF0\x9F\x98\x80\"");
    /* U+2028 stays raw too: valid JSON, and the export stays byte-stable. */
    assert_string_equal(quoted(&b, "\xE2\x80\xA8"), "\"\xE2\x80\xA8\"");
    buf_free(&b);
}

static void test_quote_appends(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    buf_puts(&b, "k=");
    json_quote(&b, "v");
    assert_string_equal(buf_str(&b), "k=\"v\"");
    buf_free(&b);
}

static void test_numbers_shortest_form(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    assert_string_equal(number(&b, 0), "0");
    assert_string_equal(number(&b, -0.0), "0");
    assert_string_equal(number(&b, 1), "1");
    assert_string_equal(number(&b, -3), "-3");
    assert_string_equal(number(&b, 100), "100");
    assert_string_equal(number(&b, 0.1), "0.1");
    assert_string_equal(number(&b, 99.5), "99.5");
    assert_string_equal(number(&b, 1.0 / 3), "0.3333333333333333");
    assert_string_equal(number(&b, 0.1 + 0.2), "0.30000000000000004");
    assert_string_equal(number(&b, 80), "80"); /* not "8e+01" */
    assert_string_equal(number(&b, 100000), "100000");
    assert_string_equal(number(&b, -2500), "-2500");
    assert_string_equal(number(&b, 123456789012345), "123456789012345");
    assert_string_equal(number(&b, 1e20), "100000000000000000000");
    assert_string_equal(number(&b, 1e-7), "0.0000001");
    assert_string_equal(number(&b, 1.5e-7), "0.00000015");
    assert_string_equal(number(&b, 0.00012), "0.00012");
    /* Exponents only far from 1, as JavaScript writes numbers. */
    assert_string_equal(number(&b, 1e21), "1e+21");
    assert_string_equal(number(&b, 1.5e300), "1.5e+300");
    assert_string_equal(number(&b, 1e-8), "1e-08");
    /* Not numbers in JSON: written as null rather than as invalid text. */
    assert_string_equal(number(&b, (double)NAN), "null");
    assert_string_equal(number(&b, (double)INFINITY), "null");
    assert_string_equal(number(&b, -(double)INFINITY), "null");
    buf_free(&b);
}

static void test_numbers_read_back_exactly(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    const double fixed[] = {5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
                            0.1, 1e15, 1e15 + 0.5, 99.999, 12345.678, -0.000123};
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        assert_true(strtod(number(&b, fixed[i]), NULL) == fixed[i]);
    /* Pseudo-random doubles from a fixed xorshift sequence. */
    uint64_t x = 88172645463325252ULL;
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        double v;
        uint64_t bits = x;
        memcpy(&v, &bits, sizeof v);
        if (!isfinite(v)) continue;
        const char *s = number(&b, v);
        assert_true(strtod(s, NULL) == v);
        assert_true(strlen(s) <= 26); /* "-0.000000" and 17 digits at most */
        /* Shortest: with one significant digit less it would not read back. */
        int digits = 0, zeros = 0, leading = 1; /* significant digits of s */
        for (const char *p = s; *p && *p != 'e'; p++) {
            if (*p < '0' || *p > '9' || (leading && *p == '0')) continue;
            leading = 0;
            digits++;
            zeros = *p == '0' ? zeros + 1 : 0;
        }
        if (!strchr(s, '.') && !strchr(s, 'e')) digits -= zeros; /* 1200: two digits */
        char shorter[320];
        snprintf(shorter, sizeof shorter, "%.*g", digits - 1, v);
        if (digits > 1 && strtod(shorter, NULL) == v)
            fail_msg("%s for %.17g: %s is shorter", s, v, shorter);
        /* Amounts with three decimals come out as typed. */
        double typed = (double)(int64_t)(x % 1000000) / 1000.0;
        char want[32];
        snprintf(want, sizeof want, "%.3f", typed);
        size_t n = strlen(want);
        while (n > 1 && (want[n - 1] == '0' || want[n - 1] == '.')) { /* "12.500" -> "12.5" */
            int dot = want[n - 1] == '.';
            want[--n] = 0;
            if (dot) break;
        }
        assert_string_equal(number(&b, typed), want);
    }
    buf_free(&b);
}

/* Writes cents through jw_money at the top level; returns the text. */
static const char *money(Buf *b, int64_t cents)
{
    JsonW w;
    buf_reset(b);
    jw_init(&w, b, NULL, NULL);
    jw_money(&w, cents);
    return buf_str(b);
}

static void test_money(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    assert_string_equal(money(&b, 0), "0");
    assert_string_equal(money(&b, 5), "0.05");
    assert_string_equal(money(&b, 50), "0.5");
    assert_string_equal(money(&b, 101), "1.01");
    assert_string_equal(money(&b, 1200), "12");
    assert_string_equal(money(&b, 123450), "1234.5");
    assert_string_equal(money(&b, 123456), "1234.56");
    assert_string_equal(money(&b, 1000000000000000LL), "10000000000000"); /* 10^13 */
    assert_string_equal(money(&b, 999999999999999LL), "9999999999999.99");
    /* Negative amounts keep one sign in front. */
    assert_string_equal(money(&b, -5), "-0.05");
    assert_string_equal(money(&b, -150), "-1.5");
    assert_string_equal(money(&b, -123456), "-1234.56");
    assert_string_equal(money(&b, -1200), "-12");
    buf_free(&b);
}

static void test_layout_and_empty_arrays(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    JsonW w;
    jw_init(&w, &b, NULL, NULL);
    jw_object(&w);
    jw_key(&w, "empty");
    jw_array(&w);
    jw_end(&w); /* leaves nothing, not even a comma */
    jw_key(&w, "name");
    jw_string(&w, "x");
    jw_key(&w, "list");
    jw_array(&w);
    jw_int(&w, 1);
    jw_object(&w);
    jw_key(&w, "inner");
    jw_array(&w);
    jw_array(&w); /* nested empty arrays: nothing either */
    jw_end(&w);
    jw_end(&w);
    jw_key(&w, "ok");
    jw_bool(&w, 0);
    jw_end(&w);
    jw_end(&w);
    jw_key(&w, "objs");
    jw_array(&w);
    jw_object(&w);
    jw_end(&w);
    jw_end(&w);
    jw_opt_string(&w, "s_null", NULL);
    jw_opt_string(&w, "s_empty", "");
    jw_opt_int(&w, "i_null", DB_NULL_INT);
    jw_opt_int(&w, "i", 0);
    jw_opt_double(&w, "d_nan", (double)NAN);
    jw_opt_double(&w, "d", 2.5);
    jw_opt_money(&w, "m_null", DB_NULL_INT);
    jw_opt_money(&w, "m", 250);
    jw_opt_true(&w, "t0", 0);
    jw_opt_true(&w, "t1", 1);
    jw_key(&w, "tail");
    jw_array(&w);
    jw_end(&w);
    jw_end(&w);
    assert_int_equal(jw_finish(&w), 0);
    assert_int_equal(w.depth, 0);
    assert_string_equal(buf_str(&b),
                        "{\n"
                        "  \"name\": \"x\",\n"
                        "  \"list\": [\n"
                        "    1,\n"
                        "    {\n"
                        "      \"ok\": false\n"
                        "    }\n"
                        "  ],\n"
                        "  \"objs\": [\n"
                        "    {}\n"
                        "  ],\n"
                        "  \"i\": 0,\n"
                        "  \"d\": 2.5,\n"
                        "  \"m\": 2.5,\n"
                        "  \"t1\": true\n"
                        "}\n");
    buf_free(&b);
}

static void test_only_empty_members_gives_empty_object(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    JsonW w;
    jw_init(&w, &b, NULL, NULL);
    jw_object(&w);
    jw_key(&w, "a");
    jw_array(&w);
    jw_end(&w);
    jw_end(&w);
    jw_finish(&w);
    assert_string_equal(buf_str(&b), "{}\n");
    buf_free(&b);
}

/* A sink collecting into a Buf; fails when ctx's fail flag is set. */
typedef struct SinkCtx {
    Buf got;
    int calls;
    int fail;
} SinkCtx;

static int test_sink(void *ctx, const char *p, size_t n)
{
    SinkCtx *s = ctx;
    s->calls++;
    if (s->fail) return -1;
    buf_append(&s->got, p, n);
    return 0;
}

static void test_sink_receives_everything(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    SinkCtx s = {BUF_INIT, 0, 0};
    JsonW w;
    jw_init(&w, &b, test_sink, &s);
    jw_array(&w);
    for (int i = 0; i < 200000; i++) {
        jw_string(&w, "0123456789");
        assert_int_equal(jw_flush(&w), 0);
    }
    jw_end(&w);
    assert_int_equal(jw_finish(&w), 0);
    assert_true(s.calls >= 3); /* flushed in megabytes, then the rest */
    assert_int_equal(b.n, 0);
    /* "[", the elements, the commas between them, "\n]" and the final newline */
    assert_int_equal(s.got.n, 1 + 200000 * 15 + 199999 + 2 + 1);
    assert_memory_equal(s.got.a, "[\n  \"0123456789\",\n", 18);
    assert_string_equal(s.got.a + s.got.n - 17, "  \"0123456789\"\n]\n");
    buf_free(&s.got);
    buf_free(&b);
}

static void test_sink_failure_is_reported(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    SinkCtx s = {BUF_INIT, 0, 1};
    JsonW w;
    jw_init(&w, &b, test_sink, &s);
    jw_string(&w, "x");
    assert_int_equal(jw_flush(&w), 0); /* under 1 MiB: not handed over yet */
    assert_int_equal(jw_finish(&w), -1);
    assert_int_equal(w.io_error, 1);
    buf_free(&s.got);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quote_escapes),
        cmocka_unit_test(test_quote_appends),
        cmocka_unit_test(test_numbers_shortest_form),
        cmocka_unit_test(test_numbers_read_back_exactly),
        cmocka_unit_test(test_money),
        cmocka_unit_test(test_layout_and_empty_arrays),
        cmocka_unit_test(test_only_empty_members_gives_empty_object),
        cmocka_unit_test(test_sink_receives_everything),
        cmocka_unit_test(test_sink_failure_is_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
