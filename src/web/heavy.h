/*
 * heavy.h — heavy requests (the HEAVY routes of routes.c: the portfolio's
 * CSV and Excel downloads, the reports, the audit trail as CSV) kept from
 * starving the light ones.
 *
 * On 100,000 projects a download takes 0.7 to 2.3 s and tens of MB. Three
 * things keep that off the server's worker threads:
 *  - A download cache. The bytes of a heavy answer depend only on its
 *    address (path and query) and the data, so a 200 is kept under its
 *    address, tagged with the data's generation (cache.h): a commit makes
 *    every entry dead. At most HEAVY_CACHE_BYTES are held (the least
 *    recently used go first); an answer over HEAVY_CACHE_ENTRY is sent but
 *    not kept. A hit is served on the worker thread straight from the
 *    shared entry (streamed, never copied), gzipped once when compressible.
 *  - Heavy threads. A miss is generated on one of `slots` threads of its
 *    own (at a lower CPU priority), while the worker thread that received it
 *    suspends the connection and goes on with light requests; the worker
 *    resumes it when the answer is ready.
 *  - Limits. At most `slots` heavy requests are generated at once, and at
 *    most `per_address` for one client address (behind --tls-proxy, the
 *    forwarded one); over either: 429 with Retry-After (the recent time a
 *    generation took), at once, without a queue.
 * Thread-safe.
 */
#ifndef ITSTRAT_HEAVY_H
#define ITSTRAT_HEAVY_H
#include <stddef.h>
#include <stdint.h>

#include "http.h"

#define HEAVY_CACHE_BYTES ((size_t)256 << 20)
#define HEAVY_CACHE_ENTRY ((size_t)64 << 20)

/* A heavy answer, shared by the cache and the responses sending it. */
typedef struct HeavyBody {
    char *data;                /* the body */
    size_t n;
    char *gz;                  /* the body gzipped, or NULL */
    size_t ngz;
    char *content_type, *disposition, *csp, *cache_control; /* copies (may be NULL) */
    int refs;                  /* the cache's and every response's (heavy.c's lock) */
} HeavyBody;

/* How the server runs heavy requests. */
typedef struct HeavyOptions {
    int slots;                 /* heavy threads: generated at once (1 to 16) */
    int per_address;           /* at once for one client address (1 to slots) */
    /* Opens (once per thread) the calling thread's database connection. */
    int (*thread_db)(Db **db, Store **store);
} HeavyOptions;

/* Starts the heavy threads. Returns 0, or -1 after printing why. A test
 * hook: when the environment has ITSTRAT_TEST_HEAVY_HOLD=DIR, each heavy
 * thread appends a line to DIR/held when it starts a request and waits
 * while DIR/hold exists. */
int heavy_start(const HeavyOptions *o);

/* Lets the requests being generated finish and stops the threads. */
void heavy_stop(void);

enum { HEAVY_DONE = 0, HEAVY_SLOT = 1 };

/* For a request that routes_dispatch left with rs->heavy set: fills rs
 * from the download cache (rs->shared, X-Cache: hit) or with a 429, and
 * returns HEAVY_DONE; or takes a slot and returns HEAVY_SLOT: the caller
 * then calls heavy_submit (and nothing else). */
int heavy_begin(Req *rq, Resp *rs);

/* Generates rs for rq on a heavy thread (a slot taken by heavy_begin):
 * runs rs->heavy with that thread's connection, keeps a 200 in the cache,
 * then calls done(arg) on that thread. rq and rs must live until then. */
void heavy_submit(Req *rq, Resp *rs, void (*done)(void *arg), void *arg);

/* Takes another reference to b. */
void heavy_body_ref(HeavyBody *b);

/* Drops a reference to b (NULL: nothing); the last frees it. */
void heavy_body_release(HeavyBody *b);

/* Drops every cached download (tests, shutdown). */
void heavy_cache_clear(void);

#endif
