#!/usr/bin/env bash
# `reddalert fmt` on files a golden case cannot set up: a file's permissions are kept, a
# symlink stays a symlink (its target is rewritten), a formatted file is not rewritten at
# all, and a FIFO or an unreadable file is refused (exit 2) without stopping the others.
set -uo pipefail
bin=$1
source "$(dirname "$0")/common.sh"

printf 'reddalert 1\nconst a=1\n' >"$tmp/private.policy"
chmod 0600 "$tmp/private.policy"
"$bin" fmt "$tmp/private.policy"; expect "fmt a file of mode 0600" 0 $?
[ "$(stat -c %a "$tmp/private.policy")" = 600 ] || { echo "FAIL the mode became $(stat -c %a "$tmp/private.policy")"; fail=1; }
[ "$(cat "$tmp/private.policy")" = "$(printf 'reddalert 1\n\nconst a = 1')" ] || { echo "FAIL not formatted"; fail=1; }

mkdir "$tmp/real"
printf 'reddalert 1\nconst b=2\n' >"$tmp/real/target.policy"
ln -s real/target.policy "$tmp/link.policy"
"$bin" fmt "$tmp/link.policy"; expect "fmt through a symlink" 0 $?
[ -L "$tmp/link.policy" ] || { echo "FAIL the symlink was replaced by a file"; fail=1; }
grep -qx 'const b = 2' "$tmp/real/target.policy" || { echo "FAIL the symlink's target was not formatted"; fail=1; }

# A formatted file keeps its inode and its modification time.
touch -d '2020-01-01' "$tmp/private.policy"
before=$(stat -c '%i %Y' "$tmp/private.policy")
"$bin" fmt "$tmp/private.policy"; expect "fmt a formatted file" 0 $?
[ "$(stat -c '%i %Y' "$tmp/private.policy")" = "$before" ] || { echo "FAIL a formatted file was rewritten"; fail=1; }

mkfifo "$tmp/fifo.policy"
printf 'reddalert 1\nconst c=3\n' >"$tmp/other.policy"
"$bin" fmt "$tmp/fifo.policy" "$tmp/other.policy" 2>"$tmp/err"; expect "fmt a FIFO and a file" 2 $?
grep -q 'is a FIFO, not a regular file' "$tmp/err" || { echo "FAIL the FIFO's reason:"; cat "$tmp/err"; fail=1; }
grep -qx 'const c = 3' "$tmp/other.policy" || { echo "FAIL the file after the FIFO was not formatted"; fail=1; }

# Standard input is read up to 16 MiB, like any policy file: /dev/zero is refused, not held.
head -c 20000000 /dev/zero | "$bin" fmt - >"$tmp/out" 2>"$tmp/err"; expect "fmt - on 20 MB" 2 $?
[ "$(cat "$tmp/err")" = "reddalert: cannot read standard input: it is larger than 16 MiB" ] \
  || { echo "FAIL the size of standard input:"; cat "$tmp/err"; fail=1; }
[ ! -s "$tmp/out" ] || { echo "FAIL fmt - printed something for input it refused"; fail=1; }

if [ "$(id -u)" != 0 ]; then
  printf 'reddalert 1\nconst d=4\n' >"$tmp/unreadable.policy"
  chmod 000 "$tmp/unreadable.policy"
  "$bin" fmt "$tmp/unreadable.policy" 2>/dev/null; expect "fmt an unreadable file" 2 $?
fi
exit $fail
