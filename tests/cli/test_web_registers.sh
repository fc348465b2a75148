#!/usr/bin/env bash
# test_web_registers.sh — the register pages (risks, services, expenditure,
# governance) and their API endpoints (plus report metadata) of `itstrat
# serve`, black box over HTTP: content, filters and their 400s, the derived
# values checked against the rules and against the database (risk levels
# from the default matrix, SLA months, sums of spending, meetings in date
# order), a strategy without registers that says so plainly, and hostile
# text in every register escaped where it lands (HTML, attributes, URLs,
# SVG, JSON). The database holds a generated strategy, the demo,
# tests/data/hostile.json and a hostile strategy with registers written here.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/web.sh"
command -v curl >/dev/null || fail "curl is missing: run scripts/install-deps.sh"
command -v python3 >/dev/null || fail "python3 is missing: run scripts/install-deps.sh"

DB="$T/web.db"
web_fixture
cat >"$T/evil.json" <<'EOF'
{
  "format": "itstrat/1",
  "strategy": {"code": "EVIL-R", "title": "Registers <script>alert('s')</script>",
               "first_year": 2020, "last_year": 2021, "currency": "CHF",
               "risk_matrix": [["critical", "critical", "critical", "critical", "critical"],
                               ["low", "low", "low", "low", "low"],
                               ["low", "low", "low", "low", "low"],
                               ["low", "low", "low", "low", "low"],
                               ["low", "low", "low", "low", "medium"]]},
  "outcomes": [{"number": 1, "title": "Outcome", "outputs": [{"code": "1.1", "title": "Output"}]}],
  "projects": [
    {"code": "X.1", "title": "<script>alert('proj')</script>", "output": "1.1", "status": "approved"},
    {"code": "X_2", "title": "*bold* | pipe", "output": "1.1", "status": "approved"}
  ],
  "indicators": [{"code": "KRI-1", "kind": "kri", "title": "KRI \"<b>k</b>\" </a>", "direction": "down"}],
  "risks": [
    {"code": "R1", "title": "Risk <script>alert('risk')</script>",
     "description": "Desc <img src=x onerror=alert(7)> and [x](javascript:alert(8))",
     "category": "Cat \"<b>\" & =#? | pipe", "owner": "Owner <i>o</i>",
     "inherent": {"probability": 5, "impact": 5}, "residual": {"probability": 1, "impact": 2},
     "actions": [{"title": "Act <script>alert('act')</script>", "status": "in_progress",
                  "due": "2021-03-31", "owner": "<u>me</u>"},
                 {"title": "Done one", "status": "done", "due": "2020-06-30"}],
     "indicators": ["KRI-1"]},
    {"code": "R2", "title": "*bold* | pipe", "category": "Other",
     "inherent": {"probability": 1, "impact": 1}}
  ],
  "services": [
    {"code": "S1", "name": "Service <script>alert('svc')</script>", "availability_target": 99.5,
     "response_hours": 4, "description": "<b>d</b>",
     "measurements": [{"period": "2021-01", "availability": 99.9, "response_hours": 2},
                      {"period": "2021-02", "availability": 98, "response_hours": 2},
                      {"period": "2021-03"}]}
  ],
  "expenditure": [
    {"year": 2021, "category": "Cat <script>alert('exp')</script> & =#", "unit": "U&<>",
     "amount": 1234567.89, "project": "X.1", "note": "note <b>n</b>"},
    {"year": 2020, "category": "Plain", "amount": 1000},
    {"year": 2021, "category": "Plain", "amount": 5, "currency": "EUR"}
  ],
  "committees": [
    {"code": "C1", "name": "Committee <script>alert('com')</script>",
     "charter": "Charter <script>alert(9)</script>",
     "meetings": [{"date": "2021-05-01", "title": "Meeting <b>m</b>",
                   "decisions": [{"kind": "approve", "text": "Decision <script>alert(10)</script>",
                                  "projects": ["X.1", "X_2"]},
                                 {"kind": "hold", "text": "Hold it"}]},
                  {"date": "2020-01-10", "title": "Earlier", "decisions": []}]}
  ],
  "reports": [{"year": 2021, "title": "R <script>x</script>",
               "related_documents": ["<a href=x>doc</a>", "GB.1/2"]}]
}
EOF
it import --db "$DB" "$T/evil.json"
expect_rc 0

# ---- the server -------------------------------------------------------------
web_start "$DB"
A=/api/v1/strategies

# ---- risks ------------------------------------------------------------------
get /s/GEN-4/risks
has '<h1>Risk register</h1>'
has '14 risks in the IT risk register'
has '<h2 id="levels">Residual risk by level</h2>'
has 'id="inherent-table"'
has 'id="residual-table"'
has '<caption>The 14 risks of the register</caption>'
has '<th scope="col">Key risk indicators</th>'
has 'href="/s/GEN-4/indicators/KRI-01"'
has '<label for="f-level">'
has '<label for="f-category">'
has '<label for="f-date">'
has 'Remedial actions by risk'
lacks 'overdue</span>'               # no date: no clock, no "overdue"
PY='
import re, sys
b = open(sys.argv[1]).read()
assert b.count("<svg") == 2, b.count("<svg")
assert b.count("<h1>") == 1
counts = [int(n) for n in re.findall(r"<li><strong>(\d+)</strong>", b)]
assert sum(counts) == 14, counts
# the heat maps count every risk once
for which in ("inherent", "residual"):
    t = b[b.index("id=\"%s-table\"" % which):]
    t = t[:t.index("</table>")]
    cells = [int(n) for n in re.findall(r"<td class=\"risk-[a-z]+\">(\d+) \(", t)]
    assert len(cells) == 25 and sum(cells) == 14, (which, cells)
'
py "$DB"

# Levels follow the default matrix (docs/rules.md): the score p x i.
get "$A/GEN-4/risks"
header 'Content-Type: application/json'
PY='
import json, sys
d = json.load(open(sys.argv[1]))
def level(p, i):
    s = p * i
    return "low" if s <= 4 else "medium" if s <= 9 else "high" if s <= 14 else "critical"
assert d["total"] == 14 and len(d["risks"]) == 14
assert d["categories"] == ["Operational", "Security", "Strategic"], d["categories"]
n = {}
for r in d["risks"]:
    for k in ("inherent", "residual"):
        x = r[k]
        assert x["level"] == level(x["probability"], x["impact"]), (r["code"], k, x)
    n[r["residual"]["level"]] = n.get(r["residual"]["level"], 0) + 1
    assert r["actions_done"] == sum(a["status"] == "done" for a in r["actions"])
    assert isinstance(r["indicators"], list) and r["indicators"][0]["code"].startswith("KRI-")
    assert all("overdue" not in a for a in r["actions"])
for k, v in d["residual_levels"].items():
    assert n.get(k, 0) == v, (k, v, n)
'
py "$DB"
get "$A/GEN-4/risks?level=low&category=Security&date=2024-01-01"
PY='
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["risks"]) == d["residual_levels"]["low"] == 4, d["residual_levels"]
for r in d["risks"]:
    assert r["residual"]["level"] == "low" and r["category"] == "Security", r
    for a in r["actions"]:
        late = a["status"] not in ("done", "cancelled") and a["due"] < "2024-01-01"
        assert a["overdue"] == late, a
'
py "$DB"
get '/s/GEN-4/risks?level=low&date=2030-01-01'
has '<option value="low" selected>low</option>'
has 'overdue as of 2030-01-01'
has '<span class="badge s-missed">overdue</span>'
PY='
import re, sys
b = open(sys.argv[1]).read()
reg = b[b.index("id=\"register\""):b.index("id=\"actions\"")]
res = re.findall(r"<td>(?:<span class=\"nowrap\">\d × \d</span> )?<span class=\"badge s-([a-z]+)\">", reg)
assert res and set(res[1::2]) == {"low"}, res
'
py "$DB"
get '/s/GEN-4/risks?category=Nothing%20here'
has 'The register has no risk in the category “Nothing here”'
lacks '<table'
get '/s/GEN-4/risks?level=&category=&date='  # an empty value is no filter
has '<caption>The 14 risks of the register</caption>'
bad '/s/GEN-4/risks?level=severe' level
has 'must be one of low, medium, high, critical'
bad '/s/GEN-4/risks?date=2023-02-30' date
bad '/s/GEN-4/risks?date=tomorrow' date
bad "/s/GEN-4/risks?category=$(printf 'x%.0s' $(seq 1 201))" category
bad '/s/GEN-4/risks?sort=code' sort
bad '/s/GEN-4/risks?level=low&level=high' level
bad "$A/GEN-4/risks?date=2023-13-01" date
header 'Content-Type: application/json'
has '"status": 400'
get /s/NOPE/risks 404
LAST_CMD="POST /s/GEN-4/risks"
RC=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$U/s/GEN-4/risks")
NCHECKS=$((NCHECKS + 1))
[ "$RC" = 405 ] || fail "POST /s/GEN-4/risks: status $RC, expected 405"

# ---- services ---------------------------------------------------------------
get /s/GEN-4/services
has '<h1>Service levels</h1>'
has '12 services with service-level targets'
has '<h2 id="sla">Service levels in 2025</h2>'   # the last year with measurements
has '<option selected>2025</option>'
has '<th scope="colgroup" colspan="3">Targets</th>'
has 'href="/s/GEN-4/services?year=2025&amp;service=SVC-01"'
has 'id="compliance-table"'
has '<label for="f-year">'
has '<label for="f-service">'
get '/s/GEN-4/services?year=2023&service=SVC-03'
has '<h2 id="trend">Trend: Service desk</h2>'
has 'Monthly availability in 2023'
has 'Target'
has '<caption>Service desk, month by month in 2023</caption>'
PY='
import re, sys
b = open(sys.argv[1]).read()
months = re.findall(r"<tr><th scope=\"row\">(2023-\d\d)</th>", b)
assert months == ["2023-%02d" % m for m in range(1, 13)], months
'
py "$DB"
# SLA months and compliance agree with docs/rules.md and the database.
get "$A/GEN-4/services?year=2023"
PY='
import json, sqlite3, sys
d = json.load(open(sys.argv[1]))
db = sqlite3.connect(sys.argv[2])
assert d["year"] == 2023 and d["years"] == [2022, 2023, 2024, 2025], d["years"]
assert len(d["services"]) == 12
for s in d["services"]:
    t = s["targets"]
    met = 0
    for m in s["months"]:
        ok = [m[k] >= t[k] if k == "availability" else m[k] <= t[k]
              for k in ("availability", "response_hours", "resolution_hours") if k in m and k in t]
        want = "no_data" if not ok else "met" if all(ok) else "missed"
        assert m["sla"] == want, (s["code"], m, want)
        met += want == "met"
    assert s["months_met"] == met and s["months_measured"] == 12, s
    assert abs(s["compliance"] - round(1000 * met / 12) / 10) < 1e-9, s
    assert s["last_month"]["period"] == "2023-12", s["last_month"]
    (n,) = db.execute("SELECT COUNT(*) FROM service_measurement m JOIN service v ON v.id = m.service_id"
                      " WHERE v.code = ? AND m.period LIKE ?", (s["code"], "2023-%")).fetchone()
    assert n == len(s["months"]), (s["code"], n)
'
py "$DB"
get "$A/GEN-4/services?service=SVC-02"
PY='
import json, sys
d = json.load(open(sys.argv[1]))
assert [s["code"] for s in d["services"]] == ["SVC-02"] and d["year"] == 2025
'
py "$DB"
get '/s/GEN-4/services?year=1999'
has 'No service has a measurement in 1999'
lacks '<table'
bad '/s/GEN-4/services?year=abc' year
bad '/s/GEN-4/services?year=1800' year
bad '/s/GEN-4/services?service=NOPE' service
has 'this strategy has no service'
bad '/s/GEN-4/services?service=%3Cb%3E' service
bad "$A/GEN-4/services?service=NOPE" service
bad "$A/GEN-4/services?month=1" month

# ---- expenditure ------------------------------------------------------------
get /s/GEN-4/expenditure
has '<h1>IT expenditure</h1>'
has '<caption>Spending by category and year, USD</caption>'
has '<h2 id="year">2025 by category</h2>'
has 'id="spending-table"'
has '<tfoot><tr><th scope="row">Total</th>'
has '<label for="f-year">'
has '<label for="f-category">'
PY='
import re, sqlite3, sys
b = open(sys.argv[1]).read()
db = sqlite3.connect(sys.argv[2])
(sid,) = db.execute("SELECT id FROM strategy WHERE code = ?", ("GEN-4",)).fetchone()
(total,) = db.execute("SELECT SUM(amount) FROM expenditure WHERE strategy_id = ?", (sid,)).fetchone()
foot = b[b.index("<tfoot>"):b.index("</tfoot>")]
cells = re.findall(r"<td class=\"num\"><strong>([0-9,.]+)</strong></td>", foot)
want = "{:,}.{:02d}".format(total // 100, total % 100)
assert cells[-1] == want, (cells, want)
for y, in db.execute("SELECT DISTINCT year FROM expenditure WHERE strategy_id = ? ORDER BY year", (sid,)):
    (s,) = db.execute("SELECT SUM(amount) FROM expenditure WHERE strategy_id = ? AND year = ?", (sid, y)).fetchone()
    assert "{:,}.{:02d}".format(s // 100, s % 100) in cells, (y, s, cells)
'
py "$DB"
PROJ_YEAR=$(sqlite3 "$DB" "SELECT e.year FROM expenditure e JOIN strategy s ON s.id = e.strategy_id WHERE s.code = 'GEN-4' AND e.project_id IS NOT NULL ORDER BY e.sort LIMIT 1")
PROJ_CODE=$(sqlite3 "$DB" "SELECT p.code FROM expenditure e JOIN strategy s ON s.id = e.strategy_id JOIN project p ON p.id = e.project_id WHERE s.code = 'GEN-4' ORDER BY e.sort LIMIT 1")
get "/s/GEN-4/expenditure?year=$PROJ_YEAR&category=Contractors"
has "<h2 id=\"year\">$PROJ_YEAR by category</h2>"
has "Spending lines of $PROJ_YEAR in “Contractors”"
has "href=\"/s/GEN-4/projects/$PROJ_CODE\""
lacks '<td>Staff</td>'
get '/s/GEN-4/expenditure?year=2024&page=9'
has 'There is no page 9'
get '/s/GEN-4/expenditure?year=1999'
has 'No spending in USD is recorded in 1999'
has 'No spending is recorded in 1999.'
get "$A/GEN-4/expenditure?year=2024&category=Staff&limit=2&offset=1"
PY='
import json, sqlite3, sys
d = json.load(open(sys.argv[1]))
db = sqlite3.connect(sys.argv[2])
(sid,) = db.execute("SELECT id FROM strategy WHERE code = ?", ("GEN-4",)).fetchone()
assert d["currency"] == "USD"
for c in d["totals"]["categories"]:
    for y in c["by_year"]:
        (s,) = db.execute("SELECT COALESCE(SUM(amount), 0) FROM expenditure WHERE strategy_id = ?"
                          " AND category = ? AND year = ?", (sid, c["category"], y["year"])).fetchone()
        assert round(y["amount"] * 100) == s, (c["category"], y, s)
l = d["lines"]
(n,) = db.execute("SELECT COUNT(*) FROM expenditure WHERE strategy_id = ? AND year = 2024"
                  " AND category = ?", (sid, "Staff")).fetchone()
assert l["total"] == n and l["limit"] == 2 and l["offset"] == 1 and len(l["items"]) == min(2, n - 1), l
assert all(x["category"] == "Staff" and x["year"] == 2024 for x in l["items"])
'
py "$DB"
get "$A/GEN-4/expenditure?year=1999"
has '"items": []'
bad '/s/GEN-4/expenditure?page=0' page
bad '/s/GEN-4/expenditure?year=20x' year
bad "$A/GEN-4/expenditure?limit=0" limit
bad "$A/GEN-4/expenditure?limit=1001" limit
bad "$A/GEN-4/expenditure?offset=-1" offset

# ---- governance -------------------------------------------------------------
get /s/GEN-4/governance
has '<h1>Governance</h1>'
has 'Information Technology Governance Committee'
has '<h3>Charter</h3>'
has '<th scope="col">Decision</th>'
has 'href="/s/GEN-4/projects/P000'
has '<label for="f-committee">'
has '<label for="f-kind">'
get "$A/GEN-4/governance"
PY='
import json, sys
d = json.load(open(sys.argv[1]))
assert d["total"] == 1 and d["committees"][0]["code"] == "ITGC"
dates = [m["date"] for m in d["committees"][0]["meetings"]]
assert len(dates) == 16 and dates == sorted(dates), dates
assert all(m["decisions"] for m in d["committees"][0]["meetings"])
'
py "$DB"
get "$A/GEN-4/governance?kind=hold&committee=ITGC"
PY='
import json, sys
d = json.load(open(sys.argv[1]))
ms = d["committees"][0]["meetings"]
assert ms and all(m["decisions"] for m in ms)
assert {x["kind"] for m in ms for x in m["decisions"]} == {"hold"}
'
py "$DB"
get '/s/GEN-4/governance?kind=hold'
has '<option selected>hold</option>'
lacks 'badge s-approved'
get '/s/GEN-4/governance?kind=cancel'
has 'No decision of the kind “cancel” is recorded'
lacks '<table'
bad '/s/GEN-4/governance?committee=NOPE' committee
has 'this strategy has no committee'
bad '/s/GEN-4/governance?kind=veto' kind
bad "$A/GEN-4/governance?committee=a%20b" committee

# ---- reports ----------------------------------------------------------------
get "$A/GEN-4/reports"
PY='
import json, sys
d = json.load(open(sys.argv[1]))
assert [r["year"] for r in d["reports"]] == [2022, 2023, 2024, 2025], d
assert all(r["related_documents"] == [] or r["related_documents"] for r in d["reports"])
assert all("related_documents" in r and r["url"] == "/s/GEN-4/reports/%d" % r["year"] for r in d["reports"])
assert [r["final"] for r in d["reports"]] == [False, False, False, True]
'
py "$DB"
get "$A/GEN-4/reports?year=2023"
PY='
import json, sys
d = json.load(open(sys.argv[1]))
assert [r["year"] for r in d["reports"]] == [2023]
'
py "$DB"
bad "$A/GEN-4/reports?year=2030" year
get "$A/2018-21/reports"
PY='
import json, sys
d = json.load(open(sys.argv[1]))
assert [r["year"] for r in d["reports"]] == [2021] and d["reports"][0]["final"] is True, d
assert d["reports"][0]["related_documents"], d
'
py "$DB"

# ---- a strategy without registers --------------------------------------------
get /s/2018-21/risks
has 'This strategy has no risk register'
get /s/2018-21/services
has 'This strategy has no services with service-level targets recorded'
get /s/2018-21/expenditure
has 'This strategy has no IT expenditure recorded'
get /s/2018-21/governance
has 'This strategy has no governance committees recorded'
for p in risks services expenditure governance; do
    get "/s/2018-21/$p"
    lacks '<h2'
    lacks '<table'
    lacks '<svg'
    lacks '<form'
done
bad '/s/2018-21/risks?level=x' level      # parameters are checked all the same
get "$A/2018-21/risks"
has '"risks": []'
has '"categories": []'
get "$A/2018-21/services"
has '"services": []'
has '"years": []'
get "$A/2018-21/expenditure"
has '"items": []'
has '"categories": []'
get "$A/2018-21/governance"
has '"committees": []'

# ---- hostile text -------------------------------------------------------------
for p in risks services expenditure governance 'risks?date=2021-01-01' 'services?service=S1' \
    'expenditure?year=2021' 'governance?kind=approve'; do
    get "/s/EVIL-R/$p"
    lacks '<script'
    lacks '<img'
    lacks '<b>'
    lacks '<i>'
    lacks '<u>'
    lacks 'javascript:'
    lacks 'href="x"'
done
get /s/EVIL-1/risks                      # tests/data/hostile.json: no registers
has 'This strategy has no risk register'
lacks '<script'
get /s/EVIL-R/risks
has 'Risk &lt;script&gt;alert(&#39;risk&#39;)&lt;/script&gt;'
has 'Desc &lt;img src=x onerror=alert(7)&gt; and x'
has '<option value="Cat &quot;&lt;b&gt;&quot; &amp; =#? | pipe">'
has 'title="KRI &quot;&lt;b&gt;k&lt;/b&gt;&quot; &lt;/a&gt;"'
# The matrix of the strategy, not the default: 5 x 5 is medium, 1 x 2 critical.
has '<span class="nowrap">5 × 5</span> <span class="badge s-medium">medium</span>'
has '<span class="nowrap">1 × 2</span> <span class="badge s-critical">critical</span>'
get '/s/EVIL-R/risks?category=Cat%20%22%3Cb%3E%22%20%26%20%3D%23%3F%20%7C%20pipe&date=2021-04-01'
has '<caption>1 of the 2 risks of the register</caption>'
has '1 of the 2 actions shown was overdue as of 2021-04-01'
has 'href="/s/EVIL-R/risks?level=low&amp;category=Cat%20%22%3Cb%3E%22%20%26%20%3D%23%3F%20%7C%20pipe&amp;date=2021-04-01"'
get /s/EVIL-R/services
has 'Service &lt;script&gt;alert(&#39;svc&#39;)&lt;/script&gt;'
get '/s/EVIL-R/services?service=S1'
has '<tr><th scope="row">2021-03</th><td class="num">—</td><td class="num">—</td><td class="num">—</td><td><span class="badge s-none">no data</span></td></tr>'
has '<caption>Service &lt;script&gt;alert(&#39;svc&#39;)&lt;/script&gt;, month by month in 2021</caption>'
get /s/EVIL-R/expenditure
has 'in CHF unless marked. 1 line in another currency is listed but not summed.'
has 'Cat &lt;script&gt;alert(&#39;exp&#39;)&lt;/script&gt; &amp; =#'
has 'href="/s/EVIL-R/expenditure?year=2021&amp;category=Cat%20%3Cscript%3Ealert%28%27exp%27%29%3C%2Fscript%3E%20%26%20%3D%23"'
has '1,234,567.89'
has 'EUR 5.00 <span class="muted">(not in the sums)</span>'
has 'href="/s/EVIL-R/projects/X.1"'
get /s/EVIL-R/governance
has 'Committee &lt;script&gt;alert(&#39;com&#39;)&lt;/script&gt;'
has 'Decision &lt;script&gt;alert(10)&lt;/script&gt;'
has 'href="/s/EVIL-R/projects/X_2"'
has 'No decision recorded.'
PY='
import sys
b = open(sys.argv[1]).read()
assert b.index("2020-01-10") < b.index("2021-05-01"), "meetings are not in date order"
'
py "$DB"
for p in risks services expenditure governance reports; do
    get "$A/EVIL-R/$p"
    header 'Content-Type: application/json'
done
get "$A/EVIL-R/risks?category=Cat%20%22%3Cb%3E%22%20%26%20%3D%23%3F%20%7C%20pipe"
PY='
import json, sys
d = json.load(open(sys.argv[1]))
r = d["risks"]
assert len(r) == 1 and r[0]["title"] == "Risk <script>alert(\x27risk\x27)</script>", r
assert r[0]["category"] == "Cat \"<b>\" & =#? | pipe"
assert r[0]["residual"]["level"] == "critical" and r[0]["inherent"]["level"] == "medium"
assert r[0]["indicators"] == [{"code": "KRI-1", "title": "KRI \"<b>k</b>\" </a>"}]
'
py "$DB"
get "$A/EVIL-R/reports"
PY='
import json, sys
d = json.load(open(sys.argv[1]))
assert d["reports"][0]["related_documents"] == ["<a href=x>doc</a>", "GB.1/2"], d
'
py "$DB"
get "$A/EVIL-R/governance"
PY='
import json, sys
d = json.load(open(sys.argv[1]))
m = d["committees"][0]["meetings"]
assert [x["date"] for x in m] == ["2020-01-10", "2021-05-01"] and m[0]["decisions"] == []
assert [p["code"] for p in m[1]["decisions"][0]["projects"]] == ["X.1", "X_2"]
'
py "$DB"

# ---- answers stay right when the database changes (the cache follows) --------
get /s/GEN-4/risks
has '14 risks in the IT risk register'
sqlite3 "$DB" "DELETE FROM risk WHERE code = 'R14' AND strategy_id = (SELECT id FROM strategy WHERE code = 'GEN-4')" ||
    fail "cannot change the database"
get /s/GEN-4/risks
has '13 risks in the IT risk register'
get "$A/GEN-4/risks"
has '"total": 13'

kill -TERM $SERVER
wait $SERVER
NCHECKS=$((NCHECKS + 1))
[ ! -s "$T/server.err" ] || fail "the server wrote errors: $(head -5 "$T/server.err")"
pass
