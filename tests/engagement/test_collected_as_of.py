"""Who was collected on an as-of date: a record's own date, else the moment the
directory first saw it (QA: `contacts --as-of 1999-01-01` listed 14 of 16
contacts, people first collected in 2026 among them, because a contact with one
undated record was kept whatever the date)."""

from __future__ import annotations

from datetime import date

from .conftest import Directory


def collected(directory: Directory, as_of: date) -> set[str]:
    return {cid for cid, c in directory.annotated(as_of).items() if c["collected_as_of"]}


def test_an_undated_record_is_collected_when_the_directory_first_saw_it(
        directory: Directory) -> None:
    directory.person("phone", "Daniel Roy", first_seen="2026-11-22T15:00:00+00:00")
    assert collected(directory, date(1999, 1, 1)) == set()
    assert collected(directory, date(2026, 11, 21)) == set()
    assert collected(directory, date(2026, 11, 22)) == {"phone"}   # late that day counts


def test_an_undated_record_seen_today_does_not_bring_back_an_older_date(
        directory: Directory) -> None:
    """Bob: a business card dated 2026-10-02 and a phone card without a date,
    both imported on 2026-11-22. In 1999 neither existed."""
    directory.person("bob", "Bob Chen", source="cards", connector="cards",
                     collected="2026-10-02", first_seen="2026-11-22T15:00:00+00:00")
    directory.record("bob", source="phone", connector="vcard",
                     first_seen="2026-11-22T15:00:00+00:00")
    assert collected(directory, date(1999, 1, 1)) == set()
    assert collected(directory, date(2026, 10, 1)) == set()
    assert collected(directory, date(2026, 10, 2)) == {"bob"}


def test_the_sources_own_date_wins_over_the_import_date(directory: Directory) -> None:
    """A LinkedIn connection made in 2019 and imported today was collected in 2019;
    a card dated after its import (a REV in the future) is collected on its date."""
    directory.person("priya", "Priya Natarajan", source="linkedin", connector="linkedin",
                     collected="2019-06-07", first_seen="2026-11-22T15:00:00+00:00")
    directory.person("later", "Rev Future", collected="2026-12-01",
                     first_seen="2026-11-01T08:00:00+00:00")
    assert collected(directory, date(2019, 6, 7)) == {"priya"}
    assert collected(directory, date(2026, 11, 30)) == {"priya"}
    assert collected(directory, date(2026, 12, 1)) == {"priya", "later"}


def test_a_contact_is_collected_from_its_earliest_record(directory: Directory) -> None:
    directory.person("jf", "Jean-François Tremblay", first_seen="2021-03-01T10:00:00+00:00")
    directory.record("jf", source="linkedin", connector="linkedin", collected="2023-05-04",
                     first_seen="2026-11-22T15:00:00+00:00")
    assert collected(directory, date(2021, 2, 28)) == set()
    assert collected(directory, date(2021, 3, 1)) == {"jf"}
