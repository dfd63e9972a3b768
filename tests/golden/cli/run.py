#!/usr/bin/python3
"""Runs one golden command-line case, or checks that every diagnostic code has one.

A case (NAME.case) is a command, the files it needs, and its exact standard output,
standard error and exit code:

    # What the case shows (comment lines at the top).
    $ reddalert lint -c /dev/null bad.policy
    == bad.policy
    reddalert 1
    ...
    == stdout
    == stderr
    bad.policy:2:6: error[E0007]: ...
    == exit 2

The command runs without a shell in a fresh directory holding the files; `{repo}` in it
is the repository. In the outputs the repository's path reads `{repo}` and durations
`0.000s`. UPDATE_GOLDEN=1 rewrites the expected sections from what the command printed.

    run.py BINARY CASE          one case
    run.py --codes SRC DIR...   every diagnostic code in the sources appears in a case (or a
                                golden lint .err file) in one of the DIRs
"""
import os
import re
import shlex
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
EXPECTED = ("stdout", "stderr", "exit")
LATIN1 = " (latin-1)"


def parse(path):
    comments, command, files, expected, order = [], None, {}, {}, []
    current = None
    with open(path, encoding="utf-8") as f:
        for line in f.read().split("\n"):
            if line.startswith("== "):
                name = line[3:]
                if name.startswith("exit "):
                    expected["exit"] = int(name[5:])
                    current = None
                    continue
                current = name
                (expected if name in EXPECTED else files)[name] = []
                order.append(name)
            elif current is not None:
                (expected if current in EXPECTED else files)[current].append(line)
            elif line.startswith("$ "):
                command = line[2:]
            elif line.startswith("#") or not line:
                comments.append(line)
            else:
                raise SystemExit("%s: unexpected line %r" % (path, line))
    if command is None:
        raise SystemExit("%s: no `$ reddalert ...` line" % path)
    texts = {k: "\n".join(v) for k, v in {**files, **{k: v for k, v in expected.items() if k != "exit"}}.items()}
    return comments, command, {k: texts[k] for k in files}, {k: texts.get(k, "") for k in ("stdout", "stderr")}, \
        expected.get("exit", 0), order


def normalise(text, tmp):
    text = text.replace(tmp, ".").replace(REPO, "{repo}")
    return re.sub(r"\b\d+\.\d{3}s\b", "0.000s", text).rstrip("\n")


def run_case(binary, path):
    comments, command, files, want, want_exit, order = parse(path)
    args = shlex.split(command.replace("{repo}", REPO))
    if args[0] != "reddalert":
        raise SystemExit("%s: the command must start with `reddalert`" % path)
    with tempfile.TemporaryDirectory(prefix="reddalert-cli-") as tmp:
        tmp = os.path.realpath(tmp)
        for name, text in files.items():
            # `== NAME (latin-1)`: the file in that encoding (a policy that is not UTF-8).
            encoding = "latin-1" if name.endswith(LATIN1) else "utf-8"
            target = os.path.join(tmp, name[: -len(LATIN1)] if name.endswith(LATIN1) else name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding=encoding) as f:
                f.write(text + "\n")
        env = dict(os.environ, NO_COLOR="1")
        p = subprocess.run([binary] + args[1:], cwd=tmp, capture_output=True, env=env, timeout=120)
        got = {k: normalise(v.decode("utf-8", "replace"), tmp) for k, v in (("stdout", p.stdout), ("stderr", p.stderr))}
    if os.environ.get("UPDATE_GOLDEN"):
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(comments).rstrip("\n") + "\n" if comments else "")
            f.write("$ " + command + "\n")
            for name in [n for n in order if n not in EXPECTED]:
                f.write("== " + name + "\n" + files[name] + "\n")
            for name in ("stdout", "stderr"):
                f.write("== " + name + "\n" + (got[name] + "\n" if got[name] else ""))
            f.write("== exit %d\n" % p.returncode)
        return 0
    ok = True
    for name in ("stdout", "stderr"):
        if got[name] != want[name].rstrip("\n"):
            ok = False
            print("--- %s: %s differs\n--- want:\n%s\n--- got:\n%s" % (path, name, want[name], got[name]))
    if p.returncode != want_exit:
        ok = False
        print("--- %s: exit %d, want %d" % (path, p.returncode, want_exit))
    return 0 if ok else 1


def check_codes(src, *case_dirs):
    codes = set()
    for root, _, names in os.walk(src):
        for n in names:
            if n.endswith((".cpp", ".hpp")):
                codes |= set(re.findall(r'"([EW]0\d{3})"', open(os.path.join(root, n), encoding="utf-8").read()))
    shown = set()
    for cases in case_dirs:
        for n in os.listdir(cases):
            if n.endswith((".case", ".err")):
                text = open(os.path.join(cases, n), encoding="utf-8").read()
                shown |= set(re.findall(r'(?:\[|"code": ")([EW]0\d{3})', text))
    missing = sorted(codes - shown)
    if missing:
        print("diagnostic codes without a golden case in %s: %s" % (", ".join(case_dirs), ", ".join(missing)))
        return 1
    print("%d diagnostic codes, each shown by a golden case" % len(codes))
    return 0


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "--codes":
        sys.exit(check_codes(sys.argv[2], *sys.argv[3:]))
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    sys.exit(run_case(os.path.abspath(sys.argv[1]), sys.argv[2]))
