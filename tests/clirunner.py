"""Run the `reseausync` command for a test in a process of its own, without
paying for a new interpreter each time.

Every CLI test used to start `python -m reseausync`, and importing the program
(pydantic, numpy, rapidfuzz, phonenumbers) cost about half a second of CPU per
run: over a thousand runs, most of the suite's minutes on CI. A fork server,
started once per test worker as a fresh interpreter with the program imported,
forks one child per command. The child is a process of its own — its exit code,
signals, working folder, environment, stdout and stderr are its own — and runs the
same `reseausync.cli.main` a user's run does; only the interpreter's start is
shared. The fork server never opens a database, so no SQLite state crosses a
fork (SQLite forbids using a connection in a child).

What an interpreter decides when it starts cannot be set in a forked child: the
locale and stdio encodings (`LANG`, `LC_*`, `PYTHON*`) and the import path. A run
that sets those is a real `python -m reseausync`, as is every run when
RESEAUSYNC_TEST_SUBPROCESS=1 (the whole suite then runs the old, slow way).
"""

from __future__ import annotations

import io
import locale
import multiprocessing
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

PRELOAD = ["reseausync.cli", "reseausync.cli.commands", "reseausync.api"]
STARTUP_ONLY = ("LANG", "LC_", "PYTHON")


def needs_interpreter(env: dict[str, str]) -> bool:
    """Whether `env` asks for something only a fresh interpreter reads."""
    if os.environ.get("RESEAUSYNC_TEST_SUBPROCESS"):
        return True
    return any(key.startswith(STARTUP_ONLY) for key in env)


def _context() -> multiprocessing.context.BaseContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def run_forked(args: list[str], cwd: Path | None, env: dict[str, str],
               timeout: float) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `reseausync ARGS` run in a forked child,
    with exactly `env` as its environment."""
    with tempfile.TemporaryDirectory() as folder:
        out, err = Path(folder, "out"), Path(folder, "err")
        child = _context().Process(target=_child, args=(args, cwd, env, out, err))
        child.start()
        child.join(timeout)
        if child.exitcode is None:
            child.kill()
            child.join()
            raise TimeoutError(f"reseausync {' '.join(args)} still running after {timeout} s")
        return child.exitcode, _read(out), _read(err)


def _read(path: Path) -> str:
    """The file as `subprocess.run(text=True)` gives a stream: universal newlines."""
    if not path.exists():
        return ""
    text = path.read_bytes().decode(locale.getpreferredencoding(False), errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _child(args: list[str], cwd: Path | None, env: dict[str, str], out: Path,
           err: Path) -> None:
    _take_over(cwd, env, out, err)
    code = _call_main(args)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _take_over(cwd: Path | None, env: dict[str, str], out: Path, err: Path) -> None:
    """Make the child what a fresh `python -m reseausync` would be in `cwd`."""
    os.environ.clear()
    os.environ.update(env)
    time.tzset()
    if cwd is not None:
        os.chdir(cwd)
    sys.argv = ["reseausync"]
    sys.stdout = _stream(1, out, sys.__stdout__)
    sys.stderr = _stream(2, err, sys.__stderr__)


def _stream(fd: int, path: Path, like: io.TextIOWrapper) -> io.TextIOWrapper:
    """fd `fd` now writes to `path`, through a text stream encoded as `like`."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(handle, fd)
    os.close(handle)
    return io.TextIOWrapper(io.FileIO(fd, "w", closefd=False), encoding=like.encoding,
                            errors=like.errors, line_buffering=like.line_buffering)


def _call_main(args: list[str]) -> int:
    """`reseausync.cli.main` with the exit status Python gives a script."""
    from reseausync.cli import main

    try:
        return _status(main(args))
    except SystemExit as stop:
        return _status(stop.code)
    except BaseException:            # what an uncaught exception does to a script
        traceback.print_exc()
        return 1


def _status(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1
