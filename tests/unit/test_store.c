/*
 * test_store.c — the store API: inserting a small strategy row by row,
 * reading it back through the named queries (with the codes of referenced
 * rows), walking child queries in lockstep, constraint failures, and
 * deleting a strategy with everything in it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "store.h"

#define assert_contains(hay, needle)                                                         \
    do {                                                                                     \
        if (!strstr((hay), (needle))) fail_msg("\"%s\" not in \"%s\"", (needle), (hay));     \
    } while (0)

typedef struct Fixture {
    Db *db;
    Store s;
    int64_t sid, cat, outcome, output, driver, p1, p2, p3;
} Fixture;

/* Counts the rows of a query with no parameters. */
static int64_t count(Db *db, const char *sql)
{
    DbStmt *st;
    assert_int_equal(db_prepare_(db, &st, sql), 0);
    assert_int_equal(db_step(st), DB_ROW);
    int64_t n = db_column_int(st, 0);
    db_finalize(st);
    return n;
}

/* Inserts strategy code with one category, outcome, output, driver and three
 * projects (one in each home; p2 depends on p1). */
static void insert_strategy(Fixture *f, const char *code)
{
    StrategyRow s = {.code = code, .title = "Test strategy", .organization = "Org",
                     .first_year = 2020, .last_year = 2023, .biennium_start = "even",
                     .currency = "CHF", .is_public = 1, .summary = "Sum *mary*"};
    assert_int_equal(store_insert(&f->s, T_STRATEGY, &s, &f->sid), 0);
    assert_true(f->sid > 0);
    CategoryRow c = {.strategy_id = f->sid, .code = "new", .name = "New", .new_or_major = 1};
    assert_int_equal(store_insert(&f->s, T_CATEGORY, &c, &f->cat), 0);
    OutcomeRow o = {.strategy_id = f->sid, .number = 2, .title = "Efficient"};
    assert_int_equal(store_insert(&f->s, T_OUTCOME, &o, &f->outcome), 0);
    OutputRow op = {.strategy_id = f->sid, .outcome_id = f->outcome, .code = "2.1",
                    .title = "Output"};
    assert_int_equal(store_insert(&f->s, T_OUTPUT, &op, &f->output), 0);
    DriverRow d = {.strategy_id = f->sid, .code = "security", .title = "Security"};
    assert_int_equal(store_insert(&f->s, T_DRIVER, &d, &f->driver), 0);
    ProjectRow p = {.strategy_id = f->sid, .outcome_id = DB_NULL_INT, .output_id = f->output,
                    .driver_id = DB_NULL_INT, .category_id = f->cat, .code = "P1",
                    .title = "One", .status = "in_progress", .budget = 123456,
                    .actual_cost = DB_NULL_INT, .sort = 0};
    assert_int_equal(store_insert(&f->s, T_PROJECT, &p, &f->p1), 0);
    p = (ProjectRow){.strategy_id = f->sid, .outcome_id = f->outcome, .output_id = DB_NULL_INT,
                     .driver_id = DB_NULL_INT, .category_id = DB_NULL_INT, .code = "P2",
                     .title = "Two", .status = "proposed", .budget = DB_NULL_INT,
                     .actual_cost = DB_NULL_INT, .sort = 1};
    assert_int_equal(store_insert(&f->s, T_PROJECT, &p, &f->p2), 0);
    p.outcome_id = DB_NULL_INT, p.driver_id = f->driver, p.code = "P3", p.title = "Three";
    p.sort = 2;
    assert_int_equal(store_insert(&f->s, T_PROJECT, &p, &f->p3), 0);
    ProjectYearRow y = {.project_id = f->p1, .year = 2021};
    assert_int_equal(store_insert(&f->s, T_PROJECT_YEAR, &y, NULL), 0);
    y.year = 2020;
    assert_int_equal(store_insert(&f->s, T_PROJECT_YEAR, &y, NULL), 0);
    y = (ProjectYearRow){.project_id = f->p3, .year = 2023};
    assert_int_equal(store_insert(&f->s, T_PROJECT_YEAR, &y, NULL), 0);
    DependencyRow dep = {.project_id = f->p2, .depends_on_id = f->p1, .sort = 0};
    assert_int_equal(store_insert(&f->s, T_DEPENDENCY, &dep, NULL), 0);
}

static int setup(void **state)
{
    static Fixture f;
    memset(&f, 0, sizeof f);
    Buf err = BUF_INIT;
    if (db_open(":memory:", DB_OPEN_CREATE, &f.db, &err)) return -1;
    buf_free(&err);
    store_init(&f.s, f.db);
    insert_strategy(&f, "S-1");
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;
    store_done(&f->s);
    db_close(f->db);
    return 0;
}

static void test_strategy_reads_back(void **state)
{
    Fixture *f = *state;
    StoreCursor c;
    assert_int_equal(store_open(&f->s, &c, Q_STRATEGY, f->sid), 0);
    assert_true(c.has_row);
    const StrategyRow *r = c.row;
    assert_int_equal(r->id, f->sid);
    assert_string_equal(r->code, "S-1");
    assert_string_equal(r->title, "Test strategy");
    assert_string_equal(r->organization, "Org");
    assert_int_equal(r->first_year, 2020);
    assert_int_equal(r->last_year, 2023);
    assert_string_equal(r->currency, "CHF");
    assert_string_equal(r->summary, "Sum *mary*");
    assert_int_equal(r->is_public, 1);
    assert_null(r->approved_on); /* unknown text stays NULL */
    assert_null(r->risk_matrix);
    assert_int_equal(store_advance(&c), 0);
    assert_false(c.has_row);
    store_close(&c);
    assert_int_equal(store_strategy_id(&f->s, "S-1"), f->sid);
    assert_int_equal(store_strategy_id(&f->s, "S-2"), 0);
}

static void test_projects_carry_referenced_codes(void **state)
{
    Fixture *f = *state;
    StoreCursor c;
    assert_int_equal(store_open(&f->s, &c, Q_PROJECTS, f->sid), 0);
    const ProjectRow *p = c.row;
    assert_true(c.has_row);
    assert_string_equal(p->code, "P1");
    assert_string_equal(p->output_code, "2.1");
    assert_string_equal(p->category_code, "new");
    assert_true(p->outcome_number == DB_NULL_INT);
    assert_null(p->driver_code);
    assert_int_equal(p->budget, 123456);
    assert_true(p->actual_cost == DB_NULL_INT);
    assert_int_equal(store_advance(&c), 1);
    assert_string_equal(p->code, "P2");
    assert_int_equal(p->outcome_number, 2);
    assert_null(p->output_code);
    assert_null(p->category_code);
    assert_true(p->budget == DB_NULL_INT);
    assert_int_equal(store_advance(&c), 1);
    assert_string_equal(p->code, "P3");
    assert_string_equal(p->driver_code, "security");
    assert_int_equal(store_advance(&c), 0);
    store_close(&c);
}

static void test_children_walk_in_lockstep(void **state)
{
    Fixture *f = *state;
    StoreCursor pc, yc, dc;
    assert_int_equal(store_open(&f->s, &pc, Q_PROJECTS, f->sid), 0);
    assert_int_equal(store_open(&f->s, &yc, Q_PROJECT_YEARS, f->sid), 0);
    assert_int_equal(store_open(&f->s, &dc, Q_DEPENDENCIES, f->sid), 0);
    char seen[128] = "";
    for (; pc.has_row; store_advance(&pc)) {
        const ProjectRow *p = pc.row;
        strcat(seen, p->code);
        strcat(seen, ":");
        const ProjectYearRow *y;
        while ((y = store_child(&yc, p->id))) {
            char year[8];
            snprintf(year, sizeof year, "%lld,", (long long)y->year);
            strcat(seen, year);
            store_advance(&yc);
        }
        const DependencyRow *d;
        while ((d = store_child(&dc, p->id))) {
            strcat(seen, "after ");
            strcat(seen, d->depends_on_code);
            store_advance(&dc);
        }
        strcat(seen, ";");
    }
    /* Years come in ascending order whatever the insertion order. */
    assert_string_equal(seen, "P1:2020,2021,;P2:after P1;P3:2023,;");
    assert_false(yc.has_row);
    assert_false(dc.has_row);
    store_close(&pc);
    store_close(&yc);
    store_close(&dc);
}

static void test_constraints_fail_with_a_message(void **state)
{
    Fixture *f = *state;
    /* The same project code twice in one strategy. */
    ProjectRow p = {.strategy_id = f->sid, .outcome_id = f->outcome, .output_id = DB_NULL_INT,
                    .driver_id = DB_NULL_INT, .category_id = DB_NULL_INT, .code = "P1",
                    .title = "Again", .status = "proposed", .budget = DB_NULL_INT,
                    .actual_cost = DB_NULL_INT, .sort = 9};
    int64_t id = 77;
    assert_int_equal(store_insert(&f->s, T_PROJECT, &p, &id), -1);
    assert_contains(db_errmsg(f->db), "UNIQUE constraint failed");
    assert_int_equal(id, 77); /* not touched on failure */
    /* Two homes at once break the schema's check. */
    p.code = "P9";
    p.output_id = f->output;
    assert_int_equal(store_insert(&f->s, T_PROJECT, &p, NULL), -1);
    assert_contains(db_errmsg(f->db), "CHECK constraint failed");
    /* A status outside the list. */
    p.output_id = DB_NULL_INT;
    p.status = "done";
    assert_int_equal(store_insert(&f->s, T_PROJECT, &p, NULL), -1);
    /* The statement is still usable after failures. */
    p.status = "approved";
    assert_int_equal(store_insert(&f->s, T_PROJECT, &p, &id), 0);
    assert_int_equal(count(f->db, "SELECT count(*) FROM project"), 4);
}

static void test_two_strategies_and_delete(void **state)
{
    Fixture *f = *state;
    int64_t first = f->sid;
    insert_strategy(f, "S-0"); /* the same codes inside a second strategy are fine */
    int64_t second = f->sid;
    assert_true(second != first);
    StoreCursor c;
    assert_int_equal(store_open(&f->s, &c, Q_STRATEGIES, 0), 0);
    assert_string_equal(((const StrategyRow *)c.row)->code, "S-0"); /* by code */
    assert_int_equal(store_advance(&c), 1);
    assert_string_equal(((const StrategyRow *)c.row)->code, "S-1");
    assert_int_equal(store_advance(&c), 0);
    store_close(&c);
    assert_int_equal(count(f->db, "SELECT count(*) FROM project"), 6);
    assert_int_equal(store_strategy_delete(&f->s, second), 0);
    assert_int_equal(store_strategy_id(&f->s, "S-0"), 0);
    assert_int_equal(count(f->db, "SELECT count(*) FROM project"), 3);
    assert_int_equal(count(f->db, "SELECT count(*) FROM project_year"), 3);
    assert_int_equal(count(f->db, "SELECT count(*) FROM project_dependency"), 1);
    assert_int_equal(count(f->db, "SELECT count(*) FROM output"), 1);
    assert_int_equal(count(f->db, "SELECT count(*) FROM category"), 1);
    /* The first is intact. */
    assert_int_equal(store_open(&f->s, &c, Q_PROJECTS, first), 0);
    assert_string_equal(((const ProjectRow *)c.row)->code, "P1");
    store_close(&c);
}

static void test_location_parent(void **state)
{
    Fixture *f = *state;
    LocationRow hq = {.strategy_id = f->sid, .parent_id = DB_NULL_INT, .code = "HQ",
                      .name = "Headquarters", .kind = "headquarters", .sort = 0};
    LocationRow ro = {.strategy_id = f->sid, .parent_id = DB_NULL_INT, .code = "RO",
                      .name = "Region", .kind = "region", .sort = 1};
    int64_t hq_id, ro_id;
    assert_int_equal(store_insert(&f->s, T_LOCATION, &hq, &hq_id), 0);
    assert_int_equal(store_insert(&f->s, T_LOCATION, &ro, &ro_id), 0);
    assert_int_equal(store_location_set_parent(&f->s, ro_id, hq_id), 0);
    StoreCursor c;
    assert_int_equal(store_open(&f->s, &c, Q_LOCATIONS, f->sid), 0);
    const LocationRow *l = c.row;
    assert_string_equal(l->code, "HQ");
    assert_null(l->parent_code);
    assert_true(l->parent_id == DB_NULL_INT);
    assert_int_equal(store_advance(&c), 1);
    assert_string_equal(l->code, "RO");
    assert_string_equal(l->parent_code, "HQ");
    assert_int_equal(l->parent_id, hq_id);
    store_close(&c);
}

static void test_reals_and_unknowns(void **state)
{
    Fixture *f = *state;
    IndicatorRow i = {.strategy_id = f->sid, .outcome_id = DB_NULL_INT, .output_id = DB_NULL_INT,
                      .driver_id = f->driver, .code = "K1", .kind = "kpi", .title = "Uptime",
                      .direction = "up", .baseline_value = 99.25, .baseline_year = DB_NULL_INT,
                      .target = (double)NAN, .sort = 0};
    int64_t id;
    assert_int_equal(store_insert(&f->s, T_INDICATOR, &i, &id), 0);
    StoreCursor c;
    assert_int_equal(store_open(&f->s, &c, Q_INDICATORS, f->sid), 0);
    const IndicatorRow *r = c.row;
    assert_true(r->baseline_value == 99.25);
    assert_true(isnan(r->target));
    assert_true(r->baseline_year == DB_NULL_INT);
    assert_string_equal(r->driver_code, "security");
    assert_null(r->output_code);
    store_close(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_strategy_reads_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_projects_carry_referenced_codes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_children_walk_in_lockstep, setup, teardown),
        cmocka_unit_test_setup_teardown(test_constraints_fail_with_a_message, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_strategies_and_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_location_parent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reals_and_unknowns, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
