#!/usr/bin/env bash
# test_sign.sh — `itstrat key new`, `sign` and `verify`: signatures in
# minisign's format checked by Debian's minisign both ways; who signed and
# when; with the database, regenerating the report gives exactly its bytes,
# and after a change of the data verify names the audit entries since the
# signature. Bad input: wrong passphrase, a signature of another file, a
# truncated .minisig, a report edited by one byte, an existing key file —
# each a clear message, nothing written.
. "$(dirname "$0")/lib.sh"
command -v minisign >/dev/null || fail "minisign is not installed (scripts/install-deps.sh)"
PASS="correct horse battery staple"

it import --db "$T/demo.db" "$DEMO"
expect_rc 0
it report --db "$T/demo.db" --year 2021 --final --format pdf -o "$T/r.pdf"
expect_rc 0
it report --db "$T/demo.db" --year 2021 --final -o "$T/r.html"
expect_rc 0

# ---- a key pair -----------------------------------------------------------
ITSTRAT_ACTOR=someone run "$ITSTRAT" key new -o "$T/k" --signer "Jane Doe, Head of Office" <<<"$PASS"
expect_rc 0
[ -f "$T/k.key" ] && [ -f "$T/k.pub" ] || fail "the key files were not written"
[ "$(stat -c %a "$T/k.key")" = 600 ] || fail "the secret key is readable by others"
grep -qF 'untrusted comment: minisign public key ' "$T/k.pub" || fail "public key comment"
run "$ITSTRAT" key new -o "$T/k" <<<"$PASS"
expect_rc 2
expect_err 'exists already; nothing written'
run "$ITSTRAT" key new -o "$T/k2" <<<"short"
expect_rc 2
expect_err '8 characters or more'
[ ! -e "$T/k2.key" ] || fail "a key was written with a short passphrase"

# ---- signing and checking --------------------------------------------------
ITSTRAT_NOW=2026-03-01T10:00:00Z run "$ITSTRAT" sign "$T/r.pdf" --key "$T/k.key" <<<"$PASS"
expect_rc 0
expect_out 'signed'
[ -s "$T/r.pdf.minisig" ] || fail "no r.pdf.minisig"
run minisign -V -p "$T/k.pub" -m "$T/r.pdf"
expect_rc 0
expect_out 'signer:Jane Doe, Head of Office'
it verify "$T/r.pdf" --pub "$T/k.pub" --db "$T/demo.db"
expect_rc 0
expect_out 'signature: good'
expect_out 'signed by: Jane Doe, Head of Office'
expect_out 'signed at: 2026-03-01T10:00:00Z'
expect_out 'exactly these bytes'
ITSTRAT_NOW=2026-03-01T10:00:00Z run "$ITSTRAT" sign "$T/r.html" --key "$T/k.key" <<<"$PASS"
expect_rc 0
it verify "$T/r.html" --pub "$T/k.pub" --db "$T/demo.db"
expect_rc 0
expect_out 'exactly these bytes'
run minisign -V -p "$T/k.pub" -m "$T/r.html"
expect_rc 0

# A signature made by minisign itself is checked by itstrat.
run minisign -G -W -p "$T/m.pub" -s "$T/m.key"
expect_rc 0
cp "$T/r.pdf" "$T/m.pdf"
run minisign -S -s "$T/m.key" -m "$T/m.pdf" -t "signer:minisign test"
expect_rc 0
it verify "$T/m.pdf" --pub "$T/m.pub"
expect_rc 0
expect_out 'signed by: minisign test'
it verify "$T/m.pdf" --pub "$T/k.pub"
expect_rc 1
expect_out 'not with this public key'

# ---- bad input --------------------------------------------------------------
# A wrong passphrase: refused, the old signature stays as it was.
cp "$T/r.pdf.minisig" "$T/keep.minisig"
run "$ITSTRAT" sign "$T/r.pdf" --key "$T/k.key" <<<"not the passphrase"
expect_rc 1
expect_err 'wrong passphrase'
same_file "$T/r.pdf.minisig" "$T/keep.minisig"
cp "$T/r.pdf" "$T/fresh.pdf"
run "$ITSTRAT" sign "$T/fresh.pdf" --key "$T/k.key" <<<"not the passphrase"
expect_rc 1
[ ! -e "$T/fresh.pdf.minisig" ] || fail "a signature was written with a wrong passphrase"
# A signature of another file.
it verify "$T/r.pdf" --pub "$T/k.pub" --sig "$T/r.html.minisig"
expect_rc 1
expect_out 'signature: BAD'
expect_out 'not the one signed'
# A truncated .minisig.
head -c 120 "$T/r.pdf.minisig" >"$T/cut.minisig"
it verify "$T/r.pdf" --pub "$T/k.pub" --sig "$T/cut.minisig"
expect_rc 1
expect_err 'line 2 is not the base64 of 74 bytes'
head -2 "$T/r.pdf.minisig" >"$T/two.minisig"
it verify "$T/r.pdf" --pub "$T/k.pub" --sig "$T/two.minisig"
expect_rc 1
expect_err 'trusted comment'
# A trusted comment changed after signing.
sed 's/signer:Jane Doe/signer:John Doe/' "$T/r.pdf.minisig" >"$T/tc.minisig"
it verify "$T/r.pdf" --pub "$T/k.pub" --sig "$T/tc.minisig"
expect_rc 1
expect_out 'trusted comment was changed'
# The report edited by one byte: the signature fails, and so does minisign.
cp "$T/r.pdf" "$T/e.pdf"
cp "$T/r.pdf.minisig" "$T/e.pdf.minisig"
printf 'X' | dd of="$T/e.pdf" bs=1 seek=2000 conv=notrunc status=none
it verify "$T/e.pdf" --pub "$T/k.pub"
expect_rc 1
expect_out 'signature: BAD'
run minisign -V -p "$T/k.pub" -m "$T/e.pdf"
[ "$RC" -ne 0 ] || fail "minisign accepted an edited file"
# No such key, no public key.
it sign "$T/r.pdf" --key "$T/none.key" </dev/null
expect_rc 3
expect_err 'cannot read the secret key'
it verify "$T/r.pdf"
expect_rc 2
expect_err '--pub'

# ---- the data changed since the signature -----------------------------------
python3 - "$DEMO" "$T/changed.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["projects"][0]["title"] += " (renamed)"
json.dump(d, open(sys.argv[2], "w"))
PY
ITSTRAT_NOW=2026-04-01T09:00:00Z ITSTRAT_ACTOR=editor run "$ITSTRAT" import --db "$T/demo.db" "$T/changed.json"
expect_rc 0
it verify "$T/r.pdf" --pub "$T/k.pub" --db "$T/demo.db"
expect_rc 1
expect_out 'signature: good'
expect_out 'NOT these bytes: the data of strategy 2018-21 changed'
expect_out '2026-04-01T09:00:00Z editor import strategy 2018-21'
# A file without a manifest.
echo hello >"$T/plain.txt"
run "$ITSTRAT" sign "$T/plain.txt" --key "$T/k.key" <<<"$PASS"
expect_rc 0
it verify "$T/plain.txt" --pub "$T/k.pub" --db "$T/demo.db"
expect_rc 1
expect_out 'no itstrat manifest'
echo "ok ${0##*/}: $NCHECKS checks"
