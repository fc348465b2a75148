/*
 * fuzz_query.c — libFuzzer target: the query string parser (query_parse)
 * and the typed binder (query_bind) over a field table shaped like the
 * portfolio's (codes, an enum, whole numbers with ranges, free text, a flag).
 *
 * The input is the raw query as received (everything after '?'); a NUL ends
 * it, as it would in the server's C string. Besides "no crash, no sanitizer
 * report" it aborts when a property fails:
 *  - a refused query comes with a message, an accepted one holds at most
 *    QUERY_MAX_PARAMS parameters whose names and values are valid UTF-8 with
 *    values of at most QUERY_MAX_VALUE bytes;
 *  - percent-encoding every parsed parameter again and parsing that gives
 *    the same parameters (decoding is the inverse of encoding);
 *  - query_get() finds the first parameter of each name;
 *  - a refused bind names the parameter ("parameter NAME: ..."); an accepted
 *    one holds only values of the right type and range, each marked given,
 *    pointing into the parsed query.
 *
 * Build: CC=clang cmake -S . -B build-fuzz -DITSTRAT_FUZZ=ON && cmake --build
 * build-fuzz --target fuzz_query; run: build-fuzz/fuzz_query fuzz/corpus/query.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What the portfolio asks of its query (a representative table). */
typedef struct FzFilter {
    const char *outcome, *output, *driver, *category, *location, *unit, *q;
    int status, sort, dir, all;
    long long year, page, limit;
    int has_outcome, has_output, has_driver, has_category, has_location, has_unit, has_q;
    int has_status, has_sort, has_dir, has_all, has_year, has_page, has_limit;
} FzFilter;

static const char *const fz_status[] = {"not_started", "in_progress", "completed", "on_hold",
                                        "cancelled", NULL};
static const char *const fz_sort[] = {"code", "title", "status", "start", "end", "budget", NULL};
static const char *const fz_dir[] = {"asc", "desc", NULL};

#define TEXT(n, m, len) {n, QT_TEXT, offsetof(FzFilter, m), offsetof(FzFilter, has_##m), 0, 0, NULL, len}
#define CODE(n, m) {n, QT_CODE, offsetof(FzFilter, m), offsetof(FzFilter, has_##m), 0, 0, NULL, 0}
#define INT(n, m, lo, hi) {n, QT_INT, offsetof(FzFilter, m), offsetof(FzFilter, has_##m), lo, hi, NULL, 0}
#define ENUM(n, m, c) {n, QT_ENUM, offsetof(FzFilter, m), offsetof(FzFilter, has_##m), 0, 0, c, 0}

static const QueryField fz_fields[] = {
    CODE("outcome", outcome),
    CODE("output", output),
    CODE("driver", driver),
    CODE("category", category),
    ENUM("status", status, fz_status),
    INT("year", year, 1900, 2200),
    TEXT("location", location, 100),
    TEXT("unit", unit, 100),
    TEXT("q", q, 200),
    ENUM("sort", sort, fz_sort),
    ENUM("dir", dir, fz_dir),
    INT("page", page, 1, 1000000),
    INT("limit", limit, -5, 500),
    {"all", QT_FLAG, offsetof(FzFilter, all), offsetof(FzFilter, has_all), 0, 0, NULL, 0},
    {NULL, 0, 0, 0, 0, 0, NULL, 0},
};

/* A table without "has" markers, to cover QUERY_NO_HAS. */
typedef struct FzSmall {
    long long year;
    const char *code;
} FzSmall;
static const QueryField fz_small[] = {
    {"year", QT_INT, offsetof(FzSmall, year), QUERY_NO_HAS, 2000, 2100, NULL, 0},
    {"code", QT_CODE, offsetof(FzSmall, code), QUERY_NO_HAS, 0, 0, NULL, 0},
    {NULL, 0, 0, 0, 0, 0, NULL, 0},
};

static void fz_die(const char *what, const char *raw, const Buf *detail)
{
    fprintf(stderr, "fuzz_query: %s\nquery: %.500s\n%s\n", what, raw,
            detail ? buf_str(detail) : "");
    abort();
}

static int fz_utf8(const unsigned char *s)
{
    while (*s) {
        unsigned c = *s;
        size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
                     : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (!len) return 0;
        for (size_t k = 1; k < len; k++)
            if ((s[k] & 0xC0) != 0x80) return 0;
        s += len;
    }
    return 1;
}

static size_t fz_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Percent-encodes s completely (every byte but unreserved ones). */
static void fz_encode(Buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.' || *p == '~')
            buf_putc(b, (char)*p);
        else {
            buf_putc(b, '%');
            buf_putc(b, hex[*p >> 4]);
            buf_putc(b, hex[*p & 15]);
        }
    }
}

/* Whether p points at one of q's values. */
static int fz_from_query(const Query *q, const char *p)
{
    for (size_t k = 0; k < q->n; k++)
        if (q->a[k].value == p) return 1;
    return 0;
}

static int fz_code_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 64) return 0;
    return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

static void fz_check_bind(const char *raw, const Query *q)
{
    FzFilter f;
    memset(&f, 0, sizeof f);
    Buf err = BUF_INIT;
    if (query_bind(q, fz_fields, &f, &err)) {
        if (strncmp(buf_str(&err), "parameter ", 10) != 0)
            fz_die("a refused bind does not name the parameter", raw, &err);
    } else {
        if (err.n) fz_die("an accepted bind wrote a message", raw, &err);
        const char *texts[] = {f.outcome, f.output, f.driver, f.category};
        const int has[] = {f.has_outcome, f.has_output, f.has_driver, f.has_category};
        for (int k = 0; k < 4; k++)
            if (has[k] != (texts[k] != NULL) || (texts[k] && (!fz_code_ok(texts[k]) ||
                                                              !fz_from_query(q, texts[k]))))
                fz_die("a code field is wrong", raw, NULL);
        if (f.has_year != (f.year != 0) || (f.has_year && (f.year < 1900 || f.year > 2200)))
            fz_die("year out of range", raw, NULL);
        if (f.has_page && (f.page < 1 || f.page > 1000000)) fz_die("page out of range", raw, NULL);
        if (f.has_limit && (f.limit < -5 || f.limit > 500)) fz_die("limit out of range", raw, NULL);
        if (f.status < 0 || f.status > 4 || (!f.has_status && f.status))
            fz_die("status is not a choice", raw, NULL);
        if (f.sort < 0 || f.sort > 5 || f.dir < 0 || f.dir > 1) fz_die("bad enum", raw, NULL);
        if (f.has_all != f.all) fz_die("flag without its marker", raw, NULL);
        /* A whole number is written as one: an optional '-' and digits only. */
        const char *ints[] = {"year", "page", "limit"};
        for (int k = 0; k < 3; k++) {
            const char *v = query_get(q, ints[k]);
            if (v && *v && strspn(v + (*v == '-'), "0123456789") != strlen(v + (*v == '-')))
                fz_die("a whole number with other characters was accepted", raw, NULL);
        }
        if ((f.q && fz_chars(f.q) > 200) || (f.location && fz_chars(f.location) > 100) ||
            (f.unit && fz_chars(f.unit) > 100))
            fz_die("text longer than allowed", raw, NULL);
        if ((f.q && !fz_from_query(q, f.q)) || f.has_q != (f.q != NULL))
            fz_die("text field is wrong", raw, NULL);
        /* Every given (non-empty) parameter is a field, and none is repeated. */
        for (size_t k = 0; k < q->n; k++)
            for (size_t j = 0; j < k; j++)
                if (strcmp(q->a[k].name, q->a[j].name) == 0)
                    fz_die("a repeated parameter was accepted", raw, NULL);
    }
    FzSmall s = {0, NULL};
    buf_reset(&err);
    if (query_bind(q, fz_small, &s, &err) == 0 &&
        ((s.year && (s.year < 2000 || s.year > 2100)) || (s.code && !fz_code_ok(s.code))))
        fz_die("small table: value out of range", raw, NULL);
    if (err.n && strncmp(buf_str(&err), "parameter ", 10) != 0)
        fz_die("small table: a refused bind does not name the parameter", raw, &err);
    buf_free(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *raw = malloc(size + 1);
    if (!raw) return 0;
    memcpy(raw, data, size);
    raw[size] = 0; /* the server's URI is a C string: a NUL ends it */
    Arena arena = ARENA_INIT;
    Query q;
    Buf err = BUF_INIT, again = BUF_INIT;
    if (query_parse(raw, &arena, &q, &err)) {
        if (!err.n) fz_die("a refused query without a message", raw, NULL);
        goto out;
    }
    if (err.n) fz_die("an accepted query wrote a message", raw, &err);
    if (q.n > QUERY_MAX_PARAMS) fz_die("too many parameters accepted", raw, NULL);
    for (size_t k = 0; k < q.n; k++) {
        if (!q.a[k].name || !q.a[k].value) fz_die("a NULL name or value", raw, NULL);
        if (!fz_utf8((const unsigned char *)q.a[k].name) ||
            !fz_utf8((const unsigned char *)q.a[k].value))
            fz_die("invalid UTF-8 accepted", raw, NULL);
        if (strlen(q.a[k].value) > QUERY_MAX_VALUE) fz_die("an over-long value", raw, NULL);
        const char *first = query_get(&q, q.a[k].name);
        size_t j = 0;
        while (strcmp(q.a[j].name, q.a[k].name) != 0) j++;
        if (first != q.a[j].value) fz_die("query_get does not find the first", raw, NULL);
    }
    /* Encode again and parse: the same parameters come back. */
    for (size_t k = 0; k < q.n; k++) {
        if (k) buf_putc(&again, '&');
        fz_encode(&again, q.a[k].name);
        buf_putc(&again, '=');
        fz_encode(&again, q.a[k].value);
    }
    Query back;
    Buf err2 = BUF_INIT;
    /* "name" alone comes back as "name=": the same empty value. Encoding
     * triples a value at most (3000 bytes + '='): it still fits. */
    if (query_parse(buf_str(&again), &arena, &back, &err2)) fz_die("re-encoded query refused", raw, &err2);
    if (back.n != q.n) fz_die("re-encoded count differs", raw, &again);
    for (size_t k = 0; k < q.n; k++)
        if (strcmp(q.a[k].name, back.a[k].name) || strcmp(q.a[k].value, back.a[k].value))
            fz_die("re-encoded parameter differs", raw, &again);
    buf_free(&err2);
    fz_check_bind(raw, &q);
out:
    buf_free(&err);
    buf_free(&again);
    arena_free(&arena);
    free(raw);
    return 0;
}
