/* report_data.c — see report_data.h. */
#include "report_data.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

/* The queries the report reads, opened together and read in lockstep. */
static const StoreQuery rd_queries[] = {
    Q_STRATEGY, Q_CATEGORIES, Q_OUTCOMES, Q_OUTPUTS, Q_DRIVERS, Q_INDICATORS,
    Q_MILESTONES, Q_MEASUREMENTS, Q_PROJECTS, Q_PROJECT_YEARS, Q_UPDATES, Q_FOOTNOTES,
    Q_RISKS, Q_RISK_ACTIONS, Q_SERVICES, Q_SERVICE_MEASUREMENTS, Q_EXPENDITURE, Q_REPORTS,
    Q_REPORT_RELATED};
#define RD_NQ (sizeof rd_queries / sizeof *rd_queries)

typedef struct Loader {
    RData *rd;
    Store s;
    StoreCursor c[Q__COUNT];
    int64_t *outcome_id, *output_id, *driver_id; /* row ids parallel to the lists */
} Loader;

static int year_of(const char *date)
{
    return date && strlen(date) >= 4 ? atoi(date) : 0;
}

static const char *dup(RData *rd, const char *s)
{
    return arena_strdup(&rd->arena, s);
}

/* Index of id in ids[0..n), or -1. */
static int find_id(const int64_t *ids, size_t n, int64_t id)
{
    for (size_t k = 0; k < n; k++)
        if (ids[k] == id) return (int)k;
    return -1;
}

/* The home of a row from its three references. */
static void rd_home(Loader *l, int64_t outcome_id, int64_t output_id, int64_t driver_id,
                    int *kind, int *home)
{
    RData *rd = l->rd;
    *kind = -1;
    *home = -1;
    if (output_id != DB_NULL_INT) {
        *kind = HOME_OUTPUT;
        *home = find_id(l->output_id, rd->noutputs, output_id);
    } else if (outcome_id != DB_NULL_INT) {
        *kind = HOME_OUTCOME;
        *home = find_id(l->outcome_id, rd->noutcomes, outcome_id);
    } else if (driver_id != DB_NULL_INT) {
        *kind = HOME_DRIVER;
        *home = find_id(l->driver_id, rd->ndrivers, driver_id);
    }
    if (*home < 0) *kind = -1;
}

static void rd_structure(Loader *l)
{
    RData *rd = l->rd;
    Arena *a = &rd->arena;
    for (const CategoryRow *r; (r = store_child(&l->c[Q_CATEGORIES], 0));
         store_advance(&l->c[Q_CATEGORIES]))
        rd->ncategories++;
    StoreCursor *oc = &l->c[Q_OUTCOMES], *op = &l->c[Q_OUTPUTS];
    for (const OutcomeRow *r; (r = store_child(oc, 0)); store_advance(oc)) {
        int64_t outcome_id = r->id;
        rd->outcomes = arena_grow(a, rd->outcomes, rd->noutcomes, sizeof *rd->outcomes);
        l->outcome_id = arena_grow(a, l->outcome_id, rd->noutcomes, sizeof *l->outcome_id);
        l->outcome_id[rd->noutcomes] = outcome_id;
        rd->outcomes[rd->noutcomes++] =
            (ROutcome){(int)r->number, dup(rd, r->title), dup(rd, r->description)};
        for (const OutputRow *o; (o = store_child(op, outcome_id)); store_advance(op)) {
            rd->outputs = arena_grow(a, rd->outputs, rd->noutputs, sizeof *rd->outputs);
            l->output_id = arena_grow(a, l->output_id, rd->noutputs, sizeof *l->output_id);
            l->output_id[rd->noutputs] = o->id;
            rd->outputs[rd->noutputs++] = (ROutput){dup(rd, o->code), dup(rd, o->title),
                                                    dup(rd, o->description),
                                                    (int)rd->noutcomes - 1};
        }
    }
    for (const DriverRow *r; (r = store_child(&l->c[Q_DRIVERS], 0));
         store_advance(&l->c[Q_DRIVERS])) {
        rd->drivers = arena_grow(a, rd->drivers, rd->ndrivers, sizeof *rd->drivers);
        l->driver_id = arena_grow(a, l->driver_id, rd->ndrivers, sizeof *l->driver_id);
        l->driver_id[rd->ndrivers] = r->id;
        rd->drivers[rd->ndrivers++] =
            (RDriver){dup(rd, r->code), dup(rd, r->title), dup(rd, r->description)};
    }
}

/* Whether a project with work-plan years [first, last] (and the years in
 * between as listed) belongs to the report: the year's work plan, or for a
 * final report any year of the period. */
static void rd_projects(Loader *l)
{
    RData *rd = l->rd;
    Arena *a = &rd->arena;
    StoreCursor *yc = &l->c[Q_PROJECT_YEARS], *uc = &l->c[Q_UPDATES], *fc = &l->c[Q_FOOTNOTES];
    for (const ProjectRow *r; (r = store_child(&l->c[Q_PROJECTS], 0));
         store_advance(&l->c[Q_PROJECTS])) {
        RProject p = {0};
        p.code = dup(rd, r->code);
        p.title = dup(rd, r->title);
        p.status = dup(rd, r->status);
        p.category = dup(rd, r->category_code);
        p.actual_end = dup(rd, r->actual_end);
        rd_home(l, r->outcome_id, r->output_id, r->driver_id, &p.home_kind, &p.home);
        for (const ProjectYearRow *y; (y = store_child(yc, r->id)); store_advance(yc)) {
            int yr = (int)y->year;
            if (!p.first_year || yr < p.first_year) p.first_year = yr;
            if (yr > p.last_year) p.last_year = yr;
            if (rd->final ? (yr >= rd->first_year && yr <= rd->last_year) : yr == rd->year)
                p.in_year = 1;
        }
        int end = year_of(p.actual_end);
        p.completed_in_year = strcmp(p.status, "completed") == 0 &&
                              (end ? end == rd->year : p.last_year == rd->year);
        for (const UpdateRow *u; (u = store_child(uc, r->id)); store_advance(uc)) {
            int include = u->report_year == rd->year;
            if (include) {
                p.updates = arena_grow(a, p.updates, p.nupdates, sizeof *p.updates);
                p.updates[p.nupdates++] =
                    (RUpdate){dup(rd, u->date), dup(rd, u->text), dup(rd, u->source), NULL, 0};
            }
            for (const FootnoteRow *f; (f = store_child(fc, u->id)); store_advance(fc)) {
                if (!include) continue;
                RUpdate *pu = &p.updates[p.nupdates - 1];
                pu->footnotes = arena_grow(a, pu->footnotes, pu->nfootnotes, sizeof *pu->footnotes);
                pu->footnotes[pu->nfootnotes++] = dup(rd, f->text);
            }
        }
        rd->projects = arena_grow(a, rd->projects, rd->nprojects, sizeof *rd->projects);
        rd->projects[rd->nprojects++] = p;
    }
}

static void rd_indicators(Loader *l)
{
    RData *rd = l->rd;
    Arena *a = &rd->arena;
    StoreCursor *mc = &l->c[Q_MILESTONES], *ec = &l->c[Q_MEASUREMENTS];
    for (const IndicatorRow *r; (r = store_child(&l->c[Q_INDICATORS], 0));
         store_advance(&l->c[Q_INDICATORS])) {
        RIndicator x = {0};
        x.code = dup(rd, r->code);
        x.kind = dup(rd, r->kind);
        x.title = dup(rd, r->title);
        x.unit = dup(rd, r->unit);
        rd_home(l, r->outcome_id, r->output_id, r->driver_id, &x.home_kind, &x.home);
        RulesIndicator *ri = &x.rule;
        ri->down = r->direction && strcmp(r->direction, "down") == 0;
        ri->has_baseline = !isnan(r->baseline_value);
        ri->baseline = ri->has_baseline ? r->baseline_value : 0;
        ri->baseline_year = r->baseline_year == DB_NULL_INT ? rd->first_year - 1
                                                             : (int)r->baseline_year;
        ri->has_target = !isnan(r->target);
        ri->target = ri->has_target ? r->target : 0;
        ri->end_year = rd->last_year;
        RulesMilestone *ms = NULL;
        size_t nms = 0;
        for (const MilestoneRow *m; (m = store_child(mc, r->id)); store_advance(mc)) {
            int f, t;
            if (rules_period_parse(m->period, &f, &t)) continue;
            ms = arena_grow(a, ms, nms, sizeof *ms);
            x.milestone_period = arena_grow(a, x.milestone_period, nms, sizeof(char *));
            /* Keep the milestones in period order (the document may not). */
            size_t k = nms;
            while (k > 0 && ms[k - 1].first > f) {
                ms[k] = ms[k - 1];
                x.milestone_period[k] = x.milestone_period[k - 1];
                k--;
            }
            ms[k] = (RulesMilestone){f, t, m->value};
            x.milestone_period[k] = dup(rd, m->period);
            nms++;
        }
        RulesMeasurement *me = NULL;
        size_t nme = 0;
        for (const MeasurementRow *m; (m = store_child(ec, r->id)); store_advance(ec)) {
            me = arena_grow(a, me, nme, sizeof *me);
            x.measurement_date = arena_grow(a, x.measurement_date, nme, sizeof(char *));
            x.measurement_date[nme] = dup(rd, m->date);
            me[nme++] = (RulesMeasurement){year_of(m->date), m->value};
        }
        ri->milestones = ms;
        ri->nmilestones = nms;
        ri->measurements = me;
        ri->nmeasurements = nme;
        rd->indicators = arena_grow(a, rd->indicators, rd->nindicators, sizeof *rd->indicators);
        rd->indicators[rd->nindicators++] = x;
    }
}

static int small(int64_t v)
{
    return v == DB_NULL_INT ? 0 : (int)v;
}

static void rd_risks_services(Loader *l)
{
    RData *rd = l->rd;
    Arena *a = &rd->arena;
    StoreCursor *ac = &l->c[Q_RISK_ACTIONS], *mc = &l->c[Q_SERVICE_MEASUREMENTS];
    for (const RiskRow *r; (r = store_child(&l->c[Q_RISKS], 0)); store_advance(&l->c[Q_RISKS])) {
        RRisk x = {dup(rd, r->code), dup(rd, r->title), small(r->inherent_probability),
                   small(r->inherent_impact), small(r->residual_probability),
                   small(r->residual_impact), 0, 0};
        for (const RiskActionRow *act; (act = store_child(ac, r->id)); store_advance(ac)) {
            x.nactions++;
            if (strcmp(act->status, "done") == 0) x.nactions_done++;
        }
        rd->risks = arena_grow(a, rd->risks, rd->nrisks, sizeof *rd->risks);
        rd->risks[rd->nrisks++] = x;
    }
    int lo = rd->final ? rd->first_year : rd->year, hi = rd->year;
    for (const ServiceRow *r; (r = store_child(&l->c[Q_SERVICES], 0));
         store_advance(&l->c[Q_SERVICES])) {
        RService x = {dup(rd, r->code), dup(rd, r->name), r->availability_target,
                      r->response_hours, r->resolution_hours, 0, 0, 0, 0, 0};
        for (const ServiceMeasurementRow *m; (m = store_child(mc, r->id)); store_advance(mc)) {
            int y = year_of(m->period);
            if (y < lo || y > hi) continue;
            RulesSla sla = {x.availability_target, x.response_target, x.resolution_target,
                            m->availability, m->response_hours, m->resolution_hours};
            int c = rules_sla_month(&sla);
            if (c == SLA_MET) x.met++;
            else if (c == SLA_MISSED) x.missed++;
            else x.no_data++;
            if (!isnan(m->availability)) {
                x.availability_sum += m->availability;
                x.availability_n++;
            }
        }
        rd->services = arena_grow(a, rd->services, rd->nservices, sizeof *rd->services);
        rd->services[rd->nservices++] = x;
    }
    /* Spending in the strategy's currency, summed by year and category. */
    for (const ExpenditureRow *r; (r = store_child(&l->c[Q_EXPENDITURE], 0));
         store_advance(&l->c[Q_EXPENDITURE])) {
        if (r->year < lo || r->year > hi) continue;
        if (r->currency && rd->currency && strcmp(r->currency, rd->currency) != 0) continue;
        size_t k = 0;
        while (k < rd->nexpenses && !(rd->expenses[k].year == (int)r->year &&
                                      strcmp(rd->expenses[k].category, r->category) == 0))
            k++;
        if (k == rd->nexpenses) {
            rd->expenses = arena_grow(a, rd->expenses, rd->nexpenses, sizeof *rd->expenses);
            rd->expenses[rd->nexpenses++] = (RExpense){(int)r->year, dup(rd, r->category), 0};
        }
        rd->expenses[k].cents += r->amount;
    }
    rd->expense_currency = rd->currency;
}

/* The strategy and the report's metadata; checks the year. */
static int rd_head(Loader *l, Buf *err)
{
    RData *rd = l->rd;
    const StrategyRow *s = store_child(&l->c[Q_STRATEGY], 0);
    if (!s) return RDATA_STORE;
    rd->code = dup(rd, s->code);
    rd->title = dup(rd, s->title);
    rd->organization = dup(rd, s->organization);
    rd->currency = dup(rd, s->currency);
    rd->risk_matrix = dup(rd, s->risk_matrix);
    rd->approved_by = dup(rd, s->approved_by);
    rd->first_year = (int)s->first_year;
    rd->last_year = (int)s->last_year;
    rd->odd = s->biennium_start && strcmp(s->biennium_start, "odd") == 0;
    if (rd->year < rd->first_year || rd->year > rd->last_year) {
        buf_printf(err, "strategy %s runs from %d to %d: there is no report for %d\n", rd->code,
                   rd->first_year, rd->last_year, rd->year);
        return RDATA_NOTFOUND;
    }
    if (rd->final && rd->year != rd->last_year) {
        buf_printf(err, "a final report covers the whole period of strategy %s and is for its "
                        "last year, %d, not %d; leave out --final for a progress report\n",
                   rd->code, rd->last_year, rd->year);
        return RDATA_NOTFOUND;
    }
    StoreCursor *rc = &l->c[Q_REPORT_RELATED];
    int found = 0;
    for (const ReportRow *r; (r = store_child(&l->c[Q_REPORTS], 0));
         store_advance(&l->c[Q_REPORTS])) {
        int mine = r->year == rd->year;
        if (mine) {
            found = 1;
            rd->body = dup(rd, r->body);
            rd->session = dup(rd, r->session);
            rd->date = dup(rd, r->date);
            rd->symbol = dup(rd, r->symbol);
            rd->section = dup(rd, r->section);
            rd->section_code = dup(rd, r->section_code);
            rd->language = dup(rd, r->original_language);
            rd->doc_title = dup(rd, r->title);
            rd->summary = dup(rd, r->summary);
            rd->author_unit = dup(rd, r->author_unit);
            rd->introduction = dup(rd, r->introduction);
            rd->stated_projects = r->stated_projects;
            rd->stated_new_or_major = r->stated_new_or_major;
        }
        for (const ReportRelatedRow *d; (d = store_child(rc, r->id)); store_advance(rc)) {
            if (!mine) continue;
            rd->related = arena_grow(&rd->arena, rd->related, rd->nrelated, sizeof(char *));
            rd->related[rd->nrelated++] = dup(rd, d->symbol);
        }
    }
    if (!found) {
        buf_printf(err, "strategy %s has no report metadata for %d: add an entry with "
                        "\"year\": %d to \"reports\" (docs/format.md) and import it again\n",
                   rd->code, rd->year, rd->year);
        return RDATA_NOTFOUND;
    }
    return RDATA_OK;
}

int report_data_load(Db *db, int64_t sid, int year, int final, RData *rd, Buf *err)
{
    memset(rd, 0, sizeof *rd);
    rd->year = year;
    rd->final = final;
    rd->stated_projects = rd->stated_new_or_major = DB_NULL_INT;
    Loader l;
    memset(&l, 0, sizeof l);
    l.rd = rd;
    store_init(&l.s, db);
    int rc = RDATA_STORE;
    for (size_t k = 0; k < RD_NQ; k++)
        if (store_open(&l.s, &l.c[rd_queries[k]], rd_queries[k], sid)) goto out;
    rc = rd_head(&l, err);
    if (rc != RDATA_OK) goto out;
    rc = RDATA_STORE;
    rd_structure(&l);
    rd_projects(&l);
    rd_indicators(&l);
    rd_risks_services(&l);
    for (size_t k = 0; k < RD_NQ; k++)
        if (l.c[rd_queries[k]].failed) goto out;
    if (store_stats(&l.s, sid, year, &rd->stats)) goto out;
    if (final && store_stats(&l.s, sid, DB_NULL_INT, &rd->period_stats)) goto out;
    rc = RDATA_OK;
out:
    if (rc == RDATA_STORE) buf_printf(err, "cannot read %s: %s\n", db_path(db), db_errmsg(db));
    for (size_t k = 0; k < RD_NQ; k++)
        store_close(&l.c[rd_queries[k]]);
    store_done(&l.s);
    return rc;
}

void report_data_free(RData *rd)
{
    store_stats_free(&rd->stats);
    store_stats_free(&rd->period_stats);
    arena_free(&rd->arena);
}
