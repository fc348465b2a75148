/*
 * store_portfolio.h — the portfolio: a strategy's projects filtered, sorted
 * and paged; their counts for the figures; and the full-text search index.
 *
 * One set of filters (PortfolioQuery) serves the portfolio page, its CSV and
 * XLSX downloads and the projects API. Every filter is optional. The SQL is
 * a fixed set of literal statements, one per sort key and direction (the
 * whitelist of PortfolioSort), whose filter terms read "(:x IS NULL OR ...)";
 * the default order walks the index project_portfolio (strategy, sort,
 * status, category), deciding a status or category filter from the index,
 * so a page of 50 reads 50 table rows. Statements
 * are prepared once per connection and kept with it (db_attach): db_close
 * finalizes them.
 *
 * Full-text search (FTS5, schema version 2) is built lazily per strategy:
 * store_search_ensure() writes a strategy's rows the first time it is
 * searched, store_search_drop() forgets them when its projects go.
 *
 * Rows and lists are copied into the caller's arena; nothing else to free.
 * Functions return 0, or -1 on a database error with db_errmsg(s->db)
 * saying what failed (with the SQL).
 */
#ifndef ITSTRAT_STORE_PORTFOLIO_H
#define ITSTRAT_STORE_PORTFOLIO_H
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"
#include "store.h"

/* The orders a list can have: the whitelist of sortable columns. */
typedef enum PortfolioSort {
    PSORT_DOCUMENT, /* the order of the strategy document (sort) */
    PSORT_CODE,
    PSORT_TITLE,
    PSORT_STATUS,   /* lifecycle order: proposed ... cancelled */
    PSORT_CATEGORY, /* the categories' figure order */
    PSORT_START,    /* planned start; unknown last */
    PSORT_END,      /* planned end; unknown last */
    PSORT_BUDGET,   /* unknown last */
    PSORT__COUNT
} PortfolioSort;

typedef struct PortfolioChoices PortfolioChoices;

/* Which projects, in which order. Ids come from PortfolioChoices. */
typedef struct PortfolioQuery {
    int64_t sid;          /* the strategy */
    int64_t outcome_id;   /* its outputs' projects and its own; DB_NULL_INT: any */
    int64_t output_id;    /* DB_NULL_INT: any */
    int64_t driver_id;    /* DB_NULL_INT: any */
    int64_t category_id;  /* DB_NULL_INT: any */
    int64_t location_id;  /* rolled out there or at a place within it; DB_NULL_INT: any */
    int64_t year;         /* in the work plan of that year; DB_NULL_INT: any */
    const char *status;   /* one of store_status_keys; NULL: any */
    const char *unit;     /* owning unit; NULL: any */
    const char *match;    /* an FTS5 expression from store_search_expr(); NULL: no search */
    PortfolioSort sort;
    int desc;             /* 1: descending (ties stay in document order) */
    int64_t limit;        /* rows at most; < 0: all */
    int64_t offset;       /* rows skipped */
    int with_years;       /* store_portfolio_page fills years (a lookup per row) */
} PortfolioQuery;

/* Sets every filter of q to "any", sort to document order, no limit. */
void store_portfolio_query_init(PortfolioQuery *q, int64_t sid);

enum { PORTFOLIO_HOME_OUTCOME = 0, PORTFOLIO_HOME_OUTPUT = 1, PORTFOLIO_HOME_DRIVER = 2 };

/* One project of a list. Texts may be NULL where the schema allows. */
typedef struct PortfolioRow {
    int64_t id;
    const char *code, *title, *status;
    const char *category_code, *category_name; /* NULL: no category (names borrowed from
                                                  the PortfolioChoices given) */
    int home_kind;                  /* PORTFOLIO_HOME_* */
    const char *home_code;          /* outcome number as text, output or driver code */
    const char *home_title;
    int64_t outcome_number;         /* its outcome (through its output); DB_NULL_INT for a driver's */
    const char *planned_start, *planned_end;
    int64_t budget;                 /* cents, or DB_NULL_INT */
    const char *currency, *unit;
    const char *years;              /* work-plan years "2019; 2020", or NULL (see with_years) */
    /* Filled by store_portfolio_export only (NULL otherwise): */
    const char *summary, *actual_start, *actual_end, *source;
    int64_t actual_cost;            /* cents, or DB_NULL_INT */
    const char *locations;          /* roll-out location codes "HQ; RO-1", or NULL */
    const char *tags;               /* "a; b", or NULL */
    int64_t nupdates;               /* progress updates */
} PortfolioRow;

/* The rows of q (limit and offset applied) into *out (an arena array of *n;
 * the fields marked "export only" stay NULL). Names of categories and homes
 * are taken from names (store_portfolio_choices of the same strategy). */
int store_portfolio_page(Store *s, const PortfolioQuery *q, const PortfolioChoices *names,
                         Arena *a, PortfolioRow **out, size_t *n);

/* Calls fn for every row of q, export fields included; a row's texts are
 * valid during the call only. fn returns 0 to go on, non-zero to stop
 * (store_portfolio_export then returns that value). */
int store_portfolio_export(Store *s, const PortfolioQuery *q, const PortfolioChoices *names,
                           int (*fn)(void *ctx, const PortfolioRow *r), void *ctx);

/* A counted line of a figure. */
typedef struct PortfolioCount {
    const char *code;  /* outcome number, driver code, category code ("" none), status, year */
    const char *label; /* what a person reads */
    int64_t n;
} PortfolioCount;

/* The counts of the projects that q selects (limit, offset and sort are
 * ignored). Lists hold every line, zeros included, in figure order. */
typedef struct PortfolioCounts {
    int64_t total;
    PortfolioCount *home;     /* outcomes by number (their outputs' projects included),
                                 then drivers: Figure 1 */
    size_t nhome, noutcomes;  /* noutcomes: how many of home are outcomes */
    PortfolioCount *category; /* categories in order, then "(no category)" when
                                 some project has none: Figure 2 */
    size_t ncategory;
    PortfolioCount *status;   /* the seven statuses in lifecycle order */
    size_t nstatus;
    PortfolioCount *year;     /* work-plan years ascending, only those with projects */
    size_t nyear;
} PortfolioCounts;

int store_portfolio_counts(Store *s, const PortfolioQuery *q, Arena *a, PortfolioCounts *out);

/* A thing a filter can name. */
typedef struct PortfolioChoice {
    int64_t id;        /* row id (0 for units) */
    const char *code;  /* outcome number as text, output/driver/category/location code, unit */
    const char *label; /* title or name */
    int64_t parent;    /* output: its outcome's number; location: depth (0 = top) */
} PortfolioChoice;

/* What the filters of a strategy can name, each list in its display order
 * (locations as a tree, depth first). */
struct PortfolioChoices {
    PortfolioChoice *outcomes, *outputs, *drivers, *categories, *locations, *units;
    size_t noutcomes, noutputs, ndrivers, ncategories, nlocations, nunits;
};

int store_portfolio_choices(Store *s, int64_t sid, Arena *a, PortfolioChoices *out);

/* ---- full-text search -------------------------------------------------- */

/* Turns what a person typed into a safe FTS5 expression: every word
 * (a run of characters between spaces) becomes a quoted phrase, its quotes
 * doubled, so no FTS5 syntax (AND, NEAR, *, :, parentheses) from the input
 * is ever interpreted; all words must match. At most 16 words are used.
 * Appends to out; returns the number of words (0: nothing to search). */
int store_search_expr(const char *text, Buf *out);

/* Makes sure strategy sid's search rows exist and are current: writes them
 * (title, summary and the text of the updates of each project) in one
 * transaction when the strategy was never searched, when projects or
 * updates were added since, or when text changed (schema triggers). About a
 * second for 100,000 projects; other threads wait, other processes get
 * SQLite's busy timeout. Returns 0 or -1. */
int store_search_ensure(Store *s, int64_t sid);

/* Forgets strategy sid's search rows before its projects are deleted
 * (store_strategy_delete calls it, inside the caller's transaction): the
 * mark goes at once; the rows themselves are dropped at the next build,
 * so that deleting or re-importing a strategy costs no more than before.
 * Until then they cannot show: searches join back to project. */
int store_search_drop(Store *s, int64_t sid);

#endif
