"""Run a command against a throwaway Redis server::

    python -m tests.redis_server -- pytest -m redis

starts ``redis-server`` on 127.0.0.1 on a free port, with no persistence, in a
temporary folder, runs the command with ``REDIS_URL`` naming it (the test
settings then use it as the default cache), then stops the server and deletes
the folder, also when the command fails or the run is interrupted. Exits with
the command's exit code. ``redis-server`` must be on the PATH; nothing is
downloaded.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

from tests.postgres import Interrupted, free_port, run

START_SECONDS = 10


def available() -> bool:
    return bool(shutil.which("redis-server"))


def answers(port) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1) as sock:
        sock.sendall(b"PING\r\n")
        return sock.recv(16).startswith(b"+PONG")
    return False


@contextlib.contextmanager
def server():
    """Start a server and yield its URL; stop it on the way out."""
    folder = tempfile.mkdtemp(prefix="wagtail-petition-redis-")
    port = free_port()
    process = subprocess.Popen(
        [
            "redis-server",
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            folder,
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + START_SECONDS
        while not answers(port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start on port {port}")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
        if process.poll() is None:
            process.kill()
        shutil.rmtree(folder, ignore_errors=True)


def main(argv) -> int:
    command = argv[argv.index("--") + 1 :] if "--" in argv else argv
    if not command:
        print(__doc__, file=sys.stderr)
        return 2
    if not available():
        print("redis-server is not on the PATH: install Redis.", file=sys.stderr)
        return 2

    def interrupt(signum, frame):
        raise Interrupted(signum)

    signal.signal(signal.SIGTERM, interrupt)
    signal.signal(signal.SIGHUP, interrupt)
    try:
        with server() as url:
            code = run(command, {**os.environ, "REDIS_URL": url})
    except KeyboardInterrupt:
        return 128 + signal.SIGINT
    except Interrupted as interruption:
        return 128 + interruption.signum
    return 128 - code if code < 0 else code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
