#!/usr/bin/env bash
# bench/editors.sh — "100 concurrent editors saving updates for 60 s lose no
# write and see no error other than genuine conflicts", and what a signed-in
# session costs the pages.
#
# Generates (once) a strategy of $PROJECTS projects (`itstrat gen --seed 1`),
# imports it into a new bench/out/editors-$PROJECTS.db (every run: the run
# edits it), creates the manager accounts ed000 .. ed(N-1), starts `itstrat
# serve` (without --open-read) and runs bench/editors.py: every account signs
# in once through /login, then N editors (threads over PROCS processes, one
# keep-alive connection each) load the edit form of a progress update (mostly
# their own, sometimes one of SHARED shared ones, so that genuine conflicts
# happen) and post a new text with the version read, for DURATION seconds;
# then the database is checked: versions = 1 + saves, one audit entry per
# save, the last save's text kept (bench/editors.py says exactly what).
# `itstrat audit verify` checks the audit chain afterwards.
#
# Then wrk (as bench/web.sh: -t2 -c16 --latency) on the home dashboard and
# the portfolio, with ed000's session cookie on that server, and anonymously
# on a second server of the same database with --open-read.
#
# Accounts: Argon2id makes `itstrat user add` cost 0.25 s each, so only ed000
# is made with it; the other N-1 rows are inserted with sqlite3 copying
# ed000's password hash (same password, each its own row and login).
#
# Usage: bench/editors.sh [ITSTRAT_BINARY]   (default build/itstrat)
# Environment: PROJECTS (10000), EDITORS (100), DURATION (60, seconds),
# SHARED (10), SHARE (0.1), PROCS (2), WRK_DURATION (10s), PORT (8102).
# Exits 1 on an error or a lost write. Prints figures for a person to read.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(readlink -f "${1:-build/itstrat}")
PROJECTS=${PROJECTS:-10000}
export EDITORS=${EDITORS:-100} DURATION=${DURATION:-60}
WRK_DURATION=${WRK_DURATION:-10s}
PORT=${PORT:-8102}
OUT=bench/out
mkdir -p "$OUT"
DOC=$OUT/gen-$PROJECTS.json
DB=$OUT/editors-$PROJECTS.db
for tool in sqlite3 python3 wrk curl; do
    command -v $tool >/dev/null || { echo "bench/editors.sh: $tool is missing" >&2; exit 1; }
done

[ -f "$DOC" ] || "$BIN" gen --projects "$PROJECTS" --seed 1 -o "$DOC"
rm -f "$DB" "$DB-wal" "$DB-shm"
"$BIN" import --db "$DB" "$DOC" >/dev/null
CODE=$(sqlite3 "$DB" 'SELECT code FROM strategy ORDER BY id LIMIT 1')
echo "machine: $(nproc) cores, $(uname -r); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "database: $DB, $PROJECTS projects, $(sqlite3 "$DB" 'SELECT count(*) FROM project_update') progress updates"

PASSWORD="bench-$(head -c 12 /dev/urandom | base64 | tr -d '/+=')"
start=$(date +%s%N)
printf '%s\n' "$PASSWORD" | "$BIN" user add ed000 --role manager --password-stdin --db "$DB" >/dev/null
# The other accounts: ed000's row again under other logins (see the header).
sqlite3 "$DB" "WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < $EDITORS - 1)
               INSERT INTO app_user (login, role, password_hash, created_at)
               SELECT printf('ed%03d', k), 'manager', password_hash, created_at
               FROM app_user, n WHERE login = 'ed000'"
echo "accounts: $(sqlite3 "$DB" "SELECT count(*) FROM app_user WHERE role = 'manager'") managers in $(( ($(date +%s%N) - start) / 1000000 )) ms"

SERVERS=()
stop_servers() {
    for s in "${SERVERS[@]}"; do kill -TERM "$s" 2>/dev/null || true; done
    for s in "${SERVERS[@]}"; do wait "$s" 2>/dev/null || true; done
    SERVERS=()
}
trap stop_servers EXIT
serve() { # serve PORT [OPTIONS]: starts a server, waits until it answers
    local port=$1
    shift
    "$BIN" serve --db "$DB" --listen "127.0.0.1:$port" --quiet "$@" 2>"$OUT/editors-serve-$port.log" &
    SERVERS+=($!)
    for _ in $(seq 1 100); do
        curl -s -o /dev/null "http://127.0.0.1:$port/" && return 0
        sleep 0.1
    done
    echo "bench/editors.sh: the server on port $port did not start" >&2
    exit 1
}

serve "$PORT"
B="http://127.0.0.1:$PORT"
rc=0
SESSION_FILE="$OUT/editors-session.txt" python3 bench/editors.py "$B" "$DB" "$CODE" "$PASSWORD" || rc=1
if ! kill -0 "${SERVERS[0]}" 2>/dev/null; then
    wait "${SERVERS[0]}" && status=0 || status=$?
    echo "bench/editors.sh: the server died during the run (exit status $status):" >&2
    tail -20 "$OUT/editors-serve-$PORT.log" >&2
    SERVERS=()
    exit 1
fi
if "$BIN" audit verify --db "$DB" >"$OUT/editors-audit.txt" 2>&1; then
    echo "audit chain: $(tail -1 "$OUT/editors-audit.txt")"
else
    echo "audit chain: BROKEN: $(cat "$OUT/editors-audit.txt")"
    rc=1
fi

# wrk: signed in (ed000's session) on this server, then anonymously on a
# second server of the same database with --open-read.
SESSION=$(cat "$OUT/editors-session.txt")
CAT=$(sqlite3 "$DB" "SELECT code FROM category WHERE code = 'major-improvement' UNION ALL
                     SELECT code FROM category LIMIT 1" | head -1)
RUNS="home dashboard|/s/$CODE
portfolio, no filter (50 rows)|/s/$CODE/portfolio
portfolio, status + category|/s/$CODE/portfolio?status=in_progress&category=$CAT"
rows=()
bench_wrk() { # bench_wrk LABEL BASE [HEADER]: wrk on each address of RUNS
    local label=$1 base=$2 header=${3:-}
    while IFS='|' read -r name path; do
        args=(-t2 -c16 -d"$WRK_DURATION" --latency)
        [ -n "$header" ] && args+=(-H "$header")
        code=$(curl -s -o /dev/null -w '%{http_code}' ${header:+-H "$header"} "$base$path" || true)
        wrk "${args[@]}" "$base$path" >"$OUT/wrk-editors.txt"
        rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$OUT/wrk-editors.txt")
        p50=$(awk '$1 == "50%" {print $2}' "$OUT/wrk-editors.txt")
        p99=$(awk '$1 == "99%" {print $2}' "$OUT/wrk-editors.txt")
        errs=$(awk '/Non-2xx|Socket errors/ {print}' "$OUT/wrk-editors.txt" | tr '\n' ' ')
        rows+=("$(printf '%-10s %-32s %6s %9s %9s %9s  %s' "$label" "$name" "$code" "$rps" "$p50" "$p99" "$errs")")
        if ! kill -0 "${SERVERS[0]}" 2>/dev/null; then
            wait "${SERVERS[0]}" && status=0 || status=$?
            echo "bench/editors.sh: the server died under wrk on $path ($label; exit status $status):" >&2
            tail -20 "$OUT"/editors-serve-*.log >&2
            SERVERS=()
            exit 1
        fi
    done <<<"$RUNS"
}
bench_wrk "signed in" "$B" "Cookie: itstrat_session=$SESSION"
stop_servers
serve "$((PORT + 1))" --open-read
bench_wrk "anonymous" "http://127.0.0.1:$((PORT + 1))"
stop_servers

printf '\nwrk -t2 -c16 -d%s --latency, %s projects, after the editors run\n' "$WRK_DURATION" "$PROJECTS"
printf '%-10s %-32s %6s %9s %9s %9s\n' "who" "address" "status" "req/s" "p50" "p99"
for r in "${rows[@]}"; do echo "$r"; done
exit $rc
