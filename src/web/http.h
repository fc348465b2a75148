/*
 * http.h — one request and its response, as every handler sees them.
 *
 * The server (server.c) turns a libmicrohttpd request into a Req: method,
 * path, the query parsed once (query.h), the route's path arguments, the
 * strategy named in the path, and this thread's database connection. A
 * handler fills the Resp: status, content type and body (a Buf, built with
 * html_printf or the JSON writer), and returns 0. Everything a handler
 * allocates for the request goes into rq->arena, freed when the response has
 * been sent. Handlers never exit and never write SQL: they call the store.
 */
#ifndef ITSTRAT_HTTP_H
#define ITSTRAT_HTTP_H
#include <stdint.h>

#include "arena.h"
#include "buf.h"
#include "db.h"
#include "query.h"
#include "store.h"

enum { M_GET = 1, M_HEAD = 2, M_POST = 4, M_PATCH = 8, M_DELETE = 16, M_PUT = 32 };

/* The strategy a /s/CODE/... path names. */
typedef struct ReqStrategy {
    int64_t id;
    const char *code, *title, *organization, *currency, *risk_matrix;
    int first_year, last_year, odd, is_public;
} ReqStrategy;

/* Roles in order of what they may do; each may do what the ones before it
 * may (docs/security.md). */
typedef enum Role { ROLE_NONE = 0, ROLE_VIEWER, ROLE_CONTRIBUTOR, ROLE_MANAGER, ROLE_ADMIN } Role;

/* Who is asking: the account of the session cookie or the API token. */
typedef struct ReqUser {
    int64_t id;
    const char *login, *name, *role; /* name may be "" */
    Role rank;
} ReqUser;

typedef struct Req {
    Arena arena;               /* everything of this request */
    unsigned method;           /* M_* */
    const char *path;          /* decoded path, without the query */
    const char *raw_query;     /* as received, may be NULL */
    Query query;               /* parsed raw_query */
    const char *args[4];       /* the {name} parts of the route, in order */
    int nargs;
    ReqStrategy *strategy;     /* the strategy of a /s/{s}/ route, else NULL */
    Db *db;                    /* this thread's connection */
    Store *store;              /* with its prepared statements */
    const char *accept_encoding, *if_none_match;
    const char *client;        /* peer address, for logs and lock-out */
    const char *cookie_session;   /* value of the itstrat_session cookie, or NULL */
    const char *cookie_login;     /* value of the itstrat_login cookie (sign-in form), or NULL */
    const char *cookie_oidc;      /* value of the itstrat_oidc cookie (provider sign-in), or NULL */
    const char *authorization;    /* Authorization header, or NULL */
    const char *content_type;     /* Content-Type of the body, or NULL */
    const char *origin;           /* Origin header, or NULL */
    const char *host;             /* Host header, or NULL */
    const char *body;             /* the request body (NUL-terminated), or NULL */
    size_t body_len;
    Query form;                   /* an urlencoded body, parsed (else empty) */
    const ReqUser *user;          /* signed in (session or token), else NULL */
    int by_token;                 /* 1: user came from an API token */
    int token_write;              /* that token may write */
    const char *session_hash;     /* digest of the session cookie, when one is valid */
    const char *csrf;             /* the session's form token, when signed in by cookie */
    int64_t pending_user;         /* a session waiting for its second factor: its account */
    int must_enrol;               /* the admin requires MFA and this account has none */
} Req;

struct HeavyBody;

typedef struct Resp {
    int status;                /* 200 unless set */
    const char *content_type;  /* default text/html; charset=utf-8 */
    Buf body;
    const char *etag;          /* quoted, or NULL */
    const char *cache_control; /* default no-cache (HTTP_PRIVATE when personal) */
    const char *disposition;   /* Content-Disposition, or NULL */
    const char *location;      /* for redirects */
    const char *allow;         /* for 405: the methods the route takes */
    const char *csp;           /* Content-Security-Policy; NULL: the default */
    int no_gzip;               /* already compressed or tiny */
    int close;                 /* send Connection: close and read nothing more from the
                                * connection (a refused request head) */
    const char *set_cookie[4]; /* Set-Cookie headers (built by session.c): at most an old
                                * session cleared, a new one set, the sign-in cookies cleared */
    int nset_cookie;
    int (*heavy)(struct Req *, struct Resp *); /* a HEAVY route's handler, not run yet (routes.h) */
    struct HeavyBody *shared;  /* the body comes from the download cache (heavy.h), not body */
    int retry_after;           /* seconds for Retry-After (a 429), or 0 */
    const char *x_cache;       /* X-Cache of a heavy route: "hit" or "miss", or NULL */
} Resp;

/* The Cache-Control of an answer that depends on who asks: no cache may
 * keep it, not even the browser's. */
#define HTTP_PRIVATE "private, no-store"

/* Sets rs->cache_control to HTTP_PRIVATE when the answer may depend on who
 * asks: the request carries a session (or a pending one), a sign-in form
 * cookie or an Authorization header, or the answer sets a cookie. An answer
 * whose handler chose a public Cache-Control (the static assets) keeps it;
 * anonymous answers keep theirs (no-cache: revalidated by ETag). */
void http_cache_policy(const Req *rq, Resp *rs);

/* An error page (HTML) or, under /api/, a JSON error {"error": {...}}:
 * status and a message for a person that says what to do. Returns 0 so a
 * handler can `return http_error(...)`. */
int http_error(Req *rq, Resp *rs, int status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Content-Disposition for a download "STEM-CODE.EXT" of the request's
 * strategy, its code reduced to letters, digits, '.', '_' and '-' (in rq's arena). */
const char *http_attachment(Req *rq, const char *stem, const char *ext);

/* Binds the request's query to fields (query.h) into out. On a bad or
 * unknown parameter answers 400 naming it and returns 1; else 0. */
int http_query(Req *rq, Resp *rs, const QueryField *fields, void *out);

/* The id in s ("123": 1 to 18 digits, no leading zero), or 0 when s is
 * not one. */
int64_t http_parse_id(const char *s);

/* Redirects (303) to location, which the caller built from safe parts. */
int http_redirect(Resp *rs, const char *location);

/* The reason phrase of status ("Not Found"). */
const char *http_reason(int status);

/* Whether the request's path starts with /api/. */
int http_is_api(const Req *rq);

#endif
