#!/usr/bin/env bash
# The engine's bounds and threads, end to end: hostile documents are data errors (exit 3)
# with their cause, hostile policies hit a budget and are run-time problems (exit 5) while
# other policies' alerts are still emitted, and the output is the same for any --jobs.
set -uo pipefail
bin=$1
source "$(dirname "$0")/common.sh"

snapshot() {  # snapshot DIR COLLECTION TEXT: a one-collection snapshot
  mkdir -p "$1" && printf '%s' "$3" >"$1/$2.json" && echo '{"captured_at": 1764547200000, "since": 0}' >"$1/manifest.json"
}

# A document nested 100,000 deep: a data error, not a crash or gigabytes of memory (200 MB;
# four times that under AddressSanitizer, which measured 202 MB for it once).
/usr/bin/python3 -c "print('[{\"groupId\": \"sg-1\", \"x\": ' + '[' * 100000 + ']' * 100000 + '}]')" >"$tmp/deep.json"
mkdir -p "$tmp/deep" && mv "$tmp/deep.json" "$tmp/deep/aws.securityGroups.json"
/usr/bin/time -f "%M" -o "$tmp/deep.rss" "$bin" check -c /dev/null policies --snapshot "$tmp/deep" --policy secgroups \
  >"$tmp/out" 2>"$tmp/err"
expect "a document nested 100,000 deep" 3 $?
grep -q "aws.securityGroups.json: invalid JSON at byte 1: a document nested deeper than 256 levels" "$tmp/err" \
  || { echo "FAIL deep document cause"; cat "$tmp/err"; fail=1; }
[ "$(tail -n 1 "$tmp/deep.rss")" -lt "$([ -n "${ASAN_OPTIONS:-}" ] && echo 800000 || echo 200000)" ] || { echo "FAIL the deep document took $(tail -n 1 "$tmp/deep.rss") kB"; fail=1; }

# Numbers out of range anywhere in a document, or as a revision's time.
snapshot "$tmp/big" aws.securityGroups '[{"groupId": "sg-1", "ipPermissions": [{"fromPort": 1e400}]}]'
"$bin" check -c /dev/null policies --snapshot "$tmp/big" --policy secgroups >"$tmp/out" 2>"$tmp/err"
expect "1e400 in a document" 3 $?
grep -q "invalid JSON at byte 1: a number that is malformed or out of range" "$tmp/err" || { echo "FAIL 1e400 cause"; cat "$tmp/err"; fail=1; }
snapshot "$tmp/stime" aws.securityGroups '[{"id": "sg-1", "stime": 1e300, "ltime": null, "data": {"groupId": "sg-1"}}]'
"$bin" check -c /dev/null policies --snapshot "$tmp/stime" --policy secgroups >"$tmp/out" 2>"$tmp/err"
expect "a revision time of 1e300" 3 $?
grep -q "\`stime\` 1e+300 is not a time in milliseconds" "$tmp/err" || { echo "FAIL stime cause"; cat "$tmp/err"; fail=1; }

# A policy that would run for hours: its budget stops it, the other policy still alerts.
mkdir -p "$tmp/hostile"
cat >"$tmp/hostile/hostile.policy" <<'EOF'
reddalert 1
policy quadratic {
  title "t"
  severity low
  description "Every pair of pairs of rules, per group."
  for sg in aws.securityGroups
  let n = count(a in sg.ipPermissions: count(b in sg.ipPermissions: count(c in sg.ipPermissions: true) > 0) > 0)
  where n > 0
  alert sg.groupId
  message "{n}"
}
policy fine {
  title "t"
  severity low
  description "Every group."
  for sg in aws.securityGroups
  alert sg.groupId
  message "ok"
}
EOF
/usr/bin/python3 -c "
import json
rules = [{'fromPort': i, 'toPort': i, 'ipProtocol': 'tcp', 'ipRanges': []} for i in range(100)]
print(json.dumps([{'groupId': 'sg-%d' % g, 'ipPermissions': rules} for g in range(3)]))" >"$tmp/rules.json"
snapshot "$tmp/many" aws.securityGroups "$(cat "$tmp/rules.json")"
"$bin" check -c /dev/null "$tmp/hostile" --snapshot "$tmp/many" --max-steps 100000 --format tsv >"$tmp/out" 2>"$tmp/err"
expect "a budget of 100000 steps" 5 $?
grep -q "run-time problem in policy quadratic at .*hostile.policy:7:.*evaluation budget of 100000 steps exceeded (set limits.max_steps or --max-steps to allow more) (3 times)" "$tmp/err" \
  || { echo "FAIL budget problem"; cat "$tmp/err"; fail=1; }
[ "$(grep -c '^fine' "$tmp/out")" = 3 ] || { echo "FAIL the other policy's alerts"; cat "$tmp/out"; fail=1; }
"$bin" check -c /dev/null "$tmp/hostile" --snapshot "$tmp/many" --policy quadratic --format tsv -q >"$tmp/out" 2>"$tmp/err"
expect "the default budget allows a million steps per document" 1 $?
[ "$(grep -c '^quadratic' "$tmp/out")" = 3 ] || { echo "FAIL the quadratic policy with the default budget"; fail=1; }

# Memory: a policy doubling a string per clause stops at limits.max_memory.
cat >"$tmp/hostile/memory.policy" <<'EOF'
reddalert 1
policy doubling {
  title "t"
  severity low
  description "A string of 2^24 bytes, per group."
  for sg in aws.securityGroups
  let s0 = "0123456789abcdef"
  let s1 = s0 + s0 + s0 + s0 + s0 + s0 + s0 + s0 + s0 + s0 + s0 + s0 + s0 + s0 + s0 + s0
  let s2 = s1 + s1 + s1 + s1 + s1 + s1 + s1 + s1 + s1 + s1 + s1 + s1 + s1 + s1 + s1 + s1
  let s3 = s2 + s2 + s2 + s2 + s2 + s2 + s2 + s2 + s2 + s2 + s2 + s2 + s2 + s2 + s2 + s2
  let s4 = s3 + s3 + s3 + s3 + s3 + s3 + s3 + s3 + s3 + s3 + s3 + s3 + s3 + s3 + s3 + s3
  let s5 = s4 + s4 + s4 + s4 + s4 + s4 + s4 + s4 + s4 + s4 + s4 + s4 + s4 + s4 + s4 + s4
  where len(s5) > 0
  alert sg.groupId
  message "{len(s5)}"
}
EOF
printf 'limits:\n  max_memory: 4MiB\n' >"$tmp/limits.yaml"
"$bin" check -c "$tmp/limits.yaml" "$tmp/hostile" --policy doubling --snapshot "$tmp/many" >"$tmp/out" 2>"$tmp/err"
expect "limits.max_memory" 5 $?
grep -q "evaluation used more than 4194304 bytes for one document (set limits.max_memory" "$tmp/err" \
  || { echo "FAIL memory problem"; cat "$tmp/err"; fail=1; }
printf 'limits:\n  max_memory: 4GB\n' >"$tmp/bad-limits.yaml"
"$bin" check -c "$tmp/bad-limits.yaml" "$tmp/hostile" --snapshot "$tmp/many" >"$tmp/out" 2>&1
expect "a malformed limit" 2 $?
grep -q "bad-limits.yaml:2:15: error\[E0402\]: \`limits.max_memory\` must be a size such as 512MiB or 1GiB" "$tmp/out" \
  || { echo "FAIL limit error"; cat "$tmp/out"; fail=1; }

# Text: a list of 100 references to a 1 MiB string is 1.6 kB as a value; as text (joined,
# interpolated, or as an alert's details) it would be 100 MiB, which limits.max_memory
# bounds too. Each run stays small and says which limit stopped it.
cat >"$tmp/hostile/text.policy" <<'EOF'
reddalert 1
def mib(s) = s + s + s + s + s + s + s + s + s + s + s + s + s + s + s + s
policy joined {
  title "t"
  severity low
  description "100 MiB of text from 1 MiB of values."
  for sg in aws.securityGroups
  let s = mib(mib(mib(mib("0123456789abcdef"))))
  let many = [s for _rule in sg.ipPermissions]
  where len(join(many, "")) > 0
  alert sg.groupId
  message "joined"
}
policy detailed {
  title "t"
  severity low
  description "The same as an alert's details."
  for sg in aws.securityGroups
  let s = mib(mib(mib(mib("0123456789abcdef"))))
  alert sg.groupId
  message "detailed"
  details {many: [s for _rule in sg.ipPermissions]}
}
EOF
printf 'limits:\n  max_memory: 16MiB\n' >"$tmp/text-limits.yaml"
# 150 MB; four times that under AddressSanitizer (the sanitize preset sets ASAN_OPTIONS),
# whose shadow memory and quarantine multiply a run's footprint (a 16 MiB text is about
# 250 MB there). Before the bound, the details alone took 690 MB on the release build.
text_rss=$([ -n "${ASAN_OPTIONS:-}" ] && echo 600000 || echo 150000)
/usr/bin/time -f "%M" -o "$tmp/joined.rss" "$bin" check -c "$tmp/text-limits.yaml" "$tmp/hostile" --policy joined \
  --snapshot "$tmp/many" --format tsv >"$tmp/out" 2>"$tmp/err"
expect "text past limits.max_memory" 5 $?
grep -q "run-time problem in policy joined at .*text.policy:7:3 (resource sg-0): evaluation used more than 16777216 bytes for one document (set limits.max_memory to allow more) (3 times)" "$tmp/err" \
  || { echo "FAIL joined text problem"; cat "$tmp/err"; fail=1; }
[ "$(tail -n 1 "$tmp/joined.rss")" -lt "$text_rss" ] || { echo "FAIL joining took $(tail -n 1 "$tmp/joined.rss") kB"; fail=1; }
/usr/bin/time -f "%M" -o "$tmp/detailed.rss" "$bin" check -c "$tmp/text-limits.yaml" "$tmp/hostile" --policy detailed \
  --snapshot "$tmp/many" --format tsv >"$tmp/out" 2>"$tmp/err"
expect "details past limits.max_memory" 5 $?
grep -q "run-time problem in policy detailed at .*text.policy:14:8 (resource sg-0): the details of this alert are more than 16777216 bytes of text and were left out (set limits.max_memory to allow more) (3 times)" "$tmp/err" \
  || { echo "FAIL details problem"; cat "$tmp/err"; fail=1; }
[ "$(grep -c '^detailed' "$tmp/out")" = 3 ] || { echo "FAIL the alerts without their details"; cat "$tmp/out"; fail=1; }
[ "$(tail -n 1 "$tmp/detailed.rss")" -lt "$text_rss" ] || { echo "FAIL the details took $(tail -n 1 "$tmp/detailed.rss") kB"; fail=1; }

# Threads change nothing in the output.
for j in 1 2 3; do
  "$bin" check policies --snapshot examples/snapshot --since 0 --format json -q --jobs "$j" | grep -v '"seconds"' >"$tmp/jobs-$j.json"
done
cmp -s "$tmp/jobs-1.json" "$tmp/jobs-2.json" && cmp -s "$tmp/jobs-1.json" "$tmp/jobs-3.json" \
  || { echo "FAIL --jobs changes the output"; diff "$tmp/jobs-1.json" "$tmp/jobs-2.json" | head; fail=1; }
[ "$(grep -c '"policy_fingerprint"' "$tmp/jobs-1.json")" -gt 20 ] || { echo "FAIL too few alerts to compare"; fail=1; }

exit $fail
