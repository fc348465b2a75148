#!/usr/bin/env bash
# run.sh — the browser suite (tests/browser/suite.mjs) as a ctest: installs
# the pinned browser tooling with `npm ci` when node_modules is missing or
# older than package-lock.json, builds a database of the demo, a generated
# strategy and the hostile one, and runs the suite against `itstrat serve`
# in Debian's Chromium. Screenshots land in tests/browser/out/ (or
# $BROWSER_OUT). Environment: ITSTRAT (binary), ITSTRAT_SRC (source tree).
# `run.sh oidc` runs tests/browser/oidc.mjs (a real OpenID provider).
# `run.sh edit` runs tests/browser/edit.mjs instead (sign-in with a second
# factor, editing, conflicts, refusals; its own database and accounts).
. "$ITSTRAT_SRC/tests/cli/lib.sh"
for tool in node npm chromium; do
    command -v $tool >/dev/null || fail "$tool is missing: run scripts/install-deps.sh"
done
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing: run scripts/install-deps.sh"

# The tooling: npm ci (exact versions of package-lock.json, no browser
# download: playwright-core has none), once per change of the lock file.
# A lock serializes concurrent runs (the normal and the ASan build).
stamp="$ITSTRAT_SRC/node_modules/.package-lock.json"
(
    flock 9
    if [ ! -f "$stamp" ] || [ "$ITSTRAT_SRC/package-lock.json" -nt "$stamp" ] ||
        [ ! -d "$ITSTRAT_SRC/node_modules/playwright-core" ] ||
        [ ! -d "$ITSTRAT_SRC/node_modules/axe-core" ] ||
        [ ! -d "$ITSTRAT_SRC/node_modules/oidc-provider" ]; then
        cd "$ITSTRAT_SRC" &&
            npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >"$T/npm.log" 2>&1 ||
            { cat "$T/npm.log" >&2; exit 1; }
    fi
) 9>"${TMPDIR:-/tmp}/itstrat-npm-ci.lock" || fail "npm ci failed (see above)"

if [ "${1:-}" = oidc ]; then # sign-in through the real oidc-provider (oidc.mjs)
    BROWSER_WORK="$T" run_suite "the provider sign-in test failed" \
        node "$ITSTRAT_SRC/tests/browser/oidc.mjs"
    pass
    exit 0
fi
if [ "${1:-}" = edit ]; then
    BROWSER_WORK="$T" EDIT_SHOTS="${EDIT_SHOTS:-${BROWSER_OUT:-$ITSTRAT_SRC/tests/browser/out}}" \
        run_suite "the editing test failed" node "$ITSTRAT_SRC/tests/browser/edit.mjs"
    pass
    exit 0
fi

it import --db "$T/web.db" "$DEMO"
expect_rc 0
it gen --projects 300 --seed 4 -o "$T/gen.json"
expect_rc 0
it import --db "$T/web.db" "$T/gen.json"
expect_rc 0
it import --db "$T/web.db" "$ITSTRAT_SRC/tests/data/hostile.json"
expect_rc 0

# No wall-clock limit here: a hang is ended by ctest's TIMEOUT, so a busy
# machine makes the suite slower, never failed (run_suite stretches the
# browser waits of a sanitizer build).
BROWSER_DB="$T/web.db" BROWSER_WORK="$T" BROWSER_OUT="${BROWSER_OUT:-$ITSTRAT_SRC/tests/browser/out}" \
    run_suite "the browser suite failed" node "$ITSTRAT_SRC/tests/browser/suite.mjs"
pass
