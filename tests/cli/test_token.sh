#!/bin/bash
# test_token.sh — `itstrat token`: add prints a token once and stores only
# its digest, list shows state but never the token, revoke ends it once;
# every change is in the audit trail as token LOGIN/ID; bad input exits 2
# (usage) or 4 (no such account or token) and changes nothing.
# (Using the tokens against the server: test_web_signin.sh.)
. "$(dirname "$0")/lib.sh"

DB=$T/t.db
export ITSTRAT_ACTOR=tess
it init --db "$DB"
expect_rc 0
it user add Alice --role manager --db "$DB"
expect_rc 0

it token add alice --name "nightly export" --scope write --days 30 --db "$DB"
expect_rc 0
expect_out "token 1 created for Alice: scope write, expires "
expect_out "shown only this once"
TOK=$(sed -n 's/^token: //p' "$T/out")
case $TOK in itst_???????????????????????????????????????????) ;; *) fail "bad token: $TOK" ;; esac
DIGEST=$(printf %s "$TOK" | b2sum -l 256 | cut -d' ' -f1)
[ "$(sqlite3 "$DB" "SELECT token_hash || ' ' || scope || ' ' || name FROM api_token WHERE id = 1")" = \
  "$DIGEST write nightly export" ] || fail "the stored token is not the digest of the printed one"
[ "$(sqlite3 "$DB" "SELECT expires_at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '+29 days') AND
      expires_at < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '+31 days') FROM api_token WHERE id = 1")" = 1 ] ||
    fail "--days 30 does not expire in 30 days"
grep -qa "${TOK#itst_}" "$DB" && fail "the token is in the database file in clear"
it token add alice --name reader --db "$DB"
expect_rc 0
expect_out "token 2 created for Alice: scope read, does not expire"
TOK2=$(sed -n 's/^token: //p' "$T/out")
[ "$TOK" != "$TOK2" ] || fail "two tokens are the same"

it token list --db "$DB"
expect_rc 0
expect_out "nightly export"
expect_out "reader"
grep -qE "^ *2  Alice +read +[0-9TZ:-]+ +never +active +reader$" "$T/out" || fail "list: token 2's line"
grep -qF "${TOK#itst_}" "$T/out" && fail "list shows the token"
it token list ALICE --db "$DB"
expect_rc 0
expect_out "reader"

it token revoke 2 --db "$DB"
expect_rc 0
expect_out "token 2 of Alice (\"reader\") revoked"
it token list --db "$DB"
grep -qE "^ *2  Alice .* revoked +reader$" "$T/out" || fail "list: token 2 is not shown revoked"
it token revoke 2 --db "$DB"
expect_rc 1
expect_err "revoked already"

# The audit trail: who, what, never the token.
[ "$(sqlite3 "$DB" "SELECT group_concat(action || ' ' || entity_key || ' ' || actor, '; ') FROM audit WHERE entity = 'token'")" = \
  "create Alice/1 tess; create Alice/2 tess; revoke Alice/2 tess" ] || fail "token audit entries"
[ "$(sqlite3 "$DB" "SELECT json_extract(after, '$.scope') || ' ' || (json_extract(after, '$.revoked_at') IS NOT NULL) FROM audit WHERE action = 'revoke'")" = "read 1" ] ||
    fail "the revocation's after summary"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE before LIKE '%${TOK2#itst_}%' OR after LIKE '%${TOK2#itst_}%'")" = 0 ] ||
    fail "a token is in the audit trail"
it audit verify --db "$DB"
expect_rc 0

# Bad input changes nothing.
snapshot "$DB" before
it token add alice --db "$DB"
expect_rc 2
expect_err "--name NAME"
it token add alice --name x --scope admin --db "$DB"
expect_rc 2
expect_err "--scope must be read or write"
it token add alice --name x --days 0 --db "$DB"
expect_rc 2
expect_err "--days must be a whole number from 1 to 3650"
it token add alice --name $'a\tb' --db "$DB"
expect_rc 2
expect_err "control characters"
it token add nobody --name x --db "$DB"
expect_rc 4
expect_err 'no account "nobody"'
it token add 'bad login!' --name x --db "$DB"
expect_rc 2
it token list --name x --db "$DB"
expect_rc 2
expect_err "--name goes with add only"
it token revoke --db "$DB"
expect_rc 2
it token revoke 99 --db "$DB"
expect_rc 4
expect_err "no token 99"
it token revoke x1 --db "$DB"
expect_rc 2
it token frob --db "$DB"
expect_rc 2
expect_err "use add, list or revoke"
expect_state "$DB" before
it user disable alice --db "$DB"
expect_rc 0
it token add alice --name x --db "$DB"
expect_rc 1
expect_err "is disabled"

it token list --db "$T/none.db"
expect_rc 3

pass
