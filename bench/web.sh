#!/usr/bin/env bash
# bench/web.sh — the web portfolio's performance figures (the issue's
# targets: p99 < 5 ms and > 5,000 requests/s for the filtered portfolio page
# and the projects API on 100,000 projects; RSS < 100 MB under load).
#
# Generates (once) the strategy of bench/run.sh, imports it into
# bench/out/web-$PROJECTS.db (once; FRESH=1 imports again), starts
# `itstrat serve` on it, warms each address once (the first request fills
# the cache and, for a search, builds the search index), then runs
# `wrk -t2 -cC -d$DURATION --latency` on each, for each C of $CONNS, and
# samples the server's RSS (ps -o rss) every second while it runs. Prints a
# table with p50, p99 and max.
# Usage: bench/web.sh [ITSTRAT_BINARY]   (default build/itstrat)
# Environment: PROJECTS (100000), DURATION (30s), PORT (8101), FRESH (0),
# CONNS ("16"; e.g. "8 16 32 64" for the tail at each concurrency),
# SIGNED_IN (0; 1: the server runs without --open-read and every request
# carries the session cookie of a viewer signed in through /login, as a
# person's browser does: the session is looked up on each request).
# Nothing here is a test: it prints figures for a person to read.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(readlink -f "${1:-build/itstrat}")
PROJECTS=${PROJECTS:-100000}
DURATION=${DURATION:-30s}
PORT=${PORT:-8101}
OUT=bench/out
mkdir -p "$OUT"
DOC=$OUT/gen-$PROJECTS.json
DB=$OUT/web-$PROJECTS.db
command -v wrk >/dev/null || { echo "bench/web.sh: wrk is missing (apt-get install wrk)" >&2; exit 1; }

[ -f "$DOC" ] || "$BIN" gen --projects "$PROJECTS" --seed 1 -o "$DOC"
if [ "${FRESH:-0}" = 1 ] || [ ! -f "$DB" ]; then
    rm -f "$DB" "$DB-wal" "$DB-shm"
    start=$(date +%s%N)
    "$BIN" import --db "$DB" "$DOC" >/dev/null
    echo "import of $PROJECTS projects: $(( ($(date +%s%N) - start) / 1000000 )) ms"
fi
echo "machine: $(nproc) cores, $(uname -r); load average $(cut -d' ' -f1-3 /proc/loadavg)"

OPEN=--open-read
[ "${SIGNED_IN:-0}" = 1 ] && OPEN=
"$BIN" serve --db "$DB" --listen "127.0.0.1:$PORT" $OPEN --quiet &
SERVER=$!
trap 'kill -TERM $SERVER 2>/dev/null; wait $SERVER 2>/dev/null' EXIT
for _ in $(seq 1 100); do
    curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break
    sleep 0.1
done

WRK_HEADER=()
if [ "${SIGNED_IN:-0}" = 1 ]; then
    PW="quiet viewer lantern 7"
    sqlite3 "$DB" "SELECT 1 FROM app_user WHERE login = 'bench'" | grep -q 1 ||
        "$BIN" user add bench --role viewer --db "$DB" --password-stdin <<<"$PW" >/dev/null
    JAR=$OUT/web-cookies.txt
    rm -f "$JAR"
    csrf=$(curl -s -c "$JAR" -b "$JAR" "http://127.0.0.1:$PORT/login" |
        sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
    curl -s -c "$JAR" -b "$JAR" -o /dev/null --data-urlencode "_csrf=$csrf" \
        --data-urlencode "login=bench" --data-urlencode "password=$PW" "http://127.0.0.1:$PORT/login"
    SESSION=$(awk '$6 == "itstrat_session" {print $7}' "$JAR")
    [ -n "$SESSION" ] || { echo "bench/web.sh: signing in failed" >&2; exit 1; }
    WRK_HEADER=(-H "Cookie: itstrat_session=$SESSION")
    echo "signed in as the viewer 'bench': every request carries its session cookie"
fi

CODE=$(sqlite3 "$DB" 'SELECT code FROM strategy ORDER BY id LIMIT 1')
PROJECT=$(sqlite3 "$DB" "SELECT code FROM project WHERE strategy_id = (SELECT id FROM strategy
                         WHERE code = '$CODE') ORDER BY sort LIMIT 1 OFFSET $((PROJECTS / 2))")
INDICATOR=$(sqlite3 "$DB" "SELECT code FROM indicator WHERE strategy_id = (SELECT id FROM strategy
                           WHERE code = '$CODE') ORDER BY sort LIMIT 1")
CAT=$(sqlite3 "$DB" "SELECT code FROM category WHERE code = 'major-improvement' UNION ALL
                     SELECT code FROM category LIMIT 1" | head -1)
B="http://127.0.0.1:$PORT"
# name|path|target: "P99_MS MIN_RPS" of the issue for that address (RSS < 100 MB
# always), empty when the issue sets none
RUNS="home dashboard|/s/$CODE|10 0
portfolio, status + category (50 rows)|/s/$CODE/portfolio?status=in_progress&category=$CAT|5 5000
API projects, status, limit 50|/api/v1/strategies/$CODE/projects?limit=50&status=in_progress|5 5000
portfolio, no filter (50 rows)|/s/$CODE/portfolio|
portfolio, status, page 100|/s/$CODE/portfolio?status=completed&page=100|
portfolio, search \"backup\"|/s/$CODE/portfolio?q=backup|
API stats, status|/api/v1/strategies/$CODE/stats?status=in_progress|
one project, API|/api/v1/strategies/$CODE/projects/$PROJECT|10 20000
one project, page|/s/$CODE/projects/$PROJECT|10 20000
one indicator, API|/api/v1/strategies/$CODE/indicators/$INDICATOR|10 20000
one indicator, page|/s/$CODE/indicators/$INDICATOR|10 20000"

rows=()
while IFS='|' read -r name path target; do
    first=$(curl -s -o /dev/null -w '%{time_total}' ${SESSION:+-H "Cookie: itstrat_session=$SESSION"} "$B$path")
    for c in ${CONNS:-16}; do
    rssmax=0
    wrk -t2 -c"$c" -d"$DURATION" --latency "${WRK_HEADER[@]}" "$B$path" >"$OUT/wrk.txt" &
    WRK=$!
    while kill -0 $WRK 2>/dev/null; do
        r=$(ps -o rss= -p $SERVER | tr -d ' ')
        [ -n "$r" ] && [ "$r" -gt "$rssmax" ] && rssmax=$r
        sleep 1
    done
    wait $WRK
    rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$OUT/wrk.txt")
    p50=$(awk '$1 == "50%" {print $2}' "$OUT/wrk.txt")
    p99=$(awk '$1 == "99%" {print $2}' "$OUT/wrk.txt")
    max=$(awk '$1 == "Latency" {print $4; exit}' "$OUT/wrk.txt")
    errs=$(awk '/Non-2xx|Socket errors/ {print}' "$OUT/wrk.txt" | tr '\n' ' ')
    verdict=""
    if [ -n "$target" ]; then
        verdict=$(python3 - "$p99" "$rps" "$rssmax" $target <<'EOF'
import sys
v, rps, rss = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]) / 1024
p99_max, rps_min = float(sys.argv[4]), float(sys.argv[5])
ms = float(v[:-2]) if v.endswith("ms") else float(v[:-2]) / 1000 if v.endswith("us") else float(v[:-1]) * 1000
ok = ms < p99_max and rps > rps_min and rss < 100
print("meets (p99 < %g ms%s)" % (p99_max, ", > %d/s" % rps_min if rps_min else "") if ok else "MISSES")
EOF
)
    fi
    rows+=("$(printf '%-40s %3s %9s %9s %9s %9s %8s %9s  %s %s' "$name" "$c" "$rps" "$p50" \
        "$p99" "$max" "$((rssmax / 1024)) MB" "${first}s" "$verdict" "$errs")")
    done
done <<<"$RUNS"

printf '\nwrk -t2 -cC -d%s --latency, %s projects (%s)%s\n' "$DURATION" "$PROJECTS" "$DB" \
    "${SESSION:+, signed in}"
printf '%-40s %3s %9s %9s %9s %9s %8s %9s  %s\n' "address" "C" "req/s" "p50" "p99" "max" \
    "RSS max" "1st req" "target (its p99 and req/s; RSS < 100 MB)"
for r in "${rows[@]}"; do echo "$r"; done
