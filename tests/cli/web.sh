# web.sh — helpers of the black-box web tests (sourced after lib.sh).
#
# web_start DB [signin] — starts `itstrat serve` on DB on a free loopback
# port, waits until it answers, and stops it when the test ends. Sets PORT,
# SERVER (its pid) and U (its base URL); its standard error goes to
# $T/server.err. The server runs with --open-read (anyone reads every
# strategy) unless the second argument is "signin": then a strategy that is
# not public needs an account, as in production.
# WEB_ARGS (unset: none) adds options of `itstrat serve`.
# get PATH [STATUS] — fetches PATH into $T/body (headers in $T/head) and
# checks the status (200 unless given); has/lacks TEXT check the last body,
# header TEXT its headers; py [ARGS] runs the python3 program in $PY on it;
# q SQL prints one value from $DB; bad PATH PARAM checks a 400 naming PARAM.
# For signed-in requests: req METHOD PATH [CURL ARGS] with the cookie jar
# $JAR, status CODE, csrf (the form token of the last body) and signin LOGIN
# PASSWORD [NEXT], which fills in the sign-in form as a browser does.
# web_fixture fills $DB with what most web tests read; private_fixture with a
# public and a private strategy, add_accounts with accounts.

# web_fixture — imports into $DB a generated strategy (300 projects, seed 4,
# kept as $T/gen.json), the demo and tests/data/hostile.json.
web_fixture() {
    it gen --projects 300 --seed 4 -o "$T/gen.json"
    expect_rc 0
    local f
    for f in "$T/gen.json" "$DEMO" "$ITSTRAT_SRC/tests/data/hostile.json"; do
        it import --db "$DB" "$f"
        expect_rc 0
    done
}

# private_fixture PROJECTS SEED — imports into $DB the demo (strategy
# 2018-21, public) and a generated strategy GEN-P of PROJECTS projects (seed
# SEED, kept as $T/gen.json) that is not public.
private_fixture() {
    it import --db "$DB" "$DEMO"
    expect_rc 0
    it gen --projects "$1" --seed "$2" --code GEN-P -o "$T/gen.json"
    expect_rc 0
    it import --db "$DB" "$T/gen.json"
    expect_rc 0
    q "UPDATE strategy SET public = 0 WHERE code = 'GEN-P'" || fail "cannot hide GEN-P"
}

# add_accounts PASSWORD LOGIN:ROLE... — adds each account to $DB; the
# password of the Nth is PASSWORD with its %d replaced by N.
add_accounts() {
    local pw=$1 a n=0
    shift
    for a in "$@"; do
        n=$((n + 1))
        # shellcheck disable=SC2059 # PASSWORD is the format
        it user add "${a%%:*}" --role "${a#*:}" --db "$DB" --password-stdin <<<"$(printf "$pw" "$n")"
        expect_rc 0
    done
}

web_start() {
    PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    local open=--open-read
    [ "${2:-}" = signin ] && open=
    # shellcheck disable=SC2086 # WEB_ARGS holds several words
    "$ITSTRAT" serve --db "$1" --listen "127.0.0.1:$PORT" $open ${WEB_ARGS:-} --quiet \
        2>"$T/server.err" &
    SERVER=$!
    trap 'kill -TERM $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$T"' EXIT
    U="http://127.0.0.1:$PORT"
    for _ in $(seq 1 100); do
        curl -s -o /dev/null "$U/" && break
        sleep 0.1
    done
    curl -s -o /dev/null "$U/" || fail "the server did not start: $(cat "$T/server.err")"
}

get() {
    LAST_CMD="GET $1"
    RC=$(curl -s -D "$T/head" -o "$T/body" -w '%{http_code}' "$U$1")
    cp "$T/body" "$T/out"
    : >"$T/err"
    NCHECKS=$((NCHECKS + 1))
    [ "$RC" = "${2:-200}" ] || fail "GET $1: status $RC, expected ${2:-200}"
}
has() { # has TEXT — the last body contains TEXT
    NCHECKS=$((NCHECKS + 1))
    grep -qF -- "$1" "$T/body" || fail "GET ${LAST_CMD#GET }: body lacks: $1"
}
lacks() { # lacks TEXT — the last body does not contain TEXT
    NCHECKS=$((NCHECKS + 1))
    if grep -qF -- "$1" "$T/body"; then fail "GET ${LAST_CMD#GET }: body has: $1"; fi
}
header() { # header TEXT — a response header line contains TEXT (case-insensitive)
    NCHECKS=$((NCHECKS + 1))
    grep -qiF -- "$1" "$T/head" || fail "GET ${LAST_CMD#GET }: no header like: $1"
}
py() { # py [ARGS] — runs $PY on the last body (sys.argv[1], ARGS after it); a failed assert fails the test
    NCHECKS=$((NCHECKS + 1))
    python3 - "$T/body" "$@" <<<"$PY" >"$T/py.out" 2>&1 ||
        fail "GET ${LAST_CMD#GET }: $(tail -3 "$T/py.out")"
}
q() { sqlite3 "$DB" "$1"; } # q SQL — one value from the test's database $DB
bad() { # bad PATH PARAM — PATH answers 400 naming PARAM (HTML or JSON)
    get "$1" 400
    has "parameter $2"
}

# req METHOD PATH [CURL ARGS...] — one request with the cookie jar $JAR (none
# when JAR is empty); status in RC, body in $T/body, headers in $T/head.
JAR=
req() {
    local m=$1 p=$2
    shift 2
    LAST_CMD="$m $p $*"
    local jar=()
    [ -n "$JAR" ] && jar=(-b "$JAR" -c "$JAR")
    RC=$(curl -s -X "$m" "${jar[@]}" -D "$T/head" -o "$T/body" -w '%{http_code}' "$@" "$U$p")
    cp "$T/body" "$T/out"
    : >"$T/err"
}
status() { # status CODE — the last request answered CODE
    NCHECKS=$((NCHECKS + 1))
    [ "$RC" = "$1" ] || fail "line ${BASH_LINENO[0]}: $LAST_CMD: status $RC, expected $1"
}
csrf() { # csrf — prints the _csrf value of the (first) form in the last body
    sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' "$T/body" | head -1
}
signin() { # signin LOGIN PASSWORD [NEXT] — gets the sign-in form with $JAR and posts it
    req GET "/login"
    local tok
    tok=$(csrf)
    [ -n "$tok" ] || fail "the sign-in form has no _csrf value"
    req POST /login --data-urlencode "_csrf=$tok" --data-urlencode "login=$1" \
        --data-urlencode "password=$2" --data-urlencode "next=${3:-/}"
}

# follow_links PREFIX [MIN] — every link (href) of the last body that starts
# with PREFIX, read as a browser reads the attribute (entities decoded),
# answers 200 when followed; at least MIN (default 1) such links. Catches
# markup escaped twice (`&amp;amp;year=` answers 400).
follow_links() {
    local prefix=$1 min=${2:-1} body=$T/links.body n=0 link code bad=
    cp "$T/body" "$body"
    while IFS= read -r link; do
        n=$((n + 1))
        code=$(curl -s -o /dev/null -w '%{http_code}' "$U$link")
        [ "$code" = 200 ] || bad="$bad $link ($code)"
    done < <(python3 - "$body" "$prefix" <<'PYEOF'
import html.parser, sys
class P(html.parser.HTMLParser):
    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k == "href" and v and v.startswith(sys.argv[2]):
                print(v)
p = P()
p.feed(open(sys.argv[1], encoding="utf-8").read())
PYEOF
)
    NCHECKS=$((NCHECKS + 1))
    [ "$n" -ge "$min" ] || fail "${LAST_CMD}: $n links start with $prefix, expected at least $min"
    [ -z "$bad" ] || fail "${LAST_CMD}: links that do not answer 200:$bad"
}
