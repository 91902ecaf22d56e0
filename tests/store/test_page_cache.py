"""A run widens SQLite's page cache once, whichever stage starts first: an import's
writer, or a resolve on a connection that wrote nothing (a link, a split, a
benchmark's child). A cache already larger is left alone."""

from __future__ import annotations

from reseausync.resolve import resolve_contacts
from reseausync.store import RunWriter, Store
from reseausync.store.db import CACHE_KIB


def _cache_kib(store: Store) -> int:
    size = store.db.execute("PRAGMA cache_size").fetchone()[0]
    return -size if size < 0 else size * store.db.execute("PRAGMA page_size").fetchone()[0] // 1024


def test_a_resolve_on_a_fresh_connection_widens_the_cache(tmp_path) -> None:
    store = Store.open(tmp_path / "d.db")
    assert _cache_kib(store) < CACHE_KIB
    with store.transaction():
        resolve_contacts(store, store.start_run("t", "t", "sync"))
    assert _cache_kib(store) == CACHE_KIB


def test_the_writer_widens_it_and_a_larger_cache_stays(tmp_path) -> None:
    store = Store.open(tmp_path / "d.db")
    with store.transaction():
        RunWriter(store, store.start_run("t", "t", "import"), "t")
    assert _cache_kib(store) == CACHE_KIB
    store.db.execute(f"PRAGMA cache_size=-{CACHE_KIB * 2}")
    store.widen_page_cache()
    assert _cache_kib(store) == CACHE_KIB * 2
