/*
 * record_defs_registers.c — the kinds of records of the registers and the
 * governance (record_def.h): indicator milestones, risks and their actions,
 * services and their monthly measurements, expenditure lines, committees,
 * their meetings and decisions, and the metadata of each year's report.
 * Each field follows the importer's rule for the same member
 * (import_json.c): the same lengths, ranges, choices and required members.
 *
 * Rows without an id column of their own (milestone, risk_action,
 * service_measurement) are named by their rowid, as measurements are.
 */
#include "model.h"
#include "record_defs.h"

#include <stddef.h>

/* ---- Milestones of an indicator ---- */

static const RecordField milestone_fields[] = {
    {"period", "Period", RF_PERIOD, 1, 0, 0, NULL, NULL,
     "A year (2019) or a biennium of the strategy (2018-19)"},
    {"value", "Value", RF_REAL, 1, -1000000000000000LL, 1000000000000000LL, NULL, NULL,
     "The value to reach by the end of the period"},
    {NULL, NULL, 0, 0, 0, 0, NULL, NULL, NULL}};

/* ---- Risks and their actions ---- */

/* A risk's key risk indicators (RF_LIST: clear, add, find, noun). */
static const char *const risk_kris[] = {
    "DELETE FROM risk_indicator WHERE risk_id = :id",
    ("INSERT INTO risk_indicator (risk_id, indicator_id, sort) SELECT :id, id, :sort "
     "FROM indicator WHERE strategy_id = :sid AND code = :item AND kind = 'kri'"),
    "SELECT 1 FROM indicator WHERE strategy_id = :sid AND code = :item AND kind = 'kri'",
    "key risk indicator (kind kri)"};

static const RecordField risk_fields[] = {
    {"code", "Code", RF_CODE, 1, 0, 0, NULL, NULL, "e.g. R1"},
    {"title", "Title", RF_TEXT, 1, 0, 500, NULL, NULL, NULL},
    {"description", "Description", RF_MARKDOWN, 0, 0, 100000, NULL, NULL, "Markdown"},
    {"category", "Category", RF_TEXT, 0, 0, 500, NULL, NULL, NULL},
    {"owner", "Owner", RF_TEXT, 0, 0, 500, NULL, NULL, NULL},
    {"inherent_probability", "Inherent probability", RF_INT, 0, 1, 5, NULL, NULL,
     "1 (rare) to 5 (almost certain), before remedial actions"},
    {"inherent_impact", "Inherent impact", RF_INT, 0, 1, 5, NULL, NULL, "1 to 5"},
    {"residual_probability", "Residual probability", RF_INT, 0, 1, 5, NULL, NULL,
     "1 to 5, after remedial actions"},
    {"residual_impact", "Residual impact", RF_INT, 0, 1, 5, NULL, NULL, "1 to 5"},
    {"indicators", "Key risk indicators", RF_LIST, 0, 0, MODEL_MAX_KRIS, risk_kris, NULL,
     "Codes of indicators of kind kri, e.g. KRI.1 KRI.2"},
    {NULL, NULL, 0, 0, 0, 0, NULL, NULL, NULL}};

/* A score is a probability and an impact: both or neither (the import
 * reads them as one object whose two members are required). */
static void risk_score_check(RecordCheck *c, const char *prob, const char *impact,
                             const char *what)
{
    const RecordValue *p = record_check_value(c, prob), *i = record_check_value(c, impact);
    if (p->null != i->null)
        record_problem(c->problems, p->null ? prob : impact,
                       "give the %s probability and impact together, or neither", what);
}

static void risk_check(RecordCheck *c)
{
    risk_score_check(c, "inherent_probability", "inherent_impact", "inherent");
    risk_score_check(c, "residual_probability", "residual_impact", "residual");
}

static const char *const action_statuses[] = {"planned", "in_progress", "done", "cancelled",
                                              NULL};

static const RecordField action_fields[] = {
    {"title", "Action", RF_TEXT, 1, 0, 100000, NULL, NULL, NULL},
    {"status", "Status", RF_ENUM, 1, 0, 0, action_statuses, NULL, NULL},
    {"due", "Due", RF_DATE, 0, 0, 0, NULL, NULL, "YYYY-MM-DD"},
    {"owner", "Owner", RF_TEXT, 0, 0, 500, NULL, NULL, NULL},
    {NULL, NULL, 0, 0, 0, 0, NULL, NULL, NULL}};

/* ---- Services and their measurements ---- */

static const RecordField service_fields[] = {
    {"code", "Code", RF_CODE, 1, 0, 0, NULL, NULL, NULL},
    {"name", "Name", RF_TEXT, 1, 0, 500, NULL, NULL, NULL},
    {"description", "Description", RF_MARKDOWN, 0, 0, 100000, NULL, NULL, "Markdown"},
    {"availability_target", "Availability target", RF_REAL, 0, 0, 100, NULL, NULL,
     "Per cent of time available, e.g. 99.5"},
    {"response_hours", "Response target (hours)", RF_REAL, 0, 0, 1000000, NULL, NULL, NULL},
    {"resolution_hours", "Resolution target (hours)", RF_REAL, 0, 0, 1000000, NULL, NULL, NULL},
    {NULL, NULL, 0, 0, 0, 0, NULL, NULL, NULL}};

static const RecordField service_measurement_fields[] = {
    {"period", "Month", RF_MONTH, 1, 0, 0, NULL, NULL, "YYYY-MM"},
    {"availability", "Availability", RF_REAL, 0, 0, 100, NULL, NULL, "Per cent"},
    {"response_hours", "Response (hours)", RF_REAL, 0, 0, 1000000, NULL, NULL, NULL},
    {"resolution_hours", "Resolution (hours)", RF_REAL, 0, 0, 1000000, NULL, NULL, NULL},
    {NULL, NULL, 0, 0, 0, 0, NULL, NULL, NULL}};

/* ---- Spending ---- */

/* The year of a line is any year (1900-2200), as the import allows: lines
 * may come before or after the period. */
static const RecordField expenditure_fields[] = {
    {"year", "Year", RF_YEAR, 1, 0, 0, NULL, NULL, NULL},
    {"category", "Category", RF_TEXT, 1, 0, 500, NULL, NULL, "e.g. Infrastructure"},
    {"unit", "Unit", RF_TEXT, 0, 0, 500, NULL, NULL, NULL},
    {"amount", "Amount", RF_MONEY, 1, 0, 0, NULL, NULL, "e.g. 125000.00"},
    {"currency", "Currency", RF_CURRENCY, 0, 0, 0, NULL, NULL,
     "ISO 4217, e.g. USD; empty: the strategy's"},
    {"project", "Project", RF_REF, 0, 0, 0, NULL, "project", "The project's code, if any"},
    {"note", "Note", RF_TEXT, 0, 0, 100000, NULL, NULL, NULL},
    {NULL, NULL, 0, 0, 0, 0, NULL, NULL, NULL}};

/* ---- Governance ---- */

static const RecordField committee_fields[] = {
    {"code", "Code", RF_CODE, 1, 0, 0, NULL, NULL, "e.g. ITGC"},
    {"name", "Name", RF_TEXT, 1, 0, 500, NULL, NULL, NULL},
    {"charter", "Charter", RF_MARKDOWN, 0, 0, 100000, NULL, NULL, "Markdown"},
    {NULL, NULL, 0, 0, 0, 0, NULL, NULL, NULL}};

static const RecordField meeting_fields[] = {
    {"date", "Date", RF_DATE, 1, 0, 0, NULL, NULL, "YYYY-MM-DD"},
    {"title", "Title", RF_TEXT, 0, 0, 500, NULL, NULL, NULL},
    {NULL, NULL, 0, 0, 0, 0, NULL, NULL, NULL}};

static const char *const decision_kinds[] = {"approve", "prioritize", "hold", "cancel",
                                             "guidance", "other", NULL};

/* The projects a decision names (RF_LIST: clear, add, find, noun). */
static const char *const decision_projects[] = {
    "DELETE FROM decision_project WHERE decision_id = :id",
    ("INSERT INTO decision_project (decision_id, project_id, sort) SELECT :id, id, :sort "
     "FROM project WHERE strategy_id = :sid AND code = :item"),
    "SELECT 1 FROM project WHERE strategy_id = :sid AND code = :item", "project"};

static const RecordField decision_fields[] = {
    {"kind", "Kind", RF_ENUM, 1, 0, 0, decision_kinds, NULL, NULL},
    {"text", "Decision", RF_MARKDOWN, 1, 0, 100000, NULL, NULL, "Markdown"},
    {"projects", "Projects it names", RF_LIST, 0, 0, MODEL_MAX_DECISION_PROJECTS, decision_projects, NULL,
     "Project codes, e.g. DC.1 DC.2"},
    {NULL, NULL, 0, 0, 0, 0, NULL, NULL, NULL}};

/* ---- Reports ---- */

static const RecordField related_fields[] = {
    {"symbol", "Document symbol", RF_TEXT, 1, 0, 100, NULL, NULL,
     "A document the report refers to, e.g. GB.335/PFA/6"},
    {NULL, NULL, 0, 0, 0, 0, NULL, NULL, NULL}};

static const RecordField report_fields[] = {
    {"year", "Year", RF_YEAR, 1, 1, 0, NULL, NULL, "The year reported on; one report a year"},
    {"final", "Final report", RF_BOOL, 0, 0, 0, NULL, NULL,
     "The final report of the strategy period"},
    {"body", "Body", RF_TEXT, 0, 0, 500, NULL, NULL, "e.g. Governing Body"},
    {"session", "Session", RF_TEXT, 0, 0, 500, NULL, NULL,
     "e.g. 344th Session, Geneva, March 2022"},
    {"date", "Date", RF_DATE, 0, 0, 0, NULL, NULL, "YYYY-MM-DD: of the document"},
    {"symbol", "Symbol", RF_TEXT, 0, 0, 100, NULL, NULL, "e.g. GB.344/PFA/INF/3"},
    {"section", "Section", RF_TEXT, 0, 0, 500, NULL, NULL, NULL},
    {"section_code", "Section code", RF_TEXT, 0, 0, 40, NULL, NULL, "e.g. PFA"},
    {"original_language", "Original language", RF_TEXT, 0, 0, 40, NULL, NULL, "e.g. English"},
    {"title", "Title", RF_TEXT, 0, 0, 500, NULL, NULL, NULL},
    {"summary", "Summary", RF_MARKDOWN, 0, 0, 100000, NULL, NULL, "Markdown"},
    {"author_unit", "Author unit", RF_TEXT, 0, 0, 500, NULL, NULL, NULL},
    {"introduction", "Introduction", RF_MARKDOWN, 0, 0, 100000, NULL, NULL,
     "Markdown: the paragraphs before the computed figures"},
    {"stated_projects", "Projects stated", RF_INT, 0, 0, 1000000000, NULL, NULL,
     "The number of projects the published report gave"},
    {"stated_new_or_major", "New or major stated", RF_INT, 0, 0, 1000000000, NULL, NULL,
     "The number of new or major improvements it gave"},
    {NULL, NULL, 0, 0, 0, 0, NULL, NULL, NULL}};

const RecordDef record_defs_registers[] = {
    {"milestone", "milestone", "Milestones", "indicator", 0, 1, milestone_fields,
     "SELECT m.rowid AS id, m.version, i.strategy_id, m.indicator_id AS parent_id, "
     "s.code || '/' || i.code || '/milestone/' || m.period AS key, "
     "i.code || ' milestone for ' || m.period AS label, NULL AS scope_project, "
     "m.indicator_id AS scope_indicator, m.period, m.value "
     "FROM milestone m JOIN indicator i ON i.id = m.indicator_id "
     "JOIN strategy s ON s.id = i.strategy_id WHERE m.rowid = :id",
     "SELECT m.rowid, m.period || ': ' || m.value, m.version FROM milestone m "
     "JOIN indicator i ON i.id = m.indicator_id WHERE i.strategy_id = :sid AND "
     "(:parent IS NULL OR m.indicator_id = :parent) ORDER BY i.sort, m.sort",
     "INSERT INTO milestone (indicator_id, period, value, sort) VALUES (:parent, :period, "
     ":value, (SELECT coalesce(max(sort), 0) + 1 FROM milestone WHERE indicator_id = :parent))",
     "UPDATE milestone SET period = :period, value = :value, version = version + 1 "
     "WHERE rowid = :id AND version = :version",
     "DELETE FROM milestone WHERE rowid = :id AND version = :version", NULL, NULL, NULL},
    {"risk", "risk", "Risks", NULL, 0, 1, risk_fields,
     "SELECT r.id, r.version, r.strategy_id, NULL AS parent_id, "
     "s.code || '/' || r.code AS key, r.code || ' ' || r.title AS label, "
     "NULL AS scope_project, NULL AS scope_indicator, r.code, r.title, r.description, "
     "r.category, r.owner, r.inherent_probability, r.inherent_impact, "
     "r.residual_probability, r.residual_impact, (SELECT group_concat(code, ' ') FROM "
     "(SELECT i.code FROM risk_indicator ri JOIN indicator i ON i.id = ri.indicator_id "
     "WHERE ri.risk_id = r.id ORDER BY ri.sort)) AS indicators "
     "FROM risk r JOIN strategy s ON s.id = r.strategy_id WHERE r.id = :id",
     "SELECT id, code || ' ' || title, version FROM risk WHERE strategy_id = :sid "
     "ORDER BY sort",
     "INSERT INTO risk (strategy_id, code, title, description, category, owner, "
     "inherent_probability, inherent_impact, residual_probability, residual_impact, sort) "
     "VALUES (:sid, :code, :title, :description, :category, :owner, :inherent_probability, "
     ":inherent_impact, :residual_probability, :residual_impact, "
     "(SELECT coalesce(max(sort), 0) + 1 FROM risk WHERE strategy_id = :sid))",
     "UPDATE risk SET code = :code, title = :title, description = :description, "
     "category = :category, owner = :owner, inherent_probability = :inherent_probability, "
     "inherent_impact = :inherent_impact, residual_probability = :residual_probability, "
     "residual_impact = :residual_impact, version = version + 1 "
     "WHERE id = :id AND version = :version",
     "DELETE FROM risk WHERE id = :id AND version = :version",
     "SELECT 'remedial action', substr(title, 1, 80) FROM risk_action WHERE risk_id = :id "
     "UNION ALL SELECT 'key risk indicator (the link goes, the indicator stays)', "
     "i.code || ' ' || i.title FROM risk_indicator ri JOIN indicator i "
     "ON i.id = ri.indicator_id WHERE ri.risk_id = :id",
     "SELECT id FROM risk WHERE strategy_id = :sid AND code = :code", risk_check},
    {"action", "remedial action", "Remedial actions", "risk", 0, 1, action_fields,
     "SELECT a.rowid AS id, a.version, r.strategy_id, a.risk_id AS parent_id, "
     "s.code || '/' || r.code || '/action/' || a.sort AS key, "
     "r.code || ' action: ' || substr(a.title, 1, 80) AS label, NULL AS scope_project, "
     "NULL AS scope_indicator, a.title, a.status, a.due, a.owner "
     "FROM risk_action a JOIN risk r ON r.id = a.risk_id "
     "JOIN strategy s ON s.id = r.strategy_id WHERE a.rowid = :id",
     "SELECT a.rowid, substr(a.title, 1, 80) || ' (' || replace(a.status, '_', ' ') || ')', "
     "a.version FROM risk_action a JOIN risk r ON r.id = a.risk_id "
     "WHERE r.strategy_id = :sid AND (:parent IS NULL OR a.risk_id = :parent) "
     "ORDER BY r.sort, a.sort",
     "INSERT INTO risk_action (risk_id, title, status, due, owner, sort) VALUES "
     "(:parent, :title, :status, :due, :owner, "
     "(SELECT coalesce(max(sort), 0) + 1 FROM risk_action WHERE risk_id = :parent))",
     "UPDATE risk_action SET title = :title, status = :status, due = :due, owner = :owner, "
     "version = version + 1 WHERE rowid = :id AND version = :version",
     "DELETE FROM risk_action WHERE rowid = :id AND version = :version", NULL, NULL, NULL},
    {"service", "service", "Services", NULL, 0, 1, service_fields,
     "SELECT v.id, v.version, v.strategy_id, NULL AS parent_id, "
     "s.code || '/' || v.code AS key, v.code || ' ' || v.name AS label, "
     "NULL AS scope_project, NULL AS scope_indicator, v.code, v.name, v.description, "
     "v.availability_target, v.response_hours, v.resolution_hours "
     "FROM service v JOIN strategy s ON s.id = v.strategy_id WHERE v.id = :id",
     "SELECT id, code || ' ' || name, version FROM service WHERE strategy_id = :sid "
     "ORDER BY sort",
     "INSERT INTO service (strategy_id, code, name, description, availability_target, "
     "response_hours, resolution_hours, sort) VALUES (:sid, :code, :name, :description, "
     ":availability_target, :response_hours, :resolution_hours, "
     "(SELECT coalesce(max(sort), 0) + 1 FROM service WHERE strategy_id = :sid))",
     "UPDATE service SET code = :code, name = :name, description = :description, "
     "availability_target = :availability_target, response_hours = :response_hours, "
     "resolution_hours = :resolution_hours, version = version + 1 "
     "WHERE id = :id AND version = :version",
     "DELETE FROM service WHERE id = :id AND version = :version",
     "SELECT 'monthly measurement', period FROM service_measurement WHERE service_id = :id",
     "SELECT id FROM service WHERE strategy_id = :sid AND code = :code", NULL},
    {"service_measurement", "service measurement", "Service measurements", "service", 0, 1,
     service_measurement_fields,
     "SELECT m.rowid AS id, m.version, v.strategy_id, m.service_id AS parent_id, "
     "s.code || '/' || v.code || '/measurement/' || m.period AS key, "
     "v.code || ' in ' || m.period AS label, NULL AS scope_project, "
     "NULL AS scope_indicator, m.period, m.availability, m.response_hours, m.resolution_hours "
     "FROM service_measurement m JOIN service v ON v.id = m.service_id "
     "JOIN strategy s ON s.id = v.strategy_id WHERE m.rowid = :id",
     "SELECT m.rowid, m.period, m.version FROM service_measurement m "
     "JOIN service v ON v.id = m.service_id WHERE v.strategy_id = :sid AND "
     "(:parent IS NULL OR m.service_id = :parent) ORDER BY v.sort, m.period",
     "INSERT INTO service_measurement (service_id, period, availability, response_hours, "
     "resolution_hours) VALUES (:parent, :period, :availability, :response_hours, "
     ":resolution_hours)",
     "UPDATE service_measurement SET period = :period, availability = :availability, "
     "response_hours = :response_hours, resolution_hours = :resolution_hours, "
     "version = version + 1 WHERE rowid = :id AND version = :version",
     "DELETE FROM service_measurement WHERE rowid = :id AND version = :version", NULL, NULL,
     NULL},
    {"expenditure", "expenditure line", "Expenditure", NULL, 0, 1, expenditure_fields,
     "SELECT e.id, e.version, e.strategy_id, NULL AS parent_id, "
     "s.code || '/expenditure/' || e.id AS key, "
     "e.year || ' ' || e.category || coalesce(' (' || e.unit || ')', '') AS label, "
     "NULL AS scope_project, NULL AS scope_indicator, e.year, e.category, e.unit, e.amount, "
     "e.currency, (SELECT code FROM project WHERE id = e.project_id) AS project, e.note "
     "FROM expenditure e JOIN strategy s ON s.id = e.strategy_id WHERE e.id = :id",
     "SELECT id, year || ' ' || category || coalesce(' (' || unit || ')', '') || ': ' || "
     "printf('%.2f', amount / 100.0), version FROM expenditure WHERE strategy_id = :sid "
     "ORDER BY sort",
     "INSERT INTO expenditure (strategy_id, year, category, unit, amount, currency, "
     "project_id, note, sort) VALUES (:sid, :year, :category, :unit, :amount, :currency, "
     ":project, :note, "
     "(SELECT coalesce(max(sort), 0) + 1 FROM expenditure WHERE strategy_id = :sid))",
     "UPDATE expenditure SET year = :year, category = :category, unit = :unit, "
     "amount = :amount, currency = :currency, project_id = :project, note = :note, "
     "version = version + 1 WHERE id = :id AND version = :version",
     "DELETE FROM expenditure WHERE id = :id AND version = :version", NULL, NULL, NULL},
    {"committee", "committee", "Committees", NULL, 0, 1, committee_fields,
     "SELECT c.id, c.version, c.strategy_id, NULL AS parent_id, "
     "s.code || '/' || c.code AS key, c.code || ' ' || c.name AS label, "
     "NULL AS scope_project, NULL AS scope_indicator, c.code, c.name, c.charter "
     "FROM committee c JOIN strategy s ON s.id = c.strategy_id WHERE c.id = :id",
     "SELECT id, code || ' ' || name, version FROM committee WHERE strategy_id = :sid "
     "ORDER BY sort",
     "INSERT INTO committee (strategy_id, code, name, charter, sort) VALUES "
     "(:sid, :code, :name, :charter, "
     "(SELECT coalesce(max(sort), 0) + 1 FROM committee WHERE strategy_id = :sid))",
     "UPDATE committee SET code = :code, name = :name, charter = :charter, "
     "version = version + 1 WHERE id = :id AND version = :version",
     "DELETE FROM committee WHERE id = :id AND version = :version",
     "SELECT 'meeting (deleted with it)', date || coalesce(' ' || title, '') FROM meeting "
     "WHERE committee_id = :id "
     "UNION ALL SELECT 'decision (deleted with it)', m.date || ': ' || substr(d.text, 1, 80) "
     "FROM decision d JOIN meeting m ON m.id = d.meeting_id WHERE m.committee_id = :id",
     "SELECT id FROM committee WHERE strategy_id = :sid AND code = :code", NULL},
    {"meeting", "meeting", "Meetings", "committee", 0, 1, meeting_fields,
     "SELECT m.id, m.version, c.strategy_id, m.committee_id AS parent_id, "
     "s.code || '/' || c.code || '/meeting/' || m.id AS key, "
     "c.code || ' meeting of ' || m.date AS label, NULL AS scope_project, "
     "NULL AS scope_indicator, m.date, m.title "
     "FROM meeting m JOIN committee c ON c.id = m.committee_id "
     "JOIN strategy s ON s.id = c.strategy_id WHERE m.id = :id",
     "SELECT m.id, m.date || coalesce(' ' || m.title, ''), m.version FROM meeting m "
     "JOIN committee c ON c.id = m.committee_id WHERE c.strategy_id = :sid AND "
     "(:parent IS NULL OR m.committee_id = :parent) ORDER BY c.sort, m.sort",
     "INSERT INTO meeting (committee_id, date, title, sort) VALUES (:parent, :date, :title, "
     "(SELECT coalesce(max(sort), 0) + 1 FROM meeting WHERE committee_id = :parent))",
     "UPDATE meeting SET date = :date, title = :title, version = version + 1 "
     "WHERE id = :id AND version = :version",
     "DELETE FROM meeting WHERE id = :id AND version = :version",
     "SELECT 'decision (deleted with it)', kind || ': ' || substr(text, 1, 80) FROM decision "
     "WHERE meeting_id = :id",
     NULL, NULL},
    {"decision", "decision", "Decisions", "meeting", 0, 1, decision_fields,
     "SELECT d.id, d.version, c.strategy_id, d.meeting_id AS parent_id, "
     "s.code || '/' || c.code || '/meeting/' || m.id || '/decision/' || d.id AS key, "
     "c.code || ' ' || m.date || ': ' || d.kind AS label, NULL AS scope_project, "
     "NULL AS scope_indicator, d.kind, d.text, (SELECT group_concat(code, ' ') FROM "
     "(SELECT p.code FROM decision_project dp JOIN project p ON p.id = dp.project_id "
     "WHERE dp.decision_id = d.id ORDER BY dp.sort)) AS projects "
     "FROM decision d JOIN meeting m ON m.id = d.meeting_id "
     "JOIN committee c ON c.id = m.committee_id JOIN strategy s ON s.id = c.strategy_id "
     "WHERE d.id = :id",
     "SELECT d.id, d.kind || ': ' || substr(d.text, 1, 80), d.version FROM decision d "
     "JOIN meeting m ON m.id = d.meeting_id JOIN committee c ON c.id = m.committee_id "
     "WHERE c.strategy_id = :sid AND (:parent IS NULL OR d.meeting_id = :parent) "
     "ORDER BY c.sort, m.sort, d.sort",
     "INSERT INTO decision (meeting_id, kind, text, sort) VALUES (:parent, :kind, :text, "
     "(SELECT coalesce(max(sort), 0) + 1 FROM decision WHERE meeting_id = :parent))",
     "UPDATE decision SET kind = :kind, text = :text, version = version + 1 "
     "WHERE id = :id AND version = :version",
     "DELETE FROM decision WHERE id = :id AND version = :version",
     "SELECT 'project it concerns (the link goes, the project stays)', "
     "p.code || ' ' || p.title FROM decision_project dp JOIN project p "
     "ON p.id = dp.project_id WHERE dp.decision_id = :id",
     NULL, NULL},
    {"report", "report", "Reports", NULL, 0, 1, report_fields,
     "SELECT r.id, r.version, r.strategy_id, NULL AS parent_id, "
     "s.code || '/report/' || r.year AS key, 'Report for ' || r.year AS label, "
     "NULL AS scope_project, NULL AS scope_indicator, r.year, r.final, r.body, r.session, "
     "r.date, r.symbol, r.section, r.section_code, r.original_language, r.title, r.summary, "
     "r.author_unit, r.introduction, r.stated_projects, r.stated_new_or_major "
     "FROM report r JOIN strategy s ON s.id = r.strategy_id WHERE r.id = :id",
     "SELECT id, 'Report for ' || year || coalesce(' (' || symbol || ')', ''), version "
     "FROM report WHERE strategy_id = :sid ORDER BY year",
     "INSERT INTO report (strategy_id, year, final, body, session, date, symbol, section, "
     "section_code, original_language, title, summary, author_unit, introduction, "
     "stated_projects, stated_new_or_major) VALUES (:sid, :year, :final, :body, :session, "
     ":date, :symbol, :section, :section_code, :original_language, :title, :summary, "
     ":author_unit, :introduction, :stated_projects, :stated_new_or_major)",
     "UPDATE report SET year = :year, final = :final, body = :body, session = :session, "
     "date = :date, symbol = :symbol, section = :section, section_code = :section_code, "
     "original_language = :original_language, title = :title, summary = :summary, "
     "author_unit = :author_unit, introduction = :introduction, "
     "stated_projects = :stated_projects, stated_new_or_major = :stated_new_or_major, "
     "version = version + 1 WHERE id = :id AND version = :version",
     "DELETE FROM report WHERE id = :id AND version = :version",
     "SELECT 'related document', symbol FROM report_related WHERE report_id = :id",
     NULL, NULL},
    {"related", "related document", "Related documents", "report", 0, 1, related_fields,
     "SELECT d.rowid AS id, d.version, r.strategy_id, d.report_id AS parent_id, "
     "s.code || '/report/' || r.year || '/related/' || d.rowid AS key, "
     "'Report for ' || r.year || ': ' || d.symbol AS label, NULL AS scope_project, "
     "NULL AS scope_indicator, d.symbol "
     "FROM report_related d JOIN report r ON r.id = d.report_id "
     "JOIN strategy s ON s.id = r.strategy_id WHERE d.rowid = :id",
     "SELECT d.rowid, d.symbol, d.version FROM report_related d "
     "JOIN report r ON r.id = d.report_id WHERE r.strategy_id = :sid AND "
     "(:parent IS NULL OR d.report_id = :parent) ORDER BY r.year, d.sort",
     "INSERT INTO report_related (report_id, symbol, sort) VALUES (:parent, :symbol, "
     "(SELECT coalesce(max(sort), -1) + 1 FROM report_related WHERE report_id = :parent))",
     "UPDATE report_related SET symbol = :symbol, version = version + 1 "
     "WHERE rowid = :id AND version = :version",
     "DELETE FROM report_related WHERE rowid = :id AND version = :version", NULL, NULL, NULL},
};
const size_t record_ndefs_registers = sizeof record_defs_registers / sizeof *record_defs_registers;
