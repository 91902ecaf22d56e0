"""A decision whose side leaves its source with no successor is said, not silent.

`split A B` keeps two people apart while each side keeps a live record; once every
record one side named is gone (the card deleted, nobody re-keyed in its place),
the decision no longer acts. The run that empties the side counts it in its
summary, `review` lists it with the records it named and the command that
withdraws it, and `show` of the surviving side marks it (merge/overrides.py).
"""

from __future__ import annotations

import json
from pathlib import Path

from .cards import PHONE_CARD
from .conftest import run_cli

CARD = PHONE_CARD
ANN = CARD.format("a", "Ann Proulx", "0101")
BOB = CARD.format("b", "Bob Lessard", "0202")
CAROL = CARD.format("c", "Carol Fortin", "0303")
LAPSED = "1 of your link/split decisions no longer holds"


def _import(db: str, book: Path) -> str:
    done = run_cli("import", str(book), "--db", db)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _ann(db: str) -> str:
    listed = json.loads(run_cli("contacts", "--db", db, "--format", "json").stdout)
    return next(c["id"] for c in listed if c["display_name"] == "Ann Proulx")


def _split_ann_bob(tmp_path: Path) -> tuple[str, Path]:
    book = tmp_path / "book.vcf"
    book.write_bytes((ANN + BOB + CAROL).encode())
    db = str(tmp_path / "d.db")
    _import(db, book)
    assert run_cli("split", "vcard:a", "vcard:b", "--db", db).returncode == 0
    return db, book


def test_the_run_that_empties_a_side_says_so_and_review_lists_it(tmp_path: Path) -> None:
    db, book = _split_ann_bob(tmp_path)
    assert "Your decisions that no longer hold" not in run_cli("review", "--db", db).stdout
    book.write_bytes((ANN + CAROL).encode())          # Bob's card deleted
    out = _import(db, book)
    assert LAPSED in out and "reseausync review" in out
    review = run_cli("review", "--db", db)
    assert review.returncode == 0, review.stderr
    text = review.stdout
    assert "Your decisions that no longer hold" in text
    assert "split vcard:a vcard:b: vcard:b left" in text
    assert "    vcard:b  Bob Lessard  (removed " in text
    assert "    vcard:a  Ann Proulx  (live)" in text
    assert f"still held by {_ann(db)}" in text
    assert "withdraw it: reseausync split --undo vcard:a vcard:b" in text
    # the next run empties nothing more: it says nothing, review still lists it
    assert "no longer hold" not in _import(db, book)
    assert "split vcard:a vcard:b: vcard:b left" in run_cli("review", "--db", db).stdout


def test_show_of_the_surviving_side_marks_the_decision(tmp_path: Path) -> None:
    db, book = _split_ann_bob(tmp_path)
    ann = _ann(db)
    shown = json.loads(run_cli("show", ann, "--db", db, "--format", "json").stdout)
    assert shown["merge"]["overrides"] == [
        {"kind": "split", "a": "vcard:a", "b": "vcard:b", "holds": True, "left": []}]
    book.write_bytes((ANN + CAROL).encode())
    _import(db, book)
    shown = json.loads(run_cli("show", ann, "--db", db, "--format", "json").stdout)
    assert shown["merge"]["overrides"] == [
        {"kind": "split", "a": "vcard:a", "b": "vcard:b", "holds": False,
         "left": ["vcard:b"]}]
    table = run_cli("show", ann, "--db", db).stdout
    assert ("no longer holds: vcard:b left (`reseausync split --undo vcard:a vcard:b` "
            "withdraws it)") in table


def test_undo_and_a_record_coming_back_clear_it(tmp_path: Path) -> None:
    db, book = _split_ann_bob(tmp_path)
    book.write_bytes((ANN + CAROL).encode())
    _import(db, book)
    book.write_bytes((ANN + BOB + CAROL).encode())    # Bob comes back: bound again
    assert "no longer hold" not in _import(db, book)
    assert "no longer hold" not in run_cli("review", "--db", db).stdout
    book.write_bytes((ANN + CAROL).encode())
    assert LAPSED in _import(db, book)
    undone = run_cli("split", "--undo", "vcard:a", "vcard:b", "--db", db)
    assert undone.returncode == 0, undone.stderr
    assert "no longer hold" not in run_cli("review", "--db", db).stdout


def test_a_rekeyed_record_keeps_the_decision_holding(tmp_path: Path) -> None:
    """A successor (same card, new UID) joins the side: nothing stopped holding."""
    db, book = _split_ann_bob(tmp_path)
    book.write_bytes((ANN + BOB.replace("UID:b", "UID:b2") + CAROL).encode())
    out = _import(db, book)
    assert "1 updated" in out and "no longer hold" not in out
    assert "no longer hold" not in run_cli("review", "--db", db).stdout


def test_a_sync_counts_a_link_whose_side_left(tmp_path: Path) -> None:
    folder = tmp_path / "book"
    folder.mkdir()
    (folder / "ann.vcf").write_bytes(ANN.encode())
    (folder / "bob.vcf").write_bytes(BOB.encode())
    (folder / "carol.vcf").write_bytes(CAROL.encode())
    config = tmp_path / "reseausync.toml"
    db = str(tmp_path / "d.db")
    config.write_text(f'[directory]\npath = "{db}"\n\n[[sources]]\nname = "phone"\n'
                      f'connector = "vcard"\npath = "{folder}"\n')
    first = run_cli("sync", "--config", str(config))
    assert first.returncode == 0, first.stderr
    assert run_cli("link", "phone:a", "phone:b", "--db", db).returncode == 0
    (folder / "bob.vcf").unlink()
    done = run_cli("sync", "--config", str(config))
    assert done.returncode == 0, done.stderr
    assert LAPSED in done.stdout
    assert "link phone:a phone:b: phone:b left" in run_cli("review", "--db", db).stdout
