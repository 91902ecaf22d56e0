"""index_dropped: the index is gone during the bulk write, back after it, and a
failed write leaves the stored definition as it was (the transaction rolls back)."""

from __future__ import annotations

import pytest

from reseausync.store import Store, index_dropped


def _indexes(store: Store) -> dict[str, str]:
    return {name: sql for name, sql in store.db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL")}


def test_index_is_rebuilt_from_its_definition(tmp_path) -> None:
    store = Store.open(tmp_path / "d.db")
    before = _indexes(store)
    with store.transaction() as db, index_dropped(db, "contact_records_contact"):
        assert "contact_records_contact" not in _indexes(store)
        db.execute("INSERT INTO contacts (id, data) VALUES ('c1', '{}')")
    assert _indexes(store) == before
    plan = " ".join(str(r[-1]) for r in store.db.execute(
        "EXPLAIN QUERY PLAN SELECT record_id FROM contact_records WHERE contact_id='c1'"))
    assert "contact_records_contact" in plan


def test_failed_write_restores_the_index(tmp_path) -> None:
    store = Store.open(tmp_path / "d.db")
    before = _indexes(store)
    with pytest.raises(RuntimeError), store.transaction(), \
            index_dropped(store.db, "contact_records_contact"):
        raise RuntimeError("the bulk write failed")
    assert _indexes(store) == before


def test_unknown_index_is_a_no_op(tmp_path) -> None:
    store = Store.open(tmp_path / "d.db")
    before = _indexes(store)
    with store.transaction() as db, index_dropped(db, "no_such_index"):
        pass
    assert _indexes(store) == before
