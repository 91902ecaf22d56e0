"""A fold that cuts a UTF-8 character in two (writers that fold at 75 octets, not
characters): the property is read on its unfolded bytes, so it stays UTF-8 instead
of being re-read as cp1252 line by line (QA round 3, finding 2)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reseausync.connector import ReadContext
from reseausync.models import Reject, SourceRecord
from reseausync_connectors.vcard import VCardConnector
from reseausync_connectors.vcard.cards import rejoin_split_characters


def _read(path: Path) -> list:
    conn = VCardConnector({}, ReadContext(source="phone"))
    return list(conn.read(list(conn.discover(str(path)))))


def _only(tmp_path: Path, data: bytes) -> SourceRecord:
    path = tmp_path / "folded.vcf"
    path.write_bytes(data)
    items = _read(path)
    assert len(items) == 1 and isinstance(items[0], SourceRecord), items
    return items[0]


def _fold_octets(line: bytes, width: int) -> bytes:
    """`line` folded every `width` octets, whatever character that cuts."""
    pieces = [line[:width]] + [line[i:i + width - 1] for i in range(width, len(line), width - 1)]
    return b"\r\n ".join(pieces)


def test_a_display_name_cut_inside_a_character_keeps_its_accents(tmp_path: Path) -> None:
    """The QA repro: FN:Éléonore B\\xc3 / \\xa9langer gave "Ã‰lÃ©onore BÃ©langer"."""
    data = ("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Bélanger;Éléonore;;;\r\n".encode()
            + "FN:Éléonore B".encode() + b"\xc3\r\n \xa9langer\r\n"
            + "ORG:Société de transport de Montréal\r\nEND:VCARD\r\n".encode())
    record = _only(tmp_path, data)
    assert record.display_name == "Éléonore Bélanger"
    assert record.organization == "Société de transport de Montréal"
    assert "Ã" not in record.raw


def test_a_long_note_folded_at_75_octets_with_a_bom(tmp_path: Path) -> None:
    note = ("Présidente du comité d'économie sociale de Montréal, rencontrée à "
            "l'événement «Élan» à Québec")
    line = _fold_octets(f"NOTE:{note}".encode(), 75)
    assert b"\xc3\r\n " in line or b"\r\n \xa9" in line or b"\r\n \xa0" in line
    data = (b"\xef\xbb\xbfBEGIN:VCARD\r\nVERSION:3.0\r\nFN:\xc3\x89l\xc3\xa9onore\r\n"
            + line + b"\r\nEND:VCARD\r\n")
    assert _only(tmp_path, data).note == note


def test_a_cp1252_folded_line_is_still_read_as_cp1252(tmp_path: Path) -> None:
    """The repair only applies where the unfolded bytes are UTF-8: a Windows card
    folded inside a word keeps its accents as before."""
    note = "Rencontrée au café de la gare, près du théâtre Saint-Denis à Montréal, été 2019"
    line = _fold_octets(f"NOTE:{note}".encode("cp1252"), 40)
    data = b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Jos\xe9e\r\n" + line + b"\r\nEND:VCARD\r\n"
    record = _only(tmp_path, data)
    assert (record.display_name, record.note) == ("Josée", note)


def test_a_cut_character_in_one_card_leaves_a_cp1252_line_of_it_alone(tmp_path: Path) -> None:
    data = (b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\xc3\x89l\xc3\xa9onore B\xc3\r\n \xa9langer\r\n"
            b"NOTE:Rencontr\xe9e au caf\xe9\r\nEND:VCARD\r\n")
    record = _only(tmp_path, data)
    assert (record.display_name, record.note) == ("Éléonore Bélanger", "Rencontrée au café")


def test_line_numbers_stay_where_they_were() -> None:
    lines = [(3, "FN:B\udcc3"), (4, " \udca9langer"), (5, "NOTE:x")]
    assert rejoin_split_characters(lines) == [(3, "FN:B"), (4, " élanger"), (5, "NOTE:x")]


_TEXT = st.text(st.sampled_from("aeÉéèçà«»€œ王小明日本語😀🇨🇦 ,;'-"), min_size=1, max_size=120)


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_TEXT, note=_TEXT, width=st.integers(min_value=5, max_value=80))
def test_any_utf8_value_folded_at_any_octet_reads_back(tmp_path: Path, name: str, note: str,
                                                       width: int) -> None:
    """Whatever the fold width and wherever it falls, the values read back as written."""
    name, note = name.strip(" ,;") or "x", note.strip() or "x"
    body = b"\r\n".join(_fold_octets(line.encode(), width) for line in (
        "VERSION:3.0", f"FN:{name.replace(',', '').replace(';', '')}",
        "NOTE:" + note.replace(",", "\\,").replace(";", "\\;")))
    path = tmp_path / "p.vcf"
    path.write_bytes(b"BEGIN:VCARD\r\n" + body + b"\r\nEND:VCARD\r\n")
    items = _read(path)
    assert not [i for i in items if isinstance(i, Reject)]
    (record,) = items
    assert record.display_name == name.replace(",", "").replace(";", "").strip()
    assert record.note == note
