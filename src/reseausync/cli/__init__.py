"""Command-line interface: parse, dispatch, and the one error boundary.

Library code raises `ReseausyncError`s; only `main` turns them into a message
with the next step and an exit code (0 done, 1 the run failed, 2 wrong usage or
invalid config), as INTERFACE.md promises to scripts and cron jobs.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from ..errors import ReseausyncError, Terminated
from ..report.visible import visible
from . import signals
from .parser import build_parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _log_to_stderr(logging.INFO if getattr(args, "verbose", False) else logging.WARNING)
    _encode_stdout(args)
    from . import commands
    handler = getattr(commands, "cmd_" + args.command.replace("-", "_"))
    if args.command == "schedule":       # the scheduler handles its own signals
        return _run(args, handler)
    with signals.stop_on_sigterm():
        return _run(args, handler)


def say(message: str) -> None:
    """A one-line message for the user on stderr, its controls and line breaks
    shown as escapes (`visible`): a file named with an ESC sequence or a line
    break was printed as it was, and cron mails stderr."""
    print(visible(message), file=sys.stderr)


class _VisibleFormatter(logging.Formatter):
    """Log records as `say` prints: the message made visible, a traceback kept."""

    def format(self, record: logging.LogRecord) -> str:
        record = logging.makeLogRecord(record.__dict__)
        record.msg, record.args = visible(record.getMessage()), None
        return super().format(record)


def _log_to_stderr(level: int) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_VisibleFormatter("reseausync: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler])


MACHINE = ("json", "jsonl", "csv", "vcf")
# Commands that start a run: interrupted, theirs is rolled back (publish says
# itself what it kept). The others only read, and have no run to speak of.
STARTS_A_RUN = frozenset({"import", "sync", "link", "split", "publish", "schedule"})


def _encode_stdout(args: argparse.Namespace) -> None:
    """Files and formats for programs are UTF-8 whatever the locale (a vCard 4.0 must
    be; a Latin-1 terminal wrote one in Latin-1, and crashed on "Łukasz"); tables
    for people use the terminal's encoding, with what it cannot show replaced."""
    machine = args.command == "export" or getattr(args, "format", None) in MACHINE
    try:
        if machine:
            sys.stdout.reconfigure(encoding="utf-8")
        else:
            sys.stdout.reconfigure(errors="replace")
    except (AttributeError, ValueError):    # a replaced stdout (tests, embedding)
        pass


def _report(args: argparse.Namespace, exc: ReseausyncError) -> int:
    """The error's line and its next step on stderr; its exit code."""
    print(f"reseausync {args.command}: error: {exc.shown()}", file=sys.stderr)
    if exc.hint:
        say(f"  next step: {exc.hint}")
    return exc.exit_code


def _db_of(args: argparse.Namespace) -> str:
    """The directory file the command used, to name it in an error met outside the
    store: --db, else as the command resolved it (context.resolve)."""
    from .. import config as cfg
    try:
        path = cfg.resolve_config_path(getattr(args, "config", None))
        settings = cfg.load_settings(path) if path is not None else cfg.Settings()
        return str(cfg.resolve_db_path(getattr(args, "db", None), settings))
    except Exception:  # noqa: BLE001 - the config was read once already; name what we can
        return str(getattr(args, "db", None) or "the directory file")


def _run(args: argparse.Namespace, handler: Callable[[argparse.Namespace], Any]) -> int:
    """The command, and the one place its errors become a message and exit code."""
    try:
        return int(handler(args) or 0)
    except ReseausyncError as exc:
        return _report(args, exc)
    except KeyboardInterrupt as stop:
        how = " (SIGTERM)" if isinstance(stop, Terminated) else ""
        kept = "; nothing of the unfinished run was kept" if args.command in STARTS_A_RUN else ""
        print(f"reseausync: interrupted{how}{kept}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except Exception as exc:
        error = _explained(args, exc)
        if error is None:
            raise
        return _report(args, error)


def _explained(args: argparse.Namespace, exc: Exception) -> ReseausyncError | None:
    """A SQLite failure met outside the store's transactions (a read command's
    query on a damaged directory: QA7 #2, a traceback in every read command and
    `check`) in the user's words; None for anything else, a bug. sqlite3 and the
    store are looked up, not imported: a command that never opened the directory
    has no SQLite error to explain (and starts faster)."""
    if args.command == "export" and isinstance(exc, OSError):
        return _stdout_full(exc)
    sqlite3 = sys.modules.get("sqlite3")
    if sqlite3 is None or not isinstance(exc, sqlite3.DatabaseError):
        return None
    from ..store import failures
    return failures.explain(_db_of(args), exc)


def _stdout_full(exc: OSError) -> ReseausyncError | None:
    """`export` to a stdout on a full disk (QA7 #4): one line. What stdout still
    buffers is dropped, or Python's flush at exit would print the error again."""
    from .outfile import FULL
    if exc.errno not in FULL:
        return None
    try:
        sys.stdout = open(os.devnull, "w")   # noqa: SIM115 - replaces stdout until exit
    except OSError:
        pass
    return ReseausyncError(f"stdout: the disk is full ({os.strerror(exc.errno)}); what "
                           "was written before is incomplete",
                           hint="free some space on that disk, then export again")
