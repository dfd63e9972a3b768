# Sourced by the integration tests: the verdict helper, a scratch directory, and the
# servers they start (on 127.0.0.1), all cleaned up on exit.
# shellcheck shell=bash
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fail=0
expect() {  # expect NAME WANT_EXIT GOT_EXIT
  if [ "$2" != "$3" ]; then echo "FAIL $1: exit $3, want $2"; fail=1; else echo "ok   $1"; fi
}
tmp=$(mktemp -d)
pids=()  # servers started with `... & pids+=($!)`
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
# Waits up to 30 s for a server's port file.
wait_for() { for _ in $(seq 600); do [ -s "$1" ] && return; sleep 0.05; done; echo "FAIL $1 never appeared"; exit 1; }
