"""A reject quoting input that is not UTF-8 is stored like any other (QA round 2:
one byte 0xFF in a vCard parameter, `N;X\\xff=1:A;B`, ended the whole import with
a UnicodeEncodeError from SQLite, nothing imported and its run left "running")."""

from __future__ import annotations

from pathlib import Path

from reseausync import api
from reseausync.files import storable
from reseausync.models import Reject
from reseausync.store import RunWriter, Store

BAD_PARAMETER = (b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nN;X\xff=1:A;B\r\nEND:VCARD\r\n"
                 b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob\r\nEND:VCARD\r\n")


def test_a_bad_byte_in_a_vcard_parameter_is_a_reject_and_both_cards_import(
        tmp_path: Path) -> None:
    book = tmp_path / "bad-param-byte.vcf"
    book.write_bytes(BAD_PARAMETER)
    db = str(tmp_path / "d.db")
    [result] = api.import_paths([str(book)], db=db)
    assert result.status == "ok" and result.counts["added"] == 2
    [reject] = api.rejects(db, result.run)
    assert reject["location"] == f"{book}:4"
    assert reject["excerpt"] == "N;X\\xff=1:A;B"
    assert [r["status"] for r in api.runs(db)] == ["ok"]
    assert sorted(c["display_name"] for c in api.contacts(db)) == ["Ann", "Bob"]


def test_the_writer_stores_every_field_of_a_reject_with_lone_surrogates(
        tmp_path: Path) -> None:
    store = Store.open(str(tmp_path / "d.db"))
    try:
        with store.transaction():
            run = store.start_run("src", "x", "import", False)
        with store.transaction():
            writer = RunWriter(store, run, "src")
            writer.add_reject(Reject(source="src\udce9", locator="caf\udce9.vcf:3",
                                     reason="bad\ud800", message="line \udcff here",
                                     unit="caf\udce9.vcf", excerpt="X\udcff\ud800"))
            writer.add_reject(Reject(source="src", locator="ok.vcf:1", reason="bad",
                                     message="clean é text", excerpt="é"))
            writer.flush()
        rows = store.db.execute(
            "SELECT source, unit, location, reason, message, excerpt FROM rejects "
            "ORDER BY id").fetchall()
    finally:
        store.close()
    assert [tuple(r) for r in rows] == [
        ("src\\xe9", "caf\\xe9.vcf", "caf\\xe9.vcf:3", "bad\\ud800", "line \\xff here",
         "X\\udcff\\ud800"),
        ("src", "", "ok.vcf:1", "bad", "clean é text", "é")]


def test_clean_text_is_returned_as_it_is() -> None:
    for text in ("", "plain", "Zoë Müller 東京"):
        assert storable(text) is text
    assert storable("\udcc3\udca9") == "é"      # escaped bytes that are UTF-8 after all
