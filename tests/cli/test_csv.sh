#!/bin/bash
# test_csv.sh — `itstrat export --csv KIND` and `itstrat import FILE --csv KIND`
# (docs/csv.md) against the real binary:
#  - export -> import of every kind changes nothing, on a generated strategy
#    and on the demo, and the files are RFC 4180 with CRLF line ends;
#  - edits made in a spreadsheet come back: a changed title, a new project,
#    a new measurement, the expenditure of one year;
#  - every bad-input class exits 1, names FILE:LINE and the column, and
#    leaves the database exactly as it was (exports and every row);
#  - usage errors exit 2, an unknown strategy 4.
. "$(dirname "$0")/lib.sh"

KINDS="projects measurements expenditure"

# crlf_ok FILE — every line of FILE ends with CRLF.
crlf_ok() {
    NCHECKS=$((NCHECKS + 1))
    local lines crlf
    lines=$(wc -l <"$1")
    crlf=$(grep -c $'\r$' "$1")
    [ "$lines" -gt 0 ] && [ "$lines" = "$crlf" ] || fail "$1: $crlf of $lines lines end with CRLF"
}

# expect_refused DB KIND FILE TEXT... — import of FILE as KIND exits 1, says
# every TEXT on stderr, and DB is as snapshot "before" saved it.
expect_refused() {
    local db=$1 kind=$2 file=$3
    shift 3
    it import --db "$db" --csv "$kind" "$file"
    expect_rc 1
    local text
    for text in "$@"; do expect_err "$text"; done
    expect_err "was not imported; $db is unchanged"
    expect_state "$db" before
}

# 1. A generated strategy: every kind round-trips without a change.
GEN="$T/gen.db"
it gen --projects 200 --seed 3 -o "$T/gen.json"
expect_rc 0
it import --db "$GEN" "$T/gen.json"
expect_rc 0
snapshot "$GEN" before
for kind in $KINDS; do
    it export --db "$GEN" --csv "$kind" -o "$T/gen-$kind.csv"
    expect_rc 0
    expect_no_out
    crlf_ok "$T/gen-$kind.csv"
    [ "$(wc -l <"$T/gen-$kind.csv")" -gt 10 ] || fail "gen-$kind.csv has few rows"
    it export --db "$GEN" --csv "$kind"
    same_file "$T/out" "$T/gen-$kind.csv"
    it import --db "$GEN" --csv "$kind" "$T/gen-$kind.csv"
    expect_rc 0
    expect_out "strategy GEN-3: unchanged"
    expect_state "$GEN" before
done
head -1 "$T/gen-projects.csv" >"$T/header"
printf '\xEF\xBB\xBFcode,title,summary,outcome,output,driver,category,years,status,planned_start,planned_end,actual_start,actual_end,budget,actual_cost,currency,unit,source,tags\r\n' >"$T/want"
same_file "$T/header" "$T/want"
grep -q '^P000001,.*,[0-9]*\.[0-9][0-9],' "$T/gen-projects.csv" || fail "no amount with two decimals"

# 2. The demo strategy: its projects round-trip; it has no measurements or
# expenditure, and a file with a header only is refused (nothing to import).
DEMO_DB="$T/demo.db"
it import --db "$DEMO_DB" "$DEMO"
expect_rc 0
snapshot "$DEMO_DB" before
it export --db "$DEMO_DB" --csv projects -o "$T/demo-projects.csv"
expect_rc 0
crlf_ok "$T/demo-projects.csv"
[ "$(wc -l <"$T/demo-projects.csv")" -eq 46 ] || fail "demo-projects.csv: not 45 projects"
it import --db "$DEMO_DB" --csv projects "$T/demo-projects.csv"
expect_rc 0
expect_out "unchanged"
expect_state "$DEMO_DB" before
# A named pipe nobody writes to: refused at once, not waited on.
mkfifo "$T/pipe.csv" || fail "mkfifo failed"
run timeout 300 "$ITSTRAT" import --db "$DEMO_DB" --csv projects "$T/pipe.csv"
[ "$RC" -ne 124 ] || fail "CSV import waited for a writer on a named pipe"
expect_rc 1
expect_err "$T/pipe.csv: not a regular file"
expect_state "$DEMO_DB" before
for kind in measurements expenditure; do
    it export --db "$DEMO_DB" --csv "$kind" -o "$T/demo-$kind.csv"
    expect_rc 0
    [ "$(wc -l <"$T/demo-$kind.csv")" -eq 1 ] || fail "demo-$kind.csv is not a header only"
    expect_refused "$DEMO_DB" "$kind" "$T/demo-$kind.csv" \
        "$T/demo-$kind.csv:1: the file has a header but no rows of $kind"
done

# 3. Spreadsheet edits come back, and only they change.
it export --db "$GEN"
cp "$T/out" "$T/gen-before.json"
printf 'code,title\r\nP000007,"Renamed, in a spreadsheet"\r\n' >"$T/rename.csv"
it import --db "$GEN" --csv projects "$T/rename.csv"
expect_rc 0
expect_out "1 row of projects read: 0 added, 1 changed, 0 as they were"
it export --db "$GEN"
cp "$T/out" "$T/gen-after.json"
[ "$(diff "$T/gen-before.json" "$T/gen-after.json" | grep -c '^[<>]')" = 2 ] ||
    fail "renaming one project changed more: $(diff "$T/gen-before.json" "$T/gen-after.json" | head)"
grep -qF '"title": "Renamed, in a spreadsheet"' "$T/gen-after.json" || fail "title not renamed"
# A spreadsheet's change moves the record's version like a form's, so that a
# form opened before it is refused (409) instead of overwriting it.
NCHECKS=$((NCHECKS + 1))
[ "$(sqlite3 "$GEN" "SELECT version FROM project WHERE code = 'P000007'")" = 2 ] ||
    fail "the CSV change did not move the project's version to 2"
[ "$(sqlite3 "$GEN" "SELECT count(*) FROM project WHERE version <> 1")" = 1 ] ||
    fail "the CSV import moved the version of projects it did not change"

# A new project, with a title a spreadsheet would run as a formula.
printf '\xEF\xBB\xBFcode,title,status,driver,years\n' >"$T/new.csv"
DRIVER=$(grep -o '"driver": "[^"]*"' "$T/gen.json" | head -1 | cut -d'"' -f4)
printf 'NEW-1,"=HYPERLINK(""http://x"")",proposed,%s,2023; 2022\n' "$DRIVER" >>"$T/new.csv"
it import --db "$GEN" --csv projects "$T/new.csv"
expect_rc 0
expect_out "1 added, 0 changed"
it export --db "$GEN" --csv projects
expect_out "NEW-1,\"'=HYPERLINK(\"\"http://x\"\")\",,,,$DRIVER,,2022; 2023,proposed,"
[ "$(tail -1 "$T/out" | cut -c1-6)" = "NEW-1," ] || fail "the new project is not last"
it export --db "$GEN"
expect_out '"title": "=HYPERLINK(\"http://x\")"'

# A measurement added and one changed; the expenditure of one year replaced.
IND=$(sed -n 2p "$T/gen-measurements.csv" | cut -d, -f1)
DATE=$(sed -n 2p "$T/gen-measurements.csv" | cut -d, -f2)
printf 'indicator,date,value\r\n%s,%s,12.25\r\n%s,2025-01-31,-3\r\n' "$IND" "$DATE" "$IND" >"$T/m.csv"
it import --db "$GEN" --csv measurements "$T/m.csv"
expect_rc 0
expect_out "2 rows of measurements read: 1 added, 1 changed"
it export --db "$GEN" --csv measurements
expect_out "$IND,$DATE,12.25,"
NCHECKS=$((NCHECKS + 1))
[ "$(sqlite3 "$GEN" "SELECT m.version FROM measurement m JOIN indicator i ON i.id = m.indicator_id
                     WHERE i.code = '$IND' AND m.date = '$DATE'")" = 2 ] ||
    fail "the CSV change did not move the measurement's version to 2"
expect_out "$IND,2025-01-31,-3,,"
YEAR=$(sed -n 2p "$T/gen-expenditure.csv" | cut -d, -f1)
NYEAR=$(grep -c "^$YEAR," "$T/gen-expenditure.csv")
printf 'year,category,amount\r\n%s,Cloud,1234.5\r\n' "$YEAR" >"$T/e.csv"
it import --db "$GEN" --csv expenditure "$T/e.csv"
expect_rc 0
expect_out "expenditure of the 1 year in $T/e.csv replaced: $NYEAR lines removed, 1 added"
it export --db "$GEN" --csv expenditure
[ "$(grep -c "^$YEAR," "$T/out")" = 1 ] || fail "year $YEAR still has old lines"
expect_out "$YEAR,Cloud,,1234.50,,,"

# 4. Bad input: exit 1, FILE:LINE: column NAME, nothing changed.
snapshot "$GEN" before
bad() { printf "$2" >"$T/$1"; }
bad quote.csv 'code,title\r\nP000001,"never closed\r\nP000002,x\r\n'
expect_refused "$GEN" projects "$T/quote.csv" \
    "$T/quote.csv:2: column title: the quoted field that starts here never ends"
bad utf8.csv 'code,title\r\nP000001,ok\r\nP000002,Caf\xe9\r\n'
expect_refused "$GEN" projects "$T/utf8.csv" "$T/utf8.csv:3: column title: is not UTF-8 text"
bad unknown.csv 'code,titel,stauts\r\nP000001,x,completed\r\n'
expect_refused "$GEN" projects "$T/unknown.csv" \
    "$T/unknown.csv:1: column titel: unknown column; did you mean \"title\"?" \
    "$T/unknown.csv:1: column stauts: unknown column; did you mean \"status\"?"
bad dangling.csv 'code,category,output\r\nP000001,no-such-category,9.99\r\n'
expect_refused "$GEN" projects "$T/dangling.csv" \
    "$T/dangling.csv:2: column category: no category \"no-such-category\" in strategy GEN-3" \
    "$T/dangling.csv:2: column output: no output \"9.99\" in strategy GEN-3"
bad dangling-m.csv 'indicator,date,value\r\nNO-SUCH,2023-01-31,1\r\n'
expect_refused "$GEN" measurements "$T/dangling-m.csv" \
    "$T/dangling-m.csv:2: column indicator: no indicator \"NO-SUCH\" in strategy GEN-3"
bad dangling-e.csv 'year,category,amount,project\r\n2023,Staff,1,P999999\r\n'
expect_refused "$GEN" expenditure "$T/dangling-e.csv" \
    "$T/dangling-e.csv:2: column project: no project \"P999999\" in strategy GEN-3"
bad date.csv 'code,planned_end\r\nP000001,2021-02-29\r\n'
expect_refused "$GEN" projects "$T/date.csv" \
    "$T/date.csv:2: column planned_end: \"2021-02-29\" is not a date that exists (write YYYY-MM-DD)"
printf 'indicator,date,value\r\n%s,2021-02-29,1\r\n' "$IND" >"$T/date-m.csv"
expect_refused "$GEN" measurements "$T/date-m.csv" \
    "$T/date-m.csv:2: column date: \"2021-02-29\" is not a date that exists"
bad negative.csv 'year,category,amount\r\n2023,Staff,10\r\n2023,Staff,-250.00\r\n'
expect_refused "$GEN" expenditure "$T/negative.csv" \
    "$T/negative.csv:3: column amount: -250 is out of range"
bad notnumber.csv 'year,category,amount\r\n2023,Staff,"1,25,0.00"\r\n'
expect_refused "$GEN" expenditure "$T/notnumber.csv" \
    "$T/notnumber.csv:2: column amount: \"1,25,0.00\" has a thousands separator in the wrong place"
printf 'indicator,date,value\r\n%s,2023-01-31,1e-400\r\n' "$IND" >"$T/tiny.csv"
expect_refused "$GEN" measurements "$T/tiny.csv" \
    "$T/tiny.csv:2: column value: \"1e-400\" is too close to zero to be stored (it would be read as 0); write 0 if zero is meant"
bad empty.csv ''
expect_refused "$GEN" projects "$T/empty.csv" "$T/empty.csv:1: the file is empty"
bad header.csv 'code,title,status\r\n'
expect_refused "$GEN" projects "$T/header.csv" \
    "$T/header.csv:1: the file has a header but no rows of projects"
bad fields.csv 'code,title\r\nP000001,a,b\r\n'
expect_refused "$GEN" projects "$T/fields.csv" "$T/fields.csv:2: has 3 fields but the header has 2"
bad missing.csv 'indicator,value\r\nX,1\r\n'
expect_refused "$GEN" measurements "$T/missing.csv" \
    "$T/missing.csv:1: column date: missing from the header"
bad status.csv 'code,status\r\nP000001,finished\r\n'
expect_refused "$GEN" projects "$T/status.csv" \
    "$T/status.csv:2: column status: \"finished\" is not one of proposed"
bad semicolon.csv 'code;title;budget\r\nP000001;x;"1.400.000,50"\r\n'
it import --db "$GEN" --csv projects "$T/semicolon.csv" --dry-run
expect_rc 0
expect_out "values separated by ';' (detected)"
expect_out "semicolon.csv:2: change project P000001: title"
expect_out "budget"
expect_out '-> "1400000.50"'
expect_out "nothing written"
expect_state "$GEN" before
# More tags than a project may hold (MODEL_MAX_TAGS, the forms' and the API's
# limit too) are refused; exactly 100 are imported and export back.
tags=$(seq -f 'tag %g' 1 101 | paste -sd ';')
printf 'code,tags\r\nP000001,"%s"\r\n' "$tags" >"$T/tags101.csv"
expect_refused "$GEN" projects "$T/tags101.csv" \
    "$T/tags101.csv:2: column tags: has 101 tags; at most 100 are allowed"
cp "$GEN" "$T/tags.db"
printf 'code,tags\r\nP000001,"%s"\r\n' "${tags%;tag 101}" >"$T/tags100.csv"
it import --db "$T/tags.db" --csv projects "$T/tags100.csv"
expect_rc 0
[ "$(sqlite3 "$T/tags.db" "SELECT count(*) FROM project_tag t JOIN project p ON p.id = t.project_id WHERE p.code = 'P000001'")" = 100 ] ||
    fail "100 tags were not all imported"
it export --db "$T/tags.db" -o "$T/tags.json"
expect_rc 0
it import --db "$T/tags.db" "$T/tags.json"
expect_rc 0
expect_out "unchanged"
# Several problems in one file: all are listed, good rows are not written.
bad many.csv 'code,title,status\r\nP000001,Fine,completed\r\nP000002,,completed\r\nP000003,x,later\r\n'
expect_refused "$GEN" projects "$T/many.csv" \
    "$T/many.csv:3: column title: must not be empty" \
    "$T/many.csv:4: column status: \"later\" is not one of"

# 5. Usage.
it import --db "$GEN" --csv tasks "$T/many.csv"
expect_rc 2
expect_err "--csv must be projects, measurements, expenditure, updates"
it import --db "$GEN" --strategy GEN-3 "$T/gen.json"
expect_rc 2
expect_err "--strategy goes with --csv"
it export --db "$GEN" --csv project
expect_rc 2
expect_err '--csv must be projects, measurements, expenditure, updates, indicators, milestones, risks, actions, services, service_figures, committees, meetings or decisions, not "project"'
it import --db "$GEN" --csv projects --strategy NOPE "$T/gen-projects.csv"
expect_rc 4
expect_err "itstrat import: no strategy \"NOPE\" in $GEN"
it import --db "$GEN" --csv projects "$T/no-such-file.csv"
expect_rc 1
expect_err "$T/no-such-file.csv: cannot open"
it import --db "$GEN" "$DEMO"
expect_rc 0
it export --db "$GEN" --csv projects
expect_rc 2
expect_err "say which with --strategy CODE"
it export --db "$GEN" --csv projects --strategy GEN-3
expect_rc 0
it import --db "$GEN" --csv projects --strategy 2018-21 "$T/demo-projects.csv"
expect_rc 0
expect_out "strategy 2018-21: unchanged"
integrity_ok "$GEN"

pass
