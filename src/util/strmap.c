/* strmap.c — see strmap.h. */
#include "strmap.h"

#include <stdlib.h>
#include <string.h>

#include "mem.h"

/* FNV-1a: small, fast, good enough for codes. */
static uint64_t strmap_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static void strmap_grow(StrMap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    struct StrMapSlot *slots = xcalloc(cap, sizeof *slots);
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->slots[i].key) continue;
        size_t j = strmap_hash(m->slots[i].key) & (cap - 1);
        while (slots[j].key) j = (j + 1) & (cap - 1);
        slots[j] = m->slots[i];
    }
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
}

int strmap_put(StrMap *m, const char *key, int64_t value)
{
    if ((m->count + 1) * 2 > m->cap) strmap_grow(m);
    size_t i = strmap_hash(key) & (m->cap - 1);
    while (m->slots[i].key) {
        if (strcmp(m->slots[i].key, key) == 0) {
            m->slots[i].value = value;
            return 0;
        }
        i = (i + 1) & (m->cap - 1);
    }
    m->slots[i].key = xstrdup(key);
    m->slots[i].value = value;
    m->count++;
    return 1;
}

int strmap_get(const StrMap *m, const char *key, int64_t *value)
{
    if (!m->cap) return 0;
    size_t i = strmap_hash(key) & (m->cap - 1);
    while (m->slots[i].key) {
        if (strcmp(m->slots[i].key, key) == 0) {
            if (value) *value = m->slots[i].value;
            return 1;
        }
        i = (i + 1) & (m->cap - 1);
    }
    return 0;
}

void strmap_free(StrMap *m)
{
    for (size_t i = 0; i < m->cap; i++) free(m->slots[i].key);
    free(m->slots);
    m->slots = NULL;
    m->cap = m->count = 0;
}
