/* query.c — see query.h. */
#include "query.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Whether s[0..n) is valid UTF-8 (no overlongs, no surrogates). */
static int utf8_valid(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        size_t len;
        uint32_t cp;
        if (c < 0x80) { i++; continue; }
        else if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
        else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
        else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
        else return 0;
        if (i + len > n) return 0;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return 0;
            cp = cp << 6 | (s[i + k] & 0x3F);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += len;
    }
    return 1;
}

/* Decodes s[0..n) ('+' is a space, %XX a byte) into the arena. */
static const char *decode(const char *s, size_t n, Arena *arena, const char *what, Buf *err)
{
    char *out = arena_alloc(arena, n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+') out[o++] = ' ';
        else if (s[i] == '%') {
            if (i + 2 >= n) {
                buf_printf(err, "%s: '%%' must be followed by two hexadecimal digits\n", what);
                return NULL;
            }
            int hi = hexval((unsigned char)s[i + 1]), lo = hexval((unsigned char)s[i + 2]);
            if (hi < 0 || lo < 0) {
                buf_printf(err, "%s: '%%' must be followed by two hexadecimal digits\n", what);
                return NULL;
            }
            out[o++] = (char)(hi << 4 | lo);
            i += 2;
        } else out[o++] = s[i];
        if (o && out[o - 1] == 0) {
            buf_printf(err, "%s: contains a NUL byte\n", what);
            return NULL;
        }
    }
    out[o] = 0;
    if (!utf8_valid((const unsigned char *)out, o)) {
        buf_printf(err, "%s: is not valid UTF-8\n", what);
        return NULL;
    }
    return out;
}

/* query_parse with limits: at most maxparams parameters of maxvalue bytes. */
static int parse_limited(const char *raw, Arena *arena, Query *q, Buf *err, size_t maxparams,
                         size_t maxvalue)
{
    q->a = NULL;
    q->n = 0;
    if (!raw) return 0;
    const char *p = raw;
    while (*p) {
        const char *amp = strchr(p, '&');
        size_t len = amp ? (size_t)(amp - p) : strlen(p);
        if (len > 0) {
            if (q->n == maxparams) {
                buf_printf(err, "there are more than %zu parameters\n", maxparams);
                return -1;
            }
            const char *eq = memchr(p, '=', len);
            size_t nlen = eq ? (size_t)(eq - p) : len;
            if (len - nlen > maxvalue * 3 + 1) {
                buf_printf(err, "parameter %.*s: the value is too long (at most %zu bytes)\n",
                           (int)(nlen > 40 ? 40 : nlen), p, maxvalue);
                return -1;
            }
            const char *name = decode(p, nlen, arena, "a parameter name", err);
            if (!name) return -1;
            const char *value = "";
            if (eq) {
                Buf what = BUF_INIT;
                buf_printf(&what, "parameter %.40s", name);
                value = decode(eq + 1, len - nlen - 1, arena, buf_str(&what), err);
                buf_free(&what);
                if (!value) return -1;
                if (strlen(value) > maxvalue) {
                    buf_printf(err, "parameter %.40s: the value is too long (at most %zu bytes)\n",
                               name, maxvalue);
                    return -1;
                }
            }
            q->a = arena_grow(arena, q->a, q->n, sizeof *q->a);
            q->a[q->n++] = (QueryParam){name, value};
        }
        if (!amp) break;
        p = amp + 1;
    }
    return 0;
}

int query_parse(const char *raw, Arena *arena, Query *q, Buf *err)
{
    return parse_limited(raw, arena, q, err, QUERY_MAX_PARAMS, QUERY_MAX_VALUE);
}

int query_parse_form(const char *raw, Arena *arena, Query *q, Buf *err)
{
    return parse_limited(raw, arena, q, err, FORM_MAX_PARAMS, FORM_MAX_VALUE);
}

const char *query_get(const Query *q, const char *name)
{
    for (size_t k = 0; k < q->n; k++)
        if (strcmp(q->a[k].name, name) == 0) return q->a[k].value;
    return NULL;
}

static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static int bind_one(const QueryField *f, const char *v, void *out, Buf *err)
{
    char *base = out;
    switch (f->type) {
    case QT_INT: {
        errno = 0;
        char *end;
        long long x = strtoll(v, &end, 10);
        int digits = *v == '-' ? (v[1] >= '0' && v[1] <= '9') : (*v >= '0' && *v <= '9');
        if (!digits || *end || errno || x < f->lo || x > f->hi) {
            buf_printf(err, "parameter %s: must be a whole number from %lld to %lld, not \"%.40s\"\n",
                       f->name, f->lo, f->hi, v);
            return -1;
        }
        *(long long *)(base + f->offset) = x;
        return 0;
    }
    case QT_TEXT:
        if (chars(v) > f->maxlen) {
            buf_printf(err, "parameter %s: at most %zu characters\n", f->name, f->maxlen);
            return -1;
        }
        *(const char **)(base + f->offset) = v;
        return 0;
    case QT_CODE: {
        size_t n = strlen(v);
        int ok = n >= 1 && n <= 64;
        for (const char *p = v; ok && *p; p++)
            ok = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
                 *p == '.' || *p == '_' || *p == '-';
        if (!ok) {
            buf_printf(err, "parameter %s: must be a code (letters, digits, '.', '_', '-'), not "
                            "\"%.40s\"\n", f->name, v);
            return -1;
        }
        *(const char **)(base + f->offset) = v;
        return 0;
    }
    case QT_ENUM:
        for (int k = 0; f->choices[k]; k++)
            if (strcmp(f->choices[k], v) == 0) {
                *(int *)(base + f->offset) = k;
                return 0;
            }
        buf_printf(err, "parameter %s: must be one of ", f->name);
        for (int k = 0; f->choices[k]; k++) buf_printf(err, "%s%s", k ? ", " : "", f->choices[k]);
        buf_printf(err, "; not \"%.40s\"\n", v);
        return -1;
    case QT_FLAG:
        if (*v && strcmp(v, "1") && strcmp(v, "on") && strcmp(v, "true")) {
            buf_printf(err, "parameter %s: is a flag: 1, on or true\n", f->name);
            return -1;
        }
        *(int *)(base + f->offset) = 1;
        return 0;
    }
    return -1;
}

int query_bind(const Query *q, const QueryField *fields, void *out, Buf *err)
{
    for (size_t k = 0; k < q->n; k++) {
        const QueryParam *p = &q->a[k];
        const QueryField *f = fields;
        while (f->name && strcmp(f->name, p->name) != 0) f++;
        if (!f->name) {
            buf_printf(err, "parameter %.40s: unknown here; this page takes ", p->name);
            for (const QueryField *g = fields; g->name; g++)
                buf_printf(err, "%s%s", g == fields ? "" : ", ", g->name);
            buf_puts(err, "\n");
            return -1;
        }
        for (size_t j = 0; j < k; j++)
            if (strcmp(q->a[j].name, p->name) == 0) {
                buf_printf(err, "parameter %s: given more than once\n", p->name);
                return -1;
            }
        if (!*p->value && f->type != QT_FLAG) continue;
        if (bind_one(f, p->value, out, err)) return -1;
        if (f->has_offset != QUERY_NO_HAS) *(int *)((char *)out + f->has_offset) = 1;
    }
    return 0;
}
