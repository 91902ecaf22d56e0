"""A full build's blocking keys written by a helper, copied in by SQLite.

match_keys takes some eight million rows at a million records, and SQLite
inserts them at about a microsecond a row whoever feeds it (numpy columns
through json_each measured the same as executemany): nine seconds of this
process, the bottleneck of a build, with its helpers idle. So a forked helper
writes the sorted keys into a side SQLite file (its own connection, no journal:
the file is thrown away) while this process goes on with the candidates and
their scores; then this process attaches the file and copies the whole table
with one INSERT ... SELECT, which SQLite turns into a transfer of its records
(the same schema, an empty destination): 8.4 million keys in 1.7 s here.

The copy is part of the run's transaction like any other write. SQLite keeps the
side file attached until that transaction ends (it has read it); the file is
unlinked at once, and the next resolve detaches what is left (`detach_leftover`).
A helper that fails or cannot start leaves the writing to this process
(MatchState.add_all_keys): same rows either way.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

import numpy as np

from ..forking import Helpers
from .blocking import KeyLists
from .persist import KEY_SLICE, MatchState

SIDE = "side_keys"
TABLE = ("CREATE TABLE match_keys (key INTEGER NOT NULL, record_id INTEGER NOT NULL, "
         "PRIMARY KEY (key, record_id)) WITHOUT ROWID")    # as migration 014 made it


@contextmanager
def keys_aside(state: MatchState, rids: Sequence[int], keys_of: KeyLists, folder: str,
               processes: int) -> Iterator[Callable[[], None]]:
    """Yields `finish()`: call it once the build no longer needs this process alone
    for something else; it puts every record's keys into match_keys."""
    path = _side_path(folder) if processes > 1 else None
    if path is None:
        yield lambda: state.add_all_keys(rids, keys_of)
        return
    keys, positions = keys_of.by_key()
    records = np.asarray(rids, dtype=np.int64)[positions]
    try:
        with Helpers(lambda target: _write(target, keys, records), 1) as helper:
            sent = helper.send(0, path)

            def finish() -> None:
                if sent and helper.receive(0):
                    _copy(state.db, path)
                else:
                    state.add_all_keys(rids, keys_of)
            yield finish
    finally:
        try:
            os.unlink(path)
        except OSError:
            pass


def _side_path(folder: str) -> str | None:
    """A fresh side file next to the directory; None where none can be made (a
    folder the user may not write to): then the keys are written here."""
    try:
        handle, path = tempfile.mkstemp(prefix=".reseausync-keys-", suffix=".db", dir=folder)
    except OSError:
        return None
    os.close(handle)
    return path


def detach_leftover(db: sqlite3.Connection) -> None:
    """Detach the side file a previous resolve on this connection copied from."""
    if any(row[1] == SIDE for row in db.execute("PRAGMA database_list")):
        db.execute(f"DETACH DATABASE {SIDE}")


def _write(path: str, keys: np.ndarray, records: np.ndarray) -> bool:
    """On the helper: the keys, already in key order, into a fresh side file."""
    side = sqlite3.connect(path, isolation_level=None)
    try:
        side.execute("PRAGMA journal_mode=OFF")
        side.execute("PRAGMA synchronous=OFF")
        side.execute(TABLE)
        side.execute("BEGIN")
        for start in range(0, len(keys), KEY_SLICE):
            end = start + KEY_SLICE
            side.executemany("INSERT INTO match_keys VALUES (?, ?)", zip(
                keys[start:end].tolist(), records[start:end].tolist(), strict=True))
        side.execute("COMMIT")
    finally:
        side.close()
    return True


def _copy(db: sqlite3.Connection, path: str) -> None:
    detach_leftover(db)
    db.execute(f"ATTACH DATABASE ? AS {SIDE}", (path,))
    db.execute(f"INSERT INTO match_keys SELECT key, record_id FROM {SIDE}.match_keys")
    try:
        db.execute(f"DETACH DATABASE {SIDE}")
    except sqlite3.OperationalError:      # read in this transaction: left to the next resolve
        pass
