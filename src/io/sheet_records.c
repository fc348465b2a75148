/*
 * sheet_records.c — rows of a sheet as records of the forms. See
 * sheet_records.h.
 *
 * One transaction is opened first (BEGIN IMMEDIATE): the parents and the
 * records of the kind are loaded, then each row is read into a JSON object
 * of its fields (dates and amounts as spreadsheets write them read by
 * sheet_value.h, the formula guard removed), merged over the record it
 * matches, checked by record_validate() and, when it changes something,
 * planned. Only when no row has a problem, and the preview confirmed (if
 * any) is what the plan does, are the planned rows written, each with its
 * audit entry; a preview (dry run) writes nothing at all.
 */
#include "sheet_records.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <xlsxwriter.h>

#include "audit.h"
#include "csv.h"
#include "import.h"
#include "import_int.h"
#include "json_w.h"
#include "mem.h"
#include "record.h"
#include "sheet_rows.h"
#include "sheet_value.h"
#include "store_record.h"
#include "strmap.h"
#include "xlsx.h"
#include "xlsx_read.h"

/* A kind of rows: its record and how a row finds its record. */
typedef struct SrKind {
    CsvKind kind;
    const char *def;         /* the RecordDef */
    const char *parent[2];   /* columns that find the parent: its code (a meeting: the
                              * committee's code and the meeting's date); NULL: none */
    const char *key;         /* the field that, with the parent, matches a record; NULL:
                              * the row's place among its parent's records */
} SrKind;

static const SrKind sr_kinds[] = {
    {CSV_UPDATES, "update", {"project", NULL}, "date"},
    {CSV_INDICATORS, "indicator", {NULL, NULL}, "code"},
    {CSV_MILESTONES, "milestone", {"indicator", NULL}, "period"},
    {CSV_RISKS, "risk", {NULL, NULL}, "code"},
    {CSV_ACTIONS, "action", {"risk", NULL}, "title"},
    {CSV_SERVICES, "service", {NULL, NULL}, "code"},
    {CSV_SERVICE_FIGURES, "service_measurement", {"service", NULL}, "period"},
    {CSV_COMMITTEES, "committee", {NULL, NULL}, "code"},
    {CSV_MEETINGS, "meeting", {"committee", NULL}, "date"},
    {CSV_DECISIONS, "decision", {"committee", "meeting"}, NULL},
};

#define SR_MAX_COLS 64

static const SrKind *sr_kind(CsvKind k)
{
    for (size_t i = 0; i < sizeof sr_kinds / sizeof *sr_kinds; i++)
        if (sr_kinds[i].kind == k) return &sr_kinds[i];
    return NULL;
}

int sheet_records_kind(CsvKind k) { return sr_kind(k) != NULL; }

const char *sheet_records_def(CsvKind k)
{
    const SrKind *s = sr_kind(k);
    return s ? s->def : NULL;
}

/* One column of a kind. */
typedef struct SrCol {
    char name[72];            /* header name */
    const RecordField *f;     /* the field; NULL for a parent column */
    int field;                /* f's index in the def's fields */
    int parent;               /* a parent column: 0 or 1 (its place in SrKind.parent) */
    int code;                 /* 1: the FIELD_code column of a choice */
    int required;             /* the header must have it */
} SrCol;

/* The columns of kind s (def d) in export order; with_codes: a FIELD_code
 * column after each choice (the workbook's). Returns how many. */
static int sr_columns(const SrKind *s, const RecordDef *d, int with_codes, SrCol *cols)
{
    int n = 0;
    for (int p = 0; p < 2 && s->parent[p]; p++, n++) {
        memset(&cols[n], 0, sizeof cols[n]);
        snprintf(cols[n].name, sizeof cols[n].name, "%s", s->parent[p]);
        cols[n].parent = p;
        cols[n].field = -1;
        cols[n].required = 1;
    }
    int k = 0;
    for (const RecordField *f = d->fields; f->name && n < SR_MAX_COLS - 1; f++, k++) {
        memset(&cols[n], 0, sizeof cols[n]);
        snprintf(cols[n].name, sizeof cols[n].name, "%s", f->name);
        cols[n].f = f, cols[n].field = k;
        cols[n].required = s->key && strcmp(s->key, f->name) == 0;
        n++;
        if (f->type == RF_ENUM && with_codes) {
            memset(&cols[n], 0, sizeof cols[n]);
            snprintf(cols[n].name, sizeof cols[n].name, "%s_code", f->name);
            cols[n].f = f, cols[n].field = k, cols[n].code = 1;
            n++;
        }
    }
    return n;
}

/* The label of a choice's code: "in_progress" -> "In progress". */
static void sr_label(Buf *b, const char *code)
{
    buf_reset(b);
    for (const char *p = code; *p; p++) {
        char c = *p == '_' ? ' ' : *p;
        if (p == code && c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
        buf_putc(b, c);
    }
}

/* The code of choice field f whose code or label (case aside) is s, or NULL. */
static const char *sr_choice(const RecordField *f, const char *s)
{
    Buf l = BUF_INIT;
    const char *found = NULL;
    for (const char *const *v = f->values; v && *v && !found; v++) {
        sr_label(&l, *v);
        if (strcmp(*v, s) == 0 || strcasecmp(buf_str(&l), s) == 0) found = *v;
    }
    buf_free(&l);
    return found;
}

/* The text of a field's value as a cell shows it: "" for null, money with
 * two decimals, other numbers in their shortest exact form, booleans as
 * true/false. Into b (reset). */
static void sr_value_text(Buf *b, const RecordField *f, json_t *v)
{
    buf_reset(b);
    if (!v || json_is_null(v)) return;
    if (json_is_string(v)) buf_puts(b, json_string_value(v));
    else if (json_is_boolean(v)) buf_puts(b, json_is_true(v) ? "true" : "false");
    else if (json_is_integer(v) && !(f && f->type == RF_MONEY))
        buf_printf(b, "%lld", (long long)json_integer_value(v));
    else if (f && f->type == RF_MONEY) {
        long long c = llround(json_number_value(v) * 100);
        unsigned long long a = c < 0 ? 0ULL - (unsigned long long)c : (unsigned long long)c;
        buf_printf(b, "%s%llu.%02llu", c < 0 ? "-" : "", a / 100, a % 100);
    } else json_number(b, json_number_value(v));
}

/* ---- the parents of a kind: key text <-> id ------------------------------ */

typedef struct SrParents {
    StrMap by_key;            /* "CODE" or "COMMITTEE\x1fDATE" -> id */
    StrMap by_id;             /* "ID" -> index in key */
    char **key;
    size_t n, cap;
} SrParents;

typedef struct SrIds {
    int64_t *a;
    size_t n, cap;
} SrIds;

static int sr_collect(void *ctx, int64_t id, const char *title, int64_t version)
{
    (void)title, (void)version;
    SrIds *ids = ctx;
    if (ids->n == ids->cap) {
        ids->cap = ids->cap ? ids->cap * 2 : 64;
        ids->a = xrealloc(ids->a, ids->cap * sizeof *ids->a);
    }
    ids->a[ids->n++] = id;
    return 0;
}

/* The key text of parent id, or NULL. */
static const char *sr_parent_key(const SrParents *p, int64_t id)
{
    char num[24];
    int64_t at;
    snprintf(num, sizeof num, "%lld", (long long)id);
    return strmap_get(&p->by_id, num, &at) ? p->key[at] : NULL;
}

/* Loads the records of kind d of strategy sid as parents: their code, or
 * (when up, the parents of d, are given) the parent's key and field field.
 * 0 or -1. */
static int sr_load_parents(Db *db, int64_t sid, const RecordDef *d, const char *field,
                           const SrParents *up, SrParents *p)
{
    SrIds ids = {0};
    Buf t = BUF_INIT, k = BUF_INIT;
    int rc = store_record_list(db, d, sid, 0, sr_collect, &ids);
    for (size_t i = 0; rc == 0 && i < ids.n; i++) {
        RecordRow r;
        int got = store_record_get(db, d, ids.a[i], &r);
        if (got < 0) rc = -1;
        if (got <= 0) continue;
        buf_reset(&k);
        if (up) {
            const char *pk = sr_parent_key(up, r.parent_id);
            buf_printf(&k, "%s\x1f", pk ? pk : "");
        }
        sr_value_text(&t, NULL, json_object_get(r.fields, field));
        buf_puts(&k, buf_str(&t));
        int64_t old;
        if (!strmap_get(&p->by_key, buf_str(&k), &old)) strmap_put(&p->by_key, buf_str(&k), r.id);
        if (p->n == p->cap) {
            p->cap = p->cap ? p->cap * 2 : 64;
            p->key = xrealloc(p->key, p->cap * sizeof *p->key);
        }
        char num[24];
        snprintf(num, sizeof num, "%lld", (long long)r.id);
        strmap_put(&p->by_id, num, (int64_t)p->n);
        p->key[p->n++] = xstrdup(buf_str(&k));
        store_record_free(&r);
    }
    free(ids.a);
    buf_free(&t);
    buf_free(&k);
    return rc;
}

static void sr_parents_free(SrParents *p)
{
    for (size_t i = 0; i < p->n; i++) free(p->key[i]);
    free(p->key);
    strmap_free(&p->by_key);
    strmap_free(&p->by_id);
    memset(p, 0, sizeof *p);
}

/* The parents of kind s (def d): its parent kind's records keyed as its
 * parent columns write them; *grand holds the grandparents (freed by the
 * caller). 0 or -1. */
static int sr_parents(Db *db, int64_t sid, const SrKind *s, const RecordDef *d, SrParents *p,
                      SrParents *grand)
{
    if (!s->parent[0]) return 0;
    const RecordDef *pd = record_def(d->parent);
    if (!pd) return -1;
    if (!s->parent[1]) return sr_load_parents(db, sid, pd, "code", NULL, p);
    const RecordDef *gd = record_def(pd->parent); /* a decision: committee, meeting date */
    if (!gd || sr_load_parents(db, sid, gd, "code", NULL, grand)) return -1;
    return sr_load_parents(db, sid, pd, "date", grand, p);
}

/* ---- import ---------------------------------------------------------- */

typedef struct SrRec {        /* a record of the kind before the import */
    RecordRow r;
    int matched;              /* a row of the file matched it */
} SrRec;

typedef struct SrPlan {      /* a row that changes something, checked */
    json_t *merged;           /* its fields (the record's, the row's over them) */
    RecordValue *vals;        /* checked, borrowing from merged */
    int64_t parent;
    SrRec *old;               /* the record it changes, NULL: a new one */
    long line;
} SrPlan;

typedef struct Sr {
    Db *db;
    int64_t sid;
    const SrKind *k;
    const RecordDef *def;
    const CsvImportOpts *opts;
    Store store;
    RecordCtx ctx;
    char scode[72];
    Buf *msgs;                /* problems */
    Buf *preview;             /* the planned changes (opts->preview or own) */
    const char *name;         /* the file, for messages */
    long line;                /* the row being read */
    long nerr;
    SrCol cols[SR_MAX_COLS];
    int ncols;
    int at[SR_MAX_COLS];      /* column -> field of the file, -1 absent */
    const char **hdr;         /* header names as written */
    int nfields;
    SrParents parents, grand;
    SrRec *rec;
    size_t nrec;
    StrMap rec_index;         /* "PARENT\x1fKEY\x1fN" -> index in rec */
    StrMap seen;              /* "PARENT\x1fKEY" -> rows with it so far */
    StrMap seen_rec;          /* the same for the records, while loading */
    StrMap seen_line;         /* "PARENT\x1fKEY" -> the line of its first row */
    SrPlan *plan;
    size_t nplan, capplan;
    SheetDates dates;
    Buf why;
    int failed;               /* a database error */
    CsvImportStats *stats;    /* the counts, while reading */
} Sr;

static void sr_err(Sr *s, const char *col, const char *fmt, ...) BUF_FORMAT(3, 4);
static void sr_err(Sr *s, const char *col, const char *fmt, ...)
{
    if (++s->nerr > IMP_MAX_SHOWN) return;
    buf_printf(s->msgs, "%s:%ld: ", s->name, s->line);
    if (col) buf_printf(s->msgs, "column %s: ", col);
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(s->msgs, fmt, ap);
    va_end(ap);
    buf_putc(s->msgs, '\n');
}

/* The column list of the kind, "a, b and c". */
static void sr_column_list(const Sr *s, Buf *b)
{
    for (int c = 0; c < s->ncols; c++)
        buf_printf(b, "%s%s", c == 0 ? "" : c == s->ncols - 1 ? " and " : ", ", s->cols[c].name);
}

/* The key of a record or row: "PARENT\x1fKEY". */
static void sr_key(Buf *b, const Sr *s, int64_t parent, json_t *fields)
{
    Buf t = BUF_INIT;
    buf_reset(b);
    buf_printf(b, "%lld\x1f", (long long)parent);
    if (s->k->key) {
        sr_value_text(&t, record_field(s->def, s->k->key),
                      json_object_get(fields, s->k->key));
        buf_puts(b, buf_str(&t));
    }
    buf_free(&t);
}

/* Adds one to the count of key in m; returns the new count. */
static int64_t sr_count(StrMap *m, const char *key)
{
    int64_t n = 0;
    strmap_get(m, key, &n);
    strmap_put(m, key, ++n);
    return n;
}

static int sr_load(Sr *s)
{
    if (sr_parents(s->db, s->sid, s->k, s->def, &s->parents, &s->grand)) return -1;
    SrIds ids = {0};
    int rc = store_record_list(s->db, s->def, s->sid, 0, sr_collect, &ids);
    s->rec = xcalloc(ids.n ? ids.n : 1, sizeof *s->rec);
    Buf key = BUF_INIT;
    for (size_t i = 0; rc == 0 && i < ids.n; i++) {
        SrRec *r = &s->rec[s->nrec];
        int got = store_record_get(s->db, s->def, ids.a[i], &r->r);
        if (got < 0) rc = -1;
        if (got <= 0) continue;
        sr_key(&key, s, r->r.parent_id, r->r.fields);
        int64_t n = sr_count(&s->seen_rec, buf_str(&key));
        buf_printf(&key, "\x1f%lld", (long long)n);
        strmap_put(&s->rec_index, buf_str(&key), (int64_t)s->nrec++);
    }
    free(ids.a);
    buf_free(&key);
    return rc;
}

/* Reads the header; -1 when a required column is missing. */
static int sr_header(Sr *s, const CsvRecord *rec)
{
    const char *names[SR_MAX_COLS + 1];
    for (int c = 0; c < s->ncols; c++) names[c] = s->cols[c].name, s->at[c] = -1;
    names[s->ncols] = NULL;
    s->nfields = rec->n;
    s->hdr = xcalloc((size_t)rec->n, sizeof *s->hdr);
    Buf t = BUF_INIT, list = BUF_INIT;
    sr_column_list(s, &list);
    const char *kind = csv_kind_name(s->k->kind);
    for (int f = 0; f < rec->n; f++) {
        const char *raw = csv_get(rec, f);
        while (*raw == ' ' || *raw == '\t') raw++;
        buf_reset(&t);
        buf_puts(&t, raw);
        while (t.n && (t.a[t.n - 1] == ' ' || t.a[t.n - 1] == '\t')) t.a[--t.n] = 0;
        s->hdr[f] = xstrdup(buf_str(&t));
        for (char *p = t.a; p && *p; p++)
            if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
        const char *name = buf_str(&t);
        int c = 0;
        while (c < s->ncols && strcmp(names[c], name) != 0) c++;
        if (!*name) {
            sr_err(s, NULL, "field %d of the header is empty: every column needs a name (%s has "
                   "the columns %s)", f + 1, kind, buf_str(&list));
        } else if (c == s->ncols) {
            const char *best = imp_suggest(name, names);
            if (best) sr_err(s, s->hdr[f], "unknown column; did you mean \"%s\"?", best);
            else sr_err(s, s->hdr[f], "unknown column; %s has the columns %s", kind,
                        buf_str(&list));
        } else if (s->at[c] >= 0) {
            sr_err(s, s->hdr[f], "appears twice in the header (fields %d and %d); keep one",
                   s->at[c] + 1, f + 1);
        } else {
            s->at[c] = f;
        }
    }
    int missing = 0;
    for (int c = 0; c < s->ncols; c++)
        if (s->cols[c].required && s->at[c] < 0) {
            sr_err(s, s->cols[c].name, "missing from the header; every row of %s needs it "
                   "(the columns are %s)", kind, buf_str(&list));
            missing = 1;
        }
    buf_free(&t);
    buf_free(&list);
    return missing ? -1 : 0;
}

/* The cell of column c, or NULL when the file has no such column. */
static const char *sr_get(const Sr *s, const CsvRecord *rec, int c)
{
    return s->at[c] >= 0 ? csv_get(rec, s->at[c]) : NULL;
}

/* s trimmed of spaces and tabs, into t. */
static const char *sr_trim(Buf *t, const char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    buf_reset(t);
    buf_puts(t, s);
    while (t->n && (t->a[t->n - 1] == ' ' || t->a[t->n - 1] == '\t')) t->a[--t->n] = 0;
    return buf_str(t);
}

/* The JSON value of the cell of field f (column col): NULL after a problem
 * (reported). New reference. */
static json_t *sr_cell(Sr *s, const RecordField *f, const char *col, const char *cell)
{
    Buf t = BUF_INIT, num = BUF_INIT;
    RecordProblems p;
    p.n = 0;
    json_t *v = NULL;
    const char *raw = csv_unguard(cell), *x = sr_trim(&t, raw);
    switch (f->type) {
    case RF_TEXT: case RF_MARKDOWN:
        v = *raw ? json_string(raw) : json_null();
        if (!v) sr_err(s, col, "is not UTF-8 text; save the file as UTF-8 (CSV UTF-8)");
        break;
    case RF_DATE: {
        char iso[11];
        int r = *x ? sheet_date(&s->dates, x, s->line, iso, &s->why) : 1;
        if (r < 0) sr_err(s, col, "%s", buf_str(&s->why));
        else v = *x ? json_string(r == 0 ? iso : x) : json_null();
        break;
    }
    case RF_REAL: case RF_MONEY: {
        int r = *x ? sheet_number(x, &num, &s->why) : 1;
        if (r < 0) {
            sr_err(s, col, "%s", buf_str(&s->why));
            break;
        }
        v = record_text_json(f, r == 0 ? buf_str(&num) : x, &p);
        break;
    }
    case RF_BOOL:
        if (!*x || !strcasecmp(x, "false") || !strcasecmp(x, "no") || !strcmp(x, "0"))
            v = json_false();
        else if (!strcasecmp(x, "true") || !strcasecmp(x, "yes") || !strcmp(x, "1"))
            v = json_true();
        else sr_err(s, col, "\"%s\" is not true or false; write TRUE or FALSE", x);
        break;
    case RF_ENUM: {
        const char *code = *x ? sr_choice(f, x) : NULL;
        v = !*x ? json_null() : json_string(code ? code : x); /* the validator names them */
        break;
    }
    default:
        v = record_text_json(f, x, &p);
        break;
    }
    for (int i = 0; i < p.n; i++) sr_err(s, col, "%s", p.a[i].msg);
    if (p.n && v) json_decref(v), v = NULL;
    buf_free(&t);
    buf_free(&num);
    return v;
}

/* The header name of column c as the file writes it, else its name. */
static const char *sr_colname(const Sr *s, int c)
{
    return s->at[c] >= 0 ? s->hdr[s->at[c]] : s->cols[c].name;
}

/* The parent of the row: its id, 0 after a problem (reported). */
static int64_t sr_row_parent(Sr *s, const CsvRecord *rec)
{
    if (!s->k->parent[0]) return 0;
    const RecordDef *pd = record_def(s->def->parent);
    Buf key = BUF_INIT, t = BUF_INIT;
    int64_t id = 0;
    int np = s->k->parent[1] ? 2 : 1, bad = 0;
    for (int c = 0; c < np; c++) {
        const char *x = sr_trim(&t, csv_unguard(sr_get(s, rec, c)));
        if (!*x) {
            sr_err(s, sr_colname(s, c), "is empty; every row of %s names its %s",
                   csv_kind_name(s->k->kind), s->cols[c].name);
            bad = 1;
            continue;
        }
        char iso[11];
        if (c == 1) { /* the meeting's date */
            int r = sheet_date(&s->dates, x, s->line, iso, &s->why);
            if (r < 0) {
                sr_err(s, sr_colname(s, c), "%s", buf_str(&s->why));
                bad = 1;
                continue;
            }
            if (r == 0) x = iso;
        }
        buf_printf(&key, "%s%s", c ? "\x1f" : "", x);
    }
    if (!bad && !strmap_get(&s->parents.by_key, buf_str(&key), &id)) {
        if (np == 1) {
            sr_err(s, sr_colname(s, 0), "there is no %s \"%s\" in strategy %s; correct the code, "
                   "or add the %s first", pd->label, buf_str(&key), s->scode, pd->label);
        } else {
            const char *sep = strchr(buf_str(&key), '\x1f');
            sr_err(s, sr_colname(s, 1), "committee %.*s has no meeting on %s in strategy %s; "
                   "correct the committee or the date, or add the meeting first (import "
                   "meetings)", (int)(sep - buf_str(&key)), buf_str(&key), sep + 1, s->scode);
        }
        id = 0;
    }
    buf_free(&key);
    buf_free(&t);
    return id;
}

/* A value for the preview: quoted text cut at 60 characters, or "(empty)". */
static void sr_pv(Buf *b, const RecordField *f, json_t *v)
{
    Buf t = BUF_INIT;
    sr_value_text(&t, f, v);
    const char *s = buf_str(&t);
    if (!*s) {
        buf_puts(b, "(empty)");
    } else {
        size_t n = strlen(s), cut = n > 60 ? 57 : n;
        while (cut < n && ((unsigned char)s[cut] & 0xC0) == 0x80) cut--;
        buf_putc(b, '"');
        for (size_t i = 0; i < cut; i++) buf_putc(b, s[i] == '\n' || s[i] == '\r' ? ' ' : s[i]);
        buf_puts(b, cut < n ? "...\"" : "\"");
    }
    buf_free(&t);
}

/* Field f's value after the check, as the store reads it back (money in
 * units, a reference as its code). New reference. */
static json_t *sr_after(const RecordField *f, const RecordValue *v, json_t *in)
{
    if (v->null) return json_null();
    switch (f->type) {
    case RF_INT: case RF_YEAR: return json_integer(v->i);
    case RF_BOOL: return json_boolean(v->i);
    case RF_MONEY: return json_real((double)v->i / 100.0);
    case RF_REAL: return json_real(v->d);
    case RF_REF: {
        json_t *j = json_object_get(in, f->name);
        return j ? json_incref(j) : json_null();
    }
    default: return json_string(v->s ? v->s : "");
    }
}

/* 1 when a and b are the same value of field f. Numbers compare at the 15
 * significant digits a spreadsheet keeps. */
static int sr_same(const RecordField *f, json_t *a, json_t *b)
{
    if (f->type == RF_BOOL) return json_is_true(a) == json_is_true(b);
    int an = !a || json_is_null(a) || (json_is_string(a) && !*json_string_value(a));
    int bn = !b || json_is_null(b) || (json_is_string(b) && !*json_string_value(b));
    if (an || bn) return an && bn;
    if (json_is_number(a) && json_is_number(b)) {
        double x = json_number_value(a), y = json_number_value(b);
        if (f->type == RF_MONEY) return llround(x * 100) == llround(y * 100);
        return x == y || fabs(x - y) <= 1e-14 * fmax(fabs(x), fabs(y));
    }
    Buf s = BUF_INIT, t = BUF_INIT;
    sr_value_text(&s, f, a), sr_value_text(&t, f, b);
    int same = strcmp(buf_str(&s), buf_str(&t)) == 0;
    buf_free(&s), buf_free(&t);
    return same;
}

/* How the preview names the record of a row: its parent's columns and key. */
static void sr_ident(Buf *b, const Sr *s, const CsvRecord *rec, json_t *fields, int64_t nth)
{
    Buf t = BUF_INIT;
    buf_reset(b);
    for (int c = 0; c < 2 && s->k->parent[c]; c++) {
        const char *x = sr_trim(&t, csv_unguard(sr_get(s, rec, c)));
        buf_printf(b, "%s%s", b->n ? " " : "", x);
    }
    if (s->k->key) {
        sr_value_text(&t, record_field(s->def, s->k->key), json_object_get(fields, s->k->key));
        const char *x = buf_str(&t);
        size_t n = strlen(x) > 40 ? 40 : strlen(x);
        while (n < strlen(x) && ((unsigned char)x[n] & 0xC0) == 0x80) n--;
        buf_printf(b, "%s%.*s%s", b->n ? " " : "", (int)n, x, n < strlen(x) ? "..." : "");
    } else {
        buf_printf(b, " #%lld", (long long)nth);
    }
    buf_free(&t);
}

/* Reads and checks one row; a row that changes something is planned. */
static void sr_row(Sr *s, const CsvRecord *rec, CsvImportStats *st)
{
    long nerr = s->nerr;
    int64_t parent = sr_row_parent(s, rec);
    json_t *in = json_object();
    for (int c = 0; c < s->ncols; c++) {
        const SrCol *col = &s->cols[c];
        const char *cell = sr_get(s, rec, c);
        if (!col->f || col->code || !cell) continue;
        json_t *v = sr_cell(s, col->f, sr_colname(s, c), cell);
        if (v) json_object_set_new(in, col->f->name, v);
    }
    for (int c = 0; c < s->ncols; c++) { /* FIELD_code: wins over the label beside it */
        const SrCol *col = &s->cols[c];
        const char *cell = sr_get(s, rec, c);
        if (!col->code || !cell) continue;
        Buf t = BUF_INIT;
        const char *x = sr_trim(&t, csv_unguard(cell));
        json_t *label = json_object_get(in, col->f->name);
        if (*x) {
            if (label && json_is_string(label) && strcmp(json_string_value(label), x) != 0)
                sr_err(s, sr_colname(s, c), "is \"%s\" but column %s says \"%s\"; they must "
                       "agree: clear one of them", x, col->f->name, json_string_value(label));
            else json_object_set_new(in, col->f->name, json_string(x));
        }
        buf_free(&t);
    }
    if (s->nerr > nerr || (s->k->parent[0] && !parent)) {
        json_decref(in);
        return;
    }
    /* the record it matches */
    Buf key = BUF_INIT, b = BUF_INIT, id = BUF_INIT;
    sr_key(&key, s, parent, in);
    int64_t nth = sr_count(&s->seen, buf_str(&key)), at = -1, first = 0;
    if (nth == 1) strmap_put(&s->seen_line, buf_str(&key), s->line);
    else if (strcmp(s->k->key ? s->k->key : "", "code") == 0) {
        strmap_get(&s->seen_line, buf_str(&key), &first);
        sr_err(s, "code", "%s is on line %lld already; a code names one %s: keep one row",
               json_string_value(json_object_get(in, "code")), (long long)first, s->def->label);
        json_decref(in);
        buf_free(&key);
        return;
    }
    buf_printf(&key, "\x1f%lld", (long long)nth);
    SrRec *old = strmap_get(&s->rec_index, buf_str(&key), &at) ? &s->rec[at] : NULL;
    json_t *merged = old ? json_deep_copy(old->r.fields) : json_object();
    json_object_update(merged, in);
    RecordValue *vals = xcalloc(SR_MAX_COLS, sizeof *vals);
    RecordProblems p;
    p.n = 0;
    int v = record_validate(&s->ctx, s->def, merged, old ? old->r.id : 0,
                            old ? old->r.parent_id : parent, vals, &p);
    if (v < 0) {
        s->failed = 1;
        goto out;
    }
    for (int i = 0; i < p.n; i++) {
        int c = 0;
        while (c < s->ncols && !(s->cols[c].f && !s->cols[c].code &&
                                 strcmp(s->cols[c].f->name, p.a[i].field) == 0))
            c++;
        if (!p.a[i].field[0]) sr_err(s, NULL, "%s", p.a[i].msg);
        else if (c < s->ncols && s->at[c] < 0)
            sr_err(s, p.a[i].field, "%s (the sheet has no column %s: add it)", p.a[i].msg,
                   p.a[i].field);
        else sr_err(s, c < s->ncols ? sr_colname(s, c) : p.a[i].field, "%s", p.a[i].msg);
    }
    if (v != RECORD_OK) goto out;
    sr_ident(&id, s, rec, merged, nth);
    /* what changes */
    int nchanged = 0, k = 0;
    buf_printf(&b, "%s:%ld: %s %s %s", s->name, s->line, old ? "change" : "add", s->def->label,
               buf_str(&id));
    for (const RecordField *f = s->def->fields; f->name; f++, k++) {
        json_t *after = sr_after(f, &vals[k], merged);
        json_t *before = old ? json_object_get(old->r.fields, f->name) : NULL;
        if (old && !sr_same(f, before, after)) {
            buf_printf(&b, "%s%s ", nchanged ? "; " : ": ", f->name);
            sr_pv(&b, f, before);
            buf_puts(&b, " -> ");
            sr_pv(&b, f, after);
            nchanged++;
        }
        json_decref(after);
    }
    if (old && !nchanged) goto out; /* as it was */
    buf_putc(&b, '\n');
    buf_puts(s->preview, buf_str(&b));
    if (old) st->nchanged++;
    else st->nadded++;
    if (s->nplan == s->capplan) {
        s->capplan = s->capplan ? s->capplan * 2 : 64;
        s->plan = xrealloc(s->plan, s->capplan * sizeof *s->plan);
    }
    s->plan[s->nplan++] = (SrPlan){merged, vals, parent, old, s->line};
    merged = NULL, vals = NULL; /* the plan holds them */
out:
    free(vals);
    if (merged) json_decref(merged);
    json_decref(in);
    buf_free(&key);
    buf_free(&b);
    buf_free(&id);
}

/* Writes the planned rows, each with its audit entry. 0, or -1 with the
 * problem reported (at the row's line). */
static int sr_apply(Sr *s)
{
    for (size_t i = 0; i < s->nplan; i++) {
        SrPlan *p = &s->plan[i];
        s->line = p->line;
        if (!p->old) {
            int64_t rid = 0;
            if (store_record_insert(s->db, s->def, s->sid, p->parent, p->vals, &rid)) {
                sr_err(s, NULL, "could not add the %s: %s", s->def->label, db_errmsg(s->db));
                return -1;
            }
            if (record_audit(&s->ctx, s->def, "create", NULL, rid)) goto audit;
            continue;
        }
        int w = store_record_update(s->db, s->def, s->sid, p->old->r.id, p->old->r.version,
                                    p->vals);
        if (w) {
            sr_err(s, NULL, "could not change the %s: %s", s->def->label,
                   w == 1 ? "it changed while the file was read" : db_errmsg(s->db));
            return -1;
        }
        if (record_audit(&s->ctx, s->def, "update", &p->old->r, p->old->r.id)) goto audit;
    }
    return 0;
audit:
    sr_err(s, NULL, "could not record the change in the audit trail: %s", db_errmsg(s->db));
    return -1;
}

/* 1 when every field of rec is empty. */
/* sheet_rows.c's callbacks: s is the context. */
static int sr_rows_header(void *ctx, const CsvRecord *rec)
{
    Sr *s = ctx;
    s->line = rec->line;
    return sr_header(s, rec) ? -1 : 0;
}

static int sr_rows_row(void *ctx, const CsvRecord *rec)
{
    Sr *s = ctx;
    s->line = rec->line;
    sr_row(s, rec, s->stats);
    return s->failed ? -1 : 0;
}

static void sr_rows_problem(void *ctx, long line, const char *col, const char *msg)
{
    Sr *s = ctx;
    s->line = line;
    sr_err(s, col, "%s", msg);
}

static const char *sr_rows_field(void *ctx, int f) { return ((Sr *)ctx)->hdr[f]; }

static void sr_read(Sr *s, const char *data, size_t len, CsvImportStats *st)
{
    Buf list = BUF_INIT;
    s->stats = st;
    sr_column_list(s, &list);
    SheetRowsOps ops = {s, csv_kind_name(s->k->kind), buf_str(&list), sr_rows_header,
                        sr_rows_row, sr_rows_problem, sr_rows_field};
    sheet_rows_read(data, len, s->opts->table, &ops, &st->sep, &st->nrows);
    buf_free(&list);
}

/* Reads the strategy's code, period and bienniums into s->ctx. 0 or -1. */
static int sr_strategy(Sr *s)
{
    RecordRow r;
    int got = store_record_get(s->db, record_def("strategy"), s->sid, &r);
    if (got <= 0) return -1;
    snprintf(s->scode, sizeof s->scode, "%s", r.key);
    json_t *odd = json_object_get(r.fields, "biennium_start");
    s->ctx = (RecordCtx){&s->store, s->sid, s->scode,
                         json_integer_value(json_object_get(r.fields, "first_year")),
                         json_integer_value(json_object_get(r.fields, "last_year")),
                         json_is_string(odd) && strcmp(json_string_value(odd), "odd") == 0,
                         s->opts->actor};
    store_record_free(&r);
    return 0;
}

int sheet_records_import(Db *db, int64_t sid, CsvKind k, const char *name, const char *data,
                         size_t len, const CsvImportOpts *opts, Buf *msgs,
                         CsvImportStats *stats)
{
    CsvImportStats dummy;
    if (!stats) stats = &dummy;
    memset(stats, 0, sizeof *stats);
    Sr s;
    memset(&s, 0, sizeof s);
    Buf own = BUF_INIT;
    s.db = db, s.sid = sid, s.opts = opts, s.msgs = msgs, s.name = name;
    s.k = sr_kind(k);
    s.def = s.k ? record_def(s.k->def) : NULL;
    s.preview = opts->preview ? opts->preview : &own;
    s.dates.order = opts->day_order;
    s.dates.stated = opts->day_order != SHEET_ORDER_UNKNOWN;
    store_init(&s.store, db);
    int rc = IMPORT_FAILED;
    if (!s.def) {
        buf_printf(msgs, "%s: rows of %s cannot be imported here\n", name, csv_kind_name(k));
        goto out;
    }
    s.ncols = sr_columns(s.k, s.def, 1, s.cols);
    if (db_begin(db)) {
        buf_printf(msgs, "%s: cannot start a transaction: %s\n", db_path(db), db_errmsg(db));
        goto out;
    }
    if (sr_strategy(&s) || sr_load(&s)) {
        buf_printf(msgs, "%s: cannot read the strategy: %s\n", db_path(db), db_errmsg(db));
        goto fail;
    }
    snprintf(stats->code, sizeof stats->code, "%s", s.scode);
    size_t mark = s.preview->n;
    sr_read(&s, data, len, stats);
    stats->dates = s.dates;
    if (s.failed) {
        buf_printf(msgs, "%s: could not store the rows of %s: %s\n", db_path(db), name,
                   db_errmsg(db));
        goto fail;
    }
    if (s.nerr) {
        if (s.nerr > IMP_MAX_SHOWN)
            buf_printf(msgs, "%s: ... and %ld more problems\n", name, s.nerr - IMP_MAX_SHOWN);
        goto fail;
    }
    csv_preview_digest(s.preview->a ? s.preview->a + mark : "", s.preview->n - mark, stats,
                       stats->digest);
    if (!stats->nadded && !stats->nchanged) {
        rc = IMPORT_UNCHANGED;
        goto fail;
    }
    if (opts->expect && memcmp(opts->expect, stats->digest, 32) != 0) {
        rc = IMPORT_STALE;
        goto fail;
    }
    if (opts->dry_run) {
        rc = IMPORT_DONE;
        goto fail;
    }
    if (sr_apply(&s)) goto fail;
    if (db_commit(db)) {
        buf_printf(msgs, "%s: could not commit the import: %s\n", db_path(db), db_errmsg(db));
        goto fail;
    }
    rc = IMPORT_DONE;
    goto out;
fail:
    db_rollback(db);
out:
    store_done(&s.store);
    for (size_t i = 0; i < s.nrec; i++) store_record_free(&s.rec[i].r);
    free(s.rec);
    if (s.hdr)
        for (int f = 0; f < s.nfields; f++) free((char *)s.hdr[f]);
    free(s.hdr);
    sr_parents_free(&s.parents);
    sr_parents_free(&s.grand);
    strmap_free(&s.rec_index);
    strmap_free(&s.seen);
    strmap_free(&s.seen_rec);
    strmap_free(&s.seen_line);
    for (size_t i = 0; i < s.nplan; i++) json_decref(s.plan[i].merged), free(s.plan[i].vals);
    free(s.plan);
    buf_free(&s.why);
    buf_free(&own);
    return rc;
}

/* ---- export ---------------------------------------------------------- */

/* Calls cell(ctx, row, col, column, text) for the header (row 0) and each
 * record of kind k (rows from 1) in report order; text is the value as a
 * CSV writes it. 0, or -1 with err set. */
typedef struct SrOut {
    const SrCol *cols;
    int ncols;
    void (*cell)(void *ctx, long row, int c, const SrCol *col, const char *text);
    void (*row_end)(void *ctx, long row);
    void *ctx;
} SrOut;

static int sr_export(Db *db, int64_t sid, CsvKind k, SrOut *o, Buf *err)
{
    const SrKind *s = sr_kind(k);
    const RecordDef *d = s ? record_def(s->def) : NULL;
    SrParents parents = {0}, grand = {0};
    SrIds ids = {0};
    Buf t = BUF_INIT, label = BUF_INIT;
    int rc = -1;
    if (!d) {
        buf_printf(err, "rows of %s are not exported here", csv_kind_name(k));
        goto out;
    }
    if (sr_parents(db, sid, s, d, &parents, &grand) ||
        store_record_list(db, d, sid, 0, sr_collect, &ids)) {
        buf_printf(err, "could not read the %s: %s", csv_kind_name(k), db_errmsg(db));
        goto out;
    }
    for (int c = 0; c < o->ncols; c++) o->cell(o->ctx, 0, c, &o->cols[c], o->cols[c].name);
    o->row_end(o->ctx, 0);
    for (size_t i = 0; i < ids.n; i++) {
        RecordRow r;
        int got = store_record_get(db, d, ids.a[i], &r);
        if (got < 0) {
            buf_printf(err, "could not read the %s: %s", csv_kind_name(k), db_errmsg(db));
            goto out;
        }
        if (!got) continue;
        const char *pk = s->parent[0] ? sr_parent_key(&parents, r.parent_id) : NULL;
        for (int c = 0; c < o->ncols; c++) {
            const SrCol *col = &o->cols[c];
            if (!col->f) { /* a parent column: the part of the parent's key */
                const char *x = pk ? pk : "", *sep = strchr(x, '\x1f');
                buf_reset(&t);
                if (!sep) buf_puts(&t, col->parent == 0 ? x : "");
                else if (col->parent == 0) buf_append(&t, x, (size_t)(sep - x));
                else buf_puts(&t, sep + 1);
                o->cell(o->ctx, (long)i + 1, c, col, buf_str(&t));
                continue;
            }
            sr_value_text(&t, col->f, json_object_get(r.fields, col->f->name));
            o->cell(o->ctx, (long)i + 1, c, col, buf_str(&t));
        }
        o->row_end(o->ctx, (long)i + 1);
        store_record_free(&r);
    }
    rc = 0;
out:
    sr_parents_free(&parents);
    sr_parents_free(&grand);
    free(ids.a);
    buf_free(&t);
    buf_free(&label);
    return rc;
}

typedef struct SrCsv {
    Buf *b;
    FILE *out;
    int io_error;
} SrCsv;

static void sr_csv_cell(void *ctx, long row, int c, const SrCol *col, const char *text)
{
    SrCsv *x = ctx;
    (void)row, (void)c;
    int number = col->f && (col->f->type == RF_INT || col->f->type == RF_YEAR ||
                            col->f->type == RF_REAL || col->f->type == RF_MONEY);
    if (number && row > 0) csv_field(x->b, text);
    else csv_text(x->b, text);
}

static void sr_csv_row_end(void *ctx, long row)
{
    SrCsv *x = ctx;
    (void)row;
    csv_row_end(x->b);
    if (x->out && x->b->n >= ((size_t)1 << 20)) {
        if (fwrite(x->b->a, 1, x->b->n, x->out) != x->b->n) x->io_error = 1;
        buf_reset(x->b);
    }
}

int sheet_records_csv(Db *db, int64_t sid, CsvKind k, Buf *b, FILE *out, Buf *err)
{
    const SrKind *s = sr_kind(k);
    const RecordDef *d = s ? record_def(s->def) : NULL;
    SrCol cols[SR_MAX_COLS];
    SrCsv x = {b, out, 0};
    SrOut o = {cols, d ? sr_columns(s, d, 0, cols) : 0, sr_csv_cell, sr_csv_row_end, &x};
    if (sr_export(db, sid, k, &o, err)) return -1;
    if (out && b->n && fwrite(b->a, 1, b->n, out) != b->n) x.io_error = 1;
    if (out) buf_reset(b);
    if (x.io_error) {
        buf_printf(err, "could not write the export (disk full?)");
        return -1;
    }
    return 0;
}

typedef struct SrXlsx {
    XlsxSheet x;
    lxw_format *bold, *date, *money;
    Buf label;
    const char *first;        /* the row's first cell, for the notes */
    Buf firstbuf;
} SrXlsx;

static void sr_xlsx_cell(void *ctx, long row, int c, const SrCol *col, const char *text)
{
    SrXlsx *w = ctx;
    XlsxSheet *x = &w->x;
    if (x->failed || !xlsx_row_fits(x, (lxw_row_t)row)) return;
    lxw_row_t r = (lxw_row_t)row;
    lxw_col_t cc = (lxw_col_t)c;
    if (c == 0) {
        buf_reset(&w->firstbuf);
        buf_puts(&w->firstbuf, text);
    }
    const RecordFieldType t = col->f ? col->f->type : RF_CODE;
    int y, m, d;
    if (row == 0) {
        xlsx_text(x, r, cc, text, w->bold, NULL, NULL);
    } else if (!*text) {
        /* an empty cell */
    } else if (t == RF_DATE && !col->code && sscanf(text, "%4d-%2d-%2d", &y, &m, &d) == 3) {
        lxw_datetime dt = {y, m, d, 0, 0, 0};
        x->failed |= worksheet_write_datetime(x->ws, r, cc, &dt, w->date) != LXW_NO_ERROR;
    } else if (!col->f && col->parent == 1 && sscanf(text, "%4d-%2d-%2d", &y, &m, &d) == 3) {
        lxw_datetime dt = {y, m, d, 0, 0, 0}; /* a meeting's date */
        x->failed |= worksheet_write_datetime(x->ws, r, cc, &dt, w->date) != LXW_NO_ERROR;
    } else if (t == RF_INT || t == RF_YEAR || t == RF_REAL || t == RF_MONEY) {
        x->failed |= worksheet_write_number(x->ws, r, cc, strtod(text, NULL),
                                            t == RF_MONEY ? w->money : NULL) != LXW_NO_ERROR;
    } else if (t == RF_BOOL) {
        x->failed |= worksheet_write_boolean(x->ws, r, cc, strcmp(text, "true") == 0, NULL) !=
                     LXW_NO_ERROR;
    } else if (t == RF_ENUM && !col->code) {
        sr_label(&w->label, text);
        xlsx_text(x, r, cc, buf_str(&w->label), NULL, buf_str(&w->firstbuf), col->name);
    } else {
        xlsx_text(x, r, cc, text, NULL, buf_str(&w->firstbuf), col->name);
    }
}

static void sr_xlsx_row_end(void *ctx, long row) { (void)ctx, (void)row; }

int sheet_records_xlsx(Db *db, int64_t sid, CsvKind k, const char *path, Buf *err)
{
    const SrKind *s = sr_kind(k);
    const RecordDef *d = s ? record_def(s->def) : NULL;
    SrCol cols[SR_MAX_COLS];
    SrXlsx w;
    memset(&w, 0, sizeof w);
    SrOut o = {cols, d ? sr_columns(s, d, 1, cols) : 0, sr_xlsx_cell, sr_xlsx_row_end, &w};
    int rc = -1;
    xlsx_sheet_init(&w.x, NULL, csv_kind_name(k));
    lxw_workbook *wb = workbook_new(path);
    w.x.ws = wb ? workbook_add_worksheet(wb, csv_kind_name(k)) : NULL;
    w.bold = wb ? workbook_add_format(wb) : NULL;
    w.date = wb ? workbook_add_format(wb) : NULL;
    w.money = wb ? workbook_add_format(wb) : NULL;
    if (!w.x.ws || !w.bold || !w.date || !w.money) {
        buf_printf(err, "%s: cannot make a workbook", path);
        goto out;
    }
    format_set_bold(w.bold);
    format_set_num_format(w.date, "yyyy-mm-dd");
    format_set_num_format(w.money, "#,##0.00");
    if (sr_export(db, sid, k, &o, err)) goto out;
    if (w.x.failed || xlsx_notes(wb, &w.x, w.bold)) {
        buf_printf(err, "%s: a cell could not be written", path);
        w.x.failed = 1;
    }
    lxw_error ce = workbook_close(wb);
    wb = NULL;
    if (ce != LXW_NO_ERROR && !w.x.failed)
        buf_printf(err, "%s: cannot write: %s", path, lxw_strerror(ce));
    else if (!w.x.failed && !err->n) rc = 0;
out:
    if (wb) workbook_close(wb);
    xlsx_sheet_free(&w.x);
    buf_free(&w.label);
    buf_free(&w.firstbuf);
    return rc;
}
