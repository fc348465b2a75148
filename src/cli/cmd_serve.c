/*
 * cmd_serve.c — `itstrat serve`: the web application (src/web/server.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "server.h"

/* Splits "HOST:PORT" (or ":PORT", or "PORT"). Returns 0 or -1. */
static int parse_listen(const char *s, char *host, size_t hostlen, int *port)
{
    const char *colon = strrchr(s, ':');
    const char *ps = colon ? colon + 1 : s;
    size_t hl = colon ? (size_t)(colon - s) : 0;
    if (hl >= hostlen) return -1;
    if (hl) {
        memcpy(host, s, hl);
        host[hl] = 0;
    }
    char *end;
    long p = strtol(ps, &end, 10);
    if (!*ps || *end || p < 1 || p > 65535) return -1;
    *port = (int)p;
    return 0;
}

int cmd_serve(const CliCommand *cmd, CliArgs *a)
{
    char host[64] = "127.0.0.1";
    int port = 8080;
    const char *listen = cli_opt(cmd, a, "listen");
    if (listen && parse_listen(listen, host, sizeof host, &port)) {
        fprintf(stderr, "itstrat serve: --listen takes HOST:PORT, e.g. 127.0.0.1:8080, not "
                        "\"%s\"\n", listen);
        return EXIT_USAGE;
    }
    int tls_proxy = cli_opt(cmd, a, "tls-proxy") != NULL;
    if (strncmp(host, "127.", 4) != 0 && !tls_proxy)
        fprintf(stderr, "itstrat serve: warning: listening on %s without --tls-proxy: passwords "
                        "and session cookies cross the network unencrypted. Put a TLS reverse "
                        "proxy in front and pass --tls-proxy.\n", host);
    long long threads = 0;
    const char *ts = cli_opt(cmd, a, "threads");
    if (ts && cli_int(cmd, "threads", ts, 1, 32, &threads)) return EXIT_USAGE;
    /* Deadlines and the per-client limit (guard.h); 0 takes the default. */
    static const struct { const char *name; long long lo, hi; } lim[] = {
        {"head-timeout", 1, 3600}, {"body-timeout", 1, 86400}, {"client-limit", 1, 512},
        {"heavy", 1, 16}};
    long long v[4] = {0, 0, 0, 0};
    for (int k = 0; k < 4; k++) {
        const char *s = cli_opt(cmd, a, lim[k].name);
        if (s && cli_int(cmd, lim[k].name, s, lim[k].lo, lim[k].hi, &v[k])) return EXIT_USAGE;
    }
    ServerOptions opt = {cli_db_path(cmd, a), host, port, (int)threads,
                         cli_opt(cmd, a, "public-only") != NULL,
                         cli_opt(cmd, a, "open-read") != NULL, tls_proxy,
                         cli_opt(cmd, a, "quiet") != NULL, (int)v[0], (int)v[1], (int)v[2],
                         (int)v[3]};
    return server_run(&opt) ? EXIT_STORE : EXIT_OK;
}
