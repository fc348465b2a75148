#!/usr/bin/env bash
# scripts/report-pages.sh — prints a report to PDF with headless Chromium and
# turns chosen pages into PNG images (docs/images/ keeps two of the demo's).
# Usage: scripts/report-pages.sh REPORT.html OUTDIR PAGE...
set -euo pipefail
html=$(readlink -f "$1") out=$2
shift 2
mkdir -p "$out"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$profile" --no-pdf-header-footer \
  --print-to-pdf="$out/report.pdf" "file://$html" 2>/dev/null
for p in "$@"; do
  pdftoppm -r 80 -png -f "$p" -l "$p" -singlefile "$out/report.pdf" "$out/report-page-$p"
done
echo "$out/report.pdf: $(pdfinfo "$out/report.pdf" | awk '/^Pages/ {print $2}') pages"
