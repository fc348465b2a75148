/* api_registers.c — NOT BUILT YET: placeholder answering 501 until its owner writes it. */
#include "pages.h"

int api_risks(Req *rq, Resp *rs)
{
    return http_error(rq, rs, 501, "Not built yet.");
}

int api_services(Req *rq, Resp *rs)
{
    return http_error(rq, rs, 501, "Not built yet.");
}

int api_expenditure(Req *rq, Resp *rs)
{
    return http_error(rq, rs, 501, "Not built yet.");
}

int api_governance(Req *rq, Resp *rs)
{
    return http_error(rq, rs, 501, "Not built yet.");
}

int api_reports(Req *rq, Resp *rs)
{
    return http_error(rq, rs, 501, "Not built yet.");
}

