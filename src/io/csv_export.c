/*
 * csv_export.c — projects, measurements and expenditure lines as CSV
 * (docs/csv.md).
 *
 * The header comes from csv_columns(), the table the importer reads, so the
 * two cannot name columns differently. Text cells go through csv_text() (the
 * formula guard), numbers, dates and statuses through csv_field(). Amounts
 * are written with two decimals, other numbers in their shortest exact form,
 * lists joined by "; ". Rows end with CRLF.
 */
#include <math.h>
#include <string.h>

#include "csv.h"
#include "csv_io.h"
#include "json_w.h"
#include "sheet_records.h"
#include "store.h"

#define CSV_FLUSH_BYTES ((size_t)1 << 20)

/* Where the CSV goes: b, handed to out (when set) every megabyte. */
typedef struct CsvOut {
    Buf *b;         /* the text (borrowed) */
    FILE *out;      /* NULL: everything stays in b */
    int io_error;   /* a write to out failed */
} CsvOut;

/* Writes b to out when it holds a megabyte, or anything when force is set. */
static void out_flush(CsvOut *o, int force)
{
    if (!o->out || (!force && o->b->n < CSV_FLUSH_BYTES)) return;
    if (o->b->n && fwrite(o->b->a, 1, o->b->n, o->out) != o->b->n) o->io_error = 1;
    buf_reset(o->b);
}

static void ex_header(Buf *b, CsvKind k)
{
    for (const CsvColumn *c = csv_columns(k); c->name; c++)
        if (csv_column_exported(c)) csv_field(b, c->name);
    csv_row_end(b);
}

static void ex_int(Buf *b, int64_t v)
{
    char s[24] = "";
    if (v != DB_NULL_INT) snprintf(s, sizeof s, "%lld", (long long)v);
    csv_field(b, s);
}

/* An amount in cents as a plain decimal with two decimals: 1234.50. */
static void ex_money(Buf *b, int64_t cents)
{
    char s[32] = "";
    if (cents != DB_NULL_INT) {
        unsigned long long a = cents < 0 ? 0ULL - (unsigned long long)cents
                                         : (unsigned long long)cents;
        snprintf(s, sizeof s, "%s%llu.%02llu", cents < 0 ? "-" : "", a / 100, a % 100);
    }
    csv_field(b, s);
}

static void ex_real(Buf *b, double v)
{
    Buf t = BUF_INIT;
    if (!isnan(v)) json_number(&t, v);
    csv_field(b, buf_str(&t));
    buf_free(&t);
}

/* 1 when tag survives being written in a "; "-separated list and read back. */
static int ex_tag_ok(const char *tag)
{
    size_t n = strlen(tag);
    return n && !strchr(tag, ';') && tag[0] != ' ' && tag[0] != '\t' && tag[n - 1] != ' ' &&
           tag[n - 1] != '\t';
}

/* Checks, before anything is written, that every tag can be written. */
static int ex_check_tags(Store *s, int64_t sid, Buf *err)
{
    StoreCursor pc, tc;
    int rc = store_open(s, &pc, Q_PROJECTS, sid) | store_open(s, &tc, Q_TAGS, sid);
    for (const ProjectRow *p; rc == 0 && (p = store_child(&pc, 0)); store_advance(&pc))
        for (const TagRow *t; rc == 0 && (t = store_child(&tc, p->id)); store_advance(&tc))
            if (!ex_tag_ok(t->tag)) {
                buf_printf(err, "project %s has the tag \"%s\", which a CSV cell of tags "
                           "separated by ';' cannot hold (a ';' or spaces at its ends); rename "
                           "the tag in the JSON document, or export JSON", p->code, t->tag);
                rc = 1;
            }
    if (rc < 0 || pc.failed || tc.failed) {
        buf_printf(err, "could not read the projects: %s", db_errmsg(s->db));
        rc = -1;
    }
    store_close(&pc), store_close(&tc);
    return rc ? -1 : 0;
}

static int ex_projects(Store *s, int64_t sid, CsvOut *o)
{
    StoreCursor pc, yc, tc;
    int rc = store_open(s, &pc, Q_PROJECTS, sid) | store_open(s, &yc, Q_PROJECT_YEARS, sid) |
             store_open(s, &tc, Q_TAGS, sid);
    Buf *b = o->b, list = BUF_INIT;
    ex_header(b, CSV_PROJECTS);
    for (const ProjectRow *p; rc == 0 && (p = store_child(&pc, 0)); store_advance(&pc)) {
        csv_text(b, p->code);
        csv_text(b, p->title);
        csv_text(b, p->summary);
        ex_int(b, p->outcome_number);
        csv_text(b, p->output_code);
        csv_text(b, p->driver_code);
        csv_text(b, p->category_code);
        buf_reset(&list);
        for (const ProjectYearRow *y; (y = store_child(&yc, p->id)); store_advance(&yc))
            buf_printf(&list, "%s%lld", list.n ? "; " : "", (long long)y->year);
        csv_field(b, buf_str(&list));
        csv_field(b, p->status);
        csv_field(b, p->planned_start);
        csv_field(b, p->planned_end);
        csv_field(b, p->actual_start);
        csv_field(b, p->actual_end);
        ex_money(b, p->budget);
        ex_money(b, p->actual_cost);
        csv_field(b, p->currency);
        csv_text(b, p->unit);
        csv_text(b, p->source);
        buf_reset(&list);
        for (const TagRow *t; (t = store_child(&tc, p->id)); store_advance(&tc))
            buf_printf(&list, "%s%s", list.n ? "; " : "", t->tag);
        csv_text(b, buf_str(&list));
        csv_row_end(b);
        out_flush(o, 0);
    }
    if (pc.failed || yc.failed || tc.failed) rc = -1;
    store_close(&pc), store_close(&yc), store_close(&tc);
    buf_free(&list);
    return rc ? -1 : 0;
}

static int ex_measurements(Store *s, int64_t sid, CsvOut *o)
{
    StoreCursor ic, mc;
    int rc = store_open(s, &ic, Q_INDICATORS, sid) | store_open(s, &mc, Q_MEASUREMENTS, sid);
    Buf *b = o->b;
    ex_header(b, CSV_MEASUREMENTS);
    for (const IndicatorRow *i; rc == 0 && (i = store_child(&ic, 0)); store_advance(&ic)) {
        for (const MeasurementRow *m; (m = store_child(&mc, i->id)); store_advance(&mc)) {
            csv_text(b, i->code);
            csv_field(b, m->date);
            ex_real(b, m->value);
            csv_text(b, m->source);
            csv_text(b, m->note);
            csv_row_end(b);
        }
        out_flush(o, 0);
    }
    if (ic.failed || mc.failed) rc = -1;
    store_close(&ic), store_close(&mc);
    return rc ? -1 : 0;
}

static int ex_expenditure(Store *s, int64_t sid, CsvOut *o)
{
    StoreCursor c;
    int rc = store_open(s, &c, Q_EXPENDITURE, sid);
    Buf *b = o->b;
    ex_header(b, CSV_EXPENDITURE);
    for (const ExpenditureRow *e; rc == 0 && (e = store_child(&c, 0)); store_advance(&c)) {
        ex_int(b, e->year);
        csv_text(b, e->category);
        csv_text(b, e->unit);
        ex_money(b, e->amount);
        csv_field(b, e->currency);
        csv_text(b, e->project_code);
        csv_text(b, e->note);
        csv_row_end(b);
        out_flush(o, 0);
    }
    if (c.failed) rc = -1;
    store_close(&c);
    return rc ? -1 : 0;
}

int csv_export(Db *db, int64_t sid, CsvKind kind, Buf *b, FILE *out, Buf *err)
{
    if (sheet_records_kind(kind)) return sheet_records_csv(db, sid, kind, b, out, err);
    Store s;
    store_init(&s, db);
    CsvOut o = {b, out, 0};
    int rc = -1;
    if (kind == CSV_PROJECTS && ex_check_tags(&s, sid, err)) goto out;
    rc = kind == CSV_PROJECTS ? ex_projects(&s, sid, &o)
         : kind == CSV_MEASUREMENTS ? ex_measurements(&s, sid, &o)
                                    : ex_expenditure(&s, sid, &o);
    if (rc) buf_printf(err, "could not read the %s: %s", csv_kind_name(kind), db_errmsg(db));
    out_flush(&o, 1);
    if (!rc && o.io_error) {
        buf_printf(err, "could not write the export (disk full?)");
        rc = -1;
    }
out:
    store_done(&s);
    return rc;
}
