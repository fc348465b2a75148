/*
 * test_html.c — the HTML encoders: hostile text, quotes, URLs, printf
 * conversions, invalid UTF-8, control characters and very long strings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"

#define FFFD "\xEF\xBF\xBD"

static void expect_text(const char *in, const char *want)
{
    Buf b = BUF_INIT;
    html_text(&b, in);
    assert_string_equal(buf_str(&b), want);
    buf_free(&b);
}

static void test_text_escapes_markup(void **state)
{
    (void)state;
    expect_text("<script>alert(\"x\")</script>",
                "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect_text("Tom & Jerry's <b>", "Tom &amp; Jerry&#39;s &lt;b&gt;");
    expect_text("&amp; stays text", "&amp;amp; stays text");
    expect_text("", "");
    expect_text("plain text, unchanged", "plain text, unchanged");
    expect_text("tab\tnew\nline", "tab\tnew\nline");
    Buf b = BUF_INIT;
    html_text(&b, NULL);
    assert_int_equal(b.n, 0);
    html_lit(&b, "<p>");
    html_text(&b, "a<b");
    html_lit(&b, "</p>");
    assert_string_equal(buf_str(&b), "<p>a&lt;b</p>");
    buf_free(&b);
}

static void test_attr_escapes_quotes_and_keeps_newlines(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    html_lit(&b, "<a title=\"");
    html_attr(&b, "\" onmouseover='alert(1)'\tx\ny");
    html_lit(&b, "\">");
    assert_string_equal(buf_str(&b),
                        "<a title=\"&quot; onmouseover=&#39;alert(1)&#39;&#9;x&#10;y\">");
    buf_free(&b);
}

static void test_url_param_percent_encodes(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    /* Fossil's bug: an & in a name must not split the query. */
    html_lit(&b, "<a href=\"/risks?owner=");
    html_url_param(&b, "R&D \"lab\"=1/2?#+\xc3\xa9~_.-");
    html_lit(&b, "&amp;page=2\">");
    assert_string_equal(buf_str(&b), "<a href=\"/risks?owner=R%26D%20%22lab%22%3D1%2F2%3F%23%2B"
                                     "%C3%A9~_.-&amp;page=2\">");
    buf_reset(&b);
    html_url_param(&b, "<script>\x01\xff\t");
    assert_string_equal(buf_str(&b), "%3Cscript%3E%EF%BF%BD%09");
    buf_reset(&b);
    html_url_param(&b, NULL);
    assert_int_equal(b.n, 0);
    buf_free(&b);
}

static void test_printf_escapes_strings(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    html_printf(&b, "<td class=\"%s\">%s</td>", "x\" onclick=\"evil()", "<script>&'");
    assert_string_equal(buf_str(&b), "<td class=\"x&quot; onclick=&quot;evil()\">"
                                     "&lt;script&gt;&amp;&#39;</td>");
    buf_reset(&b);
    const char *volatile none = NULL; /* hidden from the compiler's NULL check */
    html_printf(&b, "100%% <b>%s</b> %c%c %s|", "done", '<', 'x', none);
    assert_string_equal(buf_str(&b), "100% <b>done</b> &lt;x |");
    buf_reset(&b);
    html_printf(&b, "no conversions");
    assert_string_equal(buf_str(&b), "no conversions");
    buf_reset(&b);
    html_printf(&b, "%s", "");
    assert_string_equal(buf_str(&b), "");
    buf_free(&b);
}

static void test_printf_string_width_and_precision_count_characters(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    html_printf(&b, "[%.2s][%5s][%-4s][%*s][%.*s][%3.1s]", "\xc3\xa9\xc3\xa0\xc3\xbc", "\xc3\xa9",
                "<", 3, "&", 1, "><", "abc");
    assert_string_equal(buf_str(&b),
                        "[\xc3\xa9\xc3\xa0][    \xc3\xa9][&lt;   ][  &amp;][&gt;][  a]");
    buf_free(&b);
}

/* Every numeric conversion prints exactly what snprintf prints. */
static void test_printf_numbers_pass_through(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    char want[512];
    html_printf(&b, "%d|%5d|%-5d|%05d|%+d|% d|%i|%ld|%lld|%u|%zu|%x|%#X|%o|%#o|%hhd|%hu|%jd|%td|"
                    "%*d|%-*d|%.3d|%zd|%lu|%llx",
                -42, 7, 7, 42, 5, 5, 0, -1234567890L, -9223372036854775807LL - 1, 4000000000u,
                (size_t)18446744073709551615ULL, 255u, 255u, 8u, 8u, (signed char)-128,
                (unsigned short)65535, (intmax_t)-1, (ptrdiff_t)-3, 4, 9, 4, 9, 5, (ptrdiff_t)-2,
                123456789UL, 0xdeadbeefULL);
    snprintf(want, sizeof want, "%d|%5d|%-5d|%05d|%+d|% d|%i|%ld|%lld|%u|%zu|%x|%#X|%o|%#o|%hhd|"
                                "%hu|%jd|%td|%*d|%-*d|%.3d|%zd|%lu|%llx",
             -42, 7, 7, 42, 5, 5, 0, -1234567890L, -9223372036854775807LL - 1, 4000000000u,
             (size_t)18446744073709551615ULL, 255u, 255u, 8u, 8u, (signed char)-128,
             (unsigned short)65535, (intmax_t)-1, (ptrdiff_t)-3, 4, 9, 4, 9, 5, (ptrdiff_t)-2,
             123456789UL, 0xdeadbeefULL);
    assert_string_equal(buf_str(&b), want);

    buf_reset(&b);
    html_printf(&b, "%.1f|%8.3f|%-8.2f|%g|%e|%E|%G|%a|%.0f|%lf|%Lg|%.*f|%+.2e|%f|%g|%g", 3.14159,
                -2.5, 1.005, 1e12, 12345.678, 0.000123, 1e-10, 1.0, 2.5, 0.1, (long double)1.5, 2,
                1.0 / 3, -12345.0, -0.0, 1e300, 123456789.0);
    snprintf(want, sizeof want,
             "%.1f|%8.3f|%-8.2f|%g|%e|%E|%G|%a|%.0f|%lf|%Lg|%.*f|%+.2e|%f|%g|%g", 3.14159, -2.5,
             1.005, 1e12, 12345.678, 0.000123, 1e-10, 1.0, 2.5, 0.1, (long double)1.5, 2,
             1.0 / 3, -12345.0, -0.0, 1e300, 123456789.0);
    assert_string_equal(buf_str(&b), want);

    buf_reset(&b);
    int x = 0;
    html_printf(&b, "%p", (void *)&x);
    snprintf(want, sizeof want, "%p", (void *)&x);
    assert_string_equal(buf_str(&b), want);

    /* inf and nan print as text, nothing else sneaks in */
    buf_reset(&b);
    html_printf(&b, "%f %f", 1.0 / 0.0, -1.0 / 0.0);
    assert_string_equal(buf_str(&b), "inf -inf");
    buf_free(&b);
}

/* Under a locale with a decimal comma, %f still prints a point (charts and
 * CSS need it). When no such locale is installed, one is compiled into a
 * temporary directory with localedef; skipped when that is impossible. */
static void test_printf_float_ignores_locale(void **state)
{
    (void)state;
    char dir[] = "/tmp/itstrat-test-locale-XXXXXX";
    char cmd[256];
    int made = 0;
    if (!setlocale(LC_NUMERIC, "de_DE.UTF-8") && mkdtemp(dir)) {
        made = 1;
        snprintf(cmd, sizeof cmd, "localedef -i de_DE -f UTF-8 %s/de_DE.UTF-8 >/dev/null 2>&1",
                 dir);
        if (system(cmd) != -1) {
            setenv("LOCPATH", dir, 1);
            setlocale(LC_NUMERIC, "de_DE.UTF-8");
        }
    }
    char probe[16];
    snprintf(probe, sizeof probe, "%.1f", 0.5);
    int comma = strcmp(probe, "0,5") == 0;
    Buf b = BUF_INIT;
    html_printf(&b, "%.2f %g %'d %.1e", 1234.5, 0.25, 1234567, 15.0);
    setlocale(LC_NUMERIC, "C");
    unsetenv("LOCPATH");
    if (made) {
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        if (system(cmd) == -1) fprintf(stderr, "could not remove %s\n", dir);
    }
    if (!comma) {
        buf_free(&b);
        skip();
    }
    assert_string_equal(buf_str(&b), "1234.50 0.25 1234567 1.5e+01");
    buf_free(&b);
}

static void test_invalid_utf8_becomes_replacement_character(void **state)
{
    (void)state;
    expect_text("\xff", FFFD);
    expect_text("a\xc3", "a" FFFD);                       /* truncated at the end */
    expect_text("\xe2\x82" "A", FFFD "A");                /* truncated: one U+FFFD */
    expect_text("\xc0\xaf", FFFD FFFD);                   /* overlong '/' */
    expect_text("\xe0\x80\xbc", FFFD FFFD FFFD);          /* overlong '<' */
    expect_text("\xed\xa0\x80", FFFD FFFD FFFD);          /* surrogate */
    expect_text("\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD); /* above U+10FFFF */
    expect_text("\x80<", FFFD "&lt;");                    /* stray continuation */
    expect_text("\xef\xbf\xbe\xef\xbf\xbf\xef\xb7\x90", FFFD FFFD FFFD); /* noncharacters */
    /* valid multibyte text is kept as is */
    expect_text("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 \xe4\xb8\xad", "\xc3\xa9\xe2\x82\xac"
                                                                   "\xf0\x9f\x98\x80 \xe4\xb8\xad");
    Buf b = BUF_INIT;
    html_printf(&b, "<i>%s</i>", "\xfe<\xc3");
    assert_string_equal(buf_str(&b), "<i>" FFFD "&lt;" FFFD "</i>");
    buf_reset(&b);
    html_text_n(&b, "\xc3\xa9\xc3\xa9", 3); /* cut inside the second character */
    assert_string_equal(buf_str(&b), "\xc3\xa9" FFFD);
    buf_free(&b);
}

static void test_control_characters_are_dropped(void **state)
{
    (void)state;
    expect_text("a\x01" "b\x1b[31m\x7f\r\x0c" "c\td\ne", "ab[31mc\td\ne");
    expect_text("x\xc2\x85y\xc2\x9f" "z\xc2\xa0", "xyz\xc2\xa0"); /* C1 gone, NBSP kept */
    Buf b = BUF_INIT;
    html_attr(&b, "\x01\x02");
    assert_int_equal(b.n, 0);
    buf_free(&b);
}

static void test_very_long_strings(void **state)
{
    (void)state;
    size_t n = 1 << 20;
    char *s = malloc(n + 1);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++) s[i] = "<&a'"[i % 4];
    s[n] = 0;
    Buf b = BUF_INIT;
    html_printf(&b, "<p>%s</p>", s);
    /* each group of 4 bytes "<&a'" becomes "&lt;&amp;a&#39;" (15 bytes) */
    assert_int_equal(b.n, 3 + n / 4 * 15 + 4);
    assert_memory_equal(b.a + 3, "&lt;&amp;a&#39;&lt;", 19);
    assert_string_equal(b.a + b.n - 9, "&#39;</p>");
    assert_int_equal(strlen(buf_str(&b)), b.n);

    buf_reset(&b);
    html_printf(&b, "%5000d|%.3000f", 1, 0.5);
    assert_int_equal(b.n, 5000 + 1 + 2 + 3000);
    buf_reset(&b);
    html_url_param(&b, s);
    assert_int_equal(b.n, n / 4 * 10); /* %3C%26a%27 */
    free(s);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_escapes_markup),
        cmocka_unit_test(test_attr_escapes_quotes_and_keeps_newlines),
        cmocka_unit_test(test_url_param_percent_encodes),
        cmocka_unit_test(test_printf_escapes_strings),
        cmocka_unit_test(test_printf_string_width_and_precision_count_characters),
        cmocka_unit_test(test_printf_numbers_pass_through),
        cmocka_unit_test(test_printf_float_ignores_locale),
        cmocka_unit_test(test_invalid_utf8_becomes_replacement_character),
        cmocka_unit_test(test_control_characters_are_dropped),
        cmocka_unit_test(test_very_long_strings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
