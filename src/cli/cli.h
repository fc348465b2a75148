/*
 * cli.h — the command line: a sorted table of commands, shared option
 * handling and the exit codes (README.md, "What it does").
 */
#ifndef ITSTRAT_CLI_H
#define ITSTRAT_CLI_H
#include <stdint.h>

#include "db.h"

enum {
    EXIT_OK = 0,        /* done */
    EXIT_INPUT = 1,     /* the input has problems; nothing was changed */
    EXIT_USAGE = 2,     /* the command line is wrong */
    EXIT_STORE = 3,     /* a database or file could not be read or written */
    EXIT_NOTFOUND = 4   /* no such strategy, year or record */
};

/* An option a command accepts: --name (with a value when arg is set). */
typedef struct CliOpt {
    const char *name;  /* long name without dashes */
    const char *arg;   /* name of its value ("PATH"), NULL for a flag */
    const char *help;
} CliOpt;

/* Parsed options: values[i] is the value of opts[i] (or "1" for a flag),
 * NULL when not given; the rest are positional arguments. */
typedef struct CliArgs {
    const char *values[16];
    char **pos;
    int npos;
} CliArgs;

typedef struct CliCommand {
    const char *name;
    int (*run)(const struct CliCommand *cmd, CliArgs *a);
    const char *usage;      /* arguments after the command name */
    const char *summary;    /* one line for `itstrat help` */
    const char *help;       /* the rest of `itstrat CMD --help` */
    const CliOpt *opts;     /* NULL-terminated; --help is implicit */
    int npos_min, npos_max; /* positional arguments accepted */
    int hidden;             /* test-* commands: not listed */
} CliCommand;

int cli_main(int argc, char **argv);

/* Value of option name for cmd, or NULL. */
const char *cli_opt(const CliCommand *cmd, const CliArgs *a, const char *name);
/* The database path: --db, else $ITSTRAT_DB, else "itstrat.db". */
const char *cli_db_path(const CliCommand *cmd, const CliArgs *a);
/* Opens the database for cmd, printing the reason on failure. */
int cli_open_db(const CliCommand *cmd, const CliArgs *a, int flags, Db **db);
/* Finds the strategy: --strategy CODE, or the only one in the database.
 * Prints what to do and returns EXIT_NOTFOUND/EXIT_USAGE when it cannot. */
int cli_strategy(const CliCommand *cmd, const CliArgs *a, Db *db, int64_t *sid);
/* Reads the first line of standard input into buf (size bytes), the line end
 * (LF or CRLF) dropped; at a terminal it prompts "PROMPT (not shown): " on
 * stderr and turns echo off while reading. Returns 0, 1 when standard input
 * is empty, or 2 when the line does not fit (size - 2 bytes at most); the
 * caller says what that means for its command. */
int cli_read_secret(const char *prompt, char *buf, size_t size);
/* Parses a whole number option in [lo, hi]; prints and returns -1 if bad. */
int cli_int(const CliCommand *cmd, const char *opt, const char *s, long long lo, long long hi,
            long long *out);

/* The commands (cmd_*.c). */
int cmd_init(const CliCommand *cmd, CliArgs *a);
int cmd_import(const CliCommand *cmd, CliArgs *a);
int cmd_export(const CliCommand *cmd, CliArgs *a);
int cmd_summary(const CliCommand *cmd, CliArgs *a);
int cmd_list(const CliCommand *cmd, CliArgs *a);
int cmd_gen(const CliCommand *cmd, CliArgs *a);
int cmd_delete(const CliCommand *cmd, CliArgs *a);
int cmd_report(const CliCommand *cmd, CliArgs *a);
int cmd_key(const CliCommand *cmd, CliArgs *a);    /* cmd_sign.c */
int cmd_sign(const CliCommand *cmd, CliArgs *a);   /* cmd_sign.c */
int cmd_verify(const CliCommand *cmd, CliArgs *a); /* cmd_sign.c */
int cmd_serve(const CliCommand *cmd, CliArgs *a);
int cmd_user(const CliCommand *cmd, CliArgs *a);  /* cmd_user.c */
int cmd_audit(const CliCommand *cmd, CliArgs *a); /* cmd_audit.c */
int cmd_token(const CliCommand *cmd, CliArgs *a); /* cmd_token.c */
int cmd_idp(const CliCommand *cmd, CliArgs *a);   /* cmd_idp.c */

#endif
