# Sourced by the benchmark scripts (compare.sh, review.sh): how a command is measured, and the
# generated snapshots. Expects ROOT, RUNS, LOG, DATA and PY set.
# shellcheck shell=bash

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
      echo "compare.sh: $name exited with $rc (expected $ok):" >&2
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

