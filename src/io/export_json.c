/*
 * export_json.c — a strategy as a document of format itstrat/1.
 *
 * One query per table, children read in lockstep with their parents
 * (store_child), so a 100,000-project export runs about thirty queries, not
 * hundreds of thousands. Keys follow the order of docs/format.md.
 */
#include <sodium.h>
#include <string.h>

#include "export.h"
#include "store.h"

/* Every cursor the export reads, opened together. */
typedef struct Ex {
    Store s;
    StoreCursor c[Q__COUNT];
    JsonW *w;
} Ex;

void export_json_strategy_fields(JsonW *w, const StrategyRow *r)
{
    jw_key(w, "code"), jw_string(w, r->code);
    jw_key(w, "title"), jw_string(w, r->title);
    jw_opt_string(w, "organization", r->organization);
    jw_key(w, "first_year"), jw_int(w, r->first_year);
    jw_key(w, "last_year"), jw_int(w, r->last_year);
    jw_key(w, "biennium_start"), jw_string(w, r->biennium_start);
    jw_opt_string(w, "approved_by", r->approved_by);
    jw_opt_string(w, "approved_on", r->approved_on);
    jw_opt_string(w, "summary", r->summary);
    jw_key(w, "currency"), jw_string(w, r->currency);
}

static void ex_strategy(Ex *x, const StrategyRow *r)
{
    JsonW *w = x->w;
    jw_key(w, "strategy");
    jw_object(w);
    export_json_strategy_fields(w, r);
    jw_opt_true(w, "public", r->is_public);
    jw_key(w, "categories");
    jw_array(w);
    for (const CategoryRow *c; (c = store_child(&x->c[Q_CATEGORIES], 0)); store_advance(&x->c[Q_CATEGORIES])) {
        jw_object(w);
        jw_key(w, "code"), jw_string(w, c->code);
        jw_key(w, "name"), jw_string(w, c->name);
        jw_opt_true(w, "new_or_major", c->new_or_major);
        jw_end(w);
    }
    jw_end(w);
    if (r->risk_matrix && strlen(r->risk_matrix) == 25) {
        static const char *const names[] = {['l'] = "low", ['m'] = "medium", ['h'] = "high",
                                            ['c'] = "critical"};
        jw_key(w, "risk_matrix");
        jw_array(w);
        for (int p = 0; p < 5; p++) {
            jw_array(w);
            for (int i = 0; i < 5; i++) {
                unsigned char ch = (unsigned char)r->risk_matrix[p * 5 + i];
                jw_string(w, ch < sizeof names / sizeof *names && names[ch] ? names[ch] : "low");
            }
            jw_end(w);
        }
        jw_end(w);
    }
    jw_end(w);
}

static void ex_locations(Ex *x)
{
    JsonW *w = x->w;
    StoreCursor *c = &x->c[Q_LOCATIONS];
    jw_key(w, "locations");
    jw_array(w);
    for (const LocationRow *r; (r = store_child(c, 0)); store_advance(c)) {
        jw_object(w);
        jw_key(w, "code"), jw_string(w, r->code);
        jw_key(w, "name"), jw_string(w, r->name);
        jw_key(w, "kind"), jw_string(w, r->kind);
        jw_opt_string(w, "parent", r->parent_code);
        jw_end(w);
    }
    jw_end(w);
}

static void ex_outcomes(Ex *x)
{
    JsonW *w = x->w;
    StoreCursor *oc = &x->c[Q_OUTCOMES], *op = &x->c[Q_OUTPUTS], *dl = &x->c[Q_DELIVERABLES];
    jw_key(w, "outcomes");
    jw_array(w);
    for (const OutcomeRow *r; (r = store_child(oc, 0)); store_advance(oc)) {
        jw_object(w);
        jw_key(w, "number"), jw_int(w, r->number);
        jw_key(w, "title"), jw_string(w, r->title);
        jw_opt_string(w, "description", r->description);
        jw_key(w, "outputs");
        jw_array(w);
        for (const OutputRow *o; (o = store_child(op, r->id)); store_advance(op)) {
            jw_object(w);
            jw_key(w, "code"), jw_string(w, o->code);
            jw_key(w, "title"), jw_string(w, o->title);
            jw_opt_string(w, "description", o->description);
            jw_key(w, "deliverables");
            jw_array(w);
            for (const DeliverableRow *d; (d = store_child(dl, o->id)); store_advance(dl))
                jw_string(w, d->text);
            jw_end(w);
            jw_end(w);
        }
        jw_end(w);
        jw_end(w);
    }
    jw_end(w);
}

static void ex_drivers(Ex *x)
{
    JsonW *w = x->w;
    StoreCursor *c = &x->c[Q_DRIVERS];
    jw_key(w, "drivers");
    jw_array(w);
    for (const DriverRow *r; (r = store_child(c, 0)); store_advance(c)) {
        jw_object(w);
        jw_key(w, "code"), jw_string(w, r->code);
        jw_key(w, "title"), jw_string(w, r->title);
        jw_opt_string(w, "description", r->description);
        jw_end(w);
    }
    jw_end(w);
}

/* Writes the outcome/output/driver members of a project or indicator. */
static void ex_home(JsonW *w, int64_t outcome, const char *output, const char *driver)
{
    jw_opt_int(w, "outcome", outcome);
    jw_opt_string(w, "output", output);
    jw_opt_string(w, "driver", driver);
}

static void ex_indicators(Ex *x)
{
    JsonW *w = x->w;
    StoreCursor *c = &x->c[Q_INDICATORS], *ms = &x->c[Q_MILESTONES], *me = &x->c[Q_MEASUREMENTS];
    jw_key(w, "indicators");
    jw_array(w);
    for (const IndicatorRow *r; (r = store_child(c, 0)); store_advance(c)) {
        jw_object(w);
        jw_key(w, "code"), jw_string(w, r->code);
        jw_key(w, "kind"), jw_string(w, r->kind);
        jw_key(w, "title"), jw_string(w, r->title);
        jw_opt_string(w, "description", r->description);
        ex_home(w, r->outcome_number, r->output_code, r->driver_code);
        jw_opt_string(w, "unit", r->unit);
        jw_key(w, "direction"), jw_string(w, r->direction);
        if (r->baseline_value == r->baseline_value) {
            jw_key(w, "baseline");
            jw_object(w);
            jw_key(w, "value"), jw_double(w, r->baseline_value);
            jw_opt_int(w, "year", r->baseline_year);
            jw_end(w);
        }
        jw_key(w, "milestones");
        jw_array(w);
        for (const MilestoneRow *m; (m = store_child(ms, r->id)); store_advance(ms)) {
            jw_object(w);
            jw_key(w, "period"), jw_string(w, m->period);
            jw_key(w, "value"), jw_double(w, m->value);
            jw_end(w);
        }
        jw_end(w);
        jw_opt_double(w, "target", r->target);
        jw_key(w, "measurements");
        jw_array(w);
        for (const MeasurementRow *m; (m = store_child(me, r->id)); store_advance(me)) {
            jw_object(w);
            jw_key(w, "date"), jw_string(w, m->date);
            jw_key(w, "value"), jw_double(w, m->value);
            jw_opt_string(w, "source", m->source);
            jw_opt_string(w, "note", m->note);
            jw_end(w);
        }
        jw_end(w);
        jw_end(w);
    }
    jw_end(w);
}

static void ex_project(Ex *x, const ProjectRow *r)
{
    JsonW *w = x->w;
    StoreCursor *yc = &x->c[Q_PROJECT_YEARS], *lc = &x->c[Q_PROJECT_LOCATIONS],
                *dc = &x->c[Q_DEPENDENCIES], *uc = &x->c[Q_UPDATES], *fc = &x->c[Q_FOOTNOTES],
                *tc = &x->c[Q_TAGS];
    jw_object(w);
    jw_key(w, "code"), jw_string(w, r->code);
    jw_key(w, "title"), jw_string(w, r->title);
    jw_opt_string(w, "summary", r->summary);
    ex_home(w, r->outcome_number, r->output_code, r->driver_code);
    jw_opt_string(w, "category", r->category_code);
    jw_key(w, "years");
    jw_array(w);
    for (const ProjectYearRow *y; (y = store_child(yc, r->id)); store_advance(yc)) jw_int(w, y->year);
    jw_end(w);
    jw_key(w, "status"), jw_string(w, r->status);
    jw_opt_string(w, "planned_start", r->planned_start);
    jw_opt_string(w, "planned_end", r->planned_end);
    jw_opt_string(w, "actual_start", r->actual_start);
    jw_opt_string(w, "actual_end", r->actual_end);
    jw_opt_money(w, "budget", r->budget);
    jw_opt_money(w, "actual_cost", r->actual_cost);
    jw_opt_string(w, "currency", r->currency);
    jw_opt_string(w, "unit", r->unit);
    jw_opt_string(w, "source", r->source);
    jw_key(w, "locations");
    jw_array(w);
    for (const ProjectLocationRow *l; (l = store_child(lc, r->id)); store_advance(lc)) {
        jw_object(w);
        jw_key(w, "location"), jw_string(w, l->location_code);
        jw_key(w, "status"), jw_string(w, l->status);
        jw_opt_string(w, "date", l->date);
        jw_opt_string(w, "note", l->note);
        jw_end(w);
    }
    jw_end(w);
    jw_key(w, "depends_on");
    jw_array(w);
    for (const DependencyRow *d; (d = store_child(dc, r->id)); store_advance(dc))
        jw_string(w, d->depends_on_code);
    jw_end(w);
    jw_key(w, "updates");
    jw_array(w);
    for (const UpdateRow *u; (u = store_child(uc, r->id)); store_advance(uc)) {
        jw_object(w);
        jw_key(w, "date"), jw_string(w, u->date);
        jw_key(w, "text"), jw_string(w, u->text);
        jw_opt_int(w, "report_year", u->report_year);
        jw_key(w, "footnotes");
        jw_array(w);
        for (const FootnoteRow *f; (f = store_child(fc, u->id)); store_advance(fc))
            jw_string(w, f->text);
        jw_end(w);
        jw_opt_string(w, "source", u->source);
        jw_end(w);
    }
    jw_end(w);
    jw_key(w, "tags");
    jw_array(w);
    for (const TagRow *t; (t = store_child(tc, r->id)); store_advance(tc)) jw_string(w, t->tag);
    jw_end(w);
    jw_end(w);
}

static void ex_risks(Ex *x)
{
    JsonW *w = x->w;
    StoreCursor *c = &x->c[Q_RISKS], *ac = &x->c[Q_RISK_ACTIONS], *ic = &x->c[Q_RISK_INDICATORS];
    jw_key(w, "risks");
    jw_array(w);
    for (const RiskRow *r; (r = store_child(c, 0)); store_advance(c)) {
        jw_object(w);
        jw_key(w, "code"), jw_string(w, r->code);
        jw_key(w, "title"), jw_string(w, r->title);
        jw_opt_string(w, "description", r->description);
        jw_opt_string(w, "category", r->category);
        jw_opt_string(w, "owner", r->owner);
        if (r->inherent_probability != DB_NULL_INT) {
            jw_key(w, "inherent");
            jw_object(w);
            jw_key(w, "probability"), jw_int(w, r->inherent_probability);
            jw_key(w, "impact"), jw_int(w, r->inherent_impact);
            jw_end(w);
        }
        if (r->residual_probability != DB_NULL_INT) {
            jw_key(w, "residual");
            jw_object(w);
            jw_key(w, "probability"), jw_int(w, r->residual_probability);
            jw_key(w, "impact"), jw_int(w, r->residual_impact);
            jw_end(w);
        }
        jw_key(w, "actions");
        jw_array(w);
        for (const RiskActionRow *a; (a = store_child(ac, r->id)); store_advance(ac)) {
            jw_object(w);
            jw_key(w, "title"), jw_string(w, a->title);
            jw_key(w, "status"), jw_string(w, a->status);
            jw_opt_string(w, "due", a->due);
            jw_opt_string(w, "owner", a->owner);
            jw_end(w);
        }
        jw_end(w);
        jw_key(w, "indicators");
        jw_array(w);
        for (const RiskIndicatorRow *i; (i = store_child(ic, r->id)); store_advance(ic))
            jw_string(w, i->indicator_code);
        jw_end(w);
        jw_end(w);
    }
    jw_end(w);
}

static void ex_services(Ex *x)
{
    JsonW *w = x->w;
    StoreCursor *c = &x->c[Q_SERVICES], *mc = &x->c[Q_SERVICE_MEASUREMENTS];
    jw_key(w, "services");
    jw_array(w);
    for (const ServiceRow *r; (r = store_child(c, 0)); store_advance(c)) {
        jw_object(w);
        jw_key(w, "code"), jw_string(w, r->code);
        jw_key(w, "name"), jw_string(w, r->name);
        jw_opt_string(w, "description", r->description);
        jw_opt_double(w, "availability_target", r->availability_target);
        jw_opt_double(w, "response_hours", r->response_hours);
        jw_opt_double(w, "resolution_hours", r->resolution_hours);
        jw_key(w, "measurements");
        jw_array(w);
        for (const ServiceMeasurementRow *m; (m = store_child(mc, r->id)); store_advance(mc)) {
            jw_object(w);
            jw_key(w, "period"), jw_string(w, m->period);
            jw_opt_double(w, "availability", m->availability);
            jw_opt_double(w, "response_hours", m->response_hours);
            jw_opt_double(w, "resolution_hours", m->resolution_hours);
            jw_end(w);
        }
        jw_end(w);
        jw_end(w);
    }
    jw_end(w);
}

static void ex_expenditure(Ex *x)
{
    JsonW *w = x->w;
    StoreCursor *c = &x->c[Q_EXPENDITURE];
    jw_key(w, "expenditure");
    jw_array(w);
    for (const ExpenditureRow *r; (r = store_child(c, 0)); store_advance(c)) {
        jw_object(w);
        jw_key(w, "year"), jw_int(w, r->year);
        jw_key(w, "category"), jw_string(w, r->category);
        jw_opt_string(w, "unit", r->unit);
        jw_key(w, "amount"), jw_money(w, r->amount);
        jw_opt_string(w, "currency", r->currency);
        jw_opt_string(w, "project", r->project_code);
        jw_opt_string(w, "note", r->note);
        jw_end(w);
        jw_flush(w);
    }
    jw_end(w);
}

static void ex_committees(Ex *x)
{
    JsonW *w = x->w;
    StoreCursor *c = &x->c[Q_COMMITTEES], *mc = &x->c[Q_MEETINGS], *dc = &x->c[Q_DECISIONS],
                *pc = &x->c[Q_DECISION_PROJECTS];
    jw_key(w, "committees");
    jw_array(w);
    for (const CommitteeRow *r; (r = store_child(c, 0)); store_advance(c)) {
        jw_object(w);
        jw_key(w, "code"), jw_string(w, r->code);
        jw_key(w, "name"), jw_string(w, r->name);
        jw_opt_string(w, "charter", r->charter);
        jw_key(w, "meetings");
        jw_array(w);
        for (const MeetingRow *m; (m = store_child(mc, r->id)); store_advance(mc)) {
            jw_object(w);
            jw_key(w, "date"), jw_string(w, m->date);
            jw_opt_string(w, "title", m->title);
            jw_key(w, "decisions");
            jw_array(w);
            for (const DecisionRow *d; (d = store_child(dc, m->id)); store_advance(dc)) {
                jw_object(w);
                jw_key(w, "text"), jw_string(w, d->text);
                jw_key(w, "kind"), jw_string(w, d->kind);
                jw_key(w, "projects");
                jw_array(w);
                for (const DecisionProjectRow *p; (p = store_child(pc, d->id)); store_advance(pc))
                    jw_string(w, p->project_code);
                jw_end(w);
                jw_end(w);
            }
            jw_end(w);
            jw_end(w);
        }
        jw_end(w);
        jw_end(w);
    }
    jw_end(w);
}

static void ex_reports(Ex *x)
{
    JsonW *w = x->w;
    StoreCursor *c = &x->c[Q_REPORTS], *rc = &x->c[Q_REPORT_RELATED];
    jw_key(w, "reports");
    jw_array(w);
    for (const ReportRow *r; (r = store_child(c, 0)); store_advance(c)) {
        jw_object(w);
        jw_key(w, "year"), jw_int(w, r->year);
        jw_opt_true(w, "final", r->final);
        jw_opt_string(w, "body", r->body);
        jw_opt_string(w, "session", r->session);
        jw_opt_string(w, "date", r->date);
        jw_opt_string(w, "symbol", r->symbol);
        jw_opt_string(w, "section", r->section);
        jw_opt_string(w, "section_code", r->section_code);
        jw_opt_string(w, "original_language", r->original_language);
        jw_opt_string(w, "title", r->title);
        jw_opt_string(w, "summary", r->summary);
        jw_opt_string(w, "author_unit", r->author_unit);
        jw_key(w, "related_documents");
        jw_array(w);
        for (const ReportRelatedRow *d; (d = store_child(rc, r->id)); store_advance(rc))
            jw_string(w, d->symbol);
        jw_end(w);
        jw_opt_string(w, "introduction", r->introduction);
        jw_opt_int(w, "stated_projects", r->stated_projects);
        jw_opt_int(w, "stated_new_or_major", r->stated_new_or_major);
        jw_end(w);
    }
    jw_end(w);
}

int export_json(Db *db, int64_t sid, JsonW *w)
{
    Ex x;
    memset(&x, 0, sizeof x);
    x.w = w;
    store_init(&x.s, db);
    int rc = -1;
    for (int q = Q_STRATEGY; q < Q__COUNT; q++)
        if (store_open(&x.s, &x.c[q], (StoreQuery)q, sid)) goto out;
    const StrategyRow *s = store_child(&x.c[Q_STRATEGY], 0);
    if (!s) goto out;
    jw_object(w);
    jw_key(w, "format"), jw_string(w, "itstrat/1");
    ex_strategy(&x, s);
    ex_locations(&x);
    ex_outcomes(&x);
    ex_drivers(&x);
    ex_indicators(&x);
    StoreCursor *pc = &x.c[Q_PROJECTS];
    jw_key(w, "projects");
    jw_array(w);
    for (const ProjectRow *p; (p = store_child(pc, 0)); store_advance(pc)) {
        ex_project(&x, p);
        jw_flush(w);
    }
    jw_end(w);
    ex_risks(&x);
    ex_services(&x);
    ex_expenditure(&x);
    ex_committees(&x);
    ex_reports(&x);
    jw_end(w);
    rc = 0;
    for (int q = Q_STRATEGY; q < Q__COUNT; q++)
        if (x.c[q].failed) rc = -1;
    if (jw_finish(w)) rc = -1;
out:
    for (int q = 0; q < Q__COUNT; q++)
        if (x.c[q].row) store_close(&x.c[q]);
    store_done(&x.s);
    return rc;
}

int export_json_file(Db *db, int64_t sid, FILE *out, Buf *err)
{
    Buf b = BUF_INIT;
    JsonW w;
    jw_init(&w, &b, jw_sink_file, out);
    int rc = export_json(db, sid, &w);
    if (rc && w.io_error) buf_printf(err, "could not write the export (disk full?)");
    else if (rc) buf_printf(err, "could not read the strategy: %s", db_errmsg(db));
    buf_free(&b);
    return rc;
}

/* A JsonW sink feeding a BLAKE2b state. */
static int ex_hash_sink(void *ctx, const char *p, size_t n)
{
    crypto_generichash_update(ctx, (const unsigned char *)p, n);
    return 0;
}

int export_json_digest(Db *db, int64_t sid, unsigned char out[32])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, 32);
    Buf b = BUF_INIT;
    JsonW w;
    jw_init(&w, &b, ex_hash_sink, &st);
    int rc = export_json(db, sid, &w);
    crypto_generichash_final(&st, out, 32);
    buf_free(&b);
    return rc;
}
