#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks (and the editor tests' npm packages), then configures
# and builds reddalert and fetches the SARIF schema that the tests validate against.
set -euo pipefail
cd "$(dirname "$0")/.."
packages=(g++ cmake ninja-build pkg-config tao-pegtl-dev libyaml-cpp-dev libcurl4-openssl-dev nlohmann-json3-dev
          libcli11-dev libgtest-dev libgmock-dev libre2-dev libsimdjson-dev zlib1g-dev clang-format python3 python3-aiosmtpd python3-jsonschema python3-rfc3987 python3-yaml
          openssl time dpkg-dev man-db clang)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# nodejs and npm (the editor tests) by their programs: NodeSource's nodejs bundles npm and
# conflicts with Debian's npm package, which apt would otherwise try to install over it.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=$([ "$(id -u)" -eq 0 ] && echo "" || echo sudo)
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >&2
fi
# The editor tests' npm packages (vscode-textmate, vscode-oniguruma), as its lockfile pins them:
# installed when node_modules is missing, or older than the lockfile (npm ci writes its own copy).
if [ editors/vscode/test/package-lock.json -nt editors/vscode/test/node_modules/.package-lock.json ]; then
  (cd editors/vscode/test && npm ci --ignore-scripts --no-audit --no-fund >&2)
fi
cmake --preset default >/dev/null
cmake --build --preset default -j"$(nproc)"
scripts/fetch_sarif_schema.sh  # for tests/integration/sarif_schema_test.sh
