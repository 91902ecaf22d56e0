"""SQLite's failures of the directory file, said in the user's words.

SQLite reports a full disk, a read-only file or folder, and a second writer as
`sqlite3.OperationalError`s whose text ("database or disk is full", "database is
locked", "attempt to write a readonly database") names neither the file nor what
to do, and which reached the user as tracebacks (QA S5, S8, S18); a damaged file
("database disk image is malformed": a backup restored beside a newer -wal, a
copy cut short) as a `sqlite3.DatabaseError` in every command (QA7 #2, #6).
`explain` turns those (and only those: anything else is a bug and keeps its
traceback) into a `ReseausyncError` naming the directory file; the caller raises
it `from` the original. Nothing here runs unless SQLite already failed.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from ..errors import LockError, ReseausyncError

# SQLite's primary result codes (the low byte of an extended code)
SQLITE_PERM = 3
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_FULL = 13
SQLITE_CORRUPT = 11
SQLITE_CANTOPEN = 14

UNWRITABLE = frozenset({SQLITE_PERM, SQLITE_READONLY, SQLITE_CANTOPEN})
WRITABLE_HINT = ("run it where the directory file and its folder are writable by you "
                 "(not on a read-only mount, not another user's folder), or pass another --db")


def code(exc: BaseException) -> int:
    """The primary SQLite result code of `exc` (0 when it carries none)."""
    return (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF


def unwritable(exc: BaseException) -> bool:
    """Whether SQLite failed because it may not write the file or its folder."""
    return code(exc) in UNWRITABLE


def explain(path: str, exc: BaseException) -> ReseausyncError | None:
    """The user's error for SQLite failure `exc` on the directory at `path`, or None
    when it is not one the user can act on (let it through as it is)."""
    primary = code(exc)
    if primary == SQLITE_FULL or getattr(exc, "errno", None) == errno.ENOSPC:
        return disk_full(path, exc)
    if primary in (SQLITE_BUSY, SQLITE_LOCKED):
        return second_writer(path, exc)
    if primary in UNWRITABLE:
        return ReseausyncError(f"{path}: cannot write the directory ({exc}): the file or "
                               f"its folder is read-only", hint=WRITABLE_HINT)
    if primary == SQLITE_CORRUPT:
        return DamagedError(path, exc)
    return None


class DamagedError(ReseausyncError):
    """The directory file is damaged (SQLITE_CORRUPT): truncated, or a backup
    restored beside the -wal of a newer file. Every later run would fail the same
    way, so a writer stops at the first one instead of recording more failed runs
    into it (Store.transaction refuses to write again)."""

    def __init__(self, path: str, exc: BaseException) -> None:
        super().__init__(f"{path}: the directory file is damaged ({exc}): truncated or "
                         "corrupted",
                         hint=f"restore it from a backup, or recover what it holds with "
                              f"`sqlite3 {path} .recover | sqlite3 recovered.db` and pass "
                              f"recovered.db with --db")


def disk_full(path: str, exc: BaseException) -> ReseausyncError:
    folder = Path(path).resolve().parent if path != ":memory:" else Path(".")
    return ReseausyncError(f"{path}: the disk is full ({exc}); nothing of the "
                           f"unfinished run was kept",
                           hint=f"free some space on the disk that holds {folder}, "
                                f"then run the command again")


def second_writer(path: str, exc: BaseException) -> LockError:
    """SQLite waited its busy timeout for another writer. Every writer holds
    DB.lock first, so this only happens when that lock file was deleted (or
    replaced) while its holder ran, and a second writer came in (QA S18)."""
    from ..lock import describe_holder, read_holder
    if read_holder(path).get("pid") == os.getpid():     # the file it re-created itself
        whom = "its lock file was deleted while that writer ran, which let this one in"
    else:
        whom = f"the lock file names {describe_holder(path)}"
    return LockError(f"{path}: another writer is writing the directory ({exc}); {whom}",
                     hint=f"let it finish and try again; deleting {path}.lock while a "
                          f"writer runs lets a second one in")
