"""Birthdays without a year: Apple's form in 3.0, and 4.0's `--MMDD` read as
`--MM-DD` (qa4_roundtrip #6).

vCard 3.0 has no date without a year: `BDAY:--09-12` is lost by a client that
does not take it, and iPhones write `BDAY;X-APPLE-OMIT-YEAR=1604:1604-09-12`.
Re-importing our own 4.0 export (`BDAY:--0912`, RFC 6350's basic form) stored
"--0912", which `show` listed and a 3.0 export wrote back as it was.
"""

from __future__ import annotations

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
import vobject
from hypothesis import given
from hypothesis import strategies as st

from reseausync import api, directory
from reseausync.config import Settings
from reseausync.export.vcard import contact_to_vcard
from reseausync.normalize.birthdays import month_day
from reseausync_connectors.vcard import parse_card

CA = Settings(region="CA")
# in/iphone.vcf's birthday, a dated one, and a 4.0 card as ez-vcard/DAVx5 write it
CARDS = (b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Tremblay;Jean;;;\r\nFN:Jean Tremblay\r\n"
         b"BDAY;X-APPLE-OMIT-YEAR=1604:1604-09-12\r\nUID:jean-1\r\nEND:VCARD\r\n"
         b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Wang;Xiaoming;;;\r\nFN:Xiaoming Wang\r\n"
         b"BDAY:1985-02-03\r\nUID:wang-1\r\nEND:VCARD\r\n"
         b"BEGIN:VCARD\r\nVERSION:4.0\r\nN:Roy;Anne;;;\r\nFN:Anne Roy\r\n"
         b"BDAY:--0229\r\nANNIVERSARY:--0814\r\nUID:anne-1\r\nEND:VCARD\r\n")
EXPECTED = {"Jean Tremblay": ("--09-12", None), "Xiaoming Wang": ("1985-02-03", None),
            "Anne Roy": ("--02-29", "--08-14")}


def _read(db: str) -> dict[str, tuple[str | None, str | None]]:
    return {c["display_name"]: (c.get("birthday"), c.get("anniversary"))
            for c in api.contacts(db)}


def test_4_0_basic_form_is_stored_with_its_dash(tmp_path: Path) -> None:
    (tmp_path / "b.vcf").write_bytes(CARDS)
    db = str(tmp_path / "a.db")
    api.import_paths([str(tmp_path / "b.vcf")], db=db, settings=CA)
    assert _read(db) == EXPECTED


def test_3_0_writes_apple_form() -> None:
    card = {"id": "c1", "display_name": "Jean Tremblay", "birthday": "--09-12",
            "anniversary": "--08-14"}
    text = contact_to_vcard(card, "3.0")
    assert "BDAY;X-APPLE-OMIT-YEAR=1604:1604-09-12\r\n" in text
    assert "X-ANNIVERSARY:--08-14\r\n" in text         # Evolution and KDE read it so
    assert vobject.readOne(text).bday.value == "1604-09-12"
    assert "BDAY:--0912\r\n" in contact_to_vcard(card, "4.0")
    old = {**card, "birthday": "--0912"}               # stored by the earlier reader
    assert "BDAY;X-APPLE-OMIT-YEAR=1604:1604-09-12\r\n" in contact_to_vcard(old, "3.0")


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_import_export_import_keeps_the_day(tmp_path: Path, version: str) -> None:
    (tmp_path / "b.vcf").write_bytes(CARDS)
    first, second = str(tmp_path / "a.db"), str(tmp_path / "b.db")
    api.import_paths([str(tmp_path / "b.vcf")], db=first, settings=CA)
    out = StringIO()
    directory.export(first, out, "vcf", date.today(), vcard_version=version)
    (tmp_path / "out.vcf").write_text(out.getvalue(), encoding="utf-8", newline="")
    api.import_paths([str(tmp_path / "out.vcf")], db=second, settings=CA)
    assert _read(second) == _read(first) == EXPECTED


@given(month=st.integers(1, 12), day=st.integers(1, 31), dash=st.booleans(),
       version=st.sampled_from(["4.0", "3.0"]))
def test_any_day_without_its_year_round_trips(month: int, day: int, dash: bool,
                                              version: str) -> None:
    """Both forms are one day; what the export writes reads back as "--MM-DD"."""
    written = f"--{month:02}{'-' if dash else ''}{day:02}"
    assert month_day(written) == f"--{month:02}-{day:02}"
    text = contact_to_vcard({"id": "c1", "display_name": "A", "birthday": written,
                             "anniversary": written}, version)
    record = parse_card(text, source="s", unit="u", locator="u")
    assert record.birthday == record.extra["anniversary"] == f"--{month:02}-{day:02}"


@pytest.mark.parametrize("text", ["1980-04-15", "--4-15", "--04-15x", "0415", "---15", ""])
def test_other_text_is_no_day_without_a_year(text: str) -> None:
    assert month_day(text) is None
