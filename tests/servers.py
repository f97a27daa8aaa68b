"""What the throwaway servers of the tests share (``tests.postgres``,
``tests.redis_server``): a free port, and running a command beside a server
with its URL in an environment variable, cleaning up also when interrupted."""

import contextlib
import os
import signal
import socket
import subprocess
import sys

# Ctrl-C reaches the command too: give it this long to clean up before killing it.
GRACE_SECONDS = 15


class Interrupted(Exception):
    """Raised in the main thread on SIGTERM or SIGHUP, as Ctrl-C raises
    KeyboardInterrupt, so that every ``finally`` runs."""

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum


def free_port() -> int:
    """A TCP port nobody listens on right now, on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(command, env) -> int:
    """Run ``command`` and return its exit status (negative: the signal that
    ended it). SIGTERM and SIGHUP are passed on to it."""
    child = subprocess.Popen(command, env=env)
    try:
        return child.wait()
    except (KeyboardInterrupt, Interrupted) as interruption:
        if isinstance(interruption, Interrupted):
            child.send_signal(interruption.signum)
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=GRACE_SECONDS)
        raise
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


def main(argv, doc, server, variable) -> int:
    """Run the command after ``--`` in ``argv`` with ``variable`` set to the URL
    the context manager ``server()`` yields, and return its exit code, the
    shell's way (128 + the signal's number if one ended it)."""
    command = argv[argv.index("--") + 1 :] if "--" in argv else argv
    if not command:
        print(doc, file=sys.stderr)
        return 2

    def interrupt(signum, frame):
        raise Interrupted(signum)

    signal.signal(signal.SIGTERM, interrupt)
    signal.signal(signal.SIGHUP, interrupt)
    try:
        with server() as url:
            code = run(command, {**os.environ, variable: url})
    except KeyboardInterrupt:
        return 128 + signal.SIGINT
    except Interrupted as interruption:
        return 128 + interruption.signum
    return 128 - code if code < 0 else code
