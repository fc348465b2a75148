/*
 * test_sheet_value.c — dates and numbers as spreadsheets write them
 * (sheet_value.c) and the separator detection of the CSV reader (csv.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "csv.h"
#include "sheet_value.h"

/* Reads s with a fresh day-order state of order (stated when not unknown). */
static int date1(int order, const char *s, char out[11], Buf *why)
{
    SheetDates d = {.order = order, .stated = order != SHEET_ORDER_UNKNOWN};
    return sheet_date(&d, s, 2, out, why);
}

static void test_dates(void **state)
{
    (void)state;
    char out[11];
    Buf why = BUF_INIT;
    assert_int_equal(date1(0, "2021-01-15", out, &why), 1); /* ISO: left to the caller */
    assert_int_equal(date1(0, "2021/01/15", out, &why), 0);
    assert_string_equal(out, "2021-01-15");
    assert_int_equal(date1(0, "2021-01-15 00:00:00", out, &why), 0);
    assert_string_equal(out, "2021-01-15");
    assert_int_equal(date1(0, "1/15/2021", out, &why), 0); /* only m/d/y can be */
    assert_string_equal(out, "2021-01-15");
    assert_int_equal(date1(0, "15.01.2021", out, &why), 0); /* only d/m/y can be */
    assert_string_equal(out, "2021-01-15");
    assert_int_equal(date1(0, "5/5/2021", out, &why), 0); /* the same either way */
    assert_string_equal(out, "2021-05-05");
    assert_int_equal(date1(0, "3/4/2021", out, &why), -1);
    assert_non_null(strstr(buf_str(&why), "ambiguous"));
    assert_int_equal(date1(SHEET_ORDER_DMY, "3/4/2021", out, &why), 0);
    assert_string_equal(out, "2021-04-03");
    assert_int_equal(date1(SHEET_ORDER_MDY, "3/4/2021", out, &why), 0);
    assert_string_equal(out, "2021-03-04");
    assert_int_equal(date1(SHEET_ORDER_DMY, "1/15/2021", out, &why), -1); /* no month 15 */
    assert_non_null(strstr(buf_str(&why), "stated order day/month/year"));
    assert_int_equal(date1(0, "13/14/2021", out, &why), -1);
    assert_int_equal(date1(0, "1/2/21", out, &why), -1);
    assert_non_null(strstr(buf_str(&why), "four digits"));
    assert_int_equal(date1(0, "soon", out, &why), 1);
    assert_int_equal(date1(0, "44197", out, &why), 1);
    /* one file, one order */
    SheetDates d = {0};
    assert_int_equal(sheet_date(&d, "15/1/2021", 3, out, &why), 0);
    assert_int_equal(d.order, SHEET_ORDER_DMY);
    assert_int_equal(d.line, 3);
    assert_int_equal(sheet_date(&d, "1/15/2021", 4, out, &why), -1);
    assert_non_null(strstr(buf_str(&why), "line 3 has \"15/1/2021\""));
    assert_int_equal(sheet_date(&d, "3/4/2021", 5, out, &why), -1); /* still not stated */
    buf_free(&why);
}

/* sheet_number(s): the result and the output (or a part of the reason). */
static void num(const char *s, int want, const char *text)
{
    Buf out = BUF_INIT, why = BUF_INIT;
    int rc = sheet_number(s, &out, &why);
    if (rc != want) fail_msg("%s: got %d (%s), wanted %d", s, rc, buf_str(&why), want);
    if (want == 0 && strcmp(buf_str(&out), text) != 0)
        fail_msg("%s: got \"%s\", wanted \"%s\"", s, buf_str(&out), text);
    if (want < 0 && !strstr(buf_str(&why), text))
        fail_msg("%s: reason \"%s\" lacks \"%s\"", s, buf_str(&why), text);
    buf_free(&out), buf_free(&why);
}

static void test_numbers(void **state)
{
    (void)state;
    num("1400000.00", 1, NULL);
    num("-3.5", 1, NULL);
    num("1e6", 1, NULL);
    num("1.500", 1, NULL); /* one '.': a decimal point, as always */
    num("1,400,000.00", 0, "1400000.00");
    num("1.400.000,50", 0, "1400000.50");
    num("1 400 000,50", 0, "1400000.50");
    num("1\xC2\xA0" "400\xC2\xA0" "000,50", 0, "1400000.50");
    num("1\xE2\x80\xAF" "400", 0, "1400");
    num("1.400.000", 0, "1400000");
    num("1,400,000", 0, "1400000");
    num("-1,250.75", 0, "-1250.75");
    num("12,5", 0, "12.5");
    num("1234,567", 0, "1234.567");
    num("1,500", -1, "ambiguous");
    num("1,00,000.00", -1, "wrong place");
    num("1,400.000,00", -1, "neither can be the decimal");
    num("1 400.000,5", -1, "two different thousands separators");
    num("12 34", -1, "wrong place");
    num("$1,000", 1, NULL); /* not a number of this kind: the caller says so */
    num("1,000%", 1, NULL);
}

static void test_separator(void **state)
{
    (void)state;
    assert_int_equal(csv_detect_sep("a,b,c\n1;2,3\n", 12), ',');
    assert_int_equal(csv_detect_sep("a;b;c\r\n1,5;2;3\r\n", 16), ';');
    assert_int_equal(csv_detect_sep("\xEF\xBB\xBF" "a;\"b,c,d\"\n", 14), ';');
    assert_int_equal(csv_detect_sep("", 0), ',');
    CsvReader r;
    CsvRecord rec = CSV_RECORD_INIT;
    const char *s = "a;\"b;c\";d\r\n";
    csv_reader_init(&r, s, strlen(s));
    r.sep = ';';
    assert_int_equal(csv_read(&r, &rec), 1);
    assert_int_equal(rec.n, 3);
    assert_string_equal(csv_get(&rec, 1), "b;c");
    csv_record_free(&rec);
    csv_reader_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_separator),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
