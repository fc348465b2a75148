/*
 * test_mem.c — the allocator: zeroing, copies, and the fault-injection hook
 * (mem_fail_after / mem_set_fail_handler) that the store tests rely on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mem.h"

static jmp_buf mem_jump;
static int mem_handler_calls;

/* The fail handler of these tests: leaves the failing allocation. */
static void mem_jump_back(void)
{
    mem_handler_calls++;
    longjmp(mem_jump, 1);
}

static int reset_hooks(void **state)
{
    (void)state;
    mem_fail_after(0);
    mem_set_fail_handler(NULL);
    mem_handler_calls = 0;
    return 0;
}

static void test_allocations_work(void **state)
{
    (void)state;
    char *p = xmalloc(0); /* a zero-byte request still gives a pointer */
    assert_non_null(p);
    free(p);
    unsigned char *z = xcalloc(100, 4);
    for (int i = 0; i < 400; i++) assert_int_equal(z[i], 0);
    z = xrealloc(z, 100000);
    assert_int_equal(z[399], 0); /* old contents kept */
    free(z);
    assert_null(xstrdup(NULL));
    char *s = xstrdup("strategy");
    assert_string_equal(s, "strategy");
    free(s);
    s = xstrndup("abcdef", 3);
    assert_string_equal(s, "abc");
    free(s);
    s = xstrndup("a\0bc", 4); /* copies n bytes exactly, then a NUL */
    assert_memory_equal(s, "a\0bc\0", 5);
    free(s);
}

static void test_nth_allocation_fails(void **state)
{
    (void)state;
    mem_set_fail_handler(mem_jump_back);
    void *volatile a = NULL, *volatile b = NULL, *volatile c = NULL;
    mem_fail_after(3);
    if (setjmp(mem_jump) == 0) {
        a = xmalloc(10);
        b = xstrdup("two");
        c = xcalloc(1, 10); /* the third: fails */
        fail_msg("the third allocation should have failed");
    }
    assert_int_equal(mem_handler_calls, 1);
    assert_non_null(a);
    assert_non_null(b);
    assert_null(c);
    /* One failure only: the countdown is spent. */
    void *d = xmalloc(10);
    assert_non_null(d);
    assert_int_equal(mem_handler_calls, 1);
    free(a), free(b), free(d);
}

static void test_realloc_failure_keeps_the_old_block(void **state)
{
    (void)state;
    mem_set_fail_handler(mem_jump_back);
    char *volatile p = xstrdup("keep me");
    mem_fail_after(1);
    if (setjmp(mem_jump) == 0) {
        p = xrealloc(p, 1 << 20);
        fail_msg("xrealloc should have failed");
    }
    assert_int_equal(mem_handler_calls, 1);
    assert_string_equal(p, "keep me");
    free(p);
}

static void test_fail_after_zero_disables(void **state)
{
    (void)state;
    mem_set_fail_handler(mem_jump_back);
    mem_fail_after(2);
    mem_fail_after(0);
    if (setjmp(mem_jump) == 0) {
        for (int i = 0; i < 10; i++) free(xmalloc(8));
    }
    assert_int_equal(mem_handler_calls, 0);
    mem_fail_after(-5); /* negative: also disabled */
    if (setjmp(mem_jump) == 0) {
        for (int i = 0; i < 10; i++) free(xmalloc(8));
    }
    assert_int_equal(mem_handler_calls, 0);
}

static void test_without_handler_it_aborts(void **state)
{
    (void)state;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        signal(SIGABRT, SIG_DFL);
        mem_set_fail_handler(NULL);
        mem_fail_after(1);
        void *p = xmalloc(16); /* must not return */
        (void)p;
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGABRT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_allocations_work, reset_hooks, reset_hooks),
        cmocka_unit_test_setup_teardown(test_nth_allocation_fails, reset_hooks, reset_hooks),
        cmocka_unit_test_setup_teardown(test_realloc_failure_keeps_the_old_block, reset_hooks,
                                        reset_hooks),
        cmocka_unit_test_setup_teardown(test_fail_after_zero_disables, reset_hooks, reset_hooks),
        cmocka_unit_test_setup_teardown(test_without_handler_it_aborts, reset_hooks,
                                        reset_hooks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
