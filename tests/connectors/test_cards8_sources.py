"""What a card file holds besides OCR lines, and where its date comes from.

QA round 8: a QR code's vCard payload pasted into a card file gave a contact named
"ORG:Shopify" (cards finding 4); a card's collection date came from its file's
modification time read in the machine's zone (dates finding 5).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from reseausync.connector import ReadContext
from reseausync.models import Reject, SourceRecord
from reseausync_connectors.cards import CardsConnector

QR = ("BEGIN:VCARD\nVERSION:3.0\nN:Leclerc;Amélie;;;\nFN:Amélie Leclerc\nORG:Shopify\n"
      "TITLE:Product Manager\nTEL;TYPE=CELL:+1 514 555 7788\n"
      "EMAIL:amelie.leclerc@shopify.com\nURL:https://www.shopify.com\nEND:VCARD\n")


def read(path: Path) -> list:
    conn = CardsConnector({}, ReadContext(source="test", region="CA"))
    return list(conn.read(list(conn.discover(str(path)))))


def test_a_qr_code_vcard_in_a_card_file_is_read_as_a_vcard(tmp_path: Path) -> None:
    path = tmp_path / "09-qr-vcard.txt"
    path.write_text(QR, encoding="utf-8")
    [rec] = read(path)
    assert isinstance(rec, SourceRecord)
    assert (rec.display_name, rec.given_name, rec.family_name) == (
        "Amélie Leclerc", "Amélie", "Leclerc")
    assert (rec.organization, rec.title) == ("Shopify", "Product Manager")
    assert [e.value for e in rec.emails] == ["amelie.leclerc@shopify.com"]
    assert rec.phones and rec.phones[0].value.replace(" ", "") == "+15145557788"
    assert (rec.connector, rec.external_id, rec.extra["organization_only"]) == (
        "cards", "09-qr-vcard.txt", False)
    assert not any(":" in v for v in (rec.display_name, rec.organization, rec.title))


def test_text_around_the_qr_payload_is_kept_and_other_cards_still_read(
        tmp_path: Path) -> None:
    path = tmp_path / "stack.txt"
    path.write_text("Scanned with QR Reader\n" + QR + "---\nLuc Bergeron\nPrésident\n"
                    "luc@bergerondesign.ca\n514-555-0111\n", encoding="utf-8")
    first, second = read(path)
    assert first.display_name == "Amélie Leclerc"
    assert first.extra["unclaimed_lines"] == ["Scanned with QR Reader"]
    assert second.display_name == "Luc Bergeron"


def test_a_qr_payload_the_vcard_reader_refuses_is_a_reject_with_the_reason(
        tmp_path: Path) -> None:
    path = tmp_path / "bad-qr.txt"
    path.write_text("BEGIN:VCARD\nEND:VCARD\n", encoding="utf-8")
    [item] = read(path)
    assert isinstance(item, Reject)
    assert item.reason == "unreadable-vcard"
    assert "bad-qr.txt" in item.message and "--connector vcard" in item.message
    assert item.locator.endswith("bad-qr.txt:1")


@pytest.fixture
def zone() -> Iterator[None]:
    before = os.environ.get("TZ")
    yield
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.mark.parametrize("tz", ["UTC", "Asia/Kolkata", "Pacific/Kiritimati",
                                "America/Los_Angeles"])
def test_a_cards_collection_date_does_not_depend_on_the_machines_zone(
        tmp_path: Path, zone: None, tz: str) -> None:
    path = tmp_path / "sophie-martin.txt"
    path.write_text("Sophie Martin\nAvocate\nsophie@martin-avocats.ca\n514 555 0100\n",
                    encoding="utf-8")
    stamp = datetime(2026, 11, 22, 22, 1, 33, tzinfo=UTC).timestamp()
    os.utime(path, (stamp, stamp))
    os.environ["TZ"] = tz
    time.tzset()
    [rec] = read(path)
    assert rec.collected_at == date(2026, 11, 22)


def test_card_files_read_by_an_older_version_are_read_again_once() -> None:
    """The same files now give other records (two people apart, a QR vCard): the
    connector's read_version makes each stored card file be read again once."""
    assert CardsConnector.read_version >= 1
