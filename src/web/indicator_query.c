/* indicator_query.c — the indicator list's and page's query (indicator_query.h). */
#include "indicator_query.h"

#include <stddef.h>

#include "store_indicators.h"

#define YEAR_FIELD                                                                             \
    {"year", QT_INT, offsetof(IndicatorQuery, year), offsetof(IndicatorQuery, has_year), 1000, \
     9999, NULL, 0}

const QueryField indicator_query_list_fields[] = {
    {"kind", QT_ENUM, offsetof(IndicatorQuery, kind), offsetof(IndicatorQuery, has_kind), 0, 0,
     store_indicator_kinds, 0},
    {"status", QT_ENUM, offsetof(IndicatorQuery, status), offsetof(IndicatorQuery, has_status),
     0, 0, store_indicator_status_keys, 0},
    YEAR_FIELD,
    {NULL, 0, 0, 0, 0, 0, NULL, 0},
};

const QueryField indicator_query_one_fields[] = {
    YEAR_FIELD,
    {NULL, 0, 0, 0, 0, 0, NULL, 0},
};

int indicator_query_year(Req *rq, Resp *rs, const IndicatorQuery *q, int *year)
{
    const ReqStrategy *s = rq->strategy;
    if (!q->has_year)
        return store_indicators_default_year(rq->store, s->id, s->first_year, s->last_year, year);
    if (q->year < s->first_year || q->year > s->last_year) {
        http_error(rq, rs, 400, "parameter year: must be a year of the strategy's period, "
                                "%d to %d, not %lld", s->first_year, s->last_year, q->year);
        return 1;
    }
    *year = (int)q->year;
    return 0;
}
