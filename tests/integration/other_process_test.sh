#!/usr/bin/env bash
# The command-line checks that need another process alive while reddalert runs, which the
# golden cases (tests/golden/cli, one command at a time without a shell) cannot set up:
# a run holding the status file's lock, and a configuration that is a pipe another process
# writes (`-c <(...)`, a /dev/fd path). In run.py either would be a process manager of its
# own (start a holder, wait until it holds the lock, kill it; a writer behind a pipe), so
# these few checks stay here; everything else the command line does is a golden case.
set -uo pipefail
bin=$1
source "$(dirname "$0")/common.sh"

# Two runs at once: the second exits 4 naming the holder's pid and does nothing; a killed
# holder leaves no lock behind.
state="$tmp/state.json"
run() { "$bin" check -c /dev/null policies --snapshot examples/snapshot -f "$state" "$@"; }
run >"$tmp/out" 2>"$tmp/err"; expect "a first run" 1 $?
/usr/bin/python3 -c "
import fcntl, os, sys, time
f = open('$state.lock', 'w'); fcntl.flock(f, fcntl.LOCK_EX); f.write(str(os.getpid())); f.flush()
open('$tmp/holder.ready', 'w').close(); time.sleep(60)" &
holder=$!
pids+=("$holder")  # killed on exit if a check below fails first
for _ in $(seq 300); do [ -e "$tmp/holder.ready" ] && break; sleep 0.1; done
run >"$tmp/out" 2>"$tmp/err"; expect "a second run at once" 4 $?
[ ! -s "$tmp/out" ] || { echo "FAIL the locked-out run printed alerts"; cat "$tmp/out"; fail=1; }
want="reddalert: another run (pid $holder) holds the lock $state.lock; this run did nothing"
[ "$(cat "$tmp/err")" = "$want" ] || { echo "FAIL the lock message names the holder: want"; echo "$want"; cat "$tmp/err"; fail=1; }
kill -9 $holder; wait $holder 2>/dev/null
run >"$tmp/out" 2>&1; expect "after the holder was killed (nothing new)" 0 $?

# A configuration from a pipe is refused: a pipe may never end (tests/integration/input_test.sh
# has a named FIFO and the other kinds of file).
"$bin" lint -c <(printf 'lag: 5m\n') policies >"$tmp/out" 2>&1; expect "a configuration from a pipe" 2 $?
grep -q "error\[E0400\]: cannot read configuration file /dev/fd/[0-9]*: is a FIFO, not a regular file" "$tmp/out" \
  || { echo "FAIL pipe configuration message"; cat "$tmp/out"; fail=1; }
exit $fail
