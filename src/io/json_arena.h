/*
 * json_arena.h — jansson's memory from an arena while a document is read.
 *
 * Reading a 100,000-project document element by element makes millions of
 * tiny allocations inside jansson (a node, a hash table, a string each),
 * and malloc/free cost as much as the parsing itself. Between
 * json_arena_begin() and json_arena_end(), jansson's allocations on this
 * thread come from a bump arena and its frees cost nothing; json_arena_reset()
 * then recycles everything at once after an element has been used and
 * released. Allocations made outside (other threads, before begin) use
 * malloc as usual, and each block remembers where it came from, so a free
 * is always right. Call json_arena_install() once before any jansson use.
 */
#ifndef ITSTRAT_JSON_ARENA_H
#define ITSTRAT_JSON_ARENA_H

void json_arena_install(void);
void json_arena_begin(void);  /* this thread's jansson nodes come from its arena */
void json_arena_reset(void);  /* every node made since begin/reset is dead: reuse */
void json_arena_end(void);    /* back to malloc; the arena's memory is freed */

#endif
