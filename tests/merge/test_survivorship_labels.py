"""What records say of a value beyond the value: its label (qa3_vcf #6), a
phone's extension (#8)."""

from __future__ import annotations

from reseausync.merge.survivorship import Member, canonical

# Outlook 2.1 as the vcard connector reads it: TEL;WORK;VOICE, TEL;CELL;VOICE,
# TEL;WORK;FAX, EMAIL;PREF;INTERNET (no label left), EMAIL;HOME
OUTLOOK = Member(1, "phone", "vcard", "p-steph", "phone.vcf:1", {
    "display_name": "Stéphane Bélanger", "given_name": "Stéphane", "family_name": "Bélanger",
    "emails": [{"value": "stephane.belanger@gmq.ca", "label": ""},
               {"value": "steph.b@videotron.ca", "label": "home"}],
    "phones": [{"value": "(418) 555-0142", "label": "work"},
               {"value": "(418) 555-0199", "label": "cell"},
               {"value": "(418) 555-0143", "label": "work,fax"}],
    "organization": "GMQ"}, "", None)
# Another source's card of the same person, with other labels; it ranks after the
# richer Outlook card
CRM = Member(2, "crm", "csv", "c-steph", "crm.csv:2", {
    "given_name": "Stéphane", "family_name": "Bélanger",
    "emails": [{"value": "Stephane.Belanger@gmq.ca", "label": "work"}],
    "phones": [{"value": "+1 418 555 0142", "label": "main"},
               {"value": "418-555-0100", "label": "Mobile"}],
    "organization": "Autre inc."}, "", None)


def test_each_value_keeps_the_first_label_a_record_gave_it() -> None:
    out = canonical([OUTLOOK, CRM], {"phone": 0}, "CA")
    # the INTERFACE lists are unchanged: E.164 numbers, normalized addresses; the fax
    # is a number of the person, its label says what kind
    assert out["phones"] == ["+14185550142", "+14185550199", "+14185550143", "+14185550100"]
    assert out["emails"] == ["stephane.belanger@gmq.ca", "steph.b@videotron.ca"]
    assert out["phone_labels"] == {"+14185550142": "work", "+14185550199": "cell",
                                   "+14185550143": "work,fax", "+14185550100": "Mobile"}
    # the first ranked record gave no label to its first address: the CRM's counts
    assert out["email_labels"] == {"stephane.belanger@gmq.ca": "work",
                                   "steph.b@videotron.ca": "home"}
    crm_first = canonical([OUTLOOK, CRM], {"crm": 0}, "CA")
    assert crm_first["phone_labels"]["+14185550142"] == "main"


def test_a_contact_without_any_keeps_its_stored_shape() -> None:
    plain = Member(5, "li", "linkedin", "u", "c.csv:2", {
        "given_name": "Ann", "family_name": "Lee", "emails": [{"value": "ann@x.org"}],
        "phones": [{"value": "+1 514 555 1234", "label": ""}], "organization": "X"}, "", None)
    out = canonical([plain], {}, "CA")
    assert "email_labels" not in out and "phone_labels" not in out


def test_a_phone_keeps_its_extension_beside_its_e164_number() -> None:
    """qa3_vcf #8: "x 2210", "poste 12" are not digits of the number, nor lost."""
    work = Member(6, "phone", "vcard", "w", "w.vcf:1", {
        "given_name": "Ann", "family_name": "Lee",
        "phones": [{"value": "(418) 555-0142 x 2210", "label": "work"},
                   {"value": "+81-3-6748-2111;ext=204", "label": ""}]}, "", None)
    crm = Member(7, "crm", "csv", "c", "c.csv:2", {
        "given_name": "Ann", "family_name": "Lee",
        "phones": [{"value": "418-555-0142", "label": ""},
                   {"value": "418-555-0100 poste 12", "label": ""}]}, "", None)
    out = canonical([work, crm], {"phone": 0}, "CA")
    assert out["phones"] == ["+14185550142", "+81367482111", "+14185550100"]
    assert out["phone_extensions"] == {"+14185550142": "2210", "+81367482111": "204",
                                       "+14185550100": "12"}
    assert canonical([crm], {}, "CA")["phone_extensions"] == {"+14185550100": "12"}
    assert "phone_extensions" not in canonical([OUTLOOK], {}, "CA")


NAMED = Member(8, "phone", "vcard", "n", "n.vcf:1", {
    "display_name": "M. Stéphane Louis Bélanger, ing.", "given_name": "Stéphane",
    "family_name": "Bélanger", "middle_name": "Louis", "prefix": "M.", "suffix": "ing.",
    "nickname": "Steph", "emails": [{"value": "sb@gmq.ca", "label": ""}],
    "organization": "GMQ", "title": "Ingénieur",
    "extra": {"org_units": ["Ingénierie", "Structures"]}}, "", None)
OTHER = Member(9, "crm", "csv", "o", "o.csv:2", {
    "given_name": "Stéphane", "family_name": "Bélanger", "prefix": "Dr",
    "nickname": "Stef", "emails": [{"value": "sb@gmq.ca", "label": ""}],
    "organization": "Autre inc.", "extra": {"org_units": ["Ventes"]}}, "", None)


def test_name_parts_come_from_the_naming_record_and_units_from_the_organizations() -> None:
    """qa3_vcf #11: N's middle name, prefix and suffix, NICKNAME, ORG's department."""
    out = canonical([NAMED, OTHER], {"phone": 0}, "CA")
    assert (out["middle_name"], out["prefix"], out["suffix"]) == ("Louis", "M.", "ing.")
    assert out["nickname"] == "Steph" and out["provenance"]["nickname"] == 8
    assert out["organization"] == "GMQ" and out["org_units"] == ["Ingénierie", "Structures"]
    assert out["provenance"]["org_units"] == 8 and out["provenance"]["middle_name"] == 8
    crm_first = canonical([NAMED, OTHER], {"crm": 0}, "CA")
    # never one card's middle name with another's prefix, nor GMQ's department
    # under another company
    assert crm_first["prefix"] == "Dr" and "middle_name" not in crm_first
    assert crm_first["organization"] == "Autre inc." and crm_first["org_units"] == ["Ventes"]
    assert crm_first["nickname"] == "Stef"
    for key in ("middle_name", "prefix", "suffix", "nickname", "org_units"):
        assert key not in canonical([OUTLOOK], {}, "CA")


def test_a_contact_known_by_a_nickname_only_is_displayed_by_it() -> None:
    """qa3_csv F9: a Google row with only Nickname "Dédé" and an e-mail."""
    dede = Member(10, "google", "csv", "dede@example.org", "g.csv:4", {
        "nickname": "Dédé", "emails": [{"value": "dede@example.org", "label": ""}],
        "organization": "Acme"}, "", None)
    out = canonical([dede], {}, "CA")
    assert out["display_name"] == "Dédé" and out["nickname"] == "Dédé"
    assert (out["given_name"], out["family_name"]) == ("", "")
    assert out["provenance"]["display_name"] == 10
    named = Member(11, "x", "csv", "k", "x.csv:2", {
        "given_name": "Catherine", "family_name": "O'Brien", "nickname": "Kate"}, "", None)
    assert canonical([named], {}, "CA")["display_name"] == "Catherine O'Brien"
