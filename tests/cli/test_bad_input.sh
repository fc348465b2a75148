#!/bin/bash
# test_bad_input.sh — every class of bad input to `itstrat import`: each
# exits 1, names the place of the problem (JSON path and/or line), and
# leaves the database exactly as it was (list, exports and every row).
. "$(dirname "$0")/lib.sh"

# A small valid strategy; the broken copies below each change one thing.
cat >"$T/ok.json" <<'JSON'
{
  "format": "itstrat/1",
  "strategy": {
    "code": "T-1",
    "title": "Test strategy",
    "first_year": 2020,
    "last_year": 2023,
    "categories": [{"code": "new", "name": "New", "new_or_major": true}]
  },
  "locations": [
    {"code": "HQ", "name": "Headquarters", "kind": "headquarters"},
    {"code": "RO", "name": "Region", "kind": "region", "parent": "HQ"}
  ],
  "outcomes": [
    {"number": 4, "title": "Efficient", "outputs": [
      {"code": "4.1", "title": "Output one", "deliverables": ["A thing"]}
    ]}
  ],
  "drivers": [{"code": "security", "title": "Security"}],
  "projects": [
    {"code": "P1", "title": "Project one", "output": "4.1", "category": "new",
     "years": [2020, 2021], "status": "in_progress", "budget": 1000.5,
     "locations": [{"location": "HQ", "status": "completed", "date": "2021-02-28"}],
     "updates": [{"date": "2021-03-01", "text": "Going well"}]},
    {"code": "P2", "title": "Project two", "outcome": 4, "status": "proposed",
     "depends_on": ["P1"]},
    {"code": "P3", "title": "Project three", "driver": "security", "status": "approved",
     "depends_on": ["P2"]}
  ]
}
JSON

db="$T/t.db"
it import "$DEMO" --db "$db"
expect_rc 0
it import "$T/ok.json" --db "$db"
expect_rc 0
expect_out "strategy T-1: imported (3 projects"
snapshot "$db" before
grep -q "== T-1" "$T/before.state" || fail "the state does not show T-1"
grep -q "== 2018-21" "$T/before.state" || fail "the state does not show 2018-21"

# line_of TEXT — line of the first line of ok.json holding TEXT.
line_of() { grep -nF -- "$1" "$T/ok.json" | head -1 | cut -d: -f1; }

# broken NAME SED — writes $T/NAME.json: ok.json edited by the sed script.
broken() {
    sed -e "$2" "$T/ok.json" >"$T/$1.json"
    cmp -s "$T/ok.json" "$T/$1.json" && fail "the edit for $1 changed nothing"
}

# refused FILE MESSAGE... — import FILE fails with exit 1, stderr holds each
# MESSAGE (prefixed with the file name), and the database is unchanged.
refused() {
    local file=$1
    shift
    it import "$file" --db "$db"
    expect_rc 1
    local m
    for m in "$@"; do expect_err "$m"; done
    expect_err "itstrat import: $file was not imported; $db is unchanged"
    expect_no_out
    expect_state "$db" before
}

# Malformed JSON: inside a streamed array, inside the strategy, at the top.
p2=$(line_of '"code": "P2"')
broken malformed 's/"title": "Project two",/"title": "Project two"/'
refused "$T/malformed.json" "$T/malformed.json: projects[1]: line $p2, column " \
    "expected ',' or '}' after the member (at '\"outcome\"')"
broken malformed2 's/"first_year": 2020,/"first_year": 2020,,/'
refused "$T/malformed2.json" "$T/malformed2.json: strategy: line 6, column " \
    "expected a member name in double quotes or '}' (at ',')"
broken malformed3 's/^  "drivers"/  drivers/'
refused "$T/malformed3.json" "$T/malformed3.json: line $(line_of '"drivers"'), column 3: expected a quoted member name, found 'd'"
broken mismatched 's/^  \]$/  }/'
refused "$T/mismatched.json" "'}' closes an array '[' in the value of \"projects\" that starts on line $(line_of '"projects"')"

# Wrong types.
broken types 's/"first_year": 2020/"first_year": "2020"/; s/"depends_on": \["P1"\]/"depends_on": "P1"/'
refused "$T/types.json" "$T/types.json: strategy.first_year: must be a whole number, not a text in quotes (line 3)" \
    "projects[1].depends_on: must be an array, not a text in quotes (line $p2)"

# Unknown members, with a suggestion when one is close.
broken unknown 's/"title": "Project two"/"titel": "Project two"/; s/"format":/"formt": 1, "format":/'
refused "$T/unknown.json" "$T/unknown.json: projects[1].titel: unknown member; did you mean \"title\"? (line $p2)" \
    "projects[1].title: required (line $p2)" "formt: unknown member of an itstrat document"

# A reference to something that does not exist.
p1=$(line_of '"code": "P1"')
broken dangling 's/"output": "4.1"/"output": "4.2"/'
refused "$T/dangling.json" "$T/dangling.json: projects[0].output: no output \"4.2\" in strategy T-1 (line $p1)"

# Duplicate codes.
broken duplicate 's/"code": "P3"/"code": "P1"/'
refused "$T/duplicate.json" "projects[2].code: project \"P1\" appears more than once (line $(line_of '"code": "P3"'))"

# A cycle in project dependencies: P1 -> P3 -> P2 -> P1.
broken cycle 's/"status": "in_progress",/"status": "in_progress", "depends_on": ["P3"],/'
refused "$T/cycle.json" "depends_on[0]: dependency cycle through" "(projects cannot wait on each other)"

# Text that is not UTF-8 (a Latin-1 "é").
sed -e 's/Going well/All\xe9 well/' "$T/ok.json" >"$T/latin1.json"
refused "$T/latin1.json" "$T/latin1.json: projects[0]: line $(line_of 'Going well'), column 49: byte 0xe9 is not UTF-8 text: save the file as UTF-8"

# Numbers out of range.
broken range 's/"budget": 1000.5/"budget": 1e14/; s/"number": 4,/"number": 100,/'
refused "$T/range.json" "projects[0].budget: 1e+14 is out of range (0 to 1e+13) (line $p1)" \
    "outcomes[0].number: 100 is out of range (1 to 99)"
broken range2 's/"years": \[2020, 2021\]/"years": [2020, 2024]/'
refused "$T/range2.json" "projects[0].years[1]: 2024 is outside the strategy period 2020-2023 (line $p1)"

# Dates that do not exist.
broken date 's/"date": "2021-02-28"/"date": "2021-02-29"/'
refused "$T/date.json" "$T/date.json: projects[0].locations[0].date: \"2021-02-29\" is not a date that exists (write YYYY-MM-DD) (line $p1)"
broken date2 's/"date": "2021-03-01"/"date": "2021-04-31"/'
refused "$T/date2.json" "projects[0].updates[0].date: \"2021-04-31\" is not a date that exists"

# Files that are not JSON at all.
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10' >"$T/image.png"
refused "$T/image.png" "$T/image.png: line 1, column 1: not a JSON object: an itstrat document starts with '{', this file with byte 0x89"
ls_bin=$(command -v ls)
refused "$ls_bin" "$ls_bin: line 1, column 1: not a JSON object" "byte 0x7f"
echo '[{"format": "itstrat/1"}]' >"$T/array.json"
refused "$T/array.json" "not a JSON object: an itstrat document starts with '{', this file with '['"

# A truncated file: the first part of a valid document.
head -c 20000 "$DEMO" >"$T/truncated.json"
refused "$T/truncated.json" "$T/truncated.json: line " "the file ends inside the value of" \
    "(the file is truncated or a bracket or quote is missing)"
head -c 3 "$T/ok.json" >"$T/truncated2.json"
refused "$T/truncated2.json" "$T/truncated2.json: line 2, column 2: expected a quoted member name, found the end of the file"

# An empty file, and one with only white space.
: >"$T/empty.json"
refused "$T/empty.json" "$T/empty.json: the file is empty: an itstrat document is a JSON object"
printf ' \n\t\n' >"$T/blank.json"
refused "$T/blank.json" "the file is empty"

# A 2 GB file (sparse): refused from its size, without reading it. What the
# process read and touched is counted (run_counted in lib.sh), never timed.
truncate -s 2G "$T/huge.json" || fail "cannot create a sparse file"
run_counted import "$T/huge.json" --db "$db"
expect_rc 1
expect_err "$T/huge.json: the file is 2048.0 MiB; itstrat imports documents of up to 512 MiB"
expect_state "$db" before
[ "$READ" -lt $((16 << 20)) ] || fail "refusing the 2 GB file read $READ bytes"
[ "$RSS_KIB" -lt $((128 << 10)) ] || fail "refusing the 2 GB file touched $RSS_KIB KiB"
rm -f "$T/huge.json"
# Under the limit but not JSON: refused at the first byte, not after reading
# it all (the document is mapped: its pages touched would count in the
# resident set; 500 MiB read would be 500 MiB of it).
truncate -s 500M "$T/zeros.json"
run_counted import "$T/zeros.json" --db "$db"
expect_rc 1
expect_err "$T/zeros.json: line 1, column 1: not a JSON object"
expect_err "byte 0x00"
expect_state "$db" before
[ "$READ" -lt $((16 << 20)) ] || fail "refusing 500 MB of zeros read $READ bytes"
[ "$RSS_KIB" -lt $((128 << 10)) ] || fail "refusing 500 MB of zeros touched $RSS_KIB KiB"
# The counters do see a whole read (a check of the check): cat reads it all.
python3 -c '
import os, subprocess, sys
def rchar():
    with open("/proc/self/io") as f:
        return int(dict(l.split(": ") for l in f.read().splitlines())["rchar"])
b = rchar(); subprocess.run(["cat", sys.argv[1]], stdout=subprocess.DEVNULL, check=True)
sys.exit(0 if rchar() - b >= 500 << 20 else 1)' "$T/zeros.json" ||
    fail "/proc/self/io does not count what a reaped child read"
rm -f "$T/zeros.json"

# A missing file, a directory, a file that cannot be read.
refused "$T/missing.json" "$T/missing.json: cannot open: No such file or directory"
mkdir "$T/dir.json"
refused "$T/dir.json" "$T/dir.json: not a regular file"
refused /dev/null "/dev/null: not a regular file"
# A named pipe nobody writes to: refused at once, not waited on.
mkfifo "$T/pipe.json" || fail "mkfifo failed"
run timeout 300 "$ITSTRAT" import "$T/pipe.json" --db "$db"
[ "$RC" -ne 124 ] || fail "import waited for a writer on a named pipe"
expect_rc 1
expect_err "$T/pipe.json: not a regular file"
expect_state "$db" before
if [ "$(id -u)" != 0 ]; then # root reads everything
    cp "$T/ok.json" "$T/secret.json" && chmod 000 "$T/secret.json"
    refused "$T/secret.json" "$T/secret.json: cannot open: Permission denied"
fi

# A number too close to zero for a double is refused like one too large,
# with its place, instead of being stored as 0.
broken tiny 's/"budget": \([0-9.]*\)/"budget": 1e-400/'
refused "$T/tiny.json" "the number 1e-400 in the value of \"projects\" is too close to zero to be stored"
# A syntax error is the only problem reported (no follow-on "no project"
# of the expenditure lines and decisions that name the projects after it).
broken syntax 's/"title": "Project two",/"title": "Project two", "x": NaN,/'
refused "$T/syntax.json" "this is not JSON"
[ "$(grep -c "^$T/syntax.json: " "$T/err")" -eq 1 ] || fail "a syntax error came with others"

# Several problems at once: all are listed, in document order.
broken many 's/"output": "4.1"/"output": "4.2"/; s/"date": "2021-02-28"/"date": "2021-02-29"/; s/"code": "P3"/"code": "P1"/'
refused "$T/many.json" "projects[0].output" "projects[0].locations[0].date" "projects[2].code"
[ "$(grep -c "^$T/many.json: " "$T/err")" -eq 3 ] || fail "expected exactly 3 problems"

# After all that, the valid document is still unchanged and imports as such.
it import "$T/ok.json" --db "$db"
expect_rc 0
expect_out "strategy T-1: unchanged"
expect_state "$db" before
integrity_ok "$db"

pass
