"""A contact group's card (vCard 4.0 `KIND:group`, Apple's
`X-ADDRESSBOOKSERVER-KIND:group`) is not a person: a reject naming the group and
its member count, never a contact (QA round 3, finding 1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reseausync import api
from reseausync.connector import ReadContext
from reseausync.errors import UnitError
from reseausync.models import Reject, SourceRecord
from reseausync_connectors.vcard import VCardConnector, parse_card

APPLE_GROUP = ("BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//macOS 14.4//EN\r\n"
               "N:Amis du hockey\r\nFN:Amis du hockey\r\nX-ADDRESSBOOKSERVER-KIND:group\r\n"
               "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:A1B2C3D4-0001\r\n"
               "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:A1B2C3D4-0002\r\n"
               "UID:A1B2C3D4-GROUP\r\nEND:VCARD\r\n")
V4_GROUP = ("BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:group\r\nFN:Équipe projet Horizon\r\n"
            "MEMBER:urn:uuid:A1B2C3D4-0001\r\nUID:urn:uuid:group-horizon\r\nEND:VCARD\r\n")
PERSON = ("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Roy;Luc;;;\r\nFN:Luc Roy\r\n"
          "UID:A1B2C3D4-0001\r\nEND:VCARD\r\n")
ORG = "BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:org\r\nFN:Énergir\r\nEND:VCARD\r\n"


def _read(path: Path) -> list:
    conn = VCardConnector({}, ReadContext(source="phone"))
    return list(conn.read(list(conn.discover(str(path)))))


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "groups.vcf"
    path.write_bytes(text.encode())
    return path


def test_group_cards_are_rejects_and_the_cards_around_them_import(tmp_path: Path) -> None:
    path = _write(tmp_path, PERSON + APPLE_GROUP + V4_GROUP + ORG)
    items = _read(path)
    assert [type(i).__name__ for i in items] == ["SourceRecord", "Reject", "Reject",
                                                 "SourceRecord"]
    luc, apple, v4, org = items
    assert luc.display_name == "Luc Roy" and org.organization == "Énergir"
    assert (apple.locator, apple.reason) == (f"{path}:7", "contact-group")
    assert "'Amis du hockey' (2 members)" in apple.message
    assert (v4.locator, v4.reason) == (f"{path}:17", "contact-group")
    assert "'Équipe projet Horizon' (1 member)" in v4.message


@pytest.mark.parametrize("kind", ["KIND:GROUP", "KIND:group ", "X-ADDRESSBOOKSERVER-KIND:Group"])
def test_the_marker_in_any_case(tmp_path: Path, kind: str) -> None:
    path = _write(tmp_path, f"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Famille\r\n{kind}\r\nEND:VCARD\r\n")
    (reject,) = _read(path)
    assert isinstance(reject, Reject) and "'Famille' (0 members)" in reject.message


def test_kind_individual_is_a_person(tmp_path: Path) -> None:
    path = _write(tmp_path, PERSON.replace("VERSION:3.0", "VERSION:4.0\r\nKIND:individual"))
    (record,) = _read(path)
    assert isinstance(record, SourceRecord) and record.family_name == "Roy"


def test_carddav_cards_go_through_the_same_rule() -> None:
    with pytest.raises(UnitError) as caught:
        parse_card(APPLE_GROUP, source="dav", unit="/g.vcf", locator="/g.vcf")
    assert caught.value.reason == "contact-group"
    assert "Amis du hockey" in caught.value.message


def test_no_group_is_a_contact(tmp_path: Path) -> None:
    path = _write(tmp_path, PERSON + APPLE_GROUP + V4_GROUP)
    db = str(tmp_path / "d.db")
    (run,) = api.import_paths([str(path)], db=db)
    assert (run.counts["added"], run.counts["rejected"]) == (1, 2)
    assert [c["display_name"] for c in api.contacts(db)] == ["Luc Roy"]
    assert sorted(r["code"] for r in api.rejects(db)) == ["contact-group", "contact-group"]


def test_a_group_imported_as_a_person_before_leaves_the_directory(tmp_path: Path) -> None:
    """The same card (same UID) read as a person by an earlier version, then as the
    group it is: its record and contact go, as for any card no longer imported."""
    db = str(tmp_path / "d.db")
    as_person = APPLE_GROUP.replace("X-ADDRESSBOOKSERVER-KIND:group\r\n", "")
    api.import_paths([str(_write(tmp_path, PERSON + as_person))], db=db)
    assert sorted(c["display_name"] for c in api.contacts(db)) == ["Amis du hockey", "Luc Roy"]
    api.import_paths([str(_write(tmp_path, PERSON + APPLE_GROUP))], db=db)
    assert [c["display_name"] for c in api.contacts(db)] == ["Luc Roy"]
