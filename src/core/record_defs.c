/*
 * record_defs.c — the table of every kind of record people edit
 * (record_def.h), and the helpers checks use. The SQL of each kind sits
 * next to its fields: literals only, every value bound. The kinds of the
 * strategy's structure, registers and governance are in
 * record_defs_strategy.c and record_defs_registers.c; this file holds the
 * portfolio and the indicators (the kinds contributors touch).
 */
#include "record_def.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "model.h"
#include "record_defs.h"

void record_problem(RecordProblems *p, const char *field, const char *fmt, ...)
{
    if (p->n >= RECORD_MAX_PROBLEMS) return;
    snprintf(p->a[p->n].field, sizeof p->a[p->n].field, "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->a[p->n].msg, sizeof p->a[p->n].msg, fmt, ap);
    va_end(ap);
    p->n++;
}

size_t record_def_count(void)
{
    return record_ndefs_strategy + record_ndefs_portfolio + record_ndefs_registers;
}

const RecordDef *record_def_at(size_t k)
{
    if (k < record_ndefs_strategy) return &record_defs_strategy[k];
    k -= record_ndefs_strategy;
    if (k < record_ndefs_portfolio) return &record_defs_portfolio[k];
    k -= record_ndefs_portfolio;
    if (k < record_ndefs_registers) return &record_defs_registers[k];
    return NULL;
}

const RecordDef *record_def(const char *name)
{
    for (size_t k = 0; k < record_def_count(); k++) {
        const RecordDef *d = record_def_at(k);
        if (strcmp(d->name, name) == 0) return d;
    }
    return NULL;
}

const RecordField *record_field(const RecordDef *d, const char *name)
{
    for (const RecordField *f = d->fields; f->name; f++)
        if (strcmp(f->name, name) == 0) return f;
    return NULL;
}

const RecordValue *record_check_value(const RecordCheck *c, const char *name)
{
    for (size_t k = 0; c->def->fields[k].name; k++)
        if (strcmp(c->def->fields[k].name, name) == 0) return &c->vals[k];
    return NULL;
}

/* Reports "start must not come after end" for two date fields of c. */
void record_check_dates(RecordCheck *c, const char *start, const char *end)
{
    const RecordValue *a = record_check_value(c, start), *b = record_check_value(c, end);
    if (a && b && !a->null && !b->null && a->s && b->s && strcmp(a->s, b->s) > 0)
        record_problem(c->problems, end, "%s is before %s; the end cannot come before the start",
                       b->s, a->s);
}

/* ---- Projects ---- */

static const char *const project_statuses[] = {"proposed", "approved", "in_progress", "pilot",
                                               "completed", "on_hold", "cancelled", NULL};

/* A project's work-plan years (RF_LIST: clear, add, find, noun). */
static const char *const project_years[] = {
    "DELETE FROM project_year WHERE project_id = :id",
    "INSERT INTO project_year (project_id, year) VALUES (:id, :item)", NULL, "year"};

/* A project's tags (RF_LIST of texts: clear, add, find, noun). */
static const char *const project_tags[] = {
    "DELETE FROM project_tag WHERE project_id = :id",
    "INSERT INTO project_tag (project_id, tag, sort) VALUES (:id, :item, :sort)", NULL, "tag"};

static const RecordField project_fields[] = {
    {"code", "Code", RF_CODE, 1, 0, 0, NULL, NULL, "As the report cites it, e.g. DC.1"},
    {"title", "Title", RF_TEXT, 1, 0, 500, NULL, NULL, NULL},
    {"summary", "Summary", RF_MARKDOWN, 0, 0, 100000, NULL, NULL, "Markdown"},
    {"output", "Output", RF_REF, 0, 0, 0, NULL, "output", "The output it delivers (its home)"},
    {"outcome", "Outcome", RF_REF, 0, 0, 0, NULL, "outcome",
     "Or: the outcome's number, for a project directly under an outcome"},
    {"driver", "Driver", RF_REF, 0, 0, 0, NULL, "driver",
     "Or: the cross-cutting driver's code"},
    {"category", "Category", RF_REF, 0, 0, 0, NULL, "category", NULL},
    {"status", "Status", RF_ENUM, 1, 0, 0, project_statuses, NULL, NULL},
    {"planned_start", "Planned start", RF_DATE, 0, 0, 0, NULL, NULL, "YYYY-MM-DD"},
    {"planned_end", "Planned end", RF_DATE, 0, 0, 0, NULL, NULL, "YYYY-MM-DD"},
    {"actual_start", "Actual start", RF_DATE, 0, 0, 0, NULL, NULL, "YYYY-MM-DD"},
    {"actual_end", "Actual end", RF_DATE, 0, 0, 0, NULL, NULL, "YYYY-MM-DD"},
    {"budget", "Budget", RF_MONEY, 0, 0, 0, NULL, NULL, "In the currency below, e.g. 250000.00"},
    {"actual_cost", "Actual cost", RF_MONEY, 0, 0, 0, NULL, NULL, NULL},
    {"currency", "Currency", RF_CURRENCY, 0, 0, 0, NULL, NULL,
     "ISO 4217, e.g. USD; empty: the strategy's"},
    {"unit", "Owning unit", RF_TEXT, 0, 0, 200, NULL, NULL, NULL},
    {"source", "Source", RF_TEXT, 0, 0, 500, NULL, NULL, "e.g. GB.344/PFA/8, para. 16"},
    {"years", "Work-plan years", RF_LIST, 0, 0, MODEL_MAX_YEARS, project_years, NULL,
     "The years of the work plan it is in, e.g. 2019 2020"},
    {"tags", "Tags", RF_LIST, 0, 1, MODEL_MAX_TAGS, project_tags, NULL,
     "Separated by commas, e.g. cloud, collaboration"},
    {NULL, NULL, 0, 0, 0, 0, NULL, NULL, NULL}};

static void project_check(RecordCheck *c)
{
    const RecordValue *o = record_check_value(c, "output"), *oc = record_check_value(c, "outcome"),
                      *d = record_check_value(c, "driver");
    int homes = !o->null + !oc->null + !d->null;
    if (homes != 1)
        record_problem(c->problems, "output",
                       "a project has exactly one home: give an output, or an outcome, or a "
                       "driver (%s)", homes ? "not more than one" : "none is given");
    record_check_dates(c, "planned_start", "planned_end");
    record_check_dates(c, "actual_start", "actual_end");
}

#define PROJECT_FIELDS_SQL                                                                 \
    "p.code, p.title, p.summary, (SELECT code FROM output WHERE id = p.output_id) AS output, " \
    "(SELECT number FROM outcome WHERE id = p.outcome_id) AS outcome, "                        \
    "(SELECT code FROM driver WHERE id = p.driver_id) AS driver, "                             \
    "(SELECT code FROM category WHERE id = p.category_id) AS category, p.status, "             \
    "p.planned_start, p.planned_end, p.actual_start, p.actual_end, p.budget, p.actual_cost, "  \
    "p.currency, p.unit, p.source, (SELECT group_concat(year, ' ') FROM (SELECT year FROM "   \
    "project_year WHERE project_id = p.id ORDER BY year)) AS years, (SELECT group_concat(tag, " \
    "', ') FROM (SELECT tag FROM project_tag WHERE project_id = p.id ORDER BY sort)) AS tags"

/* ---- Progress updates ---- */

static const RecordField update_fields[] = {
    {"date", "Date", RF_DATE, 1, 0, 0, NULL, NULL, "YYYY-MM-DD: when this was the state"},
    {"text", "What happened", RF_MARKDOWN, 1, 0, 100000, NULL, NULL,
     "Markdown; this is the text the report quotes"},
    {"report_year", "In the report of", RF_YEAR, 0, 1, 0, NULL, NULL,
     "The year whose report includes this update; empty: none"},
    {"source", "Source", RF_TEXT, 0, 0, 500, NULL, NULL, NULL},
    {NULL, NULL, 0, 0, 0, 0, NULL, NULL, NULL}};

static const RecordField footnote_fields[] = {
    {"text", "Footnote", RF_MARKDOWN, 1, 0, 100000, NULL, NULL,
     "Markdown; the report numbers it and prints it under the page"},
    {NULL, NULL, 0, 0, 0, 0, NULL, NULL, NULL}};

/* ---- Roll-out by location ---- */

static const char *const rollout_statuses[] = {"planned", "in_progress", "completed", "cancelled",
                                               NULL};

static const RecordField rollout_fields[] = {
    {"location", "Location", RF_REF, 1, 0, 0, NULL, "location", "The location's code"},
    {"status", "Status", RF_ENUM, 1, 0, 0, rollout_statuses, NULL, NULL},
    {"date", "Date", RF_DATE, 0, 0, 0, NULL, NULL, "YYYY-MM-DD: done, or planned for"},
    {"note", "Note", RF_TEXT, 0, 0, 1000, NULL, NULL, NULL},
    {NULL, NULL, 0, 0, 0, 0, NULL, NULL, NULL}};

/* ---- Dependencies ---- */

static const RecordField dependency_fields[] = {
    {"depends_on", "Depends on project", RF_REF, 1, 0, 0, NULL, "project",
     "The code of the project this one waits for"},
    {NULL, NULL, 0, 0, 0, 0, NULL, NULL, NULL}};

static void dependency_check(RecordCheck *c)
{
    const RecordValue *v = record_check_value(c, "depends_on");
    if (!v->null && v->i == c->parent)
        record_problem(c->problems, "depends_on", "a project cannot depend on itself");
}

/* ---- Indicators and measurements ---- */

static const char *const indicator_kinds[] = {"outcome", "kpi", "kri", NULL};
static const char *const directions[] = {"up", "down", NULL};

static const RecordField indicator_fields[] = {
    {"code", "Code", RF_CODE, 1, 0, 0, NULL, NULL, NULL},
    {"kind", "Kind", RF_ENUM, 1, 0, 0, indicator_kinds, NULL,
     "outcome indicator, KPI or key risk indicator (kri)"},
    {"title", "Title", RF_TEXT, 1, 0, 500, NULL, NULL, NULL},
    {"description", "Description", RF_MARKDOWN, 0, 0, 100000, NULL, NULL, "Markdown"},
    {"outcome", "Measures outcome", RF_REF, 0, 0, 0, NULL, "outcome", "Its number; or:"},
    {"output", "Measures output", RF_REF, 0, 0, 0, NULL, "output", "or:"},
    {"driver", "Measures driver", RF_REF, 0, 0, 0, NULL, "driver", "at most one of the three"},
    {"unit", "Unit", RF_TEXT, 0, 0, 100, NULL, NULL, "e.g. %"},
    {"direction", "Better when", RF_ENUM, 1, 0, 0, directions, NULL,
     "up: higher is better; down: lower is better"},
    {"baseline_value", "Baseline", RF_REAL, 0, -1000000000000LL, 1000000000000LL, NULL, NULL,
     NULL},
    {"baseline_year", "Baseline year", RF_YEAR, 0, 0, 0, NULL, NULL, NULL},
    {"target", "Target", RF_REAL, 0, -1000000000000LL, 1000000000000LL, NULL, NULL,
     "At the end of the strategy"},
    {NULL, NULL, 0, 0, 0, 0, NULL, NULL, NULL}};

static void indicator_check(RecordCheck *c)
{
    int n = !record_check_value(c, "outcome")->null + !record_check_value(c, "output")->null +
            !record_check_value(c, "driver")->null;
    if (n > 1)
        record_problem(c->problems, "outcome",
                       "an indicator measures at most one outcome, output or driver");
}

static const RecordField measurement_fields[] = {
    {"date", "Date", RF_DATE, 1, 0, 0, NULL, NULL, "YYYY-MM-DD: when it was measured"},
    {"value", "Value", RF_REAL, 1, -1000000000000LL, 1000000000000LL, NULL, NULL, NULL},
    {"source", "Source", RF_TEXT, 0, 0, 500, NULL, NULL, NULL},
    {"note", "Note", RF_TEXT, 0, 0, 1000, NULL, NULL, NULL},
    {NULL, NULL, 0, 0, 0, 0, NULL, NULL, NULL}};

const RecordDef record_defs_portfolio[] = {
    {"project", "project", "Projects", NULL, 0, 1, project_fields,
     "SELECT p.id, p.version, p.strategy_id, NULL AS parent_id, "
     "s.code || '/' || p.code AS key, p.code || ' ' || p.title AS label, "
     "p.id AS scope_project, NULL AS scope_indicator, " PROJECT_FIELDS_SQL " "
     "FROM project p JOIN strategy s ON s.id = p.strategy_id WHERE p.id = :id",
     "SELECT id, code || ' ' || title, version FROM project WHERE strategy_id = :sid "
     "ORDER BY sort",
     "INSERT INTO project (strategy_id, code, title, summary, output_id, outcome_id, driver_id, "
     "category_id, status, planned_start, planned_end, actual_start, actual_end, budget, "
     "actual_cost, currency, unit, source, sort) VALUES (:sid, :code, :title, :summary, :output, "
     ":outcome, :driver, :category, :status, :planned_start, :planned_end, :actual_start, "
     ":actual_end, :budget, :actual_cost, :currency, :unit, :source, "
     "(SELECT coalesce(max(sort), 0) + 1 FROM project WHERE strategy_id = :sid))",
     "UPDATE project SET code = :code, title = :title, summary = :summary, output_id = :output, "
     "outcome_id = :outcome, driver_id = :driver, category_id = :category, status = :status, "
     "planned_start = :planned_start, planned_end = :planned_end, actual_start = :actual_start, "
     "actual_end = :actual_end, budget = :budget, actual_cost = :actual_cost, currency = "
     ":currency, unit = :unit, source = :source, version = version + 1 "
     "WHERE id = :id AND version = :version",
     "DELETE FROM project WHERE id = :id AND version = :version",
     "SELECT 'progress update', date || ': ' || substr(text, 1, 80) FROM project_update "
     "WHERE project_id = :id "
     "UNION ALL SELECT 'roll-out', (SELECT name FROM location WHERE id = location_id) "
     "FROM project_location WHERE project_id = :id "
     "UNION ALL SELECT 'dependency of', p.code || ' ' || p.title FROM project_dependency d "
     "JOIN project p ON p.id = d.project_id WHERE d.depends_on_id = :id "
     "UNION ALL SELECT 'expenditure line (keeps its amount, loses the project)', "
     "year || ' ' || category FROM expenditure WHERE project_id = :id "
     "UNION ALL SELECT 'decision naming it', m.date || ': ' || substr(dc.text, 1, 80) "
     "FROM decision_project dp JOIN decision dc ON dc.id = dp.decision_id "
     "JOIN meeting m ON m.id = dc.meeting_id WHERE dp.project_id = :id "
     "UNION ALL SELECT 'assignment of', u.login FROM assignment a JOIN app_user u "
     "ON u.id = a.user_id WHERE a.project_id = :id",
     "SELECT id FROM project WHERE strategy_id = :sid AND code = :code", project_check},
    {"update", "progress update", "Progress updates", "project", 1, 1, update_fields,
     "SELECT u.id, u.version, p.strategy_id, u.project_id AS parent_id, "
     "s.code || '/' || p.code || '/update/' || u.id AS key, "
     "p.code || ': update of ' || u.date AS label, u.project_id AS scope_project, "
     "NULL AS scope_indicator, u.date, u.text, u.report_year, u.source "
     "FROM project_update u JOIN project p ON p.id = u.project_id "
     "JOIN strategy s ON s.id = p.strategy_id WHERE u.id = :id",
     "SELECT u.id, u.date || ': ' || substr(u.text, 1, 80), u.version FROM project_update u "
     "JOIN project p ON p.id = u.project_id WHERE p.strategy_id = :sid AND "
     "(:parent IS NULL OR u.project_id = :parent) ORDER BY u.project_id, u.sort",
     "INSERT INTO project_update (project_id, date, text, report_year, source, sort) VALUES "
     "(:parent, :date, :text, :report_year, :source, "
     "(SELECT coalesce(max(sort), 0) + 1 FROM project_update WHERE project_id = :parent))",
     "UPDATE project_update SET date = :date, text = :text, report_year = :report_year, "
     "source = :source, version = version + 1 WHERE id = :id AND version = :version",
     "DELETE FROM project_update WHERE id = :id AND version = :version",
     "SELECT 'footnote', substr(text, 1, 80) FROM update_footnote WHERE update_id = :id",
     NULL, NULL},
    {"footnote", "footnote", "Footnotes", "update", 1, 1, footnote_fields,
     "SELECT f.rowid AS id, f.version, p.strategy_id, f.update_id AS parent_id, "
     "s.code || '/' || p.code || '/update/' || u.id || '/footnote/' || f.rowid AS key, "
     "p.code || ': footnote of the update of ' || u.date AS label, "
     "u.project_id AS scope_project, NULL AS scope_indicator, f.text "
     "FROM update_footnote f JOIN project_update u ON u.id = f.update_id "
     "JOIN project p ON p.id = u.project_id JOIN strategy s ON s.id = p.strategy_id "
     "WHERE f.rowid = :id",
     "SELECT f.rowid, substr(f.text, 1, 120), f.version FROM update_footnote f "
     "JOIN project_update u ON u.id = f.update_id JOIN project p ON p.id = u.project_id "
     "WHERE p.strategy_id = :sid AND (:parent IS NULL OR f.update_id = :parent) "
     "ORDER BY f.update_id, f.sort",
     "INSERT INTO update_footnote (update_id, text, sort) VALUES (:parent, :text, "
     "(SELECT coalesce(max(sort), -1) + 1 FROM update_footnote WHERE update_id = :parent))",
     "UPDATE update_footnote SET text = :text, version = version + 1 "
     "WHERE rowid = :id AND version = :version",
     "DELETE FROM update_footnote WHERE rowid = :id AND version = :version", NULL, NULL, NULL},
    {"rollout", "roll-out", "Roll-out by location", "project", 1, 1, rollout_fields,
     "SELECT r.id, r.version, p.strategy_id, r.project_id AS parent_id, "
     "s.code || '/' || p.code || '/rollout/' || l.code AS key, "
     "p.code || ' at ' || l.name AS label, r.project_id AS scope_project, "
     "NULL AS scope_indicator, l.code AS location, r.status, r.date, r.note "
     "FROM project_location r JOIN project p ON p.id = r.project_id "
     "JOIN location l ON l.id = r.location_id JOIN strategy s ON s.id = p.strategy_id "
     "WHERE r.id = :id",
     "SELECT r.id, l.name || ': ' || replace(r.status, '_', ' '), r.version "
     "FROM project_location r JOIN project p ON p.id = r.project_id "
     "JOIN location l ON l.id = r.location_id WHERE p.strategy_id = :sid AND "
     "(:parent IS NULL OR r.project_id = :parent) ORDER BY r.project_id, r.sort",
     "INSERT INTO project_location (project_id, location_id, status, date, note, sort) VALUES "
     "(:parent, :location, :status, :date, :note, "
     "(SELECT coalesce(max(sort), 0) + 1 FROM project_location WHERE project_id = :parent))",
     "UPDATE project_location SET location_id = :location, status = :status, date = :date, "
     "note = :note, version = version + 1 WHERE id = :id AND version = :version",
     "DELETE FROM project_location WHERE id = :id AND version = :version", NULL, NULL, NULL},
    {"dependency", "dependency", "Depends on", "project", 0, 1, dependency_fields,
     "SELECT d.id, d.version, p.strategy_id, d.project_id AS parent_id, "
     "s.code || '/' || p.code || '/depends-on/' || q.code AS key, "
     "p.code || ' waits for ' || q.code AS label, NULL AS scope_project, "
     "NULL AS scope_indicator, q.code AS depends_on "
     "FROM project_dependency d JOIN project p ON p.id = d.project_id "
     "JOIN project q ON q.id = d.depends_on_id JOIN strategy s ON s.id = p.strategy_id "
     "WHERE d.id = :id",
     "SELECT d.id, q.code || ' ' || q.title, d.version FROM project_dependency d "
     "JOIN project p ON p.id = d.project_id JOIN project q ON q.id = d.depends_on_id "
     "WHERE p.strategy_id = :sid AND (:parent IS NULL OR d.project_id = :parent) "
     "ORDER BY d.project_id, d.sort",
     "INSERT INTO project_dependency (project_id, depends_on_id, sort) VALUES "
     "(:parent, :depends_on, "
     "(SELECT coalesce(max(sort), 0) + 1 FROM project_dependency WHERE project_id = :parent))",
     "UPDATE project_dependency SET depends_on_id = :depends_on, version = version + 1 "
     "WHERE id = :id AND version = :version",
     "DELETE FROM project_dependency WHERE id = :id AND version = :version", NULL, NULL,
     dependency_check},
    {"indicator", "indicator", "Indicators", NULL, 0, 1, indicator_fields,
     "SELECT i.id, i.version, i.strategy_id, NULL AS parent_id, "
     "s.code || '/' || i.code AS key, i.code || ' ' || i.title AS label, "
     "NULL AS scope_project, i.id AS scope_indicator, i.code, i.kind, i.title, i.description, "
     "(SELECT number FROM outcome WHERE id = i.outcome_id) AS outcome, "
     "(SELECT code FROM output WHERE id = i.output_id) AS output, "
     "(SELECT code FROM driver WHERE id = i.driver_id) AS driver, i.unit, i.direction, "
     "i.baseline_value, i.baseline_year, i.target "
     "FROM indicator i JOIN strategy s ON s.id = i.strategy_id WHERE i.id = :id",
     "SELECT id, code || ' ' || title, version FROM indicator WHERE strategy_id = :sid "
     "ORDER BY sort",
     "INSERT INTO indicator (strategy_id, code, kind, title, description, outcome_id, output_id, "
     "driver_id, unit, direction, baseline_value, baseline_year, target, sort) VALUES (:sid, "
     ":code, :kind, :title, :description, :outcome, :output, :driver, :unit, :direction, "
     ":baseline_value, :baseline_year, :target, "
     "(SELECT coalesce(max(sort), 0) + 1 FROM indicator WHERE strategy_id = :sid))",
     "UPDATE indicator SET code = :code, kind = :kind, title = :title, description = "
     ":description, outcome_id = :outcome, output_id = :output, driver_id = :driver, unit = "
     ":unit, direction = :direction, baseline_value = :baseline_value, baseline_year = "
     ":baseline_year, target = :target, version = version + 1 "
     "WHERE id = :id AND version = :version",
     "DELETE FROM indicator WHERE id = :id AND version = :version",
     "SELECT 'milestone', period || ': ' || value FROM milestone WHERE indicator_id = :id "
     "UNION ALL SELECT 'measurement', date || ': ' || value FROM measurement "
     "WHERE indicator_id = :id "
     "UNION ALL SELECT 'key risk indicator of', r.code || ' ' || r.title FROM risk_indicator ri "
     "JOIN risk r ON r.id = ri.risk_id WHERE ri.indicator_id = :id "
     "UNION ALL SELECT 'assignment of', u.login FROM assignment a JOIN app_user u "
     "ON u.id = a.user_id WHERE a.indicator_id = :id",
     "SELECT id FROM indicator WHERE strategy_id = :sid AND code = :code", indicator_check},
    {"measurement", "measurement", "Measurements", "indicator", 1, 1, measurement_fields,
     "SELECT m.rowid AS id, m.version, i.strategy_id, m.indicator_id AS parent_id, "
     "s.code || '/' || i.code || '/measurement/' || m.date AS key, "
     "i.code || ' on ' || m.date AS label, NULL AS scope_project, "
     "m.indicator_id AS scope_indicator, m.date, m.value, m.source, m.note "
     "FROM measurement m JOIN indicator i ON i.id = m.indicator_id "
     "JOIN strategy s ON s.id = i.strategy_id WHERE m.rowid = :id",
     "SELECT m.rowid, m.date || ': ' || m.value, m.version FROM measurement m "
     "JOIN indicator i ON i.id = m.indicator_id WHERE i.strategy_id = :sid AND "
     "(:parent IS NULL OR m.indicator_id = :parent) ORDER BY m.indicator_id, m.date",
     "INSERT INTO measurement (indicator_id, date, value, source, note) VALUES "
     "(:parent, :date, :value, :source, :note)",
     "UPDATE measurement SET date = :date, value = :value, source = :source, note = :note, "
     "version = version + 1 WHERE rowid = :id AND version = :version",
     "DELETE FROM measurement WHERE rowid = :id AND version = :version", NULL, NULL, NULL},
};
const size_t record_ndefs_portfolio = sizeof record_defs_portfolio / sizeof *record_defs_portfolio;
