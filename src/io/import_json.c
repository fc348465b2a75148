/*
 * import_json.c — reading a strategy document into the store.
 *
 * The document is split into its top-level members (json_scan.c) and read in
 * the order references need (strategy, locations, outcomes, drivers,
 * indicators, projects, risks, services, expenditure, committees, reports),
 * whatever their order in the file; large arrays are parsed one element at a
 * time. Rows are inserted as they are checked, inside one transaction that is
 * rolled back when any problem was found, so the database only ever sees a
 * whole, valid strategy. References to things of the same kind that may come
 * later (location parents, project dependencies) are resolved at the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <sodium.h>

#include "audit.h"
#include "export.h"
#include "import.h"
#include "import_int.h"
#include "json_pipe.h"
#include "json_scan.h"
#include "mem.h"
#include "store_stats.h"
#include "testhook.h"

static const char *const rollout_statuses[] = {
    "planned", "in_progress", "completed", "cancelled"};
static const char *const action_statuses[] = {
    "planned", "in_progress", "done", "cancelled"};
static const char *const location_kinds[] = {
    "headquarters", "region", "office", "project", "department", "other"};
static const char *const indicator_kinds[] = {"outcome", "kpi", "kri"};
static const char *const directions[] = {"up", "down"};
static const char *const decision_kinds[] = {
    "approve", "prioritize", "hold", "cancel", "guidance", "other"};
static const char *const risk_levels[] = {"low", "medium", "high", "critical", NULL};

/* A reference to resolve once every element of its kind has been read. */
typedef struct Deferred {
    int64_t from;   /* id of the referring row */
    char *code;     /* the code it names */
    char *path;     /* where, for messages */
    long line;
    int64_t sort;
} Deferred;

typedef struct DeferredList {
    Deferred *a;
    size_t n, cap;
} DeferredList;

static void deferred_add(DeferredList *l, Imp *m, int64_t from, const char *code,
                         const char *key, int64_t sort)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->a = xrealloc(l->a, l->cap * sizeof *l->a);
    }
    Buf p = BUF_INIT;
    buf_printf(&p, "%s%s", buf_str(&m->path), key);
    l->a[l->n++] = (Deferred){from, xstrdup(code), buf_detach(&p), m->line, sort};
}

static void deferred_free(DeferredList *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->a[i].code), free(l->a[i].path);
    free(l->a);
    memset(l, 0, sizeof *l);
}

/* Reports a problem at a deferred reference's own place. */
static void deferred_err(Imp *m, const Deferred *d, const char *fmt, const char *a,
                         const char *b)
{
    size_t mark = m->path.n;
    long line = m->line;
    buf_reset(&m->path);
    buf_puts(&m->path, d->path);
    m->line = d->line;
    imp_err(m, NULL, fmt, a, b);
    buf_reset(&m->path);
    m->line = line;
    (void)mark;
}

/* Inserts a row, reporting a database failure at the current place. */
static int imp_insert(Imp *m, StoreTable t, const void *row, int64_t *id, const char *what)
{
    if (store_insert(m->s, t, row, id) == 0) return 0;
    imp_db_err(m, what);
    if (id) *id = 0;
    return -1;
}

/* Reads one array member of o, calling fn on each element that is an object. */
static void imp_each(Imp *m, json_t *o, const char *key, const char *what,
                     void (*fn)(Imp *, json_t *, size_t, void *), void *arg)
{
    json_t *arr = imp_array(m, o, key), *e;
    size_t i;
    json_array_foreach(arr, i, e) {
        size_t mark = imp_path_push(m, "%s%s[%zu]", m->path.n ? "." : "", key, i);
        if (imp_is_object(m, e, what)) fn(m, e, i, arg);
        imp_path_pop(m, mark);
    }
}

/* Reads an array of strings (tags, deliverables, codes): at most maxitems of
 * them (0: any number), each distinct when unique (checked with a hash set,
 * so 100,000 of them cost what 100 do, times 1,000). Calls fn with each
 * valid string. */
static void imp_strings(Imp *m, json_t *o, const char *key, size_t maxlen, int codes,
                        int unique, size_t maxitems, const char *noun,
                        void (*fn)(Imp *, const char *, size_t, void *), void *arg)
{
    json_t *arr = imp_array(m, o, key), *e;
    if (maxitems && json_array_size(arr) > maxitems) {
        imp_err(m, key, "has %zu %s; at most %zu are allowed (the same limit as the forms and "
                "the API): remove some", json_array_size(arr), noun, maxitems);
        return;
    }
    StrMap seen = STRMAP_INIT;
    size_t i;
    json_array_foreach(arr, i, e) {
        char k[48];
        snprintf(k, sizeof k, "%s[%zu]", key, i);
        if (!json_is_string(e) || !*json_string_value(e)) {
            imp_err(m, k, "must be a non-empty text in quotes");
            continue;
        }
        const char *s;
        int rc = codes ? imp_code_value(m, e, k, REQ, &s)
                       : imp_text_value(m, e, k, REQ, maxlen, &s);
        if (rc == IMP_OK && unique && !strmap_put(&seen, s, (int64_t)i)) {
            imp_err(m, k, "\"%s\" appears more than once", s);
            rc = IMP_BAD;
        }
        if (rc == IMP_OK) fn(m, s, i, arg);
    }
    strmap_free(&seen);
}

/* ---- strategy ---------------------------------------------------------- */

static void imp_category(Imp *m, json_t *o, size_t i, void *arg)
{
    (void)arg;
    static const char *const keys[] = {"code", "name", "new_or_major", NULL};
    imp_keys(m, o, keys);
    CategoryRow r = {.strategy_id = m->sid, .sort = (int64_t)i};
    imp_code(m, o, "code", REQ, &r.code);
    imp_text(m, o, "name", REQ, IMP_TITLE_MAX, &r.name);
    imp_bool(m, o, "new_or_major", &r.new_or_major);
    if (!r.code || !r.name || strmap_get(&m->categories, r.code, NULL)) {
        if (r.code && strmap_get(&m->categories, r.code, NULL))
            imp_err(m, "code", "category \"%s\" appears more than once", r.code);
        return;
    }
    int64_t id = 0;
    if (imp_insert(m, T_CATEGORY, &r, &id, "the category") == 0)
        strmap_put(&m->categories, r.code, id);
}

/* Reads risk_matrix (5 rows of 5 levels) into 25 letters; 0 when absent. */
static int imp_risk_matrix(Imp *m, json_t *o, char out[26])
{
    json_t *rows = imp_array(m, o, "risk_matrix");
    if (!rows) return 0;
    if (json_array_size(rows) != 5) {
        imp_err(m, "risk_matrix", "must have 5 rows (probability 1 to 5), not %zu",
                json_array_size(rows));
        return -1;
    }
    for (size_t p = 0; p < 5; p++) {
        json_t *row = json_array_get(rows, p);
        char k[32];
        snprintf(k, sizeof k, "risk_matrix[%zu]", p);
        if (!json_is_array(row) || json_array_size(row) != 5) {
            imp_err(m, k, "must be an array of 5 levels (impact 1 to 5)");
            return -1;
        }
        for (size_t i = 0; i < 5; i++) {
            json_t *cell = json_array_get(row, i);
            const char *s = json_is_string(cell) ? json_string_value(cell) : "";
            const char *const *l = risk_levels;
            while (*l && strcmp(*l, s) != 0) l++;
            if (!*l) {
                char kk[48];
                snprintf(kk, sizeof kk, "risk_matrix[%zu][%zu]", p, i);
                imp_err(m, kk, "must be one of low, medium, high, critical");
                return -1;
            }
            out[p * 5 + i] = s[0];
        }
    }
    out[25] = 0;
    return 1;
}

static void imp_strategy(Imp *m, json_t *o)
{
    static const char *const keys[] = {
        "code", "title", "organization", "first_year", "last_year", "biennium_start",
        "approved_by", "approved_on", "summary", "currency", "public", "categories",
        "risk_matrix", NULL};
    static const char *const parity[] = {"even", "odd"};
    imp_keys(m, o, keys);
    StrategyRow r = {0};
    char matrix[26];
    int bad = m->nerr;
    imp_code(m, o, "code", REQ, &r.code);
    imp_text(m, o, "title", REQ, IMP_TITLE_MAX, &r.title);
    imp_text(m, o, "organization", OPT, IMP_TITLE_MAX, &r.organization);
    imp_year(m, o, "first_year", REQ, 0, &r.first_year);
    imp_year(m, o, "last_year", REQ, 0, &r.last_year);
    if (r.first_year != DB_NULL_INT && r.last_year != DB_NULL_INT && r.first_year > r.last_year)
        imp_err(m, "last_year", "%lld is before first_year %lld", (long long)r.last_year,
                (long long)r.first_year);
    if (imp_enum(m, o, "biennium_start", OPT, parity, IMP_NVALUES(parity), &r.biennium_start) !=
        IMP_OK)
        r.biennium_start = "even";
    imp_text(m, o, "approved_by", OPT, IMP_TITLE_MAX, &r.approved_by);
    imp_date(m, o, "approved_on", OPT, &r.approved_on);
    imp_text(m, o, "summary", OPT, IMP_TEXT_MAX, &r.summary);
    if (imp_currency(m, o, "currency", &r.currency) != IMP_OK) r.currency = "USD";
    imp_bool(m, o, "public", &r.is_public);
    if (imp_risk_matrix(m, o, matrix) > 0) r.risk_matrix = matrix;

    int ok = m->nerr == bad;
    m->scode = xstrdup(r.code ? r.code : "?");
    m->first_year = ok ? r.first_year : 1900;
    m->last_year = ok ? r.last_year : 2200;
    m->odd = strcmp(r.biennium_start, "odd") == 0;
    if (!ok) { /* keep checking the rest against a stand-in strategy */
        r = (StrategyRow){.code = "\x01invalid", .title = "?", .first_year = 1900,
                          .last_year = 2200, .biennium_start = "even", .currency = "USD"};
    }
    if (imp_insert(m, T_STRATEGY, &r, &m->sid, "the strategy")) return;
    imp_each(m, o, "categories", "a category", imp_category, NULL);
}

/* ---- locations, outcomes, drivers ------------------------------------- */

static void imp_location(Imp *m, json_t *o, size_t i, void *parents)
{
    static const char *const keys[] = {"code", "name", "kind", "parent", NULL};
    imp_keys(m, o, keys);
    LocationRow r = {.strategy_id = m->sid, .parent_id = DB_NULL_INT, .sort = (int64_t)i};
    const char *parent = NULL;
    imp_code(m, o, "code", REQ, &r.code);
    imp_text(m, o, "name", REQ, IMP_TITLE_MAX, &r.name);
    imp_enum(m, o, "kind", REQ, location_kinds, IMP_NVALUES(location_kinds), &r.kind);
    imp_code(m, o, "parent", OPT, &parent);
    if (!r.code || !r.name || !r.kind) return;
    if (strmap_get(&m->locations, r.code, NULL)) {
        imp_err(m, "code", "location \"%s\" appears more than once", r.code);
        return;
    }
    int64_t id = 0;
    if (imp_insert(m, T_LOCATION, &r, &id, "the location")) return;
    strmap_put(&m->locations, r.code, id);
    if (parent) deferred_add(parents, m, id, parent, ".parent", 0);
}

static void imp_deliverable(Imp *m, const char *s, size_t i, void *arg)
{
    DeliverableRow r = {.output_id = *(int64_t *)arg, .sort = (int64_t)i, .text = s};
    imp_insert(m, T_DELIVERABLE, &r, NULL, "the deliverable");
}

static void imp_output(Imp *m, json_t *o, size_t i, void *arg)
{
    static const char *const keys[] = {"code", "title", "description", "deliverables", NULL};
    imp_keys(m, o, keys);
    OutputRow r = {.strategy_id = m->sid, .outcome_id = *(int64_t *)arg, .sort = (int64_t)i};
    imp_code(m, o, "code", REQ, &r.code);
    imp_text(m, o, "title", REQ, IMP_TITLE_MAX, &r.title);
    imp_text(m, o, "description", OPT, IMP_TEXT_MAX, &r.description);
    if (!r.code || !r.title || !r.outcome_id) return;
    if (strmap_get(&m->outputs, r.code, NULL)) {
        imp_err(m, "code", "output \"%s\" appears more than once", r.code);
        return;
    }
    int64_t id = 0;
    if (imp_insert(m, T_OUTPUT, &r, &id, "the output")) return;
    strmap_put(&m->outputs, r.code, id);
    imp_strings(m, o, "deliverables", IMP_TITLE_MAX * 4, 0, 0, 0, "deliverables", imp_deliverable,
                &id);
}

static void imp_outcome(Imp *m, json_t *o, size_t i, void *arg)
{
    (void)i, (void)arg;
    static const char *const keys[] = {"number", "title", "description", "outputs", NULL};
    imp_keys(m, o, keys);
    OutcomeRow r = {.strategy_id = m->sid};
    imp_int(m, o, "number", REQ, 1, 99, &r.number);
    imp_text(m, o, "title", REQ, IMP_TITLE_MAX, &r.title);
    imp_text(m, o, "description", OPT, IMP_TEXT_MAX, &r.description);
    int64_t id = 0;
    if (r.number != DB_NULL_INT && m->outcome_ids[r.number]) {
        imp_err(m, "number", "outcome %lld appears more than once", (long long)r.number);
    } else if (r.number != DB_NULL_INT && r.title &&
               imp_insert(m, T_OUTCOME, &r, &id, "the outcome") == 0) {
        m->outcome_ids[r.number] = id;
    }
    imp_each(m, o, "outputs", "an output", imp_output, &id);
}

static void imp_driver(Imp *m, json_t *o, size_t i, void *arg)
{
    (void)arg;
    static const char *const keys[] = {"code", "title", "description", NULL};
    imp_keys(m, o, keys);
    DriverRow r = {.strategy_id = m->sid, .sort = (int64_t)i};
    imp_code(m, o, "code", REQ, &r.code);
    imp_text(m, o, "title", REQ, IMP_TITLE_MAX, &r.title);
    imp_text(m, o, "description", OPT, IMP_TEXT_MAX, &r.description);
    if (!r.code || !r.title) return;
    if (strmap_get(&m->drivers, r.code, NULL)) {
        imp_err(m, "code", "driver \"%s\" appears more than once", r.code);
        return;
    }
    int64_t id = 0;
    if (imp_insert(m, T_DRIVER, &r, &id, "the driver") == 0) strmap_put(&m->drivers, r.code, id);
}

/* Reads the outcome/output/driver a project or indicator belongs to.
 * exactly: 1 for "exactly one", 0 for "at most one". Returns 0 when fine. */
static int imp_home(Imp *m, json_t *o, int exactly, int64_t *outcome, int64_t *output,
                    int64_t *driver)
{
    int64_t number;
    const char *oc = NULL, *dc = NULL;
    *outcome = *output = *driver = DB_NULL_INT;
    int n = (imp_int(m, o, "outcome", OPT, 1, 99, &number) != IMP_ABSENT) +
            (imp_code(m, o, "output", OPT, &oc) != IMP_ABSENT) +
            (imp_code(m, o, "driver", OPT, &dc) != IMP_ABSENT);
    if (n > 1) {
        imp_err(m, NULL, "give only one of outcome, output and driver");
        return -1;
    }
    if (n == 0 && exactly) {
        imp_err(m, NULL, "needs a home: one of outcome, output or driver");
        return -1;
    }
    if (number != DB_NULL_INT) {
        if (!m->outcome_ids[number]) {
            imp_err(m, "outcome", "no outcome %lld in strategy %s", (long long)number, m->scode);
            return -1;
        }
        *outcome = m->outcome_ids[number];
    }
    if (oc && (*output = imp_ref(m, &m->outputs, "output", oc, "output")) == DB_NULL_INT) return -1;
    if (dc && (*driver = imp_ref(m, &m->drivers, "driver", dc, "driver")) == DB_NULL_INT) return -1;
    return 0;
}

/* ---- indicators ------------------------------------------------------- */

static void imp_milestone(Imp *m, json_t *o, size_t i, void *arg)
{
    static const char *const keys[] = {"period", "value", NULL};
    imp_keys(m, o, keys);
    MilestoneRow r = {.indicator_id = *(int64_t *)arg, .sort = (int64_t)i};
    imp_period(m, o, "period", REQ, &r.period);
    imp_real(m, o, "value", REQ, -1e15, 1e15, &r.value);
    if (r.period && r.value == r.value && r.indicator_id &&
        imp_insert(m, T_MILESTONE, &r, NULL, "the milestone"))
        return;
}

static void imp_measurement(Imp *m, json_t *o, size_t i, void *arg)
{
    (void)i;
    static const char *const keys[] = {"date", "value", "source", "note", NULL};
    imp_keys(m, o, keys);
    MeasurementRow r = {.indicator_id = *(int64_t *)arg};
    imp_date(m, o, "date", REQ, &r.date);
    imp_real(m, o, "value", REQ, -1e15, 1e15, &r.value);
    imp_text(m, o, "source", OPT, IMP_TITLE_MAX, &r.source);
    imp_text(m, o, "note", OPT, IMP_TEXT_MAX, &r.note);
    if (r.date && r.value == r.value && r.indicator_id)
        imp_insert(m, T_MEASUREMENT, &r, NULL, "the measurement");
}

/* Reports repeated values of member key among the objects of array arr. */
static void imp_distinct(Imp *m, json_t *o, const char *arr_key, const char *key)
{
    json_t *arr = json_object_get(o, arr_key);
    if (!json_is_array(arr)) return;
    for (size_t i = 1; i < json_array_size(arr); i++) {
        json_t *v = json_object_get(json_array_get(arr, i), key);
        if (!v || json_is_null(v)) continue;
        for (size_t j = 0; j < i; j++)
            if (json_equal(v, json_object_get(json_array_get(arr, j), key))) {
                char k[64];
                snprintf(k, sizeof k, "%s[%zu].%s", arr_key, i, key);
                imp_err(m, k, "repeats %s[%zu].%s", arr_key, j, key);
                break;
            }
    }
}

static void imp_indicator(Imp *m, json_t *o, size_t i)
{
    static const char *const keys[] = {
        "code", "kind", "title", "description", "outcome", "output", "driver", "unit",
        "direction", "baseline", "milestones", "target", "measurements", NULL};
    imp_keys(m, o, keys);
    IndicatorRow r = {.strategy_id = m->sid, .sort = (int64_t)i, .baseline_year = DB_NULL_INT};
    imp_code(m, o, "code", REQ, &r.code);
    imp_enum(m, o, "kind", REQ, indicator_kinds, IMP_NVALUES(indicator_kinds), &r.kind);
    imp_text(m, o, "title", REQ, IMP_TITLE_MAX, &r.title);
    imp_text(m, o, "description", OPT, IMP_TEXT_MAX, &r.description);
    imp_home(m, o, 0, &r.outcome_id, &r.output_id, &r.driver_id);
    imp_text(m, o, "unit", OPT, 40, &r.unit);
    if (imp_enum(m, o, "direction", OPT, directions, IMP_NVALUES(directions), &r.direction) !=
        IMP_OK)
        r.direction = "up";
    r.baseline_value = r.target = (double)NAN;
    json_t *base = imp_object(m, o, "baseline");
    if (base) {
        size_t mark = imp_path_push(m, ".baseline");
        static const char *const bkeys[] = {"value", "year", NULL};
        imp_keys(m, base, bkeys);
        imp_real(m, base, "value", REQ, -1e15, 1e15, &r.baseline_value);
        imp_year(m, base, "year", OPT, 0, &r.baseline_year);
        imp_path_pop(m, mark);
    }
    imp_real(m, o, "target", OPT, -1e15, 1e15, &r.target);
    imp_distinct(m, o, "milestones", "period");
    imp_distinct(m, o, "measurements", "date");
    int64_t id = 0;
    if (r.code && strmap_get(&m->indicators, r.code, NULL))
        imp_err(m, "code", "indicator \"%s\" appears more than once", r.code);
    else if (r.code && r.kind && r.title &&
             imp_insert(m, T_INDICATOR, &r, &id, "the indicator") == 0) {
        strmap_put(&m->indicators, r.code, id);
        if (strcmp(r.kind, "kri") == 0) strmap_put(&m->kri, r.code, id);
    }
    if (m->nerr) id = 0; /* children of a failed import need not be stored */
    imp_each(m, o, "milestones", "a milestone", imp_milestone, &id);
    imp_each(m, o, "measurements", "a measurement", imp_measurement, &id);
}

/* ---- projects --------------------------------------------------------- */

typedef struct ProjectCtx {
    int64_t id;             /* the project's row id (0 when not stored) */
    DeferredList *deps;     /* dependencies to resolve at the end */
    Imp *m;
} ProjectCtx;

static void imp_year_item(Imp *m, const char *unused, size_t i, void *arg);

static void imp_rollout(Imp *m, json_t *o, size_t i, void *arg)
{
    static const char *const keys[] = {"location", "status", "date", "note", NULL};
    imp_keys(m, o, keys);
    ProjectLocationRow r = {.project_id = ((ProjectCtx *)arg)->id, .sort = (int64_t)i};
    const char *code = NULL;
    imp_code(m, o, "location", REQ, &code);
    imp_enum(m, o, "status", REQ, rollout_statuses, IMP_NVALUES(rollout_statuses), &r.status);
    imp_date(m, o, "date", OPT, &r.date);
    imp_text(m, o, "note", OPT, IMP_TEXT_MAX, &r.note);
    r.location_id = imp_ref(m, &m->locations, "location", code, "location");
    if (r.project_id && r.location_id != DB_NULL_INT && r.status)
        imp_insert(m, T_PROJECT_LOCATION, &r, NULL, "the roll-out");
}

static void imp_footnote(Imp *m, const char *s, size_t i, void *arg)
{
    FootnoteRow r = {.update_id = *(int64_t *)arg, .sort = (int64_t)i, .text = s};
    if (r.update_id) imp_insert(m, T_FOOTNOTE, &r, NULL, "the footnote");
}

static void imp_update(Imp *m, json_t *o, size_t i, void *arg)
{
    static const char *const keys[] = {"date", "text", "report_year", "footnotes", "source", NULL};
    imp_keys(m, o, keys);
    UpdateRow r = {.project_id = ((ProjectCtx *)arg)->id, .sort = (int64_t)i};
    imp_date(m, o, "date", REQ, &r.date);
    imp_text(m, o, "text", REQ, IMP_TEXT_MAX, &r.text);
    imp_year(m, o, "report_year", OPT, 1, &r.report_year);
    imp_text(m, o, "source", OPT, IMP_TITLE_MAX, &r.source);
    int64_t id = 0;
    if (r.project_id && r.date && r.text) imp_insert(m, T_UPDATE, &r, &id, "the update");
    imp_strings(m, o, "footnotes", IMP_TEXT_MAX, 0, 0, 0, "footnotes", imp_footnote, &id);
}

static void imp_tag(Imp *m, const char *s, size_t i, void *arg)
{
    TagRow r = {.project_id = ((ProjectCtx *)arg)->id, .tag = s, .sort = (int64_t)i};
    if (r.project_id) imp_insert(m, T_TAG, &r, NULL, "the tag");
}

static void imp_dep(Imp *m, const char *s, size_t i, void *arg)
{
    ProjectCtx *c = arg;
    char k[48];
    snprintf(k, sizeof k, ".depends_on[%zu]", i);
    if (c->id) deferred_add(c->deps, m, c->id, s, k, (int64_t)i);
}

static void imp_project(Imp *m, json_t *o, size_t i, DeferredList *deps)
{
    static const char *const keys[] = {
        "code", "title", "summary", "outcome", "output", "driver", "category", "years",
        "status", "planned_start", "planned_end", "actual_start", "actual_end", "budget",
        "actual_cost", "currency", "unit", "source", "locations", "depends_on", "updates",
        "tags", NULL};
    imp_keys(m, o, keys);
    ProjectRow r = {.strategy_id = m->sid, .sort = (int64_t)i, .category_id = DB_NULL_INT};
    const char *cat = NULL;
    int before = (int)m->nerr;
    imp_code(m, o, "code", REQ, &r.code);
    imp_text(m, o, "title", REQ, IMP_TITLE_MAX, &r.title);
    imp_text(m, o, "summary", OPT, IMP_TEXT_MAX, &r.summary);
    imp_home(m, o, 1, &r.outcome_id, &r.output_id, &r.driver_id);
    if (imp_code(m, o, "category", OPT, &cat) == IMP_OK)
        r.category_id = imp_ref(m, &m->categories, "category", cat, "category");
    imp_enum(m, o, "status", REQ, store_status_keys, IMP_NVALUES(store_status_keys), &r.status);
    imp_date(m, o, "planned_start", OPT, &r.planned_start);
    imp_date(m, o, "planned_end", OPT, &r.planned_end);
    imp_date(m, o, "actual_start", OPT, &r.actual_start);
    imp_date(m, o, "actual_end", OPT, &r.actual_end);
    imp_date_order(m, "planned_start", r.planned_start, "planned_end", r.planned_end);
    imp_date_order(m, "actual_start", r.actual_start, "actual_end", r.actual_end);
    imp_money(m, o, "budget", &r.budget);
    imp_money(m, o, "actual_cost", &r.actual_cost);
    imp_currency(m, o, "currency", &r.currency);
    imp_text(m, o, "unit", OPT, IMP_TITLE_MAX, &r.unit);
    imp_text(m, o, "source", OPT, IMP_TITLE_MAX, &r.source);
    imp_distinct(m, o, "locations", "location");

    ProjectCtx c = {.id = 0, .deps = deps, .m = m};
    if (r.code && strmap_get(&m->projects, r.code, NULL)) {
        imp_err(m, "code", "project \"%s\" appears more than once", r.code);
    } else if (r.code && (int)m->nerr == before &&
               imp_insert(m, T_PROJECT, &r, &c.id, "the project") == 0) {
        strmap_put(&m->projects, r.code, c.id);
    } else if (r.code) {
        strmap_put(&m->projects, r.code, 0); /* known, so references to it are not errors */
    }
    /* years: ascending, distinct, inside the period */
    json_t *years = imp_array(m, o, "years"), *y;
    size_t k;
    int64_t last = 0;
    json_array_foreach(years, k, y) {
        char key[32];
        snprintf(key, sizeof key, "years[%zu]", k);
        int64_t year;
        if (imp_year_value(m, y, key, REQ, 1, &year) == IMP_OK) {
            if (year <= last) imp_err(m, key, "years must be ascending and distinct");
            else if (c.id) imp_year_item(m, NULL, (size_t)year, &c);
            last = year;
        }
    }
    imp_each(m, o, "locations", "a roll-out", imp_rollout, &c);
    imp_strings(m, o, "depends_on", 64, 1, 1, 0, "projects", imp_dep, &c);
    imp_each(m, o, "updates", "an update", imp_update, &c);
    imp_strings(m, o, "tags", MODEL_MAX_TAG_CHARS, 0, 1, MODEL_MAX_TAGS, "tags", imp_tag, &c);
}

static void imp_year_item(Imp *m, const char *unused, size_t year, void *arg)
{
    (void)unused;
    ProjectYearRow r = {.project_id = ((ProjectCtx *)arg)->id, .year = (int64_t)year};
    imp_insert(m, T_PROJECT_YEAR, &r, NULL, "the work-plan year");
}

/* Resolves dependencies and reports cycles (A waits on B waits on A). */
static void imp_resolve_deps(Imp *m, Store *s, DeferredList *deps)
{
    (void)s;
    /* Adjacency by project row id, via an index map id -> dense number. */
    StrMap seen = STRMAP_INIT;
    for (size_t i = 0; i < deps->n; i++) {
        Deferred *d = &deps->a[i];
        int64_t to;
        if (!strmap_get(&m->projects, d->code, &to)) {
            deferred_err(m, d, "no project \"%s\" in strategy %s", d->code, m->scode);
            continue;
        }
        if (!to) continue; /* that project itself had problems */
        if (to == d->from) {
            deferred_err(m, d, "a project cannot depend on itself (\"%s\")%s", d->code, "");
            continue;
        }
        char key[48];
        snprintf(key, sizeof key, "%lld>%lld", (long long)d->from, (long long)to);
        if (!strmap_put(&seen, key, 1)) continue;
        DependencyRow r = {.project_id = d->from, .depends_on_id = to, .sort = d->sort};
        if (!m->nerr) imp_insert(m, T_DEPENDENCY, &r, NULL, "the dependency");
    }
    strmap_free(&seen);
    if (m->nerr) return;
    /* Cycle check: iterative depth-first search over the stored edges. */
    size_t n = deps->n;
    if (!n) return;
    /* Sort edges by source id for adjacency lookup. */
    int64_t *src = xmalloc(n * sizeof *src), *dst = xmalloc(n * sizeof *dst);
    size_t ne = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t to = 0;
        strmap_get(&m->projects, deps->a[i].code, &to);
        if (to && to != deps->a[i].from) src[ne] = deps->a[i].from, dst[ne] = to, ne++;
    }
    StrMap state = STRMAP_INIT; /* id -> 1 visiting, 2 done */
    StrMap first = STRMAP_INIT; /* id -> first edge index + 1 */
    /* Edges grouped by source: counting sort by insertion order is enough
     * because deps of one project are contiguous in the document. */
    for (size_t i = 0; i < ne; i++) {
        char k[24];
        snprintf(k, sizeof k, "%lld", (long long)src[i]);
        if (!strmap_get(&first, k, NULL)) strmap_put(&first, k, (int64_t)i + 1);
    }
    size_t *stack = xmalloc((ne + 1) * sizeof *stack); /* edge positions */
    int64_t *nodes = xmalloc((ne + 2) * sizeof *nodes);
    int found = 0;
    for (size_t e0 = 0; e0 < ne && !found; e0++) {
        char k[24];
        snprintf(k, sizeof k, "%lld", (long long)src[e0]);
        int64_t st;
        if (strmap_get(&state, k, &st)) continue;
        size_t depth = 0;
        nodes[0] = src[e0];
        strmap_put(&state, k, 1);
        int64_t f = 0;
        strmap_get(&first, k, &f);
        stack[0] = (size_t)f - 1;
        while (!found) {
            size_t e = stack[depth];
            if (e < ne && src[e] == nodes[depth]) {
                stack[depth]++;
                char kk[24];
                snprintf(kk, sizeof kk, "%lld", (long long)dst[e]);
                int64_t s2 = 0;
                strmap_get(&state, kk, &s2);
                if (s2 == 1) { /* back edge: a cycle */
                    found = 1;
                    for (size_t i = 0; i < deps->n; i++)
                        if (deps->a[i].from == nodes[depth]) {
                            deferred_err(m, &deps->a[i], "dependency cycle through \"%s\"%s",
                                         deps->a[i].code, " (projects cannot wait on each other)");
                            break;
                        }
                } else if (s2 == 0) {
                    strmap_put(&state, kk, 1);
                    nodes[++depth] = dst[e];
                    int64_t ff = 0;
                    stack[depth] = strmap_get(&first, kk, &ff) ? (size_t)ff - 1 : ne;
                }
            } else {
                char kk[24];
                snprintf(kk, sizeof kk, "%lld", (long long)nodes[depth]);
                strmap_put(&state, kk, 2);
                if (depth == 0) break;
                depth--;
            }
        }
    }
    free(stack), free(nodes), free(src), free(dst);
    strmap_free(&state), strmap_free(&first);
}

/* Resolves location parents and rejects cycles in the hierarchy. */
static void imp_resolve_parents(Imp *m, DeferredList *parents)
{
    for (size_t i = 0; i < parents->n; i++) {
        Deferred *d = &parents->a[i];
        int64_t to;
        if (!strmap_get(&m->locations, d->code, &to)) {
            deferred_err(m, d, "no location \"%s\" in strategy %s", d->code, m->scode);
            continue;
        }
        /* Walk up from the parent: reaching d->from again is a cycle. */
        int64_t cur = to;
        size_t steps = 0;
        while (cur && steps++ <= parents->n) {
            if (cur == d->from) {
                deferred_err(m, d, "location parent \"%s\" makes a cycle in the hierarchy%s",
                             d->code, "");
                break;
            }
            int64_t next = 0;
            for (size_t j = 0; j < parents->n; j++)
                if (parents->a[j].from == cur) {
                    strmap_get(&m->locations, parents->a[j].code, &next);
                    break;
                }
            cur = next;
        }
        if (cur == d->from) continue;
        if (!m->nerr && store_location_set_parent(m->s, d->from, to)) imp_db_err(m, "the parent");
    }
}

/* ---- risks, services, expenditure, governance, reports --------------- */

static void imp_action(Imp *m, json_t *o, size_t i, void *arg)
{
    static const char *const keys[] = {"title", "status", "due", "owner", NULL};
    imp_keys(m, o, keys);
    RiskActionRow r = {.risk_id = *(int64_t *)arg, .sort = (int64_t)i};
    imp_text(m, o, "title", REQ, IMP_TEXT_MAX, &r.title);
    imp_enum(m, o, "status", REQ, action_statuses, IMP_NVALUES(action_statuses), &r.status);
    imp_date(m, o, "due", OPT, &r.due);
    imp_text(m, o, "owner", OPT, IMP_TITLE_MAX, &r.owner);
    if (r.risk_id && r.title && r.status) imp_insert(m, T_RISK_ACTION, &r, NULL, "the action");
}

static void imp_risk_kri(Imp *m, const char *code, size_t i, void *arg)
{
    char k[48];
    snprintf(k, sizeof k, "indicators[%zu]", i);
    int64_t id;
    if (!strmap_get(&m->indicators, code, &id)) {
        imp_err(m, k, "no indicator \"%s\" in strategy %s", code, m->scode);
        return;
    }
    if (!strmap_get(&m->kri, code, NULL)) {
        imp_err(m, k, "indicator \"%s\" is not a key risk indicator (kind \"kri\")", code);
        return;
    }
    RiskIndicatorRow r = {.risk_id = *(int64_t *)arg, .indicator_id = id, .sort = (int64_t)i};
    if (r.risk_id) imp_insert(m, T_RISK_INDICATOR, &r, NULL, "the key risk indicator");
}

/* Reads {probability, impact} at key into *p and *i. */
static void imp_score(Imp *m, json_t *o, const char *key, int64_t *p, int64_t *i)
{
    *p = *i = DB_NULL_INT;
    json_t *s = imp_object(m, o, key);
    if (!s) return;
    size_t mark = imp_path_push(m, ".%s", key);
    static const char *const keys[] = {"probability", "impact", NULL};
    imp_keys(m, s, keys);
    imp_int(m, s, "probability", REQ, 1, 5, p);
    imp_int(m, s, "impact", REQ, 1, 5, i);
    imp_path_pop(m, mark);
}

static void imp_risk(Imp *m, json_t *o, size_t i)
{
    static const char *const keys[] = {
        "code", "title", "description", "category", "owner", "inherent", "residual", "actions",
        "indicators", NULL};
    imp_keys(m, o, keys);
    RiskRow r = {.strategy_id = m->sid, .sort = (int64_t)i};
    imp_code(m, o, "code", REQ, &r.code);
    imp_text(m, o, "title", REQ, IMP_TITLE_MAX, &r.title);
    imp_text(m, o, "description", OPT, IMP_TEXT_MAX, &r.description);
    imp_text(m, o, "category", OPT, IMP_TITLE_MAX, &r.category);
    imp_text(m, o, "owner", OPT, IMP_TITLE_MAX, &r.owner);
    imp_score(m, o, "inherent", &r.inherent_probability, &r.inherent_impact);
    imp_score(m, o, "residual", &r.residual_probability, &r.residual_impact);
    int64_t id = 0;
    if (r.code && strmap_get(&m->risks, r.code, NULL))
        imp_err(m, "code", "risk \"%s\" appears more than once", r.code);
    else if (r.code && r.title && imp_insert(m, T_RISK, &r, &id, "the risk") == 0)
        strmap_put(&m->risks, r.code, id);
    imp_each(m, o, "actions", "an action", imp_action, &id);
    imp_strings(m, o, "indicators", 64, 1, 1, MODEL_MAX_KRIS, "indicators", imp_risk_kri, &id);
}

static void imp_service_measurement(Imp *m, json_t *o, size_t i, void *arg)
{
    (void)i;
    static const char *const keys[] = {
        "period", "availability", "response_hours", "resolution_hours", NULL};
    imp_keys(m, o, keys);
    ServiceMeasurementRow r = {.service_id = *(int64_t *)arg};
    imp_month(m, o, "period", REQ, &r.period);
    imp_real(m, o, "availability", OPT, 0, 100, &r.availability);
    imp_real(m, o, "response_hours", OPT, 0, 1e6, &r.response_hours);
    imp_real(m, o, "resolution_hours", OPT, 0, 1e6, &r.resolution_hours);
    if (r.service_id && r.period)
        imp_insert(m, T_SERVICE_MEASUREMENT, &r, NULL, "the service measurement");
}

static void imp_service(Imp *m, json_t *o, size_t i)
{
    static const char *const keys[] = {
        "code", "name", "description", "availability_target", "response_hours",
        "resolution_hours", "measurements", NULL};
    imp_keys(m, o, keys);
    ServiceRow r = {.strategy_id = m->sid, .sort = (int64_t)i};
    imp_code(m, o, "code", REQ, &r.code);
    imp_text(m, o, "name", REQ, IMP_TITLE_MAX, &r.name);
    imp_text(m, o, "description", OPT, IMP_TEXT_MAX, &r.description);
    imp_real(m, o, "availability_target", OPT, 0, 100, &r.availability_target);
    imp_real(m, o, "response_hours", OPT, 0, 1e6, &r.response_hours);
    imp_real(m, o, "resolution_hours", OPT, 0, 1e6, &r.resolution_hours);
    imp_distinct(m, o, "measurements", "period");
    int64_t id = 0;
    if (r.code && strmap_get(&m->services, r.code, NULL))
        imp_err(m, "code", "service \"%s\" appears more than once", r.code);
    else if (r.code && r.name && imp_insert(m, T_SERVICE, &r, &id, "the service") == 0)
        strmap_put(&m->services, r.code, id);
    imp_each(m, o, "measurements", "a measurement", imp_service_measurement, &id);
}

static void imp_expenditure(Imp *m, json_t *o, size_t i)
{
    static const char *const keys[] = {
        "year", "category", "unit", "amount", "currency", "project", "note", NULL};
    imp_keys(m, o, keys);
    ExpenditureRow r = {.strategy_id = m->sid, .sort = (int64_t)i, .project_id = DB_NULL_INT};
    const char *project = NULL;
    imp_year(m, o, "year", REQ, 0, &r.year);
    imp_text(m, o, "category", REQ, IMP_TITLE_MAX, &r.category);
    imp_text(m, o, "unit", OPT, IMP_TITLE_MAX, &r.unit);
    if (imp_money(m, o, "amount", &r.amount) == IMP_ABSENT) imp_err(m, "amount", "required");
    imp_currency(m, o, "currency", &r.currency);
    if (imp_code(m, o, "project", OPT, &project) == IMP_OK)
        r.project_id = imp_ref(m, &m->projects, "project", project, "project");
    imp_text(m, o, "note", OPT, IMP_TEXT_MAX, &r.note);
    if (r.year != DB_NULL_INT && r.category && r.amount != DB_NULL_INT && !m->nerr)
        imp_insert(m, T_EXPENDITURE, &r, NULL, "the expenditure line");
}

static void imp_decision_project(Imp *m, const char *code, size_t i, void *arg)
{
    char k[48];
    snprintf(k, sizeof k, "projects[%zu]", i);
    DecisionProjectRow r = {.decision_id = *(int64_t *)arg, .sort = (int64_t)i};
    r.project_id = imp_ref(m, &m->projects, k, code, "project");
    if (r.decision_id && r.project_id != DB_NULL_INT && r.project_id && !m->nerr)
        imp_insert(m, T_DECISION_PROJECT, &r, NULL, "the decision's project");
}

static void imp_decision(Imp *m, json_t *o, size_t i, void *arg)
{
    static const char *const keys[] = {"text", "kind", "projects", NULL};
    imp_keys(m, o, keys);
    DecisionRow r = {.meeting_id = *(int64_t *)arg, .sort = (int64_t)i};
    imp_text(m, o, "text", REQ, IMP_TEXT_MAX, &r.text);
    imp_enum(m, o, "kind", REQ, decision_kinds, IMP_NVALUES(decision_kinds), &r.kind);
    int64_t id = 0;
    if (r.meeting_id && r.text && r.kind) imp_insert(m, T_DECISION, &r, &id, "the decision");
    imp_strings(m, o, "projects", 64, 1, 1, MODEL_MAX_DECISION_PROJECTS, "projects",
                imp_decision_project, &id);
}

static void imp_meeting(Imp *m, json_t *o, size_t i, void *arg)
{
    static const char *const keys[] = {"date", "title", "decisions", NULL};
    imp_keys(m, o, keys);
    MeetingRow r = {.committee_id = *(int64_t *)arg, .sort = (int64_t)i};
    imp_date(m, o, "date", REQ, &r.date);
    imp_text(m, o, "title", OPT, IMP_TITLE_MAX, &r.title);
    int64_t id = 0;
    if (r.committee_id && r.date) imp_insert(m, T_MEETING, &r, &id, "the meeting");
    imp_each(m, o, "decisions", "a decision", imp_decision, &id);
}

static void imp_committee(Imp *m, json_t *o, size_t i)
{
    static const char *const keys[] = {"code", "name", "charter", "meetings", NULL};
    imp_keys(m, o, keys);
    CommitteeRow r = {.strategy_id = m->sid, .sort = (int64_t)i};
    imp_code(m, o, "code", REQ, &r.code);
    imp_text(m, o, "name", REQ, IMP_TITLE_MAX, &r.name);
    imp_text(m, o, "charter", OPT, IMP_TEXT_MAX, &r.charter);
    int64_t id = 0;
    if (r.code && strmap_get(&m->committees, r.code, NULL))
        imp_err(m, "code", "committee \"%s\" appears more than once", r.code);
    else if (r.code && r.name && imp_insert(m, T_COMMITTEE, &r, &id, "the committee") == 0)
        strmap_put(&m->committees, r.code, id);
    imp_each(m, o, "meetings", "a meeting", imp_meeting, &id);
}

static void imp_related(Imp *m, const char *s, size_t i, void *arg)
{
    ReportRelatedRow r = {.report_id = *(int64_t *)arg, .sort = (int64_t)i, .symbol = s};
    if (r.report_id) imp_insert(m, T_REPORT_RELATED, &r, NULL, "the related document");
}

static void imp_report(Imp *m, json_t *o, size_t i, StrMap *years)
{
    (void)i;
    static const char *const keys[] = {
        "year", "final", "body", "session", "date", "symbol", "section", "section_code",
        "original_language", "title", "summary", "author_unit", "related_documents",
        "introduction", "stated_projects", "stated_new_or_major", NULL};
    imp_keys(m, o, keys);
    ReportRow r = {.strategy_id = m->sid};
    imp_year(m, o, "year", REQ, 1, &r.year);
    imp_bool(m, o, "final", &r.final);
    imp_text(m, o, "body", OPT, IMP_TITLE_MAX, &r.body);
    imp_text(m, o, "session", OPT, IMP_TITLE_MAX, &r.session);
    imp_date(m, o, "date", OPT, &r.date);
    imp_text(m, o, "symbol", OPT, 100, &r.symbol);
    imp_text(m, o, "section", OPT, IMP_TITLE_MAX, &r.section);
    imp_text(m, o, "section_code", OPT, 40, &r.section_code);
    imp_text(m, o, "original_language", OPT, 40, &r.original_language);
    imp_text(m, o, "title", OPT, IMP_TITLE_MAX, &r.title);
    imp_text(m, o, "summary", OPT, IMP_TEXT_MAX, &r.summary);
    imp_text(m, o, "author_unit", OPT, IMP_TITLE_MAX, &r.author_unit);
    imp_text(m, o, "introduction", OPT, IMP_TEXT_MAX, &r.introduction);
    imp_int(m, o, "stated_projects", OPT, 0, 1000000000, &r.stated_projects);
    imp_int(m, o, "stated_new_or_major", OPT, 0, 1000000000, &r.stated_new_or_major);
    int64_t id = 0;
    if (r.year != DB_NULL_INT) {
        char k[24];
        snprintf(k, sizeof k, "%lld", (long long)r.year);
        if (!strmap_put(years, k, 1))
            imp_err(m, "year", "a report for %lld appears more than once", (long long)r.year);
        else imp_insert(m, T_REPORT, &r, &id, "the report");
    }
    imp_strings(m, o, "related_documents", 100, 0, 0, 0, "documents", imp_related, &id);
}

/* ---- the document ----------------------------------------------------- */

typedef void (*ElementFn)(Imp *, json_t *, size_t, void *);

/* Reads the array member key of doc element by element. */
static int imp_stream(Imp *m, const JsonDoc *doc, const char *key, const char *what,
                      void (*fn)(Imp *, json_t *, size_t, void *), void *arg)
{
    const JsonMember *mem = json_doc_get(doc, key);
    if (!mem) return 0;
    /* null means "not known", as a missing member does (docs/format.md). */
    if (mem->end - mem->start == 4 && memcmp(doc->data + mem->start, "null", 4) == 0) return 0;
    m->line = mem->line;
    /* The elements are parsed on another core while these are checked and
     * stored (json_pipe.h). */
    JsonPipe *pipe = json_pipe_start(doc, mem);
    if (!pipe) {
        imp_err(m, key, "must be an array");
        return 0;
    }
    json_t *e;
    long line;
    size_t index;
    Buf err = BUF_INIT;
    int rc;
    while ((rc = json_pipe_next(pipe, &e, &line, &index, &err)) == 1) {
        size_t mark = imp_path_push(m, "%s[%zu]", key, index);
        m->line = line;
        if (imp_is_object(m, e, what)) fn(m, e, index, arg);
        imp_path_pop(m, mark);
        json_pipe_done(pipe, e);
    }
    json_pipe_stop(pipe);
    m->line = 0;
    if (rc < 0) {
        /* A syntax error is reported alone: what was found before it, and
         * every missing reference it would cause after, only bury it. */
        buf_truncate(m->msgs, m->msgs_mark);
        m->nerr = 0;
        size_t mark = imp_path_push(m, "%s[%zu]", key, index);
        imp_err(m, NULL, "%s", buf_str(&err));
        imp_path_pop(m, mark);
        buf_free(&err);
        return -1; /* the rest of the array cannot be read */
    }
    buf_free(&err);
    return 0;
}

static void el_location(Imp *m, json_t *o, size_t i, void *a) { imp_location(m, o, i, a); }
static void el_outcome(Imp *m, json_t *o, size_t i, void *a) { imp_outcome(m, o, i, a); }
static void el_driver(Imp *m, json_t *o, size_t i, void *a) { imp_driver(m, o, i, a); }
static void el_indicator(Imp *m, json_t *o, size_t i, void *a) { (void)a; imp_indicator(m, o, i); }
static void el_project(Imp *m, json_t *o, size_t i, void *a)
{
    imp_project(m, o, i, a);
    testhook_pause("import-project", (long)i + 1);
}
static void el_risk(Imp *m, json_t *o, size_t i, void *a) { (void)a; imp_risk(m, o, i); }
static void el_service(Imp *m, json_t *o, size_t i, void *a) { (void)a; imp_service(m, o, i); }
static void el_expenditure(Imp *m, json_t *o, size_t i, void *a) { (void)a; imp_expenditure(m, o, i); }
static void el_committee(Imp *m, json_t *o, size_t i, void *a) { (void)a; imp_committee(m, o, i); }
static void el_report(Imp *m, json_t *o, size_t i, void *a) { imp_report(m, o, i, a); }

/* Counts rows of the new strategy for the summary line. */
static void imp_stats(Imp *m, ImportStats *st)
{
    st->nprojects = (long)m->projects.count;
    st->nindicators = (long)m->indicators.count;
    st->nrisks = (long)m->risks.count;
    st->nservices = (long)m->services.count;
}

/* Reads every member of doc in reference order into the open transaction. */
static void imp_document(Imp *m, const JsonDoc *doc)
{
    static const char *const top[] = {
        "format", "strategy", "locations", "outcomes", "drivers", "indicators", "projects",
        "risks", "services", "expenditure", "committees", "reports", NULL};
    for (size_t i = 0; i < doc->n; i++) {
        const char *const *t = top;
        while (*t && strcmp(*t, doc->members[i].key) != 0) t++;
        if (!*t) {
            m->line = doc->members[i].line;
            imp_err(m, doc->members[i].key, "unknown member of an itstrat document (known: "
                    "format, strategy, locations, outcomes, drivers, indicators, projects, risks, "
                    "services, expenditure, committees, reports)");
        }
    }
    m->line = 0;
    const JsonMember *strat = json_doc_get(doc, "strategy");
    if (!strat) {
        imp_err(m, "strategy", "required: the document has no strategy");
        return;
    }
    Buf err = BUF_INIT;
    json_t *so = json_member_parse(doc, strat, &err);
    m->line = strat->line;
    size_t mark = imp_path_push(m, "strategy");
    if (!so) imp_err(m, NULL, "%s", buf_str(&err));
    else if (imp_is_object(m, so, "the strategy")) imp_strategy(m, so);
    imp_path_pop(m, mark);
    json_decref(so);
    buf_free(&err);
    if (!m->sid) return;

    DeferredList parents = {0}, deps = {0};
    StrMap years = STRMAP_INIT;
    if (imp_stream(m, doc, "locations", "a location", el_location, &parents) ||
        imp_stream(m, doc, "outcomes", "an outcome", el_outcome, NULL) ||
        imp_stream(m, doc, "drivers", "a driver", el_driver, NULL) ||
        imp_stream(m, doc, "indicators", "an indicator", el_indicator, NULL) ||
        imp_stream(m, doc, "projects", "a project", el_project, &deps) ||
        imp_stream(m, doc, "risks", "a risk", el_risk, NULL) ||
        imp_stream(m, doc, "services", "a service", el_service, NULL) ||
        imp_stream(m, doc, "expenditure", "an expenditure line", el_expenditure, NULL) ||
        imp_stream(m, doc, "committees", "a committee", el_committee, NULL) ||
        imp_stream(m, doc, "reports", "a report", el_report, &years))
        goto out; /* a syntax error, reported alone */
    imp_resolve_parents(m, &parents);
    imp_resolve_deps(m, m->s, &deps);
out:
    deferred_free(&parents);
    deferred_free(&deps);
    strmap_free(&years);
}

/* Checks the "format" member: 0 when it says itstrat/1. */
static int imp_format(Imp *m, const JsonDoc *doc)
{
    const JsonMember *f = json_doc_get(doc, "format");
    if (!f) {
        imp_err(m, "format", "required: an itstrat document starts with \"format\": "
                             "\"itstrat/1\"");
        return -1;
    }
    m->line = f->line;
    Buf err = BUF_INIT;
    json_t *v = json_member_parse(doc, f, &err);
    int ok = v && json_is_string(v) && strcmp(json_string_value(v), "itstrat/1") == 0;
    if (!ok)
        imp_err(m, "format", "must be \"itstrat/1\"%s", json_is_string(v) ?
                " (this itstrat reads version 1 of the format)" : "");
    json_decref(v);
    buf_free(&err);
    m->line = 0;
    return ok ? 0 : -1;
}

static void imp_free(Imp *m)
{
    StrMap *maps[] = {&m->categories, &m->locations, &m->outputs, &m->drivers, &m->indicators,
                      &m->projects, &m->risks, &m->services, &m->committees, &m->kri};
    for (size_t i = 0; i < sizeof maps / sizeof *maps; i++) strmap_free(maps[i]);
    buf_free(&m->path);
    free(m->scode);
}

/* Digest of the current export of strategy sid; 0 when there is none. */
static int imp_digest(Db *db, int64_t sid, unsigned char out[32])
{
    memset(out, 0, 32);
    return sid > 0 ? export_json_digest(db, sid, out) : 0;
}

/* Appends the audit entry of an import into the open transaction: before is
 * the old export digest (NULL for a new strategy: a creation), after the new
 * one (NULL when not computed: a new strategy's digest would cost a second
 * pass over every row), the BLAKE2b-256 of the document's bytes (equal to
 * the export digest when the file is canonical) and the counts of both. */
static int imp_audit(Db *db, const char *code, const unsigned char *before,
                     const StatTotals *old, const unsigned char *after,
                     const unsigned char doc[32], const ImportStats *st)
{
    char hex[65];
    Buf b = BUF_INIT, a = BUF_INIT;
    if (before) {
        sodium_bin2hex(hex, sizeof hex, before, 32);
        buf_printf(&b, "{\"digest\": \"%s\", \"projects\": %lld, \"indicators\": %lld, "
                   "\"risks\": %lld, \"services\": %lld}", hex, (long long)old->projects,
                   (long long)old->indicators, (long long)old->risks, (long long)old->services);
    }
    buf_puts(&a, "{");
    if (after) {
        sodium_bin2hex(hex, sizeof hex, after, 32);
        buf_printf(&a, "\"digest\": \"%s\", ", hex);
    }
    sodium_bin2hex(hex, sizeof hex, doc, 32);
    buf_printf(&a, "\"document\": \"%s\", \"projects\": %ld, \"indicators\": %ld, "
               "\"risks\": %ld, \"services\": %ld}", hex, st->nprojects, st->nindicators,
               st->nrisks, st->nservices);
    int rc = audit_append(db, NULL, "import", "strategy", code, before ? buf_str(&b) : NULL,
                          buf_str(&a));
    buf_free(&b);
    buf_free(&a);
    return rc;
}

/* The BLAKE2b-256 of the document's bytes, computed on another core while
 * the document is checked and stored (0.07 s for 100 MB off the critical
 * path). */
typedef struct DocHash {
    const unsigned char *p;  /* the document (borrowed) */
    size_t n;
    unsigned char out[32];
    pthread_t thread;
    int running;             /* 1 between pthread_create() and the join */
} DocHash;

static void *doc_hash_run(void *arg)
{
    DocHash *h = arg;
    crypto_generichash(h->out, sizeof h->out, h->p, h->n, NULL, 0);
    return NULL;
}

static void doc_hash_start(DocHash *h, const char *data, size_t len)
{
    h->p = (const unsigned char *)data;
    h->n = len;
    h->running = pthread_create(&h->thread, NULL, doc_hash_run, h) == 0;
}

/* Waits for the hash (or computes it here when no thread could start). */
static const unsigned char *doc_hash_result(DocHash *h)
{
    if (h->running) pthread_join(h->thread, NULL);
    else doc_hash_run(h);
    h->running = 0;
    return h->out;
}

int import_json(Db *db, const char *data, size_t len, Buf *msgs, ImportStats *stats)
{
    ImportStats dummy;
    if (!stats) stats = &dummy;
    memset(stats, 0, sizeof *stats);
    Buf err = BUF_INIT;
    JsonDoc doc;
    if (json_doc_scan(&doc, data, len, &err)) {
        buf_printf(msgs, "%s\n", buf_str(&err));
        buf_free(&err);
        return IMPORT_FAILED;
    }
    buf_free(&err);
    Store s;
    store_init(&s, db);
    Imp m = {.s = &s, .msgs = msgs, .msgs_mark = msgs->n};
    int rc = IMPORT_FAILED;
    DocHash dochash = {0};
    if (imp_format(&m, &doc)) goto out;
    doc_hash_start(&dochash, data, len);
    if (db_begin(db)) {
        buf_printf(msgs, "%s: cannot start a transaction: %s\n", db_path(db), db_errmsg(db));
        goto out;
    }
    /* The code decides which strategy is replaced: read it first. */
    int64_t old = 0;
    unsigned char before[32], after[32];
    const JsonMember *sm = json_doc_get(&doc, "strategy");
    if (sm) {
        json_t *so = json_member_parse(&doc, sm, &err);
        json_t *code = so ? json_object_get(so, "code") : NULL;
        if (json_is_string(code)) {
            old = store_strategy_id(&s, json_string_value(code));
            snprintf(stats->code, sizeof stats->code, "%s", json_string_value(code));
        }
        json_decref(so);
        buf_free(&err);
    }
    StatTotals old_totals = {0};
    if (old > 0) {
        PortfolioStats ps;
        if (store_stats(&s, old, DB_NULL_INT, &ps)) {
            buf_printf(msgs, "%s: %s\n", db_path(db), db_errmsg(db));
            db_rollback(db);
            goto out;
        }
        old_totals = ps.totals;
        store_stats_free(&ps);
    }
    if (old < 0 || imp_digest(db, old, before) || (old > 0 && store_strategy_delete(&s, old))) {
        buf_printf(msgs, "%s: %s\n", db_path(db), db_errmsg(db));
        db_rollback(db);
        goto out;
    }
    store_done(&s); /* statements prepared before the delete are not reused */
    imp_document(&m, &doc);
    if (m.nerr) {
        if (m.nerr > IMP_MAX_SHOWN)
            buf_printf(msgs, "... and %ld more problems\n", m.nerr - IMP_MAX_SHOWN);
        db_rollback(db);
        goto out;
    }
    store_done(&s);
    int have_after = old > 0 && export_json_digest(db, m.sid, after) == 0;
    if (have_after && memcmp(before, after, 32) == 0) {
        db_rollback(db);
        rc = IMPORT_UNCHANGED;
        imp_stats(&m, stats);
        goto out;
    }
    imp_stats(&m, stats);
    if (imp_audit(db, m.scode ? m.scode : stats->code, old > 0 ? before : NULL, &old_totals,
                  have_after ? after : NULL, doc_hash_result(&dochash), stats)) {
        buf_printf(msgs, "%s: could not record the import in the audit trail: %s\n",
                   db_path(db), db_errmsg(db));
        db_rollback(db);
        goto out;
    }
    testhook_pause("import-commit", 0);
    if (db_commit(db)) {
        buf_printf(msgs, "%s: could not commit the import: %s\n", db_path(db), db_errmsg(db));
        db_rollback(db);
        goto out;
    }
    testhook_pause("import-committed", 0);
    stats->replaced = old > 0;
    imp_stats(&m, stats);
    rc = IMPORT_DONE;
out:
    if (dochash.running) pthread_join(dochash.thread, NULL);
    store_done(&s);
    imp_free(&m);
    json_doc_free(&doc);
    return rc;
}

int import_json_file(Db *db, const char *path, Buf *msgs, ImportStats *stats)
{
    size_t len;
    int fd = import_open(path, "documents", "split the strategy or remove attachments", msgs,
                         &len);
    if (fd < 0) return IMPORT_FAILED;
    /* Mapped, not copied: the document is read once, front to back. */
    char *data = len ? mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0) : NULL;
    close(fd);
    if (data == MAP_FAILED) {
        buf_printf(msgs, "%s: cannot read: %s\n", path, strerror(errno));
        return IMPORT_FAILED;
    }
    if (data) posix_madvise(data, len, POSIX_MADV_SEQUENTIAL);
    Buf inner = BUF_INIT;
    int rc = import_json(db, data, len, &inner, stats);
    /* Prefix every problem with the file name, as compilers do. */
    const char *p = buf_str(&inner);
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        buf_printf(msgs, "%s: %.*s\n", path, (int)n, p);
        p += n + (nl != NULL);
    }
    buf_free(&inner);
    if (data) munmap(data, len);
    return rc;
}
