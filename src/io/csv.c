/*
 * csv.c — the RFC 4180 reader and the CSV-field encoder. See csv.h.
 */
#include "csv.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

/* Records a problem at line/field; returns -1 for the caller to pass on. */
static int csv_fail(CsvReader *r, long line, int field, const char *fmt, ...) BUF_FORMAT(4, 5);
static int csv_fail(CsvReader *r, long line, int field, const char *fmt, ...)
{
    r->failed = 1;
    r->err_line = line;
    r->err_field = field;
    buf_reset(&r->err);
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&r->err, fmt, ap);
    va_end(ap);
    return -1;
}

void csv_reader_init(CsvReader *r, const char *data, size_t len)
{
    memset(r, 0, sizeof *r);
    if (!data) data = "", len = 0;
    r->p = data;
    r->end = data + len;
    r->line = 1;
    r->max_field = CSV_MAX_FIELD;
    r->max_fields = CSV_MAX_FIELDS;
    r->sep = ',';
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) r->p += 3;
    else if (len >= 2 && (memcmp(data, "\xFF\xFE", 2) == 0 || memcmp(data, "\xFE\xFF", 2) == 0))
        csv_fail(r, 1, 0, "the file is UTF-16 text; save it as \"CSV UTF-8 (comma delimited)\"");
}

void csv_reader_free(CsvReader *r) { buf_free(&r->err); }

char csv_detect_sep(const char *data, size_t len)
{
    size_t i = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    long ncomma = 0, nsemi = 0;
    int quoted = 0;
    for (; i < len; i++) {
        char c = data[i];
        if (c == '"') quoted = !quoted;
        else if (!quoted && (c == '\n' || c == '\r')) break;
        else if (!quoted) ncomma += c == ',', nsemi += c == ';';
    }
    return nsemi > ncomma ? ';' : ',';
}

size_t csv_utf8_check(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned c = u[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t len;
        unsigned lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            if (c == 0xE0) lo = 0xA0;      /* overlong */
            else if (c == 0xED) hi = 0x9F; /* surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            if (c == 0xF0) lo = 0x90;      /* overlong */
            else if (c == 0xF4) hi = 0x8F; /* above U+10FFFF */
        } else {
            return i;
        }
        if (n - i < len || u[i + 1] < lo || u[i + 1] > hi) return i;
        for (size_t k = 2; k < len; k++)
            if ((u[i + k] & 0xC0) != 0x80) return i;
        i += len;
    }
    return n;
}

/* Appends the offset of a new field starting at text position start. */
static void csv_push(CsvRecord *rec, size_t start)
{
    if (rec->n == rec->cap) {
        rec->cap = rec->cap ? rec->cap * 2 : 16;
        rec->off = xrealloc(rec->off, (size_t)rec->cap * sizeof *rec->off);
    }
    rec->off[rec->n++] = start;
}

/* Reads one field into rec->text from r->p; leaves r->p on what follows it
 * (a comma, a line end or the end). Returns 0 or -1. */
static int csv_read_field(CsvReader *r, CsvRecord *rec, int field)
{
    Buf *t = &rec->text;
    size_t start = t->n;
    long first_line = r->line;
    if (r->p < r->end && *r->p == '"') {
        r->p++;
        for (;;) {
            const char *q = r->p;
            while (q < r->end && *q != '"' && *q != '\n' && *q != 0) q++;
            buf_append(t, r->p, (size_t)(q - r->p));
            r->p = q;
            if (t->n - start > r->max_field) break;
            if (q == r->end)
                return csv_fail(r, first_line, field, "the quoted field that starts here never "
                                "ends: a closing '\"' is missing");
            if (*q == 0) return csv_fail(r, r->line, field, "contains a NUL byte; this is not a "
                                         "text file");
            if (*q == '\n') {
                buf_putc(t, '\n');
                r->line++;
                r->p++;
            } else if (q + 1 < r->end && q[1] == '"') {
                buf_putc(t, '"');
                r->p += 2;
            } else {
                r->p++; /* the closing quote */
                if (r->p < r->end && *r->p != r->sep && *r->p != '\n' && *r->p != '\r')
                    return csv_fail(r, r->line, field, "text after the closing quote; inside a "
                                    "quoted field write a quote as two quotes (\"\")");
                break;
            }
        }
    } else {
        const char *q = r->p;
        while (q < r->end && *q != r->sep && *q != '\n' && *q != '\r' && *q != '"' && *q != 0)
            q++;
        buf_append(t, r->p, (size_t)(q - r->p));
        r->p = q;
        if (q < r->end && *q == '"' && t->n - start <= r->max_field)
            return csv_fail(r, r->line, field, "a quote inside a field that does not start with "
                            "one; put the whole field in quotes and write the quote twice (\"\")");
        if (q < r->end && *q == 0)
            return csv_fail(r, r->line, field, "contains a NUL byte; this is not a text file");
    }
    size_t n = t->n - start;
    if (n > r->max_field)
        return csv_fail(r, first_line, field, "the field is longer than %zu bytes", r->max_field);
    size_t bad = csv_utf8_check(t->a + start, n);
    if (bad < n) {
        long line = first_line;
        for (size_t i = 0; i < bad; i++) line += t->a[start + i] == '\n';
        return csv_fail(r, line, field, "is not UTF-8 text (byte 0x%02X); save the file as "
                        "\"CSV UTF-8 (comma delimited)\"", (unsigned char)t->a[start + bad]);
    }
    buf_putc(t, 0);
    csv_push(rec, start);
    return 0;
}

int csv_read(CsvReader *r, CsvRecord *rec)
{
    if (r->failed) return -1;
    if (r->p >= r->end) return 0;
    buf_reset(&rec->text);
    buf_reserve(&rec->text, 64); /* text.a is never NULL below */
    rec->n = 0;
    rec->line = r->line;
    for (;;) {
        int field = rec->n + 1;
        if (field > r->max_fields)
            return csv_fail(r, r->line, field, "more than %d fields in one row; is the file "
                            "really a table of this kind?", r->max_fields);
        if (csv_read_field(r, rec, field)) return -1;
        if (r->p >= r->end) return 1;
        if (*r->p == r->sep) {
            r->p++;
            continue;
        }
        if (*r->p == '\n') {
            r->p++;
            r->line++;
            return 1;
        }
        if (r->p + 1 < r->end && r->p[1] == '\n') { /* CRLF */
            r->p += 2;
            r->line++;
            return 1;
        }
        return csv_fail(r, r->line, field, "a carriage return (CR) without a line feed; save "
                        "the file with CRLF or LF line ends");
    }
}

const char *csv_get(const CsvRecord *rec, int i) { return rec->text.a + rec->off[i]; }

void csv_record_free(CsvRecord *rec)
{
    buf_free(&rec->text);
    free(rec->off);
    memset(rec, 0, sizeof *rec);
}

void csv_field(Buf *b, const char *s)
{
    if (!s) s = "";
    size_t n = strlen(s);
    /* A leading U+FEFF is quoted too: at the start of a file a reader would
     * take it for a byte order mark and drop it. */
    int quote = strpbrk(s, ",\"\r\n") != NULL || strncmp(s, "\xEF\xBB\xBF", 3) == 0 ||
                (n && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t'));
    if (!quote) {
        buf_append(b, s, n);
        buf_putc(b, ',');
        return;
    }
    buf_putc(b, '"');
    for (const char *p = s;;) {
        const char *q = strchr(p, '"');
        if (!q) {
            buf_puts(b, p);
            break;
        }
        buf_append(b, p, (size_t)(q - p) + 1);
        buf_putc(b, '"');
        p = q + 1;
    }
    buf_puts(b, "\",");
}

/* 1 when a cell starting with c could be run as a formula (or is the guard). */
static int csv_risky(char c) { return c && strchr("=+-@\t\r'", c) != NULL; }

void csv_guard(Buf *b, const char *s)
{
    if (!s) return;
    if (csv_risky(s[0])) buf_putc(b, '\'');
    buf_puts(b, s);
}

void csv_text(Buf *b, const char *s)
{
    if (!s || !csv_risky(s[0])) {
        csv_field(b, s);
        return;
    }
    Buf t = BUF_INIT;
    buf_putc(&t, '\'');
    buf_puts(&t, s);
    csv_field(b, buf_str(&t));
    buf_free(&t);
}

const char *csv_unguard(const char *s) { return s[0] == '\'' && csv_risky(s[1]) ? s + 1 : s; }

void csv_row_end(Buf *b)
{
    if (b->n && b->a[b->n - 1] == ',') buf_truncate(b, b->n - 1);
    buf_puts(b, "\r\n");
}
