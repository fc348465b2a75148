# lib.sh — shared helpers of the black-box CLI tests (sourced, not run).
#
# The environment gives ITSTRAT (the binary) and ITSTRAT_SRC (the source
# tree). Each test gets a scratch directory $T, removed on exit. `run` runs a
# command and keeps its exit status, standard output and standard error in
# $RC, $T/out and $T/err for the expect_* checks; a failed check names the
# test, the line and the command, and ends the test with status 1.

set -u
: "${ITSTRAT:?set ITSTRAT to the itstrat binary}"
: "${ITSTRAT_SRC:?set ITSTRAT_SRC to the source tree}"
DEMO="$ITSTRAT_SRC/data/demo/ilo-it-strategy-2018-21.json"
T=$(mktemp -d "${TMPDIR:-/tmp}/itstrat-cli.XXXXXX")
trap 'rm -rf "$T"' EXIT
export ITSTRAT_DB="$T/default.db" # never the caller's itstrat.db
LAST_CMD=
RC=0
NCHECKS=0

fail() {
    local i line=?
    for ((i = 1; i < ${#BASH_SOURCE[@]}; i++)); do # the caller's line in the test
        [ "${BASH_SOURCE[i]}" = "$0" ] && { line=${BASH_LINENO[i - 1]}; break; }
    done
    echo "FAIL ${0##*/}:$line: $*" >&2
    if [ -n "$LAST_CMD" ]; then
        echo "  command: $LAST_CMD (exit $RC)" >&2
        echo "  stdout: $(head -c 2000 "$T/out" 2>/dev/null)" >&2
        echo "  stderr: $(head -c 2000 "$T/err" 2>/dev/null)" >&2
    fi
    exit 1
}

# run CMD ARGS... — runs a command, never fails by itself.
run() {
    LAST_CMD="$*"
    "$@" >"$T/out" 2>"$T/err"
    RC=$?
}

# it ARGS... — runs itstrat.
it() { run "$ITSTRAT" "$@"; }

expect_rc() {
    NCHECKS=$((NCHECKS + 1))
    [ "$RC" -eq "$1" ] || fail "expected exit status $1, got $RC"
}

# expect_out/expect_err TEXT — the output contains TEXT (fixed string).
expect_out() {
    NCHECKS=$((NCHECKS + 1))
    grep -qF -- "$1" "$T/out" || fail "stdout lacks: $1"
}
expect_err() {
    NCHECKS=$((NCHECKS + 1))
    grep -qF -- "$1" "$T/err" || fail "stderr lacks: $1"
}
expect_no_out() {
    NCHECKS=$((NCHECKS + 1))
    [ ! -s "$T/out" ] || fail "stdout should be empty"
}

# same_file A B — byte-identical files.
same_file() {
    NCHECKS=$((NCHECKS + 1))
    cmp -s "$1" "$2" || fail "$1 and $2 differ: $(cmp "$1" "$2" 2>&1 | head -1)"
}

# db_state DB — what DB holds: the list, every strategy's export, and a
# digest of SQLite's dump of every row (row ids included), as one text.
db_state() {
    "$ITSTRAT" list --db "$1" || return 1
    local code
    for code in $(sqlite3 "$1" 'SELECT code FROM strategy ORDER BY code'); do
        echo "== $code"
        "$ITSTRAT" export --db "$1" --strategy "$code" || return 1
    done
    echo "== dump $(sqlite3 "$1" .dump | sha256sum)"
}

# snapshot DB NAME — saves db_state of DB in $T/NAME.state.
snapshot() {
    db_state "$1" >"$T/$2.state" 2>&1 || fail "cannot read the state of $1"
}

# expect_state DB NAME — DB shows exactly what snapshot NAME saved.
expect_state() {
    NCHECKS=$((NCHECKS + 1))
    db_state "$1" >"$T/now.state" 2>&1 || fail "cannot read the state of $1"
    cmp -s "$T/$2.state" "$T/now.state" ||
        fail "$1 changed: $(diff "$T/$2.state" "$T/now.state" | head -5)"
}

# integrity_ok DB — SQLite's own check of the file.
integrity_ok() {
    NCHECKS=$((NCHECKS + 1))
    local r
    r=$(sqlite3 "$1" 'PRAGMA integrity_check; PRAGMA foreign_key_check;' 2>&1)
    [ "$r" = ok ] || fail "integrity check of $1: $r"
}

# run_counted ARGS... — runs itstrat ARGS like `it`, and sets READ to the
# bytes it read with read() (the rchar that /proc/self/io of this helper
# gains when it reaps the process) and RSS_KIB to its peak resident set in
# KiB (which counts every page of a mapped file it touched). For tests that
# mean "refused without reading the file": counts, not durations.
run_counted() {
    LAST_CMD="$*"
    local r
    r=$(python3 -c '
import os, subprocess, sys
def rchar():
    with open("/proc/self/io") as f:
        return int(dict(l.split(": ") for l in f.read().splitlines())["rchar"])
with open(sys.argv[1], "w") as out, open(sys.argv[2], "w") as err:
    before = rchar()
    p = subprocess.Popen(sys.argv[3:], stdout=out, stderr=err)
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    print(rchar() - before, ru.ru_maxrss, p.returncode)
' "$T/out" "$T/err" "$ITSTRAT" "$@") || fail "cannot count what itstrat read"
    read -r READ RSS_KIB RC <<<"$r"
}

# paused_at POINT ARGS... — starts itstrat ARGS in the background with
# ITSTRAT_TEST_PAUSE_AT=POINT (src/util/testhook.h) and waits until the
# process has stopped itself there: the moment is the program's, not a
# guess from the clock. Sets PID; output goes to $T/bg.out and $T/bg.err.
# Fails when the process ends without reaching POINT.
paused_at() {
    local point=$1 state
    shift
    ITSTRAT_TEST_PAUSE_AT=$point "$ITSTRAT" "$@" >"$T/bg.out" 2>"$T/bg.err" &
    PID=$!
    while :; do
        state=$(sed 's/.*) //' "/proc/$PID/stat" 2>/dev/null | cut -d' ' -f1)
        [ "$state" = T ] && return 0
        if [ -z "$state" ] || [ "$state" = Z ]; then
            wait $PID
            fail "itstrat $* ended (exit $?) before it reached $point: $(head -c 500 "$T/bg.err")"
        fi
        sleep 0.01
    done
}

# run_suite WHAT CMD... — runs a test program that prints its own FAIL
# lines and exits non-zero on any (tests/http/*.py, tests/browser/*.mjs);
# the test fails with "WHAT (FAIL lines above)". One check. The program gets
# ITSTRAT_TIME_FACTOR: 4 for a sanitizer build of $ITSTRAT (several times
# slower: the program's waits, which only end hangs, stretch by it), else 1.
run_suite() {
    local what=$1 factor=1
    shift
    grep -qa __asan_init "$ITSTRAT" && factor=4
    LAST_CMD=
    ITSTRAT_TIME_FACTOR=$factor "$@" || fail "$what (FAIL lines above)"
    NCHECKS=$((NCHECKS + 1))
}

# has_bom FILE — FILE starts with a UTF-8 byte order mark.
has_bom() { [ "$(head -c 3 "$1" | od -An -tx1 | tr -d ' ')" = efbbbf ]; }

# sheet_round_trips DB KIND... — for every strategy of DB and every KIND:
# `export --csv KIND` (with a BOM), `--no-bom` (without) and `--xlsx` each
# import back with "nothing to change" (docs/sheets.md). A kind with no rows
# exports a header only, which import refuses (docs/csv.md): skipped.
# NROUND: how many files made the round trip.
sheet_round_trips() {
    local db=$1 kind code f
    shift
    NROUND=0
    for kind in "$@"; do
        for code in $(sqlite3 "$db" "SELECT code FROM strategy ORDER BY code"); do
            it export --db "$db" --strategy "$code" --csv "$kind" -o "$T/$kind.csv"
            expect_rc 0
            has_bom "$T/$kind.csv" || fail "$kind.csv does not start with a UTF-8 byte order mark"
            it export --db "$db" --strategy "$code" --csv "$kind" --no-bom -o "$T/$kind-nobom.csv"
            expect_rc 0
            ! has_bom "$T/$kind-nobom.csv" || fail "--no-bom wrote a byte order mark"
            it export --db "$db" --strategy "$code" --csv "$kind" --xlsx -o "$T/$kind.xlsx"
            expect_rc 0
            [ "$(wc -l <"$T/$kind.csv")" -gt 1 ] || continue
            for f in "$T/$kind.csv" "$T/$kind-nobom.csv" "$T/$kind.xlsx"; do
                it import --db "$db" --strategy "$code" --sheet "$kind" "$f" --dry-run
                expect_rc 0
                expect_out "strategy $code: unchanged"
                expect_out "nothing to change"
                NROUND=$((NROUND + 1))
            done
        done
    done
}

pass() { echo "ok ${0##*/}: $NCHECKS checks"; }
