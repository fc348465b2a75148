/* page_admin.c — placeholder until its pages are written (answers 501). */
#include "pages.h"

int page_admin_users(Req *rq, Resp *rs)
{
    return http_error(rq, rs, 501, "This page is not built yet.");
}

int page_admin_user(Req *rq, Resp *rs)
{
    return http_error(rq, rs, 501, "This page is not built yet.");
}

int page_admin_settings(Req *rq, Resp *rs)
{
    return http_error(rq, rs, 501, "This page is not built yet.");
}

