/*
 * gen.h — realistic synthetic strategies for benchmarks and load tests.
 */
#ifndef ITSTRAT_GEN_H
#define ITSTRAT_GEN_H
#include <stdint.h>

#include "json_w.h"

typedef struct GenSpec {
    long projects;      /* number of projects, >= 1 */
    uint64_t seed;      /* same seed, same bytes */
    const char *code;   /* strategy code; NULL: GEN-<seed> */
} GenSpec;

/* Writes a whole strategy document (format itstrat/1, canonical layout)
 * through w and finishes it. Returns 0, or -1 when the sink failed. */
int gen_strategy(const GenSpec *spec, JsonW *w);

#endif
