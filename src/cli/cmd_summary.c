/*
 * cmd_summary.c — `itstrat summary`: what a strategy holds, counted the way
 * the report counts it.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "store_stats.h"

/* Prints one counted row, indented, the count right-aligned. */
static void summary_row(void *ctx, const StatRow *r)
{
    int *any = ctx;
    printf("    %-60.60s %7lld\n", r->label, (long long)r->n);
    *any = 1;
}

/* Prints one statistic under its heading. */
static int summary_section(Store *s, const char *title, StatQuery q, int64_t sid, int64_t year)
{
    int any = 0;
    printf("  %s\n", title);
    if (store_stats(s, q, sid, year, summary_row, &any)) return -1;
    if (!any) printf("    (none)\n");
    return 0;
}

/* Prints the summary of strategy r. */
static int summary_strategy(Store *s, const StrategyRow *r, int64_t year)
{
    StatTotals t;
    if (store_totals(s, r->id, year, &t)) return -1;
    printf("Strategy %s: %s (%lld-%lld)\n", r->code, r->title, (long long)r->first_year,
           (long long)r->last_year);
    if (year != DB_NULL_INT) printf("  work plan %lld\n", (long long)year);
    printf("  projects %lld, of which new service offerings or major improvements %lld, "
           "completed %lld\n", (long long)t.projects, (long long)t.new_or_major,
           (long long)t.completed);
    printf("  progress updates %lld, indicators %lld, risks %lld, services %lld, "
           "expenditure lines %lld\n", (long long)t.updates, (long long)t.indicators,
           (long long)t.risks, (long long)t.services, (long long)t.expenditure_lines);
    if (summary_section(s, "Projects by outcome/cross-cutting driver", S_BY_HOME, r->id, year) ||
        summary_section(s, "Projects by category", S_BY_CATEGORY, r->id, year) ||
        summary_section(s, "Projects by status", S_BY_STATUS, r->id, year) ||
        summary_section(s, "Projects by work-plan year", S_BY_YEAR, r->id, year))
        return -1;
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
