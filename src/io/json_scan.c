/* json_scan.c — see json_scan.h. */
#include "json_scan.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

static void scan_jansson_error(Buf *err, const char *d, size_t start, const json_error_t *je,
                               long base_line);

/* Skips white space from *pos, counting lines. */
static void scan_ws(const char *d, size_t len, size_t *pos, long *line)
{
    size_t p = *pos;
    while (p < len && (d[p] == ' ' || d[p] == '\t' || d[p] == '\n' || d[p] == '\r')) {
        if (d[p] == '\n') ++*line;
        p++;
    }
    *pos = p;
}

/* Column (1-based) of offset pos. */
static long scan_column(const char *d, size_t pos)
{
    long col = 1;
    while (pos > 0 && d[pos - 1] != '\n') pos--, col++;
    return col;
}

/* Describes the byte at pos for messages. */
static void scan_describe(Buf *err, const char *d, size_t len, size_t pos)
{
    if (pos >= len) {
        buf_puts(err, "the end of the file");
        return;
    }
    unsigned char c = (unsigned char)d[pos];
    if (c >= 0x20 && c < 0x7f) buf_printf(err, "'%c'", c);
    else buf_printf(err, "byte 0x%02x", c);
}

/* 1 when the number whose exponent marker is at d[e] (outside strings) is
 * too small for a double: not zero as written, but read as 0 or a value
 * below DBL_MIN that has lost its digits. jansson reads such a number as 0
 * without a word; the importers refuse it as they refuse an overflow. The
 * token's bounds go to *start and *end. */
static int scan_underflow(const char *d, size_t len, size_t e, size_t *start, size_t *end)
{
    if (e == 0 || e + 1 >= len || !(d[e - 1] >= '0' && d[e - 1] <= '9') || d[e + 1] != '-')
        return 0;
    size_t s = e, t = e + 2;
    while (s > 0 && strchr("0123456789.-", d[s - 1])) s--;
    while (t < len && d[t] >= '0' && d[t] <= '9') t++;
    int nonzero = 0;
    for (size_t i = s; i < e; i++) nonzero |= d[i] >= '1' && d[i] <= '9';
    *start = s;
    *end = t;
    if (!nonzero || t - s > 400) return nonzero; /* 0e-999 is 0; a huge token is refused */
    char tok[401];
    memcpy(tok, d + s, t - s);
    tok[t - s] = 0;
    return fabs(strtod(tok, NULL)) < DBL_MIN;
}

/* Skips a string starting at the quote at *pos; counts lines (raw newlines
 * are invalid in JSON strings, jansson reports them later). 0 or -1 at EOF. */
static int scan_string(const char *d, size_t len, size_t *pos, long *line)
{
    size_t p = *pos + 1;
    for (;;) {
        const char *q = memchr(d + p, '"', len - p);
        if (!q) return -1;
        size_t qp = (size_t)(q - d);
        for (size_t i = p; i < qp; i++)
            if (d[i] == '\n') ++*line;
        size_t bs = 0; /* backslashes right before the quote */
        while (qp - bs > p && d[qp - bs - 1] == '\\') bs++;
        p = qp + 1;
        if (bs % 2 == 0) break;
    }
    *pos = p;
    return 0;
}

/* Skips one value starting at *pos (after white space). Returns 0, or -1
 * with err set; start_line is where the value began, for messages. */
static int scan_value(const char *d, size_t len, size_t *pos, long *line, const char *what,
                      Buf *err)
{
    long start_line = *line;
    size_t p = *pos;
    if (p >= len) goto eof;
    char c = d[p];
    if (c == '"') {
        if (scan_string(d, len, &p, line)) goto eof;
    } else if (c == '{' || c == '[') {
        Buf open = BUF_INIT; /* the brackets not closed yet, innermost last */
        while (p < len) {
            char ch = d[p];
            if (ch == '"') {
                if (scan_string(d, len, &p, line)) break;
                continue;
            }
            size_t us = p, ue = p + 1;
            if (ch == '\n') ++*line;
            else if ((ch == 'e' || ch == 'E') && scan_underflow(d, len, p, &us, &ue)) {
                buf_printf(err, "line %ld, column %ld: the number %.*s in the value of %s is too "
                                "close to zero to be stored (it would be read as 0); write 0 "
                                "if zero is meant, or give the value in a smaller unit",
                           *line, scan_column(d, us), (int)(ue - us > 40 ? 40 : ue - us), d + us,
                           what);
                buf_free(&open);
                return -1;
            } else if (ch == '{' || ch == '[') buf_putc(&open, ch);
            else if (ch == '}' || ch == ']') {
                char opener = open.a[open.n - 1];
                if ((opener == '{') != (ch == '}')) {
                    buf_printf(err, "line %ld, column %ld: '%c' closes a%s '%c' in the value of "
                                    "%s that starts on line %ld", *line, scan_column(d, p), ch,
                               opener == '[' ? "n array" : "n object", opener, what, start_line);
                    buf_free(&open);
                    return -1;
                }
                buf_truncate(&open, open.n - 1);
                if (open.n == 0) {
                    p++;
                    break;
                }
            }
            p++;
        }
        size_t unclosed = open.n;
        buf_free(&open);
        if (unclosed) goto eof;
    } else {
        size_t s = p;
        while (p < len && strchr(",}] \t\r\n", d[p]) == NULL) p++;
        if (p == s) {
            buf_printf(err, "line %ld, column %ld: expected a value for %s, found ", *line,
                       scan_column(d, p), what);
            scan_describe(err, d, len, p);
            return -1;
        }
    }
    *pos = p;
    return 0;
eof:
    buf_printf(err, "line %ld: the file ends inside the value of %s that starts on line %ld "
                    "(the file is truncated or a bracket or quote is missing)",
               *line, what, start_line);
    return -1;
}

int json_doc_scan(JsonDoc *doc, const char *data, size_t len, Buf *err)
{
    memset(doc, 0, sizeof *doc);
    doc->data = data;
    doc->len = len;
    size_t pos = 0, cap = 0;
    long line = 1;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) pos = 3; /* UTF-8 BOM */
    scan_ws(data, len, &pos, &line);
    if (pos >= len) {
        buf_puts(err, "the file is empty: an itstrat document is a JSON object");
        return -1;
    }
    if (data[pos] != '{') {
        buf_printf(err, "line %ld, column %ld: not a JSON object: an itstrat document starts "
                        "with '{', this file with ", line, scan_column(data, pos));
        scan_describe(err, data, len, pos);
        return -1;
    }
    pos++;
    for (;;) {
        scan_ws(data, len, &pos, &line);
        if (pos < len && data[pos] == '}' && doc->n == 0) {
            pos++;
            break;
        }
        if (pos >= len || data[pos] != '"') {
            buf_printf(err, "line %ld, column %ld: expected a quoted member name, found ", line,
                       scan_column(data, pos));
            scan_describe(err, data, len, pos);
            goto fail;
        }
        size_t ks = pos;
        if (scan_string(data, len, &pos, &line)) {
            buf_printf(err, "line %ld: the file ends inside a member name", line);
            goto fail;
        }
        json_error_t je;
        json_t *k = json_loadb(data + ks, pos - ks, JSON_DECODE_ANY, &je);
        if (!k || !json_is_string(k)) {
            if (k) buf_printf(err, "line %ld: a member name is not a valid text", line);
            else scan_jansson_error(err, data, ks, &je, line);
            json_decref(k);
            goto fail;
        }
        char *key = xstrdup(json_string_value(k));
        json_decref(k);
        for (size_t i = 0; i < doc->n; i++)
            if (strcmp(doc->members[i].key, key) == 0) {
                buf_printf(err, "line %ld: \"%s\" appears twice at the top level (first on "
                                "line %ld)", line, key, doc->members[i].line);
                free(key);
                goto fail;
            }
        if (doc->n == cap) {
            cap = cap ? cap * 2 : 16;
            doc->members = xrealloc(doc->members, cap * sizeof *doc->members);
        }
        JsonMember *m = &doc->members[doc->n++];
        m->key = key;
        scan_ws(data, len, &pos, &line);
        if (pos >= len || data[pos] != ':') {
            buf_printf(err, "line %ld, column %ld: expected ':' after \"%s\", found ", line,
                       scan_column(data, pos), key);
            scan_describe(err, data, len, pos);
            goto fail;
        }
        pos++;
        scan_ws(data, len, &pos, &line);
        m->start = pos;
        m->line = line;
        Buf what = BUF_INIT;
        buf_printf(&what, "\"%s\"", key);
        int rc = scan_value(data, len, &pos, &line, buf_str(&what), err);
        buf_free(&what);
        if (rc) goto fail;
        m->end = pos;
        scan_ws(data, len, &pos, &line);
        if (pos < len && data[pos] == ',') {
            pos++;
            continue;
        }
        if (pos < len && data[pos] == '}') {
            pos++;
            break;
        }
        buf_printf(err, "line %ld, column %ld: expected ',' or '}' after the value of \"%s\", "
                        "found ", line, scan_column(data, pos), key);
        scan_describe(err, data, len, pos);
        goto fail;
    }
    scan_ws(data, len, &pos, &line);
    if (pos < len) {
        buf_printf(err, "line %ld, column %ld: unexpected ", line, scan_column(data, pos));
        scan_describe(err, data, len, pos);
        buf_puts(err, " after the end of the document");
        goto fail;
    }
    return 0;
fail:
    json_doc_free(doc);
    return -1;
}

void json_doc_free(JsonDoc *doc)
{
    for (size_t i = 0; i < doc->n; i++) free(doc->members[i].key);
    free(doc->members);
    doc->members = NULL;
    doc->n = 0;
}

const JsonMember *json_doc_get(const JsonDoc *doc, const char *key)
{
    for (size_t i = 0; i < doc->n; i++)
        if (strcmp(doc->members[i].key, key) == 0) return &doc->members[i];
    return NULL;
}

/* jansson's words for a syntax error, and what a person reads instead. */
static const struct { const char *jansson, *person; } scan_words[] = {
    {"invalid token", "this is not JSON: a value is a text in double quotes, a number, true, "
                      "false, null, an object or an array (NaN, Infinity and words without "
                      "quotes are not JSON)"},
    {"real number overflow", "the number is too large to be stored"},
    {"too big negative integer", "the whole number is too large to be stored"},
    {"too big integer", "the whole number is too large to be stored"},
    {"\\u0000 is not allowed", "a text holds \\u0000 (a NUL character), which itstrat does not "
                              "store: remove it"},
    {"NUL byte in object key", "a member name holds \\u0000 (a NUL character): remove it"},
    {"control character", "a text in quotes holds a raw control character: write a line break "
                          "as \\n and a tab as \\t"},
    {"unexpected newline", "a text in quotes runs past the end of its line: close the quote, or "
                           "write the line break as \\n"},
    {"premature end of input", "the value ends too early: a bracket or a quote is missing"},
    {"invalid escape", "a backslash in a text starts no valid escape: write \\\\ for a "
                       "backslash"},
    {"invalid Unicode", "a \\u escape in a text is not a valid Unicode character"},
    {"unable to decode byte", "the file is not UTF-8 text: save it as UTF-8"},
    {"string or '}' expected", "expected a member name in double quotes or '}'"},
    {"'[' or '{' expected", "expected '[' or '{'"},
    {"':' expected", "expected ':' after the member name"},
    {"',' or '}' expected", "expected ',' or '}' after the member"},
    {"',' or ']' expected", "expected ',' or ']' after the element"},
    {"'}' expected", "expected ',' or '}' after the member"},
    {"']' expected", "expected ',' or ']' after the element"},
    {"duplicate object key", "a member name appears twice in the same object"},
    {"maximum parsing depth", "objects and arrays are nested too deeply"},
    {"end of file expected", "something follows the end of the value"},
};

/* Formats a jansson error in the value that starts at offset start (on line
 * base_line) of d into err: the line and column, in words a person can act
 * on, with the place jansson quotes ("near 'NaN'"). */
static void scan_jansson_error(Buf *err, const char *d, size_t start, const json_error_t *je,
                               long base_line)
{
    long line = je->line > 0 ? base_line + je->line - 1 : base_line;
    buf_printf(err, "line %ld", line);
    const char *near = strstr(je->text, " near '");
    if (je->position > 0) {
        /* jansson's position is after the token it quotes: the column is
         * where that token starts. */
        size_t at = start + (size_t)je->position - 1, ntok = near ? strlen(near + 7) : 0;
        if (ntok > 1 && ntok - 2 < at - start) at -= ntok - 2;
        buf_printf(err, ", column %ld", scan_column(d, at));
    }
    const char *person = NULL;
    for (size_t i = 0; i < sizeof scan_words / sizeof *scan_words && !person; i++)
        if (strstr(je->text, scan_words[i].jansson)) person = scan_words[i].person;
    const char *byte = strstr(je->text, "decode byte 0x");
    if (byte) buf_printf(err, ": byte %.4s is not UTF-8 text: save the file as UTF-8", byte + 12);
    else if (person && near) buf_printf(err, ": %s (at %s)", person, near + 6);
    else if (person) buf_printf(err, ": %s", person);
    else buf_printf(err, ": the JSON is malformed here (%s)", je->text);
}

json_t *json_member_parse(const JsonDoc *doc, const JsonMember *m, Buf *err)
{
    json_error_t je;
    json_t *v = json_loadb(doc->data + m->start, m->end - m->start,
                           JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je);
    if (!v) scan_jansson_error(err, doc->data, m->start, &je, m->line);
    return v;
}

int json_iter_begin(JsonIter *it, const JsonDoc *doc, const JsonMember *m)
{
    memset(it, 0, sizeof *it);
    if (m->start >= m->end || doc->data[m->start] != '[') return -1;
    it->doc = doc;
    it->pos = m->start + 1;
    it->end = m->end - 1; /* the closing bracket */
    it->line = m->line;
    return 0;
}

int json_iter_next(JsonIter *it, json_t **out, long *line, Buf *err)
{
    const char *d = it->doc->data;
    *out = NULL;
    scan_ws(d, it->end, &it->pos, &it->line);
    if (it->index > 0) {
        if (it->pos >= it->end) return 0;
        if (d[it->pos] != ',') {
            buf_printf(err, "line %ld, column %ld: expected ',' or ']' after element %zu, found ",
                       it->line, scan_column(d, it->pos), it->index - 1);
            scan_describe(err, d, it->end, it->pos);
            return -1;
        }
        it->pos++;
        scan_ws(d, it->end, &it->pos, &it->line);
        if (it->pos >= it->end) {
            buf_printf(err, "line %ld: a ',' is followed by no element", it->line);
            return -1;
        }
    } else if (it->pos >= it->end) {
        return 0;
    }
    json_error_t je;
    json_t *v = json_loadb(d + it->pos, it->end - it->pos,
                           JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES, &je);
    if (!v) {
        scan_jansson_error(err, d, it->pos, &je, it->line);
        return -1;
    }
    *line = it->line;
    size_t used = (size_t)je.position;
    for (size_t i = it->pos; i < it->pos + used; i++)
        if (d[i] == '\n') it->line++;
    it->pos += used;
    it->index++;
    *out = v;
    return 1;
}
