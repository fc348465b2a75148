/*
 * test_cache.c — the page cache: entries follow the generation, and a
 * missing entry is computed by one thread while the others asking for it
 * wait (cache_get_fill), including when the filler gives up.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "cache.h"

typedef struct Asker {
    const char *key;
    pthread_t t;
    int hit;      /* what cache_get_fill returned */
    char got[32]; /* the entry it got */
    int put;      /* 1: on a miss, put "mine" (becoming the filler) */
} Asker;

static void *ask(void *p)
{
    Asker *a = p;
    Buf b = BUF_INIT;
    a->hit = cache_get_fill(a->key, &b);
    snprintf(a->got, sizeof a->got, "%s", buf_str(&b));
    if (!a->hit && a->put) cache_put(a->key, "mine", 4);
    cache_fill_release();
    buf_free(&b);
    return NULL;
}

/* Waits (no time limit: a hang is a failure ctest reports) until n more
 * threads than before wait for a fill. */
static void wait_for_waiters(uint64_t before, uint64_t n)
{
    while (cache_fill_waits() < before + n) sched_yield();
}

static void test_get_and_put_follow_the_generation(void **state)
{
    (void)state;
    cache_clear();
    Buf b = BUF_INIT;
    assert_int_equal(cache_get("a", &b), 0);
    cache_put("a", "one", 3);
    assert_int_equal(cache_get("a", &b), 1);
    assert_string_equal(buf_str(&b), "one");
    cache_changed();
    buf_reset(&b);
    assert_int_equal(cache_get("a", &b), 0);
    buf_free(&b);
}

static void test_one_thread_fills_the_others_wait(void **state)
{
    (void)state;
    cache_clear();
    Buf b = BUF_INIT;
    assert_int_equal(cache_get_fill("counts", &b), 0); /* this thread fills */
    uint64_t before = cache_fill_waits();
    Asker a[4];
    for (int k = 0; k < 4; k++) {
        a[k] = (Asker){.key = "counts", .put = 1};
        assert_int_equal(pthread_create(&a[k].t, NULL, ask, &a[k]), 0);
    }
    wait_for_waiters(before, 4);
    cache_put("counts", "filled", 6);
    for (int k = 0; k < 4; k++) {
        pthread_join(a[k].t, NULL);
        assert_int_equal(a[k].hit, 1); /* none computed it again */
        assert_string_equal(a[k].got, "filled");
    }
    /* Filled: a later ask neither waits nor fills. */
    before = cache_fill_waits();
    assert_int_equal(cache_get_fill("counts", &b), 1);
    assert_int_equal(cache_fill_waits(), before);
    buf_free(&b);
}

static void test_a_fill_given_up_passes_to_a_waiter(void **state)
{
    (void)state;
    cache_clear();
    Buf b = BUF_INIT;
    assert_int_equal(cache_get_fill("page", &b), 0);
    uint64_t before = cache_fill_waits();
    Asker a = {.key = "page", .put = 1};
    assert_int_equal(pthread_create(&a.t, NULL, ask, &a), 0);
    wait_for_waiters(before, 1);
    cache_fill_release(); /* the request ended without an entry (an error) */
    pthread_join(a.t, NULL);
    assert_int_equal(a.hit, 0); /* it computed it itself... */
    assert_int_equal(cache_get("page", &b), 1); /* ...and put it */
    assert_string_equal(buf_str(&b), "mine");
    buf_free(&b);
}

/* A thread that fills "second" and then asks for "first". */
typedef struct Two {
    int first_hit;                    /* what asking for "first" returned */
    uint64_t waits_before, waits_after; /* cache_fill_waits() around the ask */
} Two;

static void *fill_second_ask_first(void *p)
{
    Two *two = p;
    Buf b = BUF_INIT;
    two->first_hit = -1;
    if (cache_get_fill("second", &b) == 0) {
        two->waits_before = cache_fill_waits();
        two->first_hit = cache_get_fill("first", &b);
        two->waits_after = cache_fill_waits();
    }
    cache_fill_release();
    buf_free(&b);
    return NULL;
}

static void test_a_filler_does_not_wait_for_another_fill(void **state)
{
    (void)state;
    cache_clear();
    Buf b = BUF_INIT;
    assert_int_equal(cache_get_fill("first", &b), 0); /* this thread fills "first" */
    /* The other thread fills "second" and asks for "first": waiting could
     * never end if this thread asked for "second" meanwhile. */
    Two two = {0};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, fill_second_ask_first, &two), 0);
    pthread_join(t, NULL);
    assert_int_equal(two.first_hit, 0);
    assert_true(two.waits_after == two.waits_before);
    cache_fill_release();
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_get_and_put_follow_the_generation),
        cmocka_unit_test(test_one_thread_fills_the_others_wait),
        cmocka_unit_test(test_a_fill_given_up_passes_to_a_waiter),
        cmocka_unit_test(test_a_filler_does_not_wait_for_another_fill),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
