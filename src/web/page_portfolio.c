/* page_portfolio.c — NOT BUILT YET: placeholder answering 501 until its owner writes it. */
#include "pages.h"

int page_portfolio(Req *rq, Resp *rs)
{
    return http_error(rq, rs, 501, "Not built yet.");
}

int page_portfolio_csv(Req *rq, Resp *rs)
{
    return http_error(rq, rs, 501, "Not built yet.");
}

int page_portfolio_xlsx(Req *rq, Resp *rs)
{
    return http_error(rq, rs, 501, "Not built yet.");
}

