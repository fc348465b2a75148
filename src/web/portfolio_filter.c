/* portfolio_filter.c — see portfolio_filter.h. */
#include "portfolio_filter.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "html.h"
#include "store_stats.h"

const char *const portfolio_status_names[] = {"proposed",  "approved", "in_progress", "pilot",
                                              "completed", "on_hold",  "cancelled",   NULL};
const char *const portfolio_sort_names[] = {"code", "title", "status", "category",
                                            "start", "end",  "budget", NULL};
const char *const portfolio_per_names[] = {"10", "25", "50", "100", NULL};
static const char *const dir_names[] = {"asc", "desc", NULL};

#define PF_PER_DEFAULT 2 /* "50" */

#define F(name, type, member, has) \
    {name, type, offsetof(PortfolioFilter, member), has, 0, 0, NULL, 0}
#define HAS(m) offsetof(PortfolioFilter, m)

/* The filters every route takes, then what each adds. */
#define PF_FILTER_FIELDS                                                         \
    {"outcome", QT_INT, offsetof(PortfolioFilter, outcome), HAS(has_outcome), 1, 9999, NULL, 0}, \
    F("output", QT_CODE, output, QUERY_NO_HAS),                                  \
    F("driver", QT_CODE, driver, QUERY_NO_HAS),                                  \
    F("category", QT_CODE, category, QUERY_NO_HAS),                              \
    {"status", QT_ENUM, offsetof(PortfolioFilter, status), HAS(has_status), 0, 0,  \
     portfolio_status_names, 0},                                                 \
    {"year", QT_INT, offsetof(PortfolioFilter, year), HAS(has_year), 1900, 2200, NULL, 0}, \
    F("location", QT_CODE, location, QUERY_NO_HAS),                              \
    {"unit", QT_TEXT, offsetof(PortfolioFilter, unit), QUERY_NO_HAS, 0, 0, NULL, 100}, \
    {"q", QT_TEXT, offsetof(PortfolioFilter, q), QUERY_NO_HAS, 0, 0, NULL, 200}
#define PF_SORT_FIELDS                                                           \
    {"sort", QT_ENUM, offsetof(PortfolioFilter, sort), HAS(has_sort), 0, 0,        \
     portfolio_sort_names, 0},                                                   \
    {"dir", QT_ENUM, offsetof(PortfolioFilter, dir), HAS(has_dir), 0, 0, dir_names, 0}

static const QueryField page_fields[] = {
    PF_FILTER_FIELDS, PF_SORT_FIELDS,
    {"page", QT_INT, offsetof(PortfolioFilter, page), HAS(has_page), 1, 1000000, NULL, 0},
    {"per", QT_ENUM, offsetof(PortfolioFilter, per), HAS(has_per), 0, 0, portfolio_per_names, 0},
    {NULL, 0, 0, 0, 0, 0, NULL, 0}};
static const QueryField export_fields[] = {PF_FILTER_FIELDS, PF_SORT_FIELDS,
                                           {NULL, 0, 0, 0, 0, 0, NULL, 0}};
static const QueryField api_fields[] = {
    PF_FILTER_FIELDS, PF_SORT_FIELDS,
    {"limit", QT_INT, offsetof(PortfolioFilter, limit), HAS(has_limit), 1, 500, NULL, 0},
    {"offset", QT_INT, offsetof(PortfolioFilter, offset), HAS(has_offset), 0, 1000000000, NULL,
     0},
    {NULL, 0, 0, 0, 0, 0, NULL, 0}};
static const QueryField stats_fields[] = {PF_FILTER_FIELDS, {NULL, 0, 0, 0, 0, 0, NULL, 0}};

const char *portfolio_status_label(const char *key) { return store_status_label(key); }

/* ---- canonical query string ---------------------------------------------- */

static void url_param(Buf *out, const char *name, const char *value)
{
    if (out->n) buf_putc(out, '&');
    buf_puts(out, name);
    buf_putc(out, '=');
    html_url_param(out, value); /* percent-encoded: plain ASCII, no markup */
}

static void url_int(Buf *out, const char *name, long long v)
{
    char s[32];
    snprintf(s, sizeof s, "%lld", v);
    url_param(out, name, s);
}

void portfolio_filter_url(Buf *out, const PortfolioFilter *f, unsigned parts)
{
    Buf tmp = BUF_INIT; /* separators are decided on the new part alone */
    if (parts & PF_URL_FILTERS) {
        if (f->has_outcome) url_int(&tmp, "outcome", f->outcome);
        if (f->output) url_param(&tmp, "output", f->output);
        if (f->driver) url_param(&tmp, "driver", f->driver);
        if (f->category) url_param(&tmp, "category", f->category);
        if (f->has_status) url_param(&tmp, "status", portfolio_status_names[f->status]);
        if (f->has_year) url_int(&tmp, "year", f->year);
        if (f->location) url_param(&tmp, "location", f->location);
        if (f->unit) url_param(&tmp, "unit", f->unit);
        if (f->q) url_param(&tmp, "q", f->q);
    }
    if (parts & PF_URL_SORT) {
        if (f->has_sort) url_param(&tmp, "sort", portfolio_sort_names[f->sort]);
        if (f->has_dir && f->dir == 1) url_param(&tmp, "dir", "desc");
    }
    if (parts & PF_URL_PAGE) {
        if (f->has_page && f->page > 1) url_int(&tmp, "page", f->page);
        if (f->has_per && f->per != PF_PER_DEFAULT)
            url_param(&tmp, "per", portfolio_per_names[f->per]);
    }
    buf_append(out, tmp.a ? tmp.a : "", tmp.n);
    buf_free(&tmp);
}

const char *portfolio_cache_key(Req *rq, const PortfolioCtx *ctx, const char *prefix)
{
    Buf k = BUF_INIT;
    buf_printf(&k, "%s:%lld:", prefix, (long long)ctx->q.sid);
    portfolio_filter_url(&k, &ctx->f, PF_URL_FILTERS);
    const char *s = arena_strdup(&rq->arena, buf_str(&k));
    buf_free(&k);
    return s;
}

/* ---- a small serialisation for the cache --------------------------------- */

static void put_i64(Buf *b, int64_t v) { buf_append(b, &v, sizeof v); }

static void put_str(Buf *b, const char *s)
{
    uint32_t n = (uint32_t)(s ? strlen(s) : 0);
    buf_append(b, &n, sizeof n);
    buf_append(b, s ? s : "", n);
}

typedef struct Reader {
    const char *p, *end;
    Arena *a;
    int bad;
} Reader;

static int64_t get_i64(Reader *r)
{
    int64_t v = 0;
    if (r->end - r->p < (ptrdiff_t)sizeof v) {
        r->bad = 1;
        return 0;
    }
    memcpy(&v, r->p, sizeof v);
    r->p += sizeof v;
    return v;
}

static const char *get_str(Reader *r)
{
    uint32_t n = 0;
    if (r->end - r->p < (ptrdiff_t)sizeof n) {
        r->bad = 1;
        return "";
    }
    memcpy(&n, r->p, sizeof n);
    r->p += sizeof n;
    if ((size_t)(r->end - r->p) < n) {
        r->bad = 1;
        return "";
    }
    char *s = arena_alloc(r->a, (size_t)n + 1);
    memcpy(s, r->p, n);
    r->p += n;
    return s;
}

static void put_choices(Buf *b, const PortfolioChoice *l, size_t n)
{
    put_i64(b, (int64_t)n);
    for (size_t k = 0; k < n; k++) {
        put_i64(b, l[k].id);
        put_i64(b, l[k].parent);
        put_str(b, l[k].code);
        put_str(b, l[k].label);
    }
}

static PortfolioChoice *get_choices(Reader *r, size_t *n)
{
    int64_t m = get_i64(r);
    if (r->bad || m < 0 || m > 1000000) {
        r->bad = 1;
        *n = 0;
        return NULL;
    }
    PortfolioChoice *l = arena_alloc(r->a, ((size_t)m + 1) * sizeof *l);
    for (int64_t k = 0; k < m && !r->bad; k++) {
        l[k].id = get_i64(r);
        l[k].parent = get_i64(r);
        l[k].code = get_str(r);
        l[k].label = get_str(r);
    }
    *n = (size_t)m;
    return l;
}

static void put_counts(Buf *b, const PortfolioCount *l, size_t n)
{
    put_i64(b, (int64_t)n);
    for (size_t k = 0; k < n; k++) {
        put_str(b, l[k].code);
        put_str(b, l[k].label);
        put_i64(b, l[k].n);
    }
}

static PortfolioCount *get_counts(Reader *r, size_t *n)
{
    int64_t m = get_i64(r);
    if (r->bad || m < 0 || m > 1000000) {
        r->bad = 1;
        *n = 0;
        return NULL;
    }
    PortfolioCount *l = arena_alloc(r->a, ((size_t)m + 1) * sizeof *l);
    for (int64_t k = 0; k < m && !r->bad; k++) {
        l[k].code = get_str(r);
        l[k].label = get_str(r);
        l[k].n = get_i64(r);
    }
    *n = (size_t)m;
    return l;
}

/* The strategy's choices, from the cache or the store. */
static int choices_cached(Req *rq, PortfolioChoices *out)
{
    char key[64];
    snprintf(key, sizeof key, "pf-choices:%lld", (long long)rq->strategy->id);
    Buf b = BUF_INIT;
    if (cache_get_fill(key, &b)) {
        Reader r = {b.a, b.a + b.n, &rq->arena, 0};
        out->outcomes = get_choices(&r, &out->noutcomes);
        out->outputs = get_choices(&r, &out->noutputs);
        out->drivers = get_choices(&r, &out->ndrivers);
        out->categories = get_choices(&r, &out->ncategories);
        out->locations = get_choices(&r, &out->nlocations);
        out->units = get_choices(&r, &out->nunits);
        buf_free(&b);
        if (!r.bad) return 0;
    }
    buf_free(&b);
    if (store_portfolio_choices(rq->store, rq->strategy->id, &rq->arena, out)) return -1;
    put_choices(&b, out->outcomes, out->noutcomes);
    put_choices(&b, out->outputs, out->noutputs);
    put_choices(&b, out->drivers, out->ndrivers);
    put_choices(&b, out->categories, out->ncategories);
    put_choices(&b, out->locations, out->nlocations);
    put_choices(&b, out->units, out->nunits);
    cache_put(key, b.a, b.n);
    buf_free(&b);
    return 0;
}

int portfolio_counts(Req *rq, const PortfolioCtx *ctx, PortfolioCounts *out)
{
    const char *key = portfolio_cache_key(rq, ctx, "pf-counts");
    Buf b = BUF_INIT;
    memset(out, 0, sizeof *out);
    if (cache_get_fill(key, &b)) {
        Reader r = {b.a, b.a + b.n, &rq->arena, 0};
        out->total = get_i64(&r);
        out->noutcomes = (size_t)get_i64(&r);
        out->home = get_counts(&r, &out->nhome);
        out->category = get_counts(&r, &out->ncategory);
        out->status = get_counts(&r, &out->nstatus);
        out->year = get_counts(&r, &out->nyear);
        buf_free(&b);
        if (!r.bad) return 0;
        memset(out, 0, sizeof *out);
    }
    buf_free(&b);
    if (store_portfolio_counts(rq->store, &ctx->q, &rq->arena, out)) return -1;
    put_i64(&b, out->total);
    put_i64(&b, (int64_t)out->noutcomes);
    put_counts(&b, out->home, out->nhome);
    put_counts(&b, out->category, out->ncategory);
    put_counts(&b, out->status, out->nstatus);
    put_counts(&b, out->year, out->nyear);
    cache_put(key, b.a, b.n);
    buf_free(&b);
    return 0;
}

/* ---- loading a request's filter ------------------------------------------ */

static const PortfolioChoice *find_code(const PortfolioChoice *l, size_t n, const char *code)
{
    for (size_t k = 0; k < n; k++)
        if (strcmp(l[k].code, code) == 0) return &l[k];
    return NULL;
}

static int db_failed(Req *rq, Resp *rs)
{
    fprintf(stderr, "itstrat serve: %s\n", db_errmsg(rq->db));
    http_error(rq, rs, 500, "The projects could not be read; the server log says why.");
    return 1;
}

int portfolio_load(Req *rq, Resp *rs, PortfolioRoute route, PortfolioCtx *ctx)
{
    static const QueryField *const tables[] = {page_fields, export_fields, api_fields,
                                               stats_fields};
    memset(ctx, 0, sizeof *ctx);
    PortfolioFilter *f = &ctx->f;
    if (http_query(rq, rs, tables[route], f)) return 1;
    if (!f->has_per) f->per = PF_PER_DEFAULT;
    if (!f->has_page) f->page = 1;
    if (choices_cached(rq, &ctx->choices)) return db_failed(rq, rs);
    const PortfolioChoices *ch = &ctx->choices;
    PortfolioQuery *q = &ctx->q;
    store_portfolio_query_init(q, rq->strategy->id);
    if (f->has_outcome) {
        char num[32];
        snprintf(num, sizeof num, "%lld", f->outcome);
        const PortfolioChoice *c = find_code(ch->outcomes, ch->noutcomes, num);
        if (!c) {
            http_error(rq, rs, 400, "parameter outcome: this strategy has no outcome %lld",
                       f->outcome);
            return 1;
        }
        q->outcome_id = c->id;
    }
    struct {
        const char *name, *value, *what;
        const PortfolioChoice *list;
        size_t n;
        int64_t *id;
    } codes[] = {
        {"output", f->output, "output", ch->outputs, ch->noutputs, &q->output_id},
        {"driver", f->driver, "cross-cutting driver", ch->drivers, ch->ndrivers, &q->driver_id},
        {"category", f->category, "category", ch->categories, ch->ncategories, &q->category_id},
        {"location", f->location, "location", ch->locations, ch->nlocations, &q->location_id},
    };
    for (size_t k = 0; k < sizeof codes / sizeof *codes; k++) {
        if (!codes[k].value) continue;
        const PortfolioChoice *c = find_code(codes[k].list, codes[k].n, codes[k].value);
        if (!c) {
            http_error(rq, rs, 400, "parameter %s: this strategy has no %s \"%s\"",
                       codes[k].name, codes[k].what, codes[k].value);
            return 1;
        }
        *codes[k].id = c->id;
    }
    if (f->has_status) q->status = portfolio_status_names[f->status];
    if (f->has_year) q->year = f->year;
    q->unit = f->unit;
    if (f->has_sort) q->sort = (PortfolioSort)(PSORT_CODE + f->sort);
    q->desc = f->has_dir && f->dir == 1;
    ctx->per = strtoll(portfolio_per_names[f->per], NULL, 10);
    ctx->page = f->page;
    if (route == PF_ROUTE_PAGE) {
        q->limit = ctx->per;
        q->offset = (ctx->page - 1) * ctx->per;
    } else if (route == PF_ROUTE_API) {
        q->limit = f->has_limit ? f->limit : 50;
        q->offset = f->has_offset ? f->offset : 0;
    }
    if (f->q) {
        Buf expr = BUF_INIT;
        if (store_search_expr(f->q, &expr) > 0) {
            q->match = arena_strdup(&rq->arena, buf_str(&expr));
            if (store_search_ensure(rq->store, rq->strategy->id)) {
                fprintf(stderr, "itstrat serve: search index: %s\n", db_errmsg(rq->db));
                http_error(rq, rs, 503, "The search index could not be prepared just now; "
                                        "try again in a moment.");
                buf_free(&expr);
                return 1;
            }
        } else {
            f->q = NULL; /* only spaces: no search */
        }
        buf_free(&expr);
    }
    return 0;
}
