#!/usr/bin/env bash
# test_report.sh — `itstrat report`: golden files for the demo's 2021 final
# report and a generated strategy's 2023 progress report (HTML and Markdown
# with figures), byte-identical on every run; escaping of hostile text in
# HTML, SVG and Markdown; empty sections left out; clear errors.
# UPDATE_GOLDEN=1 rewrites the golden files (then review the diff).
. "$(dirname "$0")/lib.sh"
G="$ITSTRAT_SRC/tests/golden"

# golden NAME FILE — FILE equals tests/golden/NAME (or replaces it).
golden() {
    NCHECKS=$((NCHECKS + 1))
    if [ -n "${UPDATE_GOLDEN:-}" ]; then cp "$2" "$G/$1"; return; fi
    cmp -s "$G/$1" "$2" || fail "$2 differs from golden $1: $(diff "$G/$1" "$2" | head -8)"
}

# ---- the demo's final report ----------------------------------------------
it import --db "$T/demo.db" "$DEMO"
expect_rc 0
mkdir -p "$T/a" "$T/b"
it report --db "$T/demo.db" --year 2021 --final -o "$T/a/demo.html"
expect_rc 0
expect_no_out
it report --db "$T/demo.db" --strategy 2018-21 --year 2021 --final --format html
expect_rc 0
same_file "$T/out" "$T/a/demo.html"          # stdout and -o write the same bytes
golden demo-2021-final.html "$T/a/demo.html"
it report --db "$T/demo.db" --year 2021 --final --format md -o "$T/a/demo-2021-final.md"
expect_rc 0
golden demo-2021-final.md "$T/a/demo-2021-final.md"
golden demo-2021-final-figure-1.svg "$T/a/demo-2021-final-figure-1.svg"
# The demo has no categories: no Figure 2, and no empty file for it.
[ ! -e "$T/a/demo-2021-final-figure-2.svg" ] || fail "a figure 2 was written for the demo"
grep -qF 'Figure 2' "$T/a/demo.html" && fail "the demo report shows a Figure 2 without categories"

# What a reader of the model report recognises: outcomes, outputs, drivers in order.
h="$T/a/demo.html"
expect_order() { # the fixed strings appear in this order in $h
    local prev=0 s n
    for s in "$@"; do
        n=$(grep -nF -- "$s" "$h" | head -1 | cut -d: -f1)
        [ -n "$n" ] || fail "report lacks: $s"
        [ "$n" -gt "$prev" ] || fail "out of order: $s"
        prev=$n
    done
    NCHECKS=$((NCHECKS + 1))
}
expect_order 'Final report on the implementation' '>Introduction<' 'Figure 1.' \
    'Strategy outcome 1: A more efficient ILO' 'Output 1.1. Increased scope' 'Output 1.2.' \
    'Output 1.3.' 'Strategy outcome 2: A more insightful ILO' 'Output 2.1.' 'Output 2.4.' \
    'Strategy outcome 3: A more collaborative ILO' 'Output 3.3.' \
    'Synergies and cross-cutting drivers' '>Information security</h3>' '>IT governance</h3>' \
    '>Service-level management</h3>' '>Change management</h3>' '>External partnerships</h3>' \
    '>Risk management</h3>' '>Notes<'
grep -qF 'counted 119 projects, 72 of them new service offerings' "$h" ||
    fail "the stated 2021 work-plan figures are not footnoted"
grep -qF 'DocuSign' "$h" || fail "the DocuSign pilot is missing"

# ---- a generated strategy's progress report -------------------------------
"$ITSTRAT" gen --projects 120 --seed 4 -o "$T/gen.json" || fail "gen failed"
it import --db "$T/gen.db" "$T/gen.json"
expect_rc 0
it report --db "$T/gen.db" --year 2023 -o "$T/a/gen-2023.html"
expect_rc 0
golden gen-2023.html "$T/a/gen-2023.html"
it report --db "$T/gen.db" --year 2023 --format md -o "$T/a/gen-2023.md"
expect_rc 0
golden gen-2023.md "$T/a/gen-2023.md"
golden gen-2023-figure-1.svg "$T/a/gen-2023-figure-1.svg"
golden gen-2023-figure-2.svg "$T/a/gen-2023-figure-2.svg"
for s in 'Indicators and milestones' 'Risk management' 'Service levels' 'IT expenditure' \
    'Figure 2.' 'per cent) focused on providing new service offerings'; do
    grep -qF "$s" "$T/a/gen-2023.html" || fail "generated report lacks: $s"
done
# Same data in a new database, another folder: the same bytes.
"$ITSTRAT" import --db "$T/gen2.db" "$T/gen.json" >/dev/null || fail "re-import failed"
it report --db "$T/gen2.db" --year 2023 --format md -o "$T/b/gen-2023.md"
same_file "$T/a/gen-2023.md" "$T/b/gen-2023.md"
same_file "$T/a/gen-2023-figure-2.svg" "$T/b/gen-2023-figure-2.svg"
# The final report of the generated strategy covers every biennium.
it report --db "$T/gen.db" --year 2025 --final -o "$T/a/gen-final.html"
expect_rc 0
grep -qF 'Indicators, 2022–23' "$T/a/gen-final.html" || fail "final report lacks 2022-23"
grep -qF 'Indicators, 2024–25' "$T/a/gen-final.html" || fail "final report lacks 2024-25"
grep -qF 'IT projects by work-plan year' "$T/a/gen-final.html" || fail "final report lacks years"

# ---- hostile text is shown, never interpreted -----------------------------
it import --db "$T/evil.db" "$ITSTRAT_SRC/tests/data/hostile.json"
expect_rc 0
it report --db "$T/evil.db" --year 2021 -o "$T/a/evil.html"
expect_rc 0
it report --db "$T/evil.db" --year 2021 --format md -o "$T/a/evil.md"
expect_rc 0
e="$T/a/evil.html"
for bad in '<script' '<img' '<div onclick' 'javascript:' '<h1>spoof' '<b>bold</b>' '<i>of</i>' \
    '<a href=x>' '<u>'; do
    grep -qiF -- "$bad" "$e" "$T"/a/evil-figure-*.svg && fail "unescaped in HTML/SVG: $bad"
done
for good in '&lt;script&gt;alert(1)&lt;/script&gt;' 'Security &lt;/h3&gt;&lt;h1&gt;spoof' \
    '&lt;div onclick=&quot;alert(5)&quot;&gt;a raw block' '*bold* | pipe' \
    'Report on &lt;script&gt;alert(6)&lt;/script&gt;' 'A note with &lt;b&gt;tags&lt;/b&gt; &amp;'; do
    grep -qF -- "$good" "$e" || fail "HTML does not show the text: $good"
done
grep -qF '&lt;script&gt;alert(&#39;cat&#39;)' "$T/a/evil-figure-2.svg" || fail "SVG label not escaped"
m="$T/a/evil.md"
for good in '\*bold\* \| pipe' 'Outcome 1: \<script>alert(1)\</script>' '\<div onclick=' \
    'Third paragraph: *emphasis* stays Markdown.'; do
    grep -qF -- "$good" "$m" || fail "Markdown does not escape: $good"
done
grep -qF 'javascript' "$m" && fail "a javascript: link survived in Markdown"
# Empty sections are left out: output 1.2 and the empty driver have nothing.
grep -qF 'An output with no project' "$e" && fail "an empty output got a heading"
grep -qF '<h3 id="driver-empty"' "$e" && fail "an empty driver got a heading"
grep -qF 'Indicators and milestones' "$e" && fail "an indicators section without indicators"

# ---- errors ---------------------------------------------------------------
it report --db "$T/demo.db" --strategy NOPE --year 2021
expect_rc 4
expect_err 'no strategy "NOPE"'
it report --db "$T/demo.db" --year 2017
expect_rc 4
expect_err 'runs from 2018 to 2021: there is no report for 2017'
it report --db "$T/demo.db" --year 2019
expect_rc 4
expect_err 'has no report metadata for 2019'
it report --db "$T/demo.db" --year 2020 --final
expect_rc 4
expect_err 'is for its last year, 2021'
it report --db "$T/demo.db" --year 2021 --format odt
expect_rc 2
expect_err '--format is html, md or pdf'
it report --db "$T/demo.db" --year 2021 --format md
expect_rc 2
expect_err 'give the file with -o'
it report --db "$T/demo.db"
expect_rc 2
expect_err '--year'
it report --db "$T/demo.db" --year 2021 -o "$T/no/such/dir/r.html"
expect_rc 3
expect_err 'cannot write'
pass
