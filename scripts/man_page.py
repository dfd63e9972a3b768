#!/usr/bin/python3
"""Writes the reddalert(1) man page from docs/cli.md, so the two never disagree.

    man_page.py docs/cli.md VERSION OUT

Markdown to roff for what cli.md uses: headings, paragraphs, bullet lists, code blocks,
tables (a tagged paragraph per row), `code`, **bold** and [links](...).
"""
import re
import sys


def inline(text):
    text = text.replace("\\", "\\e")
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)
    text = re.sub(r"\*\*([^*]+)\*\*", r"\\fB\1\\fR", text)
    text = re.sub(r"`([^`]+)`", r"\\fB\1\\fR", text)
    return text.replace("-", "\\-")


def line_start(text):
    # A roff line must not start with a control character; other than ASCII is \[uXXXX].
    text = "".join(c if ord(c) < 128 else "\\[u%04X]" % ord(c) for c in text)
    return "\\&" + text if text[:1] in (".", "'") else text


def cells(row):
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", row.strip().strip("|"))]


def convert(markdown, version):
    out = ['.TH REDDALERT 1 "" "reddalert %s" "User Commands"' % version, ".SH NAME",
           "reddalert \\- security checks of an AWS estate through Netflix EDDA",
           ".SH SYNOPSIS", ".B reddalert", "check|lint|fmt|test|doc|parse|snapshot|version [OPTIONS] [PATH...]"]
    lines = markdown.split("\n")
    i, header = 0, None
    while i < len(lines):
        line = lines[i]
        if line.startswith("# "):
            i += 1
            continue
        if line.startswith("## "):
            out.append(".SH " + inline(line[3:].upper()))
        elif line.startswith("### "):
            out.append(".SS " + inline(line[4:]))
        elif line.startswith("```"):
            out += [".PP", ".nf", ".RS 4"]
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                out.append(line_start(lines[i].replace("\\", "\\e")))
                i += 1
            out += [".RE", ".fi"]
        elif line.startswith("|"):
            row = cells(line)
            if all(re.fullmatch(r":?-+:?", c) for c in row):
                pass
            elif header is None:
                header = row
            else:
                out += [".TP", line_start(inline(row[0]))]
                rest = ["%s: %s" % (h, c) if h else c for h, c in zip(header[1:], row[1:]) if c]
                out.append(line_start(inline("; ".join(rest))))
        elif re.match(r"\s*[-*] ", line):
            out += [".IP \\(bu 2", line_start(inline(re.sub(r"^\s*[-*] ", "", line)))]
        elif line.strip() == "":
            header = None
            if out[-1] not in (".PP",) and not out[-1].startswith((".SH", ".SS")):
                out.append(".PP")
        else:
            out.append(line_start(inline(line.strip())))
        i += 1
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    source, version, target = sys.argv[1:4]
    with open(source, encoding="utf-8") as f:
        page = convert(f.read(), version)
    with open(target, "w", encoding="utf-8") as f:
        f.write(page)
