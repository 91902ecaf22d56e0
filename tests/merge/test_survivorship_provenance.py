"""Every canonical value names the record(s) it came from, and `show` lists them all."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reseausync import api, directory
from reseausync.merge.survivorship import Member, canonical

# The values a contact hands to other tools (export, publish) besides its sources.
VALUED = ("display_name", "given_name", "family_name", "organization", "title",
          "linkedin_url", "emails", "phones", "addresses", "categories", "urls", "note",
          "birthday", "photo")

PHONE = Member(1, "phone", "vcard", "p-jean", "phone.vcf:1", {
    "display_name": "Jean Dupont", "given_name": "Jean", "family_name": "Dupont",
    "emails": [{"value": "jd@acme.com"}], "phones": [{"value": "+1 514 555 1111"}],
    "addresses": [{"street": "9 av. Y", "locality": "Laval", "label": "home"},
                  {"street": "1 rue X", "locality": "Montréal", "label": "work"}],
    "categories": ["clients"]}, "", None)
CRM = Member(2, "crm", "vcard", "c-jean", "crm.vcf:1", {
    "display_name": "Jean Dupont", "given_name": "Jean", "family_name": "Dupont",
    "emails": [{"value": "jd@acme.com"}], "organization": "Acme", "title": "Analyst",
    "note": "met at the conference", "birthday": "1980-04-15",
    "linkedin_url": "https://www.linkedin.com/in/jdupont",
    "addresses": [{"street": "1 RUE X", "locality": "Montreal", "label": "work"}],
    "urls": ["https://acme.com"], "categories": ["Clients"]}, "sha256:ab", None)


def test_every_canonical_value_has_its_records() -> None:
    out = canonical([PHONE, CRM], {}, "CA")
    prov = out["provenance"]
    for field in VALUED:
        assert out[field], field
        assert prov.get(field), field
    # the CRM card is the more complete, so it ranks first. Addresses: one list of
    # records per canonical address, in the same order; the same address written
    # twice names both records
    assert [a["locality"] for a in out["addresses"]] == ["Montreal", "Laval"]
    assert prov["addresses"] == [[2, 1], [1]]
    # categories that differ only by case are one value, from both records
    assert out["categories"] == ["Clients"] and prov["categories"] == {"Clients": [2, 1]}
    assert (prov["note"], prov["birthday"], prov["urls"]) == (2, 2, {"https://acme.com": [2]})


def test_show_lists_every_value_with_where_it_came_from(tmp_path: Path) -> None:
    (tmp_path / "phone.vcf").write_bytes(
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:p-jean\r\nFN:Jean Dupont\r\nN:Dupont;Jean;;;\r\n"
        b"EMAIL:jd@acme.com\r\nTEL:+1 514 555 1111\r\n"
        b"ADR;TYPE=HOME:;;9 av. Y;Laval;QC;H7A 1A1;Canada\r\nEND:VCARD\r\n")
    (tmp_path / "crm.vcf").write_bytes(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c-jean\r\nFN:Jean Dupont\r\nN:Dupont;Jean;;;\r\n"
        "EMAIL:jd@acme.com\r\nORG:Acme\r\nNOTE:met at the conference\\nin Laval\r\n"
        "ADR;TYPE=WORK:;;1 rue X;Montréal;QC;H2X 1Y1;Canada\r\nURL:https://acme.com\r\n"
        "BDAY:1980-04-15\r\nEND:VCARD\r\n".encode())
    db = str(tmp_path / "d.db")
    api.import_paths([str(tmp_path / "phone.vcf")], db=db, source="phone", region="CA")
    api.import_paths([str(tmp_path / "crm.vcf")], db=db, source="crm", region="CA")
    (contact,) = api.contacts(db)
    detail = directory.show(db, contact["id"], date.today())
    shown = {(f["field"], f["value"]): f["from"] for f in detail["fields"]}
    crm, phone = [f"crm:{tmp_path / 'crm.vcf'}:1"], [f"phone:{tmp_path / 'phone.vcf'}:1"]
    assert shown[("addresses", "9 av. Y, Laval, QC H7A 1A1, Canada (home)")] == phone
    assert shown[("addresses", "1 rue X, Montréal, QC H2X 1Y1, Canada (work)")] == crm
    assert shown[("urls", "https://acme.com")] == crm
    assert shown[("note", "met at the conference\nin Laval")] == crm
    assert shown[("birthday", "1980-04-15")] == crm
    assert all(f["from"] for f in detail["fields"])
    assert all(isinstance(f["value"], str) for f in detail["fields"])
    table = directory.render_show(detail)
    assert "met at the conference in Laval" in table and "9 av. Y, Laval" in table
