#!/usr/bin/env bash
# test_report_pdf.sh — `itstrat report --format pdf`: golden bytes for the
# demo's final report and a generated progress report, two runs identical;
# poppler's view of the file (A4, pages, tagged, title, manifest, every
# font embedded, the text in reading order, footnotes on the page that
# cites them, table header rows repeated); hostile text shown as text.
# UPDATE_GOLDEN=1 rewrites the golden files.
. "$(dirname "$0")/lib.sh"
G="$ITSTRAT_SRC/tests/golden"
golden() {
    NCHECKS=$((NCHECKS + 1))
    if [ -n "${UPDATE_GOLDEN:-}" ]; then cp "$2" "$G/$1"; return; fi
    cmp -s "$G/$1" "$2" || fail "$2 differs from golden $1"
}
expect_file_has() { # FILE TEXT
    NCHECKS=$((NCHECKS + 1))
    grep -qF -- "$2" "$1" || fail "$1 lacks: $2"
}

it import --db "$T/demo.db" "$DEMO"
expect_rc 0
it report --db "$T/demo.db" --year 2021 --final --format pdf -o "$T/demo.pdf"
expect_rc 0
expect_no_out
it report --db "$T/demo.db" --year 2021 --final --format pdf
expect_rc 0
same_file "$T/out" "$T/demo.pdf"
LAST_CMD= # its output is binary
golden demo-2021-final.pdf "$T/demo.pdf"

pdfinfo "$T/demo.pdf" >"$T/info" || fail "pdfinfo cannot read the PDF"
expect_file_has "$T/info" "Title:           Final report on the implementation of the Information Technology Strategy 2018–21"
expect_file_has "$T/info" "(A4)"
expect_file_has "$T/info" "Tagged:          yes"
expect_file_has "$T/info" "CreationDate:    Mon Feb 14 00:00:00 2022 UTC"
expect_file_has "$T/info" "Keywords:        itstrat-manifest/1 strategy=2018-21 year=2021 final=1 data=blake2b-256:"
expect_file_has "$T/info" "format=pdf"
pages=$(awk '/^Pages:/ {print $2}' "$T/info")
[ "${pages:-0}" -ge 5 ] || fail "the demo report has only ${pages:-0} pages"
# The language, in the catalog (an incremental update after cairo).
grep -aqF '/Lang (en)' "$T/demo.pdf" || fail "no /Lang in the catalog"
# The figure's alternative text (also an incremental update): "Figure 1, bar chart: ..."
grep -aqF '/Alt <FEFF0046006900670075007200650020003100' "$T/demo.pdf" || fail "the figure has no /Alt"
pdfinfo -struct "$T/demo.pdf" >"$T/struct" 2>&1 || true
expect_file_has "$T/struct" "Table"
expect_file_has "$T/struct" "Figure"
expect_file_has "$T/struct" "H2"
grep -q 'Syntax' "$T/struct" && fail "poppler finds the structure tree malformed: $(grep Syntax "$T/struct")"
# Bookmarks from the headings.
grep -aqF '/Outlines' "$T/demo.pdf" || fail "no outline"
# Every font embedded (the column "emb" is yes on every line).
pdffonts "$T/demo.pdf" >"$T/fonts" || fail "pdffonts failed"
awk 'NR > 2 && $(NF-4) != "yes" {bad = 1} END {exit bad}' "$T/fonts" ||
    fail "a font is not embedded: $(cat "$T/fonts")"
expect_file_has "$T/fonts" "LiberationSans"

# Reading order: the text comes out as the report says it.
pdftotext "$T/demo.pdf" "$T/demo.txt" || fail "pdftotext failed"
expect_order() {
    local prev=0 s n
    for s in "$@"; do
        n=$(tail -n +$((prev + 1)) "$T/demo.txt" | grep -nF -- "$s" | head -1 | cut -d: -f1)
        [ -n "$n" ] || fail "the PDF text lacks, or has out of order: $s"
        prev=$((prev + n))
    done
    NCHECKS=$((NCHECKS + 1))
}
expect_order 'Governing Body' 'Final report on the implementation' 'Summary:' 'Introduction' \
    'Figure 1. IT projects by outcome' 'Strategy outcome 1: A more efficient ILO' \
    'Output 1.1. Increased scope' 'Strategy outcome 2: A more insightful ILO' \
    'Synergies and cross-cutting drivers' 'Information security' 'Risk management'
# The footnote sits on the page whose paragraph cites it (page 1 here).
pdftotext -f 1 -l 1 "$T/demo.pdf" "$T/p1.txt"
grep -qF 'counted 119 projects' "$T/p1.txt" || fail "footnote 1 is not at the foot of page 1"

# Two databases from the same data, another folder: the same bytes.
it import --db "$T/demo2.db" "$DEMO"
mkdir -p "$T/b"
it report --db "$T/demo2.db" --year 2021 --final --format pdf -o "$T/b/demo.pdf"
expect_rc 0
same_file "$T/demo.pdf" "$T/b/demo.pdf"

# ---- a generated strategy's progress report: long tables split ------------
"$ITSTRAT" gen --projects 120 --seed 4 -o "$T/gen.json" || fail "gen failed"
it import --db "$T/gen.db" "$T/gen.json"
expect_rc 0
it report --db "$T/gen.db" --year 2023 --format pdf -o "$T/gen.pdf"
expect_rc 0
golden gen-2023.pdf "$T/gen.pdf"
pdftotext "$T/gen.pdf" "$T/gen.txt"
for s in 'Indicators and milestones' 'Risk management' 'Service levels' 'IT expenditure' 'Figure 2.'; do
    expect_file_has "$T/gen.txt" "$s"
done
# A table that runs over a page repeats its header row on the next page.
n=$(pdfinfo "$T/gen.pdf" | awk '/^Pages:/ {print $2}')
rep=0
for ((pg = 2; pg <= n; pg++)); do
    pdftotext -f $pg -l $pg -layout "$T/gen.pdf" - | grep -v '^ *[0-9]* *$' | tr -s ' ' >"$T/pg.txt"
    pdftotext -f $((pg - 1)) -l $((pg - 1)) -layout "$T/gen.pdf" - | tr -s ' ' >"$T/prev.txt"
    # a page starting with a line (a header row) that the previous page has too
    first=$(grep -m1 -v '^\s*$' "$T/pg.txt" | sed 's/^ *//; s/ *$//')
    [ -n "$first" ] && sed 's/^ *//; s/ *$//' "$T/prev.txt" | grep -qxF -- "$first" && rep=$((rep + 1))
done
[ "$rep" -ge 1 ] || fail "no table header row is repeated on a following page"

# ---- hostile text is shown, never read as markup ---------------------------
python3 - "$DEMO" "$T/evil.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
r = [r for r in d["reports"] if r.get("year") == 2021][0]
r["title"] = "Report <b>bold</b> & </span> \"quoted\""
r["summary"] = "A *summary* with <i>raw</i> & <span foreground='red'>markup</span>"
json.dump(d, open(sys.argv[2], "w"))
PY
it import --db "$T/evil.db" "$T/evil.json"
expect_rc 0
it report --db "$T/evil.db" --year 2021 --final --format pdf -o "$T/evil.pdf"
expect_rc 0
pdftotext "$T/evil.pdf" "$T/evil.txt"
expect_file_has "$T/evil.txt" 'Report <b>bold</b> & </span> "quoted"'
expect_file_has "$T/evil.txt" "<span foreground='red'>markup</span>"
pdfinfo "$T/evil.pdf" | grep -qF 'Report <b>bold</b>' || fail "the title metadata lost its text"

# ---- no fonts: a clear error, nothing written ------------------------------
ITSTRAT_FONT_DIR="$T/nofonts" it report --db "$T/demo.db" --year 2021 --final --format pdf -o "$T/x.pdf"
expect_rc 3
expect_err 'needs the font'
[ ! -e "$T/x.pdf" ] || fail "a PDF was written without fonts"
echo "ok ${0##*/}: $NCHECKS checks"
