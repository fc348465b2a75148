/*
 * store_registers.h — the strategy's registers as the web pages and the API
 * show them: the risk register with its actions and key risk indicators,
 * services with their monthly service levels, IT expenditure, and the
 * governance committees with their meetings and decisions.
 *
 * Each loader reads one register of strategy sid into an Arena the caller
 * owns (every string and array of the result lives there, freed with the
 * arena), applies the filters it is given, and derives what the rules say
 * (risk levels from the strategy's matrix, SLA compliance per month: see
 * rules.h). Registers are small next to the portfolio (tens of risks, a
 * dozen services, a few thousand spending lines), so each is read with one
 * indexed query per table. Every loader returns 0, or -1 with
 * db_errmsg(s->db) set; on failure *out is left empty.
 */
#ifndef ITSTRAT_STORE_REGISTERS_H
#define ITSTRAT_STORE_REGISTERS_H
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "rules.h"
#include "store.h"

/* ---- risks ------------------------------------------------------------- */

typedef struct RegAction {
    const char *title, *status, *due, *owner; /* status: planned, in_progress, done, cancelled */
} RegAction;

typedef struct RegLink {
    const char *code, *title; /* an indicator or a project */
} RegLink;

typedef struct RegRisk {
    const char *code, *title, *description, *category, *owner; /* description: Markdown */
    int ip, ii, rp, ri;          /* inherent / residual probability and impact; 0: not assessed */
    RiskLevel inherent, residual; /* from the strategy's matrix; RISK_NONE: not assessed */
    RegAction *actions;          /* in register order */
    size_t nactions, ndone;      /* ndone: actions with status done */
    RegLink *kris;               /* key risk indicators */
    size_t nkris;
} RegRisk;

typedef struct RegRisks {
    RegRisk *a;                  /* the risks that pass the filter, in register order */
    size_t n;
    size_t total;                /* risks in the register, filter or not */
    size_t by_residual[5];       /* risks of the category filter per residual RiskLevel */
    const char **categories;     /* every category of the register, sorted, no duplicates */
    size_t ncategories;
} RegRisks;

/* Reads the risk register of sid. matrix is the strategy's risk matrix
 * (NULL: the default). category (NULL: any) keeps the risks of that
 * category; level (RISK_NONE: any) those of that residual level. Allocates
 * in a; returns 0 or -1 (database error). */
int store_registers_risks(Store *s, int64_t sid, const char *matrix, const char *category,
                          RiskLevel level, Arena *a, RegRisks *out);

/* ---- services ---------------------------------------------------------- */

typedef struct RegMonth {
    const char *period;          /* "YYYY-MM" */
    double availability, response, resolution; /* NAN: not measured */
    int sla;                     /* SLA_MET, SLA_MISSED or SLA_NO_DATA (rules_sla_month) */
} RegMonth;

typedef struct RegService {
    const char *code, *name, *description; /* description: Markdown */
    double availability_target, response_target, resolution_target; /* NAN: no target */
    RegMonth *months;            /* the months of the selected year that have a row, by period */
    size_t nmonths;
    RegMonth last;               /* the last month with a figure up to the end of the year;
                                    last.period is NULL when there is none */
    int met, missed;             /* months of the year met / missed (months with data: the sum) */
} RegService;

typedef struct RegServices {
    RegService *a;               /* the services that pass the filter, in register order */
    size_t n;
    size_t total;                /* services of the strategy */
    int *years;                  /* years that have a measurement, ascending */
    size_t nyears;
    int year;                    /* the selected year (0 when no service has a measurement) */
} RegServices;

/* Reads the services of sid and their measurements. year 0 selects the last
 * year with a measurement; service (NULL: every one) keeps the service of
 * that code. Allocates in a; returns 0 or -1 (database error). */
int store_registers_services(Store *s, int64_t sid, int year, const char *service, Arena *a,
                             RegServices *out);

/* ---- expenditure ------------------------------------------------------- */

typedef struct RegSpendTotals {
    int *years;                  /* years with spending, ascending */
    size_t nyears;
    const char **categories;     /* in the order they first appear in the register */
    size_t ncategories;
    int64_t *cents;              /* [category * nyears + year], in the strategy's currency */
    size_t other_currency;       /* lines in another currency, left out of the sums */
    size_t lines;                /* lines of the strategy, every currency */
} RegSpendTotals;

/* Sums the spending of sid in currency (lines without a currency count as
 * the strategy's) by category and year. Allocates in a; returns 0 or -1
 * (database error, or a sum beyond 64 bits: "integer overflow"). */
int store_registers_spend_totals(Store *s, int64_t sid, const char *currency, Arena *a,
                                 RegSpendTotals *out);

typedef struct RegSpendLine {
    int year;
    const char *category, *unit, *currency, *note; /* currency NULL: the strategy's */
    int64_t cents;
    const char *project_code, *project_title;       /* NULL: no project */
} RegSpendLine;

/* Reads at most limit lines of sid from offset, in register order, of year
 * (0: any) and category (NULL: any). *total receives how many lines match.
 * Allocates *out in a; returns 0 or -1 (database error). */
int store_registers_spend_lines(Store *s, int64_t sid, int year, const char *category,
                                int64_t limit, int64_t offset, Arena *a, RegSpendLine **out,
                                size_t *n, int64_t *total);

/* ---- governance -------------------------------------------------------- */

typedef struct RegDecision {
    const char *kind, *text;     /* kind: approve, prioritize, hold, cancel, guidance, other;
                                    text: Markdown */
    RegLink *projects;           /* the projects it concerns */
    size_t nprojects;
} RegDecision;

typedef struct RegMeeting {
    const char *date, *title;    /* title may be NULL */
    RegDecision *decisions;
    size_t ndecisions;
} RegMeeting;

typedef struct RegCommittee {
    const char *code, *name, *charter; /* charter: Markdown */
    RegMeeting *meetings;        /* by date */
    size_t nmeetings;
    size_t ndecisions;           /* decisions in its meetings (after the filter) */
} RegCommittee;

typedef struct RegGovernance {
    RegCommittee *a;             /* the committees that pass the filter, in register order */
    size_t n;
    size_t total;                /* committees of the strategy */
} RegGovernance;

/* Reads the committees of sid, their meetings by date and their decisions.
 * committee (NULL: every one) keeps that committee; kind (NULL: any) keeps
 * the decisions of that kind and only the meetings that took one. Allocates
 * in a; returns 0 or -1 (database error). */
int store_registers_governance(Store *s, int64_t sid, const char *committee, const char *kind,
                               Arena *a, RegGovernance *out);

/* The committees of sid in register order, code and name only (for a
 * form). Allocates *out in a; returns 0 or -1 (database error). */
int store_registers_committees(Store *s, int64_t sid, Arena *a, RegLink **out, size_t *n);

#endif
