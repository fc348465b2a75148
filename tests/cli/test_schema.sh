#!/usr/bin/env bash
# docs/strategy.schema.json against real documents and against `itstrat import`:
#  - the demo strategy and a generated one are valid under the schema;
#  - documents that break one rule each are refused by BOTH the schema and the
#    importer, and edge cases that are allowed are accepted by BOTH, so the
#    schema and src/io/import_*.c cannot drift apart silently.
# Environment: ITSTRAT (the binary), ITSTRAT_SRC (the repository root).
set -euo pipefail

: "${ITSTRAT:?set ITSTRAT to the itstrat binary}"
: "${ITSTRAT_SRC:?set ITSTRAT_SRC to the repository root}"
SCHEMA="$ITSTRAT_SRC/docs/strategy.schema.json"
CHECK="$ITSTRAT_SRC/tests/schema/check_schema.py"
DEMO="$ITSTRAT_SRC/data/demo/ilo-it-strategy-2018-21.json"

# The Debian package installs the module for /usr/bin/python3, which need not
# be the python3 first on PATH.
PY=""
for p in python3 /usr/bin/python3; do
  if command -v "$p" >/dev/null 2>&1 &&
     "$p" -c 'from jsonschema import Draft202012Validator' >/dev/null 2>&1; then
    PY="$p"
    break
  fi
done
if [ -z "$PY" ]; then
  echo "test_schema: FAIL: python3 with the jsonschema module (draft 2020-12) is missing;" \
       "run scripts/install-deps.sh (it installs the Debian package python3-jsonschema)" >&2
  exit 1
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fails=0
fail() { echo "test_schema: FAIL: $*" >&2; fails=$((fails + 1)); }

# schema_rc FILE: exit status of the schema check (output in $TMP/schema.out)
schema_rc() { local rc=0; "$PY" "$CHECK" "$SCHEMA" "$1" >"$TMP/schema.out" 2>&1 || rc=$?; echo "$rc"; }
# import_rc FILE: exit status of `itstrat import` into a fresh database
import_rc() {
  local rc=0
  rm -f "$TMP/t.db" "$TMP/t.db-wal" "$TMP/t.db-shm"
  "$ITSTRAT" import --db "$TMP/t.db" "$1" >"$TMP/import.out" 2>&1 || rc=$?
  echo "$rc"
}

# 1. Real documents are valid under the schema and import.
"$ITSTRAT" gen --projects 300 --seed 5 >"$TMP/gen.json"
for doc in "$DEMO" "$TMP/gen.json"; do
  [ "$(schema_rc "$doc")" = 0 ] || { fail "schema refuses ${doc##*/}"; head -20 "$TMP/schema.out" >&2; }
  [ "$(import_rc "$doc")" = 0 ] || { fail "import refuses ${doc##*/}"; head -20 "$TMP/import.out" >&2; }
done

# 2. Cases: bad-*.json must be refused by both, good-*.json accepted by both.
mkdir "$TMP/cases"
"$PY" - "$TMP/cases" <<'EOF'
import copy, json, os, sys
out = sys.argv[1]
base = {
    "format": "itstrat/1",
    "strategy": {"code": "T-1", "title": "Test strategy", "first_year": 2018, "last_year": 2021,
                 "biennium_start": "even", "currency": "USD",
                 "categories": [{"code": "new", "name": "New service", "new_or_major": True}]},
    "locations": [{"code": "HQ", "name": "Headquarters", "kind": "headquarters"},
                  {"code": "RO", "name": "Regional office", "kind": "region", "parent": "HQ"}],
    "outcomes": [{"number": 1, "title": "Efficient", "outputs": [
        {"code": "1.1", "title": "Mobile", "deliverables": ["Laptops"]}]}],
    "drivers": [{"code": "security", "title": "Information security"}],
    "indicators": [
        {"code": "I1", "kind": "outcome", "title": "Uptime", "outcome": 1, "unit": "%",
         "direction": "up", "baseline": {"value": 90, "year": 2017},
         "milestones": [{"period": "2018-19", "value": 95}, {"period": "2021", "value": 99}],
         "target": 99.5, "measurements": [{"date": "2019-12-31", "value": 96}]},
        {"code": "K1", "kind": "kri", "title": "Incidents", "driver": "security"}],
    "projects": [
        {"code": "P1", "title": "Teams", "output": "1.1", "category": "new", "years": [2020, 2021],
         "status": "in_progress", "planned_start": "2020-01-01", "planned_end": "2021-12-31",
         "budget": 1000.5, "currency": "CHF", "unit": "INFOTEC", "source": "para. 6",
         "locations": [{"location": "HQ", "status": "completed", "date": "2021-03-01"}],
         "updates": [{"date": "2021-12-31", "text": "Done.", "report_year": 2021,
                      "footnotes": ["A note."], "source": "para. 6"}],
         "tags": ["cloud"]},
        {"code": "P2", "title": "MFA", "driver": "security", "status": "completed", "depends_on": ["P1"]}],
    "risks": [{"code": "R1", "title": "Breach", "inherent": {"probability": 4, "impact": 5},
               "residual": {"probability": 2, "impact": 3},
               "actions": [{"title": "Train", "status": "done", "due": "2021-06-30"}],
               "indicators": ["K1"]}],
    "services": [{"code": "S1", "name": "Service desk", "availability_target": 99.5,
                  "response_hours": 4, "resolution_hours": 24,
                  "measurements": [{"period": "2021-01", "availability": 99.9}]}],
    "expenditure": [{"year": 2021, "category": "Infrastructure", "amount": 19.99, "project": "P1"}],
    "committees": [{"code": "ITGC", "name": "IT Governance Committee", "meetings": [
        {"date": "2021-05-04", "decisions": [{"text": "Go.", "kind": "approve", "projects": ["P1"]}]}]}],
    "reports": [{"year": 2021, "final": True, "symbol": "GB.344/PFA/INF/3",
                 "related_documents": ["GB.331/PFA/5"], "stated_projects": 2}],
}

def case(name, fn):
    d = copy.deepcopy(base)
    fn(d)
    with open(os.path.join(out, name + ".json"), "w", encoding="utf-8") as f:
        json.dump(d, f, ensure_ascii=False, indent=1)

def setp(path, value):
    def fn(d):
        *head, last = path
        for k in head:
            d = d[k]
        d[last] = value
    return fn

def delp(path):
    def fn(d):
        *head, last = path
        for k in head:
            d = d[k]
        del d[last]
    return fn

P0, P1 = ["projects", 0], ["projects", 1]
case("good-base", lambda d: None)
# allowed edge cases
case("good-not-known", lambda d: d["projects"][0].update(
    summary="", unit=None, tags=[], driver="", outcome=None, category="", budget=None,
    currency="", locations=None, planned_start=""))
case("good-empty-enums", lambda d: (d["indicators"][0].update(direction=""),
                                    d["strategy"].update(biennium_start=None, currency="")))
case("good-odd-biennium", lambda d: (d["strategy"].update(biennium_start="odd"),
                                     d["indicators"][0].update(milestones=[{"period": "2019-20", "value": 1}])))
case("good-leap-day", setp(P0 + ["actual_start"], "2020-02-29"))
case("good-risk-matrix", setp(["strategy", "risk_matrix"], [["low"] * 5] * 4 + [["critical"] * 5]))
case("good-cents", setp(["expenditure", 0, "amount"], 0.07))
case("good-control-ok", setp(P0 + ["summary"], "tab\there\r\nnew line"))
case("good-empty-toplevel", lambda d: d.update(risks=[], services=[]))
case("good-title-500-chars", setp(P0 + ["title"], "\u00e9" * 500))  # characters, not bytes
case("good-unit-40", setp(["indicators", 0, "unit"], "u" * 40))
# one broken rule each
case("bad-format", setp(["format"], "itstrat/2"))
case("bad-no-strategy", delp(["strategy"]))
case("bad-unknown-top", setp(["colour"], "blue"))
case("bad-unknown-key", setp(P0 + ["colour"], "blue"))
case("bad-unknown-nested", setp(["risks", 0, "inherent", "likelihood"], 3))
case("bad-status", setp(P0 + ["status"], "done"))
case("bad-rollout-status", setp(P0 + ["locations", 0, "status"], "done"))
case("bad-kind", setp(["locations", 0, "kind"], "campus"))
case("bad-code-space", setp(P0 + ["code"], "P 1"))
case("bad-code-long", setp(P0 + ["code"], "P" * 65))
case("bad-code-newline", setp(P0 + ["code"], "P1\n"))
case("bad-missing-title", delp(P0 + ["title"]))
case("bad-empty-title", setp(P0 + ["title"], ""))
case("bad-null-status", setp(P0 + ["status"], None))
case("bad-title-long", setp(P0 + ["title"], "x" * 501))
case("bad-control-char", setp(P0 + ["summary"], "bell\u0007"))
case("bad-date-feb29", setp(P0 + ["actual_start"], "2021-02-29"))
case("bad-date-1900-feb29", setp(P0 + ["actual_start"], "1900-02-29"))
case("bad-date-month", setp(P0 + ["actual_start"], "2021-13-01"))
case("bad-date-form", setp(P0 + ["actual_start"], "2021-1-01"))
case("bad-date-year", setp(P0 + ["actual_start"], "2201-01-01"))
case("bad-year-range", setp(["expenditure", 0, "year"], 1899))
case("bad-year-type", setp(["strategy", "first_year"], "2018"))
case("bad-years-repeat", setp(P0 + ["years"], [2021, 2021]))
case("bad-budget-negative", setp(P0 + ["budget"], -1))
case("bad-budget-huge", setp(P0 + ["budget"], 2e13))
case("bad-amount-missing", delp(["expenditure", 0, "amount"]))
case("bad-currency", setp(P0 + ["currency"], "usd"))
case("bad-probability", setp(["risks", 0, "inherent", "probability"], 6))
case("bad-impact-zero", setp(["risks", 0, "residual", "impact"], 0))
case("bad-two-homes", setp(P1 + ["output"], "1.1"))
case("bad-no-home", delp(P1 + ["driver"]))
case("bad-indicator-homes", setp(["indicators", 0, "output"], "1.1"))
case("bad-outcome-number", setp(["outcomes", 0, "number"], 100))
case("bad-outcome-empty", setp(["indicators", 0, "outcome"], ""))
case("bad-biennium-parity", setp(["indicators", 0, "milestones", 0, "period"], "2019-20"))
case("bad-biennium-form", setp(["indicators", 0, "milestones", 0, "period"], "2018-20"))
case("bad-biennium-start", setp(["strategy", "biennium_start"], "none"))
case("bad-direction", setp(["indicators", 0, "direction"], "sideways"))
case("bad-month", setp(["services", 0, "measurements", 0, "period"], "2021-13"))
case("bad-availability", setp(["services", 0, "availability_target"], 100.5))
case("bad-tags-repeat", setp(P0 + ["tags"], ["cloud", "cloud"]))
case("bad-tag-empty", setp(P0 + ["tags"], [""]))
case("bad-deps-repeat", setp(P1 + ["depends_on"], ["P1", "P1"]))
case("bad-decision-kind", setp(["committees", 0, "meetings", 0, "decisions", 0, "kind"], "veto"))
case("bad-public", setp(["strategy", "public"], "yes"))
case("good-toplevel-null", setp(["services"], None))  # null: not known (format.md)
case("good-risk-matrix-empty", setp(["strategy", "risk_matrix"], []))  # []: default matrix
case("bad-risk-matrix-level", setp(["strategy", "risk_matrix"], [["low"] * 5] * 4 + [["severe"] * 5]))
case("bad-element-null", setp(["projects"], [None]))
case("bad-stated-negative", setp(["reports", 0, "stated_projects"], -1))
case("bad-update-no-text", delp(P0 + ["updates", 0, "text"]))
case("bad-title-501-chars", setp(P0 + ["title"], "\u00e9" * 501))
case("bad-unit-41", setp(["indicators", 0, "unit"], "u" * 41))
case("bad-action-status", setp(["risks", 0, "actions", 0, "status"], "open"))
case("bad-related-empty", setp(["reports", 0, "related_documents"], [""]))
case("bad-footnote-null", setp(P0 + ["updates", 0, "footnotes"], [None]))
case("bad-baseline-no-value", setp(["indicators", 0, "baseline"], {"year": 2017}))
EOF

n=0
for f in "$TMP"/cases/*.json; do
  name=${f##*/}; name=${name%.json}
  s=$(schema_rc "$f"); i=$(import_rc "$f"); n=$((n + 1))
  case "$name" in
    good-*)
      [ "$s" = 0 ] || { fail "$name: the schema refuses it:"; head -5 "$TMP/schema.out" >&2; }
      [ "$i" = 0 ] || { fail "$name: itstrat import refuses it:"; head -5 "$TMP/import.out" >&2; } ;;
    bad-*)
      [ "$s" = 1 ] || fail "$name: the schema accepts it (exit $s)"
      [ "$i" = 1 ] || { fail "$name: itstrat import did not refuse it as bad input (exit $i)"; head -5 "$TMP/import.out" >&2; } ;;
    *) fail "$name: a case is named good-* or bad-*" ;;
  esac
done
# Every case the generator above declares was written and checked.
want=$(grep -c '^case("' "$0")
[ "$n" -eq "$want" ] || fail "$n case files checked, but the generator declares $want"

if [ "$fails" -gt 0 ]; then
  echo "test_schema: $fails problem(s) in $n cases" >&2
  exit 1
fi
echo "test_schema: ok ($n cases, demo and generated document valid)"
