/*
 * test_buf.c — the byte buffer: appends, growth, NUL termination, printf,
 * truncation and detaching.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

static void test_empty_buf_reads_as_empty_string(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    assert_string_equal(buf_str(&b), "");
    assert_int_equal(b.n, 0);
    buf_reset(&b); /* harmless on a buffer that never held anything */
    buf_truncate(&b, 0);
    assert_string_equal(buf_str(&b), "");
    buf_free(&b);
}

static void test_appends_keep_nul_termination(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    buf_puts(&b, "abc");
    buf_putc(&b, 'd');
    buf_append(&b, "efXX", 2);
    assert_int_equal(b.n, 6);
    assert_string_equal(buf_str(&b), "abcdef");
    assert_int_equal(b.a[b.n], 0);
    buf_append(&b, "", 0);
    assert_string_equal(buf_str(&b), "abcdef");
    buf_free(&b);
    assert_null(b.a);
    assert_int_equal(b.n, 0);
    assert_int_equal(b.cap, 0);
}

static void test_embedded_nul_bytes_are_kept(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    buf_append(&b, "a\0b", 3);
    assert_int_equal(b.n, 3);
    assert_memory_equal(b.a, "a\0b\0", 4);
    buf_free(&b);
}

static void test_growth_preserves_content(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    for (int i = 0; i < 100000; i++) buf_putc(&b, (char)('a' + i % 26));
    assert_int_equal(b.n, 100000);
    assert_true(b.cap > b.n);
    for (int i = 0; i < 100000; i++) assert_int_equal(b.a[i], 'a' + i % 26);
    assert_int_equal(b.a[b.n], 0);
    buf_free(&b);
}

static void test_reserve_gives_room_without_changing_length(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    buf_puts(&b, "xy");
    buf_reserve(&b, 5000);
    assert_true(b.cap >= 2 + 5000 + 1);
    assert_int_equal(b.n, 2);
    assert_string_equal(buf_str(&b), "xy");
    buf_free(&b);
}

static void test_printf_short_and_long(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    buf_printf(&b, "%d-%s", 42, "x");
    assert_string_equal(buf_str(&b), "42-x");
    /* Longer than the 256-byte stack buffer inside buf_vprintf. */
    char big[1000];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = 0;
    buf_printf(&b, "[%s]", big);
    assert_int_equal(b.n, 4 + 2 + 999);
    assert_int_equal(b.a[4], '[');
    assert_int_equal(b.a[b.n - 1], ']');
    assert_int_equal(b.a[b.n], 0);
    assert_int_equal(strlen(b.a), b.n);
    buf_free(&b);
}

static void test_reset_and_truncate(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    buf_puts(&b, "hello world");
    buf_truncate(&b, 5);
    assert_string_equal(buf_str(&b), "hello");
    buf_truncate(&b, 50); /* longer than the content: nothing happens */
    assert_string_equal(buf_str(&b), "hello");
    size_t cap = b.cap;
    buf_reset(&b);
    assert_string_equal(buf_str(&b), "");
    assert_int_equal(b.cap, cap); /* memory kept */
    buf_puts(&b, "again");
    assert_string_equal(buf_str(&b), "again");
    buf_free(&b);
}

static void test_detach_hands_over_the_data(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    buf_puts(&b, "mine");
    char *p = buf_detach(&b);
    assert_string_equal(p, "mine");
    assert_null(b.a);
    assert_int_equal(b.n, 0);
    free(p);
    /* An empty buffer detaches as an allocated empty string. */
    p = buf_detach(&b);
    assert_non_null(p);
    assert_string_equal(p, "");
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_buf_reads_as_empty_string),
        cmocka_unit_test(test_appends_keep_nul_termination),
        cmocka_unit_test(test_embedded_nul_bytes_are_kept),
        cmocka_unit_test(test_growth_preserves_content),
        cmocka_unit_test(test_reserve_gives_room_without_changing_length),
        cmocka_unit_test(test_printf_short_and_long),
        cmocka_unit_test(test_reset_and_truncate),
        cmocka_unit_test(test_detach_hands_over_the_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
