"""`export --format vcf` carries each contact's photo (QA8 big files #1).

The directory keeps photos by digest; an export used to write no PHOTO, so a
phone book cleaned here and imported back lost every photo. Here a real book of
photo cards goes in, is exported in 4.0 and 3.0, and the export imported into a
fresh directory gives the same photo bytes back, contact by contact.
"""

from __future__ import annotations

import base64
import hashlib
import io
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reseausync import api, directory
from reseausync.export.vcard import fold


def _jpeg(seed: int, size: int = 6000) -> bytes:
    """JPEG-shaped bytes (the magic the importer reads the media type from)."""
    body = b"".join(hashlib.sha256(f"{seed}-{i}".encode()).digest() for i in range(size // 32))
    return b"\xff\xd8\xff\xe0" + body


def _book(path: Path, count: int) -> dict[str, bytes]:
    """An iPhone-style 3.0 book, a folded PHOTO per card; name -> photo bytes."""
    photos, cards = {}, []
    for n in range(count):
        data = _jpeg(n)
        name = f"Person{n} Test"
        photos[name] = data
        encoded = base64.b64encode(data).decode()
        folded = "\r\n ".join(encoded[i:i + 72] for i in range(0, len(encoded), 72))
        cards.append(f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:u{n}\r\nFN:{name}\r\n"
                     f"N:Test;Person{n};;;\r\nEMAIL:p{n}@example.com\r\n"
                     f"PHOTO;ENCODING=b;TYPE=JPEG:{folded}\r\nEND:VCARD\r\n")
    path.write_bytes("".join(cards).encode())
    return photos


def _photos_by_name(db: str) -> dict[str, bytes]:
    con = sqlite3.connect(db)
    try:
        found = dict(con.execute("SELECT digest, data FROM photos").fetchall())
    finally:
        con.close()
    return {c["display_name"]: found[c["photo"]] for c in api.contacts(db) if c["photo"]}


@pytest.mark.parametrize("version,marker", [
    ("4.0", "PHOTO:data:image/jpeg;base64,"), ("3.0", "PHOTO;ENCODING=b;TYPE=JPEG:")])
def test_export_round_trip_keeps_every_photo(tmp_path: Path, version: str,
                                             marker: str) -> None:
    book = tmp_path / "iphone.vcf"
    photos = _book(book, 5)
    first = str(tmp_path / "first.db")
    api.import_paths([str(book)], db=first, region="CA")
    out = io.StringIO()
    assert directory.export(first, out, "vcf", date.today(), vcard_version=version) == 5
    text = out.getvalue()
    assert text.count(marker) == 5
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    exported = tmp_path / "export.vcf"
    exported.write_bytes(text.encode())
    second = str(tmp_path / "second.db")
    api.import_paths([str(exported)], db=second, region="CA")
    assert _photos_by_name(first) == _photos_by_name(second) == photos


def test_a_contact_without_photo_gets_no_photo_line(tmp_path: Path) -> None:
    book = tmp_path / "plain.vcf"
    book.write_bytes(b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:a\r\nFN:Ann Roy\r\n"
                     b"EMAIL:ann@example.com\r\nEND:VCARD\r\n")
    db = str(tmp_path / "d.db")
    api.import_paths([str(book)], db=db, region="CA")
    out = io.StringIO()
    directory.export(db, out, "vcf", date.today())
    assert "PHOTO" not in out.getvalue() and "FN:Ann Roy" in out.getvalue()


@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=400))
def test_ascii_fold_by_slices_matches_folding_by_character(line: str) -> None:
    """The fast path for ASCII lines (a photo's base64) folds as the per-character
    loop does: pieces of at most 75 octets that unfold to the line."""
    folded = fold(line)
    assert folded.replace("\r\n ", "") == line
    assert all(len(piece) <= 75 for piece in folded.split("\r\n"))
    assert folded == fold(line + "é")[:len(folded)] or len(line) <= 75
