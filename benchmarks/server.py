"""Gunicorn serving the example site with the benchmark settings, as a subprocess."""

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, process, port):
        self.process = process
        self.port = port

    def worker_pids(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def cpu_seconds(self):
        """CPU time (user + system) used so far by the master and its workers."""
        total = 0
        for pid in [self.process.pid, *self.worker_pids()]:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def gunicorn(workers=2, threads=4, timeout=600):
    """Serve ``example.wsgi`` (with ``DJANGO_SETTINGS_MODULE`` from the
    environment) on a free port; stop the server on the way out."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "example.wsgi:application"]
    command += ["--chdir", str(ROOT / "example_site"), "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--timeout", str(timeout)]
    if threads > 1:  # gthread keeps connections alive; sync workers close each one
        command += ["--worker-class", "gthread", "--threads", str(threads)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until_ready(process, port)
            server = Server(process, port)
            for _ in range(300):
                if len(server.worker_pids()) >= workers:
                    break
                time.sleep(0.1)
            yield server
        except BaseException:
            log.seek(0)
            sys.stderr.write(log.read().decode(errors="replace")[-5000:])
            raise
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until_ready(process, port, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        with contextlib.suppress(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read()
            return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {seconds} s")
