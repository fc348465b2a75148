/*
 * report_build.c — what the governing-body report says, block by block
 * (report.h). The order follows the model report: title block, introduction
 * with the figures, a section per outcome and output, the cross-cutting
 * drivers, then indicators, risks, service levels and spending when the data
 * has them. docs/report.md describes each part.
 */
#include "report.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct Builder {
    RData *rd;
    RDoc *doc;
    Arena *a;
} Builder;

static RBlock *add(Builder *b, RBlockKind kind)
{
    RDoc *d = b->doc;
    d->blocks = arena_grow(b->a, d->blocks, d->nblocks, sizeof *d->blocks);
    RBlock *x = &d->blocks[d->nblocks++];
    memset(x, 0, sizeof *x);
    x->kind = kind;
    return x;
}

static const char *vfmt(Builder *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    char *s = arena_alloc(b->a, n > 0 ? (size_t)n + 1 : 1);
    if (n > 0) vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

__attribute__((format(printf, 4, 5)))
static void heading(Builder *b, int level, const char *anchor, const char *fmt, ...)
{
    RBlock *x = add(b, RB_HEADING);
    x->level = level;
    x->anchor = anchor;
    va_list ap;
    va_start(ap, fmt);
    x->text = vfmt(b, fmt, ap);
    va_end(ap);
}

__attribute__((format(printf, 3, 4)))
static RBlock *text_block(Builder *b, RBlockKind kind, const char *fmt, ...)
{
    RBlock *x = add(b, kind);
    va_list ap;
    va_start(ap, fmt);
    x->text = vfmt(b, fmt, ap);
    va_end(ap);
    return x;
}

static void narrative(Builder *b, const char *md, const char **notes, size_t nnotes)
{
    if (!md || !*md) return;
    RBlock *x = add(b, RB_NARRATIVE);
    x->text = md;
    x->footnotes = notes;
    x->nfootnotes = nnotes;
}

static void add_note(Builder *b, RBlock *x, const char *md)
{
    x->footnotes = arena_grow(b->a, x->footnotes, x->nfootnotes, sizeof *x->footnotes);
    x->footnotes[x->nfootnotes++] = md;
}

/* A table of ncols columns; cells are filled with cell(). */
static RBlock *table(Builder *b, const char *title, int ncols, int nrows, unsigned numeric)
{
    RBlock *x = add(b, RB_TABLE);
    x->text = title;
    x->ncols = ncols;
    x->nrows = nrows;
    x->numeric = numeric;
    x->cells = arena_alloc(b->a, (size_t)(nrows + 1) * (size_t)ncols * sizeof *x->cells);
    return x;
}

__attribute__((format(printf, 5, 6)))
static void cell(Builder *b, RBlock *t, int row, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    t->cells[row * t->ncols + col] = vfmt(b, fmt, ap);
    va_end(ap);
}

static const char *ordinal(int n)
{
    static const char *const w[] = {"first",   "second", "third", "fourth", "fifth",
                                    "sixth",   "seventh", "eighth", "ninth", "tenth"};
    return n >= 1 && n <= 10 ? w[n - 1] : "next";
}

static long per_cent(int64_t part, int64_t whole)
{
    return whole > 0 ? lround(100.0 * (double)part / (double)whole) : 0;
}

/* "one project" / "12 projects". */
static const char *projects_word(int64_t n)
{
    return n == 1 ? "project" : "projects";
}

/* ---- introduction ---------------------------------------------------- */

static void intro(Builder *b)
{
    RData *rd = b->rd;
    const StatTotals *t = &rd->stats.totals;
    heading(b, 2, "introduction", "Introduction");
    /* The metadata's introduction: its first paragraph opens the report, the
     * rest follows the figures. */
    const char *rest = NULL;
    if (rd->introduction) {
        const char *cut = strstr(rd->introduction, "\n\n");
        if (cut) {
            narrative(b, arena_printf(b->a, "%.*s", (int)(cut - rd->introduction),
                                      rd->introduction), NULL, 0);
            rest = cut + 2;
        } else {
            narrative(b, rd->introduction, NULL, 0);
        }
    }
    int nth = rd->year - rd->first_year + 1;
    long long done = 0; /* completed in the year (docs/report.md) */
    for (size_t k = 0; k < rd->nprojects; k++) done += rd->projects[k].completed_in_year;
    RBlock *p;
    if (rd->final) {
        const StatTotals *pt = &rd->period_stats.totals;
        p = text_block(b, RB_PARA,
                       "Over the Strategy period %d–%02d, %lld %s were carried out, of which "
                       "%lld were completed. In its final year (%d), the work plan comprised "
                       "%lld %s; %lld %s completed during the year. A breakdown of "
                       "the %d work plan by Strategy outcome and cross-cutting driver is shown "
                       "below.",
                       rd->first_year, rd->last_year % 100, (long long)pt->projects,
                       projects_word(pt->projects), (long long)pt->completed, rd->year,
                       (long long)t->projects, projects_word(t->projects), done,
                       done == 1 ? "project was" : "projects were", rd->year);
    } else {
        p = text_block(b, RB_PARA,
                       "%lld %s %s carried out in the Strategy's %s year (%d); %lld %s "
                       "completed during the year. A breakdown by Strategy outcome and cross-cutting "
                       "driver is shown below.",
                       (long long)t->projects, projects_word(t->projects),
                       t->projects == 1 ? "was" : "were", ordinal(nth), rd->year, done,
                       done == 1 ? "project was" : "projects were");
    }
    if (rd->stated_projects != DB_NULL_INT && rd->stated_projects != t->projects) {
        if (rd->stated_new_or_major != DB_NULL_INT)
            add_note(b, p, arena_printf(b->a,
                     "The work plan for %d as reported to the governing body counted %lld "
                     "projects, %lld of them new service offerings or major improvements; "
                     "this database holds the %lld described in the report.", rd->year,
                     (long long)rd->stated_projects, (long long)rd->stated_new_or_major,
                     (long long)t->projects));
        else
            add_note(b, p, arena_printf(b->a,
                     "The work plan for %d as reported to the governing body counted %lld "
                     "projects; this database holds the %lld described in the report.",
                     rd->year, (long long)rd->stated_projects, (long long)t->projects));
    }
    int fig = 0;
    if (t->projects > 0) {
        RBlock *f = add(b, RB_FIGURE);
        f->number = ++fig;
        f->text = arena_printf(b->a, "IT projects by outcome/cross-cutting driver, %d work plan",
                               rd->year);
        f->data = &rd->stats.home;
        f->axis = "Projects";
        f->what = "Outcome or cross-cutting driver";
    }
    if (rd->ncategories > 0 && t->projects > 0) {
        text_block(b, RB_PARA,
                   "Of the %lld %s undertaken, %lld (%ld per cent) focused on providing new "
                   "service offerings or major improvements. The breakdown by category of the "
                   "projects carried out in %d is shown below.",
                   (long long)t->projects, projects_word(t->projects), (long long)t->new_or_major,
                   per_cent(t->new_or_major, t->projects), rd->year);
        RBlock *f = add(b, RB_FIGURE);
        f->number = ++fig;
        f->text = arena_printf(b->a, "IT projects by category, %d work plan", rd->year);
        f->data = &rd->stats.category;
        f->axis = "Projects";
        f->what = "Category";
    }
    if (rd->final && rd->period_stats.years.n > 0) {
        const StatList *y = &rd->period_stats.years;
        RBlock *tb = table(b, "IT projects by work-plan year", 2, (int)y->n, 2u);
        cell(b, tb, 0, 0, "Year");
        cell(b, tb, 0, 1, "Projects");
        for (size_t k = 0; k < y->n; k++) {
            cell(b, tb, (int)k + 1, 0, "%s", y->a[k].label);
            cell(b, tb, (int)k + 1, 1, "%lld", (long long)y->a[k].n);
        }
    }
    if (rest && *rest) narrative(b, rest, NULL, 0);
}

/* ---- outcomes, outputs, drivers --------------------------------------- */

/* The narratives of the projects homed at (kind, home), then a compact
 * line for the year's projects there without an update. Returns whether
 * anything was written. */
static int home_body(Builder *b, int kind, int home, int dry_run)
{
    RData *rd = b->rd;
    int any = 0;
    size_t nquiet = 0;
    for (size_t k = 0; k < rd->nprojects; k++) {
        const RProject *p = &rd->projects[k];
        if (p->home_kind != kind || p->home != home) continue;
        if (p->nupdates) {
            any = 1;
            if (dry_run) return 1;
            for (size_t u = 0; u < p->nupdates; u++)
                narrative(b, p->updates[u].text, p->updates[u].footnotes,
                          p->updates[u].nfootnotes);
        } else if (p->in_year) {
            nquiet++;
        }
    }
    if (nquiet == 0) return any;
    if (dry_run) return 1;
    Buf line = BUF_INIT;
    size_t i = 0;
    for (size_t k = 0; k < rd->nprojects; k++) {
        const RProject *p = &rd->projects[k];
        if (p->home_kind != kind || p->home != home || p->nupdates || !p->in_year) continue;
        buf_printf(&line, "%s%s %s (%s)", i++ ? "; " : "", p->code, p->title,
                   store_status_label(p->status));
    }
    text_block(b, RB_NOTE, "Also in the %s%d work plan, without a progress update for the "
                           "year: %s.", rd->final ? "Strategy's " : "", rd->year,
               buf_str(&line));
    buf_free(&line);
    return 1;
}

static void outcomes(Builder *b)
{
    RData *rd = b->rd;
    for (size_t o = 0; o < rd->noutcomes; o++) {
        const ROutcome *oc = &rd->outcomes[o];
        int has = oc->description && *oc->description;
        has = has || home_body(b, HOME_OUTCOME, (int)o, 1);
        for (size_t k = 0; k < rd->noutputs && !has; k++)
            if (rd->outputs[k].outcome == (int)o) has = home_body(b, HOME_OUTPUT, (int)k, 1);
        if (!has) continue;
        heading(b, 2, arena_printf(b->a, "outcome-%d", oc->number), "Strategy outcome %d: %s",
                oc->number, oc->title);
        narrative(b, oc->description, NULL, 0);
        home_body(b, HOME_OUTCOME, (int)o, 0);
        for (size_t k = 0; k < rd->noutputs; k++) {
            const ROutput *op = &rd->outputs[k];
            if (op->outcome != (int)o || !home_body(b, HOME_OUTPUT, (int)k, 1)) continue;
            heading(b, 3, arena_printf(b->a, "output-%s", op->code), "Output %s. %s", op->code,
                    op->title);
            home_body(b, HOME_OUTPUT, (int)k, 0);
        }
    }
}

static void drivers(Builder *b)
{
    RData *rd = b->rd;
    int any = 0;
    for (size_t k = 0; k < rd->ndrivers && !any; k++) any = home_body(b, HOME_DRIVER, (int)k, 1);
    if (!any) return;
    heading(b, 2, "drivers", "Synergies and cross-cutting drivers");
    for (size_t k = 0; k < rd->ndrivers; k++) {
        if (!home_body(b, HOME_DRIVER, (int)k, 1)) continue;
        heading(b, 3, arena_printf(b->a, "driver-%s", rd->drivers[k].code), "%s",
                rd->drivers[k].title);
        home_body(b, HOME_DRIVER, (int)k, 0);
    }
}

/* ---- indicators -------------------------------------------------------- */

/* A number as the report prints it: up to two decimals, no trailing zeros. */
static const char *num(Builder *b, double v, const char *unit)
{
    char s[64];
    snprintf(s, sizeof s, "%.2f", v);
    char *dot = strchr(s, '.');
    if (dot) {
        char *e = s + strlen(s) - 1;
        while (e > dot && *e == '0') *e-- = 0;
        if (e == dot) *e = 0;
    }
    if (strcmp(s, "-0") == 0) strcpy(s, "0");
    if (!unit || !*unit) return arena_strdup(b->a, s);
    return arena_printf(b->a, "%s%s%s", s, strcmp(unit, "%") == 0 ? "" : " ", unit);
}

/* The milestone of indicator x that falls due in the biennium [lo, hi]: the
 * last one whose period ends inside it; -1 when none. */
static int milestone_in(const RIndicator *x, int lo, int hi)
{
    int found = -1;
    for (size_t k = 0; k < x->rule.nmilestones; k++)
        if (x->rule.milestones[k].last >= lo && x->rule.milestones[k].last <= hi) found = (int)k;
    return found;
}

static void indicator_table(Builder *b, int lo, int hi)
{
    RData *rd = b->rd;
    int as_of = hi < rd->year ? hi : rd->year;
    /* The sentence that counts the statuses goes before the table: its block is added first
     * and its text set once the rows are read (blocks may move as the list grows: by index). */
    size_t sentence = b->doc->nblocks;
    add(b, RB_PARA);
    RBlock *t = table(b, arena_printf(b->a, "Indicators, %d–%02d (status at the end of %d)", lo,
                                      hi % 100, as_of),
                      6, (int)rd->nindicators, 0);
    const char *head[] = {"Indicator", "Baseline", "Milestone", "Target", "Latest measurement",
                          "Status"};
    for (int c = 0; c < 6; c++) t->cells[c] = head[c];
    int ahead = 0, counts[IND__COUNT] = {0};
    for (size_t k = 0; k < rd->nindicators; k++) {
        const RIndicator *x = &rd->indicators[k];
        const RulesIndicator *r = &x->rule;
        int row = (int)k + 1, latest = -1;
        IndicatorStatus st = rules_indicator_status(r, as_of, &latest);
        counts[st]++;
        cell(b, t, row, 0, "%s %s", x->code, x->title);
        if (r->has_baseline) cell(b, t, row, 1, "%s (%d)", num(b, r->baseline, x->unit),
                                  r->baseline_year);
        int m = milestone_in(x, lo, hi);
        if (m >= 0) cell(b, t, row, 2, "%s (%s)", num(b, r->milestones[m].value, x->unit),
                         x->milestone_period[m]);
        if (r->has_target) cell(b, t, row, 3, "%s (%d)", num(b, r->target, x->unit),
                                r->end_year);
        if (latest >= 0) cell(b, t, row, 4, "%s (%s)", num(b, r->measurements[latest].value,
                                                            x->unit),
                              x->measurement_date[latest]);
        cell(b, t, row, 5, "%s", rules_indicator_status_label(st));
        if (st == IND_ACHIEVED_AHEAD) ahead++;
    }
    Buf s = BUF_INIT;
    buf_printf(&s, "At the end of %d, of the %zu indicators, ", as_of, rd->nindicators);
    static const IndicatorStatus order[] = {IND_ACHIEVED, IND_ACHIEVED_AHEAD, IND_ON_TRACK,
                                            IND_AT_RISK, IND_NOT_ACHIEVED, IND_NO_DATA};
    int first = 1;
    for (size_t k = 0; k < sizeof order / sizeof *order; k++) {
        if (!counts[order[k]]) continue;
        buf_printf(&s, "%s%d %s %s", first ? "" : ", ", counts[order[k]],
                   counts[order[k]] == 1 ? "was" : "were",
                   rules_indicator_status_label(order[k]));
        first = 0;
    }
    buf_puts(&s, ".");
    if (ahead) {
        buf_puts(&s, " Reached ahead of schedule: ");
        int i = 0;
        for (size_t k = 0; k < rd->nindicators; k++) {
            const RIndicator *x = &rd->indicators[k];
            int latest = -1;
            if (rules_indicator_status(&x->rule, as_of, &latest) != IND_ACHIEVED_AHEAD) continue;
            buf_printf(&s, "%s%s (%s on %s)", i++ ? "; " : "", x->title,
                       num(b, x->rule.measurements[latest].value, x->unit),
                       x->measurement_date[latest]);
        }
        buf_puts(&s, ".");
    }
    b->doc->blocks[sentence].text = arena_strdup(b->a, buf_str(&s));
    buf_free(&s);
}

static void indicators(Builder *b)
{
    RData *rd = b->rd;
    if (!rd->nindicators) return;
    heading(b, 2, "indicators", "Indicators and milestones");
    int hi_first = rd->final ? rd->first_year : rd->year;
    for (int lo = rules_biennium_first(hi_first, rd->odd); lo <= rd->year; lo += 2)
        indicator_table(b, lo, lo + 1);
}

/* ---- risks, service levels, spending ----------------------------------- */

static void risks(Builder *b)
{
    RData *rd = b->rd;
    if (!rd->nrisks) return;
    int inh[5] = {0}, res[5] = {0}, actions = 0, done = 0;
    for (size_t k = 0; k < rd->nrisks; k++) {
        const RRisk *r = &rd->risks[k];
        inh[rules_risk_level(rd->risk_matrix, r->ip, r->ii)]++;
        res[rules_risk_level(rd->risk_matrix, r->rp, r->ri)]++;
        actions += r->nactions;
        done += r->nactions_done;
    }
    heading(b, 2, "risks", "Risk management");
    text_block(b, RB_PARA,
               "The IT risk register holds %zu %s. After remedial actions, %d %s at a low, %d at "
               "a medium, %d at a high and %d at a critical level of residual risk. Of the %d "
               "remedial %s recorded, %d %s done.",
               rd->nrisks, rd->nrisks == 1 ? "risk" : "risks", res[RISK_LOW],
               res[RISK_LOW] == 1 ? "is" : "are", res[RISK_MEDIUM], res[RISK_HIGH],
               res[RISK_CRITICAL], actions, actions == 1 ? "action" : "actions", done,
               done == 1 ? "is" : "are");
    int nrows = res[RISK_NONE] || inh[RISK_NONE] ? 5 : 4;
    RBlock *t = table(b, "Risks by level, before and after remedial actions", 3, nrows, 6u);
    cell(b, t, 0, 0, "Level");
    cell(b, t, 0, 1, "Inherent");
    cell(b, t, 0, 2, "Residual");
    for (int l = RISK_CRITICAL, row = 1; l >= RISK_NONE; l--) {
        if (l == RISK_NONE && nrows == 4) break;
        cell(b, t, row, 0, "%s", l == RISK_NONE ? "not assessed" : rules_risk_level_key(l));
        cell(b, t, row, 1, "%d", inh[l]);
        cell(b, t, row, 2, "%d", res[l]);
        row++;
    }
}

static void services(Builder *b)
{
    RData *rd = b->rd;
    if (!rd->nservices) return;
    heading(b, 2, "services", "Service levels");
    int lo = rd->final ? rd->first_year : rd->year;
    /* The summary sentence goes before the table; its text is set once the rows are read. */
    size_t sentence = b->doc->nblocks;
    add(b, RB_PARA);
    RBlock *t = table(b, lo == rd->year ? arena_printf(b->a, "Service-level compliance, %d",
                                                       rd->year)
                                        : arena_printf(b->a, "Service-level compliance, %d–%d",
                                                       lo, rd->year),
                      5, (int)rd->nservices, 30u);
    const char *head[] = {"Service", "Availability target", "Average availability",
                          "Months met / measured", "Compliance"};
    for (int c = 0; c < 5; c++) t->cells[c] = head[c];
    int met = 0, measured = 0;
    for (size_t k = 0; k < rd->nservices; k++) {
        const RService *s = &rd->services[k];
        int row = (int)k + 1;
        cell(b, t, row, 0, "%s", s->name);
        if (!isnan(s->availability_target))
            cell(b, t, row, 1, "%s", num(b, s->availability_target, "%"));
        if (s->availability_n)
            cell(b, t, row, 2, "%s", num(b, s->availability_sum / s->availability_n, "%"));
        cell(b, t, row, 3, "%d / %d", s->met, s->met + s->missed);
        if (s->met + s->missed)
            cell(b, t, row, 4, "%ld%%", per_cent(s->met, s->met + s->missed));
        met += s->met;
        measured += s->met + s->missed;
    }
    b->doc->blocks[sentence].text = arena_printf(b->a,
                                                 "Service-level targets were met in %d of the %d "
                                                 "service-months measured (%ld per cent).",
                                                 met, measured, per_cent(met, measured));
}

/* An amount in cents as "1,234,567". */
static const char *money(Builder *b, int64_t cents)
{
    char digits[32], out[48];
    long long units = llround((double)cents / 100.0);
    snprintf(digits, sizeof digits, "%lld", units < 0 ? -units : units);
    size_t n = strlen(digits), o = 0;
    if (units < 0) out[o++] = '-';
    for (size_t k = 0; k < n; k++) {
        if (k && (n - k) % 3 == 0) out[o++] = ',';
        out[o++] = digits[k];
    }
    out[o] = 0;
    return arena_strdup(b->a, out);
}

static void spending(Builder *b)
{
    RData *rd = b->rd;
    if (!rd->nexpenses) return;
    /* Categories in first-seen order; one column per year. */
    const char **cats = NULL;
    size_t ncats = 0;
    int lo = rd->year, hi = rd->year;
    for (size_t k = 0; k < rd->nexpenses; k++) {
        const RExpense *e = &rd->expenses[k];
        if (e->year < lo) lo = e->year;
        size_t c = 0;
        while (c < ncats && strcmp(cats[c], e->category) != 0) c++;
        if (c == ncats) {
            cats = arena_grow(b->a, cats, ncats, sizeof *cats);
            cats[ncats++] = e->category;
        }
    }
    int nyears = hi - lo + 1, ncols = nyears + 1 + (nyears > 1);
    heading(b, 2, "expenditure", "IT expenditure");
    int64_t total = 0;
    for (size_t k = 0; k < rd->nexpenses; k++)
        if (rd->expenses[k].year == rd->year) total += rd->expenses[k].cents;
    text_block(b, RB_PARA, "IT expenditure in %d amounted to %s %s.", rd->year,
               rd->expense_currency ? rd->expense_currency : "", money(b, total));
    RBlock *t = table(b, arena_printf(b->a, "IT expenditure by category (%s)",
                                      rd->expense_currency ? rd->expense_currency : ""),
                      ncols, (int)ncats + 1, ~1u);
    cell(b, t, 0, 0, "Category");
    for (int y = 0; y < nyears; y++) cell(b, t, 0, y + 1, "%d", lo + y);
    if (nyears > 1) cell(b, t, 0, ncols - 1, "Total");
    int64_t *col = arena_alloc(b->a, (size_t)ncols * sizeof *col);
    for (size_t c = 0; c < ncats; c++) {
        int64_t row_total = 0;
        cell(b, t, (int)c + 1, 0, "%s", cats[c]);
        for (int y = 0; y < nyears; y++) {
            int64_t v = 0;
            for (size_t k = 0; k < rd->nexpenses; k++)
                if (rd->expenses[k].year == lo + y && strcmp(rd->expenses[k].category, cats[c]) == 0)
                    v += rd->expenses[k].cents;
            cell(b, t, (int)c + 1, y + 1, "%s", money(b, v));
            row_total += v;
            col[y] += v;
        }
        if (nyears > 1) cell(b, t, (int)c + 1, ncols - 1, "%s", money(b, row_total));
        col[ncols - 1] += row_total;
    }
    cell(b, t, (int)ncats + 1, 0, "Total");
    for (int y = 0; y < nyears; y++) cell(b, t, (int)ncats + 1, y + 1, "%s", money(b, col[y]));
    if (nyears > 1) cell(b, t, (int)ncats + 1, ncols - 1, "%s", money(b, col[ncols - 1]));
}

void report_build(RData *rd, RDoc *doc)
{
    memset(doc, 0, sizeof *doc);
    doc->rd = rd;
    Builder b = {rd, doc, &rd->arena};
    intro(&b);
    outcomes(&b);
    drivers(&b);
    indicators(&b);
    risks(&b);
    services(&b);
    spending(&b);
}
