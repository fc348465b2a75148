#!/usr/bin/env bash
# bench/sheet.sh — preview and apply of a 10,000-row projects sheet (.xlsx).
#
# Generates a strategy of $PROJECTS projects (default 10000), makes a
# workbook of its projects in which every title is changed (itstrat export
# --xlsx of a copy edited by CSV), then times against a fresh copy of the
# original database, with hyperfine (p50, p99, max of the runs) and
# /usr/bin/time -v (peak RSS):
#   preview: itstrat import BOOK.xlsx --sheet projects --dry-run
#   apply:   itstrat import BOOK.xlsx --sheet projects (10,000 changes)
# Targets (issue 11): < 2 s each, peak RSS < 200 MB.
# Usage: bench/sheet.sh [ITSTRAT_BINARY]   (default build/itstrat)
# Nothing here is a test: it prints figures for a person to read.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(readlink -f "${1:-build/itstrat}")
PROJECTS=${PROJECTS:-10000}
OUT=bench/out/sheet
mkdir -p "$OUT"
DOC=$OUT/gen-$PROJECTS.json
DB=$OUT/base.db
WORK=$OUT/work.db
BOOK=$OUT/projects-$PROJECTS.xlsx

[ -f "$DOC" ] || "$BIN" gen --projects "$PROJECTS" --seed 1 --code BENCH -o "$DOC" >/dev/null
rm -f "$DB" "$OUT/edit.db"
"$BIN" import --db "$DB" "$DOC" >/dev/null
cp "$DB" "$OUT/edit.db"
"$BIN" export --db "$DB" --csv projects -o "$OUT/projects.csv"
python3 - "$OUT/projects.csv" "$OUT/edited.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8-sig')))
t = rows[0].index('title')
for r in rows[1:]:
    r[t] = r[t] + ' (revised)'
csv.writer(open(sys.argv[2], 'w', newline='', encoding='utf-8')).writerows(rows)
PY
"$BIN" import --db "$OUT/edit.db" --sheet projects "$OUT/edited.csv" >/dev/null
"$BIN" export --db "$OUT/edit.db" --csv projects --xlsx -o "$BOOK"
echo "sheet: $BOOK, $(du -k "$BOOK" | cut -f1) KB, $PROJECTS rows (every title changed)"
echo "machine: $(nproc) cores, $(uname -r); load: $(cut -d' ' -f1-3 /proc/loadavg)"

rss() { # the peak RSS in MB of the command
  /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident/ {printf "%.0f", $2/1024}'
}
stats() { # p50, p99 and max in ms from hyperfine's JSON export
  python3 -c '
import json, sys
t = sorted(json.load(open(sys.argv[1]))["results"][0]["times"])
p = lambda q: t[min(len(t) - 1, int(round(q * (len(t) - 1))))] * 1000
print("p50 %.0f ms, p99 %.0f ms, max %.0f ms (%d runs)" % (p(0.5), p(0.99), t[-1] * 1000, len(t)))' "$1"
}

PREP="cp $DB $WORK"
hyperfine -N --runs 10 --warmup 1 --export-json "$OUT/preview.json" --prepare "$PREP" \
  "$BIN import --db $WORK --sheet projects $BOOK --dry-run" >/dev/null
cp "$DB" "$WORK"
preview_rss=$(rss "$BIN" import --db "$WORK" --sheet projects "$BOOK" --dry-run)
hyperfine -N --runs 10 --warmup 1 --export-json "$OUT/apply.json" --prepare "$PREP" \
  "$BIN import --db $WORK --sheet projects $BOOK" >/dev/null
cp "$DB" "$WORK"
apply_rss=$(rss "$BIN" import --db "$WORK" --sheet projects "$BOOK")
"$BIN" import --db "$WORK" --sheet projects "$BOOK" --dry-run | tail -1

echo "preview: $(stats "$OUT/preview.json"), peak RSS $preview_rss MB"
echo "apply:   $(stats "$OUT/apply.json"), peak RSS $apply_rss MB"
