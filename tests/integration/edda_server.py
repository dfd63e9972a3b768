#!/usr/bin/python3
"""A small EDDA-compatible HTTP server for reddalert's integration tests.

It serves a snapshot directory (docs/cli.md, "snapshot") over
EDDA's REST API (the design notes' edda.md, sections 1-3), following EDDA's own
CollectionResource, BasicRecordMatcher and FieldSelectorParser closely: the raw
(never percent-decoded) request URI, matrix arguments, time semantics, the two
query engines (the in-memory matcher for current-only queries and a type-strict
MongoDB-like matcher for history queries), response shapes and error bodies.

Usage:
  edda_server.py --dir SNAPSHOT_DIR --port 0 [--context /edda] [--port-file FILE]
                 [--fail-mode MODE] [--slow-seconds 30] [--verbose]

The chosen port is printed on stdout (one line) and written atomically to
--port-file. The server binds 127.0.0.1 and serves until SIGTERM/SIGINT.

Failure modes (--fail-mode, or at run time GET /__control/fail-mode/<MODE>):
  none      normal answers (default)
  500       every API request answers a servlet-container HTML 500 page
  json500   500 with an EDDA JSON error body
  html      200 text/html with an HTML body (think: an SSO proxy's login page)
  truncated 200 application/json with the correct body cut in half
  empty     the datastore "fails": every query finds nothing, so list queries
            answer 200 [] and single-id fetches 404 (EDDA's real behaviour)
  slow      sleep --slow-seconds (30) before answering normally
  flaky     the first 2 API requests (since the mode was set) answer 503
  close     close the connection without answering
  endless   200 application/json, chunked, a list of documents that never ends
            (until the client hangs up)
  gzip      the normal answer, Content-Encoding: gzip (when the client accepts it)
  gzip-bomb 200 application/json, Content-Encoding: gzip: about 64 KiB that inflate
            to a 64 MiB JSON list

Control endpoints (never subject to fail modes, never recorded):
  GET /__control/fail-mode/<MODE>  -> 200 "ok"
  GET /__control/fail-mode         -> the current mode
  GET /__control/requests          -> JSON list of the raw request targets received
  GET /__control/authorization     -> the Authorization header of the last API
                                      request ("" when it had none)
  GET /__control/reset             -> clears that list (and the flaky counter)

Standard library only.
"""

import argparse
import datetime
import decimal
import difflib
import html
import json
import gzip
import os
import re
import socket
import sys
import threading
import time
import traceback
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from testserver import announce_port, on_stop_signals

FAIL_MODES = ("none", "500", "json500", "html", "truncated", "empty", "slow", "flaky", "close",
              "endless", "gzip", "gzip-bomb")

# Record id field of each collection when a snapshot file holds plain documents
# (edda.md 1.3, with the document keys the snapshot format uses).
ID_FIELDS = {
    "aws.addresses": "publicIp",
    "aws.alarms": "alarmName",
    "aws.autoScalingGroups": "autoScalingGroupName",
    "aws.buckets": "name",
    "aws.cacheClusters": "cacheClusterId",
    "aws.databases": "DBInstanceIdentifier",
    "aws.databaseSubnets": "DBSubnetGroupName",
    "aws.hostedZones": "name",
    "aws.hostedRecords": "name",
    "aws.iamGroups": "name",
    "aws.iamPolicies": "policyName",
    "aws.iamRoles": "roleName",
    "aws.iamUsers": "name",
    "aws.iamVirtualMFADevices": "serialNumber",  # last path segment, see doc_id()
    "aws.images": "imageId",
    "aws.instances": "reservationId",
    "aws.launchConfigurations": "launchConfigurationName",
    "aws.loadBalancers": "loadBalancerName",
    "aws.loadBalancersV2": "loadBalancerName",
    "aws.reservedInstances": "reservedInstancesId",
    "aws.reservedInstancesOfferings": "reservedInstancesOfferingId",
    "aws.scalingActivities": "activityId",
    "aws.scalingPolicies": "policyName",
    "aws.scheduledActions": "scheduledActionARN",
    "aws.securityGroups": "groupId",
    "aws.snapshots": "snapshotId",
    "aws.stacks": "stackName",
    "aws.subnets": "subnetId",
    "aws.tags": None,  # key|resourceType|resourceId, see doc_id()
    "aws.targetGroups": "targetGroupName",
    "aws.volumes": "volumeId",
    "aws.vpcs": "vpcId",
    "view.instances": "instanceId",
    "view.loadBalancerInstances": "name",
    "view.simpleQueues": "name",
    "group.autoScalingGroups": "name",
}

ENVELOPE_TIME_KEYS = ("ctime", "ftime", "ltime", "mtime", "stime")

# EDDA's regular expressions (CollectionResource). The matrix part of
# collectionPathRx, (?:;[^/;]*(?:=[^/;]+)?)*, describes exactly the language
# (?:;[^/;]*)*; the unambiguous form avoids exponential backtracking.
FIELD_SELECTORS_RX = re.compile(r"(.*?)(:\(.*\))?", re.S)
COLLECTION_PATH_RX = re.compile(r"([^:;]+?)/?((?:;[^/;]*)*)", re.S)


# ---------------------------------------------------------------- errors

class JavaError(Exception):
    """An uncaught exception inside EDDA: the servlet container answers HTML 500."""


class QueryFailed(Exception):
    """The in-memory matcher threw; EDDA logs it and answers as if nothing matched."""


class NoComparator(Exception):
    """cmpPartialMatcher is not defined for this pair of values."""


class Response:
    def __init__(self, status, body=b"", content_type="application/json", request_id=True,
                 extra_headers=None):
        self.status = status
        self.body = body if isinstance(body, bytes) else body.encode("utf-8")
        self.content_type = content_type
        self.request_id = request_id
        self.extra_headers = extra_headers or []


STATUS_NAMES = {400: "BAD_REQUEST", 404: "NOT_FOUND", 410: "GONE", 500: "INTERNAL_SERVER_ERROR"}


def edda_fail(message, status):
    """EDDA's fail(): JSON with the fields in the order code, name, message."""
    body = '{"code":%d,"name":%s,"message":%s}' % (
        status, json.dumps(STATUS_NAMES[status]), json.dumps(message, ensure_ascii=False))
    return Response(status, body)


def container_page(status, reason, uri, detail=None):
    """A servlet container's (Jetty's) HTML error page."""
    cause = ""
    if detail:
        cause = "<h3>Caused by:</h3><pre>%s\n</pre>" % html.escape(detail)
    text = (
        "<html>\n<head>\n"
        '<meta http-equiv="Content-Type" content="text/html;charset=ISO-8859-1"/>\n'
        "<title>Error %d %s</title>\n</head>\n"
        "<body><h2>HTTP ERROR %d</h2>\n"
        "<p>Problem accessing %s. Reason:\n<pre>    %s</pre></p>%s"
        '<hr><a href="http://eclipse.org/jetty">Powered by Jetty:// 9.4.12.v20180830</a><hr/>\n'
        "\n</body>\n</html>\n"
    ) % (status, reason, status, html.escape(uri), reason, cause)
    return Response(status, text.encode("iso-8859-1", "replace"),
                    content_type="text/html;charset=ISO-8859-1", request_id=False)


# ---------------------------------------------------------------- Java-isms

def java_split(s, sep):
    """String.split with a literal one-character separator: trailing empty strings go."""
    if s == "":
        return [""]
    parts = s.split(sep)
    while parts and parts[-1] == "":
        parts.pop()
    return parts


_INT_RX = re.compile(r"[+-]?[0-9]+")


def java_parse(s, bits):
    """Long.parseLong / Integer.parseInt (Scala's toLong / toInt)."""
    if s is None:
        raise JavaError("java.lang.NumberFormatException: null")
    if not _INT_RX.fullmatch(s):
        raise JavaError('java.lang.NumberFormatException: For input string: "%s"' % s)
    v = int(s)
    if not -(1 << (bits - 1)) <= v < (1 << (bits - 1)):
        raise JavaError('java.lang.NumberFormatException: For input string: "%s"' % s)
    return v


def is_num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def java_double_str(x):
    """Double.toString: plain between 1e-3 and 1e7, else d.dddE[-]n."""
    if x != x:
        return "NaN"
    if x in (float("inf"), float("-inf")):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0 or 1e-3 <= abs(x) < 1e7:
        return repr(float(x))
    dec = decimal.Decimal(repr(float(x)))
    sign, digits, _ = dec.as_tuple()
    digits = "".join(map(str, digits)).rstrip("0") or "0"
    return "%s%s.%sE%d" % ("-" if sign else "", digits[0], digits[1:] or "0", dec.adjusted())


class _Missing:
    """Scala's None: what the in-memory matcher sees for an absent key."""

    def __repr__(self):
        return "None"


MISSING = _Missing()


def scala_str(v):
    """toString of a value as EDDA holds it in memory (Scala collections)."""
    if v is MISSING:
        return "None"
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return java_double_str(v)
    if isinstance(v, str):
        return v
    if isinstance(v, list):
        return "List(" + ", ".join(scala_str(e) for e in v) + ")"
    if isinstance(v, dict):
        return "Map(" + ", ".join("%s -> %s" % (k, scala_str(x)) for k, x in v.items()) + ")"
    return str(v)


def scala_to_boolean(s):
    low = s.lower()
    if low == "true":
        return True
    if low == "false":
        return False
    raise QueryFailed('java.lang.IllegalArgumentException: For input string: "%s"' % s)


def _sign(a, b):
    return (a > b) - (a < b)


# ---------------------------------------------------------------- in-memory matcher

def im_cmp(found, expected):
    """BasicRecordMatcher.cmpPartialMatcher."""
    if found is None and expected is None:
        return 0
    if expected is None:
        return -1
    if found is None:
        return 1
    if isinstance(found, bool) and isinstance(expected, str):
        return _sign(found, scala_to_boolean(expected))
    if isinstance(found, str) and isinstance(expected, bool):
        return _sign(scala_to_boolean(found), expected)
    if isinstance(found, bool) and isinstance(expected, bool):
        return _sign(found, expected)
    if isinstance(found, str):
        return _sign(found, scala_str(expected))
    if isinstance(expected, str):
        return _sign(scala_str(found), expected)
    if is_num(found) and is_num(expected):
        return _sign(found, expected)
    raise NoComparator()


def im_cmp_lift(found, expected):
    try:
        return im_cmp(found, expected)
    except NoComparator:
        return None


def im_in(found, expected):
    if isinstance(found, list):
        return any(im_cmp_lift(e, expected) == 0 for e in found)
    if isinstance(expected, list):
        return any(im_cmp_lift(found, e) == 0 for e in expected)
    raise QueryFailed("scala.MatchError")


def im_eq(found, expected):
    if isinstance(found, list) and isinstance(expected, list):
        return all(im_in(found, e) for e in expected)
    if isinstance(found, list):
        return im_in(found, expected)
    return im_cmp_lift(found, expected) == 0


def im_cmp_strict(found, expected):
    try:
        return im_cmp(found, expected)
    except NoComparator:
        raise QueryFailed("no comparitor found for: %s compareTo %s"
                          % (scala_str(found), scala_str(expected)))


IM_OPS = {
    "$eq": im_eq,
    "$ne": lambda f, e: not im_eq(f, e),
    "$gt": lambda f, e: im_cmp_strict(f, e) > 0,
    "$gte": lambda f, e: im_cmp_strict(f, e) >= 0,
    "$lt": lambda f, e: im_cmp_strict(f, e) < 0,
    "$lte": lambda f, e: im_cmp_strict(f, e) <= 0,
    "$in": im_in,
    "$nin": lambda f, e: not im_in(f, e),
}


def im_run(key, value, op, record):
    parts = java_split(key, ".")

    def find_obj(parts, data):
        head = data.get(parts[0], MISSING)
        if len(parts) == 1:
            return op(head, value)
        if isinstance(head, dict):
            return find_obj(parts[1:], head)
        if isinstance(head, list):
            return find_list(parts[1:], head)
        return False

    def find_list(parts, data):
        for v in data:
            if isinstance(v, dict):
                if find_obj(parts, v):
                    return True
            elif isinstance(v, list):
                if find_list(parts, v):
                    return True
        return False

    if not parts:
        return op(MISSING, value)
    return find_obj(parts, record)


def im_match_rule(key, value, record):
    if isinstance(value, dict):
        for op, sub in value.items():
            if op not in IM_OPS:
                raise QueryFailed("uknown match operation: " + op)
            if not im_run(key, sub, IM_OPS[op], record):
                return False
        return True
    if key == "$or" and isinstance(value, list):
        return any(im_match(q, record) for q in value)
    if key == "$and" and isinstance(value, list):
        return all(im_match(q, record) for q in value)
    return im_run(key, value, im_eq, record)


def im_match(query, record):
    return all(im_match_rule(k, v, record) for k, v in query.items())


# ---------------------------------------------------------------- MongoDB-like matcher

def mg_candidates(doc, key):
    """Values a dotted path reaches; arrays on the way mean 'any element'."""
    parts = key.split(".")
    out = []

    def walk(v, i):
        if i == len(parts):
            out.append(v)
            return
        p = parts[i]
        if isinstance(v, dict):
            if p in v:
                walk(v[p], i + 1)
            else:
                out.append(MISSING)
        elif isinstance(v, list):
            if p.isascii() and p.isdigit() and int(p) < len(v):
                walk(v[int(p)], i + 1)
            for e in v:
                if isinstance(e, dict):
                    walk(e, i)
        else:
            out.append(MISSING)

    walk(doc, 0)
    if not out:
        out.append(MISSING)
    return out


def mg_same(a, b):
    """BSON equality: type-strict (a string never equals a number)."""
    if b is None:
        return a is None or a is MISSING
    if a is None or a is MISSING:
        return False
    if isinstance(b, bool) or isinstance(a, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if is_num(b):
        return is_num(a) and a == b
    if isinstance(b, str):
        return isinstance(a, str) and a == b
    return a == b


def mg_eq_one(value, expected):
    if mg_same(value, expected):
        return True
    if isinstance(value, list):
        if expected is not None and any(mg_same(e, expected) for e in value):
            return True
        if isinstance(expected, list) and value == expected:
            return True
    return False


def mg_cmp_one(value, expected, pred):
    vals = value if isinstance(value, list) else [value]
    for v in vals:
        if is_num(v) and is_num(expected) and pred(_sign(v, expected)):
            return True
        if isinstance(v, str) and isinstance(expected, str) and pred(_sign(v, expected)):
            return True
    return False


def mg_op(key, op, expected, doc):
    cands = mg_candidates(doc, key)
    if op == "$eq":
        return any(mg_eq_one(c, expected) for c in cands)
    if op == "$ne":
        return not any(mg_eq_one(c, expected) for c in cands)
    if op == "$in":
        return any(mg_eq_one(c, e) for c in cands for e in expected)
    if op == "$nin":
        return not any(mg_eq_one(c, e) for c in cands for e in expected)
    preds = {"$gt": lambda s: s > 0, "$gte": lambda s: s >= 0,
             "$lt": lambda s: s < 0, "$lte": lambda s: s <= 0}
    if op in preds:
        return any(mg_cmp_one(c, expected, preds[op]) for c in cands)
    return False


def mg_match(query, doc):
    for key, value in query.items():
        if key == "$or" and isinstance(value, list):
            if not any(mg_match(q, doc) for q in value):
                return False
        elif key == "$and" and isinstance(value, list):
            if not all(mg_match(q, doc) for q in value):
                return False
        elif isinstance(value, dict):
            if not all(mg_op(key, op, sub, doc) for op, sub in value.items()):
                return False
        elif not mg_op(key, "$eq", value, doc):
            return False
    return True


# ---------------------------------------------------------------- field selectors

class Result:
    __slots__ = ("matches", "defined", "value")

    def __init__(self, matches, defined, value=None):
        self.matches = matches
        self.defined = defined
        self.value = value


NO_MATCH = Result(False, False)


class Expr:
    def select(self, value):
        """Returns (defined, value); undefined means the record is dropped."""
        r = self._select(value)
        if r.matches:
            return r.defined, r.value
        if r.defined:
            return False, None
        return True, value  # NoMatch

    def _select(self, value):
        if isinstance(value, list):
            if not value:
                return Result(True, True, value)
            kept = []
            for v in value:
                r = self.check(v)
                if r.matches and r.defined:
                    kept.append(r.value)
            return Result(True, True, kept)
        return self.check(value)


class FixedExpr(Expr):
    def check(self, value):
        return Result(True, True, value)


class FlattenExpr(Expr):
    def __init__(self, inner):
        self.inner = inner  # ignored, as in EDDA

    def check(self, value):
        if isinstance(value, dict):
            return Result(True, True, self.flatten(None, value))
        return Result(True, True, value)

    def flatten(self, prefix, m):
        values, subs = {}, {}
        for k, v in m.items():
            nk = k if prefix is None else prefix + "." + k
            (subs if isinstance(v, dict) else values)[nk] = v
        for k, v in subs.items():
            values.update(self.flatten(k, v))
        return values


class KeySelectExpr(Expr):
    def __init__(self, keys):
        self.keys = keys

    def check(self, value):
        if not isinstance(value, dict):
            return NO_MATCH
        results = {k: self.keys[k]._select(v) for k, v in value.items() if k in self.keys}
        matches = all(r.matches for r in results.values())
        return Result(matches, True, {k: r.value for k, r in results.items() if r.defined})


def scala_eq(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if a is None or b is None:
        return a is None and b is None
    if is_num(a) and is_num(b):
        return a == b
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    return False


class EqualExpr(Expr):
    def __init__(self, desired, negate):
        self.desired = desired
        self.negate = negate

    def check(self, value):
        return Result(scala_eq(value, self.desired) != self.negate, True, value)


class RegexExpr(Expr):
    def __init__(self, regex, invert):
        try:
            self.pattern = re.compile(regex)
        except re.error as e:
            raise JavaError("java.util.regex.PatternSyntaxException: %s near index %s\n%s"
                            % (e.msg, e.pos, regex))
        self.invert = invert

    def check(self, value):
        if value is None:
            raise JavaError("java.lang.NullPointerException")
        found = self.pattern.search(scala_str(value)) is not None
        return Result(found != self.invert, True, value)


class _ParseFail(Exception):
    pass


class FieldSelectorParser:
    """FieldSelectorParser.scala: a Scala RegexParsers grammar (whitespace-skipping, PEG-like)."""

    ID_RX = re.compile(r"[a-zA-Z0-9_.\-]*")
    STRING_RX = re.compile(r'"[^"]*"')
    INT_RX = re.compile(r"-?[0-9]+")
    FLOAT_RX = re.compile(r"[-+]?[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?")
    REGEX_BODY_RX = re.compile(r"[^/]*")
    WS_RX = re.compile(r"\s+")

    def __init__(self, text):
        self.s = text
        self.pos = 0
        self.failpos = 0
        self.failmsg = "end of input"

    def parse(self):
        expr = self.expression()
        if expr is not None:
            self.ws()
            if self.pos == len(self.s):
                return expr
            self.fail("end of input expected")
        raise JavaError("java.lang.IllegalArgumentException: could not parse expression '%s': %s"
                        % (self.s, self.failmsg))

    def fail(self, what):
        if self.pos >= self.failpos:
            self.failpos = self.pos
            found = self.s[self.pos] if self.pos < len(self.s) else "end of source"
            self.failmsg = "%s but `%s' found" % (what, found)

    def ws(self):
        m = self.WS_RX.match(self.s, self.pos)
        if m:
            self.pos = m.end()

    def lit(self, text):
        save = self.pos
        self.ws()
        if self.s.startswith(text, self.pos):
            self.pos += len(text)
            return True
        self.fail("`%s' expected" % text)
        self.pos = save
        return False

    def rx(self, rx):
        save = self.pos
        self.ws()
        m = rx.match(self.s, self.pos)
        if m:
            self.pos = m.end()
            return m.group(0)
        self.fail("string matching regex `%s' expected" % rx.pattern)
        self.pos = save
        return None

    def expression(self):
        save = self.pos
        e = self.flatten_expr()
        if e is not None:
            return e
        self.pos = save
        return self.key_select_expr()

    def flatten_expr(self):
        save = self.pos
        if self.lit(":"):
            k = self.key_select_expr()
            if k is not None:
                return FlattenExpr(k)
        self.pos = save
        return None

    def key_select_expr(self):
        save = self.pos
        if not self.lit(":("):
            return None
        items = [self.sub_expr()]
        while True:
            s2 = self.pos
            if self.lit(","):
                items.append(self.sub_expr())
                continue
            self.pos = s2
            break
        if not self.lit(")"):
            self.pos = save
            return None
        keys = {}
        for k, e in items:
            keys[k] = e
        return KeySelectExpr(keys)

    def sub_expr(self):
        key = self.rx(self.ID_RX)
        for alt in (self.equal_expr, self.not_equal_expr, self.regex_expr, self.inv_regex_expr,
                    self.expression):
            save = self.pos
            e = alt()
            if e is not None:
                return key, e
            self.pos = save
        return key, FixedExpr()

    def equal_expr(self):
        save = self.pos
        if self.lit("="):
            ok, v = self.literal()
            if ok:
                return EqualExpr(v, False)
        self.pos = save
        return None

    def not_equal_expr(self):
        save = self.pos
        if self.lit("!="):
            ok, v = self.literal()
            if ok:
                return EqualExpr(v, True)
        self.pos = save
        return None

    def regex_expr(self):
        save = self.pos
        if self.lit("~"):
            body = self.regex_literal()
            if body is not None:
                return RegexExpr(body, False)
        self.pos = save
        return None

    def inv_regex_expr(self):
        save = self.pos
        if self.lit("!~"):
            body = self.regex_literal()
            if body is not None:
                return RegexExpr(body, True)
        self.pos = save
        return None

    def regex_literal(self):
        save = self.pos
        if self.lit("/"):
            body = self.rx(self.REGEX_BODY_RX)
            if body is not None and self.lit("/"):
                return body
        self.pos = save
        return None

    def literal(self):
        v = self.rx(self.STRING_RX)
        if v is not None:
            return True, v[1:-1]
        for text, value in (("null", None), ("true", True), ("false", False)):
            if self.lit(text):
                return True, value
        v = self.rx(self.INT_RX)
        if v is not None:
            return True, java_parse(v, 32)
        v = self.rx(self.FLOAT_RX)
        if v is not None:
            return True, float(v)
        return False, None


# ---------------------------------------------------------------- output

def iso_ms(ms):
    try:
        dt = datetime.datetime.fromtimestamp(ms // 1000, tz=datetime.timezone.utc)
    except (OverflowError, OSError, ValueError):
        return ms
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (ms % 1000)


def is_date_key(key):
    last = key.rsplit(".", 1)[-1]
    return last.endswith("Time") or last.endswith("Date") or last == "passwordLastUsed"


def pp_dates_data(v):
    """_pp renders Date values as ISO strings; in a snapshot they are plain numbers, so
    numbers under keys named like dates (launchTime, createDate, ...) are taken as dates."""
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            if is_date_key(k) and isinstance(x, int) and not isinstance(x, bool):
                out[k] = iso_ms(x)
            else:
                out[k] = pp_dates_data(x)
        return out
    if isinstance(v, list):
        return [pp_dates_data(x) for x in v]
    return v


def pp_dates_envelope(v):
    if not isinstance(v, dict):
        return v
    out = {}
    for k, x in v.items():
        if k in ENVELOPE_TIME_KEYS and isinstance(x, int) and not isinstance(x, bool):
            out[k] = iso_ms(x)
        elif k == "data":
            out[k] = pp_dates_data(x)
        elif k.startswith("data."):
            out[k] = pp_dates_data({k: x})[k]
        else:
            out[k] = x
    return out


def compact(obj):
    return json.dumps(obj, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def pretty(obj, level=0):
    """Jackson 1.9 DefaultPrettyPrinter with Lf2SpacesIndenter for arrays."""
    pad = "  " * (level + 1)
    if isinstance(obj, dict):
        if not obj:
            return "{ }"
        items = ["\n" + pad + json.dumps(k, ensure_ascii=False) + " : " + pretty(obj[k], level + 1)
                 for k in sorted(obj)]
        return "{" + ",".join(items) + "\n" + "  " * level + "}"
    if isinstance(obj, list):
        if not obj:
            return "[ ]"
        items = ["\n" + pad + pretty(x, level + 1) for x in obj]
        return "[" + ",".join(items) + "\n" + "  " * level + "]"
    return json.dumps(obj, ensure_ascii=False)


def unified_diff(orig_name, rev_name, orig, rev, context):
    """java-diff-utils 1.2.1 DiffUtils.diff + generateUnifiedDiff (hunks always -a,b +c,d)."""
    sm = difflib.SequenceMatcher(None, orig, rev, autojunk=False)
    deltas = [(i1, orig[i1:i2], j1, rev[j1:j2])
              for tag, i1, i2, j1, j2 in sm.get_opcodes() if tag != "equal"]
    if not deltas:
        return []
    out = ["--- " + orig_name, "+++ " + rev_name]

    def process(group):
        buf = []
        cur = group[0]
        orig_start = cur[0] + 1 - context if cur[0] + 1 - context > 0 else 1
        rev_start = cur[2] + 1 - context if cur[2] + 1 - context > 0 else 1
        otot = rtot = 0
        for line in range(max(cur[0] - context, 0), cur[0]):
            buf.append(" " + orig[line])
            otot += 1
            rtot += 1
        buf += ["-" + x for x in cur[1]] + ["+" + x for x in cur[3]]
        otot += len(cur[1])
        rtot += len(cur[3])
        for nxt in group[1:]:
            for line in range(cur[0] + len(cur[1]), nxt[0]):
                buf.append(" " + orig[line])
                otot += 1
                rtot += 1
            buf += ["-" + x for x in nxt[1]] + ["+" + x for x in nxt[3]]
            otot += len(nxt[1])
            rtot += len(nxt[3])
            cur = nxt
        start = cur[0] + len(cur[1])
        line = start
        while line < start + context and line < len(orig):
            buf.append(" " + orig[line])
            otot += 1
            rtot += 1
            line += 1
        return ["@@ -%d,%d +%d,%d @@" % (orig_start, otot, rev_start, rtot)] + buf

    group = [deltas[0]]
    delta = deltas[0]
    for nxt in deltas[1:]:
        if delta[0] + len(delta[1]) + context >= nxt[0] - context:
            group.append(nxt)
        else:
            out += process(group)
            group = [nxt]
        delta = nxt
    out += process(group)
    return out


# ---------------------------------------------------------------- snapshot store

def to_ms(v):
    if v is None:
        return None
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, (int, float)):
        return int(v)
    if isinstance(v, str):
        s = v.strip()
        if re.fullmatch(r"-?[0-9]+", s):
            return int(s)
        try:
            dt = datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
            if dt.tzinfo is None:
                dt = dt.replace(tzinfo=datetime.timezone.utc)
            return int(dt.timestamp() * 1000)
        except ValueError:
            return None
    return None


def is_envelope(e):
    return isinstance(e, dict) and "data" in e and "id" in e and ("stime" in e or "ltime" in e)


def doc_id(coll_name, doc, index):
    if not isinstance(doc, dict):
        return str(index)
    field = "id"
    known = False
    for name in sorted(ID_FIELDS, key=len, reverse=True):
        if coll_name == name or coll_name.endswith("." + name):
            field = ID_FIELDS[name]
            known = True
            base = name
            break
    if known and base == "aws.tags":
        return "%s|%s|%s" % (doc.get("key"), doc.get("resourceType"), doc.get("resourceId"))
    value = doc.get(field) if field else None
    if known and base == "aws.iamVirtualMFADevices" and isinstance(value, str):
        value = value.rsplit("/", 1)[-1]
    if value is None:
        for f in ("id", "name", "Name"):
            if doc.get(f) is not None:
                value = doc[f]
                break
    return str(value) if value is not None else str(index)


class Collection:
    def __init__(self, name, items, captured_at):
        recs = []
        for i, e in enumerate(items):
            if is_envelope(e):
                recs.append({
                    "id": str(e["id"]),
                    "stime": to_ms(e.get("stime")) or 0,
                    "ltime": to_ms(e.get("ltime")),
                    "ctime": to_ms(e.get("ctime")),
                    "ftime": to_ms(e.get("ftime")),
                    "mtime": to_ms(e.get("mtime")),
                    "tags": e.get("tags") if e.get("tags") is not None else {},
                    "data": e["data"],
                })
            else:
                recs.append({"id": doc_id(name, e, i), "stime": 0, "ltime": None, "ctime": 0,
                             "ftime": 0, "mtime": None, "tags": {}, "data": e})
        first_seen = {}
        for r in recs:
            first_seen[r["id"]] = min(first_seen.get(r["id"], r["stime"]), r["stime"])
        if captured_at is not None:
            mtime = captured_at
        else:
            times = [t for r in recs for t in (r["stime"], r["ltime"], r["mtime"]) if t is not None]
            mtime = max(times) if times else 0
        self.mtime = mtime
        for r in recs:
            if r["ftime"] is None:
                r["ftime"] = first_seen[r["id"]]
            if r["ctime"] is None:
                r["ctime"] = r["ftime"]
            if r["ltime"] is None:
                r["mtime"] = mtime  # EDDA overwrites current records' mtime at query time
            elif r["mtime"] is None:
                r["mtime"] = r["ltime"]
        recs.sort(key=lambda r: (-r["stime"], r["id"]))
        self.name = name
        self.records = recs
        self.current = [r for r in recs if r["ltime"] is None]


class Store:
    def __init__(self, directory):
        self.dir = directory
        self.lock = threading.Lock()
        self.cache = {}

    def _sig(self, path):
        try:
            st = os.stat(path)
            return (st.st_mtime_ns, st.st_size)
        except OSError:
            return None

    def names(self):
        try:
            files = os.listdir(self.dir)
        except OSError:
            return set()
        return {f[:-5] for f in files if f.endswith(".json") and f != "manifest.json" and len(f) > 5}

    def captured_at(self):
        path = os.path.join(self.dir, "manifest.json")
        if not os.path.exists(path):
            return None
        try:
            with open(path, encoding="utf-8") as fh:
                m = json.load(fh)
        except (OSError, ValueError) as e:
            raise JavaError("manifest.json: %s" % e)
        return to_ms(m.get("captured_at")) if isinstance(m, dict) else None

    def get(self, name):
        path = os.path.join(self.dir, name + ".json")
        sig = (self._sig(path), self._sig(os.path.join(self.dir, "manifest.json")))
        with self.lock:
            hit = self.cache.get(name)
            if hit and hit[0] == sig:
                return hit[1]
            try:
                with open(path, encoding="utf-8") as fh:
                    items = json.load(fh)
            except (OSError, ValueError) as e:
                raise JavaError("cannot load %s: %s" % (path, e))
            if not isinstance(items, list):
                raise JavaError("cannot load %s: not a JSON array" % path)
            coll = Collection(name, items, self.captured_at())
            self.cache[name] = (sig, coll)
            return coll


# ---------------------------------------------------------------- EDDA request logic

class Req:
    """CollectionResource.ReqDetails."""

    def __init__(self, rid, meta_args, matrix_args, expr):
        self.id = rid
        self.meta_args = meta_args
        self.matrix_args = matrix_args
        self.expr = expr
        now = int(time.time() * 1000)

        def time_arg(k):
            return java_parse(meta_args[k], 64) if k in meta_args else now

        def bool_arg(k):
            return k in meta_args and (meta_args[k] is None or meta_args[k] == "1")

        self.at = time_arg("_at")
        self.since = time_arg("_since")
        self.until = time_arg("_until")
        self.meta = bool_arg("_meta")
        self.all = bool_arg("_all") or (rid is not None and ("_since" in meta_args or "_until" in meta_args))
        self.has_diff = "_diff" in meta_args
        self.diff = meta_args.get("_diff")
        self.pp = self.has_diff or bool_arg("_pp")
        self.live = bool_arg("_live")
        self.updated = bool_arg("_updated")
        self.cb = meta_args.get("_callback")
        self.single = rid is not None and "," not in rid and not self.all
        if self.single:
            self.limit = 1
        elif "_limit" in meta_args:
            v = meta_args["_limit"]
            self.limit = 0 if v is None else java_parse(v, 32)
        else:
            self.limit = 0
        self.expand = rid is not None or self.meta or self.all or bool_arg("_expand")
        self.time_travelling = self.all or "_at" in meta_args or "_since" in meta_args

    def copy_with(self, extra):
        m = dict(self.meta_args)
        m.update(extra)
        return Req(self.id, m, self.matrix_args, self.expr)


def parse_matrix(matrix_str):
    """Utils.parseMatrixArguments."""
    if not matrix_str:
        return {}
    args = {}
    for item in java_split(matrix_str[1:], ";"):
        kv = java_split(item, "=")
        if len(kv) == 2:
            args[kv[0]] = kv[1]
        elif len(kv) == 1 and kv[0] != "":
            args[kv[0]] = None
        elif len(kv) > 2:
            acc = ""
            for x in kv[1:]:
                acc = acc + "=" + x
            args[kv[0]] = acc
    return args


def make_query(d):
    q = {}
    prefix = "" if d.meta else "data."
    for k, v in d.matrix_args.items():
        if v is None:
            q[prefix + k] = {"$nin": [None, ""]}
        elif v == "true":
            q[prefix + k] = True
        elif v == "false":
            q[prefix + k] = False
        elif "," in v:
            q[prefix + k] = {"$in": java_split(v, ",")}
        else:
            q[prefix + k] = v
    ma = d.meta_args
    if "_at" in ma:
        q["stime"] = {"$lte": d.at}
        q["$or"] = [{"ltime": None}, {"ltime": {"$gte": d.at}}]
    elif not d.time_travelling:
        q["ltime"] = None
    if d.updated:
        since = {"stime": {"$gte": d.since}}
        until = {"stime": {"$lte": d.until}}
    else:
        since = {"$or": [{"stime": {"$gte": d.since}}, {"ltime": None}, {"ltime": {"$gt": d.since}}]}
        until = {"$or": [{"stime": {"$lte": d.until}}, {"ltime": {"$lt": d.until}}]}
    if "_since" in ma and "_until" in ma:
        q["$and"] = [since, until]
    elif "_since" in ma:
        q.update(since)
    elif "_until" in ma:
        q.update(until)
    return q


class Api:
    def __init__(self, store, context, verbose):
        self.store = store
        self.context = context
        self.prefix = context + "/api/v2/"
        self.verbose = verbose

    def select(self, coll, d, empty):
        if empty:
            return []
        q = make_query(d)
        if d.id is not None:
            q["id"] = {"$in": java_split(d.id, ",")} if "," in d.id else d.id
        live = d.time_travelling or d.live
        try:
            if live:
                recs = [r for r in coll.records if mg_match(q, r)]
            else:
                recs = [r for r in coll.current if im_match(q, r)]
        except QueryFailed as e:
            if self.verbose:
                sys.stderr.write("edda_server: query failed (EDDA answers as if empty): %s\n" % e)
            return []
        limit = d.limit
        if live and limit < 0:
            limit = -limit
        return recs[:limit] if limit > 0 else recs

    def handle(self, uri, empty=False):
        """uri: the raw request URI without the query string, starting with self.prefix."""
        real_path = uri[len(self.prefix):]
        m = FIELD_SELECTORS_RX.fullmatch(real_path)
        path, expr_str = m.group(1), m.group(2)
        m = COLLECTION_PATH_RX.fullmatch(path)
        if not m:
            return edda_fail("invalid path: " + path, 400)
        coll_path, matrix_str = m.group(1), m.group(2)
        names = self.store.names()
        name = coll_path.replace("/", ".")
        if name in names:
            coll_name, rid = name, None
        else:
            parts = java_split(coll_path, "/")
            if not parts:
                raise JavaError("java.lang.UnsupportedOperationException: empty.init")
            coll_name, rid = ".".join(parts[:-1]), parts[-1]
        args = parse_matrix(matrix_str)
        expr = FieldSelectorParser(expr_str).parse() if expr_str is not None else None
        if any(k == "" for k in args):
            raise JavaError("java.lang.StringIndexOutOfBoundsException: String index out of range: 0")
        meta_args = {k: v for k, v in args.items() if k.startswith("_")}
        matrix_args = {k: v for k, v in args.items() if not k.startswith("_")}
        d = Req(rid, meta_args, matrix_args, expr)
        if d.id is None and d.has_diff:
            return edda_fail("_diff argument requires use of resource id: /api" + coll_name + "/<id>", 400)
        if coll_name not in names:
            return edda_fail("invalid collection: %s.%s" % (coll_name, "null" if rid is None else rid), 400)
        coll = self.store.get(coll_name)
        return self.handle_collection(coll_name, coll, d, empty)

    def handle_collection(self, coll_name, coll, d, empty):
        recs = self.select(coll, d, empty)
        if d.single and not recs:
            if not d.time_travelling:
                old = self.select(coll, d.copy_with({"_live": None, "_since": "0", "_limit": "1"}), empty)
                if old:
                    return edda_fail(
                        'record "%s" is no longer valid in collection %s. Use _at, _since or _all '
                        "arguments to fetch historical records.  Last seen at %d"
                        % (d.id, coll_name, old[0]["stime"]), 410)
            return edda_fail('record "%s" not found in collection %s' % (d.id, coll_name), 404)

        if d.has_diff and d.id is not None:
            if len(recs) == 1:
                return edda_fail("_diff requires at least 2 documents, only 1 found", 400)
            context = None if d.diff is None else java_parse(d.diff, 32)
            if len(recs) < 2:
                raise JavaError("java.lang.RuntimeException: diff requires at least 2 records")
            prefix = self.context + "/api/v2/" + coll_name.replace(".", "/")
            docs = [(prefix + "/" + r["id"] + ";_pp;_at=" + str(r["stime"]),
                     java_split(pretty(pp_dates_data(r["data"])), "\n")) for r in recs]
            lines = []
            for (a_name, a_lines), (b_name, b_lines) in zip(docs, docs[1:]):
                size = context if context is not None else max(len(a_lines), len(b_lines))
                lines += unified_diff(b_name, a_name, b_lines, a_lines, size)
            body = "".join(line + "\n" for line in lines)
            return self.finish(d, body, "text/plain")

        if d.expand:
            out = []
            for r in recs:
                obj = self.envelope(r) if d.meta else r["data"]
                if d.expr is not None:
                    defined, obj = d.expr.select(obj)
                    if not defined:
                        continue
                if d.pp:
                    obj = pp_dates_envelope(obj) if d.meta else pp_dates_data(obj)
                out.append(obj)
        else:
            out = [r["id"] for r in recs]
        render = pretty if d.pp else compact
        if d.single:
            body = render(out[0]) if out else ""
        else:
            body = render(out)
        return self.finish(d, body, "application/json")

    @staticmethod
    def envelope(r):
        return {"ctime": r["ctime"], "data": r["data"], "ftime": r["ftime"], "id": r["id"],
                "ltime": r["ltime"], "mtime": r["mtime"], "stime": r["stime"], "tags": r["tags"]}

    @staticmethod
    def finish(d, body, content_type):
        if d.cb is not None:
            return Response(200, d.cb + "(" + body + ")", "application/javascript")
        return Response(200, body, content_type)


# ---------------------------------------------------------------- HTTP server

class State:
    def __init__(self, mode):
        self.lock = threading.Lock()
        self.mode = mode
        self.requests = []
        self.authorization = ""
        self.flaky_count = 0


_BOMB = []


def gzip_bomb():
    """64 MiB of JSON (a list of spaces) gzipped once per process: about 64 KiB."""
    if not _BOMB:
        _BOMB.append(gzip.compress(b"[" + b" " * (64 << 20) + b"]", 9))
    return _BOMB[0]


LOGIN_PAGE = (
    "<!DOCTYPE html>\n<html><head><title>Sign in</title></head>\n"
    "<body><h1>Single sign-on</h1><form method=\"post\" action=\"/login\">"
    "<input name=\"user\"><input name=\"password\" type=\"password\">"
    "<button>Sign in</button></form></body></html>\n")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Jetty(9.4.12.v20180830)"

    def version_string(self):
        return self.server_version

    def __getattr__(self, name):
        if name.startswith("do_"):
            return self.method_not_allowed
        raise AttributeError(name)

    def log_message(self, fmt, *args):
        if self.server.options.verbose:
            sys.stderr.write("edda_server: %s %s\n" % (self.address_string(), fmt % args))

    def do_GET(self):
        self.dispatch(head=False)

    def do_HEAD(self):
        self.dispatch(head=True)

    def method_not_allowed(self):
        length = self.headers.get("Content-Length")
        if length and length.isdigit():
            self.rfile.read(int(length))
        self.close_connection = True
        self.send(Response(405, b"", content_type="text/plain", request_id=False,
                           extra_headers=[("Allow", "GET,HEAD")]), head=self.command == "HEAD")

    def raw_target(self):
        words = self.requestline.split()
        target = words[1] if len(words) >= 2 else self.path
        m = re.match(r"https?://[^/]*", target)
        if m:
            target = target[m.end():] or "/"
        return target

    def send(self, resp, head=False):
        self.send_response(resp.status)
        self.send_header("Content-Type", resp.content_type)
        self.send_header("Content-Length", str(len(resp.body)))
        if resp.request_id:
            self.send_header("X-Request-Id", str(uuid.uuid4()))
        for k, v in resp.extra_headers:
            self.send_header(k, v)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if not head:
            self.wfile.write(resp.body)

    def control(self, path):
        state = self.server.state
        rest = path[len("/__control/"):]
        if rest.startswith("fail-mode/"):
            mode = rest[len("fail-mode/"):]
            if mode not in FAIL_MODES:
                return Response(400, "unknown fail mode %r; one of %s" % (mode, ", ".join(FAIL_MODES)),
                                "text/plain", request_id=False)
            with state.lock:
                state.mode = mode
                state.flaky_count = 0
            return Response(200, "ok", "text/plain", request_id=False)
        if rest == "fail-mode":
            return Response(200, state.mode, "text/plain", request_id=False)
        if rest == "authorization":
            with state.lock:
                return Response(200, state.authorization, "text/plain", request_id=False)
        if rest == "requests":
            with state.lock:
                body = json.dumps(state.requests, ensure_ascii=False)
            return Response(200, body, "application/json", request_id=False)
        if rest == "reset":
            with state.lock:
                state.requests = []
                state.flaky_count = 0
            return Response(200, "ok", "text/plain", request_id=False)
        return Response(404, "unknown control endpoint", "text/plain", request_id=False)

    def dispatch(self, head):
        target = self.raw_target()
        path = target.split("?", 1)[0]
        try:
            uri = path.encode("latin-1").decode("utf-8")
        except UnicodeError:
            uri = path
        if uri.startswith("/__control/"):
            self.send(self.control(uri), head)
            return

        state = self.server.state
        with state.lock:
            state.requests.append(target)
            state.authorization = self.headers.get("Authorization") or ""
            mode = state.mode
            flaky_n = state.flaky_count
            if mode == "flaky":
                state.flaky_count += 1

        if mode == "close":
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        if mode == "slow":
            time.sleep(self.server.options.slow_seconds)
        if mode == "flaky" and flaky_n < 2:
            self.send(container_page(503, "Service Unavailable", uri), head)
            return
        if mode == "500":
            self.send(container_page(500, "Server Error", uri,
                                     "java.lang.IllegalStateException: simulated failure"), head)
            return
        if mode == "json500":
            self.send(edda_fail("query failed: java.util.concurrent.TimeoutException: "
                                "query failed  after 60000ms timeout", 500), head)
            return
        if mode == "html":
            self.send(Response(200, LOGIN_PAGE, "text/html; charset=utf-8", request_id=False), head)
            return
        if mode == "endless":
            self.send_endless()
            return
        if mode == "gzip-bomb":
            self.send(Response(200, gzip_bomb(), extra_headers=[("Content-Encoding", "gzip")]), head)
            return

        resp = self.api_response(uri, empty=(mode == "empty"))
        if mode == "truncated":
            resp = Response(200, resp.body[:len(resp.body) // 2], "application/json")
        if mode == "gzip" and "gzip" in (self.headers.get("Accept-Encoding") or ""):
            resp.body = gzip.compress(resp.body)
            resp.extra_headers.append(("Content-Encoding", "gzip"))
        self.send(resp, head)

    def send_endless(self):
        """A chunked list of documents, 64 KiB a chunk, until the client hangs up."""
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        piece = b'{"id": "sg-endless", "data": {}},' * 2048
        chunk = b"%x\r\n%s\r\n" % (len(piece), piece)
        try:
            self.wfile.write(b"1\r\n[\r\n")
            while True:
                self.wfile.write(chunk)
        except OSError:
            pass

    def api_response(self, uri, empty):
        api = self.server.api
        if not (uri.startswith(api.prefix) and len(uri) > len(api.prefix)):
            return container_page(404, "Not Found", uri)
        try:
            return api.handle(uri, empty)
        except JavaError as e:
            if self.server.options.verbose:
                sys.stderr.write("edda_server: 500 %s: %s\n" % (uri, e))
            return container_page(500, "Server Error", uri, str(e))
        except Exception as e:  # a bug in this server: still answer like a container
            traceback.print_exc(file=sys.stderr)
            return container_page(500, "Server Error", uri, "%s: %s" % (type(e).__name__, e))


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)):
            return
        if self.options.verbose:
            super().handle_error(request, client_address)


def main(argv=None):
    p = argparse.ArgumentParser(description="EDDA-compatible test server over a snapshot directory")
    p.add_argument("--dir", required=True, help="snapshot directory (<collection>.json files)")
    p.add_argument("--port", type=int, default=0, help="port on 127.0.0.1; 0 picks a free one")
    p.add_argument("--context", default="/edda", help="servlet context path (default /edda; '' for ROOT)")
    p.add_argument("--port-file", help="write the chosen port here (atomically)")
    p.add_argument("--fail-mode", default="none", choices=FAIL_MODES)
    p.add_argument("--slow-seconds", type=float, default=30.0, help="delay of the slow fail mode")
    p.add_argument("--verbose", action="store_true", help="log requests to stderr")
    opts = p.parse_args(argv)

    if not os.path.isdir(opts.dir):
        p.error("--dir %s: not a directory" % opts.dir)
    context = opts.context.strip()
    context = ("/" + context.strip("/")) if context.strip("/") else ""

    server = Server(("127.0.0.1", opts.port), Handler)
    server.options = opts
    server.state = State(opts.fail_mode)
    server.api = Api(Store(opts.dir), context, opts.verbose)
    port = server.server_address[1]

    on_stop_signals()
    announce_port(port, opts.port_file)
    if opts.verbose:
        sys.stderr.write("edda_server: serving %s on http://127.0.0.1:%d%s/api/v2/\n"
                         % (opts.dir, port, context))
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
