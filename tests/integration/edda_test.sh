#!/usr/bin/env bash
# `check --edda` and `snapshot --edda` against a real HTTP server on 127.0.0.1 that
# serves examples/snapshot with EDDA's URL grammar, time semantics and failures
# (tests/integration/edda_server.py).
set -uo pipefail
bin=$1
source "$(dirname "$0")/common.sh"

/usr/bin/python3 "$here/edda_server.py" --dir examples/snapshot --port 0 --context /edda --port-file "$tmp/port" \
  --slow-seconds 20 >/dev/null 2>"$tmp/server.log" &
pids+=($!)
wait_for "$tmp/port"
port=$(cat "$tmp/port")
edda="http://127.0.0.1:$port/edda"
control() { /usr/bin/python3 -c "import urllib.request,sys; print(urllib.request.urlopen(sys.argv[1]).read().decode())" "http://127.0.0.1:$port/__control/$1"; }
window=(--since 1764115200000 --until 1764547200000)
alerts() {  # the alerts of a JSON report as sorted "policy|id|messages" lines
  /usr/bin/python3 -c "import json,sys; [print(a['policy'], a['id'], sorted(a['messages']), sep='|') for a in json.load(open(sys.argv[1]))['alerts']]" "$1" | sort
}

# The same alerts from EDDA as from the snapshot it serves.
"$bin" check -c /dev/null policies --snapshot examples/snapshot "${window[@]}" --format json -q >"$tmp/snap.json"; expect "check on the snapshot" 1 $?
control reset >/dev/null
"$bin" check -c /dev/null policies --edda "$edda" "${window[@]}" --format json -q >"$tmp/edda.json" 2>"$tmp/err"; expect "check on EDDA" 1 $?
alerts "$tmp/snap.json" >"$tmp/a.snap"; alerts "$tmp/edda.json" >"$tmp/a.edda"
if ! cmp -s "$tmp/a.snap" "$tmp/a.edda" || [ ! -s "$tmp/a.snap" ]; then echo "FAIL EDDA and snapshot alerts differ"; diff "$tmp/a.snap" "$tmp/a.edda"; fail=1; fi
# One request per view and collection: 9 collections; current, changed and previous where needed.
requests=$(control requests | /usr/bin/python3 -c "import json,sys; r=json.load(sys.stdin); print(len(r)); assert all(';_expand;_meta' in p for p in r), r")
[ "$requests" -ge 9 ] && [ "$requests" -le 27 ] || { echo "FAIL $requests EDDA requests for one run"; fail=1; }
control requests | grep -q "_updated" || { echo "FAIL no ;_updated query for changed views"; fail=1; }
# libcurl is loaded on the first request (src/net/libcurl.hpp): by a run on EDDA, not by one
# on a snapshot.
LD_DEBUG=files "$bin" check -c /dev/null policies --edda "$edda" "${window[@]}" -q >/dev/null 2>"$tmp/ld"
grep -q "file=libcurl.so.4 .*dynamically loaded" "$tmp/ld" || { echo "FAIL libcurl not loaded for EDDA"; fail=1; }
LD_DEBUG=files "$bin" check -c /dev/null policies --snapshot examples/snapshot "${window[@]}" -q >/dev/null 2>"$tmp/ld"
if grep -q "libcurl" "$tmp/ld"; then echo "FAIL libcurl loaded for a snapshot run"; fail=1; fi

# snapshot --edda records a snapshot that gives the same alerts.
"$bin" snapshot --edda "$edda" --out "$tmp/recorded" 2>"$tmp/err"; expect "snapshot --edda" 0 $?
grep -q "collections recorded" "$tmp/err" || { echo "FAIL snapshot summary"; cat "$tmp/err"; fail=1; }
"$bin" check -c /dev/null policies --snapshot "$tmp/recorded" "${window[@]}" --format json -q >"$tmp/rec.json"; expect "check on the recorded snapshot" 1 $?
alerts "$tmp/rec.json" >"$tmp/a.rec"
cmp -s "$tmp/a.snap" "$tmp/a.rec" || { echo "FAIL recorded snapshot alerts differ"; diff "$tmp/a.snap" "$tmp/a.rec"; fail=1; }

# Failures: one line, exit 3, the status file left as it was.
state="$tmp/state.json"
"$bin" check -c /dev/null policies --edda "$edda" "${window[@]}" -f "$state" -q >/dev/null 2>&1; expect "a run that commits" 1 $?
cp "$state" "$tmp/state.before"
printf 'http: {timeout: 2s, connect_timeout: 1s, retries: 1}\n' >"$tmp/fast.yaml"
failing() {  # failing MODE WHAT_THE_MESSAGE_SAYS
  control "fail-mode/$1" >/dev/null
  "$bin" check -c "$tmp/fast.yaml" policies --edda "$edda" "${window[@]}" -f "$state" >"$tmp/out" 2>"$tmp/err"
  expect "EDDA $1" 3 $?
  grep -q "$2" "$tmp/err" || { echo "FAIL EDDA $1: message"; cat "$tmp/err"; fail=1; }
  [ "$(grep -c . "$tmp/err")" -le 2 ] || { echo "FAIL EDDA $1: more than a line or two"; cat "$tmp/err"; fail=1; }
  cmp -s "$state" "$tmp/state.before" || { echo "FAIL EDDA $1 changed the status file"; fail=1; }
  [ -s "$tmp/out" ] && { echo "FAIL EDDA $1 printed alerts"; fail=1; }
}
failing 500 "HTTP 500 (after 2 attempts): an HTML error page"
failing json500 "HTTP 500 (after 2 attempts): query failed"
failing html "HTML instead of JSON"
failing truncated "invalid JSON (at byte"
failing close "EDDA unreachable"
failing slow "EDDA unreachable: Timeout"
control fail-mode/flaky >/dev/null
"$bin" check -c /dev/null policies --edda "$edda" "${window[@]}" -q >/dev/null 2>"$tmp/err"; expect "EDDA flaky: retried" 1 $?
control fail-mode/empty >/dev/null
"$bin" check -c /dev/null policies --edda "$edda" "${window[@]}" >/dev/null 2>"$tmp/err"; expect "EDDA empty answers" 0 $?
grep -q "EDDA returned no aws.securityGroups documents at all" "$tmp/err" || { echo "FAIL empty answer not reported"; cat "$tmp/err"; fail=1; }
control fail-mode/none >/dev/null
kill "${pids[0]}"; wait "${pids[0]}" 2>/dev/null; pids=()
"$bin" check -c "$tmp/fast.yaml" policies --edda "$edda" "${window[@]}" -f "$state" >/dev/null 2>"$tmp/err"; expect "EDDA down" 3 $?
grep -q "EDDA unreachable: Couldn't connect to server" "$tmp/err" || { echo "FAIL EDDA down message"; cat "$tmp/err"; fail=1; }
cmp -s "$state" "$tmp/state.before" || { echo "FAIL EDDA down changed the status file"; fail=1; }
"$bin" check -c /dev/null policies --edda "$edda" --snapshot examples/snapshot >/dev/null 2>"$tmp/err"; expect "two data sources" 2 $?
exit $fail
