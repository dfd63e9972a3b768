#!/usr/bin/python3
"""Executes the CI jobs of docs/ci.md: every `run:` step of the GitHub workflow (except the
`Install ...` ones) and every `script:` line of the GitLab job, in a scratch clone with a
real `origin` and a branch that changes a policy. Posting is checked for real: `gh` is a
recording script first on PATH, and GitLab's API is a recording HTTP server on 127.0.0.1.

Usage: ci_doc_test.py REDDALERT SOURCE_DIR
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

reddalert, source = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
failed = False


def fail(what):
    global failed
    failed = True
    print("FAIL", what)


def git(*args, cwd):
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=cwd, check=True,
                   stdout=subprocess.DEVNULL)


text = open(os.path.join(source, "docs/ci.md")).read()
blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", text, re.S)]
github = next(b for b in blocks if "jobs" in b)
gitlab = next(b for b in blocks if "policies" in b and "script" in b["policies"])

with tempfile.TemporaryDirectory() as tmp:
    # origin: the shipped policies, configuration and snapshot on main.
    seed = os.path.join(tmp, "seed")
    os.makedirs(os.path.join(seed, "examples"))
    shutil.copytree(os.path.join(source, "policies"), os.path.join(seed, "policies"))
    shutil.copytree(os.path.join(source, "examples/snapshot"), os.path.join(seed, "examples/snapshot"))
    shutil.copytree(os.path.join(source, "etc"), os.path.join(seed, "etc"))
    git("init", "-q", "-b", "main", ".", cwd=seed)
    git("add", ".", cwd=seed)
    git("commit", "-q", "-m", "policies", cwd=seed)
    origin = os.path.join(tmp, "origin.git")
    git("clone", "-q", "--bare", seed, origin, cwd=tmp)
    # The pull request: a branch that no longer allows port 443 in secgroups.
    work = os.path.join(tmp, "work")
    git("clone", "-q", origin, work, cwd=tmp)
    git("checkout", "-q", "-b", "feature", cwd=work)
    config = os.path.join(work, "etc/reddalert.yaml")
    lines = open(config).read().split("\n")
    at = lines.index("  secgroups:")
    lines[at + 2] = lines[at + 2].replace("[80, 443]", "[80]")
    open(config, "w").write("\n".join(lines))
    git("commit", "-q", "-am", "tighten secgroups", cwd=work)

    bin_dir = os.path.join(tmp, "bin")
    os.makedirs(bin_dir)
    os.symlink(reddalert, os.path.join(bin_dir, "reddalert"))
    gh_log = os.path.join(tmp, "gh.log")
    with open(os.path.join(bin_dir, "gh"), "w") as f:
        f.write('#!/bin/sh\n/usr/bin/python3 -c \'import json,sys; print(json.dumps(sys.argv[1:]))\' "$@" >>%s\n'
                'cp diff.md %s.body\n' % (gh_log, gh_log))
    os.chmod(os.path.join(bin_dir, "gh"), 0o755)
    env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ["PATH"], HOME=tmp)

    def run(command, extra):
        r = subprocess.run(["bash", "-eo", "pipefail", "-c", command], cwd=work, env=dict(env, **extra),
                           capture_output=True, text=True)
        if r.returncode != 0:
            fail("`%s` exited %d: %s%s" % (command.strip(), r.returncode, r.stdout[-2000:], r.stderr[-2000:]))
        else:
            print("ok  ", command.strip().split("\n")[-1][:100])

    # GitHub Actions: ${{ ... }} as the runner would expand it for pull request 7.
    expressions = {"github.token": "token-123", "github.event.pull_request.number": "7"}
    expand = lambda s: re.sub(r"\$\{\{\s*([^}]*?)\s*\}\}", lambda m: expressions[m.group(1)], s)
    steps = github["jobs"]["policies"]["steps"]
    ran = 0
    for step in steps:
        if "run" not in step or step.get("name", "").startswith("Install"):
            continue
        step_env = {k: expand(str(v)) for k, v in step.get("env", {}).items()}
        run(expand(step["run"]), dict(step_env, GITHUB_BASE_REF="main", GITHUB_ACTIONS="true"))
        ran += 1
    if ran < 5:
        fail("only %d GitHub steps ran" % ran)
    calls = [json.loads(line) for line in open(gh_log)] if os.path.exists(gh_log) else []
    if calls != [["pr", "comment", "7", "--body-file", "diff.md"]]:
        fail("gh was called as %s" % calls)
    body = open(gh_log + ".body").read() if os.path.exists(gh_log + ".body") else ""
    if "### reddalert: what this change does to the alerts" not in body or "`secgroups`" not in body:
        fail("the posted comment is not the diff:\n" + body)
    os.remove(os.path.join(work, "diff.md"))

    # GitLab CI, against a recording API server.
    recorder_log = os.path.join(tmp, "requests.log")
    port_file = os.path.join(tmp, "port")
    server = subprocess.Popen(["/usr/bin/python3", os.path.join(source, "tests/integration/http_recorder.py"),
                               "--port", "0", "--port-file", port_file, "--log", recorder_log],
                              stdout=subprocess.DEVNULL)
    try:
        for _ in range(600):
            if os.path.exists(port_file) and open(port_file).read().strip():
                break
            subprocess.run(["sleep", "0.05"])
        port = open(port_file).read().strip()
        gitlab_env = {"CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main", "CI_PIPELINE_SOURCE": "merge_request_event",
                      "CI_API_V4_URL": "http://127.0.0.1:%s/api/v4" % port, "CI_PROJECT_ID": "42",
                      "CI_MERGE_REQUEST_IID": "7", "REDDALERT_GITLAB_TOKEN": "glpat-secret"}
        for line in gitlab["policies"]["script"]:
            run(line, gitlab_env)
        posts = [json.loads(l) for l in open(recorder_log)] if os.path.exists(recorder_log) else []
        if len(posts) != 1 or posts[0]["path"] != "/api/v4/projects/42/merge_requests/7/notes":
            fail("GitLab received %s" % [p.get("path") for p in posts])
        else:
            from urllib.parse import parse_qs
            note = parse_qs(posts[0]["body"]).get("body", [""])[0]
            if posts[0]["headers"].get("private-token") != "glpat-secret":
                fail("the note was posted without the token")
            if "### reddalert: what this change does to the alerts" not in note or "`secgroups`" not in note:
                fail("the note is not the diff:\n" + note)
    finally:
        server.terminate()
        server.wait()

print("FAIL" if failed else "ok   docs/ci.md executed")
sys.exit(1 if failed else 0)
