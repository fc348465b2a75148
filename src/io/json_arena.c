/* json_arena.c — see json_arena.h. Each block carries a 16-byte header
 * saying whether it came from malloc or from the arena. */
#include "json_arena.h"

#include <jansson.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

#define HDR 16
#define CHUNK ((size_t)256 << 10)
enum { FROM_MALLOC = 0x4d, FROM_ARENA = 0x41 };

typedef struct Chunk {
    struct Chunk *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
} Chunk;

static _Thread_local int active;
static _Thread_local Chunk *chunks; /* current first */

static void *ja_malloc(size_t n)
{
    if (n > SIZE_MAX - 2 * HDR) return NULL;
    size_t need = (n + HDR + 15) & ~(size_t)15;
    unsigned char *p;
    if (active) {
        if (!chunks || chunks->size - chunks->used < need) {
            size_t size = need > CHUNK ? need : CHUNK;
            Chunk *c = xmalloc(sizeof *c + size);
            c->size = size;
            c->used = 0;
            c->next = chunks;
            chunks = c;
        }
        p = chunks->data + chunks->used;
        chunks->used += need;
        p[0] = FROM_ARENA;
    } else {
        p = malloc(need);
        if (!p) return NULL;
        p[0] = FROM_MALLOC;
    }
    return p + HDR;
}

static void ja_free(void *ptr)
{
    if (!ptr) return;
    unsigned char *p = (unsigned char *)ptr - HDR;
    if (p[0] == FROM_MALLOC) free(p);
    /* FROM_ARENA: reclaimed by json_arena_reset/end */
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static void install(void) { json_set_alloc_funcs(ja_malloc, ja_free); }

void json_arena_install(void) { pthread_once(&once, install); }

/* Under AddressSanitizer every node keeps its own malloc, so that a use
 * after free inside an element is still caught. */
#if defined(__SANITIZE_ADDRESS__)
#define JA_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define JA_SANITIZED 1
#endif
#endif

void json_arena_begin(void)
{
    json_arena_install();
#ifndef JA_SANITIZED
    active = 1;
#endif
}

void json_arena_reset(void)
{
    if (!chunks) return;
    /* Keep the newest chunk (the common case: one element fits), free the rest. */
    Chunk *keep = chunks, *c = keep->next;
    while (c) {
        Chunk *next = c->next;
        free(c);
        c = next;
    }
    keep->next = NULL;
    keep->used = 0;
    if (keep->size != CHUNK) { /* an oversized one: do not hold on to it */
        free(keep);
        chunks = NULL;
    }
}

void json_arena_end(void)
{
    active = 0;
    while (chunks) {
        Chunk *next = chunks->next;
        free(chunks);
        chunks = next;
    }
}
