/*
 * api_registers.c — the registers as JSON, with the filters of their pages:
 *
 *   /api/v1/strategies/{s}/risks        level, category, date
 *   /api/v1/strategies/{s}/services     year, service
 *   /api/v1/strategies/{s}/expenditure  year, category, limit, offset
 *   /api/v1/strategies/{s}/governance   committee, kind
 *   /api/v1/strategies/{s}/reports      year
 *
 * Every array is written even when empty ([]); optional values are left
 * out when unknown. Money is a number in the currency's units (12345.67).
 * Bad parameters are a 400 naming the parameter (http_error answers JSON
 * here).
 */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "cache.h"
#include "date.h"
#include "json_w.h"
#include "registers_query.h"
#include "pages.h"
#include "store_registers.h"

/* Appends the cached answer of key to rs and returns 1; 0 when there is none. */
static int api_cached(Resp *rs, const char *key)
{
    if (!cache_get(key, &rs->body)) return 0;
    rs->content_type = "application/json";
    return 1;
}


static void api_begin(Req *rq, Resp *rs, JsonW *w)
{
    rs->content_type = "application/json";
    jw_init(w, &rs->body, NULL, NULL);
    jw_object(w);
    jw_key(w, "strategy"), jw_string(w, rq->strategy->code);
}

/* Closes the answer and keeps it under key (NULL: not kept). */
static void api_end(JsonW *w, Resp *rs, const char *key)
{
    jw_end(w);
    jw_finish(w);
    if (key) cache_put(key, rs->body.a, rs->body.n);
}

/* [{"code", "title"}, ...] of the n links in a; [] when none. */
static void links_json(JsonW *w, const RegLink *a, size_t n)
{
    jw_array_always(w);
    for (size_t k = 0; k < n; k++) {
        jw_object(w);
        jw_key(w, "code"), jw_string(w, a[k].code);
        jw_key(w, "title"), jw_string(w, a[k].title);
        jw_end(w);
    }
    jw_end(w);
}

/* ---- risks ------------------------------------------------------------- */

/* {"probability": p, "impact": i, "level": "high"}; p and i only when assessed. */
static void risk_score(JsonW *w, int p, int i, RiskLevel l)
{
    jw_object(w);
    if (p && i) {
        jw_key(w, "probability"), jw_int(w, p);
        jw_key(w, "impact"), jw_int(w, i);
    }
    jw_key(w, "level"), jw_string(w, rules_risk_level_key(l));
    jw_end(w);
}

int api_risks(Req *rq, Resp *rs)
{
    const ReqStrategy *s = rq->strategy;
    RiskQuery q;
    if (registers_risk_query(rq, rs, &q)) return 0;
    char *key = arena_printf(&rq->arena, "api-risks:%lld:%d:%s:%zu:%s", (long long)s->id,
                             q.has_level ? q.level : -1, q.date ? q.date : "",
                             q.category ? strlen(q.category) : 0, q.category ? q.category : "");
    if (api_cached(rs, key)) return 0;
    RegRisks r;
    if (store_registers_risks(rq->store, s->id, s->risk_matrix, q.category,
                              q.has_level ? (RiskLevel)(q.level + 1) : RISK_NONE, &rq->arena, &r))
        return -1;
    JsonW w;
    api_begin(rq, rs, &w);
    jw_key(&w, "total"), jw_int(&w, (int64_t)r.total);
    jw_key(&w, "residual_levels");
    jw_object(&w);
    for (RiskLevel l = RISK_NONE; l <= RISK_CRITICAL; l++) {
        jw_key_(&w, rules_risk_level_key(l)); /* a constant of rules.c */
        jw_int(&w, (int64_t)r.by_residual[l]);
    }
    jw_end(&w);
    jw_key(&w, "categories");
    jw_array_always(&w);
    for (size_t k = 0; k < r.ncategories; k++) jw_string(&w, r.categories[k]);
    jw_end(&w);
    jw_key(&w, "risks");
    jw_array_always(&w);
    for (size_t k = 0; k < r.n; k++) {
        const RegRisk *x = &r.a[k];
        jw_object(&w);
        jw_key(&w, "code"), jw_string(&w, x->code);
        jw_key(&w, "title"), jw_string(&w, x->title);
        jw_opt_string(&w, "description", x->description);
        jw_opt_string(&w, "category", x->category);
        jw_opt_string(&w, "owner", x->owner);
        jw_key(&w, "inherent"), risk_score(&w, x->ip, x->ii, x->inherent);
        jw_key(&w, "residual"), risk_score(&w, x->rp, x->ri, x->residual);
        jw_key(&w, "actions_done"), jw_int(&w, (int64_t)x->ndone);
        jw_key(&w, "actions");
        jw_array_always(&w);
        for (size_t j = 0; j < x->nactions; j++) {
            const RegAction *a = &x->actions[j];
            jw_object(&w);
            jw_key(&w, "title"), jw_string(&w, a->title);
            jw_key(&w, "status"), jw_string(&w, a->status);
            jw_opt_string(&w, "due", a->due);
            jw_opt_string(&w, "owner", a->owner);
            if (q.date)
                jw_key(&w, "overdue"),
                    jw_bool(&w, a->due && strcmp(a->due, q.date) < 0 &&
                                    strcmp(a->status, "done") != 0 &&
                                    strcmp(a->status, "cancelled") != 0);
            jw_end(&w);
        }
        jw_end(&w);
        jw_key(&w, "indicators"), links_json(&w, x->kris, x->nkris);
        jw_end(&w);
    }
    jw_end(&w);
    api_end(&w, rs, key);
    return 0;
}

/* ---- services ---------------------------------------------------------- */

static const char *sla_key(int sla)
{
    return sla == SLA_MET ? "met" : sla == SLA_MISSED ? "missed" : "no_data";
}

static void month_json(JsonW *w, const RegMonth *m)
{
    jw_object(w);
    jw_key(w, "period"), jw_string(w, m->period);
    jw_opt_double(w, "availability", m->availability);
    jw_opt_double(w, "response_hours", m->response);
    jw_opt_double(w, "resolution_hours", m->resolution);
    jw_key(w, "sla"), jw_string(w, sla_key(m->sla));
    jw_end(w);
}

int api_services(Req *rq, Resp *rs)
{
    const ReqStrategy *s = rq->strategy;
    ServiceQuery q = {0};
    if (http_query(rq, rs, registers_service_fields, &q)) return 0;
    char *key = arena_printf(&rq->arena, "api-services:%lld:%lld:%s", (long long)s->id,
                             q.has_year ? q.year : 0, q.service ? q.service : "");
    if (api_cached(rs, key)) return 0;
    RegServices v;
    if (store_registers_services(rq->store, s->id, q.has_year ? (int)q.year : 0, q.service,
                                 &rq->arena, &v))
        return -1;
    if (q.service && !v.n)
        return http_error(rq, rs, 400, "parameter service: this strategy has no service \"%s\"",
                          q.service);
    JsonW w;
    api_begin(rq, rs, &w);
    jw_key(&w, "total"), jw_int(&w, (int64_t)v.total);
    if (v.year) jw_key(&w, "year"), jw_int(&w, v.year);
    jw_key(&w, "years");
    jw_array_always(&w);
    for (size_t k = 0; k < v.nyears; k++) jw_int(&w, v.years[k]);
    jw_end(&w);
    jw_key(&w, "services");
    jw_array_always(&w);
    for (size_t k = 0; k < v.n; k++) {
        const RegService *x = &v.a[k];
        jw_object(&w);
        jw_key(&w, "code"), jw_string(&w, x->code);
        jw_key(&w, "name"), jw_string(&w, x->name);
        jw_opt_string(&w, "description", x->description);
        jw_key(&w, "targets");
        jw_object(&w);
        jw_opt_double(&w, "availability", x->availability_target);
        jw_opt_double(&w, "response_hours", x->response_target);
        jw_opt_double(&w, "resolution_hours", x->resolution_target);
        jw_end(&w);
        if (x->last.period) jw_key(&w, "last_month"), month_json(&w, &x->last);
        jw_key(&w, "months_met"), jw_int(&w, x->met);
        jw_key(&w, "months_measured"), jw_int(&w, x->met + x->missed);
        if (x->met + x->missed)
            jw_key(&w, "compliance"), jw_double(&w, round(1000.0 * x->met / (x->met + x->missed)) / 10);
        jw_key(&w, "months");
        jw_array_always(&w);
        for (size_t j = 0; j < x->nmonths; j++) month_json(&w, &x->months[j]);
        jw_end(&w);
        jw_end(&w);
    }
    jw_end(&w);
    api_end(&w, rs, key);
    return 0;
}

/* ---- expenditure ------------------------------------------------------- */

int api_expenditure(Req *rq, Resp *rs)
{
    const ReqStrategy *s = rq->strategy;
    SpendQuery q = {.limit = 100};
    if (http_query(rq, rs, registers_spend_api_fields, &q)) return 0;
    char *key = arena_printf(&rq->arena, "api-expenditure:%lld:%lld:%lld:%lld:%zu:%s",
                             (long long)s->id, q.has_year ? q.year : 0, q.limit, q.offset,
                             q.category ? strlen(q.category) : 0, q.category ? q.category : "");
    if (api_cached(rs, key)) return 0;
    RegSpendTotals t;
    if (store_registers_spend_totals(rq->store, s->id, s->currency, &rq->arena, &t)) return -1;
    RegSpendLine *l;
    size_t n;
    int64_t total;
    if (store_registers_spend_lines(rq->store, s->id, q.has_year ? (int)q.year : 0, q.category,
                                    q.limit, q.offset, &rq->arena, &l, &n, &total))
        return -1;
    JsonW w;
    api_begin(rq, rs, &w);
    jw_key(&w, "currency"), jw_string(&w, s->currency);
    jw_key(&w, "totals");
    jw_object(&w);
    jw_key(&w, "lines"), jw_int(&w, (int64_t)t.lines);
    jw_key(&w, "other_currency_lines"), jw_int(&w, (int64_t)t.other_currency);
    jw_key(&w, "years");
    jw_array_always(&w);
    for (size_t y = 0; y < t.nyears; y++) jw_int(&w, t.years[y]);
    jw_end(&w);
    jw_key(&w, "categories");
    jw_array_always(&w);
    for (size_t c = 0; c < t.ncategories; c++) {
        jw_object(&w);
        jw_key(&w, "category"), jw_string(&w, t.categories[c]);
        jw_key(&w, "by_year");
        jw_array_always(&w);
        for (size_t y = 0; y < t.nyears; y++) {
            jw_object(&w);
            jw_key(&w, "year"), jw_int(&w, t.years[y]);
            jw_key(&w, "amount"), jw_money(&w, t.cents[c * t.nyears + y]);
            jw_end(&w);
        }
        jw_end(&w);
        jw_end(&w);
    }
    jw_end(&w);
    jw_end(&w);
    jw_key(&w, "lines");
    jw_object(&w);
    if (q.has_year) jw_key(&w, "year"), jw_int(&w, q.year);
    jw_opt_string(&w, "category", q.category);
    jw_key(&w, "total"), jw_int(&w, total);
    jw_key(&w, "limit"), jw_int(&w, q.limit);
    jw_key(&w, "offset"), jw_int(&w, q.offset);
    jw_key(&w, "items");
    jw_array_always(&w);
    for (size_t k = 0; k < n; k++) {
        const RegSpendLine *x = &l[k];
        jw_object(&w);
        jw_key(&w, "year"), jw_int(&w, x->year);
        jw_key(&w, "category"), jw_string(&w, x->category);
        jw_opt_string(&w, "unit", x->unit);
        jw_key(&w, "amount"), jw_money(&w, x->cents);
        jw_key(&w, "currency"), jw_string(&w, x->currency ? x->currency : s->currency);
        if (x->project_code) {
            jw_key(&w, "project");
            jw_object(&w);
            jw_key(&w, "code"), jw_string(&w, x->project_code);
            jw_key(&w, "title"), jw_string(&w, x->project_title);
            jw_end(&w);
        }
        jw_opt_string(&w, "note", x->note);
        jw_end(&w);
    }
    jw_end(&w);
    jw_end(&w);
    api_end(&w, rs, key);
    return 0;
}

/* ---- governance -------------------------------------------------------- */

int api_governance(Req *rq, Resp *rs)
{
    const ReqStrategy *s = rq->strategy;
    GovQuery q = {0};
    if (http_query(rq, rs, registers_gov_fields, &q)) return 0;
    char *key = arena_printf(&rq->arena, "api-governance:%lld:%s:%d", (long long)s->id,
                             q.committee ? q.committee : "", q.has_kind ? q.kind : -1);
    if (api_cached(rs, key)) return 0;
    RegGovernance g;
    if (store_registers_governance(rq->store, s->id, q.committee,
                                   q.has_kind ? registers_decision_kinds[q.kind] : NULL, &rq->arena, &g))
        return -1;
    if (q.committee && !g.n)
        return http_error(rq, rs, 400, "parameter committee: this strategy has no committee "
                                       "\"%s\"", q.committee);
    JsonW w;
    api_begin(rq, rs, &w);
    jw_key(&w, "total"), jw_int(&w, (int64_t)g.total);
    jw_key(&w, "committees");
    jw_array_always(&w);
    for (size_t c = 0; c < g.n; c++) {
        const RegCommittee *cm = &g.a[c];
        jw_object(&w);
        jw_key(&w, "code"), jw_string(&w, cm->code);
        jw_key(&w, "name"), jw_string(&w, cm->name);
        jw_opt_string(&w, "charter", cm->charter);
        jw_key(&w, "meetings");
        jw_array_always(&w);
        for (size_t k = 0; k < cm->nmeetings; k++) {
            const RegMeeting *m = &cm->meetings[k];
            jw_object(&w);
            jw_key(&w, "date"), jw_string(&w, m->date);
            jw_opt_string(&w, "title", m->title);
            jw_key(&w, "decisions");
            jw_array_always(&w);
            for (size_t j = 0; j < m->ndecisions; j++) {
                const RegDecision *d = &m->decisions[j];
                jw_object(&w);
                jw_key(&w, "kind"), jw_string(&w, d->kind);
                jw_key(&w, "text"), jw_string(&w, d->text);
                jw_key(&w, "projects"), links_json(&w, d->projects, d->nprojects);
                jw_end(&w);
            }
            jw_end(&w);
            jw_end(&w);
        }
        jw_end(&w);
        jw_end(&w);
    }
    jw_end(&w);
    api_end(&w, rs, key);
    return 0;
}

/* ---- reports ----------------------------------------------------------- */

typedef struct ReportQuery {
    long long year;
    int has_year;
} ReportQuery;

static const QueryField report_fields[] = {
    {"year", QT_INT, offsetof(ReportQuery, year), offsetof(ReportQuery, has_year), 1900, 2200,
     NULL, 0},
    {NULL},
};

int api_reports(Req *rq, Resp *rs)
{
    const ReqStrategy *s = rq->strategy;
    ReportQuery q = {0};
    if (http_query(rq, rs, report_fields, &q)) return 0;
    if (q.has_year && (q.year < s->first_year || q.year > s->last_year))
        return http_error(rq, rs, 400, "parameter year: must be a year of the strategy's period, "
                                       "%d to %d, not %lld", s->first_year, s->last_year, q.year);
    StoreCursor c, rel;
    memset(&rel, 0, sizeof rel);
    int rc;
    if (store_open(rq->store, &c, Q_REPORTS, s->id) ||
        store_open(rq->store, &rel, Q_REPORT_RELATED, s->id)) {
        store_close(&c);
        store_close(&rel);
        return -1;
    }
    JsonW w;
    api_begin(rq, rs, &w);
    jw_key(&w, "reports");
    jw_array_always(&w);
    for (; c.has_row; store_advance(&c)) {
        const ReportRow *r = c.row;
        int show = !q.has_year || r->year == q.year;
        if (show) {
            jw_object(&w);
            jw_key(&w, "year"), jw_int(&w, r->year);
            jw_key(&w, "final"), jw_bool(&w, r->final == 1);
            jw_opt_string(&w, "body", r->body);
            jw_opt_string(&w, "session", r->session);
            jw_opt_string(&w, "date", r->date);
            jw_opt_string(&w, "symbol", r->symbol);
            jw_opt_string(&w, "section", r->section);
            jw_opt_string(&w, "section_code", r->section_code);
            jw_opt_string(&w, "original_language", r->original_language);
            jw_opt_string(&w, "title", r->title);
            jw_opt_string(&w, "summary", r->summary);
            jw_opt_string(&w, "author_unit", r->author_unit);
            jw_opt_string(&w, "introduction", r->introduction);
            jw_opt_int(&w, "stated_projects", r->stated_projects);
            jw_opt_int(&w, "stated_new_or_major", r->stated_new_or_major);
            jw_key(&w, "url"), jw_string(&w, arena_printf(&rq->arena, "/s/%s/reports/%lld",
                                                          s->code, (long long)r->year));
            jw_key(&w, "related_documents");
            jw_array_always(&w);
        }
        /* Related documents come in the reports' order (store.h). */
        const ReportRelatedRow *x;
        while ((x = store_child(&rel, r->id)) != NULL) {
            if (show) jw_string(&w, x->symbol);
            if (store_advance(&rel) < 0) break;
        }
        if (show) {
            jw_end(&w);
            jw_end(&w);
        }
    }
    jw_end(&w);
    rc = c.failed || rel.failed ? -1 : 0;
    api_end(&w, rs, NULL);
    store_close(&c);
    store_close(&rel);
    return rc;
}
