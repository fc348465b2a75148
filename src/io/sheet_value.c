/*
 * sheet_value.c — dates and numbers as spreadsheets write them. See
 * sheet_value.h.
 */
#include "sheet_value.h"

#include <stdio.h>
#include <string.h>

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* YYYY-MM-DD of y (0-9999), m and d (0-99) into out (11 bytes). */
static void iso(char out[11], int y, int m, int d)
{
    char t[32];
    snprintf(t, sizeof t, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
    memcpy(out, t, 10);
    out[10] = 0;
}

int sheet_order_parse(const char *s)
{
    if (strcmp(s, "dmy") == 0 || strcmp(s, "d/m/y") == 0) return SHEET_ORDER_DMY;
    if (strcmp(s, "mdy") == 0 || strcmp(s, "m/d/y") == 0) return SHEET_ORDER_MDY;
    return -1;
}

const char *sheet_order_name(int order)
{
    return order == SHEET_ORDER_DMY ? "day/month/year"
           : order == SHEET_ORDER_MDY ? "month/day/year" : "unknown";
}

/* Reads 1 to max digits at *p into *v; returns the count (0: none). */
static int digits(const char **p, int max, int *v)
{
    int n = 0;
    *v = 0;
    while (n < max && is_digit(**p)) *v = *v * 10 + (*(*p)++ - '0'), n++;
    return n;
}

int sheet_date(SheetDates *d, const char *s, long line, char out[11], Buf *why)
{
    const char *p = s;
    int a, b, y;
    buf_reset(why);
    /* ISO, possibly with a midnight time as some spreadsheets add, or with '/' */
    if (digits(&p, 4, &y) == 4 && (*p == '-' || *p == '/') && is_digit(p[1])) {
        char sep = *p++;
        if (digits(&p, 2, &a) == 0 || *p++ != sep || digits(&p, 2, &b) == 0) return 1;
        if (*p && strcmp(p, " 00:00:00") != 0 && strcmp(p, "T00:00:00") != 0 &&
            strcmp(p, " 00:00") != 0)
            return 1;
        if (sep == '-' && !*p && strlen(s) == 10) return 1; /* already ISO */
        iso(out, y, a, b);
        return 0;
    }
    p = s;
    if (digits(&p, 2, &a) == 0) return 1;
    char sep = *p;
    if (sep != '/' && sep != '.' && sep != '-') return 1;
    p++;
    if (digits(&p, 2, &b) == 0 || *p != sep) return 1;
    p++;
    int ny = digits(&p, 4, &y);
    if (*p && strcmp(p, " 00:00:00") != 0 && strcmp(p, " 00:00") != 0) return 1;
    if (ny == 2) {
        buf_printf(why, "\"%s\": write the year with four digits (a two-digit year could be "
                   "19%02d or 20%02d)", s, y, y);
        return -1;
    }
    if (ny != 4) return 1;
    int shown = a > 12 ? SHEET_ORDER_DMY : b > 12 ? SHEET_ORDER_MDY : SHEET_ORDER_UNKNOWN;
    if (a > 12 && b > 12) {
        buf_printf(why, "\"%s\" is not a date: neither %d nor %d is a month", s, a, b);
        return -1;
    }
    int order = d->order;
    if (shown != SHEET_ORDER_UNKNOWN) {
        if (d->stated && shown != order) {
            buf_printf(why, "\"%s\" is not a date in the stated order %s (there is no month "
                       "%d); state the order the file uses", s, sheet_order_name(order),
                       order == SHEET_ORDER_DMY ? b : a);
            return -1;
        }
        if (!d->stated && order != SHEET_ORDER_UNKNOWN && shown != order) {
            buf_printf(why, "\"%s\" is %s but line %ld has \"%s\", which is %s; write the dates "
                       "of one file in one order (or as YYYY-MM-DD)", s, sheet_order_name(shown),
                       d->line, d->example, sheet_order_name(order));
            return -1;
        }
        if (!d->stated && order == SHEET_ORDER_UNKNOWN) {
            d->order = order = shown;
            d->line = line;
            snprintf(d->example, sizeof d->example, "%s", s);
        }
    } else if (a != b && !d->stated) {
        buf_printf(why, "\"%s\" is ambiguous: day %d of month %d, or day %d of month %d? "
                   "State the day order (--day-order dmy or mdy) or write YYYY-MM-DD", s, a, b,
                   b, a);
        return -1;
    }
    int day = order == SHEET_ORDER_MDY ? b : a, month = order == SHEET_ORDER_MDY ? a : b;
    if (a == b) day = month = a;
    d->nslashed++;
    iso(out, y, month, day);
    return 0;
}

/* Length of a thousands space at p (' ', U+00A0, U+202F), else 0. */
static size_t space_len(const char *p)
{
    if (*p == ' ') return 1;
    if ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0) return 2;
    if ((unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80 &&
        (unsigned char)p[2] == 0xAF)
        return 3;
    return 0;
}

int sheet_number(const char *s, Buf *out, Buf *why)
{
    buf_reset(out);
    buf_reset(why);
    const char *p = s;
    int neg = *p == '-';
    p += neg;
    /* split into groups of digits and the separators between them */
    enum { MAXG = 64 };
    const char *gs[MAXG];
    size_t gl[MAXG];
    char sep[MAXG]; /* after group i: ',', '.', ' ' (any space) or 0 */
    int ng = 0, ncomma = 0, ndot = 0, nspace = 0;
    while (*p) {
        if (ng == MAXG) return 1;
        gs[ng] = p;
        while (is_digit(*p)) p++;
        gl[ng] = (size_t)(p - gs[ng]);
        if (gl[ng] == 0) return 1;
        size_t sl = space_len(p);
        sep[ng] = sl ? ' ' : (*p == ',' || *p == '.') ? *p : 0;
        ng++;
        if (!*p) break;
        if (!sep[ng - 1]) return 1; /* something else: not a number of this kind */
        ncomma += *p == ',', ndot += *p == '.', nspace += sl > 0;
        p += sl ? sl : 1;
        if (!*p) return 1;
    }
    if (ng < 2 || (ncomma == 0 && nspace == 0 && ndot <= 1)) return 1; /* plain: the caller reads it */
    sep[ng - 1] = 0;
    /* which separator is the decimal one (if any) */
    char dec = 0;
    if (ncomma && ndot) {
        dec = sep[ng - 2];
        if (dec == ' ' || (dec == ',' ? ncomma : ndot) != 1) {
            buf_printf(why, "\"%s\" mixes ',' and '.' so that neither can be the decimal "
                       "separator; write digits with '.' for decimals and no thousands "
                       "separators", s);
            return -1;
        }
    } else if (ncomma == 1 || ndot == 1) {
        char c = ncomma ? ',' : '.';
        if (nspace || ng > 2 || gl[0] > 3 || gl[1] != 3 || c == '.') {
            dec = c;
        } else {
            buf_printf(why, "\"%s\" is ambiguous: %.*s%.*s with ',' as thousands separator, "
                       "or %.*s.%.*s with a decimal comma? Write %.*s%.*s or %.*s.%.*s", s,
                       (int)gl[0], gs[0], 3, gs[1], (int)gl[0], gs[0], 3, gs[1], (int)gl[0],
                       gs[0], 3, gs[1], (int)gl[0], gs[0], 3, gs[1]);
            return -1;
        }
    }
    char thou = 0;
    for (int i = 0; i < ng - 1; i++) {
        if (sep[i] == dec && i == ng - 2) continue;
        if (thou && sep[i] != thou) {
            buf_printf(why, "\"%s\" uses two different thousands separators; write digits "
                       "with '.' for decimals and no thousands separators", s);
            return -1;
        }
        thou = sep[i];
    }
    int nint = dec ? ng - 1 : ng; /* groups before the decimal separator */
    for (int i = 0; nint > 1 && i < nint; i++)
        if ((i == 0 && gl[i] > 3) || (i > 0 && gl[i] != 3)) {
            buf_printf(why, "\"%s\" has a thousands separator in the wrong place (groups of "
                       "three digits); write digits with '.' for decimals and no thousands "
                       "separators", s);
            return -1;
        }
    if (neg) buf_putc(out, '-');
    for (int i = 0; i < nint; i++) buf_append(out, gs[i], gl[i]);
    if (dec) {
        buf_putc(out, '.');
        buf_append(out, gs[ng - 1], gl[ng - 1]);
    }
    return 0;
}
