/* api_projects.c — NOT BUILT YET: placeholder answering 501 until its owner writes it. */
#include "pages.h"

int api_projects(Req *rq, Resp *rs)
{
    return http_error(rq, rs, 501, "Not built yet.");
}

int api_project(Req *rq, Resp *rs)
{
    return http_error(rq, rs, 501, "Not built yet.");
}

int api_stats(Req *rq, Resp *rs)
{
    return http_error(rq, rs, 501, "Not built yet.");
}

