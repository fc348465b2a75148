/*
 * test_guard.c — the deadlines on request heads and bodies and the count of
 * requests per client (guard.c), on a socket pair with made-up clock
 * readings (no test here waits for time to pass).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "guard.h"

/* Whether the peer of a guarded end sees the end of the stream. */
static int peer_closed(int peer)
{
    char c;
    return recv(peer, &c, 1, MSG_DONTWAIT) == 0;
}

static void test_deadlines(void **state)
{
    (void)state;
    guard_configure(10000, 60000, 0);
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    GuardConn *g = guard_open(sv[0], 1000);
    assert_int_equal(guard_sweep(10999), 0); /* the head is due at 11000 */
    assert_false(peer_closed(sv[1]));
    guard_head_done(g, 5000);                /* the body is due at 65000 */
    assert_int_equal(guard_sweep(64999), 0);
    guard_answering(g);                      /* no deadline while answering */
    assert_int_equal(guard_sweep(1000000), 0);
    guard_request_done(g, 1000000);          /* the next head: due at 1010000 */
    assert_int_equal(guard_sweep(1009999), 0);
    assert_false(peer_closed(sv[1]));
    assert_int_equal(guard_sweep(1010000), 1);
    assert_true(peer_closed(sv[1]));
    assert_int_equal(guard_sweep(2000000), 0); /* once only */
    guard_close(g);
    close(sv[0]);
    close(sv[1]);
}

static void test_body_deadline(void **state)
{
    (void)state;
    guard_configure(2000, 3000, 0);
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    GuardConn *g = guard_open(sv[0], 0);
    guard_head_done(g, 1500);
    assert_int_equal(guard_sweep(4499), 0); /* the head's deadline no longer counts */
    assert_int_equal(guard_sweep(4500), 1);
    assert_true(peer_closed(sv[1]));
    guard_close(g);
    guard_close(NULL);
    close(sv[0]);
    close(sv[1]);
}

static void test_per_client(void **state)
{
    (void)state;
    guard_configure(0, 0, 2);
    assert_int_equal(guard_client_enter("203.0.113.7"), 0);
    assert_int_equal(guard_client_enter("203.0.113.7"), 0);
    assert_int_equal(guard_client_enter("203.0.113.7"), -1);
    assert_int_equal(guard_client_count("203.0.113.7"), 2);
    assert_int_equal(guard_client_enter("203.0.113.8"), 0);
    guard_client_leave("203.0.113.7");
    assert_int_equal(guard_client_enter("203.0.113.7"), 0);
    guard_client_leave("203.0.113.7");
    guard_client_leave("203.0.113.7");
    guard_client_leave("203.0.113.8");
    assert_int_equal(guard_client_count("203.0.113.7"), 0);
    /* Many clients at once (collisions, deletion moving entries back). */
    char a[600][24];
    for (int k = 0; k < 600; k++) {
        snprintf(a[k], sizeof a[k], "10.0.%d.%d", k / 256, k % 256);
        assert_int_equal(guard_client_enter(a[k]), 0);
    }
    for (int k = 0; k < 600; k += 2) guard_client_leave(a[k]);
    for (int k = 0; k < 600; k++) assert_int_equal(guard_client_count(a[k]), k % 2);
    for (int k = 1; k < 600; k += 2) guard_client_leave(a[k]);
    for (int k = 0; k < 600; k++) assert_int_equal(guard_client_count(a[k]), 0);
    /* No limit: nothing counted. */
    guard_configure(0, 0, 0);
    for (int k = 0; k < 5; k++) assert_int_equal(guard_client_enter("x"), 0);
    assert_int_equal(guard_client_count("x"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deadlines),
        cmocka_unit_test(test_body_deadline),
        cmocka_unit_test(test_per_client),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
