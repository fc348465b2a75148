/*
 * server.h — `itstrat serve`: the web application in one process.
 *
 * libmicrohttpd with a pool of worker threads (one per core by default), an
 * epoll loop, and limits on connections, per-address connections (behind a
 * TLS proxy: requests in progress per forwarded address), request memory
 * (headers), idle time and the total time of a request head and body
 * (guard.h); every head passes http_head_check() before routing. Each worker thread keeps its
 * own read connection to the database. SIGTERM and SIGINT stop accepting,
 * let the requests in flight finish, then exit.
 */
#ifndef ITSTRAT_SERVER_H
#define ITSTRAT_SERVER_H

typedef struct ServerOptions {
    const char *db_path;
    const char *host;      /* listen address: a loopback address until accounts exist */
    int port;
    int threads;           /* worker threads; 0: one per core */
    int public_only;       /* serve only strategies marked public */
    int open_read;         /* anyone may read every strategy without signing in */
    int tls_proxy;         /* behind a TLS reverse proxy: Secure cookies, HSTS,
                            * client address from X-Forwarded-For */
    int quiet;             /* no start-up message */
    int head_timeout;      /* seconds a request head may take in all; 0: 10 */
    int body_timeout;      /* seconds a request body may take in all; 0: 60 */
    int client_limit;      /* connections per address, or behind a TLS proxy requests in
                            * progress per forwarded address; 0: 128 */
    int heavy;             /* heavy requests (downloads, reports) generated at once on
                            * threads of their own, at most half of them (at least 1)
                            * for one client address; 0: 2 (heavy.h) */
} ServerOptions;

/* Runs until SIGTERM/SIGINT. Returns 0, or -1 after printing why it could
 * not start (address in use, database missing...). */
int server_run(const ServerOptions *opt);

#endif
