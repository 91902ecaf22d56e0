"""A company card stays a company through export (or publish) and re-import."""

from __future__ import annotations

from pathlib import Path

import pytest
import vobject

from reseausync import api
from reseausync.export.vcard import contact_to_vcard, contacts_to_vcf

CARDS = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:p-acme\r\nX-ABShowAs:COMPANY\r\nFN:Acme Widgets\r\n"
    "ORG:Acme Widgets\r\nEMAIL:info@acme-widgets.com\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:p-jean\r\nFN:Jean Dupont\r\nN:Dupont;Jean;;;\r\n"
    "ORG:Acme Widgets\r\nEMAIL:jd@acme.com\r\nEND:VCARD\r\n")
NAMES = ("display_name", "given_name", "family_name", "organization")
ACME = {"id": "c1", "display_name": "Acme Widgets", "given_name": "", "family_name": "",
        "organization": "Acme Widgets", "emails": ["info@acme-widgets.com"]}


def names(db: str) -> list[tuple[str, ...]]:
    return sorted(tuple(c[k] for k in NAMES) for c in api.contacts(db))


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_a_company_comes_back_a_company(tmp_path: Path, version: str) -> None:
    book = tmp_path / "phone.vcf"
    book.write_bytes(CARDS.encode())
    first = str(tmp_path / "first.db")
    api.import_paths([str(book)], db=first, region="CA")
    exported = tmp_path / "out.vcf"
    exported.write_bytes("".join(contacts_to_vcf(api.contacts(first), version)).encode())
    second = str(tmp_path / "second.db")
    api.import_paths([str(exported)], db=second, region="CA")
    assert names(first) == names(second) == [
        ("Acme Widgets", "", "", "Acme Widgets"), ("Jean Dupont", "Jean", "Dupont", "Acme Widgets")]


def test_company_markers_by_version() -> None:
    v4, v3 = contact_to_vcard(ACME, "4.0"), contact_to_vcard(ACME, "3.0")
    assert "KIND:org\r\n" in v4 and "\r\nN:" not in v4 and "X-ABShowAs" not in v4
    assert "X-ABShowAs:COMPANY\r\n" in v3 and "N:;;;;\r\n" in v3 and "KIND" not in v3
    assert vobject.readOne(v4).kind.value == "org"


@pytest.mark.parametrize("contact", [
    {**ACME, "given_name": "Acme"},                          # a person named by parts
    {**ACME, "display_name": "ann@acme.com"},                # a person known by address
    {**ACME, "organization": ""},                            # no organization at all
])
def test_a_person_is_never_marked_a_company(contact: dict) -> None:
    for version in ("4.0", "3.0"):
        text = contact_to_vcard(contact, version)
        assert "KIND" not in text and "X-ABShowAs" not in text
