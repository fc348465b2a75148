#!/usr/bin/env bash
# test_html_literals.sh — no string literal holding markup or an entity is
# handed to an escaping formatter (tests/lint/html_literals.py): html_printf
# escapes every %s, so `"&amp;"` or `" class=\"num\""` passed as a value comes
# out escaped twice (issue 10: `&amp;amp;year=` answered 400 on click). The
# scanner must find nothing in src/, and must find exactly the lines marked
# BAD in tests/lint/html_literals_cases.c (so that it can fail).
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || fail "python3 is missing: run scripts/install-deps.sh"
LINT=$ITSTRAT_SRC/tests/lint/html_literals.py

run python3 "$LINT" "$ITSTRAT_SRC/src"
[ "$RC" -eq 0 ] || fail "markup passed where it is escaped:
$(cat "$T/out")"
expect_out "0 findings"

# The cases, under a path of the page layer (rule 2 applies there only).
mkdir -p "$T/src/web"
cp "$ITSTRAT_SRC/tests/lint/html_literals_cases.c" "$T/src/web/cases.c"
run python3 "$LINT" "$T/src"
expect_rc 1
grep -n '// BAD' "$T/src/web/cases.c" | cut -d: -f1 | sort -n >"$T/want"
sed -n 's/^[^:]*cases\.c:\([0-9]*\):.*/\1/p' "$T/out" | sort -n >"$T/got"
NCHECKS=$((NCHECKS + 1))
cmp -s "$T/want" "$T/got" || fail "the scanner reports lines [$(tr '\n' ' ' <"$T/got")], the BAD lines are [$(tr '\n' ' ' <"$T/want")]: $(cat "$T/out")"
pass
