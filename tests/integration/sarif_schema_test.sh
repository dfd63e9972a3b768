#!/usr/bin/env bash
# `check --format sarif` against the official SARIF 2.1.0 JSON schema, which scripts/setup.sh fetches
# (scripts/fetch_sarif_schema.sh), and what the schema cannot say: every result names a rule of the run,
# lines start at 1, URIs are URI references, and the rules carry the severity of their policy.
set -uo pipefail
bin=$1
schema=${2:-build/deps/sarif-schema-2.1.0.json}
source "$(dirname "$0")/common.sh"
if [ ! -s "$schema" ]; then
  echo "FAIL the SARIF 2.1.0 schema is missing ($schema): run scripts/setup.sh, which fetches it"
  exit 1
fi
/usr/bin/python3 -c "import jsonschema" 2>/dev/null || { echo "FAIL python3-jsonschema is missing: run scripts/setup.sh"; exit 1; }

# validate SARIF: exit 0 when valid, else 1 with one line per problem (JSON path: message).
cat >"$tmp/validate.py" <<'PY'
import json, os, re, sys, urllib.parse
import jsonschema

schema = json.load(open(sys.argv[1]))
cls = jsonschema.validators.validator_for(schema)  # the schema's own $schema: draft-04
cls.check_schema(schema)
doc = json.load(open(sys.argv[2]))
errors = sorted(cls(schema, format_checker=jsonschema.FormatChecker()).iter_errors(doc), key=lambda e: e.json_path)
problems = [f"{e.json_path}: {e.message}" for e in errors]

def level(severity):  # as in src/sinks/formats.cpp
    return "error" if severity in ("critical", "high") else "warning" if severity == "medium" else "note"

def policy_severity(path, line):  # the `severity` of the policy that starts at `line` of `path`
    with open(path) as f:
        for text in f.read().splitlines()[line - 1:]:
            m = re.match(r"\s*severity\s+(\w+)", text)
            if m: return m.group(1)

uri_reference = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*$")  # RFC 3986 characters
if not problems:
    for r, run in enumerate(doc["runs"]):
        rules = run["tool"]["driver"].get("rules", [])
        ids = [rule["id"] for rule in rules]
        if len(set(ids)) != len(ids): problems.append(f"$.runs[{r}].tool.driver.rules: duplicate ids {ids}")
        for i, rule in enumerate(rules):
            severity = rule.get("properties", {}).get("severity")
            if rule.get("defaultConfiguration", {}).get("level") != level(severity):
                problems.append(f"$.runs[{r}].tool.driver.rules[{i}]: level does not match severity {severity!r}")
        for k, result in enumerate(run.get("results", [])):
            at = f"$.runs[{r}].results[{k}]"
            if result.get("ruleId") not in ids:
                problems.append(f"{at}.ruleId: {result.get('ruleId')!r} is not in tool.driver.rules")
                continue
            rule = rules[ids.index(result["ruleId"])]
            if result.get("ruleIndex", -1) >= 0 and ids[result["ruleIndex"]] != result["ruleId"]:
                problems.append(f"{at}.ruleIndex: {result['ruleIndex']} is not rule {result['ruleId']!r}")
            if result.get("level") != rule["defaultConfiguration"]["level"]:
                problems.append(f"{at}.level: {result.get('level')!r}, the rule says {rule['defaultConfiguration']['level']!r}")
            if not result.get("locations"): problems.append(f"{at}.locations: none")
            for n, location in enumerate(result.get("locations", [])):
                physical = location["physicalLocation"]
                uri, line = physical["artifactLocation"]["uri"], physical["region"]["startLine"]
                if line < 1: problems.append(f"{at}.locations[{n}]: startLine {line} < 1")
                if not uri_reference.match(uri):
                    problems.append(f"{at}.locations[{n}]: uri {uri!r} is not a URI reference")
                    continue
                path = urllib.parse.unquote(uri)
                if not os.path.isfile(path):
                    problems.append(f"{at}.locations[{n}]: uri {uri!r} names no file")
                elif policy_severity(path, line) != rule["properties"]["severity"]:
                    problems.append(f"{at}: rule severity {rule['properties']['severity']!r}, "
                                    f"the policy at {path}:{line} says {policy_severity(path, line)!r}")
for p in problems: print(f"  {sys.argv[2]}: {p}")
sys.exit(1 if problems else 0)
PY
valid() {  # valid NAME FILE: the document must pass
  if /usr/bin/python3 "$tmp/validate.py" "$schema" "$2" >"$tmp/problems" 2>&1; then echo "ok   $1"
  else echo "FAIL $1: invalid SARIF"; cat "$tmp/problems"; fail=1; fi
}
rejected() {  # rejected NAME FILE WANT: the document must fail, with WANT among the problems
  if /usr/bin/python3 "$tmp/validate.py" "$schema" "$2" >"$tmp/problems" 2>&1; then
    echo "FAIL $1: accepted"; fail=1
  elif ! grep -qF -- "$3" "$tmp/problems"; then
    echo "FAIL $1: rejected, but not for $3"; cat "$tmp/problems"; fail=1
  else echo "ok   $1 (rejected: $(grep -F -- "$3" "$tmp/problems" | head -1 | sed 's/^ *//'))"; fi
}

# (a) every shipped policy on the bundled snapshot: alerts exit 1.
"$bin" check policies --snapshot examples/snapshot --format sarif -c /dev/null -q >"$tmp/all.sarif" 2>"$tmp/err"
expect "check --format sarif with alerts" 1 $?
valid "sarif with alerts is valid" "$tmp/all.sarif"
/usr/bin/python3 -c "
import json, sys; d = json.load(open('$tmp/all.sarif')); run = d['runs'][0]
assert len(run['results']) > 10 and len(run['tool']['driver']['rules']) > 10, 'too few results or rules'
assert {r['ruleId'] for r in run['results']} == {r['id'] for r in run['tool']['driver']['rules']}, 'rules without results'
" || { echo "FAIL the sarif with alerts has results of many policies"; fail=1; }

# (b) nothing new: the second run on the same status file has no alerts, exit 0.
"$bin" check policies --snapshot examples/snapshot -c /dev/null -f "$tmp/state.json" -q >/dev/null 2>&1
"$bin" check policies --snapshot examples/snapshot --format sarif -c /dev/null -f "$tmp/state.json" -q \
  >"$tmp/none.sarif" 2>"$tmp/err"
expect "check --format sarif without alerts" 0 $?
valid "sarif without alerts is valid" "$tmp/none.sarif"
/usr/bin/python3 -c "import json; d = json.load(open('$tmp/none.sarif')); assert d['runs'][0]['results'] == []" \
  || { echo "FAIL the sarif without alerts has no results"; fail=1; }

# (c) broken copies are rejected: the validator does validate.
/usr/bin/python3 - "$tmp" <<'PY'
import json, sys
tmp = sys.argv[1]
def broken(name, change):
    d = json.load(open(tmp + "/all.sarif")); change(d); json.dump(d, open(f"{tmp}/{name}.sarif", "w"))
broken("no-version", lambda d: d.pop("version"))
broken("severe", lambda d: d["runs"][0]["results"][0].update(level="severe"))
broken("line-0", lambda d: d["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"].update(startLine=0))
broken("unknown-rule", lambda d: d["runs"][0]["results"][0].update(ruleId="no-such-policy"))
broken("wrong-severity", lambda d: d["runs"][0]["tool"]["driver"]["rules"][0].update(
    defaultConfiguration={"level": "note"}, properties={"severity": "low", "revision": 1}))
PY
rejected "no version" "$tmp/no-version.sarif" "'version' is a required property"
rejected "level severe" "$tmp/severe.sarif" "'severe' is not one of"
rejected "startLine 0" "$tmp/line-0.sarif" "0 is less than the minimum of 1"
rejected "unknown ruleId" "$tmp/unknown-rule.sarif" "'no-such-policy' is not in tool.driver.rules"
rejected "rule severity not the policy's" "$tmp/wrong-severity.sarif" "rule severity 'low', the policy at"

# (d) a policy directory whose name is no URI: the path is percent-encoded.
mkdir -p "$tmp/my policies #1"
cp policies/elbs.policy "$tmp/my policies #1/"
"$bin" check "$tmp/my policies #1" --snapshot examples/snapshot --format sarif -c /dev/null -q >"$tmp/odd.sarif" 2>"$tmp/err"
expect "check --format sarif, a directory with ' ' and '#'" 1 $?
valid "sarif with an odd directory is valid" "$tmp/odd.sarif"
grep -qF "my%20policies%20%231/elbs.policy" "$tmp/odd.sarif" || { echo "FAIL the uri is not percent-encoded"; fail=1; }
exit $fail
