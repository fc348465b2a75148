/*
 * test_forwarded.c — the client's address from X-Forwarded-For
 * (forwarded_client): the right-most entry, IPv4 and IPv6 with or without a
 * port, one canonical text per address, and everything else refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "forwarded.h"

/* forwarded_client(value) must give want (NULL: refused, out ""). */
static void expect(const char *value, const char *want)
{
    char out[FORWARDED_ADDRESS_SIZE];
    memset(out, 'x', sizeof out);
    int r = forwarded_client(value, out);
    if (want) {
        assert_int_equal(r, 0);
        assert_string_equal(out, want);
    } else {
        assert_int_equal(r, -1);
        assert_string_equal(out, "");
    }
}

static void test_addresses(void **state)
{
    (void)state;
    expect("192.0.2.7", "192.0.2.7");
    expect("  192.0.2.7\t", "192.0.2.7");
    expect("192.0.2.7:51234", "192.0.2.7");
    expect("2001:DB8:0:0:0:0:0:7", "2001:db8::7");
    expect("[2001:db8::7]", "2001:db8::7");
    expect("[2001:db8::7]:443", "2001:db8::7");
    expect("::1", "::1");
    expect("::ffff:192.0.2.9", "192.0.2.9"); /* IPv4-mapped: the IPv4 client */
    expect("[::FFFF:c000:0209]:80", "192.0.2.9");
}

static void test_right_most(void **state)
{
    (void)state;
    /* The client may send any X-Forwarded-For; the proxy appends the real one. */
    expect("10.0.0.1, 198.51.100.4", "198.51.100.4");
    expect("<script>, evil,198.51.100.4", "198.51.100.4");
    expect("198.51.100.4, <script>", NULL);
    expect("198.51.100.4,", NULL);
    expect("198.51.100.4, ", NULL);
}

static void test_refused(void **state)
{
    (void)state;
    expect(NULL, NULL);
    expect("", NULL);
    expect("   ", NULL);
    expect("unknown", NULL);
    expect("proxy.example.org", NULL);
    expect("<script>alert(1)</script>", NULL);
    expect("192.0.2", NULL);
    expect("192.0.2.256", NULL);
    expect("192.0.2.7.1", NULL);
    expect("192.0.2.07", NULL);           /* no octal look-alikes */
    expect("192.0.2.7:", NULL);
    expect("192.0.2.7:123456", NULL);
    expect("192.0.2.7:80x", NULL);
    expect("192.0.2.7 extra", NULL);
    expect("fe80::1%eth0", NULL);         /* a zone index is the proxy's business */
    expect("[2001:db8::7", NULL);
    expect("[2001:db8::7]x", NULL);
    expect("2001:db8::7::1", NULL);
    expect("1.2.3.4\r\nSet-Cookie: a=b", NULL);
    char long_one[200];
    memset(long_one, '1', sizeof long_one - 1);
    long_one[sizeof long_one - 1] = 0;
    expect(long_one, NULL);
    /* Blanks around the entry do not count towards its length. */
    expect("                                                            1.2.3.4", "1.2.3.4");
    expect("1111:2222:3333:4444:5555:6666:7777:8888:9999:aaaa:bbbb:cccc:dddd", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_addresses),
        cmocka_unit_test(test_right_most),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
