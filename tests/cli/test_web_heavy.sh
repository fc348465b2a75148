#!/usr/bin/env bash
# test_web_heavy.sh — heavy requests (the HEAVY routes: downloads, reports)
# cannot starve light ones (src/web/heavy.h), black box over HTTP, without
# a single timing assertion. The server runs with one worker thread, two
# heavy slots (so one per address) behind --tls-proxy (the client address
# is the forwarded one), and the test hook ITSTRAT_TEST_HEAVY_HOLD, which
# holds every heavy request until the file $HOLD/hold is removed:
#  - a second heavy request from an address with one held answers 429 with
#    Retry-After; so does a heavy request from a third address while both
#    slots are held;
#  - while both slots are held, light pages and API answers still come
#    (from the one worker thread: heavy work never occupies it);
#  - released, the held requests answer 200 "X-Cache: miss"; the same
#    download again is "X-Cache: hit" with the same bytes (plain, gzip and
#    HEAD), a different query is a miss, and a commit by another process
#    (an import) makes every cached download a miss again.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/web.sh"
command -v curl >/dev/null || fail "curl is missing: run scripts/install-deps.sh"

DB="$T/web.db"
it gen --projects 300 --seed 4 -o "$T/gen.json"
expect_rc 0
it import --db "$DB" "$T/gen.json"
expect_rc 0
HOLD="$T/hold"
mkdir "$HOLD"
touch "$HOLD/hold"
export ITSTRAT_TEST_HEAVY_HOLD="$HOLD"
WEB_ARGS="--threads 1 --heavy 2 --tls-proxy" web_start "$DB"
unset ITSTRAT_TEST_HEAVY_HOLD
# Whatever happens, release the held requests before the server stops
# (it lets the requests in flight finish).
trap 'rm -f "$HOLD/hold"; kill -TERM $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$T"' EXIT

# from ADDRESS PATH [STATUS] — GET PATH as the client ADDRESS (forwarded by
# the TLS proxy); checks the status as get does.
from() {
    LAST_CMD="GET $2 from $1"
    RC=$(curl -s -H "X-Forwarded-For: $1" -D "$T/head" -o "$T/body" -w '%{http_code}' "$U$2")
    cp "$T/body" "$T/out"
    : >"$T/err"
    NCHECKS=$((NCHECKS + 1))
    [ "$RC" = "${3:-200}" ] || fail "GET $2 from $1: status $RC, expected ${3:-200}"
}
# held N — waits until N heavy requests are held by the hook.
held() {
    local _
    for _ in $(seq 1 300); do
        [ "$(cat "$HOLD/held" 2>/dev/null | wc -l)" -ge "$1" ] && break
        sleep 0.1
    done
    NCHECKS=$((NCHECKS + 1))
    [ "$(cat "$HOLD/held" 2>/dev/null | wc -l)" -eq "$1" ] ||
        fail "expected $1 held heavy requests, $(cat "$HOLD/held" 2>/dev/null | wc -l) are"
}

CSV=/s/GEN-4/portfolio.csv
XLSX=/s/GEN-4/portfolio.xlsx
curl -s -H "X-Forwarded-For: 10.0.0.1" -D "$T/a.head" -o "$T/a.csv" -w '%{http_code}' \
    "$U$CSV" >"$T/a.status" &
A=$!
held 1
# 1. The same address again: its one slot is taken.
from 10.0.0.1 "$XLSX" 429
header 'Retry-After: '
has 'Your address has 1 download being made right now'
# A light request from it is answered.
from 10.0.0.1 /api/v1/strategies/GEN-4/projects?limit=10
has '"code"'
# 2. Another address takes the second slot; a third finds none.
curl -s -H "X-Forwarded-For: 10.0.0.2" -D "$T/b.head" -o "$T/b.html" -w '%{http_code}' \
    "$U/s/GEN-4/reports/2023" >"$T/b.status" &
B=$!
held 2
from 10.0.0.3 "$CSV" 429
header 'Retry-After: '
has 'The server is making 2 downloads or reports right now'
# 3. Every heavy slot is busy and the one worker thread still answers.
from 10.0.0.3 /api/v1/strategies
has '"GEN-4"'
from 10.0.0.3 /s/GEN-4/portfolio
has 'Download this list'
from 10.0.0.3 /s/GEN-4
# 4. Released: the held requests answer, generated (miss).
rm "$HOLD/hold"
wait $A $B
NCHECKS=$((NCHECKS + 1))
[ "$(cat "$T/a.status") $(cat "$T/b.status")" = "200 200" ] ||
    fail "the held requests answered $(cat "$T/a.status") and $(cat "$T/b.status")"
grep -qi '^X-Cache: miss' "$T/a.head" || fail "the first CSV download was not a miss"
grep -qi '^X-Cache: miss' "$T/b.head" || fail "the first report was not a miss"
NCHECKS=$((NCHECKS + 2))
# 5. The same downloads again come from the cache, byte for byte.
: >"$HOLD/held"
from 10.0.0.1 "$CSV"
header 'X-Cache: hit'
header 'Content-Type: text/csv'
header 'Content-Disposition: attachment; filename="portfolio-GEN-4.csv"'
same_file "$T/body" "$T/a.csv"
from 10.0.0.5 /s/GEN-4/reports/2023
header 'X-Cache: hit'
header "Content-Security-Policy: default-src 'none'; img-src data:; style-src 'sha256-"
same_file "$T/body" "$T/b.html"
# gzip (made once, on the heavy thread) and HEAD (the same headers, no body).
RC=$(curl -s --compressed -D "$T/head" -o "$T/body" -w '%{http_code}' "$U$CSV")
[ "$RC" = 200 ] || fail "GET $CSV with gzip: $RC"
header 'Content-Encoding: gzip'
header 'X-Cache: hit'
same_file "$T/body" "$T/a.csv"
RC=$(curl -s -I -D "$T/head" -o /dev/null -w '%{http_code}' "$U$CSV")
[ "$RC" = 200 ] || fail "HEAD $CSV: $RC"
header "Content-Length: $(wc -c <"$T/a.csv")"
header 'X-Cache: hit'
# No request needed a heavy thread since the release.
NCHECKS=$((NCHECKS + 1))
[ ! -s "$HOLD/held" ] || fail "a cached download was generated again"
# 6. Another query is another download.
from 10.0.0.1 "$CSV?status=completed"
header 'X-Cache: miss'
from 10.0.0.1 "$CSV?status=completed"
header 'X-Cache: hit'
# 7. A commit by another process kills every cached download.
it import --db "$DB" "$DEMO"
expect_rc 0
from 10.0.0.1 "$CSV"
header 'X-Cache: miss'
same_file "$T/body" "$T/a.csv" # the import did not touch GEN-4
from 10.0.0.1 "$CSV"
header 'X-Cache: hit'
pass
