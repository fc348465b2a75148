/* page_account.c — placeholder until its pages are written (answers 501). */
#include "pages.h"

int page_account(Req *rq, Resp *rs)
{
    return http_error(rq, rs, 501, "This page is not built yet.");
}

int page_account_password(Req *rq, Resp *rs)
{
    return http_error(rq, rs, 501, "This page is not built yet.");
}

int page_account_mfa(Req *rq, Resp *rs)
{
    return http_error(rq, rs, 501, "This page is not built yet.");
}

int page_account_recovery(Req *rq, Resp *rs)
{
    return http_error(rq, rs, 501, "This page is not built yet.");
}

int page_account_tokens(Req *rq, Resp *rs)
{
    return http_error(rq, rs, 501, "This page is not built yet.");
}

int page_account_token_revoke(Req *rq, Resp *rs)
{
    return http_error(rq, rs, 501, "This page is not built yet.");
}

int page_account_logout_all(Req *rq, Resp *rs)
{
    return http_error(rq, rs, 501, "This page is not built yet.");
}

