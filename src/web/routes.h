/*
 * routes.h — every URL itstrat serves, in one sorted table (routes.c), with
 * its methods, its permission and its handler. The table, not the handler,
 * decides 404 (no such route), 405 (a method the route does not take) and
 * 403 (not allowed); docs/api.md and the route test read the same table.
 */
#ifndef ITSTRAT_ROUTES_H
#define ITSTRAT_ROUTES_H

#include "http.h"

/* Who may use a route (docs/security.md has the table for every route).
 * Roles are ordered: each may do what the ones before it may. */
typedef enum Perm {
    PERM_ANY = 0,  /* anyone (static assets, the list of strategies, sign-in) */
    PERM_READ,     /* the route's strategy is public; otherwise any signed-in account
                    * (or anyone, when the server runs with --open-read) */
    PERM_SIGNED,   /* any signed-in account (its own page, record histories) */
    PERM_EDIT,     /* contributors and up; the record decides further (entity.h):
                    * contributors only on what is assigned to them */
    PERM_ADMIN     /* admins */
} Perm;

/* What answering a route costs. A HEAVY route (a download or a report: all
 * the projects of a strategy, up to seconds and tens of MB) is not run by
 * the dispatcher: the server serves it from the download cache, or runs it
 * on one of its few heavy threads, or answers 429 (heavy.h). Heaviness is
 * the table's to say, not the handler's. */
typedef enum Cost {
    LIGHT = 0, /* milliseconds: answered on the worker thread */
    HEAVY      /* answered through heavy.h */
} Cost;

typedef int (*Handler)(Req *rq, Resp *rs);

typedef struct Route {
    const char *pattern;  /* "/s/{s}/projects/{code}": {s} is a strategy code */
    unsigned methods;     /* M_* */
    Perm perm;            /* who may GET/HEAD it */
    Perm wperm;           /* who may POST/PATCH/DELETE it (routes that take them) */
    Cost cost;            /* LIGHT, or HEAVY: through heavy.h */
    Handler handler;
    const char *help;     /* one line for docs and the route test */
} Route;

extern const Route routes[];
extern const int nroutes;

/* Options the routes read (set once by the server before serving). */
typedef struct WebConfig {
    int public_only;      /* show only strategies marked public */
    int open_read;        /* anyone may read every strategy (a trusted network) */
    int tls_proxy;        /* a TLS proxy fronts the server: Secure cookies, HSTS */
} WebConfig;
extern WebConfig web_config;

/* Whether rq may see every strategy (not only the public ones). */
int routes_sees_all(const Req *rq);

/* The name of a permission ("read", "edit"...), for docs and tests. */
const char *routes_perm_name(Perm p);

/* Finds the route of rq->path, loads its strategy, checks method and
 * permission, and runs the handler; fills rs in every case, except that
 * for an allowed HEAVY route it only sets rs->heavy to the handler (the
 * caller runs it with routes_run, see heavy.h). */
void routes_dispatch(Req *rq, Resp *rs);

/* Runs handler h for rq (already dispatched and allowed); a handler that
 * fails (a database error it logged) leaves a 500 in rs. */
void routes_run(Req *rq, Resp *rs, Handler h);

#endif
