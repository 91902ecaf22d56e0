"""Migration 024: records' stored JSON without `locator`. The first releases kept
where in the file a card was inside its JSON (and its hash); after an upgrade from
them, editing one card marked every card of the file updated and changed now
(QA6 #4)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ..cards import PHONE_CARD
from ..conftest import run_cli
from .older_records import put_column_back_in_json

CARD = PHONE_CARD
CARDS = [("ann-0001", "Ann Proulx", "0101"), ("bob-0002", "Bob Lessard", "0202"),
         ("cleo-0003", "Cleo Roy", "0303")]


def _book(path: Path, cards: list[tuple[str, str, str]]) -> None:
    path.write_bytes("".join(CARD.format(*card) for card in cards).encode())


def _as_the_first_release_wrote_it(path: str) -> None:
    """Records' JSON with their locator, hashed over it, as the first releases wrote
    them (m015 had already taken their `unit` out)."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN")
    put_column_back_in_json(db, "locator")
    db.execute("DELETE FROM migrations WHERE name='024_content_without_locator'")
    db.execute("COMMIT")
    db.close()


def _rows(path: str, sql: str) -> list:
    with sqlite3.connect(path) as db:
        return db.execute(sql).fetchall()


def test_editing_one_card_after_the_upgrade_updates_one(tmp_path: Path) -> None:
    book, db = tmp_path / "book.vcf", str(tmp_path / "d.db")
    _book(book, CARDS)
    assert run_cli("import", str(book), "--db", db).returncode == 0
    current = _rows(db, "SELECT id, data, content_hash FROM records ORDER BY id")
    matched = _rows(db, "SELECT record_id, content_hash FROM match_records ORDER BY record_id")
    _as_the_first_release_wrote_it(db)
    assert all('"locator"' in row[0] for row in _rows(db, "SELECT data FROM records"))
    assert run_cli("contacts", "--db", db).returncode == 0          # the upgrade
    assert _rows(db, "SELECT id, data, content_hash FROM records ORDER BY id") == current
    assert _rows(db, "SELECT record_id, content_hash FROM match_records "
                     "ORDER BY record_id") == matched
    before = dict(_rows(db, "SELECT external_id, changed_run FROM records"))
    _book(book, [CARDS[0], ("bob-0002", "Bob Lessard", "0999"), CARDS[2]])
    done = run_cli("import", str(book), "--db", db)
    assert done.returncode == 0, done.stderr
    assert "0 added, 1 updated, 2 unchanged" in done.stdout
    changed = dict(_rows(db, "SELECT external_id, changed_run FROM records"))
    assert changed["ann-0001"] == before["ann-0001"]
    assert changed["cleo-0003"] == before["cleo-0003"]
    assert changed["bob-0002"] != before["bob-0002"]
