/* json_w.c — see json_w.h. */
#include "json_w.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

void jw_init(JsonW *w, Buf *b, int (*sink)(void *ctx, const char *p, size_t n), void *ctx)
{
    memset(w, 0, sizeof *w);
    w->b = b;
    w->sink = sink;
    w->ctx = ctx;
}

int jw_sink_file(void *ctx, const char *p, size_t n)
{
    return fwrite(p, 1, n, (FILE *)ctx) == n ? 0 : -1;
}

void json_quote(Buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    buf_putc(b, '"');
    const unsigned char *p = (const unsigned char *)s;
    const unsigned char *run = p;
    for (; *p; p++) {
        unsigned char c = *p;
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        buf_append(b, run, (size_t)(p - run));
        run = p + 1;
        switch (c) {
        case '"': buf_puts(b, "\\\""); break;
        case '\\': buf_puts(b, "\\\\"); break;
        case '\n': buf_puts(b, "\\n"); break;
        case '\r': buf_puts(b, "\\r"); break;
        case '\t': buf_puts(b, "\\t"); break;
        case '\b': buf_puts(b, "\\b"); break;
        case '\f': buf_puts(b, "\\f"); break;
        default: {
            char u[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
            buf_puts(b, u);
        }
        }
    }
    buf_append(b, run, (size_t)(p - run));
    buf_putc(b, '"');
}

void json_number(Buf *b, double v)
{
    char s[40];
    if (!isfinite(v)) {
        buf_puts(b, "null");
        return;
    }
    if (v == 0) v = 0; /* no "-0" */
    int prec = 1; /* the fewest significant digits that read back as v */
    for (;; prec++) {
        snprintf(s, sizeof s, "%.*e", prec - 1, v);
        if (prec == 17 || strtod(s, NULL) == v) break;
    }
    /* s is "[-]D.DDDe+XX". Written out in full where a person would (80, not
     * 8e+01); exponents only below 1e-7 and from 1e21, as JavaScript does. */
    const char *p = s + (s[0] == '-');
    char digits[20];
    int nd = 0;
    for (; *p != 'e'; p++)
        if (*p != '.') digits[nd++] = *p;
    int exp10 = atoi(p + 1);
    if (exp10 < -7 || exp10 >= 21) {
        snprintf(s, sizeof s, "%.*g", prec, v);
        buf_puts(b, s);
        return;
    }
    if (v < 0) buf_putc(b, '-');
    if (exp10 < 0) {
        buf_puts(b, "0.");
        for (int i = 0; i < -exp10 - 1; i++) buf_putc(b, '0');
        buf_append(b, digits, (size_t)nd);
        return;
    }
    for (int i = 0; i <= exp10; i++) buf_putc(b, i < nd ? digits[i] : '0');
    if (nd > exp10 + 1) {
        buf_putc(b, '.');
        buf_append(b, digits + exp10 + 1, (size_t)(nd - exp10 - 1));
    }
}

/* Writes newline and indentation for the current depth. */
static void jw_indent(JsonW *w)
{
    buf_putc(w->b, '\n');
    for (int i = 0; i < w->depth; i++) buf_puts(w->b, "  ");
}

static void jw_open_lazy(JsonW *w, int level);

/* Starts a value in the innermost container: separator, indentation, key. */
static void jw_value_start(JsonW *w)
{
    if (w->depth == 0) return;
    int top = w->depth - 1;
    if (!w->st[top].opened) jw_open_lazy(w, top);
    if (w->st[top].count++) buf_putc(w->b, ',');
    jw_indent(w);
    if (!w->st[top].is_array) {
        json_quote(w->b, w->key ? w->key : "");
        buf_puts(w->b, ": ");
    }
    w->key = NULL;
}

/* Writes the key and bracket of the lazy array at stack level `level`. */
static void jw_open_lazy(JsonW *w, int level)
{
    int depth = w->depth;
    const char *key = w->key;
    w->depth = level;
    w->key = w->st[level].key;
    jw_value_start(w);
    buf_putc(w->b, '[');
    w->st[level].opened = 1;
    w->depth = depth;
    w->key = key;
}

void jw_key_(JsonW *w, const char *key) { w->key = key; }

void jw_object(JsonW *w)
{
    jw_value_start(w);
    buf_putc(w->b, '{');
    if (w->depth >= JW_MAX_DEPTH) abort();
    w->st[w->depth].is_array = 0;
    w->st[w->depth].opened = 1;
    w->st[w->depth].count = 0;
    w->st[w->depth].key = NULL;
    w->depth++;
}

void jw_array(JsonW *w)
{
    if (w->depth >= JW_MAX_DEPTH) abort();
    w->st[w->depth].is_array = 1;
    w->st[w->depth].opened = 0;
    w->st[w->depth].count = 0;
    w->st[w->depth].key = w->key;
    w->key = NULL;
    w->depth++;
}

void jw_array_always(JsonW *w)
{
    jw_array(w);
    jw_open_lazy(w, w->depth - 1);
}

void jw_end(JsonW *w)
{
    int top = --w->depth;
    if (!w->st[top].opened) return; /* an empty lazy array leaves nothing */
    if (w->st[top].count) jw_indent(w);
    buf_putc(w->b, w->st[top].is_array ? ']' : '}');
}

void jw_string(JsonW *w, const char *s)
{
    jw_value_start(w);
    json_quote(w->b, s ? s : "");
}

void jw_int(JsonW *w, int64_t v)
{
    jw_value_start(w);
    buf_printf(w->b, "%lld", (long long)v);
}

void jw_double(JsonW *w, double v)
{
    jw_value_start(w);
    json_number(w->b, v);
}

void jw_bool(JsonW *w, int v)
{
    jw_value_start(w);
    buf_puts(w->b, v ? "true" : "false");
}

void jw_money(JsonW *w, int64_t cents)
{
    jw_value_start(w);
    if (cents < 0) buf_putc(w->b, '-');
    uint64_t mag = cents < 0 ? 0 - (uint64_t)cents : (uint64_t)cents;
    unsigned long long u = mag / 100, c = mag % 100;
    if (c == 0) buf_printf(w->b, "%llu", u);
    else if (c % 10 == 0) buf_printf(w->b, "%llu.%llu", u, c / 10);
    else buf_printf(w->b, "%llu.%02llu", u, c);
}

void jw_opt_string_(JsonW *w, const char *key, const char *v)
{
    if (!v || !*v) return;
    w->key = key;
    jw_string(w, v);
}

void jw_opt_int_(JsonW *w, const char *key, int64_t v)
{
    if (v == DB_NULL_INT) return;
    w->key = key;
    jw_int(w, v);
}

void jw_opt_double_(JsonW *w, const char *key, double v)
{
    if (isnan(v)) return;
    w->key = key;
    jw_double(w, v);
}

void jw_opt_money_(JsonW *w, const char *key, int64_t cents)
{
    if (cents == DB_NULL_INT) return;
    w->key = key;
    jw_money(w, cents);
}

void jw_opt_true_(JsonW *w, const char *key, int64_t v)
{
    if (v != 1) return;
    w->key = key;
    jw_bool(w, 1);
}

int jw_flush(JsonW *w)
{
    if (!w->sink || w->b->n < (1u << 20)) return w->io_error ? -1 : 0;
    if (w->sink(w->ctx, w->b->a, w->b->n)) w->io_error = 1;
    buf_reset(w->b);
    return w->io_error ? -1 : 0;
}

int jw_finish(JsonW *w)
{
    buf_putc(w->b, '\n');
    if (w->sink) {
        if (w->sink(w->ctx, w->b->a, w->b->n)) w->io_error = 1;
        buf_reset(w->b);
    }
    return w->io_error ? -1 : 0;
}
