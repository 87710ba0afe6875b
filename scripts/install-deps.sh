#!/usr/bin/env bash
# Installs what onecard needs to build and test on Debian 12, from Debian's archive only.
# Safe to run again: packages already present are left as they are.
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config
  libsqlite3-dev sqlite3
  libboost1.81-dev libboost-json1.81-dev
  libtomlplusplus-dev libcli11-dev
  libzstd-dev zstd
  libssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
)
# Node.js and npm run the OpenAPI checks (tools/openapi-lint). A machine may already have a newer
# Node.js with its own npm; only when there is none are Debian's packages installed.
command -v npm >/dev/null || packages+=(nodejs npm)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The OpenAPI linter and validator, exactly as pinned in tools/openapi-lint/package-lock.json;
# installed again only when the lock file changed since the last install.
(
  cd "$(dirname "$0")/../tools/openapi-lint"
  if ! cmp -s package-lock.json node_modules/.installed-lock.json; then
    npm ci --no-audit --no-fund --loglevel=error
    cp package-lock.json node_modules/.installed-lock.json
  fi
)
