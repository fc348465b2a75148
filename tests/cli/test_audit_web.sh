#!/bin/bash
# test_audit_web.sh — the admins' audit page and CSV against the real server:
#  - a sign-in is recorded as "login" (via web, from 127.0.0.1) and listed;
#  - the chain status at the top is what `itstrat audit verify` says;
#  - filters (entity, actor, key, via, action, from/to) select the entries,
#    bad values answer 400 naming the parameter; 50 entries a page;
#  - "what changed" names the fields that differ; text is escaped;
#  - the CSV has the header and every matching row, the same bytes as
#    `itstrat audit list --csv`;
#  - anonymous requests go to sign-in, a manager gets 403;
#  - after tampering with sqlite3 (triggers dropped, one entry edited) the
#    page shows the chain as broken at that entry.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/web.sh"

DB=$T/a.db
export ITSTRAT_ACTOR=clara
it init --db "$DB"
expect_rc 0
ADMIN_PW=$(sed -n 's/^password: //p' "$T/out")
it import --db "$DB" "$DEMO"
expect_rc 0
it user add mia --role manager --db "$DB"
expect_rc 0
MIA_PW=$(sed -n 's/^password: //p' "$T/out")
ITSTRAT_ACTOR='<script>alert(1)</script>' it token add mia --name "t<b>" --db "$DB"
expect_rc 0
it token revoke 1 --db "$DB"
expect_rc 0
web_start "$DB" signin

# ---- who may see it ---------------------------------------------------------
JAR=$T/anon.jar
req GET /admin/audit
status 303
header "Location: /login?next=%2Fadmin%2Faudit"
req GET /admin/audit.csv
status 303
JAR=$T/mia.jar
signin mia "$MIA_PW"
status 303
req GET /admin/audit
status 403
req GET /admin/audit.csv
status 403
lacks "prev_hash"

# ---- the page ---------------------------------------------------------------
JAR=$T/admin.jar
signin admin "$ADMIN_PW" /admin/audit
status 303
header "Location: /admin/audit"
req GET /admin/audit
status 200
it audit verify --db "$DB"
expect_rc 0
HEAD=$(sed -n 's/.*head \([0-9a-f]*\)$/\1/p' "$T/out")
N=$(q "SELECT count(*) FROM audit")
has "The chain is intact: $N entries, head <code>$HEAD</code>"
has "<td>admin</td><td>web</td><td>127.0.0.1</td><td>login</td><td>user</td><td>admin</td>"
has "<td>mia</td><td>web</td><td>127.0.0.1</td><td>login</td>"
has "<td>clara</td><td>cli</td><td></td><td>import</td><td>strategy</td><td>2018-21</td>"
has "<code>revoked_at</code>"                    # what changed at the revocation
has "&lt;script&gt;alert(1)&lt;/script&gt;"     # the actor, escaped
lacks "<script>alert"
has "$N</strong> entries, newest first"
# newest first: the last entry's id comes before the first's
FIRST=$(grep -o '<tr><td class="num">[0-9]*' "$T/body" | head -1 | grep -o '[0-9]*$')
[ "$FIRST" = "$N" ] || fail "the first row is entry $FIRST, not the newest ($N)"
has 'href="/admin/audit.csv"'

# ---- filters ----------------------------------------------------------------
refused() { # refused PATH PARAM — as the admin, PATH answers 400 naming PARAM
    req GET "$1"
    status 400
    has "parameter $2"
}
rows() { grep -c '<tr><td class="num">' "$T/body"; }
req GET "/admin/audit?action=login"
status 200
has "<strong>2</strong> entries"
[ "$(rows)" = 2 ] || fail "action=login: $(rows) rows, expected 2"
lacks "<td>import</td>"
has 'href="/admin/audit.csv?action=login"'     # the CSV link keeps the filters
req GET "/admin/audit?via=web"
status 200
[ "$(rows)" = 2 ] || fail "via=web: $(rows) rows, expected the 2 sign-ins"
lacks "<td>cli</td>"
req GET "/admin/audit?via=api"
status 200
[ "$(rows)" = 0 ] || fail "via=api: $(rows) rows"
req GET "/admin/audit?via=cli&entity=token"
status 200
[ "$(rows)" = 2 ] || fail "via=cli&entity=token: $(rows) rows"
lacks "<td>login</td>"
req GET "/admin/audit?actor=ADMIN&via=web"
status 200
[ "$(rows)" = 1 ] || fail "actor=ADMIN: $(rows) rows"
req GET "/admin/audit?key=2018"
status 200
has "<td>import</td><td>strategy</td><td>2018-21</td>"
[ "$(rows)" = 1 ] || fail "key=2018: $(rows) rows"
req GET "/admin/audit?key=mia%2F"
status 200
[ "$(rows)" = 2 ] || fail "key=mia/: $(rows) rows"
TODAY=$(date -u +%Y-%m-%d)
req GET "/admin/audit?from=$TODAY&to=$TODAY&action=login"
status 200
[ "$(rows)" = 2 ] || fail "from/to today: $(rows) rows"
req GET "/admin/audit?from=$(date -u -d tomorrow +%Y-%m-%d)"
status 200
[ "$(rows)" = 0 ] || fail "from tomorrow: $(rows) rows"
req GET "/admin/audit?to=$(date -u -d yesterday +%Y-%m-%d)"
status 200
[ "$(rows)" = 0 ] || fail "to yesterday: $(rows) rows"
req GET "/admin/audit?from=2000-01-01&to=2000-01-31"
status 200
has "No entry matches these filters"
[ "$(rows)" = 0 ] || fail "from/to 2000: $(rows) rows"
refused "/admin/audit?via=ftp" via
refused "/admin/audit?from=2020-13-01" from
refused "/admin/audit?to=yesterday" to
refused "/admin/audit?page=0" page
refused "/admin/audit?colour=red" colour
req GET "/admin/audit?from=2020-02-02&to=2020-02-01"
status 400
has "parameter to"

# ---- paging: 50 a page ------------------------------------------------------
for i in $(seq 1 55); do "$ITSTRAT" token add mia --name "bulk $i" --db "$DB" >/dev/null || fail "token add $i"; done
N=$(q "SELECT count(*) FROM audit")
req GET "/admin/audit?entity=token"
status 200
[ "$(rows)" = 50 ] || fail "page 1: $(rows) rows, expected 50"
has "Page 1 of 2"
has 'href="/admin/audit?entity=token&amp;page=2"'
req GET "/admin/audit?entity=token&page=2"
status 200
[ "$(rows)" = 7 ] || fail "page 2: $(rows) rows, expected 7 (57 token entries)"
has "51–57 shown"
req GET "/admin/audit?entity=token&page=3"
status 200
has "There is no page 3"

# ---- CSV --------------------------------------------------------------------
req GET /admin/audit.csv
status 200
header "Content-Type: text/csv"
header 'Content-Disposition: attachment; filename="audit.csv"'
[ "$(head -1 "$T/body")" = $'id,at,actor,via,address,action,entity,entity_key,before,after,prev_hash,hash\r' ] ||
    fail "CSV header: $(head -1 "$T/body")"
it audit list --csv -o "$T/cli.csv" --db "$DB"
expect_rc 0
same_file "$T/body" "$T/cli.csv"   # every entry, every column, as the CLI writes them
[ "$(wc -l <"$T/body")" = $((N + 1)) ] || fail "CSV: $(wc -l <"$T/body") lines for $N entries"
req GET "/admin/audit.csv?action=login&via=web"
status 200
[ "$(wc -l <"$T/body")" = 3 ] || fail "filtered CSV: $(wc -l <"$T/body") lines, expected 3"
grep -q ",admin,web,127.0.0.1,login,user,admin,," "$T/body" || fail "CSV lacks the admin's sign-in"
refused "/admin/audit.csv?page=2" page

# ---- a record's history (history.c) -----------------------------------------
it token add admin --name editor --scope write --db "$DB"
expect_rc 0
WTOK=$(sed -n 's/^token: //p' "$T/out")
PID=$(q "SELECT id FROM project WHERE code = '1.1-01'")
LONG="<script>x</script>$(printf 'y%.0s' $(seq 1 200))"
req PATCH "/api/v1/strategies/2018-21/records/project/$PID" -H "Authorization: Bearer $WTOK" \
    -H "Content-Type: application/json" --data "{\"version\": 1, \"title\": \"Replacement of Skype for Business by Microsoft Teams\", \"summary\": \"$LONG\"}"
status 200
history_only() { # keeps only the History section of the last body
    sed -n '/<h2 id="history">/,/<\/section>/p' "$T/body" >"$T/h"
    mv "$T/h" "$T/body"
}
req GET "/s/2018-21/records/project/$PID"
status 200
has '<h2 id="history">History</h2>'
history_only
has "<strong>admin</strong> changed it <small class=\"muted\">(through the API from 127.0.0.1)</small>"
has "<li>Summary: <q>Skype for Business was replaced"
lacks "<li>version:"                      # every change moves it: not shown
has "<q>&lt;script&gt;x&lt;/script&gt;yyy"
has "y…</q>"                               # cut, with an ellipsis
lacks "<script>x"
lacks "$(printf 'y%.0s' $(seq 1 200))"   # not the whole value
req GET "/api/v1/strategies/2018-21/records/project/$PID/history" -H "Authorization: Bearer $WTOK"
status 200
PY='import json, sys
h = json.load(open(sys.argv[1]))
assert len(h) == 1 and h[0]["action"] == "update" and h[0]["via"] == "api", h
assert h[0]["after"]["summary"] == sys.argv[2], h[0]["after"]
assert h[0]["before"]["summary"].startswith("Skype for Business"), h[0]["before"]'
py "$LONG"
OTHER=$(q "SELECT id FROM project WHERE code = '1.1-02'")
req GET "/s/2018-21/records/project/$OTHER"
status 200
history_only
has "No changes recorded yet."
req GET "/api/v1/strategies/2018-21/records/project/$OTHER/history" -H "Authorization: Bearer $WTOK"
status 200
[ "$(cat "$T/body")" = "[]" ] || fail "an empty history is not []: $(cat "$T/body")"

# ---- tampering --------------------------------------------------------------
for t in $(q "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit'"); do
    q "DROP TRIGGER $t"
done
q "UPDATE audit SET actor = 'mallory' WHERE id = 2"
req GET /admin/audit
status 200
has "The chain is broken at entry 2: entry 2 does not match its hash"
has "The 1 entry before it is intact"
lacks "The chain is intact"

pass
