"""The directory file when it is not what it should be (QA7 #2, #3, #6): damaged (a
backup restored beside a newer -wal, a copy cut short), or another program's
SQLite file named by --db. One line naming the file, no traceback, nothing
written into it."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

from reseausync import api

from ..conftest import SAMPLES, run_cli

APPLICATION_ID = 0x52535943      # store.db.APPLICATION_ID ("RSYC")


def _stale_wal(tmp_path: Path) -> str:
    """A directory restored from a backup with the -wal of the newer file left beside
    it (the newer file's writer was killed while a reader held it), as QA7 #2 built
    it: SQLite replays that WAL into a damaged directory."""
    db = str(tmp_path / "w.db")
    api.import_paths([str(SAMPLES / "phone.vcf")], db=db)
    shutil.copy(db, tmp_path / "backup.db")
    holder = sqlite3.connect(db)                 # keeps the -wal when the imports end
    holder.execute("SELECT COUNT(*) FROM runs").fetchone()
    api.import_paths([str(SAMPLES / "google.csv"), str(SAMPLES / "outlook.csv")], db=db)
    holder.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    api.import_paths([str(SAMPLES / "cards")], db=db)
    api.import_paths([str(SAMPLES / "crm")], db=db)
    shutil.copy(db + "-wal", tmp_path / "saved-wal")
    holder.close()
    shutil.copy(tmp_path / "backup.db", db)               # the backup restored...
    shutil.copy(tmp_path / "saved-wal", db + "-wal")      # ...beside the newer -wal
    stamp = os.stat(db).st_mtime_ns - 10**9
    os.utime(db + "-wal", ns=(stamp, stamp))
    return db


def _damaged(done, db: str) -> None:
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    first = done.stderr.splitlines()[0]
    assert db in first and "the directory file is damaged" in first, done.stderr
    assert ".recover" in done.stderr


def test_a_backup_beside_a_newer_wal_is_damaged_and_nothing_is_written(tmp_path) -> None:
    db = _stale_wal(tmp_path)
    _damaged(run_cli("import", str(SAMPLES / "phone.vcf"), "--db", db), db)
    for command in (["contacts"], ["stats"], ["export", "--format", "jsonl"]):
        _damaged(run_cli(*command, "--db", db), db)
    runs = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        assert runs.execute("SELECT MAX(id) FROM runs").fetchone()[0] <= 4   # no run 5
    except sqlite3.DatabaseError:
        pass                       # what is left of the file: at least no run 5


def test_a_damaged_page_stops_a_read_command_with_one_line(tmp_path) -> None:
    """A damage the open does not meet (a page of a table only a query reads)."""
    db = str(tmp_path / "d.db")
    api.import_paths([str(SAMPLES / "phone.vcf")], db=db)
    con = sqlite3.connect(db)
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name='records'").fetchone()[0]
    size = con.execute("PRAGMA page_size").fetchone()[0]
    con.close()
    with open(db, "r+b") as handle:                # the records table's root page
        handle.seek((root - 1) * size)
        handle.write(b"\xff" * 64)
    done = run_cli("contacts", "--db", db)
    _damaged(done, db)


def test_a_directory_cut_short_is_damaged_not_another_file(tmp_path) -> None:
    db = str(tmp_path / "d.db")
    api.import_paths([str(SAMPLES / "phone.vcf")], db=db)
    data = Path(db).read_bytes()
    cut = tmp_path / "cut.db"
    cut.write_bytes(data[: len(data) * 2 // 3 // 4096 * 4096])
    _damaged(run_cli("contacts", "--db", str(cut)), str(cut))


def _foreign(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    con.execute("CREATE TABLE moz_bookmarks (id INTEGER PRIMARY KEY, fk INTEGER)")
    con.execute("INSERT INTO moz_places (url) VALUES ('https://example.com')")
    con.commit()
    con.close()


def test_another_programs_file_is_refused_and_left_untouched(tmp_path) -> None:
    other = tmp_path / "places.sqlite"
    _foreign(other)
    before = other.read_bytes()
    for command in (["runs"], ["contacts"], ["import", str(SAMPLES / "phone.vcf")],
                    ["sync", "--dry-run"]):
        config = tmp_path / "c.toml"
        config.write_text(f'[[sources]]\nname = "phone"\nconnector = "vcard"\n'
                          f'path = "{SAMPLES / "phone.vcf"}"\n')
        done = run_cli(*command, "--db", str(other), "--config", str(config))
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stderr
        first = done.stderr.splitlines()[0]
        assert "not a reseausync directory" in first and "moz_places" in first, first
        assert other.read_bytes() == before
        assert not Path(str(other) + "-wal").exists()
    con = sqlite3.connect(other)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_new_and_upgraded_directories_are_marked(tmp_path) -> None:
    db = str(tmp_path / "d.db")
    api.import_paths([str(SAMPLES / "phone.vcf")], db=db)
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    con.execute("PRAGMA application_id=0")            # as a release before the mark
    con.close()
    assert run_cli("contacts", "--db", db).returncode == 0       # still opens
    api.import_paths([str(SAMPLES / "phone.vcf")], db=db)         # a writer marks it
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    con.close()
