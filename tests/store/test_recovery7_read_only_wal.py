"""A directory on a read-only place with a -wal beside it (a snapshot taken while a
process held it) is read with that -wal (QA7 #5): `immutable`, the only way SQLite
reads it there, ignores the -wal and showed an older state without a word.

A read-only mount needs privileges a test does not have (and root writes any
folder): the two opens that fail there are made to fail as they do on one."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from reseausync import api
from reseausync.store import Store
from reseausync.store import db as storedb

from ..conftest import SAMPLES


def _with_wal(tmp_path: Path) -> str:
    """A directory whose second run lies only in its -wal."""
    work = tmp_path / "work"
    work.mkdir()
    db = str(work / "w.db")
    api.import_paths([str(SAMPLES / "phone.vcf")], db=db)
    holder = sqlite3.connect(db)            # the -wal outlives the import
    holder.execute("SELECT COUNT(*) FROM runs").fetchone()
    api.import_paths([str(SAMPLES / "cards")], db=db)
    snap = tmp_path / "snapshot"
    snap.mkdir()
    for suffix in ("", "-wal"):
        shutil.copyfile(db + suffix, snap / f"w.db{suffix}")
    holder.close()
    return str(snap / "w.db")


def read_only_place(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opens as on a read-only mount: no write, and no read-only open that needs to
    create the -shm; only `immutable` works."""
    def unwritable(path: str) -> sqlite3.Connection:
        error = sqlite3.OperationalError("attempt to write a readonly database")
        error.sqlite_errorcode = 8
        raise error

    real = sqlite3.connect

    def connect(target, *args, **kwargs):
        if kwargs.get("uri") and "mode=ro" in target and "immutable" not in target:
            error = sqlite3.OperationalError("unable to open database file")
            error.sqlite_errorcode = 14
            raise error
        return real(target, *args, **kwargs)

    monkeypatch.setattr(storedb, "_connect", unwritable)
    monkeypatch.setattr(storedb.sqlite3, "connect", connect)


def test_a_read_only_directory_is_read_with_its_wal(
        tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _with_wal(tmp_path)
    read_only_place(monkeypatch)
    before = Path(path).read_bytes(), Path(path + "-wal").read_bytes()
    store = Store.open(path)
    try:
        assert [r["id"] for r in store.db.execute("SELECT id FROM runs")] == [1, 2]
    finally:
        store.close()
    assert (Path(path).read_bytes(), Path(path + "-wal").read_bytes()) == before
    assert sorted(p.name for p in Path(path).parent.iterdir()) == ["w.db", "w.db-wal"]
