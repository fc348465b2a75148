/*
 * fuzz_forwarded.c — libFuzzer target: the X-Forwarded-For reader
 * (forwarded_client, src/web/forwarded.h).
 *
 * The input is a header value (a NUL ends it, as in libmicrohttpd's C
 * string). Besides "no crash, no sanitizer report" it aborts when a
 * property fails:
 *  - a refused value leaves out empty; an accepted one gives a non-empty
 *    address of only 0-9 a-f . : that inet_pton reads back, and reading that
 *    address again gives it unchanged (one canonical text per address);
 *  - only the right-most entry counts: "junk, VALUE" answers as VALUE.
 *
 * Build: CC=clang cmake -S . -B build-fuzz -DITSTRAT_FUZZ=ON && cmake --build
 * build-fuzz --target fuzz_forwarded; run: build-fuzz/fuzz_forwarded
 * fuzz/corpus/forwarded.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forwarded.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fz_die(const char *what, const char *value, const char *out)
{
    fprintf(stderr, "fuzz_forwarded: %s\nvalue: %.200s\nout: %s\n", what, value, out);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *value = malloc(size + 1), *junk = malloc(size + 16);
    if (!value || !junk) {
        free(value);
        free(junk);
        return 0;
    }
    memcpy(value, data, size);
    value[size] = 0;
    char out[FORWARDED_ADDRESS_SIZE], again[FORWARDED_ADDRESS_SIZE], other[FORWARDED_ADDRESS_SIZE];
    int r = forwarded_client(value, out);
    if (r != 0 && r != -1) fz_die("neither 0 nor -1", value, out);
    if (r) {
        if (out[0]) fz_die("refused, but out is not empty", value, out);
    } else {
        size_t n = strlen(out);
        unsigned char bin[sizeof(struct in6_addr)];
        if (n == 0 || n >= FORWARDED_ADDRESS_SIZE) fz_die("accepted, bad length", value, out);
        if (strspn(out, "0123456789abcdef.:") != n) fz_die("accepted, odd characters", value, out);
        if (inet_pton(strchr(out, ':') ? AF_INET6 : AF_INET, out, bin) != 1)
            fz_die("accepted, not an address", value, out);
        if (forwarded_client(out, again) != 0 || strcmp(out, again) != 0)
            fz_die("the address is not canonical", value, again);
    }
    snprintf(junk, size + 16, "junk, %s", value);
    int r2 = forwarded_client(junk, other);
    if (r2 != r || strcmp(out, other) != 0) fz_die("a left entry changed the answer", value, other);
    free(value);
    free(junk);
    return 0;
}
