/* arena.c — see arena.h. */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

#define ARENA_CHUNK ((size_t)64 << 10)

struct ArenaChunk {
    ArenaChunk *next;
    size_t size;                 /* bytes in data */
    _Alignas(16) unsigned char data[];
};

void *arena_alloc(Arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (n == 0) n = 16;
    if (!a->head || a->head->size - a->used < n) {
        size_t size = n > ARENA_CHUNK / 4 ? n : ARENA_CHUNK;
        ArenaChunk *c = xmalloc(sizeof *c + size);
        c->size = size;
        if (a->head && size != ARENA_CHUNK) {
            /* A big block gets its own chunk behind the current one, so the
             * room left in the current chunk is not wasted. */
            c->next = a->head->next;
            a->head->next = c;
            memset(c->data, 0, n);
            return c->data;
        }
        c->next = a->head;
        a->head = c;
        a->used = 0;
    }
    void *p = a->head->data + a->used;
    a->used += n;
    memset(p, 0, n);
    return p;
}

char *arena_strdup(Arena *a, const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    char *p = arena_alloc(a, n);
    memcpy(p, s, n);
    return p;
}

char *arena_printf(Arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) return arena_strdup(a, "");
    char *p = arena_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void *arena_grow(Arena *a, void *arr, size_t n, size_t sz)
{
    size_t cap;
    if (n == 0) cap = 8;
    else if (n >= 8 && (n & (n - 1)) == 0) cap = 2 * n;
    else return arr;
    if (cap > SIZE_MAX / sz) abort();
    void *q = arena_alloc(a, cap * sz);
    if (n) memcpy(q, arr, n * sz);
    return q;
}

void arena_free(Arena *a)
{
    for (ArenaChunk *c = a->head, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    a->head = NULL;
    a->used = 0;
}
