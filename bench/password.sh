#!/bin/bash
# password.sh — what one password hash costs: time (hyperfine) and peak
# memory (/usr/bin/time) of `itstrat user passwd`, which hashes once with
# the parameters of src/auth/password.h. The process start-up and the
# database write are in the figure too (a few milliseconds).
#   bench/password.sh [path/to/itstrat]   (default build/itstrat)
set -euo pipefail
ITSTRAT=${1:-build/itstrat}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export ITSTRAT_DB="$T/bench.db"
"$ITSTRAT" init >/dev/null
echo "violet harbour engine" >"$T/pw"
echo "== time of one hash (itstrat user passwd admin --password-stdin)"
hyperfine --warmup 2 --runs 20 "$ITSTRAT user passwd admin --password-stdin < $T/pw"
echo "== peak memory (maximum resident set)"
/usr/bin/time -f "%M KiB, %e s" "$ITSTRAT" user passwd admin --password-stdin <"$T/pw" >/dev/null
