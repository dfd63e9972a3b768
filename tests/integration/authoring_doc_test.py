#!/usr/bin/python3
"""Walks docs/authoring.md as a new author would, in a scratch directory that starts with a
copy of the bundled snapshot (examples/snapshot) and the policy library (policies/lib):

- a fenced block right after a line `<!-- file: PATH -->` is written to PATH;
- each `$ ` line of a ```console block is run by bash there, with `reddalert` the build's;
  what it prints (standard output, then standard error, the scratch directory shown as `.`)
  must be the text below it, ending with `(exit N)` when it exits with N other than 0.

Blocks run in the page's order. UPDATE_DOC=1 writes what the commands print into the page
instead (then read the diff).

Usage: authoring_doc_test.py REDDALERT SOURCE_DIR
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

reddalert, source = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
page = os.path.join(source, "docs/authoring.md")
update = os.environ.get("UPDATE_DOC") == "1"
FILE = re.compile(r"<!-- file: (\S+) -->")


def run(command, cwd, bindir):
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ["PATH"], NO_COLOR="1")
    p = subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)
    out = (p.stdout + p.stderr).replace(cwd + "/", "./").replace(cwd, ".")
    if p.returncode != 0:
        out += "(exit %d)\n" % p.returncode
    return out


def main():
    lines = open(page).read().split("\n")
    result, failures, commands, files = [], [], 0, 0
    with tempfile.TemporaryDirectory() as tmp:
        work = os.path.realpath(tmp)
        shutil.copytree(os.path.join(source, "examples/snapshot"), os.path.join(work, "examples/snapshot"))
        shutil.copytree(os.path.join(source, "policies/lib"), os.path.join(work, "policies/lib"))
        bindir = os.path.join(work, ".bin")
        os.makedirs(bindir)
        os.symlink(reddalert, os.path.join(bindir, "reddalert"))
        i = 0
        while i < len(lines):
            line = lines[i]
            result.append(line)
            i += 1
            if not line.startswith("```") or line == "```":
                continue
            body = []
            while i < len(lines) and lines[i] != "```":
                body.append(lines[i])
                i += 1
            before = next((l for l in reversed(result[:-1]) if l.strip()), "")
            target = FILE.fullmatch(before.strip())
            if target:
                path = os.path.join(work, target.group(1))
                os.makedirs(os.path.dirname(path), exist_ok=True)
                open(path, "w").write("\n".join(body) + "\n")
                files += 1
                result.extend(body)
            elif line == "```console":
                steps = []  # [command, expected lines]
                for b in body:
                    if b.startswith("$ "):
                        steps.append([b[2:], []])
                    elif steps:
                        steps[-1][1].append(b)
                for command, expected in steps:
                    got = run(command, work, bindir)
                    commands += 1
                    want = "\n".join(expected) + "\n" if expected else ""
                    if got != want:
                        failures.append("docs/authoring.md: `%s`\n--- the page shows\n%s--- it printed\n%s" % (command, want, got))
                    result.append("$ " + command)
                    result.extend(got.rstrip("\n").split("\n") if got else [])
            else:
                result.extend(body)
            if i < len(lines):
                result.append(lines[i])  # the closing fence
                i += 1
    if update:
        open(page, "w").write("\n".join(result))
        print("authoring_doc_test: wrote %d commands' output into %s" % (commands, page))
        return 0
    if commands < 10 or files < 2:
        failures.append("docs/authoring.md: %d commands and %d files; the walk-through lost its steps" % (commands, files))
    for f in failures:
        print("FAIL", f)
    print("authoring_doc_test: %d commands, %d files, %d failures" % (commands, files, len(failures)))
    return 1 if failures else 0


sys.exit(main())
