#!/usr/bin/env bash
# test_web_proxy.sh — behind a TLS proxy (serve --tls-proxy) the client's
# address is the right-most X-Forwarded-For entry, the one the proxy
# appended, and only when it is an IP address (src/web/forwarded.c): a
# value that is not one is never stored (the failed sign-ins by address, the
# audit trail); the server logs it and counts the request for the proxy's
# own address. Addresses are stored in one canonical form.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/web.sh"
command -v curl >/dev/null || fail "curl is missing: run scripts/install-deps.sh"

DB=$T/p.db
it init --db "$DB"
expect_rc 0
WEB_ARGS=--tls-proxy web_start "$DB" signin

# failed_from HEADER... — a failed sign-in sent with the given headers;
# prints the address it was counted for, or "(not counted)" when it added
# no row. (The sign-in cookie is Secure under --tls-proxy, so curl would not
# send it back over http: it goes by hand.)
failed_from() {
    JAR=
    req GET /login
    local tok before
    tok=$(csrf)
    [ -n "$tok" ] || fail "the sign-in form has no _csrf value"
    local h=()
    for x in "$@"; do h+=(-H "$x"); done
    before=$(q "SELECT count(*) FROM login_failure")
    req POST /login -H "Cookie: itstrat_login=$tok" "${h[@]}" --data-urlencode "_csrf=$tok" \
        --data-urlencode login=nobody --data-urlencode password=wrong
    status 401
    if [ "$(q "SELECT count(*) FROM login_failure")" = $((before + 1)) ]; then
        q "SELECT address FROM login_failure ORDER BY rowid DESC LIMIT 1"
    else
        echo "(not counted)"
    fi
}
address_is() { # address_is WANT HEADER...
    local got
    got=$(failed_from "${@:2}")
    NCHECKS=$((NCHECKS + 1))
    [ "$got" = "$1" ] || fail "with ${*:2}: the address stored is [$got], expected [$1]"
}

address_is 198.51.100.4 "X-Forwarded-For: 198.51.100.4"
address_is 203.0.113.5 "X-Forwarded-For: 10.9.9.9, 203.0.113.5" # the client's own claim is ignored
address_is 203.0.113.6 "X-Forwarded-For: <script>alert(1)</script>, 203.0.113.6"
address_is 2001:db8::7 "X-Forwarded-For: [2001:DB8:0::7]:443"
address_is 192.0.2.1 "X-Forwarded-For: ::FFFF:192.0.2.1" # one client, one address
address_is 192.0.2.77 "X-Forwarded-For: 10.1.1.1" "X-Forwarded-For: 192.0.2.77" # the last header
address_is 127.0.0.1 # no header: the peer
: >"$T/server.err"
address_is 127.0.0.1 "X-Forwarded-For: <script>alert(1)</script>"
address_is 127.0.0.1 "X-Forwarded-For: 203.0.113.5, unknown"
address_is 127.0.0.1 "X-Forwarded-For: 203.0.113.5 ; DROP TABLE x"
NCHECKS=$((NCHECKS + 1))
[ "$(q "SELECT count(*) FROM login_failure WHERE address GLOB '*[^0-9a-f.:]*'")" = 0 ] ||
    fail "an address that is not one was stored: $(q "SELECT address FROM login_failure")"
NCHECKS=$((NCHECKS + 1))
[ "$(grep -c 'X-Forwarded-For .* does not end with an IP address' "$T/server.err")" = 3 ] ||
    fail "the refused X-Forwarded-For values are not logged: $(cat "$T/server.err")"
pass
