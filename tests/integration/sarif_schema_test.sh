#!/usr/bin/env bash
# `check --format sarif` against the official SARIF 2.1.0 JSON schema, which scripts/setup.sh fetches
# (scripts/fetch_sarif_schema.sh), and what the schema cannot say: every result names a rule of the run,
# lines start at 1, URIs are URI references that name the policy file (absolute ones as file:// URIs,
# relative ones against %SRCROOT%), the rules carry the severity of their policy, its security-severity
# (docs/cli.md), a full description, help and the tag `security`, the driver its version, and the
# invocation its run-time problems and policies not evaluated as notifications. Then the SARIF of
# lint's diagnostics (`lint --format sarif`, and `check --format sarif` when lint stops it): the
# schema, and a rule per diagnostic code, levels by code, regions with start and end columns in
# characters.
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
lint = len(sys.argv) > 3 and sys.argv[3] == "lint"  # diagnostics: rules are codes, not policies
errors = sorted(cls(schema, format_checker=jsonschema.FormatChecker()).iter_errors(doc), key=lambda e: e.json_path)
problems = [f"{e.json_path}: {e.message}" for e in errors]

def level(severity):  # as in src/sinks/formats.cpp
    return "error" if severity in ("critical", "high") else "warning" if severity == "medium" else "note"
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "0.0"}  # docs/cli.md

def policy_severity(path, line):  # the `severity` of the policy that starts at `line` of `path`
    with open(path) as f:
        for text in f.read().splitlines()[line - 1:]:
            m = re.match(r"\s*severity\s+(\w+)", text)
            if m: return m.group(1)

uri_reference = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*$")  # RFC 3986 characters
def file_of(run, artifact):  # the local path an artifactLocation names, or a problem
    uri = artifact["uri"]
    if not uri_reference.match(uri): return None, f"uri {uri!r} is not a URI reference"
    if "uriBaseId" in artifact:
        if uri.startswith("file:") or uri.startswith("/"): return None, f"uri {uri!r} has a uriBaseId but is absolute"
        base = run.get("originalUriBaseIds", {}).get(artifact["uriBaseId"], {}).get("uri")
        if base is None: return None, f"uriBaseId {artifact['uriBaseId']!r} is not in originalUriBaseIds"
        if not base.startswith("file:///") or not base.endswith("/"): return None, f"base {base!r} is no file:// directory"
        uri = base + uri
    elif not uri.startswith("file:///"): return None, f"uri {uri!r} is relative without a uriBaseId"
    path = urllib.parse.unquote(urllib.parse.urlparse(uri).path)
    return (path, None) if os.path.isfile(path) else (None, f"uri {uri!r} names no file")

if not problems:
    for r, run in enumerate(doc["runs"]):
        driver = run["tool"]["driver"]
        if not driver.get("version"): problems.append(f"$.runs[{r}].tool.driver: no version")
        if not driver.get("informationUri"): problems.append(f"$.runs[{r}].tool.driver: no informationUri")
        rules = driver.get("rules", [])
        ids = [rule["id"] for rule in rules]
        if len(set(ids)) != len(ids): problems.append(f"$.runs[{r}].tool.driver.rules: duplicate ids {ids}")
        for i, rule in enumerate(rules if lint else []):
            if not re.fullmatch(r"[EW]0\d{3}", rule["id"]): problems.append(f"rule {rule['id']!r} is not a code")
            if not rule.get("shortDescription", {}).get("text"): problems.append(f"rule {rule['id']!r}: no text")
        for i, rule in enumerate([] if lint else rules):
            at = f"$.runs[{r}].tool.driver.rules[{i}]"
            properties = rule.get("properties", {})
            severity = properties.get("severity")
            if rule.get("defaultConfiguration", {}).get("level") != level(severity):
                problems.append(f"{at}: level does not match severity {severity!r}")
            if properties.get("security-severity") != SECURITY_SEVERITY.get(severity):
                problems.append(f"{at}: security-severity {properties.get('security-severity')!r} for {severity!r}")
            if "security" not in properties.get("tags", []): problems.append(f"{at}: no tag 'security'")
            for key in ("shortDescription", "fullDescription", "help"):
                if not rule.get(key, {}).get("text"): problems.append(f"{at}: no {key}.text")
        for i, invocation in enumerate(run.get("invocations", [])):
            notifications = invocation.get("toolExecutionNotifications", [])
            errors = [n for n in notifications if n.get("level") == "error"]
            if invocation.get("executionSuccessful") != (not errors):
                problems.append(f"$.runs[{r}].invocations[{i}]: executionSuccessful with {len(errors)} error notifications")
            for k, n in enumerate(notifications):
                at = f"$.runs[{r}].invocations[{i}].toolExecutionNotifications[{k}]"
                rule = n.get("associatedRule", {})
                if lint and not rule: pass
                elif rule.get("id") not in ids: problems.append(f"{at}.associatedRule: {rule.get('id')!r} is not a rule")
                elif "index" in rule and ids[rule["index"]] != rule["id"]: problems.append(f"{at}.associatedRule: index")
                for m, location in enumerate(n.get("locations", [])):
                    path, problem = file_of(run, location["physicalLocation"]["artifactLocation"])
                    if problem: problems.append(f"{at}.locations[{m}]: {problem}")
        for k, result in enumerate(run.get("results", [])):
            at = f"$.runs[{r}].results[{k}]"
            if result.get("ruleId") not in ids:
                problems.append(f"{at}.ruleId: {result.get('ruleId')!r} is not in tool.driver.rules")
                continue
            rule = rules[ids.index(result["ruleId"])]
            if result.get("ruleIndex", -1) >= 0 and ids[result["ruleIndex"]] != result["ruleId"]:
                problems.append(f"{at}.ruleIndex: {result['ruleIndex']} is not rule {result['ruleId']!r}")
            if lint:  # an E code is an error; a W code a warning (or an error, raised by `lint:`)
                if result.get("level") not in (("error",) if result["ruleId"][0] == "E" else ("error", "warning")):
                    problems.append(f"{at}.level: {result.get('level')!r} for {result['ruleId']}")
                for n, location in enumerate(result.get("locations", [])):
                    region = location["physicalLocation"]["region"]
                    if not (region.get("endLine") == region["startLine"] and region.get("endColumn", 0) > region.get("startColumn", 0) >= 1):
                        problems.append(f"{at}.locations[{n}]: region {region} is not a span on one line")
                    path, problem = file_of(run, location["physicalLocation"]["artifactLocation"])
                    if problem: problems.append(f"{at}.locations[{n}]: {problem}")
                continue
            if result.get("level") != rule["defaultConfiguration"]["level"]:
                problems.append(f"{at}.level: {result.get('level')!r}, the rule says {rule['defaultConfiguration']['level']!r}")
            if not result.get("locations"): problems.append(f"{at}.locations: none")
            for n, location in enumerate(result.get("locations", [])):
                physical = location["physicalLocation"]
                line = physical["region"]["startLine"]
                if line < 1: problems.append(f"{at}.locations[{n}]: startLine {line} < 1")
                path, problem = file_of(run, physical["artifactLocation"])
                if problem:
                    problems.append(f"{at}.locations[{n}]: {problem}")
                elif policy_severity(path, line) != rule["properties"]["severity"]:
                    problems.append(f"{at}: rule severity {rule['properties']['severity']!r}, "
                                    f"the policy at {path}:{line} says {policy_severity(path, line)!r}")
for p in problems: print(f"  {sys.argv[2]}: {p}")
sys.exit(1 if problems else 0)
PY
valid() {  # valid NAME FILE [lint]: the document must pass
  if /usr/bin/python3 "$tmp/validate.py" "$schema" "$2" ${3:-} >"$tmp/problems" 2>&1; then echo "ok   $1"
  else echo "FAIL $1: invalid SARIF"; cat "$tmp/problems"; fail=1; fi
}
rejected() {  # rejected NAME FILE WANT [lint]: the document must fail, with WANT among the problems
  if /usr/bin/python3 "$tmp/validate.py" "$schema" "$2" ${4:-} >"$tmp/problems" 2>&1; then
    echo "FAIL $1: accepted"; fail=1
  elif ! grep -qF -- "$3" "$tmp/problems"; then
    echo "FAIL $1: rejected, but not for $3"; cat "$tmp/problems"; fail=1
  else echo "ok   $1 (rejected: $(grep -F -- "$3" "$tmp/problems" | head -1 | sed 's/^ *//'))"; fi
}

# (a) every shipped policy on the bundled snapshot: alerts exit 1.
"$bin" check policies --snapshot examples/snapshot --format sarif -c /dev/null -q >"$tmp/all.sarif" 2>"$tmp/err"
expect "check --format sarif with alerts" 1 $?
valid "sarif with alerts is valid" "$tmp/all.sarif"
version=$("$bin" version | head -1 | cut -d' ' -f2)
/usr/bin/python3 -c "
import glob, json, re, sys; d = json.load(open('$tmp/all.sarif')); run = d['runs'][0]
assert len(run['results']) > 10 and len(run['tool']['driver']['rules']) > 10, 'too few results or rules'
policies = {p for f in glob.glob('policies/**/*.policy', recursive=True) for p in re.findall(r'^policy ([a-z0-9_-]+)', open(f).read(), re.M)}
assert {r['id'] for r in run['tool']['driver']['rules']} == policies, 'a rule per shipped policy'
assert {r['ruleId'] for r in run['results']} <= policies, 'results of the policies'
assert run['tool']['driver']['version'] == '$version', 'the driver version is the program version'
assert run['originalUriBaseIds']['%SRCROOT%']['uri'].endswith('/'), 'policies/ is relative to %SRCROOT%'
assert run['invocations'][0]['executionSuccessful'] is True, 'a complete run is successful'
" || { echo "FAIL the sarif with alerts has results of many policies, a rule per policy and the version"; fail=1; }

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
broken("security-severity", lambda d: d["runs"][0]["tool"]["driver"]["rules"][0]["properties"].update(
    {"security-severity": "1.0"}))
broken("successful", lambda d: d["runs"][0]["invocations"][0].update(executionSuccessful=False))
broken("no-base", lambda d: d["runs"][0].pop("originalUriBaseIds"))
PY
rejected "no version" "$tmp/no-version.sarif" "'version' is a required property"
rejected "level severe" "$tmp/severe.sarif" "'severe' is not one of"
rejected "startLine 0" "$tmp/line-0.sarif" "0 is less than the minimum of 1"
rejected "unknown ruleId" "$tmp/unknown-rule.sarif" "'no-such-policy' is not in tool.driver.rules"
rejected "rule severity not the policy's" "$tmp/wrong-severity.sarif" "rule severity 'low', the policy at"
rejected "security-severity not the severity's" "$tmp/security-severity.sarif" "security-severity '1.0' for"
rejected "unsuccessful without an error" "$tmp/successful.sarif" "executionSuccessful with 0 error notifications"
rejected "%SRCROOT% not set" "$tmp/no-base.sarif" "is not in originalUriBaseIds"

# (d) a policy directory whose name is no URI: the path is percent-encoded.
mkdir -p "$tmp/my policies #1"
cp policies/elbs.policy "$tmp/my policies #1/"
"$bin" check "$tmp/my policies #1" --snapshot examples/snapshot --format sarif -c /dev/null -q >"$tmp/odd.sarif" 2>"$tmp/err"
expect "check --format sarif, a directory with ' ' and '#'" 1 $?
valid "sarif with an odd directory is valid" "$tmp/odd.sarif"
grep -qF "my%20policies%20%231/elbs.policy" "$tmp/odd.sarif" || { echo "FAIL the uri is not percent-encoded"; fail=1; }
grep -qF '"uri": "file:///' "$tmp/odd.sarif" || { echo "FAIL an absolute path is not a file:// URI"; fail=1; }

# (e) the remediation and compliance metadata, a run-time problem and a policy not evaluated: the
# rule's helpUri and properties, the notifications with their places, executionSuccessful false.
mkdir -p "$tmp/meta" "$tmp/snap"
cp examples/snapshot/aws.securityGroups.json "$tmp/snap/"
cat >"$tmp/meta/meta.policy" <<'POLICY'
reddalert 1
policy meta {
  title "Groups with rules"
  severity critical
  description "A group has ingress rules."
  tags ["ec2"]
  help_url "https://wiki.example.com/security/meta"
  references ["https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html"]
  controls {"cis-aws-3.0": ["5.2", "5.3"], prowler: ["ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22"]}
  for sg in aws.securityGroups
  where len(sg.ipPermissions) > 0
  alert sg.groupId
  message "{1 / (len(sg.ipPermissions) - 1)} per rule"
}
policy databases {
  title "Databases"
  severity info
  description "d"
  for db in aws.databases
  alert db.dbinstanceIdentifier
  message "a database"
}
POLICY
(cd "$tmp" && "$bin" check meta --snapshot snap --until 2025-12-01 --format sarif -c /dev/null -q >meta.sarif 2>err)
expect "check --format sarif with problems and a policy not evaluated" 5 $?
valid "sarif with metadata, problems and a policy not evaluated is valid" "$tmp/meta.sarif"
/usr/bin/python3 - "$tmp/meta.sarif" <<'PY' || { echo "FAIL the sarif carries the metadata and the notifications"; fail=1; }
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
meta = rules["meta"]
assert meta["helpUri"] == "https://wiki.example.com/security/meta", meta
assert meta["fullDescription"]["text"] == "A group has ingress rules.", meta
assert "Help: https://wiki.example.com/security/meta" in meta["help"]["text"], meta
assert meta["properties"]["security-severity"] == "9.5" and meta["properties"]["tags"] == ["security", "ec2"], meta
assert meta["properties"]["controls"] == {"cis-aws-3.0": ["5.2", "5.3"],
                                          "prowler": ["ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22"]}
assert "helpUri" not in rules["databases"] and rules["databases"]["properties"]["security-severity"] == "0.0"
invocation = run["invocations"][0]
assert invocation["executionSuccessful"] is False, invocation
kinds = sorted(n["descriptor"]["id"] for n in invocation["toolExecutionNotifications"])
assert kinds == ["not-evaluated", "run-time-problem"], kinds
problem = [n for n in invocation["toolExecutionNotifications"] if n["descriptor"]["id"] == "run-time-problem"][0]
region = problem["locations"][0]["physicalLocation"]["region"]
assert region["startLine"] == 13 and region["startColumn"] >= 1, problem
assert all(r["properties"]["controls"]["cis-aws-3.0"] == ["5.2", "5.3"] for r in run["results"]), "alerts carry controls"
PY

# (f) lint's diagnostics: `lint --format sarif` on a policy with an error after `ï` and a warning, on
# the shipped policies (no results), and `check --format sarif` stopped by the same lint error.
mkdir -p "$tmp/bad"
cat >"$tmp/bad/bad.policy" <<'POLICY'
reddalert 1
policy bad {
  title "t"
  severity low
  for sg in aws.securityGroups
  where sg.description == "ïï" or sg.groupNam == "a"
  alert sg.groupId
  message "m"
}
POLICY
(cd "$tmp" && "$bin" lint bad --format sarif -c /dev/null >lint.sarif 2>err)
expect "lint --format sarif with an error" 2 $?
valid "lint sarif is valid" "$tmp/lint.sarif" lint
/usr/bin/python3 - "$tmp/lint.sarif" <<'PY' || { echo "FAIL the lint sarif has the error and the warning at their columns"; fail=1; }
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
results = {r["ruleId"]: r for r in run["results"]}
assert sorted(results) == ["E0203", "W0203"] and run["invocations"][0]["executionSuccessful"] is True, run
region = results["E0203"]["locations"][0]["physicalLocation"]["region"]
assert (region["startLine"], region["startColumn"], region["endColumn"]) == (6, 38, 46), region  # characters
assert results["E0203"]["level"] == "error" and results["W0203"]["level"] == "warning", results
PY
/usr/bin/python3 -c "
import json; d = json.load(open('$tmp/lint.sarif'))
d['runs'][0]['results'][0]['locations'][0]['physicalLocation']['region'].pop('endColumn')
json.dump(d, open('$tmp/lint-no-end.sarif', 'w'))"
rejected "lint region without an end" "$tmp/lint-no-end.sarif" "is not a span on one line" lint
"$bin" lint policies --format sarif -c /dev/null >"$tmp/clean.sarif" 2>"$tmp/err"
expect "lint --format sarif on the shipped policies" 0 $?
valid "clean lint sarif is valid" "$tmp/clean.sarif" lint
(cd "$tmp" && "$bin" check bad --snapshot /nonexistent --format sarif -c /dev/null >check.sarif 2>err)
expect "check --format sarif stopped by lint" 2 $?
valid "check sarif stopped by lint is valid" "$tmp/check.sarif" lint
/usr/bin/python3 -c "
import json; run = json.load(open('$tmp/check.sarif'))['runs'][0]
assert run['invocations'][0]['executionSuccessful'] is False and {r['ruleId'] for r in run['results']} == {'E0203', 'W0203'}
" || { echo "FAIL the sarif of a check stopped by lint carries the diagnostics and is not successful"; fail=1; }
exit $fail
