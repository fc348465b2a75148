#!/usr/bin/env bash
# test_oidc.sh — sign-in through an OpenID provider and every refusal of
# issue 17 (tests/http/oidc.py against tests/oidc/fake_op.py over HTTPS
# with a throwaway CA).
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || fail "python3 is missing: run scripts/install-deps.sh"
command -v openssl >/dev/null || fail "openssl is missing: run scripts/install-deps.sh"
python3 -c 'import cryptography' 2>/dev/null || fail "python3-cryptography is missing: run scripts/install-deps.sh"
run_suite "sign-in through a provider" \
    python3 "$ITSTRAT_SRC/tests/http/oidc.py" "$ITSTRAT" "$ITSTRAT_SRC" "$T"
pass
