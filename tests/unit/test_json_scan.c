/*
 * test_json_scan.c — splitting a document into top-level members: spans,
 * line numbers, structural errors (truncation, mismatched brackets,
 * duplicates, trailing text) and element-by-element iteration.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "json_scan.h"

/* The text of member m's value. */
static char *span(const JsonDoc *d, const JsonMember *m)
{
    size_t n = m->end - m->start;
    char *s = malloc(n + 1);
    memcpy(s, d->data + m->start, n);
    s[n] = 0;
    return s;
}

/* Scans text (without its NUL: the scanner must not need one) and expects
 * failure; returns the message (caller frees). */
static char *scan_error(const char *text)
{
    size_t len = strlen(text);
    char *copy = malloc(len ? len : 1); /* exact size: ASan sees any over-read */
    memcpy(copy, text, len);
    JsonDoc d;
    Buf err = BUF_INIT;
    int rc = json_doc_scan(&d, copy, len, &err);
    free(copy);
    if (rc == 0) {
        json_doc_free(&d);
        fail_msg("scan accepted: %s", text);
    }
    assert_int_equal(d.n, 0);
    assert_null(d.members);
    return buf_detach(&err);
}

#define assert_contains(hay, needle)                                                         \
    do {                                                                                     \
        if (!strstr((hay), (needle))) fail_msg("\"%s\" not in \"%s\"", (needle), (hay));     \
    } while (0)

static void test_members_spans_and_lines(void **state)
{
    (void)state;
    const char *text = "{\n"
                       "  \"format\": \"itstrat/1\",\n"
                       "  \"strategy\": {\"code\": \"a}b\", \"x\": [1, {\"y\": \"\\\"]\"}]},\n"
                       "\n"
                       "  \"projects\": [\n"
                       "    {\"code\": \"P1\"},\n"
                       "    {\"code\": \"P2\"}\n"
                       "  ],\n"
                       "  \"n\": -12.5e3, \"t\": true,\"z\":null\n"
                       "}\n";
    JsonDoc d;
    Buf err = BUF_INIT;
    assert_int_equal(json_doc_scan(&d, text, strlen(text), &err), 0);
    assert_string_equal(buf_str(&err), "");
    assert_int_equal(d.n, 6);
    assert_string_equal(d.members[0].key, "format");
    assert_string_equal(d.members[1].key, "strategy");
    assert_string_equal(d.members[2].key, "projects");
    assert_string_equal(d.members[5].key, "z");
    assert_int_equal(d.members[0].line, 2);
    assert_int_equal(d.members[1].line, 3);
    assert_int_equal(d.members[2].line, 5);
    assert_int_equal(d.members[3].line, 9);
    assert_int_equal(d.members[5].line, 9);
    char *s = span(&d, &d.members[0]);
    assert_string_equal(s, "\"itstrat/1\"");
    free(s);
    s = span(&d, &d.members[1]); /* brackets and quotes inside strings do not count */
    assert_string_equal(s, "{\"code\": \"a}b\", \"x\": [1, {\"y\": \"\\\"]\"}]}");
    free(s);
    s = span(&d, &d.members[3]);
    assert_string_equal(s, "-12.5e3");
    free(s);
    s = span(&d, &d.members[4]);
    assert_string_equal(s, "true");
    free(s);
    assert_ptr_equal(json_doc_get(&d, "projects"), &d.members[2]);
    assert_null(json_doc_get(&d, "nothing"));
    json_doc_free(&d);
    assert_int_equal(d.n, 0);
    buf_free(&err);
}

static void test_bom_and_empty_object(void **state)
{
    (void)state;
    JsonDoc d;
    Buf err = BUF_INIT;
    const char *text = "\xEF\xBB\xBF  {  }  \n";
    assert_int_equal(json_doc_scan(&d, text, strlen(text), &err), 0);
    assert_int_equal(d.n, 0);
    json_doc_free(&d);
    buf_free(&err);
}

static void test_not_an_object(void **state)
{
    (void)state;
    char *e = scan_error("");
    assert_contains(e, "the file is empty");
    free(e);
    e = scan_error(" \n\t ");
    assert_contains(e, "the file is empty");
    free(e);
    e = scan_error("[1, 2]");
    assert_contains(e, "line 1, column 1: not a JSON object");
    assert_contains(e, "'['");
    free(e);
    e = scan_error("\n\n  \x89PNG\r\n");
    assert_contains(e, "line 3, column 3");
    assert_contains(e, "byte 0x89");
    free(e);
}

static void test_truncated_documents(void **state)
{
    (void)state;
    char *e = scan_error("{");
    assert_contains(e, "expected a quoted member name, found the end of the file");
    free(e);
    e = scan_error("{\"format\"");
    assert_contains(e, "expected ':' after \"format\", found the end of the file");
    free(e);
    e = scan_error("{\"form");
    assert_contains(e, "ends inside a member name");
    free(e);
    e = scan_error("{\"format\": ");
    assert_contains(e, "line 1: the file ends inside the value of \"format\"");
    free(e);
    e = scan_error("{\n\"format\": \"itstrat/1\",\n\"projects\": [\n{\"code\": \"P1\"},\n{\"co");
    assert_contains(e, "line 5: the file ends inside the value of \"projects\" that starts "
                       "on line 3");
    free(e);
    e = scan_error("{\"s\": \"abc\\\"");
    assert_contains(e, "ends inside the value of \"s\"");
    free(e);
    e = scan_error("{\"format\": \"itstrat/1\"");
    assert_contains(e, "expected ',' or '}' after the value of \"format\", found the end");
    free(e);
    e = scan_error("{\"a\": 1,");
    assert_contains(e, "expected a quoted member name");
    free(e);
}

static void test_structure_errors(void **state)
{
    (void)state;
    char *e = scan_error("{\"a\": 1}\n\n x");
    assert_contains(e, "line 3, column 2: unexpected 'x' after the end of the document");
    free(e);
    e = scan_error("{\"a\": 1, \"b\": 2,\n \"a\": 3}");
    assert_contains(e, "line 2: \"a\" appears twice at the top level (first on line 1)");
    free(e);
    e = scan_error("{\"a\" 1}");
    assert_contains(e, "expected ':' after \"a\", found '1'");
    free(e);
    e = scan_error("{\"a\": 1 2}");
    assert_contains(e, "expected ',' or '}' after the value of \"a\", found '2'");
    free(e);
    e = scan_error("{\"a\": ,}");
    assert_contains(e, "expected a value for \"a\", found ','");
    free(e);
    e = scan_error("{a: 1}");
    assert_contains(e, "line 1, column 2: expected a quoted member name, found 'a'");
    free(e);
    e = scan_error("{\"\\x\": 1}");
    assert_contains(e, "line 1, column 4: a backslash in a text starts no valid escape");
    free(e);
}

static void test_mismatched_brackets(void **state)
{
    (void)state;
    /* An array closed by '}' (or an object by ']') is not JSON. */
    char *e = scan_error("{\"drivers\": [{\"code\": \"d\"}}}");
    assert_contains(e, "line 1");
    assert_contains(e, "'}'");
    free(e);
    e = scan_error("{\"drivers\": {\"code\": \"d\"]}");
    assert_contains(e, "']'");
    free(e);
    e = scan_error("{\"x\": [[1, 2], {\"a\": [3]]]}");
    assert_contains(e, "']'");
    free(e);
}

static void test_member_parse(void **state)
{
    (void)state;
    const char *text = "{\n\"ok\": {\"a\": [1, 2]},\n\"dup\": {\"k\": 1,\n\"k\": 2},\n"
                       "\"bad\": [1,\n\n 2 x]}";
    JsonDoc d;
    Buf err = BUF_INIT;
    assert_int_equal(json_doc_scan(&d, text, strlen(text), &err), 0);
    json_t *v = json_member_parse(&d, json_doc_get(&d, "ok"), &err);
    assert_non_null(v);
    assert_int_equal(json_array_size(json_object_get(v, "a")), 2);
    json_decref(v);
    assert_null(json_member_parse(&d, json_doc_get(&d, "dup"), &err));
    assert_contains(buf_str(&err), "line 4, column 1:");
    assert_contains(buf_str(&err), "a member name appears twice in the same object");
    buf_reset(&err);
    assert_null(json_member_parse(&d, json_doc_get(&d, "bad"), &err));
    assert_contains(buf_str(&err), "line 7, column 4:");
    json_doc_free(&d);
    buf_free(&err);
}

static void test_iterating_an_array(void **state)
{
    (void)state;
    const char *text = "{\"p\": [\n"
                       "  {\"code\": \"P1\"},\n"
                       "  \"two\",\n"
                       "\n"
                       "  3, [4], null\n"
                       "],\n"
                       "\"e\": [ ], \"o\": {}}";
    JsonDoc d;
    Buf err = BUF_INIT;
    assert_int_equal(json_doc_scan(&d, text, strlen(text), &err), 0);
    JsonIter it;
    json_t *v;
    long line = 0;
    assert_int_equal(json_iter_begin(&it, &d, json_doc_get(&d, "p")), 0);
    assert_int_equal(json_iter_next(&it, &v, &line, &err), 1);
    assert_string_equal(json_string_value(json_object_get(v, "code")), "P1");
    assert_int_equal(line, 2);
    json_decref(v);
    assert_int_equal(json_iter_next(&it, &v, &line, &err), 1);
    assert_string_equal(json_string_value(v), "two");
    assert_int_equal(line, 3);
    json_decref(v);
    assert_int_equal(json_iter_next(&it, &v, &line, &err), 1);
    assert_int_equal(json_integer_value(v), 3);
    assert_int_equal(line, 5);
    json_decref(v);
    assert_int_equal(json_iter_next(&it, &v, &line, &err), 1);
    assert_true(json_is_array(v));
    json_decref(v);
    assert_int_equal(json_iter_next(&it, &v, &line, &err), 1);
    assert_true(json_is_null(v));
    json_decref(v);
    assert_int_equal(it.index, 5);
    assert_int_equal(json_iter_next(&it, &v, &line, &err), 0);
    assert_null(v);
    assert_int_equal(json_iter_begin(&it, &d, json_doc_get(&d, "e")), 0);
    assert_int_equal(json_iter_next(&it, &v, &line, &err), 0);
    assert_int_equal(json_iter_begin(&it, &d, json_doc_get(&d, "o")), -1); /* not an array */
    assert_string_equal(buf_str(&err), "");
    json_doc_free(&d);
    buf_free(&err);
}

/* Iterates the "p" array of text to its end; returns the error message. */
static char *iter_error(const char *text, size_t *nread)
{
    JsonDoc d;
    Buf err = BUF_INIT;
    assert_int_equal(json_doc_scan(&d, text, strlen(text), &err), 0);
    JsonIter it;
    assert_int_equal(json_iter_begin(&it, &d, json_doc_get(&d, "p")), 0);
    json_t *v;
    long line;
    int rc;
    *nread = 0;
    while ((rc = json_iter_next(&it, &v, &line, &err)) == 1) {
        json_decref(v);
        ++*nread;
    }
    assert_int_equal(rc, -1);
    json_doc_free(&d);
    return buf_detach(&err);
}

static void test_iteration_errors(void **state)
{
    (void)state;
    size_t n;
    char *e = iter_error("{\"p\": [1,\n 2\n 3]}", &n);
    assert_int_equal(n, 2);
    assert_contains(e, "line 3, column 2: expected ',' or ']' after element 1, found '3'");
    free(e);
    e = iter_error("{\"p\": [1, 2,\n]}", &n);
    assert_int_equal(n, 2);
    assert_contains(e, "line 2: a ',' is followed by no element");
    free(e);
    e = iter_error("{\"p\": [{\"a\": 1},\n\n{\"a\": tru}]}", &n);
    assert_int_equal(n, 1);
    assert_contains(e, "line 3, column 7: this is not JSON");
    free(e);
    e = iter_error("{\"p\": [{\"a\": 1, \"a\": 2}]}", &n);
    assert_int_equal(n, 0);
    assert_contains(e, "a member name appears twice");
    free(e);
    e = iter_error("{\"p\": [\"\xff\"]}", &n); /* not UTF-8 */
    assert_int_equal(n, 0);
    assert_contains(e, "0xff");
    free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_members_spans_and_lines),
        cmocka_unit_test(test_bom_and_empty_object),
        cmocka_unit_test(test_not_an_object),
        cmocka_unit_test(test_truncated_documents),
        cmocka_unit_test(test_structure_errors),
        cmocka_unit_test(test_mismatched_brackets),
        cmocka_unit_test(test_member_parse),
        cmocka_unit_test(test_iterating_an_array),
        cmocka_unit_test(test_iteration_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
