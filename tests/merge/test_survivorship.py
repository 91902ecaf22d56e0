"""Survivorship of a one-record contact: each distinct value once, with its record."""

from __future__ import annotations

from reseausync.merge.survivorship import Member, canonical


def test_single_record_keeps_distinct_values_once_with_their_record() -> None:
    m = Member(7, "phone", "vcard", "a", "phone.vcf:1", {
        "display_name": "Tremblay, Jean-François",
        "emails": [{"value": "JF@Acme.ca"}, {"value": "jf@acme.ca "}, {"value": ""}],
        "phones": [{"value": "(514) 555-1234"}, {"value": "514-555-1234"}],
        "categories": ["Work", " work"], "addresses": [
            {"locality": "Montréal"}, {"locality": "MONTREAL"}, {"locality": ""}],
        "linkedin_url": "https://www.linkedin.com/in/JFTremblay/"},
        "", "2024-05-01T10:00:00+00:00")
    out = canonical([m], {}, "CA", ["review"])
    assert (out["given_name"], out["family_name"]) == ("Jean-François", "Tremblay")
    assert out["emails"] == ["jf@acme.ca"]
    assert out["phones"] == ["+15145551234"]
    assert out["categories"] == ["Work"]
    assert out["addresses"] == [{"locality": "Montréal"}]
    assert out["provenance"]["emails"] == {"jf@acme.ca": [7]}
    assert out["first_collected"] == "2024-05-01"
    assert out["photo"] == "" and "photo" not in out["provenance"]
    assert out["flags"] == ["review"]


def test_a_misread_given_name_does_not_rename_the_contact() -> None:
    # the scanned card is newer and more complete, so it ranks first; its "Mlke" is
    # no given name, so the phone book's "Mike" names the contact
    card = Member(1, "cards", "cards", "mike-rossi.txt", "mike-rossi.txt", {
        "given_name": "Mlke", "family_name": "Rossi", "display_name": "Mlke Rossi",
        "organization": "Ligue de hockey", "title": "Entraîneur",
        "phones": [{"value": "+15145559090"}], "emails": [{"value": "mike.rossi@outlook.com"}]},
        "", "2026-11-22")
    phone = Member(2, "phone", "vcard", "m", "phone.vcf:36", {
        "given_name": "Mike", "family_name": "Rossi", "display_name": "Mike Rossi",
        "phones": [{"value": "514.555.9090"}]}, "", "2024-01-01")
    out = canonical([card, phone], {}, "CA", [])
    assert (out["display_name"], out["given_name"]) == ("Mike Rossi", "Mike")
    assert out["organization"] == "Ligue de hockey"           # the card still ranks first
    # when no member's given name is a known one, the ranking decides as before
    zoltan = Member(3, "phone", "vcard", "z", "phone.vcf:1", {
        "given_name": "Zoltán", "family_name": "Rossi", "display_name": "Zoltán Rossi"},
        "", "2024-01-01")
    assert canonical([card, zoltan], {}, "CA", [])["given_name"] == "Mlke"


def test_a_given_name_of_punctuation_only_is_not_a_name() -> None:
    dot = Member(1, "cards", "cards", "x.txt", "x.txt:1", {
        "given_name": ".", "family_name": "Rossi", "display_name": ". Rossi"}, "", "2026-11-22")
    mike = Member(2, "phone", "vcard", "m", "phone.vcf:36", {
        "given_name": "Mike", "family_name": "Rossi"}, "", "2024-01-01")
    assert canonical([dot, mike], {}, "CA", [])["given_name"] == "Mike"
    assert canonical([dot], {}, "CA", [])["family_name"] == "Rossi"
