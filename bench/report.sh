#!/usr/bin/env bash
# bench/report.sh — time of `itstrat report` (HTML, PDF) on the demo and on a
# generated 10,000-project strategy, with hyperfine; peak RSS with time -v;
# signing and verifying the PDF.
# Usage: bench/report.sh [ITSTRAT_BINARY]   (default build/itstrat)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(readlink -f "${1:-build/itstrat}")
OUT=bench/out
mkdir -p "$OUT"
DOC=$OUT/gen-10000-s2.json DB=$OUT/gen-10000-s2.db DEMO=$OUT/demo.db
[ -f "$DOC" ] || "$BIN" gen --projects 10000 --seed 2 -o "$DOC"
rm -f "$DB" "$DB"-wal "$DB"-shm "$DEMO" "$DEMO"-wal "$DEMO"-shm
"$BIN" import --db "$DB" "$DOC" >/dev/null
"$BIN" import --db "$DEMO" data/demo/ilo-it-strategy-2018-21.json >/dev/null

mean() {
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.1f ms (± %.1f)" % (r["mean"]*1000, r["stddev"]*1000))' "$1"
}
rss() {
  /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident/ {printf "%.0f", $2/1024}'
}
hyperfine -N --warmup 3 --runs 30 --export-json "$OUT/report-gen.json" \
  "$BIN report --db $DB --year 2023 -o $OUT/report-gen.html" >/dev/null
hyperfine -N --warmup 5 --runs 100 --export-json "$OUT/report-demo.json" \
  "$BIN report --db $DEMO --year 2021 --final -o $OUT/report-demo.html" >/dev/null
printf '\n%-44s %-20s %s\n' "report (HTML)" "wall (mean of runs)" "peak RSS"
printf '%-44s %-20s %s MB\n' "generated, 10,000 projects, 2023 progress" "$(mean "$OUT/report-gen.json")" \
  "$(rss "$BIN" report --db "$DB" --year 2023 -o "$OUT/report-gen.html")"
printf '%-44s %-20s %s MB\n' "demo, 2021 final" "$(mean "$OUT/report-demo.json")" \
  "$(rss "$BIN" report --db "$DEMO" --year 2021 --final -o "$OUT/report-demo.html")"

# PDF (cairo + pango) of the same two reports.
hyperfine -N --warmup 1 --runs 5 --export-json "$OUT/pdf-gen.json" \
  "$BIN report --db $DB --year 2023 --format pdf -o $OUT/report-gen.pdf" >/dev/null
hyperfine -N --warmup 3 --runs 20 --export-json "$OUT/pdf-demo.json" \
  "$BIN report --db $DEMO --year 2021 --final --format pdf -o $OUT/report-demo.pdf" >/dev/null
printf '\n%-44s %-20s %s\n' "report (PDF)" "wall (mean of runs)" "peak RSS"
printf '%-44s %-20s %s MB\n' "generated, 10,000 projects, 2023 progress" "$(mean "$OUT/pdf-gen.json")" \
  "$(rss "$BIN" report --db "$DB" --year 2023 --format pdf -o "$OUT/report-gen.pdf")"
printf '%-44s %-20s %s MB\n' "demo, 2021 final" "$(mean "$OUT/pdf-demo.json")" \
  "$(rss "$BIN" report --db "$DEMO" --year 2021 --final --format pdf -o "$OUT/report-demo.pdf")"

# Signing and verifying: the key's scrypt (2^22 operations, 64 MiB) is most
# of a signature; verifying is hashing plus one Ed25519 check.
KEY=$OUT/bench-key
rm -f "$KEY.key" "$KEY.pub"
echo "bench passphrase" | "$BIN" key new -o "$KEY" --signer bench >/dev/null
hyperfine -N --warmup 1 --runs 5 --input <(echo "bench passphrase") --export-json "$OUT/sign.json" \
  "$BIN sign $OUT/report-gen.pdf --key $KEY.key" >/dev/null 2>&1 ||
  hyperfine --warmup 1 --runs 5 --export-json "$OUT/sign.json" \
    "echo 'bench passphrase' | $BIN sign $OUT/report-gen.pdf --key $KEY.key" >/dev/null
hyperfine -N --warmup 3 --runs 30 --export-json "$OUT/verify.json" \
  "$BIN verify $OUT/report-gen.pdf --pub $KEY.pub" >/dev/null
printf '\n%-44s %-20s\n' "signatures ($(du -k "$OUT/report-gen.pdf" | cut -f1) kB PDF)" "wall (mean of runs)"
printf '%-44s %-20s\n' "sign (scrypt of the passphrase included)" "$(mean "$OUT/sign.json")"
printf '%-44s %-20s\n' "verify (hash and Ed25519)" "$(mean "$OUT/verify.json")"
