"""vCard files damaged in ways the fuzzer found (QA round 2): each damage is a
reject naming file:line, the rest of the file imports, and memory stays bounded."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from reseausync import api
from reseausync.connector import ReadContext
from reseausync.models import Reject, SourceRecord
from reseausync.store import Store
from reseausync_connectors.vcard import VCardConnector
from reseausync_connectors.vcard import card as card_module


def _read(path: Path) -> list:
    conn = VCardConnector({}, ReadContext(source="phone"))
    return list(conn.read(list(conn.discover(str(path)))))


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


NUL_CHARSET = (b"BEGIN:VCARD\r\nVERSION:2.1\r\n"
               b"N;CHARSET=U\x00TF-8;ENCODING=QUOTED-PRINTABLE:Tremblay;Jean\r\n"
               b"END:VCARD\r\n"
               b"BEGIN:VCARD\r\nVERSION:2.1\r\nN:Roy;Paul\r\nEND:VCARD\r\n")


def test_a_nul_byte_in_a_charset_is_a_reject_at_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "nul.vcf", NUL_CHARSET)
    items = _read(path)
    records = [i for i in items if isinstance(i, SourceRecord)]
    rejects = [i for i in items if isinstance(i, Reject)]
    assert [r.family_name for r in records] == ["Roy"]
    assert [r.locator for r in rejects] == [f"{path}:3"]
    assert "charset" in rejects[0].message.lower()


def test_a_nul_byte_in_a_charset_leaves_the_rest_of_the_card(tmp_path: Path) -> None:
    data = NUL_CHARSET.replace(b"VERSION:2.1\r\nN;", b"VERSION:2.1\r\nFN:Jean\r\nN;", 1)
    path = _write(tmp_path, "nul.vcf", data)
    items = _read(path)
    assert [i.display_name for i in items if isinstance(i, SourceRecord)] == [
        "Jean", "Paul Roy"]
    assert [i.locator for i in items if isinstance(i, Reject)] == [f"{path}:4"]


def test_a_nul_byte_in_a_charset_does_not_stop_the_import(tmp_path: Path) -> None:
    path = _write(tmp_path, "nul.vcf", NUL_CHARSET)
    db = str(tmp_path / "t.db")
    (run,) = api.import_paths([str(path)], db=db)
    store = Store.open(db)
    status = store.db.execute("SELECT status FROM runs").fetchone()[0]
    assert status == "ok"
    assert store.db.execute("SELECT COUNT(*) FROM rejects").fetchone()[0] == 1


def test_an_empty_file_is_one_reject(tmp_path: Path) -> None:
    for name, data in (("empty.vcf", b""), ("blank.vcf", b"\r\n  \r\n"),
                       ("bom.vcf", b"\xef\xbb\xbf")):
        path = _write(tmp_path, name, data)
        items = _read(path)
        assert len(items) == 1 and isinstance(items[0], Reject), items
        assert items[0].reason == "empty-file" and items[0].locator == str(path)
        assert "empty" in items[0].message


def test_a_huge_garbage_line_in_a_card_costs_memory_in_proportion(tmp_path: Path) -> None:
    """A 4 MB line without a colon inside a card used to go to vobject, which
    needs about 150x the card's size (a 10 MB line: 1.5 GB). Now it is left out
    with a short reject at its line, the card and the next one imported."""
    junk = b"- " * (2 << 20)
    path = _write(tmp_path, "junk.vcf",
                  b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\n" + junk +
                  b"\r\nEMAIL:ann@lee.ca\r\nEND:VCARD\r\n"
                  b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob Roy\r\nEND:VCARD\r\n")
    tracemalloc.start()
    try:
        items = _read(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 25 * len(junk), f"{peak / 2**20:.0f} MiB for a {len(junk) >> 20} MiB line"
    assert [type(i).__name__ for i in items] == ["SourceRecord", "Reject", "SourceRecord"]
    ann, reject, _ = items
    assert [e.value for e in ann.emails] == ["ann@lee.ca"]
    assert reject.locator == f"{path}:4" and reject.reason == "bad-line"
    assert len(reject.message) < 300 and len(reject.excerpt) <= 200


def test_a_small_card_with_a_bad_line_still_gets_vobjects_repair(tmp_path: Path) -> None:
    """The cap on vobject is for huge cards only: a normal card whose line the fast
    parser cannot read still goes to vobject before the line is dropped."""
    calls: list[int] = []
    real = card_module.vobject_props

    def spy(logical):
        calls.append(len(logical))
        return real(logical)

    path = _write(tmp_path, "bad.vcf", b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\n"
                  b"no colon here\r\nEND:VCARD\r\n")
    try:
        card_module.vobject_props = spy
        items = _read(path)
    finally:
        card_module.vobject_props = real
    assert calls and [type(i).__name__ for i in items] == ["SourceRecord", "Reject"]
