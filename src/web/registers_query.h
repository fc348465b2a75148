/*
 * registers_query.h — the queries the register pages and their API share
 * (risks, services, expenditure, governance): one struct and one field
 * table each, so that a page and its JSON take the same parameters with the
 * same checks.
 */
#ifndef ITSTRAT_REGISTERS_QUERY_H
#define ITSTRAT_REGISTERS_QUERY_H

#include "http.h"

/* ?level=low|medium|high|critical&category=TEXT&date=YYYY-MM-DD */
typedef struct RiskQuery {
    int level, has_level;    /* index into registers_risk_levels */
    const char *category;    /* NULL: any */
    const char *date;        /* NULL: no "overdue" marks */
} RiskQuery;
extern const char *const registers_risk_levels[]; /* NULL-terminated */

/* Binds rq's query into q (zeroed first), the date checked as a date that
 * exists. Returns 0, or 1 after answering 400 naming the parameter. */
int registers_risk_query(Req *rq, Resp *rs, RiskQuery *q);

/* ?year=YYYY&service=CODE */
typedef struct ServiceQuery {
    long long year;
    int has_year;
    const char *service;     /* NULL: every service */
} ServiceQuery;
extern const QueryField registers_service_fields[];

/* ?year=YYYY&category=TEXT, and ?page=N (the page) or ?limit=N&offset=N
 * (the API). */
typedef struct SpendQuery {
    long long year, page, limit, offset;
    int has_year;
    const char *category;    /* NULL: every category */
} SpendQuery;
extern const QueryField registers_spend_page_fields[];
extern const QueryField registers_spend_api_fields[];

/* ?committee=CODE&kind=approve|prioritize|hold|cancel|guidance|other */
typedef struct GovQuery {
    const char *committee;   /* NULL: every committee */
    int kind, has_kind;      /* index into registers_decision_kinds */
} GovQuery;
extern const char *const registers_decision_kinds[]; /* NULL-terminated */
extern const QueryField registers_gov_fields[];

#endif
