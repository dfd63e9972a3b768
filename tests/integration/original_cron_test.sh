#!/usr/bin/env bash
# The upgrade path end to end: the original tool's command line, configfile.json and status
# file, run from "cron" against a live EDDA (tests/integration/edda_server.py), with e-mail
# (smtp_server.py) and Elasticsearch (http_recorder.py), all on 127.0.0.1. Elasticsearch is
# down for the first run: every alert still reaches the mailbox once and Elasticsearch once.
set -uo pipefail
bin=$1
source "$(dirname "$0")/common.sh"

mkdir -p "$tmp/mail"
/usr/bin/python3 "$here/edda_server.py" --dir examples/snapshot --port 0 --context /edda --port-file "$tmp/edda.port" >/dev/null 2>"$tmp/edda.log" &
pids+=($!)
/usr/bin/python3 "$here/smtp_server.py" --port 0 --port-file "$tmp/smtp.port" --maildir "$tmp/mail" >/dev/null 2>"$tmp/smtp.log" &
pids+=($!)
/usr/bin/python3 "$here/http_recorder.py" --port 0 --port-file "$tmp/es.port" --log "$tmp/es.log" --mode 500 >/dev/null 2>"$tmp/es.err" &
pids+=($!)
wait_for "$tmp/edda.port"; wait_for "$tmp/smtp.port"; wait_for "$tmp/es.port"
es=$(cat "$tmp/es.port")
control() { /usr/bin/python3 -c "import urllib.request,sys; print(urllib.request.urlopen(sys.argv[1]).read().decode())" "http://127.0.0.1:$es/__control/$1"; }
documents() { control documents | /usr/bin/python3 -c "import json,sys; print(len(json.load(sys.stdin)))"; }
mails() { ls "$tmp/mail" | grep -c '\.json$'; }
bulks() { grep -c '"path": "/_bulk' "$tmp/es.log"; }

# The original's configuration file, as it was, and its status file with a first-seen AMI.
cat >"$tmp/configfile.json" <<JSON
{
  "edda": "http://127.0.0.1:$(cat "$tmp/edda.port")/edda",
  "output": "stdout_tabsep,mail_txt,elasticsearch",
  "store-until": true,
  "es_host": "127.0.0.1",
  "es_port": $es,
  "email_from": "reddalert@example.com",
  "email_to": "secops@example.com",
  "email_subject": "reddalert report",
  "smtp_host": "127.0.0.1:$(cat "$tmp/smtp.port")",
  "plugin.secgroups": {"allowed_ports": [22, 443], "whitelisted_ips": ["10.0.0.0/8"]},
  "plugin.elbs": {"allowed_ports": [80, 443]},
  "plugin.ami": {"allowed_tags": []},
  "plugin.s3acl": {"user": "x"}
}
JSON
printf '{"since": 1764115200000, "plugin.ami": {"first_seen": {"ami-0fe09f62e9b104e0f": 1764000000000}}}\n' >"$tmp/status.json"
cron() { "$bin" --configfile "$tmp/configfile.json" --statusfile "$tmp/status.json" --until 1764547200000 secgroups elbs ami; }

# Run 1: Elasticsearch answers 500. The mail goes out; exit 3; the run is committed with
# the alerts Elasticsearch did not take waiting for it.
cron >"$tmp/run1.tsv" 2>"$tmp/err"; expect "run 1, Elasticsearch down" 3 $?
count=$(wc -l <"$tmp/run1.tsv")
[ "$count" -ge 4 ] || { echo "FAIL only $count alerts in run 1"; cat "$tmp/err"; fail=1; }
grep -q "ami-0fe09f62e9b104e0f" "$tmp/run1.tsv" && { echo "FAIL the migrated first_seen was forgotten"; fail=1; }
[ "$(mails)" = 1 ] || { echo "FAIL $(mails) mails after run 1, want 1"; cat "$tmp/err"; fail=1; }
grep -q '"until": 1764547200000' "$tmp/status.json" || { echo "FAIL the window did not move"; fail=1; }
grep -q '"pending"' "$tmp/status.json" || { echo "FAIL no alerts wait for Elasticsearch"; fail=1; }

# Run 2: Elasticsearch is back. It gets every alert; the mailbox gets nothing more.
refused=$(bulks)  # with the configured retries
control mode/ok >/dev/null
cron >"$tmp/run2.tsv" 2>"$tmp/err"; expect "run 2 completes the delivery" 0 $?
[ "$(mails)" = 1 ] || { echo "FAIL $(mails) mails after run 2, want 1"; fail=1; }
[ "$(documents)" = "$count" ] || { echo "FAIL Elasticsearch holds $(documents) documents, want $count"; fail=1; }
[ "$(bulks)" = $((refused + 1)) ] || { echo "FAIL $(bulks) bulk requests, want $((refused + 1)): the refused ones, then one"; fail=1; }
grep -q '"pending"' "$tmp/status.json" && { echo "FAIL alerts still wait after the delivery"; fail=1; }
grep -q '"format": "reddalert-state/2"' "$tmp/status.json" || { echo "FAIL the status file was not migrated"; fail=1; }

# Run 3: nothing new anywhere.
cron >"$tmp/run3.tsv" 2>"$tmp/err"; expect "run 3 is silent" 0 $?
[ -s "$tmp/run3.tsv" ] && { echo "FAIL run 3 printed alerts"; fail=1; }
[ "$(mails)" = 1 ] && [ "$(bulks)" = $((refused + 1)) ] || { echo "FAIL run 3 sent something"; fail=1; }
/usr/bin/python3 - "$tmp/mail/1.eml" "$count" <<'PY' || fail=1
import email, sys
msg = email.message_from_bytes(open(sys.argv[1], "rb").read())
assert msg["Subject"] == "reddalert report", msg["Subject"]
text = msg.get_payload()[0].get_payload(decode=True).decode()
assert "legacy-telnet" in text, text
PY
exit $fail
