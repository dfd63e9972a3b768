#!/usr/bin/python3
"""A scripted LSP client for `reddalert lsp`: starts the server in a scratch policy tree (a
policy importing a lib file, a configuration with params) and checks its answers message by
message. Every wait has a timeout, so a server that hangs fails the test instead of CI.

Usage: lsp_test.py REDDALERT
"""
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import urllib.parse

TIMEOUT = 10  # seconds for any one answer
reddalert = os.path.abspath(sys.argv[1])
failures = []


def check(what, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + what + ("" if ok else "\n     " + str(detail)[:2000]))
    if not ok:
        failures.append(what)


LIB = """reddalert 1

const WORLD = "0.0.0.0/0"

def is_world(cidr) = cidr == WORLD or cidr == "::/0"
"""

# Laid out as `fmt` lays it out; line 14 holds the error (`groupNam`), line 19 a string
# with non-ASCII characters before a field.
BROKEN = """reddalert 1

import "lib/net.policy"

policy ports {
  title       "Open ports"
  severity    medium
  description "A rule open to the world on a port that is not allowed."

  param allowed_ports = []

  for g in aws.securityGroups
  for perm in g.ipPermissions
  let ranges = unique(perm.ipRanges ?? [])
  where any(r in ranges: is_world(r)) and g.groupNam != ""
  where perm.fromPort not in allowed_ports

  alert   g.groupId
  message "é😀 {g.groupName} opens {perm.fromPort}"
}
"""
FIXED = BROKEN.replace("g.groupNam !=", "g.groupName !=")

TYPED = """reddalert 1

policy typed {
  title       "Typed"
  severity    low
  description "A param the configuration sets to the wrong type."

  param limit = 3

  for g in aws.securityGroups
  where len(g.ipPermissions) > limit

  alert g.groupId
  message "{g.groupId}"
}
"""

UGLY = """reddalert 1
const   PORTS=[22,
   3389]
"""


class Client:
    def __init__(self, cwd):
        self.proc = subprocess.Popen([reddalert, "lsp", "--stdio"], cwd=cwd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.messages = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()
        self.stderr = []
        threading.Thread(target=lambda: self.stderr.extend(self.proc.stderr), daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    self.messages.put(None)
                    return
                line = line.decode().rstrip("\r\n")
                if not line:
                    break
                name, _, value = line.partition(":")
                headers[name.lower()] = value.strip()
            body = out.read(int(headers["content-length"]))
            self.messages.put(json.loads(body))

    def send_raw(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, message):
        body = json.dumps(message).encode()
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == self.next_id and "method" not in m)

    def wait(self, matches):
        """The next message that matches; other messages (a notification) are set aside."""
        while True:
            try:
                m = self.messages.get(timeout=TIMEOUT)
            except queue.Empty:
                raise TimeoutError("no answer in %d s" % TIMEOUT)
            if m is None:
                raise EOFError("the server closed its output")
            if matches(m):
                return m

    def diagnostics(self, uri):
        return self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and
                         m["params"]["uri"] == uri)["params"]["diagnostics"]


def pos(text, needle, into=0):
    """The LSP position (UTF-16 characters) of `needle` in `text`, plus `into` characters."""
    i = text.index(needle) + into
    line = text.count("\n", 0, i)
    start = text.rfind("\n", 0, i) + 1
    return {"line": line, "character": len(text[start:i].encode("utf-16-le")) // 2}


def labels(result):
    items = result["items"] if isinstance(result, dict) else result
    return [i["label"] for i in items]


def main():
    with tempfile.TemporaryDirectory() as tmp:
        os.makedirs(os.path.join(tmp, "policies/lib"))
        os.makedirs(os.path.join(tmp, "policies/ec2"))
        os.makedirs(os.path.join(tmp, "etc"))
        with open(os.path.join(tmp, "policies/lib/net.policy"), "w") as f:
            f.write(LIB)
        with open(os.path.join(tmp, "policies/ports.policy"), "w") as f:
            f.write(FIXED)
        with open(os.path.join(tmp, "etc/reddalert.yaml"), "w") as f:
            f.write("policies: [policies/]\npolicies_config:\n  ports:\n    params:\n      allowed_ports: [80, 443]\n"
                    "  typed:\n    params:\n      limit: three\n")
        with open(os.path.join(tmp, "policies/ports_test.yaml"), "w") as f:
            f.write("policy: ports\ncases: []\n")
        uri = "file://" + urllib.parse.quote(os.path.join(tmp, "policies/ports.policy"))
        lib_uri = "file://" + urllib.parse.quote(os.path.join(tmp, "policies/lib/net.policy"))
        doc = {"uri": uri}

        c = Client(tmp)
        try:
            run(c, tmp, uri, lib_uri, doc)
        except (TimeoutError, EOFError) as e:
            check("the session ran to its end", False, "%s; stderr: %s" % (e, b"".join(c.stderr).decode()))
        finally:
            if c.proc.poll() is None:
                c.proc.kill()
    print("%d failure(s)" % len(failures))
    return 1 if failures else 0


def run(c, tmp, uri, lib_uri, doc):
    # Before initialize: ServerNotInitialized.
    r = c.request("textDocument/hover", {"textDocument": doc, "position": {"line": 0, "character": 0}})
    check("a request before initialize is ServerNotInitialized", r.get("error", {}).get("code") == -32002, r)

    r = c.request("initialize", {"processId": os.getpid(), "rootUri": "file://" + urllib.parse.quote(tmp),
                                 "capabilities": {}})
    caps = r["result"]["capabilities"]
    check("initialize: full sync, hover, completion on '.', definition, references, formatting, symbols",
          caps.get("textDocumentSync", {}).get("change") == 1 and caps.get("hoverProvider") is True and
          "." in caps.get("completionProvider", {}).get("triggerCharacters", []) and
          caps.get("definitionProvider") and caps.get("referencesProvider") and
          caps.get("documentFormattingProvider") and caps.get("documentSymbolProvider") and
          caps.get("positionEncoding") == "utf-16", caps)
    c.notify("initialized", {})

    # didOpen with an error: lint's E0203 at `groupNam`, with its end.
    c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "reddalert", "version": 1,
                                                       "text": BROKEN}})
    diags = c.diagnostics(uri)
    start = pos(BROKEN, "groupNam !=")
    expected_range = {"start": start, "end": {"line": start["line"], "character": start["character"] + 8}}
    check("didOpen publishes E0203 at the misspelt field, as a range",
          len(diags) == 1 and diags[0]["code"] == "E0203" and diags[0]["severity"] == 1 and
          diags[0]["range"] == expected_range and "did you mean `groupName`" in diags[0]["message"], diags)

    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": FIXED}]})
    diags = c.diagnostics(uri)
    check("didChange fixing it publishes no diagnostics", diags == [], diags)

    def hover(needle, into=0):
        r = c.request("textDocument/hover", {"textDocument": doc, "position": pos(FIXED, needle, into)})
        return (r.get("result") or {}).get("contents", {}).get("value", "")

    h = hover("is_world(r)", 2)
    check("hover on a def call shows its definition", 'def is_world(cidr) = cidr == WORLD or cidr == "::/0"' in h, h)
    h = hover("unique(", 2)
    check("hover on a builtin shows its signature and summary",
          h.startswith("```reddalert\nunique(") and "\n```\n\n" in h and len(h.split("\n\n")[1]) > 10, h)
    r = c.request("textDocument/hover", {"textDocument": doc, "position": pos(FIXED, "?? []")})
    check("hover on an operator answers (null or text)", "result" in r, r)
    h = hover("groupName !=", 2)
    check("hover on a field gives its kind from the schema",
          "field `groupName` of `aws.securityGroups` documents: a string" in h, h)
    h = hover("perm.fromPort not", 1)
    check("hover on a local gives the type the checker inferred", "`perm`: an object {" in h and "fromPort" in h, h)
    h = hover("allowed_ports\n", 3)
    check("hover on a param gives its default and its configured value",
          "default: `[]`" in h and "configured: `[80,443]`" in h, h)

    # Completion after `g.` (the buffer does not parse while typing) and after `in `.
    typing = FIXED.replace('  alert   g.groupId', '  where g.\n  alert   g.groupId')
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": typing}]})
    c.diagnostics(uri)
    r = c.request("textDocument/completion", {"textDocument": doc, "position": pos(typing, "where g.", 8)})
    got = labels(r["result"])
    check("completion after `g.` lists the fields of aws.securityGroups",
          {"groupName", "groupId", "ipPermissions", "vpcId"} <= set(got) and "len" not in got, got)
    typing2 = typing.replace("where g.\n", "where g.ipPermissions[0].\n")
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 4}, "contentChanges": [{"text": typing2}]})
    c.diagnostics(uri)
    r = c.request("textDocument/completion",
                  {"textDocument": doc, "position": pos(typing2, "ipPermissions[0].", len("ipPermissions[0]."))})
    got = labels(r["result"])
    check("completion after `g.ipPermissions[0].` lists a rule's fields", {"fromPort", "ipRanges"} <= set(got), got)
    # Another error elsewhere: the blanked text does not parse either, and the last
    # analysis that parsed types `g`.
    typing_broken = typing.replace("  where g.\n", "  where g.\n  where 1 +\n")
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 4}, "contentChanges": [{"text": typing_broken}]})
    c.diagnostics(uri)
    r = c.request("textDocument/completion", {"textDocument": doc, "position": pos(typing_broken, "where g.", 8)})
    got = labels(r["result"])
    check("completion after `g.` in a buffer with another error uses the last good analysis",
          {"groupName", "ipPermissions"} <= set(got), got)
    typing3 = typing.replace("where g.\n", "for x in aws.sec\n")
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 5}, "contentChanges": [{"text": typing3}]})
    c.diagnostics(uri)
    r = c.request("textDocument/completion", {"textDocument": doc, "position": pos(typing3, "in aws.sec", 10)})
    items = r["result"]["items"]
    check("completion after `in ` lists the collections, replacing what is typed",
          "aws.securityGroups" in labels(r["result"]) and "view.instances" in labels(r["result"]) and
          items[0]["textEdit"]["range"]["start"] == pos(typing3, "aws.sec") and
          items[0]["textEdit"]["range"]["end"] == pos(typing3, "aws.sec", 7), items[:2])
    r = c.request("textDocument/completion", {"textDocument": doc, "position": pos(FIXED, "  alert")})
    got = labels(r["result"])
    check("completion elsewhere: keywords, policy items, builtins, names in scope",
          {"where", "title", "len", "is_world", "allowed_ports", "g", "perm", "ranges"} <= set(got), got)

    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 6}, "contentChanges": [{"text": FIXED}]})
    c.diagnostics(uri)

    # Definition: a def in the imported file, a let, an import path.
    r = c.request("textDocument/definition", {"textDocument": doc, "position": pos(FIXED, "is_world(r)", 1)})
    loc = r["result"]
    check("definition of a def from the importing file is in the lib file",
          loc and loc["uri"] == lib_uri and loc["range"]["start"] == pos(LIB, "is_world"), r)
    r = c.request("textDocument/definition", {"textDocument": doc, "position": pos(FIXED, "in ranges", 3)})
    check("definition of a let", r["result"] and r["result"]["range"]["start"] == pos(FIXED, "ranges ="), r)
    r = c.request("textDocument/definition", {"textDocument": doc, "position": pos(FIXED, "not in allowed_ports", 9)})
    check("definition of a param", r["result"] and r["result"]["range"]["start"] == pos(FIXED, "allowed_ports ="), r)
    r = c.request("textDocument/definition", {"textDocument": doc, "position": pos(FIXED, "is_world(r)", 9)})
    check("definition of a quantifier's variable", r["result"] and r["result"]["range"]["start"] == pos(FIXED, "r in ranges"), r)
    c.notify("textDocument/didOpen", {"textDocument": {"uri": lib_uri, "languageId": "reddalert", "version": 1, "text": LIB}})
    c.diagnostics(lib_uri)
    r = c.request("textDocument/definition", {"textDocument": {"uri": lib_uri}, "position": pos(LIB, "== WORLD", 4)})
    check("definition of a const", r["result"] and r["result"]["range"]["start"] == pos(LIB, "WORLD ="), r)
    r = c.request("textDocument/definition", {"textDocument": {"uri": lib_uri}, "position": pos(LIB, "cidr ==", 1)})
    check("definition of a def's parameter", r["result"] and r["result"]["range"]["start"] == pos(LIB, "cidr)"), r)
    r = c.request("textDocument/definition", {"textDocument": doc, "position": pos(FIXED, "lib/net", 2)})
    check("definition of an import path is the file", r["result"] and r["result"]["uri"] == lib_uri, r)

    r = c.request("textDocument/references", {"textDocument": doc, "position": pos(FIXED, "for g", 4),
                                              "context": {"includeDeclaration": True}})
    refs = sorted((x["range"]["start"]["line"], x["range"]["start"]["character"]) for x in r["result"])
    check("references of `g`: its binder and its four uses", len(refs) == 5 and all(x["uri"] == uri for x in r["result"]), refs)

    # Formatting: one whole-document edit, then none once formatted.
    ugly_uri = uri.replace("ports.policy", "ugly.policy")
    c.notify("textDocument/didOpen", {"textDocument": {"uri": ugly_uri, "languageId": "reddalert", "version": 1, "text": UGLY}})
    c.diagnostics(ugly_uri)
    r = c.request("textDocument/formatting", {"textDocument": {"uri": ugly_uri}, "options": {"tabSize": 2, "insertSpaces": True}})
    edits = r["result"]
    check("formatting a badly laid out document is one whole-document edit",
          len(edits) == 1 and edits[0]["newText"] == "reddalert 1\n\nconst PORTS = [22, 3389]\n" and
          edits[0]["range"] == {"start": {"line": 0, "character": 0}, "end": {"line": 3, "character": 0}}, edits)
    r = c.request("textDocument/formatting", {"textDocument": doc, "options": {"tabSize": 2, "insertSpaces": True}})
    check("formatting a formatted document is no edit", r["result"] == [], r)

    # A document in a subfolder of the policy tree imports `../lib/...`, as `lint policies` lets it.
    sub_uri = uri.replace("ports.policy", "ec2/sub.policy")
    sub = FIXED.replace('import "lib/net.policy"', 'import "../lib/net.policy"').replace("policy ports", "policy sub")
    c.notify("textDocument/didOpen", {"textDocument": {"uri": sub_uri, "languageId": "reddalert", "version": 1, "text": sub}})
    diags = c.diagnostics(sub_uri)
    check("a document in a subfolder imports from the policy tree", diags == [], diags)
    escape = 'reddalert 1\n\nimport "../../etc/reddalert.yaml"\n'
    c.notify("textDocument/didChange", {"textDocument": {"uri": sub_uri, "version": 2}, "contentChanges": [{"text": escape}]})
    diags = c.diagnostics(sub_uri)
    check("... and an import that leaves the tree is E0122", [d["code"] for d in diags] == ["E0122"], diags)
    c.notify("textDocument/didClose", {"textDocument": {"uri": sub_uri}})
    c.diagnostics(sub_uri)

    r = c.request("textDocument/documentSymbol", {"textDocument": doc})
    syms = r["result"]
    check("documentSymbol: the policy with its param and clauses",
          len(syms) == 1 and syms[0]["name"] == "ports" and
          [s["name"] for s in syms[0]["children"]] == ["allowed_ports", "g", "perm", "ranges"] and
          syms[0]["selectionRange"]["start"] == pos(FIXED, "ports {"), syms)

    # UTF-16 columns: the field after "é😀 " in the message (😀 is two UTF-16 units).
    r = c.request("textDocument/hover", {"textDocument": doc, "position": pos(FIXED, "{g.groupName}", 4)})
    rng = (r.get("result") or {}).get("range")
    start = pos(FIXED, "groupName} opens")
    check("a non-ASCII line: hover's range in UTF-16 columns",
          rng == {"start": start, "end": {"line": start["line"], "character": start["character"] + 9}}, r)
    emoji = FIXED.replace('message "é😀 {g.groupName}', 'message "é😀 {g.groupNme}')
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 7}, "contentChanges": [{"text": emoji}]})
    diags = c.diagnostics(uri)
    start = pos(emoji, "groupNme}")
    check("a non-ASCII line: the diagnostic's range in UTF-16 columns",
          len(diags) == 1 and diags[0]["range"]["start"] == start and
          diags[0]["range"]["end"]["character"] == start["character"] + 8, diags)

    # didSave with the text analyses it again.
    c.notify("textDocument/didSave", {"textDocument": {"uri": uri}, "text": FIXED})
    check("didSave publishes the saved text's diagnostics", c.diagnostics(uri) == [])

    # A configured param of the wrong type: reported at the configuration line, shown at the param.
    typed_uri = uri.replace("ports.policy", "typed.policy")
    typed = TYPED
    c.notify("textDocument/didOpen", {"textDocument": {"uri": typed_uri, "languageId": "reddalert", "version": 1, "text": typed}})
    diags = c.diagnostics(typed_uri)
    check("a configuration error with a note in the document is shown at the note",
          [d["code"] for d in diags] == ["E0117"] and diags[0]["range"]["start"] == pos(typed, "limit =") and
          "etc/reddalert.yaml:" in diags[0]["message"] and
          diags[0]["relatedInformation"][0]["location"]["uri"].endswith("/etc/reddalert.yaml"), diags)

    # A test file: lint's diagnostics for it (E0503, no such policy).
    test_uri = uri.replace("ports.policy", "ports_test.yaml")
    c.notify("textDocument/didOpen", {"textDocument": {"uri": test_uri, "languageId": "yaml", "version": 1,
                                                       "text": "policy: portz\ncases: []\n"}})
    diags = c.diagnostics(test_uri)
    check("a *_test.yaml file gets lint's diagnostics", [d["code"] for d in diags] == ["E0503"], diags)

    # Malformed messages: an error each, and the server keeps serving.
    c.send_raw(b"Content-Length: abc\r\n\r\n{}")
    r = c.wait(lambda m: "error" in m)
    check("a bad Content-Length is a ParseError with a null id", r["error"]["code"] == -32700 and r["id"] is None, r)
    c.send_raw(b"Content-Length: 9\r\n\r\n{\"id\": 1,")
    r = c.wait(lambda m: "error" in m)
    check("invalid JSON is a ParseError", r["error"]["code"] == -32700, r)
    r = c.request("no/suchMethod", {})
    check("an unknown method is MethodNotFound", r.get("error", {}).get("code") == -32601, r)
    r = c.request("textDocument/hover", {"textDocument": {"uri": uri}})
    check("a request without its position is InvalidParams", r.get("error", {}).get("code") == -32602, r)
    r = c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 10**12, "character": -5}})
    check("a position out of the document answers", "result" in r, r)
    r = c.request("textDocument/documentSymbol", {"textDocument": doc})
    check("the server still serves after them", isinstance(r.get("result"), list) and len(r["result"]) == 1, r)

    big_uri = uri.replace("ports.policy", "big.policy")
    c.notify("textDocument/didOpen", {"textDocument": {"uri": big_uri, "languageId": "reddalert", "version": 1,
                                                       "text": "reddalert 1\n" + "#" * (16 << 20)}})
    r = c.wait(lambda m: m.get("method") == "window/showMessage")
    check("a document over 16 MiB is refused with a message", "larger than 16 MiB" in r["params"]["message"], r)
    r = c.request("textDocument/hover", {"textDocument": {"uri": big_uri}, "position": {"line": 0, "character": 0}})
    check("... and is not served", r.get("error", {}).get("code") == -32602, r)

    c.notify("textDocument/didClose", {"textDocument": {"uri": ugly_uri}})
    check("didClose clears the document's diagnostics", c.diagnostics(ugly_uri) == [])

    r = c.request("shutdown", None)
    check("shutdown answers null", "result" in r and r["result"] is None, r)
    c.notify("exit", None)
    try:
        code = c.proc.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        code = "still running"
    check("exit after shutdown exits 0", code == 0, code)
    # Standard output carried the protocol alone (the reader parsed every message).


if __name__ == "__main__":
    sys.exit(main())
