#!/bin/bash
# test_sheet.sh — `itstrat import FILE --sheet KIND [--dry-run]` (docs/csv.md,
# "Sheets") against the real binary:
#  - every CSV and .xlsx that the CLI and the portfolio page offer imports
#    back with "nothing to change" (generated strategy, demo, hostile texts);
#  - an .xlsx with shared and inline strings, date cells (1900 and 1904),
#    a formula's saved value is previewed field by field and then applied;
#  - --dry-run writes nothing; the apply is audited and moves versions;
#  - every bad workbook (tests/data/mkxlsx.py) is refused with its place and
#    leaves the database exactly as it was.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/web.sh"

DB="$T/sheet.db"
web_fixture
snapshot "$DB" before

# 1. Downloads of the CLI import back unchanged: CSV (with and without BOM) and xlsx.
sheet_round_trips "$DB" projects measurements expenditure
[ "$NROUND" -ge 9 ] || fail "only $NROUND round trips had rows"
expect_state "$DB" before
# Formula injection: texts that start with = + - @ or a tab are guarded with
# an apostrophe in the CSV and the workbook, and come back unchanged.
printf 'code,title,unit,source\r\nX.1,"=HYPERLINK(""http://x"")",+1,"@SUM(A1)"\r\nX.2,-minus,"\ttab",'"''"'=kept\r\n' >"$T/inject.csv"
it import --db "$DB" --strategy EVIL-1 --sheet projects "$T/inject.csv"
expect_rc 0
[ "$(q "SELECT title FROM project WHERE code = 'X.1'")" = '=HYPERLINK("http://x")' ] ||
    fail "the guard apostrophe was not removed on import"
[ "$(q "SELECT source FROM project WHERE code = 'X.2'")" = "'=kept" ] ||
    fail "a value that starts with an apostrophe lost it"
it export --db "$DB" --strategy EVIL-1 --csv projects -o "$T/inject-out.csv"
grep -qF "X.1,\"'=HYPERLINK(\"\"http://x\"\")\",,,1.1" "$T/inject-out.csv" ||
    fail "the formula was not guarded in the CSV export"
grep -qF "X.2,'-minus," "$T/inject-out.csv" || fail "-minus was not guarded"
it export --db "$DB" --strategy EVIL-1 --csv projects --xlsx -o "$T/inject-out.xlsx"
python3 - "$T/inject-out.xlsx" <<'PY' || fail "the workbook holds an unguarded formula text"
import sys, zipfile, re
z = zipfile.ZipFile(sys.argv[1])
xml = ''.join(z.read(n).decode() for n in z.namelist() if n.endswith('.xml'))
assert "'=HYPERLINK" in xml and "'@SUM(A1)" in xml and "'-minus" in xml, xml[:2000]
assert '<f>' not in xml
PY
for f in "$T/inject-out.csv" "$T/inject-out.xlsx"; do
    it import --db "$DB" --strategy EVIL-1 --sheet projects "$f" --dry-run
    expect_rc 0
    expect_out "nothing to change"
done
snapshot "$DB" before

# 2. The portfolio page's CSV and workbook import back: nothing to change.
web_start "$DB"
for code in $(q "SELECT code FROM strategy ORDER BY code"); do
    get "/s/$code/portfolio.csv"
    cp "$T/body" "$T/portfolio.csv"
    it import --db "$DB" --strategy "$code" --sheet projects "$T/portfolio.csv" --dry-run
    expect_rc 0
    expect_out "strategy $code: unchanged"
    get "/s/$code/portfolio.xlsx"
    cp "$T/body" "$T/portfolio.xlsx"
    it import --db "$DB" --strategy "$code" --sheet projects "$T/portfolio.xlsx" --dry-run
    expect_rc 0
    expect_out "strategy $code: unchanged"
done
# A changed roll-out list is refused (a sheet cannot set a roll-out's status).
python3 - "$T/portfolio.csv" "$T/rollout.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8-sig')))
i = rows[0].index('locations')
rows[1][i] = 'NOWHERE'
csv.writer(open(sys.argv[2], 'w', newline='', encoding='utf-8')).writerows(rows)
PY
it import --db "$DB" --strategy "$code" --sheet projects "$T/rollout.csv"
expect_rc 1
expect_err "rollout.csv:2: column locations: the project's roll-out locations are"
expect_state "$DB" before

# 3. A hand-made workbook: shared and inline strings, date cells, a formula.
python3 "$ITSTRAT_SRC/tests/data/mkxlsx.py" "$T/x"
it import --db "$DB" --strategy GEN-4 --sheet projects "$T/x/ok.xlsx" --dry-run
expect_rc 0
expect_out 'ok.xlsx: sheet "projects" read; 2 date cells; 1 cell with formulas'
expect_out 'ok.xlsx:projects:2: change project P000001: title'
expect_out '-> "From a sheet"'
expect_out 'planned_start'
expect_out '-> "2019-01-15"'
expect_out 'budget'
expect_out '-> "1400000.00"'
expect_out 'ok.xlsx:projects:3: change project P000002: title'
expect_out '-> "Inline & rich"'
expect_out '0 to add, 2 to change, 0 unchanged; nothing written'
expect_state "$DB" before
v1=$(q "SELECT version FROM project WHERE code = 'P000001' AND strategy_id = (SELECT id FROM strategy WHERE code = 'GEN-4')")
naudit=$(q "SELECT count(*) FROM audit")
it import --db "$DB" --strategy GEN-4 --sheet projects "$T/x/ok.xlsx"
expect_rc 0
expect_out "strategy GEN-4: 2 rows of projects read: 0 added, 2 changed"
v2=$(q "SELECT version FROM project WHERE code = 'P000001' AND strategy_id = (SELECT id FROM strategy WHERE code = 'GEN-4')")
[ "$v2" -gt "$v1" ] || fail "the project's version did not move ($v1 -> $v2)"
[ "$(q "SELECT count(*) FROM audit")" = $((naudit + 1)) ] || fail "the import was not audited"
[ "$(q "SELECT planned_start FROM project WHERE code = 'P000002' AND strategy_id = (SELECT id FROM strategy WHERE code = 'GEN-4')")" = 2019-01-16 ] ||
    fail "the custom date format (dd/mm/yyyy) cell was not read as 2019-01-16"
it import --db "$DB" --strategy GEN-4 --sheet projects "$T/x/ok.xlsx"
expect_rc 0
expect_out "strategy GEN-4: unchanged"
it import --db "$DB" --strategy GEN-4 --sheet projects "$T/x/date1904.xlsx" --dry-run
expect_rc 0
expect_out '-> "2023-01-16"' # 43480 in the 1904 date system
snapshot "$DB" before

# 4. Dates: an ambiguous d/m/y needs --day-order; the preview says the order.
printf 'code,planned_start\r\nP000003,3/4/2024\r\n' >"$T/amb.csv"
it import --db "$DB" --strategy GEN-4 --sheet projects "$T/amb.csv" --dry-run
expect_rc 1
expect_err 'amb.csv:2: column planned_start: "3/4/2024" is ambiguous'
it import --db "$DB" --strategy GEN-4 --sheet projects "$T/amb.csv" --dry-run --day-order dmy
expect_rc 0
expect_out "1 date read as day/month/year (the order stated)"
expect_out '-> "2024-04-03"'
it import --db "$DB" --strategy GEN-4 --sheet projects "$T/amb.csv" --dry-run --day-order ymd
expect_rc 2
expect_err "--day-order must be dmy"
printf 'code,planned_start\r\nP000003,1/15/2024\r\n' >"$T/mdy.csv"
it import --db "$DB" --strategy GEN-4 --sheet projects "$T/mdy.csv" --dry-run
expect_rc 0
expect_out 'read as month/day/year (line 2 has "1/15/2024", which can only be read so)'
expect_state "$DB" before

# 5. Bad workbooks and files: refused with the place and a fix; nothing changed.
refused() { # refused FILE TEXT...
    local f=$1
    shift
    it import --db "$DB" --strategy GEN-4 --sheet projects "$T/x/$f"
    expect_rc 1
    local t
    for t in "$@"; do expect_err "$t"; done
    expect_err "was not imported; $DB is unchanged"
}
refused formula.xlsx 'sheet "projects", row 2, column D (cell D2): holds a formula whose result was not saved'
refused error.xlsx '(cell D2): holds the error value #DIV/0!'
refused merged.xlsx 'sheet "projects", row 1: cells A1:B1 are merged in the header row' 'unmerge them'
refused laughs.xlsx 'has a document type declaration' 'billion laughs'
refused xxe.xlsx 'has a document type declaration'
refused bomb.xlsx 'sheet "projects" (xl/worksheets/sheet1.xml): would be 300 MiB uncompressed' 'zip bomb'
refused rows.xlsx 'row 1048577: a sheet has at most 1,048,576 rows'
refused cols.xlsx 'row 2: column 16385 is beyond XFD'
refused long.xlsx '(cell B2): is longer than 32,767 characters'
refused repeat.xlsx 'the cells read up to here take more than 256 MiB (one text repeated in many cells'
refused wide.xlsx 'column XFD (cell XFD' 'the cells read up to here take more than 256 MiB'
refused dup.xlsx 'dup.xlsx:projects:1: column Title: appears twice in the header'
refused unknown.xlsx 'unknown.xlsx:projects:1: column colour: unknown column'
refused old.xlsx 'is an old Excel 97-2003 workbook (.xls)'
refused encrypted.xlsx 'is a password-protected (encrypted) workbook'
refused ods.xlsx 'is an OpenDocument file (.ods)'
refused utf16.csv 'is UTF-16 text'
refused latin1.csv 'latin1.csv:2: column title: is not UTF-8 text (byte 0xE9)'
refused cut.xlsx 'is not a readable zip file'
expect_state "$DB" before

# A text longer than a cell: the workbook export cuts it and lists it on the
# sheet Notes (it did not write the workbook at all), and the cut cell is
# refused on import instead of cutting the text in the database.
python3 -c 'import sys; sys.stdout.write("code,summary\r\nP000001,%s\r\n" % ("y" * 40000))' \
    >"$T/long.csv"
it import --db "$DB" --strategy GEN-4 --sheet projects "$T/long.csv"
expect_rc 0
it export --db "$DB" --strategy GEN-4 --csv projects --xlsx -o "$T/long.xlsx"
expect_rc 0
python3 - "$T/long.xlsx" <<'PY' || fail "the long summary is not cut and noted in the workbook"
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
wb = z.read("xl/workbook.xml").decode()
assert re.findall(r'<sheet name="([^"]+)"', wb) == ["projects", "Notes"], wb
xml = z.read("xl/sharedStrings.xml").decode()
assert "y" * 32000 + "" in xml and "y" * 32767 not in xml, len(xml)
assert "[truncated: 40,000 characters; the full text is in the CSV/JSON]" in xml
PY
snapshot "$DB" long
it import --db "$DB" --strategy GEN-4 --sheet projects "$T/long.xlsx"
expect_rc 1
expect_err 'long.xlsx: sheet "projects", row 2, column C (cell C2): holds a text that itstrat cut'
expect_err 'remove this column from the sheet'
expect_state "$DB" long

# 6. Usage.
it import --db "$DB" --sheet projects --csv projects "$T/amb.csv"
expect_rc 2
expect_err "not both"
it export --db "$DB" --strategy GEN-4 --csv projects --xlsx
expect_rc 2
expect_err "--xlsx needs -o FILE"
pass
