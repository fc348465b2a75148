/*
 * test_markdown.c — Markdown made safe: raw HTML shown as text, dangerous
 * links removed, headings shifted; text escaped into Markdown shows exactly
 * that text (round trip through md_to_html for many hostile strings).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "markdown.h"

#define FFFD "\xEF\xBF\xBD"

static char out[1 << 16];

/* md_to_html(in, flags) as a string in out. */
static const char *html(const char *in, int flags)
{
    Buf b = BUF_INIT;
    md_to_html(&b, in, flags);
    snprintf(out, sizeof out, "%s", buf_str(&b));
    buf_free(&b);
    return out;
}

static const char *commonmark(const char *in)
{
    Buf b = BUF_INIT;
    md_to_commonmark(&b, in, 0);
    snprintf(out, sizeof out, "%s", buf_str(&b));
    buf_free(&b);
    return out;
}

static void test_raw_html_is_shown_as_text(void **state)
{
    (void)state;
    assert_string_equal(html("<script>alert(1)</script>", 0),
                        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n");
    assert_string_equal(html("Hello <b>x</b> <img src=x onerror=alert(1)>", 0),
                        "<p>Hello &lt;b&gt;x&lt;/b&gt; &lt;img src=x onerror=alert(1)&gt;</p>\n");
    assert_string_equal(html("<div>\n<b>x</b>\n\n</div>\n\nafter", 0),
                        "<p>&lt;div&gt;<br />\n&lt;b&gt;x&lt;/b&gt;</p>\n"
                        "<p>&lt;/div&gt;</p>\n<p>after</p>\n");
    assert_string_equal(html("<!-- hidden -->", 0), "<p>&lt;!-- hidden --&gt;</p>\n");
    assert_string_equal(html("- item <a href=\"javascript:x\">\nnext", 0),
                        "<ul>\n<li>item &lt;a href=&quot;javascript:x&quot;&gt;\nnext</li>\n</ul>\n");
    assert_string_equal(html("> <style>body{}</style>", 0),
                        "<blockquote>\n<p>&lt;style&gt;body{}&lt;/style&gt;</p>\n</blockquote>\n");
    assert_string_equal(html("<a\nhref='x'>y</a>", 0),
                        "<p>&lt;a\nhref='x'&gt;y&lt;/a&gt;</p>\n");
    /* no raw HTML survives anywhere */
    const char *nasty = "<iframe src=x></iframe>\n\n*a <svg onload=alert(1)>*\n\n"
                        "<?php x ?>\n\n<![CDATA[x]]>\n\n<!DOCTYPE html>";
    const char *h = html(nasty, 0);
    assert_null(strstr(h, "<iframe"));
    assert_null(strstr(h, "<svg"));
    assert_null(strstr(h, "<?"));
    assert_null(strstr(h, "<!"));
    assert_null(strstr(h, "raw HTML omitted"));
    assert_non_null(strstr(h, "<em>a &lt;svg onload=alert(1)&gt;</em>"));
}

static void test_dangerous_links_lose_their_url(void **state)
{
    (void)state;
    assert_string_equal(html("[a](javascript:alert(1))", 0), "<p>a</p>\n");
    assert_string_equal(html("[a *b*](JaVaScRiPt:alert(1))", 0), "<p>a <em>b</em></p>\n");
    assert_string_equal(html("[a](java&#x09;script:alert(1))", 0), "<p>a</p>\n");
    assert_string_equal(html("[a](&#x01;javascript:alert(1))", 0), "<p>a</p>\n");
    assert_string_equal(html("[a](vbscript:msgbox)", 0), "<p>a</p>\n");
    assert_string_equal(html("[a](data:text/html;base64,PHNjcmlwdD4=)", 0), "<p>a</p>\n");
    assert_string_equal(html("[a](file:///etc/passwd)", 0), "<p>a</p>\n");
    assert_string_equal(html("![pic](javascript:alert(1))", 0), "<p>pic</p>\n");
    assert_string_equal(html("![pic](data:image/svg+xml;base64,xx)", 0), "<p>pic</p>\n");
    assert_string_equal(html("<javascript:alert(1)>", 0), "<p>javascript:alert(1)</p>\n");
    assert_string_equal(html("[x]\n\n[x]: javascript:alert(1)", 0), "<p>x</p>\n");
    /* safe ones stay */
    assert_string_equal(html("[a](https://example.org/?a=1&b=\"2\" \"t<\")", 0),
                        "<p><a href=\"https://example.org/?a=1&amp;b=%222%22\" "
                        "title=\"t&lt;\">a</a></p>\n");
    assert_string_equal(html("[a](/relative/path:x) [b](#frag:x) [c](mailto:a@b.org) "
                             "[d](HTTP://X.ORG)",
                             0),
                        "<p><a href=\"/relative/path:x\">a</a> <a href=\"#frag:x\">b</a> "
                        "<a href=\"mailto:a@b.org\">c</a> <a href=\"HTTP://X.ORG\">d</a></p>\n");
    assert_string_equal(html("![chart](img/c.png)", 0),
                        "<p><img src=\"img/c.png\" alt=\"chart\" /></p>\n");
}

static void test_headings_shift(void **state)
{
    (void)state;
    assert_string_equal(html("# A\n## B\n###### C\nD\n-", MD_HEADING_SHIFT(3)),
                        "<h4>A</h4>\n<h5>B</h5>\n<h6>C</h6>\n<h5>D</h5>\n");
    assert_string_equal(html("# A", 0), "<h1>A</h1>\n");
    assert_string_equal(html("a\nb", MD_HARDBREAKS), "<p>a<br />\nb</p>\n");
    assert_string_equal(html("a\nb", 0), "<p>a\nb</p>\n");
    Buf b = BUF_INIT;
    md_to_commonmark(&b, "# Update\n\ntext", MD_HEADING_SHIFT(2));
    assert_string_equal(buf_str(&b), "### Update\n\ntext\n");
    buf_free(&b);
}

static void test_text_is_cleaned(void **state)
{
    (void)state;
    assert_string_equal(html("a\x01" "b \xff `c\x02` &#1;&#0;", 0),
                        "<p>ab " FFFD " <code>c</code> " FFFD "</p>\n");
    assert_string_equal(html("```x\x1b\ny\x7f\n```", 0),
                        "<pre><code class=\"language-x\">y\n</code></pre>\n");
    assert_string_equal(html("[a](/x \"t\x03\")", 0), "<p><a href=\"/x\" title=\"t\">a</a></p>\n");
    Buf b = BUF_INIT;
    md_to_html(&b, NULL, 0);
    md_to_commonmark(&b, NULL, 0);
    md_escape_text(&b, NULL);
    md_escape_cell(&b, NULL);
    assert_int_equal(b.n, 0);
    md_to_html(&b, "", 0);
    assert_string_equal(buf_str(&b), "");
    buf_free(&b);
}

static void test_commonmark_output_is_safe(void **state)
{
    (void)state;
    const char *in = "Hi <script>alert(1)</script> and [x](javascript:y).\n\n"
                     "<div onclick=\"z()\">\nblock\n</div>\n\n# Title\n\n*em* [ok](https://a.org)";
    const char *cm = commonmark(in);
    /* every < is backslash-escaped: no raw HTML */
    for (const char *p = cm; (p = strchr(p, '<')); p++) assert_true(p > cm && p[-1] == '\\');
    assert_non_null(strstr(cm, "\\<script\\>alert(1)\\</script\\>"));
    assert_null(strstr(cm, "javascript:y"));
    assert_non_null(strstr(cm, "[ok](https://a.org)"));
    /* rendered again, the Markdown shows the same as the original */
    char again[sizeof out];
    snprintf(again, sizeof again, "%s", html(cm, 0));
    assert_string_equal(again, html(in, 0));
    assert_non_null(strstr(again, "&lt;script&gt;alert(1)&lt;/script&gt;"));
}

/* The tree md_parse_safe hands to callers that walk it themselves holds no
 * raw HTML and no unsafe link, and headings are shifted. */
static void test_parse_safe_tree(void **state)
{
    (void)state;
    cmark_node *doc = md_parse_safe("# H\n\n<div>x</div>\n\na <b>c</b> [l](javascript:x) "
                                    "![i](data:image/png;base64,AA) [ok](/p)",
                                    MD_HEADING_SHIFT(2));
    int links = 0, headings = 0;
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER) continue;
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_HTML_BLOCK:
        case CMARK_NODE_HTML_INLINE:
        case CMARK_NODE_IMAGE: fail_msg("unsafe node left: %s", cmark_node_get_type_string(n));
        case CMARK_NODE_LINK:
            assert_string_equal(cmark_node_get_url(n), "/p");
            links++;
            break;
        case CMARK_NODE_HEADING:
            assert_int_equal(cmark_node_get_heading_level(n), 3);
            headings++;
            break;
        default: break;
        }
    }
    cmark_iter_free(it);
    cmark_node_free(doc);
    assert_int_equal(links, 1);
    assert_int_equal(headings, 1);
    doc = md_parse_safe(NULL, 0);
    assert_non_null(doc);
    assert_null(cmark_node_first_child(doc));
    cmark_node_free(doc);
}

/* ---- md_escape_text round trip --------------------------------------- */

/* The text a reader sees in the HTML of one escaped paragraph: fails the
 * test on any tag other than the <p> around it and <br /> line breaks. */
static void shown_text(const char *h, Buf *text)
{
    buf_reset(text);
    if (!*h) return;
    size_t n = strlen(h);
    if (strncmp(h, "<p>", 3) || n < 8 || strcmp(h + n - 5, "</p>\n")) fail_msg("not one paragraph: %s", h);
    for (size_t i = 3; i < n - 5;) {
        if (!strncmp(h + i, "<br />\n", 7)) {
            buf_putc(text, '\n');
            i += 7;
        } else if (h[i] == '<') {
            fail_msg("markup in %s", h);
        } else if (h[i] == '&') {
            static const char *const ent[][2] = {
                {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}};
            size_t k = 0;
            while (k < 4 && strncmp(h + i, ent[k][0], strlen(ent[k][0]))) k++;
            if (k == 4) fail_msg("unexpected reference in %s", h);
            buf_puts(text, ent[k][1]);
            i += strlen(ent[k][0]);
        } else {
            buf_putc(text, h[i++]);
        }
    }
}

/* The text md_escape_text promises to show: trailing newlines dropped (the
 * inputs below have no control characters and valid UTF-8). */
static void expect_round_trip(const char *x)
{
    Buf md = BUF_INIT, h = BUF_INIT, text = BUF_INIT;
    md_escape_text(&md, x);
    md_to_html(&h, buf_str(&md), 0);
    shown_text(buf_str(&h), &text);
    size_t n = strlen(x);
    while (n && x[n - 1] == '\n') n--;
    if (text.n != n || memcmp(buf_str(&text), x, n))
        fail_msg("round trip of [%s]\nmarkdown [%s]\nhtml [%s]\nshows [%s]", x, buf_str(&md),
                 buf_str(&h), buf_str(&text));
    buf_free(&md);
    buf_free(&h);
    buf_free(&text);
}

static const char *const hostile[] = {
    "*bold* | pipe", "<b>", "[x](y)", "# heading", "#", "1. item", "1) item", "2019. A year",
    "- item", "-", "+ item", "> quote", ">", "    indented code", "\tcode", "```", "~~~ x",
    "---", "***", "___", "* * *", "a\n===", "a\n---", "a\n=", "`code`", "``", "\\", "a\\",
    "\\*", "a\\\nb", "&amp;", "&#42;", "&copy", "&", "AT&T", "x & y;", "&#x3C;",
    "<script>alert(1)</script>", "<!-- c -->", "<http://x.y>", "![i](j)", "[a]: http://x",
    "[a]\n\n[a]: /x", "a  \nb", " lead", "trail ", "  both  ", "\tTab\t", "a\n\nb", "a\n\n\nb",
    "\nb", "\n\nb", "a\n", "a\n\n", "_u_", "__u__", "~~s~~", "| a | b |\n|---|---|\n| 1 | 2 |",
    "C:\\path\\file.txt", "*", "**", "[", "]", "![", "javascript:alert(1)", "100%", "#hashtag",
    "a # b #", "\xc2\xa0nbsp", "\xc3\xa9 *\xc3\xa9*", "1\\. already", "-1", "+1", "=", "==",
    "a\n    b", "    ", " ", "\t", "", "\n", "a\n  - b\n  > c\n  1. d", "<", "<>", "< a >",
    "a <b> c", "\"quoted\" 'single'", "(parens)", "[link]", "[ref][]", "*a\nb*", "**a** _b_",
    "a*b*c", "2 * 3 = 6", "x_y_z", "1.5", "12345678901.", "1)", "- [ ] task", "$x$", "{attr}",
    "Setext\n------", "    \n    ", "\\\\", "\\n", "</p>", "<br />", "a\\\\\nb",
};

static void test_escape_text_round_trip(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof hostile / sizeof *hostile; i++) expect_round_trip(hostile[i]);
}

/* Random strings over the characters Markdown cares about. */
static void test_escape_text_round_trip_random(void **state)
{
    (void)state;
    static const char alphabet[] = "*_`[]()<>#+-=.!|~&\\ \t\n1a:;\"'/{}$^@%";
    uint32_t seed = 12345;
    char s[40];
    for (int round = 0; round < 20000; round++) {
        seed = seed * 1103515245u + 12345u;
        size_t n = (seed >> 16) % (sizeof s - 1);
        for (size_t k = 0; k < n; k++) {
            seed = seed * 1103515245u + 12345u;
            s[k] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        s[n] = 0;
        expect_round_trip(s);
    }
}

static void test_escape_text_output(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    md_escape_text(&b, "*bold* | pipe <b> [x](y)");
    assert_string_equal(buf_str(&b), "\\*bold\\* \\| pipe \\<b> \\[x\\](y)");
    buf_reset(&b);
    md_escape_text(&b, "# h\n1. one\n- two\n> three\n  four ");
    assert_string_equal(buf_str(&b),
                        "\\# h\\\n1\\. one\\\n\\- two\\\n\\> three\\\n&#32;&#32;four&#32;");
    buf_reset(&b);
    md_escape_text(&b, "Dr. Smith's plan: 3.5% (A&B) \xc3\xa9\x01\xff\n\n");
    assert_string_equal(buf_str(&b), "Dr. Smith's plan: 3.5% (A\\&B) \xc3\xa9" FFFD);
    buf_free(&b);
}

static void test_escape_cell(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    md_escape_cell(&b, " a|b\nc\r\n| *d* \\| ");
    assert_string_equal(buf_str(&b), "&#32;a\\|b c \\| \\*d\\* \\\\\\|&#32;");
    assert_null(strchr(buf_str(&b), '\n'));
    /* every | is escaped: a cell never splits */
    for (const char *p = b.a; (p = strchr(p, '|')); p++) assert_true(p > b.a && p[-1] == '\\');
    buf_reset(&b);
    /* what it shows, rendered as inline text */
    md_escape_cell(&b, "x\ny <i>|</i>");
    assert_string_equal(html(buf_str(&b), 0), "<p>x y &lt;i&gt;|&lt;/i&gt;</p>\n");
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_raw_html_is_shown_as_text),
        cmocka_unit_test(test_dangerous_links_lose_their_url),
        cmocka_unit_test(test_headings_shift),
        cmocka_unit_test(test_text_is_cleaned),
        cmocka_unit_test(test_commonmark_output_is_safe),
        cmocka_unit_test(test_parse_safe_tree),
        cmocka_unit_test(test_escape_text_round_trip),
        cmocka_unit_test(test_escape_text_round_trip_random),
        cmocka_unit_test(test_escape_text_output),
        cmocka_unit_test(test_escape_cell),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
