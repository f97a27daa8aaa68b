"""A throwaway Varnish in front of a test server::

    with varnish.server(backend_port) as url:
        ...  # requests to url reach the backend on 127.0.0.1:backend_port

starts ``varnishd`` in the foreground on 127.0.0.1 on a free port, with the
site's VCL (``docs/varnish.vcl``) copied into a temporary folder with its
backend's port rewritten, a small in-memory cache and few threads, then stops
it and deletes the folder, also when the block fails. ``varnishd`` must be on
the PATH or in /usr/sbin (Debian's ``varnish`` package); nothing is
downloaded. Check that the VCL compiles, for CI::

    python -m tests.varnish --check
"""

import contextlib
import os
import pathlib
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time

from tests.servers import free_port

VCL = pathlib.Path(__file__).resolve().parent.parent / "docs" / "varnish.vcl"
START_SECONDS = 20
STOP_SECONDS = 10
# The VCL's backend, as written there; the copy points at the test's server.
BACKEND_HOST = '.host = "127.0.0.1";'
BACKEND_PORT = '.port = "8000";'
# Small and quick to start on a 2-core machine: one thread pool, few threads.
PARAMETERS = ["thread_pools=1", "thread_pool_min=5", "thread_pool_max=50"]


def varnishd() -> str | None:
    """The ``varnishd`` to run: the PATH's, else Debian's (/usr/sbin is not
    on a normal user's PATH)."""
    found = shutil.which("varnishd")
    if found:
        return found
    return "/usr/sbin/varnishd" if os.access("/usr/sbin/varnishd", os.X_OK) else None


def available() -> bool:
    return varnishd() is not None


def jail(folder) -> list[str]:
    """The ``-j`` option. As root varnishd drops its privileges to the
    ``varnish`` user (its compiler too, and the cache process to ``vcache``),
    which must then own the working folder; as anyone else, or without that
    user, it runs with the privileges it has."""
    if os.geteuid() != 0:
        return ["-j", "none"]
    try:
        user = pwd.getpwnam("varnish")
    except KeyError:
        return ["-j", "none"]
    os.chown(folder, user.pw_uid, user.pw_gid)
    return ["-j", "unix,user=varnish"]


def write_vcl(folder, backend_host, backend_port, vcl_path) -> pathlib.Path:
    text = pathlib.Path(vcl_path).read_text()
    for written, wanted in (
        (BACKEND_HOST, f'.host = "{backend_host}";'),
        (BACKEND_PORT, f'.port = "{backend_port}";'),
    ):
        if written not in text:
            raise ValueError(f"{vcl_path} has no backend line {written!r} to rewrite")
        text = text.replace(written, wanted, 1)
    path = pathlib.Path(folder) / "site.vcl"
    path.write_text(text)
    path.chmod(0o644)
    return path


def answers(port) -> bool:
    """Whether Varnish answers HTTP on ``port``. The request is malformed on
    purpose: Varnish refuses it (400) before the VCL, so it reaches no
    backend and leaves nothing in the cache for the tests to trip on."""
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1) as sock:
        sock.sendall(b"READY?\r\n\r\n")
        return sock.recv(16).startswith(b"HTTP/")
    return False


def tail(text, lines=30) -> str:
    return "\n".join(text.splitlines()[-lines:])


def make_folder():
    """A temporary folder that the ``varnish`` user can reach when root."""
    folder = tempfile.mkdtemp(prefix="wagtail-petition-varnish-")
    os.chmod(folder, 0o755)
    return folder


@contextlib.contextmanager
def server(backend_port, vcl_path=VCL, backend_host="127.0.0.1"):
    """Start Varnish in front of ``backend_host:backend_port`` and yield its
    base URL; stop it on the way out."""
    folder = make_folder()
    process = None
    try:
        vcl = write_vcl(folder, backend_host, backend_port, vcl_path)
        work = os.path.join(folder, "work")
        os.mkdir(work)
        port = free_port()
        log_path = os.path.join(folder, "varnishd.log")
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                [
                    varnishd() or "varnishd",
                    "-F",
                    "-a",
                    f"127.0.0.1:{port}",
                    "-T",
                    "none",
                    "-f",
                    str(vcl),
                    "-n",
                    work,
                    "-s",
                    "malloc,64m",
                    *jail(work),
                    *(item for parameter in PARAMETERS for item in ("-p", parameter)),
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + START_SECONDS
        while not answers(port):
            if process.poll() is not None or time.monotonic() > deadline:
                output = pathlib.Path(log_path).read_text(errors="replace")
                raise RuntimeError(f"varnishd did not start on port {port}:\n{tail(output)}")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        if process is not None:
            process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=STOP_SECONDS)
            if process.poll() is None:
                process.kill()
                process.wait()
        shutil.rmtree(folder, ignore_errors=True)


def check(vcl_path=VCL) -> bool:
    """Whether the VCL compiles (``varnishd -C``); prints the compiler's
    complaint when it does not."""
    folder = make_folder()
    try:
        work = os.path.join(folder, "work")
        os.mkdir(work)
        # A copy the varnish user can read: a clone may sit in a private folder.
        copy = pathlib.Path(shutil.copy(vcl_path, os.path.join(folder, "check.vcl")))
        copy.chmod(0o644)
        result = subprocess.run(
            [varnishd() or "varnishd", "-C", "-f", str(copy), "-n", work, *jail(work)],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if result.returncode != 0:
        # varnishd -C prints the C code on stderr, the error after it.
        print(tail(result.stdout + result.stderr), file=sys.stderr)
        return False
    print(f"{vcl_path} compiles.")
    return True


def main(argv) -> int:
    if argv != ["--check"]:
        print(__doc__, file=sys.stderr)
        return 2
    if not available():
        print("varnishd is not installed (apt-get install varnish).", file=sys.stderr)
        return 1
    return 0 if check() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
