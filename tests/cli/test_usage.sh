#!/bin/bash
# test_usage.sh — the command line itself: help for every command, unknown
# commands and options, missing and extra arguments, option values, and the
# exit codes documented in src/cli/cli.h.
. "$(dirname "$0")/lib.sh"

# The documented exit codes, read from cli.h so that the test follows them.
code() {
    local v
    v=$(sed -n "s/^ *$1 = \([0-9]*\),*.*/\1/p" "$ITSTRAT_SRC/src/cli/cli.h")
    [ -n "$v" ] || fail "$1 is not in src/cli/cli.h"
    echo "$v"
}
OK=$(code EXIT_OK) INPUT=$(code EXIT_INPUT) USAGE=$(code EXIT_USAGE)
STORE=$(code EXIT_STORE) NOTFOUND=$(code EXIT_NOTFOUND)
[ "$OK$INPUT$USAGE$STORE$NOTFOUND" = 01234 ] || fail "exit codes in cli.h changed: update docs"

# No command at all: the list of commands, on stderr, and a usage error.
it
expect_rc "$USAGE"
expect_err "usage: itstrat COMMAND [OPTIONS]"
expect_no_out

# `help` lists the commands; each has --help, -h and `help CMD`.
it help
expect_rc "$OK"
expect_out "commands:"
commands=$(sed -n '/^commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p' "$T/out")
[ "$(echo "$commands" | wc -w)" -ge 8 ] || fail "too few commands listed: $commands"
for c in delete export gen help import init list summary; do
    echo "$commands" | grep -qx "$c" || fail "help does not list $c"
done
it --help
expect_rc "$OK"
expect_out "commands:"

for c in $commands; do
    it "$c" --help
    expect_rc "$OK"
    expect_out "usage: itstrat $c"
    expect_out "--help"
    expect_out "exit codes: 0 done, 1 input has problems (nothing changed), 2 usage,"
    [ ! -s "$T/err" ] || fail "$c --help wrote to stderr"
    cp "$T/out" "$T/help1"
    it "$c" -h
    expect_rc "$OK"
    same_file "$T/help1" "$T/out"
    it help "$c"
    expect_rc "$OK"
    same_file "$T/help1" "$T/out"
    # Unknown options are refused before anything is done.
    it "$c" --no-such-option
    expect_rc "$USAGE"
    expect_err "itstrat $c: unknown option --no-such-option; 'itstrat $c --help' lists the options"
    expect_no_out
    it "$c" -x
    expect_rc "$USAGE"
    expect_err "unknown option -x"
done
[ ! -e "$ITSTRAT_DB" ] || fail "asking for help created $ITSTRAT_DB"

it no-such-command
expect_rc "$USAGE"
expect_err "itstrat: no command \"no-such-command\"; 'itstrat help' lists the commands"
it help no-such-command
expect_rc "$USAGE"
expect_err "no command \"no-such-command\""
it --version
expect_rc "$OK"
expect_out "itstrat "

# Positional arguments: missing, too many.
it import
expect_rc "$USAGE"
expect_err "itstrat import: missing argument; usage: itstrat import FILE"
it import a.json b.json
expect_rc "$USAGE"
expect_err "itstrat import: too many arguments"
it list extra
expect_rc "$USAGE"
expect_err "itstrat list: too many arguments"
it help export import
expect_rc "$USAGE"

# Option values: missing, given twice, a value for a flag, bad numbers.
it export --db
expect_rc "$USAGE"
expect_err "itstrat export: --db needs a value (PATH)"
it list --db "$T/a.db" --db "$T/b.db"
expect_rc "$USAGE"
expect_err "itstrat list: --db is given twice"
it gen
expect_rc "$USAGE"
expect_err "itstrat gen: say how many projects with --projects N"
for n in 0 -3 abc 12x 1000001 ""; do
    it gen --projects "$n"
    expect_rc "$USAGE"
    expect_err "itstrat gen: --projects must be a whole number from 1 to 1000000, not \"$n\""
    expect_no_out
done
it gen --projects=2 --seed=x
expect_rc "$USAGE"
expect_err "--seed must be a whole number"
it gen --projects 2 --code "bad code"
expect_rc "$USAGE"
expect_err "--code must be 1-64 letters"
it delete
expect_rc "$USAGE"
expect_err "itstrat delete: say which strategy with --strategy CODE"
[ ! -e "$ITSTRAT_DB" ] || fail "a usage error created $ITSTRAT_DB"

# -- ends the options: a file called like an option.
cp "$DEMO" "$T/--help"
it import --db "$T/dash.db" -- "$T/--help"
expect_rc "$OK"
expect_out "strategy 2018-21: imported"

# The other exit codes, one situation each.
db="$T/codes.db"
it init --db "$db"
expect_rc "$OK"
expect_out "ready (schema version"
it export --db "$db"
expect_rc "$NOTFOUND"
expect_err "holds no strategy yet"
it import "$DEMO" --db "$db"
expect_rc "$OK"
it export --db "$db" --strategy NOPE
expect_rc "$NOTFOUND"
expect_err "itstrat export: no strategy \"NOPE\" in $db"
it delete --db "$db" --strategy NOPE
expect_rc "$NOTFOUND"
expect_err "itstrat delete: no strategy \"NOPE\" in $db"
"$ITSTRAT" gen --projects 3 --seed 5 >"$T/gen.json" || fail "gen failed"
it import "$T/gen.json" --db "$db"
expect_rc "$OK"
it export --db "$db"
expect_rc "$USAGE"
expect_err "holds 2 strategies; say which with --strategy CODE"
echo '{"format": "itstrat/1"}' >"$T/bad.json"
it import "$T/bad.json" --db "$db"
expect_rc "$INPUT"
expect_err "strategy: required"
it export --db "$T/absent.db"
expect_rc "$STORE"
expect_err "no such database"
[ ! -e "$T/absent.db" ] || fail "export created a database"
echo "not a database" >"$T/text.db"
it list --db "$T/text.db"
expect_rc "$STORE"
expect_err "not a database itstrat can read"
it export --db "$db" --strategy 2018-21 -o "$T/no/such/dir/out.json"
expect_rc "$STORE"
expect_err "cannot write $T/no/such/dir/out.json"
it delete --db "$db" --strategy GEN-5
expect_rc "$OK"
expect_out "strategy GEN-5 deleted"

pass
