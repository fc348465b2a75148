/*
 * store_stats.h — counts of the portfolio, for the summary, the report's
 * figures and the dashboards, computed from one pass over the strategy's
 * projects (the covering index project_stats) plus one over its work-plan
 * years.
 */
#ifndef ITSTRAT_STORE_STATS_H
#define ITSTRAT_STORE_STATS_H
#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* One counted line. */
typedef struct StatCount {
    char *code;     /* outcome number, output/driver/category code, status, year */
    char *label;    /* what a person reads (a title, "in progress") */
    int64_t n;      /* projects */
    int flag;       /* home: 0 outcome, 1 driver; category: 1 when new_or_major;
                       output: its outcome's number */
} StatCount;

typedef struct StatList {
    StatCount *a;
    size_t n;
} StatList;

typedef struct StatTotals {
    int64_t projects;      /* in the work plan of the year (or all) */
    int64_t new_or_major;  /* of those, in a new-or-major category */
    int64_t completed;     /* of those, with status completed */
    int64_t updates;       /* progress updates of the strategy */
    int64_t indicators, risks, services, expenditure_lines;
} StatTotals;

typedef struct PortfolioStats {
    StatList home;      /* outcomes by number (projects of their outputs included),
                           then drivers in order: Figure 1 */
    StatList outputs;   /* outputs in order */
    StatList category;  /* categories in order (zeros included), then "(no category)"
                           when some project has none: Figure 2 */
    StatList status;    /* the seven statuses in lifecycle order, zeros included */
    StatList years;     /* work-plan years ascending, over every year */
    StatTotals totals;
} PortfolioStats;

/* Counts strategy sid's projects in the work plan of year (DB_NULL_INT:
 * every project). Fills *out, which the caller frees with
 * store_stats_free(); on failure returns -1 (db_errmsg) and *out is empty. */
int store_stats(Store *s, int64_t sid, int64_t year, PortfolioStats *out);
void store_stats_free(PortfolioStats *ps);

/* The statuses in lifecycle order and their labels ("in progress"). */
extern const char *const store_status_keys[7];
const char *store_status_label(const char *key);

#endif
