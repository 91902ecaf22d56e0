"""Export writes what the contact holds of a name: every part of N, the nickname,
the department (qa3_vcf #11)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import vobject

from reseausync import api, directory
from reseausync.config import Settings
from reseausync.export.vcard import contact_to_vcard

# Apple 3.0 (as qa3_vcf/apple.vcf): N's middle name and prefix, a nickname, a department
APPLE = ("BEGIN:VCARD\r\nVERSION:3.0\r\nN:van der Berg;Anne-Marie;Louise;Dr.;\r\n"
         "FN:Dr. Anne-Marie Louise van der Berg\r\nNICKNAME:Annie\r\n"
         "ORG:Banque Nationale;Marchés financiers\r\nEMAIL;type=WORK:amvdberg@bnc.ca\r\n"
         "END:VCARD\r\n"
         "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Roy;Luc;;;Jr.\r\nFN:Luc Roy Jr.\r\n"
         "EMAIL:luc@roy.ca\r\nEND:VCARD\r\n").encode()
CA = Settings(region="CA")
ANNE = {"id": "c3", "display_name": "Dr. Anne-Marie Louise van der Berg",
        "given_name": "Anne-Marie", "family_name": "van der Berg", "middle_name": "Louise",
        "prefix": "Dr.", "nickname": "Annie", "organization": "Banque Nationale",
        "org_units": ["Marchés financiers"]}


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_every_name_part_nickname_and_department(version: str) -> None:
    text = contact_to_vcard(ANNE, version)
    assert "N:van der Berg;Anne-Marie;Louise;Dr.;\r\n" in text
    assert "NICKNAME:Annie\r\n" in text
    assert "ORG:Banque Nationale;Marchés financiers\r\n" in text
    parsed = vobject.readOne(text)
    assert parsed.n.value.additional == "Louise" and parsed.n.value.prefix == "Dr."
    assert parsed.org.value == ["Banque Nationale", "Marchés financiers"]


def test_a_contact_without_them_is_written_as_before() -> None:
    plain = {"id": "c4", "display_name": "Ann Lee", "given_name": "Ann", "family_name": "Lee",
             "organization": "Acme; Ventes"}
    text = contact_to_vcard(plain, "4.0")
    assert "N:Lee;Ann;;;\r\n" in text and "ORG:Acme\\; Ventes\r\n" in text
    assert "NICKNAME" not in text


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_import_export_import_keeps_the_whole_name(tmp_path: Path, version: str) -> None:
    (tmp_path / "apple.vcf").write_bytes(APPLE)
    first, second = str(tmp_path / "a.db"), str(tmp_path / "b.db")
    api.import_paths([str(tmp_path / "apple.vcf")], db=first, settings=CA)
    exported = tmp_path / "rt.vcf"
    with exported.open("w", encoding="utf-8", newline="") as out:
        directory.export(first, out, "vcf", date.today(), vcard_version=version)
    api.import_paths([str(exported)], db=second, settings=CA)
    keys = ("display_name", "given_name", "middle_name", "family_name", "prefix", "suffix",
            "nickname", "organization", "org_units")
    before = sorted(tuple(c.get(k) for k in keys) for c in api.contacts(first))
    after = sorted(tuple(c.get(k) for k in keys) for c in api.contacts(second))
    assert after == before
    assert ("Dr. Anne-Marie Louise van der Berg", "Anne-Marie", "Louise", "van der Berg", "Dr.",
            None, "Annie", "Banque Nationale", ["Marchés financiers"]) in before
    assert ("Luc Roy Jr.", "Luc", None, "Roy", None, "Jr.", None, "", None) in before
    (anne,) = [c for c in api.contacts(first) if c.get("nickname")]
    shown = {(f["field"], f["value"]) for f in directory.show(first, anne["id"],
                                                               date.today())["fields"]}
    assert {("middle_name", "Louise"), ("prefix", "Dr."), ("nickname", "Annie"),
            ("org_units", "Marchés financiers")} <= shown


def test_a_nickname_only_row_is_named_shown_and_exported(tmp_path: Path) -> None:
    """qa3_csv F9: Google's Nickname column alone names the contact."""
    csv = tmp_path / "google.csv"
    csv.write_text("First Name,Last Name,Nickname,Labels,E-mail 1 - Value\n"
                   ",,Dédé,* myContacts,dede@example.org\n"
                   "Catherine,O'Brien,Kate,* myContacts,kate@obrien.ie\n", encoding="utf-8")
    db = str(tmp_path / "d.db")
    api.import_paths([str(csv)], db=db, settings=CA)
    by_name = {c["display_name"]: c for c in api.contacts(db)}
    assert set(by_name) == {"Dédé", "Catherine O'Brien"}
    dede = by_name["Dédé"]
    shown = directory.show(db, dede["id"], date.today())
    assert shown["display_name"] == "Dédé"
    assert [f["from"] for f in shown["fields"] if f["field"] == "nickname"] == [
        [f"csv:{csv}:2"]]
    text = contact_to_vcard(dede, "4.0")
    assert "FN:Dédé\r\n" in text and "NICKNAME:Dédé\r\n" in text
    assert "NICKNAME:Kate\r\n" in contact_to_vcard(by_name["Catherine O'Brien"], "3.0")
