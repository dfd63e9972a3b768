#!/usr/bin/python3
"""Runs one golden command-line case, or checks that every diagnostic code has one.

A case (NAME.case) is one or more steps, each a command, the files it needs, and its exact
standard output, standard error and exit code:

    # What the case shows (comment lines at the top).
    $ reddalert lint -c /dev/null bad.policy
    == bad.policy
    reddalert 1
    ...
    == stdout
    == stderr
    bad.policy:2:6: error[E0007]: ...
    == exit 2

A step is its comment lines, its `$ reddalert ...` line, the sections that set up files
for it, then its expected sections; `== exit N` ends it. Further steps follow the same way
(a blank line and a comment before each is the style); they run in order in the same
directory, so a status file, a lock file or a waiver carries over from one to the next:

    # The next run finds the status file corrupt, and leaves it as it is.
    $ reddalert check -c /dev/null p.policy --snapshot snap -f state.json
    == state.json
    {"format": "reddalert-state/1", "since": 17
    == stdout
    == stderr
    reddalert: the status file state.json is not valid JSON ...
    == unchanged state.json
    == exit 3

The sections that set up files are applied in their order just before their step runs
(for the first step, before anything runs):

    == NAME               the text below is written to NAME (a path in the case's directory,
                          parents made), replacing what a step or an earlier section left there
    == NAME (latin-1)     ... written in Latin-1 (a policy that is not UTF-8)
    == NAME (bytes)       ... `\\xNN` in NAME and in the text is the byte NN (a file name that
                          is not UTF-8, a NUL byte); the rest is UTF-8
    == NAME (append)      the text is a JSON array whose elements are appended to the JSON
                          array in NAME, the text already there kept byte for byte (one more
                          document in a copy of the bundled snapshot, whose files are too big
                          to repeat in a case)
    == copy SRC DEST      copies the file or directory SRC to DEST; `{repo}` in SRC is the
                          repository, a relative SRC is in the case's directory

The expected sections of a step, in this order (`stdout` and `stderr` are empty when left
out):

    == stdout
    == stderr
    == file NAME          NAME's text after the step (a status file the step wrote)
    == unchanged NAME     NAME is byte for byte what it was just before the step (a status
                          file that --dry-run or a failed run must not touch)
    == exit N

Commands run without a shell in a fresh temporary directory; `{repo}` in a command is the
repository, and a command ending in `< NAME` reads NAME (a file of the case's directory) as
its standard input. The outputs and `== file` texts are normalised: the temporary directory reads
`.`, the repository `{repo}`, durations (`0.123s`) `0.000s` and the JSON summary's
`"seconds": 0.0123` `"seconds": 0.000`; bytes that are not UTF-8, and control characters
but tab and newline, read `\\xNN`.
UPDATE_GOLDEN=1 rewrites the expected sections of every step from what the commands printed
and the files they left (`== unchanged` stays as it is: it is checked, not recorded); read
the result before committing it, an update blesses whatever was printed.

    run.py BINARY CASE          one case
    run.py --codes SRC DIR...   every diagnostic code in the sources appears in a case (or a
                                golden lint .err file) in one of the DIRs, and every warning
                                code is in base::kWarningCodes
"""
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SUFFIXES = (" (latin-1)", " (bytes)", " (append)")


class Step:
    def __init__(self):
        self.comments = []  # lines before the `$` line
        self.command = None
        self.setup = []  # [kind, name, lines]: kind "file" (name with its suffix) or "copy"
        self.expected = {}  # "stdout", "stderr", "file NAME", "unchanged NAME" -> lines
        self.exit = 0

    def text(self, key):
        return "\n".join(self.expected.get(key, []))


def parse(path):
    steps, step, comments, current = [], None, [], None
    with open(path, encoding="utf-8") as f:
        for line in f.read().split("\n"):
            if line.startswith("== "):
                name = line[3:]
                if step is None:
                    raise SystemExit("%s: `== %s` before the first `$ reddalert ...` line" % (path, name))
                current = None
                if name.startswith("exit "):
                    step.exit = int(name[5:])
                    step = None  # the step ends at its exit code
                elif name in ("stdout", "stderr") or name.startswith(("file ", "unchanged ")):
                    current = step.expected.setdefault(name, [])
                elif step.expected:
                    raise SystemExit("%s: `== %s` after the expected output of its step" % (path, name))
                elif name.startswith("copy "):
                    if len(name.split()) != 3:
                        raise SystemExit("%s: `== copy SRC DEST` takes two paths: %r" % (path, line))
                    step.setup.append(["copy", name[5:], None])
                else:
                    current = []
                    step.setup.append(["file", name, current])
            elif current is not None:
                current.append(line)
            elif line.startswith("$ "):
                if step is not None:
                    raise SystemExit("%s: a step without `== exit N` before %r" % (path, line))
                step = Step()
                step.comments, comments = comments, []
                step.command = line[2:]
                steps.append(step)
            elif step is not None:
                raise SystemExit("%s: %r inside a step (a step's comments go before its `$` line)" % (path, line))
            elif line.startswith("#") or not line:
                comments.append(line)
            else:
                raise SystemExit("%s: unexpected line %r" % (path, line))
    if not steps:
        raise SystemExit("%s: no `$ reddalert ...` line" % path)
    if any(c for c in comments):
        raise SystemExit("%s: comments after the last step" % path)
    return steps


def normalise(data, tmp):
    text = data.decode("utf-8", "backslashreplace").replace(tmp, ".").replace(REPO, "{repo}")
    text = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", lambda m: "\\x%02x" % ord(m.group()), text)
    text = re.sub(r'("seconds": )[0-9.eE+-]+', r"\g<1>0.000", text)
    return re.sub(r"\b\d+\.\d{3}s\b", "0.000s", text).rstrip("\n")


def as_bytes(text):
    return re.sub(rb"\\x([0-9a-fA-F]{2})", lambda m: bytes([int(m.group(1), 16)]), text.encode("utf-8"))


def set_up(tmp, kind, name, lines):
    if kind == "copy":
        src, dest = name.replace("{repo}", REPO).split()
        src, dest = os.path.join(tmp, src), os.path.join(tmp, dest)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        if os.path.isdir(src):
            shutil.copytree(src, dest, dirs_exist_ok=True)
        else:
            shutil.copyfile(src, dest)
        return
    text = "\n".join(lines) + "\n"
    suffix = next((s for s in SUFFIXES if name.endswith(s)), "")
    name = name[: len(name) - len(suffix)]
    if suffix == " (latin-1)":
        data = text.encode("latin-1")
    elif suffix == " (bytes)":
        name, data = os.fsdecode(as_bytes(name)), as_bytes(text)
    elif suffix == " (append)":
        with open(os.path.join(tmp, name), encoding="utf-8") as f:
            old = f.read().rstrip()
        if not (old.endswith("]") and text.strip().startswith("[") and text.strip().endswith("]")):
            raise SystemExit("`== %s (append)`: both must be JSON arrays" % name)
        elements = text.strip()[1:-1].strip()
        data = (old[:-1].rstrip() + ("," if json.loads(old) else "") + "\n" + elements + "\n]\n").encode("utf-8")
        json.loads(data)
    else:
        data = text.encode("utf-8")
    target = os.path.join(tmp, name)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "wb") as f:
        f.write(data)


def read(tmp, name):
    try:
        with open(os.path.join(tmp, name), "rb") as f:
            return f.read()
    except FileNotFoundError:
        return None


def run_step(binary, step, tmp):
    """The step's outputs, normalised: {"stdout", "stderr", "file NAME"...: text, "unchanged NAME": bool}, exit."""
    args = shlex.split(step.command.replace("{repo}", REPO))
    if args[0] != "reddalert":
        raise SystemExit("the command must start with `reddalert`: %s" % step.command)
    for kind, name, lines in step.setup:
        set_up(tmp, kind, name, lines)
    before = {k: read(tmp, k[10:]) for k in step.expected if k.startswith("unchanged ")}
    env = dict(os.environ, NO_COLOR="1")
    stdin = None
    if len(args) >= 3 and args[-2] == "<":
        stdin = read(tmp, args[-1])
        if stdin is None:
            raise SystemExit("`< %s`: no such file in the case's directory" % args[-1])
        args = args[:-2]
    p = subprocess.run([binary] + args[1:], cwd=tmp, capture_output=True, env=env, timeout=120, input=stdin)
    got = {"stdout": normalise(p.stdout, tmp), "stderr": normalise(p.stderr, tmp)}
    for key in step.expected:
        if key.startswith("file "):
            data = read(tmp, key[5:])
            got[key] = normalise(data, tmp) if data is not None else None
        elif key.startswith("unchanged "):
            got[key] = before[key] is not None and read(tmp, key[10:]) == before[key]
    return got, p.returncode


def write_case(path, steps, results):
    with open(path, "w", encoding="utf-8") as f:
        for step, (got, code) in zip(steps, results):
            comments = "\n".join(step.comments).rstrip("\n")
            f.write(comments + "\n" if comments else "")
            f.write("$ " + step.command + "\n")
            for kind, name, lines in step.setup:
                f.write("== " + ("copy " + name if kind == "copy" else name) + "\n")
                f.write("\n".join(lines) + "\n" if kind == "file" else "")
            keys = ["stdout", "stderr"] + [k for k in step.expected if k.startswith(("file ", "unchanged "))]
            for key in keys:
                if got.get(key) is None and key.startswith("file "):
                    raise SystemExit("%s: %s: the step left no such file" % (path, key))
                text = "" if key.startswith("unchanged ") else got[key]
                f.write("== " + key + "\n" + (text + "\n" if text else ""))
            f.write("== exit %d\n" % code)


def run_case(binary, path):
    steps = parse(path)
    with tempfile.TemporaryDirectory(prefix="reddalert-cli-") as tmp:
        tmp = os.path.realpath(tmp)
        results = [run_step(binary, step, tmp) for step in steps]
    if os.environ.get("UPDATE_GOLDEN"):
        write_case(path, steps, results)
        return 0
    ok = True
    for number, (step, (got, code)) in enumerate(zip(steps, results), 1):
        where = "%s, step %d ($ %s)" % (path, number, step.command) if len(steps) > 1 else path
        for key in ["stdout", "stderr"] + [k for k in step.expected if k.startswith("file ")]:
            if got[key] is None:
                ok = False
                print("--- %s: %s: the step left no such file" % (where, key))
            elif got[key] != step.text(key).rstrip("\n"):
                ok = False
                print("--- %s: %s differs\n--- want:\n%s\n--- got:\n%s" % (where, key, step.text(key), got[key]))
        for key in [k for k in step.expected if k.startswith("unchanged ")]:
            if not got[key]:
                ok = False
                print("--- %s: %s was changed by the step (or did not exist before it)" % (where, key[10:]))
        if code != step.exit:
            ok = False
            print("--- %s: exit %d, want %d" % (where, code, step.exit))
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
    # Suppressions and the configuration's `lint:` accept the warning codes listed there.
    with open(os.path.join(src, "base", "diagnostic.hpp"), encoding="utf-8") as f:
        listed = re.search(r"kWarningCodes\[\] = \{([^}]*)\}", f.read())
    unlisted = sorted(c for c in codes if c.startswith("W") and not (listed and '"%s"' % c in listed.group(1)))
    if unlisted:
        print("warning codes missing from kWarningCodes in src/base/diagnostic.hpp: %s" % ", ".join(unlisted))
        return 1
    print("%d diagnostic codes, each shown by a golden case" % len(codes))
    return 0


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "--codes":
        sys.exit(check_codes(sys.argv[2], *sys.argv[3:]))
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    sys.exit(run_case(os.path.abspath(sys.argv[1]), sys.argv[2]))
