"""A card whose e-mail goes back and forth between two addresses: migration 020's
trigger kept a value an edit took off with INSERT OR REPLACE, which the writer's
upsert turned into an abort, and the fourth import failed (found by the reads8
helper: a -> b -> a -> b). Migration 027 deletes the kept row before inserting."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from reseausync import api


def _card(email: str) -> bytes:
    return (f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:u1\r\nFN:Ann Lee\r\nEMAIL:{email}\r\n"
            "END:VCARD\r\n").encode()


def test_an_email_going_back_and_forth_keeps_importing(tmp_path: Path) -> None:
    book, db = tmp_path / "book.vcf", str(tmp_path / "d.db")
    runs = []
    for email in ("a@x.org", "b@x.org", "a@x.org", "b@x.org", "a@x.org"):
        book.write_bytes(_card(email))
        [result] = api.import_paths([str(book)], db=db)
        runs.append(result.run)
    with sqlite3.connect(db) as conn:
        kept = dict(conn.execute("SELECT value, until_run FROM record_former_values"))
    assert kept == {"a@x.org": runs[3], "b@x.org": runs[4]}
