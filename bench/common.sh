# Sourced by the benchmark scripts (compare.sh, review.sh, authoring.sh, library.sh): their
# settings, how a command is measured, and the generated snapshots.
# shellcheck shell=bash

export LC_ALL=C
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
RUNS=${RUNS:-3}                            # runs of each command; the lowest CPU and wall are kept
DOCS=${DOCS:-100000}                       # documents of the mixed snapshot
DATA=${BENCH_DATA:-/tmp}                   # where generated snapshots are kept between runs
LOG=${BENCH_LOG_DIR:-/tmp/reddalert-bench-logs}
PY=/usr/bin/python3
BIN=$ROOT/build/reddalert
mkdir -p "$LOG"

needs() {  # needs TOOL...: exit 2 naming the first one missing
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$(basename "$0"): $tool is needed" >&2; exit 2; }
  done
}

note() { echo "== $*" >&2; }

# measure NAME OKCODES CMD... -> CPU_MS (lowest), WALL (lowest), RSS_KB (highest) over RUNS runs
# (RUNS_OF overrides); stdout of CMD goes to $LOG/NAME.out, stderr to $LOG/NAME.err.
measure() {
  local name=$1 ok=$2
  shift 2
  CPU_MS="" WALL="" RSS_KB=0
  local run rc cpu wall rss
  for ((run = 1; run <= ${RUNS_OF:-$RUNS}; run++)); do
    rc=0
    /usr/bin/time -f "%e %M" -o "$LOG/$name.time" perf stat -x, -e task-clock -o "$LOG/$name.perf" -- "$@" \
      >"$LOG/$name.out" 2>"$LOG/$name.err" || rc=$?
    if [[ " $ok " != *" $rc "* ]]; then
      echo "$(basename "$0"): $name exited with $rc (expected $ok):" >&2
      tail -n 5 "$LOG/$name.err" >&2
      exit 1
    fi
    cpu=$(awk -F, '/task-clock/ { print $1 }' "$LOG/$name.perf")
    read -r wall rss < <(tail -n 1 "$LOG/$name.time")  # after "Command exited with ..." when not 0
    echo "   $name run $run: ${cpu} ms CPU, ${wall} s wall, ${rss} kB peak" >&2
    if [[ -z $CPU_MS ]] || awk -v a="$cpu" -v b="$CPU_MS" 'BEGIN { exit !(a < b) }'; then CPU_MS=$cpu; fi
    if [[ -z $WALL ]] || awk -v a="$wall" -v b="$WALL" 'BEGIN { exit !(a < b) }'; then WALL=$wall; fi
    if ((rss > RSS_KB)); then RSS_KB=$rss; fi
  done
}

bytes_of() { find "$1" -maxdepth 1 -name '*.json' ! -name manifest.json -printf '%s\n' | awk '{ s += $1 } END { printf "%.0f", s }'; }

snapshot() {  # snapshot N -> path of the mixed snapshot with N documents, generated once
  local dir=$DATA/reddalert-bench-$1
  if [[ ! -d $dir ]]; then
    note "generating $dir"
    rm -rf "$dir.partial"
    "$PY" bench/gen_snapshot.py --docs "$1" --out "$dir.partial" >&2
    mv "$dir.partial" "$dir"
  fi
  echo "$dir"
}

