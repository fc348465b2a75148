/*
 * indicator_query.h — the query the indicator page and API share:
 * ?kind=outcome|kpi|kri&status=KEY&year=YYYY for the list, ?year=YYYY for
 * one indicator, and the as-of year both settle from it.
 */
#ifndef ITSTRAT_INDICATOR_QUERY_H
#define ITSTRAT_INDICATOR_QUERY_H

#include "http.h"

typedef struct IndicatorQuery {
    int kind, has_kind;     /* index into store_indicator_kinds */
    int status, has_status; /* IndicatorStatus, index into store_indicator_status_keys */
    long long year;         /* as-of year asked for */
    int has_year;
} IndicatorQuery;

/* Fields for http_query() into an IndicatorQuery: the list's (kind, status,
 * year) and one indicator's (year). */
extern const QueryField indicator_query_list_fields[];
extern const QueryField indicator_query_one_fields[];

/* The as-of year: q's year (400 when outside the strategy's period), else
 * the store's default. Returns 0 with *year set, 1 after answering 400, -1
 * on a database error. */
int indicator_query_year(Req *rq, Resp *rs, const IndicatorQuery *q, int *year);

#endif
