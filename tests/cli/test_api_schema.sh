#!/usr/bin/env bash
# test_api_schema.sh — every answer of the JSON API matches docs/openapi.json
# (tests/http/api_schema.py): members, types, enums, ranges, no undocumented
# member, errors as documented, every path answered. The database holds the
# demo, a generated strategy and the hostile one.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || fail "python3 is missing: run scripts/install-deps.sh"

it import --db "$T/web.db" "$DEMO"
expect_rc 0
it gen --projects 300 --seed 4 -o "$T/gen.json"
expect_rc 0
it import --db "$T/web.db" "$T/gen.json"
expect_rc 0
it import --db "$T/web.db" "$ITSTRAT_SRC/tests/data/hostile.json"
expect_rc 0

# The records paths need an account: a viewer's read token.
"$ITSTRAT" user add reader --role viewer --db "$T/web.db" >/dev/null || fail "user add"
token=$("$ITSTRAT" token add reader --name schema --db "$T/web.db" | sed -n 's/^token: //p')
[ -n "$token" ] || fail "itstrat token add printed no token"

ITSTRAT_TOKEN=$token run_suite "the API differs from docs/openapi.json" \
    python3 "$ITSTRAT_SRC/tests/http/api_schema.py" "$ITSTRAT" "$T/web.db" "$ITSTRAT_SRC"
pass
