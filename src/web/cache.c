/* cache.c — see cache.h. A fixed table of slots, hashed by key, replaced on
 * collision; one mutex (entries are copied in and out, never shared). */
#include "cache.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

void cache_observe(Db *db)
{
    int64_t v = db_data_version(db);
    if (v < 0) return;
    if (seen_db == db && seen_version == v) return;
    if (seen_db == db) { /* another connection committed */
        pthread_mutex_lock(&lock);
        generation++;
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

int cache_get(const char *key, Buf *out)
{
    int hit = 0;
    pthread_mutex_lock(&lock);
    Slot *s = &slots[hash(key) % CACHE_SLOTS];
    if (s->key && s->generation == generation && strcmp(s->key, key) == 0) {
        buf_append(out, s->data, s->n);
        hit = 1;
    }
    pthread_mutex_unlock(&lock);
    return hit;
}

void cache_put(const char *key, const char *data, size_t n)
{
    if (n > CACHE_MAX_ENTRY) return;
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
