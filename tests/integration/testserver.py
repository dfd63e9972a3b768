"""What the integration tests' servers share (edda_server.py, http_recorder.py,
smtp_server.py): an atomic file write, announcing the port they listen on, and a clean
exit on SIGTERM or SIGINT."""
import os
import signal
import sys


def write_atomic(path, data):
    """Writes bytes `data` to `path` through a temporary file, fsync and rename."""
    directory = os.path.dirname(os.path.abspath(path))
    tmp = os.path.join(directory, ".%s.%d.tmp" % (os.path.basename(path), os.getpid()))
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def announce_port(port, port_file=None):
    """Writes the port to `port_file` (atomically, when given) and prints it on stdout."""
    if port_file:
        write_atomic(port_file, ("%d\n" % port).encode())
    try:
        sys.stdout.write("%d\n" % port)
        sys.stdout.flush()
    except OSError:
        pass


def on_stop_signals(handler=None):
    """Calls `handler(signum, frame)` on SIGTERM and SIGINT; by default exits with 0."""
    def exit_zero(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, handler or exit_zero)
    signal.signal(signal.SIGINT, handler or exit_zero)
