/* registers_query.c — the register pages' and API's queries (registers_query.h). */
#include "registers_query.h"

#include <stddef.h>
#include <string.h>

#include "date.h"

const char *const registers_risk_levels[] = {"low", "medium", "high", "critical", NULL};

static const QueryField risk_fields[] = {
    {"level", QT_ENUM, offsetof(RiskQuery, level), offsetof(RiskQuery, has_level), 0, 0,
     registers_risk_levels, 0},
    {"category", QT_TEXT, offsetof(RiskQuery, category), QUERY_NO_HAS, 0, 0, NULL, 200},
    {"date", QT_TEXT, offsetof(RiskQuery, date), QUERY_NO_HAS, 0, 0, NULL, 10},
    {NULL, 0, 0, 0, 0, 0, NULL, 0},
};

int registers_risk_query(Req *rq, Resp *rs, RiskQuery *q)
{
    memset(q, 0, sizeof *q);
    if (http_query(rq, rs, risk_fields, q)) return 1;
    if (q->date && !date_valid(q->date)) {
        http_error(rq, rs, 400, "parameter date: must be a date YYYY-MM-DD that exists, not "
                                "\"%.20s\"", q->date);
        return 1;
    }
    return 0;
}

const QueryField registers_service_fields[] = {
    {"year", QT_INT, offsetof(ServiceQuery, year), offsetof(ServiceQuery, has_year), 1900, 2200,
     NULL, 0},
    {"service", QT_CODE, offsetof(ServiceQuery, service), QUERY_NO_HAS, 0, 0, NULL, 0},
    {NULL, 0, 0, 0, 0, 0, NULL, 0},
};

const QueryField registers_spend_page_fields[] = {
    {"year", QT_INT, offsetof(SpendQuery, year), offsetof(SpendQuery, has_year), 1900, 2200,
     NULL, 0},
    {"category", QT_TEXT, offsetof(SpendQuery, category), QUERY_NO_HAS, 0, 0, NULL, 200},
    {"page", QT_INT, offsetof(SpendQuery, page), QUERY_NO_HAS, 1, 1000000, NULL, 0},
    {NULL, 0, 0, 0, 0, 0, NULL, 0},
};

const QueryField registers_spend_api_fields[] = {
    {"year", QT_INT, offsetof(SpendQuery, year), offsetof(SpendQuery, has_year), 1900, 2200,
     NULL, 0},
    {"category", QT_TEXT, offsetof(SpendQuery, category), QUERY_NO_HAS, 0, 0, NULL, 200},
    {"limit", QT_INT, offsetof(SpendQuery, limit), QUERY_NO_HAS, 1, 1000, NULL, 0},
    {"offset", QT_INT, offsetof(SpendQuery, offset), QUERY_NO_HAS, 0, 100000000, NULL, 0},
    {NULL, 0, 0, 0, 0, 0, NULL, 0},
};

const char *const registers_decision_kinds[] = {"approve", "prioritize", "hold", "cancel",
                                                "guidance", "other", NULL};

const QueryField registers_gov_fields[] = {
    {"committee", QT_CODE, offsetof(GovQuery, committee), QUERY_NO_HAS, 0, 0, NULL, 0},
    {"kind", QT_ENUM, offsetof(GovQuery, kind), offsetof(GovQuery, has_kind), 0, 0,
     registers_decision_kinds, 0},
    {NULL, 0, 0, 0, 0, 0, NULL, 0},
};
