/*
 * http_head.h — the framing checks on a request head, before anything
 * routes it (docs/security.md, "HTTP requests").
 *
 * libmicrohttpd (0.9.75) parses the request line and the header lines but
 * is lenient: it takes Transfer-Encoding over a Content-Length beside it,
 * keeps the first of two Content-Lengths, stores "Content-Length : 5" under
 * the name "Content-Length " (so nobody sees the length), accepts HTTP/1.1
 * without Host or with two, and decodes "%00" into a NUL that cuts the path.
 * A proxy in front may read such a head differently from us, which is how a
 * request is smuggled. http_head_check() refuses each of those; the server
 * then answers 400 (or 413) and closes the connection, so that whatever
 * follows on it is never read as a request.
 *
 * Pure: no I/O, no allocation outside the message Buf; fuzz/fuzz_http_head.c
 * and tests/unit/test_http_head.c drive it.
 */
#ifndef ITSTRAT_HTTP_HEAD_H
#define ITSTRAT_HTTP_HEAD_H
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* One header line as libmicrohttpd split it (at the first colon, spaces
 * after the colon skipped, the rest of the line kept). */
typedef struct HttpHeader {
    const char *name;
    const char *value;
} HttpHeader;

/* A request head. */
typedef struct HttpHead {
    const char *method;        /* "GET" */
    const char *uri;           /* the request target as received, undecoded, query included */
    size_t uri_len;            /* the bytes the target took on the request line (a raw NUL
                                * ends uri before them); 0: not known */
    const char *version;       /* "HTTP/1.1" */
    const HttpHeader *headers; /* in the order received */
    size_t nheaders;
    uint64_t max_body;         /* a Content-Length above this is refused with 413 */
} HttpHead;

/* Checks h. Returns 0 when the head may be routed; else the status to
 * answer (400, or 413 for a declared body over max_body) with a sentence
 * for a person in why (appended; plain text, it may quote a header name
 * with unprintable bytes replaced by '?'). Refused, in this order:
 *  - a method that is not a token; a request target that does not start
 *    with '/', holds a raw NUL (uri shorter than uri_len), a control
 *    character or a space; a path (before '?') with a '%' not followed by
 *    two hex digits, or "%00" (the query parser judges the query's);
 *  - a header name that is empty or not a token (a space or tab before the
 *    colon, "Content-Length : 5"); a control character other than tab in a
 *    header value (a bare CR);
 *  - HTTP/1.1 (anything but HTTP/1.0) without exactly one Host, HTTP/1.0
 *    with more than one; a Host that is empty or holds a character no host
 *    name or address has;
 *  - more than one Content-Length, one that is not 1 to 19 digits (spaces
 *    around it aside), or a list;
 *  - more than one Transfer-Encoding, one that is not "chunked", one beside
 *    a Content-Length, or one in an HTTP/1.0 request;
 *  - a Content-Length above max_body (413). */
int http_head_check(const HttpHead *h, Buf *why);

#endif
