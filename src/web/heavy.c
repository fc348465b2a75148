/* heavy.c — the download cache, the heavy threads and their limits
 * (heavy.h). One mutex guards the cache, the slots and the queue; nothing
 * slow runs under it (generation and gzip run outside). */
#define _GNU_SOURCE /* memmem, syscall */
#include "heavy.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "cache.h"
#include "layout.h"
#include "mem.h"
#include "routes.h"

#define MAX_SLOTS 16
#define MAX_ENTRIES 64    /* cached downloads */
#define ADDRESS_LEN 64

/* A request waiting for, or being generated on, a heavy thread. */
typedef struct Job {
    Req *rq;
    Resp *rs;
    void (*done)(void *arg);
    void *arg;
    struct Job *next;
} Job;

/* A cached download. */
typedef struct Entry {
    char *key;            /* path?query */
    uint64_t generation;  /* of the data it was made from */
    uint64_t used;        /* when last served (a counter): the least goes first */
    HeavyBody *body;
} Entry;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static HeavyOptions options;
static pthread_t threads[MAX_SLOTS];
static int nthreads;
static int stopping;
static Job *queue, *queue_tail;
static char running[MAX_SLOTS][ADDRESS_LEN]; /* the client address of each slot taken */
static int nrunning;
static double recent_seconds = 1; /* what a generation took lately (moving average) */
static Entry entries[MAX_ENTRIES];
static size_t held;               /* bytes of the cached bodies */
static uint64_t clock_used;
static char *hold_dir;            /* ITSTRAT_TEST_HEAVY_HOLD */

void heavy_body_ref(HeavyBody *b)
{
    pthread_mutex_lock(&lock);
    b->refs++;
    pthread_mutex_unlock(&lock);
}

static void body_free(HeavyBody *b)
{
    free(b->data);
    free(b->gz);
    free(b->content_type);
    free(b->disposition);
    free(b->csp);
    free(b->cache_control);
    free(b);
}

void heavy_body_release(HeavyBody *b)
{
    if (!b) return;
    pthread_mutex_lock(&lock);
    int last = --b->refs == 0;
    pthread_mutex_unlock(&lock);
    if (last) body_free(b);
}

/* Drops entry e from the cache (under the lock); returns its body when
 * that was the last reference, for the caller to free outside the lock. */
static HeavyBody *entry_drop(Entry *e)
{
    HeavyBody *b = e->body;
    held -= b->n + b->ngz;
    free(e->key);
    memset(e, 0, sizeof *e);
    return --b->refs == 0 ? b : NULL;
}

void heavy_cache_clear(void)
{
    HeavyBody *dead[MAX_ENTRIES];
    int ndead = 0;
    pthread_mutex_lock(&lock);
    for (int k = 0; k < MAX_ENTRIES; k++)
        if (entries[k].body) {
            HeavyBody *b = entry_drop(&entries[k]);
            if (b) dead[ndead++] = b;
        }
    pthread_mutex_unlock(&lock);
    for (int k = 0; k < ndead; k++) body_free(dead[k]);
}

/* Keeps b under key for generation: dead entries go first, then the least
 * recently used until b fits. Takes a reference to b. */
static void cache_keep(const char *key, uint64_t generation, HeavyBody *b)
{
    HeavyBody *dead[MAX_ENTRIES + 1];
    int ndead = 0;
    size_t size = b->n + b->ngz;
    uint64_t now = cache_generation();
    pthread_mutex_lock(&lock);
    for (int k = 0; k < MAX_ENTRIES; k++) {
        Entry *e = &entries[k];
        if (e->body && (e->generation != now || strcmp(e->key, key) == 0)) {
            HeavyBody *d = entry_drop(e);
            if (d) dead[ndead++] = d;
        }
    }
    if (generation == now) {
        Entry *slot = NULL;
        for (;;) {
            Entry *lru = NULL;
            slot = NULL;
            for (int k = 0; k < MAX_ENTRIES; k++) {
                if (!entries[k].body) slot = slot ? slot : &entries[k];
                else if (!lru || entries[k].used < lru->used) lru = &entries[k];
            }
            if (slot && held + size <= HEAVY_CACHE_BYTES) break;
            if (!lru) break;
            HeavyBody *d = entry_drop(lru);
            if (d) dead[ndead++] = d;
        }
        if (slot && held + size <= HEAVY_CACHE_BYTES) {
            slot->key = xstrdup(key);
            slot->generation = generation;
            slot->used = ++clock_used;
            slot->body = b;
            b->refs++;
            held += size;
        }
    }
    pthread_mutex_unlock(&lock);
    for (int k = 0; k < ndead; k++) body_free(dead[k]);
}

/* The cache key of rq: its path and query as received. */
static const char *request_key(Req *rq)
{
    return arena_printf(&rq->arena, "%s?%s", rq->path, rq->raw_query ? rq->raw_query : "");
}

/* Fills rs from b (a reference the response now owns). */
static void serve_body(Resp *rs, HeavyBody *b, const char *x_cache)
{
    buf_reset(&rs->body);
    rs->shared = b;
    rs->status = 200;
    rs->content_type = b->content_type ? b->content_type : "application/octet-stream";
    rs->disposition = b->disposition;
    rs->csp = b->csp;
    rs->cache_control = b->cache_control;
    rs->x_cache = x_cache;
}

int heavy_begin(Req *rq, Resp *rs)
{
    const char *key = request_key(rq);
    const char *addr = rq->client ? rq->client : "?";
    uint64_t generation = cache_generation();
    HeavyBody *hit = NULL;
    int mine = 0, slot = 0;
    pthread_mutex_lock(&lock);
    for (int k = 0; k < MAX_ENTRIES && !hit; k++) {
        Entry *e = &entries[k];
        if (e->body && e->generation == generation && strcmp(e->key, key) == 0) {
            hit = e->body;
            hit->refs++;
            e->used = ++clock_used;
        }
    }
    if (!hit) {
        for (int k = 0; k < nrunning; k++) mine += strcmp(running[k], addr) == 0;
        slot = !stopping && nrunning < options.slots && mine < options.per_address;
        if (slot) snprintf(running[nrunning++], ADDRESS_LEN, "%s", addr);
    }
    int busy = nrunning, wait = (int)(recent_seconds + 0.999);
    pthread_mutex_unlock(&lock);
    if (hit) {
        rs->heavy = NULL;
        serve_body(rs, hit, "hit");
        return HEAVY_DONE;
    }
    if (slot) return HEAVY_SLOT;
    rs->heavy = NULL;
    rs->retry_after = wait < 1 ? 1 : wait > 60 ? 60 : wait;
    if (mine >= options.per_address)
        http_error(rq, rs, 429, "Your address has %d download%s being made right now (at most "
                   "%d at once). Try again in %d seconds, when %s finished; a download made "
                   "once is then served at once until the data changes.",
                   mine, mine == 1 ? "" : "s", options.per_address, rs->retry_after,
                   mine == 1 ? "it has" : "they have");
    else
        http_error(rq, rs, 429, "The server is making %d downloads or reports right now, as "
                   "many as it makes at once. Try again in %d seconds.", busy,
                   rs->retry_after);
    return HEAVY_DONE;
}

void heavy_submit(Req *rq, Resp *rs, void (*done)(void *arg), void *arg)
{
    Job *j = xcalloc(1, sizeof *j);
    j->rq = rq;
    j->rs = rs;
    j->done = done;
    j->arg = arg;
    pthread_mutex_lock(&lock);
    if (queue_tail) queue_tail->next = j;
    else queue = j;
    queue_tail = j;
    pthread_cond_signal(&wake);
    pthread_mutex_unlock(&lock);
}

/* Whether a Content-Type is text that gzip shrinks. */
static int compressible(const char *type)
{
    return type && (strncmp(type, "text/", 5) == 0 || strncmp(type, "application/json", 16) == 0 ||
                    strncmp(type, "image/svg", 9) == 0);
}

/* b's body gzipped into b->gz; leaves it NULL when zlib fails. */
static void body_gzip(HeavyBody *b)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return;
    size_t cap = deflateBound(&z, b->n) + 32;
    char *out = xmalloc(cap);
    z.next_in = (Bytef *)b->data;
    z.avail_in = (uInt)b->n;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)cap;
    if (b->n < (size_t)1 << 31 && cap < (size_t)1 << 31 && deflate(&z, Z_FINISH) == Z_STREAM_END) {
        b->gz = out;
        b->ngz = z.total_out;
    } else {
        free(out);
    }
    deflateEnd(&z);
}

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

/* Turns the 200 in rs into a shared body, gzipped when it is text, and
 * keeps it under key unless it is personalized (an HTML page with the
 * user area still to fill in) or too large. */
static void keep(Req *rq, Resp *rs, uint64_t generation)
{
    if (strncmp(rs->content_type, "text/html", 9) == 0 &&
        memmem(rs->body.a ? rs->body.a : "", rs->body.n, LAYOUT_USER_MARK,
               strlen(LAYOUT_USER_MARK)))
        return; /* a page: personalized by the server, not shared */
    HeavyBody *b = xcalloc(1, sizeof *b);
    b->n = rs->body.n;
    b->data = b->n ? buf_detach(&rs->body) : xstrdup("");
    b->content_type = dup_or_null(rs->content_type);
    b->disposition = dup_or_null(rs->disposition);
    b->csp = dup_or_null(rs->csp);
    b->cache_control = dup_or_null(rs->cache_control);
    b->refs = 1; /* the response's */
    if (!rs->no_gzip && b->n > 1024 && compressible(b->content_type)) body_gzip(b);
    if (b->n + b->ngz <= HEAVY_CACHE_ENTRY) cache_keep(request_key(rq), generation, b);
    serve_body(rs, b, "miss");
}

/* The test hook of heavy_start. */
static void hold(void)
{
    if (!hold_dir) return;
    char path[4096];
    snprintf(path, sizeof path, "%s/held", hold_dir);
    FILE *f = fopen(path, "a");
    if (f) {
        fputs("held\n", f);
        fclose(f);
    }
    snprintf(path, sizeof path, "%s/hold", hold_dir);
    while (access(path, F_OK) == 0) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void run(Job *j, int stop)
{
    Req *rq = j->rq;
    Resp *rs = j->rs;
    int (*handler)(Req *, Resp *) = rs->heavy;
    rs->heavy = NULL;
    double t0 = now_seconds();
    if (stop) {
        http_error(rq, rs, 503, "The server is stopping; try again in a moment.");
    } else if (options.thread_db(&rq->db, &rq->store)) {
        http_error(rq, rs, 503, "The database cannot be opened; the server log says why.");
    } else {
        cache_observe(rq->db);
        uint64_t generation = cache_generation(); /* before reading: a later commit kills it */
        hold();
        routes_run(rq, rs, handler);
        if (rs->status == 200) keep(rq, rs, generation);
    }
    if (!rs->x_cache) rs->x_cache = "miss";
    double took = now_seconds() - t0;
    const char *addr = rq->client ? rq->client : "?";
    pthread_mutex_lock(&lock);
    for (int k = 0; k < nrunning; k++)
        if (strncmp(running[k], addr, ADDRESS_LEN - 1) == 0) {
            memmove(running[k], running[nrunning - 1], ADDRESS_LEN);
            nrunning--;
            break;
        }
    recent_seconds = 0.7 * recent_seconds + 0.3 * took;
    pthread_mutex_unlock(&lock);
    j->done(j->arg);
    free(j);
}

static void *heavy_thread(void *arg)
{
    (void)arg;
    /* Light requests come first: this thread yields the CPU to them. */
    setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10);
    for (;;) {
        pthread_mutex_lock(&lock);
        while (!queue && !stopping) pthread_cond_wait(&wake, &lock);
        Job *j = queue;
        if (j) {
            queue = j->next;
            if (!queue) queue_tail = NULL;
        }
        int stop = stopping;
        pthread_mutex_unlock(&lock);
        if (!j) break;
        run(j, stop);
    }
    return NULL;
}

int heavy_start(const HeavyOptions *o)
{
    options = *o;
    if (options.slots < 1) options.slots = 1;
    if (options.slots > MAX_SLOTS) options.slots = MAX_SLOTS;
    if (options.per_address < 1 || options.per_address > options.slots)
        options.per_address = options.slots;
    const char *h = getenv("ITSTRAT_TEST_HEAVY_HOLD");
    free(hold_dir);
    hold_dir = h && *h ? xstrdup(h) : NULL;
    stopping = 0;
    for (nthreads = 0; nthreads < options.slots; nthreads++)
        if (pthread_create(&threads[nthreads], NULL, heavy_thread, NULL)) {
            fprintf(stderr, "itstrat serve: cannot start the threads for downloads\n");
            heavy_stop();
            return -1;
        }
    return 0;
}

void heavy_stop(void)
{
    pthread_mutex_lock(&lock);
    stopping = 1;
    pthread_cond_broadcast(&wake);
    pthread_mutex_unlock(&lock);
    for (int k = 0; k < nthreads; k++) pthread_join(threads[k], NULL);
    nthreads = 0;
    free(hold_dir);
    hold_dir = NULL;
}
