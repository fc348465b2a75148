#!/bin/bash
# test_sheet_records.sh — `itstrat import --sheet KIND` and `export --csv KIND
# [--xlsx]` for the kinds read through the record definitions (updates,
# indicators, milestones, risks, actions, services, service_figures,
# committees, meetings, decisions; docs/sheets.md), black box:
#  - every export (CSV with and without BOM, .xlsx) imports back with
#    "nothing to change", for every kind and strategy;
#  - the workbook has date cells, labels with a FIELD_code column beside;
#  - a preview lists adds and changes (before -> after per field) and writes
#    nothing; the apply is one transaction, audited per record, versions move;
#  - every problem of a file is listed with its row and column, with the
#    words of the forms' checks, and nothing is written.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/web.sh"

DB="$T/rec.db"
web_fixture

snapshot "$DB" before
KINDS="updates indicators milestones risks actions services service_figures committees meetings decisions"

# 1. Round trips: every export imports back unchanged.
sheet_round_trips "$DB" $KINDS
# GEN-4 has rows of every kind: 10 kinds x 3 files at least
[ "$NROUND" -ge 30 ] || fail "only $NROUND round trips had rows"
expect_state "$DB" before

# 2. The workbook: dates are date cells, choices labels with the code beside.
it export --db "$DB" --strategy GEN-4 --csv actions --xlsx -o "$T/actions.xlsx"
python3 - "$T/actions.xlsx" <<'PY' || fail "the actions workbook is not typed as documented"
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
sst = re.findall(r'<t[^>]*>([^<]*)</t>', z.read("xl/sharedStrings.xml").decode())
sheet = z.read("xl/worksheets/sheet1.xml").decode()
head = re.search(r'<row r="1".*?</row>', sheet).group(0)
names = [sst[int(v)] for v in re.findall(r'<v>(\d+)</v>', head)]
assert names == ["risk", "title", "status", "status_code", "due", "owner"], names
row2 = re.search(r'<row r="2".*?</row>', sheet).group(0)
cells = dict(re.findall(r'<c r="([A-Z]+)2"([^>]*>.*?)</c>', row2))
assert 't="s"' in cells["C"] and sst[int(re.search(r'<v>(\d+)</v>', cells["C"]).group(1))] in (
    "Planned", "In progress", "Done", "Cancelled"), cells["C"]
assert sst[int(re.search(r'<v>(\d+)</v>', cells["D"]).group(1))] in (
    "planned", "in_progress", "done", "cancelled"), cells["D"]
assert 't="s"' not in cells["E"] and 's="' in cells["E"], cells["E"]  # a number with a date format
PY
NCHECKS=$((NCHECKS + 1))

# 3. A preview of changes and adds; then the apply.
printf 'code,title,inherent_probability,inherent_impact,category\r\nR01,Ransomware,4,3,Security\r\nR99,New risk,"2",2,\r\nR02,%s,5,5,Operational\r\n' \
    "$(q "SELECT title FROM risk WHERE code = 'R02'")" >"$T/risks.csv"
it import --db "$DB" --strategy GEN-4 --sheet risks "$T/risks.csv" --dry-run
expect_rc 0
expect_out "risks.csv:2: change risk R01: title \"$(q "SELECT title FROM risk WHERE code = 'R01'")\" -> \"Ransomware\""
expect_out 'inherent_probability "2" -> "4"'
expect_out 'risks.csv:3: add risk R99'
expect_out '3 rows of risks: 1 to add, 1 to change, 1 unchanged; nothing written'
expect_state "$DB" before
v1=$(q "SELECT version FROM risk WHERE code = 'R01'")
naudit=$(q "SELECT count(*) FROM audit")
it import --db "$DB" --strategy GEN-4 --sheet risks "$T/risks.csv"
expect_rc 0
expect_out "strategy GEN-4: 3 rows of risks read: 1 added, 1 changed, 1 as they were"
[ "$(q "SELECT title FROM risk WHERE code = 'R01'")" = Ransomware ] || fail "R01 not changed"
[ "$(q "SELECT version FROM risk WHERE code = 'R01'")" -gt "$v1" ] || fail "R01's version did not move"
[ "$(q "SELECT count(*) FROM audit")" = $((naudit + 2)) ] || fail "not one audit entry per record"
[ "$(q "SELECT action || ' ' || entity_key FROM audit ORDER BY id DESC LIMIT 1")" = "create GEN-4/R99" ] ||
    fail "the new risk was not audited"
it import --db "$DB" --strategy GEN-4 --sheet risks "$T/risks.csv"
expect_rc 0
expect_out "strategy GEN-4: unchanged"
snapshot "$DB" after

# An action by its label (and a date in m/d/y), then by status_code beside a label.
printf 'risk,title,status,due\r\nR99,Patch the servers,In progress,3/15/2026\r\n' >"$T/actions.csv"
it import --db "$DB" --strategy GEN-4 --sheet actions "$T/actions.csv"
expect_rc 0
expect_out '1 date read as month/day/year'
[ "$(q "SELECT status || ' ' || due FROM risk_action a JOIN risk r ON r.id = a.risk_id WHERE r.code = 'R99'")" = "in_progress 2026-03-15" ] ||
    fail "the label In progress or the date was not read"
printf 'risk,title,status,status_code\r\nR99,Patch the servers,Done,done\r\nR99,Second action,,planned\r\n' >"$T/actions2.csv"
it import --db "$DB" --strategy GEN-4 --sheet actions "$T/actions2.csv" --dry-run
expect_rc 0
expect_out 'status "in_progress" -> "done"'
expect_out 'actions2.csv:3: add remedial action R99 Second action'
printf 'risk,title,status,status_code\r\nR99,Patch the servers,Done,planned\r\n' >"$T/actions3.csv"
it import --db "$DB" --strategy GEN-4 --sheet actions "$T/actions3.csv"
expect_rc 1
expect_err 'actions3.csv:2: column status_code: is "planned" but column status says "done"'
snapshot "$DB" after

# 4. Every problem at once, each with its row and column; nothing written.
printf 'risk,title,status,due,colour\r\nR77,x,done,,red\r\nR99,y,finished,2026-13-01,\r\n,z,done,,\r\n' >"$T/bad.csv"
it import --db "$DB" --strategy GEN-4 --sheet actions "$T/bad.csv"
expect_rc 1
expect_err 'bad.csv:1: column colour: unknown column; actions has the columns risk, title, status, status_code, due and owner'
expect_no_out
printf 'risk,title,status,due\r\nR77,x,done,\r\nR99,y,finished,2026-13-01\r\n,z,done,\r\nR99,,done,\r\n' >"$T/bad.csv"
it import --db "$DB" --strategy GEN-4 --sheet actions "$T/bad.csv"
expect_rc 1
expect_err 'bad.csv:2: column risk: there is no risk "R77" in strategy GEN-4'
expect_err 'bad.csv:3: column status: "finished" is not one of planned, in_progress, done, cancelled'
expect_err 'bad.csv:3: column due: "2026-13-01" is not a date that exists'
expect_err 'bad.csv:4: column risk: is empty; every row of actions names its risk'
expect_err 'bad.csv:5: column title: required'
expect_err "was not imported; $DB is unchanged"
# the same rules as the forms: a probability without an impact
printf 'code,title,inherent_probability\r\nR98,Half,3\r\n' >"$T/half.csv"
it import --db "$DB" --strategy GEN-4 --sheet risks "$T/half.csv"
expect_rc 1
expect_err 'half.csv:2: column inherent_impact: give the inherent probability and impact together, or neither (the sheet has no column inherent_impact: add it)'
# a header without its key column
printf 'title,status\r\nx,done\r\n' >"$T/nokey.csv"
it import --db "$DB" --strategy GEN-4 --sheet actions "$T/nokey.csv"
expect_rc 1
expect_err 'nokey.csv:1: column risk: missing from the header'
# decisions name their meeting by committee and date
printf 'committee,meeting,kind,text\r\nITGC,1999-01-01,approve,x\r\n' >"$T/dec.csv"
it import --db "$DB" --strategy GEN-4 --sheet decisions "$T/dec.csv"
expect_rc 1
expect_err 'dec.csv:2: column meeting: committee ITGC has no meeting on 1999-01-01 in strategy GEN-4'
expect_state "$DB" after

# Bad files are refused for these kinds as for projects (tests/data/mkxlsx.py).
python3 "$ITSTRAT_SRC/tests/data/mkxlsx.py" "$T/x"
for f in dup.xlsx:'column Title: appears twice in the header' unknown.xlsx:'column colour: unknown column' \
    old.xlsx:'is an old Excel 97-2003 workbook (.xls)' encrypted.xlsx:'is a password-protected' \
    ods.xlsx:'is an OpenDocument file (.ods)' utf16.csv:'is UTF-16 text' \
    formula.xlsx:'holds a formula whose result was not saved' merged.xlsx:'are merged in the header row' \
    long.xlsx:'is longer than 32,767 characters' rows.xlsx:'a sheet has at most 1,048,576 rows' \
    cols.xlsx:'is beyond XFD'; do
    it import --db "$DB" --strategy GEN-4 --sheet risks "$T/x/${f%%:*}"
    expect_rc 1
    expect_err "${f#*:}"
done
printf 'code,title\r\nR01,Caf\xe9\r\n' >"$T/latin1.csv"
it import --db "$DB" --strategy GEN-4 --sheet risks "$T/latin1.csv"
expect_rc 1
expect_err 'latin1.csv:2: column title:'
expect_state "$DB" after

# 5. The pages' downloads (HEAVY routes) import back unchanged too.
web_start "$DB"
for page in risks:risks indicators:milestones services:service_figures expenditure:expenditure governance:decisions; do
    get "/s/GEN-4/${page%%:*}"
    grep -qF "/s/GEN-4/sheets/${page#*:}.xlsx\" download>Excel</a>" "$T/body" ||
        fail "the ${page%%:*} page has no download link of ${page#*:}"
done
for kind in $KINDS measurements expenditure projects; do
    get "/s/GEN-4/sheets/$kind.csv"
    has_bom "$T/body" || fail "$kind.csv has no BOM"
    header "content-disposition: attachment; filename=\"$kind-GEN-4.csv\""
    cp "$T/body" "$T/web-$kind.csv"
    get "/s/GEN-4/sheets/$kind.csv?bom=0"
    ! has_bom "$T/body" || fail "?bom=0 wrote a BOM"
    get "/s/GEN-4/sheets/$kind.xlsx"
    header "content-disposition: attachment; filename=\"$kind-GEN-4.xlsx\""
    cp "$T/body" "$T/web-$kind.xlsx"
    for f in "$T/web-$kind.csv" "$T/web-$kind.xlsx"; do
        it import --db "$DB" --strategy GEN-4 --sheet "$kind" "$f" --dry-run
        expect_rc 0
        expect_out "nothing to change"
    done
done
get "/s/GEN-4/sheets/footnotes.csv" 404
get "/s/GEN-4/sheets/risks.csv?bom=no" 400
has "bom"
get "/s/GEN-4/sheets/risks.csv?colour=red" 400
get "/s/GEN-4/sheets/risks.json" 404
get "/s/NOPE/sheets/risks.csv" 404

# 6. Usage: the kinds are listed.
it import --db "$DB" --strategy GEN-4 --sheet footnotes "$T/dec.csv"
expect_rc 2
expect_err 'must be projects, measurements, expenditure, updates, indicators'
pass
