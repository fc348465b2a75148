/*
 * report_html.c — the report as one self-contained HTML file: the style
 * sheet inlined, the figures as inline SVG, no script. Every text from the
 * database goes through html_printf/html_text (escaped) or through the safe
 * Markdown renderer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "chart.h"
#include "html.h"
#include "report.h"
#include "report_narrative.h"

typedef struct HtmlCtx {
    Buf *b;
    int para;            /* paragraphs numbered so far */
    Buf notes;           /* the notes section, built as footnotes appear */
    int nnotes;
    const RBlock *block; /* the block being written */
} HtmlCtx;

/* Appends the footnote markers of the current block and records the notes. */
static void footnote_marks(HtmlCtx *x)
{
    const RBlock *k = x->block;
    for (size_t i = 0; i < k->nfootnotes; i++) {
        int n = ++x->nnotes;
        html_printf(x->b, "<sup class=\"fn\"><a href=\"#fn-%d\" id=\"fnref-%d\" "
                          "aria-label=\"note %d\">%d</a></sup>", n, n, n, n);
        html_printf(&x->notes, "<li id=\"fn-%d\"><p>", n);
        report_inline(&x->notes, k->footnotes[i], NARR_HTML);
        html_printf(&x->notes, " <a href=\"#fnref-%d\" aria-label=\"back to the text of note "
                               "%d\">↩</a></p></li>\n", n, n);
    }
}

static void open_para(HtmlCtx *x)
{
    int n = ++x->para;
    html_printf(x->b, "<p class=\"para\" id=\"para-%d\"><span class=\"pn\">%d.</span> ", n, n);
}

static void narrative_part(void *ctx, const NarrPart *part)
{
    HtmlCtx *x = ctx;
    if (part->is_para) {
        open_para(x);
        buf_puts(x->b, part->text); /* rendered by cmark from safe Markdown */
        if (part->is_last) footnote_marks(x);
        html_lit(x->b, "</p>\n");
    } else {
        html_lit(x->b, "<div class=\"narrative\">");
        buf_puts(x->b, part->text);
        if (part->is_last) footnote_marks(x);
        html_lit(x->b, "</div>\n");
    }
}

static void title_block(HtmlCtx *x, const RData *rd)
{
    Buf *b = x->b;
    html_lit(b, "<header class=\"title-block\">\n<div class=\"tb-top\"><div>");
    if (rd->body) html_printf(b, "<p class=\"tb-body\">%s</p>", rd->body);
    if (rd->session) html_printf(b, "<p class=\"tb-session\">%s</p>", rd->session);
    html_lit(b, "</div>");
    if (rd->symbol) html_printf(b, "<p class=\"tb-symbol\">%s</p>", rd->symbol);
    html_lit(b, "</div>\n");
    if (rd->section || rd->section_code)
        html_printf(b, "<p class=\"tb-section\"><span>%s</span><span>%s</span></p>\n",
                    rd->section ? rd->section : "", rd->section_code ? rd->section_code : "");
    if (rd->date || rd->language) {
        html_lit(b, "<dl class=\"tb-meta\">");
        if (rd->date) {
            char when[64];
            html_printf(b, "<dt>Date:</dt><dd>%s</dd>", report_date(rd->date, when, sizeof when));
        }
        if (rd->language) html_printf(b, "<dt>Original:</dt><dd>%s</dd>", rd->language);
        html_lit(b, "</dl>\n");
    }
    html_printf(b, "<h1>%s</h1>\n", rd->doc_title ? rd->doc_title : rd->title);
    if (rd->summary || rd->author_unit || rd->nrelated) {
        html_lit(b, "<div class=\"summary-box\">\n");
        if (rd->summary) {
            html_lit(b, "<p><strong>Summary:</strong> ");
            report_inline(b, rd->summary, NARR_HTML);
            html_lit(b, "</p>\n");
        }
        if (rd->author_unit)
            html_printf(b, "<p><strong>Author unit:</strong> %s.</p>\n", rd->author_unit);
        if (rd->nrelated) {
            html_lit(b, "<p><strong>Related documents:</strong> ");
            for (size_t k = 0; k < rd->nrelated; k++)
                html_printf(b, "%s%s", k ? "; " : "", rd->related[k]);
            html_lit(b, ".</p>\n");
        }
        html_lit(b, "</div>\n");
    }
    html_lit(b, "</header>\n");
}

/* The bars of a figure, for the chart code. */
static ChartBar *figure_bars(const RBlock *k)
{
    ChartBar *bars = calloc(k->data->n ? k->data->n : 1, sizeof *bars);
    if (!bars) abort();
    for (size_t i = 0; i < k->data->n; i++)
        bars[i] = (ChartBar){k->data->a[i].label, (double)k->data->a[i].n, NULL};
    return bars;
}

/* Fills spec for figure block k (bars allocated, caller frees them). */
void report_figure_spec(const RBlock *k, ChartBars *spec, char *id, size_t idlen)
{
    snprintf(id, idlen, "chart-%d", k->number);
    *spec = (ChartBars){.id = id, .title = k->text, .category_label = k->what,
                        .value_label = k->axis, .unit = NULL, .decimals = 0,
                        .bars = figure_bars(k), .nbars = k->data->n};
}

static void figure(HtmlCtx *x, const RBlock *k)
{
    ChartBars spec;
    char id[32];
    report_figure_spec(k, &spec, id, sizeof id);
    html_printf(x->b, "<figure id=\"figure-%d\" aria-labelledby=\"figure-%d-caption\">\n"
                      "<figcaption id=\"figure-%d-caption\">Figure %d. %s</figcaption>\n",
                k->number, k->number, k->number, k->number, k->text);
    /* The caption above names the figure: the chart itself carries its title
     * only for assistive technology (<title>), not drawn a second time. */
    const char *title = spec.title;
    spec.title = "";
    spec.desc = NULL;
    chart_bars(x->b, &spec);
    spec.title = title;
    chart_bars_table(x->b, &spec);
    html_lit(x->b, "</figure>\n");
    free((void *)spec.bars);
}

static void table(HtmlCtx *x, const RBlock *k)
{
    Buf *b = x->b;
    html_printf(b, "<table>\n<caption>%s</caption>\n<thead><tr>", k->text);
    for (int c = 0; c < k->ncols; c++) {
        const char *h = k->cells[c] ? k->cells[c] : "";
        if (k->numeric >> c & 1) html_printf(b, "<th scope=\"col\" class=\"num\">%s</th>", h);
        else html_printf(b, "<th scope=\"col\">%s</th>", h);
    }
    html_lit(b, "</tr></thead>\n<tbody>\n");
    for (int r = 1; r <= k->nrows; r++) {
        html_lit(b, "<tr>");
        for (int c = 0; c < k->ncols; c++) {
            const char *v = k->cells[r * k->ncols + c];
            if (!v) v = "–";
            if (c == 0) html_printf(b, "<th scope=\"row\">%s</th>", v);
            else if (k->numeric >> c & 1) html_printf(b, "<td class=\"num\">%s</td>", v);
            else html_printf(b, "<td>%s</td>", v);
        }
        html_lit(b, "</tr>\n");
    }
    html_lit(b, "</tbody>\n</table>\n");
}

void report_html(const RDoc *doc, ReportOut *out)
{
    const RData *rd = doc->rd;
    HtmlCtx x = {&out->main, 0, BUF_INIT, 0, NULL};
    Buf *b = x.b;
    const Builtin *css = builtin_find("report/report.css");
    html_lit(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    html_printf(b, "<title>%s%s%s</title>\n", rd->symbol ? rd->symbol : "",
                rd->symbol ? ": " : "", rd->doc_title ? rd->doc_title : rd->title);
    html_lit(b, "<meta name=\"generator\" content=\"itstrat\">\n");
    if (doc->manifest)
        html_printf(b, "<meta name=\"itstrat-manifest\" content=\"%s\">\n", doc->manifest);
    html_lit(b, "<style>\n");
    if (css) buf_append(b, css->data, css->size); /* our own file, compiled in */
    html_lit(b, "</style>\n</head>\n<body>\n<main class=\"report\">\n");
    title_block(&x, rd);
    for (size_t i = 0; i < doc->nblocks; i++) {
        const RBlock *k = &doc->blocks[i];
        x.block = k;
        switch (k->kind) {
        case RB_HEADING:
            html_printf(b, "<h%d id=\"%s\">%s</h%d>\n", k->level, k->anchor ? k->anchor : "",
                        k->text, k->level);
            break;
        case RB_PARA:
            open_para(&x);
            html_text(b, k->text);
            footnote_marks(&x);
            html_lit(b, "</p>\n");
            break;
        case RB_NARRATIVE: report_narrative(k->text, NARR_HTML, 3, narrative_part, &x); break;
        case RB_NOTE: html_printf(b, "<p class=\"aside\">%s</p>\n", k->text); break;
        case RB_FIGURE: figure(&x, k); break;
        case RB_TABLE: table(&x, k); break;
        }
    }
    if (x.nnotes) {
        html_lit(b, "<section class=\"notes\" aria-labelledby=\"notes\">\n<h2 id=\"notes\">"
                    "Notes</h2>\n<ol>\n");
        buf_append(b, x.notes.a, x.notes.n);
        html_lit(b, "</ol>\n</section>\n");
    }
    html_lit(b, "</main>\n</body>\n</html>\n");
    buf_free(&x.notes);
}
