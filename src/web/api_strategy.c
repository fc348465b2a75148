/* api_strategy.c — NOT BUILT YET: placeholder answering 501 until its owner writes it. */
#include "pages.h"

int api_strategies(Req *rq, Resp *rs)
{
    return http_error(rq, rs, 501, "Not built yet.");
}

int api_strategy(Req *rq, Resp *rs)
{
    return http_error(rq, rs, 501, "Not built yet.");
}

