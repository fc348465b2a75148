/*
 * fuzz_http_head.c — libFuzzer target: the framing checks on a request head
 * (http_head_check).
 *
 * The input is a request head as a client sends it. It is split the way
 * libmicrohttpd 0.9.75 splits one: lines end at LF (a CR before it is
 * dropped), the request line is "METHOD TARGET VERSION" (the method up to
 * the first space, the version after the last), each further line up to an
 * empty one is a header split at its first colon, spaces and tabs after the
 * colon skipped; a line without a colon ends the head (libmicrohttpd
 * answers 400 itself). A NUL in the target is kept as libmicrohttpd keeps
 * it (the target string ends there, its length on the line does not).
 * Besides "no crash, no sanitizer report" it aborts when a property fails,
 * checked here independently of http_head.c:
 *  - refused: a status of 400 or 413 and a message; accepted: no message;
 *  - an accepted head has token header names only, exactly one Host (at
 *    most one in HTTP/1.0), at most one Content-Length of digits only, at
 *    most one Transfer-Encoding, never both, a target that starts with '/'
 *    and holds no NUL, no space, no control byte and no "%00" in its path;
 *  - 413 only for a Content-Length over the limit;
 *  - the same head checked twice gives the same answer.
 *
 * Build: CC=clang cmake -S . -B build-fuzz -DITSTRAT_FUZZ=ON && cmake --build
 * build-fuzz --target fuzz_http_head; run: build-fuzz/fuzz_http_head
 * fuzz/corpus/http_head.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "http_head.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_MAX_BODY 1048576
#define FZ_MAX_HEADERS 256

static void fz_die(const char *what, const uint8_t *data, size_t size, const Buf *why)
{
    fprintf(stderr, "fuzz_http_head: %s\nhead: %.*s\nmessage: %s\n", what, (int)(size > 600 ? 600 : size),
            (const char *)data, why ? buf_str(why) : "");
    abort();
}

static int fz_token(const char *s)
{
    if (!*s) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              strchr("!#$%&'*+-.^_`|~", *s)))
            return 0;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = 0;
    /* Lines: each ends at LF or at the end; a CR before the LF goes. */
    char *lines[FZ_MAX_HEADERS + 2];
    size_t lens[FZ_MAX_HEADERS + 2];
    size_t nlines = 0, at = 0;
    while (at < size && nlines < FZ_MAX_HEADERS + 2) {
        char *nl = memchr(text + at, '\n', size - at);
        size_t end = nl ? (size_t)(nl - text) : size;
        size_t len = end - at;
        if (len && text[at + len - 1] == '\r') len--;
        text[at + len] = 0;
        lines[nlines] = text + at;
        lens[nlines++] = len;
        at = end + 1;
    }
    if (nlines == 0) goto out;
    /* The request line: method, target, version (from the back). */
    char *line = lines[0];
    size_t len = lens[0];
    char *sp = memchr(line, ' ', len);
    if (!sp) goto out;
    *sp = 0;
    char *uri = sp + 1;
    char *version = line + len;
    while (version > uri && version[-1] != ' ') version--;
    if (version == uri) goto out; /* no version: libmicrohttpd refuses it */
    version[-1] = 0;
    size_t uri_len = (size_t)(version - 1 - uri);
    HttpHeader hs[FZ_MAX_HEADERS];
    size_t nh = 0;
    for (size_t k = 1; k < nlines && nh < FZ_MAX_HEADERS; k++) {
        if (!lines[k][0]) break;
        char *colon = strchr(lines[k], ':');
        if (!colon) break;
        *colon++ = 0;
        while (*colon == ' ' || *colon == '\t') colon++;
        hs[nh].name = lines[k];
        hs[nh++].value = colon;
    }
    HttpHead h = {line, uri, uri_len, version, hs, nh, FZ_MAX_BODY};
    Buf why = BUF_INIT, again = BUF_INIT;
    int st = http_head_check(&h, &why);
    if (st != http_head_check(&h, &again) || strcmp(buf_str(&why), buf_str(&again)) != 0)
        fz_die("the same head was judged twice differently", data, size, &why);
    if (st != 0 && st != 400 && st != 413) fz_die("a status other than 0, 400, 413", data, size, &why);
    if (st && why.n == 0) fz_die("a refusal without a message", data, size, NULL);
    if (!st && why.n) fz_die("an accepted head with a message", data, size, &why);
    size_t nhost = 0, nlength = 0, ncoding = 0;
    const char *length = NULL;
    for (size_t k = 0; k < nh; k++) {
        if (!st && !fz_token(hs[k].name)) fz_die("a header name that is not a token passed", data, size, NULL);
        if (strcasecmp(hs[k].name, "Host") == 0) nhost++;
        if (strcasecmp(hs[k].name, "Content-Length") == 0) nlength++, length = hs[k].value;
        if (strcasecmp(hs[k].name, "Transfer-Encoding") == 0) ncoding++;
    }
    if (!st) {
        int http10 = strcmp(version, "HTTP/1.0") == 0;
        if (nhost > 1 || (nhost == 0 && !http10)) fz_die("a wrong number of Hosts passed", data, size, NULL);
        if (nlength > 1 || ncoding > 1 || (nlength && ncoding))
            fz_die("ambiguous body framing passed", data, size, NULL);
        if (uri[0] != '/' || strlen(uri) != uri_len) fz_die("a bad target passed", data, size, NULL);
        for (const unsigned char *p = (const unsigned char *)uri; *p; p++)
            if (*p <= 0x20 || *p == 0x7f) fz_die("a space or control byte passed", data, size, NULL);
        size_t path = strcspn(uri, "?");
        for (size_t k = 0; k < path; k++)
            if (uri[k] == '%' && (k + 2 >= path || (uri[k + 1] == '0' && uri[k + 2] == '0')))
                fz_die("%00 or a cut escape in the path passed", data, size, NULL);
        if (length) {
            const char *v = length;
            while (*v == ' ' || *v == '\t') v++;
            if (*v < '0' || *v > '9') fz_die("a Content-Length without digits passed", data, size, NULL);
            if (strtoull(v, NULL, 10) > FZ_MAX_BODY) fz_die("a body over the limit passed", data, size, NULL);
        }
    }
    if (st == 413) {
        if (!length || strtoull(length, NULL, 10) <= FZ_MAX_BODY)
            fz_die("413 without a Content-Length over the limit", data, size, &why);
    }
    buf_free(&why);
    buf_free(&again);
out:
    free(text);
    return 0;
}
