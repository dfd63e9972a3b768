#!/usr/bin/env bash
# Hostile peers and leaky secrets, against real servers on 127.0.0.1: an EDDA that streams
# without end or answers a gzip bomb, URLs whose scheme is not the peer's, passwords in the
# EDDA URL and secret webhook URLs (never printed or recorded), Elasticsearch answers that
# do not account for every document, and an SMTP server that enforces RFC 5321's line limit.
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
absent() {  # absent NAME SECRET FILE...: the secret is in none of the files
  local name=$1 secret=$2; shift 2
  if grep -qF -- "$secret" "$@"; then echo "FAIL $name: the secret was printed"; grep -F -- "$secret" "$@"; fail=1; fi
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
printf 'snapshot: examples/snapshot\npolicies: [policies/]\noutput: [webhook]\nwebhook: {url_env: RA_TEST_WEBHOOK_URL}\n' >"$tmp/hook-env.yaml"
RA_TEST_WEBHOOK_URL="file:///tmp/x" "$bin" check -c "$tmp/hook-env.yaml" -q >/dev/null 2>"$tmp/err"; expect "a webhook URL from the environment with file://" 3 $?
grep -q "webhook: the URL in RA_TEST_WEBHOOK_URL must be an http:// or https:// URL: its scheme is file://" "$tmp/err" \
  || { echo "FAIL url_env scheme message"; cat "$tmp/err"; fail=1; }

# 3. Secrets: a password in the EDDA URL, an EDDA password from the environment, and a
#    webhook URL are in no output, log line, error or manifest.
pw="Sekr1t-EddaPw"
secret="http://reddalert:$pw@127.0.0.1:$port/edda"
"$bin" check -c /dev/null policies --edda "$secret" "${window[@]}" -v --format json >"$tmp/out" 2>"$tmp/err"; expect "EDDA with a password, -v" 1 $?
grep -q "data from EDDA http://\*\*\*@127.0.0.1:$port/edda" "$tmp/err" || { echo "FAIL -v does not show the redacted URL"; cat "$tmp/err"; fail=1; }
[ "$(edda_control authorization)" = "Basic $(printf 'reddalert:%s' "$pw" | base64)" ] || { echo "FAIL the URL's password was not sent"; fail=1; }
absent "EDDA -v" "$pw" "$tmp/out" "$tmp/err"
printf 'http: {timeout: 2s, connect_timeout: 1s, retries: 0}\n' >"$tmp/fast.yaml"
for mode in 500 truncated html; do
  edda_control "fail-mode/$mode" >/dev/null
  "$bin" check -c "$tmp/fast.yaml" policies --edda "$secret" "${window[@]}" -v >"$tmp/out" 2>"$tmp/err"; expect "EDDA $mode with a password" 3 $?
  grep -q "http://\*\*\*@127.0.0.1:$port/edda/api/v2/" "$tmp/err" || { echo "FAIL EDDA $mode: the URL is not named"; cat "$tmp/err"; fail=1; }
  absent "EDDA $mode" "$pw" "$tmp/out" "$tmp/err"
done
edda_control fail-mode/none >/dev/null
"$bin" check -c "$tmp/fast.yaml" policies --edda "http://reddalert:$pw@127.0.0.1:1/edda" "${window[@]}" >"$tmp/out" 2>"$tmp/err"; expect "EDDA unreachable with a password" 3 $?
absent "EDDA unreachable" "$pw" "$tmp/out" "$tmp/err"
"$bin" snapshot --edda "$secret" --out "$tmp/recorded" --collection aws.securityGroups 2>"$tmp/err"; expect "snapshot with a password" 0 $?
grep -q "\"edda\": \"http://\*\*\*@127.0.0.1:$port/edda\"" "$tmp/recorded/manifest.json" || { echo "FAIL manifest"; cat "$tmp/recorded/manifest.json"; fail=1; }
absent "snapshot" "$pw" "$tmp/err" "$tmp/recorded/manifest.json"
edda_control fail-mode/500 >/dev/null
"$bin" snapshot --edda "$secret" --out "$tmp/failed" --collection aws.securityGroups 2>"$tmp/err"; expect "snapshot with a password, failing" 3 $?
absent "snapshot failing" "$pw" "$tmp/err"
edda_control fail-mode/none >/dev/null
# The password from the environment (edda_password_env), for the user named in the URL.
envpw='p@ss:w/rd%'
printf 'edda: http://reddalert@127.0.0.1:%s/edda\nedda_password_env: RA_TEST_EDDA_PASSWORD\n' "$port" >"$tmp/pwenv.yaml"
RA_TEST_EDDA_PASSWORD=$envpw "$bin" check -c "$tmp/pwenv.yaml" policies "${window[@]}" -v >"$tmp/out" 2>"$tmp/err"; expect "edda_password_env" 1 $?
[ "$(edda_control authorization)" = "Basic $(printf 'reddalert:%s' "$envpw" | base64)" ] \
  || { echo "FAIL edda_password_env was not sent: $(edda_control authorization)"; fail=1; }
absent "edda_password_env" "$envpw" "$tmp/out" "$tmp/err"
absent "edda_password_env, encoded" "p%40ss" "$tmp/out" "$tmp/err"
env -u RA_TEST_EDDA_PASSWORD "$bin" check -c "$tmp/pwenv.yaml" policies "${window[@]}" >"$tmp/out" 2>"$tmp/err"; expect "edda_password_env not set" 3 $?
grep -q "EDDA: the environment variable RA_TEST_EDDA_PASSWORD is not set" "$tmp/err" || { echo "FAIL unset EDDA password message"; cat "$tmp/err"; fail=1; }
# Webhook and Elasticsearch URLs in errors: the webhook's path and any password stay out.
hook="http://127.0.0.1:$http/services/T000/B000/XXhooksecretXX"
cat >"$tmp/sinks.yaml" <<YAML
snapshot: examples/snapshot
policies: [policies/]
output: [webhook, elasticsearch]
http: {timeout: 5s, retries: 0}
webhook: {url: "$hook"}
elasticsearch: {url: "http://elastic:EsPassw0rd@127.0.0.1:$http"}
YAML
http_control mode/500 >/dev/null
"$bin" check -c "$tmp/sinks.yaml" -v >"$tmp/out" 2>"$tmp/err"; expect "failing sinks with secrets in their URLs" 3 $?
grep -q "webhook http://127.0.0.1:$http/... answered HTTP 500" "$tmp/err" || { echo "FAIL webhook failure message"; cat "$tmp/err"; fail=1; }
grep -q "elasticsearch at http://\*\*\*@127.0.0.1:$http/_bulk answered HTTP 500" "$tmp/err" || { echo "FAIL elasticsearch failure message"; cat "$tmp/err"; fail=1; }
absent "webhook URL" "XXhooksecretXX" "$tmp/out" "$tmp/err"
absent "elasticsearch password" "EsPassw0rd" "$tmp/out" "$tmp/err"
http_control reset >/dev/null
RA_TEST_WEBHOOK_URL=$hook "$bin" check -c "$tmp/hook-env.yaml" -v >"$tmp/out" 2>"$tmp/err"; expect "webhook.url_env" 1 $?
grep -q '"path": "/services/T000/B000/XXhooksecretXX"' "$tmp/http.log" || { echo "FAIL url_env: no request"; fail=1; }
absent "webhook url_env" "XXhooksecretXX" "$tmp/out" "$tmp/err"
env -u RA_TEST_WEBHOOK_URL "$bin" check -c "$tmp/hook-env.yaml" -q >/dev/null 2>"$tmp/err"; expect "webhook.url_env not set" 3 $?
grep -q "webhook: the environment variable RA_TEST_WEBHOOK_URL is not set" "$tmp/err" || { echo "FAIL unset webhook URL message"; cat "$tmp/err"; fail=1; }

# 4. Elasticsearch must account for every document: no items, too few, `errors` that is
#    not a boolean are failures with one line, never a crash and never "delivered".
printf 'snapshot: examples/snapshot\npolicies: [policies/]\noutput: [elasticsearch]\nhttp: {timeout: 5s, retries: 0}\nelasticsearch: {url: "http://127.0.0.1:%s"}\n' "$http" >"$tmp/es.yaml"
es_failing() {  # es_failing MODE WHAT_THE_MESSAGE_SAYS
  http_control "mode/$1" >/dev/null
  "$bin" check -c "$tmp/es.yaml" -f "$tmp/es-state.json" -q >/dev/null 2>"$tmp/err"; expect "elasticsearch $1" 3 $?
  grep -q "reddalert: elasticsearch at http://127.0.0.1:$http/_bulk $2" "$tmp/err" || { echo "FAIL elasticsearch $1: message"; cat "$tmp/err"; fail=1; }
  one_line "elasticsearch $1" "$tmp/err"
  # Not taken: the alerts wait for Elasticsearch in the status file.
  grep -q '"pending"' "$tmp/es-state.json" 2>/dev/null || { echo "FAIL elasticsearch $1: alerts recorded as delivered"; fail=1; }
}
es_failing es-empty "answered for 0 of [0-9]* documents"
es_failing es-no-items "answered for 0 of [0-9]* documents"
es_failing es-short "answered for [0-9]* of [0-9]* documents"
es_failing es-bad-errors "answered \`errors\` that is not true or false"
es_failing es-partial "refused 1 of [0-9]* documents: failed to parse field \[first_seen\]"
http_control mode/ok >/dev/null
"$bin" check -c "$tmp/es.yaml" -f "$tmp/es-state.json" -q >/dev/null 2>"$tmp/err"; expect "elasticsearch ok: what waited is sent" 0 $?
grep -q '"pending"' "$tmp/es-state.json" && { echo "FAIL elasticsearch ok: alerts still wait"; fail=1; }

# 5. E-mail: a digest whose lines are far longer than RFC 5321's 1,000 bytes (a group with
#    200 open ports and a long, non-ASCII name) and a long non-ASCII subject arrive at a
#    server that enforces the limit, and decode to exactly the text reddalert printed.
mkdir -p "$tmp/wide"
/usr/bin/python3 - "$tmp/wide" <<'PY'
import json, sys
d = sys.argv[1]
name = "wide-" + "é日本-" * 300
perms = [{"fromPort": p, "toPort": p, "ipProtocol": "tcp", "ipRanges": ["0.0.0.0/0"]} for p in range(1000, 1200)]
sg = {"id": "sg-wide", "ctime": 1764400000000, "mtime": 1764400000000, "stime": 1764400000000, "ltime": None,
      "tags": {}, "data": {"groupId": "sg-wide", "groupName": name, "ownerId": "123456789012", "ipPermissions": perms}}
json.dump([sg], open(d + "/aws.securityGroups.json", "w"), ensure_ascii=False)
json.dump([], open(d + "/view.instances.json", "w"))  # read by secgroups: present, empty
json.dump({"captured_at": 1764547200000, "since": 1764115200000}, open(d + "/manifest.json", "w"))
PY
subject="[reddalert] {count} new alerts: $(printf 'ünïcödé %.0s' $(seq 120))end"
cat >"$tmp/mail.yaml" <<YAML
snapshot: $tmp/wide
output: [stdout, email]
email: {smtp_url: "smtp://127.0.0.1:$smtp", starttls: false, from: reddalert@example.com, to: [secops@example.com], subject: "$subject"}
YAML
"$bin" check -c "$tmp/mail.yaml" policies --policy secgroups --format text -q >"$tmp/printed.txt" 2>"$tmp/err"; expect "a digest with long lines" 1 $?
/usr/bin/python3 - "$tmp/mail" "$tmp/printed.txt" "$subject" <<'PY' || { echo "FAIL the mail did not survive"; cat "$tmp/err"; fail=1; }
import email, email.policy, sys
d, printed, subject = sys.argv[1], open(sys.argv[2], encoding="utf-8").read(), sys.argv[3]
raw = open(d + "/1.eml", "rb").read()
assert max(len(line) for line in raw.split(b"\r\n")) <= 998, "a line over 998 bytes"
msg = email.message_from_bytes(raw, policy=email.policy.default)
assert str(msg["Subject"]) == subject.replace("{count}", "1"), msg["Subject"]
text, html = [p.get_payload(decode=True).decode("utf-8") for p in msg.get_payload()]
assert text.replace("\r\n", "\n") == printed, "the text part differs from what was printed"
assert max(len(line) for line in printed.split("\n")) > 1000, "the test's lines are not long"
assert "tcp 1000-1000 open to 0.0.0.0/0" in printed and "tcp 1199-1199 open to 0.0.0.0/0" in printed
long_line = max(html.split("\n"), key=len)
assert len(long_line) > 8000 and long_line.count("<li>") == 201, "the HTML line of the alert was not kept whole"
PY

exit $fail
