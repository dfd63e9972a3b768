#!/usr/bin/env bash
# Hostile peers, against real servers on 127.0.0.1: an EDDA that streams without end or
# answers a gzip bomb, and URLs whose scheme is not the peer's.
set -uo pipefail
bin=$1
source "$(dirname "$0")/common.sh"

/usr/bin/python3 "$here/edda_server.py" --dir examples/snapshot --port 0 --context /edda --port-file "$tmp/edda.port" \
  >/dev/null 2>"$tmp/edda.log" &
pids+=($!)
/usr/bin/python3 "$here/http_recorder.py" --port 0 --port-file "$tmp/http.port" --log "$tmp/http.log" >/dev/null 2>"$tmp/http.err" &
pids+=($!)
mkdir -p "$tmp/mail"
/usr/bin/python3 "$here/smtp_server.py" --port 0 --port-file "$tmp/smtp.port" --maildir "$tmp/mail" >/dev/null 2>"$tmp/smtp.log" &
pids+=($!)
wait_for "$tmp/edda.port"; wait_for "$tmp/http.port"; wait_for "$tmp/smtp.port"
port=$(cat "$tmp/edda.port"); http=$(cat "$tmp/http.port"); smtp=$(cat "$tmp/smtp.port")
edda="http://127.0.0.1:$port/edda"
get() { /usr/bin/python3 -c "import urllib.request,sys; print(urllib.request.urlopen(sys.argv[1]).read().decode())" "$1"; }
edda_control() { get "http://127.0.0.1:$port/__control/$1"; }
http_control() { get "http://127.0.0.1:$http/__control/$1"; }
window=(--since 1764115200000 --until 1764547200000)
one_line() {  # one_line NAME FILE: the failure is told in at most two lines (the cause, and what was not committed)
  [ "$(grep -c . "$2")" -le 2 ] || { echo "FAIL $1: more than a line or two"; cat "$2"; fail=1; }
  grep -q "terminate called\|what():" "$2" && { echo "FAIL $1: an uncaught exception"; cat "$2"; fail=1; }
}

# A policy that reads one view of one collection: one EDDA request per run.
mkdir -p "$tmp/one"
cat >"$tmp/one/one.policy" <<'POLICY'
reddalert 1

policy one {
  title       "Every security group"
  severity    low
  description "One alert per group: the test needs one EDDA request, not what it finds."
  for sg in aws.securityGroups
  alert   sg.groupId
  message "seen"
}
POLICY

# 1. Answers too large for memory: an endless chunked list and a gzip bomb stop at the
#    configured caps, with one line naming the URL and the limit, and are not retried.
printf 'http: {timeout: 60s, connect_timeout: 2s, retries: 2, max_response: 1MiB, max_decompressed: 8MiB}\n' >"$tmp/caps.yaml"
capped() { "$bin" check -c "$tmp/caps.yaml" "$tmp/one" --edda "$edda" "${window[@]}" "$@"; }
edda_control fail-mode/gzip >/dev/null
capped -q >/dev/null 2>"$tmp/err"; expect "a gzip answer within the caps" 1 $?
edda_control reset >/dev/null
edda_control fail-mode/endless >/dev/null
SECONDS=0
capped >"$tmp/out" 2>"$tmp/err"; expect "an endless answer" 3 $?
grep -q "EDDA's answer is too large: more than 1MiB as sent (http.max_response) for $edda/api/v2/aws/securityGroups" "$tmp/err" \
  || { echo "FAIL endless answer: message"; cat "$tmp/err"; fail=1; }
[ "$SECONDS" -lt 30 ] || { echo "FAIL an endless answer took ${SECONDS}s: the cap did not stop it"; fail=1; }
one_line "endless answer" "$tmp/err"
[ "$(edda_control requests | /usr/bin/python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 1 ] \
  || { echo "FAIL an answer over the cap was retried"; edda_control requests; fail=1; }
edda_control fail-mode/gzip-bomb >/dev/null
capped >"$tmp/out" 2>"$tmp/err"; expect "a gzip bomb" 3 $?
grep -q "EDDA's answer is too large: more than 8MiB decompressed (http.max_decompressed) for $edda/api/v2/" "$tmp/err" \
  || { echo "FAIL gzip bomb: message"; cat "$tmp/err"; fail=1; }
one_line "gzip bomb" "$tmp/err"
edda_control fail-mode/none >/dev/null

# 2. Only http:// and https:// for EDDA, Elasticsearch and webhooks, smtp:// and smtps://
#    for e-mail: on the command line (exit 2, one line) and in the configuration (a
#    diagnostic at the line).
"$bin" check -c /dev/null policies --edda file:///etc/passwd >"$tmp/out" 2>"$tmp/err"; expect "check --edda file://" 2 $?
grep -q "^reddalert check: --edda must be an http:// or https:// URL: its scheme is file://" "$tmp/err" \
  || { echo "FAIL --edda file:// message"; cat "$tmp/err"; fail=1; }
[ "$(grep -c . "$tmp/err")" = 1 ] || { echo "FAIL --edda file:// is not one line"; cat "$tmp/err"; fail=1; }
"$bin" --configfile /dev/null --edda gopher://127.0.0.1:70/ >"$tmp/out" 2>"$tmp/err"; expect "the original --edda gopher://" 2 $?
"$bin" snapshot --edda file:///etc/passwd --out "$tmp/never" 2>"$tmp/err"; expect "snapshot --edda file://" 2 $?
grep -q "^reddalert snapshot: --edda must be an http:// or https:// URL" "$tmp/err" || { echo "FAIL snapshot --edda message"; cat "$tmp/err"; fail=1; }
[ -e "$tmp/never" ] && { echo "FAIL snapshot --edda file:// wrote a directory"; fail=1; }
cat >"$tmp/schemes.yaml" <<YAML
edda: file:///etc/passwd
output: [webhook, email, elasticsearch]
webhook: {url: "gopher://127.0.0.1:70/_secret"}
email: {smtp_url: "http://127.0.0.1:25", from: a@example.com, to: [b@example.com]}
elasticsearch: {url: "ftp://127.0.0.1:9200"}
YAML
"$bin" lint -c "$tmp/schemes.yaml" policies >"$tmp/out" 2>&1; expect "URL schemes in the configuration" 2 $?
for want in "schemes.yaml:1:7: error\[E0402\]: \`edda\` must be an http:// or https:// URL: its scheme is file://" \
            "schemes.yaml:3:16: error\[E0402\]: \`webhook.url\` must be an http:// or https:// URL: its scheme is gopher://" \
            "schemes.yaml:4:19: error\[E0402\]: \`email.smtp_url\` must be an smtp:// or smtps:// URL: its scheme is http://" \
            "schemes.yaml:5:22: error\[E0402\]: \`elasticsearch.url\` must be an http:// or https:// URL: its scheme is ftp://"; do
  grep -q "$want" "$tmp/out" || { echo "FAIL no diagnostic: $want"; cat "$tmp/out"; fail=1; }
done
exit $fail
