"""Ctrl-C or SIGTERM during a read command (QA5 #3).

`contacts`, `cold` and `export` interrupted mid-read printed "nothing of the
unfinished run was kept" (they start no run), then a traceback: the events
generator, suspended inside its cursor, was closed after the store and closing
the cursor raised "Cannot operate on a closed database". They now say only
"interrupted", exit 1 as every interrupted command does, and print nothing else.

The subprocess stops in the middle of the read (making the first contact's first
event, the events query's cursor open on the next contact's row) and says so on
stderr; the test waits for that line, never for time, then sends the signal.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.engagement.conftest import Directory

ROOT = Path(__file__).resolve().parents[1]
DEADLINE = 60.0

SCRIPT = """
import signal, sys, time
sys.path.insert(0, {root!r})
signal.signal(signal.SIGINT, signal.default_int_handler)   # as in a terminal
from reseausync.engagement import status
event = status._event
def held(row, copies):
    print("reading", file=sys.stderr, flush=True)
    time.sleep(120)
    return event(row, copies)
status._event = held
if {scan}:
    status._SCAN_ABOVE = 0
from reseausync.cli import main
sys.exit(main(sys.argv[1:]))
"""


def directory(path: Path) -> str:
    d = Directory(path)
    d.person("c1", "Jean Tremblay", emails=("jean@acme.ca",))
    d.person("c2", "Ana Roy", emails=("ana@acme.ca",))
    d.interaction("email", "2026-03-02", "in", {"email": "jean@acme.ca"},
                  {"email": "ana@acme.ca"})
    d.link()
    d.store.close()
    return str(path)


def interrupted(tmp_path: Path, args: list[str], sig: int, scan: bool) -> tuple[int, str]:
    """The command's exit code and stderr once `sig` stopped it mid-read."""
    db = directory(tmp_path / "d.db")
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT.format(root=str(ROOT), scan=scan), "--db", db, *args],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.append(line)
            if line.strip() == "reading":
                ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert ready.wait(DEADLINE), "".join(lines)
        proc.send_signal(sig)
        code = proc.wait(DEADLINE)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    reader.join(DEADLINE)
    return code, "".join(lines[lines.index("reading\n") + 1:])


@pytest.mark.parametrize(("args", "sig", "scan", "said"), [
    (["contacts"], signal.SIGINT, False, "reseausync: interrupted\n"),
    (["contacts", "--format", "csv"], signal.SIGTERM, True,
     "reseausync: interrupted (SIGTERM)\n"),
    (["cold", "--format", "json"], signal.SIGINT, True, "reseausync: interrupted\n"),
    (["stats"], signal.SIGTERM, False, "reseausync: interrupted (SIGTERM)\n"),
])
def test_an_interrupted_read_says_interrupted_and_nothing_else(
        tmp_path: Path, args: list[str], sig: int, scan: bool, said: str) -> None:
    assert interrupted(tmp_path, args, sig, scan) == (1, said)


def test_an_interrupted_export_keeps_the_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("the previous export\n")
    code, err = interrupted(tmp_path, ["export", "--format", "csv", "-o", str(target)],
                            signal.SIGINT, False)
    assert (code, err) == (1, "reseausync: interrupted\n")
    assert target.read_text() == "the previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("out")) == ["out.csv"]
