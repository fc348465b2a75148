#!/usr/bin/env bash
# bench/run.sh — the performance figures quoted in the README.
#
# Generates a strategy of $PROJECTS projects (default 100000) with
# `itstrat gen`, then times with hyperfine (wall clock, mean of several runs)
# and /usr/bin/time -v (peak RSS):
#   import of the document into a new database, export, summary.
# Usage: bench/run.sh [ITSTRAT_BINARY]   (default build/itstrat)
# Nothing here is a test: it prints figures for a person to read.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-build/itstrat}
BIN=$(readlink -f "$BIN")
PROJECTS=${PROJECTS:-100000}
OUT=bench/out
mkdir -p "$OUT"
DOC=$OUT/gen-$PROJECTS.json
DB=$OUT/gen-$PROJECTS.db

[ -f "$DOC" ] || "$BIN" gen --projects "$PROJECTS" --seed 1 -o "$DOC"
echo "document: $DOC, $(du -m "$DOC" | cut -f1) MB, $PROJECTS projects"
echo "machine: $(nproc) cores, $(uname -r)"

rss() { # prints the peak RSS in MB of the command
  /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident/ {printf "%.0f", $2/1024}'
}
mean() { # hyperfine's mean in ms from its JSON export
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.0f ms (± %.0f)" % (r["mean"]*1000, r["stddev"]*1000))' "$1"
}

rm -f "$DB" "$DB"-wal "$DB"-shm
hyperfine -N --runs 5 --warmup 1 --export-json "$OUT/import.json" \
  --prepare "rm -f $DB $DB-wal $DB-shm" "$BIN import --db $DB $DOC" >/dev/null
rm -f "$DB" "$DB"-wal "$DB"-shm
import_rss=$(rss "$BIN" import --db "$DB" "$DOC")
hyperfine -N --runs 10 --warmup 1 --export-json "$OUT/export.json" \
  "$BIN export --db $DB -o $OUT/export.json.out" >/dev/null
export_rss=$(rss "$BIN" export --db "$DB" -o "$OUT/export.json.out")
hyperfine -N --runs 30 --warmup 3 --export-json "$OUT/summary.json" \
  "$BIN summary --db $DB" >/dev/null
summary_rss=$(rss "$BIN" summary --db "$DB")
cmp -s "$DOC" "$OUT/export.json.out" && same="byte-identical to the input" || same="DIFFERS from the input"

printf '\n%-28s %-20s %s\n' "operation ($PROJECTS projects)" "wall (mean of runs)" "peak RSS"
printf '%-28s %-20s %s MB\n' "import (new database)" "$(mean "$OUT/import.json")" "$import_rss"
printf '%-28s %-20s %s MB   (%s)\n' "export" "$(mean "$OUT/export.json")" "$export_rss" "$same"
printf '%-28s %-20s %s MB\n' "summary" "$(mean "$OUT/summary.json")" "$summary_rss"
