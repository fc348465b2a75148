/* cache.c — see cache.h. A fixed table of slots, hashed by key, replaced on
 * collision; one mutex (entries are copied in and out, never shared). Fills
 * in progress (cache_get_fill) are a small table of keys and the threads
 * filling them; a condition variable wakes the threads waiting for one. */
#include "cache.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mem.h"

#define CACHE_SLOTS 1024
#define CACHE_MAX_ENTRY ((size_t)1 << 20)

typedef struct Slot {
    char *key;
    char *data;
    size_t n;
    uint64_t generation;
} Slot;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static Slot slots[CACHE_SLOTS];
static size_t held;            /* bytes in data */
static uint64_t generation = 1;
static _Thread_local int64_t seen_version = -1;
static _Thread_local Db *seen_db;

#define CACHE_FILLS 64        /* fills in progress at once, all threads */
#define CACHE_FILL_WAIT_S 10  /* a waiter gives up and computes itself */

typedef struct Fill {
    char *key;            /* the entry being computed, NULL: free */
    pthread_t owner;      /* the thread computing it */
    uint64_t generation;  /* the generation it was claimed in */
} Fill;

static pthread_cond_t filled = PTHREAD_COND_INITIALIZER;
static Fill fills[CACHE_FILLS];
static _Thread_local int nclaimed; /* fills this thread holds */
static uint64_t waits;             /* times a thread waited for another's fill */

void cache_observe(Db *db)
{
    int64_t v = db_data_version(db);
    if (v < 0) return;
    if (seen_db == db && seen_version == v) return;
    if (seen_db == db) { /* another connection committed */
        pthread_mutex_lock(&lock);
        generation++;
        pthread_cond_broadcast(&filled);
        pthread_mutex_unlock(&lock);
    }
    seen_db = db;
    seen_version = v;
}

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static void slot_free(Slot *s)
{
    held -= s->n;
    free(s->key);
    free(s->data);
    memset(s, 0, sizeof *s);
}

/* Appends slot s's entry for key when it is current; 1 when it did. */
static int slot_take(const Slot *s, const char *key, Buf *out)
{
    if (!s->key || s->generation != generation || strcmp(s->key, key) != 0) return 0;
    buf_append(out, s->data, s->n);
    return 1;
}

int cache_get(const char *key, Buf *out)
{
    int hit = 0;
    pthread_mutex_lock(&lock);
    hit = slot_take(&slots[hash(key) % CACHE_SLOTS], key, out);
    pthread_mutex_unlock(&lock);
    return hit;
}

/* The fill of key claimed in this generation (an older one computes stale
 * data: nobody waits for it), or with mine the one this thread holds, of
 * any generation; NULL when none. Called with lock held. */
static Fill *fill_find(const char *key, int mine)
{
    for (size_t i = 0; i < CACHE_FILLS; i++) {
        const Fill *f = &fills[i];
        if (!f->key || strcmp(f->key, key) != 0) continue;
        if (mine ? pthread_equal(f->owner, pthread_self()) : f->generation == generation)
            return &fills[i];
    }
    return NULL;
}

/* Ends fill f and wakes its waiters. Called with lock held by its owner. */
static void fill_end(Fill *f)
{
    free(f->key);
    f->key = NULL;
    nclaimed--;
    pthread_cond_broadcast(&filled);
}

int cache_get_fill(const char *key, Buf *out)
{
    int hit = 0;
    pthread_mutex_lock(&lock);
    Slot *s = &slots[hash(key) % CACHE_SLOTS];
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += CACHE_FILL_WAIT_S;
    for (;;) {
        if ((hit = slot_take(s, key, out))) break;
        Fill *f = fill_find(key, 0);
        if (f && pthread_equal(f->owner, pthread_self())) break; /* ours already */
        /* Someone else computes it: wait, unless this thread holds a fill
         * of its own (two threads waiting on each other's would never end). */
        if (f && nclaimed == 0) {
            waits++;
            if (pthread_cond_timedwait(&filled, &lock, &until) != 0) break;
            continue;
        }
        for (size_t i = 0; !f && i < CACHE_FILLS; i++) {
            if (fills[i].key) continue;
            fills[i].key = xstrdup(key);
            fills[i].owner = pthread_self();
            fills[i].generation = generation;
            nclaimed++;
            break;
        }
        break; /* compute it (the table full: without a claim) */
    }
    pthread_mutex_unlock(&lock);
    return hit;
}

void cache_fill_release(void)
{
    if (nclaimed == 0) return;
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < CACHE_FILLS && nclaimed > 0; i++)
        if (fills[i].key && pthread_equal(fills[i].owner, pthread_self())) fill_end(&fills[i]);
    pthread_mutex_unlock(&lock);
}

uint64_t cache_fill_waits(void)
{
    pthread_mutex_lock(&lock);
    uint64_t n = waits;
    pthread_mutex_unlock(&lock);
    return n;
}

void cache_put(const char *key, const char *data, size_t n)
{
    if (n > CACHE_MAX_ENTRY) {
        pthread_mutex_lock(&lock);
        Fill *f = nclaimed ? fill_find(key, 1) : NULL;
        if (f) fill_end(f);
        pthread_mutex_unlock(&lock);
        return;
    }
    char *k = xstrdup(key), *d = xmalloc(n ? n : 1);
    memcpy(d, data, n);
    pthread_mutex_lock(&lock);
    Slot *s = &slots[hash(key) % CACHE_SLOTS];
    if (s->key) slot_free(s);
    if (held + n > CACHE_MAX_BYTES) /* full: start again rather than track ages */
        for (size_t i = 0; i < CACHE_SLOTS; i++)
            if (slots[i].key) slot_free(&slots[i]);
    s->key = k;
    s->data = d;
    s->n = n;
    s->generation = generation;
    held += n;
    Fill *f = nclaimed ? fill_find(key, 1) : NULL;
    if (f) fill_end(f);
    pthread_mutex_unlock(&lock);
}

uint64_t cache_generation(void)
{
    pthread_mutex_lock(&lock);
    uint64_t g = generation;
    pthread_mutex_unlock(&lock);
    return g;
}

void cache_changed(void)
{
    pthread_mutex_lock(&lock);
    generation++;
    pthread_cond_broadcast(&filled); /* waiters compute the new data themselves */
    pthread_mutex_unlock(&lock);
}

void cache_clear(void)
{
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < CACHE_SLOTS; i++)
        if (slots[i].key) slot_free(&slots[i]);
    generation++;
    pthread_mutex_unlock(&lock);
}
