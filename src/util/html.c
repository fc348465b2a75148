/* html.c — see html.h. */
#include "html.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ESC_TEXT, ESC_ATTR, ESC_URL };

size_t html_next_char(const char *s, size_t n, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned c = p[0];
    if (c < 0x80) {
        *cp = (c < 0x20 && c != '\t' && c != '\n') || c == 0x7F ? HTML_CP_DROP : c;
        return 1;
    }
    size_t need;
    uint32_t v;
    unsigned lo = 0x80, hi = 0xBF; /* allowed range of the next byte */
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        v = c & 0x0F;
        if (c == 0xE0) lo = 0xA0; /* overlong */
        if (c == 0xED) hi = 0x9F; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        v = c & 0x07;
        if (c == 0xF0) lo = 0x90; /* overlong */
        if (c == 0xF4) hi = 0x8F; /* above U+10FFFF */
    } else {
        *cp = 0xFFFD;
        return 1;
    }
    size_t k = 1;
    for (; k <= need && k < n; k++) {
        if (p[k] < lo || p[k] > hi) break;
        v = (v << 6) | (p[k] & 0x3F);
        lo = 0x80;
        hi = 0xBF;
    }
    if (k <= need) {
        *cp = 0xFFFD;
        return k;
    }
    if (v >= 0x80 && v <= 0x9F) *cp = HTML_CP_DROP;           /* C1 controls */
    else if ((v >= 0xFDD0 && v <= 0xFDEF) || (v & 0xFFFE) == 0xFFFE) *cp = 0xFFFD;
    else *cp = v;
    return k;
}

/* The UTF-8 bytes of cp (at most U+10FFFF) in u; returns their number. */
static size_t utf8_encode(uint32_t cp, unsigned char u[4])
{
    if (cp < 0x80) {
        u[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        u[0] = (unsigned char)(0xC0 | (cp >> 6));
        u[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        u[0] = (unsigned char)(0xE0 | (cp >> 12));
        u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    u[0] = (unsigned char)(0xF0 | (cp >> 18));
    u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    u[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Percent-encodes the UTF-8 form of cp, keeping the unreserved characters. */
static void put_url(Buf *b, uint32_t cp)
{
    static const char hex[] = "0123456789ABCDEF";
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') ||
        cp == '-' || cp == '.' || cp == '_' || cp == '~') {
        buf_putc(b, (char)cp);
        return;
    }
    unsigned char u[4];
    size_t n = utf8_encode(cp, u);
    for (size_t k = 0; k < n; k++) {
        char e[3] = {'%', hex[u[k] >> 4], hex[u[k] & 15]};
        buf_append(b, e, 3);
    }
}

/* The one escaping loop: n bytes of s, cleaned, encoded for mode. Runs of
 * characters that need nothing are copied in one append. */
static void esc(Buf *b, const char *s, size_t n, int mode)
{
    size_t i = 0, run = 0;
    while (i < n) {
        uint32_t cp;
        size_t k = html_next_char(s + i, n - i, &cp);
        const char *rep = NULL;
        int keep = 0;
        if (mode == ESC_URL) {
            keep = 0;
        } else if (cp == HTML_CP_DROP) {
            rep = "";
        } else if (cp == 0xFFFD) {
            rep = "\xEF\xBF\xBD";
        } else {
            switch (cp) {
            case '&': rep = "&amp;"; break;
            case '<': rep = "&lt;"; break;
            case '>': rep = "&gt;"; break;
            case '"': rep = "&quot;"; break;
            case '\'': rep = "&#39;"; break;
            case '\t': if (mode == ESC_ATTR) rep = "&#9;"; else keep = 1; break;
            case '\n': if (mode == ESC_ATTR) rep = "&#10;"; else keep = 1; break;
            default: keep = 1;
            }
        }
        if (keep) {
            i += k;
            continue;
        }
        buf_append(b, s + run, i - run);
        if (mode == ESC_URL) {
            if (cp != HTML_CP_DROP) put_url(b, cp);
        } else {
            buf_puts(b, rep);
        }
        i += k;
        run = i;
    }
    buf_append(b, s + run, i - run);
}

void html_text(Buf *b, const char *s)
{
    if (s) esc(b, s, strlen(s), ESC_TEXT);
}

void html_text_n(Buf *b, const char *s, size_t n)
{
    if (s) esc(b, s, n, ESC_TEXT);
}

void html_attr(Buf *b, const char *s)
{
    if (s) esc(b, s, strlen(s), ESC_ATTR);
}

void html_url_param(Buf *b, const char *s)
{
    if (s) esc(b, s, strlen(s), ESC_URL);
}

/* ---- html_printf ----------------------------------------------------- */

/* Length of the first max characters of s (all of it when max < 0), and
 * their count in *nchars. */
static size_t prefix_chars(const char *s, long max, long *nchars)
{
    size_t n = strlen(s), i = 0;
    long c = 0;
    while (i < n && (max < 0 || c < max)) {
        uint32_t cp;
        i += html_next_char(s + i, n - i, &cp);
        if (cp != HTML_CP_DROP) c++;
    }
    *nchars = c;
    return i;
}

static void pad(Buf *b, long n)
{
    for (; n > 0; n--) buf_putc(b, ' ');
}

/* %s with printf's width and precision, counted in characters. */
static void put_string(Buf *b, const char *s, int left, long width, long prec)
{
    long nchars;
    if (!s) s = "";
    size_t len = prefix_chars(s, prec, &nchars);
    if (!left) pad(b, width - nchars);
    esc(b, s, len, ESC_TEXT);
    if (left) pad(b, width - nchars);
}

static int number_char(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           c == '+' || c == '-' || c == ' ';
}

/* Appends the text of a float conversion with its decimal point as '.'
 * under any locale: the one run of bytes that is not a letter, digit, sign
 * or space (grouping is never asked for). */
static void put_number(Buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        if (number_char((unsigned char)s[i])) {
            buf_putc(b, s[i++]);
            continue;
        }
        buf_putc(b, '.');
        while (i < n && !number_char((unsigned char)s[i])) i++;
    }
}

/* Reads the decimal number at *pp (possibly none: 0), capped at 100000. */
static long read_count(const char **pp)
{
    long v = 0;
    for (; **pp >= '0' && **pp <= '9'; (*pp)++)
        if (v < 100000) v = v * 10 + (**pp - '0');
    return v;
}

_Noreturn static void bad_format(const char *fmt, const char *why)
{
    fprintf(stderr, "itstrat: html_printf(\"%s\"): %s\n", fmt, why);
    abort();
}

/* One conversion of an html_printf format. */
typedef struct Spec {
    char text[48]; /* the conversion for snprintf: "%", flags, width, precision */
    size_t n;      /* its length so far */
    int left;      /* '-': pad on the right */
    long width, prec; /* -1: not given */
    char len[3];   /* length modifier: "", "hh", "h", "l", "ll", "j", "z", "t", "L" */
    char conv;     /* conversion letter */
} Spec;

/* Reads the conversion after a '%' at *pp into sp, taking '*' width and
 * precision from ap; *pp ends after the conversion letter. */
static void parse_spec(const char **pp, Spec *sp, va_list *ap)
{
    const char *p = *pp;
    memset(sp, 0, sizeof *sp);
    sp->width = sp->prec = -1;
    sp->text[sp->n++] = '%';
    for (; *p && strchr("-+ #0'", *p); p++) { /* ' (grouping) is left out */
        if (*p == '-') sp->left = 1;
        if (*p != '\'' && sp->n < 8) sp->text[sp->n++] = *p;
    }
    if (*p == '*') {
        int w = va_arg(*ap, int);
        if (w < 0) { /* printf: a negative '*' width is '-' */
            sp->left = 1;
            sp->text[sp->n++] = '-';
            w = w == INT_MIN ? INT_MAX : -w;
        }
        sp->width = w;
        p++;
    } else if (*p >= '1' && *p <= '9') {
        sp->width = read_count(&p);
    }
    if (*p == '.') {
        p++;
        if (*p == '*') {
            int pr = va_arg(*ap, int);
            sp->prec = pr < 0 ? -1 : pr;
            p++;
        } else {
            sp->prec = read_count(&p);
        }
    }
    if (sp->width > 100000) sp->width = 100000;
    if (sp->prec > 100000) sp->prec = 100000;
    if (sp->width >= 0)
        sp->n += (size_t)snprintf(sp->text + sp->n, sizeof sp->text - sp->n, "%ld", sp->width);
    if (sp->prec >= 0)
        sp->n += (size_t)snprintf(sp->text + sp->n, sizeof sp->text - sp->n, ".%ld", sp->prec);
    if ((p[0] == 'h' && p[1] == 'h') || (p[0] == 'l' && p[1] == 'l')) {
        memcpy(sp->len, p, 2);
        p += 2;
    } else if (*p && strchr("hljztL", *p)) {
        sp->len[0] = *p++;
    }
    sp->conv = *p ? *p++ : 0;
    *pp = p;
}

/* Ends sp->text with the length modifier len and the conversion letter. */
static const char *spec_end(Spec *sp, const char *len)
{
    while (*len) sp->text[sp->n++] = *len++;
    sp->text[sp->n++] = sp->conv;
    sp->text[sp->n] = 0;
    return sp->text;
}

static int is_len(const Spec *sp, const char *len) { return !strcmp(sp->len, len); }

/* Appends one conversion, its argument taken from ap; tmp is scratch. */
static void put_conversion(Buf *b, Buf *tmp, const char *fmt, Spec *sp, va_list *ap)
{
    buf_reset(tmp);
    switch (sp->conv) {
    case 'd':
    case 'i': { /* every signed integer is printed as intmax_t */
        intmax_t v;
        if (is_len(sp, "")) v = va_arg(*ap, int);
        else if (is_len(sp, "hh")) v = (signed char)va_arg(*ap, int);
        else if (is_len(sp, "h")) v = (short)va_arg(*ap, int);
        else if (is_len(sp, "l")) v = va_arg(*ap, long);
        else if (is_len(sp, "ll")) v = va_arg(*ap, long long);
        else if (is_len(sp, "j")) v = va_arg(*ap, intmax_t);
        else if (is_len(sp, "z") || is_len(sp, "t")) v = va_arg(*ap, ptrdiff_t);
        else bad_format(fmt, "bad length for %d");
        sp->conv = 'd';
        buf_printf(tmp, spec_end(sp, "j"), v);
        break;
    }
    case 'u':
    case 'o':
    case 'x':
    case 'X': { /* every unsigned integer is printed as uintmax_t */
        uintmax_t v;
        if (is_len(sp, "")) v = va_arg(*ap, unsigned);
        else if (is_len(sp, "hh")) v = (unsigned char)va_arg(*ap, int);
        else if (is_len(sp, "h")) v = (unsigned short)va_arg(*ap, int);
        else if (is_len(sp, "l")) v = va_arg(*ap, unsigned long);
        else if (is_len(sp, "ll")) v = va_arg(*ap, unsigned long long);
        else if (is_len(sp, "j")) v = va_arg(*ap, uintmax_t);
        else if (is_len(sp, "z")) v = va_arg(*ap, size_t);
        else if (is_len(sp, "t")) v = (size_t)va_arg(*ap, ptrdiff_t);
        else bad_format(fmt, "bad length for an unsigned conversion");
        buf_printf(tmp, spec_end(sp, "j"), v);
        break;
    }
    case 'e': case 'E': case 'f': case 'F':
    case 'g': case 'G': case 'a': case 'A':
        if (is_len(sp, "L")) buf_printf(tmp, spec_end(sp, "L"), va_arg(*ap, long double));
        else if (is_len(sp, "") || is_len(sp, "l")) buf_printf(tmp, spec_end(sp, ""), va_arg(*ap, double));
        else bad_format(fmt, "bad length for a float conversion");
        put_number(b, buf_str(tmp), tmp->n);
        return;
    case 'p':
        buf_printf(tmp, spec_end(sp, ""), va_arg(*ap, void *));
        break;
    case 'c': {
        if (sp->len[0]) bad_format(fmt, "%lc is not supported");
        char c[2] = {(char)va_arg(*ap, int), 0};
        put_string(b, c, sp->left, sp->width, sp->prec);
        return;
    }
    case 's':
        if (sp->len[0]) bad_format(fmt, "%ls is not supported");
        put_string(b, va_arg(*ap, const char *), sp->left, sp->width, sp->prec);
        return;
    case 'n': bad_format(fmt, "%n is not supported");
    default: bad_format(fmt, "unknown conversion");
    }
    esc(b, buf_str(tmp), tmp->n, ESC_TEXT);
}

void html_printf_(Buf *b, const char *fmt, ...)
{
    va_list ap;
    Buf tmp = BUF_INIT;
    va_start(ap, fmt);
    for (const char *p = fmt; *p;) {
        const char *pct = strchr(p, '%');
        if (!pct) {
            buf_puts(b, p); /* the literal format is markup */
            break;
        }
        buf_append(b, p, (size_t)(pct - p));
        p = pct + 1;
        if (*p == '%') {
            buf_putc(b, '%');
            p++;
            continue;
        }
        Spec sp;
        parse_spec(&p, &sp, &ap);
        put_conversion(b, &tmp, fmt, &sp, &ap);
    }
    va_end(ap);
    buf_free(&tmp);
}
