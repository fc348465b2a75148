/*
 * routes.h — every URL itstrat serves, in one sorted table (routes.c), with
 * its methods, its permission and its handler. The table, not the handler,
 * decides 404 (no such route), 405 (a method the route does not take) and
 * 403 (not allowed); docs/api.md and the route test read the same table.
 */
#ifndef ITSTRAT_ROUTES_H
#define ITSTRAT_ROUTES_H

#include "http.h"

typedef enum Perm {
    PERM_ANY = 0,  /* anyone (static assets, the list of strategies) */
    PERM_READ      /* the route's strategy is public, or the server shows every strategy */
} Perm;

typedef int (*Handler)(Req *rq, Resp *rs);

typedef struct Route {
    const char *pattern;  /* "/s/{s}/projects/{code}": {s} is a strategy code */
    unsigned methods;     /* M_* */
    Perm perm;
    Handler handler;
    const char *help;     /* one line for docs and the route test */
} Route;

extern const Route routes[];
extern const int nroutes;

/* Options the routes read (set once by the server before serving). */
typedef struct WebConfig {
    int public_only;      /* show only strategies marked public */
} WebConfig;
extern WebConfig web_config;

/* Finds the route of rq->path, loads its strategy, checks method and
 * permission, and runs the handler; fills rs in every case. */
void routes_dispatch(Req *rq, Resp *rs);

#endif
