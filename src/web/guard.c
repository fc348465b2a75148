/* guard.c — deadlines for request heads and bodies, requests per client (guard.h). */
#include "guard.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "mem.h"

enum { GUARD_HEAD = 1, GUARD_BODY = 2 };

struct GuardConn {
    int fd;                    /* libmicrohttpd's descriptor (never closed here) */
    _Atomic int64_t deadline;  /* monotonic ms, 0: none */
    _Atomic int phase;         /* GUARD_HEAD or GUARD_BODY: what is late, for the log */
    int cut;                   /* shut down already */
    GuardConn *prev, *next;    /* the registry, under guard_lock */
};

/* One client's requests in progress; an open-addressed table. */
#define GUARD_CLIENTS 1024 /* twice the connections the server allows */
typedef struct GuardClient {
    char key[48]; /* the address; "" for a free slot */
    unsigned n;   /* requests in progress */
} GuardClient;

static pthread_mutex_t guard_lock = PTHREAD_MUTEX_INITIALIZER;
static GuardConn *guard_head;
static int64_t guard_head_ms, guard_body_ms;
static unsigned guard_per_client;
static GuardClient guard_clients[GUARD_CLIENTS];

void guard_configure(int64_t head_ms, int64_t body_ms, unsigned per_client)
{
    guard_head_ms = head_ms;
    guard_body_ms = body_ms;
    guard_per_client = per_client;
}

int64_t guard_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void guard_due(GuardConn *g, int phase, int64_t now, int64_t ms)
{
    atomic_store(&g->phase, phase);
    atomic_store(&g->deadline, ms > 0 ? now + ms : 0);
}

GuardConn *guard_open(int fd, int64_t now)
{
    GuardConn *g = xcalloc(1, sizeof *g);
    g->fd = fd;
    guard_due(g, GUARD_HEAD, now, guard_head_ms);
    pthread_mutex_lock(&guard_lock);
    g->next = guard_head;
    if (guard_head) guard_head->prev = g;
    guard_head = g;
    pthread_mutex_unlock(&guard_lock);
    return g;
}

void guard_head_done(GuardConn *g, int64_t now)
{
    if (g) guard_due(g, GUARD_BODY, now, guard_body_ms);
}

void guard_answering(GuardConn *g)
{
    if (g) atomic_store(&g->deadline, 0);
}

void guard_request_done(GuardConn *g, int64_t now)
{
    if (g) guard_due(g, GUARD_HEAD, now, guard_head_ms);
}

void guard_close(GuardConn *g)
{
    if (!g) return;
    pthread_mutex_lock(&guard_lock);
    if (g->prev) g->prev->next = g->next;
    else guard_head = g->next;
    if (g->next) g->next->prev = g->prev;
    pthread_mutex_unlock(&guard_lock);
    free(g);
}

size_t guard_sweep(int64_t now)
{
    size_t cut = 0;
    pthread_mutex_lock(&guard_lock);
    for (GuardConn *g = guard_head; g; g = g->next) {
        int64_t due = atomic_load(&g->deadline);
        if (g->cut || !due || now < due) continue;
        int phase = atomic_load(&g->phase);
        shutdown(g->fd, SHUT_RDWR);
        g->cut = 1;
        cut++;
        fprintf(stderr, "itstrat serve: closed a connection whose request %s took longer than "
                        "%lld s\n", phase == GUARD_BODY ? "body" : "head",
                (long long)((phase == GUARD_BODY ? guard_body_ms : guard_head_ms) / 1000));
    }
    pthread_mutex_unlock(&guard_lock);
    return cut;
}

/* The home slot of a key (FNV-1a). */
static size_t guard_hash(const char *key)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h % GUARD_CLIENTS;
}

/* The slot of client in the table: its own, or the free one where it
 * would go (NULL when the table is full). Under guard_lock. */
static GuardClient *guard_slot(const char *client)
{
    size_t h = guard_hash(client);
    for (size_t k = 0; k < GUARD_CLIENTS; k++) {
        GuardClient *c = &guard_clients[(h + k) % GUARD_CLIENTS];
        if (!c->key[0] || strcmp(c->key, client) == 0) return c;
    }
    return NULL;
}

/* Empties slot c and moves back the entries after it that probed past it
 * (deletion without tombstones). Under guard_lock. */
static void guard_slot_free(GuardClient *c)
{
    size_t hole = (size_t)(c - guard_clients);
    c->key[0] = 0;
    c->n = 0;
    for (size_t k = (hole + 1) % GUARD_CLIENTS; guard_clients[k].key[0]; k = (k + 1) % GUARD_CLIENTS) {
        size_t home = guard_hash(guard_clients[k].key);
        /* Moves k into the hole unless its home lies cyclically in (hole, k]. */
        int stays = hole < k ? (home > hole && home <= k) : (home > hole || home <= k);
        if (stays) continue;
        guard_clients[hole] = guard_clients[k];
        guard_clients[k].key[0] = 0;
        guard_clients[k].n = 0;
        hole = k;
    }
}

int guard_client_enter(const char *client)
{
    if (!guard_per_client || !client) return 0;
    char key[sizeof guard_clients[0].key];
    snprintf(key, sizeof key, "%s", *client ? client : "?");
    int rc = 0;
    pthread_mutex_lock(&guard_lock);
    GuardClient *c = guard_slot(key);
    if (c && c->n >= guard_per_client) {
        rc = -1;
    } else if (c) {
        if (!c->key[0]) memcpy(c->key, key, sizeof key);
        c->n++;
    }
    pthread_mutex_unlock(&guard_lock);
    return rc;
}

void guard_client_leave(const char *client)
{
    if (!guard_per_client || !client) return;
    char key[sizeof guard_clients[0].key];
    snprintf(key, sizeof key, "%s", *client ? client : "?");
    pthread_mutex_lock(&guard_lock);
    GuardClient *c = guard_slot(key);
    if (c && c->key[0] && c->n > 0 && --c->n == 0) guard_slot_free(c);
    pthread_mutex_unlock(&guard_lock);
}

unsigned guard_client_count(const char *client)
{
    char key[sizeof guard_clients[0].key];
    snprintf(key, sizeof key, "%s", client && *client ? client : "?");
    pthread_mutex_lock(&guard_lock);
    GuardClient *c = guard_slot(key);
    unsigned n = c && c->key[0] ? c->n : 0;
    pthread_mutex_unlock(&guard_lock);
    return n;
}
