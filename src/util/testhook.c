/* testhook.c — named points where a test can stop the program (testhook.h). */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "testhook.h"

static pthread_once_t testhook_once = PTHREAD_ONCE_INIT;
static char testhook_point[64]; /* "" when no test asked for a pause */
static long testhook_n = -1;    /* the count asked for, -1 for every time */

static void testhook_read(void)
{
    const char *v = getenv("ITSTRAT_TEST_PAUSE_AT");
    if (!v || !*v) return;
    size_t len = strcspn(v, ":");
    if (len >= sizeof testhook_point) return;
    memcpy(testhook_point, v, len);
    testhook_point[len] = '\0';
    if (v[len] == ':') {
        char *end;
        long n = strtol(v + len + 1, &end, 10);
        if (*end || n < 0) testhook_point[0] = '\0'; /* a malformed hook stops nothing */
        else testhook_n = n;
    }
}

void testhook_pause(const char *point, long n)
{
    pthread_once(&testhook_once, testhook_read);
    if (!testhook_point[0] || strcmp(point, testhook_point) != 0) return;
    if (testhook_n >= 0 && n != testhook_n) return;
    raise(SIGSTOP);
}
