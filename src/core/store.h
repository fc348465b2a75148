/*
 * store.h — reading and writing the strategy model.
 *
 * All SQL of itstrat's model lives in src/core/store*.c. Writers use
 * store_insert() with a row struct of model.h; readers open a StoreCursor on
 * one of the named queries below and step through rows already filled into
 * the row struct of that query.
 *
 * Child queries (years of projects, updates, …) return the children of a
 * whole strategy ordered the way their parents are listed, with the parent's
 * id in StoreCursor.parent, so a reader walks parents and children in
 * lockstep (store_child) without a query per parent.
 */
#ifndef ITSTRAT_STORE_H
#define ITSTRAT_STORE_H
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "model.h"

typedef enum StoreTable {
    T_STRATEGY, T_CATEGORY, T_LOCATION, T_OUTCOME, T_OUTPUT, T_DELIVERABLE, T_DRIVER,
    T_INDICATOR, T_MILESTONE, T_MEASUREMENT, T_PROJECT, T_PROJECT_YEAR,
    T_PROJECT_LOCATION, T_DEPENDENCY, T_UPDATE, T_FOOTNOTE, T_TAG, T_RISK,
    T_RISK_ACTION, T_RISK_INDICATOR, T_SERVICE, T_SERVICE_MEASUREMENT, T_EXPENDITURE,
    T_COMMITTEE, T_MEETING, T_DECISION, T_DECISION_PROJECT, T_REPORT, T_REPORT_RELATED,
    T__COUNT
} StoreTable;

/* Named read queries. Those marked (child) set StoreCursor.parent. All take
 * the strategy id; Q_STRATEGIES ignores it. */
typedef enum StoreQuery {
    Q_STRATEGIES,        /* StrategyRow, every strategy by code */
    Q_STRATEGY,          /* StrategyRow, the one strategy */
    Q_CATEGORIES,        /* CategoryRow */
    Q_LOCATIONS,         /* LocationRow */
    Q_OUTCOMES,          /* OutcomeRow by number */
    Q_OUTPUTS,           /* OutputRow (child of outcome) */
    Q_DELIVERABLES,      /* DeliverableRow (child of output) */
    Q_DRIVERS,           /* DriverRow */
    Q_INDICATORS,        /* IndicatorRow */
    Q_MILESTONES,        /* MilestoneRow (child of indicator) */
    Q_MEASUREMENTS,      /* MeasurementRow (child of indicator), by date */
    Q_PROJECTS,          /* ProjectRow */
    Q_PROJECT_YEARS,     /* ProjectYearRow (child of project) */
    Q_PROJECT_LOCATIONS, /* ProjectLocationRow (child of project) */
    Q_DEPENDENCIES,      /* DependencyRow (child of project) */
    Q_UPDATES,           /* UpdateRow (child of project) */
    Q_FOOTNOTES,         /* FootnoteRow (child of update) */
    Q_TAGS,              /* TagRow (child of project) */
    Q_RISKS,             /* RiskRow */
    Q_RISK_ACTIONS,      /* RiskActionRow (child of risk) */
    Q_RISK_INDICATORS,   /* RiskIndicatorRow (child of risk) */
    Q_SERVICES,          /* ServiceRow */
    Q_SERVICE_MEASUREMENTS, /* ServiceMeasurementRow (child of service) */
    Q_EXPENDITURE,       /* ExpenditureRow */
    Q_COMMITTEES,        /* CommitteeRow */
    Q_MEETINGS,          /* MeetingRow (child of committee) */
    Q_DECISIONS,         /* DecisionRow (child of meeting) */
    Q_DECISION_PROJECTS, /* DecisionProjectRow (child of decision) */
    Q_REPORTS,           /* ReportRow by year */
    Q_REPORT_RELATED,    /* ReportRelatedRow (child of report) */
    Q__COUNT
} StoreQuery;

typedef struct StoreField StoreField;

/* A store: a connection plus its prepared insert statements. */
typedef struct Store {
    Db *db;                 /* borrowed */
    DbStmt *ins[T__COUNT];  /* prepared on first use */
    int *idx[T__COUNT];     /* parameter index of each field of the insert, 0: not bound */
} Store;

typedef struct StoreCursor {
    DbStmt *st;                 /* the query */
    const StoreField *fields;   /* descriptor of the row struct */
    const StoreField **map;     /* column i -> field (NULL for "parent") */
    int ncol;                   /* columns in the result */
    int parent_col;             /* column holding the parent id, or -1 */
    void *row;                  /* current row (a model.h struct), owned */
    int64_t parent;             /* parent id of the current row */
    int has_row;                /* 1 while row holds a row */
    int failed;                 /* 1 after a database error */
} StoreCursor;

void store_init(Store *s, Db *db);
void store_done(Store *s); /* finalizes the statements; does not close db */

/* Inserts row (the struct of table t) and, when id is not NULL, stores the
 * new row id there. Returns 0, or -1 with db_errmsg(s->db) set. */
int store_insert(Store *s, StoreTable t, const void *row, int64_t *id);

/* Opens query q for strategy sid and reads the first row. Returns 0 or -1.
 * The caller closes the cursor with store_close() in every case. */
int store_open(Store *s, StoreCursor *c, StoreQuery q, int64_t sid);
/* Reads the next row into c->row. Returns 1 (a row), 0 (done), -1 (error). */
int store_advance(StoreCursor *c);
/* The current row when it belongs to parent, else NULL. Call store_advance()
 * after using it. */
const void *store_child(StoreCursor *c, int64_t parent);
void store_close(StoreCursor *c);

/* Looks up a strategy id by code: the id, 0 when there is none, -1 on error. */
int64_t store_strategy_id(Store *s, const char *code);
/* Sets the parent of location id. */
int store_location_set_parent(Store *s, int64_t id, int64_t parent_id);
/* Deletes a strategy and everything in it. */
int store_strategy_delete(Store *s, int64_t sid);

#endif
