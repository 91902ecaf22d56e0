"""A full disk, a read-only place, a second writer: said in words, never a
traceback (QA round 3, S5, S6, S8, S18).

The places are real: SQLite's own SQLITE_FULL (a page limit stands for the full
disk), a -shm file SQLite cannot open (what a read-only mount or another user's
folder does to it; the tests run as root, for whom chmod changes nothing), a lock
file path that cannot be opened for writing, and a second connection holding the
write transaction.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from reseausync import api
from reseausync.errors import LockError, ReseausyncError
from reseausync.pipeline import run_source
from reseausync.store import Store
from tests.conftest import PHONE, run_cli
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


def test_a_writer_cannot_open_the_lock_file_says_so(tmp_path: Path) -> None:
    """The lock file cannot be opened for writing (a read-only mount, a lock file of
    another user: here a folder in its place): a message, exit 1, no traceback."""
    db = tmp_path / "d.db"
    (tmp_path / "d.db.lock").mkdir()
    done = run_cli("import", PHONE, "--db", str(db))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "cannot write the directory's lock file" in done.stderr
    assert "next step:" in done.stderr


def unwritable_directory(tmp_path: Path) -> Path:
    """A directory SQLite may read but not write: its -shm file cannot be opened."""
    db = tmp_path / "d.db"
    done = run_cli("import", PHONE, "--db", str(db), "--region", "CA")
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "d.db-shm").exists()      # the last writer removed it
    (tmp_path / "d.db-shm").mkdir()
    return db


@pytest.fixture
def read_only_mount(tmp_path: Path) -> Iterator[Path]:
    """A directory seen through a read-only bind mount of its folder (needs root
    and mount rights: skipped elsewhere)."""
    folder, mount = tmp_path / "rw", tmp_path / "ro"
    folder.mkdir()
    mount.mkdir()
    done = run_cli("import", PHONE, "--db", str(folder / "d.db"), "--region", "CA")
    assert done.returncode == 0, done.stderr
    binds = [["mount", "--bind", str(folder), str(mount)],
             ["mount", "-o", "remount,ro,bind", str(mount)]]
    for k, command in enumerate(binds):
        if shutil.which("mount") is None or subprocess.run(
                command, capture_output=True).returncode != 0:
            if k:
                subprocess.run(["umount", str(mount)], capture_output=True)
            pytest.skip("cannot make a read-only mount here")
    try:
        yield mount / "d.db"
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True)


def test_read_commands_read_a_directory_on_a_read_only_mount(read_only_mount: Path) -> None:
    db = read_only_mount
    for command in (["contacts"], ["runs"], ["stats"], ["export", "--format", "jsonl"]):
        done = run_cli(*command, "--db", str(db))
        assert done.returncode == 0, (command, done.stderr)
        assert done.stderr == ""
    listed = json.loads(run_cli("contacts", "--db", str(db), "--format", "json").stdout)
    rw = db.parent.parent / "rw" / "d.db"
    writable = json.loads(run_cli("contacts", "--db", str(rw), "--format", "json").stdout)
    assert listed == writable and listed


def test_writers_on_a_read_only_mount_say_so(read_only_mount: Path, tmp_path: Path) -> None:
    done = run_cli("import", PHONE, "--db", str(read_only_mount))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "cannot write the directory's lock file" in done.stderr
    assert "Read-only file system" in done.stderr


def test_a_writer_is_told_the_directory_is_read_only(tmp_path: Path) -> None:
    db = unwritable_directory(tmp_path)
    done = run_cli("import", PHONE, "--db", str(db))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "cannot write the directory" in done.stderr
    assert "read-only" in done.stderr


def test_a_directory_upgraded_by_a_newer_version_is_refused_to_writers(tmp_path: Path) -> None:
    """An old install (a cron line) must not rewrite a newer directory (S7)."""
    db = str(tmp_path / "d.db")
    assert run_cli("import", PHONE, "--db", db).returncode == 0
    with sqlite3.connect(db) as con:
        con.execute("INSERT INTO migrations VALUES ('999_from_the_future', '2030-01-01')")
    before = run_cli("runs", "--db", db, "--format", "json")
    done = run_cli("import", PHONE, "--db", db)
    assert done.returncode == 2
    assert "upgraded by a newer reseausync" in done.stderr
    assert "999_from_the_future" in done.stderr
    assert "Traceback" not in done.stderr
    assert run_cli("runs", "--db", db, "--format", "json").stdout == before.stdout
    assert "upgraded by a newer reseausync" in before.stderr   # readers read, and say so
    assert before.returncode == 0


def test_a_second_writer_let_in_by_a_deleted_lock_file_does_not_name_itself(
        tmp_path: Path) -> None:
    """QA S18: the lock file a second writer re-created names that writer."""
    from reseausync.lock import DirectoryLock

    db = str(tmp_path / "d.db")
    Store.open(db).close()
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")          # the first writer, whose lock file went
    try:
        with DirectoryLock(db, "import", 1):
            store = Store.open(db)
            store.db.execute("PRAGMA busy_timeout=50")
            try:
                with pytest.raises(LockError, match="lock file was deleted") as caught, \
                        store.transaction():
                    store.set_meta("x", "1")
            finally:
                store.close()
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert f"pid {os.getpid()}" not in caught.value.message
