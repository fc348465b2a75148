/* store_registers.c — see store_registers.h. */
#include "store_registers.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The index of id in ids[0..n), looking at *hint first (children come in
 * their parents' order, so the hint is nearly always right); -1 when absent.
 * Moves *hint to the answer. */
static long id_find(const int64_t *ids, size_t n, int64_t id, size_t *hint)
{
    for (size_t k = *hint; k < n; k++)
        if (ids[k] == id) return (long)(*hint = k);
    for (size_t k = 0; k < *hint && k < n; k++)
        if (ids[k] == id) return (long)(*hint = k);
    return -1;
}

static const char *col_text(DbStmt *st, int i, Arena *a)
{
    return arena_strdup(a, db_column_text(st, i));
}

/* A probability or impact column: 1-5, or 0 when NULL. */
static int col_scale(DbStmt *st, int i)
{
    int64_t v = db_column_int(st, i);
    return v >= 1 && v <= 5 ? (int)v : 0;
}

static int str_cmp(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* ---- risks ------------------------------------------------------------- */

int store_registers_risks(Store *s, int64_t sid, const char *matrix, const char *category,
                          RiskLevel level, Arena *a, RegRisks *out)
{
    memset(out, 0, sizeof *out);
    DbStmt *st = NULL;
    RegRisk *all = NULL;
    int64_t *ids = NULL;
    size_t n = 0, hint = 0;
    int step, rc = -1;

    if (db_prepare(s->db, &st,
                   "SELECT id, code, title, description, category, owner,"
                   " inherent_probability, inherent_impact, residual_probability, residual_impact"
                   " FROM risk WHERE strategy_id = :sid ORDER BY sort"))
        goto out;
    db_bind_int(st, ":sid", sid);
    while ((step = db_step(st)) == DB_ROW) {
        all = arena_grow(a, all, n, sizeof *all);
        ids = arena_grow(a, ids, n, sizeof *ids);
        RegRisk *r = &all[n];
        memset(r, 0, sizeof *r);
        ids[n++] = db_column_int(st, 0);
        r->code = col_text(st, 1, a);
        r->title = col_text(st, 2, a);
        r->description = col_text(st, 3, a);
        r->category = col_text(st, 4, a);
        r->owner = col_text(st, 5, a);
        r->ip = col_scale(st, 6), r->ii = col_scale(st, 7);
        r->rp = col_scale(st, 8), r->ri = col_scale(st, 9);
        r->inherent = rules_risk_level(matrix, r->ip, r->ii);
        r->residual = rules_risk_level(matrix, r->rp, r->ri);
    }
    if (step != DB_DONE) goto out;
    db_finalize(st);
    st = NULL;

    if (db_prepare(s->db, &st,
                   "SELECT a.risk_id, a.title, a.status, a.due, a.owner"
                   " FROM risk r JOIN risk_action a ON a.risk_id = r.id"
                   " WHERE r.strategy_id = :sid ORDER BY r.sort, a.sort"))
        goto out;
    db_bind_int(st, ":sid", sid);
    while ((step = db_step(st)) == DB_ROW) {
        long k = id_find(ids, n, db_column_int(st, 0), &hint);
        if (k < 0) continue;
        RegRisk *r = &all[k];
        r->actions = arena_grow(a, r->actions, r->nactions, sizeof *r->actions);
        RegAction *x = &r->actions[r->nactions++];
        x->title = col_text(st, 1, a);
        x->status = col_text(st, 2, a);
        x->due = col_text(st, 3, a);
        x->owner = col_text(st, 4, a);
        if (x->status && strcmp(x->status, "done") == 0) r->ndone++;
    }
    if (step != DB_DONE) goto out;
    db_finalize(st);
    st = NULL;

    hint = 0;
    if (db_prepare(s->db, &st,
                   "SELECT ri.risk_id, i.code, i.title FROM risk r"
                   " JOIN risk_indicator ri ON ri.risk_id = r.id"
                   " JOIN indicator i ON i.id = ri.indicator_id"
                   " WHERE r.strategy_id = :sid ORDER BY r.sort, ri.sort"))
        goto out;
    db_bind_int(st, ":sid", sid);
    while ((step = db_step(st)) == DB_ROW) {
        long k = id_find(ids, n, db_column_int(st, 0), &hint);
        if (k < 0) continue;
        RegRisk *r = &all[k];
        r->kris = arena_grow(a, r->kris, r->nkris, sizeof *r->kris);
        r->kris[r->nkris++] = (RegLink){col_text(st, 1, a), col_text(st, 2, a)};
    }
    if (step != DB_DONE) goto out;

    /* Categories, counts of the category filter, and the filtered list. */
    for (size_t k = 0; k < n; k++) {
        const RegRisk *r = &all[k];
        if (r->category) {
            size_t j = 0;
            while (j < out->ncategories && strcmp(out->categories[j], r->category) != 0) j++;
            if (j == out->ncategories) {
                out->categories =
                    arena_grow(a, out->categories, out->ncategories, sizeof *out->categories);
                out->categories[out->ncategories++] = r->category;
            }
        }
        if (category && !(r->category && strcmp(r->category, category) == 0)) continue;
        out->by_residual[r->residual]++;
        if (level != RISK_NONE && r->residual != level) continue;
        out->a = arena_grow(a, out->a, out->n, sizeof *out->a);
        out->a[out->n++] = *r;
    }
    if (out->ncategories > 1)
        qsort(out->categories, out->ncategories, sizeof *out->categories, str_cmp);
    out->total = n;
    rc = 0;
out:
    db_finalize(st);
    if (rc) memset(out, 0, sizeof *out);
    return rc;
}

/* ---- services ---------------------------------------------------------- */

static int month_has_figure(const RegMonth *m)
{
    return !isnan(m->availability) || !isnan(m->response) || !isnan(m->resolution);
}

int store_registers_services(Store *s, int64_t sid, int year, const char *service, Arena *a,
                             RegServices *out)
{
    memset(out, 0, sizeof *out);
    DbStmt *st = NULL;
    RegService *all = NULL;
    int64_t *ids = NULL;
    RegMonth **hist = NULL; /* every month of each service */
    size_t *nhist = NULL;
    size_t n = 0, hint = 0;
    int step, rc = -1;

    if (db_prepare(s->db, &st,
                   "SELECT id, code, name, description, availability_target, response_hours,"
                   " resolution_hours FROM service WHERE strategy_id = :sid ORDER BY sort"))
        goto out;
    db_bind_int(st, ":sid", sid);
    while ((step = db_step(st)) == DB_ROW) {
        all = arena_grow(a, all, n, sizeof *all);
        ids = arena_grow(a, ids, n, sizeof *ids);
        hist = arena_grow(a, hist, n, sizeof *hist);
        nhist = arena_grow(a, nhist, n, sizeof *nhist);
        RegService *v = &all[n];
        memset(v, 0, sizeof *v);
        hist[n] = NULL;
        nhist[n] = 0;
        ids[n++] = db_column_int(st, 0);
        v->code = col_text(st, 1, a);
        v->name = col_text(st, 2, a);
        v->description = col_text(st, 3, a);
        v->availability_target = db_column_double(st, 4);
        v->response_target = db_column_double(st, 5);
        v->resolution_target = db_column_double(st, 6);
    }
    if (step != DB_DONE) goto out;
    db_finalize(st);
    st = NULL;

    if (db_prepare(s->db, &st,
                   "SELECT m.service_id, m.period, m.availability, m.response_hours,"
                   " m.resolution_hours FROM service s"
                   " JOIN service_measurement m ON m.service_id = s.id"
                   " WHERE s.strategy_id = :sid ORDER BY s.sort, m.period"))
        goto out;
    db_bind_int(st, ":sid", sid);
    while ((step = db_step(st)) == DB_ROW) {
        long k = id_find(ids, n, db_column_int(st, 0), &hint);
        if (k < 0) continue;
        const RegService *v = &all[k];
        hist[k] = arena_grow(a, hist[k], nhist[k], sizeof **hist);
        RegMonth *m = &hist[k][nhist[k]++];
        m->period = col_text(st, 1, a);
        m->availability = db_column_double(st, 2);
        m->response = db_column_double(st, 3);
        m->resolution = db_column_double(st, 4);
        RulesSla sla = {v->availability_target, v->response_target, v->resolution_target,
                        m->availability, m->response, m->resolution};
        m->sla = rules_sla_month(&sla);
        int y = rules_year_of(m->period);
        size_t j = 0;
        while (j < out->nyears && out->years[j] != y) j++;
        if (j == out->nyears && y > 0 && month_has_figure(m)) {
            out->years = arena_grow(a, out->years, out->nyears, sizeof *out->years);
            size_t at = out->nyears++;
            while (at > 0 && out->years[at - 1] > y) out->years[at] = out->years[at - 1], at--;
            out->years[at] = y;
        }
    }
    if (step != DB_DONE) goto out;

    out->year = year ? year : out->nyears ? out->years[out->nyears - 1] : 0;
    for (size_t k = 0; k < n; k++) {
        RegService *v = &all[k];
        if (service && strcmp(v->code, service) != 0) continue;
        for (size_t j = 0; j < nhist[k]; j++) {
            const RegMonth *m = &hist[k][j];
            int y = rules_year_of(m->period);
            if (y > out->year) break;
            if (month_has_figure(m)) v->last = *m;
            if (y != out->year) continue;
            if (!v->months) v->months = &hist[k][j];
            v->nmonths++;
            v->met += m->sla == SLA_MET;
            v->missed += m->sla == SLA_MISSED;
        }
        out->a = arena_grow(a, out->a, out->n, sizeof *out->a);
        out->a[out->n++] = *v;
    }
    out->total = n;
    rc = 0;
out:
    db_finalize(st);
    if (rc) memset(out, 0, sizeof *out);
    return rc;
}

/* ---- expenditure ------------------------------------------------------- */

int store_registers_spend_totals(Store *s, int64_t sid, const char *currency, Arena *a,
                                 RegSpendTotals *out)
{
    memset(out, 0, sizeof *out);
    DbStmt *st = NULL;
    int step, rc = -1;
    typedef struct Cell { const char *category; int year; int64_t cents; } Cell;
    Cell *cells = NULL;
    int64_t *first = NULL; /* first sort of each category */
    size_t ncells = 0;

    if (db_prepare(s->db, &st,
                   "SELECT category, year, SUM(amount), MIN(sort) FROM expenditure"
                   " WHERE strategy_id = :sid AND (currency IS NULL OR currency = :cur)"
                   " GROUP BY category, year"))
        goto out;
    db_bind_int(st, ":sid", sid);
    db_bind_text(st, ":cur", currency);
    while ((step = db_step(st)) == DB_ROW) {
        const char *cat = db_column_text(st, 0);
        int year = (int)db_column_int(st, 1);
        int64_t sort = db_column_int(st, 3);
        size_t c = 0;
        while (c < out->ncategories && strcmp(out->categories[c], cat) != 0) c++;
        if (c == out->ncategories) {
            out->categories = arena_grow(a, out->categories, out->ncategories,
                                         sizeof *out->categories);
            first = arena_grow(a, first, out->ncategories, sizeof *first);
            out->categories[out->ncategories++] = arena_strdup(a, cat);
            first[c] = sort;
        } else if (sort < first[c]) {
            first[c] = sort;
        }
        size_t y = 0;
        while (y < out->nyears && out->years[y] != year) y++;
        if (y == out->nyears) {
            out->years = arena_grow(a, out->years, out->nyears, sizeof *out->years);
            size_t at = out->nyears++;
            while (at > 0 && out->years[at - 1] > year) out->years[at] = out->years[at - 1], at--;
            out->years[at] = year;
        }
        cells = arena_grow(a, cells, ncells, sizeof *cells);
        cells[ncells++] = (Cell){out->categories[c], year, db_column_int(st, 2)};
    }
    if (step != DB_DONE) goto out;
    db_finalize(st);
    st = NULL;

    /* Categories in the order of their first line (insertion sort: few). */
    for (size_t i = 1; i < out->ncategories; i++)
        for (size_t j = i; j > 0 && first[j] < first[j - 1]; j--) {
            int64_t t = first[j];
            first[j] = first[j - 1], first[j - 1] = t;
            const char *c = out->categories[j];
            out->categories[j] = out->categories[j - 1], out->categories[j - 1] = c;
        }
    out->cents = arena_alloc(a, (out->ncategories * out->nyears + 1) * sizeof *out->cents);
    for (size_t k = 0; k < ncells; k++) {
        size_t c = 0, y = 0;
        while (out->categories[c] != cells[k].category &&
               strcmp(out->categories[c], cells[k].category) != 0)
            c++;
        while (out->years[y] != cells[k].year) y++;
        out->cents[c * out->nyears + y] = cells[k].cents;
    }

    if (db_prepare(s->db, &st,
                   "SELECT COUNT(*), COALESCE(SUM(currency IS NOT NULL AND currency <> :cur), 0)"
                   " FROM expenditure WHERE strategy_id = :sid"))
        goto out;
    db_bind_int(st, ":sid", sid);
    db_bind_text(st, ":cur", currency);
    if (db_step(st) != DB_ROW) goto out;
    out->lines = (size_t)db_column_int(st, 0);
    out->other_currency = (size_t)db_column_int(st, 1);
    rc = 0;
out:
    db_finalize(st);
    if (rc) memset(out, 0, sizeof *out);
    return rc;
}

int store_registers_spend_lines(Store *s, int64_t sid, int year, const char *category,
                                int64_t limit, int64_t offset, Arena *a, RegSpendLine **out,
                                size_t *n, int64_t *total)
{
    DbStmt *st = NULL;
    int step, rc = -1;
    *out = NULL;
    *n = 0;
    *total = 0;

    if (db_prepare(s->db, &st,
                   "SELECT COUNT(*) FROM expenditure"
                   " WHERE strategy_id = :sid AND (:year IS NULL OR year = :year)"
                   " AND (:cat IS NULL OR category = :cat)"))
        goto out;
    db_bind_int(st, ":sid", sid);
    db_bind_int(st, ":year", year ? year : DB_NULL_INT);
    db_bind_text(st, ":cat", category);
    if (db_step(st) != DB_ROW) goto out;
    *total = db_column_int(st, 0);
    db_finalize(st);
    st = NULL;

    if (db_prepare(s->db, &st,
                   "SELECT e.year, e.category, e.unit, e.currency, e.note, e.amount, p.code,"
                   " p.title FROM expenditure e LEFT JOIN project p ON p.id = e.project_id"
                   " WHERE e.strategy_id = :sid AND (:year IS NULL OR e.year = :year)"
                   " AND (:cat IS NULL OR e.category = :cat)"
                   " ORDER BY e.sort LIMIT :lim OFFSET :off"))
        goto out;
    db_bind_int(st, ":sid", sid);
    db_bind_int(st, ":year", year ? year : DB_NULL_INT);
    db_bind_text(st, ":cat", category);
    db_bind_int(st, ":lim", limit);
    db_bind_int(st, ":off", offset);
    while ((step = db_step(st)) == DB_ROW) {
        *out = arena_grow(a, *out, *n, sizeof **out);
        RegSpendLine *l = &(*out)[(*n)++];
        l->year = (int)db_column_int(st, 0);
        l->category = col_text(st, 1, a);
        l->unit = col_text(st, 2, a);
        l->currency = col_text(st, 3, a);
        l->note = col_text(st, 4, a);
        l->cents = db_column_int(st, 5);
        l->project_code = col_text(st, 6, a);
        l->project_title = col_text(st, 7, a);
    }
    if (step != DB_DONE) goto out;
    rc = 0;
out:
    db_finalize(st);
    if (rc) *out = NULL, *n = 0, *total = 0;
    return rc;
}

/* ---- governance -------------------------------------------------------- */

int store_registers_governance(Store *s, int64_t sid, const char *committee, const char *kind,
                               Arena *a, RegGovernance *out)
{
    memset(out, 0, sizeof *out);
    DbStmt *st = NULL;
    int64_t *cids = NULL, *mids = NULL, *dids = NULL;
    RegMeeting **mref = NULL;   /* meeting of each mid, in its committee's array */
    RegDecision **dref = NULL;  /* decision of each did */
    size_t *mcom = NULL;        /* committee index of each meeting */
    size_t *dmeet = NULL;       /* meeting index of each decision */
    size_t nm = 0, nd = 0, hint = 0;
    int step, rc = -1;

    if (db_prepare(s->db, &st, "SELECT COUNT(*) FROM committee WHERE strategy_id = :sid"))
        goto out;
    db_bind_int(st, ":sid", sid);
    if (db_step(st) != DB_ROW) goto out;
    out->total = (size_t)db_column_int(st, 0);
    db_finalize(st);
    st = NULL;

    if (db_prepare(s->db, &st,
                   "SELECT id, code, name, charter FROM committee WHERE strategy_id = :sid"
                   " AND (:code IS NULL OR code = :code) ORDER BY sort"))
        goto out;
    db_bind_int(st, ":sid", sid);
    db_bind_text(st, ":code", committee);
    while ((step = db_step(st)) == DB_ROW) {
        out->a = arena_grow(a, out->a, out->n, sizeof *out->a);
        cids = arena_grow(a, cids, out->n, sizeof *cids);
        RegCommittee *c = &out->a[out->n];
        memset(c, 0, sizeof *c);
        cids[out->n++] = db_column_int(st, 0);
        c->code = col_text(st, 1, a);
        c->name = col_text(st, 2, a);
        c->charter = col_text(st, 3, a);
    }
    if (step != DB_DONE) goto out;
    db_finalize(st);
    st = NULL;

    /* Meetings: pointers into the committees' arrays are taken only after
     * every meeting is in, since arena_grow may move an array. */
    if (db_prepare(s->db, &st,
                   "SELECT m.committee_id, m.id, m.date, m.title FROM committee c"
                   " JOIN meeting m ON m.committee_id = c.id WHERE c.strategy_id = :sid"
                   " AND (:code IS NULL OR c.code = :code) ORDER BY c.sort, m.date, m.sort"))
        goto out;
    db_bind_int(st, ":sid", sid);
    db_bind_text(st, ":code", committee);
    while ((step = db_step(st)) == DB_ROW) {
        long k = id_find(cids, out->n, db_column_int(st, 0), &hint);
        if (k < 0) continue;
        RegCommittee *c = &out->a[k];
        c->meetings = arena_grow(a, c->meetings, c->nmeetings, sizeof *c->meetings);
        RegMeeting *m = &c->meetings[c->nmeetings++];
        memset(m, 0, sizeof *m);
        m->date = col_text(st, 2, a);
        m->title = col_text(st, 3, a);
        mids = arena_grow(a, mids, nm, sizeof *mids);
        mcom = arena_grow(a, mcom, nm, sizeof *mcom);
        mcom[nm] = (size_t)k;
        mids[nm++] = db_column_int(st, 1);
    }
    if (step != DB_DONE) goto out;
    db_finalize(st);
    st = NULL;
    mref = arena_alloc(a, (nm + 1) * sizeof *mref);
    {
        size_t *seen = arena_alloc(a, (out->n + 1) * sizeof *seen);
        for (size_t j = 0; j < nm; j++) mref[j] = &out->a[mcom[j]].meetings[seen[mcom[j]]++];
    }

    hint = 0;
    if (db_prepare(s->db, &st,
                   "SELECT d.meeting_id, d.id, d.kind, d.text FROM committee c"
                   " JOIN meeting m ON m.committee_id = c.id JOIN decision d ON d.meeting_id = m.id"
                   " WHERE c.strategy_id = :sid AND (:code IS NULL OR c.code = :code)"
                   " AND (:kind IS NULL OR d.kind = :kind)"
                   " ORDER BY c.sort, m.date, m.sort, d.sort"))
        goto out;
    db_bind_int(st, ":sid", sid);
    db_bind_text(st, ":code", committee);
    db_bind_text(st, ":kind", kind);
    while ((step = db_step(st)) == DB_ROW) {
        long k = id_find(mids, nm, db_column_int(st, 0), &hint);
        if (k < 0) continue;
        RegMeeting *m = mref[k];
        m->decisions = arena_grow(a, m->decisions, m->ndecisions, sizeof *m->decisions);
        RegDecision *d = &m->decisions[m->ndecisions++];
        memset(d, 0, sizeof *d);
        d->kind = col_text(st, 2, a);
        d->text = col_text(st, 3, a);
        out->a[mcom[k]].ndecisions++;
        dids = arena_grow(a, dids, nd, sizeof *dids);
        dmeet = arena_grow(a, dmeet, nd, sizeof *dmeet);
        dmeet[nd] = (size_t)k;
        dids[nd++] = db_column_int(st, 1);
    }
    if (step != DB_DONE) goto out;
    db_finalize(st);
    st = NULL;
    dref = arena_alloc(a, (nd + 1) * sizeof *dref);
    {
        size_t *seen = arena_alloc(a, (nm + 1) * sizeof *seen);
        for (size_t j = 0; j < nd; j++) dref[j] = &mref[dmeet[j]]->decisions[seen[dmeet[j]]++];
    }

    hint = 0;
    if (db_prepare(s->db, &st,
                   "SELECT dp.decision_id, p.code, p.title FROM committee c"
                   " JOIN meeting m ON m.committee_id = c.id JOIN decision d ON d.meeting_id = m.id"
                   " JOIN decision_project dp ON dp.decision_id = d.id"
                   " JOIN project p ON p.id = dp.project_id"
                   " WHERE c.strategy_id = :sid AND (:code IS NULL OR c.code = :code)"
                   " AND (:kind IS NULL OR d.kind = :kind)"
                   " ORDER BY c.sort, m.date, m.sort, d.sort, dp.sort"))
        goto out;
    db_bind_int(st, ":sid", sid);
    db_bind_text(st, ":code", committee);
    db_bind_text(st, ":kind", kind);
    while ((step = db_step(st)) == DB_ROW) {
        long k = id_find(dids, nd, db_column_int(st, 0), &hint);
        if (k < 0) continue;
        RegDecision *d = dref[k];
        d->projects = arena_grow(a, d->projects, d->nprojects, sizeof *d->projects);
        d->projects[d->nprojects++] = (RegLink){col_text(st, 1, a), col_text(st, 2, a)};
    }
    if (step != DB_DONE) goto out;

    /* With a kind, a meeting that took no such decision is left out. */
    if (kind)
        for (size_t c = 0; c < out->n; c++) {
            RegCommittee *cm = &out->a[c];
            size_t keep = 0;
            for (size_t j = 0; j < cm->nmeetings; j++)
                if (cm->meetings[j].ndecisions) cm->meetings[keep++] = cm->meetings[j];
            cm->nmeetings = keep;
        }
    rc = 0;
out:
    db_finalize(st);
    if (rc) memset(out, 0, sizeof *out);
    return rc;
}

int store_registers_committees(Store *s, int64_t sid, Arena *a, RegLink **out, size_t *n)
{
    DbStmt *st = NULL;
    int step, rc = -1;
    *out = NULL;
    *n = 0;
    if (db_prepare(s->db, &st,
                   "SELECT code, name FROM committee WHERE strategy_id = :sid ORDER BY sort"))
        goto out;
    db_bind_int(st, ":sid", sid);
    while ((step = db_step(st)) == DB_ROW) {
        *out = arena_grow(a, *out, *n, sizeof **out);
        (*out)[(*n)++] = (RegLink){col_text(st, 0, a), col_text(st, 1, a)};
    }
    if (step != DB_DONE) goto out;
    rc = 0;
out:
    db_finalize(st);
    if (rc) *out = NULL, *n = 0;
    return rc;
}
