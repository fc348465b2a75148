/*
 * pages.h — the handlers of the route table (routes.c), one file each:
 * page_NAME.c for HTML pages, api_NAME.c for the JSON API.
 */
#ifndef ITSTRAT_PAGES_H
#define ITSTRAT_PAGES_H

#include "http.h"

int page_index(Req *rq, Resp *rs);        /* page_index.c: the strategies */
int static_asset(Req *rq, Resp *rs);      /* static.c: /static/{file} */
int page_home(Req *rq, Resp *rs);         /* page_home.c */
int page_strategy(Req *rq, Resp *rs);     /* page_strategy.c */
int page_portfolio(Req *rq, Resp *rs);    /* page_portfolio.c */
int page_portfolio_csv(Req *rq, Resp *rs);
int page_portfolio_xlsx(Req *rq, Resp *rs);
int page_project(Req *rq, Resp *rs);      /* page_project.c */
int page_indicators(Req *rq, Resp *rs);   /* page_indicators.c */
int page_indicator(Req *rq, Resp *rs);
int page_risks(Req *rq, Resp *rs);        /* page_risks.c */
int page_services(Req *rq, Resp *rs);     /* page_services.c */
int page_expenditure(Req *rq, Resp *rs);  /* page_expenditure.c */
int page_governance(Req *rq, Resp *rs);   /* page_governance.c */
int page_reports(Req *rq, Resp *rs);      /* page_reports.c */
int page_report(Req *rq, Resp *rs);

int api_strategies(Req *rq, Resp *rs);    /* api_strategy.c */
int api_strategy(Req *rq, Resp *rs);
int api_projects(Req *rq, Resp *rs);      /* api_projects.c */
int api_project(Req *rq, Resp *rs);
int api_stats(Req *rq, Resp *rs);
int api_indicators(Req *rq, Resp *rs);    /* api_indicators.c */
int api_indicator(Req *rq, Resp *rs);
int api_risks(Req *rq, Resp *rs);         /* api_registers.c */
int api_services(Req *rq, Resp *rs);
int api_expenditure(Req *rq, Resp *rs);
int api_governance(Req *rq, Resp *rs);
int api_reports(Req *rq, Resp *rs);

#endif
