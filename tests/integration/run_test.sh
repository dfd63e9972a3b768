#!/usr/bin/env bash
# What an operator's cron job and a triage queue depend on, on copies of the bundled
# snapshot: each policy's own window, finding identity, resolved alerts, policies a source
# cannot decide, and each output receiving each alert once when the run dies or its commit
# fails half-way.
set -uo pipefail
bin=$1
source "$(dirname "$0")/common.sh"
captured=1764547200000  # examples/snapshot/manifest.json
day=86400000
py() { /usr/bin/python3 - "$@"; }
check() { "$bin" check -c /dev/null policies --snapshot "${snap:-examples/snapshot}" "$@"; }

# --- Each policy remembers its own window. A run of one policy moves only its window; a
# policy new to the status file gets the window a run without state would give it.
state=$tmp/windows.json
check -f "$state" --policy elbs -q >/dev/null 2>"$tmp/err"; expect "run of elbs alone" 1 $?
check -f "$state" --policy secgroups -q >"$tmp/out" 2>"$tmp/err"; expect "then secgroups alone still finds its alerts" 1 $?
grep -q "legacy-telnet\|sg-" "$tmp/out" || { echo "FAIL secgroups saw an empty window"; cat "$tmp/out" "$tmp/err"; fail=1; }
py "$state" "$captured" <<'PY' || { echo "FAIL the per-policy windows"; fail=1; }
import json, sys
s = json.load(open(sys.argv[1]))
until = int(sys.argv[2])
assert s["policies"]["elbs"]["until"] == until, s["policies"]["elbs"]
assert s["policies"]["secgroups"]["until"] == until, s["policies"]["secgroups"]
assert "until" not in s["policies"].get("ami", {}), s["policies"].get("ami")
PY
# A status file of format 1 (one `since` for all) is read as every policy's start.
printf '{"format": "reddalert-state/1", "since": %s, "policies": {}, "alerts": {}}\n' "$captured" >"$tmp/v1.json"
check -f "$tmp/v1.json" --policy secgroups -q >"$tmp/out" 2>&1; expect "format 1's since is the window start" 0 $?
grep -q '"format": "reddalert-state/2"' "$tmp/v1.json" || { echo "FAIL format 1 not migrated"; fail=1; }

# --- A finding's identity: stale-access-key declares `key`, so the age in its message
# changing from one day to the next does not report its alerts again.
state=$tmp/key.json
check -f "$state" --policy stale-access-key --until $captured -q >"$tmp/day1" 2>&1; expect "stale keys, day 1" 1 $?
check -f "$state" --policy stale-access-key --until $((captured + day)) --format json -q >"$tmp/day2" 2>&1
expect "stale keys, day 2: repeats, not new" 0 $?
py "$tmp/day2" <<'PY' || { echo "FAIL day 2 summary"; fail=1; }
import json, sys
r = json.load(open(sys.argv[1]))
assert r["alerts"] == [] and r["summary"]["repeated"] > 0, r["summary"]
PY

# --- Resolved: an alert of a condition policy that no longer fires is reported once as
# resolved (json always, text with --show-resolved), then forgotten.
state=$tmp/resolved.json
mkdir -p "$tmp/fixed" && cp examples/snapshot/* "$tmp/fixed/"
py "$tmp/fixed/aws.iamUsers.json" <<'PY'
import json, sys
docs = json.load(open(sys.argv[1]))
for d in docs:
    for k in (d.get("data") or {}).get("accessKeys", []):
        k["status"] = "Inactive"  # every key rotated away
json.dump(docs, open(sys.argv[1], "w"))
PY
check -f "$state" --policy stale-access-key --until $captured -q >/dev/null 2>&1; expect "stale keys found" 1 $?
raised=$(py "$state" <<'PY'
import json, sys
print(len(json.load(open(sys.argv[1]))["alerts"]))
PY
)
snap=$tmp/fixed check -f "$state" --policy stale-access-key --until $((captured + day)) --format json -q >"$tmp/out" 2>&1
expect "keys rotated: nothing new" 0 $?
py "$tmp/out" "$raised" <<'PY' || { echo "FAIL resolved events in json"; cat "$tmp/out"; fail=1; }
import json, sys
r = json.load(open(sys.argv[1]))
assert r["alerts"] == [], r["alerts"]
assert len(r["resolved"]) == int(sys.argv[2]), (len(r["resolved"]), sys.argv[2])
assert all(a["status"] == "resolved" and a["policy"] == "stale-access-key" and a["last_seen"] > 0 for a in r["resolved"]), r["resolved"][0]
assert r["summary"]["resolved"] == int(sys.argv[2]), r["summary"]
PY
grep -q '"alerts": {}' "$state" || { echo "FAIL resolved alerts are still remembered"; fail=1; }
snap=$tmp/fixed check -f "$state" --policy stale-access-key --until $((captured + 2 * day)) --format json -q >"$tmp/out" 2>&1
grep -q '"resolved": \[\]' "$tmp/out" || { echo "FAIL an alert resolved twice"; fail=1; }
# Text lists resolved events only when asked.
state=$tmp/resolved-text.json
check -f "$state" --policy stale-access-key --until $captured -q >/dev/null 2>&1
snap=$tmp/fixed check -f "$state" --policy stale-access-key --until $((captured + day)) --show-resolved --dry-run -q >"$tmp/out" 2>&1
grep -q "^resolved  (" "$tmp/out" || { echo "FAIL --show-resolved"; cat "$tmp/out"; fail=1; }
snap=$tmp/fixed check -f "$state" --policy stale-access-key --until $((captured + day)) --dry-run -q >"$tmp/out" 2>&1
grep -q "resolved" "$tmp/out" && { echo "FAIL text shows resolved events unasked"; fail=1; }
# An event policy (over `changed`) never resolves: its alert was a change, not a condition.
state=$tmp/events.json
check -f "$state" --policy secgroups -q >/dev/null 2>&1
check -f "$state" --policy secgroups --until $((captured + day)) --format json -q >"$tmp/out" 2>&1
grep -q '"resolved": \[\]' "$tmp/out" || { echo "FAIL a change-based alert resolved"; fail=1; }

# --- A collection the source does not have: the policies reading it are not evaluated
# (named on stderr and in the outputs, their windows unmoved), the others run; exit 6.
mkdir -p "$tmp/nodb" && cp examples/snapshot/* "$tmp/nodb/" && rm "$tmp/nodb/aws.databases.json"
state=$tmp/partial.json
snap=$tmp/nodb check -f "$state" --format json >"$tmp/out" 2>"$tmp/err"; expect "a snapshot without aws.databases" 6 $?
grep -q "reddalert: policy database-public was not evaluated: the snapshot has no aws.databases; its window did not move" "$tmp/err" \
  || { echo "FAIL not-evaluated message"; cat "$tmp/err"; fail=1; }
grep -q "(5 not evaluated)" "$tmp/err" || { echo "FAIL summary count of not evaluated"; fail=1; }
py "$tmp/out" "$state" <<'PY' || { echo "FAIL not evaluated in json and state"; fail=1; }
import json, sys
r = json.load(open(sys.argv[1]))
ne = r["summary"]["not_evaluated"]
assert {"policy": "database-public", "reason": "the snapshot has no aws.databases"} in ne, r["summary"]
assert len(ne) == 5 and all(n["reason"] == "the snapshot has no aws.databases" for n in ne), ne  # policies/rds/*
assert r["alerts"], "the other policies report"
assert all(a["policy"] != "database-public" and not a["policy"].startswith("rds-") for a in r["alerts"])
s = json.load(open(sys.argv[2]))
assert "until" not in s["policies"].get("database-public", {}), s["policies"].get("database-public")
assert s["policies"]["elbs"]["until"], s["policies"]["elbs"]
PY
for f in sarif junit ndjson text; do
  snap=$tmp/nodb check --format $f -q >"$tmp/out.$f" 2>/dev/null
  grep -q "database-public" "$tmp/out.$f" || { echo "FAIL --format $f does not name the policy not evaluated"; fail=1; }
done
# The same from an EDDA without the RDS crawler (HTTP 400 "invalid collection").
/usr/bin/python3 "$here/edda_server.py" --dir "$tmp/nodb" --port 0 --port-file "$tmp/edda.port" >/dev/null 2>"$tmp/edda.log" &
pids+=($!)
wait_for "$tmp/edda.port"
"$bin" check -c /dev/null policies --edda "http://127.0.0.1:$(cat "$tmp/edda.port")/edda" --since 1764115200000 --until $captured --format json \
  >"$tmp/out" 2>"$tmp/err"; expect "an EDDA without aws.databases" 6 $?
grep -q "reddalert: policy database-public was not evaluated: EDDA does not serve aws.databases" "$tmp/err" \
  || { echo "FAIL EDDA not-evaluated message"; cat "$tmp/err"; fail=1; }
snap=$tmp/nodb check --since 1764115200000 --until $captured --format json -q >"$tmp/snap.json" 2>/dev/null
py "$tmp/out" "$tmp/snap.json" <<'PY' || { echo "FAIL snapshot and EDDA disagree"; fail=1; }
import json, sys
e, s = (json.load(open(p)) for p in sys.argv[1:3])
assert [a["fingerprint"] for a in e["alerts"]] == [a["fingerprint"] for a in s["alerts"]]
assert [n["policy"] for n in e["summary"]["not_evaluated"]] == [n["policy"] for n in s["summary"]["not_evaluated"]]
PY

# --- The snapshot manifest is validated: a bad time or a misspelled key is exit 3, not a
# window silently widened to 1970 .. now.
mkdir -p "$tmp/badmanifest" && cp examples/snapshot/*.json "$tmp/badmanifest/"
for manifest in '{"since": "yesterday", "captured_at": 1764547200000}' '{"captured": 1764547200000}' \
                '{"since": 1e300}' '{"since": 1764547200001, "captured_at": 1764547200000}'; do
  printf '%s\n' "$manifest" >"$tmp/badmanifest/manifest.json"
  snap=$tmp/badmanifest check -q >/dev/null 2>"$tmp/err"; expect "manifest $manifest" 3 $?
  grep -q "^reddalert: snapshot: $tmp/badmanifest/manifest.json: " "$tmp/err" || { echo "FAIL manifest message"; cat "$tmp/err"; fail=1; }
done
grep -q "did you mean \`captured_at\`" <(printf '{"capturd_at": 1}\n' >"$tmp/badmanifest/manifest.json"; snap=$tmp/badmanifest check -q 2>&1) \
  || { echo "FAIL no did-you-mean for a misspelled manifest key"; fail=1; }
printf '{"since": "2025-11-26T00:00:00Z", "captured_at": "2025-12-01"}\n' >"$tmp/badmanifest/manifest.json"
snap=$tmp/badmanifest check -q >/dev/null 2>&1; expect "ISO 8601 times in a manifest" 1 $?

# --- Alerts within a policy come out sorted by id, whatever the source's order.
check --format json -q >"$tmp/out" 2>/dev/null
py "$tmp/out" <<'PY' || { echo "FAIL alerts are not sorted by id within their policy"; fail=1; }
import json, sys, itertools
r = json.load(open(sys.argv[1]))
for policy, group in itertools.groupby(r["alerts"], key=lambda a: a["policy"]):
    ids = [a["id"] for a in group]
    assert ids == sorted(ids), (policy, ids)
PY

# --- A null alert id is a run-time problem, not one alert merging unrelated resources.
mkdir -p "$tmp/nullid"
cat >"$tmp/nullid/p.policy" <<'POLICY'
reddalert 1
policy null-id {
  title "t"
  severity low
  description "d"
  for sg in aws.securityGroups
  alert sg["noSuchField"]
  message "{sg.groupId}"
}
POLICY
"$bin" check -c /dev/null "$tmp/nullid" --snapshot examples/snapshot -q >"$tmp/out" 2>"$tmp/err"; expect "a null alert id" 5 $?
grep -q "the alert id is null" "$tmp/err" || { echo "FAIL null id message"; cat "$tmp/err"; fail=1; }
[ -s "$tmp/out" ] && { echo "FAIL alerts with a null id were emitted"; fail=1; }

# --- --policy takes one name (or a comma list); a path after it stays a path.
"$bin" check -c /dev/null --policy elbs policies/ --snapshot examples/snapshot -q --format tsv >"$tmp/out" 2>&1
expect "--policy NAME PATH" 1 $?
"$bin" check -c /dev/null --policy elbs,ami policies/ --snapshot examples/snapshot -q --format tsv >"$tmp/out" 2>&1
expect "--policy A,B" 1 $?
[ "$(cut -f1 "$tmp/out" | sort -u | tr '\n' ' ')" = "ami elbs " ] || { echo "FAIL --policy elbs,ami ran $(cut -f1 "$tmp/out" | sort -u | tr '\n' ' ')"; fail=1; }

# --- lint and check agree on the configuration; lint of one file ignores the others.
printf 'snapshot: examples/snapshot\nedda: http://127.0.0.1:1/edda\n' >"$tmp/both.yaml"
"$bin" lint -c "$tmp/both.yaml" policies >"$tmp/out" 2>&1; expect "lint with two data sources" 2 $?
grep -q "both.yaml:2:1: error\[E0402\]: \`edda\` and \`snapshot\` are both set" "$tmp/out" || { echo "FAIL two sources message"; cat "$tmp/out"; fail=1; }
"$bin" check -c "$tmp/both.yaml" policies >"$tmp/out" 2>&1; expect "check with two data sources" 2 $?
grep -q "both.yaml:2:1: error\[E0402\]" "$tmp/out" || { echo "FAIL check does not name the line"; cat "$tmp/out"; fail=1; }
"$bin" lint --strict -c etc/reddalert.yaml policies/ami.policy >"$tmp/out" 2>&1; expect "lint --strict of one file" 0 $?

# --- Delivery, exactly once per output. What an output is about to take is written to the
# status file before it is sent anything.
# A status file on a full filesystem (a tmpfs in a private mount namespace): the commit
# before delivery fails, so nothing is sent; the next run, with space again, sends once.
mkdir -p "$tmp/full"
printf 'snapshot: examples/snapshot\npolicies: [policies/]\nstate: %s/full/state.json\noutput: [file]\nfile: %s/full.ndjson\n' \
  "$tmp" "$tmp" >"$tmp/full.yaml"
unshare -rm bash -c '
  mount -t tmpfs -o size=256k tmpfs "$1" || exit 77
  head -c 250000 /dev/zero >"$1/filler"  # leaves two pages: the lock file fits, the state does not
  "$2" check -c "$3" -q >/dev/null 2>"$4/full.err1"; echo $? >"$4/full.rc1"
  cp "$4/full.ndjson" "$4/full.after1" 2>/dev/null || : >"$4/full.after1"
  rm "$1/filler"
  "$2" check -c "$3" -q >/dev/null 2>"$4/full.err2"; echo $? >"$4/full.rc2"
  "$2" check -c "$3" -q >/dev/null 2>"$4/full.err3"; echo $? >"$4/full.rc3"
' _ "$tmp/full" "$bin" "$tmp/full.yaml" "$tmp"
if [ $? = 77 ]; then
  echo "FAIL cannot mount a tmpfs in a user namespace here"; fail=1
else
  expect "full filesystem: the commit fails" 3 "$(cat "$tmp/full.rc1")"
  grep -q "No space left on device" "$tmp/full.err1" || { echo "FAIL the full disk is not named"; cat "$tmp/full.err1"; fail=1; }
  [ -s "$tmp/full.after1" ] && { echo "FAIL alerts were delivered by a run that could not commit"; fail=1; }
  expect "with space again: delivered" 1 "$(cat "$tmp/full.rc2")"
  expect "then nothing new" 0 "$(cat "$tmp/full.rc3")"
  count=$(check --format ndjson -q 2>/dev/null | wc -l)
  [ "$(wc -l <"$tmp/full.ndjson")" = "$count" ] || { echo "FAIL the file holds $(wc -l <"$tmp/full.ndjson") lines, want $count"; fail=1; }
fi

# A run killed while an output is being sent: the outputs it had finished are not sent
# again; the one it was sending gets the alerts at the next run.
/usr/bin/python3 "$here/http_recorder.py" --port 0 --port-file "$tmp/http.port" --log "$tmp/http.log" --mode slow \
  --slow-seconds 30 >/dev/null 2>"$tmp/http.err" &
pids+=($!)
wait_for "$tmp/http.port"
http=$(cat "$tmp/http.port")
printf 'snapshot: examples/snapshot\npolicies: [policies/]\nstate: %s/killed.json\noutput: [file, webhook]\nfile: %s/killed.ndjson\nhttp: {timeout: 60s, retries: 0}\nwebhook: {url: "http://127.0.0.1:%s/hooks/x"}\n' \
  "$tmp" "$tmp" "$http" >"$tmp/killed.yaml"
"$bin" check -c "$tmp/killed.yaml" -q >/dev/null 2>&1 &
run=$!
for _ in $(seq 600); do grep -q '/hooks/x' "$tmp/http.log" 2>/dev/null && break; sleep 0.05; done
kill -9 $run; wait $run 2>/dev/null
lines=$(wc -l <"$tmp/killed.ndjson")
[ "$lines" -gt 0 ] || { echo "FAIL the file output was not sent before the kill"; fail=1; }
/usr/bin/python3 -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1]).read()" "http://127.0.0.1:$http/__control/mode/ok"
"$bin" check -c "$tmp/killed.yaml" -q >/dev/null 2>"$tmp/err"; expect "the run after the kill" 0 $?
[ "$(wc -l <"$tmp/killed.ndjson")" = "$lines" ] || { echo "FAIL the file output received the alerts twice"; fail=1; }
[ "$(grep -c '/hooks/x' "$tmp/http.log")" = 2 ] || { echo "FAIL the webhook was not sent the alerts again"; fail=1; }
grep -q '"pending"' "$tmp/killed.json" && { echo "FAIL alerts still pending"; fail=1; }

exit $fail
