"""A connector that learns to read more re-reads each file once (the vCard connector
keeping anniversaries and messaging accounts: a directory built before it would
only get them when each file changed)."""

from __future__ import annotations

import sqlite3

from reseausync import api
from reseausync_connectors.vcard import VCardConnector

CARD = ("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Jean Roy\r\nN:Roy;Jean;;;\r\n"
        "EMAIL:jean.roy@example.org\r\nANNIVERSARY:20090808\r\nEND:VCARD\r\n")


def _stored(db: str) -> str:
    with sqlite3.connect(db) as conn:
        (data,) = conn.execute("SELECT data FROM records").fetchone()
    return data


def test_a_newer_reader_reads_unchanged_files_again_once(tmp_path, monkeypatch) -> None:
    book = tmp_path / "book.vcf"
    book.write_text(CARD, encoding="utf-8", newline="")
    db = str(tmp_path / "d.db")
    version = VCardConnector.read_version
    assert version > 0
    monkeypatch.setattr(VCardConnector, "read_version", 0)     # the previous release
    monkeypatch.setattr("reseausync_connectors.vcard.record.read_extra",
                        lambda *args: None)                  # which kept no extras
    api.import_paths([str(book)], db=db)
    monkeypatch.undo()
    [again] = api.import_paths([str(book)], db=db)
    assert again.counts["updated"] == 1
    assert "anniversary" in _stored(db)
    [then] = api.import_paths([str(book)], db=db)
    assert then.counts["unchanged"] == 1 and then.counts["updated"] == 0
