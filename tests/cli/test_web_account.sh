#!/usr/bin/env bash
# test_web_account.sh — the account pages (/account...) and the admin pages
# (/admin/users, /admin/settings) of `itstrat serve`, black box over HTTP
# with curl cookie jars signing in through /login like a browser: password
# change (wrong current and weak refused with the reason, nothing changed;
# success ends the other sessions), two-factor enrolment end to end (the
# TOTP code computed here from the key on the page), the second sign-in
# step, recovery codes used once, API tokens (bad input refused, shown once,
# working as Bearer, revoked -> 401), sign out everywhere, admin pages
# refused to a manager, an admin adding an account (password shown once),
# changing its role (a stale form refused), disabling it (its session ends),
# the last admin protected, assignments, and require_mfa sending an account
# without TOTP to /account/mfa. No secret may reach the audit trail.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/web.sh"
command -v curl >/dev/null || fail "curl is missing: run scripts/install-deps.sh"
command -v python3 >/dev/null || fail "python3 is missing: run scripts/install-deps.sh"
command -v sqlite3 >/dev/null || fail "sqlite3 is missing: run scripts/install-deps.sh"

DB="$T/web.db"
it import --db "$DB" "$DEMO"
expect_rc 0
adduser() { # LOGIN ROLE PASSWORD
    it user add "$1" --role "$2" --db "$DB" --password-stdin <<<"$3"
    expect_rc 0
}
P_ROOT="quiet harbour lantern"
P_MIA="violet orchard tractor"
P_PAT="copper meadow whistle"
adduser root admin "$P_ROOT"
adduser mia manager "$P_MIA"
adduser pat contributor "$P_PAT"
web_start "$DB"

# cget JAR PATH [STATUS] — GET with the cookie jar $T/JAR.jar; keeps the
# page's form token (when it has one) for the next cpost of that jar.
cget() {
    LAST_CMD="GET $2 ($1)"
    RC=$(curl -s -b "$T/$1.jar" -c "$T/$1.jar" -D "$T/head" -o "$T/body" -w '%{http_code}' "$U$2")
    cp "$T/body" "$T/out"
    : >"$T/err"
    local c
    c=$(sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' "$T/body" | head -1)
    [ -n "$c" ] && printf '%s' "$c" >"$T/$1.csrf"
    NCHECKS=$((NCHECKS + 1))
    [ "$RC" = "${3:-200}" ] || fail "GET $2 ($1): status $RC, expected ${3:-200}"
}
# cpost JAR PATH STATUS [NAME=VALUE...] — POSTs the form with the jar's token.
cpost() {
    local jar=$1 path=$2 want=$3 a
    shift 3
    local args=(--data-urlencode "_csrf=$(cat "$T/$jar.csrf" 2>/dev/null)")
    for a in "$@"; do args+=(--data-urlencode "$a"); done
    LAST_CMD="POST $path ($jar)"
    RC=$(curl -s -b "$T/$jar.jar" -c "$T/$jar.jar" -D "$T/head" -o "$T/body" \
        -w '%{http_code}' "${args[@]}" "$U$path")
    cp "$T/body" "$T/out"
    : >"$T/err"
    NCHECKS=$((NCHECKS + 1))
    [ "$RC" = "$want" ] || fail "POST $path ($jar): status $RC, expected $want"
}
# login_as JAR LOGIN PASSWORD [STATUS] — a fresh jar signed in through /login
# (303 unless STATUS says otherwise).
login_as() {
    rm -f "$T/$1.jar" "$T/$1.csrf"
    cget "$1" /login
    cpost "$1" /login "${4:-303}" "login=$2" "password=$3"
}
location() { # location TEXT — the Location header of the last answer contains TEXT
    NCHECKS=$((NCHECKS + 1))
    grep -i '^location:' "$T/head" | grep -qF -- "$1" || fail "${LAST_CMD}: Location is not $1: $(grep -i '^location:' "$T/head")"
}
totp() { # totp SECRET [STEP_OFFSET] — the RFC 6238 code (HMAC-SHA1, 6 digits, 30 s)
    python3 - "$1" "${2:-0}" <<'EOF'
import base64, hashlib, hmac, struct, sys, time
key = base64.b32decode(sys.argv[1].replace(" ", ""))
step = int(time.time()) // 30 + int(sys.argv[2])
h = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
o = h[-1] & 15
print("%06d" % ((struct.unpack(">I", h[o:o + 4])[0] & 0x7FFFFFFF) % 1000000))
EOF
}
version_of() { q "SELECT version FROM app_user WHERE login = '$1'"; }

# ---- a manager: own account yes, admin pages no -------------------------
login_as mia mia "$P_MIA"
location "/"
cget mia /account
has "<code>mia</code>"
has "manager"
has "Sign out everywhere"
cget mia /admin/users 403
cget mia /admin/settings 403
cget mia "/admin/users/$(q "SELECT id FROM app_user WHERE login = 'pat'")" 403
cpost mia /admin/users 403 login=sneaky role=admin
[ "$(q "SELECT count(*) FROM app_user WHERE login = 'sneaky'")" = 0 ] || fail "a manager added an account"
cpost mia /admin/settings 403 require_mfa=1
[ -z "$(q "SELECT value FROM setting WHERE key = 'require_mfa'")" ] || fail "a manager changed a setting"
# A form without its token is refused.
echo -n "wrong" >"$T/mia.csrf"
cpost mia /account/tokens 403 name=x scope=read
cget mia /account

# ---- API tokens ---------------------------------------------------------
cpost mia /account/tokens 422 name= scope=read days=30
has "Give the token a name"
cpost mia /account/tokens 422 "name=$(printf 'n%.0s' {1..129})" scope=read
has "use at most 128"
cpost mia /account/tokens 422 name=job scope=admin
has "Choose the scope"
cpost mia /account/tokens 422 name=job scope=read days=366
has "from 1 to 365"
cpost mia /account/tokens 422 "name=<b>job</b>" scope=read days=0x1
has "&lt;b&gt;job&lt;/b&gt;"
lacks "<b>job</b>"
[ "$(q "SELECT count(*) FROM api_token")" = 0 ] || fail "a refused token form created a token"
cpost mia /account/tokens 200 "name=report <script>" scope=read days=30
header "cache-control: private, no-store"
has "report &lt;script&gt;"
TOKEN=$(sed -n 's/.*id="api-token">\(itst_[A-Za-z0-9_-]*\)<.*/\1/p' "$T/body")
[ ${#TOKEN} -eq 48 ] || fail "no token shown: '$TOKEN'"
[ "$(q "SELECT count(*) FROM api_token WHERE token_hash LIKE '%$TOKEN%' OR name LIKE '%$TOKEN%'")" = 0 ] ||
    fail "the token is stored in clear"
cget mia /account
has "report &lt;script&gt;"
lacks "$TOKEN"
RC=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$U/api/v1/strategies")
[ "$RC" = 200 ] || fail "the new token did not work: $RC"
grep -qF '2018-21' "$T/body" || fail "the API with the token lacks the strategy"
# The token cannot drive the browser's pages.
RC=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$U/account")
[ "$RC" = 403 ] || fail "an API token opened /account: $RC"
TID=$(q "SELECT id FROM api_token WHERE name = 'report <script>'")
cpost mia /account/tokens/abc/revoke 404
cpost mia "/account/tokens/0$TID/revoke" 404
cpost mia "/account/tokens/$((TID + 1000))/revoke" 404
cpost mia "/account/tokens/$TID/revoke" 303
location "/account?done=revoked"
[ -n "$(q "SELECT revoked_at FROM api_token WHERE id = $TID")" ] || fail "the token was not revoked"
RC=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$U/api/v1/strategies")
[ "$RC" = 401 ] || fail "a revoked token still works: $RC"
cpost mia "/account/tokens/$TID/revoke" 404
# A never-expiring write token, and another account cannot revoke it.
cpost mia /account/tokens 200 name=forever scope=write days=
has "never expires"
TID2=$(q "SELECT id FROM api_token WHERE name = 'forever'")
[ -z "$(q "SELECT expires_at FROM api_token WHERE id = $TID2")" ] || fail "the token expires"

# ---- password change -----------------------------------------------------
login_as pat pat "$P_PAT"
login_as pat2 pat "$P_PAT"
HASH_BEFORE=$(q "SELECT password_hash FROM app_user WHERE login = 'pat'")
cget pat /account
has "signed in in 2 places"
cget pat /account/password
has 'autocomplete="current-password"'
cpost pat /account/password 422 "current=not my password" "new=lavender bicycle summit" "new2=lavender bicycle summit"
has "This is not your current password."
has 'id="e-current"'
cpost pat /account/password 422 "current=$P_PAT" "new=short" "new2=short"
has "use at least 12"
has 'id="e-new"'
cpost pat /account/password 422 "current=$P_PAT" "new=lavender bicycle summit" "new2=lavender bicycle summet"
has "The two new passwords differ"
cpost pat /account/password 422 "current=$P_PAT"
has "Enter a new password."
[ "$(q "SELECT password_hash FROM app_user WHERE login = 'pat'")" = "$HASH_BEFORE" ] || fail "a refused form changed the hash"
cpost pat /account/tokens/$TID2/revoke 404
[ -z "$(q "SELECT revoked_at FROM api_token WHERE id = $TID2")" ] || fail "pat revoked mia's token"
P_PAT2="lavender bicycle summit"
cpost pat /account/password 303 "current=$P_PAT" "new=$P_PAT2" "new2=$P_PAT2"
location "/account?done=password"
cget pat "/account?done=password"
has "Your password was changed"
cget pat2 /account 303
location "/login"
[ "$(q "SELECT password_hash FROM app_user WHERE login = 'pat'")" != "$HASH_BEFORE" ] || fail "the hash did not change"
login_as old pat "$P_PAT" 401
login_as pat2 pat "$P_PAT2"

# ---- sign out everywhere -------------------------------------------------
# Without the box ticked the API tokens keep working (they belong to
# programs); with it they are revoked in the same step, and audited.
bearer() { curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $1" "$U/api/v1/strategies"; }
cget pat2 /account
lacks 'name="tokens"'
cpost pat2 /account/tokens 200 name=pat-job scope=read days=30
PTOK1=$(sed -n 's/.*id="api-token">\(itst_[A-Za-z0-9_-]*\)<.*/\1/p' "$T/body")
cpost pat2 /account/tokens 200 name=pat-job2 scope=write days=
PTOK2=$(sed -n 's/.*id="api-token">\(itst_[A-Za-z0-9_-]*\)<.*/\1/p' "$T/body")
cget pat2 /account
has 'Also revoke my 2 API tokens'
cpost pat2 /account/logout-everywhere 422 tokens=yes
has "Tick the box to revoke your API tokens too"
[ "$(q "SELECT count(*) FROM session WHERE user_id = (SELECT id FROM app_user WHERE login = 'pat')")" != 0 ] ||
    fail "a refused sign out everywhere ended the sessions"
cpost pat2 /account/logout-everywhere 303
location "/login"
cget pat /account 303
cget pat2 /account 303
[ "$(q "SELECT count(*) FROM session WHERE user_id = (SELECT id FROM app_user WHERE login = 'pat')")" = 0 ] ||
    fail "sessions are left after sign out everywhere"
[ "$(bearer "$PTOK1")" = 200 ] || fail "sign out everywhere without the box revoked a token"
login_as pat2 pat "$P_PAT2"
cget pat2 /account
has 'Also revoke my 2 API tokens'
cpost pat2 /account/logout-everywhere 303 tokens=revoke
[ "$(bearer "$PTOK1")" = 401 ] || fail "a token still works after sign out everywhere with the box ticked"
[ "$(bearer "$PTOK2")" = 401 ] || fail "the second token still works after sign out everywhere with the box ticked"
[ "$(q "SELECT count(*) FROM api_token WHERE revoked_at IS NULL AND user_id = (SELECT id FROM app_user WHERE login = 'pat')")" = 0 ] ||
    fail "tokens left unrevoked"
q "SELECT after FROM audit WHERE action = 'logout_everywhere' ORDER BY id DESC LIMIT 1" >"$T/body"
has '"tokens_revoked": 2'

# ---- two-factor enrolment -----------------------------------------------
login_as pat pat "$P_PAT2"
cget pat /account/mfa
has "<svg"
has "QR code to add itstrat to an authenticator app"
header "cache-control: private, no-store"
SECRET=$(sed -n 's/.*id="totp-secret">\([A-Z2-7 ]*\)<.*/\1/p' "$T/body" | tr -d ' ')
[ ${#SECRET} -eq 32 ] || fail "no TOTP key on the page: '$SECRET'"
cget pat /account/mfa
has "$(echo "$SECRET" | cut -c1-4) $(echo "$SECRET" | cut -c5-8)" # the same pending key on reload
[ "$(q "SELECT value FROM setting WHERE key LIKE 'mfa_pending:%'")" = "$SECRET" ] || fail "the pending key is not kept server-side"
cpost pat /account/mfa 422 action=enable code=
has "Enter the 6-digit code"
WRONG=$(printf '%06d' $(((10#$(totp "$SECRET") + 1) % 1000000)))
cpost pat /account/mfa 422 action=enable "code=$WRONG"
has "That code is not right"
[ -z "$(q "SELECT totp_secret FROM app_user WHERE login = 'pat'")" ] || fail "a wrong code turned on TOTP"
ECODE=$(totp "$SECRET")
cpost pat /account/mfa 200 action=enable "code=$ECODE"
header "cache-control: private, no-store"
has "Two-factor sign-in is on"
CODES=$(grep -o '<li><code>[A-Z0-9-]*</code></li>' "$T/body" | sed 's/<[^>]*>//g')
[ "$(echo "$CODES" | wc -l)" = 10 ] || fail "not 10 recovery codes: $CODES"
[ "$(q "SELECT totp_secret FROM app_user WHERE login = 'pat'")" = "$SECRET" ] || fail "TOTP is not on"
[ "$(q "SELECT count(*) FROM setting WHERE key LIKE 'mfa_pending:%'")" = 0 ] || fail "the pending key stayed"
[ "$(q "SELECT count(*) FROM recovery_code WHERE user_id = (SELECT id FROM app_user WHERE login = 'pat')")" = 10 ] ||
    fail "the recovery codes were not stored"
cget pat /account
has "10 of 10 recovery codes left"
# Sign-in now takes the code: the enrolment's own code is spent, the next works.
login_as pat pat "$P_PAT2"
location "/login/code"
cget pat /account 303
cget pat /login/code
cpost pat /login/code 401 "code=$ECODE"
cpost pat /login/code 303 "code=$(totp "$SECRET" 1)"
cget pat /account
has "recovery codes left"
# A recovery code works once.
RCODE=$(echo "$CODES" | head -1)
login_as pat2 pat "$P_PAT2"
cget pat2 /login/code
cpost pat2 /login/code 303 "code=$RCODE"
cget pat2 /account
has "9 of 10 recovery codes left"
login_as pat3 pat "$P_PAT2"
cget pat3 /login/code
cpost pat3 /login/code 401 "code=$RCODE"
# New recovery codes need the password; the old ones stop working.
cget pat /account/mfa
cpost pat /account/recovery 422 "recovery_password=wrong password here"
has "This is not your password."
cpost pat /account/recovery 200 "recovery_password=$P_PAT2"
header "cache-control: private, no-store"
NEWCODES=$(grep -o '<li><code>[A-Z0-9-]*</code></li>' "$T/body" | sed 's/<[^>]*>//g')
[ "$(echo "$NEWCODES" | wc -l)" = 10 ] || fail "not 10 new recovery codes"
[ "$(q "SELECT count(*) FROM recovery_code WHERE used_at IS NULL AND user_id = (SELECT id FROM app_user WHERE login = 'pat')")" = 10 ] ||
    fail "the old recovery codes were not replaced"
# No secret in the audit trail.
for s in "$SECRET" "$RCODE" "$TOKEN" "$P_PAT2" "$(echo "$NEWCODES" | head -1)"; do
    [ "$(q "SELECT count(*) FROM audit WHERE coalesce(before, '') || coalesce(after, '') LIKE '%$s%'")" = 0 ] ||
        fail "a secret reached the audit trail: $s"
done
for a in mfa_enable recovery_new passwd token_create token_revoke logout_everywhere; do
    [ "$(q "SELECT count(*) FROM audit WHERE action = '$a' AND via = 'web'")" -ge 1 ] || fail "no audit entry $a"
done

# ---- admin: accounts -----------------------------------------------------
login_as root root "$P_ROOT"
cget root /admin/users
has '<a href="/admin/users/'
has ">pat</a>"
cpost root /admin/users 422 "login=a b" role=viewer
has "A login is 1 to 64"
cpost root /admin/users 422 login=newbie role=boss
has "Choose a role"
cpost root /admin/users 422 login=MIA role=viewer
has "is taken"
cpost root /admin/users 422 login=newbie role=viewer "name=$(printf 'x%.0s' {1..201})"
has "use at most 200"
[ "$(q "SELECT count(*) FROM app_user")" = 3 ] || fail "a refused form added an account"
cpost root /admin/users 200 login=newbie "name=New <i>Bie</i>" role=contributor
header "cache-control: private, no-store"
NEWPW=$(sed -n 's/.*id="new-password">\([^<]*\)<.*/\1/p' "$T/body")
[ ${#NEWPW} -eq 20 ] || fail "no password shown: '$NEWPW'"
NID=$(q "SELECT id FROM app_user WHERE login = 'newbie'")
[ "$(q "SELECT name FROM app_user WHERE id = $NID")" = "New <i>Bie</i>" ] || fail "the name was not stored"
login_as newbie newbie "$NEWPW"
cget newbie /account
has "contributor"
# Role: a stale form is refused, a current one works.
cget root "/admin/users/$NID"
has "New &lt;i&gt;Bie&lt;/i&gt;"
V=$(version_of newbie)
has "name=\"version\" value=\"$V\""
cpost root "/admin/users/$NID" 303 action=role role=manager "version=$V"
location "/admin/users/$NID?done=role"
[ "$(q "SELECT role FROM app_user WHERE id = $NID")" = manager ] || fail "the role did not change"
cpost root "/admin/users/$NID" 409 action=role role=viewer "version=$V"
has "Someone changed this account"
[ "$(q "SELECT role FROM app_user WHERE id = $NID")" = manager ] || fail "a stale form changed the role"
cpost root "/admin/users/$NID" 422 action=role role=boss "version=$(version_of newbie)"
has "Choose a role"
cpost root "/admin/users/$NID" 422 action=role role=viewer version=x
# Assignments.
PCODE=$(q "SELECT code FROM project ORDER BY id LIMIT 1")
cpost root "/admin/users/$NID" 422 action=assign_add strategy=2018-21 kind=project code=NOPE
has "There is no project"
cpost root "/admin/users/$NID" 303 action=assign_add strategy=2018-21 kind=project "code=$PCODE"
[ "$(q "SELECT count(*) FROM assignment WHERE user_id = $NID")" = 1 ] || fail "no assignment"
cpost root "/admin/users/$NID" 422 action=assign_add strategy=2018-21 kind=project "code=$PCODE"
has "assigned to newbie already"
cget root "/admin/users/$NID"
has ">$PCODE</a>"
PID=$(q "SELECT project_id FROM assignment WHERE user_id = $NID")
cpost root "/admin/users/$NID" 303 action=assign_remove kind=project "target=$PID"
[ "$(q "SELECT count(*) FROM assignment WHERE user_id = $NID")" = 0 ] || fail "the assignment stayed"
# Disabling ends the account's session.
cpost root "/admin/users/$NID" 303 action=disable "version=$(version_of newbie)"
[ "$(q "SELECT disabled FROM app_user WHERE id = $NID")" = 1 ] || fail "not disabled"
cget newbie /account 303
location "/login"
login_as newbie2 newbie "$NEWPW" 403
cpost root "/admin/users/$NID" 303 action=enable "version=$(version_of newbie)"
# A new random password, shown once, replaces the old.
cpost root "/admin/users/$NID" 200 action=password "version=$(version_of newbie)"
NEWPW2=$(sed -n 's/.*id="new-password">\([^<]*\)<.*/\1/p' "$T/body")
[ ${#NEWPW2} -eq 20 ] && [ "$NEWPW2" != "$NEWPW" ] || fail "no new password: '$NEWPW2'"
# The last active admin can be neither demoted nor disabled.
RID=$(q "SELECT id FROM app_user WHERE login = 'root'")
cpost root "/admin/users/$RID" 422 action=role role=viewer "version=$(version_of root)"
has "last active admin"
[ "$(q "SELECT role FROM app_user WHERE id = $RID")" = admin ] || fail "the last admin was demoted"
cpost root "/admin/users/$NID" 303 action=role role=admin "version=$(version_of newbie)"
cpost root "/admin/users/$NID" 303 action=disable "version=$(version_of newbie)"
cpost root "/admin/users/$RID" 422 action=role role=manager "version=$(version_of root)"
has "last active admin"
# An admin resets another account's two-factor sign-in.
PATID=$(q "SELECT id FROM app_user WHERE login = 'pat'")
cpost root "/admin/users/$PATID" 303 action=totp_off "version=$(version_of pat)"
[ -z "$(q "SELECT totp_secret FROM app_user WHERE id = $PATID")" ] || fail "TOTP was not removed"
for a in create role disable enable passwd assign unassign mfa_reset; do
    [ "$(q "SELECT count(*) FROM audit WHERE action = '$a' AND actor = 'root'")" -ge 1 ] || fail "no audit entry $a by root"
done
[ "$(q "SELECT count(*) FROM audit WHERE coalesce(after, '') LIKE '%$NEWPW2%'")" = 0 ] || fail "a password reached the audit trail"

# ---- settings: require_mfa ---------------------------------------------
cget root /admin/settings
has 'name="require_mfa"'
cpost root /admin/settings 422 require_mfa=maybe
[ -z "$(q "SELECT value FROM setting WHERE key = 'require_mfa'")" ] || fail "a bad form changed the setting"
cpost root /admin/settings 303 require_mfa=1
[ "$(q "SELECT value FROM setting WHERE key = 'require_mfa'")" = 1 ] || fail "require_mfa is not on"
[ "$(q "SELECT count(*) FROM audit WHERE action = 'set' AND entity = 'setting' AND entity_key = 'require_mfa'")" = 1 ] ||
    fail "the setting was not audited"
cget mia /account 303
location "/account/mfa"
cget mia /s/2018-21 303
location "/account/mfa"
cget mia /account/mfa
has "An administrator requires two-factor sign-in"
# An account with TOTP cannot turn it off while it is required.
login_as pat pat "$P_PAT2"
location "/account/mfa"
cget pat /account/mfa
SECRET2=$(sed -n 's/.*id="totp-secret">\([A-Z2-7 ]*\)<.*/\1/p' "$T/body" | tr -d ' ')
cpost pat /account/mfa 200 action=enable "code=$(totp "$SECRET2")"
cget pat /account
cget pat /account/mfa
has "cannot be turned off"
cpost pat /account/mfa 403 action=disable "password=$P_PAT2"
[ -n "$(q "SELECT totp_secret FROM app_user WHERE login = 'pat'")" ] || fail "TOTP was turned off while required"

# A password re-entered on an account page counts like a sign-in: a stolen
# session cannot guess it at full speed. Five wrong ones lock the account;
# then even the right one is refused until the lock ends.
q "DELETE FROM setting WHERE key = 'require_mfa'" >/dev/null
adduser gus viewer "granite osprey kettle"
login_as gus gus "granite osprey kettle"
for k in 1 2 3 4 5; do
    cget gus /account/password
    cpost gus /account/password 422 "current=wrong guess $k" "new=lavender bicycle summit" \
        "new2=lavender bicycle summit"
done
[ -n "$(q "SELECT locked_until FROM app_user WHERE login = 'gus'")" ] ||
    fail "five wrong current passwords did not lock the account"
cget gus /account/password
cpost gus /account/password 422 "current=granite osprey kettle" "new=lavender bicycle summit" \
    "new2=lavender bicycle summit"
has "This is not your current password"
login_as gus2 gus "granite osprey kettle" 401 # locked: answered as a wrong password

echo "test_web_account: $NCHECKS checks passed"
