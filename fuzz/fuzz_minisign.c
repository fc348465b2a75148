/*
 * fuzz_minisign.c — libFuzzer target: the readers of minisign's public key
 * and signature files (minisign.c), and the report manifest parser.
 *
 * Besides "no crash, no sanitizer report" it checks that a signature that
 * parses never verifies against a fixed key and a hash it was not made
 * for (the input cannot forge one), and that a parsed trusted comment is
 * one line within the limit.
 *
 * Build: CC=clang cmake -S . -B build-fuzz -DITSTRAT_FUZZ=ON && cmake --build
 * build-fuzz --target fuzz_minisign; run: build-fuzz/fuzz_minisign fuzz/corpus/minisign.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "minisign.h"
#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Buf err = BUF_INIT;
    MinisignPub pub;
    static MinisignSig sig;
    (void)minisign_parse_pub((const char *)data, size, &pub, &err);
    buf_reset(&err);
    if (minisign_parse_sig((const char *)data, size, &sig, &err) == 0) {
        if (strlen(sig.trusted) > MINISIGN_COMMENT_MAX || strpbrk(sig.trusted, "\n\r")) abort();
        MinisignPub fixed;
        memset(&fixed, 7, sizeof fixed);
        memcpy(fixed.key_id, sig.key_id, 8);
        unsigned char hash[64];
        memset(hash, 1, sizeof hash);
        Buf e2 = BUF_INIT;
        if (minisign_verify(&fixed, &sig, hash, &e2) == 0) abort();
        buf_free(&e2);
    }
    char text[1024], code[128], digest[65], fmt[16];
    size_t n = size < sizeof text - 1 ? size : sizeof text - 1;
    memcpy(text, data, n);
    text[n] = 0;
    int year, final;
    if (report_manifest_parse(text, code, sizeof code, &year, &final, digest, fmt, sizeof fmt) == 0)
        if (strlen(digest) != 64 || !*code) abort();
    buf_free(&err);
    return 0;
}
