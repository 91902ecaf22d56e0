"""A vCard photo is stored once: `records.raw` keeps the card without the photo's
bytes, naming them by digest (QA8 big files #2: a 640 MB photo book made a
1.11 GB directory, every photo in `raw` and in `photos`)."""

from __future__ import annotations

import base64
import hashlib
import sqlite3
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reseausync import api
from reseausync.models import Photo
from reseausync_connectors.vcard.rawphoto import without_photo_bytes


def _jpeg(seed: int, size: int = 3000) -> bytes:
    body = b"".join(hashlib.sha256(f"{seed}-{i}".encode()).digest() for i in range(size // 32))
    return b"\xff\xd8\xff\xe0" + body


def _folded(data: bytes, indent: str = " ") -> str:
    text = base64.b64encode(data).decode()
    return f"\r\n{indent}".join(text[i:i + 72] for i in range(0, len(text), 72))


def _card(uid: str, name: str, photo_line: str) -> str:
    return (f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{name}\r\n"
            f"EMAIL:{uid}@example.com\r\n{photo_line}\r\nNOTE:after the photo\r\nEND:VCARD\r\n")


def _rows(db: str) -> list[tuple[str, str, str]]:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT external_id, raw, photo FROM records "
                           "ORDER BY external_id").fetchall()
    finally:
        con.close()


def test_raw_names_the_photo_by_digest_and_keeps_the_rest(tmp_path: Path) -> None:
    one, two = _jpeg(1), _jpeg(2)
    book = tmp_path / "book.vcf"
    book.write_bytes((
        _card("a", "Ann Roy", "PHOTO;ENCODING=b;TYPE=JPEG:" + _folded(one))
        + _card("b", "Bob Roy", "item1.PHOTO:data:image/jpeg;base64," + _folded(two))
        + _card("c", "Cy Roy", "PHOTO;VALUE=uri:https://example.com/c.jpg")).encode())
    db = str(tmp_path / "d.db")
    api.import_paths([str(book)], db=db, region="CA")
    rows = {ext: (raw, photo) for ext, raw, photo in _rows(db)}
    digest1, digest2 = hashlib.sha256(one).hexdigest(), hashlib.sha256(two).hexdigest()
    assert rows["a"] == ("BEGIN:VCARD\nVERSION:3.0\nUID:a\nFN:Ann Roy\nEMAIL:a@example.com\n"
                         f"PHOTO;ENCODING=b;TYPE=JPEG;X-RESEAUSYNC-DIGEST={digest1}:\n"
                         "NOTE:after the photo\nEND:VCARD\n", digest1)
    assert f"item1.PHOTO;X-RESEAUSYNC-DIGEST={digest2}:\nNOTE:after" in rows["b"][0]
    assert "PHOTO;VALUE=uri:https://example.com/c.jpg" in rows["c"][0]   # a URL stays
    assert all(len(raw) < 400 for raw, _ in rows.values())


def test_a_changed_photo_is_still_an_update(tmp_path: Path) -> None:
    book = tmp_path / "book.vcf"
    book.write_bytes(_card("a", "Ann Roy", "PHOTO;ENCODING=b;TYPE=JPEG:"
                           + _folded(_jpeg(1))).encode())
    db = str(tmp_path / "d.db")
    api.import_paths([str(book)], db=db, region="CA")
    book.write_bytes(_card("a", "Ann Roy", "PHOTO;ENCODING=b;TYPE=JPEG:"
                           + _folded(_jpeg(9))).encode())
    again = api.import_paths([str(book)], db=db, region="CA")[0]
    assert (again.counts["updated"], again.counts["unchanged"]) == (1, 0)
    [(_, raw, photo)] = _rows(db)
    assert photo == hashlib.sha256(_jpeg(9)).hexdigest() and f"DIGEST={photo}:" in raw


def test_two_cards_sharing_a_uid_keep_distinct_ids(tmp_path: Path) -> None:
    """The second card's id is a hash of its whole text, photo included, taken
    before the photo leaves `raw`: two cards differing only by photo stay two."""
    book = tmp_path / "book.vcf"
    book.write_bytes((_card("a", "Ann Roy", "PHOTO;ENCODING=b:" + _folded(_jpeg(1)))
                      + _card("a", "Ann Roy", "PHOTO;ENCODING=b:" + _folded(_jpeg(2))))
                     .encode())
    db = str(tmp_path / "d.db")
    api.import_paths([str(book)], db=db, region="CA")
    ids = [ext for ext, _, _ in _rows(db)]
    assert len(ids) == 2 and ids[0] == "a" and ids[1].startswith("a#sha256:")


def test_a_photo_not_kept_stays_in_raw() -> None:
    """Only the bytes the record kept leave raw: another photo's stay (raw is
    then their only copy)."""
    kept, other = _jpeg(1), _jpeg(2)
    raw = ("BEGIN:VCARD\nFN:A\nPHOTO;ENCODING=b:" + base64.b64encode(other).decode()
           + "\nEND:VCARD\n")
    assert without_photo_bytes(raw, Photo(kept)) == raw
    assert without_photo_bytes(raw, None) == raw


@settings(max_examples=60, deadline=None)
@given(data=st.binary(min_size=1, max_size=400), width=st.integers(8, 76),
       after=st.sampled_from(["NOTE:x", "ABCD", "X-FOO;A=B:c"]),
       indent=st.sampled_from([" ", "\t", ""]))
def test_only_the_photos_own_lines_leave_raw(data: bytes, width: int, after: str,
                                             indent: str) -> None:
    """Folded or (2.1) unindented, the photo's lines become the placeholder; a line
    after them is never taken with them, even one that looks like base64."""
    text = base64.b64encode(data).decode()
    lines = [text[i:i + width] for i in range(0, len(text), width)]
    body = lines[0] + "".join(f"\n{indent}{piece}" for piece in lines[1:])
    raw = f"BEGIN:VCARD\nFN:A\nPHOTO;ENCODING=b:{body}\n{after}\nEND:VCARD\n"
    out = without_photo_bytes(raw, Photo(data))
    if after == "ABCD":    # a base64-looking line after the photo: kept whole
        assert out == raw or out.endswith("ABCD\nEND:VCARD\n")
    else:
        digest = hashlib.sha256(data).hexdigest()
        assert out == (f"BEGIN:VCARD\nFN:A\nPHOTO;ENCODING=b;X-RESEAUSYNC-DIGEST={digest}:"
                       f"\n{after}\nEND:VCARD\n")
