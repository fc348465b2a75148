/*
 * rules.h — what itstrat derives and never stores: the status of an
 * indicator, the level of a risk, the compliance of a service level.
 * docs/rules.md states the same rules for people; keep the two in step.
 *
 * Every function here is pure: no database, no allocation, no clock. The
 * caller passes the data and the point in time ("as of" a year) so that a
 * report for 2019 says what was true at the end of 2019, whenever it runs.
 */
#ifndef ITSTRAT_RULES_H
#define ITSTRAT_RULES_H
#include <stddef.h>
#include <stdint.h>

/* ---- periods ---------------------------------------------------------- */

/* A period is a year "2019" or a biennium "2018-19". Parses s into its first
 * and last year; returns 0, or -1 when s is neither. */
int rules_period_parse(const char *s, int *first, int *last);

/* The year a date or month text 'YYYY...' starts with; 0 when s is NULL or
 * does not start with four digits. */
int rules_year_of(const char *s);

/* The first year of the biennium holding year: bienniums open in even years
 * (2018-19) unless odd is set (2019-20). */
int rules_biennium_first(int year, int odd);

/* ---- indicators ------------------------------------------------------- */

typedef enum IndicatorStatus {
    IND_NO_DATA = 0,
    IND_ACHIEVED,
    IND_ACHIEVED_AHEAD,
    IND_ON_TRACK,
    IND_AT_RISK,
    IND_NOT_ACHIEVED,
    IND__COUNT
} IndicatorStatus;

typedef struct RulesMilestone {
    int first, last;   /* the years of its period */
    double value;
} RulesMilestone;

typedef struct RulesMeasurement {
    int year;          /* year of its date */
    double value;
} RulesMeasurement;

typedef struct RulesIndicator {
    int down;                      /* lower is better */
    int has_baseline;
    double baseline;
    int baseline_year;
    int has_target;
    double target;
    int end_year;                  /* last year of the strategy: the target's year */
    const RulesMilestone *milestones; /* in period order */
    size_t nmilestones;
    const RulesMeasurement *measurements; /* in date order */
    size_t nmeasurements;
} RulesIndicator;

/* The status of indicator ind at the end of year as_of (docs/rules.md).
 * *latest (may be NULL) receives the index of the measurement used, or -1. */
IndicatorStatus rules_indicator_status(const RulesIndicator *ind, int as_of, int *latest);

/* Whether value meets reference: >= when higher is better, <= when lower. */
int rules_meets(int down, double value, double reference);

/* "achieved", "achieved ahead of schedule", ... for people; the short key
 * ("achieved_ahead") for CSS classes, JSON and filters. */
const char *rules_indicator_status_label(IndicatorStatus s);
const char *rules_indicator_status_key(IndicatorStatus s);

/* ---- risks ------------------------------------------------------------ */

typedef enum RiskLevel { RISK_NONE = 0, RISK_LOW, RISK_MEDIUM, RISK_HIGH, RISK_CRITICAL } RiskLevel;

/* The level of probability p x impact i (1-5 each) under matrix, 25 letters
 * l/m/h/c row-major by probability then impact, or NULL for the default
 * matrix. RISK_NONE when p or i is not 1-5 or the matrix is malformed. */
RiskLevel rules_risk_level(const char *matrix, int p, int i);
const char *rules_risk_level_key(RiskLevel l); /* "low" ... "critical", "none" */
/* Checks a matrix string; returns 0 when it has 25 letters of l, m, h, c. */
int rules_risk_matrix_valid(const char *matrix);

/* ---- service levels --------------------------------------------------- */

enum { SLA_NO_DATA = -1, SLA_MISSED = 0, SLA_MET = 1 };

/* Targets and one month's measurement; NAN means "not set" / "not measured". */
typedef struct RulesSla {
    double availability_target, response_target, resolution_target;
    double availability, response, resolution;
} RulesSla;

/* SLA_MET when every target that has a measurement is met, SLA_MISSED when
 * one is missed, SLA_NO_DATA when no target has a measurement. */
int rules_sla_month(const RulesSla *m);

#endif
