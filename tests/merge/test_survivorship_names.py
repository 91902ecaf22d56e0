"""The canonical contact's name parts (QA F19): a title before the given name and a
credential after the family name belong to neither, as for the matcher."""

from __future__ import annotations

from reseausync.merge.survivorship import Member, canonical


def _one(data: dict) -> dict:
    return canonical([Member(1, "s", "vcard", "a", "a.vcf:1", data, "", None)], {}, "CA")


def test_a_title_before_the_display_name_is_not_the_given_name() -> None:
    out = _one({"display_name": "Dr. Amélie St-Pierre"})
    assert (out["display_name"], out["given_name"], out["family_name"]) == (
        "Dr. Amélie St-Pierre", "Amélie", "St-Pierre")


def test_a_title_before_one_word_names_the_family_name() -> None:
    out = _one({"display_name": "Me Tremblay"})
    assert (out["given_name"], out["family_name"]) == ("", "Tremblay")
    assert _one({"display_name": "Tremblay"})["given_name"] == "Tremblay"


def test_a_credential_after_the_family_name_is_not_part_of_it() -> None:
    # LinkedIn Connections.csv: First Name "Paul", Last Name "Lévesque, CPA"
    out = _one({"given_name": "Paul", "family_name": "Lévesque, CPA",
                "display_name": "Paul Lévesque, CPA"})
    assert (out["given_name"], out["family_name"]) == ("Paul", "Lévesque")
    assert out["display_name"] == "Paul Lévesque, CPA"        # as the person signs
    out = _one({"display_name": "Paul Lévesque, CPA"})
    assert (out["given_name"], out["family_name"]) == ("Paul", "Lévesque")


def test_a_title_filled_into_the_given_name_field_is_dropped() -> None:
    out = _one({"given_name": "Dr. Amélie", "family_name": "St-Pierre"})
    assert (out["given_name"], out["family_name"]) == ("Amélie", "St-Pierre")


def test_an_organization_only_contact_is_displayed_by_its_organization() -> None:
    # Google CSV row with only "Plomberie Ste-Foy inc." and a phone
    out = _one({"organization": "Plomberie Ste-Foy inc.", "phones": [{"value": "4185554444"}]})
    assert out["display_name"] == "Plomberie Ste-Foy inc."
    assert (out["given_name"], out["family_name"]) == ("", "")
    assert out["provenance"]["display_name"] == 1
    # a person's contact keeps the person's name
    assert _one({"display_name": "Ann Lee", "organization": "Acme"})["display_name"] == "Ann Lee"
