/*
 * cmd_summary.c — `itstrat summary`: what a strategy holds, counted the way
 * the report counts it.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "store_stats.h"

/* Prints one statistic under its heading: every line, or (skip_zero) only
 * the lines that count something. */
static void summary_section(const char *title, const StatList *l, int skip_zero)
{
    int any = 0;
    printf("  %s\n", title);
    for (size_t k = 0; k < l->n; k++) {
        if (skip_zero && l->a[k].n == 0) continue;
        printf("    %-60.60s %7lld\n", l->a[k].label, (long long)l->a[k].n);
        any = 1;
    }
    if (!any) printf("    (none)\n");
}

/* Prints the summary of strategy r. */
static int summary_strategy(Store *s, const StrategyRow *r, int64_t year)
{
    PortfolioStats ps;
    if (store_stats(s, r->id, year, &ps)) return -1;
    const StatTotals *t = &ps.totals;
    printf("Strategy %s: %s (%lld-%lld)\n", r->code, r->title, (long long)r->first_year,
           (long long)r->last_year);
    if (year != DB_NULL_INT) printf("  work plan %lld\n", (long long)year);
    printf("  projects %lld, of which new service offerings or major improvements %lld, "
           "completed %lld\n", (long long)t->projects, (long long)t->new_or_major,
           (long long)t->completed);
    printf("  progress updates %lld, indicators %lld, risks %lld, services %lld, "
           "expenditure lines %lld\n", (long long)t->updates, (long long)t->indicators,
           (long long)t->risks, (long long)t->services, (long long)t->expenditure_lines);
    summary_section("Projects by outcome/cross-cutting driver", &ps.home, 0);
    summary_section("Projects by category", &ps.category, 0);
    summary_section("Projects by status", &ps.status, 1);
    summary_section("Projects by work-plan year", &ps.years, 0);
    store_stats_free(&ps);
    return 0;
}

int cmd_summary(const CliCommand *cmd, CliArgs *a)
{
    Db *db;
    long long year = DB_NULL_INT;
    const char *ys = cli_opt(cmd, a, "year");
    if (ys && cli_int(cmd, "year", ys, 1900, 2200, &year)) return EXIT_USAGE;
    if (cli_open_db(cmd, a, DB_OPEN_EXISTING, &db)) return EXIT_STORE;
    Store s;
    store_init(&s, db);
    const char *code = cli_opt(cmd, a, "strategy");
    StoreCursor c;
    int rc = EXIT_OK, n = 0;
    if (store_open(&s, &c, Q_STRATEGIES, 0) == 0) {
        for (; c.has_row && rc == EXIT_OK; store_advance(&c)) {
            const StrategyRow *r = c.row;
            if (code && strcmp(code, r->code) != 0) continue;
            if (n++) printf("\n");
            if (summary_strategy(&s, r, year)) rc = EXIT_STORE;
        }
    }
    if (c.failed || rc == EXIT_STORE) {
        fprintf(stderr, "itstrat summary: %s\n", db_errmsg(db));
        rc = EXIT_STORE;
    } else if (n == 0 && code) {
        fprintf(stderr, "itstrat summary: no strategy \"%s\" in %s; 'itstrat list' shows the "
                        "strategies\n", code, db_path(db));
        rc = EXIT_NOTFOUND;
    } else if (n == 0) {
        printf("%s holds no strategy yet; load one with 'itstrat import FILE'\n", db_path(db));
    }
    store_close(&c);
    store_done(&s);
    db_close(db);
    return rc;
}
