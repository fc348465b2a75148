/*
 * portfolio_filter.h — the filters of the portfolio, shared by the page, its
 * CSV and XLSX downloads and the projects API.
 *
 * A request's query is checked once against a QueryField table (which
 * table depends on the route: the page takes page and per, the API limit
 * and offset, the downloads neither), the codes it names are looked up in
 * the strategy (an unknown code is a 400 naming the parameter), and the
 * result is a PortfolioQuery for the store. The filter can be written back
 * as a canonical query string (fixed order, percent-encoded), which serves
 * as the links of the page (pager, sort headers, downloads) and as the key
 * of the cached counts.
 *
 * The strategy's choices (outcomes, outputs, drivers, categories,
 * locations, units) and the counts of a filter are cached with cache.h
 * until the database changes.
 */
#ifndef ITSTRAT_PORTFOLIO_FILTER_H
#define ITSTRAT_PORTFOLIO_FILTER_H

#include "http.h"
#include "store_portfolio.h"

/* Which parameters a route takes besides the filters. */
typedef enum PortfolioRoute {
    PF_ROUTE_PAGE,   /* sort, dir, page, per */
    PF_ROUTE_EXPORT, /* sort, dir */
    PF_ROUTE_API,    /* sort, dir, limit, offset */
    PF_ROUTE_STATS   /* the filters only */
} PortfolioRoute;

/* The parameters as given, checked. */
typedef struct PortfolioFilter {
    long long outcome;   /* outcome number */
    int has_outcome;
    const char *output, *driver, *category, *location; /* codes, or NULL */
    int status, has_status;  /* index into portfolio_status_names */
    long long year;
    int has_year;
    const char *unit;    /* owning unit, or NULL */
    const char *q;       /* words to search for, or NULL */
    int sort, has_sort;  /* index into portfolio_sort_names */
    int dir, has_dir;    /* 0 asc, 1 desc */
    long long page;      /* from 1 */
    int has_page;
    int per, has_per;    /* index into portfolio_per_names */
    long long limit, offset;
    int has_limit, has_offset;
} PortfolioFilter;

extern const char *const portfolio_status_names[]; /* the seven statuses, NULL-ended */
extern const char *const portfolio_sort_names[];   /* code title status category start end budget */
extern const char *const portfolio_per_names[];    /* "10" "25" "50" "100" */

/* Everything a portfolio handler needs, filled by portfolio_load(). */
typedef struct PortfolioCtx {
    PortfolioFilter f;
    PortfolioChoices choices;
    PortfolioQuery q;     /* ids resolved; limit/offset from page/per or limit/offset */
    long long per;        /* page size of the page route (default 50) */
    long long page;       /* page number (default 1) */
} PortfolioCtx;

/* Parses and checks rq's query for route, loads the strategy's choices
 * (cached), resolves codes to ids, builds the search expression and makes
 * sure the strategy's search rows exist when q is given. Returns 0; or 1
 * after writing the error response into rs (400 naming the parameter, 500
 * or 503 with the reason in the server log). Allocates in rq->arena. */
int portfolio_load(Req *rq, Resp *rs, PortfolioRoute route, PortfolioCtx *ctx);

/* Parts of a canonical query string. */
enum {
    PF_URL_FILTERS = 1, /* outcome output driver category status year location unit q */
    PF_URL_SORT = 2,    /* sort dir */
    PF_URL_PAGE = 4     /* page per (when not the defaults) */
};

/* Appends f's parameters named by parts to out as "a=1&b=x%20y" (fixed
 * order, values percent-encoded, nothing for parameters not given; a plain
 * string: HTML-escape it where it lands). */
void portfolio_filter_url(Buf *out, const PortfolioFilter *f, unsigned parts);

/* The counts of ctx's filter (cached per strategy and canonical filter).
 * Returns 0 or -1 (database error, logged by the caller). */
int portfolio_counts(Req *rq, const PortfolioCtx *ctx, PortfolioCounts *out);

/* The cache key of ctx's filter with prefix: "PREFIX:SID:FILTERS", in the arena. */
const char *portfolio_cache_key(Req *rq, const PortfolioCtx *ctx, const char *prefix);

/* The label of a status key ("in progress"). */
const char *portfolio_status_label(const char *key);

#endif
