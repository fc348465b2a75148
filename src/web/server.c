/*
 * server.c — libmicrohttpd glue: from a connection to a Req, through the
 * route table, back to a response (server.h).
 */
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "cache.h"
#include "forwarded.h"
#include "guard.h"
#include "http_head.h"
#include "heavy.h"
#include "layout.h"
#include "mem.h"
#include "password.h"
#include "totp.h"
#include "oidc.h"
#include "routes.h"
#include "session.h"

#define MAX_CONNECTIONS 512
#define CONNECTION_TIMEOUT 15           /* seconds a connection may sit idle */
#define CONNECTION_MEMORY (64 * 1024)   /* request line + headers */
#define MAX_BODY (1024 * 1024)          /* bytes of request body accepted */

static const char *server_db_path;
static volatile sig_atomic_t stopping;

/* Every worker's connection, closed at shutdown. */
static pthread_mutex_t conns_lock = PTHREAD_MUTEX_INITIALIZER;
static Db *conns[64];
static Store *stores[64];
static int nconns;
static _Thread_local Db *tl_db;
static _Thread_local Store *tl_store;

/* This thread's connection, opened on its first request. */
static int thread_db(Db **db, Store **store)
{
    if (!tl_db) {
        Buf err = BUF_INIT;
        Db *d;
        if (db_open(server_db_path, DB_OPEN_EXISTING, &d, &err)) {
            fprintf(stderr, "itstrat serve: %s\n", buf_str(&err));
            buf_free(&err);
            return -1;
        }
        buf_free(&err);
        /* A server keeps its memory small: no memory-mapped file (its pages
         * would count as the process's), a page cache of 16 MB per worker. */
        if (db_exec(d, "PRAGMA mmap_size = 0") || db_exec(d, "PRAGMA cache_size = -16384"))
            fprintf(stderr, "itstrat serve: %s\n", db_errmsg(d));
        Store *s = xmalloc(sizeof *s);
        store_init(s, d);
        pthread_mutex_lock(&conns_lock);
        if (nconns < 64) {
            conns[nconns] = d;
            stores[nconns++] = s;
        }
        pthread_mutex_unlock(&conns_lock);
        tl_db = d;
        tl_store = s;
    }
    *db = tl_db;
    *store = tl_store;
    return 0;
}

/* Where a request of a HEAVY route is (heavy.h). */
enum { CONN_ACTIVE = 0, CONN_GENERATING, CONN_GENERATED };

/* The request state libmicrohttpd keeps for us between callbacks. */
typedef struct Conn {
    Req rq;
    char *uri;     /* the raw URI, query included */
    uintptr_t uri_at; /* where libmicrohttpd's request line held it (see head_refused) */
    int called;    /* the handler has seen the headers once */
    GuardConn *guard; /* the connection's deadlines (guard.h), or NULL */
    int counted;   /* guard_client_enter() counted this request for rq.client */
    size_t body;   /* bytes of request body received */
    Buf data;      /* the body, while it is at most MAX_BODY bytes */
    int state;     /* CONN_*: a heavy request is suspended while generated */
    Resp rs;       /* the answer of a heavy request, while generated */
    struct MHD_Connection *mc; /* to resume it */
} Conn;

static void *uri_logger(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)cls, (void)c;
    Conn *x = xcalloc(1, sizeof *x);
    x->uri = xstrdup(uri ? uri : "");
    x->uri_at = (uintptr_t)uri;
    return x;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)c, (void)toe;
    Conn *x = *con_cls;
    if (!x) return;
    if (x->counted) guard_client_leave(x->rq.client);
    guard_request_done(x->guard, guard_now());
    if (x->state == CONN_GENERATED) { /* resumed, never sent */
        buf_free(&x->rs.body);
        heavy_body_release(x->rs.shared);
    }
    arena_free(&x->rq.arena);
    buf_free(&x->data);
    free(x->uri);
    free(x);
    *con_cls = NULL;
}

static unsigned method_bit(const char *m)
{
    static const struct { const char *name; unsigned bit; } t[] = {
        {"GET", M_GET}, {"HEAD", M_HEAD}, {"POST", M_POST}, {"PUT", M_PUT},
        {"PATCH", M_PATCH}, {"DELETE", M_DELETE}};
    for (size_t k = 0; k < sizeof t / sizeof *t; k++)
        if (strcmp(m, t[k].name) == 0) return t[k].bit;
    return 0;
}

/* Whether the client accepts gzip (a plain token check, q=0 honoured). */
static int wants_gzip(const char *ae)
{
    if (!ae) return 0;
    const char *p = strstr(ae, "gzip");
    if (!p) return 0;
    const char *q = p + 4;
    while (*q == ' ') q++;
    if (*q == ';') {
        const char *v = strstr(q, "q=");
        if (v && strtod(v + 2, NULL) == 0) return 0;
    }
    return 1;
}

/* Compresses in into out as gzip; returns 0, or -1 (then send in as is). */
static int gzip_buf(const Buf *in, Buf *out)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return -1;
    buf_reserve(out, deflateBound(&z, in->n) + 32);
    z.next_in = (Bytef *)in->a;
    z.avail_in = (uInt)in->n;
    z.next_out = (Bytef *)out->a;
    z.avail_out = (uInt)out->cap;
    int rc = deflate(&z, Z_FINISH);
    out->n = z.total_out;
    deflateEnd(&z);
    return rc == Z_STREAM_END ? 0 : -1;
}

static int compressible(const char *type)
{
    return strncmp(type, "text/", 5) == 0 || strncmp(type, "application/json", 16) == 0 ||
           strncmp(type, "image/svg", 9) == 0;
}

/* Strips CR and LF: nothing from a request may split a header. */
static const char *header_safe(Arena *a, const char *v)
{
    if (!strpbrk(v, "\r\n")) return v;
    char *s = arena_strdup(a, v);
    for (char *p = s; *p; p++)
        if (*p == '\r' || *p == '\n') *p = ' ';
    return s;
}

static const char default_csp[] =
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'";

static enum MHD_Result http_queue(struct MHD_Connection *c, Req *rq, Resp *rs,
                                  struct MHD_Response *r, int zipped);

/* A shared body (heavy.h) being sent. */
typedef struct Stream {
    HeavyBody *body;
    const char *data;
    size_t n;
} Stream;

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    Stream *s = cls;
    if (pos >= s->n) return MHD_CONTENT_READER_END_OF_STREAM;
    size_t n = s->n - (size_t)pos < max ? s->n - (size_t)pos : max;
    memcpy(buf, s->data + pos, n);
    return (ssize_t)n;
}

static void stream_free(void *cls)
{
    Stream *s = cls;
    heavy_body_release(s->body);
    free(s);
}

/* A response that streams rs->shared (its gzipped form when the client
 * takes it) without copying it; the response owns the reference. */
static struct MHD_Response *shared_response(Req *rq, Resp *rs, int *zipped)
{
    HeavyBody *b = rs->shared;
    Stream *s = xmalloc(sizeof *s);
    s->body = b;
    s->data = b->data;
    s->n = b->n;
    *zipped = b->gz && wants_gzip(rq->accept_encoding);
    if (*zipped) {
        s->data = b->gz;
        s->n = b->ngz;
    }
    rs->shared = NULL;
    struct MHD_Response *r = MHD_create_response_from_callback(s->n, 64 * 1024, stream_read, s,
                                                               stream_free);
    if (!r) stream_free(s);
    return r;
}

static enum MHD_Result http_send(struct MHD_Connection *c, Req *rq, Resp *rs)
{
    if (rs->shared) {
        int zipped;
        struct MHD_Response *r = shared_response(rq, rs, &zipped);
        if (!r) return MHD_NO;
        return http_queue(c, rq, rs, r, zipped);
    }
    Buf gz = BUF_INIT;
    const Buf *body = &rs->body;
    int zipped = 0;
    if (!rs->no_gzip && rs->body.n > 1024 && compressible(rs->content_type) &&
        wants_gzip(rq->accept_encoding)) {
        /* Pages come from the cache many times over: so does their gzip,
         * found by a digest of the bytes it compresses. */
        unsigned char h[16];
        crypto_generichash(h, sizeof h, (const unsigned char *)rs->body.a, rs->body.n, NULL, 0);
        char key[40] = "gz:";
        for (int k = 0; k < 16; k++) snprintf(key + 3 + 2 * k, 3, "%02x", h[k]);
        if (cache_get(key, &gz)) {
            zipped = 1;
        } else if (gzip_buf(&rs->body, &gz) == 0) {
            cache_put(key, gz.a, gz.n);
            zipped = 1;
        }
        if (zipped) body = &gz;
    }
    /* HEAD gets the same response: libmicrohttpd sends its headers (with
     * the body's length) and leaves the body out. */
    size_t n = body->n;
    char *data = n ? buf_detach(zipped ? &gz : &rs->body) : NULL;
    struct MHD_Response *r = MHD_create_response_from_buffer(
        n, data ? data : (void *)"", data ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    buf_free(&gz);
    if (!r) return MHD_NO;
    return http_queue(c, rq, rs, r, zipped);
}

/* Adds rs's headers to r and queues it on c. */
static enum MHD_Result http_queue(struct MHD_Connection *c, Req *rq, Resp *rs,
                                  struct MHD_Response *r, int zipped)
{
    Arena *a = &rq->arena;
    MHD_add_response_header(r, "Content-Type", rs->content_type);
    MHD_add_response_header(r, "Cache-Control", rs->cache_control ? rs->cache_control : "no-cache");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "same-origin");
    MHD_add_response_header(r, "Content-Security-Policy", rs->csp ? rs->csp : default_csp);
    if (zipped) MHD_add_response_header(r, "Content-Encoding", "gzip");
    if (compressible(rs->content_type)) MHD_add_response_header(r, "Vary", "Accept-Encoding");
    if (rs->etag) MHD_add_response_header(r, "ETag", header_safe(a, rs->etag));
    if (rs->disposition) MHD_add_response_header(r, "Content-Disposition", header_safe(a, rs->disposition));
    if (rs->location) MHD_add_response_header(r, "Location", header_safe(a, rs->location));
    if (rs->allow) MHD_add_response_header(r, "Allow", rs->allow);
    for (int k = 0; k < rs->nset_cookie; k++)
        MHD_add_response_header(r, "Set-Cookie", header_safe(a, rs->set_cookie[k]));
    if (rs->retry_after > 0) {
        char v[16];
        snprintf(v, sizeof v, "%d", rs->retry_after);
        MHD_add_response_header(r, "Retry-After", v);
    }
    if (rs->x_cache) MHD_add_response_header(r, "X-Cache", rs->x_cache);
    if (web_config.tls_proxy)
        MHD_add_response_header(r, "Strict-Transport-Security", "max-age=31536000");
    if (rs->close) MHD_add_response_header(r, "Connection", "close");
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)rs->status, r);
    MHD_destroy_response(r);
    return ret;
}

/* Whether a Content-Type is an urlencoded form. */
static int is_form(const char *type)
{
    return type && strncmp(type, "application/x-www-form-urlencoded", 33) == 0;
}

/* Keeps the value of the last X-Forwarded-For header in *cls. */
static enum MHD_Result last_forwarded(void *cls, enum MHD_ValueKind kind, const char *key,
                                      const char *value)
{
    (void)kind;
    if (key && strcasecmp(key, "X-Forwarded-For") == 0) *(const char **)cls = value;
    return MHD_YES;
}

/* The client's address as text: the peer, or behind a trusted TLS proxy the
 * right-most address of the last X-Forwarded-For header (the one the proxy
 * appended), when it is an IP address (forwarded.h). A value that is not
 * one is logged and the peer's address is used instead. */
static const char *client_address(struct MHD_Connection *c, Arena *a)
{
    if (web_config.tls_proxy) {
        const char *f = NULL;
        MHD_get_connection_values(c, MHD_HEADER_KIND, last_forwarded, &f);
        char addr[FORWARDED_ADDRESS_SIZE];
        if (f && forwarded_client(f, addr) == 0) return arena_strdup(a, addr);
        if (f) {
            char shown[81];
            size_t k = 0;
            for (const char *p = f; *p && k < sizeof shown - 1; p++)
                shown[k++] = (unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p;
            shown[k] = 0;
            fprintf(stderr, "itstrat serve: X-Forwarded-For \"%s\" does not end with an IP "
                            "address; using the proxy's address (check the proxy's "
                            "configuration)\n", shown);
        }
    }
    const union MHD_ConnectionInfo *i = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char text[INET6_ADDRSTRLEN] = "?";
    if (i && i->client_addr) {
        const struct sockaddr *sa = i->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, text, sizeof text);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, text, sizeof text);
    }
    return arena_strdup(a, text);
}

/* Registers each connection with guard.c when it opens (its head's
 * deadline starts) and removes it before libmicrohttpd closes it. */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    (void)cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *i = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        *socket_context = i ? guard_open(i->connect_fd, guard_now()) : NULL;
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        guard_close(*socket_context);
        *socket_context = NULL;
    }
}

/* The header list being collected for http_head_check(). */
typedef struct HeadList {
    HttpHeader *a;
    size_t n, cap;
} HeadList;

static enum MHD_Result head_collect(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *value)
{
    (void)kind;
    HeadList *l = cls;
    if (l->n < l->cap) {
        l->a[l->n].name = key;
        l->a[l->n].value = value;
        l->n++;
    }
    return MHD_YES;
}

/* The first call, once the head has arrived and before any of the body is
 * read: starts the body's deadline, checks the head's framing
 * (http_head.c) and, behind a TLS proxy, the requests the client has in
 * progress. Returns 0, or 1 with the refusal in rs (the connection is then
 * closed after it: nothing more is read from it). */
static int head_refused(struct MHD_Connection *c, Conn *x, const char *method,
                        const char *version, Resp *rs)
{
    Req *rq = &x->rq;
    const union MHD_ConnectionInfo *i = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    x->guard = i ? i->socket_context : NULL;
    guard_head_done(x->guard, guard_now());
    int n = MHD_get_connection_values(c, MHD_HEADER_KIND, NULL, NULL);
    HeadList l = {arena_alloc(&rq->arena, (size_t)(n > 0 ? n : 1) * sizeof(HttpHeader)), 0,
                  (size_t)(n > 0 ? n : 0)};
    MHD_get_connection_values(c, MHD_HEADER_KIND, head_collect, &l);
    /* libmicrohttpd hands the target over as a C string, so a raw NUL in it
     * cuts it ("/static/site.css\0.txt" would be served as the style sheet).
     * The target and the version are two pieces of the request line in one
     * buffer: the target took every byte up to the space before the version,
     * which tells whether a NUL ended the string early. */
    uintptr_t at = (uintptr_t)version;
    size_t uri_len = x->uri_at && at > x->uri_at && at - x->uri_at <= CONNECTION_MEMORY
                         ? (size_t)(at - x->uri_at - 1) : 0;
    HttpHead h = {method, x->uri, uri_len, version, l.a, l.n, MAX_BODY};
    Buf why = BUF_INIT;
    int st = http_head_check(&h, &why);
    if (st) http_error(rq, rs, st, "%s", buf_str(&why));
    buf_free(&why);
    if (!st && web_config.tls_proxy) {
        rq->client = client_address(c, &rq->arena);
        if (guard_client_enter(rq->client)) {
            st = 429;
            http_error(rq, rs, 429, "Too many requests from your address are in progress; try "
                                    "again when they have been answered.");
        } else {
            x->counted = 1;
        }
    }
    if (st) rs->close = 1;
    return st != 0;
}

/* Called on the heavy thread when x's answer is ready. */
static void generated(void *arg)
{
    Conn *x = arg;
    x->state = CONN_GENERATED;
    MHD_resume_connection(x->mc);
}

/* Personalizes rs, answers 304 to a matching If-None-Match, sends rs and
 * frees its body. */
static enum MHD_Result respond(struct MHD_Connection *c, Req *rq, Resp *rs)
{
    layout_personalize(rq, rs);
    http_cache_policy(rq, rs);
    if (rs->etag && rq->if_none_match && strcmp(rs->etag, rq->if_none_match) == 0) {
        buf_reset(&rs->body);
        rs->status = 304;
    }
    enum MHD_Result ret = http_send(c, rq, rs);
    buf_free(&rs->body);
    heavy_body_release(rs->shared); /* when not sent */
    return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_data_size, void **con_cls)
{
    (void)cls, (void)version;
    Conn *x = *con_cls;
    if (!x) return MHD_NO; /* the URI logger always runs first */
    Req *rq = &x->rq;
    if (x->state == CONN_GENERATED) { /* a heavy thread made the answer: send it */
        Resp done = x->rs;
        memset(&x->rs, 0, sizeof x->rs);
        x->state = CONN_ACTIVE;
        return respond(c, rq, &done);
    }
    Resp rs = {.status = 200, .content_type = "text/html; charset=utf-8"};
    /* The first call only announces the headers; answering then makes
     * libmicrohttpd close the connection (no keep-alive), which is what a
     * refused head needs. */
    if (!x->called) {
        x->called = 1;
        rq->path = url;
        if (!head_refused(c, x, method, version, &rs)) return MHD_YES;
        layout_personalize(rq, &rs);
        enum MHD_Result ret = http_send(c, rq, &rs);
        buf_free(&rs.body);
        return ret;
    }
    if (*upload_data_size) {
        x->body += *upload_data_size;
        if (x->body <= MAX_BODY) buf_append(&x->data, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES; /* more may come; the answer goes when it has all come */
    }
    guard_answering(x->guard);
    rq->method = method_bit(method);
    rq->path = url;
    char *q = strchr(x->uri, '?');
    rq->raw_query = q ? q + 1 : NULL;
    rq->accept_encoding = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding");
    rq->if_none_match = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
    rq->authorization = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    rq->content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
    rq->origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
    rq->host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
    rq->cookie_session = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, SESSION_COOKIE);
    rq->cookie_login = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, LOGIN_COOKIE);
    rq->cookie_oidc = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, OIDC_COOKIE);
    if (!rq->client) rq->client = client_address(c, &rq->arena);
    rq->body = x->body ? buf_str(&x->data) : NULL;
    rq->body_len = x->data.n;
    Buf err = BUF_INIT;
    int r;
    if (x->body > MAX_BODY) {
        http_error(rq, &rs, 413, "The request body is larger than %d bytes.", MAX_BODY);
    } else if (!rq->method) {
        rs.allow = "GET, HEAD";
        http_error(rq, &rs, 405, "The method %.20s is not used here.", method);
    } else if (query_parse(rq->raw_query, &rq->arena, &rq->query, &err)) {
        size_t n = strlen(buf_str(&err));
        if (n && err.a[n - 1] == '\n') err.a[n - 1] = 0;
        http_error(rq, &rs, 400, "%s", buf_str(&err));
    } else if (rq->body && strlen(rq->body) != rq->body_len) {
        http_error(rq, &rs, 400, "The request body contains a NUL byte.");
    } else if (rq->body && is_form(rq->content_type) &&
               query_parse_form(rq->body, &rq->arena, &rq->form, &err)) {
        size_t n = strlen(buf_str(&err));
        if (n && err.a[n - 1] == '\n') err.a[n - 1] = 0;
        http_error(rq, &rs, 400, "The form: %s", buf_str(&err));
    } else if (thread_db(&rq->db, &rq->store)) {
        http_error(rq, &rs, 503, "The database cannot be opened; the server log says why.");
    } else if ((r = session_resolve(rq, &rs)) != 0) {
        if (r < 0) {
            fprintf(stderr, "itstrat serve: %s\n", db_errmsg(rq->db));
            http_error(rq, &rs, 500, "The database could not be read; the server log says why.");
        }
    } else {
        cache_observe(rq->db);
        routes_dispatch(rq, &rs);
        cache_fill_release(); /* a fill the handler took and did not put */
    }
    buf_free(&err);
    if (rs.heavy && heavy_begin(rq, &rs) == HEAVY_SLOT) {
        /* Generated on a heavy thread; this worker goes on with others. */
        x->rs = rs;
        x->mc = c;
        x->state = CONN_GENERATING;
        MHD_suspend_connection(c);
        heavy_submit(rq, &x->rs, generated, x);
        return MHD_YES;
    }
    return respond(c, rq, &rs);
}

static void on_signal(int sig)
{
    (void)sig;
    stopping = 1;
}

static void log_panic(void *cls, const char *file, unsigned line, const char *reason)
{
    (void)cls;
    fprintf(stderr, "itstrat serve: libmicrohttpd failed at %s:%u: %s\n", file ? file : "?", line,
            reason ? reason : "");
    abort();
}

int server_run(const ServerOptions *opt)
{
    server_db_path = opt->db_path;
    web_config.public_only = opt->public_only;
    web_config.open_read = opt->open_read;
    web_config.tls_proxy = opt->tls_proxy;
    /* Behind a proxy every connection comes from the proxy: there the limit
     * is on requests in progress per forwarded address (guard.c), here on
     * connections per peer address. */
    unsigned per_client = opt->client_limit > 0 ? (unsigned)opt->client_limit : 128;
    guard_configure((int64_t)(opt->head_timeout > 0 ? opt->head_timeout : 10) * 1000,
                    (int64_t)(opt->body_timeout > 0 ? opt->body_timeout : 60) * 1000,
                    opt->tls_proxy ? per_client : 0);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)opt->port);
    if (inet_pton(AF_INET, opt->host, &addr.sin_addr) != 1) {
        fprintf(stderr, "itstrat serve: \"%s\" is not an IPv4 address\n", opt->host);
        return -1;
    }
    if (password_init() || totp_init()) {
        fprintf(stderr, "itstrat serve: libsodium or liboath could not start\n");
        return -1;
    }
    oidc_init(); /* libcurl, before any thread starts */
    /* Check the database once before listening, to fail early and clearly. */
    Buf err = BUF_INIT;
    Db *probe;
    if (db_open(server_db_path, DB_OPEN_EXISTING, &probe, &err)) {
        fprintf(stderr, "itstrat serve: %s\n", buf_str(&err));
        buf_free(&err);
        return -1;
    }
    buf_free(&err);
    db_close(probe);

    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned threads = opt->threads > 0 ? (unsigned)opt->threads : (unsigned)(cores > 0 ? cores : 2);
    if (threads > 32) threads = 32;
    /* Heavy requests run on threads of their own, never on these workers
     * (heavy.h); at most half of them for one address. */
    int slots = opt->heavy > 0 ? opt->heavy : 2;
    HeavyOptions ho = {slots, slots > 1 ? slots / 2 : 1, thread_db};
    if (heavy_start(&ho)) return -1;
    MHD_set_panic_func(log_panic, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
            MHD_USE_ITC,
        (uint16_t)opt->port, NULL, NULL, handle, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)MAX_CONNECTIONS,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, opt->tls_proxy ? 0u : per_client,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONNECTION_TIMEOUT,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY,
        MHD_OPTION_URI_LOG_CALLBACK, uri_logger, NULL,
        MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
        MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1,
        MHD_OPTION_END);
    if (!d) {
        heavy_stop();
        fprintf(stderr, "itstrat serve: cannot listen on %s:%d (%s); is another server running "
                        "there? Choose another with --listen HOST:PORT\n",
                opt->host, opt->port, strerror(errno));
        return -1;
    }
    if (!opt->quiet) {
        printf("itstrat: serving %s on http://%s:%d/ (%u threads, %d for downloads); Ctrl-C "
               "stops\n", server_db_path, opt->host, opt->port, threads, slots);
        fflush(stdout);
    }
    while (!stopping) {
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
        guard_sweep(guard_now());
    }
    /* Stop accepting; let the requests in flight finish (at most 5 s). */
    MHD_socket ls = MHD_quiesce_daemon(d);
    if (ls != MHD_INVALID_SOCKET) close(ls);
    for (int k = 0; k < 50; k++) {
        const union MHD_DaemonInfo *i = MHD_get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
        if (!i || i->num_connections == 0) break;
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
        guard_sweep(guard_now());
    }
    heavy_stop(); /* the requests being generated finish and resume their connections */
    MHD_stop_daemon(d);
    heavy_cache_clear();
    cache_clear();
    for (int k = 0; k < nconns; k++) {
        store_done(stores[k]);
        free(stores[k]);
        db_close(conns[k]);
    }
    nconns = 0;
    if (!opt->quiet) printf("itstrat: stopped\n");
    return 0;
}
