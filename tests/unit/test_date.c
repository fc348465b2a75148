/*
 * test_date.c — calendar checks: dates that do not exist, leap years,
 * month strings and malformed text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "date.h"

static void test_ordinary_dates(void **state)
{
    (void)state;
    assert_true(date_valid("2021-01-01"));
    assert_true(date_valid("2021-12-31"));
    assert_true(date_valid("2021-04-30"));
    assert_true(date_valid("1900-01-01"));
    assert_true(date_valid("0000-01-01"));
    assert_true(date_valid("9999-12-31"));
}

static void test_days_that_do_not_exist(void **state)
{
    (void)state;
    assert_false(date_valid("2021-02-29")); /* not a leap year */
    assert_false(date_valid("2021-02-30"));
    assert_false(date_valid("2021-04-31"));
    assert_false(date_valid("2021-06-31"));
    assert_false(date_valid("2021-09-31"));
    assert_false(date_valid("2021-11-31"));
    assert_false(date_valid("2021-01-32"));
    assert_false(date_valid("2021-01-00"));
    assert_false(date_valid("2021-00-10"));
    assert_false(date_valid("2021-13-01"));
}

static void test_leap_years(void **state)
{
    (void)state;
    assert_true(date_valid("2020-02-29"));  /* divisible by 4 */
    assert_true(date_valid("2000-02-29"));  /* divisible by 400 */
    assert_false(date_valid("1900-02-29")); /* by 100, not by 400 */
    assert_false(date_valid("2100-02-29"));
    assert_true(date_valid("2400-02-29"));
    assert_false(date_valid("2020-02-30"));
    assert_true(date_valid("2019-02-28"));
}

static void test_malformed_dates(void **state)
{
    (void)state;
    assert_false(date_valid(""));
    assert_false(date_valid("2021-1-01"));
    assert_false(date_valid("2021-01-1"));
    assert_false(date_valid("21-01-01"));
    assert_false(date_valid("2021/01/01"));
    assert_false(date_valid("2021-01-01 "));
    assert_false(date_valid("2021-01-01T00:00"));
    assert_false(date_valid(" 2021-01-01"));
    assert_false(date_valid("2021-0a-01"));
    assert_false(date_valid("+021-01-01"));
    assert_false(date_valid("2021-01"));
}

static void test_months(void **state)
{
    (void)state;
    assert_true(date_month_valid("2021-01"));
    assert_true(date_month_valid("2021-12"));
    assert_false(date_month_valid("2021-00"));
    assert_false(date_month_valid("2021-13"));
    assert_false(date_month_valid("2021-1"));
    assert_false(date_month_valid("2021-01-01"));
    assert_false(date_month_valid("2021"));
    assert_false(date_month_valid(""));
    assert_false(date_month_valid("2021_01"));
    assert_false(date_month_valid("202a-01"));
}

static void test_year_of_a_date(void **state)
{
    (void)state;
    assert_int_equal(date_year("2021-02-28"), 2021);
    assert_int_equal(date_year("1999-12"), 1999);
    assert_int_equal(date_year("0042-01-01"), 42);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ordinary_dates),
        cmocka_unit_test(test_days_that_do_not_exist),
        cmocka_unit_test(test_leap_years),
        cmocka_unit_test(test_malformed_dates),
        cmocka_unit_test(test_months),
        cmocka_unit_test(test_year_of_a_date),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
