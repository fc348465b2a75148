/*
 * mem.h — allocation that never returns NULL.
 *
 * Every allocation in itstrat goes through these functions. On out-of-memory
 * they print a message and abort: no caller has to check. Tests can make the
 * N-th allocation fail (mem_fail_after) to prove that a failure in the middle
 * of an operation leaves the database as it was; a failed allocation then
 * calls the installed handler, which longjmps or aborts.
 */
#ifndef ITSTRAT_MEM_H
#define ITSTRAT_MEM_H
#include <stddef.h>

void *xmalloc(size_t n);              /* n bytes, uninitialised; caller frees */
void *xcalloc(size_t count, size_t n); /* zeroed; caller frees */
void *xrealloc(void *p, size_t n);     /* like realloc, never NULL */
char *xstrdup(const char *s);          /* copy of s, NULL stays NULL; caller frees */
char *xstrndup(const char *s, size_t n); /* copy of n bytes + NUL; caller frees */

/* Fault injection for tests: the n-th allocation from now on fails
 * (n = 0 disables). A failing allocation calls the handler if one is set,
 * otherwise aborts. */
void mem_fail_after(long n);
void mem_set_fail_handler(void (*handler)(void));

#endif
