"""The cards connector: the shared contract, then one test per real-world oddity."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from reseausync.connector import ReadContext
from reseausync.models import Interaction, Reject, SourceRecord
from reseausync_connectors.cards import CardsConnector

from .contract import ConnectorContract

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples" / "cards"
FIXTURES = ROOT / "tests" / "fixtures" / "cards"
ODD = FIXTURES / "oddities"
BROKEN = FIXTURES / "broken"


class TestCardsContract(ConnectorContract):
    connector_cls = CardsConnector
    good_target = SAMPLES
    broken_target = BROKEN
    expected_records = 4                # Mike Rossi's misread card included
    after_bad_external_id = "e-mixed.txt#3"
    context = ReadContext(source="test", region="CA")


def read(target: Path, region: str | None = "CA", **options) -> list:
    conn = CardsConnector(options, ReadContext(source="test", region=region))
    return list(conn.read(list(conn.discover(str(target)))))


def card(path: Path, region: str | None = "CA") -> SourceRecord:
    items = read(path, region)
    records = [i for i in items if isinstance(i, SourceRecord)]
    assert len(records) == 1, items
    return records[0]


def phones(record: SourceRecord) -> list[tuple[str, str]]:
    return [(p.value, p.label) for p in record.phones]


def test_bilingual_card_reads_both_labels_and_the_montreal_address() -> None:
    rec = card(ODD / "bilingual.txt")
    assert rec.display_name == "Jean-François Tremblay"
    assert (rec.given_name, rec.family_name) == ("Jean-François", "Tremblay")
    assert rec.organization == "Acme Inc."
    assert rec.title.startswith("Directeur des ventes")
    assert phones(rec) == [("+15145551234", "work"), ("+15145559876", "cell")]
    [address] = rec.addresses
    assert (address.postal_code, address.locality, address.region, address.country) == (
        "H3B 4W5", "Montréal", "QC", "Canada")
    assert "Gauchetière" in address.street


def test_two_phones_and_a_fax_keep_their_labels_and_the_extension() -> None:
    rec = card(ODD / "two-phones-and-fax.txt")
    assert phones(rec) == [("+16135550199 ext. 42", "direct"), ("+16135557711", "cell"),
                           ("+16135550100", "fax")]
    assert rec.display_name == "Catherine O'Brien"


def test_name_in_capitals_is_proper_cased_but_company_kept_as_printed() -> None:
    rec = card(ODD / "name-in-capitals.txt")
    assert rec.display_name == "Élise Gagnon-Lavoie"
    assert rec.organization == "GROUPE MÉDIA BOREAL LTÉE"
    assert rec.title == "CONSEILLÈRE EN COMMUNICATION"
    assert [e.value for e in rec.emails] == ["elise.gagnon@mediaboreal.ca"]


def test_company_line_first_does_not_become_the_name() -> None:
    rec = card(ODD / "company-first.txt")
    assert rec.display_name == "Frédéric Lavoie"
    assert rec.organization == "BOMBARDIER"
    assert rec.title == "Ventes"
    assert [e.value for e in rec.emails] == ["fred.lavoie@bombardier.com"]


def test_email_split_over_two_lines_is_joined() -> None:
    rec = card(ODD / "email-split.txt")
    assert [e.value for e in rec.emails] == ["thomas.nguyen@desjardins.com"]
    assert rec.organization == "Desjardins"
    assert "ins.com" not in json.dumps(rec.extra)


def test_card_without_a_name_is_an_organization_record() -> None:
    rec = card(ODD / "no-name.txt")
    assert rec.display_name == ""
    assert rec.organization == "Boulangerie St-Viateur Inc."
    assert rec.extra["organization_only"] is True
    assert phones(rec) == [("+15145554444", "work")]


def test_several_cards_in_one_file_get_numbered_ids_and_line_locators() -> None:
    records = [i for i in read(ODD / "several.txt") if isinstance(i, SourceRecord)]
    assert [(r.external_id, r.locator) for r in records] == [
        ("several.txt#1", f"{ODD / 'several.txt'}:1"),
        ("several.txt#2", f"{ODD / 'several.txt'}:6")]
    assert phones(records[1]) == [("+15145550300 ext. 1234", "work")]


def test_json_scan_list_uses_app_fields_and_scan_dates() -> None:
    records = [i for i in read(ODD / "scan-list.json") if isinstance(i, SourceRecord)]
    assert [r.external_id for r in records] == ["scan-list.json#1", "scan-list.json#2"]
    lucas, nathalie = records
    assert lucas.title == "Plombier" and lucas.extra["confidence"]["title"] >= 0.9
    assert "unclaimed_lines" not in lucas.extra
    assert lucas.collected_at == date(2023, 11, 14)
    assert nathalie.collected_at == date(2023, 6, 1)
    assert phones(nathalie) == [("+15145550001", "work"), ("+15145550002", "cell")]
    # No text to check the app against: kept, but not presented as confirmed.
    assert nathalie.extra["confidence"]["name"] < lucas.extra["confidence"]["name"]
    assert nathalie.raw and "Nathalie" in nathalie.raw


def test_app_field_the_text_contradicts_is_kept_and_flagged(tmp_path: Path) -> None:
    scan = {"text": "Sophie Martin\nAvocate\ns.martin@martinassocies.fr",
            "name": "Sophie Martin", "company": "Cabinet Dupont", "scanned_at": "2024-05-02"}
    (tmp_path / "scan.json").write_text(json.dumps(scan), encoding="utf-8")
    rec = card(tmp_path / "scan.json")
    assert rec.organization == "Cabinet Dupont"
    assert "organization" in rec.extra["low_confidence"]
    assert "name" not in rec.extra["low_confidence"]


def test_samples_match_the_cast() -> None:
    by_id = {r.external_id: r for r in read(SAMPLES) if isinstance(r, SourceRecord)}
    bob = by_id["robert-chen.txt"]
    assert (bob.display_name, bob.title, bob.organization) == ("Robert Chen", "CTO",
                                                               "NIMBUS LABS INC.")
    assert ("+14165550142", "work") in phones(bob)
    assert [e.value for e in bob.emails] == ["bob@nimbuslabs.io"]
    sophie = by_id["sophie-martin.txt"]
    assert sophie.display_name == "Sophie Martin" and sophie.prefix == "Me"
    assert phones(sophie) == [("+33142685300", "work"), ("+33142685301", "fax")]
    assert [e.value for e in sophie.emails] == ["s.martin@martinassocies.fr"]
    assert sophie.addresses[0].postal_code == "75002"
    priya = by_id["priya-natarajan.json"]
    assert (priya.display_name, priya.organization) == ("Priya Natarajan", "Coveo")
    assert priya.collected_at == date(2024, 3, 14)
    assert [e.value for e in priya.emails] == ["pnatarajan@coveo.com"]
    assert priya.linkedin_url == "https://www.linkedin.com/in/priyanatarajan"


def test_a_card_is_collection_never_an_interaction() -> None:
    items = read(SAMPLES) + read(ODD)
    assert not [i for i in items if isinstance(i, Interaction)]


def test_collected_at_falls_back_to_the_file_date(tmp_path: Path) -> None:
    path = tmp_path / "card.txt"
    path.write_text("Mike Rossi\nmike.rossi@outlook.com\n", encoding="utf-8")
    stamp = 1_700_000_000  # 2023-11-14 UTC
    os.utime(path, (stamp, stamp))
    assert card(path).collected_at == date.fromtimestamp(stamp)


def test_without_region_national_numbers_stay_digits_but_plus_numbers_parse(
        tmp_path: Path) -> None:
    path = tmp_path / "card.txt"
    path.write_text("Mike Rossi\nCell 514 555 9090\nFax +1 514 555 9091\n", encoding="utf-8")
    assert phones(card(path, region=None)) == [("5145559090", "cell"), ("+15145559091", "fax")]


def test_card_country_helps_numbers_the_default_region_rejects(tmp_path: Path) -> None:
    path = tmp_path / "card.txt"
    path.write_text("Sophie Martin\nTél. 01 42 68 53 00\n75002 Paris\n", encoding="utf-8")
    assert phones(card(path, region="CA")) == [("+33142685300", "work")]


def test_low_confidence_fields_are_kept_and_listed(tmp_path: Path) -> None:
    path = tmp_path / "card.txt"
    path.write_text("Jane Roe\nPlanet Express\njane@roe.example\n", encoding="utf-8")
    rec = card(path)
    assert rec.organization == "Planet Express"
    conf = rec.extra["confidence"]
    assert rec.extra["low_confidence"] == sorted(k for k, v in conf.items() if v < 0.6)
    assert "organization" in rec.extra["low_confidence"]
    strict = [i for i in read(path, min_confidence=0.99) if isinstance(i, SourceRecord)][0]
    assert set(strict.extra["low_confidence"]) == set(conf)


@pytest.mark.parametrize(("name", "reason"), [
    ("a-empty.txt", "empty-file"), ("b-binary.txt", "binary-file"),
    ("c-grocery.txt", "no-person"), ("f-bad.json", "bad-json")])
def test_bad_files_are_rejected_with_the_file_name(name: str, reason: str) -> None:
    items = read(BROKEN / name)
    assert [type(i) for i in items] == [Reject]
    assert items[0].reason == reason
    assert name in items[0].message


def test_a_bad_json_scan_is_a_reject_and_the_next_one_is_read(tmp_path: Path) -> None:
    data = [{"name": "Ann Lee", "scanned_at": "not a date"}, "oops",
            {"name": "Bo Park", "emails": ["bo@park.io"]}]
    (tmp_path / "s.json").write_text(json.dumps(data), encoding="utf-8")
    items = read(tmp_path / "s.json")
    assert [(type(i).__name__, i.locator) for i in items] == [
        ("Reject", f"{tmp_path}/s.json#1"), ("Reject", f"{tmp_path}/s.json#2"),
        ("SourceRecord", f"{tmp_path}/s.json#3")]


def test_can_open() -> None:
    assert CardsConnector.can_open(str(SAMPLES))
    assert CardsConnector.can_open(str(ODD / "bilingual.txt"))
    assert CardsConnector.can_open(str(SAMPLES / "priya-natarajan.json"))
    assert not CardsConnector.can_open(str(BROKEN / "b-binary.txt"))
    assert not CardsConnector.can_open(str(BROKEN / "c-grocery.txt"))


def test_can_open_refuses_folders_of_other_formats(tmp_path: Path) -> None:
    (tmp_path / "card.txt").write_text("Ann Lee\nann@lee.io\n", encoding="utf-8")
    assert CardsConnector.can_open(str(tmp_path))
    (tmp_path / "contacts.vcf").write_text("BEGIN:VCARD\nEND:VCARD\n", encoding="utf-8")
    assert not CardsConnector.can_open(str(tmp_path))
    (tmp_path / "other.json").write_text('{"version": 3, "rows": []}', encoding="utf-8")
    assert not CardsConnector.can_open(str(tmp_path / "other.json"))


def test_ids_are_relative_to_the_folder(tmp_path: Path) -> None:
    (tmp_path / "2024").mkdir()
    (tmp_path / "2024" / "ann.txt").write_text("Ann Lee\nann@lee.io\n", encoding="utf-8")
    [rec] = read(tmp_path)
    assert rec.external_id == "2024/ann.txt"
    assert rec.locator == f"{tmp_path}/2024/ann.txt:1"
    assert rec.raw == "Ann Lee\nann@lee.io"


def test_a_name_cut_over_two_lines_is_joined_when_the_email_spells_it(tmp_path: Path) -> None:
    """QA: "Marie-Claude" / "Bergeron-Lapointe" on two lines made an organization-only
    record "Énergir", the person's name lost in the unclaimed lines."""
    path = tmp_path / "split.txt"
    path.write_text("Marie-Claude\nBergeron-Lapointe\nConseillère principale,\n"
                    "relations gouvernementales\nÉnergir\nmc.bergeron-lapointe@energir.com\n"
                    "514 598-3000\n", encoding="utf-8")
    record = card(path)
    assert (record.given_name, record.family_name) == ("Marie-Claude", "Bergeron-Lapointe")
    assert record.organization == "Énergir"
    # without the email's word for it, a given name over a title is not a name
    path.write_text("Marie-Claude\nConseillère principale\nÉnergir\ninfo@energir.com\n",
                    encoding="utf-8")
    assert card(path).family_name == ""
