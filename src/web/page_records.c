/* page_records.c — placeholder until its pages are written (answers 501). */
#include "pages.h"

int page_records(Req *rq, Resp *rs)
{
    return http_error(rq, rs, 501, "This page is not built yet.");
}

int page_record_list(Req *rq, Resp *rs)
{
    return http_error(rq, rs, 501, "This page is not built yet.");
}

int page_record(Req *rq, Resp *rs)
{
    return http_error(rq, rs, 501, "This page is not built yet.");
}

int page_record_new(Req *rq, Resp *rs)
{
    return http_error(rq, rs, 501, "This page is not built yet.");
}

int page_record_edit(Req *rq, Resp *rs)
{
    return http_error(rq, rs, 501, "This page is not built yet.");
}

int page_record_delete(Req *rq, Resp *rs)
{
    return http_error(rq, rs, 501, "This page is not built yet.");
}

