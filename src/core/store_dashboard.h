/*
 * store_dashboard.h — what the strategy's overview pages need beyond
 * store_stats: projects by home and status, the default year, indicators
 * ready for rules_indicator_status(), the risk grids, service-level months
 * and the latest progress updates.
 *
 * Every function reads one strategy (sid), copies what it returns into the
 * caller's arena (nothing to free but the arena), and returns 0, or -1 on a
 * database error with db_errmsg(s->db) saying what failed.
 */
#ifndef ITSTRAT_STORE_DASHBOARD_H
#define ITSTRAT_STORE_DASHBOARD_H
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "rules.h"
#include "store.h"

/* The last work-plan year of strategy sid that holds a project, into *year;
 * 0 when no project has a year. */
int store_dashboard_last_year(Store *s, int64_t sid, int *year);

/* How many projects strategy sid has (every year), into *n. */
int store_dashboard_project_count(Store *s, int64_t sid, int64_t *n);

/* An outcome or a driver with its projects counted by status. */
typedef struct DashHome {
    int is_driver;       /* 0 outcome, 1 cross-cutting driver */
    int64_t id;          /* outcome or driver id */
    const char *code;    /* outcome number as text, or driver code */
    const char *title;
    int64_t total;       /* projects, those of the outcome's outputs included */
    int64_t by_status[7];/* in store_status_keys order */
} DashHome;

/* The outcomes (by number) then the drivers (in order) of sid, each with
 * its projects in the work plan of year (DB_NULL_INT: every project)
 * counted by status; zero counts included. *out is an arena array. */
int store_dashboard_homes(Store *s, int64_t sid, int64_t year, Arena *a, DashHome **out,
                          size_t *n);

/* An indicator with what rules_indicator_status() needs. */
typedef struct DashIndicator {
    int64_t id, outcome_id, output_id, driver_id; /* DB_NULL_INT when not its home */
    const char *code, *kind, *title, *unit;
    int64_t outcome_number;          /* of its outcome, or DB_NULL_INT */
    const char *output_code, *driver_code; /* or NULL */
    RulesIndicator rule;             /* arrays in the arena */
    const char *latest_date;         /* date of its last measurement, or NULL */
    double latest_value;             /* its value (NAN when none) */
} DashIndicator;

/* Every indicator of sid in order, with milestones (in period order) and
 * measurements (by date); rule.end_year is last_year and a missing baseline
 * year reads as first_year - 1 (as the report reads it). *latest_year gets
 * the year of the latest measurement of any indicator, 0 when none. */
int store_dashboard_indicators(Store *s, int64_t sid, int first_year, int last_year, Arena *a,
                               DashIndicator **out, size_t *n, int *latest_year);

/* Risks of sid counted at [probability - 1][impact - 1], inherent and
 * residual; *nrisks gets every risk, *unassessed those lacking a
 * probability or impact on either side (not in the grids). */
int store_dashboard_risk_grids(Store *s, int64_t sid, int inherent[5][5], int residual[5][5],
                               int *nrisks, int *unassessed);

/* A service's compliance over its last months with data. */
typedef struct DashSla {
    const char *code, *name;
    int met, measured;    /* months met, months measured (rules_sla_month) */
    const char *first, *last; /* 'YYYY-MM' of the first and last month counted, or NULL */
} DashSla;

/* Every service of sid in order, with its last `months` months that have
 * data (a month counts when rules_sla_month() says met or missed). */
int store_dashboard_sla(Store *s, int64_t sid, int months, Arena *a, DashSla **out, size_t *n);

/* A progress update with the project it belongs to. */
typedef struct DashUpdate {
    const char *date, *text;    /* text is Markdown */
    int64_t report_year;        /* or DB_NULL_INT */
    const char *project_code, *project_title, *project_status;
} DashUpdate;

/* The limit most recent updates of sid's projects, newest first (by date,
 * then the latest entered first). */
int store_dashboard_latest_updates(Store *s, int64_t sid, int limit, Arena *a, DashUpdate **out,
                                   size_t *n);

#endif
