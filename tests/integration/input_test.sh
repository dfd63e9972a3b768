#!/usr/bin/env bash
# Hostile files, YAML and depth, end to end: each ends in one clear line and an exit code
# (2 for a policy or configuration, 3 for data), never a signal, a hang or unbounded memory.
set -uo pipefail
bin=$1
source "$(dirname "$0")/common.sh"

# run NAME WANT_EXIT PATTERN COMMAND...: the exit code, a line of the output matching
# PATTERN (grep -E), within 60 s and 500 MB.
# Peak memory allowed a hostile input: 500 MB; four times that under AddressSanitizer (the
# sanitize preset sets ASAN_OPTIONS), whose shadow memory and quarantine of freed blocks
# multiply a run's footprint.
rss_limit=$([ -n "${ASAN_OPTIONS:-}" ] && echo 2000000 || echo 500000)
run() {
  local name=$1 want=$2 pattern=$3
  shift 3
  timeout 60 /usr/bin/time -f "%M" -o "$tmp/rss" "$@" >"$tmp/out" 2>&1
  local got=$?
  expect "$name" "$want" "$got"
  grep -qE -- "$pattern" "$tmp/out" || { echo "FAIL $name: no line matching $pattern"; head -c 2000 "$tmp/out"; fail=1; }
  local rss
  rss=$(tail -n 1 "$tmp/rss")
  [[ "$rss" =~ ^[0-9]+$ ]] && [ "$rss" -lt "$rss_limit" ] || { echo "FAIL $name took $rss kB"; fail=1; }
}
policy() {  # policy FILE CONSTANT-EXPRESSION: a file with one constant and one policy using it
  printf 'reddalert 1\nconst c = %s\npolicy p {\n  title "t"\n  severity low\n  description "d"\n  for sg in aws.securityGroups\n  alert sg.groupId\n  message "{c}"\n}\n' "$2" >"$1"
}

# ---- depth ------------------------------------------------------------------------------

mkdir -p "$tmp/deep"
policy "$tmp/deep/plus.policy" "$(/usr/bin/python3 -c "print(' + '.join(['1'] * 20000))")"
run "20,000 + operands" 2 "plus.policy:2:809: error\[E0006\]: expressions nest more than 200 levels deep" \
  "$bin" lint -c /dev/null "$tmp/deep/plus.policy"
run "parse --tree on 20,000 + operands" 2 "error\[E0006\]" "$bin" parse "$tmp/deep/plus.policy"
run "parse --tree compiled on 20,000 + operands" 2 "error\[E0006\]" "$bin" parse --tree compiled "$tmp/deep/plus.policy"
policy "$tmp/deep/or.policy" "$(/usr/bin/python3 -c "print(' or '.join(['true'] * 20000))")"
run "20,000 or operands" 2 "or.policy:2:[0-9]+: error\[E0006\]" "$bin" lint -c /dev/null "$tmp/deep/or.policy"
policy "$tmp/deep/field.policy" "{a: 1}$(/usr/bin/python3 -c "print('.a' * 20000)")"
run "20,000 field accesses" 2 "field.policy:2:[0-9]+: error\[E0006\]" "$bin" lint -c /dev/null "$tmp/deep/field.policy"
policy "$tmp/deep/projection.policy" "[1]$(/usr/bin/python3 -c "print('[*]' * 20000)")"
run "20,000 projections" 2 "projection.policy:2:[0-9]+: error\[E0006\]" "$bin" lint -c /dev/null "$tmp/deep/projection.policy"
policy "$tmp/deep/shallow.policy" "$(/usr/bin/python3 -c "print(' + '.join(['1'] * 150))")"
run "150 + operands are fine" 0 " 0 error\(s\), 0 warning" "$bin" lint -c /dev/null "$tmp/deep/shallow.policy"

# Chains of 20,000 globals, each using the next: the checker's recursion check and the
# compiler walk them recursively (a let chain crashed, a def chain took minutes).
/usr/bin/python3 - "$tmp/deep" <<'EOF'
import sys
d = sys.argv[1]
chains = {
    "lets": ["let l0 = 1"] + [f"let l{i} = l{i-1} + 1" for i in range(1, 20000)],
    "defs": ["def d0(x) = x"] + [f"def d{i}(x) = d{i-1}(x) + 1" for i in range(1, 20000)],
    "consts": [f"const c{i} = c{i-1} + 1" for i in range(19999, 0, -1)] + ["const c0 = 1"],
}
for name, lines in chains.items():
    open(f"{d}/{name}.policy", "w").write("reddalert 1\n" + "\n".join(lines) + "\n")
EOF
for chain in lets defs consts; do
  run "a chain of 20,000 $chain" 2 "$chain.policy:[0-9]+:[0-9]+: error\[E0123\]: this declaration depends on a chain of more than 64" \
    "$bin" lint -c /dev/null "$tmp/deep/$chain.policy"
done

# A chain of 7,000 files, each importing the next.
mkdir -p "$tmp/chain"
/usr/bin/python3 - "$tmp/chain" <<'EOF'
import sys
d = sys.argv[1]
for i in range(7000):
    with open(f"{d}/f{i}.policy", "w") as f:
        f.write("reddalert 1\n" + (f'import "f{i + 1}.policy"\n' if i < 6999 else "") + f"const c{i} = {i}\n")
EOF
run "an import chain of 7,000 files" 2 \
  "f63.policy:2:8: error\[E0121\]: imports nest more than 64 files deep: .*f0.policy -> .*f1.policy -> .*f2.policy -> \.\.\. \(59 more\) -> .*f62.policy -> .*f63.policy -> .*f64.policy" \
  "$bin" lint -c /dev/null "$tmp/chain/f0.policy"

# ---- numbers and times --------------------------------------------------------------------

snapshot() {  # snapshot DIR MANIFEST [DOCUMENTS]
  mkdir -p "$1" && printf '%s' "$2" >"$1/manifest.json" && printf '%s' "${3:-[]}" >"$1/aws.securityGroups.json"
}
snapshot "$tmp/m1" '{"captured_at": 1764547200000, "since": 1e400}'
run "1e400 in a manifest" 3 "manifest.json: invalid JSON at byte [0-9]+: number overflow parsing '1e400'" \
  "$bin" check -c /dev/null policies --snapshot "$tmp/m1" --policy secgroups
snapshot "$tmp/m2" '{"captured_at": 1764547200000, "since": 1e300}'
run "a manifest since 1e300" 3 "manifest.json: \`since\` 1e\+300 is not a time: give epoch milliseconds or an ISO 8601 time \(1970-01-01 to 9999-12-31\)" \
  "$bin" check -c /dev/null policies --snapshot "$tmp/m2" --policy secgroups
snapshot "$tmp/ok" '{"captured_at": 1764547200000, "since": 0}'
printf '{"format": "reddalert-state/1", "since": 1e400}' >"$tmp/state-big.json"
run "1e400 in the status file" 3 "status file .*state-big.json is not valid JSON \(at byte [0-9]+: number overflow parsing '1e400'\)" \
  "$bin" check -c /dev/null policies --snapshot "$tmp/ok" --policy secgroups -f "$tmp/state-big.json"
printf '{"format": "reddalert-state/1", "since": 1e300}' >"$tmp/state-time.json"
run "a status file since 1e300" 3 "state-time.json has an unexpected shape \(a time that is not an integer of milliseconds in 1970-01-01 to 9999-12-31: 1e\+300\)" \
  "$bin" check -c /dev/null policies --snapshot "$tmp/ok" --policy secgroups -f "$tmp/state-time.json"
run "--since -999999999999d" 2 "cannot read the time \"-999999999999d\"" \
  "$bin" check -c /dev/null policies --snapshot "$tmp/ok" --since -999999999999d
run "--until in the year 10000" 2 "from 1970-01-01 to 9999-12-31" \
  "$bin" check -c /dev/null policies --snapshot "$tmp/ok" --until 10000-01-01
run "--since 999999999999999999" 2 "cannot read the time" \
  "$bin" check -c /dev/null policies --snapshot "$tmp/ok" --since 999999999999999999

# An EDDA answer with 1e400, served as written (edda_server.py would re-encode it).
/usr/bin/python3 - "$tmp/port" >/dev/null 2>"$tmp/server.log" <<'EOF' &
import http.server, os, sys
class Answer(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b'[{"groupId": "sg-1", "x": 1e400}]'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
server = http.server.HTTPServer(("127.0.0.1", 0), Answer)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(server.server_port))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
server.serve_forever()
EOF
pids+=($!)
wait_for "$tmp/port"
run "1e400 in an EDDA answer" 3 "EDDA answered invalid JSON \(at byte 1 of 33\) for .*: a number that is malformed or out of range" \
  "$bin" check -c /dev/null "$tmp/deep/shallow.policy" --edda "http://127.0.0.1:$(cat "$tmp/port")/edda" --since 0 --until 2

# YAML numbers out of range: in configuration params and in a test file's data.
printf 'policies_config:\n  secgroups:\n    params:\n      allowed_ports: [1e400]\n' >"$tmp/big.yaml"
run "1e400 in the configuration" 2 "big.yaml:4:23: error\[E0402\]: invalid configuration: the number 1e400 is out of range" \
  "$bin" lint -c "$tmp/big.yaml" policies
mkdir -p "$tmp/t"
cp policies/secgroups.policy "$tmp/t/"
mkdir -p "$tmp/t/lib" && cp policies/lib/aws.policy "$tmp/t/lib/"
printf 'policy: secgroups\ncases:\n  - name: big\n    data:\n      aws.securityGroups:\n        - {groupId: sg-1, x: 99999999999999999999999}\n    expect: []\n' >"$tmp/t/secgroups_test.yaml"
run "a 23-digit integer in a test file" 2 "secgroups_test.yaml:6:30: error\[E0502\]: invalid test file: the number 99999999999999999999999 is out of range" \
  "$bin" test "$tmp/t"
rm "$tmp/t/secgroups_test.yaml"

# ---- files that are not files -------------------------------------------------------------

mkfifo "$tmp/fifo"
run "-c FIFO" 2 "cannot read configuration file .*fifo: is a FIFO, not a regular file" "$bin" lint -c "$tmp/fifo" policies
run "-c /dev/zero" 2 "cannot read configuration file /dev/zero: is a character device, not a regular file" \
  "$bin" lint -c /dev/zero policies
run "lint FIFO" 2 "cannot read policy file .*fifo.: is a FIFO, not a regular file" "$bin" lint -c /dev/null "$tmp/fifo"
run "parse FIFO" 2 "cannot read .*fifo: is a FIFO, not a regular file" "$bin" parse "$tmp/fifo"
run "test FIFO" 2 "cannot read test file .*fifo_test.yaml: is a FIFO" bash -c "mkfifo '$tmp/t/fifo_test.yaml' && '$bin' test '$tmp/t/fifo_test.yaml' '$tmp/t'"
ln -s /dev/zero "$tmp/zero-state.json"
run "a status file that is a symlink to /dev/zero" 3 "the status file .*zero-state.json is a symbolic link; reddalert does not follow one there" \
  "$bin" check -c /dev/null policies --snapshot "$tmp/ok" --policy secgroups -f "$tmp/zero-state.json"
run "a status file that is a FIFO" 3 "the status file .*fifo is a FIFO, not a regular file" \
  "$bin" check -c /dev/null policies --snapshot "$tmp/ok" --policy secgroups -f "$tmp/fifo"
ln -s /dev/zero "$tmp/zero-waivers.yaml"
printf 'waivers: %s\n' "$tmp/zero-waivers.yaml" >"$tmp/waivers-zero.yaml"
run "a waivers file that is a symlink to /dev/zero" 2 "cannot read waivers file .*zero-waivers.yaml: is a character device, not a regular file" \
  "$bin" lint -c "$tmp/waivers-zero.yaml" policies
mkdir -p "$tmp/fifo-snap" && mkfifo "$tmp/fifo-snap/manifest.json" "$tmp/fifo-snap/aws.securityGroups.json"
run "a manifest that is a FIFO" 3 "manifest.json: is a FIFO, not a regular file" \
  "$bin" check -c /dev/null policies --snapshot "$tmp/fifo-snap" --policy secgroups
rm "$tmp/fifo-snap/manifest.json"
run "a snapshot file that is a FIFO" 3 "aws.securityGroups.json: is a FIFO, not a regular file" \
  "$bin" check -c /dev/null policies --snapshot "$tmp/fifo-snap" --policy secgroups
truncate -s 17M "$tmp/huge.yaml"
run "a 17 MiB configuration" 2 "cannot read configuration file .*huge.yaml: is larger than 16MiB" "$bin" lint -c "$tmp/huge.yaml" policies
mkdir -p "$tmp/pipes" && cp policies/secgroups.policy "$tmp/pipes/" && cp -r policies/lib "$tmp/pipes/" && mkfifo "$tmp/pipes/lib/aws.policy.fifo"
sed -i 's|import "lib/aws.policy"|import "lib/aws.policy.fifo"|' "$tmp/pipes/secgroups.policy"
run "an import of a FIFO" 2 "secgroups.policy:3:8: error\[E0106\]: cannot read policy file .*aws.policy.fifo.: is a FIFO, not a regular file" \
  "$bin" lint -c /dev/null "$tmp/pipes"

# ---- imports stay inside the policy root --------------------------------------------------

mkdir -p "$tmp/root/sub" "$tmp/common-lib"
secret="s3cr3t-$RANDOM-line"
printf '%s\n' "$secret" >"$tmp/secret.txt"
printf 'reddalert 1\nimport "%s"\n' "$tmp/secret.txt" >"$tmp/root/abs.policy"
run "an absolute import" 2 "abs.policy:2:8: error\[E0122\]: import .*secret.txt. resolves outside the policy root" \
  "$bin" lint -c /dev/null "$tmp/root"
grep -q "$secret" "$tmp/out" && { echo "FAIL the refused import's content is printed"; fail=1; }
printf 'reddalert 1\nimport "../../secret.txt"\n' >"$tmp/root/sub/dots.policy"
run "a .. import" 2 "dots.policy:2:8: error\[E0122\]: import .*secret.txt. resolves outside the policy root" \
  "$bin" lint -c /dev/null "$tmp/root/sub/dots.policy"
grep -q "$secret" "$tmp/out" && { echo "FAIL the .. import's content is printed"; fail=1; }
rm "$tmp/root/abs.policy" "$tmp/root/sub/dots.policy"
ln -s "$tmp/secret.txt" "$tmp/root/link.policy"
run "a symlink out of the policy directory" 2 "error\[E0122\]: policy file .*link.policy. resolves outside the policy root" \
  "$bin" lint -c /dev/null "$tmp/root"
grep -q "$secret" "$tmp/out" && { echo "FAIL the symlink's target is printed"; fail=1; }
rm "$tmp/root/link.policy"
printf 'reddalert 1\nconst common = 1\n' >"$tmp/common-lib/lib.policy"
printf 'reddalert 1\nimport "../common-lib/lib.policy"\nconst mine = common\n' >"$tmp/root/uses.policy"
run "an import outside the root, refused" 2 "uses.policy:2:8: error\[E0122\]" "$bin" lint -c /dev/null "$tmp/root"
printf 'import_paths: [%s]\n' "$tmp/common-lib" >"$tmp/import-paths.yaml"
run "an import outside the root, allowed by import_paths" 0 " 0 error\(s\), 0 warning" "$bin" lint -c "$tmp/import-paths.yaml" "$tmp/root"

# ---- YAML bounds -----------------------------------------------------------------------

bomb() {  # bomb INDENT: a billion laughs, 9^9 strings through nine levels of aliases, in 495 bytes
  /usr/bin/python3 -c "
import sys
print(sys.argv[1] + 'a: &a [' + ', '.join(['x'] * 9) + ']')
for p, l in zip('abcdefgh', 'bcdefghi'):
    print(sys.argv[1] + l + ': &' + l + ' [' + ', '.join(['*' + p] * 9) + ']')" "$1"
}
{ printf 'policies_config:\n  secgroups:\n    params:\n      allowed_ports:\n'; bomb "        "; } >"$tmp/bomb.yaml"
run "a billion laughs in the configuration" 2 "bomb.yaml:[0-9]+:[0-9]+: error\[E0400\]: invalid YAML: the document expands to more than 1000000 nodes" \
  "$bin" lint -c "$tmp/bomb.yaml" policies
{ printf 'waivers:\n  - policy: secgroups\n    id: x\n    reason: r\n    expires: 2100-01-01\n    resources:\n'; bomb "      "; } >"$tmp/bomb-waivers.yaml"
printf 'waivers: %s\n' "$tmp/bomb-waivers.yaml" >"$tmp/with-bomb-waivers.yaml"
run "a billion laughs in the waivers" 2 "bomb-waivers.yaml:[0-9]+:[0-9]+: error\[E0410\]: invalid YAML: the document expands to more than 1000000 nodes" \
  "$bin" lint -c "$tmp/with-bomb-waivers.yaml" policies
{ printf 'policy: secgroups\ncases:\n  - name: bomb\n    expect: []\n    data:\n      aws.securityGroups:\n'; bomb "        "; } >"$tmp/t/secgroups_test.yaml"
run "a billion laughs in a test file" 2 "secgroups_test.yaml:[0-9]+:[0-9]+: error\[E0500\]: invalid YAML: the document expands to more than 1000000 nodes" \
  "$bin" test "$tmp/t"

printf 'lag: 5m\nstate: a.json\nlag: 10m\n' >"$tmp/dup.yaml"
run "a duplicate key in the configuration" 2 "dup.yaml:3:1: error\[E0400\]: invalid YAML: .lag. is given twice in one mapping \(first at line 1\)" \
  "$bin" lint -c "$tmp/dup.yaml" policies
printf 'waivers:\n  - policy: secgroups\n    id: x\n    reason: r\n    expires: 2100-01-01\n    expires: 2200-01-01\n' >"$tmp/dup-waivers.yaml"
printf 'waivers: %s\n' "$tmp/dup-waivers.yaml" >"$tmp/with-dup-waivers.yaml"
run "a duplicate key in the waivers" 2 "dup-waivers.yaml:6:5: error\[E0410\]: invalid YAML: .expires. is given twice" \
  "$bin" lint -c "$tmp/with-dup-waivers.yaml" policies
printf 'policy: secgroups\ncases:\n  - name: a\n    expect: []\n    expect: [x]\n' >"$tmp/t/secgroups_test.yaml"
run "a duplicate key in a test file" 2 "secgroups_test.yaml:5:5: error\[E0500\]: invalid YAML: .expect. is given twice" "$bin" test "$tmp/t"

printf 'lag: 5m\n---\nlag: 10m\n' >"$tmp/two.yaml"
run "a second document in the configuration" 2 "two.yaml:2:1: error\[E0400\]: invalid YAML: a second document in the file" \
  "$bin" lint -c "$tmp/two.yaml" policies
printf 'waivers: []\n---\nwaivers: []\n' >"$tmp/two-waivers.yaml"
printf 'waivers: %s\n' "$tmp/two-waivers.yaml" >"$tmp/with-two-waivers.yaml"
run "a second document in the waivers" 2 "two-waivers.yaml:2:1: error\[E0410\]: invalid YAML: a second document" \
  "$bin" lint -c "$tmp/with-two-waivers.yaml" policies
printf 'policy: secgroups\ncases: []\n---\npolicy: other\n' >"$tmp/t/secgroups_test.yaml"
run "a second document in a test file" 2 "secgroups_test.yaml:3:1: error\[E0500\]: invalid YAML: a second document" "$bin" test "$tmp/t"
rm "$tmp/t/secgroups_test.yaml"

# ---- constant folding ----------------------------------------------------------------------

{
  printf 'reddalert 1\nconst s1 = "xx"\n'
  for i in $(seq 2 40); do printf 'const s%d = s%d + s%d\n' "$i" $((i - 1)) $((i - 1)); done
} >"$tmp/doubling.policy"
run "forty doubling constants" 2 "doubling.policy:22:17: error\[E0116\]: constant .s21. cannot be computed: its value takes more than 1MiB" \
  "$bin" lint -c /dev/null "$tmp/doubling.policy"

# ---- an exception that escapes a command ---------------------------------------------------

# A policy building a 512 MiB string within limits.max_memory, in 400 MB of address space:
# std::bad_alloc reaches main's handler.
{
  printf 'reddalert 1\npolicy big {\n  title "t"\n  severity low\n  description "d"\n  for sg in aws.securityGroups\n  let s0 = "0123456789abcdef"\n'
  for i in 1 2 3 4 5 6; do printf '  let s%d = %s\n' "$i" "$(/usr/bin/python3 -c "print(' + '.join(['s$((i - 1))'] * 16))")"; done
  printf '  where len(s6) > 0\n  alert sg.groupId\n  message "m"\n}\n'
} >"$tmp/big.policy"
# AddressSanitizer cannot start in a limited address space, and reports an allocation it
# cannot satisfy instead of throwing: this case runs on the release build only.
if [ -z "${ASAN_OPTIONS:-}" ]; then
  run "memory exhausted" 3 "^reddalert: internal error: std::bad_alloc$" \
    bash -c "ulimit -v 400000; exec '$bin' check -c /dev/null '$tmp/big.policy' --snapshot examples/snapshot"
else
  echo "skip memory exhausted: not under AddressSanitizer (the release run checks it)"
fi

# ---- a snapshot recorded onto a full disk --------------------------------------------------

/usr/bin/python3 "$here/edda_server.py" --dir examples/snapshot --port 0 --context /edda --port-file "$tmp/port2" \
  >/dev/null 2>"$tmp/server2.log" &
pids+=($!)
wait_for "$tmp/port2"
# A file size limit stands for the disk filling up: a write fails with EFBIG (SIGXFSZ
# ignored, as the shell's trap leaves it for the child); the output goes through a pipe,
# which the limit does not apply to. Only the manifest (a collection EDDA does not serve
# is skipped): it was a 0-byte file and exit 0.
full() {  # full KIB OUT [ARGS]: the command that records a snapshot into OUT, files limited to KIB KiB
  local kib=$1 out=$2
  shift 2
  echo "trap '' XFSZ; set -o pipefail; (ulimit -f $kib; exec '$bin' snapshot --edda http://127.0.0.1:$(cat "$tmp/port2")/edda --out '$out' $*) 2>&1 | cat"
}
run "the manifest onto a full disk" 3 "cannot write .*/\.manifest\.json\.tmp\.[0-9a-f]+: File too large" bash -c "$(full 0 "$tmp/full0" --collection aws.alarms)"
[ ! -e "$tmp/full0/manifest.json" ] || { echo "FAIL a manifest was written by a failed recording"; fail=1; }
[ -z "$(ls "$tmp/full0")" ] || { echo "FAIL files left behind: $(ls "$tmp/full0")"; fail=1; }
run "collections onto a full disk" 3 "cannot write .*: File too large" bash -c "$(full 64 "$tmp/full")"
[ ! -e "$tmp/full/manifest.json" ] || { echo "FAIL a manifest was written by a failed recording"; fail=1; }
for f in "$tmp"/full/*; do
  [ -e "$f" ] || continue
  [[ "$f" == *.json ]] || { echo "FAIL a partial file left behind: $f"; fail=1; continue; }
  /usr/bin/python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$f" || { echo "FAIL $f is not whole"; fail=1; }
done

exit $fail
