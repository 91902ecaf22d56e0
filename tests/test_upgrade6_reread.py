"""A directory from a release that stored fingerprints without the read settings'
digest reads each file again once when the connector reads more today (QA6 #3:
upgrading straight from the first release never re-read a vCard or CSV file)."""

from __future__ import annotations

import sqlite3

from reseausync import api
from reseausync_connectors.vcard import VCardConnector

from .test_read_version import _stored

CARD = ("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Jean Roy\r\nN:Roy;Jean;;;\r\n"
        "EMAIL:jean.roy@example.org\r\nANNIVERSARY:20090808\r\nEND:VCARD\r\n")


def _as_the_first_release(db: str) -> None:
    """Fingerprints as releases before the read settings' digest stored them."""
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE units SET fingerprint = substr(fingerprint, 1, "
                     "instr(fingerprint, ' read:') - 1) WHERE fingerprint LIKE '% read:%'")
        conn.execute("DELETE FROM meta WHERE key LIKE 'read_with:%'")
        (fingerprint,) = conn.execute("SELECT fingerprint FROM units").fetchone()
    assert " read:" not in fingerprint


def test_an_unsalted_fingerprint_counts_as_read_by_version_0(tmp_path, monkeypatch) -> None:
    book = tmp_path / "book.vcf"
    book.write_text(CARD, encoding="utf-8", newline="")
    db = str(tmp_path / "d.db")
    assert VCardConnector.read_version > 0
    monkeypatch.setattr(VCardConnector, "read_version", 0)     # the first release
    monkeypatch.setattr("reseausync_connectors.vcard.record.read_extra",
                        lambda *args: None)                  # which kept no extras
    api.import_paths([str(book)], db=db)
    monkeypatch.undo()
    _as_the_first_release(db)
    [again] = api.import_paths([str(book)], db=db)
    assert again.counts["updated"] == 1
    assert "anniversary" in _stored(db)
    [then] = api.import_paths([str(book)], db=db)
    assert then.counts["unchanged"] == 1 and then.counts["updated"] == 0


def test_a_connector_that_reads_as_before_reads_nothing_again(tmp_path, monkeypatch) -> None:
    """read_version 0 (mail, calendars, plugins): adopting reads nothing again."""
    book = tmp_path / "book.vcf"
    book.write_text(CARD, encoding="utf-8", newline="")
    db = str(tmp_path / "d.db")
    monkeypatch.setattr(VCardConnector, "read_version", 0)
    api.import_paths([str(book)], db=db)
    _as_the_first_release(db)
    [again] = api.import_paths([str(book)], db=db)
    assert again.counts["unchanged"] == 1 and again.counts["updated"] == 0
    with sqlite3.connect(db) as conn:
        (fingerprint,) = conn.execute("SELECT fingerprint FROM units").fetchone()
    assert " read:" in fingerprint
