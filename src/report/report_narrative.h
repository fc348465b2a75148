/*
 * report_narrative.h — a narrative (Markdown from the data) cut into the
 * report's numbered paragraphs.
 *
 * The report numbers every paragraph continuously, as governing-body
 * documents do; a list or a quote inside a narrative belongs to the
 * paragraph before it and is not numbered. The Markdown is made safe first
 * (markdown.h: raw HTML becomes text, unsafe links are dropped).
 */
#ifndef ITSTRAT_REPORT_NARRATIVE_H
#define ITSTRAT_REPORT_NARRATIVE_H

#include "buf.h"

enum { NARR_HTML = 0, NARR_COMMONMARK = 1 };

/* One top-level block of a narrative, rendered. */
typedef struct NarrPart {
    int is_para;         /* a paragraph: gets a number */
    int is_last;         /* the narrative's last block */
    const char *text;    /* a paragraph's inline content (no <p>), or a whole block */
} NarrPart;

/* Renders each top-level block of markdown in format (NARR_*) and calls
 * fn for it, in order. Headings are shifted by heading_shift levels. */
void report_narrative(const char *markdown, int format, int heading_shift,
                      void (*fn)(void *ctx, const NarrPart *part), void *ctx);

/* Renders markdown inline: the inline content of its paragraphs, joined by
 * a space (footnotes, table cells). */
void report_inline(Buf *b, const char *markdown, int format);

#endif
