/* cmd_audit.c — NOT BUILT YET: placeholder until its owner writes it. */
#include <stdio.h>

#include "cli.h"

int cmd_audit(const CliCommand *cmd, CliArgs *a)
{
    (void)a;
    fprintf(stderr, "itstrat %s: not built yet\n", cmd->name);
    return EXIT_USAGE;
}
