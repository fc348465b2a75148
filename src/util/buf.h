/*
 * buf.h — the one growable byte buffer of itstrat.
 *
 * A Buf builds every piece of output: HTML, SVG, JSON, CSV, Markdown and
 * plain text. Appends check for overflow and grow the buffer (allocation
 * never fails: see mem.h). The data is always NUL-terminated, so buf_str()
 * can be passed to C string functions. Encoders for each output context live
 * with that context (json_w.h, csv.h, html.h); this file only copies bytes.
 */
#ifndef ITSTRAT_BUF_H
#define ITSTRAT_BUF_H
#include <stdarg.h>
#include <stddef.h>

#define BUF_FORMAT(a, b) __attribute__((format(printf, a, b)))

typedef struct Buf {
    char *a;    /* data, NUL-terminated once anything was appended */
    size_t n;   /* bytes used, not counting the NUL */
    size_t cap; /* bytes allocated */
} Buf;

#define BUF_INIT {NULL, 0, 0}

void buf_free(Buf *b);                 /* frees the data; b is empty again */
void buf_reset(Buf *b);                /* empties b, keeps its memory */
void buf_reserve(Buf *b, size_t extra); /* room for extra more bytes */
void buf_append(Buf *b, const void *p, size_t n);
void buf_puts(Buf *b, const char *s);  /* appends s without its NUL */
void buf_putc(Buf *b, char c);
void buf_printf(Buf *b, const char *fmt, ...) BUF_FORMAT(2, 3); /* plain text only */
void buf_vprintf(Buf *b, const char *fmt, va_list ap);
int buf_append_file(Buf *b, const char *path); /* the file's bytes; 0, or -1 with errno */
void buf_truncate(Buf *b, size_t n);   /* shortens to n bytes (n <= b->n) */
const char *buf_str(const Buf *b);     /* the text; "" for an empty Buf */
char *buf_detach(Buf *b);              /* the data, caller frees; b is empty */

#endif
