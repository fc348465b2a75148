#!/bin/bash
# test_web_signin.sh — signing in and out, sessions, CSRF and API tokens,
# against the real server without --open-read (a strategy that is not public
# needs an account), with curl as the browser (a cookie jar; the _csrf value
# taken from the form as a browser sends it back):
#  - anonymous: a page of a non-public strategy redirects (303) to
#    /login?next=..., the API answers 401;
#  - sign-in: the right password opens a session (303 to next), a wrong one
#    answers 401 with the message;
#  - per-account lock-out after 5 failures: then even the right password is
#    refused, with the answer of a wrong password, the same page as an
#    unknown login's after as many failures; `itstrat user enable` unlocks;
#  - caching: pages, the API and /login answered to a signed-in person, a
#    token or a browser with a sign-in cookie are "private, no-store";
#    anonymous ones keep "no-cache", the versioned style sheet "public";
#  - a session idle too long, or signed in too long ago (session row edited
#    with sqlite3), counts as signed out, and the cookie is cleared;
#  - CSRF: POST /logout or /login without or with a wrong _csrf, or from a
#    foreign Origin, answers 403 and changes nothing;
#  - sign-out ends the session on the server: the old cookie is anonymous;
#  - API tokens (`itstrat token`): Bearer reads a non-public strategy; a read
#    token may not POST (403); revoked, expired and unknown tokens get 401;
#  - per-address lock-out: 20 failures within 15 minutes from one address,
#    then 429 for everyone there (last: it counts every failure above).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/web.sh"

DB=$T/s.db
it init --db "$DB"
expect_rc 0
ADMIN_PW=$(sed -n 's/^password: //p' "$T/out")
it import --db "$DB" "$DEMO"
expect_rc 0
it user add alice --role viewer --db "$DB"
expect_rc 0
ALICE_PW=$(sed -n 's/^password: //p' "$T/out")
q "UPDATE strategy SET public = 0"
web_start "$DB" signin
STRAT=/s/2018-21
API=/api/v1/strategies/2018-21

# this_session — SQL condition naming the session of the cookie in $JAR
# (the table keeps the BLAKE2b-256 digest of the cookie's value).
this_session() {
    local v
    v=$(awk '$6 == "itstrat_session" { print $7 }' "$JAR")
    [ -n "$v" ] || fail "no session cookie in $JAR"
    echo "token_hash = '$(printf %s "$v" | b2sum -l 256 | cut -d' ' -f1)'"
}

# ---- anonymous --------------------------------------------------------------
JAR=$T/anon.jar
req GET "$STRAT"
status 303
header "Location: /login?next=%2Fs%2F2018-21"
req GET "$API"
status 401
has '"error"'
has "Sign in first"
req GET "/"
status 200

# ---- sign-in ----------------------------------------------------------------
JAR=$T/alice.jar
signin alice "$ALICE_PW" "$STRAT"
status 303
header "Location: $STRAT"
header "Set-Cookie: itstrat_session="
req GET "$STRAT"
status 200
has "2018-21"
[ "$(q "SELECT count(*) FROM session s JOIN app_user u ON u.id = s.user_id WHERE u.login = 'alice'")" = 1 ] ||
    fail "no session row for alice"
[ "$(q "SELECT count(*) FROM audit WHERE action = 'login' AND entity_key = 'alice' AND via = 'web'")" = 1 ] ||
    fail "the sign-in is not in the audit trail"

# ---- caching: what depends on the person is kept by no cache ----------------
# cache_is VALUE — the last answer's Cache-Control is exactly VALUE.
cache_is() {
    NCHECKS=$((NCHECKS + 1))
    local got
    got=$(sed -n 's/^[Cc]ache-[Cc]ontrol: *//p' "$T/head" | tr -d '\r')
    [ "$got" = "$1" ] || fail "line ${BASH_LINENO[0]}: $LAST_CMD: Cache-Control is [$got], expected [$1]"
}
JAR=$T/alice.jar
for p in "$STRAT" "$STRAT/portfolio" "$STRAT/records" "$STRAT/records/project" /account; do
    req GET "$p"
    status 200
    cache_is "private, no-store"
done
req GET /
status 303 # to the one strategy alice may read
cache_is "private, no-store"
req GET "$API"
status 200
cache_is "private, no-store" # the API read with the session cookie
req GET "$STRAT"
req GET "$(sed -n 's/.*href="\(\/static\/site.css?v=[^"]*\)".*/\1/p' "$T/body" | head -1)"
status 200
cache_is "public, max-age=31536000, immutable" # the same for everyone
JAR=
req GET /
status 200
cache_is "no-cache" # anonymous: the cached public page, revalidated by ETag
req GET /api/v1/strategies
cache_is "no-cache"
req GET /login
cache_is "private, no-store" # its form token is this browser's (Set-Cookie)
it token add alice --name "cache test" --db "$DB"
expect_rc 0
CTOK=$(sed -n 's/^token: //p' "$T/out")
req GET "$API" -H "Authorization: Bearer $CTOK"
status 200
cache_is "private, no-store"
req GET /api/v1/strategies -H "Authorization: Bearer $CTOK"
status 200
cache_is "private, no-store"

JAR=$T/wrong.jar
signin alice "not her password"
status 401
has "The login or the password is wrong"
req GET "$STRAT"
status 303 # still anonymous

# ---- per-account lock-out ---------------------------------------------------
it user add bob --role viewer --db "$DB"
expect_rc 0
BOB_PW=$(sed -n 's/^password: //p' "$T/out")
JAR=$T/bob.jar
for i in 1 2 3 4 5; do
    signin bob "wrong password $i"
    status 401
done
[ "$(q "SELECT locked_until > strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM app_user WHERE login = 'bob'")" = 1 ] ||
    fail "bob is not locked after 5 failures"
# signin_page LOGIN — the last answer without what differs between browsers
# and logins: its status line first, the login echoed and the form token.
signin_page() {
    head -1 "$T/head"
    sed -e "s/value=\"$1\"/value=\"LOGIN\"/" -e 's/name="_csrf" value="[^"]*"/name="_csrf"/' "$T/body"
}
# Locked, bob answers as a wrong password does, and as a login that does
# not exist does after as many failures: the same status and the same page
# but for the login echoed in the form (the lock must not tell a guesser
# that "bob" exists, nor that guessing has stopped working).
signin bob "wrong password 6"
status 401
lacks "locked until"
signin_page bob >"$T/locked.html"
JAR=$T/zed.jar
for i in 1 2 3 4 5 6; do
    signin zed "wrong password $i"
    status 401
done
signin_page zed >"$T/unknown.html"
same_file "$T/locked.html" "$T/unknown.html"
has "The login or the password is wrong"
JAR=$T/bob.jar
signin bob "$BOB_PW"
status 401 # even the right password, while locked
has "The login or the password is wrong"
signin_page bob >"$T/locked2.html"
same_file "$T/locked2.html" "$T/unknown.html"
NCHECKS=$((NCHECKS + 1))
grep -qi '^Set-Cookie: itstrat_session=[A-Za-z0-9_-]' "$T/head" && fail "a locked account got a session"
[ "$(q "SELECT count(*) FROM login_failure")" -ge 14 ] ||
    fail "failures while locked are not counted for the address, as unknown logins' are"
[ "$(q "SELECT count(*) FROM audit WHERE action = 'lock' AND entity_key = 'bob'")" = 1 ] ||
    fail "the lock-out is not in the audit trail"
it user enable bob --db "$DB"
expect_rc 0
expect_out "lock-out cleared"
signin bob "$BOB_PW"
status 303

# ---- session expiry ---------------------------------------------------------
# idle: last request 31 minutes ago
JAR=$T/idle.jar
signin alice "$ALICE_PW"
status 303
q "UPDATE session SET last_seen = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-31 minutes') WHERE $(this_session)"
req GET "$STRAT"
status 303
header "Location: /login?next="
header "Set-Cookie: itstrat_session=; Path=/"
header "Max-Age=0"
[ "$(q "SELECT count(*) FROM session WHERE user_id = (SELECT id FROM app_user WHERE login = 'alice')")" = 1 ] ||
    fail "the idle session was not removed (alice's first session should be the only one left)"
SESSIONS=$(q "SELECT count(*) FROM session")
# absolute: signed in 12 hours and a minute ago, used a moment ago
JAR=$T/old.jar
signin bob "$BOB_PW"
status 303
q "UPDATE session SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-721 minutes'), last_seen = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-10 seconds') WHERE $(this_session)"
req GET "$STRAT"
status 303
header "Set-Cookie: itstrat_session=; Path=/"
[ "$(q "SELECT count(*) FROM session")" = "$SESSIONS" ] || fail "the old session was not removed"
# a session that is neither still works
JAR=$T/alice.jar
req GET "$STRAT"
status 200

# ---- CSRF -------------------------------------------------------------------
JAR=$T/alice.jar
req GET "$STRAT"
TOK=$(csrf)
[ -n "$TOK" ] || fail "a signed-in page has no sign-out form with _csrf"
req POST /logout
status 403
has "did not come from this site"
req POST /logout --data "_csrf=wrong$TOK"
status 403
req POST /logout --data-urlencode "_csrf=$TOK" -H "Origin: http://evil.example"
status 403
req GET "$STRAT"
status 200 # the refused sign-outs ended nothing
JAR=$T/csrf.jar
req GET /login
LTOK=$(csrf)
req POST /login --data-urlencode "login=alice" --data-urlencode "password=$ALICE_PW"
status 403
req POST /login --data-urlencode "_csrf=x$LTOK" --data-urlencode "login=alice" \
    --data-urlencode "password=$ALICE_PW"
status 403
req POST /login --data-urlencode "_csrf=$LTOK" --data-urlencode "login=alice" \
    --data-urlencode "password=$ALICE_PW" -H "Origin: http://evil.example"
status 403
req POST /login --data-urlencode "_csrf=$LTOK" --data-urlencode "login=alice" \
    --data-urlencode "password=$ALICE_PW" -H "Origin: $U"
status 303 # the same form from this site's origin passes

# ---- sign-out ---------------------------------------------------------------
JAR=$T/alice.jar
cp "$JAR" "$T/alice-old.jar"
req POST /logout --data-urlencode "_csrf=$TOK"
status 303
header "Set-Cookie: itstrat_session=; Path=/"
JAR=$T/alice-old.jar # the old cookie, as a thief would replay it
req GET "$STRAT"
status 303
header "Location: /login?next="
[ "$(q "SELECT count(*) FROM audit WHERE action = 'logout' AND entity_key = 'alice'")" = 1 ] ||
    fail "the sign-out is not in the audit trail"

# ---- API tokens -------------------------------------------------------------
JAR=
it token add alice --name "read test" --db "$DB"
expect_rc 0
RTOK=$(sed -n 's/^token: //p' "$T/out")
case $RTOK in itst_???????????????????????????????????????????) ;; *) fail "bad token: $RTOK" ;; esac
[ "$(q "SELECT count(*) FROM api_token WHERE token_hash LIKE '%$RTOK%' OR name LIKE '%$RTOK%'")" = 0 ] ||
    fail "the token is stored in clear"
req GET "$API" -H "Authorization: Bearer $RTOK"
status 200
has '"code": "2018-21"'
req GET "$API/projects" -H "Authorization: Bearer $RTOK"
status 200
req POST "$API/records/project" -H "Authorization: Bearer $RTOK" -H "Content-Type: application/json" \
    --data '{"code": "X.1"}'
status 403
has "may only read"
req GET "$API" -H "Authorization: Bearer itst_$(head -c 32 /dev/urandom | base64 | tr -dc A-Za-z0-9 | head -c 43)"
status 401
has "not known"
req GET "$API" -H "Authorization: Bearer $RTOK"x
status 401
RID=$(q "SELECT max(id) FROM api_token")
it token revoke "$RID" --db "$DB"
expect_rc 0
req GET "$API" -H "Authorization: Bearer $RTOK"
status 401
has "revoked"
it token add alice --name "soon expired" --days 1 --db "$DB"
expect_rc 0
ETOK=$(sed -n 's/^token: //p' "$T/out")
req GET "$API" -H "Authorization: Bearer $ETOK"
status 200
q "UPDATE api_token SET expires_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 minute') WHERE name = 'soon expired'"
req GET "$API" -H "Authorization: Bearer $ETOK"
status 401
has "expired"

# ---- per-address lock-out (last: it counts every failure from 127.0.0.1) ----
q "DELETE FROM login_failure"
JAR=$T/addr.jar
for i in $(seq 1 20); do
    signin "nobody$i" "wrong password"
    status 401
done
signin "nobody21" "wrong password"
status 429
has "Too many failed sign-ins from your address"
signin alice "$ALICE_PW"
status 429 # the right password too, from this address

pass
