#!/bin/bash
# test_newer_db.sh — files itstrat must refuse without touching them: a
# database written by a newer itstrat (higher user_version), SQLite files of
# another application (tables, or only its application_id), files that are
# not SQLite. Every command exits 3 with a message and the file keeps its bytes.
. "$(dirname "$0")/lib.sh"

# refuses DB MESSAGE — every command that opens DB refuses it, exit 3,
# saying MESSAGE, and DB keeps its bytes (no log or shared-memory file either).
refuses() {
    local db=$1 msg=$2 sum cmd
    sum=$(sha256sum <"$db")
    for cmd in "list" "export" "summary" "init" "import $DEMO" "delete --strategy 2018-21"; do
        # shellcheck disable=SC2086 # cmd holds the command and its arguments
        it $cmd --db "$db"
        expect_rc 3
        expect_err "$msg"
        expect_no_out
        [ "$(sha256sum <"$db")" = "$sum" ] || fail "itstrat ${cmd%% *} changed $db"
        [ ! -s "$db-wal" ] || fail "itstrat ${cmd%% *} wrote a log for $db"
    done
}

# A database of this itstrat, then as if written by a newer one.
db="$T/newer.db"
it import "$DEMO" --db "$db"
expect_rc 0
version=$(sqlite3 "$db" 'PRAGMA user_version')
[ "$version" -ge 1 ] || fail "user_version is $version"
[ "$(sqlite3 "$db" 'PRAGMA application_id')" = $((0x49545354)) ] || fail "application_id is not 'ITST'"
newer=$((version + 1))
sqlite3 "$db" "PRAGMA user_version = $newer" || fail "sqlite3 failed"
refuses "$db" "$db: written by a newer itstrat (schema version $newer; this itstrat knows up to $version); use a newer itstrat, nothing was changed"
sqlite3 "$db" "PRAGMA user_version = 1000000"
refuses "$db" "schema version 1000000"
# Back to this version: readable again, with its data.
sqlite3 "$db" "PRAGMA user_version = $version"
it export --db "$db"
expect_rc 0
same_file "$T/out" "$DEMO"

# Another application's SQLite file, with tables.
other="$T/other.db"
sqlite3 "$other" 'CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT);
                  INSERT INTO notes(body) VALUES (1), (2);' || fail "sqlite3 failed"
refuses "$other" "$other: this SQLite file is not an itstrat database; give another file with --db"
[ "$(sqlite3 "$other" 'SELECT count(*) FROM notes')" = 2 ] || fail "the notes are gone"

# An itstrat database whose application_id was changed by someone else.
stolen="$T/stolen.db"
cp "$db" "$stolen"
sqlite3 "$stolen" 'PRAGMA application_id = 1234'
refuses "$stolen" "not an itstrat database"

# A file that only carries another application's id (no tables yet).
marked="$T/marked.db"
sqlite3 "$marked" 'PRAGMA application_id = 1234; PRAGMA user_version = 0'
[ -s "$marked" ] || fail "sqlite3 did not write the header"
refuses "$marked" "not an itstrat database"

# Not SQLite at all.
printf 'just text, not a database\n%.0s' $(seq 300) >"$T/text.db"
refuses "$T/text.db" "$T/text.db: not a database itstrat can read"
# A SQLite header followed by garbage.
head -c 8192 /dev/zero | tr '\0' '\377' >"$T/garbage.db"
printf 'SQLite format 3\0' | dd of="$T/garbage.db" conv=notrunc status=none
refuses "$T/garbage.db" "$T/garbage.db: not a database itstrat can read"

pass
