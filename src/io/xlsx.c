/* xlsx.c — cells that fit and the notes of what did not (xlsx.h). */
#include "xlsx.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void xlsx_sheet_init(XlsxSheet *x, lxw_worksheet *ws, const char *name)
{
    memset(x, 0, sizeof *x);
    x->ws = ws;
    x->name = name;
}

void xlsx_sheet_free(XlsxSheet *x)
{
    buf_free(&x->cell);
    buf_free(&x->truncated);
}

int xlsx_row_fits(XlsxSheet *x, lxw_row_t row)
{
    if (row < XLSX_ROWS) return 1;
    x->nrows_left_out++;
    return 0;
}

/* n with ',' between thousands into out (at least 32 bytes). */
static const char *grouped(char *out, size_t n)
{
    char digits[24];
    int nd = snprintf(digits, sizeof digits, "%zu", n);
    size_t o = 0;
    for (int k = 0; k < nd; k++) {
        if (k && (nd - k) % 3 == 0) out[o++] = ',';
        out[o++] = digits[k];
    }
    out[o] = 0;
    return out;
}

/* The length of the well-formed UTF-8 sequence at p (1 to 4) with its code
 * point in *cp, or 0 when p does not start one (a stray continuation byte,
 * an overlong form, a surrogate, beyond U+10FFFF, cut short by the NUL). */
static int utf8_seq(const unsigned char *p, uint32_t *cp)
{
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    int n;
    uint32_t c, min;
    if ((p[0] & 0xE0) == 0xC0) n = 2, c = p[0] & 0x1F, min = 0x80;
    else if ((p[0] & 0xF0) == 0xE0) n = 3, c = p[0] & 0x0F, min = 0x800;
    else if ((p[0] & 0xF8) == 0xF0) n = 4, c = p[0] & 0x07, min = 0x10000;
    else return 0;
    for (int k = 1; k < n; k++) {
        if ((p[k] & 0xC0) != 0x80) return 0; /* also stops at the NUL */
        c = c << 6 | (p[k] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
    *cp = c;
    return n;
}

int xlsx_fit(Buf *out, const char *s, size_t max, size_t *nchars)
{
    size_t start = out->n, chars = 0, units = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        uint32_t cp;
        int n = utf8_seq(p, &cp);
        if (n == 0) { /* not UTF-8: the replacement character */
            buf_puts(out, "\xEF\xBF\xBD");
            p++;
            chars++, units++;
            continue;
        }
        if ((cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0xFFFE || cp == 0xFFFF) {
            p += n; /* XML cannot hold it */
            continue;
        }
        buf_append(out, p, (size_t)n);
        p += n;
        chars++;
        units += cp > 0xFFFF ? 2 : 1;
    }
    *nchars = chars;
    if (units <= max) return 0;
    char g[32], marker[128];
    snprintf(marker, sizeof marker, XLSX_CUT_START "%s" XLSX_CUT_END, grouped(g, chars));
    size_t room = max - (strlen(marker) - 2); /* "…" is 3 bytes, one code unit */
    /* Keep whole characters up to room code units: the text is UTF-8 now. */
    size_t at = start, used = 0;
    while (at < out->n) {
        uint32_t cp;
        int n = utf8_seq((const unsigned char *)out->a + at, &cp);
        size_t u = cp > 0xFFFF ? 2 : 1;
        if (used + u > room) break;
        used += u;
        at += (size_t)n;
    }
    buf_truncate(out, at);
    buf_puts(out, marker);
    return 1;
}

void xlsx_text(XlsxSheet *x, lxw_row_t row, lxw_col_t col, const char *s, lxw_format *fmt,
               const char *row_label, const char *column)
{
    if (!s || !*s) return;
    buf_reset(&x->cell);
    size_t nchars;
    if (xlsx_fit(&x->cell, s, XLSX_CELL_MAX, &nchars)) {
        char ref[32];
        lxw_rowcol_to_cell(ref, row, col);
        buf_printf(&x->truncated, "%s\t%s\t%s\t%zu\n", ref, row_label ? row_label : "",
                   column ? column : "", nchars);
        x->ntruncated++;
    }
    if (x->cell.n == 0) return; /* nothing XML can hold */
    if (worksheet_write_string(x->ws, row, col, buf_str(&x->cell), fmt) != LXW_NO_ERROR)
        x->failed = 1;
}

int xlsx_notes(lxw_workbook *wb, const XlsxSheet *x, lxw_format *bold)
{
    if (!x->ntruncated && !x->nrows_left_out) return 0;
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Notes");
    if (!ws) return -1;
    XlsxSheet n;
    xlsx_sheet_init(&n, ws, "Notes");
    Buf t = BUF_INIT;
    char g[32];
    lxw_row_t row = 0;
    worksheet_set_column(ws, 0, 0, 12, NULL);
    worksheet_set_column(ws, 1, 2, 16, NULL);
    worksheet_set_column(ws, 3, 3, 14, NULL);
    if (x->nrows_left_out) {
        buf_printf(&t, "%s rows did not fit into the sheet %s (a sheet holds %s rows) and are "
                       "not in this workbook; the CSV download has every row.",
                   grouped(g, x->nrows_left_out), x->name, "1,048,576");
        xlsx_text(&n, row++, 0, buf_str(&t), NULL, NULL, NULL);
        row++;
    }
    if (x->ntruncated) {
        buf_reset(&t);
        buf_printf(&t, "%s cells of the sheet %s hold a longer text than Excel allows (32,767 "
                       "characters): they are cut and end with \"… [truncated: N characters; "
                       "the full text is in the CSV/JSON]\". The CSV download and the JSON "
                       "export have every text in full.",
                   grouped(g, x->ntruncated), x->name);
        xlsx_text(&n, row++, 0, buf_str(&t), NULL, NULL, NULL);
        row++;
        static const char *const head[] = {"cell", "row", "column", "characters"};
        for (lxw_col_t k = 0; k < 4; k++)
            if (worksheet_write_string(ws, row, k, head[k], bold) != LXW_NO_ERROR) n.failed = 1;
        /* One row per truncated cell: CELL \t ROW \t COLUMN \t N. */
        for (const char *p = buf_str(&x->truncated); *p && xlsx_row_fits(&n, ++row);) {
            const char *f[4];
            size_t len[4];
            for (int k = 0; k < 4; k++) {
                f[k] = p;
                len[k] = strcspn(p, k < 3 ? "\t" : "\n");
                p += len[k] + (p[len[k]] != 0);
            }
            for (lxw_col_t k = 0; k < 3; k++) {
                buf_reset(&t);
                buf_append(&t, f[k], len[k]);
                xlsx_text(&n, row, k, buf_str(&t), NULL, NULL, NULL);
            }
            if (worksheet_write_number(ws, row, 3, (double)strtoull(f[3], NULL, 10), NULL) !=
                LXW_NO_ERROR)
                n.failed = 1;
        }
    }
    buf_free(&t);
    int failed = n.failed;
    xlsx_sheet_free(&n);
    return failed ? -1 : 0;
}
