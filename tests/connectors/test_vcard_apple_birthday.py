"""Apple's birthday without a year (`BDAY;X-APPLE-OMIT-YEAR=1604:1604-09-12`) is a
day without a year, not a birthday in 1604 (QA round 3, finding 7)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reseausync import api
from reseausync.connector import ReadContext
from reseausync.models import SourceRecord
from reseausync_connectors.vcard import VCardConnector


def _birthday(tmp_path: Path, line: str, version: str = "3.0") -> str:
    path = tmp_path / "bday.vcf"
    path.write_bytes((f"BEGIN:VCARD\r\nVERSION:{version}\r\nN:Ouellet;Gabriel;;;\r\n"
                      f"FN:Gabriel Ouellet\r\n{line}\r\nEND:VCARD\r\n").encode())
    conn = VCardConnector({}, ReadContext(source="phone"))
    (record,) = conn.read(list(conn.discover(str(path))))
    assert isinstance(record, SourceRecord)
    return record.birthday


@pytest.mark.parametrize("line", [
    "BDAY;X-APPLE-OMIT-YEAR=1604:1604-09-12",                 # macOS / iOS 3.0
    "BDAY;X-APPLE-OMIT-YEAR=1604;VALUE=date:1604-09-12",
    "BDAY;x-apple-omit-year=1604:16040912",                   # basic form, any case
    "BDAY;X-APPLE-OMIT-YEAR=1604:1604-09-12T00:00:00",
])
def test_apple_year_less_birthday_has_no_year(tmp_path: Path, line: str) -> None:
    assert _birthday(tmp_path, line) == "--09-12"


def test_a_year_filled_in_since_is_kept(tmp_path: Path) -> None:
    """The marker names the placeholder year; a real year beside it is the birthday."""
    assert _birthday(tmp_path, "BDAY;X-APPLE-OMIT-YEAR=1604:1987-09-12") == "1987-09-12"


def test_birthdays_without_the_marker_are_unchanged(tmp_path: Path) -> None:
    assert _birthday(tmp_path, "BDAY:1987-09-12") == "1987-09-12"
    assert _birthday(tmp_path, "BDAY:19870912", "4.0") == "1987-09-12"
    assert _birthday(tmp_path, "BDAY:--0912", "4.0") == "--09-12"     # 4.0's basic form


def test_the_contact_is_not_born_in_1604(tmp_path: Path) -> None:
    path = tmp_path / "bday_apple.vcf"
    path.write_bytes(b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Ouellet;Gabriel;;;\r\nFN:Gabriel Ouellet"
                     b"\r\nBDAY;X-APPLE-OMIT-YEAR=1604:1604-09-12\r\nEND:VCARD\r\n")
    db = str(tmp_path / "d.db")
    api.import_paths([str(path)], db=db)
    (contact,) = api.contacts(db)
    assert contact["birthday"] == "--09-12"
