#!/usr/bin/env bash
# test_web_portfolio.sh — the portfolio of `itstrat serve`, black box over
# HTTP: every filter alone and combined against the database, paging and
# sorting, full-text search over titles, summaries and update texts (built
# at the first search, rebuilt after a re-import), the CSV and XLSX
# downloads, the projects/project/stats API, escaping of hostile text, and
# 400s for bad parameters (FTS syntax in q is never an error).
. "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || fail "curl is missing: run scripts/install-deps.sh"
command -v python3 >/dev/null || fail "python3 is missing: run scripts/install-deps.sh"
command -v sqlite3 >/dev/null || fail "sqlite3 is missing: run scripts/install-deps.sh"

DB="$T/web.db"
it gen --projects 300 --seed 4 -o "$T/gen.json"
expect_rc 0
it import --db "$DB" "$T/gen.json"
expect_rc 0
it import --db "$DB" "$ITSTRAT_SRC/tests/data/hostile.json"
expect_rc 0
# A small strategy with hostile text, words found only in update texts, a
# location tree and dependencies both ways.
evil() { # evil WORD — writes $T/evil.json whose update of E.2 says WORD
    cat >"$T/evil.json" <<EOF
{
  "format": "itstrat/1",
  "strategy": {"code": "EVIL-P", "title": "Portfolio <script>alert('s')</script>",
               "first_year": 2020, "last_year": 2022,
               "categories": [{"code": "n", "name": "New <u>thing</u>", "new_or_major": true},
                              {"code": "m", "name": "Maint *bold* | pipe"}]},
  "locations": [{"code": "HQ", "name": "Head <b>quarters</b>", "kind": "headquarters"},
                {"code": "RO", "name": "Region", "kind": "region"},
                {"code": "CO", "name": "Office", "kind": "office", "parent": "RO"}],
  "outcomes": [{"number": 1, "title": "<img src=x onerror=alert('o')>",
                "outputs": [{"code": "1.1", "title": "Out <i>one</i>"}]},
               {"number": 2, "title": "Two", "outputs": []}],
  "drivers": [{"code": "sec", "title": "Security </td><td>spoof"}],
  "projects": [
    {"code": "E.1", "title": "Main <script>alert('p')</script>", "output": "1.1",
     "category": "n", "years": [2020, 2021], "status": "in_progress", "budget": 1234.5,
     "currency": "EUR", "unit": "Unit <b>U</b>", "planned_start": "2020-01-01",
     "summary": "Summary with =SUM(A1) and \"quotes\", commas",
     "locations": [{"location": "CO", "status": "completed", "date": "2021-03-01"}],
     "depends_on": ["E.2"]},
    {"code": "E.2", "title": "Second *bold* | pipe", "output": "1.1", "category": "m",
     "years": [2021], "status": "completed", "budget": 99,
     "updates": [{"date": "2021-05-01", "text": "Progress on the $1 rollout."}]},
    {"code": "E.3", "title": "Driver one", "driver": "sec", "years": [2022],
     "status": "proposed", "depends_on": ["E.1"],
     "locations": [{"location": "HQ", "status": "planned"}]},
    {"code": "E.4", "title": "Outcome two directly", "outcome": 2, "years": [2022],
     "status": "on_hold"}
  ],
  "committees": [{"code": "C1", "name": "Board", "meetings": [{"date": "2021-02-02",
     "decisions": [{"text": "Go <script>alert('d')</script>", "kind": "approve",
                    "projects": ["E.1"]}]}]}]
}
EOF
}
evil zanzibarquux
it import --db "$DB" "$T/evil.json"
expect_rc 0

# ---- the server -------------------------------------------------------------
. "$(dirname "$0")/web.sh"
web_start "$DB"

GEN="SELECT id FROM strategy WHERE code = 'GEN-4'"

# Page structure and the codes of the rows shown, in order ($T/codes).
PAGE='
import re, sys
b = open(sys.argv[1]).read()
main = b[b.index("<main"):b.index("</main>")]
assert b.count("<h1>") == 1, "h1 count"
level = 1
for m in re.finditer(r"<h([1-6])[ >]", main):
    n = int(m.group(1)); assert n <= level + 1, "heading order"; level = n
for t in re.findall(r"<table.*?</table>", main, re.S):
    assert "<caption>" in t and "<th scope=" in t, "table without caption or th scope"
for tag in ("<script", "<img", "<b>", "<i>", "<u>", "<td>spoof", "javascript:"):
    assert tag not in b, "raw %s in the page" % tag
for m in re.finditer(r"<(select|input) [^>]*id=\"([^\"]+)\"", main):
    if "type=\"hidden\"" in m.group(0): continue
    assert "<label for=\"%s\">" % m.group(2) in main, "no label for " + m.group(2)
rows = re.findall(r"<tr><td><a href=\"/s/[^/]+/projects/([^\"]+)\">", main)
open(sys.argv[1] + ".codes", "w").write("\n".join(rows) + ("\n" if rows else ""))
m = re.search(r"<p class=\"result-count\"><strong>([\d,]+)</strong>", main)
open(sys.argv[1] + ".total", "w").write(m.group(1).replace(",", "") if m else "0")
'
page() { # page PATH — fetches a portfolio page, checks its structure, sets CODES and TOTAL
    get "$1"
    PY=$PAGE py
    CODES=$(cat "$T/body.codes")
    TOTAL=$(cat "$T/body.total")
}
codes_sql() { q "$1" | tr -d '\r'; }
same() { # same WHAT GOT WANT
    NCHECKS=$((NCHECKS + 1))
    [ "$2" = "$3" ] || fail "$1: got [$(echo "$2" | head -5 | tr '\n' ' ')] want [$(echo "$3" | head -5 | tr '\n' ' ')]"
}

# ---- the default page ---------------------------------------------------------
page /s/GEN-4/portfolio
header 'Content-Type: text/html'
has '<h1>Portfolio</h1>'
has 'Figure 1. Projects by outcome and cross-cutting driver'
has 'Figure 2. Projects by category'
has 'aria-label="Pages"'
same "total" "$TOTAL" "$(q "SELECT count(*) FROM project WHERE strategy_id = ($GEN)")"
same "first page" "$CODES" "$(codes_sql "SELECT code FROM project WHERE strategy_id = ($GEN) ORDER BY sort LIMIT 50")"
# The Budget column's header is a numeric one, and no attribute came out
# escaped (issue 10: <th scope="col" class=&quot;num&quot;>); its links work.
has '<th scope="col" class="num"><a href="/s/GEN-4/portfolio?sort=budget'
lacks '&quot;num&quot;'
follow_links /s/GEN-4/portfolio?sort= 7
page '/s/GEN-4/portfolio?sort=budget&dir=desc&status=in_progress'
has '<th scope="col" class="num" aria-sort="descending">'
lacks '&quot;num&quot;'
follow_links /s/GEN-4/portfolio? 7

# ---- filters, alone and combined -------------------------------------------
check() { # check QUERY WHERE — page and API agree with the database
    page "/s/GEN-4/portfolio?$1&per=100"
    local want
    want=$(codes_sql "SELECT p.code FROM project p WHERE p.strategy_id = ($GEN) AND $2 ORDER BY p.sort LIMIT 100")
    same "page ?$1" "$CODES" "$want"
    same "total ?$1" "$TOTAL" "$(q "SELECT count(*) FROM project p WHERE p.strategy_id = ($GEN) AND $2")"
    get "/api/v1/strategies/GEN-4/projects?$1&limit=100"
    header 'Content-Type: application/json'
    PY='
import json, sys
d = json.load(open(sys.argv[1]))
assert d["total"] == int(sys.argv[2]), (d["total"], sys.argv[2])
got = [p["code"] for p in d["projects"]]
want = [c for c in sys.argv[3].split("\n") if c]
assert got == want, (got[:5], want[:5])
' py "$TOTAL" "$want"
    get "/api/v1/strategies/GEN-4/stats?$1"
    PY='
import json, sys
d = json.load(open(sys.argv[1]))
assert d["total"] == int(sys.argv[2])
assert sum(x["projects"] for x in d["by_status"]) == d["total"]
assert sum(x["projects"] for x in d["by_category"]) == d["total"]
assert sum(x["projects"] for x in d["by_home"]) == d["total"]
' py "$TOTAL"
}
CAT=$(q "SELECT code FROM category WHERE strategy_id = ($GEN) ORDER BY sort LIMIT 1 OFFSET 1")
CATID="(SELECT id FROM category WHERE strategy_id = ($GEN) AND code = '$CAT')"
OUT=$(q "SELECT code FROM output WHERE strategy_id = ($GEN) ORDER BY sort LIMIT 1 OFFSET 2")
DRV=$(q "SELECT code FROM driver WHERE strategy_id = ($GEN) ORDER BY sort LIMIT 1")
UNIT=$(q "SELECT unit FROM project WHERE strategy_id = ($GEN) AND unit IS NOT NULL LIMIT 1")
REGION=$(q "SELECT l.code FROM location l WHERE l.strategy_id = ($GEN) AND EXISTS (SELECT 1 FROM location c WHERE c.parent_id = l.id) LIMIT 1")
YEAR=$(q "SELECT max(year) FROM project_year y JOIN project p ON p.id = y.project_id WHERE p.strategy_id = ($GEN)")
[ -n "$CAT" ] && [ -n "$OUT" ] && [ -n "$DRV" ] && [ -n "$UNIT" ] && [ -n "$REGION" ] ||
    fail "the generated strategy lacks a category, output, driver, unit or location tree"
INLOC="EXISTS (SELECT 1 FROM project_location pl JOIN location l ON l.id = pl.location_id
        WHERE pl.project_id = p.id AND (l.code = '$REGION' OR l.parent_id =
        (SELECT id FROM location WHERE strategy_id = ($GEN) AND code = '$REGION')))"
check "status=in_progress" "p.status = 'in_progress'"
check "status=in_progress&category=$CAT" "p.status = 'in_progress' AND p.category_id = $CATID"
check "category=$CAT" "p.category_id = $CATID"
check "outcome=1" "(p.outcome_id = (SELECT id FROM outcome WHERE strategy_id = ($GEN) AND number = 1)
    OR p.output_id IN (SELECT o.id FROM output o JOIN outcome c ON c.id = o.outcome_id
                       WHERE c.strategy_id = ($GEN) AND c.number = 1))"
check "output=$OUT" "p.output_id = (SELECT id FROM output WHERE strategy_id = ($GEN) AND code = '$OUT')"
check "driver=$DRV" "p.driver_id = (SELECT id FROM driver WHERE strategy_id = ($GEN) AND code = '$DRV')"
check "year=$YEAR&status=completed" "p.status = 'completed' AND p.id IN (SELECT project_id FROM project_year WHERE year = $YEAR)"
check "location=$REGION" "$INLOC"
check "unit=$UNIT&year=$YEAR" "p.unit = '$UNIT' AND p.id IN (SELECT project_id FROM project_year WHERE year = $YEAR)"
check "outcome=2&category=$CAT&status=completed&location=$REGION" \
    "p.status = 'completed' AND p.category_id = $CATID AND $INLOC AND (p.outcome_id =
     (SELECT id FROM outcome WHERE strategy_id = ($GEN) AND number = 2) OR p.output_id IN
     (SELECT o.id FROM output o JOIN outcome c ON c.id = o.outcome_id WHERE c.strategy_id = ($GEN) AND c.number = 2))"
# The form shows the filter chosen.
page "/s/GEN-4/portfolio?status=pilot&category=$CAT"
has '<option value="pilot" selected>pilot</option>'
has "<option value=\"$CAT\" selected>"
# A filter matching nothing.
page "/s/GEN-4/portfolio?status=cancelled&driver=$DRV&year=$YEAR&unit=nobody"
same "empty total" "$TOTAL" 0
has 'No project matches these filters.'

# ---- paging and sorting -------------------------------------------------------
page "/s/GEN-4/portfolio?status=completed&page=2&per=10"
same "page 2" "$CODES" "$(codes_sql "SELECT code FROM project WHERE strategy_id = ($GEN) AND status = 'completed' ORDER BY sort LIMIT 10 OFFSET 10")"
has 'href="/s/GEN-4/portfolio?status=completed&amp;page=3&amp;per=10"'
has 'href="/s/GEN-4/portfolio?status=completed&amp;per=10"' # page 1 has no page=
has '<span aria-current="page">2</span>'
page "/s/GEN-4/portfolio?page=999"
has 'There is no page 999'
for s in "code:code" "title:title COLLATE NOCASE" "start:planned_start IS NULL, planned_start" \
         "end:planned_end IS NULL, planned_end" "budget:budget IS NULL, budget"; do
    key=${s%%:*} order=${s#*:}
    page "/s/GEN-4/portfolio?sort=$key&per=25"
    same "sort=$key" "$CODES" "$(codes_sql "SELECT code FROM project WHERE strategy_id = ($GEN) ORDER BY $order, sort LIMIT 25")"
    has 'aria-sort="ascending"'
    page "/s/GEN-4/portfolio?sort=$key&dir=desc&per=25"
    desc_order=$(echo "$order" | sed 's/\([a-z_]*\)$/\1 DESC/; s/NOCASE$/NOCASE DESC/')
    same "sort=$key desc" "$CODES" "$(codes_sql "SELECT code FROM project WHERE strategy_id = ($GEN) ORDER BY $desc_order, sort LIMIT 25")"
    has 'aria-sort="descending"'
done
page "/s/GEN-4/portfolio?sort=status&status=completed&per=10"
has "href=\"/s/GEN-4/portfolio?status=completed&amp;sort=status&amp;dir=desc&amp;per=10\""
get "/api/v1/strategies/GEN-4/projects?sort=budget&dir=desc&limit=3&offset=2"
PY='
import json, sys
d = json.load(open(sys.argv[1]))
assert d["offset"] == 2 and d["limit"] == 3 and len(d["projects"]) == 3, d
assert [p["code"] for p in d["projects"]] == sys.argv[2].split(), ([p["code"] for p in d["projects"]], sys.argv[2])
p = d["projects"][0]
for k in ("code", "title", "status", "home", "years"):
    assert k in p, k
assert p["home"]["kind"] in ("outcome", "output", "driver")
' py "$(codes_sql "SELECT code FROM project WHERE strategy_id = ($GEN) ORDER BY budget IS NULL, budget DESC, sort LIMIT 3 OFFSET 2" | tr '\n' ' ')"

# ---- full-text search ---------------------------------------------------------
[ "$(q 'SELECT count(*) FROM search_index')" = 0 ] || fail "the search index was built before any search"
page "/s/EVIL-P/portfolio?q=zanzibarquux" # a word only in an update text
same "search in updates" "$CODES" "E.2"
[ "$(q "SELECT count(*) FROM search_index WHERE strategy_id = (SELECT id FROM strategy WHERE code = 'EVIL-P')")" = 1 ] ||
    fail "the first search did not build the strategy's search rows"
page "/s/EVIL-P/portfolio?q=second+pipe" # words of a title, any order
same "search in titles" "$CODES" "E.2"
page "/s/EVIL-P/portfolio?q=commas+quotes" # words of a summary
same "search in summaries" "$CODES" "E.1"
page "/s/EVIL-P/portfolio?q=zanzibarquux&status=in_progress"
same "search and status" "$TOTAL" 0
WORD=$(q "SELECT substr(title, 1, instr(title, ' ') - 1) FROM project WHERE strategy_id = ($GEN) LIMIT 1")
page "/s/GEN-4/portfolio?q=$WORD&per=100"
same "search (generated)" "$TOTAL" "$(q "SELECT count(*) FROM project p WHERE p.strategy_id = ($GEN) AND p.id IN (SELECT rowid FROM project_fts WHERE project_fts MATCH '\"$WORD\"')")"
[ "$TOTAL" -gt 0 ] || fail "no project has the word $WORD of a title"
# FTS5 syntax in q is text, never an error.
for qq in '%22' '%22%22' 'NEAR(a+b)' 'a+OR+b' '*' 'title%3Ax' '(' 'AND' '-x' '%5E' 'x*' "'" '%2B' 'a%22b'; do
    get "/s/GEN-4/portfolio?q=$qq"
    get "/api/v1/strategies/GEN-4/projects?q=$qq"
done
# A re-import replaces the strategy: the old word is gone, the new one found.
evil yoyodynamics
it import --db "$DB" "$T/evil.json"
expect_rc 0
page "/s/EVIL-P/portfolio?q=zanzibarquux"
same "old word after re-import" "$TOTAL" 0
page "/s/EVIL-P/portfolio?q=yoyodynamics"
same "new word after re-import" "$CODES" "E.2"
# Changed text (the schema's triggers) is found again.
sqlite3 "$DB" "UPDATE project SET title = 'Renamed quixotically' WHERE code = 'E.4'"
page "/s/EVIL-P/portfolio?q=quixotically"
same "search after an edit" "$CODES" "E.4"
# A project added later (a CSV import adds projects) is found.
sqlite3 "$DB" "INSERT INTO project(strategy_id, code, title, outcome_id, status, sort)
    SELECT s.id, 'E.9', 'Added afterwards flibbertigibbet', o.id, 'proposed', 99
    FROM strategy s JOIN outcome o ON o.strategy_id = s.id AND o.number = 2 WHERE s.code = 'EVIL-P'"
page "/s/EVIL-P/portfolio?q=flibbertigibbet"
same "search finds an added project" "$CODES" "E.9"
sqlite3 "$DB" "DELETE FROM project WHERE code = 'E.9'"
page "/s/EVIL-P/portfolio?q=flibbertigibbet"
same "a deleted project is not found" "$TOTAL" 0

# ---- hostile text -------------------------------------------------------------
page "/s/EVIL-P/portfolio"
has 'Main &lt;script&gt;alert(&#39;p&#39;)&lt;/script&gt;'
has 'Second *bold* | pipe'
has 'Security &lt;/td&gt;&lt;td&gt;spoof'
has 'New &lt;u&gt;thing&lt;/u&gt;'
page "/s/EVIL-1/portfolio"
has '&lt;script&gt;alert(1)&lt;/script&gt;'
page "/s/EVIL-P/portfolio?location=RO" # projects in a place within the region
same "location tree" "$CODES" "E.1"
page "/s/EVIL-P/portfolio?outcome=2"
same "outcome with a direct project" "$CODES" "E.4"
get "/s/EVIL-P/portfolio?unit=Unit+%3Cb%3EU%3C%2Fb%3E&q=%3Cscript%3E"
PY=$PAGE py
has 'value="Unit &lt;b&gt;U&lt;/b&gt;" selected'
has 'value="&lt;script&gt;"'

# ---- downloads ----------------------------------------------------------------
get "/s/GEN-4/portfolio.csv?status=in_progress&category=$CAT"
header 'Content-Type: text/csv'
header 'Content-Disposition: attachment; filename="portfolio-GEN-4.csv"'
PY='
import csv, io, sys
rows = list(csv.reader(io.open(sys.argv[1], newline="", encoding="utf-8")))
head = rows[0]
for k in ("code", "title", "status", "category", "budget", "years", "summary", "locations"):
    assert k in head, k
assert [r[0] for r in rows[1:]] == sys.argv[2].split(), "csv rows"
assert all(r[head.index("status")] == "in_progress" for r in rows[1:])
assert open(sys.argv[1], "rb").read().count(b"\r\n") == len(rows)
' py "$(codes_sql "SELECT code FROM project WHERE strategy_id = ($GEN) AND status = 'in_progress' AND category_id = $CATID ORDER BY sort" | tr '\n' ' ')"
get "/s/EVIL-P/portfolio.csv?sort=code"
PY='
import csv, io, sys
rows = list(csv.reader(io.open(sys.argv[1], newline="", encoding="utf-8")))
h = rows[0]; e1 = [r for r in rows if r[0] == "E.1"][0]
assert e1[h.index("title")] == "Main <script>alert(\x27p\x27)</script>", e1
assert e1[h.index("summary")] == "Summary with =SUM(A1) and \"quotes\", commas", e1
assert e1[h.index("budget")] == "1234.50" and e1[h.index("currency")] == "EUR", e1
assert e1[h.index("locations")] == "CO" and e1[h.index("years")] == "2020; 2021", e1
' py
get "/s/GEN-4/portfolio.xlsx?status=in_progress&category=$CAT"
header 'Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
header 'Content-Disposition: attachment; filename="portfolio-GEN-4.xlsx"'
FIRST=$(codes_sql "SELECT code FROM project WHERE strategy_id = ($GEN) AND status = 'in_progress' AND category_id = $CATID ORDER BY sort LIMIT 1")
BUDGET=$(q "SELECT budget / 100.0 FROM project WHERE strategy_id = ($GEN) AND code = '$FIRST'")
N=$(q "SELECT count(*) FROM project WHERE strategy_id = ($GEN) AND status = 'in_progress' AND category_id = $CATID")
PY='
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
sheet = z.read("xl/worksheets/sheet1.xml").decode()
assert open(sys.argv[1], "rb").read(2) == b"PK"
assert "<pane ySplit=\"1\"" in sheet, "header row not frozen"
rows = re.findall(r"<row r=\"(\d+)\"", sheet)
assert len(rows) == int(sys.argv[4]) + 1, (len(rows), sys.argv[4])
row2 = re.search(r"<row r=\"2\".*?</row>", sheet, re.S).group(0)
assert ">%s<" % sys.argv[2] in row2, "first code"
vals = [float(v) for v in re.findall(r"<c r=\"K2\"[^>]*><v>([^<]+)</v>", row2)]
assert vals and abs(vals[0] - float(sys.argv[3])) < 0.001, (vals, sys.argv[3])
assert "<b/>" in z.read("xl/styles.xml").decode(), "no bold header format"
' py "$FIRST" "$BUDGET" "$N"
get "/s/EVIL-P/portfolio.xlsx"
PY='
import sys, zipfile
sheet = zipfile.ZipFile(sys.argv[1]).read("xl/worksheets/sheet1.xml").decode()
assert "Main &lt;script&gt;" in sheet and "<script" not in sheet
' py

# ---- one project --------------------------------------------------------------
get /api/v1/strategies/EVIL-P/projects/E.1
PY='
import json, sys
d = json.load(open(sys.argv[1]))
assert d["code"] == "E.1" and d["title"] == "Main <script>alert(\x27p\x27)</script>"
assert d["home"] == {"kind": "output", "code": "1.1", "title": "Out <i>one</i>"}, d["home"]
assert d["years"] == [2020, 2021] and d["budget"] == 1234.5
assert [x["code"] for x in d["depends_on"]] == ["E.2"]
assert [x["code"] for x in d["depended_on_by"]] == ["E.3"]
assert d["locations"][0]["location"] == "CO" and d["locations"][0]["status"] == "completed"
assert len(d["decisions"]) == 1 and d["decisions"][0]["kind"] == "approve"
for k in ("updates", "tags", "indicators"):
    assert isinstance(d[k], list), k
' py
get /api/v1/strategies/EVIL-P/projects/E.2
PY='
import json, sys
d = json.load(open(sys.argv[1]))
assert d["updates"][0]["text"] == "Progress on the yoyodynamics rollout."
assert d["tags"] == [] and d["depends_on"] == []
' py
get /api/v1/strategies/EVIL-P/projects/NOPE 404
get "/api/v1/strategies/EVIL-P/projects/E.1?x=1" 400

# ---- bad parameters -----------------------------------------------------------
for base in /s/GEN-4/portfolio /api/v1/strategies/GEN-4/projects; do
    bad "$base?status=bogus" status
    bad "$base?sort=drop+table" sort
    bad "$base?sort=code&dir=up" dir
    bad "$base?outcome=x" outcome
    bad "$base?outcome=99" outcome
    bad "$base?category=nonexistent" category
    bad "$base?output=9.9" output
    bad "$base?driver=%3Cscript%3E" driver
    bad "$base?location=nowhere" location
    bad "$base?year=20x" year
    bad "$base?status=completed&status=pilot" status
    bad "$base?bogus=1" bogus
done
bad "/s/GEN-4/portfolio?page=0" page
bad "/s/GEN-4/portfolio?page=-1" page
bad "/s/GEN-4/portfolio?per=7" per
bad "/s/GEN-4/portfolio?limit=10" limit
bad "/api/v1/strategies/GEN-4/projects?limit=0" limit
bad "/api/v1/strategies/GEN-4/projects?limit=501" limit
bad "/api/v1/strategies/GEN-4/projects?offset=-1" offset
bad "/api/v1/strategies/GEN-4/projects?page=2" page
bad "/s/GEN-4/portfolio.csv?page=2" page
bad "/api/v1/strategies/GEN-4/stats?sort=code" sort
get "/api/v1/strategies/GEN-4/projects?status=bogus" 400
header 'Content-Type: application/json'
get "/s/GEN-4/portfolio?status=bogus" 400
has '&quot;bogus&quot;'
get /s/NOPE/portfolio 404
get /s/NOPE/portfolio.csv 404

kill -TERM $SERVER
wait $SERVER
NCHECKS=$((NCHECKS + 1))
[ ! -s "$T/server.err" ] || fail "the server wrote to stderr: $(head -5 "$T/server.err")"
pass
