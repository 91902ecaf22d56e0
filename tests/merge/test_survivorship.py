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
