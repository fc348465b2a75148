#!/usr/bin/env bash
# test_web_pages.sh — the home dashboard, the strategy tree, the project page
# and the strategy API of `itstrat serve`, black box over HTTP: figures that
# agree with `itstrat summary` and the database, sections left out (and said
# so) when a strategy has nothing for them, the default and chosen year and
# the 400s of a bad one, the cache following a change to the database,
# 404s, and escaping of hostile text everywhere. The database holds a
# generated strategy, the demo (no indicators, risks or services),
# tests/data/hostile.json and a hostile strategy written here that has every
# part of a project page.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/web.sh"
command -v curl >/dev/null || fail "curl is missing: run scripts/install-deps.sh"
command -v python3 >/dev/null || fail "python3 is missing: run scripts/install-deps.sh"
command -v sqlite3 >/dev/null || fail "sqlite3 is missing: run scripts/install-deps.sh"

DB="$T/web.db"
web_fixture
cat >"$T/evil.json" <<'EOF'
{
  "format": "itstrat/1",
  "strategy": {"code": "EVIL-3", "title": "Pages <script>alert('s')</script>",
               "organization": "Org & <i>co</i>", "first_year": 2020, "last_year": 2022,
               "approved_by": "GB.<b>1</b>",
               "summary": "Summary with <script>alert('sum')</script> and *emphasis*.",
               "categories": [{"code": "n", "name": "New <u>thing</u>", "new_or_major": true}]},
  "locations": [{"code": "HQ", "name": "Head <script>alert('loc')</script> quarters",
                 "kind": "headquarters"}],
  "outcomes": [{"number": 1, "title": "<img src=x onerror=alert('o')>",
                "description": "Outcome text with [a link](javascript:alert(1)).",
                "outputs": [{"code": "1.1", "title": "*bold* | pipe <b>out</b>",
                             "description": "# Heading in a description\n\nText.",
                             "deliverables": ["Deliver <script>alert('d')</script>"]}]}],
  "drivers": [{"code": "sec", "title": "Security </td><td>spoof"}],
  "indicators": [
    {"code": "I.1", "kind": "outcome", "title": "Ind <script>alert('i')</script>", "output": "1.1",
     "unit": "%", "baseline": {"value": 10, "year": 2019}, "target": 30,
     "measurements": [{"date": "2021-12-31", "value": 35}]}
  ],
  "projects": [
    {"code": "E.1", "title": "Main <script>alert('p')</script>", "output": "1.1",
     "category": "n", "years": [2020, 2021], "status": "in_progress",
     "summary": "Project *summary* <script>alert('ps')</script>",
     "planned_start": "2020-01-01", "planned_end": "2021-06-30",
     "budget": 1234.5, "actual_cost": 1000000, "currency": "EUR",
     "unit": "Unit <b>U</b>", "source": "GB.<i>2</i>, para. 3",
     "tags": ["<script>alert('tag')</script>", "plain"],
     "locations": [{"location": "HQ", "status": "in_progress", "date": "2021-03-01",
                    "note": "Note </td><script>alert('n')</script>"}],
     "depends_on": ["E.2"],
     "updates": [{"date": "2021-05-01", "text": "Update *one* <script>alert('u')</script>\n\n# Big heading\n\nAfter the heading.",
                  "report_year": 2021, "source": "para. <b>9</b>",
                  "footnotes": ["Foot <script>alert('f')</script> note"]}]},
    {"code": "E.2", "title": "Second *bold* | pipe", "output": "1.1", "years": [2021],
     "status": "completed"},
    {"code": "E.3", "title": "Driver one", "driver": "sec", "years": [2022], "status": "proposed",
     "depends_on": ["E.1"]}
  ],
  "services": [
    {"code": "S1", "name": "Service <script>alert('svc')</script>", "availability_target": 99,
     "measurements": [{"period": "2021-01", "availability": 99.5},
                      {"period": "2021-02", "availability": 98}]}
  ],
  "risks": [
    {"code": "R1", "title": "Risk", "inherent": {"probability": 4, "impact": 5},
     "residual": {"probability": 2, "impact": 2}},
    {"code": "R2", "title": "Unassessed"}
  ],
  "committees": [
    {"code": "C1", "name": "Committee <script>alert('c')</script>",
     "meetings": [{"date": "2021-02-02", "title": "Meeting <b>one</b>",
                   "decisions": [{"text": "Decided *this* <script>alert('dec')</script>",
                                  "kind": "approve", "projects": ["E.1"]}]}]}
  ]
}
EOF
it import --db "$DB" "$T/evil.json"
expect_rc 0

# ---- the server -------------------------------------------------------------
web_start "$DB"

# The page's structure: one h1, headings in order, no heading without
# content after it, tables with a caption and th scope, no raw markup from
# the data (hostile strategies: no <script>, <img>, <b>... other than ours).
STRUCTURE='
import re, sys
b = open(sys.argv[1]).read()
main = b[b.index("<main"):b.index("</main>")]
assert b.count("<h1>") == 1, "h1 count"
level = 1
for m in re.finditer(r"<h([1-6])[ >]", main):
    n = int(m.group(1))
    assert n <= level + 1, "heading h%d after h%d at %r" % (n, level, main[m.start():m.start()+80])
    level = n
    rest = main[main.index(">", main.index("</h%d>" % n, m.start())) + 1:].lstrip()
    assert rest and not re.match(r"<h[1-%d][ >]|</section>|</div>|</main>" % n, rest), \
        "empty heading %r" % main[m.start():m.start()+80]
for t in re.findall(r"<table.*?</table>", main, re.S):
    assert "<caption>" in t, "table without caption"
    assert "<th scope=" in t, "table without th scope"
for tag in ("<script", "<img", "<b>", "<i>", "<u>", "<h1>spoof", "<td>spoof", "javascript:"):
    assert tag not in b, "raw %s in the page" % tag
'
structure() { PY=$STRUCTURE py; }

# ---- home: generated strategy -----------------------------------------------
YEAR=$(q "SELECT max(y.year) FROM project_year y JOIN project p ON p.id = y.project_id
          JOIN strategy s ON s.id = p.strategy_id WHERE s.code = 'GEN-4'")
[ -n "$YEAR" ] || fail "no work-plan year in the generated strategy"
it summary --db "$DB" --strategy GEN-4 --year "$YEAR"
expect_rc 0
NYEAR=$(sed -n 's/^  projects \([0-9]*\),.*/\1/p' "$T/out")
[ -n "$NYEAR" ] || fail "summary has no project count: $(head -5 "$T/out")"

get /s/GEN-4
structure
header 'Content-Type: text/html'
has '<h1>Synthetic IT Strategy 2022–25</h1>'
has "<h2>$YEAR at a glance</h2>"
has "aria-current=\"page\">$YEAR</a>"
has "<li><strong>$NYEAR</strong> <a href=\"/s/GEN-4/portfolio?year=$YEAR\">projects in the $YEAR work plan</a></li>"
has '<li><strong>300</strong> <a href="/s/GEN-4/portfolio">projects in 2022–2025</a></li>'
has "<h2>Outcomes and drivers in $YEAR</h2>"
has "href=\"/s/GEN-4/portfolio?outcome=1&amp;year=$YEAR\""
has "href=\"/s/GEN-4/portfolio?driver=security&amp;year=$YEAR\""
has '<h2>Indicators</h2>'
has '<h2>Risks</h2>'
has 'id="home-inherent"'
has 'id="home-residual-table"'
has '<h2>Service levels</h2>'
has '<h2>Latest progress updates</h2>'
lacks 'Not recorded for this strategy'
cp "$T/body" "$T/home1.html"
# Outcome cards count the projects of the year as the database does, and
# their statuses add up to them.
N1=$(q "SELECT count(*) FROM project p LEFT JOIN output o ON o.id = p.output_id
        JOIN outcome c ON c.id = coalesce(o.outcome_id, p.outcome_id)
        JOIN strategy s ON s.id = c.strategy_id
        WHERE s.code = 'GEN-4' AND c.number = 1
          AND p.id IN (SELECT project_id FROM project_year WHERE year = $YEAR)")
NSVC=$(q "SELECT count(*) FROM service v JOIN strategy s ON s.id = v.strategy_id WHERE s.code = 'GEN-4'")
NIND=$(q "SELECT count(*) FROM indicator i JOIN strategy s ON s.id = i.strategy_id WHERE s.code = 'GEN-4'")
LATEST=$(q "SELECT max(u.date) FROM project_update u JOIN project p ON p.id = u.project_id
            JOIN strategy s ON s.id = p.strategy_id WHERE s.code = 'GEN-4'")
PY='
import re, sys
b = open(sys.argv[1]).read()
n1, nsvc, nind, latest, nyear = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], int(sys.argv[6])
cards = re.findall(r"<section class=\"card\".*?</section>", b, re.S)
assert len(cards) == 3 + 6, len(cards)
total = 0
for c in cards:
    m = re.search(r"<strong>([\d,]+)</strong> projects?</a>", c)
    if not m:
        assert "No project in the" in c, c[:200]
        continue
    n = int(m.group(1).replace(",", ""))
    total += n
    rows = [int(x) for x in re.findall(r"<td class=\"num\"><a href=\"[^\"]*status=[a-z_]+&amp;year=\d+\">(\d+)</a>", c)]
    assert sum(rows) == n, (n, rows)
    assert "<caption>Projects by status</caption>" in c
assert total == nyear, (total, nyear)
first = re.search(r"Outcome 1: .*?<strong>([\d,]+)</strong>", cards[0], re.S)
assert int(first.group(1)) == n1, (first.group(1), n1)
ind = b[b.index("<h2>Indicators</h2>"):b.index("<h2>Risks</h2>")]
counts = [int(x) for x in re.findall(r"<li><strong>(\d+)</strong> <span class=\"badge s-", ind)]
assert sum(counts) == nind, (counts, nind)
sla = b[b.index("<h2>Service levels</h2>"):b.index("<h2>Latest progress updates</h2>")]
assert len(re.findall(r"<tr><th scope=\"row\">", sla)) == nsvc
for met, measured in re.findall(r"<td class=\"num\">(\d+)</td><td class=\"num\">(\d+)</td>", sla):
    assert int(met) <= int(measured) <= 12, (met, measured)
ups = b[b.index("<h2>Latest progress updates</h2>"):]
dates = re.findall(r"<li><p><time datetime=\"([0-9-]+)\">", ups)
assert len(dates) == 10 and dates[0] == latest and dates == sorted(dates, reverse=True), dates
assert re.search(r"<a href=\"/s/GEN-4/projects/P\d+\">P\d+ ", ups)
'
py "$N1" "$NSVC" "$NIND" "$LATEST" "$NYEAR"

# The indicator statuses agree with the indicators API at the same year.
AS_OF=$(sed -n 's/.*href="\/s\/GEN-4\/indicators?year=\([0-9]*\)".*/\1/p' "$T/home1.html")
[ -n "$AS_OF" ] || fail "the home page does not link to the indicators of a year"
get "/api/v1/strategies/GEN-4/indicators?year=$AS_OF"
cp "$T/body" "$T/ind.json"
get /s/GEN-4
PY='
import json, re, sys
b = open(sys.argv[1]).read()
api = json.load(open(sys.argv[2]))["counts"]
ind = b[b.index("<h2>Indicators</h2>"):b.index("<h2>Risks</h2>")]
page = {k: int(n) for n, k in re.findall(r"<li><strong>(\d+)</strong> <span class=\"badge s-([a-z_]+)\">", ind)}
assert page == {k: v for k, v in api.items() if v}, (page, api)
'
py "$T/ind.json"
same_file "$T/body" "$T/home1.html" # the cached page is the page

# A chosen year; bad years and parameters are 400s that say why.
it summary --db "$DB" --strategy GEN-4 --year 2023
N2023=$(sed -n 's/^  projects \([0-9]*\),.*/\1/p' "$T/out")
get '/s/GEN-4?year=2023'
structure
has '<h2>2023 at a glance</h2>'
has "<li><strong>$N2023</strong> <a href=\"/s/GEN-4/portfolio?year=2023\">"
has 'aria-current="page">2023</a>'
get '/s/GEN-4?year=' # empty: the default
has "<h2>$YEAR at a glance</h2>"
get '/s/GEN-4?year=2021' 400
has 'parameter year: must be a whole number from 2022 to 2025, not &quot;2021&quot;'
get '/s/GEN-4?year=2026' 400
has 'parameter year'
get '/s/GEN-4?year=twenty' 400
has 'parameter year: must be a whole number'
get '/s/GEN-4?year=2023&year=2024' 400
has 'parameter year: given more than once'
get '/s/GEN-4?outcome=1' 400
has 'parameter outcome: unknown here; this page takes year'
get /s/NOPE 404

# The cache follows the database: a change made elsewhere shows at once.
CODE=$(q "SELECT p.code FROM project_update u JOIN project p ON p.id = u.project_id
          JOIN strategy s ON s.id = p.strategy_id WHERE s.code = 'GEN-4'
          ORDER BY u.date DESC, u.id DESC LIMIT 1")
sqlite3 "$DB" "UPDATE project SET title = 'Renamed &lt; <b>now</b>' WHERE code = '$CODE'
               AND strategy_id = (SELECT id FROM strategy WHERE code = 'GEN-4')" ||
    fail "cannot change the database"
get /s/GEN-4
has "$CODE Renamed &amp;lt; &lt;b&gt;now&lt;/b&gt;</a>"

# ---- home: the demo has no indicators, risks or services ----------------------
get /s/2018-21
structure
has '<h1>Information Technology Strategy 2018–21</h1>'
has 'approved by GB.331/PFA/5'
has '<h2>2021 at a glance</h2>'
has 'Not recorded for this strategy yet: indicators, risks or service levels.'
lacks '<h2>Indicators</h2>'
lacks '<h2>Risks</h2>'
lacks '<h2>Service levels</h2>'
lacks 'new service offerings' # the demo has no new-or-major category
has '<h2>Latest progress updates</h2>'
get '/s/2018-21?year=2018'
structure
has '<h2>2018 at a glance</h2>'
has '<li><strong>0</strong> <a href="/s/2018-21/portfolio?year=2018">projects in the 2018 work plan</a></li>'
has 'No project in the 2018 work plan.'

# ---- home: hostile text -------------------------------------------------------
get /s/EVIL-1
structure
has '<h1>Strategy &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;</h1>'
has 'Outcome 1: &lt;script&gt;alert(1)&lt;/script&gt;</h3>'
has 'Security &lt;/h3&gt;&lt;h1&gt;spoof&lt;/h1&gt;</h3>'
has 'First paragraph with &lt;script&gt;alert(4)&lt;/script&gt; inline.'
lacks 'a raw block' # only an update's first paragraph is shown
get /s/EVIL-3
structure
has 'Org &amp; &lt;i&gt;co&lt;/i&gt; · 2020–2022 · approved by GB.&lt;b&gt;1&lt;/b&gt;'
has "Summary with &lt;script&gt;alert('sum')&lt;/script&gt; and <em>emphasis</em>."
has '<th scope="row">Service &lt;script&gt;alert(&#39;svc&#39;)&lt;/script&gt;</th><td class="num">1</td><td class="num">2</td>'
has '1 not fully assessed'
has '<li><strong>1</strong> <span class="badge s-achieved_ahead">'
lacks 'Not recorded for this strategy'

# ---- strategy tree ------------------------------------------------------------
N11=$(q "SELECT count(*) FROM project p JOIN output o ON o.id = p.output_id
         JOIN strategy s ON s.id = o.strategy_id WHERE s.code = 'GEN-4' AND o.code = '1.1'")
get /s/GEN-4/strategy
structure
has '<h1>Outcomes, outputs and drivers</h1>'
has '<a href="#outcome-1">Outcome 1: A more efficient organization</a>'
has '<h2 id="outcome-1">Outcome 1: A more efficient organization</h2>'
has '<section class="tree-output" id="output-1.1">'
has '<h4>Key deliverables</h4>'
has '<h2 id="drivers">Cross-cutting drivers</h2>'
has "<caption>Projects of output 1.1 (the first 20 of $N11)</caption>"
has "<a href=\"/s/GEN-4/portfolio?output=1.1\">All $N11 projects of output 1.1</a>"
has 'href="/s/GEN-4/portfolio?driver=security"'
has '<h3>Projects of outcome 1 outside its outputs</h3>'
has "<a href=\"/s/GEN-4/portfolio?outcome=1\">Every project of outcome 1 in the portfolio, its outputs' included</a>"
PY='
import re, sys
b = open(sys.argv[1]).read()
for t in re.findall(r"<table.*?</table>", b, re.S):
    rows = re.findall(r"<tr><th scope=\"row\"><a href=\"/s/GEN-4/projects/P\d+\">", t)
    assert 1 <= len(rows) <= 20, len(rows)
totals = [int(n.replace(",", "")) for n in re.findall(r"holds ([\d,]+) projects? in all", b)]
assert len(totals) == 3, totals
'
py
get '/s/GEN-4/strategy?x=1' 400
has 'parameter x: unknown here'
get /s/2018-21/strategy
structure
has '<h2 id="outcome-1">Outcome 1: A more efficient ILO</h2>'
has '<h3>Output 1.1: Increased scope and availability of IT services “on the go”</h3>'
has 'These projects in the portfolio' # fewer than 20: all of them shown
get /s/EVIL-1/strategy
structure
has '<h2 id="outcome-1">Outcome 1: &lt;script&gt;alert(1)&lt;/script&gt;</h2>'
has 'An outcome with &lt;img src=x onerror=alert(2)&gt; raw HTML and a link.'
has '<h3>Output 1.1: *bold* | pipe</h3>'
has 'No project of output 1.2 yet.'
has 'No project of driver empty yet.'
get /s/EVIL-3/strategy
structure
has '<h4>Heading in a description</h4>'
has '<li>Deliver &lt;script&gt;alert(&#39;d&#39;)&lt;/script&gt;</li>'
has '<h3>Security &lt;/td&gt;&lt;td&gt;spoof</h3>'

# ---- project page -------------------------------------------------------------
get /s/EVIL-3/projects/E.1
structure
has '<h1>Main &lt;script&gt;alert(&#39;p&#39;)&lt;/script&gt;</h1>'
has "Project <em>summary</em> &lt;script&gt;alert('ps')&lt;/script&gt;"
has '<a href="/s/EVIL-3/strategy#output-1.1">Output 1.1: *bold* | pipe &lt;b&gt;out&lt;/b&gt;</a>, under <a href="/s/EVIL-3/strategy#outcome-1">Outcome 1: &lt;img src=x onerror=alert(&#39;o&#39;)&gt;</a>'
has '<dt>Category</dt><dd>New &lt;u&gt;thing&lt;/u&gt; <span class="muted">(a new service offering or major improvement)</span>'
has '<dt>Work-plan years</dt><dd>2020, 2021</dd>'
has '<dt>Planned</dt><dd>2020-01-01 to 2021-06-30</dd>'
has '<dt>Actual</dt><dd><span class="muted">not recorded</span></dd>'
has '<dt>Budget</dt><dd>1,234.50 EUR</dd>'
has '<dt>Actual cost</dt><dd>1,000,000 EUR</dd>'
has '<dt>Owning unit</dt><dd>Unit &lt;b&gt;U&lt;/b&gt;</dd>'
has '<dt>Source</dt><dd>GB.&lt;i&gt;2&lt;/i&gt;, para. 3</dd>'
has '<li>&lt;script&gt;alert(&#39;tag&#39;)&lt;/script&gt;</li><li>plain</li>'
has '<th scope="row">Head &lt;script&gt;alert(&#39;loc&#39;)&lt;/script&gt; quarters</th><td>headquarters</td><td><span class="badge s-in_progress">in progress</span></td><td>2021-03-01</td><td>Note &lt;/td&gt;&lt;script&gt;alert(&#39;n&#39;)&lt;/script&gt;</td>'
has '<h3>Waits on</h3>'
has '<a href="/s/EVIL-3/projects/E.2">E.2</a> Second *bold* | pipe <span class="badge s-completed">completed</span>'
has '<h3>Waited on by</h3>'
has '<a href="/s/EVIL-3/projects/E.3">E.3</a> Driver one'
has '<time datetime="2021-05-01">2021-05-01</time> · in the report for 2021 · source: para. &lt;b&gt;9&lt;/b&gt;'
has "Update <em>one</em> &lt;script&gt;alert('u')&lt;/script&gt;"
has '<h3>Big heading</h3>'
has "Foot &lt;script&gt;alert('f')&lt;/script&gt; note"
has '<time datetime="2021-02-02">2021-02-02</time><br>Meeting &lt;b&gt;one&lt;/b&gt;</th><td>Committee &lt;script&gt;alert(&#39;c&#39;)&lt;/script&gt;</td><td>approve</td>'
has "Decided <em>this</em> &lt;script&gt;alert('dec')&lt;/script&gt;"
has '<a href="/s/EVIL-3/indicators/I.1">I.1</a></th><td>Ind &lt;script&gt;alert(&#39;i&#39;)&lt;/script&gt;</td><td>output 1.1</td><td>35% (2021-12-31)</td><td><span class="badge s-achieved_ahead">'
lacks 'Nothing recorded for this project'
get /s/EVIL-3/projects/E.3
structure
has 'Cross-cutting driver <a href="/s/EVIL-3/strategy#driver-sec">Security &lt;/td&gt;&lt;td&gt;spoof</a>'
has '<h3>Waits on</h3>'
has '<a href="/s/EVIL-3/projects/E.1">E.1</a> Main &lt;script&gt;'
has '<p>No other project waits on this one.</p>'
has 'Nothing recorded for this project: roll-out by location, progress updates, governance decisions or indicators of its home.'
get /s/EVIL-3/projects/E.2
structure
has '<p>This project waits on no other project.</p>'
has '<a href="/s/EVIL-3/projects/E.1">E.1</a>'
has 'Nothing recorded for this project: roll-out by location, progress updates or governance decisions.'
get /s/EVIL-1/projects/X.1
structure
has '<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>'
has '&lt;div onclick=&quot;alert(5)&quot;&gt;a raw block&lt;/div&gt;'
has 'A note with &lt;b&gt;tags&lt;/b&gt; &amp; ampersands.'
has 'Nothing recorded for this project: roll-out by location, dependencies, governance decisions or indicators of its home.'
# A project of the generated strategy with everything: links both ways.
P=$(q "SELECT p.code FROM project p JOIN strategy s ON s.id = p.strategy_id
       WHERE s.code = 'GEN-4' AND p.id IN (SELECT depends_on_id FROM project_dependency)
       ORDER BY p.sort LIMIT 1")
W=$(q "SELECT w.code FROM project w JOIN project_dependency d ON d.project_id = w.id
       JOIN project p ON p.id = d.depends_on_id JOIN strategy s ON s.id = p.strategy_id
       WHERE s.code = 'GEN-4' AND p.code = '$P' ORDER BY w.sort LIMIT 1")
get "/s/GEN-4/projects/$P"
structure
has '<h3>Waited on by</h3>'
has "<a href=\"/s/GEN-4/projects/$W\">$W</a>"
get "/s/GEN-4/projects/$W"
has '<h3>Waits on</h3>'
has "<a href=\"/s/GEN-4/projects/$P\">$P</a>"
get /s/GEN-4/projects/NOPE 404
has 'There is no project &quot;NOPE&quot; in strategy GEN-4.'
get '/s/EVIL-3/projects/%3Cscript%3Ealert(1)%3Cb%3E' 404
has 'There is no project &quot;&lt;script&gt;alert(1)&lt;b&gt;&quot; in strategy EVIL-3.'
lacks '<script>'
get /s/2018-21/projects/E.1 404 # a code of another strategy
get '/s/EVIL-3/projects/E.1?tab=x' 400
has 'parameter tab: unknown here'

# A project's page and JSON are kept in the cache: a change made elsewhere
# shows at once in both.
get "/s/GEN-4/projects/$W"
get "/api/v1/strategies/GEN-4/projects/$W"
sqlite3 "$DB" "UPDATE project SET title = 'Retitled <i>here</i>' WHERE code = '$W'
               AND strategy_id = (SELECT id FROM strategy WHERE code = 'GEN-4')" ||
    fail "cannot change the database"
get "/s/GEN-4/projects/$W"
has '<h1>Retitled &lt;i&gt;here&lt;/i&gt;</h1>'
get "/api/v1/strategies/GEN-4/projects/$W"
has '"title": "Retitled <i>here</i>"'
get "/s/GEN-4/projects/$P"
has "<a href=\"/s/GEN-4/projects/$W\">$W</a> Retitled &lt;i&gt;here&lt;/i&gt;"

# ---- API ----------------------------------------------------------------------
get /api/v1/strategies
header 'Content-Type: application/json'
PY='
import json, sys
d = json.load(open(sys.argv[1]))
s = {x["code"]: x for x in d["strategies"]}
assert sorted(s) == ["2018-21", "EVIL-1", "EVIL-3", "GEN-4"], sorted(s)
g = s["GEN-4"]
assert g["first_year"] == 2022 and g["last_year"] == 2025 and g["public"] is True
assert g["links"]["self"] == "/api/v1/strategies/GEN-4" and g["links"]["html"] == "/s/GEN-4"
assert s["EVIL-1"]["title"] == "Strategy <b>bold</b> & \"quoted\""
assert s["EVIL-1"]["public"] is False and "organization" not in s["EVIL-1"]
'
py
get /api/v1/strategies/GEN-4
header 'Content-Type: application/json'
PY='
import json, sys
d = json.load(open(sys.argv[1]))
g = json.load(open(sys.argv[2]))
assert d["code"] == "GEN-4" and d["currency"] == "USD" and d["biennium_start"] == "even"
assert [c["code"] for c in d["categories"]] == [c["code"] for c in g["strategy"]["categories"]]
assert [o["number"] for o in d["outcomes"]] == [o["number"] for o in g["outcomes"]]
for a, b in zip(d["outcomes"], g["outcomes"]):
    assert [o["code"] for o in a["outputs"]] == [o["code"] for o in b["outputs"]]
    for x, y in zip(a["outputs"], b["outputs"]):
        assert x["deliverables"] == y.get("deliverables", []), x["code"]
assert [x["code"] for x in d["drivers"]] == [x["code"] for x in g["drivers"]]
assert [x["code"] for x in d["locations"]] == [x["code"] for x in g["locations"]]
t = d["totals"]
assert t["projects"] == len(g["projects"]) == 300
assert t["completed"] == sum(p["status"] == "completed" for p in g["projects"])
assert sum(x["projects"] for x in t["by_status"]) == 300
assert sum(x["projects"] for x in t["by_home"]) == 300
assert t["indicators"] == len(g["indicators"]) and t["risks"] == len(g["risks"])
'
py "$T/gen.json"
get /api/v1/strategies/EVIL-1
PY='
import json, sys
d = json.load(open(sys.argv[1]))
assert d["title"] == "Strategy <b>bold</b> & \"quoted\""
assert d["outcomes"][0]["title"] == "<script>alert(1)</script>"
assert d["outcomes"][0]["outputs"][1]["deliverables"] == []
assert d["locations"] == [] and d["public"] is False
assert d["totals"]["projects"] == 3
'
py
get /api/v1/strategies/NOPE 404
header 'Content-Type: application/json'
has '"status": 404'
get '/api/v1/strategies/GEN-4?year=2023' 400
has '"message": "parameter year: unknown here; this address takes no parameters"'
get '/api/v1/strategies?limit=5' 400
has 'parameter limit'

# ---- --public-only: a strategy not marked public is not there ----------------
PORT2=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$ITSTRAT" serve --db "$DB" --listen "127.0.0.1:$PORT2" --public-only --quiet 2>"$T/server2.err" &
SERVER2=$!
U1=$U
U="http://127.0.0.1:$PORT2"
for _ in $(seq 1 100); do
    curl -s -o /dev/null "$U/" && break
    sleep 0.1
done
get /api/v1/strategies
PY='
import json, sys
d = json.load(open(sys.argv[1]))
assert sorted(x["code"] for x in d["strategies"]) == ["2018-21", "GEN-4"], d
'
py
get /api/v1/strategies/EVIL-1 404
get /s/EVIL-1 404
get /s/EVIL-3/projects/E.1 404
get /s/GEN-4/strategy
kill -TERM $SERVER2
wait $SERVER2
U=$U1

# ---- a clean stop: no error in the server's log (ASan reports land there) ----
kill -TERM $SERVER
wait $SERVER
RC=$?
LAST_CMD="itstrat serve (stopped with SIGTERM)"
cp "$T/server.err" "$T/err"
: >"$T/out"
expect_rc 0
NCHECKS=$((NCHECKS + 1))
[ ! -s "$T/server.err" ] || fail "the server wrote to standard error"
trap 'rm -rf "$T"' EXIT

pass
