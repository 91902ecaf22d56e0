"""`reseausync schedule`: run each source's sync on its own trigger until stopped.

Why it is built this way:
- APScheduler 3 with one worker thread: every job is `sync_sources` for one
  source under the directory lock, so jobs of one directory never write at once,
  and a manual `sync` meanwhile simply waits on (or is waited for by) the lock.
- `max_instances=1`, `coalesce=True` and a misfire grace time: a laptop waking up
  after a night runs each late job once, not once per missed trigger.
- SIGINT/SIGTERM only set an Event; the run in progress finishes (it is one
  transaction either way, but finishing keeps its work) and the scheduler returns
  0, which is what a service manager expects of a clean stop.
- A failing source is logged, recorded as failed in `runs`, and retried on a
  later trigger with exponential backoff (1 min, 2, 4 ... capped at 1 h since the
  last failure), so a dead server is not hammered by an `every = "1m"` job while
  a 6-hourly cron job still retries on its very next trigger. The other sources
  carry on.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.events import EVENT_JOB_MAX_INSTANCES, JobSubmissionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger

from .config import Settings, SourceSettings
from .cron import cron_trigger
from .errors import LockError, ReseausyncError, UsageError
from .sync import sync_sources

MISFIRE_GRACE_SECONDS = 300
BACKOFF_INITIAL = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=1)

Log = Callable[[str], None]


def stderr_log(text: str) -> None:
    stamp = datetime.now().astimezone().isoformat(timespec="seconds")
    print(f"{stamp} reseausync schedule: {text}", file=sys.stderr, flush=True)


def trigger_for(source: SourceSettings) -> BaseTrigger | None:
    """The source's trigger: its cron expression (read as crontab reads it, see
    reseausync.cron), its interval, or None (not scheduled)."""
    if source.schedule:
        return cron_trigger(source.schedule)
    if source.every is not None:
        return IntervalTrigger(seconds=max(1, int(source.every.total_seconds())))
    return None


@dataclass
class Backoff:
    """Consecutive failures of one source, and when it may be tried again."""

    failures: int = 0
    not_before: float = 0.0            # time.monotonic()

    def failed(self, now: float) -> float:
        self.failures += 1
        delay = min(BACKOFF_INITIAL * 2 ** (self.failures - 1), BACKOFF_MAX)
        self.not_before = now + delay.total_seconds()
        return delay.total_seconds()

    def succeeded(self) -> None:
        self.failures, self.not_before = 0, 0.0


class SourceJob:
    """What runs on each trigger of one source."""

    def __init__(self, settings: Settings, db: str, source: str, stop: threading.Event,
                 log: Log, region: str | None) -> None:
        self.settings = settings
        self.db = db
        self.source = source
        self.stop = stop
        self.log = log
        self.region = region
        self.backoff = Backoff()
        self.runs = 0
        self.busy_said = False

    def busy(self) -> None:
        """A trigger came while this job's run was still going: said once a run, in
        the schedule's own words (APScheduler logs a line of its own per tick)."""
        if not self.busy_said:
            self.busy_said = True
            self.log(f"{self.source}: still running at its next trigger; the trigger is "
                     "skipped until this run ends")

    def __call__(self) -> None:
        self.busy_said = False
        if self.stop.is_set():         # queued behind the run that was in progress
            return
        now = time.monotonic()
        if now < self.backoff.not_before:
            wait = int(self.backoff.not_before - now)
            self.log(f"{self.source}: skipped, backing off after {self.backoff.failures} "
                     f"failure(s) (next try in {wait}s or later)")
            return
        try:
            results = sync_sources(self.settings, db=self.db, source=self.source,
                                   region=self.region, command="schedule")
        except LockError as exc:       # someone else is writing: not this source's fault
            self.log(f"{self.source}: skipped this time: {exc}")
            return
        except ReseausyncError as exc:
            results = []
            self.log(f"{self.source}: FAILED: {exc}")
        except Exception as exc:       # the scheduler must outlive any one run
            results = []
            self.log(f"{self.source}: FAILED: unexpected {type(exc).__name__}: {exc}")
        self.runs += 1
        for result in results:
            self.log(f"run {result.run}: {result.summary()}")
        if results and all(r.status == "ok" for r in results):
            self.backoff.succeeded()
            if any(r.changed for r in results):
                self._publish()
        else:
            delay = self.backoff.failed(time.monotonic())
            self.log(f"{self.source}: will retry on a trigger at least {int(delay)}s from now")


    def _publish(self) -> None:
        """With a [publish] target, a sync that changed something is published.

        A failed publish is logged and retried after the next change; it never
        stops the scheduler or the source's own backoff."""
        if getattr(self.settings, "publish", None) is None:
            return
        from .directory import publish
        try:
            result = publish(self.db, self.settings)
        except Exception as exc:      # noqa: BLE001 - the scheduler outlives a bad publish
            self.log(f"publish: FAILED: {exc}")
            return
        self.log(f"publish: {result.created} created, {result.updated} updated, "
                 f"{result.deleted} deleted, {len(result.conflicts)} conflicts")


def build_scheduler(settings: Settings, db: str, stop: threading.Event, log: Log,
                    region: str | None = None) -> tuple[BackgroundScheduler, list[SourceJob]]:
    scheduler = BackgroundScheduler(
        executors={"default": ThreadPoolExecutor(max_workers=1)},
        job_defaults={"max_instances": 1, "coalesce": True,
                      "misfire_grace_time": MISFIRE_GRACE_SECONDS})
    jobs = []
    for source in settings.sources:
        trigger = trigger_for(source)
        if trigger is None:
            log(f"{source.name}: no schedule or every in the config: not scheduled")
            continue
        job = SourceJob(settings, db, source.name, stop, log, region)
        extra: dict[str, Any] = {}
        if source.every is not None:   # an interval source runs at start, then every N
            extra["next_run_time"] = datetime.now(UTC)
        scheduler.add_job(job, trigger, id=source.name, name=source.name, **extra)
        jobs.append(job)
    by_id = {job.source: job for job in jobs}

    def busy(event: JobSubmissionEvent) -> None:
        if event.job_id in by_id:
            by_id[event.job_id].busy()

    scheduler.add_listener(busy, EVENT_JOB_MAX_INSTANCES)
    logging.getLogger("apscheduler.scheduler").addFilter(_no_busy_lines)
    return scheduler, jobs


def _no_busy_lines(record: logging.LogRecord) -> bool:
    """Leave out APScheduler 3's "Execution of job ... skipped: maximum number of
    running instances reached" lines: SourceJob.busy says it once a run instead
    of once a tick, which an `every = "1m"` job waiting on a slow server turned
    into a line a minute in cron mail."""
    return "maximum number of running instances" not in str(record.msg)


def run_scheduler(settings: Settings, db: str, stop: threading.Event | None = None, *,
                  log: Log | None = None, region: str | None = None) -> int:
    """Run the configured jobs until `stop` is set or SIGINT/SIGTERM arrives; 0 on a
    clean stop. Signal handlers are only installed from the main thread."""
    log = log or stderr_log
    stop = stop or threading.Event()
    scheduler, jobs = build_scheduler(settings, db, stop, log, region)
    if not jobs:
        raise UsageError("no source has a schedule",
                         hint='give sources `schedule = "0 */6 * * *"` or `every = "30m"`')
    previous = _install_signals(stop, log)
    try:
        scheduler.start()
        for job in scheduler.get_jobs():
            log(f"{job.name}: scheduled ({job.trigger}), next run {job.next_run_time}")
        while not stop.wait(1.0):
            pass
        log("stopping: finishing the run in progress")
        scheduler.shutdown(wait=True)
    finally:
        _restore_signals(previous)
    log(f"stopped after {sum(j.runs for j in jobs)} run(s)")
    return 0


def _install_signals(stop: threading.Event, log: Log) -> dict[int, Any]:
    if threading.current_thread() is not threading.main_thread():
        return {}

    def handler(signum: int, frame: object) -> None:
        if not stop.is_set():
            log(f"received {signal.Signals(signum).name}")
        stop.set()

    previous = {}
    for signum in (signal.SIGINT, signal.SIGTERM):
        previous[signum] = signal.signal(signum, handler)
    return previous


def _restore_signals(previous: dict[int, Any]) -> None:
    for signum, handler in previous.items():
        signal.signal(signum, handler)
