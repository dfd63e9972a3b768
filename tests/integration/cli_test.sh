#!/usr/bin/env bash
# The command line end to end: exit codes, stdout/stderr separation, lint and check output.
set -uo pipefail
bin=$1
source "$(dirname "$0")/common.sh"

"$bin" lint policies >"$tmp/out" 2>"$tmp/err"; expect "lint shipped policies" 0 $?
"$bin" check policies --snapshot examples/snapshot >"$tmp/out" 2>"$tmp/err"; expect "check finds alerts" 1 $?
grep -q "sg-02a3eb476e101beb9 (legacy-telnet)" "$tmp/out" || { echo "FAIL telnet group not reported"; fail=1; }
grep -q "tcp 23-23 open to 0.0.0.0/0" "$tmp/out" || { echo "FAIL telnet message missing"; fail=1; }
grep -q "legacy-api" "$tmp/out" || { echo "FAIL legacy-api ELB not reported"; fail=1; }
grep -q "bastion-ssh" "$tmp/out" && { echo "FAIL bastion-ssh changed before the window"; fail=1; }
grep -Eq "reddalert: [0-9]+ policies, [0-9]+ resources" "$tmp/err" || { echo "FAIL summary not on stderr"; fail=1; }
grep -q "reddalert:" "$tmp/out" && { echo "FAIL summary leaked to stdout"; fail=1; }

"$bin" check policies --snapshot examples/snapshot --format json -q >"$tmp/json" 2>"$tmp/err"; expect "check --format json" 1 $?
/usr/bin/python3 -c "import json,sys; d=json.load(open('$tmp/json')); assert d['alerts'] and all(k in d['alerts'][0] for k in ['policy','revision','fingerprint','severity','title','id','messages','details','collection','resources','source','first_seen','window']), d" \
  || { echo "FAIL json shape"; fail=1; }

"$bin" check policies --snapshot examples/snapshot --policy elbs --since 2025-11-29 -q >"$tmp/out" 2>&1; expect "check --policy --since" 1 $?
grep -q secgroups "$tmp/out" && { echo "FAIL --policy elbs ran secgroups"; fail=1; }
"$bin" check policies --snapshot examples/snapshot --policy nope >"$tmp/out" 2>&1; expect "unknown --policy" 2 $?
"$bin" check -c /dev/null policies >"$tmp/out" 2>&1; expect "no data source" 2 $?
grep -q -- "--snapshot DIR" "$tmp/out" || { echo "FAIL no data source names both options"; fail=1; }
printf 'policies_config:\n  elbs: {params: {allowed_ports: "80"}}\n  secgroup: {enabled: false}\n' >"$tmp/bad.yaml"
"$bin" check -c "$tmp/bad.yaml" --snapshot /nonexistent >"$tmp/out" 2>&1; expect "config errors stop check before data" 2 $?
grep -q "bad.yaml:2:34: error\[E0117\]" "$tmp/out" || { echo "FAIL param override type error with the config line"; cat "$tmp/out"; fail=1; }
grep -q "did you mean \`secgroups\`" "$tmp/out" || { echo "FAIL unknown policy in config"; fail=1; }
printf '{"edda": "http://localhost:8080/edda", "output": "stdout,mail_txt", "plugin.elbs": {"allowed_ports": [80, 443]}}\n' >"$tmp/original.json"
"$bin" lint -c "$tmp/original.json" policies >"$tmp/out" 2>&1; expect "original JSON config loads" 0 $?
"$bin" check policies --snapshot examples/snapshot -q --policy secgroups -c /dev/null --since 0 >"$tmp/out" 2>&1; expect "defaults without config" 1 $?
grep -q "bastion-ssh" "$tmp/out" || { echo "FAIL --since 0 includes changes before the manifest window"; fail=1; }
"$bin" check policies --snapshot examples/snapshot --since yesterday >"$tmp/out" 2>&1; expect "bad --since" 2 $?
grep -q "epoch milliseconds" "$tmp/out" || { echo "FAIL --since error lists the accepted forms"; fail=1; }
"$bin" check policies --snapshot /nonexistent >"$tmp/out" 2>&1; expect "missing snapshot" 3 $?

mkdir -p "$tmp/bad" "$tmp/broken"
printf 'reddalert 1\npolicy p {\n  title "t"\n  severity high\n  for x in aws.securityGroups\n  where x.groupNam == "a"\n  alert "a"\n  message "m"\n}\n' >"$tmp/bad/p.policy"
"$bin" lint -c /dev/null "$tmp/bad" >"$tmp/out" 2>"$tmp/err"; expect "lint error" 2 $?
grep -q "did you mean \`groupName\`" "$tmp/err" || { echo "FAIL did-you-mean"; fail=1; }
"$bin" lint -c /dev/null "$tmp/bad" --format json >"$tmp/out" 2>/dev/null; expect "lint --format json" 2 $?
/usr/bin/python3 -c "import json; d=json.load(open('$tmp/out')); assert d['errors']==1 and any(x['code']=='E0203' for x in d['diagnostics'])" || { echo "FAIL lint json"; fail=1; }
"$bin" check -c /dev/null "$tmp/bad" --snapshot /nonexistent >"$tmp/out" 2>&1; expect "lint errors stop check before data" 2 $?

printf 'reddalert 1\npolicy p {\n  title "t"\n  severity high\n  for x in [1]\n  alert "a"\n  message "m"\n}\n' >"$tmp/broken/w.policy"
"$bin" lint -c /dev/null "$tmp/broken" >/dev/null 2>&1; expect "warnings only" 0 $?
"$bin" lint -c /dev/null --strict "$tmp/broken" >/dev/null 2>&1; expect "warnings with --strict" 1 $?
printf '[{"groupId": "sg-1", "ipPermissions": []}, {"groupId": ' >"$tmp/snap.json"
mkdir -p "$tmp/snap" && mv "$tmp/snap.json" "$tmp/snap/aws.securityGroups.json"
"$bin" check policies --snapshot "$tmp/snap" --policy secgroups >"$tmp/out" 2>&1; expect "truncated snapshot JSON" 3 $?
grep -q "invalid JSON at byte" "$tmp/out" || { echo "FAIL truncated JSON cause"; fail=1; }
"$bin" check policies --snapshot examples/plain --policy secgroups -q >"$tmp/out" 2>&1; expect "plain documents" 1 $?
grep -q "legacy-telnet" "$tmp/out" || { echo "FAIL plain snapshot alert"; fail=1; }
"$bin" parse policies/elbs.policy --tree compiled >"$tmp/out" 2>&1; expect "parse --tree compiled" 0 $?
grep -q "not-in-set" "$tmp/out" || { echo "FAIL compiled tree shows the interval set"; fail=1; }
"$bin" parse policies/elbs.policy --format json >"$tmp/out" 2>&1; expect "parse json" 0 $?
"$bin" test policies --format junit >"$tmp/junit.xml" 2>/dev/null; expect "test --format junit" 0 $?
/usr/bin/python3 -c "import xml.etree.ElementTree as E; r=E.parse('$tmp/junit.xml').getroot(); assert r.tag=='testsuites' and int(r.get('tests'))>100 and r.get('failures')=='0'" \
  || { echo "FAIL junit output"; fail=1; }
mkdir -p "$tmp/failing"
cp policies/elbs.policy "$tmp/failing/"
printf 'policy: elbs\ncases:\n  - name: wrong\n    data: {aws.loadBalancers: [{loadBalancerName: a, listenerDescriptions: [{listener: {loadBalancerPort: 81}}]}]}\n    expect: []\n' >"$tmp/failing/elbs_test.yaml"
"$bin" test "$tmp/failing" >"$tmp/out" 2>&1; expect "failing policy test" 1 $?
grep -q "+ a   (raised, not expected)" "$tmp/out" || { echo "FAIL test diff"; cat "$tmp/out"; fail=1; }
grep -q "0 passed, 1 failed" "$tmp/out" || { echo "FAIL test summary line"; fail=1; }
"$bin" test "$tmp/failing" --coverage >"$tmp/out" 2>&1; expect "incomplete coverage" 1 $?
grep -q "was never false" "$tmp/out" || { echo "FAIL coverage names the where clause"; cat "$tmp/out"; fail=1; }
# A cron cycle with a status file: new alerts once, then silence, then only what is new.
cp -r examples/snapshot "$tmp/cron"
state="$tmp/state.json"
run() { "$bin" check -c /dev/null policies --snapshot "$tmp/cron" -f "$state" "$@"; }
run >"$tmp/out" 2>"$tmp/err"; expect "cron run 1 alerts" 1 $?
grep -q "legacy-telnet" "$tmp/out" || { echo "FAIL run 1 misses legacy-telnet"; fail=1; }
run >"$tmp/out" 2>"$tmp/err"; expect "cron run 2 is silent" 0 $?
[ -s "$tmp/out" ] && { echo "FAIL run 2 printed alerts"; cat "$tmp/out"; fail=1; }
grep -q " repeated" "$tmp/err" || { echo "FAIL run 2 summary counts repeats"; fail=1; }
/usr/bin/python3 - "$tmp/cron" <<'PY'
import json, sys
d = sys.argv[1]
m = json.load(open(d + "/manifest.json")); t = m["captured_at"] + 3600000
m["captured_at"] = m["captured_at"] + 86400000; json.dump(m, open(d + "/manifest.json", "w"))
sgs = json.load(open(d + "/aws.securityGroups.json"))
sgs.append({"id": "sg-0feedfacecafe0001", "stime": t, "ltime": None, "ctime": t, "mtime": t, "tags": {},
            "data": {"groupId": "sg-0feedfacecafe0001", "groupName": "new-telnet", "ownerId": "123456789012",
                     "ipPermissions": [{"ipProtocol": "tcp", "fromPort": 23, "toPort": 23, "ipRanges": ["0.0.0.0/0"]}]}})
json.dump(sgs, open(d + "/aws.securityGroups.json", "w"))
PY
run >"$tmp/out" 2>"$tmp/err"; expect "cron run 3 alerts what changed" 1 $?
grep -q "new-telnet" "$tmp/out" || { echo "FAIL run 3 misses the new group"; fail=1; }
grep -q "legacy-telnet" "$tmp/out" && { echo "FAIL run 3 repeated an old alert"; fail=1; }
cp "$state" "$tmp/state.before"
run --all --dry-run --since 1764115200000 >"$tmp/out" 2>"$tmp/err"; expect "--all --dry-run" 1 $?
grep -q "legacy-telnet" "$tmp/out" || { echo "FAIL --all shows earlier alerts"; fail=1; }
cmp -s "$state" "$tmp/state.before" || { echo "FAIL --dry-run changed the status file"; fail=1; }

# Two runs at once: the second exits 4 naming the holder; a killed holder leaves no lock.
/usr/bin/python3 -c "
import fcntl, os, sys, time
f = open('$state.lock', 'w'); fcntl.flock(f, fcntl.LOCK_EX); f.write(str(os.getpid())); f.flush()
open('$tmp/holder.ready', 'w').close(); time.sleep(60)" &
holder=$!
for _ in $(seq 300); do [ -e "$tmp/holder.ready" ] && break; sleep 0.1; done
run >"$tmp/out" 2>&1; expect "a second run at once" 4 $?
grep -q "pid $holder" "$tmp/out" || { echo "FAIL the lock message names the holder"; cat "$tmp/out"; fail=1; }
kill -9 $holder; wait $holder 2>/dev/null
run >"$tmp/out" 2>&1; expect "after the holder was killed" 0 $?

# A corrupt status file: exit 3, the file left as it is.
printf '{"format": "reddalert-state/1", "since": 17' >"$state"
cp "$state" "$tmp/state.before"
run >"$tmp/out" 2>&1; expect "corrupt status file" 3 $?
grep -q "not valid JSON (at byte" "$tmp/out" || { echo "FAIL corrupt state cause"; fail=1; }
cmp -s "$state" "$tmp/state.before" || { echo "FAIL the corrupt file was overwritten"; fail=1; }

# --learn on a fresh state emits nothing; the next run has nothing new either.
rm -f "$state"
run --learn >"$tmp/out" 2>&1; expect "--learn" 0 $?
grep -q "legacy-telnet" "$tmp/out" && { echo "FAIL --learn emitted"; fail=1; }
run >"$tmp/out" 2>&1; expect "after --learn" 0 $?

# The original tool's status file is read and migrated on commit.
printf '{"since": 1764115200000, "plugin.ami": {"first_seen": {"ami-0fe09f62e9b104e0f": 1764000000000}}}' >"$state"
"$bin" check -c /dev/null policies --snapshot examples/snapshot -f "$state" --policy ami >"$tmp/out" 2>"$tmp/err"; expect "original status file" 1 $?
grep -q "ami-0fe09f62e9b104e0f" "$tmp/out" && { echo "FAIL a migrated first_seen AMI alerted"; fail=1; }
grep -q "ami-06dfe0e9990b01dfa" "$tmp/out" || { echo "FAIL the unseen AMI did not alert"; fail=1; }
grep -q '"format": "reddalert-state/2"' "$state" || { echo "FAIL not migrated"; fail=1; }

# The original tool's command line: rules are policy names; an unknown one is an error.
printf '{"snapshot": "examples/snapshot", "plugin.s3acl": {"buckets": []}, "plugin.elbs": {"allowed_ports": [80, 443]}}' >"$tmp/configfile.json"
"$bin" --configfile "$tmp/configfile.json" --statusfile "$tmp/original-state.json" elbs >"$tmp/out" 2>"$tmp/err"; expect "original invocation" 1 $?
grep -q "legacy-api" "$tmp/out" || { echo "FAIL original invocation output"; fail=1; }
grep -q "secgroups" "$tmp/out" && { echo "FAIL original invocation ran an unnamed rule"; fail=1; }
grep -q "warning\[W0403\]: the configuration names policy \`s3acl\`" "$tmp/err" || { echo "FAIL plugin.s3acl is a warning"; cat "$tmp/err"; fail=1; }
[ -s "$tmp/original-state.json" ] || { echo "FAIL --statusfile not written"; fail=1; }
"$bin" --configfile "$tmp/configfile.json" elbz >"$tmp/out" 2>&1; expect "original invocation, unknown rule" 2 $?
grep -q "did you mean \`elbs\`" "$tmp/out" || { echo "FAIL unknown rule hint"; fail=1; }

# Waivers: a waived alert is not emitted and not remembered, so it returns when its waiver
# expires; --no-waivers shows it; the shipped example file lints clean.
printf 'snapshot: examples/snapshot\nwaivers: etc/waivers.yaml\n' >"$tmp/waivers-config.yaml"
"$bin" lint -c "$tmp/waivers-config.yaml" policies >"$tmp/out" 2>&1; expect "lint with the example waivers" 0 $?
grep -q "W0414" "$tmp/out" && echo "note etc/waivers.yaml has expired waivers: renew the example"
cat >"$tmp/waivers.yaml" <<'YAML'
waivers:
  - policy: elbs
    id: legacy-api
    reason: "decommissioned next sprint (OPS-9)"
    expires: 2999-01-01
  - policy: secgroups
    resources: [sg-02a3eb476e101beb9]
    reason: "lab network"
    expires: 2000-01-01
YAML
printf 'snapshot: examples/snapshot\nwaivers: %s\n' "$tmp/waivers.yaml" >"$tmp/wconfig.yaml"
wrun() { "$bin" check -c "$tmp/wconfig.yaml" policies --policy elbs --policy secgroups -f "$tmp/wstate.json" --no-store-until --format tsv "$@"; }
wrun -v >"$tmp/out" 2>"$tmp/err"; expect "check with waivers" 1 $?
grep -q "legacy-api" "$tmp/out" && { echo "FAIL waived alert emitted"; fail=1; }
grep -q "admin-console" "$tmp/out" || { echo "FAIL unwaived alert of the same policy missing"; fail=1; }
grep -q "legacy-telnet" "$tmp/out" || { echo "FAIL an expired waiver still silences"; fail=1; }
grep -q "warning\[W0414\]: this waiver of \`secgroups\` expired on 2000-01-01" "$tmp/err" || { echo "FAIL expired waiver warning"; cat "$tmp/err"; fail=1; }
grep -q "1 waived" "$tmp/err" || { echo "FAIL summary counts waived alerts"; fail=1; }
grep -q "reddalert: waived: elbs legacy-api by $tmp/waivers.yaml:2:5 until 2999-01-01T00:00:00Z: decommissioned" "$tmp/err" || { echo "FAIL -v names the waiver"; cat "$tmp/err"; fail=1; }
grep -q "legacy-api" "$tmp/wstate.json" && { echo "FAIL a waived alert was remembered"; fail=1; }
wrun --no-waivers --dry-run >"$tmp/out" 2>"$tmp/err"; expect "check --no-waivers" 1 $?
grep -q "legacy-api" "$tmp/out" || { echo "FAIL --no-waivers hides the waived alert"; fail=1; }
wrun >"$tmp/out" 2>"$tmp/err"; expect "nothing new: exit 0" 0 $?
sed -i 's/2999-01-01/2001-01-01/' "$tmp/waivers.yaml"
wrun --exit-zero >"$tmp/out" 2>"$tmp/err"; expect "--exit-zero with a new alert" 0 $?
grep -q "legacy-api" "$tmp/out" || { echo "FAIL the alert returns when its waiver expires"; fail=1; }
printf 'waivers: %s/none.yaml\n' "$tmp" >"$tmp/wconfig.yaml"
"$bin" check -c "$tmp/wconfig.yaml" policies --snapshot examples/snapshot -q >"$tmp/out" 2>&1; expect "missing waivers file" 2 $?
grep -q "wconfig.yaml:1:10: error\[E0410\]: cannot read waivers file" "$tmp/out" || { echo "FAIL missing waivers file at the config line"; cat "$tmp/out"; fail=1; }
"$bin" check -c "$tmp/wconfig.yaml" policies --snapshot examples/snapshot -q --no-waivers >"$tmp/out" 2>&1; expect "--no-waivers skips the file" 1 $?

# A string cut through a multi-byte character is invalid UTF-8: JSON outputs and the status
# file carry U+FFFD instead of failing, and first_seen() reads its value back the same way.
mkdir -p "$tmp/utf8"
printf 'reddalert 1\npolicy cut {\n  title "t"\n  description "d"\n  severity low\n  for g in aws.securityGroups\n  where g.groupName == "web"\n  let cut = slice("h\xc3\xa9llo", 0, 2)\n  where first_seen(cut)\n  alert g.groupId\n  message cut\n}\n' >"$tmp/utf8/cut.policy"
"$bin" check -c /dev/null "$tmp/utf8" --snapshot examples/snapshot -f "$tmp/utf8/state.json" --format json -q >"$tmp/out" 2>&1; expect "invalid UTF-8 in a message" 1 $?
/usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['alerts'][0]['messages'] == ['h\ufffd'], d" "$tmp/out" || { echo "FAIL U+FFFD in the JSON output"; fail=1; }
"$bin" check -c /dev/null "$tmp/utf8" --snapshot examples/snapshot -f "$tmp/utf8/state.json" --all --format json -q >"$tmp/out" 2>&1; expect "first_seen() remembers the cut value" 0 $?
printf 'reddalert 1\n# caf\xc3\n' >"$tmp/utf8/bad.policy"
"$bin" lint -c /dev/null "$tmp/utf8/bad.policy" >"$tmp/out" 2>&1; expect "a policy file that is not UTF-8" 2 $?
grep -q "bad.policy:2:6: error\[E0007\]: the file is not valid UTF-8: byte 0xC3 here" "$tmp/out" || { echo "FAIL E0007 location"; cat "$tmp/out"; fail=1; }

# Files that are not regular files: a directory as an import is E0106, not an allocation
# of its "size"; a configuration from a pipe is refused (a pipe may never end), /dev/null
# is no configuration (tests/integration/input_test.sh has the other kinds).
printf 'reddalert 1\nimport "."\n' >"$tmp/utf8/dir-import.policy"
"$bin" lint -c /dev/null "$tmp/utf8/dir-import.policy" >"$tmp/out" 2>&1; expect "a directory as an import" 2 $?
grep -q "error\[E0106\]: cannot read policy file" "$tmp/out" || { echo "FAIL directory import message"; cat "$tmp/out"; fail=1; }
"$bin" lint -c <(printf 'lag: 5m\n') policies >"$tmp/out" 2>&1; expect "a configuration from a pipe" 2 $?
grep -q "error\[E0400\]: cannot read configuration file /dev/fd/[0-9]*: is a FIFO, not a regular file" "$tmp/out" \
  || { echo "FAIL pipe configuration message"; cat "$tmp/out"; fail=1; }
printf 'reddalert 1\nimport "dir-import.policy\0x"\n' >"$tmp/utf8/nul-import.policy"
"$bin" lint -c /dev/null "$tmp/utf8/nul-import.policy" >"$tmp/out" 2>&1; expect "a NUL byte in an import path" 2 $?
grep -q "an import path cannot contain a NUL byte" "$tmp/out" || { echo "FAIL NUL import message"; cat "$tmp/out"; fail=1; }

# A file name that is not UTF-8: `lint --format json` is still UTF-8 JSON, the byte as U+FFFD.
mkdir "$tmp/latin1" && cp "$tmp/utf8/cut.policy" "$tmp/latin1/caf$(printf '\xe9').policy"
printf '  where g.nope == 1\n' >>"$tmp/latin1/caf$(printf '\xe9').policy"
"$bin" lint -c /dev/null --format json "$tmp/latin1" >"$tmp/out" 2>&1; expect "lint --format json, a Latin-1 file name" 2 $?
/usr/bin/python3 -c "import json,sys; d=json.loads(open(sys.argv[1],'rb').read().decode('utf-8')); assert d['diagnostics'][0]['file'].endswith('caf\ufffd.policy'), d" "$tmp/out" ||
  { echo "FAIL lint JSON for a file name that is not UTF-8"; fail=1; }

"$bin" version >"$tmp/out" 2>&1; expect "version" 0 $?
exit $fail
