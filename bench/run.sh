#!/usr/bin/env bash
# Benchmark `reddalert check` against a parse-only baseline on synthetic EDDA snapshots.
#
#   REDDALERT=build/reddalert JSON_PARSE_ONLY=build/bench/json_parse_only bench/run.sh [N ...]
#
# For every N (default: 10000 100000 1000000) this
#   1. generates /tmp/reddalert-bench-N with bench/gen_snapshot.py (skipped if it exists;
#      generation goes to a .partial directory first, so an interrupted run is not reused),
#   2. runs `reddalert check -c /dev/null policies bench/policies --policy secgroups --policy elbs --policy public-untagged --snapshot DIR --since 0 --format json -q`
#      (exit 1 = alerts found is fine) and `json_parse_only DIR`, each under /usr/bin/time -v,
#   3. prints one markdown table row: wall time (EPOCHREALTIME around the timed command)
#      and peak RSS (time -v "Maximum resident set size") of both, documents/s of check,
#      and check wall / parse-only wall ("evaluation overhead over parsing"),
#   and at the end a second table of CPU time (user + sys from time -v) of both.
#
# Environment:
#   REDDALERT, JSON_PARSE_ONLY  binaries (relative paths are taken from the current directory;
#                               defaults are build/reddalert and build/bench/json_parse_only
#                               under the repository root)
#   RUNS                        runs of each command per N (default 1); the tables show the
#                               lowest wall and CPU time and the highest peak RSS over the runs
#
# "MB" in the table is kB / 1024 of time -v's figure (i.e. MiB). Documents/s counts every
# document of the snapshot, also those of collections no benchmark policy reads.
#   BENCH_LOG_DIR               where the raw `time -v` output and stderr go
#                               (default /tmp/reddalert-bench-logs)
#
# The table goes to stdout; progress goes to stderr.
set -euo pipefail
export LC_ALL=C  # "." as the decimal point in $EPOCHREALTIME and awk

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

abs() { # absolute path of $1, resolved against the caller's directory
  case $1 in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$PWD/$1" ;; esac
}
REDDALERT=$(abs "${REDDALERT:-$ROOT/build/reddalert}")
JSON_PARSE_ONLY=$(abs "${JSON_PARSE_ONLY:-$ROOT/build/bench/json_parse_only}")
RUNS=${RUNS:-1}
LOG_DIR=$(abs "${BENCH_LOG_DIR:-/tmp/reddalert-bench-logs}")
PYTHON=/usr/bin/python3
TIME=/usr/bin/time

for exe in "$REDDALERT" "$JSON_PARSE_ONLY" "$TIME" "$PYTHON"; do
  [[ -x $exe ]] || { echo "run.sh: not executable: $exe" >&2; exit 2; }
done
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: RUNS must be a positive integer" >&2; exit 2; }

if (($# == 0)); then set -- 10000 100000 1000000; fi
for n in "$@"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: not a document count: $n" >&2; exit 2; }
done

cd "$ROOT"
mkdir -p "$LOG_DIR"

# Seconds from time -v's "Elapsed (wall clock) time (h:mm:ss or m:ss): ..." line.
wall_seconds() {
  sed -n 's/^[[:space:]]*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$1" |
    awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.3f\n", s }'
}
# User + system CPU seconds from time -v.
cpu_seconds() {
  awk -F': ' '/^[[:space:]]*(User|System) time \(seconds\)/ { s += $2 } END { printf "%.2f\n", s }' "$1"
}
# Kilobytes from time -v's "Maximum resident set size (kbytes): ..." line.
max_rss_kb() {
  sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$1"
}

# measure NAME OKCODES OUT CMD... -> sets WALL (s, min over runs), CPU (user+sys s, min over
# runs) and RSS_KB (max over runs).
# stdout of CMD goes to OUT, its stderr to $LOG_DIR/NAME.err, the time -v report to
# $LOG_DIR/NAME.time.
measure() {
  local name=$1 ok=$2 out=$3
  shift 3
  WALL="" CPU="" RSS_KB=0
  local run rc w tw c r t0 t1
  for ((run = 1; run <= RUNS; run++)); do
    rc=0
    t0=$EPOCHREALTIME
    "$TIME" -v -o "$LOG_DIR/$name.time" "$@" >"$out" 2>"$LOG_DIR/$name.err" || rc=$?
    t1=$EPOCHREALTIME
    if [[ " $ok " != *" $rc "* ]]; then
      echo "run.sh: $name exited with $rc (expected one of: $ok); stderr:" >&2
      tail -n 20 "$LOG_DIR/$name.err" >&2
      tail -n 25 "$LOG_DIR/$name.time" >&2
      exit 1
    fi
    # Wall time to the microsecond around /usr/bin/time (whose own report has 10 ms
    # resolution; it is logged alongside as a cross-check).
    w=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }')
    tw=$(wall_seconds "$LOG_DIR/$name.time")
    c=$(cpu_seconds "$LOG_DIR/$name.time")
    r=$(max_rss_kb "$LOG_DIR/$name.time")
    [[ -n $tw && -n $r ]] || { echo "run.sh: cannot read $LOG_DIR/$name.time" >&2; exit 1; }
    echo "  $name run $run/$RUNS ($(date -d "@${t0%.*}" +%T)-$(date -d "@${t1%.*}" +%T)): exit $rc, ${w}s wall (time -v: ${tw}s), ${c}s CPU, ${r} kB peak RSS" >&2
    if [[ -z $WALL ]] || awk -v a="$w" -v b="$WALL" 'BEGIN { exit !(a < b) }'; then WALL=$w; fi
    if [[ -z $CPU ]] || awk -v a="$c" -v b="$CPU" 'BEGIN { exit !(a < b) }'; then CPU=$c; fi
    if ((r > RSS_KB)); then RSS_KB=$r; fi
  done
}

CPU_ROWS=()
echo "| documents | snapshot bytes | check wall s | check peak RSS MB | documents/s | parse-only wall s | parse-only peak RSS MB | overhead ratio |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"

for n in "$@"; do
  dir=/tmp/reddalert-bench-$n
  if [[ -d $dir ]]; then
    echo "== $n: reusing $dir" >&2
  else
    echo "== $n: generating $dir" >&2
    rm -rf "$dir.partial"
    "$PYTHON" bench/gen_snapshot.py --docs "$n" --out "$dir.partial" >&2
    mv "$dir.partial" "$dir"
  fi
  # Other work on the machine skews the times: log the load average next to them.
  echo "   load average before measuring: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  bytes=$(find "$dir" -maxdepth 1 -name '*.json' -printf '%s\n' | awk '{ s += $1 } END { printf "%.0f\n", s }')

  measure "check-$n" "0 1" /dev/null "$REDDALERT" check -c /dev/null policies bench/policies --policy secgroups --policy elbs --policy public-untagged --snapshot "$dir" --since 0 --format json -q
  check_wall=$WALL check_cpu=$CPU check_rss=$RSS_KB
  measure "parse-$n" "0" "$LOG_DIR/parse-$n.out" "$JSON_PARSE_ONLY" "$dir"
  parse_wall=$WALL parse_cpu=$CPU parse_rss=$RSS_KB

  # The document count the baseline actually parsed (gen_snapshot.py is exact except for tiny N).
  docs=$(awk '/ documents$/ { print $1 }' "$LOG_DIR/parse-$n.out")
  [[ -n $docs ]] || { echo "run.sh: no document count from json_parse_only" >&2; exit 1; }
  [[ $docs == "$n" ]] || echo "run.sh: note: $n requested, $docs documents in $dir" >&2

  awk -v docs="$docs" -v bytes="$bytes" -v cw="$check_wall" -v cr="$check_rss" \
      -v pw="$parse_wall" -v pr="$parse_rss" 'BEGIN {
    dps   = cw > 0 ? sprintf("%.0f", docs / cw) : "n/a"
    ratio = pw > 0 ? sprintf("%.2f", cw / pw) : "n/a"
    printf "| %d | %.0f | %.2f | %.1f | %s | %.2f | %.1f | %s |\n", docs, bytes, cw, cr / 1024, dps, pw, pr / 1024, ratio
  }'
  CPU_ROWS+=("$(awk -v docs="$docs" -v cc="$check_cpu" -v pc="$parse_cpu" 'BEGIN {
    printf "| %d | %.2f | %.2f | %s |", docs, cc, pc, (pc > 0 ? sprintf("%.2f", cc / pc) : "n/a")
  }')")
done

# CPU time is less sensitive than wall time to other work on the machine.
echo
echo "| documents | check CPU s (user+sys) | parse-only CPU s (user+sys) | CPU ratio |"
echo "|---:|---:|---:|---:|"
printf '%s\n' "${CPU_ROWS[@]}"
