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
import subprocess
import sys
import tempfile
from pathlib import Path

from tests import servers
from tests.servers import free_port

DATABASE = "wagtail_petition"
SUPERUSER = "postgres"
# A throwaway cluster needs no durability: skip the disk flushes.
SERVER_SETTINGS = "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}


def available() -> bool:
    """Whether PostgreSQL's server tools are on the PATH."""
    return bool(shutil.which("initdb") and shutil.which("pg_ctl"))


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


def main(argv) -> int:
    if not available():
        print("initdb and pg_ctl are not on the PATH: install PostgreSQL.", file=sys.stderr)
        return 2
    return servers.main(argv, __doc__, cluster, "DATABASE_URL")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
