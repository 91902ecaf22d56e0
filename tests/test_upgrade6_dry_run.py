"""Trying a new version does not upgrade the directory behind the user's back
(QA6 #5): a dry run on a directory that needs an upgrade works on an upgraded copy
and leaves the file as it was; any other command that upgrades it says so once."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from .cards import PHONE_CARD
from .conftest import run_cli

CARD = PHONE_CARD


def _older(tmp_path: Path) -> tuple[Path, Path]:
    """A directory built with one card, then made to look like the release before
    the last migration wrote it (its latest migration not applied yet)."""
    book = tmp_path / "phone.vcf"
    book.write_bytes(CARD.format("ann", "Ann Proulx", "0101").encode())
    config = tmp_path / "reseausync.toml"
    config.write_text('[directory]\npath = "d.db"\n[[sources]]\nname = "phone"\n'
                      'connector = "vcard"\npath = "phone.vcf"\n', encoding="utf-8")
    done = run_cli("sync", "--config", str(config))
    assert done.returncode == 0, done.stderr
    db = tmp_path / "d.db"
    with sqlite3.connect(db) as con:
        (last,) = con.execute("SELECT name FROM migrations ORDER BY name DESC LIMIT 1"
                              ).fetchone()
        con.execute("DELETE FROM migrations WHERE name=?", (last,))
    con.close()
    book.write_bytes((CARD.format("ann", "Ann Proulx", "0101")
                      + CARD.format("bob", "Bob Lessard", "0202")).encode())
    return config, db


def _digest(path: Path) -> str:
    """The directory's content (a checkpoint of its WAL may rewrite the file's bytes)."""
    with sqlite3.connect(path) as con:
        text = "\n".join(con.iterdump())
    con.close()
    return hashlib.sha256(text.encode()).hexdigest()


def _migrations(db: Path) -> int:
    with sqlite3.connect(db) as con:
        (count,) = con.execute("SELECT COUNT(*) FROM migrations").fetchone()
    con.close()
    return count


def test_a_dry_run_leaves_an_older_directory_as_it_was(tmp_path: Path) -> None:
    config, db = _older(tmp_path)
    before, applied = _digest(db), _migrations(db)
    done = run_cli("sync", "--dry-run", "--config", str(config))
    assert done.returncode == 0, done.stderr
    assert "phone: 1 added" in done.stdout                    # it did read and count
    assert _digest(db) == before and _migrations(db) == applied
    assert "used an upgraded copy and left it as it was" in done.stderr
    real = run_cli("sync", "--config", str(config))          # the real run upgrades
    assert real.returncode == 0, real.stderr
    assert "phone: 1 added" in real.stdout
    assert _migrations(db) == applied + 1


def test_a_read_command_says_once_that_it_upgraded(tmp_path: Path) -> None:
    _config, db = _older(tmp_path)
    first = run_cli("contacts", "--db", str(db))
    assert first.returncode == 0, first.stderr
    assert "was upgraded to the format of this reseausync" in first.stderr
    assert "older releases can no longer write it" in first.stderr
    again = run_cli("contacts", "--db", str(db))
    assert "upgraded" not in again.stderr


def test_check_leaves_an_older_directory_as_it_was(tmp_path: Path) -> None:
    """`check` reads the directory for its layer-rule lines: on an older directory
    it reads an upgraded copy, and the installed release can still write the file
    (review7 #1: `check` upgraded it for good)."""
    config, db = _older(tmp_path)
    with config.open("a", encoding="utf-8") as out:
        out.write('[[engagement.layers]]\nname = "yoga"\nlayer = "personal"\n'
                  'categories = ["Yoga"]\n')
    before, applied = _digest(db), _migrations(db)
    done = run_cli("check", "--config", str(config))
    assert done.returncode == 0, done.stderr
    assert "layer rule 'yoga' matches no contact" in done.stdout + done.stderr
    assert _digest(db) == before and _migrations(db) == applied
