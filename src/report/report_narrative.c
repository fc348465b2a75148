/* report_narrative.c — see report_narrative.h. */
#include "report_narrative.h"

#include <cmark.h>
#include <string.h>

#include "markdown.h"

/* Renders node in format; the caller frees the text with cmark's free. */
static char *render(cmark_node *node, int format)
{
    return format == NARR_HTML ? cmark_render_html(node, CMARK_OPT_DEFAULT)
                               : cmark_render_commonmark(node, CMARK_OPT_DEFAULT, 0);
}

/* The inline content of a rendered paragraph: without <p> and </p> (HTML)
 * and without the final newlines. */
static void strip_para(char *s, int format, const char **start)
{
    size_t n = strlen(s);
    while (n && s[n - 1] == '\n') s[--n] = 0;
    *start = s;
    if (format == NARR_HTML && n >= 7 && strncmp(s, "<p>", 3) == 0 &&
        strcmp(s + n - 4, "</p>") == 0) {
        s[n - 4] = 0;
        *start = s + 3;
    }
}

void report_narrative(const char *markdown, int format, int heading_shift,
                      void (*fn)(void *ctx, const NarrPart *part), void *ctx)
{
    if (!markdown) return;
    cmark_node *doc = md_parse_safe(markdown, MD_HEADING_SHIFT(heading_shift));
    void (*cfree)(void *) = cmark_get_default_mem_allocator()->free;
    for (cmark_node *n = cmark_node_first_child(doc); n; n = cmark_node_next(n)) {
        NarrPart part = {cmark_node_get_type(n) == CMARK_NODE_PARAGRAPH,
                         cmark_node_next(n) == NULL, NULL};
        char *s = render(n, format);
        if (part.is_para) {
            strip_para(s, format, &part.text);
        } else {
            size_t len = strlen(s);
            while (len && s[len - 1] == '\n') s[--len] = 0;
            part.text = s;
        }
        fn(ctx, &part);
        cfree(s);
    }
    cmark_node_free(doc);
}

static void inline_part(void *ctx, const NarrPart *part)
{
    Buf *b = ctx;
    if (b->n && b->a[b->n - 1] != ' ') buf_putc(b, ' ');
    buf_puts(b, part->text);
}

void report_inline(Buf *b, const char *markdown, int format)
{
    report_narrative(markdown, format, 0, inline_part, b);
}
