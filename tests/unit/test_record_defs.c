/*
 * test_record_defs.c — the table of record kinds (record_def.h) against a
 * real database: every statement of every kind prepares, names every field
 * it must bind and returns the columns the store reads; then each kind's
 * record goes through record.h as a form or the API would send it (create,
 * read back, update, a stale update, a stale and a current delete), with
 * the audit trail holding one entry per change and its chain intact; and
 * bad values are refused, naming the field, with nothing written.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "model.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "import.h"
#include "record.h"
#include "record_def.h"
#include "store.h"
#include "store_record.h"

typedef struct Fixture {
    Db *db;
    Store s;
    RecordCtx ctx;
    int64_t sid;
    int64_t meeting;   /* a meeting of committee C-T, the parent of decisions */
    int64_t update;    /* an update of project 1.1-01, the parent of footnotes */
    int64_t report;    /* the report for 2020, the parent of related documents */
} Fixture;

static const char *const META[] = {"id", "version", "strategy_id", "parent_id", "key",
                                   "label", "scope_project", "scope_indicator", NULL};

/* 1 when sql has the parameter :name (not only as the start of a longer one). */
static int has_param(const char *sql, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = strchr(sql, ':'); p; p = strchr(p + 1, ':'))
        if (strncmp(p + 1, name, n) == 0 && !isalnum((unsigned char)p[1 + n]) && p[1 + n] != '_')
            return 1;
    return 0;
}

/* Prepares sql (when not NULL) and returns its statement, failing the test
 * with the kind and the database's message when it does not prepare. */
static DbStmt *prepare(Db *db, const RecordDef *d, const char *what, const char *sql)
{
    DbStmt *st = NULL;
    if (db_prepare_(db, &st, sql)) fail_msg("%s.%s: %s", d->name, what, db_errmsg(db));
    return st;
}

/* 1 when statement st has a result column called name. */
static int has_column(DbStmt *st, const char *name)
{
    for (int i = 0; i < db_column_count(st); i++)
        if (strcmp(db_column_name(st, i), name) == 0) return 1;
    return 0;
}

static int setup(void **state)
{
    static Fixture f;
    memset(&f, 0, sizeof f);
    Buf err = BUF_INIT;
    if (db_open(":memory:", DB_OPEN_CREATE, &f.db, &err)) {
        fprintf(stderr, "%s\n", buf_str(&err));
        buf_free(&err);
        return -1;
    }
    buf_free(&err);
    store_init(&f.s, f.db);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;
    store_done(&f->s);
    db_close(f->db);
    return 0;
}

/* Creates a record of kind name from JSON text, asserting success. */
static int64_t create(Fixture *f, const char *name, int64_t parent, const char *text)
{
    const RecordDef *d = record_def(name);
    assert_non_null(d);
    json_error_t je;
    json_t *in = json_loads(text, 0, &je);
    if (!in) fail_msg("bad test JSON %s: %s", text, je.text);
    RecordProblems p = {.n = 0};
    int64_t id = 0;
    int rc = record_create(&f->ctx, d, parent, in, &id, &p);
    json_decref(in);
    if (rc != RECORD_OK)
        fail_msg("%s: create gave %d: %s: %s (%s)", name, rc, p.n ? p.a[0].field : "",
                 p.n ? p.a[0].msg : "", db_errmsg(f->db));
    assert_true(id > 0);
    return id;
}

/* Imports the demo strategy and adds one indicator, risk, service,
 * committee and meeting to hang the children of those kinds on. */
static int setup_demo(void **state)
{
    if (setup(state)) return -1;
    Fixture *f = *state;
    const char *src = getenv("ITSTRAT_SRC");
    char path[4096];
    snprintf(path, sizeof path, "%s/data/demo/ilo-it-strategy-2018-21.json", src ? src : ".");
    Buf msgs = BUF_INIT;
    ImportStats st;
    if (import_json_file(f->db, path, &msgs, &st) != IMPORT_DONE) {
        fprintf(stderr, "%s\n", buf_str(&msgs));
        buf_free(&msgs);
        return -1;
    }
    buf_free(&msgs);
    f->sid = store_strategy_id(&f->s, "2018-21");
    if (f->sid <= 0) return -1;
    f->ctx = (RecordCtx){.store = &f->s, .sid = f->sid, .scode = "2018-21", .first_year = 2018,
                         .last_year = 2021, .odd = 0, .actor = NULL};
    create(f, "indicator", 0,
           "{\"code\": \"KPI-T\", \"kind\": \"kpi\", \"title\": \"Uptime\", "
           "\"direction\": \"up\"}");
    create(f, "risk", 0, "{\"code\": \"R-T\", \"title\": \"Parent risk\"}");
    create(f, "service", 0, "{\"code\": \"S-T\", \"name\": \"Parent service\"}");
    int64_t c = create(f, "committee", 0, "{\"code\": \"C-T\", \"name\": \"Parent committee\"}");
    f->meeting = create(f, "meeting", c, "{\"date\": \"2019-03-01\", \"title\": \"First\"}");
    f->update = create(f, "update", store_record_find(f->db, record_def("project"), f->sid, "1.1-01"),
                       "{\"date\": \"2019-04-01\", \"text\": \"Parent update\"}");
    f->report = create(f, "report", 0, "{\"year\": 2020, \"symbol\": \"GB.341/PFA/1\"}");
    return 0;
}

/* ---- The table itself ---- */

static void test_every_statement_prepares_and_binds_every_field(void **state)
{
    Fixture *f = *state;
    size_t n = record_def_count();
    assert_true(n >= 22);
    for (size_t k = 0; k < n; k++) {
        const RecordDef *d = record_def_at(k);
        assert_non_null(d);
        assert_non_null(d->name);
        assert_ptr_equal(record_def(d->name), d);
        if (d->parent && !record_def(d->parent))
            fail_msg("%s: parent kind %s does not exist", d->name, d->parent);
        for (size_t j = 0; j < k; j++)
            if (strcmp(record_def_at(j)->name, d->name) == 0) fail_msg("%s twice", d->name);
        const char *stmts[] = {d->sql_get, d->sql_list, d->sql_insert, d->sql_update,
                               d->sql_delete, d->sql_dependents, d->sql_find};
        const char *names[] = {"get", "list", "insert", "update", "delete", "dependents", "find"};
        const int ncols[] = {0, 3, 0, 0, 0, 2, 1};
        for (int i = 0; i < 7; i++) {
            if (!stmts[i]) continue;
            DbStmt *st = prepare(f->db, d, names[i], stmts[i]);
            if (i == 1 && db_column_count(st) == 4 && strcmp(db_column_name(st, 3), "code") == 0)
                ; /* a list may add the code others refer to it by */
            else if (ncols[i] && db_column_count(st) != ncols[i])
                fail_msg("%s.%s: %d columns, not %d", d->name, names[i], db_column_count(st),
                         ncols[i]);
            db_finalize(st);
        }
        /* Only the strategy cannot be created or deleted here. */
        if (strcmp(d->name, "strategy") != 0) {
            assert_non_null(d->sql_insert);
            assert_non_null(d->sql_delete);
        }
        assert_non_null(d->sql_get);
        assert_non_null(d->sql_list);
        assert_non_null(d->sql_update);
        DbStmt *get = prepare(f->db, d, "get", d->sql_get);
        for (const char *const *m = META; *m; m++)
            if (!has_column(get, *m)) fail_msg("%s.get: no column %s", d->name, *m);
        assert_true(has_param(d->sql_get, "id"));
        for (const RecordField *fl = d->fields; fl->name; fl++) {
            if (!has_column(get, fl->name)) fail_msg("%s.get: no column %s", d->name, fl->name);
            if (fl->type == RF_LIST) {
                /* A list lives in a table of its own: its clear/add/find SQL
                 * prepares and takes the binds the store gives it. */
                const char *what[] = {"clear", "add", "find"};
                for (int i = 0; i < 3; i++) {
                    if (!fl->values[i]) {
                        if (i < 2) fail_msg("%s.%s: no %s statement", d->name, fl->name, what[i]);
                        continue;
                    }
                    db_finalize(prepare(f->db, d, what[i], fl->values[i]));
                }
                assert_true(has_param(fl->values[0], "id"));
                assert_true(has_param(fl->values[1], "id") && has_param(fl->values[1], "item"));
                assert_non_null(fl->values[3]);
                if (has_param(d->sql_update, fl->name))
                    fail_msg("%s.update binds the list %s, which is not a column", d->name,
                             fl->name);
                continue;
            }
            if (d->sql_insert && !has_param(d->sql_insert, fl->name))
                fail_msg("%s.insert: no :%s", d->name, fl->name);
            if (!has_param(d->sql_update, fl->name))
                fail_msg("%s.update: no :%s", d->name, fl->name);
            if (strcmp(fl->name, "parent") == 0 || strcmp(fl->name, "sid") == 0)
                fail_msg("%s: field %s clashes with a bind of the store", d->name, fl->name);
            for (const char *const *m = META; *m; m++)
                if (strcmp(fl->name, *m) == 0)
                    fail_msg("%s: field %s has the name of a column the store reads itself",
                             d->name, fl->name);
            if (fl->type == RF_ENUM) assert_non_null(fl->values);
            if (fl->type == RF_REF) {
                const RecordDef *t = record_def(fl->ref);
                if (!t || !t->sql_find)
                    fail_msg("%s.%s refers to %s, which has no find", d->name, fl->name, fl->ref);
            }
        }
        db_finalize(get);
        /* A stale save changes nothing: the version is in the WHERE. */
        if (!strstr(d->sql_update, "version = version + 1") ||
            !strstr(d->sql_update, "version = :version"))
            fail_msg("%s.update does not check and bump the version", d->name);
        if (d->sql_delete && !strstr(d->sql_delete, "version = :version"))
            fail_msg("%s.delete does not check the version", d->name);
        if (d->parent && d->sql_insert) assert_true(has_param(d->sql_insert, "parent"));
        if (!d->parent && d->sql_insert) assert_true(has_param(d->sql_insert, "sid"));
        if (d->sql_find) {
            assert_true(has_param(d->sql_find, "sid"));
            assert_true(has_param(d->sql_find, "code"));
        }
        if (d->sql_dependents) assert_true(has_param(d->sql_dependents, "id"));
    }
    /* The order of the pages. */
    const char *order[] = {"strategy", "outcome", "output", "deliverable", "driver", "category",
                           "location"};
    for (size_t k = 0; k < 7; k++) assert_string_equal(record_def_at(k)->name, order[k]);
    assert_string_equal(record_def_at(n - 1)->name, "related");
    assert_null(record_def_at(n));
    assert_null(record_def("nonesuch"));
}

/* ---- Each kind through record.h ---- */

/* One kind's round trip: the parent (a kind and the code to find it by; for
 * "meeting" the fixture's), the record as created, and as changed. */
typedef struct Case {
    const char *kind;
    const char *parent_code;
    const char *create, *update;
} Case;

static const Case CASES[] = {
    {"outcome", NULL, "{\"number\": 9, \"title\": \"Better\", \"description\": \"*x*\"}",
     "{\"number\": 8, \"title\": \"Better still\"}"},
    {"output", "1", "{\"code\": \"1.9\", \"title\": \"New output\"}",
     "{\"code\": \"1.10\", \"title\": \"Renamed output\", \"description\": \"d\"}"},
    {"driver", NULL, "{\"code\": \"drv-t\", \"title\": \"Driver\"}",
     "{\"code\": \"drv-u\", \"title\": \"Driver 2\", \"description\": \"More\"}"},
    {"category", NULL, "{\"code\": \"cat-t\", \"name\": \"Cat\", \"new_or_major\": true}",
     "{\"code\": \"cat-t\", \"name\": \"Category\", \"new_or_major\": false}"},
    {"location", NULL, "{\"code\": \"LOC-T\", \"name\": \"Lima\", \"kind\": \"office\"}",
     "{\"code\": \"LOC-T\", \"name\": \"Lima office\", \"kind\": \"office\", "
     "\"parent_location\": \"HQ\"}"},
    {"project", NULL,
     "{\"code\": \"P-T\", \"title\": \"Test project\", \"output\": \"1.1\", "
     "\"status\": \"approved\", \"budget\": 1000.5, \"currency\": \"CHF\"}",
     "{\"code\": \"P-T\", \"title\": \"Test project 2\", \"driver\": \"security\", "
     "\"status\": \"in_progress\", \"budget\": 2000}"},
    {"update", "1.1-01", "{\"date\": \"2019-05-01\", \"text\": \"Started\"}",
     "{\"date\": \"2019-05-02\", \"text\": \"Started well\", \"report_year\": 2019}"},
    {"rollout", "1.1-02", "{\"location\": \"BGD\", \"status\": \"planned\"}",
     "{\"location\": \"BGD\", \"status\": \"completed\", \"date\": \"2020-01-31\"}"},
    {"dependency", "1.1-03", "{\"depends_on\": \"1.1-05\"}", "{\"depends_on\": \"1.1-04\"}"},
    {"indicator", NULL,
     "{\"code\": \"KPI-U\", \"kind\": \"kpi\", \"title\": \"Speed\", \"direction\": \"down\"}",
     "{\"code\": \"KPI-U\", \"kind\": \"kri\", \"title\": \"Speed\", \"direction\": \"up\", "
     "\"outcome\": 1, \"target\": 5.5}"},
    {"measurement", "KPI-T", "{\"date\": \"2019-01-31\", \"value\": 97.5}",
     "{\"date\": \"2019-02-28\", \"value\": 98, \"note\": \"better\"}"},
    {"milestone", "KPI-T", "{\"period\": \"2018-19\", \"value\": 95}",
     "{\"period\": \"2020\", \"value\": 99.9}"},
    {"risk", NULL,
     "{\"code\": \"R9\", \"title\": \"Outage\", \"inherent_probability\": 4, "
     "\"inherent_impact\": 5}",
     "{\"code\": \"R9\", \"title\": \"Long outage\", \"owner\": \"CIO\", "
     "\"inherent_probability\": 4, \"inherent_impact\": 5, \"residual_probability\": 2, "
     "\"residual_impact\": 3}"},
    {"action", "R-T", "{\"title\": \"Back up\", \"status\": \"planned\"}",
     "{\"title\": \"Back up daily\", \"status\": \"done\", \"due\": \"2020-06-30\", "
     "\"owner\": \"Ops\"}"},
    {"service", NULL, "{\"code\": \"SVC-T\", \"name\": \"Mail\", \"availability_target\": 99.5}",
     "{\"code\": \"SVC-T\", \"name\": \"E-mail\", \"availability_target\": 99.9, "
     "\"response_hours\": 4, \"resolution_hours\": 24}"},
    {"service_measurement", "S-T", "{\"period\": \"2019-04\", \"availability\": 99.1}",
     "{\"period\": \"2019-05\", \"availability\": 100, \"response_hours\": 1.5}"},
    {"expenditure", NULL,
     "{\"year\": 2019, \"category\": \"Infrastructure\", \"amount\": 1250.75}",
     "{\"year\": 2020, \"category\": \"Infrastructure\", \"amount\": 1300, "
     "\"currency\": \"EUR\", \"project\": \"1.1-01\", \"note\": \"servers\"}"},
    {"committee", NULL, "{\"code\": \"ITGC\", \"name\": \"Governance committee\"}",
     "{\"code\": \"ITGC\", \"name\": \"IT Governance Committee\", \"charter\": \"# Charter\"}"},
    {"meeting", "C-T", "{\"date\": \"2020-02-02\"}",
     "{\"date\": \"2020-02-03\", \"title\": \"Second\"}"},
    {"decision", "", "{\"kind\": \"approve\", \"text\": \"Go ahead\"}",
     "{\"kind\": \"hold\", \"text\": \"Wait\"}"},
    {"deliverable", "1.1", "{\"text\": \"A chat and meeting service for everyone\"}",
     "{\"text\": \"A chat and meeting service for all staff\"}"},
    {"footnote", "", "{\"text\": \"See GB.340/PFA/5.\"}", "{\"text\": \"See *GB.341*.\"}"},
    {"related", "", "{\"symbol\": \"GB.332/PFA/1\"}", "{\"symbol\": \"GB.335/PFA/6\"}"},
    {"report", NULL, "{\"year\": 2019, \"final\": false, \"symbol\": \"GB.337/PFA/1\"}",
     "{\"year\": 2019, \"final\": true, \"title\": \"Report\", \"stated_projects\": 12, "
     "\"introduction\": \"Intro\"}"},
};

/* The parent of a case's record: the fixture's meeting, or the record of
 * the parent kind found by code. */
static int64_t case_parent(Fixture *f, const RecordDef *d, const Case *c)
{
    if (!d->parent) return 0;
    if (strcmp(d->parent, "meeting") == 0) return f->meeting;
    if (strcmp(d->parent, "update") == 0) return f->update;
    if (strcmp(d->parent, "report") == 0) return f->report;
    const RecordDef *pd = record_def(d->parent);
    assert_non_null(pd);
    int64_t id = store_record_find(f->db, pd, f->sid, c->parent_code);
    if (id <= 0) fail_msg("%s: no parent %s %s", d->name, d->parent, c->parent_code);
    return id;
}

/* Checks that every member of in reads back with the same value in fields
 * (numbers compared as numbers; an absent member of an update reads as null). */
static void assert_fields(const RecordDef *d, json_t *in, json_t *fields)
{
    for (const RecordField *fl = d->fields; fl->name; fl++) {
        json_t *want = json_object_get(in, fl->name), *got = json_object_get(fields, fl->name);
        if (!got) fail_msg("%s: field %s is not read back", d->name, fl->name);
        if (!want || json_is_null(want)) {
            if (fl->type == RF_BOOL) assert_true(json_is_false(got) || json_is_null(got));
            else if (!json_is_null(got))
                fail_msg("%s.%s: %s, not null", d->name, fl->name,
                         json_dumps(got, JSON_ENCODE_ANY));
            continue;
        }
        if (json_is_number(want)) {
            if (fl->type == RF_REF) continue; /* an outcome's number reads back as its code */
            if (!json_is_number(got) || json_number_value(got) != json_number_value(want))
                fail_msg("%s.%s: wrote %g, read back something else", d->name, fl->name,
                         json_number_value(want));
        } else if (!json_equal(want, got)) {
            char *w = json_dumps(want, JSON_ENCODE_ANY), *g = json_dumps(got, JSON_ENCODE_ANY);
            fail_msg("%s.%s: wrote %s, read back %s", d->name, fl->name, w, g);
        }
    }
}

/* Counts the audit entries of one record. */
typedef struct Trail {
    int n;
    char actions[8][16];
} Trail;

static int trail_row(void *ctx, const AuditEntry *e)
{
    Trail *t = ctx;
    if (t->n < 8) snprintf(t->actions[t->n], sizeof t->actions[t->n], "%s", e->action);
    t->n++;
    return 0;
}

static int list_row(void *ctx, int64_t id, const char *title, int64_t version)
{
    (void)version;
    assert_non_null(title);
    if (id == *(int64_t *)ctx) *(int64_t *)ctx = -1;
    return 0;
}

static int dep_row(void *ctx, const char *what, const char *label)
{
    assert_non_null(what);
    (void)label;
    (*(int *)ctx)++;
    return 0;
}

static void audit_problem(void *ctx, int64_t id, const char *problem)
{
    (void)ctx;
    fail_msg("audit entry %lld: %s", (long long)id, problem);
}

static void round_trip(Fixture *f, const Case *c)
{
    const RecordDef *d = record_def(c->kind);
    if (!d) fail_msg("no kind %s", c->kind);
    int64_t parent = case_parent(f, d, c);
    json_t *in = json_loads(c->create, 0, NULL), *up = json_loads(c->update, 0, NULL);
    assert_non_null(in);
    assert_non_null(up);
    RecordProblems p = {.n = 0};
    int64_t id = 0;
    int rc = record_create(&f->ctx, d, parent, in, &id, &p);
    if (rc != RECORD_OK)
        fail_msg("%s: create gave %d: %s: %s", c->kind, rc, p.n ? p.a[0].field : "",
                 p.n ? p.a[0].msg : db_errmsg(f->db));

    RecordRow r;
    assert_int_equal(store_record_get(f->db, d, id, &r), 1);
    assert_int_equal(r.id, id);
    assert_int_equal(r.version, 1);
    assert_int_equal(r.strategy_id, f->sid);
    assert_int_equal(r.parent_id, parent);
    if (strncmp(r.key, "2018-21", 7) != 0) fail_msg("%s: key %s", c->kind, r.key);
    assert_true(r.title && *r.title);
    assert_fields(d, in, r.fields);
    char key0[256], key[256];
    snprintf(key0, sizeof key0, "%s", r.key);
    store_record_free(&r);

    /* Found by its code, listed under its parent, its dependents readable. */
    json_t *code = json_object_get(in, "code");
    if (!code) code = json_object_get(in, "number");
    if (d->sql_find && code) {
        char num[32];
        const char *s = json_is_string(code) ? json_string_value(code) : num;
        snprintf(num, sizeof num, "%lld", (long long)json_integer_value(code));
        assert_int_equal(store_record_find(f->db, d, f->sid, s), id);
    }
    int64_t seen = id;
    assert_int_equal(store_record_list(f->db, d, f->sid, parent, list_row, &seen), 0);
    if (seen != -1) fail_msg("%s: not in its list", c->kind);
    int ndeps = 0;
    assert_int_equal(store_record_dependents(f->db, d, id, dep_row, &ndeps), 0);

    /* Changed from version 1 to 2. */
    p.n = 0;
    rc = record_update(&f->ctx, d, id, 1, up, &p, NULL);
    if (rc != RECORD_OK)
        fail_msg("%s: update gave %d: %s: %s", c->kind, rc, p.n ? p.a[0].field : "",
                 p.n ? p.a[0].msg : db_errmsg(f->db));
    assert_int_equal(store_record_get(f->db, d, id, &r), 1);
    assert_int_equal(r.version, 2);
    assert_fields(d, up, r.fields);
    char *now = record_json_text(&r);
    snprintf(key, sizeof key, "%s", r.key);
    store_record_free(&r);

    /* A save from version 1 again is refused and changes nothing. */
    RecordRow cur;
    p.n = 0;
    assert_int_equal(record_update(&f->ctx, d, id, 1, in, &p, &cur), RECORD_CONFLICT);
    assert_int_equal(cur.version, 2);
    store_record_free(&cur);
    assert_int_equal(store_record_get(f->db, d, id, &r), 1);
    char *after = record_json_text(&r);
    assert_string_equal(after, now);
    store_record_free(&r);
    free(after);
    free(now);

    /* Deleted only at its version. */
    assert_int_equal(record_delete(&f->ctx, d, id, 1), RECORD_CONFLICT);
    assert_int_equal(record_delete(&f->ctx, d, id, 2), RECORD_OK);
    assert_int_equal(store_record_get(f->db, d, id, &r), 0);
    assert_int_equal(record_delete(&f->ctx, d, id, 2), RECORD_GONE);

    /* The trail: created (under the key it had then: a key holds the code,
     * which the update may change), changed, deleted. */
    Trail t = {0};
    AuditFilter af = {.entity = d->name, .key = key0};
    assert_int_equal(audit_list(f->db, &af, trail_row, &t), 0);
    if (strcmp(key0, key) != 0) {
        af.key = key;
        assert_int_equal(audit_list(f->db, &af, trail_row, &t), 0);
    }
    if (t.n != 3) fail_msg("%s: %d audit entries for %s / %s, not 3", c->kind, t.n, key0, key);
    assert_string_equal(t.actions[0], "create");
    assert_string_equal(t.actions[1], "update");
    assert_string_equal(t.actions[2], "delete");
    json_decref(in);
    json_decref(up);
}

static void test_each_kind_round_trip(void **state)
{
    Fixture *f = *state;
    /* Every kind but the strategy has a case. */
    for (size_t k = 0; k < record_def_count(); k++) {
        const RecordDef *d = record_def_at(k);
        int found = strcmp(d->name, "strategy") == 0;
        for (size_t i = 0; i < sizeof CASES / sizeof *CASES; i++)
            found |= strcmp(CASES[i].kind, d->name) == 0;
        if (!found) fail_msg("kind %s has no case", d->name);
    }
    for (size_t i = 0; i < sizeof CASES / sizeof *CASES; i++) round_trip(f, &CASES[i]);
    int64_t n = 0;
    assert_int_equal(audit_verify(f->db, audit_problem, NULL, &n, NULL), 0);
    assert_true(n >= 3 * (int64_t)(sizeof CASES / sizeof *CASES));
}

static void test_strategy_is_changed_not_created(void **state)
{
    Fixture *f = *state;
    const RecordDef *d = record_def("strategy");
    assert_non_null(d);
    assert_null(d->sql_insert);
    assert_null(d->sql_delete);
    RecordRow r;
    assert_int_equal(store_record_get(f->db, d, f->sid, &r), 1);
    assert_string_equal(r.key, "2018-21");
    assert_int_equal(r.strategy_id, f->sid);
    assert_int_equal(r.parent_id, 0);
    int64_t v = r.version;
    json_t *in = json_deep_copy(r.fields);
    store_record_free(&r);
    json_object_set_new(in, "organization", json_string("ILO"));
    json_object_set_new(in, "risk_matrix", json_string("lllmmllmmhlmmhhmmhhcmhhcc"));
    RecordProblems p = {.n = 0};
    int rc = record_update(&f->ctx, d, f->sid, v, in, &p, NULL);
    if (rc) fail_msg("update gave %d: %s: %s", rc, p.n ? p.a[0].field : "", p.n ? p.a[0].msg : "");
    assert_int_equal(store_record_get(f->db, d, f->sid, &r), 1);
    assert_int_equal(r.version, v + 1);
    assert_string_equal(json_string_value(json_object_get(r.fields, "organization")), "ILO");
    assert_string_equal(json_string_value(json_object_get(r.fields, "currency")), "USD");
    store_record_free(&r);
    RecordRow cur;
    assert_int_equal(record_update(&f->ctx, d, f->sid, v, in, &p, &cur), RECORD_CONFLICT);
    store_record_free(&cur);
    /* Empty currency and biennium keep the defaults the schema needs. */
    json_object_del(in, "currency");
    json_object_del(in, "biennium_start");
    p.n = 0;
    assert_int_equal(record_update(&f->ctx, d, f->sid, v + 1, in, &p, NULL), RECORD_OK);
    assert_int_equal(store_record_get(f->db, d, f->sid, &r), 1);
    assert_string_equal(json_string_value(json_object_get(r.fields, "currency")), "USD");
    assert_string_equal(json_string_value(json_object_get(r.fields, "biennium_start")), "even");
    store_record_free(&r);
    json_decref(in);
    Trail t = {0};
    AuditFilter af = {.entity = "strategy", .key = "2018-21", .action = "update"};
    assert_int_equal(audit_list(f->db, &af, trail_row, &t), 0);
    assert_int_equal(t.n, 2);
    assert_int_equal(audit_verify(f->db, audit_problem, NULL, NULL, NULL), 0);
}

/* ---- Bad values ---- */

typedef struct Bad {
    const char *kind;
    const char *parent_code;   /* as in Case */
    const char *json;
    const char *field;         /* the field the problem must name */
    const char *words;         /* words the message must hold ("": any) */
} Bad;

static const Bad BADS[] = {
    {"action", "R-T", "{\"title\": \"x\", \"status\": \"finished\"}", "status", "not one of"},
    {"decision", "", "{\"kind\": \"veto\", \"text\": \"x\"}", "kind", "not one of"},
    {"location", NULL, "{\"code\": \"L1\", \"name\": \"x\", \"kind\": \"city\"}", "kind",
     "not one of"},
    {"risk", NULL, "{\"code\": \"R1\", \"title\": \"%LONG%\"}", "title", "at most 500"},
    {"report", NULL, "{\"year\": 2019, \"symbol\": \"%LONG%\"}", "symbol", "at most 100"},
    {"service", NULL, "{\"code\": \"S1\"}", "name", "required"},
    {"expenditure", NULL, "{\"year\": 2019, \"category\": \"x\"}", "amount", "required"},
    {"decision", "", "{\"kind\": \"other\"}", "text", "required"},
    {"risk", NULL, "{\"code\": \"R1\", \"title\": \"x\", \"colour\": \"red\"}", "colour",
     ""},
    {"expenditure", NULL, "{\"year\": 2019, \"category\": \"x\", \"amount\": 1, "
     "\"project\": \"NOPE\"}", "project", "no project \"NOPE\""},
    {"location", NULL, "{\"code\": \"L1\", \"name\": \"x\", \"kind\": \"office\", "
     "\"parent_location\": \"NOPE\"}", "parent_location", "no location \"NOPE\""},
    {"risk", NULL, "{\"code\": \"R1\", \"title\": \"x\", \"inherent_probability\": 3}",
     "inherent_impact", "together"},
    {"risk", NULL, "{\"code\": \"R1\", \"title\": \"x\", \"residual_impact\": 6}",
     "residual_impact", "out of range"},
    {"outcome", NULL, "{\"number\": 100, \"title\": \"x\"}", "number", "out of range"},
    {"report", NULL, "{\"year\": 2025}", "year", "outside the strategy period"},
    {"milestone", "KPI-T", "{\"period\": \"2019-20\", \"value\": 1}", "period", "bienniums"},
    {"service_measurement", "S-T", "{\"period\": \"2019-13\"}", "period", "not a month"},
    {"service", NULL, "{\"code\": \"S1\", \"name\": \"x\", \"availability_target\": 101}",
     "availability_target", "out of range"},
    {"expenditure", NULL, "{\"year\": 2019, \"category\": \"x\", \"amount\": 1.005}", "amount",
     "two decimals"},
    {"category", NULL, "{\"code\": \"a b\", \"name\": \"x\"}", "code", "not a code"},
    {"meeting", "C-T", "{\"date\": \"2019-02-30\"}", "date", "not a date"},
    {"report", NULL, "{\"year\": 2021}", "year", "already has this"},
    {"output", "1", "{\"code\": \"1.1\", \"title\": \"x\"}", "code", "already has this"},
};

static int64_t count_audit(Db *db)
{
    int64_t n = -1;
    AuditFilter af = {0};
    assert_int_equal(audit_count(db, &af, &n), 0);
    return n;
}

static int count_row(void *ctx, int64_t id, const char *title, int64_t version)
{
    (void)id, (void)title, (void)version;
    (*(int *)ctx)++;
    return 0;
}

static void test_bad_values_are_refused_naming_the_field(void **state)
{
    Fixture *f = *state;
    char long_text[700];
    memset(long_text, 'x', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = 0;
    for (size_t i = 0; i < sizeof BADS / sizeof *BADS; i++) {
        const Bad *b = &BADS[i];
        const RecordDef *d = record_def(b->kind);
        assert_non_null(d);
        Case c = {b->kind, b->parent_code, NULL, NULL};
        int64_t parent = case_parent(f, d, &c);
        char text[2048];
        const char *mark = strstr(b->json, "%LONG%");
        if (mark)
            snprintf(text, sizeof text, "%.*s%s%s", (int)(mark - b->json), b->json, long_text,
                     mark + 6);
        else snprintf(text, sizeof text, "%s", b->json);
        json_t *in = json_loads(text, 0, NULL);
        assert_non_null(in);
        int before = 0, after = 0;
        assert_int_equal(store_record_list(f->db, d, f->sid, 0, count_row, &before), 0);
        int64_t audit_before = count_audit(f->db);
        RecordProblems p = {.n = 0};
        int64_t id = 0;
        int rc = record_create(&f->ctx, d, parent, in, &id, &p);
        json_decref(in);
        if (rc != RECORD_INVALID) fail_msg("case %zu (%s %s): gave %d", i, b->kind, b->field, rc);
        int named = 0;
        for (int k = 0; k < p.n; k++)
            if (strcmp(p.a[k].field, b->field) == 0 && strstr(p.a[k].msg, b->words)) named = 1;
        if (!named)
            fail_msg("case %zu (%s): no problem on %s saying \"%s\"; first: %s: %s", i, b->kind,
                     b->field, b->words, p.n ? p.a[0].field : "", p.n ? p.a[0].msg : "");
        assert_int_equal(store_record_list(f->db, d, f->sid, 0, count_row, &after), 0);
        assert_int_equal(after, before);
        assert_int_equal(count_audit(f->db), audit_before);
    }
}

/* Rules across fields on a change: a location is not within itself (nor
 * within a location within it); the strategy's matrix and period. */
static void test_checks_on_update(void **state)
{
    Fixture *f = *state;
    int64_t a = create(f, "location", 0, "{\"code\": \"A\", \"name\": \"A\", \"kind\": \"region\"}");
    create(f, "location", 0,
           "{\"code\": \"B\", \"name\": \"B\", \"kind\": \"office\", \"parent_location\": \"A\"}");
    const RecordDef *d = record_def("location");
    struct {
        const char *json, *words;
    } cases[] = {
        {"{\"code\": \"A\", \"name\": \"A\", \"kind\": \"region\", \"parent_location\": \"A\"}",
         "itself"},
        {"{\"code\": \"A\", \"name\": \"A\", \"kind\": \"region\", \"parent_location\": \"B\"}",
         "circle"},
    };
    for (size_t i = 0; i < 2; i++) {
        json_t *in = json_loads(cases[i].json, 0, NULL);
        RecordProblems p = {.n = 0};
        assert_int_equal(record_update(&f->ctx, d, a, 1, in, &p, NULL), RECORD_INVALID);
        assert_true(p.n >= 1);
        assert_string_equal(p.a[0].field, "parent_location");
        assert_non_null(strstr(p.a[0].msg, cases[i].words));
        json_decref(in);
    }
    RecordRow r;
    assert_int_equal(store_record_get(f->db, d, a, &r), 1);
    assert_int_equal(r.version, 1);
    store_record_free(&r);

    const RecordDef *s = record_def("strategy");
    struct {
        const char *field, *json;
    } sbad[] = {
        {"risk_matrix", "{\"title\": \"T\", \"first_year\": 2018, \"last_year\": 2021, "
                        "\"risk_matrix\": \"lllmmllmmhlmmhhmmhhcmhhcx\"}"},
        {"risk_matrix", "{\"title\": \"T\", \"first_year\": 2018, \"last_year\": 2021, "
                        "\"risk_matrix\": \"lll\"}"},
        {"last_year", "{\"title\": \"T\", \"first_year\": 2018, \"last_year\": 2017}"},
        {"biennium_start", "{\"title\": \"T\", \"first_year\": 2018, \"last_year\": 2021, "
                           "\"biennium_start\": \"third\"}"},
        {"title", "{\"first_year\": 2018, \"last_year\": 2021}"},
        {"code", "{\"code\": \"X\", \"title\": \"T\", \"first_year\": 2018, \"last_year\": 2021}"},
    };
    assert_int_equal(store_record_get(f->db, s, f->sid, &r), 1);
    int64_t v = r.version;
    store_record_free(&r);
    for (size_t i = 0; i < sizeof sbad / sizeof *sbad; i++) {
        json_t *in = json_loads(sbad[i].json, 0, NULL);
        assert_non_null(in);
        RecordProblems p = {.n = 0};
        assert_int_equal(record_update(&f->ctx, s, f->sid, v, in, &p, NULL), RECORD_INVALID);
        if (p.n < 1 || strcmp(p.a[0].field, sbad[i].field) != 0)
            fail_msg("strategy case %zu: %s: %s", i, p.n ? p.a[0].field : "",
                     p.n ? p.a[0].msg : "");
        json_decref(in);
    }
    assert_int_equal(store_record_get(f->db, s, f->sid, &r), 1);
    assert_int_equal(r.version, v);
    store_record_free(&r);
}

/* The value of one column of the first row of sql (an int), or -1. */
static int64_t one_int(Db *db, const char *sql)
{
    DbStmt *st = NULL;
    if (db_prepare_(db, &st, sql)) fail_msg("%s", db_errmsg(db));
    int64_t v = db_step(st) == DB_ROW ? db_column_int(st, 0) : -1;
    db_finalize(st);
    return v;
}

/* Lists (RF_LIST) kept in tables of their own: a project's work-plan years,
 * a risk's key risk indicators, the projects a decision names. */
static void test_lists(void **state)
{
    Fixture *f = *state;
    /* Years: sorted, repeats dropped, commas or spaces, a JSON array too. */
    int64_t p = create(f, "project", 0,
                       "{\"code\": \"L-1\", \"title\": \"Listed\", \"output\": \"1.1\", "
                       "\"status\": \"approved\", \"years\": \"2021, 2019 2019\"}");
    RecordRow r;
    assert_int_equal(store_record_get(f->db, record_def("project"), p, &r), 1);
    assert_string_equal(json_string_value(json_object_get(r.fields, "years")), "2019 2021");
    store_record_free(&r);
    assert_int_equal(one_int(f->db, "SELECT count(*) FROM project_year py JOIN project p ON "
                                    "p.id = py.project_id WHERE p.code = 'L-1'"), 2);
    /* An update replaces the list; a year outside the period is refused. */
    RecordProblems pr = {.n = 0};
    json_t *in = json_pack("{s:s,s:s,s:s,s:s,s:[i,i]}", "code", "L-1", "title", "Listed",
                           "output", "1.1", "status", "approved", "years", 2020, 2018);
    assert_int_equal(record_update(&f->ctx, record_def("project"), p, 1, in, &pr, NULL), RECORD_OK);
    json_decref(in);
    assert_int_equal(one_int(f->db, "SELECT min(year) * 10000 + max(year) FROM project_year py "
                                    "JOIN project p ON p.id = py.project_id WHERE p.code = 'L-1'"),
                     20182020);
    in = json_pack("{s:s,s:s,s:s,s:s,s:s}", "code", "L-1", "title", "Listed", "output", "1.1",
                   "status", "approved", "years", "2017");
    assert_int_equal(record_update(&f->ctx, record_def("project"), p, 2, in, &pr, NULL),
                     RECORD_INVALID);
    json_decref(in);
    assert_string_equal(pr.a[0].field, "years");
    assert_non_null(strstr(pr.a[0].msg, "2018-2021"));
    assert_int_equal(one_int(f->db, "SELECT count(*) FROM project_year py JOIN project p ON "
                                    "p.id = py.project_id WHERE p.code = 'L-1'"), 2);
    /* Tags: texts separated by commas (spaces inside kept), repeats dropped. */
    pr.n = 0;
    in = json_pack("{s:s,s:s,s:s,s:s,s:s}", "code", "L-1", "title", "Listed", "output", "1.1",
                   "status", "approved", "tags", " data centre,cloud , data centre,");
    assert_int_equal(record_update(&f->ctx, record_def("project"), p, 2, in, &pr, NULL), RECORD_OK);
    json_decref(in);
    assert_int_equal(store_record_get(f->db, record_def("project"), p, &r), 1);
    assert_string_equal(json_string_value(json_object_get(r.fields, "tags")), "data centre, cloud");
    assert_null(json_string_value(json_object_get(r.fields, "years"))); /* not sent: cleared */
    store_record_free(&r);
    assert_int_equal(one_int(f->db, "SELECT count(*) FROM project_tag t JOIN project p ON "
                                    "p.id = t.project_id WHERE p.code = 'L-1'"), 2);
    in = json_pack("{s:s,s:s,s:s,s:s,s:s}", "code", "L-1", "title", "Listed", "output", "1.1",
                   "status", "approved", "tags", "ok, bad\ttag");
    assert_int_equal(record_update(&f->ctx, record_def("project"), p, 3, in, &pr, NULL),
                     RECORD_INVALID);
    json_decref(in);
    assert_string_equal(pr.a[0].field, "tags");
    /* As many tags as every importer allows (MODEL_MAX_TAGS) can be saved;
     * one more is refused, as the importers refuse it. */
    for (int extra = 0; extra <= 1; extra++) {
        Buf tags = BUF_INIT;
        for (int k = 0; k < MODEL_MAX_TAGS + extra; k++) buf_printf(&tags, "%stag %d", k ? "," : "", k);
        pr.n = 0;
        in = json_pack("{s:s,s:s,s:s,s:s,s:s}", "code", "L-1", "title", "Listed", "output", "1.1",
                       "status", "approved", "tags", buf_str(&tags));
        assert_int_equal(record_update(&f->ctx, record_def("project"), p, 3, in, &pr, NULL),
                         extra ? RECORD_INVALID : RECORD_OK);
        json_decref(in);
        buf_free(&tags);
    }
    assert_string_equal(pr.a[0].field, "tags");
    assert_non_null(strstr(pr.a[0].msg, "more than 100"));
    assert_int_equal(one_int(f->db, "SELECT count(*) FROM project_tag t JOIN project p ON "
                                    "p.id = t.project_id WHERE p.code = 'L-1'"), MODEL_MAX_TAGS);
    /* Codes must exist (and be of the right kind); order is kept. */
    int64_t d = create(f, "decision", f->meeting,
                       "{\"kind\": \"approve\", \"text\": \"Go\", \"projects\": \"L-1 1.1-01\"}");
    RecordRow dr;
    assert_int_equal(store_record_get(f->db, record_def("decision"), d, &dr), 1);
    assert_string_equal(json_string_value(json_object_get(dr.fields, "projects")), "L-1 1.1-01");
    store_record_free(&dr);
    pr.n = 0;
    in = json_pack("{s:s,s:s}", "code", "R-K", "title", "Bad KRI");
    json_object_set_new(in, "indicators", json_string("KPI-T"));
    int64_t id = 0;
    assert_int_equal(record_create(&f->ctx, record_def("risk"), 0, in, &id, &pr), RECORD_INVALID);
    json_decref(in);
    assert_string_equal(pr.a[0].field, "indicators");
    assert_non_null(strstr(pr.a[0].msg, "key risk indicator"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_every_statement_prepares_and_binds_every_field,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_each_kind_round_trip, setup_demo, teardown),
        cmocka_unit_test_setup_teardown(test_strategy_is_changed_not_created, setup_demo,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_bad_values_are_refused_naming_the_field, setup_demo,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_checks_on_update, setup_demo, teardown),
        cmocka_unit_test_setup_teardown(test_lists, setup_demo, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
