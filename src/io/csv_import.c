/*
 * csv_import.c — rows of a CSV file into a strategy (docs/csv.md).
 *
 * One transaction is opened first (BEGIN IMMEDIATE), so what is checked is
 * what gets written: the strategy's codes and the rows the file may touch are
 * loaded, every row of the file is read and checked, and turned into a
 * planned change. Only when no row has a problem are the planned changes
 * written, and only those that change something; a file that matches the
 * database writes nothing and is reported "unchanged".
 *
 * Each row becomes a small JSON object of its cells (numbers parsed, text
 * cells freed of the formula guard, csv.h) so that the JSON importer's field
 * readers (import_field.c) check the same rules with the same messages; their
 * messages ("KEY: what") are prefixed with "FILE:LINE: column ".
 *
 * Matching: projects by code (update the fields of the columns present, or
 * add), measurements by indicator and date (update or add), expenditure by
 * year: the file's lines replace every line of the years it holds.
 *
 * Rows are written through the store: store_insert() for new ones,
 * store_update.h for changes and removals.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "audit.h"
#include "csv.h"
#include "csv_io.h"
#include "export.h"
#include "import.h"
#include "import_int.h"
#include "mem.h"
#include "sheet_records.h"
#include "sheet_rows.h"
#include "sheet_value.h"
#include "store_stats.h"
#include "store_update.h"
#include "xlsx_read.h"

enum {
    P_CODE, P_TITLE, P_SUMMARY, P_OUTCOME, P_OUTPUT, P_DRIVER, P_CATEGORY, P_YEARS, P_STATUS,
    P_PLANNED_START, P_PLANNED_END, P_ACTUAL_START, P_ACTUAL_END, P_BUDGET, P_ACTUAL_COST,
    P_CURRENCY, P_UNIT, P_SOURCE, P_TAGS, P_LOCATIONS, P_UPDATES
};
enum { M_INDICATOR, M_DATE, M_VALUE, M_SOURCE, M_NOTE };
enum { E_YEAR, E_CATEGORY, E_UNIT, E_AMOUNT, E_CURRENCY, E_PROJECT, E_NOTE };

#define CSV_MAX_COLUMNS 24 /* columns of the widest kind, and some */

static const CsvColumn cols_projects[] = {
    {"code", CT_CODE, 1, 64},
    {"title", CT_TEXT, 0, IMP_TITLE_MAX},
    {"summary", CT_TEXT, 0, IMP_TEXT_MAX},
    {"outcome", CT_INT, 0, 0},
    {"output", CT_CODE, 0, 64},
    {"driver", CT_CODE, 0, 64},
    {"category", CT_CODE, 0, 64},
    {"years", CT_YEARS, 0, 0},
    {"status", CT_STATUS, 0, 0},
    {"planned_start", CT_DATE, 0, 0},
    {"planned_end", CT_DATE, 0, 0},
    {"actual_start", CT_DATE, 0, 0},
    {"actual_end", CT_DATE, 0, 0},
    {"budget", CT_MONEY, 0, 0},
    {"actual_cost", CT_MONEY, 0, 0},
    {"currency", CT_CURRENCY, 0, 0},
    {"unit", CT_TEXT, 0, IMP_TITLE_MAX},
    {"source", CT_TEXT, 0, IMP_TITLE_MAX},
    {"tags", CT_TAGS, 0, MODEL_MAX_TAG_CHARS},
    {"locations", CT_LOCATIONS, 0, 0}, /* the portfolio page's download has these two */
    {"updates", CT_IGNORED, 0, 0},
    {NULL, CT_TEXT, 0, 0}};
static const CsvColumn cols_measurements[] = {
    {"indicator", CT_CODE, 1, 64},
    {"date", CT_DATE, 1, 0},
    {"value", CT_REAL, 1, 0},
    {"source", CT_TEXT, 0, IMP_TITLE_MAX},
    {"note", CT_TEXT, 0, IMP_TEXT_MAX},
    {NULL, CT_TEXT, 0, 0}};
static const CsvColumn cols_expenditure[] = {
    {"year", CT_YEAR, 1, 0},
    {"category", CT_TEXT, 1, IMP_TITLE_MAX},
    {"unit", CT_TEXT, 0, IMP_TITLE_MAX},
    {"amount", CT_MONEY, 1, 0},
    {"currency", CT_CURRENCY, 0, 0},
    {"project", CT_CODE, 0, 64},
    {"note", CT_TEXT, 0, IMP_TEXT_MAX},
    {NULL, CT_TEXT, 0, 0}};

static const CsvColumn cols_none[] = {{NULL, CT_TEXT, 0, 0}};

static const char *const kind_names[CSV__KINDS] = {
    "projects", "measurements", "expenditure", "updates", "indicators", "milestones", "risks",
    "actions", "services", "service_figures", "committees", "meetings", "decisions"};

const CsvColumn *csv_columns(CsvKind k)
{
    return k == CSV_PROJECTS ? cols_projects : k == CSV_MEASUREMENTS ? cols_measurements
         : k == CSV_EXPENDITURE ? cols_expenditure : cols_none;
}

const char *csv_kind_list(void)
{
    return "projects, measurements, expenditure, updates, indicators, milestones, risks, "
           "actions, services, service_figures, committees, meetings or decisions";
}

int csv_column_exported(const CsvColumn *c)
{
    return c->type != CT_LOCATIONS && c->type != CT_IGNORED;
}

int csv_kind_parse(const char *name, CsvKind *out)
{
    for (int k = 0; k < CSV__KINDS; k++)
        if (strcmp(name, kind_names[k]) == 0) {
            *out = (CsvKind)k;
            return 0;
        }
    return -1;
}

const char *csv_kind_name(CsvKind k) { return k < CSV__KINDS ? kind_names[k] : "?"; }

/* ---- a string pool: copies that live as long as the import ----------- */

typedef struct Pool {
    char **blocks;  /* allocated blocks */
    size_t n;       /* blocks */
    char *cur;      /* free space of the last block */
    size_t left;    /* bytes free there */
} Pool;

/* A copy of s that stays put until pool_free(); NULL stays NULL. */
static const char *pool_dup(Pool *p, const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    if (n > p->left) {
        size_t size = n > 65536 ? n : 65536;
        p->blocks = xrealloc(p->blocks, (p->n + 1) * sizeof *p->blocks);
        p->cur = p->blocks[p->n++] = xmalloc(size);
        p->left = size;
    }
    char *r = p->cur;
    memcpy(r, s, n);
    p->cur += n;
    p->left -= n;
    return r;
}

static void pool_free(Pool *p)
{
    for (size_t i = 0; i < p->n; i++) free(p->blocks[i]);
    free(p->blocks);
    memset(p, 0, sizeof *p);
}

/* Grows array *a of *cap elements of size sz to hold n + 1. */
static void grow(void *a, size_t *cap, size_t n, size_t sz)
{
    if (n < *cap) return;
    *cap = *cap ? *cap * 2 : 64;
    *(void **)a = xrealloc(*(void **)a, *cap * sz);
}

/* ---- the import in progress ------------------------------------------- */

typedef struct Prj {        /* a project of the strategy before the import */
    ProjectRow r;           /* strings in the pool */
    const char *years;      /* work-plan years "2018;2019", "" for none */
    const char *tags;       /* tags joined by \x1f, "" for none */
    const char *locations;  /* roll-out location codes, sorted, joined by ";" */
} Prj;

typedef struct PrjIn {      /* a project row of the file, checked */
    long idx;               /* the project in CsvImp.prj, -1 when new */
    ProjectRow r;           /* the project as the row leaves it */
    const char *years;      /* as in Prj: the old ones when the file has no years */
    const char *tags;
    int changed;            /* differs from the old project (or is new) */
} PrjIn;

typedef struct Meas {       /* a measurement before the import */
    double value;
    const char *source, *note;
} Meas;

typedef struct MeasIn {     /* a measurement row of the file, checked */
    long idx;               /* the measurement in CsvImp.meas, -1 when new */
    MeasurementRow r;
    int changed;
} MeasIn;

typedef struct CsvImp {
    Imp m;                  /* the field readers' context; m.msgs is scratch */
    Buf scratch;            /* their messages, "KEY: what" per line */
    Buf *msgs;              /* where problems go */
    const char *name;       /* the file, for messages */
    long line;              /* line of the row being checked */
    CsvKind kind;
    const CsvColumn *cols;  /* the kind's columns */
    int ncols;
    int at[CSV_MAX_COLUMNS]; /* column -> field of the file, -1 when absent */
    int nfields;            /* fields of the header, 0 before it is read */
    const char **hdr;       /* header names as written, for messages */
    long row_nerr;          /* problems found before the current row */
    unsigned bad;           /* bit c: the cell of column c could not be read */
    Pool pool;              /* strings of everything below */
    StrMap seen;            /* keys of the file's rows -> line */
    /* projects */
    Prj *prj;
    size_t nprj, capprj;
    StrMap prj_index;       /* code -> index in prj */
    int64_t next_sort;      /* sort of the next new project */
    PrjIn *pin;
    size_t npin, cappin;
    /* measurements */
    Meas *meas;
    size_t nmeas, capmeas;
    StrMap meas_index;      /* "indicator id\x1fdate" -> index in meas */
    MeasIn *min;
    size_t nmin, capmin;
    /* expenditure */
    ExpenditureRow *ex;     /* the lines before the import, in order */
    size_t nex, capex;
    ExpenditureRow *ein;    /* the file's lines */
    size_t nein, capein;
    StrMap years;           /* years of the file's lines */
    const CsvImportOpts *opts;
    SheetDates dates;       /* the day order of d/m/y dates */
    StrMap output_outcome;  /* output code -> its outcome's number */
    Buf why;                /* scratch for sheet_value.h's reasons */
} CsvImp;

/* Moves the field readers' messages to msgs, each prefixed with the place. */
static void ci_flush(CsvImp *ci)
{
    const char *p = buf_str(&ci->scratch);
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        buf_printf(ci->msgs, "%s:%ld: column %.*s\n", ci->name, ci->line, (int)n, p);
        p += n + (nl != NULL);
    }
    buf_reset(&ci->scratch);
}

/* Reports a problem of the current row: in column col, or (col NULL) of the
 * row as a whole. */
static void ci_err(CsvImp *ci, const char *col, const char *fmt, ...) BUF_FORMAT(3, 4);
static void ci_err(CsvImp *ci, const char *col, const char *fmt, ...)
{
    ci_flush(ci);
    if (++ci->m.nerr > IMP_MAX_SHOWN) return;
    buf_printf(ci->msgs, "%s:%ld: ", ci->name, ci->line);
    if (col) buf_printf(ci->msgs, "column %s: ", col);
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(ci->msgs, fmt, ap);
    va_end(ap);
    buf_putc(ci->msgs, '\n');
}

/* 1 when the file has column c. */
static int ci_has(const CsvImp *ci, int c) { return ci->at[c] >= 0; }
/* 1 when the file has column c and its cell in this row was read (numbers
 * that are not numbers were reported already and are not checked again). */
static int ci_cell(const CsvImp *ci, int c) { return ci->at[c] >= 0 && !(ci->bad >> c & 1u); }

/* The kind's column names, "a, b and c" (for messages). */
static void ci_column_list(const CsvImp *ci, Buf *b, int required_only)
{
    int n = 0, total = 0;
    for (int c = 0; c < ci->ncols; c++) total += !required_only || ci->cols[c].required;
    for (int c = 0; c < ci->ncols; c++) {
        if (required_only && !ci->cols[c].required) continue;
        buf_printf(b, "%s%s", n == 0 ? "" : n == total - 1 ? " and " : ", ", ci->cols[c].name);
        n++;
    }
}

/* ---- cells to JSON values -------------------------------------------- */

/* s without the spaces and tabs around it, in t. */
static const char *ci_trim(Buf *t, const char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    buf_reset(t);
    buf_append(t, s, n);
    return buf_str(t);
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Reads a plain decimal number (-12, 3.5, 1e6): a JSON integer when integer
 * is set (then no '.' or exponent is allowed), else a JSON real. NULL when s
 * is not such a number or is out of range. Caller owns the result. */
static json_t *ci_number(const char *s, int integer)
{
    const char *p = s;
    int whole = 1;
    if (*p == '-') p++;
    if (!is_digit(*p)) return NULL;
    while (is_digit(*p)) p++;
    if (*p == '.') {
        whole = 0;
        if (!is_digit(*++p)) return NULL;
        while (is_digit(*p)) p++;
    }
    if (*p == 'e' || *p == 'E') {
        whole = 0;
        p++;
        if (*p == '+' || *p == '-') p++;
        if (!is_digit(*p)) return NULL;
        while (is_digit(*p)) p++;
    }
    if (*p) return NULL;
    errno = 0;
    if (integer) {
        if (!whole) return NULL;
        long long v = strtoll(s, NULL, 10);
        return errno ? NULL : json_integer(v);
    }
    double d = strtod(s, NULL);
    return isfinite(d) && errno != ERANGE ? json_real(d) : NULL; /* ERANGE: 1e-400 too */
}

/* 1 when s is a number too close to zero for a double (1e-400): strtod
 * reads it as 0 or a denormal and says ERANGE. */
static int ci_too_small(const char *s)
{
    errno = 0;
    double d = strtod(s, NULL);
    return errno == ERANGE && fabs(d) < 1;
}

/* The years or tags of a list cell ("2019; 2020") as a JSON array. */
static json_t *ci_list(CsvImp *ci, const CsvColumn *col, const char *s)
{
    json_t *a = json_array();
    Buf t = BUF_INIT, piece = BUF_INIT;
    while (*s) {
        size_t n = strcspn(s, ";");
        buf_reset(&piece);
        buf_append(&piece, s, n);
        const char *v = ci_trim(&t, buf_str(&piece));
        s += n + (s[n] == ';');
        if (!*v) continue;
        if (col->type == CT_TAGS) {
            json_array_append_new(a, json_string(v));
            continue;
        }
        json_t *y = ci_number(v, 1);
        if (y) json_array_append_new(a, y);
        else ci_err(ci, col->name, "\"%s\" is not a year; separate years with ';' as in "
                    "\"2019; 2020\"", v);
    }
    buf_free(&t);
    buf_free(&piece);
    return a;
}

/* The row as an object of the columns the file has, keyed by column name:
 * text exactly as written (empty: ""), numbers parsed (empty: left out),
 * lists as arrays. Reports cells that are not numbers. Caller owns it. */
static json_t *ci_row_object(CsvImp *ci, const CsvRecord *rec)
{
    json_t *o = json_object();
    Buf t = BUF_INIT;
    ci->bad = 0;
    for (int c = 0; c < ci->ncols; c++) {
        if (!ci_has(ci, c)) continue;
        const CsvColumn *col = &ci->cols[c];
        const char *cell = csv_get(rec, ci->at[c]);
        json_t *v = NULL;
        switch (col->type) {
        case CT_TEXT:
            v = json_string(csv_unguard(cell));
            break;
        case CT_IGNORED:
            break;
        case CT_DATE: {
            const char *s = ci_trim(&t, csv_unguard(cell));
            char iso[11];
            int r = *s ? sheet_date(&ci->dates, s, ci->line, iso, &ci->why) : 1;
            if (r < 0) {
                ci->bad |= 1u << c;
                ci_err(ci, col->name, "%s", buf_str(&ci->why));
                break;
            }
            v = json_string(r == 0 ? iso : s);
            break;
        }
        case CT_INT: case CT_YEAR: case CT_REAL: case CT_MONEY: {
            const char *s = ci_trim(&t, cell);
            Buf num = BUF_INIT;
            int r = col->type == CT_REAL || col->type == CT_MONEY
                    ? sheet_number(s, &num, &ci->why) : 1;
            if (r < 0) {
                buf_free(&num);
                ci->bad |= 1u << c;
                ci_err(ci, col->name, "%s", buf_str(&ci->why));
                break;
            }
            if (r == 0) s = ci_trim(&t, buf_str(&num));
            buf_free(&num);
            if (!*s && col->required) {
                ci->bad |= 1u << c;
                ci_err(ci, col->name, "is empty; every row of %s needs a %s",
                       csv_kind_name(ci->kind), col->name);
            }
            if (!*s) break;
            v = ci_number(s, col->type == CT_INT || col->type == CT_YEAR);
            if (v) break;
            ci->bad |= 1u << c;
            if (col->type == CT_INT || col->type == CT_YEAR)
                ci_err(ci, col->name, "\"%s\" is not a whole number", s);
            else if (ci_too_small(s))
                ci_err(ci, col->name, "\"%s\" is too close to zero to be stored (it would be "
                       "read as 0); write 0 if zero is meant", s);
            else
                ci_err(ci, col->name, "\"%s\" is not a number: write digits with '.' for "
                       "decimals, without thousands separators, spaces or currency signs", s);
            break;
        }
        case CT_YEARS: case CT_TAGS:
            v = ci_list(ci, col, ci_trim(&t, csv_unguard(cell)));
            break;
        default: /* codes, currency, status, locations */
            v = json_string(ci_trim(&t, csv_unguard(cell)));
            break;
        }
        if (v) json_object_set_new(o, col->name, v);
    }
    buf_free(&t);
    return o;
}

/* ---- checking rows ---------------------------------------------------- */

/* Reads text column c of o into *field (a pooled copy; NULL when empty)
 * when the file has the column; a bad value leaves *field alone. */
static void ci_text(CsvImp *ci, json_t *o, int c, int req, const char **field)
{
    const char *s;
    if (!ci_has(ci, c)) return;
    int rc = imp_text(&ci->m, o, ci->cols[c].name, req, ci->cols[c].maxlen, &s);
    if (rc == IMP_OK) *field = pool_dup(&ci->pool, s);
    else if (rc == IMP_ABSENT) *field = NULL;
}

/* The same for a date, an amount (cents) and a currency. */
static void ci_date(CsvImp *ci, json_t *o, int c, const char **field)
{
    const char *s;
    if (!ci_cell(ci, c)) return;
    int rc = imp_date(&ci->m, o, ci->cols[c].name, OPT, &s);
    if (rc == IMP_OK) *field = pool_dup(&ci->pool, s);
    else if (rc == IMP_ABSENT) *field = NULL;
}

static void ci_money(CsvImp *ci, json_t *o, int c, int64_t *field)
{
    int64_t cents;
    if (!ci_cell(ci, c)) return;
    int rc = imp_money(&ci->m, o, ci->cols[c].name, &cents);
    if (rc != IMP_BAD) *field = cents;
}

static void ci_currency(CsvImp *ci, json_t *o, int c, const char **field)
{
    const char *s;
    if (!ci_has(ci, c)) return;
    int rc = imp_currency(&ci->m, o, ci->cols[c].name, &s);
    if (rc == IMP_OK) *field = pool_dup(&ci->pool, s);
    else if (rc == IMP_ABSENT) *field = NULL;
}

/* A reference by code in column c to a thing in map (kind names it): the id
 * in *field, DB_NULL_INT when the cell is empty; a bad one is reported. */
static void ci_ref(CsvImp *ci, json_t *o, int c, const StrMap *map, const char *kind,
                   int64_t *field)
{
    const char *code;
    if (!ci_has(ci, c)) return;
    int rc = imp_code(&ci->m, o, ci->cols[c].name, OPT, &code);
    if (rc == IMP_ABSENT) *field = DB_NULL_INT;
    if (rc != IMP_OK) return;
    int64_t id = imp_ref(&ci->m, map, ci->cols[c].name, code, kind);
    if (id != DB_NULL_INT) *field = id;
}

static int str_same(const char *a, const char *b) { return strcmp(a ? a : "", b ? b : "") == 0; }

/* 1 when two projects have the same scalar fields (ids and sort aside). */
static int project_same(const ProjectRow *a, const ProjectRow *b)
{
    return str_same(a->title, b->title) && str_same(a->summary, b->summary) &&
           a->outcome_id == b->outcome_id && a->output_id == b->output_id &&
           a->driver_id == b->driver_id && a->category_id == b->category_id &&
           str_same(a->status, b->status) && str_same(a->planned_start, b->planned_start) &&
           str_same(a->planned_end, b->planned_end) &&
           str_same(a->actual_start, b->actual_start) &&
           str_same(a->actual_end, b->actual_end) && a->budget == b->budget &&
           a->actual_cost == b->actual_cost && str_same(a->currency, b->currency) &&
           str_same(a->unit, b->unit) && str_same(a->source, b->source);
}

static int cmp_int64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The years column: checked, sorted, as "2018;2019" (pooled) in *out. */
static void ci_years(CsvImp *ci, json_t *o, const char **out)
{
    json_t *arr = json_object_get(o, "years"), *v;
    size_t i, n = json_array_size(arr);
    int64_t *y = xmalloc((n + 1) * sizeof *y);
    size_t k = 0;
    long before = ci->m.nerr;
    json_array_foreach(arr, i, v)
        if (imp_year_value(&ci->m, v, "years", REQ, 1, &y[k]) == IMP_OK) k++;
    qsort(y, k, sizeof *y, cmp_int64);
    Buf b = BUF_INIT;
    for (i = 0; i < k; i++) {
        if (i && y[i] == y[i - 1]) {
            imp_err(&ci->m, "years", "%lld is listed twice", (long long)y[i]);
            continue;
        }
        buf_printf(&b, "%s%lld", b.n ? ";" : "", (long long)y[i]);
    }
    if (ci->m.nerr == before) *out = pool_dup(&ci->pool, buf_str(&b));
    buf_free(&b);
    free(y);
}

/* The tags column: checked, distinct, joined by \x1f (pooled) in *out. */
static void ci_tags(CsvImp *ci, json_t *o, const char **out)
{
    json_t *arr = json_object_get(o, "tags"), *v;
    size_t i;
    long before = ci->m.nerr;
    if (json_array_size(arr) > MODEL_MAX_TAGS) {
        imp_err(&ci->m, "tags", "has %zu tags; at most %d are allowed (the same limit as the "
                "forms and the API): remove some", json_array_size(arr), MODEL_MAX_TAGS);
        return;
    }
    Buf b = BUF_INIT;
    json_array_foreach(arr, i, v) {
        const char *s;
        if (imp_text_value(&ci->m, v, "tags", REQ, ci->cols[P_TAGS].maxlen, &s) != IMP_OK)
            continue;
        for (size_t j = 0; j < i; j++)
            if (json_equal(json_array_get(arr, j), v)) {
                imp_err(&ci->m, "tags", "\"%s\" is listed twice", s);
                break;
            }
        if (b.n) buf_putc(&b, '\x1f');
        buf_puts(&b, s);
    }
    if (ci->m.nerr == before) *out = pool_dup(&ci->pool, buf_str(&b));
    buf_free(&b);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The codes of list s ("HQ; RO-1"), trimmed, sorted and joined by ";"
 * (pooled). */
static const char *ci_sorted_list(CsvImp *ci, const char *s)
{
    Buf all = BUF_INIT, t = BUF_INIT, out = BUF_INIT;
    size_t n = 0;
    buf_puts(&all, s);
    char *p = all.a ? all.a : (char *)"";
    char **a = xmalloc((strlen(p) / 2 + 2) * sizeof *a);
    for (char *q = p; *q;) {
        size_t k = strcspn(q, ";");
        int end = q[k] == 0;
        q[k] = 0;
        const char *v = ci_trim(&t, q);
        if (*v) a[n++] = (char *)pool_dup(&ci->pool, v);
        q += k + !end;
    }
    qsort(a, n, sizeof *a, cmp_str);
    for (size_t i = 0; i < n; i++) buf_printf(&out, "%s%s", i ? ";" : "", a[i]);
    const char *r = pool_dup(&ci->pool, buf_str(&out));
    free(a);
    buf_free(&all), buf_free(&t), buf_free(&out);
    return r;
}

/* The locations column (the portfolio page's download): checked against the
 * project's roll-outs, which a sheet cannot change (each has a status and a
 * date of its own). */
static void ci_locations(CsvImp *ci, json_t *o, const Prj *old)
{
    const char *cell = json_string_value(json_object_get(o, "locations"));
    const char *got = ci_sorted_list(ci, cell ? cell : ""), *had = old ? old->locations : "";
    if (strcmp(got, had) == 0) return;
    ci_err(ci, "locations", "the project's roll-out locations are \"%s\", the file says "
           "\"%s\"; roll-outs (each with its status and date) are changed on the project's "
           "page, not by a sheet: set the cell back or remove the column", had, got);
}

/* The home columns (outcome, output, driver): exactly one is filled. */
static void ci_home(CsvImp *ci, json_t *o, ProjectRow *r)
{
    Imp *m = &ci->m;
    int64_t number = DB_NULL_INT, outcome = DB_NULL_INT, output = DB_NULL_INT,
            driver = DB_NULL_INT;
    const char *oc = NULL, *dc = NULL;
    int n = 0;
    if (ci_cell(ci, P_OUTCOME))
        n += imp_int(m, o, "outcome", OPT, 1, 99, &number) != IMP_ABSENT;
    else n += ci_has(ci, P_OUTCOME); /* a cell that is not a number, reported */
    if (ci_has(ci, P_OUTPUT)) n += imp_code(m, o, "output", OPT, &oc) != IMP_ABSENT;
    if (ci_has(ci, P_DRIVER)) n += imp_code(m, o, "driver", OPT, &dc) != IMP_ABSENT;
    int64_t parent;
    if (n == 2 && number != DB_NULL_INT && oc && !dc) {
        /* the portfolio's download shows an output's outcome beside it */
        if (strmap_get(&ci->output_outcome, oc, &parent) && parent != number) {
            ci_err(ci, "outcome", "output %s belongs to outcome %lld, not %lld; fill only the "
                   "column output (the outcome follows from it)", oc, (long long)parent,
                   (long long)number);
            return;
        }
        number = DB_NULL_INT;
        n = 1;
    }
    if (n > 1) {
        ci_err(ci, NULL, "fill only one of the columns outcome, output and driver (the "
               "project's home)");
        return;
    }
    if (n == 0) {
        ci_err(ci, NULL, "the project needs a home: fill one of the columns outcome, output "
               "and driver");
        return;
    }
    if (number != DB_NULL_INT) {
        if (!m->outcome_ids[number]) {
            ci_err(ci, "outcome", "no outcome %lld in strategy %s", (long long)number, m->scode);
            return;
        }
        outcome = m->outcome_ids[number];
    }
    if (oc && (output = imp_ref(m, &m->outputs, "output", oc, "output")) == DB_NULL_INT) return;
    if (dc && (driver = imp_ref(m, &m->drivers, "driver", dc, "driver")) == DB_NULL_INT) return;
    if (outcome == DB_NULL_INT && output == DB_NULL_INT && driver == DB_NULL_INT) return;
    r->outcome_id = outcome, r->output_id = output, r->driver_id = driver;
}

/* ---- the preview: before -> after per field ---------------------------- */

/* The code that map gives id, or NULL (a scan: only for the preview). */
static const char *map_code(const StrMap *map, int64_t id)
{
    for (size_t i = 0; id != DB_NULL_INT && i < map->cap; i++)
        if (map->slots[i].key && map->slots[i].value == id) return map->slots[i].key;
    return NULL;
}

/* A value for the preview: quoted text cut at 60 characters, or "(empty)". */
static void pv_text(Buf *b, const char *s)
{
    if (!s || !*s) {
        buf_puts(b, "(empty)");
        return;
    }
    size_t n = strlen(s), cut = n > 60 ? 57 : n;
    while (cut < n && ((unsigned char)s[cut] & 0xC0) == 0x80) cut--;
    buf_putc(b, '"');
    for (size_t i = 0; i < cut; i++) buf_putc(b, s[i] == '\n' ? ' ' : s[i]);
    buf_puts(b, cut < n ? "...\"" : "\"");
}

static void pv_money(Buf *b, int64_t c)
{
    if (c == DB_NULL_INT) buf_puts(b, "(empty)");
    else buf_printf(b, "%lld.%02lld", (long long)(c / 100), (long long)(c % 100));
}

/* One changed field: "; NAME before -> after". */
static void pv_field(Buf *b, int *n, const char *name, const char *before, const char *after)
{
    if (str_same(before, after)) return;
    buf_printf(b, "%s%s ", (*n)++ ? "; " : ": ", name);
    pv_text(b, before);
    buf_puts(b, " -> ");
    pv_text(b, after);
}

/* The home of r as "output 1.1", "outcome 2", "driver D1". */
static void pv_home(const CsvImp *ci, const ProjectRow *r, Buf *b)
{
    const Imp *m = &ci->m;
    buf_reset(b);
    if (r->output_id != DB_NULL_INT) buf_printf(b, "output %s", map_code(&m->outputs, r->output_id));
    else if (r->driver_id != DB_NULL_INT)
        buf_printf(b, "driver %s", map_code(&m->drivers, r->driver_id));
    else
        for (int k = 1; k < 100; k++)
            if (r->outcome_id != DB_NULL_INT && m->outcome_ids[k] == r->outcome_id)
                buf_printf(b, "outcome %d", k);
}

/* The preview line of a project row that adds or changes a project. */
static void ci_preview_project(CsvImp *ci, const Prj *old, const PrjIn *in)
{
    Buf *b = ci->opts->preview;
    const ProjectRow *a = old ? &old->r : NULL, *r = &in->r;
    if (!a) {
        buf_printf(b, "%s:%ld: add project %s ", ci->name, ci->line, r->code);
        pv_text(b, r->title);
        buf_putc(b, '\n');
        return;
    }
    buf_printf(b, "%s:%ld: change project %s", ci->name, ci->line, r->code);
    int n = 0;
    Buf h1 = BUF_INIT, h2 = BUF_INIT, m1 = BUF_INIT, m2 = BUF_INIT;
    pv_field(b, &n, "title", a->title, r->title);
    pv_field(b, &n, "summary", a->summary, r->summary);
    pv_home(ci, a, &h1), pv_home(ci, r, &h2);
    pv_field(b, &n, "home", buf_str(&h1), buf_str(&h2));
    pv_field(b, &n, "category", map_code(&ci->m.categories, a->category_id),
             map_code(&ci->m.categories, r->category_id));
    pv_field(b, &n, "years", old->years, in->years);
    pv_field(b, &n, "status", a->status, r->status);
    pv_field(b, &n, "planned_start", a->planned_start, r->planned_start);
    pv_field(b, &n, "planned_end", a->planned_end, r->planned_end);
    pv_field(b, &n, "actual_start", a->actual_start, r->actual_start);
    pv_field(b, &n, "actual_end", a->actual_end, r->actual_end);
    pv_money(&m1, a->budget), pv_money(&m2, r->budget);
    pv_field(b, &n, "budget", buf_str(&m1), buf_str(&m2));
    buf_reset(&m1), buf_reset(&m2);
    pv_money(&m1, a->actual_cost), pv_money(&m2, r->actual_cost);
    pv_field(b, &n, "actual_cost", buf_str(&m1), buf_str(&m2));
    pv_field(b, &n, "currency", a->currency, r->currency);
    pv_field(b, &n, "unit", a->unit, r->unit);
    pv_field(b, &n, "source", a->source, r->source);
    if (!str_same(old->tags, in->tags)) {
        buf_reset(&m1), buf_reset(&m2);
        for (const char *p = old->tags; *p; p++) buf_putc(&m1, *p == '\x1f' ? ';' : *p);
        for (const char *p = in->tags ? in->tags : ""; *p; p++)
            buf_putc(&m2, *p == '\x1f' ? ';' : *p);
        pv_field(b, &n, "tags", buf_str(&m1), buf_str(&m2));
    }
    buf_putc(b, '\n');
    buf_free(&h1), buf_free(&h2), buf_free(&m1), buf_free(&m2);
}

/* Checks a project row (o: its cells) against the strategy and the rows
 * before it, and plans it: the existing project with the row's columns
 * applied, or a new one. Problems are reported; a row with any is dropped. */
static void ci_project(CsvImp *ci, json_t *o)
{
    Imp *m = &ci->m;
    long before = ci->row_nerr;
    const char *code;
    if (imp_code(m, o, "code", REQ, &code) != IMP_OK) return;
    int64_t x;
    if (strmap_get(&ci->seen, code, &x)) {
        ci_err(ci, "code", "project \"%s\" is already on line %lld; give each project one row",
               code, (long long)x);
        return;
    }
    strmap_put(&ci->seen, code, ci->line);
    const Prj *old = strmap_get(&ci->prj_index, code, &x) ? &ci->prj[x] : NULL;
    PrjIn in = {.idx = old ? (long)x : -1};
    if (old) {
        in.r = old->r, in.years = old->years, in.tags = old->tags;
    } else {
        in.r = (ProjectRow){.strategy_id = m->sid, .code = pool_dup(&ci->pool, code),
                            .outcome_id = DB_NULL_INT, .output_id = DB_NULL_INT,
                            .driver_id = DB_NULL_INT, .category_id = DB_NULL_INT,
                            .budget = DB_NULL_INT, .actual_cost = DB_NULL_INT,
                            .outcome_number = DB_NULL_INT};
    }
    ProjectRow *r = &in.r;
    ci_text(ci, o, P_TITLE, REQ, &r->title);
    ci_text(ci, o, P_SUMMARY, OPT, &r->summary);
    if (ci_has(ci, P_OUTCOME) || ci_has(ci, P_OUTPUT) || ci_has(ci, P_DRIVER)) ci_home(ci, o, r);
    ci_ref(ci, o, P_CATEGORY, &m->categories, "category", &r->category_id);
    if (ci_has(ci, P_YEARS)) ci_years(ci, o, &in.years);
    if (ci_has(ci, P_STATUS)) {
        const char *s;
        if (imp_enum(m, o, "status", REQ, store_status_keys, IMP_NVALUES(store_status_keys),
                     &s) == IMP_OK)
            r->status = pool_dup(&ci->pool, s);
    }
    ci_date(ci, o, P_PLANNED_START, &r->planned_start);
    ci_date(ci, o, P_PLANNED_END, &r->planned_end);
    ci_date(ci, o, P_ACTUAL_START, &r->actual_start);
    ci_date(ci, o, P_ACTUAL_END, &r->actual_end);
    if (ci_has(ci, P_PLANNED_START) || ci_has(ci, P_PLANNED_END))
        imp_date_order(m, "planned_start", r->planned_start, "planned_end", r->planned_end);
    if (ci_has(ci, P_ACTUAL_START) || ci_has(ci, P_ACTUAL_END))
        imp_date_order(m, "actual_start", r->actual_start, "actual_end", r->actual_end);
    ci_money(ci, o, P_BUDGET, &r->budget);
    ci_money(ci, o, P_ACTUAL_COST, &r->actual_cost);
    ci_currency(ci, o, P_CURRENCY, &r->currency);
    ci_text(ci, o, P_UNIT, OPT, &r->unit);
    ci_text(ci, o, P_SOURCE, OPT, &r->source);
    if (ci_has(ci, P_TAGS)) ci_tags(ci, o, &in.tags);
    if (ci_has(ci, P_LOCATIONS)) ci_locations(ci, o, old);
    if (!old) {
        static const char *const why = "project \"%s\" is not in strategy %s, so this row adds "
                                       "it, and a new project needs %s: add a%s column";
        if (!ci_has(ci, P_TITLE)) ci_err(ci, NULL, why, code, m->scode, "a title", " title");
        if (!ci_has(ci, P_STATUS)) ci_err(ci, NULL, why, code, m->scode, "a status", " status");
        if (!ci_has(ci, P_OUTCOME) && !ci_has(ci, P_OUTPUT) && !ci_has(ci, P_DRIVER))
            ci_err(ci, NULL, why, code, m->scode, "a home", "n outcome, output or driver");
    }
    if (m->nerr != before) return;
    in.changed = !old || !project_same(&old->r, r) || !str_same(old->years, in.years) ||
                 !str_same(old->tags, in.tags);
    if (in.changed && ci->opts->preview) ci_preview_project(ci, old, &in);
    grow(&ci->pin, &ci->cappin, ci->npin, sizeof *ci->pin);
    ci->pin[ci->npin++] = in;
}

/* Checks a measurement row and plans it: an update of the indicator's
 * measurement of that date, or a new one. */
static void ci_measurement(CsvImp *ci, json_t *o)
{
    Imp *m = &ci->m;
    long before = ci->row_nerr;
    const char *code, *date = NULL;
    double value = 0;
    int64_t iid = DB_NULL_INT;
    if (imp_code(m, o, "indicator", REQ, &code) == IMP_OK)
        iid = imp_ref(m, &m->indicators, "indicator", code, "indicator");
    if (ci_cell(ci, M_DATE)) imp_date(m, o, "date", REQ, &date);
    if (ci_cell(ci, M_VALUE)) imp_real(m, o, "value", REQ, -1e15, 1e15, &value);
    MeasIn in = {.idx = -1};
    ci_text(ci, o, M_SOURCE, OPT, &in.r.source);
    ci_text(ci, o, M_NOTE, OPT, &in.r.note);
    if (m->nerr != before) return;
    Buf key = BUF_INIT;
    buf_printf(&key, "%lld\x1f%s", (long long)iid, date);
    int64_t x;
    if (strmap_get(&ci->seen, buf_str(&key), &x)) {
        ci_err(ci, "date", "indicator \"%s\" already has a row for %s on line %lld; give each "
               "measurement one row", code, date, (long long)x);
        buf_free(&key);
        return;
    }
    strmap_put(&ci->seen, buf_str(&key), ci->line);
    in.r.indicator_id = iid;
    in.r.date = pool_dup(&ci->pool, date);
    in.r.value = value;
    if (strmap_get(&ci->meas_index, buf_str(&key), &x)) {
        const Meas *old = &ci->meas[x];
        in.idx = (long)x;
        if (!ci_has(ci, M_SOURCE)) in.r.source = old->source;
        if (!ci_has(ci, M_NOTE)) in.r.note = old->note;
        in.changed = old->value != value || !str_same(old->source, in.r.source) ||
                     !str_same(old->note, in.r.note);
        if (in.changed && ci->opts->preview) {
            Buf *b = ci->opts->preview;
            char v1[32], v2[32];
            int n = 0;
            snprintf(v1, sizeof v1, "%.15g", old->value), snprintf(v2, sizeof v2, "%.15g", value);
            buf_printf(b, "%s:%ld: change measurement %s %s", ci->name, ci->line, code, date);
            pv_field(b, &n, "value", v1, v2);
            pv_field(b, &n, "source", old->source, in.r.source);
            pv_field(b, &n, "note", old->note, in.r.note);
            buf_putc(b, '\n');
        }
    } else {
        in.changed = 1;
        if (ci->opts->preview)
            buf_printf(ci->opts->preview, "%s:%ld: add measurement %s %s: %.15g\n", ci->name,
                       ci->line, code, date, value);
    }
    buf_free(&key);
    grow(&ci->min, &ci->capmin, ci->nmin, sizeof *ci->min);
    ci->min[ci->nmin++] = in;
}

/* Checks an expenditure line and keeps it with its year (the years the file
 * replaces). */
static void ci_expenditure(CsvImp *ci, json_t *o)
{
    Imp *m = &ci->m;
    long before = ci->row_nerr;
    ExpenditureRow r = {.strategy_id = m->sid, .project_id = DB_NULL_INT,
                        .amount = DB_NULL_INT};
    if (ci_cell(ci, E_YEAR)) imp_year(m, o, "year", REQ, 0, &r.year);
    ci_text(ci, o, E_CATEGORY, REQ, &r.category);
    ci_text(ci, o, E_UNIT, OPT, &r.unit);
    if (ci_cell(ci, E_AMOUNT)) imp_money(m, o, "amount", &r.amount);
    ci_currency(ci, o, E_CURRENCY, &r.currency);
    ci_ref(ci, o, E_PROJECT, &m->projects, "project", &r.project_id);
    ci_text(ci, o, E_NOTE, OPT, &r.note);
    if (m->nerr != before) return;
    char y[24];
    snprintf(y, sizeof y, "%lld", (long long)r.year);
    strmap_put(&ci->years, y, 1);
    grow(&ci->ein, &ci->capein, ci->nein, sizeof *ci->ein);
    ci->ein[ci->nein++] = r;
}

/* Reads the header: which field holds which column. Reports unknown,
 * repeated and missing columns. Returns -1 when a required column is
 * missing (the rows cannot be checked), else 0. */
static int ci_header(CsvImp *ci, const CsvRecord *rec)
{
    const char *names[CSV_MAX_COLUMNS + 1];
    for (int c = 0; c < ci->ncols; c++) names[c] = ci->cols[c].name, ci->at[c] = -1;
    names[ci->ncols] = NULL;
    ci->nfields = rec->n;
    ci->hdr = xcalloc((size_t)rec->n, sizeof *ci->hdr);
    Buf t = BUF_INIT, list = BUF_INIT;
    ci_column_list(ci, &list, 0);
    if (rec->n == 1 && strchr(csv_get(rec, 0), ';')) {
        ci_err(ci, NULL, "the header is one column \"%s\": its names are in one cell, "
               "separated by ';' (a CSV pasted into one column?); give each its own column (in "
               "a spreadsheet: Data > Text to Columns, separator ';') or import the CSV file "
               "itself, whose ';' is detected", csv_get(rec, 0));
        buf_free(&list);
        return -1;
    }
    for (int f = 0; f < rec->n; f++) {
        const char *raw = ci_trim(&t, csv_get(rec, f));
        ci->hdr[f] = pool_dup(&ci->pool, raw);
        for (char *p = t.a; p && *p; p++)
            if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
        const char *name = buf_str(&t);
        int c = 0;
        while (c < ci->ncols && strcmp(names[c], name) != 0) c++;
        if (!*name) {
            ci_err(ci, NULL, "field %d of the header is empty: every column needs a name (%s "
                   "has the columns %s)", f + 1, csv_kind_name(ci->kind), buf_str(&list));
        } else if (c == ci->ncols) {
            const char *best = imp_suggest(name, names);
            if (best) ci_err(ci, ci->hdr[f], "unknown column; did you mean \"%s\"?", best);
            else ci_err(ci, ci->hdr[f], "unknown column; %s has the columns %s",
                        csv_kind_name(ci->kind), buf_str(&list));
        } else if (ci->at[c] >= 0) {
            ci_err(ci, ci->hdr[f], "appears twice in the header (fields %d and %d)",
                   ci->at[c] + 1, f + 1);
        } else {
            ci->at[c] = f;
        }
    }
    int missing = 0, nreq = 0;
    buf_reset(&list);
    ci_column_list(ci, &list, 1);
    for (int c = 0; c < ci->ncols; c++) nreq += ci->cols[c].required;
    for (int c = 0; c < ci->ncols; c++)
        if (ci->cols[c].required && !ci_has(ci, c)) {
            ci_err(ci, ci->cols[c].name, "missing from the header; a CSV of %s needs the "
                   "column%s %s", csv_kind_name(ci->kind), nreq > 1 ? "s" : "", buf_str(&list));
            missing = 1;
        }
    buf_free(&t);
    buf_free(&list);
    return missing ? -1 : 0;
}

/* ---- loading the strategy ------------------------------------------- */

/* A copy of p whose strings are in the pool. */
static ProjectRow project_copy(Pool *pool, const ProjectRow *p)
{
    ProjectRow r = *p;
    r.code = pool_dup(pool, p->code), r.title = pool_dup(pool, p->title);
    r.summary = pool_dup(pool, p->summary), r.status = pool_dup(pool, p->status);
    r.planned_start = pool_dup(pool, p->planned_start);
    r.planned_end = pool_dup(pool, p->planned_end);
    r.actual_start = pool_dup(pool, p->actual_start);
    r.actual_end = pool_dup(pool, p->actual_end);
    r.currency = pool_dup(pool, p->currency), r.unit = pool_dup(pool, p->unit);
    r.source = pool_dup(pool, p->source);
    r.output_code = r.driver_code = r.category_code = NULL;
    return r;
}

/* Loads the codes of the projects and, when full is set, the projects with
 * their years and tags. Returns 0 or -1. */
static int ci_load_projects(CsvImp *ci, int64_t sid, int full)
{
    Store *s = ci->m.s;
    StoreCursor pc, yc, tc, lc;
    memset(&yc, 0, sizeof yc), memset(&tc, 0, sizeof tc), memset(&lc, 0, sizeof lc);
    int rc = store_open(s, &pc, Q_PROJECTS, sid);
    if (full && rc == 0)
        rc = store_open(s, &yc, Q_PROJECT_YEARS, sid) | store_open(s, &tc, Q_TAGS, sid) |
             store_open(s, &lc, Q_PROJECT_LOCATIONS, sid);
    Buf y = BUF_INIT, t = BUF_INIT, l = BUF_INIT;
    for (const ProjectRow *p; rc == 0 && (p = store_child(&pc, 0)); store_advance(&pc)) {
        strmap_put(&ci->m.projects, p->code, p->id);
        if (!full) continue;
        buf_reset(&y), buf_reset(&t);
        for (const ProjectYearRow *r; (r = store_child(&yc, p->id)); store_advance(&yc))
            buf_printf(&y, "%s%lld", y.n ? ";" : "", (long long)r->year);
        for (const TagRow *r; (r = store_child(&tc, p->id)); store_advance(&tc)) {
            if (t.n) buf_putc(&t, '\x1f');
            buf_puts(&t, r->tag);
        }
        buf_reset(&l);
        for (const ProjectLocationRow *r; (r = store_child(&lc, p->id)); store_advance(&lc))
            buf_printf(&l, "%s%s", l.n ? ";" : "", r->location_code);
        grow(&ci->prj, &ci->capprj, ci->nprj, sizeof *ci->prj);
        Prj *x = &ci->prj[ci->nprj];
        x->r = project_copy(&ci->pool, p);
        x->years = pool_dup(&ci->pool, buf_str(&y));
        x->tags = pool_dup(&ci->pool, buf_str(&t));
        x->locations = ci_sorted_list(ci, buf_str(&l));
        strmap_put(&ci->prj_index, p->code, (int64_t)ci->nprj);
        if (p->sort >= ci->next_sort) ci->next_sort = p->sort + 1;
        ci->nprj++;
    }
    if (pc.failed || yc.failed || tc.failed || lc.failed) rc = -1;
    store_close(&pc), store_close(&yc), store_close(&tc), store_close(&lc);
    buf_free(&y), buf_free(&t), buf_free(&l);
    return rc;
}

/* Loads the strategy's period and codes, and the rows the kind may touch. */
static int ci_load(CsvImp *ci, int64_t sid)
{
    Store *s = ci->m.s;
    Imp *m = &ci->m;
    StoreCursor c;
    int rc = store_open(s, &c, Q_STRATEGY, sid);
    const StrategyRow *st = rc == 0 ? store_child(&c, 0) : NULL;
    if (st) {
        m->scode = xstrdup(st->code);
        m->first_year = st->first_year, m->last_year = st->last_year;
        m->odd = strcmp(st->biennium_start, "odd") == 0;
    }
    store_close(&c);
    if (!st) return -1;

    static const StoreQuery q[] = {Q_CATEGORIES, Q_OUTCOMES, Q_OUTPUTS, Q_DRIVERS,
                                   Q_INDICATORS};
    for (size_t i = 0; i < sizeof q / sizeof *q && rc == 0; i++) {
        rc = store_open(s, &c, q[i], sid);
        for (const void *r; rc == 0 && (r = c.has_row ? c.row : NULL); store_advance(&c)) {
            switch (q[i]) {
            case Q_CATEGORIES: {
                const CategoryRow *x = r;
                strmap_put(&m->categories, x->code, x->id);
                break;
            }
            case Q_OUTCOMES: {
                const OutcomeRow *x = r;
                if (x->number >= 1 && x->number <= 99) m->outcome_ids[x->number] = x->id;
                break;
            }
            case Q_OUTPUTS: {
                const OutputRow *x = r;
                strmap_put(&m->outputs, x->code, x->id);
                strmap_put(&ci->output_outcome, x->code, x->outcome_number);
                break;
            }
            case Q_DRIVERS: {
                const DriverRow *x = r;
                strmap_put(&m->drivers, x->code, x->id);
                break;
            }
            default: {
                const IndicatorRow *x = r;
                strmap_put(&m->indicators, x->code, x->id);
                break;
            }
            }
        }
        if (c.failed) rc = -1;
        store_close(&c);
    }
    if (rc == 0) rc = ci_load_projects(ci, sid, ci->kind == CSV_PROJECTS);
    if (rc == 0 && ci->kind == CSV_MEASUREMENTS) {
        rc = store_open(s, &c, Q_MEASUREMENTS, sid);
        Buf key = BUF_INIT;
        for (const MeasurementRow *r; rc == 0 && (r = c.has_row ? c.row : NULL);
             store_advance(&c)) {
            buf_reset(&key);
            buf_printf(&key, "%lld\x1f%s", (long long)r->indicator_id, r->date);
            grow(&ci->meas, &ci->capmeas, ci->nmeas, sizeof *ci->meas);
            ci->meas[ci->nmeas] = (Meas){r->value, pool_dup(&ci->pool, r->source),
                                         pool_dup(&ci->pool, r->note)};
            strmap_put(&ci->meas_index, buf_str(&key), (int64_t)ci->nmeas++);
        }
        buf_free(&key);
        if (c.failed) rc = -1;
        store_close(&c);
    }
    if (rc == 0 && ci->kind == CSV_EXPENDITURE) {
        rc = store_open(s, &c, Q_EXPENDITURE, sid);
        for (const ExpenditureRow *r; rc == 0 && (r = store_child(&c, 0)); store_advance(&c)) {
            grow(&ci->ex, &ci->capex, ci->nex, sizeof *ci->ex);
            ExpenditureRow *x = &ci->ex[ci->nex++];
            *x = *r;
            x->category = pool_dup(&ci->pool, r->category);
            x->unit = pool_dup(&ci->pool, r->unit);
            x->currency = pool_dup(&ci->pool, r->currency);
            x->note = pool_dup(&ci->pool, r->note);
            x->project_code = NULL;
        }
        if (c.failed) rc = -1;
        store_close(&c);
    }
    return rc;
}

/* ---- writing ---------------------------------------------------------- */

/* Inserts the years "2018;2019" and the tags "a\x1fb" of project id. */
static int ci_insert_lists(CsvImp *ci, int64_t id, const char *years, const char *tags)
{
    for (const char *p = years; p && *p;) {
        ProjectYearRow y = {.project_id = id, .year = strtoll(p, NULL, 10)};
        if (store_insert(ci->m.s, T_PROJECT_YEAR, &y, NULL)) return -1;
        p += strcspn(p, ";");
        p += *p == ';';
    }
    Buf t = BUF_INIT;
    int64_t sort = 0;
    int rc = 0;
    for (const char *p = tags; rc == 0 && p && *p;) {
        size_t n = strcspn(p, "\x1f");
        buf_reset(&t);
        buf_append(&t, p, n);
        TagRow r = {.project_id = id, .tag = buf_str(&t), .sort = sort++};
        rc = store_insert(ci->m.s, T_TAG, &r, NULL);
        p += n + (p[n] == '\x1f');
    }
    buf_free(&t);
    return rc;
}

/* Writes the planned projects that change something: updates, new projects
 * (after the existing ones, in file order), their years and tags. Counts
 * them in stats. Returns 0 or -1 (db_errmsg). */
static int ci_apply_projects(CsvImp *ci, CsvImportStats *stats)
{
    StoreUpdates u;
    store_updates_init(&u, ci->m.s->db);
    int rc = -1;
    for (size_t i = 0; i < ci->npin; i++) {
        PrjIn *in = &ci->pin[i];
        const Prj *old = in->idx >= 0 ? &ci->prj[in->idx] : NULL;
        int64_t id;
        if (!in->changed) continue;
        if (old) {
            id = old->r.id;
            if (store_update_project(&u, id, &in->r)) goto out;
            stats->nchanged++;
        } else {
            in->r.sort = ci->next_sort++;
            if (store_insert(ci->m.s, T_PROJECT, &in->r, &id)) goto out;
            stats->nadded++;
        }
        const char *years = NULL, *tags = NULL;
        if (!old || !str_same(old->years, in->years)) {
            years = in->years;
            if (old && store_clear_project_years(&u, id)) goto out;
        }
        if (!old || !str_same(old->tags, in->tags)) {
            tags = in->tags;
            if (old && store_clear_project_tags(&u, id)) goto out;
        }
        if (ci_insert_lists(ci, id, years, tags)) goto out;
    }
    rc = 0;
out:
    store_updates_done(&u);
    return rc;
}

/* Writes the planned measurements that change something. Returns 0 or -1. */
static int ci_apply_measurements(CsvImp *ci, CsvImportStats *stats)
{
    StoreUpdates u;
    store_updates_init(&u, ci->m.s->db);
    int rc = -1;
    for (size_t i = 0; i < ci->nmin; i++) {
        const MeasIn *in = &ci->min[i];
        if (!in->changed) continue;
        if (in->idx < 0) {
            if (store_insert(ci->m.s, T_MEASUREMENT, &in->r, NULL)) goto out;
            stats->nadded++;
            continue;
        }
        if (store_update_measurement(&u, &in->r)) goto out;
        stats->nchanged++;
    }
    rc = 0;
out:
    store_updates_done(&u);
    return rc;
}

/* 1 when two lines say the same (ids and sort aside). */
static int expenditure_same(const ExpenditureRow *a, const ExpenditureRow *b)
{
    return a->year == b->year && str_same(a->category, b->category) &&
           str_same(a->unit, b->unit) && a->amount == b->amount &&
           str_same(a->currency, b->currency) && a->project_id == b->project_id &&
           str_same(a->note, b->note);
}

/* 1 when existing line e is of a year the file replaces. */
static int ci_replaced(const CsvImp *ci, const ExpenditureRow *e)
{
    char y[24];
    snprintf(y, sizeof y, "%lld", (long long)e->year);
    return strmap_get(&ci->years, y, NULL);
}

/* The expenditure lines after the import, in order: the lines before the
 * first replaced one, the file's lines, the other lines that stay. Entries
 * point into ci->ex (staying) or ci->ein (new). Caller frees. */
static const ExpenditureRow **ci_expenditure_plan(const CsvImp *ci, size_t *n)
{
    const ExpenditureRow **a = xmalloc((ci->nex + ci->nein + 1) * sizeof *a);
    size_t k = 0, pos = 0;
    while (pos < ci->nex && !ci_replaced(ci, &ci->ex[pos])) a[k++] = &ci->ex[pos++];
    for (size_t i = 0; i < ci->nein; i++) a[k++] = &ci->ein[i];
    for (size_t i = pos; i < ci->nex; i++)
        if (!ci_replaced(ci, &ci->ex[i])) a[k++] = &ci->ex[i];
    *n = k;
    return a;
}

/* 1 when the file's expenditure lines change nothing. */
static int ci_expenditure_unchanged(const CsvImp *ci)
{
    size_t n;
    const ExpenditureRow **a = ci_expenditure_plan(ci, &n);
    int same = n == ci->nex;
    for (size_t i = 0; same && i < n; i++) same = expenditure_same(a[i], &ci->ex[i]);
    free(a);
    return same;
}

/* Deletes the lines of the file's years, inserts the file's lines and
 * renumbers the sort of the lines that stay, as ci_expenditure_plan() orders
 * them. Returns 0 or -1. */
static int ci_apply_expenditure(CsvImp *ci, CsvImportStats *stats)
{
    StoreUpdates u;
    store_updates_init(&u, ci->m.s->db);
    size_t n = 0;
    const ExpenditureRow **a = ci_expenditure_plan(ci, &n);
    int rc = -1;
    for (size_t i = 0; i < ci->nex; i++) {
        if (!ci_replaced(ci, &ci->ex[i])) continue;
        if (store_delete_expenditure(&u, ci->ex[i].id)) goto out;
        stats->nremoved++;
    }
    for (size_t k = 0; k < n; k++) {
        int is_new = a[k] >= ci->ein && a[k] < ci->ein + ci->nein;
        if (is_new) {
            ExpenditureRow r = *a[k];
            r.sort = (int64_t)k;
            if (store_insert(ci->m.s, T_EXPENDITURE, &r, NULL)) goto out;
            stats->nadded++;
        } else if (a[k]->sort != (int64_t)k) {
            if (store_sort_expenditure(&u, a[k]->id, (int64_t)k)) goto out;
        }
    }
    rc = 0;
out:
    store_updates_done(&u);
    free(a);
    return rc;
}

/* The preview of an expenditure file: per year it replaces, the lines that
 * go and the lines that come (a line the same before and after is neither). */
static void ci_preview_expenditure(const CsvImp *ci)
{
    Buf *b = ci->opts->preview;
    unsigned char *used = xcalloc(ci->nein + 1, 1);
    for (int pass = 0; pass < 2; pass++) {
        size_t n = pass ? ci->nein : ci->nex;
        for (size_t i = 0; i < n; i++) {
            const ExpenditureRow *e = pass ? &ci->ein[i] : &ci->ex[i];
            if (!pass && !ci_replaced(ci, e)) continue;
            if (!pass) {
                size_t k = 0;
                while (k < ci->nein && (used[k] || !expenditure_same(e, &ci->ein[k]))) k++;
                if (k < ci->nein) {
                    used[k] = 1;
                    continue;
                }
            } else if (used[i]) {
                continue;
            }
            buf_printf(b, "%s: %s expenditure %lld ", ci->name, pass ? "add" : "remove",
                       (long long)e->year);
            pv_text(b, e->category);
            buf_putc(b, ' ');
            pv_text(b, e->unit);
            buf_putc(b, ' ');
            pv_money(b, e->amount);
            buf_printf(b, " %s\n", e->currency ? e->currency : "");
        }
    }
    free(used);
}

/* 1 when the checked rows would change something. */
static int ci_changes(const CsvImp *ci)
{
    if (ci->kind == CSV_EXPENDITURE) return !ci_expenditure_unchanged(ci);
    if (ci->kind == CSV_MEASUREMENTS) {
        for (size_t i = 0; i < ci->nmin; i++)
            if (ci->min[i].changed) return 1;
        return 0;
    }
    for (size_t i = 0; i < ci->npin; i++)
        if (ci->pin[i].changed) return 1;
    return 0;
}

/* ---- the import ------------------------------------------------------- */

/* Frees everything the import allocated (not msgs). */
static void ci_free(CsvImp *ci)
{
    Imp *m = &ci->m;
    StrMap *maps[] = {&m->categories, &m->locations, &m->outputs, &m->drivers, &m->indicators,
                      &m->projects, &m->risks, &m->services, &m->committees, &m->kri,
                      &ci->seen, &ci->prj_index, &ci->meas_index, &ci->years};
    for (size_t i = 0; i < sizeof maps / sizeof *maps; i++) strmap_free(maps[i]);
    buf_free(&m->path);
    free(m->scode);
    buf_free(&ci->scratch);
    buf_free(&ci->why);
    strmap_free(&ci->output_outcome);
    free(ci->hdr);
    free(ci->prj), free(ci->pin), free(ci->meas), free(ci->min), free(ci->ex), free(ci->ein);
    pool_free(&ci->pool);
}

/* sheet_rows.c's callbacks: ci is the context. */
static int ci_rows_header(void *ctx, const CsvRecord *rec)
{
    CsvImp *ci = ctx;
    ci->line = rec->line;
    return ci_header(ci, rec) ? -1 : 0;
}

static int ci_rows_row(void *ctx, const CsvRecord *rec)
{
    CsvImp *ci = ctx;
    ci->line = rec->line;
    ci->row_nerr = ci->m.nerr;
    json_t *o = ci_row_object(ci, rec);
    if (ci->kind == CSV_PROJECTS) ci_project(ci, o);
    else if (ci->kind == CSV_MEASUREMENTS) ci_measurement(ci, o);
    else ci_expenditure(ci, o);
    json_decref(o);
    ci_flush(ci);
    return 0;
}

static void ci_rows_problem(void *ctx, long line, const char *col, const char *msg)
{
    CsvImp *ci = ctx;
    ci->line = line;
    ci_err(ci, col, "%s", msg);
}

static const char *ci_rows_field(void *ctx, int f) { return ((CsvImp *)ctx)->hdr[f]; }

/* Reads and checks every row of the file into ci's plan. */
static void ci_read(CsvImp *ci, const char *data, size_t len, CsvImportStats *stats)
{
    Buf list = BUF_INIT;
    ci_column_list(ci, &list, 0);
    SheetRowsOps ops = {ci, csv_kind_name(ci->kind), buf_str(&list), ci_rows_header,
                        ci_rows_row, ci_rows_problem, ci_rows_field};
    sheet_rows_read(data, len, ci->opts->table, &ops, &stats->sep, &stats->nrows);
    buf_free(&list);
}

/* Appends the audit entry of a CSV import into the open transaction: the
 * export digests of the strategy before and after, the file's name and the
 * counts. */
static int ci_audit(Db *db, CsvKind kind, const char *code, const char *name,
                    const unsigned char before[32], const unsigned char after[32],
                    const CsvImportStats *st)
{
    char hex[65];
    Buf b = BUF_INIT, a = BUF_INIT;
    sodium_bin2hex(hex, sizeof hex, before, 32);
    buf_printf(&b, "{\"digest\": \"%s\"}", hex);
    sodium_bin2hex(hex, sizeof hex, after, 32);
    buf_printf(&a, "{\"digest\": \"%s\", \"file\": ", hex);
    json_quote(&a, name);
    buf_printf(&a, ", \"rows\": %ld, \"added\": %ld, \"changed\": %ld, \"removed\": %ld}",
               st->nrows, st->nadded, st->nchanged, st->nremoved);
    int rc = audit_append(db, NULL, "import-csv", csv_kind_name(kind), code, buf_str(&b),
                          buf_str(&a));
    buf_free(&b);
    buf_free(&a);
    return rc;
}

int csv_import(Db *db, int64_t sid, CsvKind kind, const char *name, const char *data,
               size_t len, Buf *msgs, CsvImportStats *stats)
{
    CsvImportOpts opts = {0};
    return csv_import_opts(db, sid, kind, name, data, len, &opts, msgs, stats);
}

void csv_preview_digest(const char *text, size_t n, const CsvImportStats *st,
                        unsigned char out[32])
{
    crypto_hash_sha256_state h;
    char counts[160];
    int len = snprintf(counts, sizeof counts, "\n%ld %ld %ld %ld %ld", st->nrows, st->nadded,
                       st->nchanged, st->nremoved, st->nyears);
    crypto_hash_sha256_init(&h);
    crypto_hash_sha256_update(&h, (const unsigned char *)text, n);
    crypto_hash_sha256_update(&h, (const unsigned char *)counts, (unsigned long long)len);
    crypto_hash_sha256_final(&h, out);
}

int csv_import_opts(Db *db, int64_t sid, CsvKind kind, const char *name, const char *data,
                    size_t len, const CsvImportOpts *opts, Buf *msgs, CsvImportStats *stats)
{
    if (sheet_records_kind(kind))
        return sheet_records_import(db, sid, kind, name, data, len, opts, msgs, stats);
    CsvImportStats dummy;
    if (!stats) stats = &dummy;
    memset(stats, 0, sizeof *stats);
    Store s;
    store_init(&s, db);
    CsvImp ci;
    memset(&ci, 0, sizeof ci);
    ci.m.s = &s;
    ci.m.msgs = &ci.scratch;
    ci.m.sid = sid;
    ci.msgs = msgs;
    ci.name = name;
    ci.kind = kind;
    ci.opts = opts;
    ci.dates.order = opts->day_order;
    ci.dates.stated = opts->day_order != SHEET_ORDER_UNKNOWN;
    ci.cols = csv_columns(kind);
    while (ci.cols[ci.ncols].name) ci.ncols++;
    int rc = IMPORT_FAILED;
    if (db_begin(db)) {
        buf_printf(msgs, "%s: cannot start a transaction: %s\n", db_path(db), db_errmsg(db));
        goto out;
    }
    if (ci_load(&ci, sid)) {
        buf_printf(msgs, "%s: cannot read the strategy: %s\n", db_path(db), db_errmsg(db));
        goto fail;
    }
    snprintf(stats->code, sizeof stats->code, "%s", ci.m.scode);
    size_t preview_mark = opts->preview ? opts->preview->n : 0;
    ci_read(&ci, data, len, stats);
    if (ci.m.nerr) {
        if (ci.m.nerr > IMP_MAX_SHOWN)
            buf_printf(msgs, "%s: ... and %ld more problems\n", name, ci.m.nerr - IMP_MAX_SHOWN);
        goto fail;
    }
    stats->nyears = (long)ci.years.count;
    stats->dates = ci.dates;
    if (!ci_changes(&ci)) {
        rc = IMPORT_UNCHANGED;
        goto fail; /* nothing was written: the rollback only ends the transaction */
    }
    unsigned char before[32], after[32];
    if (!opts->dry_run && export_json_digest(db, sid, before)) { /* for the audit entry */
        buf_printf(msgs, "%s: cannot read the strategy: %s\n", db_path(db), db_errmsg(db));
        goto fail;
    }
    int w = kind == CSV_PROJECTS ? ci_apply_projects(&ci, stats)
            : kind == CSV_MEASUREMENTS ? ci_apply_measurements(&ci, stats)
                                       : ci_apply_expenditure(&ci, stats);
    if (w) {
        buf_printf(msgs, "%s: could not store the rows of %s: %s\n", db_path(db), name,
                   db_errmsg(db));
        goto fail;
    }
    if (opts->preview && kind == CSV_EXPENDITURE) ci_preview_expenditure(&ci);
    if (opts->preview) {
        csv_preview_digest(buf_str(opts->preview) + preview_mark, opts->preview->n - preview_mark,
                           stats, stats->digest);
        if (opts->expect && memcmp(opts->expect, stats->digest, 32) != 0) {
            rc = IMPORT_STALE;
            goto fail;
        }
    }
    if (opts->dry_run) { /* the preview: counted by writing, then rolled back */
        rc = IMPORT_DONE;
        goto fail;
    }
    if (export_json_digest(db, sid, after) ||
        ci_audit(db, kind, ci.m.scode, name, before, after, stats)) {
        buf_printf(msgs, "%s: could not record the import in the audit trail: %s\n",
                   db_path(db), db_errmsg(db));
        goto fail;
    }
    if (db_commit(db)) {
        buf_printf(msgs, "%s: could not commit the import: %s\n", db_path(db), db_errmsg(db));
        goto fail;
    }
    rc = IMPORT_DONE;
    goto out;
fail:
    db_rollback(db);
out:
    store_done(&s);
    ci_free(&ci);
    return rc;
}
