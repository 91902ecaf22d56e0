"""Releases older than the "newer directory" check cannot write an upgraded
directory, and what one wrote before is repaired (QA6 #2)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from reseausync.store import Store

from ..cards import PHONE_CARD
from ..conftest import run_cli

CARD = PHONE_CARD
ANN = CARD.format("ann-0001", "Ann Proulx", "0101")
BOB = CARD.format("bob-0002", "Bob Lessard", "0202")
CLEO = CARD.format("cleo-0003", "Cleo Roy", "0303")

# the statements every release before the check wrote first (f5182e6, b3a330a:
# store/db.py start_run, merge/overrides.py store_override)
OLD_RUN = "INSERT INTO runs (source, connector, command, started) VALUES (?, ?, ?, ?)"
OLD_DECISION = ("INSERT INTO overrides (kind, a, b, a_ref, b_ref, created) "
                "VALUES (?, ?, ?, ?, ?, ?)")


def _ids(db: str) -> dict[str, str]:
    done = run_cli("contacts", "--db", db, "--format", "json")
    assert done.returncode == 0, done.stderr
    return {c["display_name"]: c["id"] for c in json.loads(done.stdout)}


def _imported(tmp_path: Path, *cards: str) -> tuple[str, Path]:
    book = tmp_path / "book.vcf"
    book.write_bytes("".join(cards).encode())
    db = str(tmp_path / "d.db")
    done = run_cli("import", str(book), "--db", db)
    assert done.returncode == 0, done.stderr
    return db, book


def test_an_old_release_cannot_start_a_run_or_store_a_decision(tmp_path: Path) -> None:
    db, _book = _imported(tmp_path, ANN, BOB)
    con = sqlite3.connect(db)
    runs = con.execute("SELECT COUNT(*) FROM runs").fetchone()[0]
    with pytest.raises(sqlite3.IntegrityError, match="upgraded by a newer reseausync"):
        con.execute(OLD_RUN, ("book", "vcard", "sync", "2026-11-23T00:00:00+00:00"))
    with pytest.raises(sqlite3.IntegrityError, match="upgrade this installation"):
        con.execute(OLD_DECISION, ("link", 1, 2, "x", "y", "2026-11-23T00:00:00+00:00"))
    con.commit()
    assert con.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == runs
    assert con.execute("SELECT COUNT(*) FROM overrides").fetchone()[0] == 0
    con.close()
    store = Store.open(db)                          # this release still writes
    with store.transaction():
        store.start_run("book", "vcard", "sync")
    store.close()
    ids = _ids(db)
    assert run_cli("link", ids["Ann Proulx"], ids["Bob Lessard"], "--db", db).returncode == 0


def _as_before_the_guard(db: str) -> None:
    """The directory as the release before migration 023 left it (what main wrote
    when an old release came by)."""
    con = sqlite3.connect(db)
    for table in ("runs", "overrides"):
        con.execute(f"DROP TRIGGER IF EXISTS {table}_older_writer")
        if "writer" in {row[1] for row in con.execute(f"PRAGMA table_info({table})")}:
            con.execute(f"ALTER TABLE {table} DROP COLUMN writer")
    con.execute("DELETE FROM migrations WHERE name = '023_older_writers_refused'")
    con.commit()
    con.close()


def test_a_link_an_old_release_stored_is_honoured(tmp_path: Path) -> None:
    db, book = _imported(tmp_path, ANN, BOB)
    ids = _ids(db)
    _as_before_the_guard(db)
    con = sqlite3.connect(db)                       # the old release's `link`
    ann, bob = (con.execute("SELECT id FROM records WHERE external_id=?", (uid,)).fetchone()[0]
                for uid in ("ann-0001", "bob-0002"))
    con.execute(OLD_DECISION, ("link", ann, bob, ids["Ann Proulx"], ids["Bob Lessard"],
                               "2026-11-23T00:00:00+00:00"))
    con.commit()
    con.close()
    book.write_bytes((ANN + BOB + CLEO).encode())   # the next sync changes something
    done = run_cli("import", str(book), "--db", db)
    assert done.returncode == 0, done.stderr
    after = _ids(db)
    assert len(after) == 2 and "Cleo Roy" in after  # Ann and Bob are one contact
    shown = run_cli("show", after.get("Ann Proulx", after.get("Bob Lessard", "")), "--db", db)
    assert "linked by you (`reseausync link`): one person" in shown.stdout


def test_show_words_a_link_that_binds_nothing_here(tmp_path: Path) -> None:
    db, book = _imported(tmp_path, ANN, BOB)
    ids = _ids(db)
    assert run_cli("link", ids["Ann Proulx"], ids["Bob Lessard"], "--db", db).returncode == 0
    (kept,) = _ids(db).values()
    shown = run_cli("show", kept, "--db", db)
    assert "linked by you (`reseausync link`): one person" in shown.stdout
    book.write_bytes(ANN.encode())                  # Bob's card leaves the book
    assert run_cli("import", str(book), "--db", db).returncode == 0
    (alone,) = _ids(db).values()
    shown = run_cli("show", alone, "--db", db)
    assert shown.returncode == 0, shown.stderr
    assert "linked by you" not in shown.stdout
    assert "joins no records of this contact" in shown.stdout
    detail = json.loads(run_cli("show", alone, "--db", db, "--format", "json").stdout)
    assert [o["binds"] for o in detail["merge"]["overrides"]] == [False]
