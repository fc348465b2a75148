/*
 * store_indicators.h — a strategy's indicators with everything their status
 * depends on (milestones, measurements) and the risks they signal, read in
 * four queries for the indicator pages and the API.
 *
 * A strategy has tens of indicators, not thousands: the whole set is read
 * per request (under a millisecond) and the status is derived by
 * rules_indicator_status() as of the year the caller asks for, exactly as
 * the report derives it (report_data.c), so the web and the report agree.
 */
#ifndef ITSTRAT_STORE_INDICATORS_H
#define ITSTRAT_STORE_INDICATORS_H
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "rules.h"
#include "store.h"

typedef struct IndMilestone {
    const char *period;  /* "2022-23" or "2022", as stored */
    double value;
} IndMilestone;

typedef struct IndMeasurement {
    const char *date;    /* "YYYY-MM-DD" (or as stored) */
    double value;
    const char *source, *note; /* NULL when not given */
} IndMeasurement;

typedef struct IndRisk {
    const char *code, *title;
} IndRisk;

typedef struct StoreIndicator {
    int64_t id;
    const char *code, *kind, *title, *description; /* kind: outcome, kpi, kri */
    const char *unit;       /* NULL when none */
    int down;               /* lower is better */
    const char *home_kind;  /* "outcome", "output", "driver", or NULL: the strategy as a whole */
    const char *home_code;  /* outcome number as text, output or driver code */
    const char *home_title;
    double baseline;        /* NAN when not known */
    int64_t baseline_year;  /* DB_NULL_INT when not stated */
    double target;          /* NAN when not known */
    IndMilestone *milestones;     /* in period order (those with a valid period) */
    size_t nmilestones;
    IndMeasurement *measurements; /* in date order */
    size_t nmeasurements;
    IndRisk *risks;         /* risks whose key risk indicators include it, register order */
    size_t nrisks;
    RulesIndicator rule;    /* the same data for rules_indicator_status() */
} StoreIndicator;

typedef struct IndicatorSet {
    StoreIndicator *a;      /* in the strategy's order */
    size_t n;
} IndicatorSet;

/* Reads the indicators of strategy sid — every one, or only the one coded
 * code when code is not NULL — with their milestones, measurements and
 * risks, into out. first_year and last_year are the strategy's period: a
 * baseline without a year counts for first_year - 1 and the target is due
 * in last_year, as in the report. Everything is allocated in arena (the
 * request's); nothing to free apart from it. Returns 0 (out->n is 0 when
 * there is none), or -1 on a database error (db_errmsg says which). */
int store_indicators_load(Store *s, int64_t sid, const char *code, int first_year, int last_year,
                          Arena *arena, IndicatorSet *out);

/* The status of x at the end of year as_of; *latest (may be NULL) receives
 * the index of the measurement it rests on, or -1. */
IndicatorStatus store_indicator_status(const StoreIndicator *x, int as_of, int *latest);

/* The year a status is shown for when none is asked: the latest year that
 * has a measurement of any indicator of strategy sid, kept within
 * [first_year, last_year]; first_year when there is no measurement. One
 * aggregate query over the strategy's measurements. Returns 0 with *year
 * set, or -1 on a database error. */
int store_indicators_default_year(Store *s, int64_t sid, int first_year, int last_year,
                                  int *year);

/* The kinds, NULL-terminated ("outcome", "kpi", "kri"), and what a person
 * reads for one ("outcome indicator", "KPI", "key risk indicator"; an
 * unknown kind is returned as it is). */
extern const char *const store_indicator_kinds[4];
const char *store_indicator_kind_label(const char *kind);

/* The status keys in IndicatorStatus order, NULL-terminated: the choices
 * of a status filter, whose index is the IndicatorStatus. */
extern const char *const store_indicator_status_keys[IND__COUNT + 1];

/* The milestone of x that falls due in the biennium [lo, lo + 1] (the last
 * one whose period ends inside it), or -1 — the report's choice too. */
int store_indicator_milestone_in(const StoreIndicator *x, int lo);

#endif
