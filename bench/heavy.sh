#!/usr/bin/env bash
# bench/heavy.sh — heavy downloads must not starve light requests (the
# issue's figure: the cheap API request's median stays < 20 ms while four
# clients loop on each heavy download of a 100,000-project strategy).
#
# Generates (once) `itstrat gen --projects $PROJECTS --seed 1`, imports it
# into bench/out/heavy-$PROJECTS.db (once; FRESH=1 imports again), starts
# `itstrat serve` on it, and measures the cheap request (one project's JSON)
# with `wrk -t1 -c4 -d$DURATION --latency`:
#  1. alone;
#  2. while $CLIENTS curl loops run on each heavy download (the portfolio
#     CSV and Excel workbook, the final report as HTML and as Markdown),
#     anonymous, from one address, as the issue's attack did;
#  3. (INVALIDATE=1, the default) the same, while another process commits a
#     change every 2 s, so every cached download dies and the heavy
#     requests are generated again and again (the slots and 429s at work).
# Prints p50/p99/max of the cheap request for each, and what the loops got
# (status and X-Cache counts). Nothing here is a test: figures for a person.
# Usage: bench/heavy.sh [ITSTRAT_BINARY]   (default build/itstrat)
# Environment: PROJECTS (100000), DURATION (20s), CLIENTS (4), PORT (8102),
# FRESH (0), INVALIDATE (1), POLITE (0; 1: the loops wait Retry-After after a
# 429), SERVE_ARGS (more `itstrat serve` options).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(readlink -f "${1:-build/itstrat}")
PROJECTS=${PROJECTS:-100000}
DURATION=${DURATION:-20s}
CLIENTS=${CLIENTS:-4}
PORT=${PORT:-8102}
OUT=bench/out
mkdir -p "$OUT"
DOC=$OUT/gen-$PROJECTS.json
DB=$OUT/heavy-$PROJECTS.db
command -v wrk >/dev/null || { echo "bench/heavy.sh: wrk is missing (apt-get install wrk)" >&2; exit 1; }

[ -f "$DOC" ] || "$BIN" gen --projects "$PROJECTS" --seed 1 -o "$DOC"
if [ "${FRESH:-0}" = 1 ] || [ ! -f "$DB" ]; then
    rm -f "$DB" "$DB-wal" "$DB-shm"
    "$BIN" import --db "$DB" "$DOC" >/dev/null
fi
echo "machine: $(nproc) cores, $(uname -r); load average $(cut -d' ' -f1-3 /proc/loadavg)"

# shellcheck disable=SC2086 # SERVE_ARGS holds several words
"$BIN" serve --db "$DB" --listen "127.0.0.1:$PORT" --open-read --quiet ${SERVE_ARGS:-} &
SERVER=$!
LOOPS=()
stop_all() { # (a bare `wait` with no loops left would wait for the server too)
    [ ${#LOOPS[@]} -gt 0 ] || return 0
    for p in "${LOOPS[@]}"; do kill "$p" 2>/dev/null || true; done
    wait "${LOOPS[@]}" 2>/dev/null || true
    LOOPS=()
}
trap 'stop_all; kill -TERM $SERVER 2>/dev/null; wait $SERVER 2>/dev/null' EXIT
B="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do
    curl -s -o /dev/null "$B/" && break
    sleep 0.1
done

CODE=$(sqlite3 "$DB" 'SELECT code FROM strategy ORDER BY id LIMIT 1')
LAST=$(sqlite3 "$DB" "SELECT last_year FROM strategy WHERE code = '$CODE'")
PROJECT=$(sqlite3 "$DB" "SELECT code FROM project WHERE strategy_id = (SELECT id FROM strategy
                         WHERE code = '$CODE') ORDER BY sort LIMIT 1 OFFSET 50000")
CHEAP="$B/api/v1/strategies/$CODE/projects/$PROJECT"
HEAVY=("/s/$CODE/portfolio.csv" "/s/$CODE/portfolio.xlsx" "/s/$CODE/reports/$LAST?final=1"
       "/s/$CODE/reports/$LAST?final=1&format=md&download=1")
curl -s -o /dev/null "$CHEAP"

# loops LOG — starts $CLIENTS curl loops on each heavy download; each line
# of LOG is "STATUS X-CACHE" of one answer.
loops() {
    : >"$1"
    local path k
    for path in "${HEAVY[@]}"; do
        for k in $(seq 1 "$CLIENTS"); do
            (while :; do
                a=$(curl -s -o /dev/null -w '%{http_code} %header{x-cache} %header{retry-after}' \
                    "$B$path" || true)
                echo "${a% *}" >>"$1"
                # POLITE=1: a 429 is retried after its Retry-After, as a browser would
                [ "${POLITE:-0}" = 1 ] && [ "${a%% *}" = 429 ] && sleep "${a##* }"
             done) &
            LOOPS+=($!)
        done
    done
}

# measure NAME — wrk on the cheap request; prints p50/p99/max.
measure() {
    local r
    r=$(wrk -t1 -c4 -d"$DURATION" --latency "$CHEAP")
    local p50 p99 max rps
    p50=$(awk '$1 == "50%" {print $2}' <<<"$r")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$r")
    max=$(awk '$1 == "Latency" {print $4; exit}' <<<"$r")
    rps=$(awk '$1 == "Requests/sec:" {print $2}' <<<"$r")
    printf '%-58s p50 %8s  p99 %8s  max %8s  %10s req/s\n' "$1" "$p50" "$p99" "$max" "$rps"
}

# summary LOG — what the heavy loops got.
summary() {
    printf '    heavy answers: %s\n' "$(sort "$1" | uniq -c | awk '{printf "%s× %s %s; ", $1, $2, $3}')"
}

echo "cheap request: GET /api/v1/strategies/$CODE/projects/$PROJECT (wrk -t1 -c4 -d$DURATION)"
echo "heavy downloads, $CLIENTS curl loops on each: ${HEAVY[*]}"
measure "1. alone"

loops "$OUT/heavy-loops.log"
measure "2. $((CLIENTS * ${#HEAVY[@]})) loops on the heavy downloads"
stop_all
summary "$OUT/heavy-loops.log"

if [ "${INVALIDATE:-1}" = 1 ]; then
    loops "$OUT/heavy-loops.log"
    (while :; do
        sleep 2
        sqlite3 "$DB" "UPDATE strategy SET title = title WHERE code = '$CODE'" 2>/dev/null || true
     done) &
    LOOPS+=($!)
    measure "3. the same, a commit every 2 s (downloads made again)"
    stop_all
    summary "$OUT/heavy-loops.log"
fi
