/* layout.c — the frame of every page (layout.h). */
#define _GNU_SOURCE /* memmem */
#include "layout.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "builtin.h"
#include "html.h"
#include "session.h"

static char css_url[64];
static pthread_once_t css_once = PTHREAD_ONCE_INIT;

static void css_url_init(void)
{
    const Builtin *f = builtin_find("web/assets/site.css");
    unsigned char h[16];
    crypto_generichash(h, sizeof h, (const unsigned char *)(f ? f->data : ""), f ? f->size : 0,
                       NULL, 0);
    snprintf(css_url, sizeof css_url, "/static/site.css?v=%02x%02x%02x%02x%02x%02x", h[0], h[1],
             h[2], h[3], h[4], h[5]);
}

const char *layout_css_url(void)
{
    pthread_once(&css_once, css_url_init);
    return css_url;
}

static const struct {
    NavItem item;
    const char *path; /* after /s/CODE */
    const char *label;
} nav_items[] = {
    {NAV_HOME, "", "Overview"},         {NAV_STRATEGY, "/strategy", "Strategy"},
    {NAV_PORTFOLIO, "/portfolio", "Portfolio"}, {NAV_INDICATORS, "/indicators", "Indicators"},
    {NAV_RISKS, "/risks", "Risks"},     {NAV_SERVICES, "/services", "Services"},
    {NAV_EXPENDITURE, "/expenditure", "Expenditure"},
    {NAV_GOVERNANCE, "/governance", "Governance"}, {NAV_REPORTS, "/reports", "Reports"},
};

void layout_begin(Req *rq, Resp *rs, NavItem nav, const char *title)
{
    Buf *b = &rs->body;
    const ReqStrategy *s = rq->strategy;
    html_lit(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    if (s) html_printf(b, "<title>%s · %s · itstrat</title>\n", title, s->code);
    else html_printf(b, "<title>%s · itstrat</title>\n", title);
    html_printf(b, "<link rel=\"stylesheet\" href=\"%s\">\n", layout_css_url());
    html_lit(b, "<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">\n"
                "</head>\n<body>\n<a class=\"skip\" href=\"#main\">Skip to content</a>\n"
                "<header class=\"site\">\n<div class=\"bar\">"
                "<a class=\"brand\" href=\"/\">itstrat</a>");
    if (s)
        html_printf(b, "<a class=\"strategy-name\" href=\"/s/%s\">%s</a>", s->code, s->title);
    html_lit(b, LAYOUT_USER_MARK "</div>\n");
    if (s) {
        html_lit(b, "<nav aria-label=\"Strategy\"><ul>");
        for (size_t k = 0; k < sizeof nav_items / sizeof *nav_items; k++) {
            if (nav_items[k].item == nav)
                html_printf(b, "<li><a href=\"/s/%s%s\" aria-current=\"page\">%s</a></li>",
                            s->code, nav_items[k].path, nav_items[k].label);
            else
                html_printf(b, "<li><a href=\"/s/%s%s\">%s</a></li>", s->code,
                            nav_items[k].path, nav_items[k].label);
        }
        html_lit(b, "</ul></nav>\n");
    }
    html_lit(b, "</header>\n<main id=\"main\" tabindex=\"-1\">\n");
    html_printf(b, "<h1>%s</h1>\n", title);
}

/* The user area of the header: who is signed in, their links, sign-out. */
static void user_area(Req *rq, Buf *b)
{
    html_lit(b, "<div class=\"user\">");
    const ReqUser *u = rq->user;
    if (!u) {
        if (strncmp(rq->path, "/login", 6) != 0) {
            html_lit(b, "<a href=\"/login?next=");
            html_url_param(b, rq->path);
            html_lit(b, "\">Sign in</a>");
        }
        html_lit(b, "</div>");
        return;
    }
    if (rq->strategy)
        html_printf(b, "<a href=\"/s/%s/records\">Records</a>", rq->strategy->code);
    if (u->rank >= ROLE_ADMIN) html_lit(b, "<a href=\"/admin/users\">Admin</a>");
    html_printf(b, "<a href=\"/account\" title=\"Your account (%s)\">%s</a>", u->role, u->login);
    html_lit(b, "<form method=\"post\" action=\"/logout\">");
    session_csrf_field(rq, b);
    html_lit(b, "<button type=\"submit\" class=\"link\">Sign out</button></form></div>");
}

void layout_personalize(Req *rq, Resp *rs)
{
    if (strncmp(rs->content_type, "text/html", 9) != 0 || rs->body.n == 0) return;
    const char *mark = memmem(rs->body.a, rs->body.n, LAYOUT_USER_MARK, strlen(LAYOUT_USER_MARK));
    if (!mark) return;
    size_t at = (size_t)(mark - rs->body.a), n = strlen(LAYOUT_USER_MARK);
    Buf out = BUF_INIT;
    buf_reserve(&out, rs->body.n + 512);
    buf_append(&out, rs->body.a, at);
    user_area(rq, &out);
    buf_append(&out, rs->body.a + at + n, rs->body.n - at - n);
    buf_free(&rs->body);
    rs->body = out;
}

void layout_end(Req *rq, Resp *rs)
{
    Buf *b = &rs->body;
    html_lit(b, "</main>\n<footer class=\"site\"><p>");
    if (rq->strategy && rq->strategy->organization)
        html_printf(b, "%s · ", rq->strategy->organization);
    html_lit(b, "itstrat — the IT strategy, its portfolio and its reports in one place. "
                "<a href=\"/api/v1/strategies\">JSON API</a></p></footer>\n</body>\n</html>\n");
}
