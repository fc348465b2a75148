/* test_rules.c — the derivations of docs/rules.md, one case per sentence. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "rules.h"

/* The example of docs/rules.md: up, baseline 40 (2017), 2018-19: 60, target 80 by 2021. */
static const RulesMilestone ilo_ms[] = {{2018, 2019, 60}};

static IndicatorStatus ilo_status(double value, int year, int as_of)
{
    RulesMeasurement m[] = {{year, value}};
    RulesIndicator ind = {0, 1, 40, 2017, 1, 80, 2021, ilo_ms, 1, m, 1};
    return rules_indicator_status(&ind, as_of, NULL);
}

static void test_indicator_doc_example(void **state)
{
    (void)state;
    assert_int_equal(ilo_status(55, 2018, 2018), IND_ON_TRACK);
    assert_int_equal(ilo_status(45, 2018, 2018), IND_AT_RISK);
    assert_int_equal(ilo_status(58, 2019, 2019), IND_NOT_ACHIEVED);
    assert_int_equal(ilo_status(60, 2019, 2019), IND_ACHIEVED);
    assert_int_equal(ilo_status(82, 2020, 2020), IND_ACHIEVED_AHEAD);
    assert_int_equal(ilo_status(78, 2021, 2021), IND_NOT_ACHIEVED);
    assert_int_equal(ilo_status(80, 2021, 2021), IND_ACHIEVED);
}

static void test_indicator_no_data(void **state)
{
    (void)state;
    RulesIndicator ind = {0, 1, 40, 2017, 1, 80, 2021, ilo_ms, 1, NULL, 0};
    int latest = 7;
    assert_int_equal(rules_indicator_status(&ind, 2021, &latest), IND_NO_DATA);
    assert_int_equal(latest, -1);
    /* A measurement after the as-of year is ignored. */
    assert_int_equal(ilo_status(90, 2021, 2019), IND_NO_DATA);
    /* Nothing to compare with. */
    RulesMeasurement m[] = {{2019, 5}};
    RulesIndicator bare = {0, 0, 0, 0, 0, 0, 2021, NULL, 0, m, 1};
    assert_int_equal(rules_indicator_status(&bare, 2021, NULL), IND_NO_DATA);
    assert_int_equal(rules_indicator_status(&bare, 2019, NULL), IND_NO_DATA);
}

static void test_indicator_latest_measurement(void **state)
{
    (void)state;
    RulesMeasurement m[] = {{2018, 70}, {2019, 50}, {2020, 90}};
    RulesIndicator ind = {0, 1, 40, 2017, 1, 80, 2021, ilo_ms, 1, m, 3};
    int latest = -1;
    assert_int_equal(rules_indicator_status(&ind, 2019, &latest), IND_NOT_ACHIEVED);
    assert_int_equal(latest, 1);
    assert_int_equal(rules_indicator_status(&ind, 2020, &latest), IND_ACHIEVED_AHEAD);
    assert_int_equal(latest, 2);
}

static void test_indicator_down_is_better(void **state)
{
    (void)state;
    /* Days to resolve: baseline 10 (2017), 2018-19 milestone 8, target 5. */
    RulesMilestone ms[] = {{2018, 2019, 8}};
    RulesMeasurement m[] = {{2018, 9.5}};
    RulesIndicator ind = {1, 1, 10, 2017, 1, 5, 2021, ms, 1, m, 1};
    assert_int_equal(rules_indicator_status(&ind, 2018, NULL), IND_AT_RISK); /* expects 9 */
    m[0].value = 8.5;
    assert_int_equal(rules_indicator_status(&ind, 2018, NULL), IND_ON_TRACK);
    m[0].value = 4;
    assert_int_equal(rules_indicator_status(&ind, 2018, NULL), IND_ACHIEVED_AHEAD);
}

static void test_indicator_later_milestone_ahead(void **state)
{
    (void)state;
    RulesMilestone ms[] = {{2018, 2019, 60}, {2020, 2021, 70}};
    RulesMeasurement m[] = {{2019, 72}};
    RulesIndicator ind = {0, 0, 0, 0, 0, 0, 2021, ms, 2, m, 1};
    assert_int_equal(rules_indicator_status(&ind, 2019, NULL), IND_ACHIEVED_AHEAD);
    /* No target: the last milestone decides at the end. */
    m[0].year = 2021;
    assert_int_equal(rules_indicator_status(&ind, 2021, NULL), IND_ACHIEVED);
    m[0].value = 65;
    assert_int_equal(rules_indicator_status(&ind, 2021, NULL), IND_NOT_ACHIEVED);
    /* No baseline and no milestone passed: on track. */
    m[0].year = 2018;
    m[0].value = 1;
    assert_int_equal(rules_indicator_status(&ind, 2018, NULL), IND_ON_TRACK);
    /* Mid second biennium: the line from 60 (2019) to 70 (2021) expects 65 in 2020. */
    m[0].year = 2020;
    m[0].value = 64;
    assert_int_equal(rules_indicator_status(&ind, 2020, NULL), IND_AT_RISK);
    m[0].value = 65;
    assert_int_equal(rules_indicator_status(&ind, 2020, NULL), IND_ON_TRACK);
}

static void test_indicator_labels(void **state)
{
    (void)state;
    assert_string_equal(rules_indicator_status_label(IND_ACHIEVED_AHEAD),
                        "achieved ahead of schedule");
    assert_string_equal(rules_indicator_status_key(IND_AT_RISK), "at_risk");
    assert_string_equal(rules_indicator_status_key((IndicatorStatus)99), "no_data");
}

static void test_periods(void **state)
{
    (void)state;
    int a = 0, b = 0;
    assert_int_equal(rules_period_parse("2018-19", &a, &b), 0);
    assert_int_equal(a, 2018);
    assert_int_equal(b, 2019);
    assert_int_equal(rules_period_parse("2099-00", &a, &b), 0);
    assert_int_equal(b, 2100);
    assert_int_equal(rules_period_parse("2021", &a, &b), 0);
    assert_int_equal(a + b, 4042);
    assert_int_equal(rules_period_parse("2018-20", &a, &b), -1);
    assert_int_equal(rules_period_parse("2018/19", &a, &b), -1);
    assert_int_equal(rules_period_parse("201", &a, &b), -1);
    assert_int_equal(rules_period_parse(NULL, &a, &b), -1);
    assert_int_equal(rules_biennium_first(2019, 0), 2018);
    assert_int_equal(rules_biennium_first(2018, 0), 2018);
    assert_int_equal(rules_biennium_first(2018, 1), 2017);
    assert_int_equal(rules_biennium_first(2019, 1), 2019);
}

static void test_risk_default_matrix(void **state)
{
    (void)state;
    assert_int_equal(rules_risk_level(NULL, 1, 1), RISK_LOW);
    assert_int_equal(rules_risk_level(NULL, 1, 5), RISK_MEDIUM);  /* 5 */
    assert_int_equal(rules_risk_level(NULL, 2, 2), RISK_LOW);     /* 4 */
    assert_int_equal(rules_risk_level(NULL, 3, 3), RISK_MEDIUM);  /* 9 */
    assert_int_equal(rules_risk_level(NULL, 2, 5), RISK_HIGH);    /* 10 */
    assert_int_equal(rules_risk_level(NULL, 4, 3), RISK_HIGH);    /* 12 */
    assert_int_equal(rules_risk_level(NULL, 3, 5), RISK_CRITICAL); /* 15 */
    assert_int_equal(rules_risk_level(NULL, 5, 5), RISK_CRITICAL);
    assert_int_equal(rules_risk_level(NULL, 0, 3), RISK_NONE);
    assert_int_equal(rules_risk_level(NULL, 3, 6), RISK_NONE);
    /* The table is symmetric in probability and impact. */
    for (int p = 1; p <= 5; p++)
        for (int i = 1; i <= 5; i++)
            assert_int_equal(rules_risk_level(NULL, p, i), rules_risk_level(NULL, i, p));
    assert_string_equal(rules_risk_level_key(RISK_CRITICAL), "critical");
}

static void test_risk_custom_matrix(void **state)
{
    (void)state;
    const char *all_high = "hhhhhhhhhhhhhhhhhhhhhhhhh";
    assert_int_equal(rules_risk_level(all_high, 1, 1), RISK_HIGH);
    const char *corner = "ccccclllllllllllllllllllm";
    assert_int_equal(rules_risk_level(corner, 1, 5), RISK_CRITICAL);
    assert_int_equal(rules_risk_level(corner, 5, 5), RISK_MEDIUM);
    assert_int_equal(rules_risk_level("short", 1, 1), RISK_NONE);
    assert_int_equal(rules_risk_matrix_valid("llllllllllllllllllllllllx"), -1);
    assert_int_equal(rules_risk_matrix_valid(all_high), 0);
}

static void test_sla(void **state)
{
    (void)state;
    RulesSla m = {99.5, 4, 24, 99.7, 3, 30};
    assert_int_equal(rules_sla_month(&m), SLA_MISSED); /* resolution 30 > 24 */
    m.resolution = 24;
    assert_int_equal(rules_sla_month(&m), SLA_MET);
    m.availability = 99.4;
    assert_int_equal(rules_sla_month(&m), SLA_MISSED);
    RulesSla only = {99.5, NAN, NAN, NAN, 2, 2};
    assert_int_equal(rules_sla_month(&only), SLA_NO_DATA);
    only.availability = 100;
    assert_int_equal(rules_sla_month(&only), SLA_MET);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_indicator_doc_example),
        cmocka_unit_test(test_indicator_no_data),
        cmocka_unit_test(test_indicator_latest_measurement),
        cmocka_unit_test(test_indicator_down_is_better),
        cmocka_unit_test(test_indicator_later_milestone_ahead),
        cmocka_unit_test(test_indicator_labels),
        cmocka_unit_test(test_periods),
        cmocka_unit_test(test_risk_default_matrix),
        cmocka_unit_test(test_risk_custom_matrix),
        cmocka_unit_test(test_sla),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
