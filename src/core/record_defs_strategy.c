/*
 * record_defs_strategy.c — the kinds of records that make up a strategy's
 * structure (record_def.h): the strategy's own fields, its outcomes and
 * outputs, cross-cutting drivers, project categories and locations. Each
 * field follows the importer's rule for the same member (import_json.c):
 * the same lengths, ranges, choices and required members.
 *
 * The strategy itself is changed here but neither created nor deleted: its
 * sql_insert and sql_delete are NULL (a strategy comes from an import and
 * goes with `itstrat delete`), and the pages offer no "add" or "delete" for
 * it. Its code is not a field: it is the strategy's address.
 */
#include "record_defs.h"

#include <stddef.h>

#include "db.h"
#include "rules.h"

/* ---- The strategy ---- */

static const char *const parities[] = {"even", "odd", NULL};

static const RecordField strategy_fields[] = {
    {"title", "Title", RF_TEXT, 1, 0, 500, NULL, NULL, NULL},
    {"organization", "Organization", RF_TEXT, 0, 0, 500, NULL, NULL, NULL},
    {"first_year", "First year", RF_YEAR, 1, 0, 0, NULL, NULL, NULL},
    {"last_year", "Last year", RF_YEAR, 1, 0, 0, NULL, NULL, NULL},
    {"biennium_start", "Bienniums start in", RF_ENUM, 0, 0, 0, parities, NULL,
     "even years (2018-19, 2020-21) or odd years; empty: even"},
    {"approved_by", "Approved by", RF_TEXT, 0, 0, 500, NULL, NULL, "e.g. GB.331/PFA/5"},
    {"approved_on", "Approved on", RF_DATE, 0, 0, 0, NULL, NULL, "YYYY-MM-DD"},
    {"summary", "Summary", RF_MARKDOWN, 0, 0, 100000, NULL, NULL, "Markdown"},
    {"currency", "Currency", RF_CURRENCY, 0, 0, 0, NULL, NULL,
     "ISO 4217 code of amounts without one; empty: USD"},
    {"public", "Public", RF_BOOL, 0, 0, 0, NULL, NULL, "Anyone may read its dashboards"},
    {"risk_matrix", "Risk matrix", RF_TEXT, 0, 0, 25, NULL, NULL,
     "25 letters l, m, h or c (low to critical): probability 1 to 5, each with impact 1 to 5; "
     "empty: the default matrix"},
    {NULL, NULL, 0, 0, 0, 0, NULL, NULL, NULL}};

static void strategy_check(RecordCheck *c)
{
    const RecordValue *a = record_check_value(c, "first_year"),
                      *b = record_check_value(c, "last_year"),
                      *m = record_check_value(c, "risk_matrix");
    if (!a->null && !b->null && a->i > b->i)
        record_problem(c->problems, "last_year", "%lld is before the first year %lld",
                       (long long)b->i, (long long)a->i);
    if (!m->null && m->s && rules_risk_matrix_valid(m->s))
        record_problem(c->problems, "risk_matrix",
                       "write 25 letters, each l, m, h or c (low, medium, high, critical): "
                       "five rows of probability 1 to 5, each of impact 1 to 5");
}

/* ---- Outcomes and outputs ---- */

static const RecordField outcome_fields[] = {
    {"number", "Number", RF_INT, 1, 1, 99, NULL, NULL, "Outcomes are numbered 1, 2, 3 ..."},
    {"title", "Title", RF_TEXT, 1, 0, 500, NULL, NULL, NULL},
    {"description", "Description", RF_MARKDOWN, 0, 0, 100000, NULL, NULL, "Markdown"},
    {NULL, NULL, 0, 0, 0, 0, NULL, NULL, NULL}};

static const RecordField output_fields[] = {
    {"code", "Code", RF_CODE, 1, 0, 0, NULL, NULL, "e.g. 1.1"},
    {"title", "Title", RF_TEXT, 1, 0, 500, NULL, NULL, NULL},
    {"description", "Description", RF_MARKDOWN, 0, 0, 100000, NULL, NULL, "Markdown"},
    {NULL, NULL, 0, 0, 0, 0, NULL, NULL, NULL}};

/* ---- Drivers and categories ---- */

static const RecordField deliverable_fields[] = {
    {"text", "Deliverable", RF_TEXT, 1, 0, 2000, NULL, NULL,
     "What the output delivers, as the strategy words it"},
    {NULL, NULL, 0, 0, 0, 0, NULL, NULL, NULL}};

static const RecordField driver_fields[] = {
    {"code", "Code", RF_CODE, 1, 0, 0, NULL, NULL, "e.g. security"},
    {"title", "Title", RF_TEXT, 1, 0, 500, NULL, NULL, NULL},
    {"description", "Description", RF_MARKDOWN, 0, 0, 100000, NULL, NULL, "Markdown"},
    {NULL, NULL, 0, 0, 0, 0, NULL, NULL, NULL}};

static const RecordField category_fields[] = {
    {"code", "Code", RF_CODE, 1, 0, 0, NULL, NULL, NULL},
    {"name", "Name", RF_TEXT, 1, 0, 500, NULL, NULL, NULL},
    {"new_or_major", "New or major", RF_BOOL, 0, 0, 0, NULL, NULL,
     "Counts as a new service offering or major improvement"},
    {NULL, NULL, 0, 0, 0, 0, NULL, NULL, NULL}};

/* ---- Locations ---- */

static const char *const location_kinds[] = {"headquarters", "region", "office", "project",
                                             "department", "other", NULL};

static const RecordField location_fields[] = {
    {"code", "Code", RF_CODE, 1, 0, 0, NULL, NULL, "e.g. HQ, RO-ASIA, BGD"},
    {"name", "Name", RF_TEXT, 1, 0, 500, NULL, NULL, NULL},
    {"kind", "Kind", RF_ENUM, 1, 0, 0, location_kinds, NULL, NULL},
    {"parent_location", "Part of", RF_REF, 0, 0, 0, NULL, "location",
     "The code of the location above it"},
    {NULL, NULL, 0, 0, 0, 0, NULL, NULL, NULL}};

/* A location's parent is not itself nor below it (the import's rule: no
 * cycle in the hierarchy). The field is "parent_location", not the
 * document's "parent": forms and the API use "parent" for the record a new
 * record belongs to, and the store binds :parent to it. */
static void location_check(RecordCheck *c)
{
    const RecordValue *p = record_check_value(c, "parent_location");
    if (p->null || !c->id) return;
    if (p->i == c->id) {
        record_problem(c->problems, "parent_location", "a location cannot be part of itself");
        return;
    }
    DbStmt *st = NULL;
    if (db_prepare(c->db, &st,
                   "WITH RECURSIVE up(id, n) AS (SELECT :above, 0 UNION ALL "
                   "SELECT l.parent_id, up.n + 1 FROM location l JOIN up ON l.id = up.id "
                   "WHERE l.parent_id IS NOT NULL AND up.n < 10000) "
                   "SELECT 1 FROM up WHERE id = :id")) {
        record_problem(c->problems, "", "the database could not be read; the server log says why");
        return;
    }
    db_bind_int(st, ":above", p->i);
    db_bind_int(st, ":id", c->id);
    int r = db_step(st);
    db_finalize(st);
    if (r == DB_ROW)
        record_problem(c->problems, "parent_location",
                       "that location is already part of this one; the hierarchy cannot go "
                       "round in a circle");
    else if (r != DB_DONE)
        record_problem(c->problems, "", "the database could not be read; the server log says why");
}

const RecordDef record_defs_strategy[] = {
    {"strategy", "strategy", "Strategy", NULL, 0, 1, strategy_fields,
     "SELECT s.id, s.version, s.id AS strategy_id, NULL AS parent_id, s.code AS key, "
     "s.code || ' ' || s.title AS label, NULL AS scope_project, NULL AS scope_indicator, "
     "s.title, s.organization, s.first_year, s.last_year, s.biennium_start, s.approved_by, "
     "s.approved_on, s.summary, s.currency, s.public, s.risk_matrix "
     "FROM strategy s WHERE s.id = :id",
     "SELECT id, code || ' ' || title, version FROM strategy WHERE id = :sid",
     NULL,
     "UPDATE strategy SET title = :title, organization = :organization, "
     "first_year = :first_year, last_year = :last_year, "
     "biennium_start = coalesce(:biennium_start, 'even'), approved_by = :approved_by, "
     "approved_on = :approved_on, summary = :summary, currency = coalesce(:currency, 'USD'), "
     "public = :public, risk_matrix = :risk_matrix, version = version + 1 "
     "WHERE id = :id AND version = :version",
     NULL, NULL, NULL, strategy_check},
    {"outcome", "outcome", "Outcomes", NULL, 0, 1, outcome_fields,
     "SELECT o.id, o.version, o.strategy_id, NULL AS parent_id, "
     "s.code || '/outcome/' || o.number AS key, 'Outcome ' || o.number || ': ' || o.title "
     "AS label, NULL AS scope_project, NULL AS scope_indicator, o.number, o.title, "
     "o.description FROM outcome o JOIN strategy s ON s.id = o.strategy_id WHERE o.id = :id",
     "SELECT id, number || '. ' || title, version, number AS code FROM outcome "
     "WHERE strategy_id = :sid "
     "ORDER BY number",
     "INSERT INTO outcome (strategy_id, number, title, description) VALUES "
     "(:sid, :number, :title, :description)",
     "UPDATE outcome SET number = :number, title = :title, description = :description, "
     "version = version + 1 WHERE id = :id AND version = :version",
     "DELETE FROM outcome WHERE id = :id AND version = :version",
     "SELECT 'output', code || ' ' || title FROM output WHERE outcome_id = :id "
     "UNION ALL SELECT 'project (deleted with it)', code || ' ' || title FROM project "
     "WHERE outcome_id = :id OR output_id IN (SELECT id FROM output WHERE outcome_id = :id) "
     "UNION ALL SELECT 'indicator (deleted with it)', code || ' ' || title FROM indicator "
     "WHERE outcome_id = :id OR output_id IN (SELECT id FROM output WHERE outcome_id = :id)",
     "SELECT id FROM outcome WHERE strategy_id = :sid AND number = :code", NULL},
    {"output", "output", "Outputs", "outcome", 0, 1, output_fields,
     "SELECT o.id, o.version, o.strategy_id, o.outcome_id AS parent_id, "
     "s.code || '/' || o.code AS key, o.code || ' ' || o.title AS label, "
     "NULL AS scope_project, NULL AS scope_indicator, o.code, o.title, o.description "
     "FROM output o JOIN strategy s ON s.id = o.strategy_id WHERE o.id = :id",
     "SELECT o.id, o.code || ' ' || o.title, o.version, o.code FROM output o "
     "JOIN outcome oc ON oc.id = o.outcome_id WHERE o.strategy_id = :sid AND "
     "(:parent IS NULL OR o.outcome_id = :parent) ORDER BY oc.number, o.sort",
     "INSERT INTO output (strategy_id, outcome_id, code, title, description, sort) VALUES "
     "(:sid, :parent, :code, :title, :description, "
     "(SELECT coalesce(max(sort), 0) + 1 FROM output WHERE outcome_id = :parent))",
     "UPDATE output SET code = :code, title = :title, description = :description, "
     "version = version + 1 WHERE id = :id AND version = :version",
     "DELETE FROM output WHERE id = :id AND version = :version",
     "SELECT 'deliverable', substr(text, 1, 80) FROM deliverable WHERE output_id = :id "
     "UNION ALL SELECT 'project (deleted with it)', code || ' ' || title FROM project "
     "WHERE output_id = :id "
     "UNION ALL SELECT 'indicator (deleted with it)', code || ' ' || title FROM indicator "
     "WHERE output_id = :id",
     "SELECT id FROM output WHERE strategy_id = :sid AND code = :code", NULL},
    {"deliverable", "deliverable", "Deliverables", "output", 0, 1, deliverable_fields,
     "SELECT d.rowid AS id, d.version, o.strategy_id, d.output_id AS parent_id, "
     "s.code || '/' || o.code || '/deliverable/' || d.rowid AS key, "
     "o.code || ': ' || substr(d.text, 1, 80) AS label, NULL AS scope_project, "
     "NULL AS scope_indicator, d.text "
     "FROM deliverable d JOIN output o ON o.id = d.output_id "
     "JOIN strategy s ON s.id = o.strategy_id WHERE d.rowid = :id",
     "SELECT d.rowid, substr(d.text, 1, 120), d.version FROM deliverable d "
     "JOIN output o ON o.id = d.output_id WHERE o.strategy_id = :sid AND "
     "(:parent IS NULL OR d.output_id = :parent) ORDER BY d.output_id, d.sort",
     "INSERT INTO deliverable (output_id, text, sort) VALUES (:parent, :text, "
     "(SELECT coalesce(max(sort), -1) + 1 FROM deliverable WHERE output_id = :parent))",
     "UPDATE deliverable SET text = :text, version = version + 1 "
     "WHERE rowid = :id AND version = :version",
     "DELETE FROM deliverable WHERE rowid = :id AND version = :version", NULL, NULL, NULL},
    {"driver", "driver", "Cross-cutting drivers", NULL, 0, 1, driver_fields,
     "SELECT d.id, d.version, d.strategy_id, NULL AS parent_id, "
     "s.code || '/' || d.code AS key, d.code || ' ' || d.title AS label, "
     "NULL AS scope_project, NULL AS scope_indicator, d.code, d.title, d.description "
     "FROM driver d JOIN strategy s ON s.id = d.strategy_id WHERE d.id = :id",
     "SELECT id, code || ' ' || title, version, code FROM driver WHERE strategy_id = :sid "
     "ORDER BY sort",
     "INSERT INTO driver (strategy_id, code, title, description, sort) VALUES "
     "(:sid, :code, :title, :description, "
     "(SELECT coalesce(max(sort), 0) + 1 FROM driver WHERE strategy_id = :sid))",
     "UPDATE driver SET code = :code, title = :title, description = :description, "
     "version = version + 1 WHERE id = :id AND version = :version",
     "DELETE FROM driver WHERE id = :id AND version = :version",
     "SELECT 'project (deleted with it)', code || ' ' || title FROM project "
     "WHERE driver_id = :id "
     "UNION ALL SELECT 'indicator (deleted with it)', code || ' ' || title FROM indicator "
     "WHERE driver_id = :id",
     "SELECT id FROM driver WHERE strategy_id = :sid AND code = :code", NULL},
    {"category", "category", "Project categories", NULL, 0, 1, category_fields,
     "SELECT c.id, c.version, c.strategy_id, NULL AS parent_id, "
     "s.code || '/' || c.code AS key, c.code || ' ' || c.name AS label, "
     "NULL AS scope_project, NULL AS scope_indicator, c.code, c.name, c.new_or_major "
     "FROM category c JOIN strategy s ON s.id = c.strategy_id WHERE c.id = :id",
     "SELECT id, name, version, code FROM category WHERE strategy_id = :sid ORDER BY sort",
     "INSERT INTO category (strategy_id, code, name, new_or_major, sort) VALUES "
     "(:sid, :code, :name, :new_or_major, "
     "(SELECT coalesce(max(sort), 0) + 1 FROM category WHERE strategy_id = :sid))",
     "UPDATE category SET code = :code, name = :name, new_or_major = :new_or_major, "
     "version = version + 1 WHERE id = :id AND version = :version",
     "DELETE FROM category WHERE id = :id AND version = :version",
     "SELECT 'project (keeps its place, loses the category)', code || ' ' || title "
     "FROM project WHERE category_id = :id",
     "SELECT id FROM category WHERE strategy_id = :sid AND code = :code", NULL},
    {"location", "location", "Locations", NULL, 0, 1, location_fields,
     "SELECT l.id, l.version, l.strategy_id, NULL AS parent_id, "
     "s.code || '/' || l.code AS key, l.code || ' ' || l.name AS label, "
     "NULL AS scope_project, NULL AS scope_indicator, l.code, l.name, l.kind, "
     "(SELECT code FROM location WHERE id = l.parent_id) AS parent_location "
     "FROM location l JOIN strategy s ON s.id = l.strategy_id WHERE l.id = :id",
     "SELECT id, code || ' ' || name, version, code FROM location WHERE strategy_id = :sid "
     "ORDER BY sort",
     "INSERT INTO location (strategy_id, code, name, kind, parent_id, sort) VALUES "
     "(:sid, :code, :name, :kind, :parent_location, "
     "(SELECT coalesce(max(sort), 0) + 1 FROM location WHERE strategy_id = :sid))",
     "UPDATE location SET code = :code, name = :name, kind = :kind, "
     "parent_id = :parent_location, version = version + 1 WHERE id = :id AND version = :version",
     "DELETE FROM location WHERE id = :id AND version = :version",
     "WITH RECURSIVE below(id) AS (SELECT id FROM location WHERE parent_id = :id "
     "UNION SELECT l.id FROM location l JOIN below b ON l.parent_id = b.id) "
     "SELECT 'location within it (deleted with it)', l.code || ' ' || l.name "
     "FROM below b JOIN location l ON l.id = b.id "
     "UNION ALL SELECT 'roll-out (deleted with it)', p.code || ' ' || p.title "
     "FROM project_location r JOIN project p ON p.id = r.project_id "
     "WHERE r.location_id = :id OR r.location_id IN (SELECT id FROM below)",
     "SELECT id FROM location WHERE strategy_id = :sid AND code = :code", location_check},
};
const size_t record_ndefs_strategy = sizeof record_defs_strategy / sizeof *record_defs_strategy;
