#!/usr/bin/python3
"""A recording HTTP server for reddalert's integration tests: the Elasticsearch
(`_bulk`) and webhook sinks.

Usage:
  http_recorder.py --port 0 --port-file FILE --log FILE [--mode MODE] [--slow-seconds 30]

The server binds 127.0.0.1 (port 0 picks a free one); the port is printed on stdout
(one line) and written atomically to --port-file. It serves until SIGTERM/SIGINT
(exit 0).

Every POST and PUT (in every mode, "down" included) is recorded as one JSON line
appended to --log, and kept in memory for GET /__control/requests:
  {"method": "POST", "path": "<request target, query string included>",
   "headers": {"<lower-case name>": "<value>", ...}, "body": "<text>"}
(the body is decoded as UTF-8, undecodable bytes replaced by U+FFFD; chunked request
bodies are de-chunked). The line is written before the answer is sent.

Modes (--mode at start, or GET /__control/mode/<MODE> at run time):
  ok          a path ending in /_bulk answers like Elasticsearch (below); GET /
              answers Elasticsearch's info object; anything else answers 200 "ok"
  es-errors   /_bulk answers 200 {"errors": true} with every item failed (status 400,
              an "error" object); nothing is stored. Other paths as in ok.
  es-partial  /_bulk: the first item of each request fails as in es-errors, the
              others succeed as in ok
  es-empty    /_bulk answers 200 {} (an answer that accounts for no document);
              nothing is stored
  es-no-items /_bulk answers 200 {"errors": false}, without items; nothing is stored
  es-bad-errors  /_bulk as in ok, but `errors` is the string "false"
  es-short    /_bulk as in ok, but the answer lists one item fewer than the request
              had documents
  500         every request (POST, PUT, GET outside /__control/) answers 500 with a
              plain text body
  hooks-500   /_bulk and GET / as in ok; every other request answers 500 (a webhook
              failing while Elasticsearch works)
  down        every request is read and then the connection is closed without an
              answer (curl: "Empty reply from server")
  slow        sleep --slow-seconds, then answer as in ok

Elasticsearch _bulk (mode ok): the NDJSON body is read as action/document line pairs
(index, create, update; delete has no document line). An in-memory index keeps the
documents by (_index, _id): the same _id twice is ONE document (index answers 201
"created" the first time and 200 "updated" after; create of an existing _id answers
409; update of a missing one 404; delete answers 200 "deleted" or 404 "not_found").
A missing _id is generated. /<index>/_bulk gives the default _index. Like a real
Elasticsearch, the whole request answers
  406 when Content-Type is not application/json or application/x-ndjson,
  400 when the body is empty, does not end with a newline, has a line that is not
      a JSON object, an unknown action, or an action without an index.
Answer: {"took": 1, "errors": false, "items": [{"index": {"_index", "_id",
"_version", "result", "_shards", "_seq_no", "_primary_term", "status"}}, ...]}.

Control endpoints (GET; never recorded, never subject to the mode):
  /__control/mode/<MODE>  -> 200 "ok" (400 for an unknown mode)
  /__control/mode         -> the current mode
  /__control/documents    -> {"<index>/<id>": <document>, ...}
  /__control/requests     -> the list of recorded requests (the objects of the log)
  /__control/reset        -> clears the recorded requests (the --log file is
                             truncated too), the documents and the mode (back to ok)

Standard library only.
"""

import argparse
import json
import random
import socket
import string
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from testserver import announce_port, on_stop_signals

MODES = ("ok", "es-errors", "es-partial", "es-empty", "es-no-items", "es-bad-errors", "es-short", "500",
         "hooks-500", "down", "slow")


class State:
    def __init__(self, log_path, mode):
        self.lock = threading.Lock()
        self.log_path = log_path
        self.mode = mode
        self.requests = []
        self.documents = {}  # (index, id) -> source
        self.versions = {}   # (index, id) -> version
        self.seq_no = 0
        with open(log_path, "a", encoding="utf-8"):
            pass

    def record(self, entry):
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        with self.lock:
            self.requests.append(entry)
            with open(self.log_path, "a", encoding="utf-8") as fh:
                fh.write(line)
                fh.flush()

    def reset(self):
        with self.lock:
            self.requests = []
            self.documents = {}
            self.versions = {}
            self.seq_no = 0
            self.mode = "ok"
            with open(self.log_path, "w", encoding="utf-8"):
                pass


def es_error(status, etype, reason, **extra):
    err = {"type": etype, "reason": reason}
    err.update(extra)
    return status, {"error": {"root_cause": [dict(err)], **err}, "status": status}


def random_id():
    alphabet = string.ascii_letters + string.digits + "-_"
    return "".join(random.choice(alphabet) for _ in range(20))


def deep_merge(base, patch):
    out = dict(base)
    for k, v in patch.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = deep_merge(out[k], v)
        else:
            out[k] = v
    return out


class BulkError(Exception):
    def __init__(self, status, body):
        super().__init__(body)
        self.status = status
        self.body = body


def parse_bulk(body, default_index):
    """Return [(action, meta, source_or_None)], or raise BulkError (whole request)."""
    if not body.strip():
        raise BulkError(*es_error(400, "parse_exception", "request body is required"))
    if not body.endswith("\n"):
        raise BulkError(*es_error(400, "illegal_argument_exception",
                                  "The bulk request must be terminated by a newline [\\n]"))
    lines = body.split("\n")
    ops = []
    i = 0
    n = 0

    def load(line_no, text):
        try:
            obj = json.loads(text)
        except ValueError as e:
            raise BulkError(*es_error(400, "x_content_parse_exception",
                                      "[%d:1] Unexpected character: %s" % (line_no, e)))
        return obj

    while i < len(lines):
        text = lines[i].strip()
        i += 1
        if not text:
            continue
        n += 1
        action_obj = load(i, text)
        if not isinstance(action_obj, dict) or len(action_obj) != 1:
            raise BulkError(*es_error(400, "illegal_argument_exception",
                                      "Malformed action/metadata line [%d], expected START_OBJECT "
                                      "with a single action" % i))
        action, meta = next(iter(action_obj.items()))
        if action not in ("index", "create", "update", "delete"):
            raise BulkError(*es_error(400, "illegal_argument_exception",
                                      "Malformed action/metadata line [%d], expected field [create], "
                                      "[delete], [index] or [update] but found [%s]" % (i, action)))
        if not isinstance(meta, dict):
            raise BulkError(*es_error(400, "illegal_argument_exception",
                                      "Malformed action/metadata line [%d], expected START_OBJECT" % i))
        meta = dict(meta)
        if not meta.get("_index"):
            if not default_index:
                raise BulkError(*es_error(400, "action_request_validation_exception",
                                          "Validation Failed: 1: index is missing;"))
            meta["_index"] = default_index
        if action in ("update", "delete") and not meta.get("_id"):
            raise BulkError(*es_error(400, "action_request_validation_exception",
                                      "Validation Failed: 1: id is missing;"))
        source = None
        if action != "delete":
            # the document line: the next line, blank or not
            if i >= len(lines) or not lines[i].strip():
                raise BulkError(*es_error(400, "illegal_argument_exception",
                                          "Malformed action/metadata line [%d]: the %s action "
                                          "needs a document line after it" % (i, action)))
            source = load(i + 1, lines[i].strip())
            i += 1
            if not isinstance(source, dict):
                raise BulkError(*es_error(400, "mapper_parsing_exception",
                                          "failed to parse, document is empty"))
        ops.append((action, meta, source))
    return ops


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "http_recorder/1"

    def log_message(self, fmt, *args):
        if self.server.options.verbose:
            sys.stderr.write("http_recorder: %s - %s\n" % (self.address_string(), fmt % args))

    # ---- plumbing

    def read_body(self):
        te = (self.headers.get("Transfer-Encoding") or "").lower()
        if "chunked" in te:
            chunks = []
            while True:
                size_line = self.rfile.readline(65537)
                if not size_line:
                    break
                size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while True:  # trailers
                        t = self.rfile.readline(65537)
                        if t in (b"\r\n", b"\n", b""):
                            break
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline(3)
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def send(self, status, body, content_type="text/plain; charset=utf-8", extra=None):
        if isinstance(body, (dict, list)):
            body = json.dumps(body, ensure_ascii=False)
            content_type = "application/json; charset=UTF-8"
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        self.wfile.flush()

    def drop(self):
        self.close_connection = True
        try:
            self.wfile.flush()
        except OSError:
            pass
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    # ---- methods

    def do_GET(self):
        path = urllib.parse.urlsplit(self.path).path
        if path.startswith("/__control/"):
            self.read_body()
            return self.control(path)
        self.read_body()
        self.answer(None)

    def do_POST(self):
        self.record_and_answer()

    def do_PUT(self):
        self.record_and_answer()

    def do_DELETE(self):
        self.read_body()
        self.answer(None)

    def record_and_answer(self):
        raw = self.read_body()
        headers = {}
        for name, value in self.headers.items():
            key = name.lower()
            headers[key] = value if key not in headers else headers[key] + ", " + value
        body = raw.decode("utf-8", "replace")
        self.server.state.record({"method": self.command, "path": self.path,
                                  "headers": headers, "body": body})
        self.answer(body)

    def answer(self, body):
        state = self.server.state
        with state.lock:
            mode = state.mode
        if mode == "down":
            return self.drop()
        if mode == "500":
            return self.send(500, "simulated server error (http_recorder mode 500)\n")
        if mode == "slow":
            time.sleep(self.server.options.slow_seconds)
        path = urllib.parse.urlsplit(self.path).path
        es_headers = {"X-elastic-product": "Elasticsearch"}
        if body is not None and (path == "/_bulk" or path.endswith("/_bulk")):
            status, obj = self.bulk(path, body, mode)
            return self.send(status, obj, extra=es_headers)
        if mode == "hooks-500" and not (self.command == "GET" and path == "/"):
            return self.send(500, "simulated server error (http_recorder mode hooks-500)\n")
        if self.command == "GET" and path == "/":
            return self.send(200, {
                "name": "http_recorder", "cluster_name": "reddalert-test",
                "cluster_uuid": "reddalert-test-cluster",
                "version": {"number": "8.11.0", "build_flavor": "default"},
                "tagline": "You Know, for Search"}, extra=es_headers)
        return self.send(200, "ok")

    # ---- Elasticsearch _bulk

    def bulk(self, path, body, mode):
        ctype = (self.headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()
        if ctype not in ("application/json", "application/x-ndjson",
                         "application/vnd.elasticsearch+json",
                         "application/vnd.elasticsearch+x-ndjson"):
            return 406, {"error": "Content-Type header [%s] is not supported"
                                  % (self.headers.get("Content-Type") or ""), "status": 406}
        segments = [urllib.parse.unquote(s) for s in path.split("/") if s]
        default_index = segments[0] if len(segments) == 2 else None
        try:
            ops = parse_bulk(body, default_index)
        except BulkError as e:
            return e.status, e.body
        if mode == "es-empty":
            return 200, {}
        if mode == "es-no-items":
            return 200, {"errors": False}
        state = self.server.state
        items = []
        errors = False
        with state.lock:
            for k, (action, meta, source) in enumerate(ops):
                index = meta["_index"]
                doc_id = meta.get("_id")
                if doc_id is not None:
                    doc_id = str(doc_id)
                if mode == "es-errors" or (mode == "es-partial" and k == 0):
                    errors = True
                    items.append({action: {
                        "_index": index, "_id": doc_id, "status": 400,
                        "error": {"type": "mapper_parsing_exception",
                                  "reason": "failed to parse field [first_seen] of type [date] "
                                            "in document with id '%s'" % doc_id,
                                  "caused_by": {"type": "illegal_argument_exception",
                                                "reason": "simulated by http_recorder mode %s"
                                                          % mode}}}})
                    continue
                item, failed = self.apply(state, action, index, doc_id, source)
                errors = errors or failed
                items.append({action: item})
        if mode == "es-bad-errors":
            return 200, {"took": 1, "errors": "false", "items": items}
        if mode == "es-short":
            items = items[:-1]
        return 200, {"took": 1, "errors": errors, "items": items}

    @staticmethod
    def apply(state, action, index, doc_id, source):
        """Apply one bulk operation under state.lock; return (item, failed)."""
        if doc_id is None:
            doc_id = random_id()
        key = (index, doc_id)
        exists = key in state.documents
        version = state.versions.get(key, 0)

        def ok(status, result, new_version):
            state.seq_no += 1
            return {"_index": index, "_id": doc_id, "_version": new_version, "result": result,
                    "_shards": {"total": 2, "successful": 1, "failed": 0},
                    "_seq_no": state.seq_no - 1, "_primary_term": 1, "status": status}, False

        def fail(status, etype, reason):
            return {"_index": index, "_id": doc_id, "status": status,
                    "error": {"type": etype, "reason": reason, "index": index}}, True

        if action == "index":
            state.documents[key] = source
            state.versions[key] = version + 1
            return ok(200, "updated", version + 1) if exists else ok(201, "created", version + 1)
        if action == "create":
            if exists:
                return fail(409, "version_conflict_engine_exception",
                            "[%s]: version conflict, document already exists (current version [%d])"
                            % (doc_id, version))
            state.documents[key] = source
            state.versions[key] = version + 1
            return ok(201, "created", version + 1)
        if action == "update":
            patch = source.get("doc")
            if not exists:
                upsert = source.get("upsert")
                if upsert is None and source.get("doc_as_upsert") and isinstance(patch, dict):
                    upsert = patch
                if not isinstance(upsert, dict):
                    return fail(404, "document_missing_exception",
                                "[%s]: document missing" % doc_id)
                state.documents[key] = upsert
                state.versions[key] = version + 1
                return ok(201, "created", version + 1)
            if not isinstance(patch, dict):
                return fail(400, "action_request_validation_exception",
                            "Validation Failed: 1: script or doc is missing;")
            merged = deep_merge(state.documents[key], patch)
            if merged == state.documents[key]:
                return ok(200, "noop", version)
            state.documents[key] = merged
            state.versions[key] = version + 1
            return ok(200, "updated", version + 1)
        # delete
        if not exists:
            return ok(404, "not_found", version + 1)
        del state.documents[key]
        state.versions[key] = version + 1
        return ok(200, "deleted", version + 1)

    # ---- control

    def control(self, path):
        state = self.server.state
        rest = path[len("/__control/"):]
        if rest.startswith("mode/"):
            mode = urllib.parse.unquote(rest[len("mode/"):])
            if mode not in MODES:
                return self.send(400, "unknown mode %r; modes: %s\n" % (mode, ", ".join(MODES)))
            with state.lock:
                state.mode = mode
            return self.send(200, "ok")
        if rest == "mode":
            with state.lock:
                return self.send(200, state.mode)
        if rest == "documents":
            with state.lock:
                docs = {"%s/%s" % k: v for k, v in state.documents.items()}
            return self.send(200, docs)
        if rest == "requests":
            with state.lock:
                reqs = list(state.requests)
            return self.send(200, reqs)
        if rest == "reset":
            state.reset()
            return self.send(200, "ok")
        return self.send(404, "unknown control endpoint %s\n" % path)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)):
            return
        super().handle_error(request, client_address)


def main(argv=None):
    p = argparse.ArgumentParser(description="recording HTTP server (Elasticsearch _bulk, webhooks)")
    p.add_argument("--port", type=int, default=0, help="port on 127.0.0.1; 0 picks a free one")
    p.add_argument("--port-file", help="write the chosen port here (atomically)")
    p.add_argument("--log", required=True, help="append one JSON line per POST/PUT here")
    p.add_argument("--mode", default="ok", choices=MODES, help="initial mode (default ok)")
    p.add_argument("--slow-seconds", type=float, default=30.0, help="delay of the slow mode")
    p.add_argument("--verbose", action="store_true", help="log requests to stderr")
    opts = p.parse_args(argv)

    server = Server(("127.0.0.1", opts.port), Handler)  # bound and listening from here on
    server.options = opts
    server.state = State(opts.log, opts.mode)
    port = server.server_address[1]

    on_stop_signals()
    announce_port(port, opts.port_file)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
