"""Undeclared encodings read as a stream: UTF-8 until a byte says otherwise, then
cp1252 or Mac Roman as the bytes point to (qa3_csv F1, F4)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reseausync.charsets import Sniffed, single_byte_encoding
from reseausync.connector import ReadContext
from reseausync.files import decode, open_text, suffix_filter, walk
from reseausync.models import Reject, SourceRecord
from reseausync_connectors.csvfile import CsvConnector

HEADER = ["First Name", "Last Name", "E-mail Address", "Mobile Phone", "Job Title", "Company"]
FRENCH = "François Bélanger, Directeur général chez Côté & Associés; Hélène à Québec, "
WORDS = ["Bélanger", "Côté", "Hélène", "général", "Québec", "Müller", "Straße", "Björk",
         "Peñalolén", "Raúl", "naïve", "façade", "Noël", "São", "João", "Øster"]


def _csv(rows: list[list[str]], delimiter: str = ",", ending: str = "\r\n") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=ending)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue()


def _ascii_rows(count: int) -> list[list[str]]:
    return [[f"Adam{i}", "Smith", f"adam{i}@example.com", f"514-555-{i:04d}", "Analyst",
             "Acme"] for i in range(count)]


FRANCOIS = ["François", "Bélanger", "francois@bell.ca", "514-555-3333", "Directeur général",
            "Bell"]


def _read(path: Path) -> list:
    conn = CsvConnector({}, ReadContext(source="test"))
    return list(conn.read(list(conn.discover(str(path)))))


@pytest.mark.parametrize("ascii_rows", [80, 2000])   # the first accent after 4 KiB, 64 KiB
def test_cp1252_accent_after_the_head_is_read_as_cp1252(tmp_path: Path, ascii_rows: int) -> None:
    """An Outlook export sorted by name: thousands of ASCII rows, then "François"."""
    path = tmp_path / "late_accent.csv"
    data = _csv([*_ascii_rows(ascii_rows), FRANCOIS]).encode("cp1252")
    assert data.index("ç".encode("cp1252")) > (4096 if ascii_rows == 80 else 65536)
    path.write_bytes(data)
    items = _read(path)
    assert not [i for i in items if isinstance(i, Reject)]
    last = [i for i in items if isinstance(i, SourceRecord)][-1]
    assert (last.display_name, last.title) == ("François Bélanger", "Directeur général")


def test_mac_roman_export_is_recognised(tmp_path: Path) -> None:
    """Excel for Mac "CSV (Macintosh)": Mac Roman, `;`, CR line ends."""
    path = tmp_path / "macroman.csv"
    row = ["Hélène", "Côté", "helene@cote.ca", "819 555 4444", "Avocate", "Côté & Associés"]
    path.write_bytes(_csv([row], ";", "\r").encode("mac_roman"))
    (record,) = _read(path)
    assert (record.display_name, record.organization) == ("Hélène Côté", "Côté & Associés")


def _stream_text(path: Path) -> str:
    stream, _ = open_text(next(walk(path, suffix_filter(".csv"))))
    with stream:
        return stream.read()


def test_utf8_file_with_one_stray_byte_keeps_its_later_accents(tmp_path: Path) -> None:
    """A damaged byte after a long ASCII stretch must not turn the UTF-8 rest to
    mojibake: the chunks after it are valid UTF-8 and read as such."""
    ascii_part = "x" * 70_000 + "\n"
    rest = FRENCH * 2000
    path = tmp_path / "stray.csv"
    path.write_bytes(ascii_part.encode() + b"bad\xff byte\n" + rest.encode("utf-8"))
    text = _stream_text(path)
    assert text.endswith(rest)
    assert text.startswith(ascii_part + "bad")


def test_utf8_export_and_cp1252_export_pasted_together(tmp_path: Path) -> None:
    first = FRENCH * 500
    second = "Zoë Brontë, Noël à l'école; " * 4000
    path = tmp_path / "mixed.csv"
    path.write_bytes(first.encode("utf-8") + second.encode("cp1252"))
    assert _stream_text(path) == first + second
    assert decode(path.read_bytes()) == (first + second, "cp1252")


def test_a_bom_file_with_cp1252_pasted_on_reads_both(tmp_path: Path) -> None:
    """A UTF-8 export (with its BOM) and cp1252 rows pasted after it: the stream read
    by the CSV connectors reads like `decode` (review: it kept U+FFFD there)."""
    first = FRENCH * 500
    second = "Hélène Côté, Zoë Brontë; " * 4000
    path = tmp_path / "bom_mixed.csv"
    path.write_bytes(b"\xef\xbb\xbf" + first.encode("utf-8") + second.encode("cp1252"))
    assert _stream_text(path) == first + second == decode(path.read_bytes())[0]


@pytest.mark.parametrize("encoding", ["cp1252", "mac_roman"])
@pytest.mark.parametrize("text", [
    "François,Bélanger,Directeur général", "Hélène,Côté,Côté & Associés",
    "Jürgen,Müller,Straße 5,München", "José,Muñoz,Peñalolén", "HÉLÈNE CÔTÉ",
    "l’équipe", "Élise,Gagnon", "Björk", "Søren; Åsa Ærø", "“Le projet” – l’été…"])
def test_single_byte_encoding_by_evidence(text: str, encoding: str) -> None:
    assert single_byte_encoding(text.encode(encoding)) == encoding


def test_cp1252_wins_a_tie() -> None:
    """No word around the byte says which: Windows exports are the commoner."""
    assert single_byte_encoding("€ 100".encode("cp1252")) == "cp1252"
    assert single_byte_encoding("€ 100".encode("mac_roman")) == "cp1252"


def _feed(data: bytes, cuts: list[int]) -> str:
    decoder = Sniffed()
    points = sorted({0, len(data), *(c % (len(data) + 1) for c in cuts)})
    parts = [decoder.decode(data[a:b]) for a, b in zip(points, points[1:], strict=False)]
    return "".join(parts) + decoder.decode(b"", final=True)


@settings(max_examples=120, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",))),
       st.lists(st.integers(min_value=0, max_value=10_000), max_size=6))
def test_utf8_decodes_the_same_however_it_is_cut(text: str, cuts: list[int]) -> None:
    assert _feed(text.encode("utf-8"), cuts) == text


@settings(max_examples=120, deadline=None)
@given(st.integers(min_value=0, max_value=100_000),
       st.lists(st.sampled_from(WORDS), min_size=3, max_size=40),
       st.sampled_from(["cp1252", "mac_roman"]),
       st.lists(st.integers(min_value=0, max_value=200_000), max_size=6))
def test_single_byte_text_after_any_ascii_stretch(prefix: int, words: list[str],
                                                  encoding: str, cuts: list[int]) -> None:
    """However long the ASCII before the first accent and wherever the stream is
    cut into chunks, names in cp1252 or Mac Roman read back as written."""
    text = "a," * (prefix // 2) + "\r\n" + ",".join(words) + "\r\n"
    assert _feed(text.encode(encoding), cuts) == text
