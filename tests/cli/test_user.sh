#!/bin/bash
# test_user.sh — `itstrat user` and the first admin of `itstrat init`: every
# subcommand, bad logins and options, weak passwords refused with the
# reason, the last active admin protected, and no password in clear in the
# output of list or anywhere in the database file.
. "$(dirname "$0")/lib.sh"
# (Input goes in with <<< and <, not through a pipe: `run` must not be in a
# subshell, or its exit status would be lost.)

db="$T/users.db"
U() { it user "$@" --db "$db"; }

# No database yet: user commands say so and create nothing.
U list
expect_rc 3
[ ! -e "$db" ] || fail "user list created $db"

# init creates the first admin once, with a random password shown once.
it init --db "$db"
expect_rc 0
expect_out "first account created: admin (role admin)"
expect_out "itstrat user passwd admin"
admin_pw=$(sed -n 's/^password: //p' "$T/out")
[ ${#admin_pw} -eq 20 ] || fail "init's password is not 20 characters: '$admin_pw'"
case $admin_pw in *[0O1lI]*) fail "init's password has look-alike characters: $admin_pw" ;; esac
it init --db "$db"
expect_rc 0
expect_out "ready"
grep -q "password" "$T/out" && fail "a second init printed a password"
[ "$(sqlite3 "$db" 'SELECT count(*) FROM app_user')" = 1 ] || fail "init made another account"
[ "$(sqlite3 "$db" "SELECT role FROM app_user WHERE login = 'admin'")" = admin ] ||
    fail "the first account is not an admin"

# add: random password printed once, stored as Argon2id.
U add alice --role manager --name "Alice Adams"
expect_rc 0
expect_out "account alice created with role manager"
alice_pw=$(sed -n 's/^password: //p' "$T/out")
[ ${#alice_pw} -eq 20 ] || fail "no 20-character password for alice: '$alice_pw'"
[ "$alice_pw" != "$admin_pw" ] || fail "two accounts got the same random password"
sqlite3 "$db" "SELECT password_hash FROM app_user WHERE login = 'alice'" | grep -q '^\$argon2id\$v=19\$m=131072,t=4,p=1\$' ||
    fail "alice's password is not an Argon2id hash with the documented parameters"

# add with --password-stdin: strong enough is accepted, nothing printed.
U add bob --role viewer --password-stdin <<<"tangerine lamp october"
expect_rc 0
grep -q "password:" "$T/out" && fail "a password read from stdin was printed"
bob_pw="tangerine lamp october"

# Weak passwords are refused with the reason, and nothing is created.
weak() { # PASSWORD REASON
    U add carol --role viewer --password-stdin <<<"$1"
    expect_rc 1
    expect_err "$2"
    expect_err "nothing was changed"
    [ "$(sqlite3 "$db" "SELECT count(*) FROM app_user WHERE login = 'carol'")" = 0 ] ||
        fail "carol was created with the weak password '$1'"
}
weak "short pw" "the password has 8 characters; use at least 12"
weak "aaaaaaaaaaaaaaaa" "repeats the same few characters"
weak "abcdefghijklmnop" "run of consecutive characters"
weak "carol-carol-carol" "contains the login"
weak "qwerty123456" "most common passwords"
weak "Password2024!" "common word with digits or symbols"
U add carol --role viewer --password-stdin </dev/null
expect_rc 1
expect_err "standard input is empty"

# Bad logins, roles and option combinations are usage errors.
for bad in "a b" "" "x/y" "tab	x" "é" "$(printf 'a%.0s' {1..65})" "semi;colon"; do
    U add "$bad" --role viewer
    expect_rc 2
    expect_err "is not a valid login"
done
U add "$(printf 'a%.0s' {1..64})" --role viewer # 64 is the limit, allowed
expect_rc 0
U add o.k_name-1@example.org --role contributor
expect_rc 0
U add dave --role viewer --name $'Dave\e[31m'
expect_rc 2
expect_err "without control characters"
U add dave --role viewer --name "$(printf 'n%.0s' {1..201})"
expect_rc 2
U add dave --role superuser
expect_rc 2
expect_err "--role must be admin, manager, contributor or viewer"
U add dave
expect_rc 2
expect_err "give the role with --role"
U disable bob --role viewer
expect_rc 2
expect_err "--role does not go with disable"
U passwd bob --name Bob
expect_rc 2
U list bob
expect_rc 2
U frobnicate bob
expect_rc 2
expect_err "no subcommand \"frobnicate\""
U passwd
expect_rc 2

# A taken login, in any case, is refused.
U add ALICE --role viewer
expect_rc 1
expect_err "there is already an account \"ALICE\""

# Unknown accounts.
for sub in passwd disable enable; do
    U "$sub" nobody
    expect_rc 4
    expect_err "no account \"nobody\""
done
U role nobody --role viewer
expect_rc 4

# passwd: random, or read and checked; the old hash is replaced.
old=$(sqlite3 "$db" "SELECT password_hash FROM app_user WHERE login = 'bob'")
U passwd bob
expect_rc 0
expect_out "password of bob changed"
bob_pw2=$(sed -n 's/^password: //p' "$T/out")
[ ${#bob_pw2} -eq 20 ] || fail "passwd printed no new password"
new=$(sqlite3 "$db" "SELECT password_hash FROM app_user WHERE login = 'bob'")
[ "$old" != "$new" ] || fail "passwd did not change the hash"
U passwd bob --password-stdin <<<"Bob"
expect_rc 1
expect_err "the password has 3 characters"
[ "$(sqlite3 "$db" "SELECT password_hash FROM app_user WHERE login = 'bob'")" = "$new" ] ||
    fail "a refused password changed the hash"
U passwd BOB --password-stdin <<<$'violet harbour engine\r' # CRLF, any case
expect_rc 0
expect_out "password of bob changed"
bob_pw="violet harbour engine"

# role, disable, enable.
U role bob --role contributor
expect_rc 0
expect_out "account bob: role contributor (was viewer)"
U disable bob
expect_rc 0
U list
expect_rc 0
grep -Eq '^bob +- +contributor +off +yes +no$' "$T/out" || fail "list does not show bob disabled: $(grep bob "$T/out")"
grep -Eq '^alice +Alice Adams +manager +off +no +no$' "$T/out" || fail "list does not show alice"
U enable bob
expect_rc 0
U list
grep -Eq '^bob +- +contributor +off +no +no$' "$T/out" || fail "bob is not enabled again"
expect_out "LOGIN"
expect_out "MFA"

# Lock-out shows in list; enable clears it.
sqlite3 "$db" "UPDATE app_user SET failed_logins = 5, locked_until = '2999-01-01T00:00:00Z' WHERE login = 'bob'"
U list
grep -Eq '^bob .* 2999-01-01T00:00:00Z$' "$T/out" || fail "list does not show bob locked"
U enable bob
expect_out "lock-out cleared"
[ "$(sqlite3 "$db" "SELECT failed_logins || '/' || ifnull(locked_until, '-') FROM app_user WHERE login = 'bob'")" = "0/-" ] ||
    fail "enable did not clear the lock-out"

# The last active admin can be neither disabled nor demoted.
U disable admin
expect_rc 1
expect_err "admin is the last active admin"
U role admin --role manager
expect_rc 1
expect_err "admin is the last active admin"
[ "$(sqlite3 "$db" "SELECT role || disabled FROM app_user WHERE login = 'admin'")" = admin0 ] ||
    fail "the last admin was changed"
U role alice --role admin # a second admin: now admin may go
expect_rc 0
U disable admin
expect_rc 0
U role alice --role viewer # alice is now the only active admin
expect_rc 1
expect_err "alice is the last active admin"
U enable admin
expect_rc 0
U role alice --role viewer
expect_rc 0
U role admin --role admin # unchanged role of the last admin is fine
expect_rc 0

# Passwords never appear in clear: not in list, not in the database file
# (nor its WAL), only their Argon2id hashes.
U list
for pw in "$admin_pw" "$alice_pw" "$bob_pw" "$bob_pw2" "tangerine lamp october"; do
    grep -qF -- "$pw" "$T/out" && fail "list shows a password"
    for f in "$db" "$db-wal"; do
        [ -e "$f" ] && grep -qaF -- "$pw" "$f" && fail "$f holds the password '$pw' in clear"
    done
done
n=$(sqlite3 "$db" "SELECT count(*) FROM app_user WHERE password_hash NOT LIKE '\$argon2id\$%'")
[ "$n" = 0 ] || fail "$n accounts without an Argon2id hash"
integrity_ok "$db"

# init on a database with accounts creates none; the help says what to do.
it init --db "$db"
expect_rc 0
grep -q "first account" "$T/out" && fail "init created an admin again"
it user --help
expect_rc 0
expect_out "--password-stdin"
expect_out "the last active admin can be neither"

# Every account change is in the audit trail, without a password or hash.
it audit list --entity user --db "$db"
expect_rc 0
expect_out "create      user          admin"
n=$(sqlite3 "$db" "SELECT count(*) FROM audit WHERE entity = 'user'")
[ "$n" -ge 5 ] || fail "only $n account changes audited"
n=$(sqlite3 "$db" "SELECT count(*) FROM audit WHERE before LIKE '%argon2%' OR after LIKE '%argon2%'
                   OR after LIKE '%secret%'")
[ "$n" = 0 ] || fail "$n audit entries hold a hash or a secret"
it audit verify --db "$db"
expect_rc 0
expect_out "audit trail intact"
pass
