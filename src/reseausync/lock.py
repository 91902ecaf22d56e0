"""One writer at a time on a directory: a lock file beside the database.

Why a lock on top of SQLite's own: SQLite serialises transactions, but a sync is
read-then-write over minutes, and a manual `sync` racing the scheduler would read
the same units twice and interleave runs. So every writer (import, sync, the
scheduler's jobs, link/split) holds `DB.lock` for its whole duration.

How: `fcntl.flock` on `DB.lock`, which the kernel releases when the holder dies,
plus a JSON body `{pid, command, since, host}` so that a waiting process can say
whom it waits for. A second writer waits up to `timeout`, saying so once on
stderr, then raises `LockError` naming the holder. A lock whose holder is dead on
this host but whose descriptor leaked into another process is taken over by
replacing the file. Within one process the lock is re-entrant per thread (a sync
that imports), and other threads of the process wait like another process would.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from .errors import LockError, ReseausyncError

POLL_SECONDS = 0.1

_guard = threading.Lock()
_held: dict[str, _Held] = {}


class _Held:
    """The process-wide state of one lock file: which thread holds it, how deep."""

    def __init__(self) -> None:
        self.rlock = threading.RLock()
        self.depth = 0
        self.fd: int | None = None
        self.info: dict[str, Any] = {}


class DirectoryLock:
    """Context manager holding the writer lock of the directory at `db_path`."""

    def __init__(self, db_path: str, command: str, timeout: float | timedelta = 60.0,
                 *, stream: IO[str] | None = None) -> None:
        self.db_path = str(db_path)
        self.command = command
        self.timeout = (timeout.total_seconds() if isinstance(timeout, timedelta)
                        else float(timeout))
        self.stream = stream
        self.memory = self.db_path == ":memory:" or self.db_path.startswith("file::memory:")
        self.path = "" if self.memory else os.path.abspath(self.db_path) + ".lock"
        self.took_over: dict[str, Any] | None = None

    # context manager ---------------------------------------------------------

    def __enter__(self) -> DirectoryLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    # acquire / release -------------------------------------------------------

    def acquire(self) -> None:
        if self.memory:
            return
        with _guard:
            held = _held.setdefault(self.path, _Held())
        deadline = time.monotonic() + self.timeout
        if not held.rlock.acquire(blocking=False):
            self._say_waiting(held.info)
            if not held.rlock.acquire(timeout=max(0.0, deadline - time.monotonic())):
                raise self._busy(held.info)
        if held.depth:                      # this thread already holds it
            held.depth += 1
            return
        try:
            held.fd = self._acquire_file(deadline)
            held.info = self._write_body(held.fd)
        except BaseException:
            if held.fd is not None:     # the body could not be written (a full disk)
                os.close(held.fd)
                held.fd = None
            held.rlock.release()
            raise
        held.depth = 1

    def release(self) -> None:
        if self.memory:
            return
        with _guard:
            held = _held.get(self.path)
        if held is None or not held.depth:
            return
        held.depth -= 1
        if held.depth == 0 and held.fd is not None:
            try:
                os.ftruncate(held.fd, 0)
            except OSError:
                pass
            fcntl.flock(held.fd, fcntl.LOCK_UN)
            os.close(held.fd)
            held.fd, held.info = None, {}
        held.rlock.release()

    # the file ----------------------------------------------------------------

    def _acquire_file(self, deadline: float) -> int:
        said = False
        while True:
            fd = self._open_file()
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _read_body(fd)
                os.close(fd)
                if is_stale(holder):
                    self._replace_stale(holder)
                    continue
                if not said:
                    self._say_waiting(holder)
                    said = True
                if time.monotonic() >= deadline:
                    raise self._busy(holder) from None
                time.sleep(min(POLL_SECONDS, max(0.0, deadline - time.monotonic())))
                continue
            if not _same_file(fd, self.path):   # replaced while we waited: retry
                os.close(fd)
                continue
            previous = _read_body(fd)
            if previous and is_stale(previous):
                self.took_over = previous
                self._print(f"reseausync: taking over the lock {self.path} left by "
                            f"{_describe(previous)}, which is gone")
            return fd

    def _open_file(self) -> int:
        """The lock file, opened for writing: a read-only mount or folder, or a lock
        file of another user, is said as such, not as a traceback (QA S5)."""
        try:
            return os.open(self.path, os.O_RDWR | os.O_CREAT, _lock_mode(self.db_path))
        except OSError as exc:
            raise self._unwritable(exc) from None

    def _unwritable(self, exc: OSError) -> ReseausyncError:
        return ReseausyncError(
            f"{self.db_path}: cannot write the directory's lock file {self.path}: "
            f"{exc.strerror or exc}",
            hint="a command that changes the directory needs its folder writable by you "
                 "(not a read-only mount, not another user's folder); read commands "
                 "(contacts, export, runs) still work")

    def _replace_stale(self, holder: dict[str, Any]) -> None:
        """The holder died but its descriptor lives on elsewhere: start a new file."""
        self.took_over = holder
        self._print(f"reseausync: taking over the stale lock {self.path} left by "
                    f"{_describe(holder)}")
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass

    def _write_body(self, fd: int) -> dict[str, Any]:
        info = {"pid": os.getpid(), "command": self.command,
                "since": datetime.now(UTC).isoformat(timespec="seconds"),
                "host": socket.gethostname()}
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(info).encode(), 0)
        except OSError as exc:          # a full disk
            raise self._unwritable(exc) from None
        return info

    # messages ----------------------------------------------------------------

    def _say_waiting(self, holder: dict[str, Any]) -> None:
        self._print(f"reseausync: waiting up to {self.timeout:g}s for the directory "
                    f"{self.db_path}, held by {_describe(holder)}")

    def _busy(self, holder: dict[str, Any]) -> LockError:
        error = LockError(
            f"{self.db_path}: another writer holds the directory: {_describe(holder)}; "
            f"gave up after {self.timeout:g}s",
            hint="let it finish and try again, or raise [sync] lock_timeout in the config")
        error.holder = holder  # type: ignore[attr-defined]
        return error

    def _print(self, text: str) -> None:
        stream = self.stream or sys.stderr
        print(text, file=stream, flush=True)


def _lock_mode(db_path: str) -> int:
    """The mode of a new lock file: the directory file's read and write bits (a
    directory shared with a group keeps a lock its readers can read), 0600 beside
    a directory not created yet (QA5 #6: it was 0644, as the directory was)."""
    try:
        return os.stat(db_path).st_mode & 0o666
    except OSError:
        return 0o600


def held_here(db_path: str) -> bool:
    """Whether this process holds the writer lock of `db_path` (it is a writer)."""
    held = _held.get(os.path.abspath(db_path) + ".lock")
    return held is not None and held.depth > 0


def read_holder(db_path: str) -> dict[str, Any]:
    """Who holds (or last held) the lock of `db_path`: {} when nobody wrote a body."""
    try:
        fd = os.open(os.path.abspath(db_path) + ".lock", os.O_RDONLY)
    except OSError:       # none, or not ours to read
        return {}
    try:
        return _read_body(fd)
    finally:
        os.close(fd)


def _read_body(fd: int) -> dict[str, Any]:
    try:
        data = os.pread(fd, 4096, 0)
        body = json.loads(data.decode("utf-8")) if data.strip() else {}
    except (OSError, ValueError):
        return {}
    return body if isinstance(body, dict) else {}


def describe_holder(db_path: str) -> str:
    """Who the lock file of `db_path` names, in words."""
    return _describe(read_holder(db_path))


def _describe(holder: dict[str, Any]) -> str:
    if not holder:
        return "another process (no details in the lock file)"
    return (f"pid {holder.get('pid', '?')} ({holder.get('command', '?')}) "
            f"since {holder.get('since', '?')} on {holder.get('host', '?')}")


def is_stale(holder: dict[str, Any]) -> bool:
    """A holder on this host whose process is gone."""
    if not holder or holder.get("host") != socket.gethostname():
        return False
    pid = holder.get("pid")
    if not isinstance(pid, int) or pid <= 0 or pid == os.getpid():
        return False
    return not _alive(pid)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return _not_zombie(pid)


def _not_zombie(pid: int) -> bool:
    stat = Path(f"/proc/{pid}/stat")
    try:
        fields = stat.read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return True
    return fields[0] != "Z"


def _same_file(fd: int, path: str) -> bool:
    try:
        return os.fstat(fd).st_ino == os.stat(path).st_ino
    except FileNotFoundError:
        return False
