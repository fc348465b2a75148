/*
 * cli.c — the command table and what every command shares: option parsing
 * (unknown options are rejected), --help, the database path and exit codes.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "store.h"

static const CliOpt opts_db[] = {{"db", "PATH", "database file (default: itstrat.db)"}, {NULL, NULL, NULL}};
static const CliOpt opts_import[] = {
    {"db", "PATH", "database file (default: itstrat.db)"},
    {"csv", "KIND", "FILE is CSV rows of KIND (projects, measurements, expenditure, updates, "
                   "indicators, milestones, risks, actions, services, service_figures, "
                   "committees, meetings, decisions)"},
    {"sheet", "KIND", "FILE is a sheet (.xlsx or CSV) of KIND (as --csv; docs/sheets.md)"},
    {"strategy", "CODE", "with --csv or --sheet: the strategy the rows belong to"},
    {"dry-run", NULL, "with --sheet or --csv: show what would change (the preview), change nothing"},
    {"day-order", "dmy|mdy", "with --sheet or --csv: how to read dates like 3/4/2021"},
    {NULL, NULL, NULL}};
static const CliOpt opts_export[] = {
    {"db", "PATH", "database file (default: itstrat.db)"},
    {"strategy", "CODE", "the strategy to export (needed when there are several)"},
    {"output", "FILE", "write to FILE instead of standard output (also -o)"},
    {"csv", "KIND", "write the rows of KIND (as import --csv) as CSV instead"},
    {"sheet", "KIND", "the same as --csv KIND"},
    {"xlsx", NULL, "with --csv or --sheet: write an .xlsx workbook (needs -o FILE)"},
    {"no-bom", NULL, "with --csv: no UTF-8 byte order mark at the start"},
    {NULL, NULL, NULL}};
static const CliOpt opts_summary[] = {
    {"db", "PATH", "database file (default: itstrat.db)"},
    {"strategy", "CODE", "only this strategy (default: every strategy)"},
    {"year", "YEAR", "count only the work plan of YEAR"},
    {NULL, NULL, NULL}};
static const CliOpt opts_gen[] = {
    {"projects", "N", "number of projects (1 to 1000000)"},
    {"seed", "S", "seed of the generator: same seed, same bytes (default 1)"},
    {"code", "CODE", "strategy code (default GEN-<seed>)"},
    {"output", "FILE", "write to FILE instead of standard output (also -o)"},
    {NULL, NULL, NULL}};
static const CliOpt opts_delete[] = {
    {"db", "PATH", "database file (default: itstrat.db)"},
    {"strategy", "CODE", "the strategy to delete"},
    {NULL, NULL, NULL}};

static const CliOpt opts_report[] = {
    {"db", "PATH", "database file (default: itstrat.db)"},
    {"strategy", "CODE", "the strategy (needed when there are several)"},
    {"year", "YEAR", "the year reported on"},
    {"final", NULL, "the final report of the period (YEAR is the strategy's last year)"},
    {"format", "FORMAT", "html (default), md or pdf"},
    {"output", "FILE", "write to FILE instead of standard output (also -o)"},
    {NULL, NULL, NULL}};

static const CliOpt opts_key[] = {
    {"output", "NAME", "write NAME.key (secret) and NAME.pub (also -o)"},
    {"signer", "WHO", "the name signatures with this key give (default: your login)"},
    {NULL, NULL, NULL}};
static const CliOpt opts_sign[] = {
    {"key", "FILE", "the secret key (made by 'itstrat key new')"},
    {NULL, NULL, NULL}};
static const CliOpt opts_verify[] = {
    {"pub", "FILE", "the signer's public key"},
    {"sig", "FILE", "the signature (default: FILE.minisig)"},
    {"db", "PATH", "also regenerate the report from this database and compare"},
    {NULL, NULL, NULL}};

static const CliOpt opts_serve[] = {
    {"db", "PATH", "database file (default: itstrat.db)"},
    {"listen", "HOST:PORT", "address to listen on (default 127.0.0.1:8080)"},
    {"threads", "N", "worker threads (default: one per core)"},
    {"heavy", "N", "downloads and reports generated at once, on threads of their own (1 to "
                   "16, default 2; half of them for one address)"},
    {"public-only", NULL, "show only the strategies marked public"},
    {"open-read", NULL, "anyone may read every strategy without signing in (trusted network)"},
    {"tls-proxy", NULL, "a TLS reverse proxy fronts this server: Secure cookies, HSTS, "
                        "client address from X-Forwarded-For"},
    {"head-timeout", "SECONDS", "a request head must arrive within this (default 10)"},
    {"body-timeout", "SECONDS", "a request body must arrive within this (default 60)"},
    {"client-limit", "N", "connections per address, or with --tls-proxy requests in progress "
                          "per forwarded address (default 128)"},
    {"quiet", NULL, "no start-up message"},
    {NULL, NULL, NULL}};

/* Options of `itstrat user` (cmd_user.c) and `itstrat audit` (cmd_audit.c). */
static const CliOpt opts_user[] = {
    {"db", "PATH", "database file (default: itstrat.db)"},
    {"role", "ROLE", "admin, manager, contributor or viewer"},
    {"name", "NAME", "the person's full name"},
    {"password-stdin", NULL, "read the new password from standard input"},
    {NULL, NULL, NULL}};
static const CliOpt opts_audit[] = {
    {"db", "PATH", "database file (default: itstrat.db)"},
    {"entity", "KIND", "only entries about this kind of record"},
    {"actor", "LOGIN", "only entries by this person"},
    {"csv", NULL, "write the entries as CSV"},
    {"output", "FILE", "write to FILE instead of standard output (also -o)"},
    {NULL, NULL, NULL}};

static const CliOpt opts_token[] = {
    {"db", "PATH", "database file (default: itstrat.db)"},
    {"name", "NAME", "with add: what the token is for (e.g. \"nightly export\")"},
    {"scope", "SCOPE", "with add: read (default) or write"},
    {"days", "N", "with add: the token expires after N days (default: never)"},
    {NULL, NULL, NULL}};

static const CliOpt opts_idp[] = {
    {"db", "PATH", "database file (default: itstrat.db)"},
    {"issuer", "URL", "with add: the provider's https address, exactly as its tokens' iss"},
    {"client-id", "ID", "with add: itstrat's client id at the provider"},
    {"client-secret-file", "PATH", "with add: a file whose first line is the client secret"},
    {"label", "TEXT", "with add: the sign-in button's text (default: the name)"},
    {"scopes", "LIST", "with add: scopes asked for (default \"openid email profile\")"},
    {"role-claim", "CLAIM", "with add: the claim whose values map to roles (default groups)"},
    {"jit", NULL, "with add: create an account at a person's first sign-in"},
    {"mfa-values", "LIST", "with add: amr/acr values that count as two-factor sign-in"},
    {NULL, NULL, NULL}};

static int cmd_help(const CliCommand *cmd, CliArgs *a);
int cmd_test_routes(const CliCommand *cmd, CliArgs *a); /* cmd_test_routes.c, hidden */

/* Sorted by name: `itstrat help` lists them in this order. */
static const CliCommand cli_commands[] = {
    {"audit", cmd_audit, "verify|list [--entity KIND] [--actor LOGIN] [--csv] [-o FILE]",
     "check or list the tamper-evident audit trail",
     "Every change (import, web, API) is recorded with who, when, from where and the\n"
     "before/after values, each entry chained to the previous one by a hash.\n"
     "'itstrat audit verify' walks the chain and names the first entry that was edited,\n"
     "inserted or removed (exit 1), else prints the head hash to keep in the governing\n"
     "body's records; 'itstrat audit list' shows entries (--csv for spreadsheets).\n"
     "Changes made with the CLI are recorded as by $ITSTRAT_ACTOR, else the OS login;\n"
     "$ITSTRAT_NOW=YYYY-MM-DDTHH:MM:SSZ fixes their time (tests). See docs/security.md.",
     opts_audit, 1, 1, 0},
    {"delete", cmd_delete, "--strategy CODE", "delete a strategy and everything in it",
     "Deletes the strategy in one transaction.", opts_delete, 0, 0, 0},
    {"export", cmd_export, "[--strategy CODE] [--csv KIND [--xlsx|--no-bom]] [-o FILE]",
     "write a strategy as a JSON document (or CSV)",
     "Writes the strategy in format itstrat/1 (docs/format.md). The output is canonical:\n"
     "export -> import -> export gives the same bytes. With --csv projects|measurements|\n"
     "expenditure, writes that table as RFC 4180 CSV (UTF-8, header row, CRLF) for\n"
     "spreadsheets; importing that file again changes nothing (docs/csv.md). The CSV\n"
     "starts with a UTF-8 byte order mark (Excel needs it; --no-bom leaves it out);\n"
     "--xlsx writes the table as an .xlsx workbook with date and number cells instead.",
     opts_export, 0, 0, 0},
    {"gen", cmd_gen, "--projects N [--seed S] [-o FILE]",
     "generate a realistic synthetic strategy document",
     "Writes a strategy with N projects and every kind of record (outcomes, outputs, drivers,\n"
     "indicators, risks, services, spending, governance, reports) for benchmarks and load\n"
     "tests. The same seed gives the same bytes.",
     opts_gen, 0, 0, 0},
    {"help", cmd_help, "[COMMAND]", "list the commands, or explain one", "", opts_db, 0, 1, 0},
    {"idp", cmd_idp, "add NAME --issuer URL --client-id ID [...] | list | remove NAME | map "
     "NAME VALUE ROLE | set KEY VALUE | email LOGIN ADDRESS",
     "sign-in through the organization's identity provider (OpenID Connect)",
     "add NAME configures a provider: people then sign in with its button on /login\n"
     "(its redirect URI is PUBLIC_URL/login/oidc/callback). The client secret is read from\n"
     "--client-secret-file and stored sealed with the key file DB.key (or\n"
     "$ITSTRAT_IDP_KEY_FILE). map NAME VALUE ROLE: a person whose role claim (groups)\n"
     "holds VALUE gets ROLE (the highest wins, at every sign-in; ROLE - removes the row).\n"
     "set KEY VALUE changes a sign-in setting (oidc_ca_file, oidc_timeout_ms,\n"
     "oidc_jwks_seconds, oidc_refetch_seconds, public_url, local_passwords on|off,\n"
     "break_glass_login); email LOGIN ADDRESS sets an account's e-mail address, which a\n"
     "provider's verified e-mail links to. See docs/security.md.",
     opts_idp, 1, 4, 0},
    {"import", cmd_import, "FILE [--sheet KIND --strategy CODE [--dry-run]]",
     "check a strategy document and load it",
     "Checks the whole document first and lists every problem with its JSON path and line;\n"
     "then nothing is changed. A valid document replaces the strategy with the same code in\n"
     "one transaction; importing the same document again changes nothing.\n"
     "With --csv projects|measurements|expenditure, FILE is CSV (docs/csv.md) whose rows\n"
     "update the strategy given by --strategy: projects are matched by code, measurements\n"
     "by indicator and date (updated, or added); expenditure lines replace those of the\n"
     "years in the file. Every row is checked first and every problem listed as\n"
     "FILE:LINE: column NAME: what; then nothing is changed.\n"
     "--sheet KIND does the same for an .xlsx workbook (the sheet named KIND, else the\n"
     "first) or a CSV; --dry-run prints the preview (each row to add or change, before ->\n"
     "after per field) and writes nothing (docs/csv.md).",
     opts_import, 1, 1, 0},
    {"init", cmd_init, "[--db PATH]", "create an empty database",
     "Creates the database file with the current schema (or upgrades an older one).",
     opts_db, 0, 0, 0},
    {"key", cmd_key, "new -o NAME [--signer WHO]", "make a key pair for signing reports",
     "Makes an Ed25519 key pair in minisign's formats: NAME.key, the secret key encrypted\n"
     "with a passphrase (the first line of standard input; asked twice at a terminal), and\n"
     "NAME.pub, the public key. Neither goes into the database.",
     opts_key, 1, 1, 0},
    {"list", cmd_list, "[--db PATH]", "list the strategies in the database", "", opts_db, 0, 0, 0},
    {"report", cmd_report, "--year YEAR [--final] [--format html|md|pdf] [-o FILE]",
     "write the governing-body report of a year",
     "Generates the progress report for YEAR (or with --final the final report of the\n"
     "period) from the data: title block from the year's report metadata, introduction\n"
     "with the figures, a section per outcome and output with the progress updates marked\n"
     "for the year, the cross-cutting drivers, indicators, risks, service levels and\n"
     "spending. HTML is one self-contained file that prints on A4; Markdown (GFM) writes\n"
     "its figures as FILE-figure-N.svg beside FILE; PDF is A4 with fonts embedded.\n"
     "Same data, same bytes (docs/report.md).",
     opts_report, 0, 0, 0},
    {"serve", cmd_serve, "[--listen HOST:PORT] [--public-only] [--open-read] [--tls-proxy]", "serve the dashboards, portfolio, reports and API",
     "Runs the web application on the database: dashboards, strategy, portfolio with\n"
     "filters and downloads, projects, indicators, risks, services, expenditure,\n"
     "governance, reports, and the JSON API under /api/v1/ (docs/api.md). Listens on\n"
     "loopback only. SIGTERM or Ctrl-C lets requests in flight finish, then exits.",
     opts_serve, 0, 0, 0},
    {"sign", cmd_sign, "FILE --key NAME.key", "sign a report (FILE.minisig)",
     "Writes FILE.minisig, a detached signature in minisign's format that 'minisign -V'\n"
     "checks too. The trusted comment names the signer and the time. The passphrase is the\n"
     "first line of standard input.",
     opts_sign, 1, 1, 0},
    {"summary", cmd_summary, "[--strategy CODE] [--year YEAR]",
     "count projects by outcome/driver, category, status and year",
     "Prints, for each strategy, its totals and the projects by outcome and cross-cutting\n"
     "driver, by category, by status and by work-plan year.",
     opts_summary, 0, 0, 0},
    {"test-routes", cmd_test_routes, "", "print the web server's route table (for tests)",
     "One line per route: PATTERN, METHODS, the permission of GET/HEAD and that of\n"
     "POST/PATCH/DELETE (\"-\" when the route takes none), separated by tabs.\n"
     "tests/http/permissions.py checks it against docs/security.md.",
     NULL, 0, 0, 1},
    {"token", cmd_token, "add LOGIN --name NAME [--scope read|write] [--days N] | list [LOGIN] "
     "| revoke ID", "manage the API tokens of programs",
     "add LOGIN --name NAME creates an API token for the account LOGIN and prints it once;\n"
     "a program sends it as \"Authorization: Bearer TOKEN\" and acts with that account's\n"
     "role. --scope read (default) lets it only read; write lets it change records too.\n"
     "--days N makes it expire after N days (1 to 3650; default: never). Only a digest\n"
     "of the token is stored. list shows every token (or those of LOGIN) with its state\n"
     "(active, expired, revoked), never the token; revoke ID ends one at once. Every\n"
     "change is recorded in the audit trail (docs/security.md).",
     opts_token, 1, 2, 0},
    {"user", cmd_user, "add|passwd|role|disable|enable|list [LOGIN] [--role ROLE]",
     "manage the people who sign in",
     "add LOGIN --role ROLE [--name NAME] creates an account and prints a random password\n"
     "once; passwd LOGIN does the same for an existing account. With --password-stdin the\n"
     "password is the first line of standard input instead, and must have 12 characters or\n"
     "more and be no common password or pattern (docs/security.md). role LOGIN --role ROLE\n"
     "changes the role; disable LOGIN stops an account (its sessions end), enable LOGIN\n"
     "lets it sign in again and clears a lock-out; the last active admin can be neither\n"
     "disabled nor demoted. list shows login, name, role, MFA, disabled and locked.\n"
     "Logins are 1 to 64 letters, digits and . _ - @ (case does not matter). The first\n"
     "admin, \"admin\", is created by 'itstrat init'.",
     opts_user, 1, 2, 0},
    {"verify", cmd_verify, "FILE --pub NAME.pub [--db PATH]", "check a signed report",
     "Checks FILE.minisig against FILE and the public key: whether the signature holds,\n"
     "who signed and when (its trusted comment). With --db, also regenerates the report\n"
     "its manifest names (strategy, year, format) from that database and says whether\n"
     "that gives exactly these bytes, and if not which records the audit trail shows\n"
     "changed since the signature. Exit 0 only when everything holds.",
     opts_verify, 1, 1, 0},
};
static const size_t cli_ncommands = sizeof cli_commands / sizeof *cli_commands;

/* Prints `itstrat CMD --help`. */
static void cli_usage(const CliCommand *c, FILE *f)
{
    fprintf(f, "usage: itstrat %s %s\n\n%s.\n", c->name, c->usage, c->summary);
    if (c->help && *c->help) fprintf(f, "\n%s\n", c->help);
    fprintf(f, "\noptions:\n");
    for (const CliOpt *o = c->opts; o && o->name; o++) {
        char left[48];
        snprintf(left, sizeof left, "--%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
        fprintf(f, "  %-22s %s\n", left, o->help);
    }
    fprintf(f, "  %-22s %s\n", "--help", "show this help");
    fprintf(f, "\nexit codes: 0 done, 1 input has problems (nothing changed), 2 usage,\n"
               "3 database or file error, 4 not found\n");
}

static void cli_list(FILE *f)
{
    fprintf(f, "usage: itstrat COMMAND [OPTIONS]\n\n"
               "itstrat keeps an organization's IT strategy in one database and reports on it.\n\n"
               "commands:\n");
    for (size_t i = 0; i < cli_ncommands; i++)
        if (!cli_commands[i].hidden)
            fprintf(f, "  %-10s %s\n", cli_commands[i].name, cli_commands[i].summary);
    fprintf(f, "\n'itstrat COMMAND --help' explains a command. itstrat %s\n", ITSTRAT_VERSION);
}

static int cmd_help(const CliCommand *cmd, CliArgs *a)
{
    (void)cmd;
    if (a->npos == 0) {
        cli_list(stdout);
        return EXIT_OK;
    }
    for (size_t i = 0; i < cli_ncommands; i++)
        if (strcmp(cli_commands[i].name, a->pos[0]) == 0) {
            cli_usage(&cli_commands[i], stdout);
            return EXIT_OK;
        }
    fprintf(stderr, "itstrat help: no command \"%s\"; 'itstrat help' lists them\n", a->pos[0]);
    return EXIT_USAGE;
}

const char *cli_opt(const CliCommand *cmd, const CliArgs *a, const char *name)
{
    for (int i = 0; cmd->opts && cmd->opts[i].name; i++)
        if (strcmp(cmd->opts[i].name, name) == 0) return a->values[i];
    return NULL;
}

const char *cli_db_path(const CliCommand *cmd, const CliArgs *a)
{
    const char *p = cli_opt(cmd, a, "db");
    if (!p) p = getenv("ITSTRAT_DB");
    return p && *p ? p : "itstrat.db";
}

int cli_open_db(const CliCommand *cmd, const CliArgs *a, int flags, Db **db)
{
    Buf err = BUF_INIT;
    if (db_open(cli_db_path(cmd, a), flags, db, &err)) {
        fprintf(stderr, "itstrat %s: %s\n", cmd->name, buf_str(&err));
        buf_free(&err);
        return -1;
    }
    return 0;
}

int cli_strategy(const CliCommand *cmd, const CliArgs *a, Db *db, int64_t *sid)
{
    Store s;
    store_init(&s, db);
    const char *code = cli_opt(cmd, a, "strategy");
    int rc = EXIT_OK;
    if (code) {
        *sid = store_strategy_id(&s, code);
        if (*sid == 0) {
            fprintf(stderr, "itstrat %s: no strategy \"%s\" in %s; 'itstrat list' shows the "
                            "strategies\n", cmd->name, code, db_path(db));
            rc = EXIT_NOTFOUND;
        }
    } else {
        StoreCursor c;
        int n = 0;
        if (store_open(&s, &c, Q_STRATEGIES, 0) == 0)
            for (; c.has_row; store_advance(&c)) *sid = ((const StrategyRow *)c.row)->id, n++;
        store_close(&c);
        if (n == 0) {
            fprintf(stderr, "itstrat %s: %s holds no strategy yet; load one with "
                            "'itstrat import FILE'\n", cmd->name, db_path(db));
            rc = EXIT_NOTFOUND;
        } else if (n > 1) {
            fprintf(stderr, "itstrat %s: %s holds %d strategies; say which with --strategy "
                            "CODE ('itstrat list' shows them)\n", cmd->name, db_path(db), n);
            rc = EXIT_USAGE;
        }
    }
    if (*sid < 0) {
        fprintf(stderr, "itstrat %s: %s\n", cmd->name, db_errmsg(db));
        rc = EXIT_STORE;
    }
    store_done(&s);
    return rc;
}

int cli_read_secret(const char *prompt, char *buf, size_t size)
{
    struct termios old, quiet;
    int tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty) { /* typed at a terminal: ask, and do not echo it */
        fprintf(stderr, "%s (not shown): ", prompt);
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    char *got = fgets(buf, (int)size, stdin);
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        fputc('\n', stderr);
    }
    if (!got) return 1;
    size_t n = strlen(buf);
    if (n == size - 1 && buf[n - 1] != '\n') return 2;
    if (n && buf[n - 1] == '\n') buf[--n] = 0;
    if (n && buf[n - 1] == '\r') buf[--n] = 0;
    return 0;
}

int cli_int(const CliCommand *cmd, const char *opt, const char *s, long long lo, long long hi,
            long long *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || v < lo || v > hi) {
        fprintf(stderr, "itstrat %s: --%s must be a whole number from %lld to %lld, not \"%s\"\n",
                cmd->name, opt, lo, hi, s);
        return -1;
    }
    *out = v;
    return 0;
}

/* Parses argv (after the command name) against cmd's options. */
static int cli_parse(const CliCommand *cmd, int argc, char **argv, CliArgs *a)
{
    memset(a, 0, sizeof *a);
    a->pos = argv;
    int only_pos = 0;
    for (int i = 0; i < argc; i++) {
        char *arg = argv[i];
        if (only_pos || arg[0] != '-' || arg[1] == 0) {
            a->pos[a->npos++] = arg;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            only_pos = 1;
            continue;
        }
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            cli_usage(cmd, stdout);
            return 1;
        }
        const char *name = arg[1] == '-' ? arg + 2 : arg + 1;
        if (strcmp(arg, "-o") == 0) name = "output";
        size_t nlen = strcspn(name, "=");
        int k = -1;
        for (int j = 0; cmd->opts && cmd->opts[j].name; j++)
            if (strlen(cmd->opts[j].name) == nlen && strncmp(cmd->opts[j].name, name, nlen) == 0)
                k = j;
        if (k < 0 || (arg[1] != '-' && strcmp(arg, "-o") != 0)) {
            fprintf(stderr, "itstrat %s: unknown option %s; 'itstrat %s --help' lists the "
                            "options\n", cmd->name, arg, cmd->name);
            return -1;
        }
        const char *val = "1";
        if (cmd->opts[k].arg) {
            if (name[nlen] == '=') val = name + nlen + 1;
            else if (i + 1 < argc) val = argv[++i];
            else {
                fprintf(stderr, "itstrat %s: --%s needs a value (%s)\n", cmd->name,
                        cmd->opts[k].name, cmd->opts[k].arg);
                return -1;
            }
        } else if (name[nlen] == '=') {
            fprintf(stderr, "itstrat %s: --%s takes no value\n", cmd->name, cmd->opts[k].name);
            return -1;
        }
        if (a->values[k]) {
            fprintf(stderr, "itstrat %s: --%s is given twice\n", cmd->name, cmd->opts[k].name);
            return -1;
        }
        a->values[k] = val;
    }
    if (a->npos < cmd->npos_min || a->npos > cmd->npos_max) {
        fprintf(stderr, "itstrat %s: %s; usage: itstrat %s %s\n", cmd->name,
                a->npos < cmd->npos_min ? "missing argument" : "too many arguments", cmd->name,
                cmd->usage);
        return -1;
    }
    return 0;
}

int cli_main(int argc, char **argv)
{
    if (argc < 2) {
        cli_list(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) name = "help";
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        printf("itstrat %s\n", ITSTRAT_VERSION);
        return EXIT_OK;
    }
    for (size_t i = 0; i < cli_ncommands; i++) {
        const CliCommand *c = &cli_commands[i];
        if (strcmp(c->name, name) != 0) continue;
        CliArgs a;
        int rc = cli_parse(c, argc - 2, argv + 2, &a);
        if (rc) return rc > 0 ? EXIT_OK : EXIT_USAGE;
        return c->run(c, &a);
    }
    fprintf(stderr, "itstrat: no command \"%s\"; 'itstrat help' lists the commands\n", name);
    return EXIT_USAGE;
}
