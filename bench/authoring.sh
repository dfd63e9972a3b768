#!/usr/bin/env bash
# The authoring tools against the run they explain, side by side on one snapshot: `explain`
# evaluates one policy with a tracer (every binding recorded, the first 100 kept) and a
# program compiled with trace nodes, `eval` one expression; each as a ratio to `check` of
# the same policy on the same data, so what tracing costs is the ratio's distance from 1.
#   RUNS=3 bench/authoring.sh > out.md
# Uses the mixed snapshot of bench/gen_snapshot.py (DOCS documents, default 100000), generated
# once under $BENCH_DATA (/tmp).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
needs perf
POLICY=${POLICY:-secgroups}

SNAP=$(snapshot "$DOCS")
ID=$(jq -r '[.[] | select(.ltime == null)][0].data.groupId' "$SNAP/aws.securityGroups.json")

measure check "0 1" "$BIN" check -c /dev/null policies --policy "$POLICY" --snapshot "$SNAP" --since 0 --dry-run -q --format json
CHECK=$CPU_MS; CHECK_RSS=$RSS_KB
measure explain "0 1" "$BIN" explain "$POLICY" policies -c /dev/null --snapshot "$SNAP" --since 0
EXPLAIN=$CPU_MS; EXPLAIN_RSS=$RSS_KB
BINDINGS=$(sed -n 2p "$LOG/explain.out" | awk '{ print $1 }')
measure explain_id "0 1" "$BIN" explain "$POLICY" policies -c /dev/null --snapshot "$SNAP" --since 0 --id "$ID"
EXPLAIN_ID=$CPU_MS; EXPLAIN_ID_RSS=$RSS_KB
measure eval "0" "$BIN" eval 'count(g in aws.securityGroups: len(g.ipPermissions) > 2)' --snapshot "$SNAP" --since 0
EVAL=$CPU_MS; EVAL_RSS=$RSS_KB

echo "# bench/authoring.sh, $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo '```'
echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $("$BIN" version | head -1)"
echo "snapshot: $DOCS documents, $(bytes_of "$SNAP") bytes; policy $POLICY ($BINDINGS bindings traced); --id $ID"
echo '```'
echo
echo "| command | CPU ms | peak RSS MB | CPU / check's |"
echo "|---|---:|---:|---:|"
row() { awk -v n="$1" -v c="$2" -v r="$3" -v b="$CHECK" 'BEGIN { printf "| %s | %.1f | %.1f | %.2f |\n", n, c, r / 1024, c / b }'; }
row "check --policy $POLICY --dry-run" "$CHECK" "$CHECK_RSS"
row "explain $POLICY" "$EXPLAIN" "$EXPLAIN_RSS"
row "explain $POLICY --id" "$EXPLAIN_ID" "$EXPLAIN_ID_RSS"
row "eval 'count(...)'" "$EVAL" "$EVAL_RSS"
