#!/usr/bin/env bash
# test_web_indicators.sh — the indicator and report pages and the indicators
# API of `itstrat serve`, black box over HTTP: status codes, content, filters
# and their 400s, 404s, escaping of hostile text, statuses that agree with
# the report's, the report page byte-identical to `itstrat report` (HTML,
# Markdown and its figures) with a Content-Security-Policy that allows its
# inline style by hash. The database holds a generated strategy (indicators,
# milestones, measurements, risks, reports), the demo (no indicators, a
# final report for 2021), tests/data/hostile.json and a hostile strategy
# with indicators written here.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/web.sh"
command -v curl >/dev/null || fail "curl is missing: run scripts/install-deps.sh"
command -v python3 >/dev/null || fail "python3 is missing: run scripts/install-deps.sh"

DB="$T/web.db"
web_fixture
cat >"$T/evil.json" <<'EOF'
{
  "format": "itstrat/1",
  "strategy": {"code": "EVIL-2", "title": "Indicators <script>alert('s')</script>",
               "first_year": 2020, "last_year": 2023},
  "outcomes": [{"number": 1, "title": "<img src=x onerror=alert('o')>",
                "outputs": [{"code": "1.1", "title": "*bold* | pipe <b>out</b>"}]}],
  "drivers": [{"code": "sec", "title": "Security </td><td>spoof"}],
  "indicators": [
    {"code": "I.1", "kind": "outcome", "title": "<script>alert('title')</script>", "output": "1.1",
     "description": "Described with <script>alert('desc')</script>, [a link](javascript:alert(1)) and *emphasis*.",
     "unit": "<b>u</b>", "direction": "up", "baseline": {"value": 10, "year": 2019},
     "milestones": [{"period": "2020-21", "value": 20}, {"period": "2022-23", "value": 30}],
     "target": 30,
     "measurements": [
       {"date": "2020-06-30", "value": 12, "source": "<i>src</i> & co",
        "note": "\"quoted\" 'note' </table><script>alert('note')</script>"},
       {"date": "2021-12-31", "value": 19.5}]},
    {"code": "K-1", "kind": "kri", "title": "*bold* | pipe", "direction": "down", "unit": "%",
     "baseline": {"value": 50}, "target": 10, "measurements": [{"date": "2023-03-01", "value": 9}]},
    {"code": "P-1", "kind": "kpi", "title": "No data yet ]]> <!-- c -->", "driver": "sec"}
  ],
  "risks": [{"code": "R-1", "title": "Risk <script>alert('risk')</script>",
             "inherent": {"probability": 3, "impact": 3}, "indicators": ["K-1"]}]
}
EOF
it import --db "$DB" "$T/evil.json"
expect_rc 0

# ---- the server -------------------------------------------------------------
web_start "$DB"

# ---- indicators list ----------------------------------------------------------
get /s/GEN-4/indicators
has '<h1>Indicators</h1>'
has 'Status at the end of 2024'          # the latest year with a measurement
has '<caption>31 indicators, status at the end of 2024</caption>'
has '<th scope="col">Code</th>'
has 'href="/s/GEN-4/indicators/OI-1.1?year=2024"'
has '<label for="f-kind">'
has '<label for="f-status">'
has '<label for="f-year">'
PY='
import re, sys
b = open(sys.argv[1]).read()
counts = [int(n) for n in re.findall(r"<li><strong>(\d+)</strong> <a href", b)]
assert len(counts) == 6 and sum(counts) == 31, counts
rows = re.findall(r"<tr><td class=\"nowrap\">", b)
assert len(rows) == 31, len(rows)
badges = re.findall(r"<span class=\"badge s-([a-z_]+)\">", b)
assert len(badges) == 31, len(badges)
'
py

get '/s/GEN-4/indicators?year=2022'
follow_links /s/GEN-4/indicators 6 # issue 10: "&amp;amp;year=" answered 400
has 'href="/s/GEN-4/indicators?status=achieved&amp;year=2022"'
lacks '&amp;amp;'
get '/s/GEN-4/indicators?kind=kri'
follow_links /s/GEN-4/indicators 6
has '<caption>14 indicators, status at the end of 2024</caption>'
has '14 key risk indicators by status'
lacks 'OI-1.1'
has 'Risk R01'
get '/s/GEN-4/indicators?kind=outcome&status=on_track&year=2022'
has 'Status at the end of 2022'
follow_links /s/GEN-4/indicators 6 # the status filter links keep kind and year
has 'href="/s/GEN-4/indicators?kind=outcome&amp;status=on_track&amp;year=2022"'
lacks '&amp;amp;'
has 'Milestone<br>2022–23'
PY='
import re, sys
b = open(sys.argv[1]).read()
badges = re.findall(r"<span class=\"badge s-([a-z_]+)\">", b)
assert badges and set(badges) == {"on_track"}, badges
kinds = re.findall(r"<td class=\"kind\">([^<]*)</td>", b)
assert kinds and set(kinds) == {"outcome indicator"}, kinds
'
py
get '/s/GEN-4/indicators?kind=&status=&year='    # an empty value is no filter
has '<caption>31 indicators'
get '/s/GEN-4/indicators?status=not_achieved&year=2022'
has 'No indicator matches these filters'

get '/s/GEN-4/indicators?kind=bad' 400
has 'parameter kind: must be one of outcome, kpi, kri'
get '/s/GEN-4/indicators?status=late' 400
has 'parameter status: must be one of'
get '/s/GEN-4/indicators?year=2030' 400
has 'parameter year: must be a year of the strategy&#39;s period, 2022 to 2025, not 2030'
get '/s/GEN-4/indicators?year=twenty' 400
has 'parameter year: must be a whole number'
get '/s/GEN-4/indicators?sort=code' 400
has 'parameter sort: unknown here'
get '/s/GEN-4/indicators?kind=kri&kind=kpi' 400
has 'given more than once'
get /s/NOPE/indicators 404

# The demo has no indicators: said plainly, and the API has an empty list.
get /s/2018-21/indicators
has 'This strategy has no indicators.'
lacks '<table'
get /api/v1/strategies/2018-21/indicators
has '"indicators": []'

# ---- one indicator ------------------------------------------------------------
get /s/GEN-4/indicators/OI-1.1
has '<h1>Share of staff satisfied with multi-factor authentication</h1>'
has 'Status at the end of 2024'
has '<svg'
has 'id="indicator-table"'
has '<caption>Measurements of OI-1.1, oldest first</caption>'
has '<caption>Status of OI-1.1 at the end of each year of the strategy</caption>'
has 'Output 1.1: '
PY='
import re, sys
b = open(sys.argv[1]).read()
years = re.findall(r"<tr><th scope=\"row\">(20\d\d)</th><td><span class=\"badge", b)
assert years == ["2022", "2023", "2024", "2025"], years
assert b.count("<h1>") == 1
'
py
get '/s/GEN-4/indicators/OI-1.1?year=2022'
has 'Status at the end of 2022'
get /s/GEN-4/indicators/KRI-01
has 'Risks it signals'
has 'R01</a> Cyberattack compromising confidential data'
get /s/GEN-4/indicators/NOPE 404
has 'Strategy GEN-4 has no indicator &quot;NOPE&quot;'
get /s/2018-21/indicators/OI-1.1 404
get '/s/GEN-4/indicators/OI-1.1?year=1999' 400
get '/s/GEN-4/indicators/OI-1.1?kind=kri' 400
has 'parameter kind: unknown here; this page takes year'

# ---- API ----------------------------------------------------------------------
get '/api/v1/strategies/GEN-4/indicators?year=2023'
header 'Content-Type: application/json'
# The statuses agree with the report's indicator table for 2023.
it report --db "$DB" --strategy GEN-4 --year 2023 -o "$T/r2023.html"
expect_rc 0
PY='
import json, re, sys, html
d = json.load(open(sys.argv[1]))
assert d["as_of"] == 2023 and d["biennium"] == "2022-23", d["as_of"]
assert len(d["indicators"]) == 31 and sum(d["counts"].values()) == 31
rep = open(sys.argv[2]).read()
table = rep[rep.index("Indicators, 2022–23 (status at the end of 2023)"):]
table = table[:table.index("</table>")]
rows = re.findall(r"<tr><th scope=\"row\">(\S+) [^<]*</th>(?:<td>[^<]*</td>){3}<td>([^<]*)</td><td>([^<]*)</td></tr>", table)
assert len(rows) == 31, len(rows)
api = {x["code"]: x for x in d["indicators"]}
for code, latest, status in rows:
    x = api[html.unescape(code)]
    assert x["status_label"] == status, (code, x["status_label"], status)
    assert latest.endswith("(%s)" % x["latest"]["date"]), (code, latest)
    assert x["milestone"]["period"] == "2022-23", code
'
py "$T/r2023.html"
get '/api/v1/strategies/GEN-4/indicators?kind=kri&status=on_track'
PY='
import json, sys
d = json.load(open(sys.argv[1]))
xs = d["indicators"]
assert xs and all(x["kind"] == "kri" and x["status"] == "on_track" for x in xs), xs
assert d["counts"]["on_track"] == len(xs)
assert sum(d["counts"].values()) == 14
'
py
get /api/v1/strategies/GEN-4/indicators/KRI-01
PY='
import json, sys
d = json.load(open(sys.argv[1]))
assert d["code"] == "KRI-01" and d["kind"] == "kri" and d["direction"] == "down"
assert [y["year"] for y in d["status_by_year"]] == [2022, 2023, 2024, 2025]
assert len(d["milestones"]) == 2 and len(d["measurements"]) == 3
assert d["measurements"][0]["source"] == "Annual IT survey"
assert d["risks"] == [{"code": "R01", "title": "Cyberattack compromising confidential data"}]
assert d["as_of"] == 2024 and d["latest"]["date"] == "2024-12-31"
'
py
get /api/v1/strategies/GEN-4/indicators/NOPE 404
header 'Content-Type: application/json'
has '"status": 404'
get '/api/v1/strategies/GEN-4/indicators?status=late' 400
has '"message": "parameter status: must be one of'
get '/api/v1/strategies/GEN-4/indicators/OI-1.1?year=2099' 400
has 'parameter year: must be a year of the strategy'

# ---- hostile text ---------------------------------------------------------------
for p in /s/EVIL-2/indicators /s/EVIL-2/indicators/I.1 /s/EVIL-2/indicators/K-1 \
    /s/EVIL-2/indicators/P-1 /s/EVIL-1/reports /s/EVIL-1/indicators; do
    get "$p"
    lacks '<script>alert'
    lacks '<b>u</b>'
    lacks '<i>src</i>'
    lacks 'javascript:'
    lacks '<img src=x'
    lacks '</td><td>spoof'
done
get /s/EVIL-2/indicators
has '&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;'
has '19.5 &lt;b&gt;u&lt;/b&gt;'
has 'Security &lt;/td&gt;&lt;td&gt;spoof'
has '*bold* | pipe'
has '<span class="badge s-no_data">no data</span>'
get /s/EVIL-2/indicators/I.1
has "Described with &lt;script&gt;alert('desc')&lt;/script&gt;, a link and <em>emphasis</em>."
has '&lt;i&gt;src&lt;/i&gt; &amp; co'
has '&quot;quoted&quot; &#39;note&#39; &lt;/table&gt;'
get /s/EVIL-2/indicators/K-1
has 'Risk &lt;script&gt;alert(&#39;risk&#39;)&lt;/script&gt;'
get /api/v1/strategies/EVIL-2/indicators/I.1
PY='
import json, sys
d = json.load(open(sys.argv[1]))
assert d["title"] == "<script>alert('"'"'title'"'"')</script>", d["title"]
assert d["measurements"][0]["note"].startswith("\"quoted\"")
'
py

# A new import shows at once: nothing stale is kept.
get /api/v1/strategies/EVIL-2/indicators
has '"title": "*bold* | pipe"'
get /s/EVIL-2/indicators/K-1
sed -e 's/"title": "\*bold\* | pipe"/"title": "Renamed KRI"/' \
    -e 's/"date": "2023-03-01", "value": 9/"date": "2023-03-01", "value": 40/' "$T/evil.json" >"$T/evil2.json"
it import --db "$DB" "$T/evil2.json"
expect_rc 0
get /api/v1/strategies/EVIL-2/indicators
has '"title": "Renamed KRI"'
lacks '"title": "*bold* | pipe"'
get /s/EVIL-2/indicators/K-1
has '<h1>Renamed KRI</h1>'
has '<span class="badge s-not_achieved">not achieved</span>'

# ---- reports list -----------------------------------------------------------------
get /s/GEN-4/reports
has '<h1>Reports to the governing body</h1>'
has '<caption>Reports by year</caption>'
for y in 2022 2023 2024 2025; do
    has "<a href=\"/s/GEN-4/reports/$y\">View</a>"
    has "<a href=\"/s/GEN-4/reports/$y?download=1\">HTML file</a>"
    has "<a href=\"/s/GEN-4/reports/$y?format=pdf&amp;download=1\">PDF file</a>"
    has "<a href=\"/s/GEN-4/reports/$y?format=md\">Markdown and figures</a>"
done
has 'GB.343/PFA/INF/3'
has '14 February 2024'
has 'Final report'
get /s/2018-21/reports
has '<th scope="row">2018</th><td colspan="2" class="muted">No report metadata'
has 'Final report on the implementation of the Information Technology Strategy 2018–21'
lacks 'href="/s/2018-21/reports/2019"'
get '/s/2018-21/reports?year=2021' 400
has 'this page takes no parameters'

# ---- a report as `itstrat report` writes it --------------------------------------------
# csp_ok — the Content-Security-Policy allows exactly the report's inline
# style, by its SHA-256, and no script.
csp_ok() {
    PY='
import base64, hashlib, re, sys
body = open(sys.argv[1], "rb").read()
head = open(sys.argv[2]).read()
csp = re.search(r"(?im)^content-security-policy: (.*?)\r?$", head).group(1)
i = body.index(b"<style>") + len(b"<style>")
j = body.index(b"</style>", i)
h = base64.b64encode(hashlib.sha256(body[i:j]).digest()).decode()
dirs = dict((d.split()[0], d.split()[1:]) for d in csp.split(";") if d.strip())
assert dirs["default-src"] == ["'"'"'none'"'"'"], csp
assert dirs["style-src"] == ["'"'"'sha256-%s'"'"'" % h], (csp, h)
assert dirs["img-src"] == ["data:"], csp
assert "script-src" not in dirs, csp
'
    py "$T/head"
}
same_as_cli() { # same_as_cli ARGS... — the last body equals `itstrat report ARGS` on stdout
    "$ITSTRAT" report --db "$DB" "$@" >"$T/cli.out" 2>"$T/cli.err" || fail "itstrat report $*: $(cat "$T/cli.err")"
    grep -av '^<nav class="app-bar"' "$T/body" >"$T/body.doc" # the web view's bar back to the app
    same_file "$T/body.doc" "$T/cli.out"
}
get /s/2018-21/reports/2021                  # the demo's last year is marked final
header 'Content-Type: text/html; charset=utf-8'
same_as_cli --strategy 2018-21 --year 2021 --final
csp_ok
get '/s/2018-21/reports/2021?final=0'
same_as_cli --strategy 2018-21 --year 2021
get /s/GEN-4/reports/2023
same_as_cli --strategy GEN-4 --year 2023
csp_ok
get /s/GEN-4/reports/2023                    # again, from the cache: the same bytes
same_as_cli --strategy GEN-4 --year 2023
has '<nav class="app-bar" aria-label="itstrat"><a href="/s/GEN-4/reports">'
get '/s/GEN-4/reports/2023?download=1'
same_file "$T/body" "$T/cli.out" # a download has no bar: exactly the CLI's bytes
lacks 'class="app-bar"'
get '/s/GEN-4/reports/2023?format=pdf&download=1'
header 'Content-Type: application/pdf'
header 'Content-Disposition: attachment; filename="GEN-4-report-2023.pdf"'
"$ITSTRAT" report --db "$DB" --strategy GEN-4 --year 2023 --format pdf -o "$T/gen.pdf" || fail "pdf"
same_file "$T/body" "$T/gen.pdf"
get '/s/GEN-4/reports/2023?format=pdf'
header 'Content-Disposition: inline; filename="GEN-4-report-2023.pdf"'
get '/s/GEN-4/reports/2023?download=1'
same_as_cli --strategy GEN-4 --year 2023
header 'Content-Disposition: attachment; filename="GEN-4-report-2023.html"'
csp_ok
get /s/EVIL-1/reports/2021
same_as_cli --strategy EVIL-1 --year 2021
csp_ok
# HEAD gives the headers alone.
NCHECKS=$((NCHECKS + 1))
curl -s -I "$U/s/GEN-4/reports/2023" | grep -qi "^content-security-policy: default-src 'none'" ||
    fail "HEAD of a report has no CSP"

# Markdown: the text and its figures, as `itstrat report --format md -o STEM.md`.
mkdir -p "$T/md"
it report --db "$DB" --strategy GEN-4 --year 2025 --final --format md -o "$T/md/GEN-4-report-2025-final.md"
expect_rc 0
get '/s/GEN-4/reports/2025?format=md&download=1'
header 'Content-Type: text/markdown; charset=utf-8'
header 'Content-Disposition: attachment; filename="GEN-4-report-2025-final.md"'
same_file "$T/body" "$T/md/GEN-4-report-2025-final.md"
get '/s/GEN-4/reports/2025?format=md'
has 'The final report of 2025 in Markdown'
nfig=0
for f in "$T"/md/*.svg; do
    n=${f##*/}
    nfig=$((nfig + 1))
    get "/s/GEN-4/reports/$n"                   # once from the Markdown page's cache...
    header 'Content-Type: image/svg+xml'
    same_file "$T/body" "$f"
done
[ "$nfig" -ge 1 ] || fail "the generated final report has no figure file"
get '/s/GEN-4/reports/2025?format=md'
has "href=\"/s/GEN-4/reports/GEN-4-report-2025-final-figure-1.svg\""
has 'href="/s/GEN-4/reports/2025?format=md&amp;download=1&amp;final=1"'
mkdir -p "$T/md2"
it report --db "$DB" --strategy 2018-21 --year 2021 --final --format md -o "$T/md2/2018-21-report-2021-final.md"
expect_rc 0
get /s/2018-21/reports/2018-21-report-2021-final-figure-1.svg   # ...and once generated
same_file "$T/body" "$T/md2/2018-21-report-2021-final-figure-1.svg"

# ---- no such report, bad parameters ---------------------------------------------------
get /s/2018-21/reports/2020 404
has 'strategy 2018-21 has no report metadata for 2020'
get /s/2018-21/reports/2017 404
has 'runs from 2018 to 2021'
get /s/2018-21/reports/latest 404
get /s/2018-21/reports/2018-21-report-2021-final-figure-7.svg 404
has 'has 1 figure; there is no figure 7'
get /s/2018-21/reports/OTHER-report-2021-figure-1.svg 404
get '/s/2018-21/reports/2020?final=1' 400
has 'parameter final: a final report covers the whole period'
get '/s/2018-21/reports/2021?format=odt' 400
has 'parameter format: must be one of html, md, pdf'
get '/s/2018-21/reports/2021?final=yes' 400
get '/s/2018-21/reports/2021?download=maybe' 400
get '/s/2018-21/reports/2021?year=2021' 400
get '/s/2018-21/reports/2018-21-report-2021-final-figure-1.svg?x=1' 400
NCHECKS=$((NCHECKS + 1))
[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$U/s/GEN-4/indicators")" = 405 ] ||
    fail "POST to the indicators page is not a 405"

kill -TERM $SERVER
wait $SERVER
RC=$?
NCHECKS=$((NCHECKS + 1))
[ "$RC" -eq 0 ] || fail "the server exited with status $RC: $(cat "$T/server.err")"
trap 'rm -rf "$T"' EXIT
pass
