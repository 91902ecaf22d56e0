"""One writer at a time: a second writer waits, says so, then names the holder.

The holders are real subprocesses: the lock must work across processes, and a
holder that dies must not lock the directory forever.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from reseausync.errors import LockError
from reseausync.lock import DirectoryLock, read_holder

ROOT = Path(__file__).resolve().parents[1]

HOLDER = """
import sys
from reseausync.lock import DirectoryLock
with DirectoryLock(sys.argv[1], sys.argv[2], 5):
    print("held", flush=True)
    sys.stdin.readline()            # hold until the test closes our stdin
"""

LEAKER = """
import os, subprocess, sys
from reseausync.lock import DirectoryLock, _held
lock = DirectoryLock(sys.argv[1], "sync", 5)
lock.acquire()
fd = _held[lock.path].fd
child = subprocess.Popen(["sleep", "120"], pass_fds=[fd], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)         # inherits the flock
print(child.pid, flush=True)
os._exit(0)                                                # dies without releasing
"""


def start_holder(db: str, command: str = "import") -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, db, command], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.stdin.close()
        proc.wait(timeout=30)


def test_second_writer_waits_then_names_the_holder(tmp_path):
    db = str(tmp_path / "dir.db")
    holder = start_holder(db, "import")
    try:
        err = io.StringIO()
        with pytest.raises(LockError) as caught:
            with DirectoryLock(db, "sync", 0.5, stream=err):
                pass
    finally:
        stop(holder)
    message = str(caught.value)
    assert f"pid {holder.pid} (import) since " in message
    assert "gave up after 0.5s" in message and caught.value.hint
    assert caught.value.exit_code == 1
    said = err.getvalue().splitlines()
    assert len(said) == 1                                    # said once, not once per poll
    assert "waiting up to 0.5s" in said[0] and f"pid {holder.pid}" in said[0]


def test_waiter_gets_the_lock_when_the_holder_finishes(tmp_path):
    db = str(tmp_path / "dir.db")
    holder = start_holder(db)
    err = io.StringIO()

    def release_once_waiting() -> None:
        deadline = time.monotonic() + 60
        while "waiting" not in err.getvalue() and time.monotonic() < deadline:
            time.sleep(0.05)
        stop(holder)

    releaser = threading.Thread(target=release_once_waiting)
    releaser.start()
    try:
        with DirectoryLock(db, "sync", 60, stream=err):
            body = read_holder(db)
            assert body["pid"] == os.getpid() and body["command"] == "sync"
    finally:
        releaser.join()
        stop(holder)
    assert read_holder(db) == {}                             # released: body cleared


def test_lock_of_a_killed_holder_is_taken_over(tmp_path):
    db = str(tmp_path / "dir.db")
    holder = start_holder(db, "sync")
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)
    assert read_holder(db)["pid"] == holder.pid              # the body outlived it
    err = io.StringIO()
    lock = DirectoryLock(db, "import", 5, stream=err)
    with lock:
        assert read_holder(db)["pid"] == os.getpid()
    assert lock.took_over["pid"] == holder.pid
    assert f"pid {holder.pid}" in err.getvalue()


def test_stale_lock_whose_descriptor_leaked_is_replaced(tmp_path):
    db = str(tmp_path / "dir.db")
    leaker = subprocess.run([sys.executable, "-c", LEAKER, db], capture_output=True, text=True,
                            timeout=60, check=True)
    child = int(leaker.stdout.strip())
    try:
        err = io.StringIO()
        lock = DirectoryLock(db, "sync", 10, stream=err)
        with lock:
            assert read_holder(db)["pid"] == os.getpid()
        assert lock.took_over is not None and lock.took_over["command"] == "sync"
        assert "taking over the stale lock" in err.getvalue()
    finally:
        os.kill(child, signal.SIGKILL)


def test_reentrant_in_one_thread_and_exclusive_across_threads(tmp_path):
    db = str(tmp_path / "dir.db")
    outcome: list[str] = []

    def other_thread() -> None:
        try:
            with DirectoryLock(db, "schedule", 0.3, stream=io.StringIO()):
                outcome.append("got it")
        except LockError as exc:
            outcome.append(str(exc))

    with DirectoryLock(db, "sync", 1):
        with DirectoryLock(db, "import", 1):                 # a sync that imports
            assert read_holder(db)["command"] == "sync"
        thread = threading.Thread(target=other_thread)
        thread.start()
        thread.join(30)
        assert json.loads(Path(db + ".lock").read_text())["pid"] == os.getpid()
    assert len(outcome) == 1 and f"pid {os.getpid()} (sync)" in outcome[0]
    with DirectoryLock(db, "import", 1):                     # and free again afterwards
        pass


def test_memory_directory_needs_no_lock(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with DirectoryLock(":memory:", "sync", 0):
        with DirectoryLock(":memory:", "sync", 0):
            pass
    assert list(tmp_path.iterdir()) == []
