#!/usr/bin/env bash
# test_report_print.sh — the demo's final report printed by a real browser:
# Debian's Chromium prints the HTML to PDF; the PDF must be A4, of a
# plausible length, carry running page numbers, and hold the report's text
# in order. Also takes an A4-sized screenshot of the first screen.
# Pages land in $ITSTRAT_ARTIFACTS (default: the scratch folder) to look at.
. "$(dirname "$0")/lib.sh"
command -v chromium >/dev/null || fail "chromium is missing: run scripts/install-deps.sh"
command -v pdftotext >/dev/null || fail "pdftotext is missing (poppler-utils): run scripts/install-deps.sh"
OUT=${ITSTRAT_ARTIFACTS:-$T}
mkdir -p "$OUT"

it import --db "$T/demo.db" "$DEMO"
expect_rc 0
it report --db "$T/demo.db" --year 2021 --final -o "$T/report.html"
expect_rc 0
chrome() {
    timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$T/profile-$1" "${@:2}" >"$T/chrome.log" 2>&1
}
chrome pdf --no-pdf-header-footer --print-to-pdf="$OUT/report.pdf" "file://$T/report.html" ||
    fail "chromium could not print: $(tail -3 "$T/chrome.log")"
chrome png --window-size=794,1123 --hide-scrollbars --screenshot="$OUT/report-screen.png" \
    "file://$T/report.html" || fail "chromium could not take a screenshot"
[ -s "$OUT/report-screen.png" ] || fail "empty screenshot"

info=$(pdfinfo "$OUT/report.pdf")
echo "$info" | grep -qE 'Page size: .*\(A4\)' ||
    fail "not A4: $(echo "$info" | grep 'Page size')"
pages=$(echo "$info" | awk '/^Pages:/ {print $2}')
[ "$pages" -ge 6 ] && [ "$pages" -le 20 ] || fail "implausible length: $pages pages"
NCHECKS=$((NCHECKS + 2))

# Running page numbers: the last line of page 2 is "2".
pdftotext -f 2 -l 2 -layout "$OUT/report.pdf" "$T/p2.txt"
last=$(grep -v '^[[:space:]]*$' "$T/p2.txt" | tail -1 | tr -d '[:space:]\f')
[ "$last" = 2 ] || fail "page 2 does not end with its number, but with: $last"
NCHECKS=$((NCHECKS + 1))

# The text, in order, as a reader of the model report expects it.
pdftotext "$OUT/report.pdf" "$T/all.txt"
tr '\n' ' ' <"$T/all.txt" | tr -s ' ' >"$T/flat.txt"
prev=0
for s in 'Governing Body' 'Final report on the implementation of the Information Technology' \
    'Introduction' 'Figure 1. IT projects by outcome/cross-cutting driver, 2021 work plan' \
    'Strategy outcome 1: A more efficient ILO' 'Output 1.1.' 'Strategy outcome 2' \
    'Strategy outcome 3' 'Synergies and cross-cutting drivers' 'IT risk register was updated in 2021' 'Notes'; do
    n=$(grep -boF -- "$s" "$T/flat.txt" | head -1 | cut -d: -f1)
    [ -n "$n" ] || fail "the printed report lacks: $s"
    [ "$n" -ge "$prev" ] || fail "out of order in print: $s"
    prev=$n
    NCHECKS=$((NCHECKS + 1))
done
pass
