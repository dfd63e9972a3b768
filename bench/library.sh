#!/usr/bin/env bash
# The policy library against the six original rules, side by side on the same data: the
# README's first command (every shipped policy on the bundled snapshot), the compliance view
# of it, and both on the mixed snapshot of bench/gen_snapshot.py (DOCS documents, default
# 100000), so what the library's size costs is the ratio to the originals' run.
#   RUNS=3 bench/library.sh > out.md
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
needs perf
ORIGINALS=ami,elbs,iam,missingtag,newtag,secgroups

BIG=$(snapshot "$DOCS")
# -c /dev/null on the big snapshot: its window is its own, not etc/reddalert.yaml's.
declare -A CPU RSS WALLS
run() {  # run NAME CMD...: exit 0, 1 (alerts) or 6 (a collection the generator does not write)
  local name=$1
  shift
  measure "$name" "0 1 6" "$@"
  CPU[$name]=$CPU_MS RSS[$name]=$RSS_KB WALLS[$name]=$WALL
}
run small_originals "$BIN" check policies/ --snapshot examples/snapshot --policy "$ORIGINALS" --dry-run
run small_library "$BIN" check policies/ --snapshot examples/snapshot --dry-run
run small_compliance "$BIN" check policies/ --snapshot examples/snapshot --dry-run --format compliance
run big_originals "$BIN" check -c /dev/null policies/ --snapshot "$BIG" --since 0 --policy "$ORIGINALS" --dry-run
run big_library "$BIN" check -c /dev/null policies/ --snapshot "$BIG" --since 0 --dry-run

summary() { grep -E '^reddalert: [0-9]+ policies' "$LOG/$1.err" | tail -n 1 | sed -E 's/ \(aws[^)]*\)//; s/, window .*//'; }

echo "# bench/library.sh, $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo '```'
echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $("$BIN" version | head -1)"
echo "bundled snapshot: $(bytes_of examples/snapshot) bytes; mixed snapshot: $DOCS documents, $(bytes_of "$BIG") bytes"
echo "small_library: $(summary small_library)"
echo "big_library:   $(summary big_library)"
echo '```'
echo
echo "| run | wall s | CPU ms | peak RSS MB | CPU / the originals' |"
echo "|---|---:|---:|---:|---:|"
row() {
  awk -v n="$1" -v w="${WALLS[$2]}" -v c="${CPU[$2]}" -v r="${RSS[$2]}" -v b="${CPU[$3]}" \
    'BEGIN { printf "| %s | %.2f | %.1f | %.1f | %.2f |\n", n, w, c, r / 1024, c / b }'
}
row "bundled snapshot, the 6 original rules" small_originals small_originals
row "bundled snapshot, every shipped policy (the README's first command)" small_library small_originals
row "bundled snapshot, every shipped policy, --format compliance" small_compliance small_originals
row "$DOCS documents, the 6 original rules" big_originals big_originals
row "$DOCS documents, every shipped policy" big_library big_originals
