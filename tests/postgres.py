"""Run a command against a throwaway PostgreSQL cluster::

    python -m tests.postgres -- pytest -x

starts a cluster in a temporary folder (listening on 127.0.0.1 only, on a free
port, with its unix socket in that folder and trust authentication), creates a
database, runs the command with ``DATABASE_URL`` naming that database, then stops
the cluster and deletes the folder, also when the command fails or the run is
interrupted. Exits with the command's exit code.

``initdb`` and ``pg_ctl`` must be on the PATH; nothing is downloaded. PostgreSQL
refuses to run as root, so as root the server runs as the ``postgres`` user.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

DATABASE = "wagtail_petition"
SUPERUSER = "postgres"
# Ctrl-C reaches the command too: give it this long to clean up before killing it.
GRACE_SECONDS = 15
# A throwaway cluster needs no durability: skip the disk flushes.
SERVER_SETTINGS = "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}


class Interrupted(Exception):
    """Raised in the main thread on SIGTERM or SIGHUP, as Ctrl-C raises
    KeyboardInterrupt, so that every ``finally`` runs."""

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum


def available() -> bool:
    """Whether PostgreSQL's server tools are on the PATH."""
    return bool(shutil.which("initdb") and shutil.which("pg_ctl"))


def free_port() -> int:
    """A TCP port nobody listens on right now, on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_command(args, folder):
    """Run a server tool (``initdb``, ``pg_ctl``) in ``folder``; as root, as the
    ``postgres`` user, since PostgreSQL will not run as root."""
    as_user = ["runuser", "-u", SUPERUSER, "--"] if os.geteuid() == 0 else []
    subprocess.run(as_user + args, cwd=folder, check=True, stdout=subprocess.DEVNULL)


def client_tool(name) -> str:
    """A client tool from the same installation as ``initdb`` (Debian, for one,
    links only the server tools into the PATH), else from the PATH."""
    beside = Path(os.path.realpath(shutil.which("initdb"))).with_name(name)
    return str(beside) if beside.exists() else name


@contextlib.contextmanager
def cluster():
    """Start a cluster in a temporary folder and yield the URL of a new database
    on it; stop the cluster and delete the folder on the way out."""
    folder = Path(tempfile.mkdtemp(prefix="wagtail-petition-pg-"))
    data = folder / "data"
    try:
        if os.geteuid() == 0:
            shutil.chown(folder, user=SUPERUSER)
        server_command(
            ["initdb", "--pgdata", str(data), "--username", SUPERUSER, "--auth", "trust"]
            + ["--encoding", "UTF8", "--no-locale", "--no-sync"],
            folder,
        )
        port = free_port()
        with open(data / "postgresql.conf", "a") as conf:
            conf.write(
                f"listen_addresses = '127.0.0.1'\nport = {port}\n"
                f"unix_socket_directories = '{folder}'\n{SERVER_SETTINGS}"
            )
        log = folder / "server.log"
        try:
            server_command(
                ["pg_ctl", "start", "--pgdata", str(data), "--log", str(log), "--wait"],
                folder,
            )
        except subprocess.CalledProcessError:
            sys.stderr.write(log.read_text() if log.exists() else "")
            raise
        subprocess.run(
            [client_tool("createdb"), "--host", "127.0.0.1", "--port", str(port)]
            + ["--username", SUPERUSER, DATABASE],
            check=True,
        )
        yield f"postgres://{SUPERUSER}@127.0.0.1:{port}/{DATABASE}"
    finally:
        # Hold back a second Ctrl-C until the server is gone; it is raised after.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        try:
            if (data / "postmaster.pid").exists():
                server_command(["pg_ctl", "stop", "--pgdata", str(data), "--mode", "fast"], folder)
            shutil.rmtree(folder, ignore_errors=True)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)


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


def main(argv) -> int:
    """Run the command after ``--`` in ``argv`` on a throwaway cluster and return
    its exit code, the shell's way (128 + the signal's number if one ended it)."""
    command = argv[argv.index("--") + 1 :] if "--" in argv else argv
    if not command:
        print(__doc__, file=sys.stderr)
        return 2
    if not available():
        print("initdb and pg_ctl are not on the PATH: install PostgreSQL.", file=sys.stderr)
        return 2

    def interrupt(signum, frame):
        raise Interrupted(signum)

    signal.signal(signal.SIGTERM, interrupt)
    signal.signal(signal.SIGHUP, interrupt)
    try:
        with cluster() as url:
            code = run(command, {**os.environ, "DATABASE_URL": url})
    except KeyboardInterrupt:
        return 128 + signal.SIGINT
    except Interrupted as interruption:
        return 128 + interruption.signum
    return 128 - code if code < 0 else code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
