/*
 * model.h — the rows of the strategy model, as the store reads and writes them.
 *
 * Each struct mirrors a table of schema.sql. Text members are borrowed: on
 * insert they point at the caller's strings; when a StoreCursor fills a row
 * they point into the current database row and stay valid until the next
 * store_cursor_next(). Unknown integers are DB_NULL_INT, unknown reals NAN,
 * unknown texts NULL. Members after "read:" are filled by queries (codes of
 * referenced things) and ignored on insert.
 */
#ifndef ITSTRAT_MODEL_H
#define ITSTRAT_MODEL_H
#include <stdint.h>

/* Limits of lists, the same for every way in (JSON and CSV import, forms,
 * API): a record one of them accepts can always be saved by the others. */
#define MODEL_MAX_TAGS 100          /* tags of a project */
#define MODEL_MAX_TAG_CHARS 100     /* characters in a tag */
#define MODEL_MAX_YEARS 50          /* work-plan years of a project */
#define MODEL_MAX_KRIS 100          /* key risk indicators of a risk */
#define MODEL_MAX_DECISION_PROJECTS 200 /* projects a decision names */

typedef struct StrategyRow {
    int64_t id;
    const char *code, *title, *organization;
    int64_t first_year, last_year;
    const char *biennium_start; /* "even" or "odd" */
    const char *approved_by, *approved_on, *summary, *currency;
    int64_t is_public;          /* 0 or 1 */
    const char *risk_matrix;    /* 25 letters l/m/h/c or NULL */
} StrategyRow;

typedef struct CategoryRow {
    int64_t id, strategy_id;
    const char *code, *name;
    int64_t new_or_major, sort;
} CategoryRow;

typedef struct LocationRow {
    int64_t id, strategy_id, parent_id;
    const char *code, *name, *kind;
    int64_t sort;
    const char *parent_code; /* read: */
} LocationRow;

typedef struct OutcomeRow {
    int64_t id, strategy_id, number;
    const char *title, *description;
} OutcomeRow;

typedef struct OutputRow {
    int64_t id, strategy_id, outcome_id;
    const char *code, *title, *description;
    int64_t sort;
    int64_t outcome_number; /* read: */
} OutputRow;

typedef struct DeliverableRow {
    int64_t output_id, sort;
    const char *text;
} DeliverableRow;

typedef struct DriverRow {
    int64_t id, strategy_id;
    const char *code, *title, *description;
    int64_t sort;
} DriverRow;

typedef struct IndicatorRow {
    int64_t id, strategy_id, outcome_id, output_id, driver_id;
    const char *code, *kind, *title, *description, *unit, *direction;
    double baseline_value;
    int64_t baseline_year;
    double target;
    int64_t sort;
    int64_t outcome_number; /* read: */
    const char *output_code, *driver_code;
} IndicatorRow;

typedef struct MilestoneRow {
    int64_t indicator_id;
    const char *period;
    double value;
    int64_t sort;
} MilestoneRow;

typedef struct MeasurementRow {
    int64_t indicator_id;
    const char *date;
    double value;
    const char *source, *note;
} MeasurementRow;

typedef struct ProjectRow {
    int64_t id, strategy_id, outcome_id, output_id, driver_id, category_id;
    const char *code, *title, *summary, *status;
    const char *planned_start, *planned_end, *actual_start, *actual_end;
    int64_t budget, actual_cost; /* cents */
    const char *currency, *unit, *source;
    int64_t sort;
    int64_t outcome_number; /* read: */
    const char *output_code, *driver_code, *category_code;
} ProjectRow;

typedef struct ProjectYearRow {
    int64_t project_id, year;
} ProjectYearRow;

typedef struct ProjectLocationRow {
    int64_t project_id, location_id;
    const char *status, *date, *note;
    int64_t sort;
    const char *location_code; /* read: */
} ProjectLocationRow;

typedef struct DependencyRow {
    int64_t project_id, depends_on_id, sort;
    const char *depends_on_code; /* read: */
} DependencyRow;

typedef struct UpdateRow {
    int64_t id, project_id;
    const char *date, *text;
    int64_t report_year;
    const char *source;
    int64_t sort;
} UpdateRow;

typedef struct FootnoteRow {
    int64_t update_id, sort;
    const char *text;
    int64_t project_id; /* read: */
} FootnoteRow;

typedef struct TagRow {
    int64_t project_id;
    const char *tag;
    int64_t sort;
} TagRow;

typedef struct RiskRow {
    int64_t id, strategy_id;
    const char *code, *title, *description, *category, *owner;
    int64_t inherent_probability, inherent_impact, residual_probability, residual_impact;
    int64_t sort;
} RiskRow;

typedef struct RiskActionRow {
    int64_t risk_id, sort;
    const char *title, *status, *due, *owner;
} RiskActionRow;

typedef struct RiskIndicatorRow {
    int64_t risk_id, indicator_id, sort;
    const char *indicator_code; /* read: */
} RiskIndicatorRow;

typedef struct ServiceRow {
    int64_t id, strategy_id;
    const char *code, *name, *description;
    double availability_target, response_hours, resolution_hours;
    int64_t sort;
} ServiceRow;

typedef struct ServiceMeasurementRow {
    int64_t service_id;
    const char *period;
    double availability, response_hours, resolution_hours;
} ServiceMeasurementRow;

typedef struct ExpenditureRow {
    int64_t id, strategy_id, year;
    const char *category, *unit;
    int64_t amount; /* cents */
    const char *currency;
    int64_t project_id;
    const char *note;
    int64_t sort;
    const char *project_code; /* read: */
} ExpenditureRow;

typedef struct CommitteeRow {
    int64_t id, strategy_id;
    const char *code, *name, *charter;
    int64_t sort;
} CommitteeRow;

typedef struct MeetingRow {
    int64_t id, committee_id;
    const char *date, *title;
    int64_t sort;
} MeetingRow;

typedef struct DecisionRow {
    int64_t id, meeting_id;
    const char *kind, *text;
    int64_t sort;
    int64_t committee_id; /* read: */
} DecisionRow;

typedef struct DecisionProjectRow {
    int64_t decision_id, project_id, sort;
    const char *project_code; /* read: */
} DecisionProjectRow;

typedef struct ReportRow {
    int64_t id, strategy_id, year, final;
    const char *body, *session, *date, *symbol, *section, *section_code;
    const char *original_language, *title, *summary, *author_unit, *introduction;
    int64_t stated_projects, stated_new_or_major;
} ReportRow;

typedef struct ReportRelatedRow {
    int64_t report_id, sort;
    const char *symbol;
} ReportRelatedRow;

#endif
