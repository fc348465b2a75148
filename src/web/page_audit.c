/* page_audit.c — placeholder until its pages are written (answers 501). */
#include "pages.h"

int page_admin_audit(Req *rq, Resp *rs)
{
    return http_error(rq, rs, 501, "This page is not built yet.");
}

int page_admin_audit_csv(Req *rq, Resp *rs)
{
    return http_error(rq, rs, 501, "This page is not built yet.");
}

