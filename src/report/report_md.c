/*
 * report_md.c — the report as CommonMark/GFM: headings, numbered
 * paragraphs ("6\." so that a paragraph never turns into a list), GFM tables,
 * GFM footnotes, and the figures as SVG files beside the text. Text from the
 * database is escaped with md_escape_text/md_escape_cell; narratives are
 * re-emitted by cmark from their safe tree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "markdown.h"
#include "mem.h"
#include "report.h"
#include "report_narrative.h"

typedef struct MdCtx {
    Buf *b;
    int para;
    Buf notes;
    int nnotes;
    const RBlock *block;
} MdCtx;

static void footnote_marks(MdCtx *x)
{
    const RBlock *k = x->block;
    for (size_t i = 0; i < k->nfootnotes; i++) {
        int n = ++x->nnotes;
        buf_printf(x->b, "[^%d]", n);
        buf_printf(&x->notes, "[^%d]: ", n);
        Buf one = BUF_INIT;
        report_inline(&one, k->footnotes[i], NARR_COMMONMARK);
        /* A note is one paragraph: its own line breaks become spaces. */
        for (size_t c = 0; c < one.n; c++)
            if (one.a[c] == '\n') one.a[c] = ' ';
        buf_append(&x->notes, one.a, one.n);
        buf_free(&one);
        buf_puts(&x->notes, "\n");
    }
}

static void narrative_part(void *ctx, const NarrPart *part)
{
    MdCtx *x = ctx;
    if (part->is_para) buf_printf(x->b, "%d\\. ", ++x->para);
    buf_puts(x->b, part->text); /* cmark's CommonMark of a safe tree */
    if (part->is_last) footnote_marks(x);
    buf_puts(x->b, "\n\n");
}

static void line(Buf *b, const char *label, const char *value)
{
    if (!value) return;
    buf_printf(b, "**%s** ", label);
    md_escape_text(b, value);
    buf_puts(b, "\n\n");
}

static void title_block(MdCtx *x, const RData *rd)
{
    Buf *b = x->b;
    if (rd->body) {
        buf_puts(b, "# ");
        md_escape_text(b, rd->body);
        buf_puts(b, "\n\n");
    }
    if (rd->session) {
        md_escape_text(b, rd->session);
        buf_puts(b, "\n\n");
    }
    if (rd->symbol) line(b, "Symbol:", rd->symbol);
    if (rd->section) {
        md_escape_text(b, rd->section);
        if (rd->section_code) {
            buf_puts(b, " (");
            md_escape_text(b, rd->section_code);
            buf_puts(b, ")");
        }
        buf_puts(b, "\n\n");
    }
    char when[64];
    if (rd->date) line(b, "Date:", report_date(rd->date, when, sizeof when));
    line(b, "Original:", rd->language);
    buf_puts(b, "## ");
    md_escape_text(b, rd->doc_title ? rd->doc_title : rd->title);
    buf_puts(b, "\n\n");
    if (rd->summary) {
        buf_puts(b, "**Summary:** ");
        report_inline(b, rd->summary, NARR_COMMONMARK);
        buf_puts(b, "\n\n");
    }
    if (rd->author_unit) line(b, "Author unit:", rd->author_unit);
    if (rd->nrelated) {
        buf_puts(b, "**Related documents:** ");
        for (size_t k = 0; k < rd->nrelated; k++) {
            if (k) buf_puts(b, "; ");
            md_escape_text(b, rd->related[k]);
        }
        buf_puts(b, "\n\n");
    }
    buf_puts(b, "---\n\n");
}

static void table(MdCtx *x, const RBlock *k)
{
    Buf *b = x->b;
    buf_puts(b, "**");
    md_escape_text(b, k->text);
    buf_puts(b, "**\n\n|");
    for (int c = 0; c < k->ncols; c++) {
        buf_puts(b, " ");
        md_escape_cell(b, k->cells[c] ? k->cells[c] : "");
        buf_puts(b, " |");
    }
    buf_puts(b, "\n|");
    for (int c = 0; c < k->ncols; c++) buf_puts(b, k->numeric >> c & 1 ? " ---: |" : " --- |");
    buf_puts(b, "\n");
    for (int r = 1; r <= k->nrows; r++) {
        buf_puts(b, "|");
        for (int c = 0; c < k->ncols; c++) {
            const char *v = k->cells[r * k->ncols + c];
            buf_puts(b, " ");
            md_escape_cell(b, v ? v : "–");
            buf_puts(b, " |");
        }
        buf_puts(b, "\n");
    }
    buf_puts(b, "\n");
}

static void figure(MdCtx *x, const RBlock *k, const char *stem, ReportOut *out)
{
    ChartBars spec;
    char id[32];
    report_figure_spec(k, &spec, id, sizeof id);
    out->files = xrealloc(out->files, (out->nfiles + 1) * sizeof *out->files);
    RFile *f = &out->files[out->nfiles++];
    Buf name = BUF_INIT;
    buf_printf(&name, "%s-figure-%d.svg", stem, k->number);
    f->name = buf_detach(&name);
    f->data = (Buf)BUF_INIT;
    buf_puts(&f->data, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    chart_bars(&f->data, &spec);
    buf_puts(&f->data, "\n");
    Buf *b = x->b;
    buf_printf(b, "**Figure %d. ", k->number);
    md_escape_text(b, k->text);
    buf_puts(b, "**\n\n![Figure ");
    buf_printf(b, "%d: ", k->number);
    md_escape_cell(b, k->text);
    buf_puts(b, "](");
    /* The stem comes from the output file name: escape what a link target
     * cannot hold bare. */
    for (const char *p = f->name; *p; p++) {
        if (*p == ' ' || *p == '(' || *p == ')' || *p == '<' || *p == '>' || *p == '\\')
            buf_printf(b, "%%%02X", (unsigned char)*p);
        else
            buf_putc(b, *p);
    }
    buf_puts(b, ")\n\n");
    /* The data as a table, for screen readers and for the record. */
    RBlock t = {.kind = RB_TABLE, .ncols = 2, .nrows = (int)k->data->n, .numeric = 2u};
    Buf cap = BUF_INIT;
    buf_printf(&cap, "Data of figure %d", k->number);
    t.text = buf_str(&cap);
    const char **cells = xcalloc((k->data->n + 1) * 2, sizeof *cells);
    char (*nums)[24] = xcalloc(k->data->n + 1, sizeof *nums);
    cells[0] = k->what ? k->what : "";
    cells[1] = k->axis ? k->axis : "Value";
    for (size_t i = 0; i < k->data->n; i++) {
        cells[(i + 1) * 2] = k->data->a[i].label;
        snprintf(nums[i], sizeof nums[i], "%lld", (long long)k->data->a[i].n);
        cells[(i + 1) * 2 + 1] = nums[i];
    }
    t.cells = cells;
    table(x, &t);
    free(cells);
    free(nums);
    buf_free(&cap);
    free((void *)spec.bars);
}

void report_md(const RDoc *doc, const char *stem, ReportOut *out)
{
    MdCtx x = {&out->main, 0, BUF_INIT, 0, NULL};
    Buf *b = x.b;
    title_block(&x, doc->rd);
    for (size_t i = 0; i < doc->nblocks; i++) {
        const RBlock *k = &doc->blocks[i];
        x.block = k;
        switch (k->kind) {
        case RB_HEADING:
            for (int l = 0; l < k->level; l++) buf_putc(b, '#');
            buf_putc(b, ' ');
            md_escape_text(b, k->text);
            buf_puts(b, "\n\n");
            break;
        case RB_PARA:
            buf_printf(b, "%d\\. ", ++x.para);
            md_escape_text(b, k->text);
            footnote_marks(&x);
            buf_puts(b, "\n\n");
            break;
        case RB_NARRATIVE: report_narrative(k->text, NARR_COMMONMARK, 3, narrative_part, &x); break;
        case RB_NOTE:
            buf_puts(b, "*");
            md_escape_text(b, k->text);
            buf_puts(b, "*\n\n");
            break;
        case RB_FIGURE: figure(&x, k, stem, out); break;
        case RB_TABLE: table(&x, k); break;
        }
    }
    if (x.nnotes) {
        buf_puts(b, "---\n\n");
        buf_append(b, x.notes.a, x.notes.n);
    }
    /* One final newline. */
    while (b->n >= 2 && b->a[b->n - 1] == '\n' && b->a[b->n - 2] == '\n') buf_truncate(b, b->n - 1);
    buf_free(&x.notes);
}
