/*
 * report_pdf.c — the report as an A4 PDF, drawn in-process with cairo and
 * pango from the same document model as the HTML (report.h).
 *
 * Layout is our own, small and sequential: one column 170 mm wide, blocks
 * placed top to bottom, a page break whenever the next line, table row or
 * figure does not fit. Paragraphs break between lines; headings move to the
 * next page unless some room is left under them; tables break between rows
 * (their caption and header row keep with the first three) and repeat
 * their header row; figures (bar charts drawn as vectors, and
 * their data tables) stay whole. Footnotes go to the foot of the page whose
 * paragraph cites them: the last line of a paragraph with notes is placed
 * only where the line and its notes both fit.
 *
 * Fonts: a private fontconfig configuration holding only Liberation Sans
 * (metric-compatible with Arial, as in the HTML's style sheet) and DejaVu
 * Sans for the symbols Liberation lacks, from Debian's font packages; the
 * machine's other fonts are never seen, so the same data gives the same
 * bytes anywhere those packages are installed. cairo embeds subsets.
 *
 * Every text from the database reaches pango as markup escaped by
 * html_text() (its entities are GMarkup's), Markdown through cmark's tree.
 * The PDF gets an outline from the headings, title, keywords (the
 * manifest) and fixed dates in its Info dictionary, structure tags (cairo
 * writes a StructTreeRoot for them) and, by a small incremental update after
 * cairo has finished, /Lang in its catalog (cairo has no call for it).
 */
#include <cairo-pdf.h>
#include <cairo.h>
#include <cmark.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "markdown.h"
#include "mem.h"
#include "report.h"

#define MM (72.0 / 25.4)
#define PAGE_W (210 * MM)
#define PAGE_H (297 * MM)
#define LEFT (20 * MM)
#define TOP (20 * MM)
#define BOTTOM (PAGE_H - 22 * MM)
#define TEXT_W (PAGE_W - 40 * MM)
#define HANG (12 * MM) /* paragraph numbers hang in this margin */
#define FONT "Liberation Sans"
#define PU(x) ((int)lround((x) * PANGO_SCALE))

static const char *const font_files[] = {
    "truetype/liberation/LiberationSans-Regular.ttf",
    "truetype/liberation/LiberationSans-Bold.ttf",
    "truetype/liberation/LiberationSans-Italic.ttf",
    "truetype/liberation/LiberationSans-BoldItalic.ttf",
    "truetype/liberation/LiberationMono-Regular.ttf",
    "truetype/dejavu/DejaVuSans.ttf",
};

typedef struct Note {
    PangoLayout *layout;
    double h;
} Note;

typedef struct Pdf {
    cairo_surface_t *surf;
    cairo_t *cr;
    PangoContext *pc;
    double y;         /* where the next block starts on the current page */
    int page;         /* 1-based */
    int para;         /* paragraphs numbered so far */
    int nnotes;       /* footnotes numbered so far */
    Note *notes;      /* notes waiting for the foot of the current page */
    size_t npending, cap;
    double notes_h;   /* their height, with the rule above them */
    int outline[8];   /* the last outline item of each heading level */
    char **alts;      /* alternative text of each figure, in order (for pdf_amend) */
    size_t nalts;
    Buf err;
} Pdf;

/* ---- text ------------------------------------------------------------------ */

/* A layout of markup (already escaped) in FONT at size points, width wide
 * (<= 0: no wrapping). */
static PangoLayout *layout_new(Pdf *p, const char *markup, double size, int bold, double width)
{
    PangoLayout *l = pango_layout_new(p->pc);
    PangoFontDescription *fd = pango_font_description_from_string(FONT);
    pango_font_description_set_size(fd, PU(size));
    if (bold) pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    if (width > 0) {
        pango_layout_set_width(l, PU(width));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_markup(l, markup, -1);
    return l;
}

static double layout_h(PangoLayout *l)
{
    int w, h;
    pango_layout_get_size(l, &w, &h);
    return (double)h / PANGO_SCALE;
}

static double layout_w(PangoLayout *l)
{
    int w, h;
    pango_layout_get_size(l, &w, &h);
    return (double)w / PANGO_SCALE;
}

static void show(Pdf *p, PangoLayout *l, double x, double y)
{
    cairo_move_to(p->cr, x, y);
    pango_cairo_show_layout(p->cr, l);
}

/* Escaped markup of plain text. */
static void esc(Buf *b, const char *s)
{
    html_text(b, s ? s : "");
}

/* ---- pages and footnotes ----------------------------------------------------- */

static double limit(const Pdf *p)
{
    return BOTTOM - p->notes_h;
}

/* Draws the footnotes waiting for this page and the page number. */
static void page_foot(Pdf *p)
{
    if (p->npending) {
        double y = BOTTOM - p->notes_h + 4;
        cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.1);
        cairo_set_line_width(p->cr, 0.5);
        cairo_move_to(p->cr, LEFT, y);
        cairo_line_to(p->cr, LEFT + 50 * MM, y);
        cairo_stroke(p->cr);
        y += 4;
        for (size_t i = 0; i < p->npending; i++) {
            cairo_tag_begin(p->cr, "Note", NULL);
            show(p, p->notes[i].layout, LEFT, y);
            cairo_tag_end(p->cr, "Note");
            y += p->notes[i].h;
            g_object_unref(p->notes[i].layout);
        }
        p->npending = 0;
        p->notes_h = 0;
    }
    char num[16];
    snprintf(num, sizeof num, "%d", p->page);
    PangoLayout *l = layout_new(p, num, 9, 0, 0);
    cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.1);
    show(p, l, (PAGE_W - layout_w(l)) / 2, PAGE_H - 14 * MM);
    g_object_unref(l);
}

/* Finishes the page (page_foot) and starts the next. */
static void page_end(Pdf *p)
{
    page_foot(p);
    cairo_show_page(p->cr);
    p->page++;
    p->y = TOP;
}

/* Starts a new page unless the current one is still empty. */
static void new_page(Pdf *p)
{
    if (p->y > TOP || p->npending) page_end(p);
}

/* ---- Markdown into pango markup -------------------------------------------- */

/* Appends the inline content of node's children as pango markup: text
 * escaped, emphasis, strong, code, links shown as underlined text (their
 * targets are not kept), images as their alt text. */
static void md_inline(Buf *b, cmark_node *node)
{
    for (cmark_node *n = cmark_node_first_child(node); n; n = cmark_node_next(n)) {
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_HTML_INLINE: esc(b, cmark_node_get_literal(n)); break;
        case CMARK_NODE_SOFTBREAK: buf_putc(b, ' '); break;
        case CMARK_NODE_LINEBREAK: buf_putc(b, '\n'); break;
        case CMARK_NODE_CODE:
            html_lit(b, "<tt>");
            esc(b, cmark_node_get_literal(n));
            html_lit(b, "</tt>");
            break;
        case CMARK_NODE_EMPH:
            html_lit(b, "<i>");
            md_inline(b, n);
            html_lit(b, "</i>");
            break;
        case CMARK_NODE_STRONG:
            html_lit(b, "<b>");
            md_inline(b, n);
            html_lit(b, "</b>");
            break;
        case CMARK_NODE_LINK:
            html_lit(b, "<span foreground=\"#1e3a6e\" underline=\"single\">");
            md_inline(b, n);
            html_lit(b, "</span>");
            break;
        default: md_inline(b, n); break; /* images: their alt text; the rest: children */
        }
    }
}

/* Appends every paragraph of a block (list item, quote) as inline markup,
 * joined by spaces; nested lists flattened. */
static void md_flat(Buf *b, cmark_node *node)
{
    for (cmark_node *n = cmark_node_first_child(node); n; n = cmark_node_next(n)) {
        cmark_node_type t = cmark_node_get_type(n);
        if (b->n && b->a[b->n - 1] != ' ') buf_putc(b, ' ');
        if (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING) md_inline(b, n);
        else if (t == CMARK_NODE_CODE_BLOCK || t == CMARK_NODE_HTML_BLOCK) {
            html_lit(b, "<tt>");
            esc(b, cmark_node_get_literal(n));
            html_lit(b, "</tt>");
        } else md_flat(b, n);
    }
    while (b->n && b->a[b->n - 1] == ' ') buf_truncate(b, b->n - 1);
}

/* Appends markdown (NULL: nothing) as inline pango markup: its blocks joined. */
static void md_markup(Buf *b, const char *markdown)
{
    if (!markdown) return;
    cmark_node *doc = md_parse_safe(markdown, 0);
    md_flat(b, doc);
    cmark_node_free(doc);
}

/* ---- flowing text ------------------------------------------------------------ */

typedef struct Flow {
    double x;              /* left edge of the text */
    PangoLayout *label;    /* number or bullet, hanging at xlabel, or NULL */
    double xlabel;
    Note *notes;           /* footnotes going with the last line */
    size_t nnotes;
    double notes_h;
    double space_after;
} Flow;

/* The footnotes of block k as layouts, numbered on from p->nnotes, into
 * f->notes (allocated; flow() hands them to the page); appends their marks
 * to markup m. */
static void flow_notes(Pdf *p, const RBlock *k, Flow *f, Buf *m)
{
    if (!k || !k->nfootnotes) return;
    f->notes = xcalloc(k->nfootnotes, sizeof *f->notes);
    for (size_t i = 0; i < k->nfootnotes; i++) {
        int n = ++p->nnotes;
        buf_printf(m, "<sup>%d</sup>", n);
        Buf t = BUF_INIT;
        buf_printf(&t, "<sup>%d</sup> ", n);
        md_markup(&t, k->footnotes[i]);
        f->notes[i].layout = layout_new(p, buf_str(&t), 8.5, 0, TEXT_W);
        f->notes[i].h = layout_h(f->notes[i].layout) + 1.5;
        f->notes_h += f->notes[i].h;
        buf_free(&t);
    }
    f->nnotes = k->nfootnotes;
}

/* Places layout l from p->y line by line, breaking pages between lines;
 * the last line goes only where its footnotes fit too, and they are queued
 * for that page. Frees f's label and notes array (not the layouts queued). */
static void flow(Pdf *p, PangoLayout *l, Flow *f)
{
    PangoLayoutIter *it = pango_layout_get_iter(l);
    double origin = p->y; /* page y of the layout's top */
    int first = 1;
    do {
        PangoRectangle r;
        pango_layout_iter_get_line_extents(it, NULL, &r);
        double ly = (double)r.y / PANGO_SCALE, lh = (double)r.height / PANGO_SCALE;
        double base = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
        int last = pango_layout_iter_at_last_line(it);
        double need = 0;
        if (last && f->nnotes) need = f->notes_h + (p->npending ? 0 : 10);
        if (origin + ly + lh > limit(p) - need && (origin + ly > TOP + 0.01 || p->npending)) {
            page_end(p);
            origin = TOP - ly;
        }
        cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.1);
        cairo_move_to(p->cr, f->x + (double)r.x / PANGO_SCALE, origin + base);
        pango_cairo_show_layout_line(p->cr, pango_layout_iter_get_line_readonly(it));
        if (first && f->label) {
            cairo_move_to(p->cr, f->xlabel,
                          origin + base - (double)pango_layout_get_baseline(f->label) / PANGO_SCALE);
            pango_cairo_show_layout(p->cr, f->label);
        }
        first = 0;
        p->y = origin + ly + lh;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    if (f->nnotes) {
        if (!p->npending) p->notes_h += 10;
        if (p->npending + f->nnotes > p->cap) {
            p->cap = (p->npending + f->nnotes) * 2;
            p->notes = xrealloc(p->notes, p->cap * sizeof *p->notes);
        }
        for (size_t i = 0; i < f->nnotes; i++) {
            p->notes[p->npending++] = f->notes[i];
            p->notes_h += f->notes[i].h;
        }
    }
    free(f->notes);
    if (f->label) g_object_unref(f->label);
    p->y += f->space_after;
}

/* A numbered paragraph of markup m (escaped already): the next number hangs
 * in the margin; the notes of k (may be NULL) are marked at its end. */
static void para(Pdf *p, Buf *m, const RBlock *k)
{
    Flow f = {.x = LEFT + HANG, .xlabel = LEFT, .space_after = 3 * MM};
    char num[16];
    snprintf(num, sizeof num, "%d.", ++p->para);
    f.label = layout_new(p, num, 11, 0, 0);
    flow_notes(p, k, &f, m);
    PangoLayout *l = layout_new(p, buf_str(m), 11, 0, TEXT_W - HANG);
    pango_layout_set_justify(l, TRUE);
    pango_layout_set_line_spacing(l, 1.3f);
    cairo_tag_begin(p->cr, "P", NULL);
    flow(p, l, &f);
    cairo_tag_end(p->cr, "P");
    g_object_unref(l);
}

/* An unnumbered block of markup m at x with an optional label (bullet). */
static void plain(Pdf *p, const char *m, double x, const char *label, double size,
                  const RBlock *notes_of, double after)
{
    Flow f = {.x = x, .xlabel = x - 5 * MM, .space_after = after};
    if (label) f.label = layout_new(p, label, size, 0, 0);
    Buf mm = BUF_INIT;
    buf_puts(&mm, m);
    flow_notes(p, notes_of, &f, &mm);
    PangoLayout *l = layout_new(p, buf_str(&mm), size, 0, LEFT + TEXT_W - x);
    pango_layout_set_line_spacing(l, 1.25f);
    cairo_tag_begin(p->cr, label ? "LI" : "P", NULL);
    flow(p, l, &f);
    cairo_tag_end(p->cr, label ? "LI" : "P");
    g_object_unref(l);
    buf_free(&mm);
}

/* A heading of level 2-6; levels 2-4 enter the outline. It moves to the next
 * page unless 3 lines of text fit under it. */
static void heading(Pdf *p, int level, const char *text, int markup_given)
{
    static const double size[] = {15, 15, 13, 11.5, 11, 11, 11};
    static const double before[] = {7, 7, 7, 5, 4, 4, 4};
    if (level < 1) level = 1;
    if (level > 6) level = 6;
    Buf m = BUF_INIT;
    if (level == 2) html_lit(&m, "<span foreground=\"#1e3a6e\">\u25BA\u00A0</span>");
    if (level >= 4) html_lit(&m, "<i>");
    if (markup_given) buf_puts(&m, text);
    else esc(&m, text);
    if (level >= 4) html_lit(&m, "</i>");
    PangoLayout *l = layout_new(p, buf_str(&m), size[level], 1, TEXT_W);
    double h = layout_h(l);
    if (p->y > TOP) p->y += before[level] * MM * 0.6;
    if (p->y + h + 3 * MM + 45 > limit(p)) new_page(p);
    char tag[4] = {'H', (char)('0' + level), 0};
    cairo_tag_begin(p->cr, tag, NULL);
    cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.1);
    show(p, l, LEFT, p->y);
    cairo_tag_end(p->cr, tag);
    if (level >= 2 && level <= 4 && !markup_given) {
        char dest[96];
        snprintf(dest, sizeof dest, "page=%d pos=[%.1f %.1f]", p->page, LEFT, p->y);
        int parent = CAIRO_PDF_OUTLINE_ROOT;
        for (int up = level - 1; up >= 2; up--)
            if (p->outline[up]) {
                parent = p->outline[up];
                break;
            }
        p->outline[level] = cairo_pdf_surface_add_outline(
            p->surf, parent, text, dest, level == 2 ? CAIRO_PDF_OUTLINE_FLAG_OPEN : 0);
        for (int d = level + 1; d < 8; d++) p->outline[d] = 0;
    }
    p->y += h + 2.5 * MM;
    g_object_unref(l);
    buf_free(&m);
}

/* ---- narratives --------------------------------------------------------------- */

/* Places a narrative: each top-level paragraph numbered, lists and quotes
 * unnumbered under the paragraph before, headings demoted below the
 * report's; the notes of k go with its last block. */
static void narrative(Pdf *p, const RBlock *k)
{
    if (!k->text) return;
    cmark_node *doc = md_parse_safe(k->text, MD_HEADING_SHIFT(3));
    for (cmark_node *n = cmark_node_first_child(doc); n; n = cmark_node_next(n)) {
        const RBlock *notes_of = cmark_node_next(n) ? NULL : k;
        Buf m = BUF_INIT;
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_PARAGRAPH:
            md_inline(&m, n);
            para(p, &m, notes_of);
            break;
        case CMARK_NODE_HEADING:
            md_inline(&m, n);
            heading(p, cmark_node_get_heading_level(n), buf_str(&m), 1);
            if (notes_of) plain(p, "", LEFT + HANG, NULL, 11, notes_of, 3 * MM);
            break;
        case CMARK_NODE_LIST: {
            int ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
            int num = cmark_node_get_list_start(n);
            cairo_tag_begin(p->cr, "L", NULL);
            for (cmark_node *item = cmark_node_first_child(n); item;
                 item = cmark_node_next(item), num++) {
                buf_reset(&m);
                md_flat(&m, item);
                char lab[16];
                if (ordered) snprintf(lab, sizeof lab, "%d.", num);
                else snprintf(lab, sizeof lab, "\u2022");
                plain(p, buf_str(&m), LEFT + HANG + 5 * MM, lab, 11,
                      cmark_node_next(item) ? NULL : notes_of, 1 * MM);
            }
            cairo_tag_end(p->cr, "L");
            p->y += 2 * MM;
            break;
        }
        case CMARK_NODE_BLOCK_QUOTE:
            html_lit(&m, "<i>");
            md_flat(&m, n);
            html_lit(&m, "</i>");
            plain(p, buf_str(&m), LEFT + HANG + 6 * MM, NULL, 11, notes_of, 3 * MM);
            break;
        case CMARK_NODE_THEMATIC_BREAK:
            if (notes_of) plain(p, "", LEFT + HANG, NULL, 11, notes_of, 3 * MM);
            break;
        default: /* code and (made safe) HTML blocks: as monospaced text */
            html_lit(&m, "<tt>");
            esc(&m, cmark_node_get_literal(n));
            html_lit(&m, "</tt>");
            plain(p, buf_str(&m), LEFT + HANG, NULL, 9.5, notes_of, 3 * MM);
            break;
        }
        buf_free(&m);
    }
    cmark_node_free(doc);
}

/* ---- tables ------------------------------------------------------------------- */

typedef struct Table {
    const char *caption;  /* plain text */
    int italic_caption;
    int ncols, nrows;     /* rows after the header row */
    const char **cells;   /* plain text, header row first; NULL: "–" */
    unsigned numeric;
    int full_width;
} Table;

/* Column widths: numeric columns their natural width, the others share the
 * rest in proportion to their natural widths (at least 18 mm each). */
static void table_widths(Pdf *p, const Table *t, double pad, double *w)
{
    double total = 0, text_total = 0, num_total = 0;
    for (int c = 0; c < t->ncols; c++) {
        w[c] = 0;
        for (int r = 0; r <= t->nrows; r++) {
            const char *v = t->cells[r * t->ncols + c];
            Buf m = BUF_INIT;
            esc(&m, v ? v : "–");
            PangoLayout *l = layout_new(p, buf_str(&m), 9, r == 0 || c == 0, 0);
            double lw = layout_w(l) + 2 * pad + 1;
            if (lw > w[c]) w[c] = lw;
            g_object_unref(l);
            buf_free(&m);
        }
        total += w[c];
        if (t->numeric >> c & 1) num_total += w[c];
        else text_total += w[c];
    }
    double avail = TEXT_W;
    if (total <= avail) {
        if (!t->full_width) return;
        double extra = avail - total;
        for (int c = 0; c < t->ncols; c++)
            if (!(t->numeric >> c & 1)) w[c] += text_total > 0 ? extra * w[c] / text_total : 0;
        if (text_total <= 0) w[0] += extra;
        return;
    }
    double rest = avail - num_total;
    if (rest < 18 * MM * 2) { /* numbers alone too wide: scale everything */
        for (int c = 0; c < t->ncols; c++) w[c] = w[c] * avail / total;
        return;
    }
    for (int c = 0; c < t->ncols; c++)
        if (!(t->numeric >> c & 1)) {
            w[c] = rest * w[c] / text_total;
            if (w[c] < 18 * MM) w[c] = 18 * MM;
        }
}

/* The layouts of row r in ls[], returns the row's height. */
static double table_row(Pdf *p, const Table *t, int r, const double *w, double pad,
                        PangoLayout **ls)
{
    double h = 0;
    for (int c = 0; c < t->ncols; c++) {
        const char *v = t->cells[r * t->ncols + c];
        Buf m = BUF_INIT;
        esc(&m, v ? v : "–");
        ls[c] = layout_new(p, buf_str(&m), 9, r == 0 || c == 0, w[c] - 2 * pad);
        if (t->numeric >> c & 1) pango_layout_set_alignment(ls[c], PANGO_ALIGN_RIGHT);
        double lh = layout_h(ls[c]);
        if (lh > h) h = lh;
        buf_free(&m);
    }
    return h + 2 * pad;
}

static void table_draw_row(Pdf *p, const Table *t, const double *w, double pad,
                           PangoLayout **ls, double h, int header)
{
    double x = LEFT;
    cairo_tag_begin(p->cr, "TR", NULL);
    for (int c = 0; c < t->ncols; c++) {
        const char *tag = header || c == 0 ? "TH" : "TD";
        cairo_tag_begin(p->cr, tag, NULL);
        cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.1);
        show(p, ls[c], x + pad, p->y + pad);
        cairo_tag_end(p->cr, tag);
        x += w[c];
    }
    cairo_tag_end(p->cr, "TR");
    double tw = x - LEFT;
    p->y += h;
    if (header) {
        cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.1);
        cairo_set_line_width(p->cr, 1.1);
    } else {
        cairo_set_source_rgb(p->cr, 0.784, 0.784, 0.784);
        cairo_set_line_width(p->cr, 0.6);
    }
    cairo_move_to(p->cr, LEFT, p->y);
    cairo_line_to(p->cr, LEFT + tw, p->y);
    cairo_stroke(p->cr);
}

/* Places a table: its caption kept with the header and first row; rows
 * break between pages, each page repeating the header row. */
static void table(Pdf *p, const Table *t)
{
    double pad = 1.6 * MM;
    double *w = xcalloc((size_t)t->ncols, sizeof *w);
    PangoLayout **hdr = xcalloc((size_t)t->ncols, sizeof *hdr);
    PangoLayout **row = xcalloc((size_t)t->ncols, sizeof *row);
    table_widths(p, t, pad, w);
    double hh = table_row(p, t, 0, w, pad, hdr);
    Buf m = BUF_INIT;
    if (t->italic_caption) html_lit(&m, "<i>");
    esc(&m, t->caption);
    if (t->italic_caption) html_lit(&m, "</i>");
    PangoLayout *cap = layout_new(p, buf_str(&m), 9.5, !t->italic_caption, TEXT_W);
    double ch = layout_h(cap) + 1.5 * MM;
    double first = t->nrows ? table_row(p, t, 1, w, pad, row) : 0;
    /* the caption and header keep with the first rows (three, or all) */
    double keep = first;
    for (int r = 2; r <= t->nrows && r <= 3; r++) {
        PangoLayout **more = xcalloc((size_t)t->ncols, sizeof *more);
        keep += table_row(p, t, r, w, pad, more);
        for (int c = 0; c < t->ncols; c++) g_object_unref(more[c]);
        free(more);
    }
    if (p->y + ch + hh + keep > limit(p)) new_page(p);
    cairo_tag_begin(p->cr, "Table", NULL);
    cairo_tag_begin(p->cr, "Caption", NULL);
    cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.1);
    show(p, cap, LEFT, p->y);
    cairo_tag_end(p->cr, "Caption");
    p->y += ch;
    table_draw_row(p, t, w, pad, hdr, hh, 1);
    for (int r = 1; r <= t->nrows; r++) {
        double h = r == 1 ? first : table_row(p, t, r, w, pad, row);
        if (p->y + h > limit(p)) {
            page_end(p);
            table_draw_row(p, t, w, pad, hdr, hh, 1);
        }
        table_draw_row(p, t, w, pad, row, h, 0);
        for (int c = 0; c < t->ncols; c++) g_object_unref(row[c]);
    }
    cairo_tag_end(p->cr, "Table");
    p->y += 5 * MM;
    for (int c = 0; c < t->ncols; c++) g_object_unref(hdr[c]);
    g_object_unref(cap);
    buf_free(&m);
    free(w);
    free(hdr);
    free(row);
}

/* ---- figures -------------------------------------------------------------------- */

/* A round step for about 5 ticks up to max. */
static double nice_step(double max)
{
    if (max <= 0) return 1;
    double raw = max / 5, mag = pow(10, floor(log10(raw))), f = raw / mag;
    double step = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
    step *= mag;
    return step < 1 ? 1 : step; /* counts: whole numbers */
}

/* Draws the bars of figure k as vectors at p->y (kept on one page with its
 * caption), then its data table. */
static void figure(Pdf *p, const RBlock *k)
{
    size_t n = k->data->n;
    double width = 160 * MM, label_w = 58 * MM, row_h = 21, bar_h = 13;
    double plot_x = LEFT + label_w + 3 * MM, plot_w = width - label_w - 3 * MM - 14 * MM;
    double max = 0;
    for (size_t i = 0; i < n; i++)
        if ((double)k->data->a[i].n > max) max = (double)k->data->a[i].n;
    double step = nice_step(max), top = step * ceil(max / step);
    if (top <= 0) top = step;
    Buf m = BUF_INIT;
    buf_printf(&m, "<span foreground=\"#1e3a6e\">\u25BA\u00A0</span>Figure %d. ", k->number);
    esc(&m, k->text);
    PangoLayout *cap = layout_new(p, buf_str(&m), 11, 1, TEXT_W);
    double ch = layout_h(cap) + 2 * MM;
    double chart_h = (double)(n ? n : 1) * row_h + 34;
    if (p->y + ch + chart_h > limit(p)) new_page(p);
    Buf alt = BUF_INIT;
    buf_printf(&alt, "Figure %d, bar chart: %s.", k->number, k->text ? k->text : "");
    for (size_t i = 0; i < n; i++)
        buf_printf(&alt, " %s: %lld.", k->data->a[i].label, (long long)k->data->a[i].n);
    p->alts = xrealloc(p->alts, (p->nalts + 1) * sizeof *p->alts);
    p->alts[p->nalts++] = buf_detach(&alt);
    cairo_tag_begin(p->cr, "Figure", NULL);
    cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.1);
    show(p, cap, LEFT, p->y);
    p->y += ch;
    cairo_t *cr = p->cr;
    double y0 = p->y, plot_h = (double)(n ? n : 1) * row_h;
    /* grid and ticks */
    for (double v = 0; v <= top + step / 2; v += step) {
        double x = plot_x + plot_w * v / top;
        cairo_set_source_rgb(cr, 0.851, 0.851, 0.851);
        cairo_set_line_width(cr, 0.6);
        cairo_move_to(cr, x, y0);
        cairo_line_to(cr, x, y0 + plot_h);
        cairo_stroke(cr);
        char t[32];
        snprintf(t, sizeof t, "%.0f", v);
        PangoLayout *l = layout_new(p, t, 8, 0, 0);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        show(p, l, x - layout_w(l) / 2, y0 + plot_h + 2);
        g_object_unref(l);
    }
    for (size_t i = 0; i < n; i++) {
        double y = y0 + (double)i * row_h;
        double v = (double)k->data->a[i].n, bw = plot_w * v / top;
        Buf lm = BUF_INIT;
        esc(&lm, k->data->a[i].label);
        PangoLayout *l = layout_new(p, buf_str(&lm), 8.5, 0, label_w);
        pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
        pango_layout_set_height(l, -2); /* at most two lines */
        pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        show(p, l, LEFT, y + (row_h - layout_h(l)) / 2);
        g_object_unref(l);
        buf_free(&lm);
        cairo_set_source_rgb(cr, 0x1f / 255.0, 0x5f / 255.0, 0x99 / 255.0);
        cairo_rectangle(cr, plot_x, y + (row_h - bar_h) / 2, bw, bar_h);
        cairo_fill(cr);
        char t[32];
        snprintf(t, sizeof t, "%lld", (long long)k->data->a[i].n);
        PangoLayout *vl = layout_new(p, t, 8.5, 0, 0);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        show(p, vl, plot_x + bw + 3, y + (row_h - layout_h(vl)) / 2);
        g_object_unref(vl);
    }
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    cairo_set_line_width(cr, 0.8);
    cairo_move_to(cr, plot_x, y0);
    cairo_line_to(cr, plot_x, y0 + plot_h);
    cairo_stroke(cr);
    if (k->axis) {
        Buf am = BUF_INIT;
        esc(&am, k->axis);
        PangoLayout *l = layout_new(p, buf_str(&am), 8.5, 0, 0);
        show(p, l, plot_x + (plot_w - layout_w(l)) / 2, y0 + plot_h + 14);
        g_object_unref(l);
        buf_free(&am);
    }
    cairo_tag_end(p->cr, "Figure");
    p->y = y0 + chart_h;
    /* its data, as in the HTML */
    const char **cells = xcalloc((n + 1) * 2, sizeof *cells);
    char *nums = xcalloc(n ? n : 1, 24);
    cells[0] = k->what ? k->what : "Category";
    cells[1] = k->axis ? k->axis : "Value";
    for (size_t i = 0; i < n; i++) {
        snprintf(nums + i * 24, 24, "%lld", (long long)k->data->a[i].n);
        cells[(i + 1) * 2] = k->data->a[i].label;
        cells[(i + 1) * 2 + 1] = nums + i * 24;
    }
    Table t = {k->text, 1, 2, (int)n, cells, 2u, 0};
    table(p, &t);
    free(cells);
    free(nums);
    g_object_unref(cap);
    buf_free(&m);
    buf_free(&alt);
}

/* ---- title block ------------------------------------------------------------------ */

static void title_block(Pdf *p, const RData *rd)
{
    cairo_t *cr = p->cr;
    Buf m = BUF_INIT;
    double y = p->y, right = LEFT + TEXT_W;
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    if (rd->symbol) {
        esc(&m, rd->symbol);
        PangoLayout *l = layout_new(p, buf_str(&m), 13, 1, 0);
        show(p, l, right - layout_w(l), y);
        g_object_unref(l);
        buf_reset(&m);
    }
    if (rd->body) {
        esc(&m, rd->body);
        PangoLayout *l = layout_new(p, buf_str(&m), 18, 1, TEXT_W * 0.65);
        show(p, l, LEFT, y);
        y += layout_h(l);
        g_object_unref(l);
        buf_reset(&m);
    }
    if (rd->session) {
        esc(&m, rd->session);
        PangoLayout *l = layout_new(p, buf_str(&m), 11, 0, TEXT_W * 0.65);
        show(p, l, LEFT, y + 2);
        y += layout_h(l) + 2;
        g_object_unref(l);
        buf_reset(&m);
    }
    if (rd->section || rd->section_code) {
        y += 5 * MM;
        esc(&m, rd->section);
        PangoLayout *l = layout_new(p, buf_str(&m), 11, 1, TEXT_W * 0.7);
        show(p, l, LEFT, y);
        buf_reset(&m);
        esc(&m, rd->section_code);
        PangoLayout *r = layout_new(p, buf_str(&m), 11, 1, 0);
        show(p, r, right - layout_w(r), y);
        y += layout_h(l);
        g_object_unref(l);
        g_object_unref(r);
        buf_reset(&m);
    }
    if (rd->date || rd->language) {
        y += 4 * MM;
        if (rd->date) {
            char when[64];
            html_lit(&m, "<b>Date:</b> ");
            esc(&m, report_date(rd->date, when, sizeof when));
            html_lit(&m, "      ");
        }
        if (rd->language) {
            html_lit(&m, "<b>Original:</b> ");
            esc(&m, rd->language);
        }
        PangoLayout *l = layout_new(p, buf_str(&m), 11, 0, TEXT_W);
        show(p, l, LEFT, y);
        y += layout_h(l);
        g_object_unref(l);
        buf_reset(&m);
    }
    y += 6 * MM;
    cairo_set_line_width(cr, 0.75);
    cairo_move_to(cr, LEFT, y);
    cairo_line_to(cr, right, y);
    cairo_stroke(cr);
    y += 6 * MM;
    esc(&m, rd->doc_title ? rd->doc_title : rd->title);
    PangoLayout *h1 = layout_new(p, buf_str(&m), 15, 1, TEXT_W);
    cairo_tag_begin(cr, "H1", NULL);
    show(p, h1, LEFT, y);
    cairo_tag_end(cr, "H1");
    y += layout_h(h1) + 5 * MM;
    g_object_unref(h1);
    buf_reset(&m);
    if (rd->summary || rd->author_unit || rd->nrelated) {
        PangoLayout *ls[3] = {NULL, NULL, NULL};
        int nl = 0;
        double pw = TEXT_W - 8 * MM, h = 0;
        if (rd->summary) {
            html_lit(&m, "<b>Summary:</b> ");
            md_markup(&m, rd->summary);
            ls[nl++] = layout_new(p, buf_str(&m), 11, 0, pw);
            buf_reset(&m);
        }
        if (rd->author_unit) {
            html_lit(&m, "<b>Author unit:</b> ");
            esc(&m, rd->author_unit);
            buf_putc(&m, '.');
            ls[nl++] = layout_new(p, buf_str(&m), 11, 0, pw);
            buf_reset(&m);
        }
        if (rd->nrelated) {
            html_lit(&m, "<b>Related documents:</b> ");
            for (size_t k = 0; k < rd->nrelated; k++) {
                if (k) buf_puts(&m, "; ");
                esc(&m, rd->related[k]);
            }
            buf_putc(&m, '.');
            ls[nl++] = layout_new(p, buf_str(&m), 11, 0, pw);
            buf_reset(&m);
        }
        for (int i = 0; i < nl; i++) pango_layout_set_line_spacing(ls[i], 1.2f);
        for (int i = 0; i < nl; i++) h += layout_h(ls[i]) + (i ? 2 * MM : 0);
        cairo_rectangle(cr, LEFT, y, TEXT_W, h + 6 * MM);
        cairo_stroke(cr);
        double yy = y + 3 * MM;
        for (int i = 0; i < nl; i++) {
            cairo_tag_begin(cr, "P", NULL);
            show(p, ls[i], LEFT + 4 * MM, yy);
            cairo_tag_end(cr, "P");
            yy += layout_h(ls[i]) + 2 * MM;
            g_object_unref(ls[i]);
        }
        y += h + 6 * MM + 4 * MM;
    }
    buf_free(&m);
    p->y = y;
}

/* ---- the file ---------------------------------------------------------------------- */

static cairo_status_t write_buf(void *closure, const unsigned char *data, unsigned int length)
{
    buf_append(closure, data, length);
    return CAIRO_STATUS_SUCCESS;
}

/* The private font configuration (see the top of this file); NULL with a
 * message in err when a font file is missing. */
static FcConfig *fonts(Buf *err)
{
    const char *dir = getenv("ITSTRAT_FONT_DIR");
    if (!dir || !*dir) dir = "/usr/share/fonts";
    FcConfig *cfg = FcConfigCreate();
    for (size_t i = 0; i < sizeof font_files / sizeof *font_files; i++) {
        Buf path = BUF_INIT;
        buf_printf(&path, "%s/%s", dir, font_files[i]);
        FcBool ok = FcConfigAppFontAddFile(cfg, (const FcChar8 *)buf_str(&path));
        if (!ok)
            buf_printf(err, "the PDF needs the font %s (Debian packages fonts-liberation and "
                            "fonts-dejavu-core; scripts/install-deps.sh installs them)\n",
                       buf_str(&path));
        buf_free(&path);
        if (!ok) {
            FcConfigDestroy(cfg);
            return NULL;
        }
    }
    return cfg;
}

/* Finds "/Key N 0 R" in the dictionary text d..end; 0 when absent. */
static long ref_of(const char *d, const char *end, const char *key)
{
    size_t kl = strlen(key);
    for (const char *s = d; s + kl < end; s++)
        if (memcmp(s, key, kl) == 0 && (s[kl] == ' ' || s[kl] == '\n')) return strtol(s + kl, NULL, 10);
    return 0;
}

static const char *find_last(const char *hay, size_t n, const char *needle)
{
    size_t nl = strlen(needle);
    for (size_t i = n >= nl ? n - nl + 1 : 0; i-- > 0;)
        if (memcmp(hay + i, needle, nl) == 0) return hay + i;
    return NULL;
}

/* The dictionary text (between << and >>) of object num, searched before
 * end; NULL when absent. */
static const char *obj_dict(const char *a, size_t end, long num, size_t *len)
{
    char head[32];
    snprintf(head, sizeof head, "\n%ld 0 obj\n", num);
    const char *obj = find_last(a, end, head);
    if (!obj) return NULL;
    const char *open = strstr(obj, "<<"), *endobj = strstr(obj, "endobj");
    if (!open || !endobj || open > endobj) return NULL;
    for (const char *s = endobj; s > open + 1; s--)
        if (s[0] == '>' && s[-1] == '>') {
            *len = (size_t)(s - 1 - open - 2);
            return open + 2;
        }
    return NULL;
}

/* Appends s as a PDF text string: UTF-16BE with a byte-order mark, in hex. */
static void pdf_text_string(Buf *b, const char *s)
{
    buf_puts(b, "<FEFF");
    const unsigned char *u = (const unsigned char *)s;
    while (*u) {
        unsigned c = *u++, extra = 0;
        if (c >= 0xF0) { c &= 7; extra = 3; }
        else if (c >= 0xE0) { c &= 15; extra = 2; }
        else if (c >= 0xC0) { c &= 31; extra = 1; }
        for (; extra && (*u & 0xC0) == 0x80; extra--) c = c << 6 | (*u++ & 63);
        if (c >= 0x10000) {
            c -= 0x10000;
            buf_printf(b, "%04X%04X", 0xD800 + (c >> 10), 0xDC00 + (c & 0x3FF));
        } else buf_printf(b, "%04X", c);
    }
    buf_putc(b, '>');
}

/* Appends an incremental update to the PDF in b (as cairo 1.16 writes it:
 * classic xref table and trailer) that adds what cairo has no call for:
 * /Lang (lang) in the catalog, and /Alt alts[i] in the i-th Figure
 * structure element. Returns 0, or -1 when the file is not as expected. */
static int pdf_amend(Buf *b, const char *lang, char **alts, size_t nalts)
{
    const char *a = b->a;
    size_t end = b->n;
    const char *tr = find_last(a, end, "trailer");
    const char *sx = find_last(a, end, "startxref");
    if (!tr || !sx) return -1;
    long root = ref_of(tr, a + end, "/Root"), info = ref_of(tr, a + end, "/Info");
    long size = ref_of(tr, a + end, "/Size");
    long prev = strtol(sx + 9, NULL, 10);
    if (root <= 0 || size <= 0 || prev <= 0) return -1;
    long *nums = xcalloc(nalts + 1, sizeof *nums);
    size_t *offs = xcalloc(nalts + 1, sizeof *offs);
    size_t nobj = 0, nfig = 0;
    Buf add = BUF_INIT;
    int rc = -1;
    size_t len;
    const char *d = obj_dict(a, end, root, &len);
    if (!d) goto out;
    offs[nobj] = end + add.n;
    nums[nobj++] = root;
    buf_printf(&add, "%ld 0 obj\n<<", root);
    buf_append(&add, d, len);
    buf_printf(&add, "   /Lang (%s)\n>>\nendobj\n", lang);
    for (long n = 1; n < size && nfig < nalts; n++) {
        d = obj_dict(a, (size_t)(tr - a), n, &len);
        if (!d || len < 30 || memcmp(d, " /Type /StructElem\n   /S /Figure\n", 33) != 0) continue;
        offs[nobj] = end + add.n;
        nums[nobj++] = n;
        buf_printf(&add, "%ld 0 obj\n<<", n);
        buf_append(&add, d, len);
        buf_puts(&add, "   /Alt ");
        pdf_text_string(&add, alts[nfig++]);
        buf_puts(&add, "\n>>\nendobj\n");
    }
    if (nfig != nalts) goto out;
    buf_append(b, add.a, add.n);
    size_t xref = b->n;
    buf_puts(b, "xref\n0 1\n0000000000 65535 f \n");
    for (size_t i = 0; i < nobj; i++) buf_printf(b, "%ld 1\n%010zu 00000 n \n", nums[i], offs[i]);
    buf_printf(b, "trailer\n<< /Size %ld\n   /Root %ld 0 R\n", size, root);
    if (info > 0) buf_printf(b, "   /Info %ld 0 R\n", info);
    buf_printf(b, "   /Prev %ld\n>>\nstartxref\n%zu\n%%%%EOF\n", prev, xref);
    rc = 0;
out:
    buf_free(&add);
    free(nums);
    free(offs);
    return rc;
}

/* "2022-02-14" as the metadata date "2022-02-14T00:00:00"; anything else
 * gives the first day of the report's year. */
static void meta_date(const RData *rd, char *out, size_t n)
{
    if (rd->date && strlen(rd->date) == 10) snprintf(out, n, "%sT00:00:00Z", rd->date);
    else snprintf(out, n, "%04d-01-01T00:00:00Z", rd->year);
}

int report_pdf(const RDoc *doc, ReportOut *out, Buf *err)
{
    const RData *rd = doc->rd;
    int rc = -1;
    Pdf p = {.y = TOP, .page = 1, .err = BUF_INIT};
    PangoFontMap *fm = NULL;
    FcConfig *cfg = fonts(err);
    if (!cfg) return -1;
    fm = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
    if (!fm) {
        buf_puts(err, "pango has no FreeType font map\n");
        FcConfigDestroy(cfg);
        return -1;
    }
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(fm), cfg);
    FcConfigDestroy(cfg); /* the font map holds it */
    pango_cairo_font_map_set_resolution(PANGO_CAIRO_FONT_MAP(fm), 72);
    p.surf = cairo_pdf_surface_create_for_stream(write_buf, &out->main, PAGE_W, PAGE_H);
    cairo_pdf_surface_restrict_to_version(p.surf, CAIRO_PDF_VERSION_1_5);
    const char *title = rd->doc_title ? rd->doc_title : rd->title;
    char when[32];
    meta_date(rd, when, sizeof when);
    cairo_pdf_surface_set_metadata(p.surf, CAIRO_PDF_METADATA_TITLE, title ? title : "");
    if (rd->organization)
        cairo_pdf_surface_set_metadata(p.surf, CAIRO_PDF_METADATA_AUTHOR, rd->organization);
    if (rd->symbol) cairo_pdf_surface_set_metadata(p.surf, CAIRO_PDF_METADATA_SUBJECT, rd->symbol);
    if (doc->manifest)
        cairo_pdf_surface_set_metadata(p.surf, CAIRO_PDF_METADATA_KEYWORDS, doc->manifest);
    cairo_pdf_surface_set_metadata(p.surf, CAIRO_PDF_METADATA_CREATOR, "itstrat " ITSTRAT_VERSION);
    cairo_pdf_surface_set_metadata(p.surf, CAIRO_PDF_METADATA_CREATE_DATE, when);
    cairo_pdf_surface_set_metadata(p.surf, CAIRO_PDF_METADATA_MOD_DATE, when);
    p.cr = cairo_create(p.surf);
    p.pc = pango_font_map_create_context(fm);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(p.pc, fo);
    cairo_font_options_destroy(fo);
    pango_cairo_update_context(p.cr, p.pc);
    PangoLanguage *lang = pango_language_from_string("en");
    pango_context_set_language(p.pc, lang);

    cairo_tag_begin(p.cr, "Document", NULL);
    title_block(&p, rd);
    for (size_t i = 0; i < doc->nblocks; i++) {
        const RBlock *k = &doc->blocks[i];
        Buf m = BUF_INIT;
        switch (k->kind) {
        case RB_HEADING: heading(&p, k->level, k->text, 0); break;
        case RB_PARA:
            esc(&m, k->text);
            para(&p, &m, k);
            break;
        case RB_NARRATIVE: narrative(&p, k); break;
        case RB_NOTE:
            html_lit(&m, "<span foreground=\"#4a4a4a\">");
            esc(&m, k->text);
            html_lit(&m, "</span>");
            plain(&p, buf_str(&m), LEFT + HANG, NULL, 9.5, NULL, 3 * MM);
            break;
        case RB_FIGURE: figure(&p, k); break;
        case RB_TABLE: {
            Table t = {k->text, 0, k->ncols, k->nrows, k->cells, k->numeric, 1};
            table(&p, &t);
            break;
        }
        }
        buf_free(&m);
    }
    page_foot(&p); /* the last page's notes inside the Document element */
    cairo_tag_end(p.cr, "Document");
    cairo_show_page(p.cr);
    cairo_destroy(p.cr);
    cairo_surface_finish(p.surf);
    cairo_status_t st = cairo_surface_status(p.surf);
    cairo_surface_destroy(p.surf);
    if (st != CAIRO_STATUS_SUCCESS) {
        buf_printf(err, "cairo could not write the PDF: %s\n", cairo_status_to_string(st));
        goto out;
    }
    if (pdf_amend(&out->main, "en", p.alts, p.nalts)) {
        buf_puts(err, "the PDF cairo wrote is not laid out as expected (catalog, figures)\n");
        goto out;
    }
    rc = 0;
out:
    free(p.notes);
    for (size_t i = 0; i < p.nalts; i++) free(p.alts[i]);
    free(p.alts);
    g_object_unref(p.pc);
    g_object_unref(fm);
    buf_free(&p.err);
    return rc;
}
