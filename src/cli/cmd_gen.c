/* cmd_gen.c — `itstrat gen`: a synthetic strategy document. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "gen.h"

int cmd_gen(const CliCommand *cmd, CliArgs *a)
{
    long long n, seed = 1;
    const char *ns = cli_opt(cmd, a, "projects"), *ss = cli_opt(cmd, a, "seed");
    if (!ns) {
        fprintf(stderr, "itstrat gen: say how many projects with --projects N\n");
        return EXIT_USAGE;
    }
    if (cli_int(cmd, "projects", ns, 1, 1000000, &n)) return EXIT_USAGE;
    if (ss && cli_int(cmd, "seed", ss, 0, 1000000000000LL, &seed)) return EXIT_USAGE;
    GenSpec spec = {.projects = (long)n, .seed = (uint64_t)seed, .code = cli_opt(cmd, a, "code")};
    if (spec.code && (strlen(spec.code) > 64 || strspn(spec.code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
            "abcdefghijklmnopqrstuvwxyz0123456789._-") != strlen(spec.code) || !*spec.code)) {
        fprintf(stderr, "itstrat gen: --code must be 1-64 letters, digits, '.', '_' or '-'\n");
        return EXIT_USAGE;
    }
    const char *path = cli_opt(cmd, a, "output");
    FILE *f = stdout;
    if (path && !(f = fopen(path, "wb"))) {
        fprintf(stderr, "itstrat gen: cannot write %s: %s\n", path, strerror(errno));
        return EXIT_STORE;
    }
    Buf b = BUF_INIT;
    JsonW w;
    jw_init(&w, &b, jw_sink_file, f);
    int rc = gen_strategy(&spec, &w) ? EXIT_STORE : EXIT_OK;
    buf_free(&b);
    if ((f != stdout && fclose(f)) || (f == stdout && fflush(stdout))) rc = EXIT_STORE;
    if (rc) fprintf(stderr, "itstrat gen: could not write %s\n", path ? path : "the output");
    return rc;
}
