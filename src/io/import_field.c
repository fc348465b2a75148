/*
 * import_field.c — the importer's member readers: one function per kind of
 * value, each checking type, range and format and naming the place of any
 * problem. See import_int.h.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "date.h"
#include "db.h"
#include "import_int.h"
#include "json_w.h"

void imp_err(Imp *m, const char *key, const char *fmt, ...)
{
    m->nerr++;
    if (m->nerr > IMP_MAX_SHOWN) return;
    buf_puts(m->msgs, buf_str(&m->path));
    if (key) {
        if (m->path.n && key[0] != '[') buf_putc(m->msgs, '.');
        buf_puts(m->msgs, key);
    }
    buf_puts(m->msgs, ": ");
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(m->msgs, fmt, ap);
    va_end(ap);
    if (m->line > 0) buf_printf(m->msgs, " (line %ld)", m->line);
    buf_putc(m->msgs, '\n');
}

size_t imp_path_push(Imp *m, const char *fmt, ...)
{
    size_t mark = m->path.n;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&m->path, fmt, ap);
    va_end(ap);
    return mark;
}

void imp_path_pop(Imp *m, size_t mark) { buf_truncate(&m->path, mark); }

void imp_db_err(Imp *m, const char *what)
{
    imp_err(m, NULL, "could not store %s: %s", what, db_errmsg(m->s->db));
}

/* Levenshtein distance, capped: enough to suggest a misspelled member name. */
static int imp_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 40 || lb > 40) return 99;
    int row[41];
    for (size_t j = 0; j <= lb; j++) row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int prev = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int cur = row[j];
            int best = prev + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best) best = row[j] + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            prev = cur;
        }
    }
    return row[lb];
}

const char *imp_suggest(const char *name, const char *const *allowed)
{
    const char *best = NULL;
    int bestd = 3;
    for (const char *const *a = allowed; *a; a++) {
        int d = imp_distance(name, *a);
        if (d < bestd) bestd = d, best = *a;
    }
    return best;
}

void imp_keys(Imp *m, json_t *o, const char *const *allowed)
{
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v) {
        const char *const *a = allowed;
        while (*a && ((*a)[0] != key[0] || strcmp(*a, key) != 0)) a++;
        if (*a) continue;
        const char *best = NULL;
        int bestd = 3;
        for (a = allowed; *a; a++) {
            int d = imp_distance(key, *a);
            if (d < bestd) bestd = d, best = *a;
        }
        if (best) imp_err(m, key, "unknown member; did you mean \"%s\"?", best);
        else imp_err(m, key, "unknown member (see docs/format.md for what this object holds)");
    }
}

int imp_is_object(Imp *m, json_t *v, const char *what)
{
    if (json_is_object(v)) return 1;
    imp_err(m, NULL, "must be an object (%s)", what);
    return 0;
}

/* The JSON type of v in words, for messages. */
static const char *imp_type(json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a text in quotes";
    case JSON_INTEGER: return "a whole number";
    case JSON_REAL: return "a number with a fraction";
    case JSON_TRUE: case JSON_FALSE: return "true or false";
    default: return "null";
    }
}

/* The member key of o, or NULL when absent or null (required: reported). */
static json_t *imp_get(Imp *m, json_t *o, const char *key, int req)
{
    json_t *v = json_object_get(o, key);
    if (v && json_is_null(v)) v = NULL;
    if (!v && req) imp_err(m, key, "required");
    return v;
}


int imp_text(Imp *m, json_t *o, const char *key, int req, size_t maxlen, const char **out)
{
    return imp_text_value(m, imp_get(m, o, key, req), key, req, maxlen, out);
}

int imp_text_value(Imp *m, json_t *v, const char *key, int req, size_t maxlen, const char **out)
{
    *out = NULL;
    if (!v) return req ? IMP_BAD : IMP_ABSENT;
    if (!json_is_string(v)) {
        imp_err(m, key, "must be a text in double quotes, not %s", imp_type(v));
        return IMP_BAD;
    }
    const char *s = json_string_value(v);
    if (!*s) {
        if (req) {
            imp_err(m, key, "must not be empty");
            return IMP_BAD;
        }
        return IMP_ABSENT;
    }
    size_t n = 0; /* characters: bytes that do not continue a UTF-8 sequence */
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 && *p != '\n' && *p != '\t' && *p != '\r') {
            imp_err(m, key, "contains the control character U+%04X", *p);
            return IMP_BAD;
        }
        n += (*p & 0xC0) != 0x80;
    }
    if (n > maxlen) {
        imp_err(m, key, "is %zu characters long; at most %zu are allowed", n, maxlen);
        return IMP_BAD;
    }
    *out = s;
    return IMP_OK;
}

int imp_code(Imp *m, json_t *o, const char *key, int req, const char **out)
{
    return imp_code_value(m, imp_get(m, o, key, req), key, req, out);
}

int imp_code_value(Imp *m, json_t *v, const char *key, int req, const char **out)
{
    int rc = imp_text_value(m, v, key, req, 64, out);
    if (rc != IMP_OK) return rc;
    for (const char *p = *out; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '_' || *p == '-')) {
            imp_err(m, key, "\"%s\" is not a code: use letters, digits, '.', '_' and '-'", *out);
            *out = NULL;
            return IMP_BAD;
        }
    return IMP_OK;
}

int imp_int(Imp *m, json_t *o, const char *key, int req, int64_t lo, int64_t hi, int64_t *out)
{
    return imp_int_value(m, imp_get(m, o, key, req), key, req, lo, hi, out);
}

int imp_int_value(Imp *m, json_t *v, const char *key, int req, int64_t lo, int64_t hi,
                  int64_t *out)
{
    *out = DB_NULL_INT;
    if (!v) return req ? IMP_BAD : IMP_ABSENT;
    if (json_is_real(v)) {
        imp_err(m, key, "must be a whole number, not %g: write it without a fraction",
                json_real_value(v));
        return IMP_BAD;
    }
    if (!json_is_integer(v)) {
        imp_err(m, key, "must be a whole number, not %s", imp_type(v));
        return IMP_BAD;
    }
    json_int_t x = json_integer_value(v);
    if (x < lo || x > hi) {
        imp_err(m, key, "%lld is out of range (%lld to %lld)", (long long)x, (long long)lo,
                (long long)hi);
        return IMP_BAD;
    }
    *out = x;
    return IMP_OK;
}

int imp_year(Imp *m, json_t *o, const char *key, int req, int in_period, int64_t *out)
{
    return imp_year_value(m, imp_get(m, o, key, req), key, req, in_period, out);
}

int imp_year_value(Imp *m, json_t *v, const char *key, int req, int in_period, int64_t *out)
{
    int rc = imp_int_value(m, v, key, req, 1900, 2200, out);
    if (rc == IMP_OK && in_period && (*out < m->first_year || *out > m->last_year)) {
        imp_err(m, key, "%lld is outside the strategy period %lld-%lld", (long long)*out,
                (long long)m->first_year, (long long)m->last_year);
        *out = DB_NULL_INT;
        return IMP_BAD;
    }
    return rc;
}

int imp_real(Imp *m, json_t *o, const char *key, int req, double lo, double hi, double *out)
{
    *out = NAN;
    json_t *v = imp_get(m, o, key, req);
    if (!v) return req ? IMP_BAD : IMP_ABSENT;
    if (!json_is_number(v)) {
        imp_err(m, key, "must be a number, not %s", imp_type(v));
        return IMP_BAD;
    }
    double x = json_number_value(v);
    if (!(x >= lo && x <= hi)) {
        imp_err(m, key, "%g is out of range (%g to %g)", x, lo, hi);
        return IMP_BAD;
    }
    *out = x;
    return IMP_OK;
}

int imp_bool(Imp *m, json_t *o, const char *key, int64_t *out)
{
    *out = 0;
    json_t *v = imp_get(m, o, key, OPT);
    if (!v) return IMP_ABSENT;
    if (!json_is_boolean(v)) {
        imp_err(m, key, "must be true or false, not %s", imp_type(v));
        return IMP_BAD;
    }
    *out = json_is_true(v);
    return IMP_OK;
}

int imp_date(Imp *m, json_t *o, const char *key, int req, const char **out)
{
    int rc = imp_text(m, o, key, req, 10, out);
    if (rc == IMP_OK && !date_valid(*out)) {
        imp_err(m, key, "\"%s\" is not a date that exists (write YYYY-MM-DD)", *out);
        *out = NULL;
        return IMP_BAD;
    }
    if (rc == IMP_OK && (date_year(*out) < 1900 || date_year(*out) > 2200)) {
        imp_err(m, key, "\"%s\" is outside the years 1900-2200", *out);
        *out = NULL;
        return IMP_BAD;
    }
    return rc;
}

int imp_month(Imp *m, json_t *o, const char *key, int req, const char **out)
{
    int rc = imp_text(m, o, key, req, 7, out);
    if (rc == IMP_OK && !date_month_valid(*out)) {
        imp_err(m, key, "\"%s\" is not a month (write YYYY-MM)", *out);
        *out = NULL;
        return IMP_BAD;
    }
    return rc;
}

int imp_period(Imp *m, json_t *o, const char *key, int req, const char **out)
{
    int rc = imp_text(m, o, key, req, 7, out);
    if (rc != IMP_OK) return rc;
    const char *s = *out;
    int y = 0, ok = strlen(s) == 4 || (strlen(s) == 7 && s[4] == '-');
    for (int i = 0; ok && i < 4; i++) ok = s[i] >= '0' && s[i] <= '9';
    if (ok) y = date_year(s);
    if (ok && strlen(s) == 7) {
        int y2 = (s[5] - '0') * 10 + (s[6] - '0');
        ok = s[5] >= '0' && s[5] <= '9' && s[6] >= '0' && s[6] <= '9' && y2 == (y + 1) % 100;
        if (ok && (y % 2 != 0) != (m->odd != 0)) {
            imp_err(m, key, "\"%s\" does not follow the strategy's bienniums, which start in %s "
                            "years", s, m->odd ? "odd" : "even");
            *out = NULL;
            return IMP_BAD;
        }
    }
    if (!ok) {
        imp_err(m, key, "\"%s\" is not a period: write a year (\"2019\") or a biennium "
                        "(\"2018-19\")", s);
        *out = NULL;
        return IMP_BAD;
    }
    if (y < m->first_year || y > m->last_year) {
        imp_err(m, key, "\"%s\" is outside the strategy period %lld-%lld", s,
                (long long)m->first_year, (long long)m->last_year);
        *out = NULL;
        return IMP_BAD;
    }
    return IMP_OK;
}

int imp_money(Imp *m, json_t *o, const char *key, int64_t *cents)
{
    double x;
    *cents = DB_NULL_INT;
    int rc = imp_real(m, o, key, OPT, 0, 1e13, &x);
    if (rc != IMP_OK) return rc;
    double c = round(x * 100);
    if (fabs(c - x * 100) > 1e-6 * (1 + fabs(x * 100))) {
        Buf num = BUF_INIT;
        json_number(&num, x); /* the shortest text that reads back as x: 1000.555 */
        imp_err(m, key, "%s has more than two decimals (amounts are kept to the cent)", buf_str(&num));
        buf_free(&num);
        return IMP_BAD;
    }
    *cents = (int64_t)c;
    return IMP_OK;
}

int imp_currency(Imp *m, json_t *o, const char *key, const char **out)
{
    int rc = imp_text(m, o, key, OPT, 3, out);
    if (rc != IMP_OK) return rc;
    const char *s = *out;
    if (strlen(s) != 3 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z' || s[2] < 'A' ||
        s[2] > 'Z') {
        imp_err(m, key, "\"%s\" is not an ISO 4217 currency code such as \"USD\"", s);
        *out = NULL;
        return IMP_BAD;
    }
    return IMP_OK;
}

int imp_enum(Imp *m, json_t *o, const char *key, int req, const char *const *values,
             size_t nvalues, const char **out)
{
    int rc = imp_text(m, o, key, req, 64, out);
    if (rc != IMP_OK) return rc;
    for (size_t k = 0; k < nvalues; k++)
        if (strcmp(values[k], *out) == 0) return IMP_OK;
    Buf list = BUF_INIT;
    for (size_t k = 0; k < nvalues; k++) buf_printf(&list, "%s%s", k ? ", " : "", values[k]);
    imp_err(m, key, "\"%s\" is not one of %s", *out, buf_str(&list));
    buf_free(&list);
    *out = NULL;
    return IMP_BAD;
}

json_t *imp_array(Imp *m, json_t *o, const char *key)
{
    json_t *v = imp_get(m, o, key, OPT);
    if (v && json_is_array(v) && json_array_size(v) == 0) return NULL; /* [] is "not known" */
    if (v && !json_is_array(v)) {
        imp_err(m, key, "must be an array, not %s", imp_type(v));
        return NULL;
    }
    return v;
}

json_t *imp_object(Imp *m, json_t *o, const char *key)
{
    json_t *v = imp_get(m, o, key, OPT);
    if (v && !json_is_object(v)) {
        imp_err(m, key, "must be an object, not %s", imp_type(v));
        return NULL;
    }
    return v;
}

void imp_date_order(Imp *m, const char *start_key, const char *start, const char *end_key,
                    const char *end)
{
    if (start && end && strcmp(start, end) > 0)
        imp_err(m, end_key, "%s is before %s %s", end, start_key, start);
}

int64_t imp_ref(Imp *m, const StrMap *map, const char *key, const char *code, const char *kind)
{
    int64_t id;
    if (!code) return DB_NULL_INT;
    if (strmap_get(map, code, &id)) return id;
    imp_err(m, key, "no %s \"%s\" in strategy %s", kind, code, m->scode ? m->scode : "?");
    return DB_NULL_INT;
}
