"""Signals to a running schedule (QA round 3: S11, S12, S13).

- SIGHUP (a closed terminal, `kill -HUP`) killed it mid-run without a line; it
  now re-reads the config, as daemons do, and goes on.
- A second Ctrl-C (or SIGTERM) did nothing while a long run went on; it now
  stops that run: its transaction is rolled back and it is closed as interrupted.
- A forked read worker inherited the handler and logged "received SIGINT" too.

The subprocess reads its source slowly (a sleep per card), so a run is in
progress when the signals come; the test waits for log lines, never for time.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from reseausync.config import Settings
from reseausync.schedule import Clock, Config, Schedule, _install_signals, _restore_signals
from tests.test_sync import people, write_cards

ROOT = Path(__file__).resolve().parents[1]
DEADLINE = 60.0

SCRIPT = """
import sys, time
sys.path.insert(0, {root!r})
from tests.test_sync import ensure_vcard_connector
cls = ensure_vcard_connector()
read = cls.read
def slow_read(self, units):
    for item in read(self, units):
        time.sleep(0.2)
        yield item
cls.read = slow_read
from reseausync.config import load_settings
from reseausync.schedule import Config, run_scheduler
def reload():
    settings = load_settings(sys.argv[1])
    return Config(settings, sys.argv[2], settings.region)
first = reload()
sys.exit(run_scheduler(first.settings, first.db, region=first.region, reload=reload))
"""

CONFIG = """\
[[sources]]
name = "slow"
connector = "vcard"
path = "slow.vcf"
every = "1h"
"""


class Scheduled:
    """The schedule in a subprocess, its stderr collected line by line."""

    def __init__(self, tmp_path: Path, cards: int) -> None:
        write_cards(tmp_path / "slow.vcf", people("slow", cards))
        self.config = tmp_path / "cfg.toml"
        self.config.write_text(CONFIG)
        self.db = str(tmp_path / "d.db")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", SCRIPT.format(root=str(ROOT)), str(self.config), self.db],
            stderr=subprocess.PIPE, text=True, cwd=tmp_path)
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, text: str, count: int = 1) -> None:
        deadline = time.monotonic() + DEADLINE
        while sum(text in line for line in self.lines) < count:
            if time.monotonic() > deadline or self.proc.poll() is not None:
                time.sleep(0.2)
                raise AssertionError(f"no {text!r} in {self.lines}")
            time.sleep(0.05)

    def finish(self) -> int:
        try:
            code = self.proc.wait(DEADLINE)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
        self.reader.join(DEADLINE)
        return code

    def runs(self) -> list[tuple[str, str]]:
        with sqlite3.connect(self.db) as con:
            return con.execute("SELECT status, message FROM runs ORDER BY id").fetchall()


def test_sighup_rereads_the_config_and_the_run_goes_on(tmp_path):
    sched = Scheduled(tmp_path, cards=10)
    sched.wait_for("slow: run started")
    sched.proc.send_signal(signal.SIGHUP)
    sched.wait_for("received SIGHUP: the config is re-read before the next run")
    sched.wait_for("run 1: slow: 10 added")
    sched.wait_for("re-read; the next runs use it")
    sched.proc.send_signal(signal.SIGTERM)
    assert sched.finish() == 0, sched.lines
    assert sched.runs() == [("ok", "")]


def _wait_for_the_run_row(sched: Scheduled) -> None:
    """Until the run is recorded: "run started" is logged before the directory is
    opened, and a stop before the run's row leaves no run to show as interrupted."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if Path(sched.db).exists():
            try:
                if sched.runs():
                    return
            except sqlite3.OperationalError:      # not yet migrated, or locked
                pass
        time.sleep(0.05)
    raise AssertionError("the run was never recorded")


def test_a_second_ctrl_c_stops_the_run_in_progress(tmp_path):
    sched = Scheduled(tmp_path, cards=300)            # a minute of reading
    sched.wait_for("slow: run started")
    _wait_for_the_run_row(sched)   # on a loaded machine opening the directory is slow
    sched.proc.send_signal(signal.SIGINT)
    sched.wait_for("received SIGINT: stopping: finishing the run in progress "
                   "(Ctrl-C or SIGTERM again stops it now")
    started = time.monotonic()
    sched.proc.send_signal(signal.SIGINT)
    assert sched.finish() == 0, sched.lines
    assert time.monotonic() - started < 30
    assert "received SIGINT again: stopping now" in " ".join(sched.lines)
    assert any("slow: stopped mid-run: nothing of this run was kept" in line
               for line in sched.lines)
    [(status, message)] = sched.runs()
    assert status == "failed" and "interrupted" in message
    with sqlite3.connect(sched.db) as con:
        assert con.execute("SELECT COUNT(*) FROM records").fetchone()[0] == 0


def test_a_forked_worker_leaves_the_signal_to_its_parent(tmp_path):
    """What a forked read worker does when the terminal's Ctrl-C reaches it too: it
    leaves Ctrl-C to its parent; SIGTERM ends it as it always did, so a pool can
    terminate a stuck worker (tests/test_schedule_fork_sigterm.py)."""
    settings = Settings.model_validate({"sources": [
        {"name": "a", "connector": "vcard", "path": str(tmp_path / "a.vcf"), "every": "1h"}]})
    lines: list[str] = []
    stop = threading.Event()
    schedule = Schedule(Config(settings, str(tmp_path / "d.db")), stop, lines.append,
                        Clock(), None)
    previous = _install_signals(schedule)
    try:
        pid = os.fork()
        if pid == 0:                                  # the worker
            os.kill(os.getpid(), signal.SIGINT)
            if lines or stop.is_set():
                os._exit(3)
            os.kill(os.getpid(), signal.SIGTERM)
            os._exit(4)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == -signal.SIGTERM
        os.kill(os.getpid(), signal.SIGTERM)          # the parent itself still stops
        for _ in range(100):
            if stop.is_set():
                break
            time.sleep(0.01)
    finally:
        _restore_signals(previous)
    assert stop.is_set() and lines == ["received SIGTERM: stopping"]
