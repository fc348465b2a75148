#!/usr/bin/env bash
# Installs the Debian 12 packages itstrat needs to build, test and run.
# Idempotent: quiet and fast when everything is already there.
set -euo pipefail

PKGS=(
  build-essential cmake pkg-config clang libclang-rt-14-dev
  libsqlite3-dev libjansson-dev libcmocka-dev libsodium-dev libcmark-dev
  libmicrohttpd-dev liboath-dev libqrencode-dev libxlsxwriter-dev zlib1g-dev
  libminizip-dev libexpat1-dev
  libcairo2-dev libpango1.0-dev libxml2-dev libcurl4-openssl-dev libssl-dev
  sqlite3 curl hyperfine wrk time python3 python3-jsonschema python3-cryptography openssl
  minisign chromium fonts-liberation fonts-dejavu-core poppler-utils nodejs
)
# npm too, unless the machine's Node.js brings its own (NodeSource's nodejs
# does, and conflicts with Debian's npm package).
command -v npm >/dev/null || PKGS+=(npm)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
