/* store_portfolio.c — see store_portfolio.h. */
#include "store_portfolio.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "store_stats.h"

/* ---- the statements ------------------------------------------------------
 * Every filter is a term "(:x IS NULL OR ...)": one statement serves every
 * combination, and the terms on status and category are decided from the
 * index project_portfolio before the table row is read. Only the ORDER BY
 * differs between statements; it comes from the whitelist below, never from
 * a request. */

#define PF_FROM " FROM project p"

/* The filters after status. */
#define PF_FILTERS                                                                 \
    " AND (:category IS NULL OR p.category_id = :category)"                        \
    " AND (:output IS NULL OR p.output_id = :output)"                              \
    " AND (:driver IS NULL OR p.driver_id = :driver)"                              \
    " AND (:outcome IS NULL OR p.outcome_id = :outcome"                            \
    "      OR p.output_id IN (SELECT id FROM output WHERE outcome_id = :outcome))"   \
    " AND (:unit IS NULL OR p.unit = :unit)"                                       \
    " AND (:year IS NULL OR EXISTS (SELECT 1 FROM project_year py"                 \
    "      WHERE py.project_id = p.id AND py.year = :year))"                       \
    " AND (:location IS NULL OR EXISTS (SELECT 1 FROM project_location pl"         \
    "      WHERE pl.project_id = p.id AND pl.location_id IN"                       \
    "      (WITH RECURSIVE w(id, depth) AS (SELECT :location, 0 UNION"             \
    "         SELECT l.id, w.depth + 1 FROM location l JOIN w ON l.parent_id = w.id" \
    "         WHERE w.depth < 16) SELECT id FROM w)))"                             \
    " AND (:match IS NULL OR p.id IN"                                              \
    "      (SELECT rowid FROM project_fts WHERE project_fts MATCH :match))"

#define PF_WHERE " WHERE p.strategy_id = :sid AND (:status IS NULL OR p.status = :status)" PF_FILTERS
/* With a status, in document order: project_portfolio, the status read from the index. */
#define PF_WHERE_STATUS " WHERE p.strategy_id = :sid AND p.status = :status" PF_FILTERS

/* Columns 0-12 of every list; pf_fill reads them. Names of categories and
 * homes come from PortfolioChoices, not from joins: a page reads only the
 * rows it shows. */
#define PF_COLS                                                                    \
    "p.id, p.code, p.title, p.status, p.category_id, p.output_id, p.outcome_id,"   \
    " p.driver_id, p.planned_start, p.planned_end, p.budget, p.currency, p.unit"

/* Column 13: the work-plan years (NULL in the page family). */
#define PF_YEARS " (SELECT group_concat(year, '; ') FROM project_year WHERE project_id = p.id)"

/* Columns 14-21 of the export. */
#define PF_MORE                                                                    \
    ", p.summary, p.actual_start, p.actual_end, p.source, p.actual_cost,"          \
    " (SELECT group_concat(code, '; ') FROM (SELECT l.code FROM project_location pl" \
    "    JOIN location l ON l.id = pl.location_id WHERE pl.project_id = p.id"      \
    "    ORDER BY pl.sort)),"                                                      \
    " (SELECT group_concat(tag, '; ') FROM (SELECT tag FROM project_tag"           \
    "    WHERE project_id = p.id ORDER BY sort)),"                                 \
    " (SELECT count(*) FROM project_update WHERE project_id = p.id)"

/* The column lists of the three families of statements. */
enum { FAM_PAGE, FAM_YEARS, FAM_EXPORT, FAM__COUNT };
#define PF_COLS_PAGE PF_COLS ", NULL"
#define PF_COLS_YEARS PF_COLS "," PF_YEARS
#define PF_COLS_EXPORT PF_COLS "," PF_YEARS PF_MORE

#define PF_STATUS_RANK                                                             \
    "CASE p.status WHEN 'proposed' THEN 0 WHEN 'approved' THEN 1"                  \
    " WHEN 'in_progress' THEN 2 WHEN 'pilot' THEN 3 WHEN 'completed' THEN 4"       \
    " WHEN 'on_hold' THEN 5 ELSE 6 END"

#define PF_CATEGORY_RANK "(SELECT sort FROM category WHERE id = p.category_id)"

/* The orders of PortfolioSort, ascending and descending; ties keep the
 * document order, unknown values go last either way. */
#define PF_ORDERS(X, COLS)                                                         \
    X(COLS, "p.sort", "p.sort DESC")                                               \
    X(COLS, "p.code, p.sort", "p.code DESC, p.sort")                               \
    X(COLS, "p.title COLLATE NOCASE, p.sort", "p.title COLLATE NOCASE DESC, p.sort") \
    X(COLS, PF_STATUS_RANK ", p.sort", PF_STATUS_RANK " DESC, p.sort")             \
    X(COLS, "coalesce(" PF_CATEGORY_RANK ", 9e18), p.sort",                        \
      "coalesce(" PF_CATEGORY_RANK ", -1) DESC, p.sort")                           \
    X(COLS, "p.planned_start IS NULL, p.planned_start, p.sort",                    \
      "p.planned_start IS NULL, p.planned_start DESC, p.sort")                     \
    X(COLS, "p.planned_end IS NULL, p.planned_end, p.sort",                        \
      "p.planned_end IS NULL, p.planned_end DESC, p.sort")                         \
    X(COLS, "p.budget IS NULL, p.budget, p.sort", "p.budget IS NULL, p.budget DESC, p.sort")

#define PF_SELECT(COLS, WHERE, ORDER) \
    "SELECT " COLS " FROM project p" WHERE " ORDER BY " ORDER " LIMIT :limit OFFSET :offset"
#define PF_PAIR(COLS, A, D) {PF_SELECT(COLS, PF_WHERE, A), PF_SELECT(COLS, PF_WHERE, D)},
#define PF_STATUS_PAIR(COLS)                                                       \
    {PF_SELECT(COLS, PF_WHERE_STATUS, "p.sort"), PF_SELECT(COLS, PF_WHERE_STATUS, "p.sort DESC")}

/* [family][sort][descending] */
static const char *const pf_list_sql[FAM__COUNT][PSORT__COUNT][2] = {
    {PF_ORDERS(PF_PAIR, PF_COLS_PAGE)},
    {PF_ORDERS(PF_PAIR, PF_COLS_YEARS)},
    {PF_ORDERS(PF_PAIR, PF_COLS_EXPORT)},
};
/* [family][descending]: a status given, document order. */
static const char *const pf_status_sql[FAM__COUNT][2] = {
    PF_STATUS_PAIR(PF_COLS_PAGE),
    PF_STATUS_PAIR(PF_COLS_YEARS),
    PF_STATUS_PAIR(PF_COLS_EXPORT),
};

/* The project_stats index covers this grouping. */
static const char pf_groups_sql[] =
    "SELECT p.category_id, p.status, p.output_id, p.outcome_id, p.driver_id, count(*)"
    " FROM project p" PF_WHERE " GROUP BY 1, 2, 3, 4, 5";

static const char pf_years_sql[] =
    "SELECT y.year, count(*) FROM project p JOIN project_year y ON y.project_id = p.id"
    PF_WHERE " GROUP BY y.year ORDER BY y.year";

static const char pf_fresh_sql[] =
    "SELECT max_project_id >= (SELECT coalesce(max(id), 0) FROM project)"
    " AND max_update_id >= (SELECT coalesce(max(id), 0) FROM project_update),"
    " max_project_id, max_update_id FROM search_index WHERE strategy_id = :sid";

/* ---- statements kept per thread ------------------------------------------ */

/* The statements of one connection, attached to it (db_attach) and
 * finalized when it closes. */
typedef struct PfStmts {
    DbStmt *list[FAM__COUNT][PSORT__COUNT][2];
    DbStmt *status[FAM__COUNT][2];
    DbStmt *groups, *years, *fresh;
} PfStmts;

static const char pf_key = 0; /* its address identifies our attachment */

static void pf_stmts_free(void *p)
{
    PfStmts *k = p;
    for (int f = 0; f < FAM__COUNT; f++)
        for (int j = 0; j < 2; j++) {
            db_finalize(k->status[f][j]);
            for (int i = 0; i < PSORT__COUNT; i++) db_finalize(k->list[f][i][j]);
        }
    db_finalize(k->groups);
    db_finalize(k->years);
    db_finalize(k->fresh);
    free(k);
}

/* db's statements (a connection serves one thread at a time). */
static PfStmts *pf_stmts(Db *db)
{
    PfStmts *k = db_attached(db, &pf_key);
    if (!k) {
        k = xcalloc(1, sizeof *k);
        db_attach(db, &pf_key, k, pf_stmts_free);
    }
    return k;
}

/* *slot, prepared from sql (a literal of this file) on first use. */
static DbStmt *pf_stmt(Db *db, DbStmt **slot, const char *sql)
{
    if (!*slot && db_prepare_(db, slot, sql)) return NULL;
    return *slot;
}

/* ---- binding and reading ------------------------------------------------- */

void store_portfolio_query_init(PortfolioQuery *q, int64_t sid)
{
    memset(q, 0, sizeof *q);
    q->sid = sid;
    q->outcome_id = q->output_id = q->driver_id = q->category_id = DB_NULL_INT;
    q->location_id = q->year = DB_NULL_INT;
    q->sort = PSORT_DOCUMENT;
    q->limit = -1;
}

static void pf_bind(DbStmt *st, const PortfolioQuery *q)
{
    db_bind_int(st, ":sid", q->sid);
    db_bind_text(st, ":status", q->status);
    db_bind_int(st, ":category", q->category_id);
    db_bind_int(st, ":output", q->output_id);
    db_bind_int(st, ":driver", q->driver_id);
    db_bind_int(st, ":outcome", q->outcome_id);
    db_bind_text(st, ":unit", q->unit);
    db_bind_int(st, ":year", q->year);
    db_bind_int(st, ":location", q->location_id);
    db_bind_text(st, ":match", q->match);
}

static void pf_bind_page(DbStmt *st, const PortfolioQuery *q)
{
    pf_bind(st, q);
    db_bind_int(st, ":limit", q->limit < 0 ? -1 : q->limit);
    db_bind_int(st, ":offset", q->offset < 0 ? 0 : q->offset);
}

/* The entry of list with id, or NULL (lists are short). */
static const PortfolioChoice *pf_named(const PortfolioChoice *list, size_t n, int64_t id)
{
    if (id == DB_NULL_INT) return NULL;
    for (size_t k = 0; k < n; k++)
        if (list[k].id == id) return &list[k];
    return NULL;
}

/* Fills r from the current row of st, names from ch; texts point into the
 * row (valid until the next step) unless a is given, then they are arena
 * copies. */
static void pf_fill(DbStmt *st, const PortfolioChoices *ch, Arena *a, int export_cols,
                    PortfolioRow *r)
{
#define T(i) (a ? arena_strdup(a, db_column_text(st, (i))) : db_column_text(st, (i)))
    memset(r, 0, sizeof *r);
    r->id = db_column_int(st, 0);
    r->code = T(1);
    r->title = T(2);
    r->status = T(3);
    const PortfolioChoice *c = pf_named(ch->categories, ch->ncategories, db_column_int(st, 4));
    if (c) {
        r->category_code = c->code;
        r->category_name = c->label;
    }
    r->outcome_number = DB_NULL_INT;
    r->home_code = r->home_title = "";
    const PortfolioChoice *h;
    if ((h = pf_named(ch->outputs, ch->noutputs, db_column_int(st, 5)))) {
        r->home_kind = PORTFOLIO_HOME_OUTPUT;
        r->outcome_number = h->parent;
    } else if ((h = pf_named(ch->outcomes, ch->noutcomes, db_column_int(st, 6)))) {
        r->home_kind = PORTFOLIO_HOME_OUTCOME;
        r->outcome_number = strtoll(h->code, NULL, 10);
    } else if ((h = pf_named(ch->drivers, ch->ndrivers, db_column_int(st, 7)))) {
        r->home_kind = PORTFOLIO_HOME_DRIVER;
    }
    if (h) {
        r->home_code = h->code;
        r->home_title = h->label;
    }
    r->planned_start = T(8);
    r->planned_end = T(9);
    r->budget = db_column_int(st, 10);
    r->currency = T(11);
    r->unit = T(12);
    r->years = T(13);
    r->actual_cost = DB_NULL_INT;
    if (export_cols) {
        r->summary = T(14);
        r->actual_start = T(15);
        r->actual_end = T(16);
        r->source = T(17);
        r->actual_cost = db_column_int(st, 18);
        r->locations = T(19);
        r->tags = T(20);
        r->nupdates = db_column_int(st, 21);
    }
#undef T
}

/* The statement of q in family fam, prepared on first use. */
static DbStmt *pf_list_stmt(Db *db, const PortfolioQuery *q, int fam)
{
    PfStmts *k = pf_stmts(db);
    int sort = q->sort >= 0 && q->sort < PSORT__COUNT ? q->sort : PSORT_DOCUMENT;
    int desc = q->desc != 0;
    if (sort == PSORT_DOCUMENT && q->status)
        return pf_stmt(db, &k->status[fam][desc], pf_status_sql[fam][desc]);
    return pf_stmt(db, &k->list[fam][sort][desc], pf_list_sql[fam][sort][desc]);
}

int store_portfolio_page(Store *s, const PortfolioQuery *q, const PortfolioChoices *names,
                         Arena *a, PortfolioRow **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    DbStmt *st = pf_list_stmt(s->db, q, q->with_years ? FAM_YEARS : FAM_PAGE);
    if (!st) return -1;
    pf_bind_page(st, q);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        *out = arena_grow(a, *out, *n, sizeof **out);
        pf_fill(st, names, a, 0, &(*out)[(*n)++]);
    }
    db_reset(st);
    return rc == DB_DONE ? 0 : -1;
}

int store_portfolio_export(Store *s, const PortfolioQuery *q, const PortfolioChoices *names,
                           int (*fn)(void *ctx, const PortfolioRow *r), void *ctx)
{
    DbStmt *st = pf_list_stmt(s->db, q, FAM_EXPORT);
    if (!st) return -1;
    pf_bind_page(st, q);
    int rc, stop = 0;
    while (!stop && (rc = db_step(st)) == DB_ROW) {
        PortfolioRow r;
        pf_fill(st, names, NULL, 1, &r);
        stop = fn(ctx, &r);
    }
    db_reset(st);
    if (stop) return stop;
    return rc == DB_DONE ? 0 : -1;
}

/* ---- the strategy's structure -------------------------------------------- */

static PortfolioChoice *pf_choice_add(Arena *a, PortfolioChoice **list, size_t *n, int64_t id,
                                      const char *code, const char *label, int64_t parent)
{
    *list = arena_grow(a, *list, *n, sizeof **list);
    PortfolioChoice *c = &(*list)[(*n)++];
    c->id = id;
    c->code = arena_strdup(a, code ? code : "");
    c->label = arena_strdup(a, label ? label : "");
    c->parent = parent;
    return c;
}

/* Outcomes (by number), outputs (by outcome, then order), drivers and
 * categories (in order) of sid into out. */
static int pf_structure(Db *db, int64_t sid, Arena *a, PortfolioChoices *out)
{
    DbStmt *st = NULL;
    if (db_prepare(db, &st,
        "SELECT 0, id, CAST(number AS TEXT), title, number, 0 FROM outcome"
        " WHERE strategy_id = :sid"
        " UNION ALL SELECT 1, o.id, o.code, o.title, c.number, o.sort"
        "   FROM output o JOIN outcome c ON c.id = o.outcome_id WHERE c.strategy_id = :sid"
        " UNION ALL SELECT 2, id, code, title, sort, 0 FROM driver WHERE strategy_id = :sid"
        " UNION ALL SELECT 3, id, code, name, sort, 0 FROM category WHERE strategy_id = :sid"
        " ORDER BY 1, 5, 6"))
        return -1;
    db_bind_int(st, ":sid", sid);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        int kind = (int)db_column_int(st, 0);
        int64_t id = db_column_int(st, 1), number = db_column_int(st, 4);
        const char *code = db_column_text(st, 2), *label = db_column_text(st, 3);
        if (kind == 0) pf_choice_add(a, &out->outcomes, &out->noutcomes, id, code, label, 0);
        else if (kind == 1)
            pf_choice_add(a, &out->outputs, &out->noutputs, id, code, label, number);
        else if (kind == 2) pf_choice_add(a, &out->drivers, &out->ndrivers, id, code, label, 0);
        else pf_choice_add(a, &out->categories, &out->ncategories, id, code, label, 0);
    }
    db_finalize(st);
    return rc == DB_DONE ? 0 : -1;
}

int store_portfolio_choices(Store *s, int64_t sid, Arena *a, PortfolioChoices *out)
{
    memset(out, 0, sizeof *out);
    if (pf_structure(s->db, sid, a, out)) return -1;
    DbStmt *st = NULL;
    int rc = -1;
    /* Locations depth first, children in their order under their parent. */
    if (db_prepare(s->db, &st,
        "WITH RECURSIVE t(id, code, name, depth, path) AS ("
        "  SELECT id, code, name, 0, printf('%08d', sort) FROM location"
        "   WHERE strategy_id = :sid AND parent_id IS NULL"
        "  UNION ALL SELECT l.id, l.code, l.name, t.depth + 1,"
        "   t.path || '/' || printf('%08d', l.sort)"
        "   FROM location l JOIN t ON l.parent_id = t.id WHERE t.depth < 16)"
        " SELECT id, code, name, depth FROM t ORDER BY path"))
        return -1;
    db_bind_int(st, ":sid", sid);
    while ((rc = db_step(st)) == DB_ROW)
        pf_choice_add(a, &out->locations, &out->nlocations, db_column_int(st, 0),
                      db_column_text(st, 1), db_column_text(st, 2), db_column_int(st, 3));
    db_finalize(st);
    if (rc != DB_DONE) return -1;
    if (db_prepare(s->db, &st,
        "SELECT DISTINCT unit FROM project WHERE strategy_id = :sid AND unit IS NOT NULL"
        " ORDER BY unit"))
        return -1;
    db_bind_int(st, ":sid", sid);
    while ((rc = db_step(st)) == DB_ROW)
        pf_choice_add(a, &out->units, &out->nunits, 0, db_column_text(st, 0),
                      db_column_text(st, 0), 0);
    db_finalize(st);
    return rc == DB_DONE ? 0 : -1;
}

/* ---- counts -------------------------------------------------------------- */

/* The entry of list with id, or -1 (lists are short). */
static long pf_find(const PortfolioChoice *list, size_t n, int64_t id)
{
    for (size_t k = 0; k < n; k++)
        if (list[k].id == id) return (long)k;
    return -1;
}

int store_portfolio_counts(Store *s, const PortfolioQuery *q, Arena *a, PortfolioCounts *out)
{
    memset(out, 0, sizeof *out);
    PortfolioChoices ch;
    memset(&ch, 0, sizeof ch);
    if (pf_structure(s->db, q->sid, a, &ch)) return -1;
    /* Figure lines, zeros included. */
    out->noutcomes = ch.noutcomes;
    out->nhome = ch.noutcomes + ch.ndrivers;
    out->home = arena_alloc(a, (out->nhome + 1) * sizeof *out->home);
    for (size_t k = 0; k < ch.noutcomes; k++) {
        out->home[k].code = ch.outcomes[k].code;
        out->home[k].label =
            arena_printf(a, "Outcome %s: %s", ch.outcomes[k].code, ch.outcomes[k].label);
    }
    for (size_t k = 0; k < ch.ndrivers; k++) {
        out->home[ch.noutcomes + k].code = ch.drivers[k].code;
        out->home[ch.noutcomes + k].label = ch.drivers[k].label;
    }
    out->category = arena_alloc(a, (ch.ncategories + 1) * sizeof *out->category);
    for (size_t k = 0; k < ch.ncategories; k++) {
        out->category[k].code = ch.categories[k].code;
        out->category[k].label = ch.categories[k].label;
    }
    out->ncategory = ch.ncategories;
    out->nstatus = 7;
    out->status = arena_alloc(a, 7 * sizeof *out->status);
    for (int k = 0; k < 7; k++) {
        out->status[k].code = store_status_keys[k];
        out->status[k].label = store_status_label(store_status_keys[k]);
    }
    /* Each output's place in home: its outcome. */
    long *output_home = arena_alloc(a, (ch.noutputs + 1) * sizeof *output_home);
    for (size_t k = 0; k < ch.noutputs; k++) {
        output_home[k] = -1;
        for (size_t j = 0; j < ch.noutcomes; j++)
            if (strtoll(ch.outcomes[j].code, NULL, 10) == ch.outputs[k].parent)
                output_home[k] = (long)j;
    }
    PfStmts *ks = pf_stmts(s->db);
    DbStmt *st = pf_stmt(s->db, &ks->groups, pf_groups_sql);
    if (!st) return -1;
    pf_bind(st, q);
    int rc;
    int64_t nocat = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t n = db_column_int(st, 5);
        out->total += n;
        long c = db_column_is_null(st, 0)
                     ? -1 : pf_find(ch.categories, ch.ncategories, db_column_int(st, 0));
        if (c >= 0) out->category[c].n += n;
        else nocat += n;
        const char *status = db_column_text(st, 1);
        for (int k = 0; k < 7; k++)
            if (status && strcmp(status, store_status_keys[k]) == 0) out->status[k].n += n;
        long h = -1;
        if (!db_column_is_null(st, 2)) {
            long o = pf_find(ch.outputs, ch.noutputs, db_column_int(st, 2));
            if (o >= 0) h = output_home[o];
        } else if (!db_column_is_null(st, 3)) {
            h = pf_find(ch.outcomes, ch.noutcomes, db_column_int(st, 3));
        } else if (!db_column_is_null(st, 4)) {
            long d = pf_find(ch.drivers, ch.ndrivers, db_column_int(st, 4));
            if (d >= 0) h = (long)ch.noutcomes + d;
        }
        if (h >= 0) out->home[h].n += n;
    }
    db_reset(st);
    if (rc != DB_DONE) return -1;
    if (nocat) {
        PortfolioCount *c = &out->category[out->ncategory++];
        c->code = "";
        c->label = "(no category)";
        c->n = nocat;
    }
    st = pf_stmt(s->db, &ks->years, pf_years_sql);
    if (!st) return -1;
    pf_bind(st, q);
    while ((rc = db_step(st)) == DB_ROW) {
        out->year = arena_grow(a, out->year, out->nyear, sizeof *out->year);
        PortfolioCount *c = &out->year[out->nyear++];
        c->code = arena_printf(a, "%lld", (long long)db_column_int(st, 0));
        c->label = c->code;
        c->n = db_column_int(st, 1);
    }
    db_reset(st);
    return rc == DB_DONE ? 0 : -1;
}

/* ---- full-text search ---------------------------------------------------- */

int store_search_expr(const char *text, Buf *out)
{
    int words = 0;
    const char *p = text ? text : "";
    while (*p && words < 16) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
        if (!*p) break;
        if (words) buf_putc(out, ' ');
        buf_putc(out, '"');
        while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
            if (*p == '"') buf_putc(out, '"');
            buf_putc(out, *p++);
        }
        buf_putc(out, '"');
        words++;
    }
    return words;
}

/* Serialises builds of the search index within this process. */
static pthread_mutex_t search_lock = PTHREAD_MUTEX_INITIALIZER;

/* 1 when sid's search rows are current, 0 when they must be written, -1 on
 * error. Rows added since the build that belong to other strategies only
 * move the mark's ids forward. */
static int search_fresh(Db *db, int64_t sid)
{
    PfStmts *k = pf_stmts(db);
    DbStmt *st = pf_stmt(db, &k->fresh, pf_fresh_sql);
    if (!st) return -1;
    db_bind_int(st, ":sid", sid);
    int rc = db_step(st);
    int fresh = rc == DB_ROW && db_column_int(st, 0) == 1;
    int64_t maxp = rc == DB_ROW ? db_column_int(st, 1) : 0;
    int64_t maxu = rc == DB_ROW ? db_column_int(st, 2) : 0;
    int marked = rc == DB_ROW;
    db_reset(st);
    if (rc == DB_ERROR) return -1;
    if (fresh || !marked) return fresh;
    /* Something was added: is any of it ours? */
    if (db_prepare(db, &st,
        "SELECT EXISTS (SELECT 1 FROM project WHERE id > :maxp AND strategy_id = :sid)"
        " OR EXISTS (SELECT 1 FROM project_update u WHERE u.id > :maxu"
        "   AND (SELECT strategy_id FROM project WHERE id = u.project_id) = :sid)"))
        return -1;
    db_bind_int(st, ":maxp", maxp);
    db_bind_int(st, ":maxu", maxu);
    db_bind_int(st, ":sid", sid);
    rc = db_step(st);
    int ours = rc == DB_ROW ? (int)db_column_int(st, 0) : -1;
    db_finalize(st);
    if (ours) return ours < 0 ? -1 : 0;
    if (db_prepare(db, &st,
        "UPDATE search_index SET max_project_id = (SELECT coalesce(max(id), 0) FROM project),"
        " max_update_id = (SELECT coalesce(max(id), 0) FROM project_update)"
        " WHERE strategy_id = :sid"))
        return -1;
    db_bind_int(st, ":sid", sid);
    rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? 1 : -1;
}

/* Writes sid's search rows; the caller holds the write transaction. */
static int search_build(Db *db, int64_t sid)
{
    DbStmt *st = NULL;
    int rc = DB_ERROR;
    /* Rows of the strategy's projects (stale, or of a deleted project whose
     * id was given again), then rows of projects that are gone. */
    if (db_prepare(db, &st,
        "DELETE FROM project_fts WHERE rowid IN (SELECT id FROM project WHERE strategy_id = :sid)"))
        return -1;
    db_bind_int(st, ":sid", sid);
    rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE) return -1;
    if (db_exec(db, "DELETE FROM project_fts WHERE rowid NOT IN (SELECT id FROM project)"))
        return -1;
    if (db_prepare(db, &st,
        "INSERT INTO project_fts(rowid, title, summary, updates)"
        " SELECT p.id, p.title, p.summary,"
        "  (SELECT group_concat(u.text, ' ') FROM project_update u WHERE u.project_id = p.id)"
        " FROM project p WHERE p.strategy_id = :sid"))
        return -1;
    db_bind_int(st, ":sid", sid);
    rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE) return -1;
    if (db_prepare(db, &st,
        "INSERT OR REPLACE INTO search_index(strategy_id, max_project_id, max_update_id)"
        " VALUES (:sid, (SELECT coalesce(max(id), 0) FROM project),"
        " (SELECT coalesce(max(id), 0) FROM project_update))"))
        return -1;
    db_bind_int(st, ":sid", sid);
    rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? 0 : -1;
}

int store_search_ensure(Store *s, int64_t sid)
{
    int fresh = search_fresh(s->db, sid);
    if (fresh != 0) return fresh < 0 ? -1 : 0;
    pthread_mutex_lock(&search_lock);
    int rc = -1;
    if (db_begin(s->db)) goto out;
    /* Another thread or process may have written them meanwhile. */
    fresh = search_fresh(s->db, sid);
    if (fresh < 0 || (fresh == 0 && search_build(s->db, sid))) {
        db_rollback(s->db);
        goto out;
    }
    rc = db_commit(s->db);
    if (rc) db_rollback(s->db);
out:
    pthread_mutex_unlock(&search_lock);
    return rc;
}

int store_search_drop(Store *s, int64_t sid)
{
    DbStmt *st = NULL;
    /* New ids are given above the highest id left after the delete: the
     * other marks must not count ids above that as already indexed. */
    if (db_prepare(s->db, &st,
        "UPDATE search_index SET"
        " max_project_id = min(max_project_id, coalesce((SELECT id FROM project"
        "   WHERE +strategy_id <> :sid ORDER BY id DESC LIMIT 1), 0)),"
        " max_update_id = min(max_update_id, coalesce((SELECT u.id FROM project_update u"
        "   WHERE (SELECT strategy_id FROM project WHERE id = u.project_id) IS NOT :sid"
        "   ORDER BY u.id DESC LIMIT 1), 0))"
        " WHERE strategy_id <> :sid"))
        return -1;
    db_bind_int(st, ":sid", sid);
    int rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE) return -1;
    if (db_prepare(s->db, &st, "DELETE FROM search_index WHERE strategy_id = :sid")) return -1;
    db_bind_int(st, ":sid", sid);
    rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? 0 : -1;
}
