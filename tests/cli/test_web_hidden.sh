#!/usr/bin/env bash
# test_web_hidden.sh — a strategy the asker may not see answers byte for byte
# as a code that does not exist, on every strategy route (pages, API,
# downloads, record forms), signed in or not, and no answer names it
# (tests/http/hidden.py; issue 10, finding 1).
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || fail "python3 is missing: run scripts/install-deps.sh"
command -v sqlite3 >/dev/null || fail "sqlite3 is missing: run scripts/install-deps.sh"

DB="$T/web.db"
it import --db "$DB" "$DEMO" # strategy 2018-21, public
expect_rc 0
it gen --projects 30 --seed 3 --code GEN-P -o "$T/gen.json"
expect_rc 0
it import --db "$DB" "$T/gen.json"
expect_rc 0
sqlite3 "$DB" "UPDATE strategy SET public = 0, title = 'Secret Zebra Programme',
    organization = 'Ministry of Hidden Things' WHERE code = 'GEN-P'" || fail "cannot hide GEN-P"
n=0
for a in viewer:viewer admin:admin; do
    n=$((n + 1))
    it user add "${a%%:*}" --role "${a#*:}" --db "$DB" --password-stdin \
        <<<"Hidden-Test-Password-$n-xyz"
    expect_rc 0
done
factor=1
grep -qa __asan_init "$ITSTRAT" && factor=4
LAST_CMD=
ITSTRAT_TIME_FACTOR=$factor python3 "$ITSTRAT_SRC/tests/http/hidden.py" "$ITSTRAT" "$DB" ||
    fail "a hidden strategy answers other than an unknown code (FAIL lines above)"
NCHECKS=$((NCHECKS + 1))
pass
