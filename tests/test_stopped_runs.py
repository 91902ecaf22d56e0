"""A run stopped by SIGTERM or SIGKILL never stays "running" in `runs` (QA S10).

SIGTERM (systemd stop, `timeout` in a cron line) is handled like Ctrl-C: the run
is closed as failed, "interrupted (SIGTERM)". SIGKILL cannot be handled: `runs`
then shows the run whose writer is gone as failed, without writing anything.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.test_sync import people, write_cards


def start_sync(tmp_path: Path) -> tuple[subprocess.Popen[str], str]:
    """A `sync` of a large source, returned once its run is in progress."""
    write_cards(tmp_path / "big.vcf", people("big", 20000))
    db = str(tmp_path / "d.db")
    config = tmp_path / "cfg.toml"
    config.write_text(f'[directory]\npath = "{db}"\n[[sources]]\nname = "big"\n'
                      f'connector = "vcard"\npath = "{tmp_path / "big.vcf"}"\n')
    proc = subprocess.Popen([sys.executable, "-m", "reseausync", "--config", str(config),
                             "sync"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if Path(db).exists() and running(db):
            return proc, db
        time.sleep(0.02)
    proc.kill()
    pytest.fail("the sync never started its run")


def running(db: str) -> bool:
    try:
        with sqlite3.connect(db) as con:
            return con.execute("SELECT 1 FROM runs WHERE status='running'").fetchone() is not None
    except sqlite3.Error:
        return False


def test_sigterm_closes_the_run_as_failed(tmp_path: Path) -> None:
    proc, db = start_sync(tmp_path)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1, err
    assert "interrupted (SIGTERM)" in err
    assert "Traceback" not in err
    with sqlite3.connect(db) as con:
        status, message, finished = con.execute(
            "SELECT status, message, finished FROM runs").fetchone()
        assert con.execute("SELECT COUNT(*) FROM records").fetchone()[0] == 0
    assert (status, message) == ("failed", "interrupted (SIGTERM): nothing of this run was kept")
    assert finished


def test_runs_shows_a_killed_writers_run_as_failed(tmp_path: Path) -> None:
    proc, db = start_sync(tmp_path)
    proc.kill()
    proc.communicate(timeout=60)
    shown = json.loads(run_cli("runs", "--db", db, "--format", "json").stdout)
    assert [r["status"] for r in shown] == ["failed"]
    assert running(db)          # the reader wrote nothing: the next writer closes it


def test_runs_shows_a_live_writers_run_as_running(tmp_path: Path) -> None:
    proc, db = start_sync(tmp_path)
    try:
        shown = json.loads(run_cli("runs", "--db", db, "--format", "json").stdout)
        states = {r["status"] for r in shown}
        assert states <= {"running", "ok"} and states      # ok: it finished meanwhile
    finally:
        proc.kill()
        proc.communicate(timeout=60)


def test_runs_last_shows_the_most_recent_oldest_first(tmp_path: Path) -> None:
    """QA S9: the history is never pruned; a monitoring script asks for the last."""
    db = str(tmp_path / "d.db")
    for n in range(3):
        card = write_cards(tmp_path / f"c{n}.vcf", people(f"c{n}", 1))
        assert run_cli("import", str(card), "--db", db).returncode == 0
    every = json.loads(run_cli("runs", "--db", db, "--format", "json").stdout)
    last = json.loads(run_cli("runs", "--db", db, "--format", "json", "--last", "2").stdout)
    assert [r["run"] for r in every] == [1, 2, 3]
    assert last == every[1:]
    assert json.loads(run_cli("runs", "--db", db, "--format", "json",
                              "--last", "9").stdout) == every
    wrong = run_cli("runs", "--db", db, "--last", "0")
    assert wrong.returncode == 2 and "at least 1" in wrong.stderr
