#!/usr/bin/env bash
# The review tools against the run they review, side by side on one snapshot: `diff --base`
# evaluates the policies twice (the base and the working tree) and reads the base through
# git, so its cost is measured as a ratio to one `check` of the same policies on the same
# data; `lint` and `fmt --check` (which read no data) as a ratio too.
#   RUNS=3 bench/review.sh > out.md
# Uses the mixed snapshot of bench/gen_snapshot.py (DOCS documents, default 100000), generated
# once under $BENCH_DATA (/tmp), and a scratch git repository of the shipped policies.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
needs perf

SNAP=$(snapshot "$DOCS")
REPO=$(mktemp -d)
trap 'rm -rf "$REPO"' EXIT
cp -r policies "$REPO/"
git -C "$REPO" init -q -b main
git -C "$REPO" add policies
git -C "$REPO" -c user.name=b -c user.email=b@example.com commit -q -m base
# The change under review: secgroups allows port 22 by default.
sed -i 's/^  param allowed_ports = \[\] /  param allowed_ports = [22]/' "$REPO/policies/secgroups.policy"
cd "$REPO"

measure check "0 1 6" "$BIN" check -c /dev/null policies --snapshot "$SNAP" --dry-run -q --format json
CHECK=$CPU_MS; CHECK_RSS=$RSS_KB
measure diff "0 1" "$BIN" diff -c /dev/null --base main policies --snapshot "$SNAP" --format json
DIFF=$CPU_MS; DIFF_RSS=$RSS_KB
measure lint "0" "$BIN" lint -c /dev/null policies
LINT=$CPU_MS
measure fmt "0 1" "$BIN" fmt --check policies
FMT=$CPU_MS
CHANGED=$(jq '.summary | "\(.added) added, \(.removed) removed, \(.changed) changed"' -r "$LOG/diff.out")

echo "# bench/review.sh, $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo '```'
echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $("$BIN" version | head -1)"
echo "snapshot: $DOCS documents, $(bytes_of "$SNAP") bytes; the shipped policies; the change: secgroups allows port 22"
echo "diff found: $CHANGED"
echo '```'
echo
echo "| command | CPU ms | peak RSS MB | CPU / check's |"
echo "|---|---:|---:|---:|"
row() { awk -v n="$1" -v c="$2" -v r="$3" -v b="$CHECK" 'BEGIN { printf "| %s | %.1f | %s | %.2f |\n", n, c, (r == "" ? "-" : sprintf("%.1f", r / 1024)), c / b }'; }
row "check --dry-run" "$CHECK" "$CHECK_RSS"
row "diff --base main" "$DIFF" "$DIFF_RSS"
row "lint" "$LINT" ""
row "fmt --check" "$FMT" ""
