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
import shutil
import socket
import subprocess
import sys
import tempfile
import time

from tests import servers
from tests.servers import free_port

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
    if not available():
        print("redis-server is not on the PATH: install Redis.", file=sys.stderr)
        return 2
    return servers.main(argv, __doc__, server, "REDIS_URL")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
