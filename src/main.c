/* main.c — itstrat: one binary for the CLI, the web server and the reports. */
#include <locale.h>

#include "cli.h"

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "C"); /* numbers and sorting never depend on the machine */
    return cli_main(argc, argv);
}
