/* http.c — error pages, redirects, reason phrases (http.h). */
#include "http.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "html.h"
#include "json_w.h"
#include "layout.h"

const char *http_reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 301: return "Moved Permanently";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 413: return "Content Too Large";
    case 500: return "Internal Server Error";
    case 401: return "Unauthorized";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 503: return "Service Unavailable";
    default: return "Error";
    }
}

int http_is_api(const Req *rq)
{
    return rq->path && strncmp(rq->path, "/api/", 5) == 0;
}

void http_cache_policy(const Req *rq, Resp *rs)
{
    int personal = rq->user || rq->session_hash || rq->pending_user || rq->cookie_session ||
                   rq->cookie_login || rq->authorization || rs->nset_cookie > 0;
    if (personal && (!rs->cache_control || strncmp(rs->cache_control, "public", 6) != 0))
        rs->cache_control = HTTP_PRIVATE;
}

int http_error(Req *rq, Resp *rs, int status, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    rs->status = status;
    rs->etag = NULL;
    buf_reset(&rs->body);
    if (http_is_api(rq)) {
        rs->content_type = "application/json";
        JsonW w;
        jw_init(&w, &rs->body, NULL, NULL);
        jw_object(&w);
        jw_key(&w, "error");
        jw_object(&w);
        jw_key(&w, "status"), jw_int(&w, status);
        jw_key(&w, "reason"), jw_string(&w, http_reason(status));
        jw_key(&w, "message"), jw_string(&w, msg);
        jw_end(&w);
        jw_end(&w);
        jw_finish(&w);
        return 0;
    }
    rs->content_type = "text/html; charset=utf-8";
    char title[64];
    snprintf(title, sizeof title, "%d %s", status, http_reason(status));
    layout_begin(rq, rs, NAV_NONE, title);
    html_printf(&rs->body, "<p class=\"error-message\">%s</p>\n", msg);
    html_lit(&rs->body, "<p><a href=\"/\">All strategies</a></p>\n");
    layout_end(rq, rs);
    return 0;
}

const char *http_attachment(Req *rq, const char *stem, const char *ext)
{
    char *code = arena_strdup(&rq->arena, rq->strategy->code);
    for (char *p = code; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '_' || *p == '-'))
            *p = '-';
    return arena_printf(&rq->arena, "attachment; filename=\"%s-%s.%s\"", stem, code, ext);
}

int http_query(Req *rq, Resp *rs, const QueryField *fields, void *out)
{
    Buf err = BUF_INIT;
    int bad = query_bind(&rq->query, fields, out, &err) != 0;
    if (bad) {
        buf_truncate(&err, strcspn(buf_str(&err), "\n"));
        http_error(rq, rs, 400, "%s", buf_str(&err));
    }
    buf_free(&err);
    return bad;
}

int http_redirect(Resp *rs, const char *location)
{
    rs->status = 303;
    rs->location = location;
    buf_reset(&rs->body);
    return 0;
}

int64_t http_parse_id(const char *s)
{
    size_t n = s ? strspn(s, "0123456789") : 0;
    if (n == 0 || n > 18 || s[n] || s[0] == '0') return 0;
    int64_t v = 0;
    for (size_t k = 0; k < n; k++) v = v * 10 + (s[k] - '0');
    return v;
}
