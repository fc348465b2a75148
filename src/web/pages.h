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
int page_sheet_download(Req *rq, Resp *rs); /* page_sheets.c: KIND.csv, KIND.xlsx */
/* The download links of the sheets of kinds (NULL-terminated names). */
void page_sheet_links(Buf *b, const ReqStrategy *s, const char *const *kinds);
int page_reports(Req *rq, Resp *rs);      /* page_reports.c */
int page_report(Req *rq, Resp *rs);

int page_login(Req *rq, Resp *rs);        /* page_login.c: sign in, second factor, sign out */
int page_login_code(Req *rq, Resp *rs);
int page_logout(Req *rq, Resp *rs);
int page_oidc_start(Req *rq, Resp *rs);     /* page_oidc.c: sign in through a provider */
int page_oidc_callback(Req *rq, Resp *rs);
void page_oidc_buttons(Req *rq, Buf *b);    /* the providers' buttons of the sign-in page */
/* Where to send the browser after ending rq's session when it came from a
 * provider with an end-session endpoint (an arena string), else NULL. */
const char *page_oidc_logout_target(Req *rq);
int page_account(Req *rq, Resp *rs);      /* page_account.c: one's own account */
int page_account_password(Req *rq, Resp *rs);
int page_account_mfa(Req *rq, Resp *rs);
int page_account_recovery(Req *rq, Resp *rs);
int page_account_tokens(Req *rq, Resp *rs);
int page_account_token_revoke(Req *rq, Resp *rs);
int page_account_logout_all(Req *rq, Resp *rs);
int page_admin_users(Req *rq, Resp *rs);  /* page_admin.c: accounts and settings */
int page_admin_user(Req *rq, Resp *rs);
int page_admin_settings(Req *rq, Resp *rs);
int page_admin_audit(Req *rq, Resp *rs);  /* page_audit.c: the audit trail */
int page_admin_audit_csv(Req *rq, Resp *rs);
int page_records(Req *rq, Resp *rs);      /* page_records.c: browse and edit any record */
int page_record_list(Req *rq, Resp *rs);
int page_record(Req *rq, Resp *rs);
int page_record_new(Req *rq, Resp *rs);
int page_record_edit(Req *rq, Resp *rs);
int page_record_delete(Req *rq, Resp *rs);
int api_records(Req *rq, Resp *rs);       /* api_records.c: writes through the API */
int api_record(Req *rq, Resp *rs);
int api_record_history(Req *rq, Resp *rs);
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
