/*
 * json_scan.h — reading a large JSON document one piece at a time.
 *
 * A strategy document can hold 100,000 projects. Parsing it whole with
 * jansson would cost several times its size in memory, so json_scan splits
 * the top-level object into its members (key, value span, line) without
 * building anything, and json_iter hands the elements of an array value to
 * jansson one at a time. Every error names a line (and column where known)
 * and, for truncated files, where the unfinished value started.
 */
#ifndef ITSTRAT_JSON_SCAN_H
#define ITSTRAT_JSON_SCAN_H
#include <jansson.h>
#include <stddef.h>

#include "buf.h"

typedef struct JsonMember {
    char *key;     /* the member's name (owned by the JsonDoc) */
    size_t start;  /* offset of the value's first byte */
    size_t end;    /* offset just after the value */
    long line;     /* line of the value's first byte (1-based) */
} JsonMember;

typedef struct JsonDoc {
    const char *data;     /* the whole document (borrowed) */
    size_t len;
    JsonMember *members;  /* in document order; caller frees with json_doc_free */
    size_t n;
} JsonDoc;

/* Splits the top-level object of data into members. Checks the structure
 * (brackets, strings, commas) of the whole text and that nothing follows the
 * object; the insides of values are checked later by jansson. Duplicate
 * top-level keys are errors. Returns 0, or -1 with a message in err. */
int json_doc_scan(JsonDoc *doc, const char *data, size_t len, Buf *err);
void json_doc_free(JsonDoc *doc);
/* The member called key, or NULL. */
const JsonMember *json_doc_get(const JsonDoc *doc, const char *key);

/* Parses one member's whole value with jansson (duplicate keys rejected).
 * Returns a new reference (caller json_decref's), or NULL with err set. */
json_t *json_member_parse(const JsonDoc *doc, const JsonMember *m, Buf *err);

typedef struct JsonIter {
    const JsonDoc *doc;
    size_t pos, end;   /* next byte to read; end of the array's span */
    long line;         /* line at pos */
    size_t index;      /* index of the next element */
} JsonIter;

/* Starts iterating the array value of m. Returns 0, or -1 when the value is
 * not an array (no message: the caller knows what the member should be). */
int json_iter_begin(JsonIter *it, const JsonDoc *doc, const JsonMember *m);
/* The next element: 1 with *out (caller json_decref's) and *line, 0 at the
 * end, -1 with err set on a syntax error inside the element. */
int json_iter_next(JsonIter *it, json_t **out, long *line, Buf *err);

#endif
