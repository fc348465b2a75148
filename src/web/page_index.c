/*
 * page_index.c — "/": the strategies in the database. With a single
 * strategy to show, it goes straight there.
 */
#include "html.h"
#include "layout.h"
#include "pages.h"
#include "routes.h"

int page_index(Req *rq, Resp *rs)
{
    StoreCursor c;
    if (store_open(rq->store, &c, Q_STRATEGIES, 0)) {
        store_close(&c);
        return -1;
    }
    Buf list = BUF_INIT;
    int n = 0;
    const char *only = NULL;
    for (; c.has_row; store_advance(&c)) {
        const StrategyRow *r = c.row;
        if (!r->is_public && !routes_sees_all(rq)) continue;
        if (n++ == 0) only = arena_strdup(&rq->arena, r->code);
        html_printf(&list, "<li><a href=\"/s/%s\">%s</a> <span class=\"muted\">%lld–%lld",
                    r->code, r->title, (long long)r->first_year, (long long)r->last_year);
        if (r->organization) html_printf(&list, " · %s", r->organization);
        html_lit(&list, "</span></li>\n");
    }
    int failed = c.failed;
    store_close(&c);
    if (failed) {
        buf_free(&list);
        return -1;
    }
    if (n == 1) {
        buf_free(&list);
        return http_redirect(rs, arena_printf(&rq->arena, "/s/%s", only));
    }
    layout_begin(rq, rs, NAV_NONE, "IT strategies");
    if (n == 0)
        html_lit(&rs->body, "<p>This database holds no strategy to show yet. Load one with "
                            "<code>itstrat import FILE</code>.</p>\n");
    else
        html_lit(&rs->body, "<ul class=\"plain\">\n"), buf_append(&rs->body, list.a, list.n),
            html_lit(&rs->body, "</ul>\n");
    layout_end(rq, rs);
    buf_free(&list);
    return 0;
}
