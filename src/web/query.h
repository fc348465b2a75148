/*
 * query.h — the query string of a request, parsed once and checked field by
 * field, so that no handler ever sees an unchecked string.
 *
 * query_parse() splits and percent-decodes the raw query ("a=1&b=x%20y");
 * query_bind() checks the parameters against a table of fields (type,
 * range, choices, length) and fills a struct of typed values. A problem is
 * reported as "parameter NAME: what is wrong" for a 400 page; unknown
 * parameters are refused with the names that are allowed.
 */
#ifndef ITSTRAT_QUERY_H
#define ITSTRAT_QUERY_H
#include <stddef.h>

#include "arena.h"
#include "buf.h"

#define QUERY_MAX_PARAMS 64
#define QUERY_MAX_VALUE 1000 /* bytes in one decoded value */
#define FORM_MAX_PARAMS 200   /* fields of a form body */
#define FORM_MAX_VALUE 200000 /* bytes of one form field (a Markdown text) */

typedef struct QueryParam {
    const char *name, *value; /* decoded, NUL-terminated, valid UTF-8 */
} QueryParam;

typedef struct Query {
    QueryParam *a;
    size_t n;
} Query;

/* Parses raw (may be NULL or "") into q, allocating in arena. Returns 0, or
 * -1 with a message in err (bad percent-encoding, NUL, invalid UTF-8, too
 * many parameters, an over-long value). */
int query_parse(const char *raw, Arena *arena, Query *q, Buf *err);

/* The same for an application/x-www-form-urlencoded request body, with the
 * larger FORM_MAX_* limits. */
int query_parse_form(const char *raw, Arena *arena, Query *q, Buf *err);

typedef enum QueryType {
    QT_INT,   /* whole number in [lo, hi] -> long long */
    QT_TEXT,  /* any text up to maxlen characters -> const char * */
    QT_CODE,  /* a code: 1-64 of A-Z a-z 0-9 . _ - -> const char * */
    QT_ENUM,  /* one of choices -> int index */
    QT_FLAG   /* present ("1", "on", "true" or empty) -> int 1 */
} QueryType;

typedef struct QueryField {
    const char *name;
    QueryType type;
    size_t offset;              /* of the value in the output struct */
    size_t has_offset;          /* of an int set to 1 when given; (size_t)-1: none */
    long long lo, hi;           /* QT_INT */
    const char *const *choices; /* QT_ENUM, NULL-terminated */
    size_t maxlen;              /* QT_TEXT, in characters */
} QueryField;

#define QUERY_NO_HAS ((size_t)-1)

/* Checks q against fields (ended by a {NULL} entry) and writes the values
 * into out. An empty value counts as not given. A parameter given twice,
 * one not in the table, or a bad value: returns -1 with one line in err
 * naming the parameter. */
int query_bind(const Query *q, const QueryField *fields, void *out, Buf *err);

/* The value of name, or NULL. */
const char *query_get(const Query *q, const char *name);

#endif
