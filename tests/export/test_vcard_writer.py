"""The vCard writer: valid 4.0 and 3.0 output, and import -> export -> import is stable."""

from __future__ import annotations

from pathlib import Path

import pytest
import vobject

from reseausync import api
from reseausync.export.vcard import contact_to_vcard, contacts_to_vcf, escape, fold

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "phone.vcf"

JF = {
    "id": "c0123456789a", "display_name": "Jean-François Tremblay",
    "given_name": "Jean-François", "family_name": "Tremblay",
    "emails": ["jf.tremblay@acme.ca", "jf@gmail.com"], "phones": ["+15145551234", "5145550000"],
    "organization": "Acme; Ventes, Québec", "title": "Directeur des ventes",
    "linkedin_url": "https://www.linkedin.com/in/jftremblay",
    "addresses": [{"street": "1250 boul. René-Lévesque O.\nBureau 300", "locality": "Montréal",
                   "region": "QC", "postal_code": "H3B 4W8", "country": "Canada",
                   "label": "work"}],
    "categories": ["Clients", "Ventes, Est"], "urls": ["https://acme.ca"],
    "note": "Rencontré au salon; à rappeler.\n" + "Très long " * 20, "birthday": "1975-06-01",
}


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_output_is_crlf_folded_at_75_octets(version: str) -> None:
    text = contact_to_vcard(JF, version)
    assert text.endswith("END:VCARD\r\n") and "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    assert any(line.startswith(" ") for line in lines)   # the note was folded
    assert f"VERSION:{version}" in lines and "UID:c0123456789a" in lines


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_vobject_reads_it(version: str) -> None:
    card = vobject.readOne(contact_to_vcard(JF, version))
    assert card.fn.value == "Jean-François Tremblay"
    assert card.n.value.family == "Tremblay" and card.n.value.given == "Jean-François"
    assert [e.value for e in card.contents["email"]] == JF["emails"]
    assert card.org.value == ["Acme; Ventes, Québec"]
    assert card.adr.value.city == "Montréal"
    assert card.uid.value == "c0123456789a"


def test_version_specific_values() -> None:
    v4 = contact_to_vcard(JF, "4.0")
    v3 = contact_to_vcard(JF, "3.0")
    assert "TEL;VALUE=uri;TYPE=voice:tel:+15145551234" in v4
    assert "TEL;VALUE=text;TYPE=voice:5145550000" in v4
    assert "BDAY:19750601" in v4 and "BDAY:1975-06-01" in v3
    assert "EMAIL;PREF=1:jf.tremblay@acme.ca" in v4
    assert "EMAIL;TYPE=INTERNET,PREF:jf.tremblay@acme.ca" in v3
    with pytest.raises(ValueError):
        contact_to_vcard(JF, "2.1")


def test_escape_and_fold() -> None:
    assert escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    folded = fold("NOTE:" + "é" * 60)
    pieces = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in pieces)
    assert "".join(p[1:] if i else p for i, p in enumerate(pieces)) == "NOTE:" + "é" * 60


def test_uid_argument_and_missing_name() -> None:
    text = contact_to_vcard({"id": "c1", "emails": ["x@y.ca"]}, "3.0", uid="other")
    assert "UID:other\r\n" in text and "FN:x@y.ca\r\n" in text and "N:;;;;\r\n" in text


def test_contacts_to_vcf_streams_one_card_each() -> None:
    cards = list(contacts_to_vcf([JF, {**JF, "id": "c2"}], "4.0"))
    assert len(cards) == 2 and cards[1].count("BEGIN:VCARD") == 1


COMPARED = ("display_name", "given_name", "family_name", "emails", "phones", "organization",
            "title", "linkedin_url", "addresses", "categories", "urls", "note", "birthday")


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_import_export_import_gives_the_same_contacts(tmp_path: Path, version: str) -> None:
    first_db = str(tmp_path / "first.db")
    results = api.import_paths([str(SAMPLE)], db=first_db, region="CA")
    assert results[0].counts["added"] == 11 and results[0].counts["rejected"] == 1
    first = api.contacts(first_db)
    exported = tmp_path / "export.vcf"
    exported.write_bytes("".join(contacts_to_vcf(first, version)).encode("utf-8"))
    second_db = str(tmp_path / "second.db")
    again = api.import_paths([str(exported)], db=second_db, region="CA")
    assert again[0].counts["rejected"] == 0
    second = api.contacts(second_db)

    def key(contacts: list[dict]) -> list[tuple]:
        return sorted(tuple(repr(c.get(f)) for f in COMPARED) for c in contacts)

    assert len(second) == len(first) >= 9
    assert key(second) == key(first)
    # The UID written is the contact id, so the second directory names its sources by it.
    assert {s["external_id"] for c in second for s in c["sources"]} == {c["id"] for c in first}
