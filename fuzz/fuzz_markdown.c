/*
 * fuzz_markdown.c — libFuzzer target for the safe Markdown layer: any bytes
 * through md_to_html, md_to_commonmark, the escapers and the report's
 * paragraph cutter. Nothing may crash, and every tag that comes out of the
 * HTML renderer is one cmark writes for Markdown (raw HTML, in any case,
 * must have become text).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "markdown.h"
#include "report_narrative.h"

/* 1 when p (at a '<') opens or closes a tag cmark renders for Markdown. */
static int md_tag_ok(const char *p)
{
    static const char *const tags[] = {"p",  "em", "strong", "code", "pre", "a",  "img",
                                       "h1", "h2", "h3",     "h4",   "h5",  "h6", "ul",
                                       "ol", "li", "blockquote", "hr", "br", NULL};
    p += p[1] == '/' ? 2 : 1;
    size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789");
    if (!n || (p[n] != '>' && p[n] != ' ' && p[n] != '/')) return 0;
    for (const char *const *t = tags; *t; t++)
        if (strlen(*t) == n && !strncmp(p, *t, n)) return 1;
    return 0;
}

static void part(void *ctx, const NarrPart *p)
{
    buf_puts(ctx, p->text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s) return 0;
    memcpy(s, data, size);
    s[size] = 0; /* the database holds NUL-terminated text */
    Buf b = BUF_INIT;
    md_to_html(&b, s, MD_HEADING_SHIFT(size % 4));
    for (const char *p = buf_str(&b); (p = strchr(p, '<')); p++)
        if (!md_tag_ok(p)) abort();
    buf_reset(&b);
    md_to_commonmark(&b, s, 0);
    buf_reset(&b);
    md_escape_text(&b, s);
    buf_reset(&b);
    md_escape_cell(&b, s);
    buf_reset(&b);
    report_narrative(s, (int)(size & 1), 3, part, &b);
    buf_free(&b);
    free(s);
    return 0;
}
