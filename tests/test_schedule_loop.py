"""The schedule's loop on a clock the test drives (QA round 3: S3, S14, S16, S17,
S19, S20): real syncs of small vCard files, but a day passes in a millisecond.

FakeClock.wait jumps to the next thing the loop waits for (or to the next event
of the test), so no test sleeps; `slow` makes a source's run take fake time.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from reseausync import schedule as schedule_module
from reseausync.config import PublishSettings, Settings
from reseausync.lock import DirectoryLock
from reseausync.schedule import Clock, run_scheduler
from tests.test_sync import ensure_vcard_connector, people, write_cards

START = datetime(2026, 11, 22, 19, 30, tzinfo=UTC)


class FakeClock(Clock):
    """Time that moves only when the loop waits (or a run is made to take time)."""

    max_wait = 3600.0

    def __init__(self, until: timedelta,
                 events: list[tuple[timedelta, Callable[[], None]]] = ()) -> None:
        self.t = START
        self.until = START + until
        self.stop = threading.Event()       # set once the time is up
        self.events = sorted(((START + at, action) for at, action in events),
                             key=lambda e: e[0])

    def now(self) -> datetime:
        if self.t >= self.until:
            self.stop.set()
        return self.t

    def at(self) -> float:
        """Seconds since the start."""
        return (self.t - START).total_seconds()

    def wait(self, stop: threading.Event, seconds: float) -> bool:
        target = self.t + timedelta(seconds=seconds)
        if self.events and self.events[0][0] <= target:
            when, action = self.events.pop(0)
            self.t = max(self.t, when)
            action()
        else:
            self.t = target
        if self.t >= self.until:
            stop.set()
        return stop.is_set()

    def sleep_through(self, seconds: float) -> Callable[[], None]:
        """An event: the machine is suspended (or SIGSTOPped) for `seconds`."""
        def suspend() -> None:
            self.t += timedelta(seconds=seconds)
        return suspend


@pytest.fixture(autouse=True)
def _vcard() -> None:
    ensure_vcard_connector()


def sources(tmp_path: Path, **triggers: dict[str, object]) -> Settings:
    """One small vCard file per source; `triggers` gives each its every/schedule."""
    out = []
    for i, (name, trigger) in enumerate(triggers.items()):
        path = write_cards(tmp_path / f"{name}.vcf", people(name, 2 + i))
        out.append({"name": name, "connector": "vcard", "path": str(path), **trigger})
    return Settings.model_validate({"sources": out})


def recorded(db: str) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as con:
        return con.execute("SELECT source, status FROM runs ORDER BY id").fetchall()


def schedule(settings: Settings, db: str, clock: FakeClock, **kw: object) -> list[str]:
    lines: list[str] = []
    assert run_scheduler(settings, db, clock.stop, log=lines.append, clock=clock, **kw) == 0
    return lines


def slow(monkeypatch, clock: FakeClock, seconds: dict[str, float]) -> list[tuple[str, float]]:
    """Make each named source's run take fake time; returns (source, start) of runs."""
    real = schedule_module.sync_sources
    started: list[tuple[str, float]] = []

    def timed(settings, **kw):
        started.append((kw["source"], clock.at()))
        results = real(settings, **kw)
        clock.t += timedelta(seconds=seconds.get(kw["source"], 0.0))
        return results

    monkeypatch.setattr(schedule_module, "sync_sources", timed)
    return started


def test_a_source_due_during_a_long_run_runs_when_it_ends(tmp_path, monkeypatch):
    """S3: two daily sources; the first run lasts 330 s. The second used to be
    dropped as "missed by 0:05:28" until the next day."""
    settings = sources(tmp_path, a={"every": "1d"}, b={"every": "1d"})
    clock = FakeClock(until=timedelta(hours=1))
    started = slow(monkeypatch, clock, {"a": 330})
    db = str(tmp_path / "d.db")
    lines = schedule(settings, db, clock)
    assert started == [("a", 0.0), ("b", 330.0)]
    assert recorded(db) == [("a", "ok"), ("b", "ok")]
    assert any(line.startswith("b: run started (due at ") and "waited for the run of a" in line
               for line in lines), lines
    assert not any("still running" in line for line in lines)


def test_a_run_longer_than_its_interval_runs_again_once_not_per_tick(tmp_path, monkeypatch):
    """Ticks that pass during a run are one due run (coalesced), said by nothing.

    Replaces the test that pinned the "still running at its next trigger" line:
    that line was said of sources that were only queued (S19); now no tick is
    skipped, so there is nothing to say."""
    settings = sources(tmp_path, phone={"every": "1s"})
    clock = FakeClock(until=timedelta(seconds=10))
    started = slow(monkeypatch, clock, {"phone": 3.5})
    lines = schedule(settings, str(tmp_path / "d.db"), clock)
    assert [at for _, at in started] == [0.0, 3.5, 7.0]
    assert not any("skipped" in line or "still running" in line for line in lines)


def test_a_cron_time_slept_through_runs_once_on_waking(tmp_path, monkeypatch):
    """S17: a daily cron source due 2 minutes after start; the machine sleeps from
    1 min to 8 min 40 s. It used to be "missed by 0:06:40" and skipped for the day."""
    due = (START + timedelta(minutes=2)).astimezone()      # cron reads local time
    settings = sources(tmp_path, daily={"schedule": f"{due.minute} {due.hour} * * *"})
    clock = FakeClock(until=timedelta(hours=2))
    clock.events.append((START + timedelta(minutes=1), clock.sleep_through(460)))
    started = slow(monkeypatch, clock, {})
    db = str(tmp_path / "d.db")
    lines = schedule(settings, db, clock)
    assert [at for _, at in started] == [520.0]            # once, on waking
    assert recorded(db) == [("daily", "ok")]
    assert any(line.startswith("daily: run started (due at ") and "late" in line
               for line in lines), lines


def test_an_interval_slept_through_runs_once_not_once_per_missed_tick(tmp_path, monkeypatch):
    """S17 with `every = "6m"`: asleep for 11 min 47 s, then one run on waking."""
    settings = sources(tmp_path, a={"every": "6m"})
    clock = FakeClock(until=timedelta(minutes=20))
    clock.events.append((START + timedelta(seconds=10), clock.sleep_through(707)))
    started = slow(monkeypatch, clock, {})
    schedule(settings, str(tmp_path / "d.db"), clock)
    assert [at for _, at in started] == [0.0, 717.0, 1077.0]     # then 6 min after it


def hold_lock(db: str) -> tuple[Callable[[], None], threading.Thread]:
    """Another writer holding the directory (a thread: the lock lets one thread of
    a process in at a time, as it lets one process); the returned action frees it."""
    held, free, freed = threading.Event(), threading.Event(), threading.Event()

    def writer() -> None:
        with DirectoryLock(db, "import", 0):
            held.set()
            free.wait(30)
        freed.set()

    thread = threading.Thread(target=writer)
    thread.start()
    assert held.wait(30)

    def release() -> None:
        free.set()
        assert freed.wait(30)

    return release, thread


@pytest.mark.parametrize(("held", "runs_at"), [(75, 120.0), (250, 250.0)])
def test_a_lock_timeout_is_retried_soon_not_at_the_next_trigger(tmp_path, monkeypatch,
                                                                 held, runs_at):
    """S3 variant: an `import` holds the directory 75 s (or 250 s), lock_timeout is
    60 s. The daily source gave up and waited a day; now it tries again a minute
    later, and says so once however many tries it takes."""
    settings = sources(tmp_path, a={"every": "1d"})
    db = str(tmp_path / "d.db")
    release, thread = hold_lock(db)
    clock = FakeClock(until=timedelta(minutes=10), events=[(timedelta(seconds=held), release)])
    started = slow(monkeypatch, clock, {})
    try:
        lines = schedule(settings, db, clock)
    finally:
        release()
        thread.join()
    assert [at for _, at in started] == [runs_at]
    assert recorded(db) == [("a", "ok")]
    waiting = [line for line in lines if "waiting up to 60s" in line]
    assert len(waiting) == 1 and "pid " in waiting[0] and "(import)" in waiting[0]
    retrying = [line for line in lines if "still held by" in line]
    assert len(retrying) == 1 and "trying again every 60s" in retrying[0]
    assert any(line.startswith("a: run started (due at ") and "waited for the other writer"
               in line for line in lines), lines


def test_a_stop_while_waiting_for_the_lock_starts_nothing(tmp_path, monkeypatch):
    """S20: SIGTERM while the job only waits for the lock used to wait it out, then
    start the run."""
    settings = Settings.model_validate({
        **sources(tmp_path, a={"every": "1d"}).model_dump(include={"sources"}),
        "sync": {"lock_timeout": "10m"}})
    db = str(tmp_path / "d.db")
    release, thread = hold_lock(db)
    clock = FakeClock(until=timedelta(hours=1))
    stop = clock.stop
    clock.events.append((START + timedelta(seconds=3), stop.set))
    started = slow(monkeypatch, clock, {})
    lines: list[str] = []
    try:
        assert run_scheduler(settings, db, stop, log=lines.append, clock=clock) == 0
    finally:
        release()
        thread.join()
    assert started == [] and clock.at() < 5
    assert "a: not started: stopping" in lines
    assert lines[-1] == "stopped after 0 run(s)"


def test_a_backing_off_source_says_so_once_per_failure(tmp_path, monkeypatch):
    """S14: every 5 s, file gone: one line per failure, none per trigger."""
    settings = Settings.model_validate({"sources": [
        {"name": "gone", "connector": "vcard", "path": str(tmp_path / "gone.vcf"),
         "every": "5s"}]})
    clock = FakeClock(until=timedelta(seconds=200))
    started = slow(monkeypatch, clock, {})
    lines = schedule(settings, str(tmp_path / "d.db"), clock)
    assert [at for _, at in started] == [0.0, 60.0, 180.0]       # 1 min, then 2 min
    retry = [line for line in lines if "will retry on its first trigger" in line]
    assert len(retry) == 3 and "after 2 failure(s)" in retry[1]
    assert not any("backing off after" in line and "next try" in line for line in lines)


def test_a_failed_publish_is_retried_without_another_change(tmp_path, monkeypatch):
    """S16: the publish after run 1 fails (server restarting); later runs change
    nothing. It used to wait for an unrelated change; now it is retried on its
    backoff (1 min) and the book gets the change."""
    settings = sources(tmp_path, phone={"every": "10s"})
    # a real [publish] section (the publish itself is faked below): the sources'
    # read context names its book, so a source never reads it back
    target = PublishSettings(connector="carddav", url="http://127.0.0.1:9/clean/",
                             username="marie", password_env="RESEAUSYNC_TEST_PASSWORD")
    settings = settings.model_copy(update={"publish": target})
    calls: list[float] = []
    clock = FakeClock(until=timedelta(minutes=3))

    def publish(db: str, given: object) -> object:
        calls.append(clock.at())
        if len(calls) == 1:
            raise OSError("PROPFIND still failing after 5 attempts (ConnectionError)")
        return type("Result", (), {"created": 2, "updated": 0, "deleted": 0,
                                   "conflicts": []})()

    from reseausync import directory
    monkeypatch.setattr(directory, "publish", publish)
    lines = schedule(settings, str(tmp_path / "d.db"), clock)
    assert calls == [0.0, 60.0]
    failed = [line for line in lines if line.startswith("publish: FAILED")]
    assert len(failed) == 1 and "will try again at" in failed[0]
    assert "publish: 2 created, 0 updated, 0 deleted, 0 conflicts" in lines


def test_the_first_run_of_an_interval_source_is_announced_as_now(tmp_path):
    """S19: an interval source running at start was announced for a day later."""
    settings = sources(tmp_path, a={"every": "1d"}, c={"schedule": "0 3 * * *"})
    clock = FakeClock(until=timedelta(seconds=30))
    lines = schedule(settings, str(tmp_path / "d.db"), clock)
    assert lines[0] == "a: scheduled every 1 day, 0:00:00, next run now"
    assert lines[1].startswith('c: scheduled "0 3 * * *" (cron), next run ')
    assert lines[2] == "a: run started"
