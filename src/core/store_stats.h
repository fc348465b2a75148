/*
 * store_stats.h — counts of the portfolio, for the summary, the report's
 * figures and the dashboards. All take an optional work-plan year
 * (DB_NULL_INT: every year).
 */
#ifndef ITSTRAT_STORE_STATS_H
#define ITSTRAT_STORE_STATS_H
#include <stdint.h>

#include "store.h"

typedef enum StatQuery {
    S_BY_HOME,      /* outcomes by number, then drivers; code = "1" or driver code */
    S_BY_CATEGORY,  /* categories in order, then "(no category)" when any */
    S_BY_STATUS,    /* statuses in their lifecycle order */
    S_BY_YEAR       /* work-plan years ascending (year argument ignored) */
} StatQuery;

typedef struct StatRow {
    const char *kind;   /* "outcome", "driver", "category", "status", "year" */
    const char *code;   /* outcome number, driver/category code, status, year */
    const char *label;  /* what a person reads */
    int64_t n;          /* projects */
    int64_t extra;      /* S_BY_CATEGORY: 1 when new_or_major */
} StatRow;

/* Calls fn for each row of statistic q over strategy sid. Returns 0 or -1. */
int store_stats(Store *s, StatQuery q, int64_t sid, int64_t year,
                void (*fn)(void *ctx, const StatRow *row), void *ctx);

typedef struct StatTotals {
    int64_t projects;      /* in the work plan of the year (or all) */
    int64_t new_or_major;  /* of those, in a new-or-major category */
    int64_t completed;     /* of those, with status completed */
    int64_t updates;       /* progress updates of the strategy */
    int64_t indicators, risks, services, expenditure_lines;
} StatTotals;

int store_totals(Store *s, int64_t sid, int64_t year, StatTotals *t);

#endif
