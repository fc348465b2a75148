#!/usr/bin/env bash
# test_web_hidden.sh — a strategy the asker may not see answers byte for byte
# as a code that does not exist, on every strategy route (pages, API,
# downloads, record forms), signed in or not, and no answer names it
# (tests/http/hidden.py; issue 10, finding 1).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/web.sh"
command -v python3 >/dev/null || fail "python3 is missing: run scripts/install-deps.sh"
command -v sqlite3 >/dev/null || fail "sqlite3 is missing: run scripts/install-deps.sh"

DB="$T/web.db"
private_fixture 30 3
q "UPDATE strategy SET title = 'Secret Zebra Programme',
    organization = 'Ministry of Hidden Things' WHERE code = 'GEN-P'" || fail "cannot name GEN-P"
add_accounts "Hidden-Test-Password-%d-xyz" viewer:viewer admin:admin
run_suite "a hidden strategy answers other than an unknown code" \
    python3 "$ITSTRAT_SRC/tests/http/hidden.py" "$ITSTRAT" "$DB"
pass
