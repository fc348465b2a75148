/*
 * rules.c — derived statuses: indicator status, risk level, SLA compliance.
 * The rules are stated for people in docs/rules.md.
 */
#include "rules.h"

#include <math.h>
#include <string.h>

int rules_period_parse(const char *s, int *first, int *last)
{
    if (!s) return -1;
    size_t n = strlen(s);
    for (size_t k = 0; k < n; k++)
        if (!(s[k] >= '0' && s[k] <= '9') && !(k == 4 && s[k] == '-')) return -1;
    if (n != 4 && n != 7) return -1;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    if (n == 4) {
        *first = *last = y;
        return 0;
    }
    if (s[4] != '-') return -1;
    int yy = (s[5] - '0') * 10 + (s[6] - '0');
    if (yy != (y + 1) % 100) return -1;
    *first = y;
    *last = y + 1;
    return 0;
}

int rules_year_of(const char *s)
{
    if (!s) return 0;
    int y = 0;
    for (int k = 0; k < 4; k++) {
        if (s[k] < '0' || s[k] > '9') return 0;
        y = y * 10 + (s[k] - '0');
    }
    return y;
}

int rules_biennium_first(int year, int odd)
{
    int is_odd = (year % 2 + 2) % 2;
    return is_odd == odd ? year : year - 1;
}

int rules_meets(int down, double value, double reference)
{
    return down ? value <= reference : value >= reference;
}

/* The value expected at year as_of on the straight line from (y0, v0) to
 * (y1, v1). */
static double rules_expected(int y0, double v0, int y1, double v1, int as_of)
{
    return v0 + (v1 - v0) * (double)(as_of - y0) / (double)(y1 - y0);
}

IndicatorStatus rules_indicator_status(const RulesIndicator *ind, int as_of, int *latest)
{
    long at = -1;
    for (size_t k = 0; k < ind->nmeasurements; k++)
        if (ind->measurements[k].year <= as_of) at = (long)k;
    if (latest) *latest = (int)at;
    if (at < 0) return IND_NO_DATA;
    double v = ind->measurements[at].value;
    int down = ind->down;

    /* At or after the end of the strategy: the target (or the last
     * milestone when there is no target) decides. */
    if (as_of >= ind->end_year) {
        double ref;
        if (ind->has_target) ref = ind->target;
        else if (ind->nmilestones) ref = ind->milestones[ind->nmilestones - 1].value;
        else return IND_NO_DATA;
        return rules_meets(down, v, ref) ? IND_ACHIEVED : IND_NOT_ACHIEVED;
    }

    /* Before the end: reaching the target or a later period's milestone
     * already is ahead of schedule. */
    if (ind->has_target && rules_meets(down, v, ind->target)) return IND_ACHIEVED_AHEAD;
    for (size_t k = 0; k < ind->nmilestones; k++)
        if (ind->milestones[k].first > as_of && rules_meets(down, v, ind->milestones[k].value))
            return IND_ACHIEVED_AHEAD;

    /* A milestone whose period ends this year is due now. */
    for (size_t k = 0; k < ind->nmilestones; k++)
        if (ind->milestones[k].last == as_of)
            return rules_meets(down, v, ind->milestones[k].value) ? IND_ACHIEVED
                                                                  : IND_NOT_ACHIEVED;

    /* Otherwise compare with the straight line from the last reference
     * point passed (a milestone or the baseline) to the next one. */
    int have_next = 0, y1 = 0;
    double v1 = 0;
    for (size_t k = 0; k < ind->nmilestones && !have_next; k++)
        if (ind->milestones[k].last > as_of) {
            have_next = 1;
            y1 = ind->milestones[k].last;
            v1 = ind->milestones[k].value;
        }
    if (!have_next && ind->has_target) {
        have_next = 1;
        y1 = ind->end_year;
        v1 = ind->target;
    }
    if (!have_next) return IND_NO_DATA;

    int have_prev = 0, y0 = 0;
    double v0 = 0;
    if (ind->has_baseline && ind->baseline_year <= as_of) {
        have_prev = 1;
        y0 = ind->baseline_year;
        v0 = ind->baseline;
    }
    for (size_t k = 0; k < ind->nmilestones; k++)
        if (ind->milestones[k].last < as_of && (!have_prev || ind->milestones[k].last >= y0)) {
            have_prev = 1;
            y0 = ind->milestones[k].last;
            v0 = ind->milestones[k].value;
        }
    if (!have_prev || y0 >= y1) return IND_ON_TRACK;
    return rules_meets(down, v, rules_expected(y0, v0, y1, v1, as_of)) ? IND_ON_TRACK
                                                                      : IND_AT_RISK;
}

static const char *const status_labels[IND__COUNT][2] = {
    [IND_NO_DATA] = {"no_data", "no data"},
    [IND_ACHIEVED] = {"achieved", "achieved"},
    [IND_ACHIEVED_AHEAD] = {"achieved_ahead", "achieved ahead of schedule"},
    [IND_ON_TRACK] = {"on_track", "on track"},
    [IND_AT_RISK] = {"at_risk", "at risk"},
    [IND_NOT_ACHIEVED] = {"not_achieved", "not achieved"},
};

const char *rules_indicator_status_label(IndicatorStatus s)
{
    return (unsigned)s < IND__COUNT ? status_labels[s][1] : "no data";
}

const char *rules_indicator_status_key(IndicatorStatus s)
{
    return (unsigned)s < IND__COUNT ? status_labels[s][0] : "no_data";
}

/* Probability (rows 1-5) x impact (columns 1-5); score p*i of 1-4 is low,
 * 5-9 medium, 10-14 high, 15-25 critical. */
static const char default_matrix[] = "llllm"
                                     "llmmh"
                                     "lmmhc"
                                     "lmhcc"
                                     "mhccc";

int rules_risk_matrix_valid(const char *matrix)
{
    if (!matrix || strlen(matrix) != 25) return -1;
    for (int k = 0; k < 25; k++)
        if (!strchr("lmhc", matrix[k])) return -1;
    return 0;
}

RiskLevel rules_risk_level(const char *matrix, int p, int i)
{
    if (p < 1 || p > 5 || i < 1 || i > 5) return RISK_NONE;
    if (!matrix) matrix = default_matrix;
    else if (rules_risk_matrix_valid(matrix)) return RISK_NONE;
    switch (matrix[(p - 1) * 5 + (i - 1)]) {
    case 'l': return RISK_LOW;
    case 'm': return RISK_MEDIUM;
    case 'h': return RISK_HIGH;
    case 'c': return RISK_CRITICAL;
    default: return RISK_NONE;
    }
}

const char *rules_risk_level_key(RiskLevel l)
{
    static const char *const keys[] = {"none", "low", "medium", "high", "critical"};
    return (unsigned)l <= RISK_CRITICAL ? keys[l] : "none";
}

/* One target against its measurement: -1 not comparable, 0 missed, 1 met. */
static int rules_sla_one(double target, double value, int down)
{
    if (isnan(target) || isnan(value)) return -1;
    return rules_meets(down, value, target);
}

int rules_sla_month(const RulesSla *m)
{
    int r[3] = {rules_sla_one(m->availability_target, m->availability, 0),
                rules_sla_one(m->response_target, m->response, 1),
                rules_sla_one(m->resolution_target, m->resolution, 1)};
    int any = 0;
    for (int k = 0; k < 3; k++) {
        if (r[k] == 0) return SLA_MISSED;
        if (r[k] == 1) any = 1;
    }
    return any ? SLA_MET : SLA_NO_DATA;
}
