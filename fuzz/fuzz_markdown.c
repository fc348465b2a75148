/*
 * fuzz_markdown.c — libFuzzer target for the safe Markdown layer: any bytes
 * through md_to_html, md_to_commonmark, the escapers and the report's
 * paragraph cutter. Nothing may crash, and no raw "<script" may come out of
 * the HTML renderer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "markdown.h"
#include "report_narrative.h"

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
        if (strncmp(p, "<script", 7) == 0) abort();
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
