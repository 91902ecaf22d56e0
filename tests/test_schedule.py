"""The scheduler runs real jobs on a short interval and stops cleanly on a signal.

No timed assertions: the tests wait (with generous deadlines) for what the runs
table shows, then signal, then check what was recorded.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from reseausync.config import Settings
from reseausync.errors import UsageError
from reseausync.schedule import BACKOFF_MAX, Backoff, run_scheduler, trigger_for
from tests.test_sync import ensure_vcard_connector, people, write_cards

ROOT = Path(__file__).resolve().parents[1]
DEADLINE = 90.0

SCRIPT = """
import json, sys
sys.path.insert(0, {root!r})
from tests.test_sync import ensure_vcard_connector
ensure_vcard_connector()
from reseausync.config import Settings
from reseausync.schedule import run_scheduler
settings = Settings.model_validate(json.loads(sys.argv[1]))
sys.exit(run_scheduler(settings, sys.argv[2]))
"""


def runs(db: str) -> list[tuple[str, str, str]]:
    if not Path(db).exists():
        return []
    try:
        with sqlite3.connect(db, timeout=10) as con:
            return con.execute("SELECT source, status, message FROM runs "
                               "WHERE finished IS NOT NULL ORDER BY id").fetchall()
    except sqlite3.OperationalError:          # schema not created yet
        return []


def wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.2)


@pytest.fixture(autouse=True)
def _vcard() -> None:
    ensure_vcard_connector()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_jobs_run_on_their_interval_until_a_signal(tmp_path, sig):
    phone = write_cards(tmp_path / "phone.vcf", people("phone", 3))
    db = str(tmp_path / "dir.db")
    config = {"sources": [
        {"name": "phone", "connector": "vcard", "path": str(phone), "every": "1s"},
        {"name": "gone", "connector": "vcard", "path": str(tmp_path / "gone.vcf"),
         "every": "1s"},
    ]}
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT.format(root=str(ROOT)),
                             json.dumps(config), db],
                            stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    try:
        wait_for(lambda: sum(r[:2] == ("phone", "ok") for r in runs(db)) >= 2,
                 "two runs of the phone source")
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=DEADLINE)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    recorded = runs(db)
    phone_runs = [r for r in recorded if r[0] == "phone"]
    assert all(status == "ok" for _, status, _ in phone_runs)
    # the failing source is recorded as failed, is backed off, and stops nobody
    gone = [r for r in recorded if r[0] == "gone"]
    assert len(gone) == 1 and gone[0][1] == "failed" and "gone.vcf" in gone[0][2]
    assert "phone: 3 added" in err                           # one log line per run
    assert err.count("phone: 0 added, 0 updated, 3 unchanged") >= 1
    assert "gone: 0 added" in err and "FAILED" in err
    assert "stopped after" in err
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT COUNT(*) FROM runs WHERE status='running'").fetchone()[0] == 0


def test_stop_event_from_another_thread_returns_zero(tmp_path):
    phone = write_cards(tmp_path / "phone.vcf", people("phone", 2))
    db = str(tmp_path / "dir.db")
    settings = Settings.model_validate({"sources": [
        {"name": "phone", "connector": "vcard", "path": str(phone), "every": "1h"}]})
    stop = threading.Event()
    lines: list[str] = []
    outcome: list[int] = []
    thread = threading.Thread(
        target=lambda: outcome.append(run_scheduler(settings, db, stop, log=lines.append)))
    thread.start()
    try:
        wait_for(lambda: runs(db), "the first run")          # interval jobs run at start
    finally:
        stop.set()
        thread.join(DEADLINE)
    assert outcome == [0]
    assert runs(db) == [("phone", "ok", "")]
    assert any("phone: 2 added" in line for line in lines)


def test_no_scheduled_source_is_a_usage_error(tmp_path):
    settings = Settings.model_validate({"sources": [
        {"name": "phone", "connector": "vcard", "path": str(tmp_path / "p.vcf")}]})
    with pytest.raises(UsageError, match="no source has a schedule"):
        run_scheduler(settings, str(tmp_path / "dir.db"), threading.Event(), log=lambda _: None)


def test_triggers_follow_the_config(tmp_path):
    settings = Settings.model_validate({"sources": [
        {"name": "a", "connector": "vcard", "path": "a.vcf", "schedule": "0 */6 * * *"},
        {"name": "b", "connector": "vcard", "path": "b.vcf", "every": "15m"},
        {"name": "c", "connector": "vcard", "path": "c.vcf"}]})
    a, b, c = (trigger_for(s) for s in settings.sources)
    assert "hour='*/6'" in str(a) and "minute='0'" in str(a)
    assert b.interval.total_seconds() == 900
    assert c is None


def test_backoff_doubles_and_is_capped():
    backoff = Backoff()
    delays = [backoff.failed(0.0) for _ in range(10)]
    assert delays[:3] == [60.0, 120.0, 240.0]
    assert max(delays) == BACKOFF_MAX.total_seconds() == delays[-1]
    backoff.succeeded()
    assert backoff.failures == 0 and backoff.failed(0.0) == 60.0
