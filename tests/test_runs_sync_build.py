"""A sync's run is "ok" in `runs` only once its people are in the directory.

`sync` used to commit each source's run "ok" and build the contacts once at the
end: a build that failed, or a Ctrl-C / SIGTERM during it, left "ok, N added"
over a directory without those people. Now the last source's run builds the
contacts in its own transaction and the runs before it wait, "running", for that
build; a failed or stopped build leaves them failed, and the next sync builds.
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

from reseausync import pipeline
from reseausync import sync as sync_module
from reseausync.connector import Connector
from reseausync.errors import Terminated
from reseausync.sync import sync_sources
from tests.conftest import run_cli
from tests.test_sync import ensure_vcard_connector, people, settings_for, write_cards


def runs_json(db: str) -> list[dict]:
    done = run_cli("runs", "--format", "json", "--db", db)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def live_contacts(db: str) -> int:
    with sqlite3.connect(db) as con:
        return con.execute("SELECT COUNT(*) FROM contacts WHERE removed_at IS NULL").fetchone()[0]


def test_a_failed_build_fails_every_run_and_the_next_sync_builds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ensure_vcard_connector()
    db = str(tmp_path / "d.db")
    settings = settings_for({"a": write_cards(tmp_path / "a.vcf", people("a", 5)),
                             "b": write_cards(tmp_path / "b.vcf", people("b", 4))})

    def broken(*args: object) -> None:
        raise RuntimeError("build broke")

    monkeypatch.setattr(pipeline, "_rebuild", broken)
    results = sync_sources(settings, db=db)
    assert [r.status for r in results] == ["failed", "failed"]
    assert "the contacts could not be built" in results[0].message
    runs = runs_json(db)
    assert [r["status"] for r in runs] == ["failed", "failed"]
    assert live_contacts(db) == 0

    monkeypatch.undo()
    healed = sync_sources(settings, db=db)
    assert [r.status for r in healed] == ["ok", "ok"]
    assert [r["status"] for r in runs_json(db)][2:] == ["ok", "ok"]
    assert live_contacts(db) == 9


def test_runs_before_the_last_wait_for_the_build(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Between the first source's commit and the build, a reader sees it running."""
    ensure_vcard_connector()
    db = str(tmp_path / "d.db")
    settings = settings_for({"a": write_cards(tmp_path / "a.vcf", people("a", 3)),
                             "b": write_cards(tmp_path / "b.vcf", people("b", 2))})
    seen: list[tuple[str, int]] = []
    real = pipeline.run_source

    def spy(store: object, connector: Connector, *args: object, **kwargs: object) -> object:
        if connector.source == "b":
            with sqlite3.connect(db) as con:
                seen.append((con.execute("SELECT status FROM runs WHERE id=1").fetchone()[0],
                             con.execute("SELECT COUNT(*) FROM contacts").fetchone()[0]))
        return real(store, connector, *args, **kwargs)

    monkeypatch.setattr(sync_module, "run_source", spy)
    results = sync_sources(settings, db=db)
    assert seen == [("running", 0)]
    assert [r["status"] for r in runs_json(db)] == ["ok", "ok"]
    assert [r.counts["added"] for r in results] == [3, 2]
    assert live_contacts(db) == 5


def wait_for_run(db: str, run: int, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with sqlite3.connect(db) as con:
                if con.execute("SELECT 1 FROM runs WHERE id=?", (run,)).fetchone():
                    return
        except sqlite3.Error:
            pass
        time.sleep(0.02)
    proc.kill()
    pytest.fail(f"run {run} never started")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_during_the_build_leaves_no_ok_run(tmp_path: Path, sig: int) -> None:
    """A big source first, a small one last: the stop lands in the last run's
    build of everyone. No run is "ok"; the next sync builds them all."""
    db = str(tmp_path / "d.db")
    config = tmp_path / "cfg.toml"
    big = write_cards(tmp_path / "big.vcf", people("big", 15000))
    small = write_cards(tmp_path / "small.vcf", people("small", 10))
    config.write_text(f'[directory]\npath = "{db}"\n'
                      f'[[sources]]\nname = "big"\nconnector = "vcard"\npath = "{big}"\n'
                      f'[[sources]]\nname = "small"\nconnector = "vcard"\npath = "{small}"\n')
    proc = subprocess.Popen([sys.executable, "-m", "reseausync", "--config", str(config),
                             "sync"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    wait_for_run(db, 2, proc)
    time.sleep(0.5)
    assert proc.poll() is None, "the sync ended before it could be stopped"
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, err
    first, second = runs_json(db)
    assert (first["status"], second["status"]) == ("failed", "failed")
    with sqlite3.connect(db) as con:
        message = con.execute("SELECT message FROM runs WHERE id=1").fetchone()[0]
    assert "before the contacts were built" in message
    assert live_contacts(db) == 0

    done = run_cli("--config", str(config), "sync")
    assert done.returncode == 0, done.stderr
    assert [r["status"] for r in runs_json(db)][2:] == ["ok", "ok"]
    assert live_contacts(db) == 15010


def test_a_stop_just_after_the_run_row_closes_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A SIGTERM landing between the run row's commit and run_source's handlers
    (seen under load in test_stopped_runs) no longer leaves the run "running"."""
    ensure_vcard_connector()
    db = str(tmp_path / "d.db")
    settings = settings_for({"a": write_cards(tmp_path / "a.vcf", people("a", 2))})

    def stopped(*args: object, **kwargs: object) -> None:
        raise Terminated()

    monkeypatch.setattr(pipeline, "RunResult", stopped)
    with pytest.raises(Terminated):
        sync_sources(settings, db=db)
    with sqlite3.connect(db) as con:
        row = con.execute("SELECT status, message, finished FROM runs").fetchone()
    assert row[:2] == ("failed", Terminated.run_message) and row[2]
