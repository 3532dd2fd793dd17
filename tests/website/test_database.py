import os
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from website import database

ROOT = Path(__file__).resolve().parents[2]


def _run(action, pgdata):
    env = {**os.environ, "EMBEDDED_PGDATA": str(pgdata)}
    return subprocess.run(
        [sys.executable, "-m", "website.database", action],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _servers_on(pgdata):
    return [
        p
        for p in psutil.process_iter(["name", "cmdline"])
        if p.info["name"] == "postgres" and str(pgdata) in " ".join(p.info["cmdline"] or [])
    ]


def test_a_folder_used_by_something_else_gets_a_clear_message(tmp_path, monkeypatch):
    (tmp_path / "notities.txt").write_text("niet van PostgreSQL")
    monkeypatch.setattr(database, "PGDATA", tmp_path)
    with pytest.raises(database.EmbeddedPostgresError, match="in use by something other than PostgreSQL"):
        database.start()
    result = _run("start", tmp_path)
    assert result.returncode == 1
    assert "in use by something other than PostgreSQL" in result.stderr and "Traceback" not in result.stderr


def test_embedded_server_starts_with_dutch_search_and_stops_without_leftovers(tmp_path):
    pgdata = tmp_path / "pgdata"
    started = _run("start", pgdata)
    try:
        assert started.returncode == 0, started.stderr
        url = started.stdout.strip().splitlines()[-1]
        import psycopg

        with psycopg.connect(url) as conn:
            assert conn.execute("select to_tsvector('dutch', 'gemeenten')::text").fetchone()[0] == "'gemeent':1"
        assert _run("status", pgdata).stdout.startswith("running")
    finally:
        stopped = _run("stop", pgdata)
    assert stopped.stdout.strip() == "stopped"
    assert _servers_on(pgdata) == []
    assert _run("status", pgdata).returncode == 3
