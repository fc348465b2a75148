/* test_xlsx.c — cells that fit Excel's limits (src/io/xlsx.c): a text over
 * 32,767 characters is cut on a character boundary with a marker, never
 * refused; what XML cannot hold is dropped or replaced. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "xlsx.h"

/* UTF-16 code units of the UTF-8 text s (asserts that s is UTF-8). */
static size_t utf16_units(const char *s, size_t *chars)
{
    size_t units = 0, n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        int len = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : 4;
        if (*p >= 0x80 && (*p & 0xC0) == 0x80) fail_msg("a continuation byte starts a character");
        for (int k = 1; k < len; k++)
            if ((p[k] & 0xC0) != 0x80) fail_msg("a UTF-8 sequence is cut at byte %zu",
                                                (size_t)(p - (const unsigned char *)s));
        units += len == 4 ? 2 : 1;
        n++;
        p += len;
    }
    if (chars) *chars = n;
    return units;
}

/* s repeated until the text has n characters, as UTF-8. */
static char *repeat(const char *s, size_t n)
{
    size_t per, units = utf16_units(s, &per);
    (void)units;
    Buf b = BUF_INIT;
    for (size_t k = 0; k < n; k += per) buf_puts(&b, s);
    /* cut back to n characters */
    size_t chars = 0, at = 0;
    while (at < b.n && chars < n) {
        at++;
        while (at < b.n && (b.a[at] & 0xC0) == 0x80) at++;
        chars++;
    }
    buf_truncate(&b, at);
    return buf_detach(&b);
}

static void test_short_text_unchanged(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    size_t n;
    assert_int_equal(xlsx_fit(&b, "Zürich \xF0\x9F\x98\x80 <&>", XLSX_CELL_MAX, &n), 0);
    assert_string_equal(buf_str(&b), "Zürich \xF0\x9F\x98\x80 <&>");
    assert_int_equal(n, 12);
    buf_free(&b);
}

static const char marker_100k[] = "… [truncated: 100,000 characters; the full text is in the "
                                  "CSV/JSON]";

/* A 100,000-character text of unit (ASCII, two-byte, four-byte characters)
 * is cut to at most 32,767 UTF-16 units, ends with the marker, keeps the
 * text's beginning, and libxlsxwriter takes it. */
static void check_long(const char *unit)
{
    char *s = repeat(unit, 100000);
    size_t chars;
    assert_int_equal(utf16_units(s, &chars) >= 100000, 1);
    assert_int_equal(chars, 100000);
    Buf b = BUF_INIT;
    size_t n;
    assert_int_equal(xlsx_fit(&b, s, XLSX_CELL_MAX, &n), 1);
    assert_int_equal(n, 100000);
    const char *t = buf_str(&b);
    size_t units = utf16_units(t, NULL);
    if (units > XLSX_CELL_MAX) fail_msg("%zu UTF-16 units, over %d", units, XLSX_CELL_MAX);
    if (units < XLSX_CELL_MAX - 1) fail_msg("only %zu UTF-16 units kept", units);
    size_t nm = strlen(marker_100k);
    assert_true(b.n > nm);
    assert_memory_equal(t + b.n - nm, marker_100k, nm);
    size_t kept = b.n - nm - 1; /* the space before the marker */
    assert_memory_equal(t, s, kept);

    /* libxlsxwriter refuses the whole text and takes the cut one. */
    char path[] = "/tmp/itstrat-test-xlsx-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    assert_int_equal(worksheet_write_string(ws, 0, 0, s, NULL), LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED);
    assert_int_equal(worksheet_write_string(ws, 1, 0, t, NULL), LXW_NO_ERROR);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    unlink(path);
    buf_free(&b);
    free(s);
}

static void test_long_ascii(void **state) { (void)state; check_long("abcdefghij "); }
static void test_long_two_bytes(void **state) { (void)state; check_long("é"); }
static void test_long_three_bytes(void **state) { (void)state; check_long("€ab"); }
/* Four-byte characters count twice: the cut falls between two of them. */
static void test_long_four_bytes(void **state) { (void)state; check_long("\xF0\x9F\x98\x80x"); }

/* What XML cannot hold: control characters dropped, bytes that are not
 * UTF-8 (a stray continuation, an overlong '/', a surrogate, a sequence cut
 * short) replaced with U+FFFD. */
static void test_cleaning(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    size_t n;
    xlsx_fit(&b, "a\x01\x1f" "b\tc\nd\re\xEF\xBF\xBE" "f", XLSX_CELL_MAX, &n);
    assert_string_equal(buf_str(&b), "ab\tc\ndef");
    buf_reset(&b);
    xlsx_fit(&b, "x\x80y\xC0\xAFz\xED\xA0\x80w\xE2\x82", XLSX_CELL_MAX, &n);
    assert_string_equal(buf_str(&b), "x\xEF\xBF\xBDy\xEF\xBF\xBD\xEF\xBF\xBDz\xEF\xBF\xBD\xEF\xBF\xBD"
                                     "\xEF\xBF\xBDw\xEF\xBF\xBD\xEF\xBF\xBD");
    buf_free(&b);
}

/* xlsx_text notes each truncated cell (reference, row, column, length)
 * and xlsx_row_fits counts rows past the sheet's last. */
static void test_sheet_notes(void **state)
{
    (void)state;
    char path[] = "/tmp/itstrat-test-xlsx-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    XlsxSheet x;
    xlsx_sheet_init(&x, workbook_add_worksheet(wb, "Data"), "Data");
    char *s = repeat("ab", 40000);
    xlsx_text(&x, 0, 0, "short", NULL, "P1", "title");
    xlsx_text(&x, 4, 13, s, NULL, "P4", "summary");
    assert_int_equal(x.failed, 0);
    assert_int_equal(x.ntruncated, 1);
    assert_string_equal(buf_str(&x.truncated), "N5\tP4\tsummary\t40000\n");
    assert_int_equal(xlsx_row_fits(&x, XLSX_ROWS - 1), 1);
    assert_int_equal(xlsx_row_fits(&x, XLSX_ROWS), 0);
    assert_int_equal(x.nrows_left_out, 1);
    assert_int_equal(xlsx_notes(wb, &x, NULL), 0);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    xlsx_sheet_free(&x);
    unlink(path);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_short_text_unchanged), cmocka_unit_test(test_long_ascii),
        cmocka_unit_test(test_long_two_bytes),       cmocka_unit_test(test_long_three_bytes),
        cmocka_unit_test(test_long_four_bytes),      cmocka_unit_test(test_cleaning),
        cmocka_unit_test(test_sheet_notes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
