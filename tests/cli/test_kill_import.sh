#!/bin/bash
# test_kill_import.sh — `kill -9` in the middle of a large import: the file
# stays a sound SQLite database, the strategy that was there is exactly as it
# was, and the strategy being imported is absent (or, when the kill came
# after the commit, complete). The kill times are fractions of a measured
# full import, so the test adapts to slow machines and sanitizer builds.
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

# A full import, timed: the reference for the kill times.
fresh
start=$(now_ms)
it import "$T/big.json" --db "$T/work.db"
full=$(($(now_ms) - start))
expect_rc 0
expect_out "strategy GEN-11: imported ($NPROJECTS projects"
it export --db "$T/work.db" --strategy GEN-11
same_file "$T/out" "$T/big.json"
echo "# a full import of $NPROJECTS projects takes $full ms"
[ "$full" -ge 100 ] || fail "the import is too fast ($full ms) to be caught mid-way"

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

# kill_after MS — imports into a fresh copy and kills it after MS ms (or,
# with MS = wal, as soon as its write-ahead log holds data, i.e. while the
# commit is being written). Sets KILLED=1 when the process was still running.
kill_after() {
    fresh
    "$ITSTRAT" import "$T/big.json" --db "$T/work.db" >"$T/bg.out" 2>"$T/bg.err" &
    local pid=$! waited=0
    if [ "$1" = wal ]; then
        while kill -0 $pid 2>/dev/null && [ ! -s "$T/work.db-wal" ]; do
            sleep 0.002
            waited=$((waited + 2))
            [ $waited -lt $((full * 20 + 60000)) ] || break
        done
    else
        sleep "$(printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)))"
    fi
    kill -9 $pid 2>/dev/null
    { wait $pid; } 2>/dev/null # without bash's "Killed" line
    local status=$?
    KILLED=0
    if [ $status -eq 137 ]; then
        KILLED=1
    elif [ $status -ne 0 ]; then
        fail "the import failed by itself (exit $status): $(cat "$T/bg.err")"
    fi
}

# Kills at fractions of the full time; each must catch a running import.
caught=0
for pct in 10 30 50 70 85; do
    for try in 1 2 3; do
        kill_after $((full * pct / 100))
        check_after_kill
        if [ $KILLED = 1 ]; then
            [ "$RESULT" = absent ] || fail "killed at $pct% but GEN-11 is there"
            caught=$((caught + 1))
            echo "# killed at $pct% of the import: GEN-11 absent"
            break
        fi
        echo "# the import at $pct% had already finished; again"
    done
done
[ $caught -ge 3 ] || fail "caught only $caught imports mid-way"

# Kills while the commit is being written to the log.
in_commit=0
for try in 1 2 3 4 5 6 7 8; do
    kill_after wal
    check_after_kill
    if [ $KILLED = 1 ]; then
        in_commit=$((in_commit + 1))
        echo "# killed while writing the commit: GEN-11 $RESULT"
        [ $in_commit -ge 2 ] && break
    fi
done
[ $in_commit -ge 1 ] || fail "never caught the import while it wrote its commit"

# The database is fully usable after the crashes.
kill_after $((full / 2))
check_after_kill
it import "$T/big.json" --db "$T/work.db"
expect_rc 0
if [ $KILLED = 1 ]; then # the kill landed: the import starts afresh
    expect_out "strategy GEN-11: imported ($NPROJECTS projects"
else                     # it had finished (slow kill under ASan): nothing to do
    expect_out "strategy GEN-11: unchanged"
fi
it export --db "$T/work.db" --strategy 2018-21
same_file "$T/out" "$T/before.json"
integrity_ok "$T/work.db"

pass
