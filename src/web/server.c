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
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "cache.h"
#include "layout.h"
#include "mem.h"
#include "password.h"
#include "totp.h"
#include "oidc.h"
#include "routes.h"
#include "session.h"

#define MAX_CONNECTIONS 512
#define MAX_PER_ADDRESS 256 /* a reverse proxy is one address for many users */
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

/* The request state libmicrohttpd keeps for us between callbacks. */
typedef struct Conn {
    Req rq;
    char *uri;     /* the raw URI, query included */
    int called;    /* the handler has seen the headers once */
    size_t body;   /* bytes of request body received */
    Buf data;      /* the body, while it is at most MAX_BODY bytes */
} Conn;

static void *uri_logger(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)cls, (void)c;
    Conn *x = xcalloc(1, sizeof *x);
    x->uri = xstrdup(uri ? uri : "");
    return x;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)c, (void)toe;
    Conn *x = *con_cls;
    if (!x) return;
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

static enum MHD_Result http_send(struct MHD_Connection *c, Req *rq, Resp *rs)
{
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
    if (web_config.tls_proxy)
        MHD_add_response_header(r, "Strict-Transport-Security", "max-age=31536000");
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)rs->status, r);
    MHD_destroy_response(r);
    return ret;
}

/* Whether a Content-Type is an urlencoded form. */
static int is_form(const char *type)
{
    return type && strncmp(type, "application/x-www-form-urlencoded", 33) == 0;
}

/* The client's address as text: the peer, or behind a trusted TLS proxy the
 * last address of X-Forwarded-For (the one the proxy added). */
static const char *client_address(struct MHD_Connection *c, Arena *a)
{
    if (web_config.tls_proxy) {
        const char *f = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For");
        if (f && *f) {
            const char *last = strrchr(f, ',');
            last = last ? last + 1 : f;
            while (*last == ' ') last++;
            char *v = arena_strdup(a, last);
            v[strcspn(v, " \r\n")] = 0;
            if (strlen(v) > 45) v[45] = 0;
            return v;
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

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_data_size, void **con_cls)
{
    (void)cls, (void)version;
    Conn *x = *con_cls;
    if (!x) return MHD_NO; /* the URI logger always runs first */
    /* The first call only announces the headers; answering then would make
     * libmicrohttpd close the connection (no keep-alive). */
    if (!x->called) {
        x->called = 1;
        return MHD_YES;
    }
    Req *rq = &x->rq;
    Resp rs = {.status = 200, .content_type = "text/html; charset=utf-8"};
    if (*upload_data_size) {
        x->body += *upload_data_size;
        if (x->body <= MAX_BODY) buf_append(&x->data, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES; /* more may come; the answer goes when it has all come */
    }
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
    rq->client = client_address(c, &rq->arena);
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
    }
    layout_personalize(rq, &rs);
    buf_free(&err);
    if (rs.etag && rq->if_none_match && strcmp(rs.etag, rq->if_none_match) == 0) {
        buf_reset(&rs.body);
        rs.status = 304;
    }
    enum MHD_Result ret = http_send(c, rq, &rs);
    buf_free(&rs.body);
    return ret;
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
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)MAX_PER_ADDRESS,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONNECTION_TIMEOUT,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY,
        MHD_OPTION_URI_LOG_CALLBACK, uri_logger, NULL,
        MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
        MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1,
        MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "itstrat serve: cannot listen on %s:%d (%s); is another server running "
                        "there? Choose another with --listen HOST:PORT\n",
                opt->host, opt->port, strerror(errno));
        return -1;
    }
    if (!opt->quiet) {
        printf("itstrat: serving %s on http://%s:%d/ (%u threads); Ctrl-C stops\n", server_db_path,
               opt->host, opt->port, threads);
        fflush(stdout);
    }
    while (!stopping) {
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    /* Stop accepting; let the requests in flight finish (at most 5 s). */
    MHD_socket ls = MHD_quiesce_daemon(d);
    if (ls != MHD_INVALID_SOCKET) close(ls);
    for (int k = 0; k < 50; k++) {
        const union MHD_DaemonInfo *i = MHD_get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
        if (!i || i->num_connections == 0) break;
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    MHD_stop_daemon(d);
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
