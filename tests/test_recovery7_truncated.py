"""A source file still being written is not a source that shrank (QA7 #1).

A cron sync that ran while a phone backup was being copied in read a file cut
inside a card: every card after the cut was tombstoned (40% passed the 50%
mass-removal guard), and a publish then deleted them from the server. A file
that ends inside a card, or whose size or time changes while it is read, is now
an unread unit: nothing of it is removed, and it is read again next run."""

from __future__ import annotations

import pytest

from reseausync import api
from reseausync_connectors.vcard import VCardConnector

from .conftest import live_ids, sync_folder, write_stamped


def _card(i: int) -> bytes:
    return (b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:person-%d\r\nN:Person%d;Ann\r\n"
            b"FN:Ann Person%d\r\nTEL:+1418555%04d\r\nEND:VCARD\r\n" % (i, i, i, i))


def _book(count: int) -> bytes:
    return b"".join(_card(i) for i in range(count))




def _people(count: int) -> set[str]:
    return {f"person-{i}" for i in range(count)}




def test_a_file_cut_inside_a_card_removes_nobody_and_is_read_again(tmp_path) -> None:
    folder = tmp_path / "phone"
    folder.mkdir()
    book = folder / "phone.vcf"
    full = _book(300)
    write_stamped(book, full, 1_700_000_000_000_000_000)
    db = str(tmp_path / "d.db")
    assert sync_folder(db, folder).counts["added"] == 300

    cut = full[: len(full) * 6 // 10]           # the copy is at 60%: inside a card
    assert not cut.endswith(b"END:VCARD\r\n")
    write_stamped(book, cut, 1_700_000_100_000_000_000)
    second = sync_folder(db, folder)
    assert second.counts["removed"] == 0 and live_ids(db) == _people(300)
    [reject] = api.rejects(db, second.run)
    assert "ends inside a card" in reject["reason"] and "read again" in reject["reason"]

    write_stamped(book, cut, 1_700_000_100_000_000_000)    # nothing changed since: read again
    third = sync_folder(db, folder)
    assert third.counts["unchanged"] > 0 and third.counts["rejected"] == 1

    write_stamped(book, full, 1_700_000_200_000_000_000)   # the copy finished
    fourth = sync_folder(db, folder)
    assert fourth.counts["rejected"] == 0 and fourth.counts["removed"] == 0
    assert live_ids(db) == _people(300)


def test_a_finished_file_that_lost_cards_still_removes_them(tmp_path) -> None:
    """An ordinary finished file is never refused: cards gone are removed."""
    folder = tmp_path / "phone"
    folder.mkdir()
    book = folder / "phone.vcf"
    write_stamped(book, _book(100), 1_700_000_000_000_000_000)
    db = str(tmp_path / "d.db")
    sync_folder(db, folder)
    write_stamped(book, _book(80), 1_700_000_100_000_000_000)
    second = sync_folder(db, folder)
    assert second.counts["removed"] == 20 and second.counts["rejected"] == 0
    assert live_ids(db) == _people(80)


@pytest.fixture
def appended_while_read(monkeypatch: pytest.MonkeyPatch):
    """The vCard reader, with the rest of the file written once the first part is read
    (a copy that reached a card boundary when the read ended)."""
    rest: dict[str, bytes] = {}
    original = VCardConnector.read_unit

    def reading(self, unit):
        yield from original(self, unit)
        if unit.path is not None and str(unit.path) in rest:
            with open(unit.path, "ab") as handle:
                handle.write(rest.pop(str(unit.path)))

    monkeypatch.setattr(VCardConnector, "read_unit", reading)
    return rest


def test_a_file_that_grows_while_it_is_read_is_read_again(tmp_path,
                                                          appended_while_read) -> None:
    folder = tmp_path / "phone"
    folder.mkdir()
    book = folder / "phone.vcf"
    full = _book(100)
    write_stamped(book, full, 1_700_000_000_000_000_000)
    db = str(tmp_path / "d.db")
    sync_folder(db, folder)

    head = _book(60)                      # ends on a card boundary: looks finished
    write_stamped(book, head, 1_700_000_100_000_000_000)
    appended_while_read[str(book)] = full[len(head):]
    second = sync_folder(db, folder)
    assert second.counts["removed"] == 0 and live_ids(db) == _people(100)
    [reject] = api.rejects(db, second.run)
    assert "changed while it was read" in reject["reason"]

    third = sync_folder(db, folder)       # the next run reads it whole
    assert third.counts["rejected"] == 0 and third.counts["removed"] == 0
    assert third.counts["unchanged"] == 100
