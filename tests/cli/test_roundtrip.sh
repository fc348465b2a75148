#!/bin/bash
# test_roundtrip.sh — import -> export -> import -> export gives the same
# bytes, for the demo strategy and for a generated one; a second import of
# the same document changes nothing; two strategies live side by side.
. "$(dirname "$0")/lib.sh"

"$ITSTRAT" gen --projects 500 --seed 7 -o "$T/gen.json" || fail "gen failed"
[ "$(grep -c '"status": ' "$T/gen.json")" -ge 500 ] || fail "gen wrote too few projects"

# roundtrip NAME FILE CODE — the whole cycle for one document.
roundtrip() {
    local name=$1 file=$2 code=$3
    local a="$T/$name-a.db" b="$T/$name-b.db"
    it import "$file" --db "$a"
    expect_rc 0
    expect_out "strategy $code: imported"
    it export --db "$a" -o "$T/$name-1.json"
    expect_rc 0
    expect_no_out
    it export --db "$a" --strategy "$code"
    expect_rc 0
    same_file "$T/out" "$T/$name-1.json" # -o and standard output agree
    # The source documents are canonical already.
    same_file "$file" "$T/$name-1.json"
    # Through a second database and back.
    it import "$T/$name-1.json" --db "$b"
    expect_rc 0
    expect_out "strategy $code: imported"
    it export --db "$b" -o "$T/$name-2.json"
    expect_rc 0
    same_file "$T/$name-1.json" "$T/$name-2.json"
    # Importing the same document again changes nothing at all.
    snapshot "$a" "$name"
    it import "$T/$name-1.json" --db "$a"
    expect_rc 0
    expect_out "strategy $code: unchanged ($a holds exactly this document)"
    expect_state "$a" "$name"
    it import "$file" --db "$b"
    expect_rc 0
    expect_out "strategy $code: unchanged"
    integrity_ok "$a"
}

roundtrip demo "$DEMO" 2018-21
roundtrip gen "$T/gen.json" GEN-7

# A change is a replacement, and importing the original restores the bytes.
sed 's/"title": "Information Technology Strategy 2018–21"/"title": "IT Strategy, revised"/' \
    "$DEMO" >"$T/revised.json"
cmp -s "$DEMO" "$T/revised.json" && fail "the edit changed nothing"
db="$T/demo-a.db"
it import "$T/revised.json" --db "$db"
expect_rc 0
expect_out "strategy 2018-21: replaced (45 projects"
it export --db "$db"
expect_rc 0
same_file "$T/out" "$T/revised.json"
it import "$DEMO" --db "$db"
expect_rc 0
expect_out "strategy 2018-21: replaced"
it export --db "$db"
same_file "$T/out" "$DEMO"

# Two strategies side by side in one database.
db="$T/both.db"
it import "$DEMO" --db "$db"
expect_rc 0
it import "$T/gen.json" --db "$db"
expect_rc 0
expect_out "strategy GEN-7: imported (500 projects"
it list --db "$db"
expect_rc 0
expect_out "2018-21      2018-2021  Information Technology Strategy 2018–21  (public)"
expect_out "GEN-7        2022-2025  Synthetic IT Strategy 2022–25  (public)"
[ "$(wc -l <"$T/out")" -eq 2 ] || fail "list should show two strategies"
it export --db "$db" --strategy 2018-21
same_file "$T/out" "$DEMO"
it export --db "$db" --strategy GEN-7
same_file "$T/out" "$T/gen.json"
# Re-importing one leaves the other alone; so does deleting it.
it import "$DEMO" --db "$db"
expect_out "strategy 2018-21: unchanged"
it import "$T/revised.json" --db "$db"
expect_out "strategy 2018-21: replaced"
it export --db "$db" --strategy GEN-7
same_file "$T/out" "$T/gen.json"
it delete --db "$db" --strategy 2018-21
expect_rc 0
it export --db "$db"
expect_rc 0
same_file "$T/out" "$T/gen.json"
[ "$(sqlite3 "$db" 'SELECT count(*) FROM project')" = 500 ] || fail "rows of 2018-21 are left"
integrity_ok "$db"

# The same generated strategy under another code: same content, new code.
"$ITSTRAT" gen --projects 500 --seed 7 --code OTHER -o "$T/other.json" || fail "gen failed"
it import "$T/other.json" --db "$db"
expect_rc 0
expect_out "strategy OTHER: imported"
it export --db "$db" --strategy OTHER
same_file "$T/out" "$T/other.json"
diff "$T/gen.json" "$T/other.json" | grep -q '^> .*"code": "OTHER"' || fail "--code not used"

pass
