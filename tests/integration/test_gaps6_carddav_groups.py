"""A CardDAV book's contact groups become categories of their members, on a real
Radicale server: a member added to a group changes only the group's card, and the
member's unchanged card must still get the category in that same sync (and lose
it when removed), equal to what a fresh pull of the book gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reseausync.store import Store

from .conftest import Radicale
from .test_carddav_radicale import pull

pytestmark = pytest.mark.integration


def person(uid: str, name: str, phone: str) -> str:
    return (f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{name}\r\n"
            f"TEL;TYPE=cell:+1514555{phone}\r\nEND:VCARD\r\n")


def apple_group(name: str, *members: str) -> str:
    lines = ["BEGIN:VCARD", "VERSION:3.0", "UID:grp-1", f"FN:{name}", f"N:{name};;;;",
             "X-ADDRESSBOOKSERVER-KIND:group"]
    lines += [f"X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:{m}" for m in members]
    return "\r\n".join([*lines, "END:VCARD"]) + "\r\n"


def kind_group(name: str, *members: str) -> str:
    lines = ["BEGIN:VCARD", "VERSION:4.0", "UID:grp-2", f"FN:{name}", "KIND:group"]
    lines += [f"MEMBER:urn:uuid:{m}" for m in members]
    return "\r\n".join([*lines, "END:VCARD"]) + "\r\n"


ANN = person("0a1b-ann", "Ann Proulx", "0101")
BOB = person("0b2c-bob", "Bob Lessard", "0202")
CAROL = person("0c3d-carol", "Carol Fortin", "0303")


def categories(store: Store) -> dict[str, list[str]]:
    rows = store.db.execute("SELECT data FROM records WHERE source='team' AND "
                            "removed_at IS NULL")
    out = {}
    for (text,) in rows:
        data = json.loads(text)
        out[data["display_name"]] = data.get("categories") or []
    return out


def fresh(tmp_path: Path, book: str, n: int) -> dict[str, list[str]]:
    """What a first pull of the book as it is now gives: a sync must equal it."""
    store = Store.open(tmp_path / f"fresh{n}.db")
    try:
        pull(store, book)
        return categories(store)
    finally:
        store.close()


def test_a_member_added_then_removed_across_syncs(radicale: Radicale, book: str,
                                                  tmp_path: Path, password_env: str) -> None:
    store = Store.open(tmp_path / "d.db")
    radicale.put_card(book, "0a1b-ann.vcf", ANN)
    radicale.put_card(book, "0b2c-bob.vcf", BOB)
    radicale.put_card(book, "c-77.vcf", CAROL)       # an href that does not spell the UID
    radicale.put_card(book, "famille.vcf", apple_group("Famille", "0a1b-ann"))
    counts, conn = pull(store, book)
    assert (counts["added"], counts["rejected"]) == (3, 1)        # the group: a reject
    assert categories(store) == {"Ann Proulx": ["Famille"], "Bob Lessard": [],
                                 "Carol Fortin": []}
    # Bob and Carol added: only the group's card changes on the server
    radicale.put_card(book, "famille.vcf",
                      apple_group("Famille", "0a1b-ann", "0b2c-bob", "0c3d-carol"))
    counts, conn = pull(store, book)
    assert categories(store) == {"Ann Proulx": ["Famille"], "Bob Lessard": ["Famille"],
                                 "Carol Fortin": ["Famille"]}
    assert (counts["updated"], counts["unchanged"], counts["added"]) == (2, 1, 0)
    assert conn.stats["bodies_fetched"] == 3          # the group, then Bob and Carol
    assert categories(store) == fresh(tmp_path, book, 1)
    # Ann removed from the group
    radicale.put_card(book, "famille.vcf", apple_group("Famille", "0b2c-bob", "0c3d-carol"))
    counts, _ = pull(store, book)
    assert categories(store)["Ann Proulx"] == []
    assert (counts["updated"], counts["unchanged"]) == (1, 2)
    assert categories(store) == fresh(tmp_path, book, 2)
    # nothing changed: nothing fetched, nothing updated
    counts, conn = pull(store, book)
    assert (counts["updated"], conn.stats["bodies_fetched"]) == (0, 0)
    # the group deleted: its members lose it
    radicale.delete_card(book, "famille.vcf")
    counts, _ = pull(store, book)
    assert categories(store) == {"Ann Proulx": [], "Bob Lessard": [], "Carol Fortin": []}
    assert counts["updated"] == 2
    store.close()


def test_a_vcard4_group_renamed_and_a_member_edited_in_one_sync(
        radicale: Radicale, book: str, tmp_path: Path, password_env: str) -> None:
    store = Store.open(tmp_path / "d.db")
    radicale.put_card(book, "0a1b-ann.vcf", ANN)
    radicale.put_card(book, "0b2c-bob.vcf", BOB)
    radicale.put_card(book, "zz-group.vcf", kind_group("Hockey", "0a1b-ann"))
    pull(store, book)
    assert categories(store)["Ann Proulx"] == ["Hockey"]
    # the same sync renames the group and edits Ann (read before the group: a.vcf < z)
    radicale.put_card(book, "zz-group.vcf", kind_group("Soccer", "0a1b-ann", "0b2c-bob"))
    radicale.put_card(book, "0a1b-ann.vcf", ANN.replace("0101", "0199"))
    pull(store, book)
    assert categories(store) == {"Ann Proulx": ["Soccer"], "Bob Lessard": ["Soccer"]}
    assert categories(store) == fresh(tmp_path, book, 1)
    store.close()
