/*
 * strmap.h — a hash map from strings to 64-bit integers (codes to row ids).
 *
 * Keys are copied; values are int64. Open addressing with linear probing,
 * grown at 50% load. Used by the importers to resolve references by code
 * without a query per reference.
 */
#ifndef ITSTRAT_STRMAP_H
#define ITSTRAT_STRMAP_H
#include <stddef.h>
#include <stdint.h>

typedef struct StrMap {
    struct StrMapSlot { char *key; int64_t value; } *slots; /* NULL key: empty */
    size_t cap;   /* slots allocated, a power of two */
    size_t count; /* keys stored */
} StrMap;

#define STRMAP_INIT {NULL, 0, 0}

/* Sets key to value. Returns 1 when the key was new, 0 when it replaced. */
int strmap_put(StrMap *m, const char *key, int64_t value);
/* Looks key up: 1 and *value when present, 0 when absent. */
int strmap_get(const StrMap *m, const char *key, int64_t *value);
void strmap_free(StrMap *m);

#endif
