"""`reseausync schedule`: run each source's sync on its own trigger until stopped.

Why it is built this way:
- One loop, in the calling thread, runs every job, so jobs of one directory
  never write at once, and a manual `sync` meanwhile waits on (or is waited for
  by) the directory lock. APScheduler 3 gives the triggers (reseausync.cron for
  `schedule`, an interval for `every`); its BackgroundScheduler is not used: with
  one worker, a job queued behind a run longer than the misfire grace time was
  dropped until its next trigger (a day for `every = "1d"`), and so was a job
  whose time passed while the laptop slept (QA round 3, S3 and S17).
- A trigger that passes makes its source *due*; a due source runs once, as soon
  as nothing else runs (first due, first run), however late: the missed triggers
  of a night are coalesced into one run, as anacron or a systemd `Persistent=`
  timer do. The loop looks at the wall clock at least every second, so a wake-up
  from suspend (during which a wait on the monotonic clock does not advance) is
  seen at once.
- The directory lock is waited for here, up to `[sync] lock_timeout`, a little at
  a time, so that a stop request is seen at once (SIGTERM used to wait out the
  lock and then start the run it was asked not to). When the wait times out, the
  source stays due and the lock is tried again LOCK_RETRY later, not at the next
  trigger.
- The config file is re-read when it changed on disk (looked at before each
  run) and on SIGHUP: the user's edit is what the next run uses, instead of the
  old settings undoing it. An edit that does not validate is logged, and the
  previous settings are kept.
- SIGINT/SIGTERM set the stop event: the run in progress finishes (it keeps its
  work) and the loop returns 0, which is what a service manager expects of a
  clean stop. A second one stops now: the run's transaction is rolled back and
  the run closed as interrupted, as Ctrl-C does to `sync`. A forked read worker
  inherits the handler and leaves the signal to its parent.
- A failing source is logged once, recorded as failed in `runs`, and retried on
  a later trigger with exponential backoff (1 min, 2, 4 ... capped at 1 h since
  the last failure), so a dead server is not hammered by an `every = "1m"` job
  while a 6-hourly cron job still retries on its very next trigger. The other
  sources carry on. A publish that fails stays owed and is retried on the same
  backoff, whatever the next runs change.
"""

from __future__ import annotations

import io
import os
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger

from .config import Settings, SourceSettings
from .cron import cron_trigger
from .errors import LockError, ReseausyncError, UsageError
from .forking import end_as_default
from .lock import DirectoryLock
from .pipeline import RunResult
from .report.visible import visible
from .sync import sync_sources

BACKOFF_INITIAL = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=1)
LOCK_RETRY = timedelta(minutes=1)     # after waiting lock_timeout for another writer
LOCK_POLL = 0.5                       # seconds between looks at a busy lock
LATE = timedelta(minutes=1)           # a run this late says when it was due

Log = Callable[[str], None]


def stderr_log(text: str) -> None:
    """One line on stderr, written in one system call: a signal handler may log
    while the loop is itself printing (a print there would be a re-entrant call),
    and a terminal that was closed (SIGHUP) must not stop the schedule."""
    stamp = datetime.now().astimezone().isoformat(timespec="seconds")
    line = f"{stamp} reseausync schedule: {visible(text)}\n"
    try:
        os.write(sys.stderr.fileno(), line.encode("utf-8", "replace"))
    except (OSError, ValueError, AttributeError):
        try:                            # a stderr without a descriptor (redirected)
            print(line, end="", file=sys.stderr, flush=True)
        except (OSError, ValueError):
            pass


def trigger_for(source: SourceSettings, start: datetime | None = None) -> BaseTrigger | None:
    """The source's trigger: its cron expression (read as crontab reads it, see
    reseausync.cron), its interval counted from `start`, or None (not scheduled)."""
    if source.schedule:
        return cron_trigger(source.schedule)
    if source.every is not None:
        return IntervalTrigger(seconds=max(1, int(source.every.total_seconds())),
                               start_date=start)
    return None


def next_after(trigger: BaseTrigger, now: datetime) -> datetime | None:
    """The trigger's first time strictly after `now`: the triggers that passed
    meanwhile are one due run, not one run each."""
    return trigger.get_next_fire_time(None, now + timedelta(microseconds=1))


@dataclass(frozen=True)
class Config:
    """What the runs use: the settings, the directory and the phone region."""

    settings: Settings
    db: str
    region: str | None = None


Reload = Callable[[], Config]


class Clock:
    """The wall clock, and a wait that a stop request cuts short. Tests pass one
    whose time jumps (a night asleep in a millisecond)."""

    max_wait = 1.0        # seconds: how long the loop may go without looking

    def now(self) -> datetime:
        return datetime.now(UTC)

    def wait(self, stop: threading.Event, seconds: float) -> bool:
        return stop.wait(seconds)


@dataclass
class Backoff:
    """Consecutive failures of one source (or of the publish), and from when it
    may be tried again (a timestamp)."""

    failures: int = 0
    not_before: float = 0.0

    def failed(self, now: float) -> float:
        self.failures += 1
        delay = min(BACKOFF_INITIAL * 2 ** (self.failures - 1), BACKOFF_MAX)
        self.not_before = now + delay.total_seconds()
        return delay.total_seconds()

    def succeeded(self) -> None:
        self.failures, self.not_before = 0, 0.0


class SourceJob:
    """One scheduled source: its trigger, when it fires next, since when it is due."""

    def __init__(self, source: SourceSettings, now: datetime) -> None:
        self.name = source.name
        self.backoff = Backoff()
        self.due_since: datetime | None = None
        self.waited = False               # its last try found the directory busy
        self.retrigger(source, now)
        if source.every is not None:      # an interval source runs at start, then every N
            self.next_fire = now

    def retrigger(self, source: SourceSettings, now: datetime) -> None:
        self.spec = (source.schedule, source.every)
        self.every = source.every
        self.trigger = trigger_for(source, start=now)
        self.next_fire = next_after(self.trigger, now) if self.trigger else None
        self.what = (f'"{source.schedule}" (cron)' if source.schedule
                     else f"every {source.every}")

    def tick(self, now: datetime) -> None:
        """Make the source due when its trigger passed; a source backing off lets
        its triggers pass without a word (its failure said when it would retry)."""
        if self.next_fire is None or self.next_fire > now:
            return
        fired, self.next_fire = self.next_fire, next_after(self.trigger, now)
        if now.timestamp() < self.backoff.not_before:
            return
        if self.due_since is None:
            self.due_since = fired

    def started(self, now: datetime) -> None:
        """`every = "6m"` counts from the run's start: a run late by a night is not
        followed by another one minutes later, on the old grid."""
        self.due_since, self.waited = None, False
        if self.every is not None:
            self.trigger = IntervalTrigger(seconds=max(1, int(self.every.total_seconds())),
                                           start_date=now)
            self.next_fire = next_after(self.trigger, now)

    def next_run(self, now: datetime) -> str:
        if self.due_since is not None or (self.next_fire and self.next_fire <= now):
            return "now"
        return _local(self.next_fire) if self.next_fire else "never"


class Schedule:
    """The loop: which source runs when, under the lock, with which config."""

    def __init__(self, config: Config, stop: threading.Event, log: Log, clock: Clock,
                 reload: Reload | None) -> None:
        self.config = config
        self.stop, self.log, self.clock, self.reload = stop, log, clock, reload
        self.jobs: dict[str, SourceJob] = {}
        self.runs = 0
        self.running = False            # a run (or publish) is in progress
        self.reload_asked = False       # SIGHUP
        self.stamp = _stamp(config.settings.config_path)
        self.lock_retry_at: datetime | None = None
        self.busy_said = self.retry_said = False   # said once while the directory is busy
        self.publish_owed = False
        self.publish_backoff = Backoff()
        self.last_run: tuple[str, datetime] | None = None    # source, when it ended
        now = clock.now()
        for source in config.settings.sources:
            if trigger_for(source) is None:
                log(f"{source.name}: no schedule or every in the config: not scheduled")
            else:
                self.jobs[source.name] = SourceJob(source, now)

    # the loop ----------------------------------------------------------------

    def loop(self) -> None:
        now = self.clock.now()
        for job in self.jobs.values():
            self.log(f"{job.name}: scheduled {job.what}, next run {job.next_run(now)}")
        while not self.stop.is_set():
            self.reload_if_changed()
            now = self.clock.now()
            for job in self.jobs.values():
                job.tick(now)
            due = self._next_due(now)
            if due is not None:
                self.run(due)
            elif self._publish_due(now):
                self.publish()
            else:
                self.clock.wait(self.stop, self._idle(now))
        for job in self.jobs.values():
            if job.due_since is not None:
                self.log(f"{job.name}: due since {_local(job.due_since)}, not run: stopping")

    def _next_due(self, now: datetime) -> SourceJob | None:
        if self.lock_retry_at is not None and now < self.lock_retry_at:
            return None
        due = [job for job in self.jobs.values() if job.due_since is not None]
        return min(due, key=lambda job: job.due_since or now) if due else None

    def _publish_due(self, now: datetime) -> bool:
        return (self.publish_owed and now.timestamp() >= self.publish_backoff.not_before
                and (self.lock_retry_at is None or now >= self.lock_retry_at))

    def _idle(self, now: datetime) -> float:
        """Seconds until something may be due, at most the clock's max_wait."""
        soon = [job.next_fire for job in self.jobs.values() if job.next_fire is not None]
        if self.lock_retry_at is not None:
            soon.append(self.lock_retry_at)
        if self.publish_owed:
            soon.append(datetime.fromtimestamp(self.publish_backoff.not_before, UTC))
        waits = [(t - now).total_seconds() for t in soon if t > now]
        return min([*waits, self.clock.max_wait])

    # one run -------------------------------------------------------------------

    def run(self, job: SourceJob) -> None:
        lock = self._lock(job.name)
        if lock is None:                  # stopping, or the directory is busy: said
            job.waited = True
            return
        try:
            self._say_start(job)
            job.started(self.clock.now())
            results = self._sync(job)
            if results is None:
                return
            changed = self._outcome(job, results)
            if changed or self._publish_due(self.clock.now()):
                self._publish_locked()
        finally:
            lock.release()
            self.last_run = (job.name, self.clock.now())

    def _say_start(self, job: SourceJob) -> None:
        """Say that a run starts, and why late when it is (S19: a queued source was
        said to be "still running", a running one was not said at all)."""
        due = job.due_since or self.clock.now()
        text = f"{job.name}: run started"
        late = self.clock.now() - due
        if job.waited:
            text += f" (due at {_local(due)}; it waited for the other writer)"
        elif self.last_run and self.last_run[0] != job.name and due < self.last_run[1]:
            text += f" (due at {_local(due)}; it waited for the run of {self.last_run[0]})"
        elif late > LATE:
            text += (f" (due at {_local(due)}, {_span(late)} late: the missed "
                     "trigger(s) run once now)")
        self.log(text)

    def _sync(self, job: SourceJob) -> list[RunResult] | None:
        """The source's run; None when a second stop request interrupted it."""
        config = self.config
        self.running = True
        try:
            return sync_sources(config.settings, db=config.db, source=job.name,
                                region=config.region, command="schedule")
        except KeyboardInterrupt:
            self.stop.set()
            self.log(f"{job.name}: stopped mid-run: nothing of this run was kept")
            return None
        except ReseausyncError as exc:
            self.log(f"{job.name}: FAILED: {exc}")
        except Exception as exc:          # noqa: BLE001 - the schedule outlives any one run
            self.log(f"{job.name}: FAILED: unexpected {type(exc).__name__}: {exc}")
        finally:
            self.running = False
        return []

    def _outcome(self, job: SourceJob, results: list[RunResult]) -> bool:
        """Log the run and back off after a failure; whether it changed something
        there is to publish."""
        self.runs += 1
        for result in results:
            self.log(f"run {result.run}: {result.summary()}")
        if results and all(r.status == "ok" for r in results):
            job.backoff.succeeded()
            changed = any(r.changed for r in results)
            if changed and getattr(self.config.settings, "publish", None) is not None:
                self.publish_owed = True
            return changed
        now = self.clock.now()
        job.backoff.failed(now.timestamp())
        retry = datetime.fromtimestamp(job.backoff.not_before, UTC)
        self.log(f"{job.name}: will retry on its first trigger from {_local(retry)} on "
                 f"(backing off after {job.backoff.failures} failure(s))")
        return False

    # the lock ------------------------------------------------------------------

    def _lock(self, what: str) -> DirectoryLock | None:
        """The directory's writer lock, waited for up to `[sync] lock_timeout` while
        watching the stop event; None when stopping or still busy (then every job
        waits LOCK_RETRY, and the busy directory is said once, not per try)."""
        timeout = self.config.settings.sync.lock_timeout.total_seconds()
        start = self.clock.now()
        while True:
            notes = io.StringIO()
            lock = DirectoryLock(self.config.db, "schedule", 0, stream=notes)
            try:
                lock.acquire()
            except LockError as exc:
                holder = _holder(getattr(exc, "holder", {}))
                if not self.busy_said:
                    self.busy_said = True
                    self.log(f"{what}: waiting up to {timeout:g}s for the directory, "
                             f"held by {holder}")
                if (self.clock.now() - start).total_seconds() >= timeout:
                    self.lock_retry_at = self.clock.now() + LOCK_RETRY
                    if not self.retry_said:
                        self.retry_said = True
                        self.log(f"{what}: the directory is still held by {holder} after "
                                 f"{timeout:g}s; trying again every {_span(LOCK_RETRY)}")
                    return None
                if self.clock.wait(self.stop, LOCK_POLL):
                    self.log(f"{what}: not started: stopping")
                    return None
                continue
            finally:
                self._forward(notes)
            if self.busy_said:
                self.log(f"{what}: the directory is free")
            self.lock_retry_at, self.busy_said, self.retry_said = None, False, False
            return lock

    def _forward(self, notes: io.StringIO) -> None:
        """The lock's own lines, but its "waiting up to 0s" (the wait is ours)."""
        for line in notes.getvalue().splitlines():
            if line and "waiting up to" not in line:
                self.log(line.removeprefix("reseausync: "))

    # publish -------------------------------------------------------------------

    def publish(self) -> None:
        """A publish still owed after a failure, tried again on its own."""
        lock = self._lock("publish")
        if lock is None:
            return
        try:
            self._publish_locked()
        finally:
            lock.release()

    def _publish_locked(self) -> None:
        """Publish to [publish]; a failure keeps it owed and backs off (1 min, 2 ...)
        so the published book gets the change even if no other change comes."""
        settings = self.config.settings
        if getattr(settings, "publish", None) is None:
            self.publish_owed = False
            return
        from .directory import publish
        if not self.publish_owed or self.stop.is_set():
            return
        self.running = True
        try:
            result = publish(self.config.db, settings)
        except KeyboardInterrupt:
            self.stop.set()
            self.log("publish: stopped mid-way (`reseausync publish` finishes it)")
            return
        except Exception as exc:          # noqa: BLE001 - the schedule outlives a bad publish
            self.publish_backoff.failed(self.clock.now().timestamp())
            retry = datetime.fromtimestamp(self.publish_backoff.not_before, UTC)
            self.log(f"publish: FAILED: {exc}; will try again at {_local(retry)}")
            return
        finally:
            self.running = False
        self.publish_owed = False
        self.publish_backoff.succeeded()
        self.log(f"publish: {result.created} created, {result.updated} updated, "
                 f"{result.deleted} deleted, {len(result.conflicts)} conflicts")

    # the config ----------------------------------------------------------------

    def reload_if_changed(self) -> None:
        """Re-read the config when its file changed (or on SIGHUP); keep the
        previous settings, saying why, when the edit does not validate."""
        if self.reload is None:
            return
        path = self.config.settings.config_path
        stamp = _stamp(path)
        if stamp == self.stamp and not self.reload_asked:
            return
        self.stamp, self.reload_asked = stamp, False
        try:
            config = self.reload()
            if not any(trigger_for(s) for s in config.settings.sources):
                raise UsageError("no source has a schedule")
        except Exception as exc:          # noqa: BLE001 - the schedule outlives a bad edit
            # any failure to re-read is the edit's, not a reason to stop every
            # source (QA round 4: `options = 1` ended the schedule with a TypeError)
            detail = exc if isinstance(exc, ReseausyncError) else f"{type(exc).__name__}: {exc}"
            self.log(f"config {path}: not re-read, the previous settings stay: {detail}")
            return
        self.apply(config)

    def apply(self, config: Config) -> None:
        """Use `config` from now on: sources added, dropped or re-timed; the ones
        unchanged keep their next run and their backoff."""
        old, self.config = self.config, config
        moved = f" (the directory is now {config.db})" if config.db != old.db else ""
        self.log(f"config {config.settings.config_path}: re-read; the next runs use it{moved}")
        now = self.clock.now()
        wanted = {s.name: s for s in config.settings.sources if trigger_for(s) is not None}
        for name in [name for name in self.jobs if name not in wanted]:
            del self.jobs[name]
            self.log(f"{name}: no longer scheduled by the config")
        for name, source in wanted.items():
            job = self.jobs.get(name)
            if job is None:
                job = self.jobs[name] = SourceJob(source, now)
            elif job.spec != (source.schedule, source.every):
                job.retrigger(source, now)
            else:
                continue
            self.log(f"{name}: scheduled {job.what}, next run {job.next_run(now)}")


def run_scheduler(settings: Settings, db: str, stop: threading.Event | None = None, *,
                  log: Log | None = None, region: str | None = None,
                  reload: Reload | None = None, clock: Clock | None = None) -> int:
    """Run the configured jobs until `stop` is set or SIGINT/SIGTERM arrives; 0 on a
    stop. `reload` re-reads the config (the CLI passes one); signal handlers are
    only installed from the main thread."""
    log = log or stderr_log
    stop = stop or threading.Event()
    schedule = Schedule(Config(settings, db, region), stop, log, clock or Clock(), reload)
    if not schedule.jobs:
        raise UsageError("no source has a schedule",
                         hint='give sources `schedule = "0 */6 * * *"` or `every = "30m"`')
    previous = _install_signals(schedule)
    try:
        schedule.loop()
    except KeyboardInterrupt:             # a second stop request between two steps
        log("stopped now")
    finally:
        _restore_signals(previous)
    log(f"stopped after {schedule.runs} run(s)")
    return 0


def _install_signals(schedule: Schedule) -> dict[int, Any]:
    """SIGINT/SIGTERM stop (a second one stops now); SIGHUP re-reads the config:
    closing the terminal or `kill -HUP` used to kill the schedule mid-run."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    owner = os.getpid()

    def handler(signum: int, frame: object) -> None:
        if os.getpid() != owner:          # a forked read worker: the parent decides,
            if signum == signal.SIGTERM:  # and may terminate it (a stuck worker)
                end_as_default(signum)
            return
        name = signal.Signals(signum).name
        if signum == signal.SIGHUP:
            schedule.reload_asked = schedule.reload is not None
            schedule.log(f"received {name}: " + ("the config is re-read before the next run"
                                                 if schedule.reload else "nothing to re-read"))
        elif not schedule.stop.is_set():
            schedule.stop.set()
            schedule.log(f"received {name}: stopping" + (
                ": finishing the run in progress (Ctrl-C or SIGTERM again stops it now; "
                "nothing of it would be kept)" if schedule.running else ""))
        elif schedule.running:
            schedule.log(f"received {name} again: stopping now")
            raise KeyboardInterrupt

    previous = {}
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        previous[signum] = signal.signal(signum, handler)
    return previous


def _restore_signals(previous: dict[int, Any]) -> None:
    for signum, handler in previous.items():
        signal.signal(signum, handler)


def _stamp(path: Path | None) -> tuple[int, int, int] | None:
    """What tells that the config file changed: an editor may replace it (inode)."""
    if path is None:
        return None
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size, info.st_ino


def _holder(holder: dict[str, Any]) -> str:
    if not holder:
        return "another process"
    return (f"pid {holder.get('pid', '?')} ({holder.get('command', '?')}) "
            f"since {holder.get('since', '?')}")


def _local(when: datetime) -> str:
    return when.astimezone().isoformat(timespec="seconds")


def _span(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 120:
        return f"{seconds}s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"
