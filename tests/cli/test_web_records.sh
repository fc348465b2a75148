#!/bin/bash
# test_web_records.sh — the record pages (/s/{s}/records/...) driven as a
# browser drives them: curl with a cookie jar, signed in as a manager through
# /login, each form fetched first and its _csrf value sent back:
#  - a risk and a meeting (under a committee made the same way) are created,
#    changed and deleted through their forms, and the database follows;
#  - a bad value answers 422 with the form again, the message next to the
#    field (class field-error, id e-FIELD), and nothing written;
#  - saving from a version someone else has already changed answers 409
#    and changes nothing; so does a delete from a stale version;
#  - the delete page lists what goes with the record (a risk's actions, a
#    meeting's decisions) before anything is deleted;
#  - the record page's history shows the change, old value and new.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/web.sh"

DB=$T/r.db
it init --db "$DB"
expect_rc 0
it import --db "$DB" "$DEMO"
expect_rc 0
PW='records test password 2024'
LAST_CMD="itstrat user add mara --role manager --password-stdin"
printf '%s\n' "$PW" | "$ITSTRAT" user add mara --role manager --password-stdin --db "$DB" \
    >"$T/out" 2>"$T/err"
RC=$?
expect_rc 0
web_start "$DB" signin
R=/s/2018-21/records
JAR=$T/mara.jar
signin mara "$PW" /
status 303

# form GET_PATH — fetches a form page (200) and sets TOK to its _csrf value.
form() {
    req GET "$1"
    status 200
    TOK=$(csrf)
    [ -n "$TOK" ] || fail "$1: the form has no _csrf value"
}
# post PATH FIELD=VALUE... — posts the fields with the last form's token.
post() {
    local p=$1 a=()
    shift
    for kv in "$@"; do a+=(--data-urlencode "$kv"); done
    req POST "$p" --data-urlencode "_csrf=$TOK" "${a[@]}"
}
# created — the id in the Location of the last answer (a record's page).
created() {
    sed -n 's|^[Ll]ocation: .*/records/[a-z_]*/\([0-9]*\).*|\1|p' "$T/head" | tr -d '\r'
}
# body_has/body_lacks TEXT — checks of the last req's body.
body_has() {
    NCHECKS=$((NCHECKS + 1))
    grep -qF -- "$1" "$T/body" || fail "line ${BASH_LINENO[0]}: $LAST_CMD: body lacks: $1"
}
body_lacks() {
    NCHECKS=$((NCHECKS + 1))
    if grep -qF -- "$1" "$T/body"; then fail "line ${BASH_LINENO[0]}: $LAST_CMD: body has: $1"; fi
}
same() { # same ACTUAL EXPECTED
    NCHECKS=$((NCHECKS + 1))
    [ "$1" = "$2" ] || fail "line ${BASH_LINENO[0]}: got '$1', expected '$2'"
}

# ---- a risk -----------------------------------------------------------------
form "$R/risk/new"
body_has 'name="inherent_probability"'
post "$R/risk/new" code=R-WEB "title=Data centre outage" owner=CIO \
    inherent_probability=4 inherent_impact=5
status 303
RISK=$(created)
[ -n "$RISK" ] || fail "no record address in: $(cat "$T/head")"
same "$(q "SELECT title || '|' || owner || '|' || inherent_impact || '|' || version FROM risk WHERE code = 'R-WEB'")" \
    "Data centre outage|CIO|5|1"
same "$(q "SELECT id FROM risk WHERE code = 'R-WEB'")" "$RISK"
req GET "$R/risk/$RISK?saved=1"
status 200
body_has "R-WEB Data centre outage"
body_has "Saved."

# A probability out of range: 422, the message beside the field, nothing stored.
form "$R/risk/new"
post "$R/risk/new" code=R-BAD "title=Bad" inherent_probability=7 inherent_impact=1
status 422
body_has 'id="e-inherent_probability"'
body_has "7 is out of range (1 to 5)"
body_has 'value="R-BAD"' # what was typed stays in the form
same "$(q "SELECT count(*) FROM risk WHERE code = 'R-BAD'")" 0
# A code that is taken: 422 on the code.
post "$R/risk/new" code=R-WEB "title=Again"
status 422
body_has 'id="e-code"'
body_has "already has this Code"
same "$(q "SELECT count(*) FROM risk WHERE code = 'R-WEB'")" 1

# A remedial action under it, for the delete page to list.
form "$R/action/new?parent=$RISK"
body_has "name=\"parent\" value=\"$RISK\""
post "$R/action/new" "parent=$RISK" "title=Second site" status=in_progress
status 303
same "$(q "SELECT status FROM risk_action WHERE risk_id = $RISK")" in_progress
# A status that is not one of the choices.
post "$R/action/new" "parent=$RISK" "title=Bad" status=finished
status 422
body_has 'id="e-status"'
body_has "is not one of planned, in_progress, done, cancelled"
same "$(q "SELECT count(*) FROM risk_action WHERE risk_id = $RISK")" 1

# Edit: version 1 -> 2.
form "$R/risk/$RISK/edit"
body_has 'name="version" value="1"'
body_has 'value="Data centre outage"'
post "$R/risk/$RISK/edit" version=1 code=R-WEB "title=Data centre down" owner=CIO \
    inherent_probability=4 inherent_impact=5 residual_probability=2 residual_impact=3
status 303
same "$(q "SELECT title || '|' || residual_impact || '|' || version FROM risk WHERE id = $RISK")" \
    "Data centre down|3|2"
# The same form sent again from version 1: 409, nothing changed.
post "$R/risk/$RISK/edit" version=1 code=R-WEB "title=Stale title" owner=CIO
status 409
body_has "Someone saved this record first"
body_has "Stale title"           # yours, beside ...
body_has "Data centre down"      # ... what is saved now
body_has 'name="version" value="2"'
same "$(q "SELECT title || '|' || version FROM risk WHERE id = $RISK")" "Data centre down|2"
# A bad value on edit: 422 beside the field, nothing changed.
post "$R/risk/$RISK/edit" version=2 code=R-WEB "title=Half" inherent_probability=3
status 422
body_has 'id="e-inherent_impact"'
same "$(q "SELECT title || '|' || version FROM risk WHERE id = $RISK")" "Data centre down|2"

# The history on the record's page shows the change.
req GET "$R/risk/$RISK"
status 200
body_has '<h2 id="history">History</h2>'
body_has "</strong> changed it"
body_has "</strong> created it"
body_has "Data centre outage"
body_has "Data centre down"
body_has "mara"

# Delete: the page lists what goes with it; a stale version is refused.
form "$R/risk/$RISK/delete"
body_has "What depends on it"
body_has "remedial action"
body_has "Second site"
post "$R/risk/$RISK/delete" version=1
status 409
same "$(q "SELECT count(*) FROM risk WHERE id = $RISK")" 1
post "$R/risk/$RISK/delete" version=2
status 303
same "$(q "SELECT count(*) FROM risk WHERE id = $RISK")" 0
same "$(q "SELECT count(*) FROM risk_action WHERE risk_id = $RISK")" 0
req GET "$R/risk/$RISK"
status 404

# ---- a meeting of a committee -----------------------------------------------
form "$R/committee/new"
post "$R/committee/new" code=ITGC "name=IT Governance Committee"
status 303
COMMITTEE=$(created)
form "$R/meeting/new?parent=$COMMITTEE"
post "$R/meeting/new" "parent=$COMMITTEE" date=2020-02-30 "title=First"
status 422
body_has 'id="e-date"'
body_has "is not a date that exists"
same "$(q "SELECT count(*) FROM meeting")" 0
post "$R/meeting/new" "parent=$COMMITTEE" date=2020-02-28 "title=First"
status 303
MEETING=$(created)
same "$(q "SELECT date || '|' || title || '|' || version FROM meeting WHERE id = $MEETING")" \
    "2020-02-28|First|1"
req GET "$R/committee/$COMMITTEE"
status 200
body_has "2020-02-28 First"

form "$R/decision/new?parent=$MEETING"
post "$R/decision/new" "parent=$MEETING" kind=approve "text=Go ahead with the pilot"
status 303
post "$R/decision/new" "parent=$MEETING" kind=veto "text=No"
status 422
body_has 'id="e-kind"'
same "$(q "SELECT count(*) FROM decision WHERE meeting_id = $MEETING")" 1

form "$R/meeting/$MEETING/edit"
body_has 'value="First"'
post "$R/meeting/$MEETING/edit" version=1 date=2020-03-02 "title=First, moved"
status 303
same "$(q "SELECT date || '|' || title || '|' || version FROM meeting WHERE id = $MEETING")" \
    "2020-03-02|First, moved|2"
post "$R/meeting/$MEETING/edit" version=1 date=2020-03-09 "title=Stale"
status 409
same "$(q "SELECT date || '|' || version FROM meeting WHERE id = $MEETING")" "2020-03-02|2"
req GET "$R/meeting/$MEETING"
status 200
body_has "</strong> changed it"
body_has "2020-02-28"
body_has "2020-03-02"
body_has "First, moved"

form "$R/meeting/$MEETING/delete"
body_has "decision (deleted with it)"
body_has "Go ahead with the pilot"
post "$R/meeting/$MEETING/delete" version=2
status 303
same "$(q "SELECT count(*) FROM meeting")" 0
same "$(q "SELECT count(*) FROM decision")" 0

# The project page is kept in the cache, but the edit link only ever shows to
# people signed in: a visitor's copy and a signed-in copy are two entries.
PC=$(q "SELECT code FROM project ORDER BY id LIMIT 1")
PID=$(q "SELECT id FROM project ORDER BY id LIMIT 1")
for _ in 1 2; do
    req GET "/s/2018-21/projects/$PC"
    status 200
    body_has "href=\"/s/2018-21/records/project/$PID\">Edit, add updates, history</a>"
    get "/s/2018-21/projects/$PC" # no cookie: a visitor (the demo is public)
    lacks 'Edit, add updates, history'
done

# Every change is in the audit trail, and its chain holds.
same "$(q "SELECT count(*) FROM audit WHERE entity IN ('risk', 'action', 'committee', 'meeting', 'decision') AND via = 'web'")" 9
it audit verify --db "$DB"
expect_rc 0

echo "ok test_web_records ($NCHECKS checks)"
