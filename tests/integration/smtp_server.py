#!/usr/bin/python3
"""A small recording SMTP server for reddalert's integration tests (the email sink).

Usage:
  smtp_server.py --port 0 --port-file FILE --maildir DIR
                 [--tls-cert CERT --tls-key KEY [--require-tls | --implicit-tls]]
                 [--auth USER:PASSWORD] [--fail]
  smtp_server.py make-cert DIR

Serve mode: an aiosmtpd Controller on 127.0.0.1. With --port 0 a free port is found
first (bind a socket to port 0, read the port, close it) and the controller is
started on it. Once the server answers connections, the port is written atomically
to --port-file (temp file + rename) and printed on stdout (one line).

Every message accepted is stored in --maildir as
  <n>.eml   the message bytes as received after DATA (CRLF line ends kept,
            RFC 5321 dot-stuffing undone), n counting from 1
  <n>.json  {"mail_from": ..., "rcpt_tos": [...], "auth_user": USER or null,
             "tls": true/false}
The .json file is written last and atomically, so its presence means that the
message is complete.

Like a real server, it enforces RFC 5321's line limit (section 4.5.3.1.6): a command
or message line longer than 1,000 bytes with its CRLF is answered "500 Line too long"
and nothing is stored.

Options:
  --tls-cert/--tls-key  offer STARTTLS with this certificate (not required unless
                        --require-tls is given)
  --implicit-tls        TLS from the first byte instead (smtps://), same cert/key
  --auth USER:PASSWORD  offer AUTH PLAIN and LOGIN (with or without TLS) and require
                        it for MAIL/RCPT/DATA; wrong credentials answer 535.
                        Without --auth no AUTH is advertised.
  --fail                answer every DATA with "451 4.3.0 try again later" (nothing
                        is stored)

Runs until SIGTERM/SIGINT, then exits 0.

make-cert DIR: creates DIR/cert.pem and DIR/key.pem, a self-signed certificate for
127.0.0.1 and localhost (valid 2 days), with the openssl command, and prints the
two paths, the certificate first, one per line.

Standard library and Debian's python3-aiosmtpd only.
"""

import argparse
import json
import logging
import os
import socket
import ssl
import subprocess
import sys
import threading
import warnings

from testserver import announce_port, on_stop_signals, write_atomic

try:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword
except ImportError:  # pragma: no cover
    sys.stderr.write("smtp_server.py: needs aiosmtpd (Debian package python3-aiosmtpd)\n")
    sys.exit(2)

FAIL_STATUS = "451 4.3.0 try again later"
BANNER_HOSTNAME = "smtp.reddalert.test"  # never socket.getfqdn(): no DNS lookups here


def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
    finally:
        s.close()


class RecordingHandler:
    def __init__(self, maildir, fail):
        self.maildir = maildir
        self.fail = fail
        self.lock = threading.Lock()
        self.next_n = 1

    def _number(self):
        with self.lock:
            n = self.next_n
            # never overwrite what an earlier run left in the same directory
            while (os.path.exists(os.path.join(self.maildir, "%d.eml" % n))
                   or os.path.exists(os.path.join(self.maildir, "%d.json" % n))):
                n += 1
            self.next_n = n + 1
            return n

    async def handle_DATA(self, server, session, envelope):
        if self.fail:
            return FAIL_STATUS
        raw = envelope.original_content
        if raw is None:
            raw = envelope.content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        transport = server.transport
        tls = bool(transport is not None and transport.get_extra_info("ssl_object") is not None)
        auth_user = None
        if session.authenticated:
            data = session.auth_data
            if isinstance(data, LoginPassword):
                data = data.login
            if isinstance(data, bytes):
                data = data.decode("utf-8", "replace")
            auth_user = data
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "auth_user": auth_user,
            "tls": tls,
        }
        n = self._number()
        base = os.path.join(self.maildir, str(n))
        write_atomic(base + ".eml", raw)
        write_atomic(base + ".json", (json.dumps(meta, indent=1) + "\n").encode("utf-8"))
        return "250 2.0.0 OK: queued as %d" % n


class RecordingSMTP(SMTP):
    """aiosmtpd's SMTP that can keep AUTH out of the EHLO answer entirely."""

    # RFC 5321 4.5.3.1.6: 1,000 octets with the CRLF (aiosmtpd's default lets 1,001 by).
    line_length_limit = 1000

    def __init__(self, handler, offer_auth=True, **kwargs):
        super().__init__(handler, **kwargs)
        self._offer_auth = offer_auth
        if not offer_auth:
            self._auth_methods.clear()  # AUTH then answers 504

    async def push(self, status):
        if (not self._offer_auth and isinstance(status, str)
                and status.upper().startswith("250-AUTH")):
            return
        await super().push(status)


class RecordingController(Controller):
    def __init__(self, handler, offer_auth, **kwargs):
        self.offer_auth = offer_auth
        super().__init__(handler, **kwargs)

    def factory(self):
        return RecordingSMTP(self.handler, offer_auth=self.offer_auth, **self.SMTP_kwargs)


def make_authenticator(user, password):
    want_user = user.encode("utf-8")
    want_password = password.encode("utf-8")

    def authenticator(server, session, envelope, mechanism, auth_data):
        if (mechanism in ("PLAIN", "LOGIN") and isinstance(auth_data, LoginPassword)
                and auth_data.login == want_user and auth_data.password == want_password):
            return AuthResult(success=True, auth_data=user)
        # handled=False and no message: smtp_AUTH answers 535 5.7.8
        return AuthResult(success=False, handled=False)

    return authenticator


def make_cert(directory):
    os.makedirs(directory, exist_ok=True)
    cert = os.path.join(os.path.abspath(directory), "cert.pem")
    key = os.path.join(os.path.abspath(directory), "key.pem")
    cmd = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
           "-sha256", "-subj", "/CN=127.0.0.1",
           "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
           "-keyout", key, "-out", cert]
    proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT)
    if proc.returncode != 0:
        sys.stderr.write("smtp_server.py make-cert: %s failed:\n%s"
                         % (" ".join(cmd), proc.stdout.decode("utf-8", "replace")))
        return 1
    os.chmod(key, 0o600)
    sys.stdout.write("%s\n%s\n" % (cert, key))
    sys.stdout.flush()
    return 0


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "make-cert":
        if len(argv) != 2:
            sys.stderr.write("usage: smtp_server.py make-cert DIR\n")
            return 2
        return make_cert(argv[1])

    p = argparse.ArgumentParser(description="recording SMTP server for reddalert's tests "
                                "(also: smtp_server.py make-cert DIR)")
    p.add_argument("--port", type=int, default=0, help="port on 127.0.0.1; 0 picks a free one")
    p.add_argument("--port-file", help="write the chosen port here (atomically)")
    p.add_argument("--maildir", required=True, help="store <n>.eml and <n>.json here")
    p.add_argument("--tls-cert", help="certificate (PEM): offer STARTTLS")
    p.add_argument("--tls-key", help="private key (PEM) of --tls-cert")
    p.add_argument("--require-tls", action="store_true", help="refuse mail before STARTTLS")
    p.add_argument("--implicit-tls", action="store_true",
                   help="TLS from the first byte (smtps://) instead of STARTTLS")
    p.add_argument("--auth", metavar="USER:PASSWORD", help="require AUTH PLAIN/LOGIN with these")
    p.add_argument("--fail", action="store_true", help="answer every DATA with 451")
    opts = p.parse_args(argv)

    if bool(opts.tls_cert) != bool(opts.tls_key):
        p.error("--tls-cert and --tls-key go together")
    if (opts.require_tls or opts.implicit_tls) and not opts.tls_cert:
        p.error("--require-tls/--implicit-tls need --tls-cert and --tls-key")
    if opts.require_tls and opts.implicit_tls:
        p.error("--require-tls and --implicit-tls exclude each other")
    if opts.auth is not None and ":" not in opts.auth:
        p.error("--auth wants USER:PASSWORD")
    os.makedirs(opts.maildir, exist_ok=True)

    tls_context = None
    if opts.tls_cert:
        tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls_context.load_cert_chain(opts.tls_cert, opts.tls_key)

    kwargs = {
        "hostname": "127.0.0.1",
        "server_hostname": BANNER_HOSTNAME,
        "ready_timeout": 10.0,
    }
    if tls_context is not None:
        if opts.implicit_tls:
            kwargs["ssl_context"] = tls_context
        else:
            kwargs["tls_context"] = tls_context
            kwargs["require_starttls"] = bool(opts.require_tls)
    if opts.auth is not None:
        user, password = opts.auth.split(":", 1)
        kwargs["authenticator"] = make_authenticator(user, password)
        kwargs["auth_required"] = True
        kwargs["auth_require_tls"] = False  # so the tests can run without TLS too
    # aiosmtpd warns that AUTH without TLS is insecure; that is the point here.
    warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
    # ... and logs that, and a deprecation of its own, on every connection.
    logging.getLogger("mail.log").setLevel(logging.ERROR)

    handler = RecordingHandler(opts.maildir, opts.fail)
    controller = None
    attempts = 5 if opts.port == 0 else 1
    for attempt in range(attempts):
        port = free_port() if opts.port == 0 else opts.port
        controller = RecordingController(handler, opts.auth is not None, port=port, **kwargs)
        try:
            controller.start()  # returns once a test connection got the banner
            break
        except OSError as e:  # the port was taken between free_port() and here
            try:
                controller.stop(no_assert=True)
            except Exception:
                pass
            controller = None
            if attempt + 1 == attempts:
                sys.stderr.write("smtp_server.py: cannot listen on 127.0.0.1:%d: %s\n" % (port, e))
                return 1

    stop_event = threading.Event()

    def stop(signum, frame):
        stop_event.set()

    on_stop_signals(stop)
    announce_port(port, opts.port_file)

    while not stop_event.wait(0.5):
        pass
    try:
        controller.stop()
    except Exception:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
