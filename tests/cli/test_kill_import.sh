#!/bin/bash
# test_kill_import.sh — `kill -9` in the middle of a large import: the file
# stays a sound SQLite database, the strategy that was there is exactly as it
# was, and the strategy being imported is absent (or, when the kill came
# after the commit, complete). The moments are the program's own: the import
# stops itself at a named point (ITSTRAT_TEST_PAUSE_AT, src/util/testhook.h)
# and is killed there, so no kill depends on how fast the machine is.
. "$(dirname "$0")/lib.sh"

NPROJECTS=30000
"$ITSTRAT" gen --projects $NPROJECTS --seed 11 -o "$T/big.json" || fail "gen failed"

base="$T/base.db"
it import "$DEMO" --db "$base"
expect_rc 0
[ ! -s "$base-wal" ] || fail "the first import left a write-ahead log behind"
snapshot "$base" base
it export --db "$base" -o "$T/before.json"
expect_rc 0

# fresh — $T/work.db, a copy of the database with only the first strategy.
fresh() {
    rm -f "$T/work.db" "$T/work.db-wal" "$T/work.db-shm"
    cp "$base" "$T/work.db"
}

# A full import: the reference the killed ones are compared with.
fresh
it import "$T/big.json" --db "$T/work.db"
expect_rc 0
expect_out "strategy GEN-11: imported ($NPROJECTS projects"
it export --db "$T/work.db" --strategy GEN-11
same_file "$T/out" "$T/big.json"

# check_after_kill — the database after a killed import: sound, the first
# strategy unchanged, the new one absent or whole. Sets RESULT to "absent" or
# "whole".
check_after_kill() {
    local db="$T/work.db"
    integrity_ok "$db" # with sqlite3 first, before itstrat touches the file
    local n
    n=$(sqlite3 "$db" "SELECT count(*) FROM strategy WHERE code = 'GEN-11'") ||
        fail "sqlite3 cannot read $db"
    it export --db "$db" --strategy 2018-21
    expect_rc 0
    same_file "$T/out" "$T/before.json"
    if [ "$n" = 0 ]; then
        expect_state "$db" base # no row of the partial import is left
        it list --db "$db"
        grep -q GEN-11 "$T/out" && fail "list shows the killed import"
        RESULT=absent
    else
        it export --db "$db" --strategy GEN-11
        same_file "$T/out" "$T/big.json"
        RESULT=whole
    fi
}

# kill_at POINT — imports into a fresh copy, waits until the import has
# stopped itself at POINT, and kills it with SIGKILL there.
kill_at() {
    fresh
    paused_at "$1" import "$T/big.json" --db "$T/work.db"
    WAL_BYTES=$(stat -c %s "$T/work.db-wal" 2>/dev/null || echo 0)
    kill -9 "$PID"
    { wait "$PID"; } 2>/dev/null # without bash's "Killed" line
    local status=$?
    [ $status -eq 137 ] || fail "the import stopped at $1 ended with $status, not by the kill"
}

# Mid-way through the projects: nothing of the import is left.
for n in 1 3000 15000 29999 $NPROJECTS; do
    kill_at "import-project:$n"
    check_after_kill
    [ "$RESULT" = absent ] || fail "killed after project $n but GEN-11 is there"
    echo "# killed after project $n of $NPROJECTS: GEN-11 absent"
done

# Every row written (pages already spilled into the log: $WAL_BYTES bytes),
# the audit entry too, COMMIT not yet issued: absent.
kill_at import-commit
check_after_kill
[ "$RESULT" = absent ] || fail "killed before the commit but GEN-11 is there"
echo "# killed just before COMMIT (log: $WAL_BYTES bytes): GEN-11 absent"

# Right after COMMIT returned: the commit is in the log, the strategy whole.
kill_at import-committed
[ "$WAL_BYTES" -gt 0 ] || fail "after the commit the write-ahead log is empty"
check_after_kill
[ "$RESULT" = whole ] || fail "killed after the commit but GEN-11 is not whole"
echo "# killed just after COMMIT: GEN-11 whole"

# A hook that names no point of the import, or a count never reached, stops
# nothing: the import runs to its end.
fresh
ITSTRAT_TEST_PAUSE_AT=import-project:$((NPROJECTS + 1)) "$ITSTRAT" import "$T/big.json" \
    --db "$T/work.db" >"$T/out" 2>"$T/err" || fail "the import with an unreached hook failed"
check_after_kill
[ "$RESULT" = whole ] || fail "an unreached hook changed the import"

# The database is fully usable after a crash: the import starts afresh.
kill_at "import-project:$((NPROJECTS / 2))"
check_after_kill
it import "$T/big.json" --db "$T/work.db"
expect_rc 0
expect_out "strategy GEN-11: imported ($NPROJECTS projects"
it export --db "$T/work.db" --strategy 2018-21
same_file "$T/out" "$T/before.json"
it export --db "$T/work.db" --strategy GEN-11
same_file "$T/out" "$T/big.json"
integrity_ok "$T/work.db"

pass
