/*
 * import_int.h — shared by the importer's files (not a public interface).
 *
 * An Imp is one import in progress: where problems go, the path of the
 * element being read ("projects[12].locations[0]"), its line, and the codes
 * seen so far, mapped to their new row ids. Field readers check one member
 * each: type, range, format, and report problems as
 * "PATH.KEY: what is wrong (line N)". They return IMP_OK with the value,
 * IMP_ABSENT (missing or null; required members report it), or IMP_BAD.
 */
#ifndef ITSTRAT_IMPORT_INT_H
#define ITSTRAT_IMPORT_INT_H
#include <jansson.h>
#include <stdint.h>

#include "buf.h"
#include "store.h"
#include "strmap.h"

enum { IMP_BAD = -1, IMP_ABSENT = 0, IMP_OK = 1 };
enum { OPT = 0, REQ = 1 };

#define IMP_MAX_SHOWN 100   /* problems listed; the rest are counted */
#define IMP_TITLE_MAX 500   /* characters in a title or name */
#define IMP_TEXT_MAX 100000 /* characters in a Markdown text */

typedef struct Imp {
    Store *s;
    Buf *msgs;          /* problems, one per line */
    long nerr;          /* problems found */
    size_t msgs_mark;   /* length of msgs before the import's first problem */
    Buf path;           /* path of the current element */
    long line;          /* its first line in the file */
    int64_t sid;        /* the strategy's new id */
    char *scode;        /* its code, for messages */
    int64_t first_year, last_year; /* its period */
    int odd;            /* bienniums start in odd years */
    StrMap categories, locations, outputs, drivers, indicators, projects, risks, services,
        committees;     /* code -> id */
    StrMap kri;         /* codes of indicators of kind kri */
    int64_t outcome_ids[100]; /* outcome number -> id, 0 when absent */
} Imp;

void imp_err(Imp *m, const char *key, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
size_t imp_path_push(Imp *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void imp_path_pop(Imp *m, size_t mark);

/* Reports every member of o whose name is not in allowed (NULL-terminated). */
void imp_keys(Imp *m, json_t *o, const char *const *allowed);
/* The name in allowed (NULL-terminated) closest to name when it is at most two
 * edits away (a likely misspelling), else NULL. Also used by the CSV importer
 * for column names. */
const char *imp_suggest(const char *name, const char *const *allowed);
/* Checks that v is an object; reports "must be an object" otherwise. */
int imp_is_object(Imp *m, json_t *v, const char *what);

int imp_text(Imp *m, json_t *o, const char *key, int req, size_t maxlen, const char **out);
/* The same checks on a value already in hand (an array element); key names it. */
int imp_text_value(Imp *m, json_t *v, const char *key, int req, size_t maxlen, const char **out);
int imp_code_value(Imp *m, json_t *v, const char *key, int req, const char **out);
int imp_int_value(Imp *m, json_t *v, const char *key, int req, int64_t lo, int64_t hi,
                  int64_t *out);
int imp_year_value(Imp *m, json_t *v, const char *key, int req, int in_period, int64_t *out);
int imp_code(Imp *m, json_t *o, const char *key, int req, const char **out);
int imp_int(Imp *m, json_t *o, const char *key, int req, int64_t lo, int64_t hi, int64_t *out);
int imp_year(Imp *m, json_t *o, const char *key, int req, int in_period, int64_t *out);
int imp_real(Imp *m, json_t *o, const char *key, int req, double lo, double hi, double *out);
int imp_bool(Imp *m, json_t *o, const char *key, int64_t *out);
int imp_date(Imp *m, json_t *o, const char *key, int req, const char **out);
int imp_month(Imp *m, json_t *o, const char *key, int req, const char **out);
int imp_period(Imp *m, json_t *o, const char *key, int req, const char **out);
int imp_money(Imp *m, json_t *o, const char *key, int64_t *cents);
int imp_currency(Imp *m, json_t *o, const char *key, const char **out);
int imp_enum(Imp *m, json_t *o, const char *key, int req, const char *const *values,
             size_t nvalues, const char **out);
/* The number of entries of a values array for imp_enum. */
#define IMP_NVALUES(a) (sizeof(a) / sizeof *(a))
/* The array member key: NULL when absent or null (or not an array: reported). */
json_t *imp_array(Imp *m, json_t *o, const char *key);
/* The object member key: NULL when absent or null (or not an object: reported). */
json_t *imp_object(Imp *m, json_t *o, const char *key);
/* Checks a start/end date pair: start <= end. */
void imp_date_order(Imp *m, const char *start_key, const char *start, const char *end_key,
                    const char *end);
/* Resolves a code in map; reports "no KIND "CODE" in strategy S" when absent.
 * Returns the id, or DB_NULL_INT. */
int64_t imp_ref(Imp *m, const StrMap *map, const char *key, const char *code, const char *kind);
/* Reports a database failure during the import (an internal problem). */
void imp_db_err(Imp *m, const char *what);

#endif
