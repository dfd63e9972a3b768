#!/usr/bin/env bash
# The alert sinks against real servers on 127.0.0.1, started here: an SMTP server
# (aiosmtpd) that stores what it receives, and an HTTP server that records Elasticsearch
# bulk and webhook requests and can be told to fail.
set -uo pipefail
bin=$1
source "$(dirname "$0")/common.sh"

mkdir -p "$tmp/mail"
/usr/bin/python3 "$here/smtp_server.py" --port 0 --port-file "$tmp/smtp.port" --maildir "$tmp/mail" --auth alice:s3cret >/dev/null 2>"$tmp/smtp.log" &
pids+=($!)
/usr/bin/python3 "$here/http_recorder.py" --port 0 --port-file "$tmp/http.port" --log "$tmp/http.log" >/dev/null 2>"$tmp/http.err" &
pids+=($!)
wait_for "$tmp/smtp.port"; wait_for "$tmp/http.port"
smtp=$(cat "$tmp/smtp.port"); http=$(cat "$tmp/http.port")
control() { /usr/bin/python3 -c "import urllib.request,sys; print(urllib.request.urlopen(sys.argv[1]).read().decode())" "http://127.0.0.1:$http/__control/$1"; }
documents() { control documents | /usr/bin/python3 -c "import json,sys; print(len(json.load(sys.stdin)))"; }

cat >"$tmp/reddalert.yaml" <<YAML
snapshot: examples/snapshot
policies: [policies/]
state: $tmp/state.json
output: [stdout, email, elasticsearch, webhook, file]
http: {timeout: 5s, retries: 0}
email:
  smtp_url: smtp://127.0.0.1:$smtp
  starttls: false
  from: reddalert@example.com
  to: [secops@example.com, oncall@example.com]
  subject: "[reddalert] {count} new alerts"
  username_env: RA_TEST_SMTP_USER
  password_env: RA_TEST_SMTP_PASSWORD
elasticsearch: {url: "http://127.0.0.1:$http", index: "reddalert-%Y.%m"}
webhook: {url: "http://127.0.0.1:$http/hooks/T000/B000", format: slack}
file: $tmp/alerts.ndjson
policies_config:
  elbs: {params: {allowed_ports: [80, 443]}}
YAML
export RA_TEST_SMTP_USER=alice RA_TEST_SMTP_PASSWORD=s3cret
run() { "$bin" check -c "$tmp/reddalert.yaml" --format json "$@"; }

# Run 1: every sink gets the new alerts.
run >"$tmp/run1.json" 2>"$tmp/err"; expect "run 1 delivers" 1 $?
count=$(/usr/bin/python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['alerts']))" "$tmp/run1.json")
[ "$count" -gt 5 ] || { echo "FAIL only $count alerts"; fail=1; }
[ -e "$tmp/mail/1.json" ] || { echo "FAIL no mail"; cat "$tmp/err"; fail=1; }
/usr/bin/python3 - "$tmp/mail" "$count" <<'PY' || fail=1
import email, json, sys
d, count = sys.argv[1], int(sys.argv[2])
meta = json.load(open(d + "/1.json"))
assert meta["auth_user"] == "alice", meta
assert sorted(meta["rcpt_tos"]) == ["oncall@example.com", "secops@example.com"], meta
msg = email.message_from_bytes(open(d + "/1.eml", "rb").read())
assert msg.get_content_type() == "multipart/alternative", msg.get_content_type()
assert msg["Subject"] == "[reddalert] %d new alerts" % count, msg["Subject"]
types = [p.get_content_type() for p in msg.get_payload()]
assert types == ["text/plain", "text/html"], types
assert "legacy-telnet" in msg.get_payload()[0].get_payload(decode=True).decode()
assert "<li><b>" in msg.get_payload()[1].get_payload(decode=True).decode()
PY
[ "$(documents)" = "$count" ] || { echo "FAIL elasticsearch holds $(documents) documents, want $count"; fail=1; }
grep -q '"path": "/hooks/T000/B000"' "$tmp/http.log" || { echo "FAIL no webhook request"; fail=1; }
grep '"/hooks/T000/B000"' "$tmp/http.log" | grep -q '\\"text\\"\|"text' || { echo "FAIL webhook is not Slack-shaped"; fail=1; }
[ "$(wc -l <"$tmp/alerts.ndjson")" = "$count" ] || { echo "FAIL file sink lines"; fail=1; }

# Run 2: nothing new, nothing sent.
run >/dev/null 2>"$tmp/err"; expect "run 2 is silent" 0 $?
[ -e "$tmp/mail/2.json" ] && { echo "FAIL run 2 sent mail"; fail=1; }

# A failing sink: exit 3. The run is committed with the alerts that sink did not take
# waiting for it in the status file; the next run sends them to it, and only to it.
rm -f "$tmp/state.json"
control reset >/dev/null
control mode/500 >/dev/null
run >/dev/null 2>"$tmp/err"; expect "elasticsearch answering 500" 3 $?
grep -q "elasticsearch at http://127.0.0.1:$http/_bulk answered HTTP 500" "$tmp/err" || { echo "FAIL sink failure message"; cat "$tmp/err"; fail=1; }
/usr/bin/python3 - "$tmp/state.json" "$count" <<'PY' || { echo "FAIL what a run with a failed sink commits"; fail=1; }
import json, sys
s = json.load(open(sys.argv[1]))
# The recorder answers 500 to the webhook too; e-mail and the file took theirs.
assert sorted(s["pending"]) == ["elasticsearch", "webhook"], s["pending"].keys()
assert all(len(p) == int(sys.argv[2]) for p in s["pending"].values()), [len(p) for p in s["pending"].values()]
assert len(s["alerts"]) == int(sys.argv[2]), len(s["alerts"])
assert all(p.get("until") for p in s["policies"].values()), s["policies"]
PY
control mode/ok >/dev/null
run >/dev/null 2>"$tmp/err"; expect "the next run delivers what waited" 0 $?
[ "$(documents)" = "$count" ] || { echo "FAIL elasticsearch holds $(documents) documents after the retry, want $count"; fail=1; }
grep -q '"pending"' "$tmp/state.json" && { echo "FAIL pending kept after the delivery"; fail=1; }
run --all --no-store-until --since 1764115200000 -o elasticsearch >/dev/null 2>"$tmp/err"; expect "sending the same alerts again" 1 $?
[ "$(documents)" = "$count" ] || { echo "FAIL elasticsearch duplicated documents: $(documents), want $count"; fail=1; }
control mode/es-errors >/dev/null
run --all --dry-run >/dev/null 2>&1; expect "--dry-run sends nothing" 1 $?
run --all -o elasticsearch --since 1764115200000 >/dev/null 2>"$tmp/err"; expect "elasticsearch errors: true" 3 $?
grep -q "refused [0-9]* of [0-9]* documents: failed to parse field" "$tmp/err" || { echo "FAIL bulk errors message"; cat "$tmp/err"; fail=1; }
control mode/ok >/dev/null

# One output failing while the others work: the others take the alerts, the failing one
# keeps them pending, so each output receives each alert once: one e-mail, one
# Elasticsearch document and one file line per alert in all.
rm -f "$tmp/state.json" "$tmp/alerts.ndjson"
control reset >/dev/null
mails() { ls "$tmp/mail" | grep -c '\.json$'; }
requests() { grep -c "\"path\": \"$1" "$tmp/http.log"; }
mails_before=$(mails)
control mode/hooks-500 >/dev/null
run >/dev/null 2>"$tmp/err"; expect "the webhook failing" 3 $?
grep -q "its alerts wait in the status file" "$tmp/err" || { echo "FAIL partial failure message"; cat "$tmp/err"; fail=1; }
[ "$(mails)" = $((mails_before + 1)) ] || { echo "FAIL e-mail not sent beside the failing webhook"; fail=1; }
/usr/bin/python3 - "$tmp/state.json" "$count" <<'PY' || { echo "FAIL the partial commit"; fail=1; }
import json, sys
s = json.load(open(sys.argv[1]))
assert list(s["pending"]) == ["webhook"], list(s["pending"])
assert len(s["pending"]["webhook"]) == int(sys.argv[2]), len(s["pending"]["webhook"])
PY
control mode/ok >/dev/null
run -v >/dev/null 2>"$tmp/err"; expect "the next run completes the delivery" 0 $?
[ "$(mails)" = $((mails_before + 1)) ] || { echo "FAIL e-mail sent twice"; fail=1; }
[ "$(requests /_bulk)" = 1 ] || { echo "FAIL $(requests /_bulk) bulk requests, want 1"; fail=1; }
[ "$(requests /hooks/)" = 2 ] || { echo "FAIL $(requests /hooks/) webhook requests, want 2 (failed, then sent)"; fail=1; }
[ "$(wc -l <"$tmp/alerts.ndjson")" = "$count" ] || { echo "FAIL file sink lines: $(wc -l <"$tmp/alerts.ndjson")"; fail=1; }
grep -q '"pending"' "$tmp/state.json" && { echo "FAIL pending kept after a complete run"; fail=1; }
run >/dev/null 2>"$tmp/err"; expect "then silence" 0 $?

# A file output that fills up part-way (here a file size limit) is cut back to whole lines.
printf 'snapshot: examples/snapshot\npolicies: [policies/]\noutput: [file]\nfile: %s/limited.ndjson\n' "$tmp" >"$tmp/file.yaml"
printf '{"earlier": "line"}\n' >"$tmp/limited.ndjson"
(trap '' XFSZ; ulimit -f 8; "$bin" check -c "$tmp/file.yaml" -q >/dev/null 2>"$tmp/err"); expect "a file output over its size limit" 3 $?
grep -q "file $tmp/limited.ndjson: File too large" "$tmp/err" || { echo "FAIL file size limit message"; cat "$tmp/err"; fail=1; }
[ "$(cat "$tmp/limited.ndjson")" = '{"earlier": "line"}' ] || { echo "FAIL a partial write was left in the file: $(wc -c <"$tmp/limited.ndjson") bytes"; fail=1; }

# SMTP refusing, and a missing secret.
RA_TEST_SMTP_PASSWORD=wrong run --all -o email --since 1764115200000 >/dev/null 2>"$tmp/err"; expect "wrong SMTP password" 3 $?
grep -q "email to secops@example.com, oncall@example.com via smtp://127.0.0.1:$smtp failed" "$tmp/err" || { echo "FAIL smtp failure message"; cat "$tmp/err"; fail=1; }
env -u RA_TEST_SMTP_PASSWORD "$bin" check -c "$tmp/reddalert.yaml" --all -o email --since 1764115200000 >/dev/null 2>"$tmp/err"; expect "missing SMTP secret" 3 $?
grep -q "RA_TEST_SMTP_PASSWORD is not set" "$tmp/err" || { echo "FAIL missing secret message"; cat "$tmp/err"; fail=1; }
"$bin" check -c "$tmp/reddalert.yaml" -o webhok >/dev/null 2>"$tmp/err"; expect "unknown output" 2 $?

# STARTTLS, verified against the test CA (http.ca_file), to a server that requires TLS.
/usr/bin/python3 "$here/smtp_server.py" make-cert "$tmp/certs" >/dev/null
mkdir -p "$tmp/tlsmail"
/usr/bin/python3 "$here/smtp_server.py" --port 0 --port-file "$tmp/tls.port" --maildir "$tmp/tlsmail" \
  --tls-cert "$tmp/certs/cert.pem" --tls-key "$tmp/certs/key.pem" --require-tls --auth alice:s3cret >/dev/null 2>"$tmp/tls.log" &
pids+=($!)
wait_for "$tmp/tls.port"
sed -e "s|smtp_url: smtp://127.0.0.1:$smtp|smtp_url: smtp://127.0.0.1:$(cat "$tmp/tls.port")|" -e "s|starttls: false|starttls: true|" \
    -e "s|http: {timeout: 5s, retries: 0}|http: {timeout: 5s, retries: 0, ca_file: $tmp/certs/cert.pem}|" "$tmp/reddalert.yaml" >"$tmp/tls.yaml"
"$bin" check -c "$tmp/tls.yaml" --all -o email --since 1764115200000 --no-store-until >/dev/null 2>"$tmp/err"; expect "e-mail over STARTTLS" 1 $?
/usr/bin/python3 -c "import json,sys; m=json.load(open(sys.argv[1])); assert m['tls'] and m['auth_user']=='alice', m" "$tmp/tlsmail/1.json" \
  || { echo "FAIL STARTTLS mail"; cat "$tmp/err"; fail=1; }
sed -e "s|ca_file: $tmp/certs/cert.pem||" "$tmp/tls.yaml" >"$tmp/tls-noca.yaml"
"$bin" check -c "$tmp/tls-noca.yaml" --all -o email --since 1764115200000 --no-store-until >/dev/null 2>"$tmp/err"; expect "an unverified certificate is refused" 3 $?
exit $fail
