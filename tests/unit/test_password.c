/*
 * test_password.c — Argon2id hashing (round trip, wrong password, salt,
 * parameters in the hash, rehash), the strength rules with their reasons,
 * and random passwords.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include <sodium.h>

#include "auth/password.h"

/* A hash of the test password with libsodium's interactive (weaker) limits. */
static int weak_hash(char out[PASSWORD_HASH_SIZE])
{
    const char *pw = "tangerine lamp october";
    return crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

static void test_hash_and_verify(void **state)
{
    (void)state;
    char h1[PASSWORD_HASH_SIZE], h2[PASSWORD_HASH_SIZE];
    assert_int_equal(password_hash("tangerine lamp october", h1), 0);
    assert_int_equal(strncmp(h1, "$argon2id$v=19$m=131072,t=4,p=1$", 32), 0);
    assert_null(strstr(h1, "tangerine")); /* never the clear text */
    assert_true(password_verify(h1, "tangerine lamp october"));
    assert_false(password_verify(h1, "tangerine lamp October"));
    assert_false(password_verify(h1, ""));
    assert_false(password_needs_rehash(h1));
    /* a new salt each time: same password, different hash, both verify */
    assert_int_equal(password_hash("tangerine lamp october", h2), 0);
    assert_string_not_equal(h1, h2);
    assert_true(password_verify(h2, "tangerine lamp october"));
}

static void test_malformed_and_old_hashes(void **state)
{
    (void)state;
    assert_false(password_verify("", "x"));
    assert_false(password_verify("plain text", "plain text"));
    assert_false(password_verify(NULL, "x"));
    /* a hash with weaker parameters verifies but asks to be replaced */
    char weak[PASSWORD_HASH_SIZE];
    assert_int_equal(weak_hash(weak), 0);
    assert_true(password_verify(weak, "tangerine lamp october"));
    assert_true(password_needs_rehash(weak));
    assert_true(password_needs_rehash("not a hash"));
}

/* The reason password_check gives for pw, or "" when pw is accepted. */
static const char *why(const char *pw, const char *login)
{
    static Buf b = BUF_INIT;
    buf_reset(&b);
    int rc = password_check(pw, login, &b);
    assert_int_equal(rc == 0, b.n == 0);
    return buf_str(&b);
}

static void test_strength_rules(void **state)
{
    (void)state;
    /* accepted: long enough, no pattern; no composition rules */
    assert_string_equal(why("tangerine lamp october", "alice"), "");
    assert_string_equal(why("correct mule staple 7", "alice"), "");
    assert_string_equal(why("xk4-Pq9!zzWe", NULL), "");
    assert_string_equal(why("ünïcødé wörds ok", NULL), "");
    /* length counts characters, not bytes */
    assert_non_null(strstr(why("short", NULL), "has 5 characters; use at least 12"));
    assert_non_null(strstr(why("ééééééé", NULL), "has 7 characters"));
    assert_non_null(strstr(why("", NULL), "has 0 characters"));
    /* patterns */
    assert_non_null(strstr(why("aaaaaaaaaaaaaaa", NULL), "repeats"));
    assert_non_null(strstr(why("abcabcabcabc", NULL), "repeats"));
    assert_non_null(strstr(why("abcdefghijklmn", NULL), "consecutive"));
    assert_non_null(strstr(why("98765432109876", NULL), "consecutive"));
    assert_non_null(strstr(why("1234567890123", NULL), "consecutive"));
    /* context: the login */
    assert_non_null(strstr(why("margaret.smith", "Margaret.Smith"), "contains the login"));
    assert_non_null(strstr(why("xmargaret.smith2024", "margaret.smith"), "contains the login"));
    /* common passwords and common words dressed up */
    assert_non_null(strstr(why("qwerty123456", NULL), "most common passwords"));
    assert_non_null(strstr(why("1qaz2wsx3edc", NULL), "most common passwords"));
    assert_non_null(strstr(why("Password2024!", NULL), "common word"));
    assert_non_null(strstr(why("!!Welcome123456", NULL), "common word"));
    assert_non_null(strstr(why("adminadmin2024", NULL), "common word"));
    /* control characters and absurd lengths */
    assert_non_null(strstr(why("tangerine\tlamp october", NULL), "control character"));
    char big[PASSWORD_MAX_BYTES + 2];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_non_null(strstr(why(big, NULL), "longer than"));
}

static void test_random_passwords(void **state)
{
    (void)state;
    char a[PASSWORD_RANDOM_CHARS + 1], b[PASSWORD_RANDOM_CHARS + 1];
    password_random(a);
    password_random(b);
    assert_int_equal(strlen(a), PASSWORD_RANDOM_CHARS);
    assert_string_not_equal(a, b);
    assert_null(strpbrk(a, "0O1lIo")); /* no look-alikes */
    assert_string_equal(why(a, "admin"), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_and_verify),
        cmocka_unit_test(test_malformed_and_old_hashes),
        cmocka_unit_test(test_strength_rules),
        cmocka_unit_test(test_random_passwords),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
