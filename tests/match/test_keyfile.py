"""A full build's keys written by a helper into a side file and copied in are the
rows this process would write itself; the side file is removed at once and
detached by the next resolve; a helper that fails leaves the writing here."""

from __future__ import annotations

import os

import pytest

from reseausync import forking
from reseausync.config import Settings
from reseausync.match import keyfile
from reseausync.store import Store

from ..merge.directory import person, write
from .test_full_build import crowd

REGION = Settings(region="CA")
KEYS = "SELECT key, record_id FROM match_keys ORDER BY key, record_id"


def _attached(store: Store) -> list[str]:
    return [row[1] for row in store.db.execute("PRAGMA database_list")]


def _build(folder, monkeypatch, processes: str) -> Store:
    monkeypatch.setattr(forking, "MIN_RECORDS", 0)
    monkeypatch.setenv(forking.ENV, processes)
    store = Store.open(folder / "d.db")
    assert write(store, crowd(), settings=REGION)["mode"] == 2
    return store


@pytest.mark.parametrize("helper_fails", [False, True])
def test_keys_from_the_side_file_equal_keys_written_here(tmp_path, monkeypatch,
                                                         helper_fails: bool) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    here = [tuple(r) for r in _build(tmp_path / "one", monkeypatch, "1").db.execute(KEYS)]
    if helper_fails:
        parent, original = os.getpid(), keyfile._write

        def failing(*args):
            if os.getpid() != parent:
                raise RuntimeError("helper failure")
            return original(*args)
        monkeypatch.setattr(keyfile, "_write", failing)
    store = _build(tmp_path / "two", monkeypatch, "2")
    assert [tuple(r) for r in store.db.execute(KEYS)] == here and len(here) > 100
    leftovers = [n for n in os.listdir(tmp_path / "two") if n.startswith(".reseausync-keys-")]
    assert leftovers == []                     # unlinked as soon as it was copied
    assert (keyfile.SIDE in _attached(store)) == (not helper_fails)
    # the next resolve detaches it, and the directory goes on as before
    counts = write(store, [person("phone", "late", "Zoé Tardive", phones=("514 555 0142",))],
                   settings=REGION)
    assert counts["mode"] == 1 and keyfile.SIDE not in _attached(store)


def test_one_process_writes_here_without_a_side_file(tmp_path, monkeypatch) -> None:
    store = _build(tmp_path, monkeypatch, "1")
    assert keyfile.SIDE not in _attached(store)
    assert store.db.execute("SELECT COUNT(*) FROM match_keys").fetchone()[0] > 100


def test_no_side_file_where_the_folder_refuses_one(tmp_path, monkeypatch) -> None:
    def refused(*args, **kwargs):
        raise PermissionError("read-only folder")
    monkeypatch.setattr(keyfile.tempfile, "mkstemp", refused)
    store = _build(tmp_path, monkeypatch, "2")
    assert keyfile.SIDE not in _attached(store)
    assert store.db.execute("SELECT COUNT(*) FROM match_keys").fetchone()[0] > 100
