#!/usr/bin/env bash
# test_http_raw.sh — malformed and hostile HTTP against `itstrat serve` over
# raw sockets (tests/http/raw_requests.py): after every case the server still
# answers GET /, never crashes, and SIGTERM lets a request in flight finish
# before the process exits 0. The database holds the demo, a generated
# strategy and the hostile one.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || fail "python3 is missing: run scripts/install-deps.sh"

it import --db "$T/web.db" "$DEMO"
expect_rc 0
it gen --projects 300 --seed 4 -o "$T/gen.json"
expect_rc 0
it import --db "$T/web.db" "$T/gen.json"
expect_rc 0
it import --db "$T/web.db" "$ITSTRAT_SRC/tests/data/hostile.json"
expect_rc 0

mkdir -p "$T/raw"
run_suite "hostile HTTP" \
    python3 "$ITSTRAT_SRC/tests/http/raw_requests.py" "$ITSTRAT" "$T/web.db" "$T/raw"
pass
