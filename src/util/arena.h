/*
 * arena.h — many small allocations freed at once.
 *
 * A report, a page or a request copies the rows it reads into an arena and
 * frees everything with one arena_free() when it is done, so no function in
 * between has to track who owns which string. Allocation never fails (see
 * mem.h).
 */
#ifndef ITSTRAT_ARENA_H
#define ITSTRAT_ARENA_H
#include <stddef.h>

typedef struct ArenaChunk ArenaChunk;

typedef struct Arena {
    ArenaChunk *head; /* newest chunk first */
    size_t used;      /* bytes used in head */
} Arena;

#define ARENA_INIT {NULL, 0}

void *arena_alloc(Arena *a, size_t n);            /* n zeroed bytes, 16-aligned */
char *arena_strdup(Arena *a, const char *s);      /* NULL stays NULL */
char *arena_printf(Arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Room for element n of the array arr that holds n elements of size sz:
 * returns arr, or a copy in the arena with twice the room when arr is full
 * (capacities are 8, 16, 32, ...: implied by n). Then set arr[n] and count
 * it:  p = arena_grow(a, p, n, sizeof *p); p[n++] = x;  */
void *arena_grow(Arena *a, void *arr, size_t n, size_t sz);
void arena_free(Arena *a);                         /* frees all; a is empty again */

#endif
