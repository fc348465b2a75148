/*
 * test_http_head.c — the framing checks on a request head (http_head.c):
 * what passes, each refusal with its status and the words a person sees.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "http_head.h"

/* Checks "METHOD URI VERSION" with the headers given as name, value, ...,
 * NULL; returns the status and the message in why. */
static int check(Buf *why, const char *method, const char *uri, const char *version, ...)
{
    HttpHeader hs[16];
    size_t n = 0;
    va_list ap;
    va_start(ap, version);
    for (const char *name; (name = va_arg(ap, const char *)) != NULL && n < 16; n++) {
        hs[n].name = name;
        hs[n].value = va_arg(ap, const char *);
    }
    va_end(ap);
    HttpHead h = {method, uri, uri ? strlen(uri) : 0, version, hs, n, 1024};
    buf_reset(why);
    return http_head_check(&h, why);
}

#define HOST "Host", "localhost:8080"

static void test_ordinary_heads_pass(void **state)
{
    (void)state;
    Buf why = BUF_INIT;
    assert_int_equal(check(&why, "GET", "/", "HTTP/1.1", HOST, NULL), 0);
    assert_int_equal(why.n, 0);
    assert_int_equal(check(&why, "GET", "/s/GEN-1/portfolio?q=caf%C3%A9&year=2024", "HTTP/1.1",
                           HOST, "Accept-Encoding", "gzip, br", "Cookie", "a=b; c=d", NULL), 0);
    assert_int_equal(check(&why, "POST", "/login", "HTTP/1.1", HOST, "Content-Length", "1024",
                           "Content-Type", "application/x-www-form-urlencoded", NULL), 0);
    assert_int_equal(check(&why, "POST", "/api/v1/x", "HTTP/1.1", HOST, "transfer-encoding",
                           "Chunked", NULL), 0);
    /* HTTP/1.0 may leave Host out; an address and a bracketed IPv6 pass. */
    assert_int_equal(check(&why, "GET", "/", "HTTP/1.0", NULL), 0);
    assert_int_equal(check(&why, "GET", "/", "HTTP/1.1", "Host", "127.0.0.1:80", NULL), 0);
    assert_int_equal(check(&why, "GET", "/", "HTTP/1.1", "host", "[::1]:8080", NULL), 0);
    /* Spaces around a value are not part of it; a tab inside is allowed. */
    assert_int_equal(check(&why, "GET", "/", "HTTP/1.1", "Host", "x ", "X-A", "a\tb",
                           "Content-Length", " 0 ", NULL), 0);
    /* Raw bytes of 0x80 and over are left to the query parser's UTF-8 check. */
    assert_int_equal(check(&why, "GET", "/?q=caf\xc3\xa9", "HTTP/1.1", HOST, NULL), 0);
    buf_free(&why);
}

static void test_framing_refused(void **state)
{
    (void)state;
    Buf why = BUF_INIT;
    assert_int_equal(check(&why, "POST", "/", "HTTP/1.1", HOST, "Content-Length", "4",
                           "Transfer-Encoding", "chunked", NULL), 400);
    assert_non_null(strstr(buf_str(&why), "both Content-Length and Transfer-Encoding"));
    assert_int_equal(check(&why, "POST", "/", "HTTP/1.1", HOST, "Transfer-Encoding", "chunked",
                           "Content-Length", "4", NULL), 400);
    /* Two lengths, different or the same. */
    assert_int_equal(check(&why, "POST", "/", "HTTP/1.1", HOST, "Content-Length", "4",
                           "content-length", "5", NULL), 400);
    assert_string_equal(buf_str(&why), "The request has 2 Content-Length headers; it may have one.");
    assert_int_equal(check(&why, "POST", "/", "HTTP/1.1", HOST, "Content-Length", "4",
                           "Content-Length", "4", NULL), 400);
    assert_int_equal(check(&why, "POST", "/", "HTTP/1.1", HOST, "Content-Length", "4, 4", NULL),
                     400);
    assert_int_equal(check(&why, "POST", "/", "HTTP/1.1", HOST, "Content-Length", "-1", NULL), 400);
    assert_int_equal(check(&why, "POST", "/", "HTTP/1.1", HOST, "Content-Length", "+1", NULL), 400);
    assert_int_equal(check(&why, "POST", "/", "HTTP/1.1", HOST, "Content-Length", "", NULL), 400);
    assert_int_equal(check(&why, "POST", "/", "HTTP/1.1", HOST, "Content-Length",
                           "00000000000000000001", NULL), 400); /* 20 digits */
    assert_non_null(strstr(buf_str(&why), "not a number of bytes"));
    /* Transfer-Encoding: chunked only, once, never in HTTP/1.0. */
    assert_int_equal(check(&why, "POST", "/", "HTTP/1.1", HOST, "Transfer-Encoding", "gzip, chunked",
                           NULL), 400);
    assert_int_equal(check(&why, "POST", "/", "HTTP/1.1", HOST, "Transfer-Encoding", "chunked",
                           "Transfer-Encoding", "chunked", NULL), 400);
    assert_int_equal(check(&why, "POST", "/", "HTTP/1.1", HOST, "Transfer-Encoding", "identity",
                           NULL), 400);
    assert_int_equal(check(&why, "POST", "/", "HTTP/1.0", "Transfer-Encoding", "chunked", NULL), 400);
    assert_non_null(strstr(buf_str(&why), "HTTP/1.0"));
    buf_free(&why);
}

static void test_header_names_and_values(void **state)
{
    (void)state;
    Buf why = BUF_INIT;
    /* libmicrohttpd keeps "Content-Length : 5" as the name "Content-Length ". */
    assert_int_equal(check(&why, "POST", "/", "HTTP/1.1", HOST, "Content-Length ", "5", NULL), 400);
    assert_string_equal(buf_str(&why), "Header line 2: the name \"Content-Length \" holds a "
                                       "character a header name cannot (a space before the colon?).");
    assert_int_equal(check(&why, "GET", "/", "HTTP/1.1", HOST, "X Y", "1", NULL), 400);
    assert_int_equal(check(&why, "GET", "/", "HTTP/1.1", HOST, "X\tY", "1", NULL), 400);
    assert_int_equal(check(&why, "GET", "/", "HTTP/1.1", "\x01\xff", "1", HOST, NULL), 400);
    assert_string_equal(buf_str(&why), "Header line 1: the name \"??\" holds a character a "
                                       "header name cannot (a space before the colon?).");
    assert_int_equal(check(&why, "GET", "/", "HTTP/1.1", HOST, "", "1", NULL), 400);
    assert_non_null(strstr(buf_str(&why), "is empty"));
    /* A bare CR (or any control character but tab) in a value. */
    assert_int_equal(check(&why, "GET", "/", "HTTP/1.1", HOST, "X-A", "a\rb", NULL), 400);
    assert_non_null(strstr(buf_str(&why), "0x0D"));
    assert_int_equal(check(&why, "GET", "/", "HTTP/1.1", HOST, "X-A", "a\x7f", NULL), 400);
    /* A long name is quoted in part. */
    char name[100];
    memset(name, 'a', sizeof name - 2);
    name[sizeof name - 2] = ' ';
    name[sizeof name - 1] = 0;
    assert_int_equal(check(&why, "GET", "/", "HTTP/1.1", HOST, name, "1", NULL), 400);
    assert_non_null(strstr(buf_str(&why), "aaaa...\""));
    buf_free(&why);
}

static void test_host(void **state)
{
    (void)state;
    Buf why = BUF_INIT;
    assert_int_equal(check(&why, "GET", "/", "HTTP/1.1", NULL), 400);
    assert_string_equal(buf_str(&why), "An HTTP/1.1 request must have a Host header.");
    assert_int_equal(check(&why, "GET", "/", "HTTP/1.2", NULL), 400);
    assert_int_equal(check(&why, "GET", "/", "HTTP/1.1", HOST, "HOST", "evil", NULL), 400);
    assert_string_equal(buf_str(&why), "The request has 2 Host headers; it must have one.");
    assert_int_equal(check(&why, "GET", "/", "HTTP/1.0", HOST, HOST, NULL), 400);
    assert_int_equal(check(&why, "GET", "/", "HTTP/1.1", "Host", "", NULL), 400);
    assert_int_equal(check(&why, "GET", "/", "HTTP/1.1", "Host", "a b", NULL), 400);
    assert_int_equal(check(&why, "GET", "/", "HTTP/1.1", "Host", "a/b", NULL), 400);
    assert_int_equal(check(&why, "GET", "/", "HTTP/1.1", "Host", "user@x", NULL), 400);
    assert_non_null(strstr(buf_str(&why), "not a host name"));
    buf_free(&why);
}

static void test_request_line(void **state)
{
    (void)state;
    Buf why = BUF_INIT;
    assert_int_equal(check(&why, "GET", "/static/site.css%00.txt", "HTTP/1.1", HOST, NULL), 400);
    assert_string_equal(buf_str(&why), "The path holds an encoded NUL byte (%00) at byte 17.");
    /* The query's encoding is the query parser's (it names the parameter). */
    assert_int_equal(check(&why, "GET", "/?q=a%00b&r=%zz", "HTTP/1.1", HOST, NULL), 0);
    assert_int_equal(check(&why, "GET", "/?q=a b", "HTTP/1.1", HOST, NULL), 400);
    assert_int_equal(check(&why, "GET", "/s/%zz", "HTTP/1.1", HOST, NULL), 400);
    assert_non_null(strstr(buf_str(&why), "two hex digits"));
    assert_int_equal(check(&why, "GET", "/a%4", "HTTP/1.1", HOST, NULL), 400);
    assert_int_equal(check(&why, "GET", "/a%", "HTTP/1.1", HOST, NULL), 400);
    assert_int_equal(check(&why, "GET", "/a b", "HTTP/1.1", HOST, NULL), 400);
    assert_string_equal(buf_str(&why), "The request target holds a space at byte 3; encode it as %20.");
    assert_int_equal(check(&why, "GET", "/a\tb", "HTTP/1.1", HOST, NULL), 400);
    assert_int_equal(check(&why, "GET", "/a\x7f", "HTTP/1.1", HOST, NULL), 400);
    assert_int_equal(check(&why, "GET", "http://localhost/", "HTTP/1.1", HOST, NULL), 400);
    assert_int_equal(check(&why, "OPTIONS", "*", "HTTP/1.1", HOST, NULL), 400);
    assert_int_equal(check(&why, "GET", "", "HTTP/1.1", HOST, NULL), 400);
    assert_int_equal(check(&why, "GET", NULL, "HTTP/1.1", HOST, NULL), 400);
    assert_int_equal(check(&why, "G(T", "/", "HTTP/1.1", HOST, NULL), 400);
    assert_int_equal(check(&why, "", "/", "HTTP/1.1", HOST, NULL), 400);
    /* A raw NUL: the target is shorter than its place on the request line. */
    HttpHeader host = {"Host", "x"};
    HttpHead h = {"GET", "/static/site.css", 20, "HTTP/1.1", &host, 1, 1024};
    buf_reset(&why);
    assert_int_equal(http_head_check(&h, &why), 400);
    assert_string_equal(buf_str(&why), "The request target holds a NUL byte at byte 17.");
    h.uri_len = 16;
    assert_int_equal(http_head_check(&h, &why), 0);
    h.uri_len = 0; /* not known */
    assert_int_equal(http_head_check(&h, &why), 0);
    /* Encoded bytes other than NUL are the router's to judge. */
    assert_int_equal(check(&why, "GET", "/s/a%0d%0a%2F%01", "HTTP/1.1", HOST, NULL), 0);
    buf_free(&why);
}

static void test_body_limit(void **state)
{
    (void)state;
    Buf why = BUF_INIT;
    assert_int_equal(check(&why, "POST", "/", "HTTP/1.1", HOST, "Content-Length", "1024", NULL), 0);
    assert_int_equal(check(&why, "POST", "/", "HTTP/1.1", HOST, "Content-Length", "1025", NULL), 413);
    assert_string_equal(buf_str(&why), "The request body would be 1025 bytes; at most 1024 are taken.");
    assert_int_equal(check(&why, "POST", "/", "HTTP/1.1", HOST, "Content-Length",
                           "9999999999999999999", NULL), 413);
    /* Framing comes first: two lengths are 400 even when one is too large. */
    assert_int_equal(check(&why, "POST", "/", "HTTP/1.1", HOST, "Content-Length", "5000",
                           "Content-Length", "1", NULL), 400);
    buf_free(&why);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ordinary_heads_pass),
        cmocka_unit_test(test_framing_refused),
        cmocka_unit_test(test_header_names_and_values),
        cmocka_unit_test(test_host),
        cmocka_unit_test(test_request_line),
        cmocka_unit_test(test_body_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
