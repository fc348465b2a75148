#!/usr/bin/env bash
# test_xlsx_limits.sh — texts longer than an Excel cell holds (32,767
# characters; a project summary may have 100,000), black box:
#  - `itstrat export` (JSON and --csv projects) keeps the whole text;
#  - the portfolio's Excel download answers 200 (it was a 500 for everyone
#    once one summary passed the limit): the cell is cut on a character
#    boundary to at most 32,767 UTF-16 units and ends with the marker, a
#    sheet "Notes" lists the cell, and other cells are untouched;
#  - the CSV download keeps the whole text.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/web.sh"
command -v curl >/dev/null || fail "curl is missing: run scripts/install-deps.sh"
command -v python3 >/dev/null || fail "python3 is missing: run scripts/install-deps.sh"

DB="$T/long.db"
# Three projects: L.1 with a 100,000-character summary of one-, two-, three-
# and four-byte characters (the last count twice in Excel), L.2 with one of
# exactly 32,767 (fits), L.3 short.
python3 - "$T/long.json" "$T/long.txt" <<'EOF'
import json, sys
unit = "Zürich € \U0001F600 <&> "
text = (unit * (100000 // len(unit) + 1))[:100000]
assert len(text) == 100000
doc = {"format": "itstrat/1",
       "strategy": {"code": "LONG", "title": "Long texts", "first_year": 2020, "last_year": 2021},
       "outcomes": [{"number": 1, "title": "One", "outputs": [{"code": "1.1", "title": "Out"}]}],
       "projects": [
           {"code": "L.1", "title": "Long summary", "output": "1.1", "status": "approved",
            "summary": text},
           {"code": "L.2", "title": "Just fits", "output": "1.1", "status": "approved",
            "summary": "x" * 32767},
           {"code": "L.3", "title": "Short", "output": "1.1", "status": "approved",
            "summary": "Short <b>and</b> sweet"}]}
json.dump(doc, open(sys.argv[1], "w"), ensure_ascii=False)
open(sys.argv[2], "w").write(text)
EOF
it import --db "$DB" "$T/long.json"
expect_rc 0

# 1. The CLI exports keep every character.
it export --db "$DB" --strategy LONG -o "$T/export.json"
expect_rc 0
python3 - "$T/export.json" "$T/long.txt" <<'EOF' || fail "the JSON export lost text"
import json, sys
d = json.load(open(sys.argv[1]))
p = {x["code"]: x for x in d["projects"]}
assert p["L.1"]["summary"] == open(sys.argv[2]).read(), len(p["L.1"]["summary"])
assert p["L.2"]["summary"] == "x" * 32767
EOF
NCHECKS=$((NCHECKS + 1))
it export --db "$DB" --strategy LONG --csv projects -o "$T/export.csv"
expect_rc 0
CHECK_CSV='
import csv, sys
rows = {r["code"]: r for r in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8-sig"))}
assert rows["L.1"]["summary"] == open(sys.argv[2]).read(), len(rows["L.1"]["summary"])
'
python3 -c "$CHECK_CSV" "$T/export.csv" "$T/long.txt" || fail "the CSV export lost text"
NCHECKS=$((NCHECKS + 1))

# 2. The web downloads.
web_start "$DB"
get "/s/LONG/portfolio.xlsx"
header 'Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
PY='
import re, sys, zipfile
import xml.etree.ElementTree as ET
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
z = zipfile.ZipFile(sys.argv[1])
full = open(sys.argv[2]).read()
def cells(name):
    root = ET.fromstring(z.read(name))
    out = {}
    for c in root.iter("{%s}c" % NS["m"]):
        t = "".join(x.text or "" for x in c.iter("{%s}t" % NS["m"]))
        v = c.find("m:v", NS)
        out[c.get("r")] = t if t else (v.text if v is not None else "")
    return out
wb = z.read("xl/workbook.xml").decode()
names = re.findall(r"<sheet name=\"([^\"]+)\"", wb)
assert names == ["Portfolio", "Notes"], names
s = cells("xl/worksheets/sheet1.xml")
assert s["N1"] == "summary" and s["A2"] == "L.1", (s["N1"], s["A2"])
cut = s["N2"]
marker = " … [truncated: 100,000 characters; the full text is in the CSV/JSON]"
assert cut.endswith(marker), cut[-120:]
kept = cut[: -len(marker)]
assert full.startswith(kept), "the kept text is not the start of the summary"
units = len(cut.encode("utf-16-le")) // 2
assert 32766 <= units <= 32767, units
assert s["N3"] == "x" * 32767, len(s["N3"])
assert s["N4"] == "Short <b>and</b> sweet", s["N4"]
n = cells("xl/worksheets/sheet2.xml")
text = " ".join(n.values())
assert "1 cells of the sheet Portfolio" in text, text[:300]
row = [k for k, v in n.items() if v == "N2"]
assert row, n
r = row[0][1:]
assert n["B" + r] == "L.1" and n["C" + r] == "summary" and n["D" + r] == "100000", n
assert "N3" not in n.values() and "N4" not in n.values(), n
'
py "$T/long.txt"
# A filter that leaves the long summary out has no notes sheet.
get "/s/LONG/portfolio.xlsx?q=sweet"
PY='
import re, sys, zipfile
wb = zipfile.ZipFile(sys.argv[1]).read("xl/workbook.xml").decode()
assert re.findall(r"<sheet name=\"([^\"]+)\"", wb) == ["Portfolio"], wb
'
py
get "/s/LONG/portfolio.csv"
python3 -c "$CHECK_CSV" "$T/body" "$T/long.txt" || fail "the CSV download lost text"
NCHECKS=$((NCHECKS + 1))
pass
