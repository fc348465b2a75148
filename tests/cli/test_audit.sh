#!/bin/bash
# test_audit.sh — the audit trail through the real binary:
#  - a JSON import is listed with the actor of $ITSTRAT_ACTOR, via cli, the
#    time of $ITSTRAT_NOW and the document's digest; importing it again
#    (unchanged) and a refused import add nothing;
#  - a CSV import and a delete are recorded with before/after digests;
#  - `audit verify` says intact with the count and head; --entity/--actor
#    filter the list; --csv -o writes every column as RFC 4180;
#  - tampering with sqlite3 (triggers dropped, then UPDATE / DELETE of an
#    entry, DELETE of the last one) makes verify exit 1 naming the entry;
#  - usage errors exit 2.
. "$(dirname "$0")/lib.sh"

DB=$T/a.db
export ITSTRAT_ACTOR=alice ITSTRAT_NOW=2026-03-04T05:06:07Z

it audit verify --db "$DB"
expect_rc 3 # no database yet

it import --db "$DB" "$DEMO"
expect_rc 0
it audit list --db "$DB"
expect_rc 0
expect_out "2026-03-04T05:06:07Z  alice (cli)"
expect_out "import      strategy      2018-21"
[ "$(grep -c '^ *[0-9]' "$T/out")" = 1 ] || fail "one entry expected"

# Unchanged and refused imports record nothing.
it import --db "$DB" "$DEMO"
expect_out "unchanged"
printf '{"format": "itstrat/1", "strategy": {"code": "2018-21"}}' >"$T/bad.json"
it import --db "$DB" "$T/bad.json"
expect_rc 1
it audit verify --db "$DB"
expect_rc 0
expect_out "audit trail intact: 1 entry, head "

# The recorded document digest is the export's digest (the demo is canonical).
DIGEST=$("$ITSTRAT" export --db "$DB" | b2sum -l 256 | cut -d' ' -f1)
[ "$(sqlite3 "$DB" "SELECT json_extract(after, '$.document') FROM audit WHERE id = 1")" = "$DIGEST" ] ||
    fail "entry 1 does not carry the export digest $DIGEST"

# A replacing import records the counts before and after (into a copy).
cp "$DB" "$T/r.db"
sed 's/"title": "Replacement of Skype for Business/"title": "Replacing Skype for Business/' \
    "$DEMO" >"$T/changed.json"
it import --db "$T/r.db" "$T/changed.json"
expect_out "replaced"
[ "$(sqlite3 "$T/r.db" "SELECT json_extract(before, '$.digest') || ' ' ||
       json_extract(before, '$.projects') || ' ' || json_extract(after, '$.projects') || ' ' ||
       (json_extract(after, '$.digest') = json_extract(after, '$.document'))
       FROM audit WHERE id = 2")" = "$DIGEST 45 45 1" ] || fail "replacing import's summaries"

# A CSV import and a delete, by someone else.
it export --db "$DB" --csv projects -o "$T/p.csv"
expect_rc 0
sed -i '2s/Replacement of Skype/Replacing Skype/' "$T/p.csv"
ITSTRAT_ACTOR=bob it import --db "$DB" --csv projects "$T/p.csv"
expect_rc 0
expect_out "1 changed"
AFTER=$("$ITSTRAT" export --db "$DB" | b2sum -l 256 | cut -d' ' -f1)
ITSTRAT_ACTOR=bob it import --db "$DB" --csv projects "$T/p.csv" # again: nothing to record
expect_out "unchanged"
[ "$(sqlite3 "$DB" 'SELECT count(*) FROM audit')" = 2 ] || fail "an unchanged CSV import was recorded"
ITSTRAT_ACTOR=bob it delete --db "$DB" --strategy 2018-21
expect_rc 0
it audit list --db "$DB"
expect_out "alice (cli)"
expect_out "bob (cli)                 import-csv  projects      2018-21"
expect_out "bob (cli)                 delete      strategy      2018-21"
[ "$(sqlite3 "$DB" "SELECT json_extract(before, '$.digest') || ' ' ||
       json_extract(after, '$.digest') || ' ' || json_extract(after, '$.changed')
       FROM audit WHERE id = 2")" = "$DIGEST $AFTER 1" ] || fail "entry 2's digests"
[ "$(sqlite3 "$DB" "SELECT json_extract(before, '$.digest') || ' ' || (after IS NULL) || ' ' ||
       json_extract(before, '$.projects') FROM audit WHERE id = 3")" = "$AFTER 1 45" ] ||
    fail "entry 3's digest and count"
it audit verify --db "$DB"
expect_rc 0
expect_out "audit trail intact: 3 entries, head $(sqlite3 "$DB" 'SELECT hash FROM audit WHERE id = 3')"

# Filters.
it audit list --db "$DB" --actor BOB --entity strategy
expect_rc 0
expect_out "delete"
[ "$(grep -c '^ *[0-9]' "$T/out")" = 1 ] || fail "--actor BOB --entity strategy: one entry"
it audit list --db "$DB" --actor nobody
expect_rc 0
expect_err "no entries match"

# CSV export.
it audit list --db "$DB" --csv -o "$T/audit.csv"
expect_rc 0
expect_no_out
head -1 "$T/audit.csv" | grep -qx $'id,at,actor,via,address,action,entity,entity_key,before,after,prev_hash,hash\r' ||
    fail "CSV header: $(head -1 "$T/audit.csv")"
[ "$(wc -l <"$T/audit.csv")" = 4 ] || fail "CSV: header and 3 rows expected"
python3 - "$T/audit.csv" "$DB" <<'EOF' || fail "CSV content differs from the table"
import csv, sqlite3, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
db = sqlite3.connect(sys.argv[2])
want = [[("" if v is None else str(v)) for v in r] for r in db.execute(
    "SELECT id, at, actor, via, address, action, entity, entity_key, before, after,"
    " prev_hash, hash FROM audit ORDER BY id")]
assert rows[1:] == want, (rows[1:], want)
assert rows[3][5] == "delete" and rows[3][9] == "" and rows[1][8] == ""
EOF
NCHECKS=$((NCHECKS + 1))

# Tampering: copies of the database, each changed behind itstrat's back.
tamper() { # tamper NAME SQL — a copy of $DB with the triggers dropped and SQL run
    cp "$DB" "$T/$1.db"
    sqlite3 "$T/$1.db" "DROP TRIGGER audit_append_only_update;
                        DROP TRIGGER audit_append_only_delete; $2" || fail "sqlite3 $1"
}
run sqlite3 "$DB" "UPDATE audit SET actor = 'mallory' WHERE id = 2"
[ "$RC" != 0 ] || fail "the trigger let an UPDATE through"
expect_err "append-only"
run sqlite3 "$DB" "DELETE FROM audit WHERE id = 3"
[ "$RC" != 0 ] || fail "the trigger let a DELETE through"
expect_err "append-only"

tamper edited "UPDATE audit SET actor = 'mallory' WHERE id = 2"
it audit verify --db "$T/edited.db"
expect_rc 1
expect_err "broken at entry 2"
expect_err "edited"

tamper removed "DELETE FROM audit WHERE id = 2"
it audit verify --db "$T/removed.db"
expect_rc 1
expect_err "broken at entry 3"
expect_err "entry 2 is missing"

tamper last "DELETE FROM audit WHERE id = 3"
it audit verify --db "$T/last.db"
expect_rc 1
expect_err "broken at entry 3"
expect_err "last entries were removed"

tamper after "UPDATE audit SET after = NULL WHERE id = 1"
it audit verify --db "$T/after.db"
expect_rc 1
expect_err "broken at entry 1"

# Usage.
it audit check --db "$DB"
expect_rc 2
expect_err 'say verify or list, not "check"'
it audit verify --db "$DB" --csv
expect_rc 2
expect_err "--csv and -o go with list"
it audit --db "$DB"
expect_rc 2
expect_err "usage: itstrat audit verify|list"

pass
