/*
 * markdown.h — Markdown in, safe HTML or Markdown out; text into Markdown.
 *
 * Narratives (a strategy's summary, a progress update) are Markdown written
 * by people. md_to_html and md_to_commonmark parse them with cmark and then
 * make the tree safe before rendering:
 *   - raw HTML (blocks and inline tags) becomes literal text, so
 *     "<script>alert(1)</script>" is shown as written, never run or dropped;
 *   - a link or image whose URL has a scheme other than http, https or
 *     mailto (javascript:, vbscript:, data:, file:, ...) loses its link and
 *     keeps its text (an image keeps its alt text);
 *   - text is cleaned as by html.h: invalid UTF-8 becomes U+FFFD, control
 *     characters other than tab and newline are dropped.
 * HTML is rendered with CMARK_OPT_DEFAULT (cmark's safe mode), never UNSAFE.
 *
 * md_escape_text and md_escape_cell go the other way: they turn arbitrary
 * text into Markdown that shows exactly that text, for reports that are
 * themselves written in Markdown.
 *
 * Nothing here fails: cmark and the Buf abort on out-of-memory.
 */
#ifndef ITSTRAT_MARKDOWN_H
#define ITSTRAT_MARKDOWN_H

#include "buf.h"

/* Flags of md_to_html and md_to_commonmark, or-ed together. */
#define MD_HEADING_SHIFT(n) ((n) & 7) /* demote headings n levels ("#" -> h(1+n)), at most h6 */
#define MD_HARDBREAKS 0x10            /* a newline inside a paragraph is a line break */

/* Parses markdown (NULL reads as "") into a cmark document made safe as
 * md_to_html() describes: raw HTML turned into text, unsafe link and image
 * URLs dropped, headings shifted by MD_HEADING_SHIFT(flags). For callers
 * that walk the tree themselves (the report numbers its paragraphs); the
 * caller frees the document with cmark_node_free(). */
struct cmark_node;
struct cmark_node *md_parse_safe(const char *markdown, int flags);

/* Appends the HTML of markdown, made safe as above, with headings demoted
 * by MD_HEADING_SHIFT(flags). markdown may be NULL (nothing appended).
 * Allocates only temporarily (the cmark tree and its rendering). */
void md_to_html(Buf *b, const char *markdown, int flags);

/* Appends markdown re-emitted as CommonMark after the same treatment, so
 * that raw HTML in a narrative arrives in a Markdown report as escaped text
 * (\<script\>...) and dangerous links as plain text. Lines are not wrapped.
 * markdown may be NULL (nothing appended). */
void md_to_commonmark(Buf *b, const char *markdown, int flags);

/* Appends text escaped for literal inclusion in CommonMark or GFM inline
 * content: emphasis, code, link, autolink, HTML, table and strikethrough
 * characters are backslash-escaped, and so are the characters that would
 * start a block at the start of a line (# > + - = and the "1." / "1)" of an
 * ordered list). Leading and trailing spaces and tabs of each line become
 * &#32; / &#9; so they are not stripped or read as indentation; a newline
 * becomes a hard line break (backslash-newline); trailing newlines are
 * dropped; text is cleaned as above. Rendered by md_to_html, the result
 * shows exactly the cleaned text (with <br /> for each newline).
 * Not prevented: GFM's autolink extension still links bare www. / http://
 * text and e-mail addresses (the text shown stays the same). NULL: nothing. */
void md_escape_text(Buf *b, const char *text);

/* As md_escape_text for a cell of a GFM table: | is escaped too (always)
 * and each newline becomes a space, so the cell stays on its row. */
void md_escape_cell(Buf *b, const char *text);

#endif
