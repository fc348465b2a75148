/* buf.c — see buf.h. */
#include "buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

void buf_free(Buf *b)
{
    free(b->a);
    b->a = NULL;
    b->n = b->cap = 0;
}

void buf_reset(Buf *b)
{
    b->n = 0;
    if (b->a) b->a[0] = 0;
}

void buf_reserve(Buf *b, size_t extra)
{
    if (extra > SIZE_MAX - b->n - 1) {
        fprintf(stderr, "itstrat: buffer size overflow\n");
        abort();
    }
    size_t need = b->n + extra + 1;
    if (need <= b->cap) return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    b->a = xrealloc(b->a, cap);
    b->cap = cap;
}

void buf_append(Buf *b, const void *p, size_t n)
{
    buf_reserve(b, n);
    if (n) memcpy(b->a + b->n, p, n);
    b->n += n;
    b->a[b->n] = 0;
}

void buf_puts(Buf *b, const char *s) { buf_append(b, s, strlen(s)); }

void buf_putc(Buf *b, char c)
{
    buf_reserve(b, 1);
    b->a[b->n++] = c;
    b->a[b->n] = 0;
}

void buf_vprintf(Buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    if (n < 0) {
        va_end(ap2);
        return;
    }
    if ((size_t)n < sizeof small) {
        buf_append(b, small, (size_t)n);
    } else {
        buf_reserve(b, (size_t)n);
        vsnprintf(b->a + b->n, (size_t)n + 1, fmt, ap2);
        b->n += (size_t)n;
    }
    va_end(ap2);
}

void buf_printf(Buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void buf_truncate(Buf *b, size_t n)
{
    if (n < b->n) {
        b->n = n;
        b->a[n] = 0;
    }
}

const char *buf_str(const Buf *b) { return b->a ? b->a : ""; }

char *buf_detach(Buf *b)
{
    char *p = b->a ? b->a : xstrdup("");
    b->a = NULL;
    b->n = b->cap = 0;
    return p;
}

int buf_append_file(Buf *b, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(b, chunk, got);
    int rc = ferror(f) ? -1 : 0;
    fclose(f);
    return rc;
}
