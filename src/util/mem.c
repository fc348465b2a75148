/* mem.c — see mem.h. */
#include "mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long mem_countdown;            /* 0: no injected failure pending */
static void (*mem_fail_handler)(void); /* called instead of abort when set */

/* Reports an allocation failure and never returns. */
static void mem_die(size_t n)
{
    if (mem_fail_handler) mem_fail_handler();
    fprintf(stderr, "itstrat: out of memory (asked for %zu bytes)\n", n);
    abort();
}

/* Returns 1 when the injected failure is due now. */
static int mem_injected(void)
{
    if (mem_countdown > 0 && --mem_countdown == 0) return 1;
    return 0;
}

void mem_fail_after(long n) { mem_countdown = n > 0 ? n : 0; }
void mem_set_fail_handler(void (*handler)(void)) { mem_fail_handler = handler; }

void *xmalloc(size_t n)
{
    void *p = mem_injected() ? NULL : malloc(n ? n : 1);
    if (!p) mem_die(n);
    return p;
}

void *xcalloc(size_t count, size_t n)
{
    void *p = mem_injected() ? NULL : calloc(count ? count : 1, n ? n : 1);
    if (!p) mem_die(count * n);
    return p;
}

void *xrealloc(void *old, size_t n)
{
    void *p = mem_injected() ? NULL : realloc(old, n ? n : 1);
    if (!p) mem_die(n);
    return p;
}

char *xstrdup(const char *s)
{
    return s ? xstrndup(s, strlen(s)) : NULL;
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}
