"""An Apple company card keeps its contact person (README Known gaps: "an Apple
company card's contact person (its N) is not kept").

macOS and iOS Contacts write a card marked "Company" with the company in FN and
ORG and the contact person typed in its first and last name fields in N. The card
describes the company: it is listed, matched and exported as the company, and the
person is kept beside it, never as its name, so that a name alone does not merge
the company with that person's own card.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from reseausync import api, directory
from reseausync_connectors.vcard import parse_card

# As macOS Contacts 14 writes it.
COMPANY = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//macOS 14.5//EN\r\n"
    "N:Roy;Jean;;;\r\nFN:Plomberie Roy inc.\r\nORG:Plomberie Roy inc.;\r\n"
    "item1.TEL;type=pref:418 555-0199\r\nitem1.X-ABLabel:_$!<Main>!$_\r\n"
    "item2.EMAIL;type=INTERNET;type=pref:info@plomberieroy.ca\r\n"
    "item3.ADR;type=WORK;type=pref:;;350 rue Principale;Lévis;QC;G6V 4R5;Canada\r\n"
    "item3.X-ABADR:ca\r\nX-ABShowAs:COMPANY\r\n"
    "X-ABUID:9C1E0D2A-7B43-4F0E-9F11-2D6A6C1B0E55:ABPerson\r\nEND:VCARD\r\n")
# The contact person's own card, in the same book: same name, nothing else shared.
PERSON = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//macOS 14.5//EN\r\n"
    "N:Roy;Jean;;;\r\nFN:Jean Roy\r\nTEL;type=CELL;type=VOICE;type=pref:581 555-0123\r\n"
    "EMAIL;type=INTERNET;type=HOME;type=pref:jeanroy62@videotron.ca\r\n"
    "X-ABUID:5F1A2B3C-0001-4B3E-8C55-0A1B2C3D4E5F:ABPerson\r\nEND:VCARD\r\n")


def card(text: str):
    return parse_card(text, source="mac", unit="u.vcf", locator="u.vcf:1")


def test_the_record_is_the_company_with_its_contact_person() -> None:
    record = card(COMPANY)
    assert (record.display_name, record.given_name, record.family_name) == ("", "", "")
    assert record.organization == "Plomberie Roy inc."
    assert record.extra["contact_person"] == {"given_name": "Jean", "family_name": "Roy"}


@pytest.mark.parametrize("n", ["N:;;;;", "N:Plomberie Roy inc.;;;;", "N:;Plomberie Roy inc.;;;"])
def test_an_n_naming_nobody_or_the_company_is_no_contact_person(n: str) -> None:
    assert "contact_person" not in card(COMPANY.replace("N:Roy;Jean;;;", n)).extra


def _import(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    db = str(tmp_path / f"{path.stem}.db")
    api.import_paths([str(path)], db=db, region="CA")
    return db


def test_the_contact_keeps_its_contact_person_apart_from_the_person(tmp_path: Path) -> None:
    db = _import(tmp_path, "Contacts.vcf", COMPANY + PERSON)
    people = {c["display_name"]: c for c in api.contacts(db)}
    assert sorted(people) == ["Jean Roy", "Plomberie Roy inc."]     # not merged by name
    company = people["Plomberie Roy inc."]
    assert (company["given_name"], company["family_name"]) == ("", "")
    assert company["contact_person"] == {"given_name": "Jean", "family_name": "Roy"}
    assert "contact_person" not in people["Jean Roy"]
    text = directory.render_show(directory.show(db, company["id"], date.today()))
    assert "contact_person Jean Roy" in text.replace("  ", " "), text


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_export_writes_it_back_where_apple_keeps_it(tmp_path: Path, version: str) -> None:
    """The export's N names the contact person beside the company marker; imported
    again, the company keeps its contact person."""
    first = _import(tmp_path, "Contacts.vcf", COMPANY)
    out = tmp_path / f"export{version[0]}.vcf"
    with out.open("w", encoding="utf-8", newline="") as handle:
        directory.export(first, handle, "vcf", date.today(), vcard_version=version)
    text = out.read_bytes().decode("utf-8")
    marker = "X-ABShowAs:COMPANY\r\n" if version == "3.0" else "KIND:org\r\n"
    assert marker in text and "FN:Plomberie Roy inc.\r\nN:Roy;Jean;;;\r\n" in text
    second = _import(tmp_path, f"again{version[0]}.vcf", text)
    (contact,) = api.contacts(second)
    assert (contact["display_name"], contact["organization"]) == ("Plomberie Roy inc.",
                                                                  "Plomberie Roy inc.")
    assert contact["contact_person"] == {"given_name": "Jean", "family_name": "Roy"}
