#!/usr/bin/env bash
# Every benchmark of bench/results.md, side by side in one run, with ratios (absolute times
# on a shared machine drift; ratios of commands run together much less).
#
#   bench/compare.sh            # after `cmake --build --preset default`
#   RUNS=5 SCALE="100000" bench/compare.sh
#
#   W1       20,000 security groups as EDDA serves them (bench/gen_w1.py) and one rule (bench/w1/):
#            reddalert, jq 1.6, cfn-guard 3 and Python's json module; all must find the same
#            violations. The simdjson parse floor of the same file beside them.
#   Scale    `check` with three policies on the mixed snapshots of bench/gen_snapshot.py against
#            the parse floor (bench/parse_floor.cpp, simdjson's DOM parser on the same files).
#   Allocs   heap allocations per binding of the shipped secgroups policy (bench/engine_probe.cpp).
#   Joins    bench/policies/naive_join.policy with the planner's hash index and without.
#   Answers  every shipped policy on the 100k snapshot, each alert's facts compared with those of
#            the commit before the engine was rebuilt (BASELINE), built here once.
#   Before   W1 and the 100k scale run again with BASELINE's binary, with the ratios.
#
# CPU is the task-clock of `perf stat` (user + system, all threads), the lowest of RUNS runs;
# wall time the lowest; peak RSS the highest (/usr/bin/time's maximum resident set size).
# Needs: jq, perf (linux-perf), /usr/bin/time, npm (cfn-guard ships in the npm package
# @cdklabs/cdk-validator-cfnguard, fetched once into the cache). Tables go to stdout,
# progress to stderr.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"  # settings; note, measure, bytes_of, snapshot
RUNS_LARGE=${RUNS_LARGE:-2}  # runs at 1M documents and more
SCALE=${SCALE:-"100000 1000000"}
BASELINE=${BASELINE:-6ef3aa5}  # main before issue 8 (the engine rebuilt)
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/reddalert-bench
CFN_GUARD_PACKAGE="@cdklabs/cdk-validator-cfnguard@0.0.62"  # ships cfn-guard 3.1.1
FLOOR=$ROOT/build/bench/parse_floor
PROBE=$ROOT/build/bench/engine_probe
mkdir -p "$CACHE"

for exe in "$BIN" "$FLOOR" "$PROBE" /usr/bin/time "$PY"; do
  [[ -x $exe ]] || { echo "compare.sh: not executable: $exe (build first)" >&2; exit 2; }
done
needs jq perf npm git

echo "# bench/compare.sh, $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo '```'
echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ { print $2 }') GiB"
"$BIN" version | head -1
jq --version
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo '```'

# ---- W1 -------------------------------------------------------------------------------------
W1=$DATA/reddalert-w1-20000
if [[ ! -d $W1 ]]; then
  note "generating $W1"
  "$PY" bench/gen_w1.py --groups 20000 --out "$W1.partial" && mv "$W1.partial" "$W1"
fi
CFN=$CACHE/package/bin/ubuntu/x86_64/cfn-guard
if [[ ! -x $CFN ]]; then
  note "fetching cfn-guard ($CFN_GUARD_PACKAGE) into $CACHE"
  (cd "$CACHE" && npm pack --silent "$CFN_GUARD_PACKAGE" >/dev/null && tar xzf cdklabs-cdk-validator-cfnguard-*.tgz)
fi
w1_file=$W1/aws.securityGroups.json
w1_bytes=$(bytes_of "$W1")
note "W1: $w1_bytes bytes"
declare -A best_cpu best_wall best_rss
keep_best() {  # keep_best TOOL: the lowest CPU and wall time, the highest peak RSS of TOOL so far
  local t=$1
  if [[ -z ${best_cpu[$t]:-} ]] || awk -v a="$CPU_MS" -v b="${best_cpu[$t]}" 'BEGIN { exit !(a < b) }'; then
    best_cpu[$t]=$CPU_MS
  fi
  if [[ -z ${best_wall[$t]:-} ]] || awk -v a="$WALL" -v b="${best_wall[$t]}" 'BEGIN { exit !(a < b) }'; then
    best_wall[$t]=$WALL
  fi
  if ((RSS_KB > ${best_rss[$t]:-0})); then best_rss[$t]=$RSS_KB; fi
}
run_w1() {  # run_w1 TOOL: one run of TOOL on W1
  case $1 in
    reddalert) measure w1-$1 "0 1" "$BIN" check -c /dev/null bench/w1/w1.policy --snapshot "$W1" --format tsv -q ;;
    jq) measure w1-$1 0 jq -r -f bench/w1/w1.jq "$w1_file" ;;
    cfn-guard) measure w1-$1 "0 19" "$CFN" validate -r bench/w1/w1.guard -d "$w1_file" -o json -S none ;;
    python) measure w1-$1 0 "$PY" bench/w1/w1.py "$w1_file" ;;
    floor) measure w1-$1 0 "$FLOOR" "$W1" ;;
  esac
  keep_best "$1"
}
W1_TOOLS=(reddalert jq cfn-guard python floor)
RUNS_OF=1
for ((round = 0; round < RUNS; round++)); do  # interleaved, so that drift hits every tool alike
  for t in "${W1_TOOLS[@]}"; do run_w1 "$t"; done
done
unset RUNS_OF
# The same violations from every tool, as "groupId protocol fromPort toPort" lines.
awk -F'\t' '{ print $3, $4 }' "$LOG/w1-reddalert.out" | sort >"$LOG/w1-reddalert.txt"
sort "$LOG/w1-jq.out" >"$LOG/w1-jq.txt"
sort "$LOG/w1-python.out" >"$LOG/w1-python.txt"
"$PY" - "$LOG/w1-cfn-guard.out" "$w1_file" >"$LOG/w1-cfn-guard.txt" <<'EOF'
import json, re, sys
report, groups = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
found = set()
def walk(x):
    if isinstance(x, dict):
        for k, v in x.items():
            m = re.match(r"^/(\d+)/ipPermissions/(\d+)(/|$)", v) if k == "path" and isinstance(v, str) else None
            if m: found.add((int(m.group(1)), int(m.group(2))))
            walk(v)
    elif isinstance(x, list):
        for v in x: walk(v)
walk(report.get("not_compliant", []))
fmt = lambda v: "null" if v is None else str(v)
lines = []
for g, p in found:
    r = groups[g]["ipPermissions"][p]
    lines.append("%s %s %s %s" % (groups[g]["groupId"], r["ipProtocol"], fmt(r["fromPort"]), fmt(r["toPort"])))
print("\n".join(sorted(lines)))
EOF
violations=$(wc -l <"$LOG/w1-reddalert.txt")
same=yes
for t in jq python cfn-guard; do cmp -s "$LOG/w1-reddalert.txt" "$LOG/w1-$t.txt" || same="NO: $t differs"; done

echo
echo "## W1: 20,000 security groups ($w1_bytes bytes), one rule"
echo
echo "Violations found: $violations by each tool; the same set from all four: $same."
echo
echo "| tool | CPU ms | wall s | peak RSS MB | CPU / reddalert's | peak RSS / input |"
echo "|---|---:|---:|---:|---:|---:|"
for t in "${W1_TOOLS[@]}"; do
  label=$t
  [[ $t == floor ]] && label="simdjson parse floor"
  awk -v l="$label" -v c="${best_cpu[$t]}" -v w="${best_wall[$t]}" -v m="${best_rss[$t]}" -v o="${best_cpu[reddalert]}" \
    -v b="$w1_bytes" 'BEGIN { printf "| %s | %.1f | %.3f | %.1f | %.1f | %.2f |\n", l, c, w, m / 1024, c / o, m * 1024 / b }'
done

# ---- Scale ----------------------------------------------------------------------------------
echo
echo "## Scale: check against the simdjson parse floor"
echo
echo "\`check -c /dev/null policies bench/policies --policy secgroups --policy elbs --policy public-untagged"
echo "--snapshot DIR --since 0 --format json -q\`: every resource is \"changed\", most groups and ELBs alert."
echo
echo "| documents | snapshot bytes | check CPU s | floor CPU s | CPU ratio | check wall s | check peak RSS MB | RSS / bytes | alerts |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
declare -A scale_cpu scale_rss
for n in $SCALE; do
  dir=$(snapshot "$n")
  bytes=$(bytes_of "$dir")
  cat "$dir"/*.json >/dev/null  # into the page cache first: the runs measure CPU, not the disk
  runs=$RUNS
  ((n >= 1000000)) && runs=$RUNS_LARGE
  RUNS_OF=$runs measure "check-$n" "0 1" "$BIN" check -c /dev/null policies bench/policies --policy secgroups \
    --policy elbs --policy public-untagged --snapshot "$dir" --since 0 --format json -q
  cc=$CPU_MS cw=$WALL cr=$RSS_KB
  scale_cpu[$n]=$cc scale_rss[$n]=$cr
  alerts=$(grep -c '"policy_fingerprint"' "$LOG/check-$n.out" || true)
  RUNS_OF=$runs measure "floor-$n" 0 "$FLOOR" "$dir"
  fc=$CPU_MS
  awk -v n="$n" -v b="$bytes" -v cc="$cc" -v fc="$fc" -v cw="$cw" -v cr="$cr" -v a="$alerts" 'BEGIN {
    printf "| %d | %.0f | %.2f | %.2f | %.2f | %.2f | %.1f | %.2f | %d |\n",
      n, b, cc / 1000, fc / 1000, cc / fc, cw, cr / 1024, cr * 1024 / b, a }'
done
unset RUNS_OF

# ---- Allocations and joins --------------------------------------------------------------------
echo
echo "## Allocations per binding (shipped secgroups, evaluation only)"
echo
echo '```'
"$PROBE" allocations policies "$(snapshot 100000)"
echo '```'
echo
echo "## Joins: bench/policies/naive_join.policy, with the planner's index and scanning"
echo
echo '```'
"$PROBE" joins bench/policies/naive_join.policy "$(snapshot 10000)"
"$PROBE" joins bench/policies/naive_join.policy "$(snapshot 100000)"
echo '```'

# ---- Same answers -------------------------------------------------------------------------------
base_dir=$DATA/reddalert-baseline-$BASELINE
if [[ ! -x $base_dir/build/reddalert ]]; then
  note "building the baseline $BASELINE in $base_dir (once)"
  rm -rf "$base_dir"
  git worktree add --detach --force "$base_dir" "$BASELINE" >&2
  (cd "$base_dir" && cmake --preset default >/dev/null && cmake --build --preset default -j"$(nproc)" --target reddalert >&2)
fi
dir=$(snapshot 100000)
# What an alert says, in a fixed order: the report's format gained keys since the baseline
# (status, resolved events, not-evaluated policies) and alerts are now sorted by id.
alert_facts='[.alerts[] | {policy, id, severity, messages, details, resources, collection}] | sort_by(.policy, .id)'
"$BIN" check -c /dev/null policies --snapshot "$dir" --since 0 --format json -q 2>/dev/null | jq -S "$alert_facts" >"$LOG/answers-new.json" || true
# The baseline reads its own policies: the language has grown since (`key`), so it cannot
# parse today's; their rules are the same.
"$base_dir/build/reddalert" check -c /dev/null "$base_dir/policies" --snapshot "$dir" --since 0 --format json -q 2>/dev/null | jq -S "$alert_facts" >"$LOG/answers-base.json" || true
answers=$(jq length "$LOG/answers-new.json" || true)
identical=no
cmp -s "$LOG/answers-new.json" "$LOG/answers-base.json" && identical=yes
echo
echo "## Same answers"
echo
echo "Every shipped policy on the 100k snapshot (\`check -c /dev/null policies --since 0 --format json\`):"
echo "$answers alerts; the same alerts as $BASELINE's on its own policies (policy, id, severity, messages, details, resources, collection; sorted): $identical."

# ---- Before and after -----------------------------------------------------------------------
# The same runs with the baseline's binary (not at 1M: it needed 116 s and 13 GB there).
measure w1-baseline "0 1" "$base_dir/build/reddalert" check -c /dev/null bench/w1/w1.policy --snapshot "$W1" \
  --format tsv -q
bc=$CPU_MS br=$RSS_KB
cmp -s <(awk -F'\t' '{ print $3, $4 }' "$LOG/w1-baseline.out" | sort) "$LOG/w1-reddalert.txt" || {
  echo "compare.sh: the baseline finds other W1 violations" >&2
  exit 1
}
echo
echo "## Before and after: $BASELINE and this build, the same runs"
echo
echo "| run | $BASELINE CPU s | now CPU s | CPU, times less | $BASELINE peak RSS MB | now peak RSS MB | RSS, times less |"
echo "|---|---:|---:|---:|---:|---:|---:|"
row() { awk -v l="$1" -v bc="$2" -v nc="$3" -v br="$4" -v nr="$5" 'BEGIN {
  printf "| %s | %.3f | %.3f | %.1f | %.1f | %.1f | %.1f |\n", l, bc / 1000, nc / 1000, bc / nc, br / 1024, nr / 1024, br / nr }'; }
row "W1" "$bc" "${best_cpu[reddalert]}" "$br" "${best_rss[reddalert]}"
if [[ -n ${scale_cpu[100000]:-} ]]; then
  measure check-baseline-100000 "0 1" "$base_dir/build/reddalert" check -c /dev/null "$base_dir/policies" "$base_dir/bench/policies" \
    --policy secgroups --policy elbs --policy public-untagged --snapshot "$(snapshot 100000)" --since 0 --format json -q
  row "scale, 100k documents" "$CPU_MS" "${scale_cpu[100000]}" "$RSS_KB" "${scale_rss[100000]}"
fi
