"""Survivorship's "newest" record is the one whose content changed last (QA5 #6): a
card the user edits today beats an export read once, a minute later, long ago."""

from __future__ import annotations

import sqlite3

from reseausync.config import Settings
from reseausync.merge.state import record_rows
from reseausync.merge.survivorship import Member, canonical
from reseausync.store import Store
from reseausync.store.schema import MIGRATIONS, migrate

from .directory import contacts, members, person, write
from .test_resolve import cast

REGION = Settings(region="CA")


def _julie(source: str, family: str) -> object:
    return person(source, "julie", given="Julie", family=family,
                  emails=("julie.m.1985@gmail.com",), phones=("514 555 8821",), org="Ubisoft",
                  title="Productrice")


def _contact_of(store: Store, ref: str) -> dict:
    (cid,) = [c for c, refs in members(store).items() if ref in refs]
    return contacts(store)[cid]


def test_the_users_edit_beats_an_export_read_once_long_ago(tmp_path) -> None:
    # s2: she marries; the phone card is edited and LinkedIn says Lavoie, the Google
    # export on disk (read after the phone, in the first sync) still says Morin
    store = Store.open(tmp_path / "dir.db")
    write(store, [*cast(), _julie("phone", "Morin"), _julie("linkedin", "Morin")],
          settings=REGION)
    write(store, [_julie("google", "Morin")], settings=REGION)
    assert _contact_of(store, "phone:julie")["family_name"] == "Morin"
    write(store, [_julie("phone", "Lavoie"), _julie("linkedin", "Lavoie")], settings=REGION)
    julie = _contact_of(store, "phone:julie")
    assert _contact_of(store, "google:julie") == julie
    assert (julie["family_name"], julie["display_name"]) == ("Lavoie", "Julie Lavoie")
    store.close()


def _changed(store: Store, ref: str) -> tuple:
    source, ext = ref.split(":")
    return store.db.execute("SELECT changed_at, changed_run, first_run FROM records "
                            "WHERE source=? AND external_id=?", (source, ext)).fetchone()


def test_only_a_change_of_content_moves_the_change_time(tmp_path) -> None:
    store = Store.open(tmp_path / "dir.db")
    write(store, [*cast(), _julie("phone", "Morin")], settings=REGION)
    first = tuple(_changed(store, "phone:julie"))
    assert first[1] == first[2]                         # read first: changed then
    write(store, [_julie("phone", "Morin")], settings=REGION)           # read again
    write(store, [], remove=(("phone", "julie"),), settings=REGION)     # removed
    write(store, [_julie("phone", "Morin")], settings=REGION)           # back as it was
    assert tuple(_changed(store, "phone:julie")) == first
    write(store, [_julie("phone", "Lavoie")], settings=REGION)
    assert _changed(store, "phone:julie")[1] > first[1]
    store.close()


def test_rows_from_before_the_migration_changed_when_first_read(tmp_path) -> None:
    path = str(tmp_path / "old.db")
    db = sqlite3.connect(path, isolation_level=None)
    saved = MIGRATIONS[:]
    MIGRATIONS[:] = [m for m in saved if m[0] != "021_records_changed"]
    try:
        migrate(db)
    finally:
        MIGRATIONS[:] = saved
    db.execute("INSERT INTO records (source, connector, external_id, unit, locator, "
               "content_hash, data, first_seen, last_seen, first_run, last_run) VALUES "
               "('phone', 'vcard', 'x', 'a.vcf', 'a.vcf:1', 'h', '{}', "
               "'2021-05-01T10:00:00+00:00', '2021-05-01T10:00:00+00:00', 3, 3)")
    assert migrate(db) == ["021_records_changed"]
    db.close()
    store = Store.open(path)
    (row,) = record_rows(store, [1]).values()
    assert row[-2:] == ("2021-05-01T10:00:00+00:00", 3)
    store.close()


def _member(rid: int, family: str, first: tuple[str, int], changed: tuple[str, int],
            collected: str | None = None) -> Member:
    return Member(rid, "s", "vcard", f"x{rid}", f"f.vcf:{rid}",
                  {"given_name": "Julie", "family_name": family}, "", collected,
                  first[0], first[1], changed[0], changed[1])


def test_a_changed_record_is_as_new_as_its_change() -> None:
    old = ("2021-05-01T10:00:00+00:00", 1)
    later = ("2021-05-01T10:01:00+00:00", 2)
    today = ("2026-11-23T09:00:00+00:00", 9)
    edited = _member(1, "Lavoie", old, today)
    stale = _member(2, "Morin", later, later)
    assert canonical([stale, edited], {}, "CA")["family_name"] == "Lavoie"
    # a LinkedIn connection dated 2019 whose company changed today is today's
    linkedin = _member(3, "Lavoie", old, today, collected="2019-05-04")
    assert linkedin.dated == today
    assert _member(4, "Morin", old, old, collected="2019-05-04").dated == ("2019-05-04", 1)
