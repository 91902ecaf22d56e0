"""Mac Roman vCards (Entourage, Outlook for Mac 2011, old Palm Desktop exports) read
as Mac Roman, cp1252 ones as cp1252: the CSV reader's choice, made on each card's
bytes (README Known gaps: "Mac Roman is detected in CSVs, not in vCards")."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reseausync import api
from reseausync.connector import ReadContext
from reseausync.models import SourceRecord
from reseausync_connectors.vcard import VCardConnector
from reseausync_connectors.vcard.cards import redecode

CARDS = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Bélanger;Frédéric;;;\r\nFN:Frédéric Bélanger\r\n"
    "ORG:Façade Müller & Associés\r\nTITLE:Directeur général\r\n"
    "EMAIL;type=INTERNET;type=WORK:fbelanger@facade-muller.ca\r\n"
    "ADR;type=WORK:;;1250 rue Sainte-Thérèse;Lévis;QC;G6V 4R5;Canada\r\n"
    "NOTE:Rencontré à Québec\\, très sympa. Élève de Hélène Côté.\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Gonçalves;Zoë;;;\r\nFN:Zoë Gonçalves\r\n"
    "TEL;type=CELL:418-555-0142\r\nEND:VCARD\r\n")


def _records(path: Path) -> list[SourceRecord]:
    conn = VCardConnector({}, ReadContext(source="mac"))
    items = list(conn.read(list(conn.discover(str(path)))))
    assert all(isinstance(i, SourceRecord) for i in items), items
    return items


@pytest.mark.parametrize("encoding", ["mac_roman", "cp1252"])
def test_single_byte_vcards_read_in_their_encoding(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / f"{encoding}.vcf"
    data = CARDS.encode(encoding)
    assert b"\x8e" in data if encoding == "mac_roman" else b"\xe9" in data   # é's byte
    path.write_bytes(data)
    fred, zoe = _records(path)
    assert (fred.display_name, fred.given_name, fred.family_name) == (
        "Frédéric Bélanger", "Frédéric", "Bélanger")
    assert (fred.organization, fred.title) == ("Façade Müller & Associés", "Directeur général")
    assert (fred.addresses[0].street, fred.addresses[0].locality) == (
        "1250 rue Sainte-Thérèse", "Lévis")
    assert fred.note == "Rencontré à Québec, très sympa. Élève de Hélène Côté."
    assert zoe.display_name == "Zoë Gonçalves"


def test_mac_roman_export_imports_with_its_accents(tmp_path: Path) -> None:
    path = tmp_path / "Outlook for Mac.vcf"
    path.write_bytes(CARDS.encode("mac_roman"))
    db = str(tmp_path / "d.db")
    api.import_paths([str(path)], db=db, region="CA")
    names = sorted((c["display_name"], c["organization"]) for c in api.contacts(db))
    assert names == [("Frédéric Bélanger", "Façade Müller & Associés"),
                     ("Zoë Gonçalves", "")]


def test_a_mac_roman_quoted_printable_line_without_charset(tmp_path: Path) -> None:
    """vCard 2.1 QP bytes that are not UTF-8 and name no charset: the same choice."""
    path = tmp_path / "qp.vcf"
    path.write_bytes(b"BEGIN:VCARD\r\nVERSION:2.1\r\n"
                     b"N;ENCODING=QUOTED-PRINTABLE:B=8Elanger;Fr=8Ed=8Eric;;;\r\n"
                     b"NOTE;ENCODING=QUOTED-PRINTABLE:Tr=8Fs gentil, gar=8Don de M=9Fller\r\n"
                     b"END:VCARD\r\n")
    (record,) = _records(path)
    assert (record.given_name, record.family_name) == ("Frédéric", "Bélanger")
    assert record.note == "Très gentil, garçon de Müller"


def test_a_utf8_card_keeps_its_utf8_lines_beside_a_mac_roman_line(tmp_path: Path) -> None:
    path = tmp_path / "mixed.vcf"
    path.write_bytes("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Hélène Côté\r\n".encode()
                     + "NOTE:Collègue de Frédéric à Québec\r\n".encode("mac_roman")
                     + b"END:VCARD\r\n")
    (record,) = _records(path)
    assert (record.display_name, record.note) == ("Hélène Côté",
                                                 "Collègue de Frédéric à Québec")


WORDS = ["abc", "XYZ", "019-", "Bélanger", "Côté", "Hélène", "général", "Québec", "Müller",
         "Straße", "Peñalolén", "naïve", "façade", "Noël", "ÉCOLE", "Frédéric", "Françoise",
         "Lévesque", "garçon", "Zoë", "Björk"]
_LINE = st.lists(st.sampled_from(WORDS), max_size=4).map(" ".join)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.tuples(_LINE, st.booleans()), min_size=1, max_size=8),
       encoding=st.sampled_from(["mac_roman", "cp1252"]))
def test_each_line_reads_back_in_its_encoding(lines: list[tuple[str, bool]],
                                              encoding: str) -> None:
    """A card written by one single-byte writer, some of its lines UTF-8: every UTF-8
    line reads back as written, and so does every single-byte line whose bytes are
    not valid UTF-8 (else nothing can tell)."""
    data = b"\n".join(text.encode(encoding if single else "utf-8") for text, single in lines)
    decoded = redecode(data.decode("utf-8", "surrogateescape")).split("\n")
    assert len(decoded) == len(lines)
    for (text, single), got in zip(lines, decoded, strict=True):
        try:
            text.encode(encoding if single else "utf-8").decode("utf-8")
        except UnicodeDecodeError:
            assert got == text
        else:
            assert got == text or single
