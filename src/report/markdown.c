/* markdown.c — see markdown.h. */
#include "markdown.h"

#include <cmark.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "mem.h"

/* ---- cleaning text -------------------------------------------------- */

/* Appends the UTF-8 form of cp. */
static void put_cp(Buf *b, uint32_t cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    buf_append(b, u, n);
}

/* Appends s cleaned as html.h cleans text (not escaped). Returns 1 when
 * that changed something. */
static int clean(Buf *out, const char *s)
{
    size_t n = strlen(s), i = 0;
    int changed = 0;
    while (i < n) {
        uint32_t cp;
        size_t k = html_next_char(s + i, n - i, &cp);
        if (cp == HTML_CP_DROP) {
            changed = 1;
        } else if (cp == 0xFFFD && !(k == 3 && !memcmp(s + i, "\xEF\xBF\xBD", 3))) {
            put_cp(out, cp);
            changed = 1;
        } else {
            buf_append(out, s + i, k);
        }
        i += k;
    }
    return changed;
}

/* Cleans a node's string in place through its getter and setter. */
static void clean_node(cmark_node *node, const char *(*get)(cmark_node *),
                       int (*set)(cmark_node *, const char *), Buf *tmp)
{
    const char *s = get(node);
    if (!s) return;
    buf_reset(tmp);
    if (clean(tmp, s)) set(node, buf_str(tmp));
}

/* ---- making the tree safe ------------------------------------------- */

/* Whether a link or image may keep url: no scheme (a relative URL), or
 * http, https or mailto. Browsers ignore leading controls and spaces and
 * tabs and newlines anywhere in a scheme, so this does too. */
static int url_safe(const char *url)
{
    static const char *const allowed[] = {"http", "https", "mailto", NULL};
    char scheme[8];
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)url;
    while (*p && *p <= ' ') p++;
    for (; *p && *p != ':'; p++) {
        if (*p == '/' || *p == '?' || *p == '#') return 1;
        if (*p == '\t' || *p == '\n' || *p == '\r') continue;
        if (n + 1 >= sizeof scheme) return 0;
        scheme[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    }
    if (!*p) return 1;
    scheme[n] = 0;
    for (const char *const *a = allowed; *a; a++)
        if (!strcmp(scheme, *a)) return 1;
    return 0;
}

/* Inserts the lines of text before node as text nodes separated by nodes
 * of type brk (a soft or hard line break). A final newline is dropped. */
static void insert_lines(cmark_node *node, const char *text, cmark_node_type brk)
{
    size_t n = strlen(text);
    while (n && text[n - 1] == '\n') n--;
    Buf line = BUF_INIT;
    for (size_t i = 0; i <= n;) {
        const char *nl = memchr(text + i, '\n', n - i);
        size_t end = nl ? (size_t)(nl - text) : n;
        if (i > 0) cmark_node_insert_before(node, cmark_node_new(brk));
        if (end > i) {
            buf_reset(&line);
            buf_append(&line, text + i, end - i);
            cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
            cmark_node_set_literal(t, buf_str(&line));
            cmark_node_insert_before(node, t);
        }
        i = end + 1;
    }
    buf_free(&line);
}

/* Replaces node (raw HTML, or a link or image with an unsafe URL). */
static void defuse(cmark_node *node)
{
    switch (cmark_node_get_type(node)) {
    case CMARK_NODE_HTML_INLINE:
        insert_lines(node, cmark_node_get_literal(node), CMARK_NODE_SOFTBREAK);
        break;
    case CMARK_NODE_HTML_BLOCK: {
        cmark_node *para = cmark_node_new(CMARK_NODE_PARAGRAPH);
        cmark_node *end = cmark_node_new(CMARK_NODE_TEXT); /* a marker to insert before */
        cmark_node_append_child(para, end);
        insert_lines(end, cmark_node_get_literal(node), CMARK_NODE_LINEBREAK);
        cmark_node_free(end);
        cmark_node_insert_before(node, para);
        break;
    }
    default: { /* link or image: keep its content */
        cmark_node *child;
        while ((child = cmark_node_first_child(node))) cmark_node_insert_before(node, child);
    }
    }
    cmark_node_free(node); /* also unlinks it */
}

cmark_node *md_parse_safe(const char *markdown, int flags)
{
    if (!markdown) markdown = "";
    cmark_node *doc = cmark_parse_document(markdown, strlen(markdown),
                                           CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8);
    cmark_node **adefuse = NULL;
    size_t ndefuse = 0, cap = 0;
    int shift = MD_HEADING_SHIFT(flags);
    Buf tmp = BUF_INIT;
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        if (ev != CMARK_EVENT_ENTER) continue;
        cmark_node *node = cmark_iter_get_node(it);
        int bad = 0;
        switch (cmark_node_get_type(node)) {
        case CMARK_NODE_HTML_BLOCK:
        case CMARK_NODE_HTML_INLINE:
            bad = 1; /* and the text it becomes is cleaned: */
            /* fall through */
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE:
            clean_node(node, cmark_node_get_literal, cmark_node_set_literal, &tmp);
            break;
        case CMARK_NODE_CODE_BLOCK:
            clean_node(node, cmark_node_get_literal, cmark_node_set_literal, &tmp);
            clean_node(node, cmark_node_get_fence_info, cmark_node_set_fence_info, &tmp);
            break;
        case CMARK_NODE_LINK:
        case CMARK_NODE_IMAGE:
            clean_node(node, cmark_node_get_title, cmark_node_set_title, &tmp);
            bad = !url_safe(cmark_node_get_url(node) ? cmark_node_get_url(node) : "");
            break;
        case CMARK_NODE_HEADING: {
            int level = cmark_node_get_heading_level(node) + shift;
            cmark_node_set_heading_level(node, level > 6 ? 6 : level);
            break;
        }
        default: break;
        }
        if (bad) {
            if (ndefuse == cap) {
                cap = cap ? cap * 2 : 16;
                adefuse = xrealloc(adefuse, cap * sizeof *adefuse);
            }
            adefuse[ndefuse++] = node;
        }
    }
    cmark_iter_free(it);
    /* After the walk: the iterator must not see the tree change under it. */
    for (size_t k = 0; k < ndefuse; k++) defuse(adefuse[k]);
    free(adefuse);
    buf_free(&tmp);
    return doc;
}

/* Appends text that cmark allocated, and frees it. */
static void take(Buf *b, char *text)
{
    buf_puts(b, text);
    cmark_get_default_mem_allocator()->free(text);
}

void md_to_html(Buf *b, const char *markdown, int flags)
{
    if (!markdown) return;
    cmark_node *doc = md_parse_safe(markdown, flags);
    int opt = CMARK_OPT_DEFAULT | (flags & MD_HARDBREAKS ? CMARK_OPT_HARDBREAKS : 0);
    take(b, cmark_render_html(doc, opt));
    cmark_node_free(doc);
}

void md_to_commonmark(Buf *b, const char *markdown, int flags)
{
    if (!markdown) return;
    cmark_node *doc = md_parse_safe(markdown, flags);
    int opt = CMARK_OPT_DEFAULT | (flags & MD_HARDBREAKS ? CMARK_OPT_HARDBREAKS : 0);
    take(b, cmark_render_commonmark(doc, opt, 0));
    cmark_node_free(doc);
}

/* ---- escaping text into Markdown ------------------------------------- */

/* Spaces and tabs as character references: never stripped, never indent. */
static void put_blanks(Buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) buf_puts(b, s[i] == '\t' ? "&#9;" : "&#32;");
}

/* Appends one line (no newline in it) escaped. */
static void escape_line(Buf *b, const char *s, size_t n)
{
    size_t lead = 0, trail = 0;
    while (lead < n && (s[lead] == ' ' || s[lead] == '\t')) lead++;
    while (trail < n - lead && (s[n - 1 - trail] == ' ' || s[n - 1 - trail] == '\t')) trail++;
    put_blanks(b, s, lead);
    size_t i = lead, end = n - trail;
    if (i < end && strchr("#>+-=", s[i])) {
        buf_putc(b, '\\');
    } else if (i < end && s[i] >= '0' && s[i] <= '9') { /* "2019." is a list item */
        size_t d = i;
        while (d < end && s[d] >= '0' && s[d] <= '9') d++;
        if (d < end && (s[d] == '.' || s[d] == ')')) {
            buf_append(b, s + i, d - i);
            buf_putc(b, '\\');
            i = d;
        }
    }
    for (; i < end; i++) {
        char c = s[i];
        if (strchr("\\`*_[]<|~", c) ||
            (c == '&' && i + 1 < end &&
             (s[i + 1] == '#' || (s[i + 1] >= 'a' && s[i + 1] <= 'z') ||
              (s[i + 1] >= 'A' && s[i + 1] <= 'Z') || (s[i + 1] >= '0' && s[i + 1] <= '9'))))
            buf_putc(b, '\\');
        buf_putc(b, c);
    }
    put_blanks(b, s + end, trail);
}

/* md_escape_text and md_escape_cell: newline_as is what separates lines. */
static void escape(Buf *b, const char *text, const char *newline_as)
{
    if (!text) return;
    Buf t = BUF_INIT;
    clean(&t, text);
    size_t n = t.n;
    while (n && t.a[n - 1] == '\n') n--;
    for (size_t i = 0; i < n;) {
        const char *nl = memchr(t.a + i, '\n', n - i);
        size_t end = nl ? (size_t)(nl - t.a) : n;
        if (i > 0) buf_puts(b, newline_as);
        escape_line(b, t.a + i, end - i);
        i = end + 1;
    }
    buf_free(&t);
}

void md_escape_text(Buf *b, const char *text) { escape(b, text, "\\\n"); }

void md_escape_cell(Buf *b, const char *text) { escape(b, text, " "); }
