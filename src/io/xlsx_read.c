/*
 * xlsx_read.c — one sheet of an .xlsx workbook as a table of text cells.
 * See xlsx_read.h.
 *
 * Parts read, in this order: xl/workbook.xml (the sheets, the date system),
 * xl/_rels/workbook.xml.rels (where the chosen sheet lives), xl/styles.xml
 * (which cell styles are dates), xl/sharedStrings.xml, then the sheet. Each
 * part is inflated in 64 KiB pieces straight into an expat parser; nothing
 * is inflated beyond XLSX_MAX_PART bytes of one part.
 */
#include "xlsx_read.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <expat.h>
#include <unzip.h>

#include "mem.h"
#include "xlsx.h"

/* ---- zip from memory ------------------------------------------------------ */

typedef struct MemZip { const char *data; size_t len, pos; } MemZip;

static voidpf ZCALLBACK mz_open(voidpf opaque, const void *name, int mode)
{
    (void)name, (void)mode;
    ((MemZip *)opaque)->pos = 0;
    return opaque;
}

static uLong ZCALLBACK mz_read(voidpf opaque, voidpf stream, void *buf, uLong size)
{
    (void)stream;
    MemZip *m = opaque;
    size_t n = m->len - m->pos < size ? m->len - m->pos : size;
    memcpy(buf, m->data + m->pos, n);
    m->pos += n;
    return (uLong)n;
}

static uLong ZCALLBACK mz_write(voidpf opaque, voidpf stream, const void *buf, uLong size)
{
    (void)opaque, (void)stream, (void)buf, (void)size;
    return 0;
}

static ZPOS64_T ZCALLBACK mz_tell(voidpf opaque, voidpf stream)
{
    (void)stream;
    return ((MemZip *)opaque)->pos;
}

static long ZCALLBACK mz_seek(voidpf opaque, voidpf stream, ZPOS64_T off, int origin)
{
    (void)stream;
    MemZip *m = opaque;
    ZPOS64_T base = origin == ZLIB_FILEFUNC_SEEK_SET ? 0
                    : origin == ZLIB_FILEFUNC_SEEK_CUR ? m->pos : m->len;
    if (off > m->len - base) return -1;
    m->pos = (size_t)(base + off);
    return 0;
}

static int ZCALLBACK mz_close(voidpf opaque, voidpf stream)
{
    (void)opaque, (void)stream;
    return 0;
}

static int ZCALLBACK mz_error(voidpf opaque, voidpf stream)
{
    (void)opaque, (void)stream;
    return 0;
}

/* ---- the reader's state ------------------------------------------------------ */

enum { P_WORKBOOK, P_RELS, P_STYLES, P_STRINGS, P_SHEET };

typedef struct Sheet1 { char *name, *rid; } Sheet1;

typedef struct Xr {
    unzFile zip;
    XML_Parser xp;
    int part;               /* P_* being parsed */
    const char *part_name;  /* for messages */
    Buf *err;
    int failed;
    SheetTable *t;
    /* workbook */
    Sheet1 *sheets;
    int nsheets;
    int date1904;
    char *target;           /* the chosen sheet's part */
    const char *want_rid;
    /* styles */
    int in_numfmts, in_cellxfs;
    int *fmt_id;            /* custom number formats: id */
    unsigned char *fmt_date; /* ... and whether it is a date format */
    int nfmt, capfmt;
    unsigned char *xf_date; /* cell style -> is a date */
    int nxf, capxf;
    /* shared strings */
    Buf sst;                /* the strings, NUL after each */
    size_t *sst_off;
    size_t nsst, capsst;
    int in_si, in_rph;
    /* text being collected (<t>, <v>) */
    Buf text;
    int collect;
    /* sheet */
    int in_sheetdata;
    long row;               /* current row number, 0 outside a row */
    int col;                /* last column of the current row */
    long row_first;         /* cells of the current row start at this index */
    int row_has;            /* the row holds a value */
    int cell_col;           /* the cell being read */
    char cell_t[16];        /* its t attribute */
    int cell_date;          /* its style is a date */
    int cell_f, cell_v, cell_is;
    Buf cell_inline;
    long header_row;        /* the first row holding a value */
    long merge_row;         /* the first merged range touching the header row */
    char merge_ref[48];
    size_t held;            /* bytes of shared strings and cells held, with their offsets */
} Xr;

static void xr_fail(Xr *x, const char *fmt, ...) BUF_FORMAT(2, 3);
static void xr_fail(Xr *x, const char *fmt, ...)
{
    if (x->failed) return;
    x->failed = 1;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(x->err, fmt, ap);
    va_end(ap);
    if (x->xp) XML_StopParser(x->xp, XML_FALSE);
}

/* The local part of an element name ("x:row" -> "row"). */
static const char *local(const char *name)
{
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

static const char *attr(const char **a, const char *name)
{
    for (; a && a[0]; a += 2)
        if (strcmp(local(a[0]), name) == 0) return a[1];
    return NULL;
}

void xlsx_col_name(int c, char s[8])
{
    char tmp[8];
    int n = 0;
    while (c > 0 && n < 7) {
        c--;
        tmp[n++] = (char)('A' + c % 26);
        c /= 26;
    }
    for (int i = 0; i < n; i++) s[i] = tmp[n - 1 - i];
    s[n] = 0;
}

/* Reads a cell reference "AB12": column and row, 0 on success. */
static int cell_ref(const char *s, int *col, long *row)
{
    long c = 0, r = 0;
    int nl = 0;
    while (*s >= 'A' && *s <= 'Z' && nl < 4) c = c * 26 + (*s++ - 'A' + 1), nl++;
    if (nl == 0) return -1;
    int nd = 0;
    while (*s >= '0' && *s <= '9' && nd < 8) r = r * 10 + (*s++ - '0'), nd++;
    if (*s || nd == 0) return -1;
    *col = (int)(c > 1000000 ? 1000000 : c);
    *row = r;
    return 0;
}

/* 1 when a built-in number format id is a date or time format. */
static int builtin_date(int id)
{
    return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
           (id >= 50 && id <= 58);
}

/* 1 when a format code shows a date: d, m with y, or y outside quotes and
 * brackets ("[Red]", "[$-409]"). */
static int code_is_date(const char *s)
{
    int q = 0, br = 0;
    for (; *s; s++) {
        if (*s == '\\' && s[1]) {
            s++;
            continue;
        }
        if (*s == '"') q = !q;
        else if (q) continue;
        else if (*s == '[') br = 1;
        else if (*s == ']') br = 0;
        else if (!br && strchr("dDyY", *s)) return 1;
    }
    return 0;
}

/* YYYY-MM-DD of day serial n of the workbook's date system. */
static int serial_date(const Xr *x, double v, char out[11])
{
    if (!(v >= 0 && v < 2958466)) return -1; /* up to 9999-12-31 */
    long n = (long)floor(v);
    /* days from 1970-01-01 */
    long days;
    if (x->date1904) days = n - 24107;
    else {
        if (n == 0 || n == 60) return -1; /* 1900-01-00 and Lotus's 1900-02-29 */
        days = n < 60 ? n - 25568 : n - 25569;
    }
    /* civil from days (Howard Hinnant) */
    long z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%04ld-%02ld-%02ld", y % 10000, m % 100, d % 100);
    memcpy(out, tmp, 10);
    out[10] = 0;
    return 0;
}

/* Number of UTF-8 characters in s[0..n). */
static size_t utf8_chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++) c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* ---- cells ------------------------------------------------------------------ */

/* 1 when b ends with the marker xlsx_fit() puts at the end of a text it cut. */
static int cut_by_export(const Buf *b)
{
    size_t ne = strlen(XLSX_CUT_END), ns = strlen(XLSX_CUT_START);
    if (b->n < ns + ne || memcmp(b->a + b->n - ne, XLSX_CUT_END, ne) != 0) return 0;
    size_t i = b->n - ne; /* the count, "100,000", comes before the end */
    while (i > 0 && (isdigit((unsigned char)b->a[i - 1]) || b->a[i - 1] == ',')) i--;
    return i >= ns && i < b->n - ne && memcmp(b->a + i - ns, XLSX_CUT_START, ns) == 0;
}

static void where(const Xr *x, Buf *b)
{
    char cn[8];
    xlsx_col_name(x->cell_col, cn);
    buf_printf(b, "sheet \"%s\", row %ld, column %s (cell %s%ld)", x->t->sheet, x->row, cn, cn,
               x->row);
}

static void cell_fail(Xr *x, const char *what, const char *fix)
{
    Buf w = BUF_INIT;
    where(x, &w);
    xr_fail(x, "%s: %s; %s", buf_str(&w), what, fix);
    buf_free(&w);
}

/* Counts n more bytes held for a string (its NUL and offset added): 0, or
 * -1 past XLSX_MAX_HELD. Repeats of a shared string and the empty cells
 * before a cell far to the right cost memory that the XML does not (a few
 * bytes of a zip can ask for gigabytes), so they are counted here. */
static int hold(Xr *x, size_t n)
{
    x->held += n + 1 + sizeof(size_t);
    return x->held > XLSX_MAX_HELD ? -1 : 0;
}

/* Appends a cell of the current row, unless that goes past XLSX_MAX_HELD. */
static int push_cell(Xr *x, const char *s, size_t n)
{
    SheetTable *t = x->t;
    if (hold(x, n)) {
        Buf w = BUF_INIT;
        buf_printf(&w, "the cells read up to here take more than %zu MiB (one text repeated in "
                   "many cells, or cells far to the right of the others?)", XLSX_MAX_HELD >> 20);
        cell_fail(x, buf_str(&w), "split the sheet into smaller ones, or remove what is beyond "
                  "the table");
        buf_free(&w);
        return -1;
    }
    if (t->ncell == t->capcell) {
        t->capcell = t->capcell ? t->capcell * 2 : 1024;
        t->cell = xrealloc(t->cell, t->capcell * sizeof *t->cell);
    }
    t->cell[t->ncell++] = t->text.n;
    buf_append(&t->text, s, n);
    buf_putc(&t->text, 0);
    return 0;
}

/* Ends the cell being read: its text becomes the row's cell cell_col. */
static void end_cell(Xr *x)
{
    SheetTable *t = x->t;
    const char *v = buf_str(&x->text);
    Buf val = BUF_INIT;
    char tmp[40];
    if (x->cell_f && !x->cell_v && !x->cell_is) {
        cell_fail(x, "holds a formula whose result was not saved with the file",
                  "open the file in a spreadsheet and save it again, or replace the formula "
                  "by its value (copy, paste values)");
        goto out;
    }
    if (!x->cell_v && !x->cell_is) goto out; /* a formatted empty cell */
    if (x->cell_f) t->nformulas++;
    if (strcmp(x->cell_t, "s") == 0) {
        char *end;
        unsigned long k = strtoul(v, &end, 10);
        if (end == v || *end || k >= x->nsst) {
            cell_fail(x, "refers to a shared string that the file does not have",
                      "the file is damaged; save it again from the spreadsheet");
            goto out;
        }
        buf_puts(&val, x->sst.a + x->sst_off[k]);
    } else if (strcmp(x->cell_t, "inlineStr") == 0) {
        buf_append(&val, x->cell_inline.a ? x->cell_inline.a : "", x->cell_inline.n);
    } else if (strcmp(x->cell_t, "str") == 0) {
        buf_puts(&val, v);
    } else if (strcmp(x->cell_t, "b") == 0) {
        buf_puts(&val, strcmp(v, "1") == 0 ? "TRUE" : "FALSE");
    } else if (strcmp(x->cell_t, "e") == 0) {
        Buf w = BUF_INIT;
        buf_printf(&w, "holds the error value %s", v);
        cell_fail(x, buf_str(&w), "correct the cell (or its formula) in the spreadsheet");
        buf_free(&w);
        goto out;
    } else if (strcmp(x->cell_t, "d") == 0) {
        buf_append(&val, v, strlen(v) < 10 ? strlen(v) : 10);
    } else { /* a number */
        char *end;
        double d = strtod(v, &end);
        if (end == v || *end || !isfinite(d)) {
            cell_fail(x, "holds a number that is not a number", "the file is damaged; save it "
                      "again from the spreadsheet");
            goto out;
        }
        if (x->cell_date) {
            if (serial_date(x, d, tmp)) {
                cell_fail(x, "is formatted as a date but holds no date",
                          "enter a date between 1900-01-01 and 9999-12-31");
                goto out;
            }
            t->ndates++;
        } else {
            snprintf(tmp, sizeof tmp, "%.15g", d);
        }
        buf_puts(&val, tmp);
    }
    if (cut_by_export(&val)) {
        cell_fail(x, "holds a text that itstrat cut to Excel's limit of 32,767 characters when "
                  "it wrote the workbook (it ends with \"[truncated: N characters ...]\"): read, "
                  "it would cut the whole text", "remove this column from the sheet (the texts "
                  "then stay as they are), or import the CSV export, which holds every text");
        goto out;
    }
    if (utf8_chars(val.a ? val.a : "", val.n) > XLSX_MAX_CELL) {
        cell_fail(x, "is longer than 32,767 characters, the most a cell can hold",
                  "shorten the text");
        goto out;
    }
    if (val.n) {
        if (x->cell_col <= x->col) {
            cell_fail(x, "comes after a cell further right in the same row",
                      "the file is damaged; save it again from the spreadsheet");
            goto out;
        }
        for (; x->col + 1 < x->cell_col; x->col++)
            if (push_cell(x, "", 0)) goto out;
        if (push_cell(x, val.a, val.n)) goto out;
        x->col = x->cell_col;
        x->row_has = 1;
    }
out:
    buf_free(&val);
}

/* ---- expat handlers --------------------------------------------------------- */

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **a)
{
    Xr *x = ud;
    const char *n = local(name);
    if (x->failed) return;
    switch (x->part) {
    case P_WORKBOOK:
        if (strcmp(n, "workbookPr") == 0) {
            const char *d = attr(a, "date1904");
            x->date1904 = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
        } else if (strcmp(n, "sheet") == 0 && x->nsheets < 4096) {
            const char *sn = attr(a, "name"), *rid = attr(a, "id");
            x->sheets = xrealloc(x->sheets, (size_t)(x->nsheets + 1) * sizeof *x->sheets);
            x->sheets[x->nsheets].name = xstrdup(sn ? sn : "");
            x->sheets[x->nsheets].rid = xstrdup(rid ? rid : "");
            x->nsheets++;
        }
        break;
    case P_RELS:
        if (strcmp(n, "Relationship") == 0) {
            const char *id = attr(a, "Id"), *target = attr(a, "Target");
            if (id && target && x->want_rid && strcmp(id, x->want_rid) == 0 && !x->target) {
                Buf b = BUF_INIT;
                if (target[0] == '/') buf_puts(&b, target + 1);
                else buf_printf(&b, "xl/%s", target);
                x->target = xstrdup(buf_str(&b));
                buf_free(&b);
            }
        }
        break;
    case P_STYLES:
        if (strcmp(n, "numFmts") == 0) x->in_numfmts = 1;
        else if (strcmp(n, "cellXfs") == 0) x->in_cellxfs = 1;
        else if (x->in_numfmts && strcmp(n, "numFmt") == 0) {
            const char *id = attr(a, "numFmtId"), *code = attr(a, "formatCode");
            if (x->nfmt == x->capfmt) {
                x->capfmt = x->capfmt ? x->capfmt * 2 : 16;
                x->fmt_id = xrealloc(x->fmt_id, (size_t)x->capfmt * sizeof *x->fmt_id);
                x->fmt_date = xrealloc(x->fmt_date, (size_t)x->capfmt);
            }
            x->fmt_id[x->nfmt] = id ? atoi(id) : -1;
            x->fmt_date[x->nfmt++] = code && code_is_date(code);
        } else if (x->in_cellxfs && strcmp(n, "xf") == 0) {
            const char *id = attr(a, "numFmtId");
            int f = id ? atoi(id) : 0, date = builtin_date(f);
            for (int i = 0; i < x->nfmt; i++)
                if (x->fmt_id[i] == f) date = x->fmt_date[i];
            if (x->nxf == x->capxf) {
                x->capxf = x->capxf ? x->capxf * 2 : 16;
                x->xf_date = xrealloc(x->xf_date, (size_t)x->capxf);
            }
            x->xf_date[x->nxf++] = (unsigned char)date;
        }
        break;
    case P_STRINGS:
        if (strcmp(n, "si") == 0) {
            x->in_si = 1;
            buf_reset(&x->text);
        } else if (strcmp(n, "rPh") == 0) {
            x->in_rph = 1;
        } else if (strcmp(n, "t") == 0 && x->in_si && !x->in_rph) {
            x->collect = 1;
        }
        break;
    case P_SHEET:
        if (strcmp(n, "sheetData") == 0) {
            x->in_sheetdata = 1;
        } else if (x->in_sheetdata && strcmp(n, "row") == 0) {
            const char *r = attr(a, "r");
            long row = r ? atol(r) : x->row + 1;
            if (row <= x->row || row < 1) {
                xr_fail(x, "sheet \"%s\": row %ld comes after row %ld; the file is damaged, "
                        "save it again from the spreadsheet", x->t->sheet, row, x->row);
                return;
            }
            if (row > XLSX_MAX_ROWS) {
                xr_fail(x, "sheet \"%s\", row %ld: a sheet has at most 1,048,576 rows; split "
                        "the file", x->t->sheet, row);
                return;
            }
            x->row = row;
            x->col = 0;
            x->row_has = 0;
            x->row_first = (long)x->t->ncell;
        } else if (x->row && strcmp(n, "c") == 0) {
            const char *r = attr(a, "r"), *t = attr(a, "t"), *s = attr(a, "s");
            int col = x->col + 1;
            long row = x->row;
            if (r && (cell_ref(r, &col, &row) || row != x->row)) {
                xr_fail(x, "sheet \"%s\", row %ld: cell reference \"%s\" is not in this row; "
                        "the file is damaged, save it again from the spreadsheet",
                        x->t->sheet, x->row, r);
                return;
            }
            x->cell_col = col;
            if (col > XLSX_MAX_COLS) {
                xr_fail(x, "sheet \"%s\", row %ld: column %d is beyond XFD; a sheet has at most "
                        "16,384 columns, and this kind has far fewer: remove the extra columns",
                        x->t->sheet, x->row, col);
                return;
            }
            snprintf(x->cell_t, sizeof x->cell_t, "%s", t ? t : "n");
            long xf = s ? atol(s) : 0;
            x->cell_date = xf >= 0 && xf < x->nxf && x->xf_date[xf];
            x->cell_f = x->cell_v = x->cell_is = 0;
            buf_reset(&x->text);
            buf_reset(&x->cell_inline);
        } else if (x->cell_col && strcmp(n, "f") == 0) {
            x->cell_f = 1;
        } else if (x->cell_col && strcmp(n, "v") == 0) {
            x->cell_v = 1;
            buf_reset(&x->text);
            x->collect = 1;
        } else if (x->cell_col && strcmp(n, "is") == 0) {
            x->cell_is = 1;
        } else if (x->cell_is && strcmp(n, "rPh") == 0) {
            x->in_rph = 1;
        } else if (x->cell_is && strcmp(n, "t") == 0 && !x->in_rph) {
            buf_reset(&x->text);
            x->collect = 1;
        } else if (strcmp(n, "mergeCell") == 0) {
            const char *ref = attr(a, "ref");
            int c1, c2;
            long r1, r2;
            char a1[24], a2[24];
            if (ref && strlen(ref) < sizeof a1 && sscanf(ref, "%23[A-Z0-9]:%23[A-Z0-9]", a1, a2) == 2 &&
                cell_ref(a1, &c1, &r1) == 0 && cell_ref(a2, &c2, &r2) == 0 &&
                x->header_row && r1 <= x->header_row && r2 >= x->header_row && !x->merge_row) {
                x->merge_row = x->header_row;
                snprintf(x->merge_ref, sizeof x->merge_ref, "%s", ref);
            }
        }
        break;
    }
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    Xr *x = ud;
    const char *n = local(name);
    if (x->failed) return;
    if (x->part == P_STRINGS) {
        if (strcmp(n, "t") == 0) x->collect = 0;
        else if (strcmp(n, "rPh") == 0) x->in_rph = 0;
        else if (strcmp(n, "si") == 0) {
            if (hold(x, x->text.n)) {
                xr_fail(x, "%s: the shared strings take more than %zu MiB; split the workbook",
                        x->part_name, XLSX_MAX_HELD >> 20);
                return;
            }
            if (x->nsst == x->capsst) {
                x->capsst = x->capsst ? x->capsst * 2 : 256;
                x->sst_off = xrealloc(x->sst_off, x->capsst * sizeof *x->sst_off);
            }
            x->sst_off[x->nsst++] = x->sst.n;
            buf_append(&x->sst, x->text.a ? x->text.a : "", x->text.n);
            buf_putc(&x->sst, 0);
            buf_reset(&x->text);
            x->in_si = 0;
        }
    } else if (x->part == P_STYLES) {
        if (strcmp(n, "numFmts") == 0) x->in_numfmts = 0;
        else if (strcmp(n, "cellXfs") == 0) x->in_cellxfs = 0;
    } else if (x->part == P_SHEET) {
        if (strcmp(n, "v") == 0) x->collect = 0;
        else if (strcmp(n, "rPh") == 0) x->in_rph = 0;
        else if (x->cell_is && strcmp(n, "t") == 0 && x->collect) {
            x->collect = 0;
            buf_append(&x->cell_inline, x->text.a ? x->text.a : "", x->text.n);
            buf_reset(&x->text);
        } else if (strcmp(n, "c") == 0 && x->cell_col) {
            end_cell(x);
            x->cell_col = 0;
            x->cell_is = 0;
        } else if (strcmp(n, "row") == 0 && x->row) {
            SheetTable *t = x->t;
            if (x->row_has) {
                if (t->nrow == t->caprow) {
                    t->caprow = t->caprow ? t->caprow * 2 : 256;
                    t->row = xrealloc(t->row, t->caprow * sizeof *t->row);
                }
                t->row[t->nrow++] = (SheetRow){x->row, (size_t)x->row_first,
                                               (int)(t->ncell - (size_t)x->row_first)};
                if (!x->header_row) x->header_row = x->row;
            } else {
                t->ncell = (size_t)x->row_first; /* its cells were all empty */
            }
        } else if (strcmp(n, "sheetData") == 0) {
            x->in_sheetdata = 0;
        }
    }
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
    Xr *x = ud;
    if (!x->collect || x->failed) return;
    if (x->text.n + (size_t)len > (size_t)XLSX_MAX_CELL * 4) {
        if (x->part == P_SHEET) cell_fail(x, "is longer than 32,767 characters, the most a cell "
                                          "can hold", "shorten the text");
        else xr_fail(x, "%s: a shared string is longer than 32,767 characters, the most a cell "
                     "can hold; shorten the text", x->part_name);
        return;
    }
    buf_append(&x->text, s, (size_t)len);
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sys,
                               const XML_Char *pub, int has_internal)
{
    (void)name, (void)sys, (void)pub, (void)has_internal;
    Xr *x = ud;
    xr_fail(x, "%s: has a document type declaration (<!DOCTYPE>), which no spreadsheet writes "
            "and which could declare entities (billion laughs, external files); not read. Save "
            "the workbook again from the spreadsheet", x->part_name);
}

static void XMLCALL on_entity(void *ud, const XML_Char *name, int is_param, const XML_Char *v,
                              int vlen, const XML_Char *base, const XML_Char *sys,
                              const XML_Char *pub, const XML_Char *notation)
{
    (void)name, (void)is_param, (void)v, (void)vlen, (void)base, (void)sys, (void)pub,
        (void)notation;
    Xr *x = ud;
    xr_fail(x, "%s: declares an XML entity; not read", x->part_name);
}

/* Parses part name of the zip with the handlers for part kind; messages
 * call it label (NULL: name). Returns 0, 1 when the part is absent and
 * optional, -1 on a problem (err set). */
static int xr_part(Xr *x, const char *name, const char *label, int kind, int optional)
{
    if (!label) label = name;
    int rc = -1;
    char *piece = NULL;
    x->part = kind;
    x->part_name = label;
    if (unzLocateFile(x->zip, name, 2) != UNZ_OK) {
        if (optional) return 1;
        xr_fail(x, "%s is missing from the workbook: this is not an .xlsx file as Excel or "
                "LibreOffice write it; save it again as \"Excel Workbook (.xlsx)\"", label);
        return -1;
    }
    unz_file_info64 info;
    if (unzGetCurrentFileInfo64(x->zip, &info, NULL, 0, NULL, 0, NULL, 0) != UNZ_OK ||
        unzOpenCurrentFile(x->zip) != UNZ_OK) {
        xr_fail(x, "%s: cannot be read from the zip (damaged, or encrypted); save the workbook "
                "again without a password", label);
        return -1;
    }
    if (info.uncompressed_size > XLSX_MAX_PART) {
        xr_fail(x, "%s: would be %llu MiB uncompressed, more than the %zu MiB a sheet may have "
                "(a zip bomb?); split the workbook", label,
                (unsigned long long)(info.uncompressed_size >> 20), XLSX_MAX_PART >> 20);
        goto out;
    }
    x->xp = XML_ParserCreate("UTF-8");
    XML_SetUserData(x->xp, x);
    XML_SetElementHandler(x->xp, on_start, on_end);
    XML_SetCharacterDataHandler(x->xp, on_text);
    XML_SetStartDoctypeDeclHandler(x->xp, on_doctype);
    XML_SetEntityDeclHandler(x->xp, on_entity);
    XML_SetParamEntityParsing(x->xp, XML_PARAM_ENTITY_PARSING_NEVER);
    piece = xmalloc(65536);
    size_t total = 0;
    for (;;) {
        int n = unzReadCurrentFile(x->zip, piece, 65536);
        if (n < 0) {
            xr_fail(x, "%s: the compressed data is damaged (zip error %d); save the workbook "
                    "again", label, n);
            goto out;
        }
        total += (size_t)n;
        if (total > XLSX_MAX_PART) {
            xr_fail(x, "%s: inflates to more than %zu MiB, more than a sheet may have (a zip "
                    "bomb?); split the workbook", label, XLSX_MAX_PART >> 20);
            goto out;
        }
        if (XML_Parse(x->xp, piece, n, n == 0) == XML_STATUS_ERROR) {
            if (!x->failed)
                xr_fail(x, "%s, line %lu: the XML is not well-formed (%s); save the workbook "
                        "again from the spreadsheet", label,
                        (unsigned long)XML_GetCurrentLineNumber(x->xp),
                        XML_ErrorString(XML_GetErrorCode(x->xp)));
            goto out;
        }
        if (x->failed) goto out;
        if (n == 0) break;
    }
    if (unzCloseCurrentFile(x->zip) == UNZ_CRCERROR) {
        xr_fail(x, "%s: the checksum does not match: the file is damaged", label);
        goto out;
    }
    rc = 0;
out:
    if (rc) unzCloseCurrentFile(x->zip);
    if (x->xp) XML_ParserFree(x->xp);
    x->xp = NULL;
    free(piece);
    return rc;
}

int sheet_sniff(const char *data, size_t len, Buf *why)
{
    static const char ole[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    static const char enc[] = "E\0n\0c\0r\0y\0p\0t\0i\0o\0n\0I\0n\0f\0o";
    if (len >= 8 && memcmp(data, ole, 8) == 0) {
        int encrypted = 0;
        for (size_t i = 0; i + sizeof enc - 1 <= len && !encrypted; i++)
            encrypted = data[i] == 'E' && memcmp(data + i, enc, sizeof enc - 1) == 0;
        if (encrypted)
            buf_puts(why, "is a password-protected (encrypted) workbook, which cannot be read; "
                     "in Excel remove the password (File > Info > Protect Workbook > Encrypt "
                     "with Password, empty) and save again");
        else
            buf_puts(why, "is an old Excel 97-2003 workbook (.xls), which is not read; save it "
                     "as \"Excel Workbook (.xlsx)\" or \"CSV UTF-8\"");
        return -1;
    }
    if (len >= 4 && memcmp(data, "PK\3\4", 4) == 0) {
        /* an OpenDocument file starts with its stored "mimetype" entry */
        int ods = 0;
        if (len >= 80 && memcmp(data + 30, "mimetype", 8) == 0)
            for (size_t i = 38; i + 12 <= 118 && i + 12 <= len && !ods; i++)
                ods = memcmp(data + i, "opendocument", 12) == 0;
        if (ods) {
            buf_puts(why, "is an OpenDocument file (.ods), not an .xlsx; in LibreOffice save "
                     "it as \"Excel 2007-365 (.xlsx)\" or as CSV");
            return -1;
        }
        return SHEET_XLSX;
    }
    if (len >= 2 && (memcmp(data, "\xFF\xFE", 2) == 0 || memcmp(data, "\xFE\xFF", 2) == 0)) {
        buf_puts(why, "is UTF-16 text (Excel's \"Unicode Text\"); save it as \"CSV UTF-8 "
                 "(comma delimited)\"");
        return -1;
    }
    return SHEET_CSV;
}

int xlsx_read(const char *data, size_t len, const char *want, SheetTable *t, Buf *err)
{
    memset(t, 0, sizeof *t);
    Xr x;
    memset(&x, 0, sizeof x);
    x.err = err;
    x.t = t;
    Buf label = BUF_INIT;
    MemZip mz = {data, len, 0};
    zlib_filefunc64_def ff = {mz_open, mz_read, mz_write, mz_tell, mz_seek, mz_close, mz_error,
                              &mz};
    int rc = -1;
    x.zip = unzOpen2_64("mem", &ff);
    if (!x.zip) {
        buf_puts(err, "is not a readable zip file, so not an .xlsx (damaged or cut short?); "
                 "save it again as \"Excel Workbook (.xlsx)\"");
        goto out;
    }
    if (xr_part(&x, "xl/workbook.xml", NULL, P_WORKBOOK, 0)) goto out;
    if (x.nsheets == 0) {
        xr_fail(&x, "xl/workbook.xml lists no sheet; save the workbook again");
        goto out;
    }
    int pick = 0;
    for (int i = 0; want && i < x.nsheets; i++)
        if (strcasecmp(x.sheets[i].name, want) == 0) {
            pick = i;
            break;
        }
    snprintf(t->sheet, sizeof t->sheet, "%s", x.sheets[pick].name);
    t->nsheets = x.nsheets;
    x.want_rid = x.sheets[pick].rid;
    if (xr_part(&x, "xl/_rels/workbook.xml.rels", NULL, P_RELS, 0) < 0) goto out;
    if (!x.target) {
        xr_fail(&x, "sheet \"%s\": the workbook does not say where it is stored; save the "
                "workbook again", t->sheet);
        goto out;
    }
    if (xr_part(&x, "xl/styles.xml", NULL, P_STYLES, 1) < 0) goto out;
    if (xr_part(&x, "xl/sharedStrings.xml", NULL, P_STRINGS, 1) < 0) goto out;
    buf_printf(&label, "sheet \"%s\" (%s)", t->sheet, x.target);
    if (xr_part(&x, x.target, buf_str(&label), P_SHEET, 0)) goto out;
    if (x.merge_row) {
        xr_fail(&x, "sheet \"%s\", row %ld: cells %s are merged in the header row; every "
                "column needs its own name in one cell: unmerge them (Home > Merge & Center) "
                "and name each column", t->sheet, x.merge_row, x.merge_ref);
        goto out;
    }
    rc = 0;
out:
    if (x.zip) unzClose(x.zip);
    for (int i = 0; i < x.nsheets; i++) free(x.sheets[i].name), free(x.sheets[i].rid);
    free(x.sheets);
    free(x.target);
    free(x.fmt_id), free(x.fmt_date), free(x.xf_date);
    buf_free(&x.sst);
    free(x.sst_off);
    buf_free(&x.text);
    buf_free(&x.cell_inline);
    buf_free(&label);
    return rc;
}

int sheet_table_next(SheetTable *t, CsvRecord *rec)
{
    if (t->next >= t->nrow) return 0;
    const SheetRow *r = &t->row[t->next++];
    buf_reset(&rec->text);
    rec->n = 0;
    rec->line = r->line;
    if (rec->cap < r->n + 1) {
        rec->cap = r->n + 1;
        rec->off = xrealloc(rec->off, (size_t)rec->cap * sizeof *rec->off);
    }
    for (int i = 0; i < r->n; i++) {
        rec->off[rec->n++] = rec->text.n;
        buf_puts(&rec->text, t->text.a + t->cell[r->first + (size_t)i]);
        buf_putc(&rec->text, 0);
    }
    if (rec->n == 0) {
        rec->off[rec->n++] = 0;
        buf_putc(&rec->text, 0);
    }
    return 1;
}

void sheet_table_free(SheetTable *t)
{
    buf_free(&t->text);
    free(t->cell);
    free(t->row);
    memset(t, 0, sizeof *t);
}
