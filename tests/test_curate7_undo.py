"""`link --undo` gives each side the id it had before the link, whichever side gained
records in between (QA7 #1: after `link A B`, a later import added a record to B's
person; on undo B took A's id and A got a brand-new one; the same after a chained
`link B C`)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from .cards import PHONE_CARD
from .conftest import run_cli

ANN = PHONE_CARD.format("ann-0001", "Ann Proulx", "0101")
BOB = PHONE_CARD.format("bob-0002", "Bob Lessard", "0202")
CAT = PHONE_CARD.format("cat-0003", "Cat Vachon", "0303")
MORE = {   # a second card of the same person: same name and phone, merged by the matcher
    "Ann Proulx": PHONE_CARD.format("zann-0009", "Ann Proulx", "0101"),
    "Bob Lessard": PHONE_CARD.format("zbob-0009", "Bob Lessard", "0202"),
}


def _ids(db: str) -> dict[str, str]:
    done = run_cli("contacts", "--db", db, "--format", "json")
    assert done.returncode == 0, done.stderr
    return {c["display_name"]: c["id"] for c in json.loads(done.stdout)}


def _ok(*args: str) -> str:
    done = run_cli(*args)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("gains", ["absorbed", "kept"])
def test_undo_after_one_side_gained_a_record(tmp_path: Path, gains: str) -> None:
    book, db = tmp_path / "book.vcf", str(tmp_path / "d.db")
    book.write_bytes((ANN + BOB).encode())
    _ok("import", str(book), "--db", db)
    before = _ids(db)
    _ok("link", before["Ann Proulx"], before["Bob Lessard"], "--db", db)
    (survivor,) = _ids(db).values()
    kept = next(name for name, cid in before.items() if cid == survivor)
    absorbed = next(name for name in before if name != kept)
    grower = absorbed if gains == "absorbed" else kept
    book.write_bytes((ANN + BOB + MORE[grower]).encode())
    _ok("import", str(book), "--db", db)
    assert len(_ids(db)) == 1
    _ok("link", "--undo", before["Ann Proulx"], before["Bob Lessard"], "--db", db)
    assert _ids(db) == before
    with sqlite3.connect(db) as con:
        gone = con.execute("SELECT COUNT(*) FROM contacts WHERE removed_at IS NOT NULL"
                           ).fetchone()[0]
    assert gone == 0


def test_undo_of_the_first_of_two_chained_links(tmp_path: Path) -> None:
    """`link A B`, `link B C`, `link --undo A B`: A keeps its id, B+C get one of theirs,
    and `show` of the other one of theirs names the contact B+C are in now."""
    book, db = tmp_path / "book.vcf", str(tmp_path / "d.db")
    book.write_bytes((ANN + BOB + CAT).encode())
    _ok("import", str(book), "--db", db)
    before = _ids(db)
    a, b, c = before["Ann Proulx"], before["Bob Lessard"], before["Cat Vachon"]
    _ok("link", a, b, "--db", db)
    _ok("link", b, c, "--db", db)
    _ok("link", "--undo", a, b, "--db", db)
    after = _ids(db)
    assert after["Ann Proulx"] == a
    (bc,) = {cid for name, cid in after.items() if name != "Ann Proulx"}
    assert bc in {b, c}
    other = ({b, c} - {bc}).pop()
    shown = run_cli("show", other, "--db", db)
    assert shown.returncode == 2
    assert f"was merged into {bc}" in shown.stderr
    assert a not in shown.stderr
