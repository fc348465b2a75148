/* api_records.c — placeholder (answers 501). */
#include "pages.h"
int api_records(Req *rq, Resp *rs)
{
    return http_error(rq, rs, 501, "This is not built yet.");
}
int api_record(Req *rq, Resp *rs)
{
    return http_error(rq, rs, 501, "This is not built yet.");
}
int api_record_history(Req *rq, Resp *rs)
{
    return http_error(rq, rs, 501, "This is not built yet.");
}
