#!/usr/bin/env bash
# Puts the official SARIF 2.1.0 JSON schema at build/deps/sarif-schema-2.1.0.json (or at $1) for
# tests/integration/sarif_schema_test.sh. The schema is not ours, so it is not in the repository:
# it comes from the npm package @microsoft/jest-sarif, pinned by version and by the file's sha256.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=${1:-build/deps/sarif-schema-2.1.0.json}
package=@microsoft/jest-sarif@1.0.0-beta.0
member=package/lib/schemas/sarif-2.1.0-rtm.5.json
sha256=2d99159ae54a3eea97f81781cff48780548657c35949f4b7f25e99a2ba4de4f8

if [ -f "$dest" ] && echo "$sha256  $dest" | sha256sum --check --status; then exit 0; fi
if ! command -v npm >/dev/null; then
  echo "setup: installing npm" >&2
  SUDO=$([ "$(id -u)" -eq 0 ] && echo "" || echo sudo)
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq npm >&2
fi
echo "setup: fetching the SARIF 2.1.0 schema from $package" >&2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack "$package" --pack-destination "$tmp" --quiet >/dev/null)
tar -xzf "$tmp"/*.tgz -C "$tmp" "$member"
got=$(sha256sum "$tmp/$member" | cut -d' ' -f1)
if [ "$got" != "$sha256" ]; then
  echo "setup: error: $member in $package has sha256 $got, want $sha256; not installing it" >&2
  exit 1
fi
mkdir -p "$(dirname "$dest")"
cp "$tmp/$member" "$dest.tmp.$$"
mv -f "$dest.tmp.$$" "$dest"
echo "setup: installed $dest" >&2
