"""QA5 #3: a zip's members are read without parsing the archive again for each one
(2,500 tiny cards took 129 s, 5,000 over 300 s), and a zip replaced between two
reads is read anew."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from reseausync import api
from reseausync.files import read_bytes, suffix_filter, walk


def make_zip(path: Path, count: int, word: str = "Card") -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for i in range(count):
            archive.writestr(f"Contacts/{i}.vcf",
                             f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{word} {i}\r\n"
                             f"EMAIL:p{i}@example.org\r\nEND:VCARD\r\n")
    return path


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each time an archive's central directory is parsed (what made N members O(N²))."""
    seen: list[str] = []
    real = zipfile.ZipFile._RealGetContents

    def counted(self: zipfile.ZipFile) -> None:
        seen.append(str(self.filename))
        real(self)

    monkeypatch.setattr(zipfile.ZipFile, "_RealGetContents", counted)
    return seen


def test_members_are_read_with_one_parse_of_the_archive(tmp_path: Path,
                                                        parses: list[str]) -> None:
    units = list(walk(make_zip(tmp_path / "many.zip", 60), suffix_filter(".vcf")))
    texts = [read_bytes(u) for u in units]
    assert len(units) == 60 and all(b"FN:Card" in t for t in texts)
    assert len(parses) <= 2          # the listing, then the reads (was 61)


def test_a_replaced_zip_is_read_anew(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "book.zip", 3)
    first = list(walk(path, suffix_filter(".vcf")))
    assert b"FN:Card 0" in read_bytes(first[0])
    make_zip(tmp_path / "new.zip", 3, word="Other")
    os.replace(tmp_path / "new.zip", path)
    again = list(walk(path, suffix_filter(".vcf")))
    assert b"FN:Other 0" in read_bytes(again[0])
    assert b"FN:Other 2" in read_bytes(again[2])


def test_two_members_open_at_once_read_whole(tmp_path: Path) -> None:
    """The shared archive gives each member its own stream."""
    from reseausync.files import open_binary
    units = list(walk(make_zip(tmp_path / "two.zip", 2), suffix_filter(".vcf")))
    with open_binary(units[0]) as one, open_binary(units[1]) as two:
        assert one.read(5) == two.read(5) == b"BEGIN"
        assert b"FN:Card 1" in two.read() and b"FN:Card 0" in one.read()


def test_a_zip_of_many_cards_imports_them_all(tmp_path: Path) -> None:
    db = str(tmp_path / "d.db")
    results = api.import_paths([str(make_zip(tmp_path / "book.zip", 300))], db=db)
    assert results[-1].counts["added"] == 300
