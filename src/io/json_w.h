/*
 * json_w.h — writing JSON in itstrat's canonical layout.
 *
 * Two-space indentation, one member or element per line, `"key": value`,
 * numbers in their shortest exact form. Keys are string literals (jw_key is
 * a macro). Arrays opened with jw_array() are lazy: the key and bracket are
 * written only when the first element arrives, so an empty collection leaves
 * no trace, as the format asks ("export leaves unknown keys out").
 *
 * Output accumulates in a Buf; with a sink set, jw_flush() hands whole
 * megabytes to it (a file, a hash) so that a large export needs little memory.
 */
#ifndef ITSTRAT_JSON_W_H
#define ITSTRAT_JSON_W_H
#include <stdint.h>
#include <stdio.h>

#include "buf.h"

#define JW_MAX_DEPTH 32

typedef struct JsonW {
    Buf *b;            /* where text goes (borrowed) */
    int (*sink)(void *ctx, const char *p, size_t n); /* when set, receives b's text */
    void *ctx;         /* the sink's argument */
    int depth;         /* open containers */
    struct {
        char is_array;      /* 1 array, 0 object */
        char opened;        /* bracket written (lazy arrays start at 0) */
        int count;          /* members written */
        const char *key;    /* key of a lazy array not yet opened */
    } st[JW_MAX_DEPTH];
    const char *key;   /* key set by jw_key for the next value */
    int io_error;      /* the sink failed */
} JsonW;

/* Starts a writer into b; sink may be NULL (everything stays in b). */
void jw_init(JsonW *w, Buf *b, int (*sink)(void *ctx, const char *p, size_t n), void *ctx);
/* A sink writing to the FILE * in ctx; returns -1 on a write error. */
int jw_sink_file(void *ctx, const char *p, size_t n);
#define jw_key(w, k) jw_key_((w), "" k)
void jw_key_(JsonW *w, const char *key);
void jw_object(JsonW *w);         /* opens an object (value of the pending key) */
void jw_array(JsonW *w);          /* opens a lazy array */
void jw_array_always(JsonW *w);   /* opens an array written even when empty ([]: the API) */
void jw_end(JsonW *w);            /* closes the innermost container */
void jw_string(JsonW *w, const char *s);
void jw_int(JsonW *w, int64_t v);
void jw_double(JsonW *w, double v); /* shortest text that reads back as v */
void jw_bool(JsonW *w, int v);
void jw_money(JsonW *w, int64_t cents); /* 1234.5, 12, 0.05 */

/* Optional members: written only when known (not NULL/"", DB_NULL_INT, NAN). */
#define jw_opt_string(w, k, v) jw_opt_string_((w), "" k, (v))
#define jw_opt_int(w, k, v) jw_opt_int_((w), "" k, (v))
#define jw_opt_double(w, k, v) jw_opt_double_((w), "" k, (v))
#define jw_opt_money(w, k, v) jw_opt_money_((w), "" k, (v))
#define jw_opt_true(w, k, v) jw_opt_true_((w), "" k, (v))
void jw_opt_string_(JsonW *w, const char *key, const char *v);
void jw_opt_int_(JsonW *w, const char *key, int64_t v);
void jw_opt_double_(JsonW *w, const char *key, double v);
void jw_opt_money_(JsonW *w, const char *key, int64_t cents);
void jw_opt_true_(JsonW *w, const char *key, int64_t v); /* "key": true when v is 1 */

int jw_flush(JsonW *w); /* hands b to the sink when it holds 1 MiB or more; -1 on error */
int jw_finish(JsonW *w); /* final newline, hands everything to the sink; -1 on error */

/* Appends s as a JSON string literal with quotes (the JSON-string encoder). */
void json_quote(Buf *b, const char *s);
/* Appends the shortest decimal text that strtod reads back as v. */
void json_number(Buf *b, double v);

#endif
