/*
 * cmd_test_routes.c — `itstrat test-routes` (hidden): the route table of the
 * web server (src/web/routes.c) as text, for tests/http/permissions.py,
 * which compares it with the table of docs/security.md and then asks every
 * route as every kind of account.
 *
 * One line per route, in the table's order:
 *
 *   PATTERN TAB METHODS TAB PERM TAB WPERM
 *
 * METHODS is the comma-separated list of the methods the route takes
 * (GET,HEAD,POST...), PERM the permission of GET/HEAD and WPERM that of
 * POST/PATCH/DELETE, both as routes_perm_name() spells them. WPERM is "-"
 * when the route takes no writing method (the table's wperm is then unused).
 */
#include <stdio.h>

#include "cli.h"
#include "routes.h"

int cmd_test_routes(const CliCommand *cmd, CliArgs *a)
{
    (void)cmd;
    (void)a;
    static const struct { unsigned bit; const char *name; } methods[] = {
        {M_GET, "GET"}, {M_HEAD, "HEAD"}, {M_POST, "POST"}, {M_PUT, "PUT"},
        {M_PATCH, "PATCH"}, {M_DELETE, "DELETE"}};
    const unsigned writes = M_POST | M_PUT | M_PATCH | M_DELETE;
    for (int k = 0; k < nroutes; k++) {
        const Route *r = &routes[k];
        printf("%s\t", r->pattern);
        int n = 0;
        for (size_t m = 0; m < sizeof methods / sizeof *methods; m++)
            if (r->methods & methods[m].bit) printf("%s%s", n++ ? "," : "", methods[m].name);
        printf("\t%s\t%s\n", r->methods & (M_GET | M_HEAD) ? routes_perm_name(r->perm) : "-",
               r->methods & writes ? routes_perm_name(r->wperm) : "-");
    }
    if (fflush(stdout) || ferror(stdout)) {
        fprintf(stderr, "itstrat test-routes: cannot write the table to standard output\n");
        return EXIT_STORE;
    }
    return EXIT_OK;
}
