"""Business-card external ids: two files of one name in one import are two people,
and every id an import gave before stays as it was (contact ids derive from them).

A mixed folder's card files are routed to the cards connector one by one, so each
was named by its file name alone: `a/card.txt` and `b/card.txt` were both
`card.txt`, and the second a duplicate-id reject.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from reseausync import api
from reseausync.connector import Unit
from reseausync.files import suffix_filter, walk
from reseausync_connectors.cards import CardsConnector
from reseausync_connectors.cards import connector as cards_module

VCARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zed Quinn\r\nEMAIL:zed@quinn.io\r\nEND:VCARD\r\n"


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))


def _mixed(root: Path, cards: dict[str, str]) -> None:
    """A user's exports folder: a phone book beside card transcriptions."""
    _write(root, cards)
    (root / "phone.vcf").write_bytes(VCARD.encode("utf-8"))


def _card_ids(db: Path) -> list[tuple[str, str]]:
    """(external id, display name) of the live card records, from the store itself."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT external_id, json_extract(data, '$.display_name') "
                            "FROM records WHERE connector='cards' AND removed_at IS NULL")
        return sorted(rows)


def _contact_of(db: Path, name: str) -> str:
    (contact,) = [c["id"] for c in api.contacts(str(db)) if c["display_name"] == name]
    return contact


def _import(db: Path, *paths: Path) -> list:
    results = api.import_paths([str(p) for p in paths], db=str(db))
    assert api.rejects(str(db), results[-1].run) == []
    return results


ANN = "Ann Lee\nann@lee.io\n"
BO = "Bo Park\nbo.park@gmail.com\n"


def test_same_named_cards_in_two_subfolders_of_a_mixed_import(tmp_path: Path) -> None:
    _mixed(tmp_path / "exports", {"montreal/card.txt": ANN, "quebec/card.txt": BO})
    db = tmp_path / "d.db"
    results = api.import_paths([str(tmp_path / "exports")], db=str(db))
    assert all(api.rejects(str(db), r.run) == [] for r in results)
    assert _card_ids(db) == [("montreal/card.txt", "Ann Lee"), ("quebec/card.txt", "Bo Park")]
    assert sorted(c["display_name"] for c in api.contacts(str(db))) == [
        "Ann Lee", "Bo Park", "Zed Quinn"]


def test_same_named_card_files_named_on_the_command_line(tmp_path: Path) -> None:
    _write(tmp_path / "scans", {"2023/card.txt": ANN, "2024/card.txt": BO})
    db = tmp_path / "d.db"
    _import(db, tmp_path / "scans" / "2023" / "card.txt", tmp_path / "scans" / "2024" /
            "card.txt")
    assert _card_ids(db) == [("2023/card.txt", "Ann Lee"), ("2024/card.txt", "Bo Park")]


def test_a_card_directly_in_the_shared_folder_is_named_from_it(tmp_path: Path) -> None:
    _mixed(tmp_path / "exports", {"card.txt": ANN, "old/card.txt": BO})
    db = tmp_path / "d.db"
    api.import_paths([str(tmp_path / "exports")], db=str(db))
    assert _card_ids(db) == [("./card.txt", "Ann Lee"), ("old/card.txt", "Bo Park")]


def test_a_card_beside_one_of_its_name_imported_before(tmp_path: Path) -> None:
    """The subfolder's card kept the bare id when it was alone; the card that joins
    it directly in the folder must not claim that id (it would be a duplicate, and
    then an unchanged file nobody reads again)."""
    exports = tmp_path / "exports"
    _mixed(exports, {"archive/card.txt": ANN})
    db = tmp_path / "d.db"
    api.import_paths([str(exports)], db=str(db))
    ann = _contact_of(db, "Ann Lee")
    _write(exports, {"card.txt": BO})
    _import(db, exports)
    assert _card_ids(db) == [("./card.txt", "Bo Park"), ("card.txt", "Ann Lee")]
    assert _contact_of(db, "Ann Lee") == ann


@pytest.mark.parametrize(("layout", "mixed", "ids"), [
    ({"ann.txt": ANN, "bo.txt": BO}, False, ["ann.txt", "bo.txt"]),
    ({"ann.txt": ANN, "sub/bo.txt": BO}, False, ["ann.txt", "sub/bo.txt"]),
    ({"ann.txt": ANN, "sub/bo.txt": BO}, True, ["ann.txt", "bo.txt"]),
    ({"a/ann.txt": ANN, "b/bo.txt": BO + "---\nCy Roy\ncy@roy.io\n"}, True,
     ["ann.txt", "bo.txt#1", "bo.txt#2"]),
])
def test_the_ids_of_cards_of_distinct_names_are_as_before(
        tmp_path: Path, layout: dict[str, str], mixed: bool, ids: list[str]) -> None:
    (_mixed if mixed else _write)(tmp_path / "cards", layout)
    db = tmp_path / "d.db"
    api.import_paths([str(tmp_path / "cards")], db=str(db))
    assert [i for i, _ in _card_ids(db)] == ids


def test_a_card_imported_before_keeps_its_id_and_contact(tmp_path: Path) -> None:
    exports = tmp_path / "exports"
    _mixed(exports, {"montreal/card.txt": ANN})
    db = tmp_path / "d.db"
    api.import_paths([str(exports)], db=str(db))
    ann = _contact_of(db, "Ann Lee")
    _write(exports, {"quebec/card.txt": BO})
    api.import_paths([str(exports)], db=str(db))
    assert _card_ids(db) == [("card.txt", "Ann Lee"), ("quebec/card.txt", "Bo Park")]
    assert _contact_of(db, "Ann Lee") == ann
    again = api.import_paths([str(exports)], db=str(db))
    assert (again[-1].counts["added"], again[-1].counts["updated"]) == (0, 0)


def _old_discover(self: CardsConnector, target: str) -> Iterator[Unit]:
    """How the version before this one listed cards: the name alone, whatever else
    the run listed."""
    root = Path(target)
    for unit in walk(target, suffix_filter(*cards_module.CARD_SUFFIXES)):
        yield replace(unit, meta={**unit.meta, "name": cards_module._relative(root, unit)})


def test_a_card_an_older_import_rejected_as_a_duplicate_is_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    exports = tmp_path / "exports"
    _mixed(exports, {"montreal/card.txt": ANN, "quebec/card.txt": BO})
    db = tmp_path / "d.db"
    with monkeypatch.context() as old:
        old.setattr(CardsConnector, "discover", _old_discover)
        old.setattr(CardsConnector, "_name", lambda self, unit: unit.meta["name"])
        api.import_paths([str(exports)], db=str(db))
    assert _card_ids(db) == [("card.txt", "Ann Lee")]       # Bo was a duplicate id
    ann = _contact_of(db, "Ann Lee")
    api.import_paths([str(exports)], db=str(db))            # no file touched
    assert _card_ids(db) == [("card.txt", "Ann Lee"), ("quebec/card.txt", "Bo Park")]
    assert _contact_of(db, "Ann Lee") == ann
