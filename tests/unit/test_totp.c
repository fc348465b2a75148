/*
 * test_totp.c — RFC 6238 codes (the SHA-1 vectors of its appendix B), the
 * ±1 step window, refusal of a reused step, base32 secrets and the
 * otpauth:// URI, recovery codes, and the enrolment QR code's SVG.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <qrencode.h>
#include <stdio.h>
#include <string.h>

#include "auth/qr.h"
#include "auth/totp.h"

/* RFC 6238's SHA-1 seed "12345678901234567890" in base32. */
#define RFC_SECRET "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

static void test_rfc6238_vectors(void **state)
{
    (void)state;
    static const struct { time_t t; const char *code; } v[] = {
        {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
        {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
    };
    char out[9];
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        assert_int_equal(totp_code(RFC_SECRET, totp_step(v[i].t), 8, out), TOTP_OK);
        assert_string_equal(out, v[i].code);
        /* 6 digits are the last 6 of the 8 (dynamic truncation mod 10^6) */
        assert_int_equal(totp_code(RFC_SECRET, totp_step(v[i].t), 6, out), TOTP_OK);
        assert_string_equal(out, v[i].code + 2);
    }
    /* lower case and spaces in the secret are fine */
    assert_int_equal(totp_code("gezd gnbv gy3t qojq gezd gnbv gy3t qojq", 1, 8, out), TOTP_OK);
    assert_string_equal(out, "94287082");
}

static void test_window(void **state)
{
    (void)state;
    const time_t now = 1111111111; /* step 37037037 */
    const int64_t s = totp_step(now);
    char code[9];
    int64_t matched;
    for (int d = -3; d <= 3; d++) {
        assert_int_equal(totp_code(RFC_SECRET, s + d, 6, code), TOTP_OK);
        int rc = totp_verify(RFC_SECRET, code, now, -1, &matched);
        if (d >= -1 && d <= 1) {
            assert_int_equal(rc, TOTP_OK);
            assert_int_equal(matched, s + d);
        } else {
            assert_int_equal(rc, TOTP_WRONG);
            assert_int_equal(matched, -1);
        }
    }
    /* spaces are dropped; wrong length, letters and 8 digits are wrong */
    assert_int_equal(totp_code(RFC_SECRET, s, 6, code), TOTP_OK);
    char spaced[8] = {code[0], code[1], code[2], ' ', code[3], code[4], code[5], 0};
    assert_int_equal(totp_verify(RFC_SECRET, spaced, now, -1, &matched), TOTP_OK);
    assert_int_equal(totp_verify(RFC_SECRET, "12345", now, -1, &matched), TOTP_WRONG);
    assert_int_equal(totp_verify(RFC_SECRET, "14050471", now, -1, &matched), TOTP_WRONG);
    assert_int_equal(totp_verify(RFC_SECRET, "12a456", now, -1, &matched), TOTP_WRONG);
    assert_int_equal(totp_verify(RFC_SECRET, "", now, -1, &matched), TOTP_WRONG);
    assert_int_equal(totp_verify("not base32!", "050471", now, -1, &matched), TOTP_BAD_SECRET);
}

static void test_reuse_refused(void **state)
{
    (void)state;
    const time_t now = 2000000000;
    const int64_t s = totp_step(now);
    char code[9];
    int64_t matched;
    assert_int_equal(totp_code(RFC_SECRET, s, 6, code), TOTP_OK);
    assert_int_equal(totp_verify(RFC_SECRET, code, now, -1, &matched), TOTP_OK);
    assert_int_equal(matched, s);
    /* the same code again, with that step recorded: refused as a replay */
    assert_int_equal(totp_verify(RFC_SECRET, code, now, matched, &matched), TOTP_REUSED);
    /* 29 seconds later the same code is still in the window: still refused */
    assert_int_equal(totp_verify(RFC_SECRET, code, now + 29, s, &matched), TOTP_REUSED);
    /* an older code after a newer one was used: refused too */
    assert_int_equal(totp_code(RFC_SECRET, s - 1, 6, code), TOTP_OK);
    assert_int_equal(totp_verify(RFC_SECRET, code, now, s, &matched), TOTP_REUSED);
    /* the next step's code is fine */
    assert_int_equal(totp_code(RFC_SECRET, s + 1, 6, code), TOTP_OK);
    assert_int_equal(totp_verify(RFC_SECRET, code, now, s, &matched), TOTP_OK);
    assert_int_equal(matched, s + 1);
}

static void test_secret_and_uri(void **state)
{
    (void)state;
    char a[TOTP_SECRET_SIZE], b[TOTP_SECRET_SIZE], code[9];
    totp_secret_new(a);
    totp_secret_new(b);
    assert_int_equal(strlen(a), 32);
    assert_int_equal(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), 32);
    assert_string_not_equal(a, b);
    assert_int_equal(totp_code(a, 1, 6, code), TOTP_OK);
    Buf u = BUF_INIT;
    totp_uri(&u, "JBSWY3DPEHPK3PXP", "j.doe@example.org");
    assert_string_equal(buf_str(&u), "otpauth://totp/itstrat:j.doe%40example.org?secret="
                                     "JBSWY3DPEHPK3PXP&issuer=itstrat&algorithm=SHA1&digits=6"
                                     "&period=30");
    buf_free(&u);
    assert_int_equal(totp_step(0), 0);
    assert_int_equal(totp_step(29), 0);
    assert_int_equal(totp_step(30), 1);
    assert_int_equal(totp_step(-1), -1);
}

static void test_recovery_codes(void **state)
{
    (void)state;
    char codes[RECOVERY_COUNT][RECOVERY_CODE_SIZE], hashes[RECOVERY_COUNT][RECOVERY_HASH_SIZE];
    char h[RECOVERY_HASH_SIZE];
    recovery_new(codes, hashes);
    for (int i = 0; i < RECOVERY_COUNT; i++) {
        assert_int_equal(strlen(codes[i]), 19);
        assert_true(codes[i][4] == '-' && codes[i][9] == '-' && codes[i][14] == '-');
        assert_int_equal(strlen(hashes[i]), 64);
        for (int j = 0; j < i; j++) assert_string_not_equal(codes[i], codes[j]);
        /* the digest is found again from the code, typed loosely */
        char loose[32];
        snprintf(loose, sizeof loose, "%.4s %.4s%.4s-%.4s", codes[i], codes[i] + 5,
                 codes[i] + 10, codes[i] + 15);
        for (char *p = loose; *p; p++) *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
        assert_int_equal(recovery_hash(loose, h), 0);
        assert_string_equal(h, hashes[i]);
        assert_null(strstr(hashes[i], codes[i])); /* not the code itself */
    }
    assert_int_equal(recovery_hash("ABCD-EFGH-JKMN", h), -1);        /* too short */
    assert_int_equal(recovery_hash("ABCD-EFGH-JKMN-PQRSX", h), -1);  /* too long */
    assert_int_equal(recovery_hash("ABCD-EFGH-JKMN-PQR!", h), -1);   /* not a code char */
    assert_int_equal(recovery_hash("ABCD-EFGH-JKMN-PQRS", h), 0);
    char other[RECOVERY_HASH_SIZE];
    assert_int_equal(recovery_hash("ABCD-EFGH-JKMN-PQRT", other), 0);
    assert_string_not_equal(h, other);
}

static void test_qr_svg(void **state)
{
    (void)state;
    const char *uri = "otpauth://totp/itstrat:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
                      "&issuer=itstrat&algorithm=SHA1&digits=6&period=30";
    Buf b = BUF_INIT;
    assert_int_equal(qr_svg(&b, uri, "Scan <this> & add", 4), 0);
    const char *s = buf_str(&b);
    QRcode *q = QRcode_encodeString(uri, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    assert_non_null(q);
    int size = q->width + 2 * QR_QUIET_ZONE, dark = 0, drawn = 0;
    for (int i = 0; i < q->width * q->width; i++) dark += q->data[i] & 1;
    char head[160];
    snprintf(head, sizeof head, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
             "width=\"%d\" height=\"%d\" role=\"img\"", size, size, 4 * size, 4 * size);
    assert_int_equal(strncmp(s, head, strlen(head)), 0);
    assert_non_null(strstr(s, "<title>Scan &lt;this&gt; &amp; add</title>"));
    /* one path whose runs cover every dark module, inside the quiet zone */
    const char *d = strstr(s, " d=\"");
    assert_non_null(d);
    assert_null(strstr(d + 1, " d=\""));
    d += 4;
    int x, y, run, run2, n;
    while (sscanf(d, "M%d %dh%dv1h-%dz%n", &x, &y, &run, &run2, &n) == 4) {
        assert_int_equal(run, run2);
        assert_true(x >= QR_QUIET_ZONE && x + run <= size - QR_QUIET_ZONE);
        assert_true(y >= QR_QUIET_ZONE && y < size - QR_QUIET_ZONE);
        for (int k = 0; k < run; k++)
            assert_true(q->data[(y - QR_QUIET_ZONE) * q->width + x - QR_QUIET_ZONE + k] & 1);
        drawn += run;
        d += n;
    }
    assert_string_equal(d, "\"/></svg>");
    assert_int_equal(drawn, dark);
    QRcode_free(q);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc6238_vectors), cmocka_unit_test(test_window),
        cmocka_unit_test(test_reuse_refused),   cmocka_unit_test(test_secret_and_uri),
        cmocka_unit_test(test_recovery_codes),  cmocka_unit_test(test_qr_svg),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
