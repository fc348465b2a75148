/*
 * test_chart.c — SVG charts: hostile labels are escaped, edge data (zero,
 * all zero, one bar, 100 bars, 1e12, NAN, one point, no point, equal and
 * negative values) gives well-formed SVG, the same spec gives the same
 * bytes, and text keeps its contrast. A small checker proves tags balance
 * and every & starts a reference; xmllint is used too when installed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"

static const char *const HOSTILE = "<script>alert(1)</script> & \"q\" 'a' </svg>";

/* ---- checks -------------------------------------------------------------- */

/* Fails unless s is well-formed as far as a report needs: tags balance,
 * names match, attribute values are quoted without < inside, & starts
 * &name; or &#n;. */
static void check_well_formed(const char *s)
{
    const char *stack[64];
    size_t depth = 0, lens[64];
    for (const char *p = s; *p; p++) {
        if (*p == '&') {
            size_t n = strspn(p + 1, "#abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
            if (n == 0 || p[1 + n] != ';') fail_msg("bare & at %.40s", p);
            continue;
        }
        if (*p == '>') fail_msg("bare > at %.40s", p);
        if (*p != '<') continue;
        int closing = p[1] == '/';
        const char *name = p + 1 + closing;
        size_t nlen = strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");
        if (!nlen) fail_msg("bad tag at %.40s", p);
        const char *q = name + nlen;
        while (*q && *q != '>') { /* attributes: name="value" */
            if (*q == '"') {
                const char *e = strchr(q + 1, '"');
                if (!e) fail_msg("unterminated attribute at %.40s", q);
                for (const char *c = q + 1; c < e; c++)
                    if (*c == '<') fail_msg("< in attribute at %.40s", q);
                q = e;
            }
            q++;
        }
        if (!*q) fail_msg("unterminated tag at %.40s", p);
        int self = q[-1] == '/';
        if (closing) {
            if (!depth || lens[depth - 1] != nlen || strncmp(stack[depth - 1], name, nlen))
                fail_msg("unbalanced </%.*s>", (int)nlen, name);
            depth--;
        } else if (!self) {
            if (depth == 64) fail_msg("too deep");
            stack[depth] = name;
            lens[depth++] = nlen;
        }
        p = q;
    }
    if (depth) fail_msg("unclosed <%.*s>", (int)lens[depth - 1], stack[depth - 1]);
}

/* Validates svg with xmllint when it is installed. */
static void check_xmllint(const char *svg)
{
    if (system("command -v xmllint >/dev/null 2>&1") != 0) return;
    char path[] = "/tmp/itstrat-test-chart-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(svg, f);
    fclose(f);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "xmllint --noout %s", path);
    int rc = system(cmd);
    remove(path);
    assert_int_equal(rc, 0);
}

static void check_svg(const char *svg)
{
    assert_int_equal(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39), 0);
    assert_non_null(strstr(svg, " role=\"img\""));
    assert_non_null(strstr(svg, "<title id=\""));
    assert_non_null(strstr(svg, "<desc id=\""));
    assert_null(strstr(svg, "<script"));
    assert_null(strstr(svg, "<style"));
    assert_null(strstr(svg, "nan"));
    assert_null(strstr(svg, "inf"));
    check_well_formed(svg);
    check_xmllint(svg);
}

static size_t count(const char *s, const char *what)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, what)); p += strlen(what)) n++;
    return n;
}

/* ---- bar chart ------------------------------------------------------------ */

static void test_bars_escape_hostile_text(void **state)
{
    (void)state;
    ChartBar bars[] = {{HOSTILE, 5, "red\" onload=\"alert(1)"},
                       {"A & B", 3, "#abc"},
                       {"\xff\x01 bad bytes", 1, NULL}};
    ChartBars spec = {"x\" onload=\"y", HOSTILE, NULL, HOSTILE, HOSTILE, "<u>", 0, bars, 3};
    Buf b = BUF_INIT;
    chart_bars(&b, &spec);
    const char *s = buf_str(&b);
    check_svg(s);
    assert_non_null(strstr(s, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; &#39;a&#39;"));
    assert_null(strstr(s, "onload=\""));          /* neither the id nor the colour got through */
    assert_non_null(strstr(s, "id=\"xonloady\"")); /* id reduced to its safe characters */
    assert_non_null(strstr(s, "fill=\"#abc\""));
    assert_null(strstr(s, "fill=\"red")); /* not a colour: the default instead */
    assert_non_null(strstr(s, ">5&lt;u&gt;</text>"));
    assert_non_null(strstr(s, "\xEF\xBF\xBD bad bytes"));
    buf_reset(&b);
    chart_bars_table(&b, &spec);
    s = buf_str(&b);
    check_well_formed(s);
    assert_null(strstr(s, "<script"));
    assert_non_null(strstr(s, "<caption>&lt;script&gt;"));
    assert_non_null(strstr(s, "<th scope=\"row\">A &amp; B</th><td class=\"num\">3&lt;u&gt;</td>"));
    assert_int_equal(count(s, "<th scope=\"col\">"), 2);
    assert_int_equal(count(s, "<th scope=\"row\">"), 3);
    buf_free(&b);
}

static void test_bars_zero_and_all_zero(void **state)
{
    (void)state;
    ChartBar bars[] = {{"none", 0, NULL}, {"some", 7, NULL}, {"also none", 0, NULL}};
    ChartBars spec = {"z", "Zeros", NULL, NULL, "Count", NULL, 0, bars, 3};
    Buf b = BUF_INIT;
    chart_bars(&b, &spec);
    check_svg(buf_str(&b));
    assert_int_equal(count(buf_str(&b), "<rect"), 2); /* background and the one bar */
    buf_reset(&b);
    bars[1].value = 0;
    chart_bars(&b, &spec);
    check_svg(buf_str(&b));
    assert_int_equal(count(buf_str(&b), "<rect"), 1);
    assert_int_equal(count(buf_str(&b), ">0</text>"), 4); /* three labels and the 0 tick */
    buf_reset(&b);
    spec.nbars = 0;
    chart_bars(&b, &spec);
    check_svg(buf_str(&b));
    assert_non_null(strstr(buf_str(&b), ">No data</text>"));
    buf_free(&b);
}

static void test_bars_one_and_a_hundred(void **state)
{
    (void)state;
    ChartBar one = {"Only", 42.5, NULL};
    ChartBars spec = {"one", "One bar", "A described chart.", NULL, NULL, "%", 1, &one, 1};
    Buf b = BUF_INIT;
    chart_bars(&b, &spec);
    check_svg(buf_str(&b));
    assert_non_null(strstr(buf_str(&b), ">42.5%</text>"));
    assert_non_null(strstr(buf_str(&b), "<desc id=\"one-desc\">A described chart.</desc>"));
    assert_int_equal(count(buf_str(&b), "<g>"), 1);
    const char *h1 = strstr(buf_str(&b), "height=\"");
    int height1 = atoi(h1 + 8);

    ChartBar many[100];
    char labels[100][96];
    for (int k = 0; k < 100; k++) {
        snprintf(labels[k], sizeof labels[k],
                 "Project number %d, with a name too long for the two lines it may take", k);
        many[k] = (ChartBar){labels[k], k * 1.5 - 20, k % 2 ? "#336699" : NULL};
    }
    ChartBars big = {"many", "A hundred bars", NULL, "Project", "Value", NULL, 1, many, 100};
    buf_reset(&b);
    chart_bars(&b, &big);
    check_svg(buf_str(&b));
    assert_int_equal(count(buf_str(&b), "<g>"), 100);
    int height100 = atoi(strstr(buf_str(&b), "height=\"") + 8);
    assert_int_equal(height100 - height1, 99 * 30 + 16 + 18); /* rows, category and value labels */
    assert_non_null(strstr(buf_str(&b), "\xE2\x80\xA6</text>")); /* a label was cut */
    buf_free(&b);
}

static void test_bars_huge_and_missing_values(void **state)
{
    (void)state;
    ChartBar bars[] = {{"trillion", 1e12, NULL},
                       {"half", 5e11, NULL},
                       {"missing", NAN, NULL},
                       {"unbounded", INFINITY, NULL},
                       {"negative", -2.5e11, NULL}};
    ChartBars spec = {"huge", "Huge", NULL, NULL, NULL, NULL, 0, bars, 5};
    Buf b = BUF_INIT;
    chart_bars(&b, &spec);
    const char *s = buf_str(&b);
    check_svg(s);
    assert_non_null(strstr(s, ">1,000,000,000,000</text>"));
    assert_non_null(strstr(s, ">-250,000,000,000</text>"));
    assert_int_equal(count(s, ">n/a</text>"), 2);
    assert_non_null(strstr(s, "tn</text>"));
    assert_int_equal(count(s, "<rect"), 4);
    buf_reset(&b);
    bars[0].value = 1e300;
    bars[1].value = -1e300;
    chart_bars(&b, &spec);
    check_svg(buf_str(&b));
    buf_free(&b);
}

/* The same spec gives the same bytes, also under a decimal-comma locale. */
static void test_determinism(void **state)
{
    (void)state;
    ChartBar bars[] = {{"a", 1.25, NULL}, {"b", 1234567.875, NULL}, {"c", -0.5, NULL}};
    ChartBars spec = {"d", "Deterministic", NULL, "Cat", "Val", NULL, 2, bars, 3};
    ChartPoint pts[] = {{"2019-03-01", 1.5}, {"2020", 2.25}};
    ChartLine line = {"l", "Line", NULL, "Year", "Value", NULL, 2, pts, 2, NULL, 0,
                      1, 1.0, 2018, 1, 3.5, 2021};
    Buf a = BUF_INIT, b = BUF_INIT;
    chart_bars(&a, &spec);
    chart_line(&a, &line);
    chart_bars(&b, &spec);
    chart_line(&b, &line);
    assert_string_equal(buf_str(&a), buf_str(&b));
    assert_non_null(strstr(buf_str(&a), ">1,234,567.88</text>"));

    char dir[] = "/tmp/itstrat-test-locale-XXXXXX", cmd[256];
    int made = 0;
    if (!setlocale(LC_NUMERIC, "de_DE.UTF-8") && mkdtemp(dir)) {
        made = 1;
        snprintf(cmd, sizeof cmd, "localedef -i de_DE -f UTF-8 %s/de_DE.UTF-8 >/dev/null 2>&1",
                 dir);
        if (system(cmd) != -1 && !setenv("LOCPATH", dir, 1)) setlocale(LC_NUMERIC, "de_DE.UTF-8");
    }
    buf_reset(&b);
    chart_bars(&b, &spec);
    chart_line(&b, &line);
    setlocale(LC_NUMERIC, "C");
    unsetenv("LOCPATH");
    if (made) {
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        if (system(cmd) == -1) fprintf(stderr, "could not remove %s\n", dir);
    }
    assert_string_equal(buf_str(&a), buf_str(&b));
    buf_free(&a);
    buf_free(&b);
}

static void test_two_charts_do_not_share_ids(void **state)
{
    (void)state;
    ChartBar bar = {"x", 1, NULL};
    ChartBars one = {"first", "T", NULL, NULL, NULL, NULL, 0, &bar, 1};
    ChartBars two = {"second", "T", NULL, NULL, NULL, NULL, 0, &bar, 1};
    ChartBars def = {NULL, "T", NULL, NULL, NULL, NULL, 0, &bar, 1};
    ChartBars digit = {"2019 budget", "T", NULL, NULL, NULL, NULL, 0, &bar, 1};
    Buf b = BUF_INIT;
    chart_bars(&b, &one);
    chart_bars(&b, &two);
    assert_non_null(strstr(buf_str(&b), "aria-labelledby=\"first-title first-desc\""));
    assert_non_null(strstr(buf_str(&b), "<title id=\"second-title\">"));
    assert_int_equal(count(buf_str(&b), "id=\"first-title\""), 1);
    buf_reset(&b);
    chart_bars(&b, &def);
    chart_bars(&b, &digit);
    assert_non_null(strstr(buf_str(&b), "id=\"chart\""));
    assert_non_null(strstr(buf_str(&b), "id=\"c-2019budget\""));
    buf_free(&b);
}

/* ---- line chart ----------------------------------------------------------- */

static void test_line_full(void **state)
{
    (void)state;
    ChartPoint pts[] = {{"2021-12-31", 78}, {"2018", 42}, {"not a date", 50}, {"2019-02-30", 1},
                        {"2020-03", 61}, {"2019-06-30", 55.5}, {"2020-04", NAN}};
    ChartMilestone ms[] = {{"2018-19", 60}, {"2020", 70}, {"20x0", 1}};
    ChartLine spec = {"ind", HOSTILE, NULL, "Year", "Per cent", "%", 1, pts, 7, ms, 3,
                      1, 40, 2017, 1, 80, 2021};
    Buf b = BUF_INIT;
    chart_line(&b, &spec);
    const char *s = buf_str(&b);
    check_svg(s);
    assert_int_equal(count(s, "<circle"), 4 + 1); /* four valid points and the legend */
    assert_int_equal(count(s, "l5 5l-5 5l-5 -5z"), 2 + 1); /* diamonds: two valid milestones, legend */
    assert_non_null(strstr(s, "stroke-dasharray=\"6 4\""));      /* baseline */
    assert_non_null(strstr(s, "stroke-dasharray=\"10 3 2 3\"")); /* target */
    assert_non_null(strstr(s, ">Target</text>"));
    assert_non_null(strstr(s, ">80.0%</text>"));
    assert_non_null(strstr(s, ">55.5%</text>"));
    for (int y = 2017; y <= 2021; y++) {
        char tick[16];
        snprintf(tick, sizeof tick, ">%d</text>", y);
        assert_non_null(strstr(s, tick));
    }
    /* the line runs left to right whatever the order of the points */
    const char *pl = strstr(s, "points=\"");
    assert_non_null(pl);
    double last = -1;
    int npoints = 0;
    for (const char *p = pl + 8; *p != '"'; npoints++) {
        char *end;
        double x = strtod(p, &end);
        assert_true(x > last);
        last = x;
        strtod(end + 1, &end); /* ,y */
        p = *end == ' ' ? end + 1 : end;
    }
    assert_int_equal(npoints, 4);
    buf_reset(&b);
    chart_line_table(&b, &spec);
    s = buf_str(&b);
    check_well_formed(s);
    assert_int_equal(count(s, "<tr>"), 1 + 1 + 4 + 3 + 1);
    assert_non_null(strstr(s, "<th scope=\"row\">2018</th><td>Measured</td><td class=\"num\">42.0%</td>"));
    buf_free(&b);
}

static void test_line_no_point_one_point_equal_negative(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    ChartLine none = {"n", "No data", NULL, NULL, NULL, NULL, 0, NULL, 0, NULL, 0,
                      0, 0, 0, 0, 0, 0};
    chart_line(&b, &none);
    check_svg(buf_str(&b));
    assert_non_null(strstr(buf_str(&b), ">No measurements yet</text>"));
    assert_null(strstr(buf_str(&b), "<circle"));

    ChartPoint one = {"2020-06-15", 7};
    ChartLine single = {"s", "One", NULL, NULL, NULL, " days", 0, &one, 1, NULL, 0,
                        0, 0, 0, 0, 0, 0};
    buf_reset(&b);
    chart_line(&b, &single);
    check_svg(buf_str(&b));
    assert_null(strstr(buf_str(&b), "<polyline"));
    assert_non_null(strstr(buf_str(&b), ">7 days</text>"));
    assert_non_null(strstr(buf_str(&b), ">2020</text>"));

    ChartPoint same[] = {{"2019", 5}, {"2020", 5}, {"2021", 5}};
    ChartLine equal = {"e", "Equal", NULL, NULL, NULL, NULL, 0, same, 3, NULL, 0,
                       1, 5, 2018, 1, 5, 2021};
    buf_reset(&b);
    chart_line(&b, &equal);
    check_svg(buf_str(&b));
    assert_int_equal(count(buf_str(&b), ">5</text>"), 3 + 2); /* points, baseline, target */

    ChartPoint neg[] = {{"2019", -5}, {"2020", 3}, {"2021", -12.5}};
    ChartLine negative = {"m", "Negative", NULL, NULL, NULL, NULL, 1, neg, 3, NULL, 0,
                          0, 0, 0, 0, 0, 0};
    buf_reset(&b);
    chart_line(&b, &negative);
    check_svg(buf_str(&b));
    assert_non_null(strstr(buf_str(&b), ">-12.5</text>"));
    assert_non_null(strstr(buf_str(&b), ">-15</text>")); /* a tick under the lowest value */

    ChartPoint wide[40];
    char dates[40][8];
    for (int k = 0; k < 40; k++) {
        snprintf(dates[k], sizeof dates[k], "%d", 1990 + k);
        wide[k] = (ChartPoint){dates[k], k % 7 * 1e12};
    }
    ChartLine many = {"w", "Forty years", NULL, NULL, NULL, NULL, 0, wide, 40, NULL, 0,
                      0, 0, 0, 0, 0, 0};
    buf_reset(&b);
    chart_line(&b, &many);
    check_svg(buf_str(&b));
    assert_int_equal(count(buf_str(&b), "<circle"), 40 + 1);
    buf_free(&b);
}

/* ---- heat map ------------------------------------------------------------- */

static double luminance(const char *hex)
{
    double c[3];
    for (int k = 0; k < 3; k++) {
        char part[3] = {hex[1 + 2 * k], hex[2 + 2 * k], 0};
        double v = strtol(part, NULL, 16) / 255.0;
        c[k] = v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
    }
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}

/* Every text on a cell keeps WCAG AA contrast (4.5:1) with the cell. */
static void check_cell_contrast(const char *s)
{
    int cells = 0;
    for (const char *p = s; (p = strstr(p, "stroke=\"#ffffff\" stroke-width=\"2\"")); p++) {
        const char *fill = p - 15 + 6; /* fill="#rrggbb" just before */
        assert_int_equal(strncmp(fill - 6, "fill=\"#", 7), 0);
        const char *g_end = strstr(p, "</g>");
        for (const char *t = p; (t = strstr(t, "<text")) && t < g_end; t++) {
            const char *tf = strstr(t, "fill=\"#");
            double l1 = luminance(fill), l2 = luminance(tf + 6);
            double ratio = (fmax(l1, l2) + 0.05) / (fmin(l1, l2) + 0.05);
            if (ratio < 4.5) fail_msg("contrast %.2f at %.60s", ratio, t);
        }
        cells++;
    }
    assert_int_equal(cells, 25);
}

static void test_heatmap(void **state)
{
    (void)state;
    ChartHeatmap spec = {"risk", HOSTILE, NULL, NULL, NULL, NULL,
                         {{1, 0, 0, 0, 0}, {0, 2, 0, 0, 0}, {0, 0, 3, 1, 0}, {0, 1, 0, 4, 0},
                          {0, 0, 0, 0, 12}}};
    Buf b = BUF_INIT;
    chart_heatmap(&b, &spec);
    const char *s = buf_str(&b);
    check_svg(s);
    check_cell_contrast(s);
    assert_int_equal(count(s, "<g>"), 25);
    assert_non_null(strstr(s, "font-weight=\"bold\" fill=\"#ffffff\">12</text>"));
    assert_non_null(strstr(s, "<title>Probability 5, Impact 5: critical, 12 risks</title>"));
    assert_non_null(strstr(s, "<title>Probability 1, Impact 1: low, 1 risk</title>"));
    assert_non_null(strstr(s, ">Critical</text>"));
    buf_reset(&b);
    chart_heatmap_table(&b, &spec);
    s = buf_str(&b);
    check_well_formed(s);
    assert_int_equal(count(s, "<th scope=\"row\">"), 5);
    assert_int_equal(count(s, "<th scope=\"col\">"), 6);
    assert_non_null(strstr(s, "<tr><th scope=\"row\">5</th><td class=\"risk-medium\">0 (medium)</td>"));

    /* a matrix passed in, hostile axis labels, negative counts, all zeros */
    ChartHeatmap mine = {"m2", "Mine", NULL, "<i>", "&", "lllllllllllllllllllllllll",
                         {{-3}}};
    buf_reset(&b);
    chart_heatmap(&b, &mine);
    s = buf_str(&b);
    check_svg(s);
    check_cell_contrast(s);
    assert_int_equal(count(s, "fill=\"#dcefd5\" stroke=\"#ffffff\""), 25);
    assert_null(strstr(s, "font-size=\"18\""));
    assert_non_null(strstr(s, "&lt;i&gt;"));
    mine.matrix = "bad";
    buf_reset(&b);
    chart_heatmap(&b, &mine);
    check_svg(buf_str(&b));
    check_cell_contrast(buf_str(&b));
    assert_int_equal(count(buf_str(&b), "fill=\"#f0f0f0\" stroke=\"#ffffff\""), 25);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bars_escape_hostile_text),
        cmocka_unit_test(test_bars_zero_and_all_zero),
        cmocka_unit_test(test_bars_one_and_a_hundred),
        cmocka_unit_test(test_bars_huge_and_missing_values),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_two_charts_do_not_share_ids),
        cmocka_unit_test(test_line_full),
        cmocka_unit_test(test_line_no_point_one_point_equal_negative),
        cmocka_unit_test(test_heatmap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
