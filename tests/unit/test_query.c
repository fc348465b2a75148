/*
 * test_query.c — the query string of a request: splitting and decoding
 * (query_parse) and the typed, range-checked binding (query_bind), with the
 * message a person sees for each refusal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"

/* Parses raw; returns the status, the query in *q and the message in *err. */
static int parse(const char *raw, Arena *a, Query *q, Buf *err)
{
    buf_reset(err);
    return query_parse(raw, a, q, err);
}

static void test_parse_empty(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    Buf err = BUF_INIT;
    Query q;
    assert_int_equal(parse(NULL, &a, &q, &err), 0);
    assert_int_equal(q.n, 0);
    assert_int_equal(parse("", &a, &q, &err), 0);
    assert_int_equal(q.n, 0);
    assert_int_equal(parse("&&&", &a, &q, &err), 0); /* empty segments are skipped */
    assert_int_equal(q.n, 0);
    assert_null(query_get(&q, "a"));
    assert_int_equal(err.n, 0);
    buf_free(&err);
    arena_free(&a);
}

static void test_parse_decodes(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    Buf err = BUF_INIT;
    Query q;
    assert_int_equal(parse("a=1&&b=x+y%20z&flag&c=%3D%26%2B&d=a=b&caf%C3%A9=%E2%80%93", &a, &q,
                           &err), 0);
    assert_int_equal(q.n, 6);
    assert_string_equal(q.a[0].name, "a");
    assert_string_equal(q.a[0].value, "1");
    assert_string_equal(query_get(&q, "b"), "x y z");
    assert_string_equal(query_get(&q, "flag"), ""); /* no '=': an empty value */
    assert_string_equal(query_get(&q, "c"), "=&+");
    assert_string_equal(query_get(&q, "d"), "a=b"); /* the first '=' splits */
    assert_string_equal(query_get(&q, "caf\xC3\xA9"), "\xE2\x80\x93");
    assert_string_equal(q.a[5].name, "caf\xC3\xA9");
    /* Upper and lower case hex digits. */
    assert_int_equal(parse("x=%4a%4A", &a, &q, &err), 0);
    assert_string_equal(query_get(&q, "x"), "JJ");
    /* query_get finds the first of a repeated name (query_bind refuses it). */
    assert_int_equal(parse("x=1&x=2", &a, &q, &err), 0);
    assert_string_equal(query_get(&q, "x"), "1");
    buf_free(&err);
    arena_free(&a);
}

/* Each bad query is refused with a message that contains want. */
static void test_parse_refuses(void **state)
{
    (void)state;
    static const struct {
        const char *raw, *want;
    } cases[] = {
        {"q=%", "parameter q: '%' must be followed by two hexadecimal digits"},
        {"q=%4", "parameter q: '%' must be followed"},
        {"q=ab%", "parameter q: '%' must be followed"},
        {"q=%zz", "parameter q: '%' must be followed"},
        {"q=%4g", "parameter q: '%' must be followed"},
        {"%=1", "a parameter name: '%' must be followed"},
        {"q=a%00b", "parameter q: contains a NUL byte"},
        {"%00=1", "a parameter name: contains a NUL byte"},
        {"q=%FF", "parameter q: is not valid UTF-8"},
        {"q=%C3", "parameter q: is not valid UTF-8"},           /* truncated sequence */
        {"q=%C0%AF", "parameter q: is not valid UTF-8"},        /* overlong '/' */
        {"q=%E0%80%AF", "parameter q: is not valid UTF-8"},     /* overlong, 3 bytes */
        {"q=%ED%A0%80", "parameter q: is not valid UTF-8"},     /* a surrogate */
        {"q=%F4%90%80%80", "parameter q: is not valid UTF-8"},  /* past U+10FFFF */
        {"q=%80", "parameter q: is not valid UTF-8"},           /* a lone continuation */
        {"%FF=1", "a parameter name: is not valid UTF-8"},
    };
    Arena a = ARENA_INIT;
    Buf err = BUF_INIT;
    Query q;
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        if (parse(cases[k].raw, &a, &q, &err) != -1)
            fail_msg("\"%s\" was accepted", cases[k].raw);
        if (!strstr(buf_str(&err), cases[k].want))
            fail_msg("\"%s\": message \"%s\" lacks \"%s\"", cases[k].raw, buf_str(&err),
                     cases[k].want);
    }
    buf_free(&err);
    arena_free(&a);
}

static void test_parse_limits(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    Buf err = BUF_INIT, raw = BUF_INIT;
    Query q;
    /* QUERY_MAX_PARAMS parameters pass, one more does not. */
    for (int k = 0; k < QUERY_MAX_PARAMS; k++) buf_printf(&raw, "%sp%d=%d", k ? "&" : "", k, k);
    assert_int_equal(parse(buf_str(&raw), &a, &q, &err), 0);
    assert_int_equal(q.n, QUERY_MAX_PARAMS);
    assert_string_equal(query_get(&q, "p63"), "63");
    buf_puts(&raw, "&one=more");
    assert_int_equal(parse(buf_str(&raw), &a, &q, &err), -1);
    assert_non_null(strstr(buf_str(&err), "more than 64 parameters"));
    /* A value of QUERY_MAX_VALUE bytes passes, one byte more does not,
     * whether the bytes come plain or percent-encoded. */
    buf_reset(&raw);
    buf_puts(&raw, "q=");
    for (int k = 0; k < QUERY_MAX_VALUE; k++) buf_putc(&raw, 'a');
    assert_int_equal(parse(buf_str(&raw), &a, &q, &err), 0);
    assert_int_equal(strlen(query_get(&q, "q")), QUERY_MAX_VALUE);
    buf_putc(&raw, 'a');
    assert_int_equal(parse(buf_str(&raw), &a, &q, &err), -1);
    assert_non_null(strstr(buf_str(&err), "parameter q: the value is too long (at most 1000 bytes)"));
    buf_reset(&raw);
    buf_puts(&raw, "q=");
    for (int k = 0; k < QUERY_MAX_VALUE; k++) buf_puts(&raw, "%41");
    assert_int_equal(parse(buf_str(&raw), &a, &q, &err), 0);
    buf_puts(&raw, "%41");
    assert_int_equal(parse(buf_str(&raw), &a, &q, &err), -1);
    assert_non_null(strstr(buf_str(&err), "too long"));
    /* A huge value is refused before it is decoded, and the message quotes
     * at most 40 bytes of a long name. */
    buf_reset(&raw);
    for (int k = 0; k < 100; k++) buf_putc(&raw, 'n');
    buf_putc(&raw, '=');
    for (int k = 0; k < 100000; k++) buf_putc(&raw, 'v');
    assert_int_equal(parse(buf_str(&raw), &a, &q, &err), -1);
    assert_true(err.n < 200);
    buf_free(&raw);
    buf_free(&err);
    arena_free(&a);
}

/* A struct like a page's, bound from a table of every type. */
typedef struct Opts {
    long long year, page;
    const char *q, *category;
    int status, all;
    int has_year, has_page, has_q, has_category, has_status, has_all;
} Opts;

static const char *const statuses[] = {"planned", "in_progress", "completed", NULL};

static const QueryField fields[] = {
    {"year", QT_INT, offsetof(Opts, year), offsetof(Opts, has_year), 2000, 2100, NULL, 0},
    {"page", QT_INT, offsetof(Opts, page), QUERY_NO_HAS, -3, 1000, NULL, 0},
    {"q", QT_TEXT, offsetof(Opts, q), offsetof(Opts, has_q), 0, 0, NULL, 5},
    {"category", QT_CODE, offsetof(Opts, category), offsetof(Opts, has_category), 0, 0, NULL, 0},
    {"status", QT_ENUM, offsetof(Opts, status), offsetof(Opts, has_status), 0, 0, statuses, 0},
    {"all", QT_FLAG, offsetof(Opts, all), offsetof(Opts, has_all), 0, 0, NULL, 0},
    {NULL, 0, 0, 0, 0, 0, NULL, 0},
};

/* Parses and binds raw into *o (zeroed first); returns query_bind's status. */
static int bind(const char *raw, Opts *o, Arena *a, Buf *err)
{
    Query q;
    memset(o, 0, sizeof *o);
    buf_reset(err);
    if (query_parse(raw, a, &q, err)) fail_msg("\"%s\" does not parse: %s", raw, buf_str(err));
    return query_bind(&q, fields, o, err);
}

static void test_bind_values(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    Buf err = BUF_INIT;
    Opts o;
    assert_int_equal(bind("year=2019&page=-3&q=caf%C3%A9s&category=infra.2_a-b&status=completed"
                          "&all=1", &o, &a, &err), 0);
    assert_int_equal(o.year, 2019);
    assert_int_equal(o.has_year, 1);
    assert_int_equal(o.page, -3);
    assert_string_equal(o.q, "caf\xC3\xA9s"); /* 5 characters, 6 bytes */
    assert_string_equal(o.category, "infra.2_a-b");
    assert_int_equal(o.status, 2);
    assert_int_equal(o.all, 1);
    assert_true(o.has_q && o.has_category && o.has_status && o.has_all);
    assert_int_equal(err.n, 0);
    /* Nothing given: nothing set. Empty values count as not given. */
    assert_int_equal(bind("", &o, &a, &err), 0);
    assert_false(o.has_year || o.has_q || o.has_category || o.has_status || o.has_all);
    assert_int_equal(bind("year=&q=&category=&status=&page=", &o, &a, &err), 0);
    assert_false(o.has_year || o.has_q || o.has_category || o.has_status);
    assert_null(o.q);
    /* The range is inclusive at both ends. */
    assert_int_equal(bind("year=2000&page=1000", &o, &a, &err), 0);
    assert_int_equal(o.year, 2000);
    assert_int_equal(bind("year=2100", &o, &a, &err), 0);
    /* A flag given as on or true; the first status choice is index 0. */
    assert_int_equal(bind("all=on&status=planned", &o, &a, &err), 0);
    assert_int_equal(o.all, 1);
    assert_int_equal(o.status, 0);
    assert_int_equal(o.has_status, 1);
    assert_int_equal(bind("all=true", &o, &a, &err), 0);
    assert_int_equal(o.all, 1);
    /* A 64-character code is the longest. */
    char raw[100] = "category=";
    memset(raw + 9, 'c', 64);
    assert_int_equal(bind(raw, &o, &a, &err), 0);
    assert_int_equal(strlen(o.category), 64);
    buf_free(&err);
    arena_free(&a);
}

/* Each bad query is refused by the binder with a message that contains want. */
static void test_bind_refuses(void **state)
{
    (void)state;
    static const struct {
        const char *raw, *want;
    } cases[] = {
        {"year=1999", "parameter year: must be a whole number from 2000 to 2100, not \"1999\""},
        {"year=2101", "parameter year: must be a whole number from 2000 to 2100"},
        {"year=abc", "parameter year: must be a whole number"},
        {"year=2019x", "parameter year: must be a whole number"},
        {"year=20.5", "parameter year: must be a whole number"},
        {"year=%2B2019", "parameter year: must be a whole number"},   /* +2019 */
        {"year=+2019", "parameter year: must be a whole number"},     /* ' 2019' */
        {"year=99999999999999999999", "parameter year: must be a whole number"},
        {"page=-4", "parameter page: must be a whole number from -3 to 1000, not \"-4\""},
        {"page=-", "parameter page: must be a whole number"},
        {"q=abcdef", "parameter q: at most 5 characters"},
        {"category=a%2Fb", "parameter category: must be a code (letters, digits, '.', '_', '-'), "
                           "not \"a/b\""},
        {"category=caf%C3%A9", "parameter category: must be a code"},
        {"category=a+b", "parameter category: must be a code"},
        {"status=done", "parameter status: must be one of planned, in_progress, completed; not "
                        "\"done\""},
        {"status=Planned", "parameter status: must be one of"},
        {"all=0", "parameter all: is a flag: 1, on or true"},
        {"all=yes", "parameter all: is a flag"},
        {"colour=red", "parameter colour: unknown here; this page takes year, page, q, category, "
                       "status, all"},
        {"year=2019&year=2020", "parameter year: given more than once"},
        {"status=planned&status=planned", "parameter status: given more than once"},
    };
    Arena a = ARENA_INIT;
    Buf err = BUF_INIT;
    Opts o;
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        if (bind(cases[k].raw, &o, &a, &err) != -1)
            fail_msg("\"%s\" was accepted", cases[k].raw);
        if (!strstr(buf_str(&err), cases[k].want))
            fail_msg("\"%s\": message \"%s\" lacks \"%s\"", cases[k].raw, buf_str(&err),
                     cases[k].want);
        /* One line, so the 400 page says one thing. */
        const char *nl = strchr(buf_str(&err), '\n');
        if (nl && nl[1]) fail_msg("\"%s\": more than one line: %s", cases[k].raw, buf_str(&err));
    }
    /* A 65-character code is too long. */
    char raw[100] = "category=";
    memset(raw + 9, 'c', 65);
    assert_int_equal(bind(raw, &o, &a, &err), -1);
    assert_non_null(strstr(buf_str(&err), "parameter category: must be a code"));
    /* The quoted bad value is cut at 40 bytes. */
    assert_int_equal(bind("year=1234567890123456789012345678901234567890123456789", &o, &a, &err),
                     -1);
    assert_null(strstr(buf_str(&err), "1234567890123456789012345678901234567890123"));
    buf_free(&err);
    arena_free(&a);
}

/* A whole number is digits with an optional '-': no leading white space of
 * any kind (strtoll would skip it). */
static void test_bind_int_whitespace(void **state)
{
    (void)state;
    static const char *const cases[] = {"year=%092019", "year=%0A2019", "year=%0D2019",
                                        "year=%0B2019", "year=%0C2019", "year=%20%202019",
                                        "page=-%201"};
    Arena a = ARENA_INIT;
    Buf err = BUF_INIT;
    Opts o;
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        if (bind(cases[k], &o, &a, &err) != -1) fail_msg("\"%s\" was accepted", cases[k]);
        assert_non_null(strstr(buf_str(&err), "must be a whole number"));
    }
    buf_free(&err);
    arena_free(&a);
}

/* A flag given bare ("?all" or "?all=") is on, as query.h says. */
static void test_bind_bare_flag(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    Buf err = BUF_INIT;
    Opts o;
    if (bind("all", &o, &a, &err)) fail_msg("\"all\" refused: %s", buf_str(&err));
    assert_int_equal(o.all, 1);
    assert_int_equal(o.has_all, 1);
    if (bind("all=&year=2019", &o, &a, &err)) fail_msg("\"all=\" refused: %s", buf_str(&err));
    assert_int_equal(o.all, 1);
    buf_free(&err);
    arena_free(&a);
}

/* The hostile text a page may echo is only a value: the binder keeps it as is
 * (escaping is the page's job) and never treats it as a name. */
static void test_bind_keeps_text(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    Buf err = BUF_INIT;
    Opts o;
    assert_int_equal(bind("q=%3Cb%3E", &o, &a, &err), 0);
    assert_string_equal(o.q, "<b>");
    assert_int_equal(bind("%3Cscript%3E=1", &o, &a, &err), -1);
    assert_non_null(strstr(buf_str(&err), "parameter <script>: unknown here"));
    buf_free(&err);
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_empty),
        cmocka_unit_test(test_parse_decodes),
        cmocka_unit_test(test_parse_refuses),
        cmocka_unit_test(test_parse_limits),
        cmocka_unit_test(test_bind_values),
        cmocka_unit_test(test_bind_refuses),
        cmocka_unit_test(test_bind_int_whitespace),
        cmocka_unit_test(test_bind_bare_flag),
        cmocka_unit_test(test_bind_keeps_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
