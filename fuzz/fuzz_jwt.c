/*
 * fuzz_jwt.c — libFuzzer target: the ID token checks (jwt.h) on any input.
 *
 * The input is split at its first NUL: before it the token, after it a key
 * set (JWKS text). Besides "no crash, no sanitizer report" it aborts when a
 * property fails: a token jwt_header() refuses is refused by jwt_verify()
 * with the same status; an accepted token gives claims and no message; a
 * refused one gives a message and no claims. (A forged token that passes
 * would need a signature by a key of the set: the tests in tests/http/oidc.py
 * check the refusals one by one.)
 *
 * Build: CC=clang cmake -S . -B build-fuzz -DITSTRAT_FUZZ=ON && cmake --build
 * build-fuzz --target fuzz_jwt; run: build-fuzz/fuzz_jwt fuzz/corpus/jwt.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "jwt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = malloc(size + 2);
    memcpy(in, data, size);
    in[size] = in[size + 1] = 0;
    const char *token = in, *jwks = in + strlen(in) + 1;
    if ((size_t)(jwks - in) > size) jwks = "";
    JwtExpect e = {"https://op.example", "client", "nonce", 1700000000, 60};
    char alg[16], kid[128];
    JwtStatus h = jwt_header(token, alg, kid);
    json_t *claims = NULL;
    Buf why = BUF_INIT;
    JwtStatus v = jwt_verify(token, jwks, &e, &claims, &why);
    if (h != JWT_OK && v != h) abort();
    if (v == JWT_OK && (!claims || why.n)) abort();
    if (v != JWT_OK && (claims || !why.n)) abort();
    json_decref(claims);
    buf_free(&why);
    free(in);
    return 0;
}
