#!/usr/bin/env bash
# The Debian package: built by CPack from this build directory, unpacked into a scratch
# root, and run from there on the bundled snapshot it ships.
set -uo pipefail
build=$1
source "$(dirname "$0")/common.sh"

cpack --config "$build/CPackConfig.cmake" -B "$tmp/pkg" >"$tmp/cpack.log" 2>&1 || { echo "FAIL cpack"; cat "$tmp/cpack.log"; exit 1; }
deb=$(ls "$tmp"/pkg/reddalert_*_amd64.deb 2>/dev/null | head -1)
[ -n "$deb" ] || { echo "FAIL no .deb"; exit 1; }
info=$(dpkg-deb --info "$deb")
for dep in libcurl4 libc6 libstdc++6 libre2-9 libyaml-cpp0.7 libsimdjson14; do
  grep -q "^ Depends:.*\b$dep\b" <<<"$info" || { echo "FAIL Depends lacks $dep"; grep Depends <<<"$info"; fail=1; }
done
[ "$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles)" = $'/etc/reddalert/reddalert.yaml\n/etc/cron.d/reddalert' ] \
  || { echo "FAIL conffiles"; fail=1; }
root=$tmp/root
dpkg-deb -x "$deb" "$root"
for f in usr/bin/reddalert usr/share/man/man1/reddalert.1 usr/share/reddalert/policies/secgroups.policy \
         usr/share/reddalert/examples/snapshot/manifest.json etc/reddalert/reddalert.yaml etc/cron.d/reddalert \
         usr/lib/systemd/system/reddalert.service usr/lib/systemd/system/reddalert.timer usr/share/doc/reddalert/operations.md; do
  [ -e "$root/$f" ] || { echo "FAIL the package lacks /$f"; fail=1; }
done
grep -q "^ExecStart=/usr/bin/reddalert check -c /etc/reddalert/reddalert.yaml$" "$root/usr/lib/systemd/system/reddalert.service" \
  || { echo "FAIL the unit does not run the installed binary"; fail=1; }
grep -q "^policies: \[/usr/share/reddalert/policies\]" "$root/etc/reddalert/reddalert.yaml" || { echo "FAIL the configuration's policies path"; fail=1; }
head -1 "$root/usr/share/man/man1/reddalert.1" | grep -q '^\.TH REDDALERT 1' || { echo "FAIL man page header"; fail=1; }
MANWIDTH=80 man -l "$root/usr/share/man/man1/reddalert.1" 2>/dev/null | grep -q "EXIT CODES" || { echo "FAIL the man page has no EXIT CODES section"; fail=1; }

# From the scratch root: the shipped policies on the shipped snapshot, with the shipped
# configuration pointed into the root.
sed "s|/usr/share/|$root/usr/share/|g" "$root/etc/reddalert/reddalert.yaml" >"$tmp/reddalert.yaml"
(cd "$tmp" && "$root/usr/bin/reddalert" check -c "$tmp/reddalert.yaml" -q >"$tmp/out" 2>"$tmp/err"); expect "check from the installed package" 1 $?
grep -q "legacy-telnet" "$tmp/out" || { echo "FAIL no alerts from the installed package"; cat "$tmp/err"; fail=1; }
"$root/usr/bin/reddalert" lint -c "$tmp/reddalert.yaml" >"$tmp/out" 2>&1; expect "lint of the installed configuration" 0 $?
exit $fail
