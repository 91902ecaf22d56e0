"""A birthday without a year stays a date in vCard 4.0 (qa3_vcf #12, qa3_csv F10)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from reseausync import directory
from reseausync.api import import_paths
from reseausync.export.vcard import contact_to_vcard


@pytest.mark.parametrize(("stored", "v4"), [
    ("--06-21", "BDAY:--0621"), ("--0415", "BDAY:--0415"), ("1980-05-17", "BDAY:19800517"),
    ("circa 1970", "BDAY;VALUE=text:circa 1970")])
def test_a_birthday_without_a_year_is_a_date_in_4_0(stored: str, v4: str) -> None:
    card = {"id": "c2", "display_name": "Anne Lavoie", "birthday": stored}
    assert v4 + "\r\n" in contact_to_vcard(card, "4.0")
    v3 = contact_to_vcard(card, "3.0")
    if v4.startswith("BDAY:--"):                    # Apple's form: 3.0 has no such date
        assert f"BDAY;X-APPLE-OMIT-YEAR=1604:1604-{v4[7:9]}-{v4[9:11]}\r\n" in v3
    else:
        assert "BDAY:" + stored + "\r\n" in v3     # as before


def test_google_csv_birthday_without_a_year(tmp_path: Path) -> None:
    csv = tmp_path / "google_bday.csv"
    csv.write_text("First Name,Last Name,Labels,E-mail 1 - Value,Birthday\n"
                   "Anne,Lavoie,* myContacts,anne@lavoie.ca,--05-17\n"
                   "Bob,Stone,* myContacts,bob@stone.com,1980-05-17\n", encoding="utf-8")
    db = str(tmp_path / "d.db")
    import_paths([str(csv)], db=db)
    out = tmp_path / "out.vcf"
    with out.open("w", encoding="utf-8", newline="") as f:
        directory.export(db, f, "vcf", date.today())
    text = out.read_bytes().decode("utf-8")
    assert "FN:Anne Lavoie\r\nN:Lavoie;Anne;;;\r\n" in text
    assert "BDAY:--0517\r\n" in text and "BDAY:19800517\r\n" in text
    assert "VALUE=text" not in text
