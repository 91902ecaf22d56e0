"""Business-card locations name the file as given, folder included (QA2 docs F15),
like the vCard and CSV connectors' `<path>:<line>`; where a card was read is still
not part of what it says."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from reseausync import api
from reseausync.connector import ReadContext
from reseausync.models import Reject, SourceRecord
from reseausync_connectors.cards import CardsConnector


def _read(target: Path) -> list:
    conn = CardsConnector({}, ReadContext(source="cards", region="CA"))
    return list(conn.read(list(conn.discover(str(target)))))


def _two_folders(root: Path) -> None:
    for folder, who in (("montreal", "Ann Lee\nann@lee.io\n"),
                        ("quebec", "Bo Park\nbo@park.io\n---\nLorem ipsum dolor\n")):
        (root / folder).mkdir(parents=True)
        (root / folder / "card.txt").write_text(who, encoding="utf-8")


def test_cards_of_the_same_name_in_two_folders_are_told_apart(tmp_path: Path) -> None:
    _two_folders(tmp_path / "cards")
    items = _read(tmp_path / "cards")
    located = sorted((type(i).__name__, i.locator) for i in items)
    assert located == [
        ("Reject", f"{tmp_path}/cards/quebec/card.txt:4"),
        ("SourceRecord", f"{tmp_path}/cards/montreal/card.txt:1"),
        ("SourceRecord", f"{tmp_path}/cards/quebec/card.txt:1")]
    # the external ids stay relative to the folder imported
    assert sorted(i.external_id for i in items if isinstance(i, SourceRecord)) == [
        "montreal/card.txt", "quebec/card.txt#1"]


def test_a_single_card_file_is_located_by_its_path(tmp_path: Path) -> None:
    path = tmp_path / "in" / "c.txt"
    path.parent.mkdir()
    path.write_text("Lorem ipsum dolor sit amet\n", encoding="utf-8")
    (reject,) = _read(path)
    assert isinstance(reject, Reject) and reject.locator == f"{path}:1"
    scans = tmp_path / "in" / "s.json"
    scans.write_text(json.dumps([{"name": "Ann Lee", "emails": ["ann@lee.io"]}]),
                     encoding="utf-8")
    (record,) = _read(scans)
    assert record.locator == f"{scans}#1"


def test_a_card_folder_moved_elsewhere_is_unchanged(tmp_path: Path) -> None:
    _two_folders(tmp_path / "a" / "cards")
    db = str(tmp_path / "t.db")
    (one,) = api.import_paths([str(tmp_path / "a" / "cards")], db=db, source="cards")
    shutil.copytree(tmp_path / "a" / "cards", tmp_path / "b" / "cards")
    (two,) = api.import_paths([str(tmp_path / "b" / "cards")], db=db, source="cards")
    assert one.counts["added"] == 2
    assert (two.counts["added"], two.counts["updated"], two.counts["unchanged"]) == (0, 0, 2)
