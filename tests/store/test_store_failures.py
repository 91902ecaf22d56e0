"""A full disk, a read-only place, a second writer: said in words, never a
traceback (QA round 3, S5, S6, S8, S18).

The places are real: SQLite's own SQLITE_FULL (a page limit stands for the full
disk), a -shm file SQLite cannot open (what a read-only mount or another user's
folder does to it; the tests run as root, for whom chmod changes nothing), a lock
file path that cannot be opened for writing, and a second connection holding the
write transaction.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reseausync import api
from reseausync.errors import LockError, ReseausyncError
from reseausync.pipeline import run_source
from reseausync.store import Store
from tests.test_sync import people, write_cards


def test_full_disk_is_said_and_recorded_not_a_rollback_error(tmp_path: Path) -> None:
    db = str(tmp_path / "d.db")
    big = write_cards(tmp_path / "big.vcf", people("big", 3000))
    store = Store.open(db)
    try:
        pages = store.db.execute("PRAGMA page_count").fetchone()[0]
        store.db.execute(f"PRAGMA max_page_count={pages + 20}")   # the disk fills up
        conn = api.make_connector("vcard", str(big), source="big")
        with pytest.raises(ReseausyncError, match="the disk is full") as caught:
            run_source(store, conn, [str(big)], command="import", full_listing=False)
        assert "cannot rollback" not in str(caught.value)
        status, message = store.db.execute(
            "SELECT status, message FROM runs ORDER BY id DESC").fetchone()
    finally:
        store.close()
    assert status == "failed"
    assert "the disk is full" in message and db in message
    with sqlite3.connect(db) as con:      # nothing of the run was kept
        assert con.execute("SELECT COUNT(*) FROM records").fetchone()[0] == 0


def test_a_second_writer_inside_sqlite_is_a_lock_error(tmp_path: Path) -> None:
    """What a writer meets when DB.lock was deleted under another one (S18)."""
    db = str(tmp_path / "d.db")
    Store.open(db).close()
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    store = Store.open(db)
    store.db.execute("PRAGMA busy_timeout=50")
    try:
        with pytest.raises(LockError, match="another writer is writing the directory"), \
                store.transaction():
            store.set_meta("x", "1")
    finally:
        store.close()
        other.execute("ROLLBACK")
        other.close()
