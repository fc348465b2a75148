/*
 * report_data.h — what a governing-body report says, read from the store.
 *
 * report_data_load() copies everything the report for one strategy and year
 * needs into an RData that owns its memory (one arena), so that the
 * renderers (report_html.c, report_md.c) never touch the database and the
 * same data gives the same bytes. Which projects, updates and figures belong
 * to the year is decided here and documented in docs/report.md.
 */
#ifndef ITSTRAT_REPORT_DATA_H
#define ITSTRAT_REPORT_DATA_H
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"
#include "db.h"
#include "rules.h"
#include "store_stats.h"

enum { HOME_OUTCOME = 0, HOME_OUTPUT = 1, HOME_DRIVER = 2 };

typedef struct RUpdate {
    const char *date, *text, *source; /* text is Markdown */
    const char **footnotes;           /* Markdown */
    size_t nfootnotes;
} RUpdate;

typedef struct RProject {
    const char *code, *title, *status, *category, *actual_end;
    int home_kind, home;         /* HOME_*, index into outcomes/outputs/drivers */
    int in_year;                 /* in the work plan of the report's year */
    int completed_in_year;       /* completed in the report's year (docs/report.md) */
    int first_year, last_year;   /* of its work plan; 0 when it has no year */
    RUpdate *updates;            /* marked for the report's year, oldest first */
    size_t nupdates;
} RProject;

typedef struct ROutcome {
    int number;
    const char *title, *description;
} ROutcome;

typedef struct ROutput {
    const char *code, *title, *description;
    int outcome;                 /* index into outcomes */
} ROutput;

typedef struct RDriver {
    const char *code, *title, *description;
} RDriver;

typedef struct RIndicator {
    const char *code, *kind, *title, *unit;
    int home_kind, home;         /* -1 when it measures the strategy as a whole */
    RulesIndicator rule;         /* baseline, target, milestones, measurements */
    const char **milestone_period; /* parallel to rule.milestones */
    const char **measurement_date; /* parallel to rule.measurements */
} RIndicator;

typedef struct RRisk {
    const char *code, *title;
    int ip, ii, rp, ri;          /* inherent and residual probability/impact, 0 unknown */
    int nactions, nactions_done;
} RRisk;

typedef struct RService {
    const char *code, *name;
    double availability_target, response_target, resolution_target; /* NAN: none */
    int met, missed, no_data;    /* months of the report's year (period for a final) */
    double availability_sum;     /* over months with an availability figure */
    int availability_n;
} RService;

typedef struct RExpense {
    int year;
    const char *category;
    int64_t cents;
} RExpense;

typedef struct RData {
    Arena arena;
    int year, final;
    /* strategy */
    const char *code, *title, *organization, *currency, *risk_matrix, *approved_by;
    int first_year, last_year, odd;
    /* the report's metadata */
    const char *body, *session, *date, *symbol, *section, *section_code, *language,
        *doc_title, *summary, *author_unit, *introduction;
    int64_t stated_projects, stated_new_or_major; /* DB_NULL_INT when not stated */
    const char **related;
    size_t nrelated;
    /* structure */
    ROutcome *outcomes;
    size_t noutcomes;
    ROutput *outputs;
    size_t noutputs;
    RDriver *drivers;
    size_t ndrivers;
    size_t ncategories;          /* categories the strategy defines */
    /* portfolio: every project of the strategy, in order */
    RProject *projects;
    size_t nprojects;
    PortfolioStats stats;        /* of the report's year */
    PortfolioStats period_stats; /* of the whole period (final report only) */
    /* indicators, risks, services, spending */
    RIndicator *indicators;
    size_t nindicators;
    RRisk *risks;
    size_t nrisks;
    RService *services;
    size_t nservices;
    RExpense *expenses;          /* summed by year and category, in first-seen order */
    size_t nexpenses;
    const char *expense_currency;
} RData;

enum { RDATA_OK = 0, RDATA_STORE = -1, RDATA_NOTFOUND = -2, RDATA_RENDER = -3 };

/* Loads the report of strategy sid for year (final: the final report).
 * Returns RDATA_OK; RDATA_NOTFOUND with a message in err when the year is
 * outside the strategy's period, a final report is asked
 * for another year than the last, or the year has no report metadata;
 * RDATA_STORE on a database error. rd is freed with report_data_free() in
 * every case. */
int report_data_load(Db *db, int64_t sid, int year, int final, RData *rd, Buf *err);
void report_data_free(RData *rd);

#endif
