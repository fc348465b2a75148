/*
 * store.c — the model's tables: row descriptors, inserts and named queries.
 *
 * A StoreField names a member of a model.h struct; the same name is the SQL
 * parameter (":name") on insert and the result column on read. Fields marked
 * SF_READ are only read (ids assigned by SQLite, codes of referenced rows).
 */
#include "store.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "store_portfolio.h"

enum { SF_INT, SF_REAL, SF_TEXT };
enum { SF_READ = 1 };

struct StoreField {
    const char *name;  /* member, column and parameter name (without ':') */
    int type;          /* SF_INT, SF_REAL or SF_TEXT */
    size_t off;        /* offsetof the member */
    int flags;         /* SF_READ: not bound on insert */
};

#define I(S, m) {#m, SF_INT, offsetof(S, m), 0}
#define R(S, m) {#m, SF_REAL, offsetof(S, m), 0}
#define X(S, m) {#m, SF_TEXT, offsetof(S, m), 0}
#define RI(S, m) {#m, SF_INT, offsetof(S, m), SF_READ}
#define RX(S, m) {#m, SF_TEXT, offsetof(S, m), SF_READ}
#define END {NULL, 0, 0, 0}

static const StoreField f_strategy[] = {
    RI(StrategyRow, id), X(StrategyRow, code), X(StrategyRow, title),
    X(StrategyRow, organization), I(StrategyRow, first_year), I(StrategyRow, last_year),
    X(StrategyRow, biennium_start), X(StrategyRow, approved_by), X(StrategyRow, approved_on),
    X(StrategyRow, summary), X(StrategyRow, currency), I(StrategyRow, is_public),
    X(StrategyRow, risk_matrix), END};
static const StoreField f_category[] = {
    RI(CategoryRow, id), I(CategoryRow, strategy_id), X(CategoryRow, code),
    X(CategoryRow, name), I(CategoryRow, new_or_major), I(CategoryRow, sort), END};
static const StoreField f_location[] = {
    RI(LocationRow, id), I(LocationRow, strategy_id), I(LocationRow, parent_id),
    X(LocationRow, code), X(LocationRow, name), X(LocationRow, kind), I(LocationRow, sort),
    RX(LocationRow, parent_code), END};
static const StoreField f_outcome[] = {
    RI(OutcomeRow, id), I(OutcomeRow, strategy_id), I(OutcomeRow, number),
    X(OutcomeRow, title), X(OutcomeRow, description), END};
static const StoreField f_output[] = {
    RI(OutputRow, id), I(OutputRow, strategy_id), I(OutputRow, outcome_id),
    X(OutputRow, code), X(OutputRow, title), X(OutputRow, description), I(OutputRow, sort),
    RI(OutputRow, outcome_number), END};
static const StoreField f_deliverable[] = {
    I(DeliverableRow, output_id), I(DeliverableRow, sort), X(DeliverableRow, text), END};
static const StoreField f_driver[] = {
    RI(DriverRow, id), I(DriverRow, strategy_id), X(DriverRow, code), X(DriverRow, title),
    X(DriverRow, description), I(DriverRow, sort), END};
static const StoreField f_indicator[] = {
    RI(IndicatorRow, id), I(IndicatorRow, strategy_id), I(IndicatorRow, outcome_id),
    I(IndicatorRow, output_id), I(IndicatorRow, driver_id), X(IndicatorRow, code),
    X(IndicatorRow, kind), X(IndicatorRow, title), X(IndicatorRow, description),
    X(IndicatorRow, unit), X(IndicatorRow, direction), R(IndicatorRow, baseline_value),
    I(IndicatorRow, baseline_year), R(IndicatorRow, target), I(IndicatorRow, sort),
    RI(IndicatorRow, outcome_number), RX(IndicatorRow, output_code),
    RX(IndicatorRow, driver_code), END};
static const StoreField f_milestone[] = {
    I(MilestoneRow, indicator_id), X(MilestoneRow, period), R(MilestoneRow, value),
    I(MilestoneRow, sort), END};
static const StoreField f_measurement[] = {
    I(MeasurementRow, indicator_id), X(MeasurementRow, date), R(MeasurementRow, value),
    X(MeasurementRow, source), X(MeasurementRow, note), END};
static const StoreField f_project[] = {
    RI(ProjectRow, id), I(ProjectRow, strategy_id), I(ProjectRow, outcome_id),
    I(ProjectRow, output_id), I(ProjectRow, driver_id), I(ProjectRow, category_id),
    X(ProjectRow, code), X(ProjectRow, title), X(ProjectRow, summary), X(ProjectRow, status),
    X(ProjectRow, planned_start), X(ProjectRow, planned_end), X(ProjectRow, actual_start),
    X(ProjectRow, actual_end), I(ProjectRow, budget), I(ProjectRow, actual_cost),
    X(ProjectRow, currency), X(ProjectRow, unit), X(ProjectRow, source), I(ProjectRow, sort),
    RI(ProjectRow, outcome_number), RX(ProjectRow, output_code), RX(ProjectRow, driver_code),
    RX(ProjectRow, category_code), END};
static const StoreField f_project_year[] = {
    I(ProjectYearRow, project_id), I(ProjectYearRow, year), END};
static const StoreField f_project_location[] = {
    I(ProjectLocationRow, project_id), I(ProjectLocationRow, location_id),
    X(ProjectLocationRow, status), X(ProjectLocationRow, date), X(ProjectLocationRow, note),
    I(ProjectLocationRow, sort), RX(ProjectLocationRow, location_code), END};
static const StoreField f_dependency[] = {
    I(DependencyRow, project_id), I(DependencyRow, depends_on_id), I(DependencyRow, sort),
    RX(DependencyRow, depends_on_code), END};
static const StoreField f_update[] = {
    RI(UpdateRow, id), I(UpdateRow, project_id), X(UpdateRow, date), X(UpdateRow, text),
    I(UpdateRow, report_year), X(UpdateRow, source), I(UpdateRow, sort), END};
static const StoreField f_footnote[] = {
    I(FootnoteRow, update_id), I(FootnoteRow, sort), X(FootnoteRow, text),
    RI(FootnoteRow, project_id), END};
static const StoreField f_tag[] = {
    I(TagRow, project_id), X(TagRow, tag), I(TagRow, sort), END};
static const StoreField f_risk[] = {
    RI(RiskRow, id), I(RiskRow, strategy_id), X(RiskRow, code), X(RiskRow, title),
    X(RiskRow, description), X(RiskRow, category), X(RiskRow, owner),
    I(RiskRow, inherent_probability), I(RiskRow, inherent_impact),
    I(RiskRow, residual_probability), I(RiskRow, residual_impact), I(RiskRow, sort), END};
static const StoreField f_risk_action[] = {
    I(RiskActionRow, risk_id), I(RiskActionRow, sort), X(RiskActionRow, title),
    X(RiskActionRow, status), X(RiskActionRow, due), X(RiskActionRow, owner), END};
static const StoreField f_risk_indicator[] = {
    I(RiskIndicatorRow, risk_id), I(RiskIndicatorRow, indicator_id), I(RiskIndicatorRow, sort),
    RX(RiskIndicatorRow, indicator_code), END};
static const StoreField f_service[] = {
    RI(ServiceRow, id), I(ServiceRow, strategy_id), X(ServiceRow, code), X(ServiceRow, name),
    X(ServiceRow, description), R(ServiceRow, availability_target), R(ServiceRow, response_hours),
    R(ServiceRow, resolution_hours), I(ServiceRow, sort), END};
static const StoreField f_service_measurement[] = {
    I(ServiceMeasurementRow, service_id), X(ServiceMeasurementRow, period),
    R(ServiceMeasurementRow, availability), R(ServiceMeasurementRow, response_hours),
    R(ServiceMeasurementRow, resolution_hours), END};
static const StoreField f_expenditure[] = {
    RI(ExpenditureRow, id), I(ExpenditureRow, strategy_id), I(ExpenditureRow, year),
    X(ExpenditureRow, category), X(ExpenditureRow, unit), I(ExpenditureRow, amount),
    X(ExpenditureRow, currency), I(ExpenditureRow, project_id), X(ExpenditureRow, note),
    I(ExpenditureRow, sort), RX(ExpenditureRow, project_code), END};
static const StoreField f_committee[] = {
    RI(CommitteeRow, id), I(CommitteeRow, strategy_id), X(CommitteeRow, code),
    X(CommitteeRow, name), X(CommitteeRow, charter), I(CommitteeRow, sort), END};
static const StoreField f_meeting[] = {
    RI(MeetingRow, id), I(MeetingRow, committee_id), X(MeetingRow, date), X(MeetingRow, title),
    I(MeetingRow, sort), END};
static const StoreField f_decision[] = {
    RI(DecisionRow, id), I(DecisionRow, meeting_id), X(DecisionRow, kind), X(DecisionRow, text),
    I(DecisionRow, sort), RI(DecisionRow, committee_id), END};
static const StoreField f_decision_project[] = {
    I(DecisionProjectRow, decision_id), I(DecisionProjectRow, project_id),
    I(DecisionProjectRow, sort), RX(DecisionProjectRow, project_code), END};
static const StoreField f_report[] = {
    RI(ReportRow, id), I(ReportRow, strategy_id), I(ReportRow, year), I(ReportRow, final),
    X(ReportRow, body), X(ReportRow, session), X(ReportRow, date), X(ReportRow, symbol),
    X(ReportRow, section), X(ReportRow, section_code), X(ReportRow, original_language),
    X(ReportRow, title), X(ReportRow, summary), X(ReportRow, author_unit),
    X(ReportRow, introduction), I(ReportRow, stated_projects),
    I(ReportRow, stated_new_or_major), END};
static const StoreField f_report_related[] = {
    I(ReportRelatedRow, report_id), I(ReportRelatedRow, sort), X(ReportRelatedRow, symbol), END};

/* Row descriptor and size of each table, in StoreTable order. */
static const struct {
    const StoreField *fields;
    size_t size;
} store_tables[T__COUNT] = {
    [T_STRATEGY] = {f_strategy, sizeof(StrategyRow)},
    [T_CATEGORY] = {f_category, sizeof(CategoryRow)},
    [T_LOCATION] = {f_location, sizeof(LocationRow)},
    [T_OUTCOME] = {f_outcome, sizeof(OutcomeRow)},
    [T_OUTPUT] = {f_output, sizeof(OutputRow)},
    [T_DELIVERABLE] = {f_deliverable, sizeof(DeliverableRow)},
    [T_DRIVER] = {f_driver, sizeof(DriverRow)},
    [T_INDICATOR] = {f_indicator, sizeof(IndicatorRow)},
    [T_MILESTONE] = {f_milestone, sizeof(MilestoneRow)},
    [T_MEASUREMENT] = {f_measurement, sizeof(MeasurementRow)},
    [T_PROJECT] = {f_project, sizeof(ProjectRow)},
    [T_PROJECT_YEAR] = {f_project_year, sizeof(ProjectYearRow)},
    [T_PROJECT_LOCATION] = {f_project_location, sizeof(ProjectLocationRow)},
    [T_DEPENDENCY] = {f_dependency, sizeof(DependencyRow)},
    [T_UPDATE] = {f_update, sizeof(UpdateRow)},
    [T_FOOTNOTE] = {f_footnote, sizeof(FootnoteRow)},
    [T_TAG] = {f_tag, sizeof(TagRow)},
    [T_RISK] = {f_risk, sizeof(RiskRow)},
    [T_RISK_ACTION] = {f_risk_action, sizeof(RiskActionRow)},
    [T_RISK_INDICATOR] = {f_risk_indicator, sizeof(RiskIndicatorRow)},
    [T_SERVICE] = {f_service, sizeof(ServiceRow)},
    [T_SERVICE_MEASUREMENT] = {f_service_measurement, sizeof(ServiceMeasurementRow)},
    [T_EXPENDITURE] = {f_expenditure, sizeof(ExpenditureRow)},
    [T_COMMITTEE] = {f_committee, sizeof(CommitteeRow)},
    [T_MEETING] = {f_meeting, sizeof(MeetingRow)},
    [T_DECISION] = {f_decision, sizeof(DecisionRow)},
    [T_DECISION_PROJECT] = {f_decision_project, sizeof(DecisionProjectRow)},
    [T_REPORT] = {f_report, sizeof(ReportRow)},
    [T_REPORT_RELATED] = {f_report_related, sizeof(ReportRelatedRow)},
};

void store_init(Store *s, Db *db)
{
    memset(s, 0, sizeof *s);
    s->db = db;
}

void store_done(Store *s)
{
    for (int i = 0; i < T__COUNT; i++) {
        db_finalize(s->ins[i]);
        free(s->idx[i]);
    }
    memset(s->ins, 0, sizeof s->ins);
    memset(s->idx, 0, sizeof s->idx);
}

/* Prepares the INSERT statement of table t. */
static int store_prepare_insert(Db *db, StoreTable t, DbStmt **st)
{
    switch (t) {
    case T_STRATEGY: return db_prepare(db, st,
        "INSERT INTO strategy(code, title, organization, first_year, last_year, biennium_start,"
        " approved_by, approved_on, summary, currency, public, risk_matrix)"
        " VALUES(:code, :title, :organization, :first_year, :last_year, :biennium_start,"
        " :approved_by, :approved_on, :summary, :currency, :is_public, :risk_matrix)");
    case T_CATEGORY: return db_prepare(db, st,
        "INSERT INTO category(strategy_id, code, name, new_or_major, sort)"
        " VALUES(:strategy_id, :code, :name, :new_or_major, :sort)");
    case T_LOCATION: return db_prepare(db, st,
        "INSERT INTO location(strategy_id, parent_id, code, name, kind, sort)"
        " VALUES(:strategy_id, :parent_id, :code, :name, :kind, :sort)");
    case T_OUTCOME: return db_prepare(db, st,
        "INSERT INTO outcome(strategy_id, number, title, description)"
        " VALUES(:strategy_id, :number, :title, :description)");
    case T_OUTPUT: return db_prepare(db, st,
        "INSERT INTO output(strategy_id, outcome_id, code, title, description, sort)"
        " VALUES(:strategy_id, :outcome_id, :code, :title, :description, :sort)");
    case T_DELIVERABLE: return db_prepare(db, st,
        "INSERT INTO deliverable(output_id, sort, text) VALUES(:output_id, :sort, :text)");
    case T_DRIVER: return db_prepare(db, st,
        "INSERT INTO driver(strategy_id, code, title, description, sort)"
        " VALUES(:strategy_id, :code, :title, :description, :sort)");
    case T_INDICATOR: return db_prepare(db, st,
        "INSERT INTO indicator(strategy_id, outcome_id, output_id, driver_id, code, kind, title,"
        " description, unit, direction, baseline_value, baseline_year, target, sort)"
        " VALUES(:strategy_id, :outcome_id, :output_id, :driver_id, :code, :kind, :title,"
        " :description, :unit, :direction, :baseline_value, :baseline_year, :target, :sort)");
    case T_MILESTONE: return db_prepare(db, st,
        "INSERT INTO milestone(indicator_id, period, value, sort)"
        " VALUES(:indicator_id, :period, :value, :sort)");
    case T_MEASUREMENT: return db_prepare(db, st,
        "INSERT INTO measurement(indicator_id, date, value, source, note)"
        " VALUES(:indicator_id, :date, :value, :source, :note)");
    case T_PROJECT: return db_prepare(db, st,
        "INSERT INTO project(strategy_id, outcome_id, output_id, driver_id, category_id, code,"
        " title, summary, status, planned_start, planned_end, actual_start, actual_end, budget,"
        " actual_cost, currency, unit, source, sort)"
        " VALUES(:strategy_id, :outcome_id, :output_id, :driver_id, :category_id, :code,"
        " :title, :summary, :status, :planned_start, :planned_end, :actual_start, :actual_end,"
        " :budget, :actual_cost, :currency, :unit, :source, :sort)");
    case T_PROJECT_YEAR: return db_prepare(db, st,
        "INSERT INTO project_year(project_id, year) VALUES(:project_id, :year)");
    case T_PROJECT_LOCATION: return db_prepare(db, st,
        "INSERT INTO project_location(project_id, location_id, status, date, note, sort)"
        " VALUES(:project_id, :location_id, :status, :date, :note, :sort)");
    case T_DEPENDENCY: return db_prepare(db, st,
        "INSERT INTO project_dependency(project_id, depends_on_id, sort)"
        " VALUES(:project_id, :depends_on_id, :sort)");
    case T_UPDATE: return db_prepare(db, st,
        "INSERT INTO project_update(project_id, date, text, report_year, source, sort)"
        " VALUES(:project_id, :date, :text, :report_year, :source, :sort)");
    case T_FOOTNOTE: return db_prepare(db, st,
        "INSERT INTO update_footnote(update_id, sort, text) VALUES(:update_id, :sort, :text)");
    case T_TAG: return db_prepare(db, st,
        "INSERT INTO project_tag(project_id, tag, sort) VALUES(:project_id, :tag, :sort)");
    case T_RISK: return db_prepare(db, st,
        "INSERT INTO risk(strategy_id, code, title, description, category, owner,"
        " inherent_probability, inherent_impact, residual_probability, residual_impact, sort)"
        " VALUES(:strategy_id, :code, :title, :description, :category, :owner,"
        " :inherent_probability, :inherent_impact, :residual_probability, :residual_impact,"
        " :sort)");
    case T_RISK_ACTION: return db_prepare(db, st,
        "INSERT INTO risk_action(risk_id, sort, title, status, due, owner)"
        " VALUES(:risk_id, :sort, :title, :status, :due, :owner)");
    case T_RISK_INDICATOR: return db_prepare(db, st,
        "INSERT INTO risk_indicator(risk_id, indicator_id, sort)"
        " VALUES(:risk_id, :indicator_id, :sort)");
    case T_SERVICE: return db_prepare(db, st,
        "INSERT INTO service(strategy_id, code, name, description, availability_target,"
        " response_hours, resolution_hours, sort)"
        " VALUES(:strategy_id, :code, :name, :description, :availability_target,"
        " :response_hours, :resolution_hours, :sort)");
    case T_SERVICE_MEASUREMENT: return db_prepare(db, st,
        "INSERT INTO service_measurement(service_id, period, availability, response_hours,"
        " resolution_hours) VALUES(:service_id, :period, :availability, :response_hours,"
        " :resolution_hours)");
    case T_EXPENDITURE: return db_prepare(db, st,
        "INSERT INTO expenditure(strategy_id, year, category, unit, amount, currency,"
        " project_id, note, sort) VALUES(:strategy_id, :year, :category, :unit, :amount,"
        " :currency, :project_id, :note, :sort)");
    case T_COMMITTEE: return db_prepare(db, st,
        "INSERT INTO committee(strategy_id, code, name, charter, sort)"
        " VALUES(:strategy_id, :code, :name, :charter, :sort)");
    case T_MEETING: return db_prepare(db, st,
        "INSERT INTO meeting(committee_id, date, title, sort)"
        " VALUES(:committee_id, :date, :title, :sort)");
    case T_DECISION: return db_prepare(db, st,
        "INSERT INTO decision(meeting_id, kind, text, sort)"
        " VALUES(:meeting_id, :kind, :text, :sort)");
    case T_DECISION_PROJECT: return db_prepare(db, st,
        "INSERT INTO decision_project(decision_id, project_id, sort)"
        " VALUES(:decision_id, :project_id, :sort)");
    case T_REPORT: return db_prepare(db, st,
        "INSERT INTO report(strategy_id, year, final, body, session, date, symbol, section,"
        " section_code, original_language, title, summary, author_unit, introduction,"
        " stated_projects, stated_new_or_major) VALUES(:strategy_id, :year, :final, :body,"
        " :session, :date, :symbol, :section, :section_code, :original_language, :title,"
        " :summary, :author_unit, :introduction, :stated_projects, :stated_new_or_major)");
    case T_REPORT_RELATED: return db_prepare(db, st,
        "INSERT INTO report_related(report_id, sort, symbol) VALUES(:report_id, :sort, :symbol)");
    case T__COUNT: break;
    }
    return -1;
}

/* Prepares the insert of table t and looks up, once, the parameter of every
 * writable field; a field the SQL does not name is an error (a misspelling). */
static int store_prepare_table(Store *s, StoreTable t)
{
    if (store_prepare_insert(s->db, t, &s->ins[t])) return -1;
    const StoreField *f = store_tables[t].fields;
    size_t n = 0;
    while (f[n].name) n++;
    s->idx[t] = xcalloc(n + 1, sizeof(int));
    char name[64];
    for (size_t i = 0; i < n; i++) {
        if (f[i].flags & SF_READ) continue;
        snprintf(name, sizeof name, ":%s", f[i].name);
        s->idx[t][i] = db_param_index(s->ins[t], name);
        if (s->idx[t][i] == 0) return -1;
    }
    return 0;
}

/* Binds every writable field of row by its cached parameter index. */
static void store_bind(DbStmt *st, const StoreField *f, const int *idx, const void *row)
{
    for (size_t i = 0; f[i].name; i++) {
        if (!idx[i]) continue;
        const char *p = (const char *)row + f[i].off;
        switch (f[i].type) {
        case SF_INT: db_bind_int_at(st, idx[i], *(const int64_t *)p); break;
        case SF_REAL: db_bind_double_at(st, idx[i], *(const double *)p); break;
        default: db_bind_text_at(st, idx[i], *(const char *const *)p); break;
        }
    }
}

int store_insert(Store *s, StoreTable t, const void *row, int64_t *id)
{
    if (!s->ins[t] && store_prepare_table(s, t)) return -1;
    DbStmt *st = s->ins[t];
    store_bind(st, store_tables[t].fields, s->idx[t], row);
    int rc = db_step(st);
    db_reset(st);
    if (rc != DB_DONE) return -1;
    if (id) *id = db_last_id(s->db);
    return 0;
}

/* The table whose row struct query q fills. */
static StoreTable store_query_table(StoreQuery q)
{
    static const StoreTable t[Q__COUNT] = {
        [Q_STRATEGIES] = T_STRATEGY, [Q_STRATEGY] = T_STRATEGY, [Q_CATEGORIES] = T_CATEGORY,
        [Q_LOCATIONS] = T_LOCATION, [Q_OUTCOMES] = T_OUTCOME, [Q_OUTPUTS] = T_OUTPUT,
        [Q_DELIVERABLES] = T_DELIVERABLE, [Q_DRIVERS] = T_DRIVER, [Q_INDICATORS] = T_INDICATOR,
        [Q_MILESTONES] = T_MILESTONE, [Q_MEASUREMENTS] = T_MEASUREMENT,
        [Q_PROJECTS] = T_PROJECT, [Q_PROJECT_YEARS] = T_PROJECT_YEAR,
        [Q_PROJECT_LOCATIONS] = T_PROJECT_LOCATION, [Q_DEPENDENCIES] = T_DEPENDENCY,
        [Q_UPDATES] = T_UPDATE, [Q_FOOTNOTES] = T_FOOTNOTE, [Q_TAGS] = T_TAG,
        [Q_RISKS] = T_RISK, [Q_RISK_ACTIONS] = T_RISK_ACTION,
        [Q_RISK_INDICATORS] = T_RISK_INDICATOR, [Q_SERVICES] = T_SERVICE,
        [Q_SERVICE_MEASUREMENTS] = T_SERVICE_MEASUREMENT, [Q_EXPENDITURE] = T_EXPENDITURE,
        [Q_COMMITTEES] = T_COMMITTEE, [Q_MEETINGS] = T_MEETING, [Q_DECISIONS] = T_DECISION,
        [Q_DECISION_PROJECTS] = T_DECISION_PROJECT, [Q_REPORTS] = T_REPORT,
        [Q_REPORT_RELATED] = T_REPORT_RELATED,
    };
    return t[q];
}

/* Prepares the SELECT of query q. Child queries name the parent id column
 * "parent" and order children the way the parent query orders parents. */
static int store_prepare_query(Db *db, StoreQuery q, DbStmt **st)
{
    switch (q) {
    case Q_STRATEGIES: return db_prepare(db, st,
        "SELECT id, code, title, organization, first_year, last_year, biennium_start,"
        " approved_by, approved_on, summary, currency, public AS is_public, risk_matrix"
        " FROM strategy ORDER BY code");
    case Q_STRATEGY: return db_prepare(db, st,
        "SELECT id, code, title, organization, first_year, last_year, biennium_start,"
        " approved_by, approved_on, summary, currency, public AS is_public, risk_matrix"
        " FROM strategy WHERE id = :sid");
    case Q_CATEGORIES: return db_prepare(db, st,
        "SELECT id, strategy_id, code, name, new_or_major, sort FROM category"
        " WHERE strategy_id = :sid ORDER BY sort");
    case Q_LOCATIONS: return db_prepare(db, st,
        "SELECT l.id, l.strategy_id, l.parent_id, l.code, l.name, l.kind, l.sort,"
        " p.code AS parent_code FROM location l LEFT JOIN location p ON p.id = l.parent_id"
        " WHERE l.strategy_id = :sid ORDER BY l.sort");
    case Q_OUTCOMES: return db_prepare(db, st,
        "SELECT id, strategy_id, number, title, description FROM outcome"
        " WHERE strategy_id = :sid ORDER BY number");
    case Q_OUTPUTS: return db_prepare(db, st,
        "SELECT o.outcome_id AS parent, o.id, o.strategy_id, o.outcome_id, o.code, o.title,"
        " o.description, o.sort, c.number AS outcome_number FROM output o"
        " JOIN outcome c ON c.id = o.outcome_id WHERE o.strategy_id = :sid"
        " ORDER BY c.number, o.sort");
    case Q_DELIVERABLES: return db_prepare(db, st,
        "SELECT d.output_id AS parent, d.output_id, d.sort, d.text FROM deliverable d"
        " JOIN output o ON o.id = d.output_id JOIN outcome c ON c.id = o.outcome_id"
        " WHERE o.strategy_id = :sid ORDER BY c.number, o.sort, d.sort");
    case Q_DRIVERS: return db_prepare(db, st,
        "SELECT id, strategy_id, code, title, description, sort FROM driver"
        " WHERE strategy_id = :sid ORDER BY sort");
    case Q_INDICATORS: return db_prepare(db, st,
        "SELECT i.id, i.strategy_id, i.outcome_id, i.output_id, i.driver_id, i.code, i.kind,"
        " i.title, i.description, i.unit, i.direction, i.baseline_value, i.baseline_year,"
        " i.target, i.sort, oc.number AS outcome_number, op.code AS output_code,"
        " dr.code AS driver_code FROM indicator i"
        " LEFT JOIN outcome oc ON oc.id = i.outcome_id"
        " LEFT JOIN output op ON op.id = i.output_id"
        " LEFT JOIN driver dr ON dr.id = i.driver_id"
        " WHERE i.strategy_id = :sid ORDER BY i.sort");
    case Q_MILESTONES: return db_prepare(db, st,
        "SELECT m.indicator_id AS parent, m.indicator_id, m.period, m.value, m.sort"
        " FROM milestone m JOIN indicator i ON i.id = m.indicator_id"
        " WHERE i.strategy_id = :sid ORDER BY i.sort, m.sort");
    case Q_MEASUREMENTS: return db_prepare(db, st,
        "SELECT m.indicator_id AS parent, m.indicator_id, m.date, m.value, m.source, m.note"
        " FROM measurement m JOIN indicator i ON i.id = m.indicator_id"
        " WHERE i.strategy_id = :sid ORDER BY i.sort, m.date");
    case Q_PROJECTS: return db_prepare(db, st,
        "SELECT p.id, p.strategy_id, p.outcome_id, p.output_id, p.driver_id, p.category_id,"
        " p.code, p.title, p.summary, p.status, p.planned_start, p.planned_end,"
        " p.actual_start, p.actual_end, p.budget, p.actual_cost, p.currency, p.unit,"
        " p.source, p.sort, oc.number AS outcome_number, op.code AS output_code,"
        " dr.code AS driver_code, ca.code AS category_code FROM project p"
        " LEFT JOIN outcome oc ON oc.id = p.outcome_id"
        " LEFT JOIN output op ON op.id = p.output_id"
        " LEFT JOIN driver dr ON dr.id = p.driver_id"
        " LEFT JOIN category ca ON ca.id = p.category_id"
        " WHERE p.strategy_id = :sid ORDER BY p.sort");
    case Q_PROJECT_YEARS: return db_prepare(db, st,
        "SELECT y.project_id AS parent, y.project_id, y.year FROM project p"
        " JOIN project_year y ON y.project_id = p.id"
        " WHERE p.strategy_id = :sid ORDER BY p.sort, y.year");
    case Q_PROJECT_LOCATIONS: return db_prepare(db, st,
        "SELECT pl.project_id AS parent, pl.project_id, pl.location_id, pl.status, pl.date,"
        " pl.note, pl.sort, l.code AS location_code FROM project p"
        " JOIN project_location pl ON pl.project_id = p.id"
        " JOIN location l ON l.id = pl.location_id"
        " WHERE p.strategy_id = :sid ORDER BY p.sort, pl.sort");
    case Q_DEPENDENCIES: return db_prepare(db, st,
        "SELECT d.project_id AS parent, d.project_id, d.depends_on_id, d.sort,"
        " q.code AS depends_on_code FROM project p"
        " JOIN project_dependency d ON d.project_id = p.id"
        " JOIN project q ON q.id = d.depends_on_id"
        " WHERE p.strategy_id = :sid ORDER BY p.sort, d.sort");
    case Q_UPDATES: return db_prepare(db, st,
        "SELECT u.project_id AS parent, u.id, u.project_id, u.date, u.text, u.report_year,"
        " u.source, u.sort FROM project p JOIN project_update u ON u.project_id = p.id"
        " WHERE p.strategy_id = :sid ORDER BY p.sort, u.sort");
    case Q_FOOTNOTES: return db_prepare(db, st,
        "SELECT f.update_id AS parent, f.update_id, f.sort, f.text, u.project_id"
        " FROM project p JOIN project_update u ON u.project_id = p.id"
        " JOIN update_footnote f ON f.update_id = u.id"
        " WHERE p.strategy_id = :sid ORDER BY p.sort, u.sort, f.sort");
    case Q_TAGS: return db_prepare(db, st,
        "SELECT t.project_id AS parent, t.project_id, t.tag, t.sort FROM project p"
        " JOIN project_tag t ON t.project_id = p.id"
        " WHERE p.strategy_id = :sid ORDER BY p.sort, t.sort");
    case Q_RISKS: return db_prepare(db, st,
        "SELECT id, strategy_id, code, title, description, category, owner,"
        " inherent_probability, inherent_impact, residual_probability, residual_impact, sort"
        " FROM risk WHERE strategy_id = :sid ORDER BY sort");
    case Q_RISK_ACTIONS: return db_prepare(db, st,
        "SELECT a.risk_id AS parent, a.risk_id, a.sort, a.title, a.status, a.due, a.owner"
        " FROM risk r JOIN risk_action a ON a.risk_id = r.id"
        " WHERE r.strategy_id = :sid ORDER BY r.sort, a.sort");
    case Q_RISK_INDICATORS: return db_prepare(db, st,
        "SELECT ri.risk_id AS parent, ri.risk_id, ri.indicator_id, ri.sort,"
        " i.code AS indicator_code FROM risk r JOIN risk_indicator ri ON ri.risk_id = r.id"
        " JOIN indicator i ON i.id = ri.indicator_id"
        " WHERE r.strategy_id = :sid ORDER BY r.sort, ri.sort");
    case Q_SERVICES: return db_prepare(db, st,
        "SELECT id, strategy_id, code, name, description, availability_target,"
        " response_hours, resolution_hours, sort FROM service"
        " WHERE strategy_id = :sid ORDER BY sort");
    case Q_SERVICE_MEASUREMENTS: return db_prepare(db, st,
        "SELECT m.service_id AS parent, m.service_id, m.period, m.availability,"
        " m.response_hours, m.resolution_hours FROM service s"
        " JOIN service_measurement m ON m.service_id = s.id"
        " WHERE s.strategy_id = :sid ORDER BY s.sort, m.period");
    case Q_EXPENDITURE: return db_prepare(db, st,
        "SELECT e.id, e.strategy_id, e.year, e.category, e.unit, e.amount, e.currency,"
        " e.project_id, e.note, e.sort, p.code AS project_code FROM expenditure e"
        " LEFT JOIN project p ON p.id = e.project_id"
        " WHERE e.strategy_id = :sid ORDER BY e.sort");
    case Q_COMMITTEES: return db_prepare(db, st,
        "SELECT id, strategy_id, code, name, charter, sort FROM committee"
        " WHERE strategy_id = :sid ORDER BY sort");
    case Q_MEETINGS: return db_prepare(db, st,
        "SELECT m.committee_id AS parent, m.id, m.committee_id, m.date, m.title, m.sort"
        " FROM committee c JOIN meeting m ON m.committee_id = c.id"
        " WHERE c.strategy_id = :sid ORDER BY c.sort, m.sort");
    case Q_DECISIONS: return db_prepare(db, st,
        "SELECT d.meeting_id AS parent, d.id, d.meeting_id, d.kind, d.text, d.sort,"
        " c.id AS committee_id FROM committee c JOIN meeting m ON m.committee_id = c.id"
        " JOIN decision d ON d.meeting_id = m.id"
        " WHERE c.strategy_id = :sid ORDER BY c.sort, m.sort, d.sort");
    case Q_DECISION_PROJECTS: return db_prepare(db, st,
        "SELECT dp.decision_id AS parent, dp.decision_id, dp.project_id, dp.sort,"
        " p.code AS project_code FROM committee c JOIN meeting m ON m.committee_id = c.id"
        " JOIN decision d ON d.meeting_id = m.id"
        " JOIN decision_project dp ON dp.decision_id = d.id"
        " JOIN project p ON p.id = dp.project_id"
        " WHERE c.strategy_id = :sid ORDER BY c.sort, m.sort, d.sort, dp.sort");
    case Q_REPORTS: return db_prepare(db, st,
        "SELECT id, strategy_id, year, final, body, session, date, symbol, section,"
        " section_code, original_language, title, summary, author_unit, introduction,"
        " stated_projects, stated_new_or_major FROM report"
        " WHERE strategy_id = :sid ORDER BY year");
    case Q_REPORT_RELATED: return db_prepare(db, st,
        "SELECT rr.report_id AS parent, rr.report_id, rr.sort, rr.symbol FROM report r"
        " JOIN report_related rr ON rr.report_id = r.id"
        " WHERE r.strategy_id = :sid ORDER BY r.year, rr.sort");
    case Q__COUNT: break;
    }
    return -1;
}

/* Fills c->row from the current result row. */
static void store_fill(StoreCursor *c)
{
    for (int i = 0; i < c->ncol; i++) {
        const StoreField *f = c->map[i];
        if (!f) continue;
        char *p = (char *)c->row + f->off;
        switch (f->type) {
        case SF_INT: *(int64_t *)p = db_column_int(c->st, i); break;
        case SF_REAL: *(double *)p = db_column_double(c->st, i); break;
        default: *(const char **)p = db_column_text(c->st, i); break;
        }
    }
    c->parent = c->parent_col >= 0 ? db_column_int(c->st, c->parent_col) : 0;
}

/* Resets every member of the row to "unknown" before a query fills it. */
static void store_clear(const StoreField *f, void *row)
{
    for (; f->name; f++) {
        char *p = (char *)row + f->off;
        if (f->type == SF_INT) *(int64_t *)p = DB_NULL_INT;
        else if (f->type == SF_REAL) *(double *)p = NAN;
        else *(const char **)p = NULL;
    }
}

int store_open(Store *s, StoreCursor *c, StoreQuery q, int64_t sid)
{
    memset(c, 0, sizeof *c);
    c->parent_col = -1;
    StoreTable t = store_query_table(q);
    c->fields = store_tables[t].fields;
    c->row = xcalloc(1, store_tables[t].size);
    store_clear(c->fields, c->row);
    if (store_prepare_query(s->db, q, &c->st)) {
        c->failed = 1;
        return -1;
    }
    c->ncol = db_column_count(c->st);
    c->map = xcalloc((size_t)c->ncol + 1, sizeof *c->map);
    for (int i = 0; i < c->ncol; i++) {
        const char *name = db_column_name(c->st, i);
        if (strcmp(name, "parent") == 0) {
            c->parent_col = i;
            continue;
        }
        for (const StoreField *f = c->fields; f->name; f++)
            if (strcmp(f->name, name) == 0) c->map[i] = f;
        if (!c->map[i]) abort(); /* a query names a column its row struct lacks: a bug */
    }
    if (q != Q_STRATEGIES) db_bind_int(c->st, ":sid", sid);
    return store_advance(c) < 0 ? -1 : 0;
}

int store_advance(StoreCursor *c)
{
    if (c->failed) return -1;
    int rc = db_step(c->st);
    c->has_row = rc == DB_ROW;
    if (rc == DB_ERROR) {
        c->failed = 1;
        return -1;
    }
    if (c->has_row) store_fill(c);
    return c->has_row;
}

const void *store_child(StoreCursor *c, int64_t parent)
{
    return c->has_row && c->parent == parent ? c->row : NULL;
}

void store_close(StoreCursor *c)
{
    db_finalize(c->st);
    free(c->map);
    free(c->row);
    memset(c, 0, sizeof *c);
}

int64_t store_strategy_id(Store *s, const char *code)
{
    DbStmt *st = NULL;
    if (db_prepare(s->db, &st, "SELECT id FROM strategy WHERE code = :code")) return -1;
    db_bind_text(st, ":code", code);
    int rc = db_step(st);
    int64_t id = rc == DB_ROW ? db_column_int(st, 0) : rc == DB_DONE ? 0 : -1;
    db_finalize(st);
    return id;
}

int store_strategy_delete(Store *s, int64_t sid)
{
    DbStmt *st = NULL;
    if (store_search_drop(s, sid)) return -1; /* store_portfolio.h: its search rows */
    if (db_prepare(s->db, &st, "DELETE FROM strategy WHERE id = :sid")) return -1;
    db_bind_int(st, ":sid", sid);
    int rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? 0 : -1;
}

int store_location_set_parent(Store *s, int64_t id, int64_t parent_id)
{
    DbStmt *st = NULL;
    if (db_prepare(s->db, &st, "UPDATE location SET parent_id = :parent WHERE id = :id")) return -1;
    db_bind_int(st, ":parent", parent_id);
    db_bind_int(st, ":id", id);
    int rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? 0 : -1;
}
