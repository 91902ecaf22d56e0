"""`link --undo` gives each side its own id back, whatever order its records came in
(QA6 #1: a card added after the other person's record lost its id to them, and the
absorbed contact's id was never revived)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from .cards import PHONE_CARD
from .conftest import run_cli

CARD = PHONE_CARD
ANN = CARD.format("ann-0001", "Ann Proulx", "0101")
BOB = CARD.format("bob-0002", "Bob Lessard", "0202")


def _ids(db: str) -> dict[str, str]:
    done = run_cli("contacts", "--db", db, "--format", "json")
    assert done.returncode == 0, done.stderr
    return {c["display_name"]: c["id"] for c in json.loads(done.stdout)}


@pytest.mark.parametrize("first,later", [(ANN, BOB), (BOB, ANN)], ids=["ann-first", "bob-first"])
def test_undo_gives_each_person_their_id_back(tmp_path: Path, first: str, later: str) -> None:
    book = tmp_path / "book.vcf"
    db = str(tmp_path / "d.db")
    book.write_bytes(first.encode())
    assert run_cli("import", str(book), "--db", db).returncode == 0
    book.write_bytes((first + later).encode())          # the second card comes later
    assert run_cli("import", str(book), "--db", db).returncode == 0
    before = _ids(db)
    assert len(before) == 2
    linked = run_cli("link", before["Ann Proulx"], before["Bob Lessard"], "--db", db)
    assert linked.returncode == 0, linked.stderr
    undone = run_cli("link", "--undo", before["Ann Proulx"], before["Bob Lessard"], "--db", db)
    assert undone.returncode == 0, undone.stderr
    assert _ids(db) == before
    with sqlite3.connect(db) as con:
        removed = con.execute("SELECT COUNT(*) FROM contacts WHERE removed_at IS NOT NULL"
                              ).fetchone()[0]
    assert removed == 0                                 # the absorbed id lives again


SECOND = ("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:0ann\r\nFN:Ann Proulx\r\nTEL:+15145550101\r\n"
          "EMAIL:ann@example.ca\r\nEND:VCARD\r\n"
          "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:0bob\r\nFN:Bob Lessard\r\nTEL:+15145550202\r\n"
          "END:VCARD\r\n")


@pytest.mark.parametrize("first,later", [(ANN, BOB), (BOB, ANN)], ids=["ann-first", "bob-first"])
def test_undo_when_neither_smallest_record_derives_the_id(tmp_path: Path, first: str,
                                                          later: str) -> None:
    """Each person also has a later record with a smaller key (UID 0ann, 0bob), so no
    group's smallest record derives the id it held: the records that do decide."""
    db = str(tmp_path / "d.db")
    (tmp_path / "b.vcf").write_bytes(first.encode())
    assert run_cli("import", str(tmp_path / "b.vcf"), "--db", db).returncode == 0
    (tmp_path / "b.vcf").write_bytes((first + later).encode())
    (tmp_path / "a.vcf").write_bytes(SECOND.encode())
    for name in ("b.vcf", "a.vcf"):
        assert run_cli("import", str(tmp_path / name), "--db", db).returncode == 0
    before = _ids(db)
    assert len(before) == 2
    assert run_cli("link", before["Ann Proulx"], before["Bob Lessard"], "--db", db
                   ).returncode == 0
    assert len(_ids(db)) == 1
    assert run_cli("link", "--undo", before["Bob Lessard"], before["Ann Proulx"], "--db", db
                   ).returncode == 0
    assert _ids(db) == before


@pytest.mark.parametrize("rekeyed", ["ann", "bob"])
def test_undo_after_a_side_was_rekeyed_gives_its_id_back(tmp_path: Path, rekeyed: str) -> None:
    """Between the link and its undo the phone re-keyed one side's card (a new UID,
    the same content: a successor, merge/succession.py). Its id was derived from the
    old record; the successor still derives it (review7 #2: it got a new id, and
    `show` of its old id said it was merged into the other person)."""
    book, db = tmp_path / "book.vcf", str(tmp_path / "d.db")
    book.write_bytes((ANN + BOB).encode())
    assert run_cli("import", str(book), "--db", db).returncode == 0
    before = _ids(db)
    a, b = before["Ann Proulx"], before["Bob Lessard"]
    assert run_cli("link", a, b, "--db", db).returncode == 0
    cards = {"ann": ANN, "bob": BOB}
    cards[rekeyed] = cards[rekeyed].replace(f"UID:{rekeyed}-000", f"UID:{rekeyed}-new-000")
    book.write_bytes((cards["ann"] + cards["bob"]).encode())
    assert run_cli("import", str(book), "--db", db).returncode == 0
    assert len(_ids(db)) == 1
    undone = run_cli("link", "--undo", a, b, "--db", db)
    assert undone.returncode == 0, undone.stderr
    assert _ids(db) == before
