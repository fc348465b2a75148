#!/usr/bin/env bash
# test_permissions.sh — who may do what, route by route (tests/http/permissions.py):
# the route table of the server (`itstrat test-routes`) and the table of
# docs/security.md agree, and every route answers every method as that table
# says for no account, a viewer, a contributor on and off their assignments,
# a manager and an admin, against `itstrat serve` without --open-read. Forms
# without their CSRF token and API writes without a write token are refused.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/web.sh"
command -v python3 >/dev/null || fail "python3 is missing: run scripts/install-deps.sh"
command -v sqlite3 >/dev/null || fail "sqlite3 is missing: run scripts/install-deps.sh"

DB="$T/web.db"
private_fixture 50 7
# the accounts and their numbers, as in permissions.py
add_accounts "Matrix-Test-Password-%d-xyz" viewer:viewer contributor:contributor \
    contributor2:contributor manager:manager admin:admin
# The contributor looks after one project and one indicator of GEN-P, the
# second contributor after others; each has progress updates, roll-outs and
# measurements to change.
sqlite3 "$DB" <<'SQL' || fail "cannot assign the contributors"
CREATE TEMP VIEW candidate AS
  SELECT p.id FROM project p JOIN strategy s ON s.id = p.strategy_id
  WHERE s.code = 'GEN-P' AND EXISTS (SELECT 1 FROM project_update u WHERE u.project_id = p.id)
    AND EXISTS (SELECT 1 FROM project_location l WHERE l.project_id = p.id) ORDER BY p.id;
CREATE TEMP VIEW measured AS
  SELECT i.id FROM indicator i JOIN strategy s ON s.id = i.strategy_id
  WHERE s.code = 'GEN-P' AND EXISTS (SELECT 1 FROM measurement m WHERE m.indicator_id = i.id)
  ORDER BY i.id;
INSERT INTO assignment (user_id, project_id) SELECT (SELECT id FROM app_user WHERE login = 'contributor'), (SELECT id FROM candidate LIMIT 1);
INSERT INTO assignment (user_id, indicator_id) SELECT (SELECT id FROM app_user WHERE login = 'contributor'), (SELECT id FROM measured LIMIT 1);
INSERT INTO assignment (user_id, project_id) SELECT (SELECT id FROM app_user WHERE login = 'contributor2'), (SELECT id FROM candidate LIMIT 1 OFFSET 1);
INSERT INTO assignment (user_id, indicator_id) SELECT (SELECT id FROM app_user WHERE login = 'contributor2'), (SELECT id FROM measured LIMIT 1 OFFSET 1);
SQL

run_suite "a route answers other than docs/security.md says" \
    python3 "$ITSTRAT_SRC/tests/http/permissions.py" "$ITSTRAT" "$DB" "$ITSTRAT_SRC"
pass
