"""The SQLite directory file: opening, transactions, and the run bookkeeping.

The connection runs in autocommit mode and every write goes through
`transaction()`, which issues BEGIN IMMEDIATE: a run is one transaction, so a
crash or a kill leaves the last committed state, and a second writer waits on the
lock instead of interleaving. WAL lets readers (`contacts`, `show`) read while a
sync writes.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ..errors import ReseausyncError, UsageError
from ..lock import held_here, is_stale, read_holder
from ..sqlbatch import chunks
from . import failures
from .schema import (
    MIGRATIONS,
    check_read_only,
    migrate,
    pending_migrations,
    unknown_migrations,
    writer,
)

logger = logging.getLogger(__name__)

INTERRUPTED_MESSAGE = "interrupted: the process stopped mid-run; nothing of it was kept"
# A run of a sync of several sources is written, then waits, still "running", for
# the one build of the contacts at the end: it is "ok" only once they are built.
AWAITING_BUILD = "read and written; waiting for the contacts to be built"
UNBUILT_MESSAGE = ("interrupted: the process stopped before the contacts were built; "
                   "what this run read is kept and the next run builds the contacts")
CACHE_KIB = 32768     # SQLite page cache during a run (Store.widen_page_cache)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@contextmanager
def index_dropped(db: sqlite3.Connection, name: str) -> Iterator[None]:
    """Drop index `name` while a bulk write runs, then build it again from its own
    stored definition (inside the caller's transaction, so a failure restores it).

    SQLite inserts each row into every index as it goes; keys in random order (a
    contact id is a hash) land on random pages, and once the index outgrows the
    page cache every insert is a page miss. Building the index afterwards is one
    sort. Worth it for writes of the order of the table, not for a few rows.
    """
    row = db.execute("SELECT sql FROM sqlite_master WHERE type='index' AND name=?",
                     (name,)).fetchone()
    if row is None:
        yield
        return
    db.execute(f"DROP INDEX {name}")
    yield
    db.execute(row[0])


PRUNE_RUNS = """
SELECT id FROM (SELECT id, started, status, ROW_NUMBER() OVER (
                    PARTITION BY source ORDER BY id DESC) AS newest FROM runs)
WHERE newest > :keep AND started < :cutoff AND status <> 'running'
AND id NOT IN (SELECT run FROM (
    SELECT r.run, r.source, r.unit, ROW_NUMBER() OVER (
        PARTITION BY r.source, r.unit, r.location, r.reason ORDER BY r.run DESC) AS later
    FROM rejects r) k
    WHERE later = 1 AND NOT EXISTS (SELECT 1 FROM units u WHERE u.source = k.source
                                    AND u.unit = k.unit AND u.run > k.run))
AND id NOT IN (SELECT run FROM units)
AND id NOT IN (SELECT MAX(id) FROM runs GROUP BY source, command)
AND id <> (SELECT MAX(id) FROM runs)
"""
"""The runs prune_runs may delete. A run's rejects keep it while one of them is
still the last word on its input: not said again by a later run of the source
(the same unit, place and reason) and its file not read again since."""

INSERT_REJECT = """
INSERT INTO rejects (run, source, unit, location, reason, message, excerpt)
VALUES (?, ?, ?, ?, ?, ?, ?)
"""


def _create_private(path: str) -> None:
    """A new directory file created 0600 before SQLite creates it 0644 (under the
    usual umask 022): it holds other people's names, phones, addresses and who
    mailed whom, readable by any local user (QA5 #6). SQLite gives the -wal and
    -shm files the directory file's mode. An existing file keeps its own mode (a
    directory shared with a group on purpose); a folder the user may not write
    is left to `_connect`, which says so."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError:
        pass


def _connect(path: str) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None, timeout=30)
    try:
        marked = _refuse_foreign(db, path)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA foreign_keys=ON")
        db.row_factory = sqlite3.Row
        _check_not_newer(db, path)
        applied = migrate(db)
        _say_upgraded(path, applied)
        if not marked and (applied or held_here(path)):
            db.execute(f"PRAGMA application_id={APPLICATION_ID}")
    except BaseException:
        db.close()
        raise
    return db


APPLICATION_ID = 0x52535943
"""`PRAGMA application_id` of a reseausync directory ("RSYC"), set when it is
created or first written by this version: another program's SQLite file can then
be told from one of ours (QA7 #3). A directory an older release wrote has none
until then, and is known by its `migrations` table."""


def _refuse_foreign(db: sqlite3.Connection, path: str) -> bool:
    """Refuse another program's SQLite file before anything is changed in it; True
    when the file is marked as ours already.

    Any SQLite file was accepted: `--db` naming a browser's places.sqlite or another
    contact tool's database (a typo in a cron line) got reseausync's tables and was
    switched to WAL for good, even by a read command (QA7 #3). A file with tables
    but neither our mark nor our `migrations` table is someone else's: wrong
    usage, exit 2. An empty file (a new directory) is ours to create. Reading
    the schema is also what tells a damaged file (SQLITE_CORRUPT) from one that is
    no database at all (SQLITE_NOTADB): see `_open_error`."""
    mark = db.execute("PRAGMA application_id").fetchone()[0]
    if mark == APPLICATION_ID:
        return True
    tables = [row[0] for row in db.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name")]
    if mark == 0 and (not tables or "migrations" in tables):
        return False
    shown = ", ".join(tables[:5]) + (f" and {len(tables) - 5} more" if len(tables) > 5 else "")
    what = (f"it holds the tables {shown}" if tables
            else f"it is marked as another program's file, application_id {mark}")
    raise UsageError(f"{path}: not a reseausync directory ({what}); nothing was changed "
                     f"in it", hint="pass the right file with --db")


def _say_upgraded(path: str, applied: list[str]) -> None:
    """Say once, when it happens, that a directory an older release wrote was
    upgraded for good (QA6 #5: a `contacts` run with the new version locked the
    installed one out without a word). A new file (every migration applied) is no
    upgrade."""
    if applied and len(applied) < len(MIGRATIONS):
        logger.warning("%s: this directory was upgraded to the format of this reseausync "
                       "(%s); older releases can no longer write it", path, applied[-1])


def needs_upgrade(path: str) -> bool:
    """Whether an existing directory file needs migrations (read without applying
    them; an unreadable file is left to `_connect` to explain): a dry run then
    works on a copy, and nothing else of it may open the file itself."""
    if path == ":memory:" or not Path(path).is_file() or Path(path).stat().st_size == 0:
        return False
    try:
        db = sqlite3.connect(path, isolation_level=None, timeout=30)
    except sqlite3.DatabaseError:
        return False
    try:
        return bool(pending_migrations(db)) and not unknown_migrations(db)
    except sqlite3.DatabaseError:
        return False
    finally:
        db.close()


def _scratch_copy(path: str) -> str:
    """A private temporary copy of the directory at `path` (SQLite's backup API: a
    consistent copy even while a reader holds the file), for a dry run to upgrade
    and read instead of the file itself."""
    fd, copy = tempfile.mkstemp(prefix="reseausync-dry-run-", suffix=".db")
    os.close(fd)
    source = sqlite3.connect(path, timeout=30)
    target = sqlite3.connect(copy)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    return copy


def _check_not_newer(db: sqlite3.Connection, path: str) -> None:
    """A directory upgraded by a newer reseausync: a writer refuses it (it would
    rewrite its rows in the old format), a reader says so and reads on."""
    newer = unknown_migrations(db)
    if not newer:
        return
    text = (f"{path}: this directory was upgraded by a newer reseausync "
            f"than this one (it has {', '.join(newer)})")
    if held_here(path):
        raise UsageError(text, hint="upgrade this installation of reseausync (check "
                                    "which one a cron line or service runs)")
    logger.warning("%s; what it shows may be incomplete: upgrade this installation", text)


def _connect_read_only(path: str) -> sqlite3.Connection:
    """`path` opened read-only. SQLite reads a WAL directory read-only when it may
    create the -shm file beside it or finds one there; on a read-only mount (or a
    folder the user may not write) after the last writer closed, neither is true,
    and only `immutable` reads it: SQLite then takes no locks, which is safe since
    no one can be writing a file in a place nobody may write to (a writer with more
    rights than this reader could; the reader then may see a half-written state)."""
    uri = Path(path).resolve().as_uri()
    last: sqlite3.DatabaseError | None = None
    for query in ("?mode=ro", "?mode=ro&immutable=1"):
        db = sqlite3.connect(uri + query, uri=True, isolation_level=None, timeout=30)
        try:
            db.row_factory = sqlite3.Row
            check_read_only(db, path)
            return db
        except sqlite3.DatabaseError as exc:
            db.close()
            last = exc
    raise ReseausyncError(f"{path}: cannot be read ({last}): the file or its folder "
                          f"is read-only, and SQLite could not read it read-only either",
                          hint="copy the directory file to a writable folder and pass "
                               "that copy with --db") from last


def _has_wal(path: str) -> bool:
    """Whether a -wal with committed pages may lie beside the directory file."""
    try:
        return os.stat(path + "-wal").st_size > 0
    except OSError:
        return False


def _remove_copy(copy: str) -> None:
    for name in (copy, copy + "-wal", copy + "-shm"):
        try:
            os.unlink(name)
        except FileNotFoundError:
            pass


def _stale_wal(path: str) -> bool:
    """Whether a -wal beside the directory file is older than the file: what a backup
    restored over the file beside the -wal of a newer one leaves (QA7 #2), which
    SQLite replays into a damaged directory. A -wal left by a killed process or an
    open reader can be older too, after a checkpoint: then the check costs a read
    of the file, nothing more."""
    try:
        wal = os.stat(path + "-wal")
        return wal.st_size > 0 and wal.st_mtime_ns < os.stat(path).st_mtime_ns
    except OSError:
        return False


def _quick_check(db: sqlite3.Connection) -> None:
    """Raise SQLITE_CORRUPT's error when `PRAGMA quick_check` finds the file damaged,
    before a writer writes into it. Not run for every writer: 0.13-0.18 s on a
    directory of 10,343 contacts (45 MB), and it grows with the file (about a
    second at 33,000 contacts and 300,000 interactions), more than a small sync."""
    try:
        found = db.execute("PRAGMA quick_check(1)").fetchone()[0]
    except sqlite3.DatabaseError:
        db.close()
        raise
    if found != "ok":
        db.close()
        error = sqlite3.DatabaseError("database disk image is malformed")
        error.sqlite_errorcode = failures.SQLITE_CORRUPT
        raise error


def _open_error(path: str, exc: BaseException) -> ReseausyncError:
    """Why the directory file cannot be opened: a read-only place, a full disk, a
    damaged directory (SQLITE_CORRUPT: a copy cut short is the user's directory,
    not another file), or a file that is no directory at all."""
    error = failures.explain(path, exc)
    if error is not None:
        return error
    return ReseausyncError(f"{path}: not a reseausync directory ({exc})",
                           hint="pass the right file with --db")


def _roll_back(db: sqlite3.Connection) -> None:
    """Roll back what is open, if anything. SQLite has rolled back by itself after
    SQLITE_FULL and some I/O errors; on a damaged file the ROLLBACK may fail too,
    and the first error is the one to report."""
    if db.in_transaction:
        try:
            db.execute("ROLLBACK")
        except sqlite3.DatabaseError:
            logger.debug("rollback failed", exc_info=True)


class Store:
    def __init__(self, db: sqlite3.Connection, path: str, scratch: str | None = None) -> None:
        self.db = db
        self.path = path
        self.scratch = scratch       # the temporary copy `db` works on (dry run), if any
        # set at the first SQLITE_CORRUPT: every later transaction is refused with it
        # (QA7 #2: a sync went on recording a failed run per source into the file)
        self.damaged: failures.DamagedError | None = None

    @classmethod
    def open(cls, path: str | Path, *, dry_run: bool = False) -> Store:
        """Open (creating it if needed) and upgrade the directory at `path`.

        A dry run on a directory that needs an upgrade works on an upgraded
        temporary copy and leaves the file as it was (QA6 #5: trying the new version
        with `sync --dry-run` upgraded the directory for good, and the installed
        release, still in cron, was refused from then on).

        A directory this process may not write (a read-only mount, a backup in
        another user's folder) is opened read-only for the commands that only read
        it; a writer (it holds the directory lock) is told the file is read-only
        at once, not after reading its sources (QA S5, S6)."""
        path = str(path)
        if path != ":memory:":
            parent = Path(path).parent
            if not parent.exists():
                raise ReseausyncError(f"{path}: folder {parent} does not exist",
                                      hint="create it, or pass another --db")
            _create_private(path)
            if dry_run and needs_upgrade(path):
                return cls._on_copy(path)
        suspect = path != ":memory:" and _stale_wal(path)
        try:
            db = _connect(path)
            if suspect:      # its first reader replays it, and a writer writes on
                _quick_check(db)
        except sqlite3.DatabaseError as exc:
            if failures.unwritable(exc) and Path(path).is_file() and not held_here(path):
                if _has_wal(path):    # immutable would read it without its -wal
                    return cls._on_wal_copy(path)
                return cls(_connect_read_only(path), path)
            raise _open_error(path, exc) from exc
        return cls(db, path)

    def widen_page_cache(self) -> None:
        """Give SQLite a page cache of CACHE_KIB for the run (it stays for the
        connection). A run is one transaction; writing a large import or a full
        build inserts a million keys at random places of an index (records'
        (source, external_id), contacts' hashed ids). With SQLite's default 2 MiB
        cache the dirty pages spill to the WAL while the transaction is still open
        and are read back: 100,000 messages took 6.3 s instead of 4.7 s, and writing
        600,000 contacts 4.2 s instead of 2.8 s. The cache only grows with pages
        actually used, so a small run costs nothing."""
        current = self.db.execute("PRAGMA cache_size").fetchone()[0]
        pages = self.db.execute("PRAGMA page_size").fetchone()[0]
        size_kib = -current if current < 0 else current * pages // 1024
        if size_kib < CACHE_KIB:
            self.db.execute(f"PRAGMA cache_size=-{CACHE_KIB}")

    @classmethod
    def _on_wal_copy(cls, path: str) -> Store:
        """The store of a read command on a private copy of the directory and its
        -wal, for a directory on a read-only place with a -wal beside it (a snapshot
        or backup taken while a process held it). SQLite can read that -wal only
        where it may create the -shm; `immutable` reads the file without it, an
        older state, without a word (QA7 #5: a run and its contacts missing)."""
        fd, copy = tempfile.mkstemp(prefix="reseausync-read-", suffix=".db")
        os.close(fd)
        try:
            shutil.copyfile(path, copy)
            shutil.copyfile(path + "-wal", copy + "-wal")
            db = sqlite3.connect(copy, isolation_level=None, timeout=30)
            db.row_factory = sqlite3.Row
            check_read_only(db, path)
        except BaseException:
            _remove_copy(copy)
            raise
        return cls(db, path, copy)

    @classmethod
    def _on_copy(cls, path: str) -> Store:
        """The store of a dry run on an upgraded temporary copy of `path`."""
        copy = _scratch_copy(path)
        try:
            db = sqlite3.connect(copy, isolation_level=None, timeout=30)
            _refuse_foreign(db, path)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=OFF")
            db.execute("PRAGMA foreign_keys=ON")
            db.row_factory = sqlite3.Row
            migrate(db)
        except BaseException:
            _remove_copy(copy)
            raise
        logger.warning("%s: this directory needs an upgrade; the dry run used an upgraded "
                       "copy and left it as it was (its run is not recorded)", path)
        return cls(db, path, copy)

    def close(self) -> None:
        self.db.close()
        if self.scratch is not None:
            _remove_copy(self.scratch)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One transaction; a full disk, a read-only file or a second writer come
        out as a ReseausyncError naming the file (failures.py), not a traceback.

        SQLite has already rolled back by itself when it reports SQLITE_FULL (and
        some I/O errors): a second ROLLBACK then failed with "cannot rollback - no
        transaction is active", which replaced the cause in `runs` (QA S8)."""
        if self.db.in_transaction:       # nested: the outer transaction owns commit
            yield self.db
            return
        if self.damaged is not None:
            raise self.damaged
        try:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                _roll_back(self.db)
                raise
            self.db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            _roll_back(self.db)          # a COMMIT that failed leaves it open
            error = failures.explain(self.path, exc)
            if error is None:
                raise
            if isinstance(error, failures.DamagedError):
                self.damaged = error     # no more failed runs written into it
            raise error from exc

    # runs ------------------------------------------------------------------

    def start_run(self, source: str, connector: str, command: str,
                  dry_run: bool = False) -> int:
        """A new run, marked at once when it is a dry run: `runs` must never show a
        dry run (even one killed mid-way) as a run that changed something."""
        cur = self.db.execute(
            "INSERT INTO runs (source, connector, command, started, writer) "
            "VALUES (?, ?, ?, ?, ?)", (source, connector, command, now_iso(), writer()))
        if dry_run:
            self.db.execute("UPDATE runs SET dry_run=1 WHERE id=?", (cur.lastrowid,))
        return int(cur.lastrowid)

    def add_rejects(self, rows: list[tuple[Any, ...]]) -> None:
        """Reject rows as RunWriter buffers them (a dry run's, after its rollback)."""
        self.db.executemany(INSERT_REJECT, rows)

    def finish_run(self, run: int, status: str, counts: dict[str, int],
                   message: str = "") -> None:
        self.db.execute(
            "UPDATE runs SET finished=?, status=?, added=?, updated=?, unchanged=?, "
            "removed=?, rejected=?, message=? WHERE id=?",
            (now_iso(), status, counts.get("added", 0), counts.get("updated", 0),
             counts.get("unchanged", 0), counts.get("removed", 0),
             counts.get("rejected", 0), message, run))

    def await_build(self, run: int, counts: dict[str, int]) -> None:
        """Record what `run` wrote while it stays "running": its source's records are
        in, but a run is "ok" only once the contacts are built with them
        (finish_built_runs, in the build's transaction). A build that fails or is
        stopped leaves it failed (fail_unbuilt_runs), never "ok" over a directory
        that does not show what it read."""
        self.db.execute(
            "UPDATE runs SET added=?, updated=?, unchanged=?, removed=?, rejected=?, "
            "message=? WHERE id=?",
            (counts.get("added", 0), counts.get("updated", 0), counts.get("unchanged", 0),
             counts.get("removed", 0), counts.get("rejected", 0), AWAITING_BUILD, run))

    def unbuilt_runs(self) -> list[int]:
        """The runs written and waiting for the contacts to be built."""
        return [row[0] for row in self.db.execute(
            "SELECT id FROM runs WHERE status='running' AND message=? ORDER BY id",
            (AWAITING_BUILD,))]

    def finish_built_runs(self) -> None:
        """The waiting runs are "ok": call it in the transaction that built the
        contacts (or found nothing to build), so "ok" and the contacts commit together."""
        self.db.execute("UPDATE runs SET status='ok', finished=?, message='' "
                        "WHERE status='running' AND message=?", (now_iso(), AWAITING_BUILD))

    def fail_unbuilt_runs(self, message: str) -> list[int]:
        """The waiting runs failed with `message` (the build failed or was stopped);
        their counts stay, as what they read stays in the directory. Commits on
        its own: whatever the failed build wrote was already rolled back."""
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")
        with self.transaction():
            runs = self.unbuilt_runs()
            self.db.execute("UPDATE runs SET status='failed', finished=?, message=? "
                            "WHERE status='running' AND message=?",
                            (now_iso(), message, AWAITING_BUILD))
        return runs

    def close_interrupted_runs(self, message: str = INTERRUPTED_MESSAGE,
                               unbuilt: str = UNBUILT_MESSAGE) -> int:
        """Mark runs left 'running' by a killed (or stopped) process as failed.

        Only safe under the directory lock: then no other writer can be running. Their
        work was one uncommitted transaction, so nothing of it is in the directory
        (`message`); except for a run that was written and waited for the build
        (await_build): its records are in, and this writer's build takes them
        (`unbuilt`)."""
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")
        with self.transaction():
            waiting = self.db.execute(
                "UPDATE runs SET status='failed', finished=?, message=? "
                "WHERE status='running' AND message=?",
                (now_iso(), unbuilt, AWAITING_BUILD)).rowcount
            cur = self.db.execute(
                "UPDATE runs SET status='failed', finished=?, message=? WHERE status='running'",
                (now_iso(), message))
        return cur.rowcount + waiting

    def runs(self, last: int | None = None) -> list[dict[str, Any]]:
        """Every run (or the `last` most recent), oldest first. A run still
        "running" whose writer is gone (it was killed: SIGKILL, the OOM killer) is
        shown failed, as the next writer will close it (QA S10); nothing is
        written, a reader never writes. The history can be long (QA S9: a year
        of a 5-minute schedule is 300,000 rows; `sync` prunes it, prune_runs):
        rows come as plain tuples, and `last` reads only those it shows."""
        sql = "SELECT * FROM runs ORDER BY id"
        if last is not None:
            sql = f"SELECT * FROM (SELECT * FROM runs ORDER BY id DESC LIMIT {int(last)}) " \
                  "ORDER BY id"
        cursor = self.db.cursor()
        cursor.row_factory = None
        cursor.execute(sql)
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor]
        running = {r["id"] for r in rows if r["status"] == "running"}
        if running:
            gone = self._orphaned(running)
            for row in rows:
                if row["id"] in gone:
                    waited = row["message"] == AWAITING_BUILD
                    row.update(status="failed",
                               message=UNBUILT_MESSAGE if waited else INTERRUPTED_MESSAGE)
        return rows

    def prune_runs(self, keep_for: timedelta, keep_last: int,
                   now: datetime | None = None) -> int:
        """Delete the runs older than `keep_for` that are not among the `keep_last`
        most recent of their source (QA S9: a year of a 5-minute schedule is
        300,000 rows); how many went, with their rejects. Kept whatever their
        age: a run still running, a run with a reject nothing later supersedes
        (a later run said it again, or read its file again: a card the server
        sends garbled on every sync no longer keeps every run), the run that last
        read each stored file, the newest run of each source and command (`sync`
        names the sources a sync read that the config dropped) and the newest
        run of all, so a run id is never given twice (records keep the numbers
        of the runs that read them, as marks for the next runs)."""
        cutoff = ((now or datetime.now(UTC)) - keep_for).isoformat(timespec="seconds")
        with self.transaction():
            gone = [row[0] for row in self.db.execute(
                PRUNE_RUNS, {"keep": keep_last, "cutoff": cutoff})]
            for chunk in chunks(gone):
                marks = ",".join("?" * len(chunk))
                self.db.execute(f"DELETE FROM rejects WHERE run IN ({marks})", chunk)
                self.db.execute(f"DELETE FROM runs WHERE id IN ({marks})", chunk)
            return len(gone)

    def _orphaned(self, running: set[int]) -> set[int]:
        """Of the `running` runs, those no process is running any more: the lock
        file names no holder (released: every run was finished before that) or a
        dead process of this host. Read again after the lock file, so that a run
        finished in between is not taken for a dead one."""
        if self.path == ":memory:" or held_here(self.path):
            return set()
        holder = read_holder(self.path)
        if holder and not is_stale(holder):
            return set()
        marks = ",".join("?" * len(running))
        return {row[0] for row in self.db.execute(
            f"SELECT id FROM runs WHERE status='running' AND id IN ({marks})",
            sorted(running))}

    def rejects(self, run: int | None = None) -> list[sqlite3.Row]:
        if run is None:
            return self.db.execute("SELECT * FROM rejects ORDER BY id").fetchall()
        return self.db.execute("SELECT * FROM rejects WHERE run=? ORDER BY id",
                               (run,)).fetchall()

    # units -----------------------------------------------------------------

    def unit_fingerprints(self, source: str) -> dict[str, str]:
        rows = self.db.execute("SELECT unit, fingerprint FROM units WHERE source=?", (source,))
        return {r[0]: r[1] for r in rows}

    def save_unit(self, source: str, unit: str, fingerprint: str, run: int) -> None:
        self.db.execute(
            "INSERT INTO units (source, unit, fingerprint, run) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (source, unit) DO UPDATE SET fingerprint=excluded.fingerprint, "
            "run=excluded.run",
            (source, unit, fingerprint, run))

    def stale_unit(self, source: str, unit: str) -> None:
        """Read the unit again next time, whatever its fingerprint says."""
        self.db.execute("UPDATE units SET fingerprint='' WHERE source=? AND unit=?",
                        (source, unit))

    def forget_unit(self, source: str, unit: str) -> None:
        self.db.execute("DELETE FROM units WHERE source=? AND unit=?", (source, unit))

    def get_meta(self, key: str, default: str = "") -> str:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE "
                        "SET value=excluded.value", (key, value))
