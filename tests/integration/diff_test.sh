#!/usr/bin/env bash
# `reddalert diff --base REV` in a scratch git repository holding the shipped policies, the
# configuration and the bundled snapshot: git run for real, the base read without touching
# the working tree or the index; changed params, a changed policy, a new, a deleted and a
# renamed file, a base that does not compile, and the errors (not a repository, no such
# revision, a revision that looks like an option).
set -uo pipefail
bin=$1
src=$2
source "$(dirname "$0")/common.sh"

repo="$tmp/repo"
mkdir -p "$repo/etc" "$repo/examples"
cp -r "$src/policies" "$repo/"
cp -r "$src/examples/snapshot" "$repo/examples/"
cp "$src/etc/reddalert.yaml" "$repo/etc/"
cd "$repo" || exit 1
git init -q -b main . && git -c user.name=t -c user.email=t@example.com commit -q --allow-empty -m empty
git add . && git -c user.name=t -c user.email=t@example.com commit -q -m policies
export TMPDIR="$tmp/tmpdir"  # where the base's files go: checked for leftovers at the end
mkdir "$TMPDIR"
run() { "$bin" diff --base main --snapshot examples/snapshot "$@"; }

run >"$tmp/out" 2>"$tmp/err"; expect "no change" 0 $?
grep -q "no change in 31 policies" "$tmp/out" || { echo "FAIL no-change summary"; cat "$tmp/out"; fail=1; }

# The configuration's params: one allowed port fewer changes an alert of secgroups.
sed -i '/^  secgroups:/,/^  [a-z]/ s/      allowed_ports: \[80, 443\]/      allowed_ports: [80]/' etc/reddalert.yaml
# A new policy file, a deleted one, a renamed policy.
cat >policies/open-ssh.policy <<'POLICY'
reddalert 1

policy open-ssh {
  title    "SSH open to the world"
  severity high

  for sg in aws.securityGroups
  for perm in sg.ipPermissions
  where perm.fromPort == 22

  alert   sg.groupId
  message "{sg.groupName} opens SSH"
}
POLICY
git rm -q policies/newtag.policy policies/newtag_test.yaml
sed -i 's/^policy ami {/policy ami-launched {/' policies/ami.policy
git status --porcelain >"$tmp/status.before"
index_before=$(sha256sum .git/index)
run --format json >"$tmp/diff.json" 2>"$tmp/err"; expect "json diff" 1 $?
[ "$(sha256sum .git/index)" = "$index_before" ] || { echo "FAIL the index changed"; fail=1; }
git status --porcelain | cmp -s - "$tmp/status.before" || { echo "FAIL the working tree changed"; fail=1; }
/usr/bin/python3 - "$tmp/diff.json" <<'PY' || fail=1
import json, sys
d = json.load(open(sys.argv[1]))
by = {p["policy"]: p for p in d["policies"]}
def check(cond, what):
    if not cond:
        print("FAIL", what); sys.exit(1)
check(d["format"] == "reddalert-diff/1" and d["base"] == "main" and len(d["commit"]) == 40, "header")
check(by["open-ssh"]["status"] == "added" and len(by["open-ssh"]["added"]) > 0, "new file's policy added with alerts")
check(all(a["policy"] == "open-ssh" and "messages" in a and "fingerprint" in a for a in by["open-ssh"]["added"]), "ALERT shape")
check(by["newtag"]["status"] == "removed" and len(by["newtag"]["removed"]) == 1, "deleted file's policy removed")
check(by["ami-launched"]["status"] == "renamed" and by["ami-launched"]["renamed_from"] == "ami", "rename")
sg = by["secgroups"]
check(sg["status"] == "changed", "secgroups changed")
check(sg["params"] == [{"name": "allowed_ports", "before": [80, 443], "after": [80]}], "param change: %s" % sg.get("params"))
check(len(sg["changed"]) == 1 and sg["changed"][0]["before"]["id"] == sg["changed"][0]["after"]["id"], "changed alert")
check(sg["changed"][0]["before"]["source"]["file"] == "policies/secgroups.policy", "base alert path as in the working tree")
check(by["iam"]["status"] == "unchanged", "unchanged policy")
s = d["summary"]
check(s["added"] == len(by["open-ssh"]["added"]) and s["removed"] == 1 and s["changed"] == 1, "summary %s" % s)
print("ok   json diff content")
PY
run --format markdown >"$tmp/diff.md"; expect "markdown diff" 1 $?
grep -q '^| `open-ssh` | added |' "$tmp/diff.md" || { echo "FAIL markdown table"; cat "$tmp/diff.md"; fail=1; }
grep -q '^- `allowed_ports`: `\[80,443\]` → `\[80\]`' "$tmp/diff.md" || { echo "FAIL markdown params"; fail=1; }
run >"$tmp/diff.txt"; expect "text diff" 1 $?
grep -q '^ami-launched: renamed from ami$' "$tmp/diff.txt" || { echo "FAIL text rename"; cat "$tmp/diff.txt"; fail=1; }
# Only the named file: new in the working tree, so the base has none of it.
run policies/open-ssh.policy >"$tmp/out" 2>"$tmp/err"; expect "diff of a new file alone" 1 $?
grep -q '^open-ssh: added' "$tmp/out" || { echo "FAIL new file alone"; cat "$tmp/out" "$tmp/err"; fail=1; }
# A file deleted in the working tree, named alone: its policy is removed.
run policies/newtag.policy >"$tmp/out" 2>"$tmp/err"; expect "diff of a deleted file alone" 1 $?
grep -q '^newtag: removed -1' "$tmp/out" || { echo "FAIL deleted file alone"; cat "$tmp/out" "$tmp/err"; fail=1; }

# A base that does not compile: reported with the revision's paths, every alert added.
git add -A && git -c user.name=t -c user.email=t@example.com commit -q -m change
printf 'reddalert 1\npolicy broken {\n' >policies/broken.policy
git add policies/broken.policy && git -c user.name=t -c user.email=t@example.com commit -q -m broken
git rm -q policies/broken.policy
run policies/ >"$tmp/out" 2>"$tmp/err"; expect "base does not compile" 1 $?
grep -q '^main:policies/broken.policy:[0-9]*:[0-9]*: error\[E0' "$tmp/err" || { echo "FAIL base errors not shown"; cat "$tmp/err"; fail=1; }
grep -q "do not compile" "$tmp/err" || { echo "FAIL base failure not said"; fail=1; }
grep -q "the base does not compile: every alert is shown as added" "$tmp/out" || { echo "FAIL base failure in report"; fail=1; }
grep -q "$tmp" "$tmp/err" && { echo "FAIL a temporary path is shown"; fail=1; }

# The working tree's policies do not load: exit 2, nothing compared.
printf 'reddalert 1\npolicy x {\n' >policies/bad.policy
run >"$tmp/out" 2>"$tmp/err"; expect "working tree does not load" 2 $?
rm policies/bad.policy

# Errors: no such revision, a revision that looks like an option, outside a repository.
"$bin" diff --base no-such-branch --snapshot examples/snapshot 2>"$tmp/err"; expect "unknown revision" 2 $?
grep -q '`no-such-branch` names no commit' "$tmp/err" || { echo "FAIL unknown revision message"; cat "$tmp/err"; fail=1; }
"$bin" diff --base=--output=/tmp/x --snapshot examples/snapshot 2>"$tmp/err"; expect "option-like revision" 2 $?
[ -e /tmp/x ] && { echo "FAIL git took the revision as an option"; fail=1; }
mkdir "$tmp/plain" && cd "$tmp/plain" && cp -r "$repo/policies" "$repo/examples" .
GIT_CEILING_DIRECTORIES="$tmp" "$bin" diff --base main --snapshot examples/snapshot 2>"$tmp/err"; expect "not a repository" 2 $?
grep -q 'cannot find the git repository: not a git repository' "$tmp/err" || { echo "FAIL not-a-repository message"; cat "$tmp/err"; fail=1; }
[ -z "$(ls -A "$TMPDIR")" ] || { echo "FAIL a temporary directory was left behind: $(ls "$TMPDIR")"; fail=1; }
exit $fail
