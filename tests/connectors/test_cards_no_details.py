"""A card that shows only one line of text is a reject, not a company (QA F19)."""

from __future__ import annotations

from pathlib import Path

from reseausync.connector import ReadContext
from reseausync.models import Reject, SourceRecord
from reseausync_connectors.cards import CardsConnector


def read(target: Path) -> list:
    conn = CardsConnector({}, ReadContext(source="test", region="CA"))
    return list(conn.read(list(conn.discover(str(target)))))


def test_a_card_of_one_line_of_text_is_rejected_and_the_others_kept(tmp_path: Path) -> None:
    path = tmp_path / "multi.txt"
    path.write_text("Karine Bolduc\nRE/MAX Québec\nMobile 581-555-0101\n---\n\n---\n"
                    "Lorem ipsum dolor sit amet\n", encoding="utf-8")
    items = read(path)
    assert [type(i) for i in items] == [SourceRecord, Reject]
    assert items[0].display_name == "Karine Bolduc"
    reject = items[1]
    assert reject.reason == "no-contact-details"
    assert reject.locator == f"{path}:7"
    assert "Lorem ipsum dolor sit amet" in reject.message


def test_an_organization_with_a_way_to_reach_it_is_still_a_record(tmp_path: Path) -> None:
    for n, detail in enumerate(("Tél. 418-555-4444", "www.plomberiestefoy.ca",
                                "info@plomberiestefoy.ca",
                                "1200 route de l'Église\nQuébec QC G1V 4M1")):
        path = tmp_path / f"{n}.txt"
        path.write_text(f"Plomberie Ste-Foy inc.\n{detail}\n", encoding="utf-8")
        (record,) = read(path)
        assert isinstance(record, SourceRecord), (detail, record)
        assert record.organization == "Plomberie Ste-Foy inc."


def test_a_scan_with_only_a_company_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "scan.json"
    path.write_text('{"company": "Lorem ipsum dolor sit amet"}', encoding="utf-8")
    (reject,) = read(path)
    assert isinstance(reject, Reject) and reject.reason == "no-contact-details"
