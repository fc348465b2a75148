/* page_risks.c — NOT BUILT YET: placeholder answering 501 until its owner writes it. */
#include "pages.h"

int page_risks(Req *rq, Resp *rs)
{
    return http_error(rq, rs, 501, "Not built yet.");
}

