"""A standing meeting keeps recurring while the calendar file stays the same (QA E:
a weekly 1:1 drifted to cooling, then cold, because an unchanged .ics was never
read again and its series stopped at the day of the first read)."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

import reseausync.engagement.status as engagement_status
import reseausync_connectors.ics.recurrence as recurrence
from reseausync import directory
from reseausync.cli import main
from reseausync.connector import ReadContext
from reseausync_connectors.ics import IcsConnector

ME = frozenset({"marie@example.com"})

WEEKLY = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:test\r
BEGIN:VEVENT\r
UID:weekly-1\r
DTSTART;TZID=America/Montreal:20250106T090000\r
RRULE:FREQ=WEEKLY;BYDAY=MO\r
{exdate}SUMMARY:weekly 1:1 with David\r
ORGANIZER:mailto:marie@example.com\r
ATTENDEE;CN=David Cote:mailto:david@acme.ca\r
END:VEVENT\r
END:VCALENDAR\r
"""
ONE_OFF = """BEGIN:VCALENDAR\r
VERSION:2.0\r
BEGIN:VEVENT\r
UID:lunch-1\r
DTSTART:20261105T170000Z\r
SUMMARY:lunch\r
ORGANIZER:mailto:marie@example.com\r
ATTENDEE;CN=Ann Lee:mailto:ann@acme.ca\r
END:VEVENT\r
END:VCALENDAR\r
"""
BOOK = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:David Cote\r\nEMAIL:david@acme.ca\r\nEND:VCARD\r\n"


def fingerprints(path: Path, as_of: date) -> list[str]:
    conn = IcsConnector({}, ReadContext(source="t", me_emails=ME, as_of=as_of))
    return [u.fingerprint for u in conn.discover(str(path))]


def test_a_calendar_with_a_series_changes_fingerprint_each_day(tmp_path: Path) -> None:
    weekly = tmp_path / "weekly.ics"
    weekly.write_bytes(WEEKLY.format(exdate="").encode())
    assert fingerprints(weekly, date(2026, 11, 22)) == fingerprints(weekly, date(2026, 11, 22))
    assert fingerprints(weekly, date(2026, 11, 22)) != fingerprints(weekly, date(2026, 11, 23))


def test_a_calendar_without_a_series_is_not_read_again_each_day(tmp_path: Path) -> None:
    one_off = tmp_path / "lunch.ics"
    one_off.write_bytes(ONE_OFF.encode())
    assert fingerprints(one_off, date(2026, 11, 22)) == fingerprints(one_off, date(2027, 3, 1))


def test_a_series_in_a_utf16_file_is_seen(tmp_path: Path) -> None:
    weekly = tmp_path / "weekly.ics"
    weekly.write_bytes(WEEKLY.format(exdate="").encode("utf-16"))
    assert fingerprints(weekly, date(2026, 11, 22)) != fingerprints(weekly, date(2026, 11, 23))


@pytest.fixture
def later(monkeypatch: pytest.MonkeyPatch):
    """Move the clock the ics connector reads ("today") to another day."""
    def move(day: str) -> None:
        moment = datetime.fromisoformat(day).replace(tzinfo=UTC)

        class Clock(datetime):
            @classmethod
            def now(cls, tz=None):  # type: ignore[override]
                return moment if tz else moment.replace(tzinfo=None)

        monkeypatch.setattr(recurrence, "datetime", Clock)
        # and what engagement counts as happened (interactions up to "now")
        monkeypatch.setattr(engagement_status, "datetime", Clock)
    return move


def configured(tmp_path: Path) -> str:
    (tmp_path / "book.vcf").write_bytes(BOOK.encode())
    (tmp_path / "weekly.ics").write_bytes(WEEKLY.format(exdate="").encode())
    config = tmp_path / "cfg.toml"
    config.write_text(
        '[directory]\npath = "t.db"\n[me]\nemails = ["marie@example.com"]\n'
        '[[sources]]\nname = "phone"\nconnector = "vcard"\npath = "book.vcf"\n'
        '[[sources]]\nname = "calendar"\nconnector = "ics"\npath = "weekly.ics"\n')
    return str(config)


def live_occurrences(db: Path) -> list[tuple[str, str]]:
    with closing(sqlite3.connect(db)) as connection:
        rows = connection.execute(
            "SELECT external_id, occurred_at FROM interactions WHERE removed_at IS NULL "
            "ORDER BY occurred_at").fetchall()
    return [(r[0], r[1]) for r in rows]


def david(db: Path, as_of: date) -> dict:
    rows = directory.contacts(str(db), as_of, search="David")
    assert len(rows) == 1
    return json.loads(json.dumps(rows[0], default=str))


def test_sync_on_a_later_day_sees_the_new_occurrences(tmp_path: Path, later,
                                                      capsys: pytest.CaptureFixture) -> None:
    config = configured(tmp_path)
    db = tmp_path / "t.db"
    later("2026-11-22")
    assert main(["--config", config, "sync"]) == 0
    first = live_occurrences(db)
    assert first[-1][0] == "weekly-1#20261116T140000Z"
    later("2027-03-01T15:00")      # after that Monday's 1:1 (14:00 UTC)
    assert main(["--config", config, "sync"]) == 0
    second = live_occurrences(db)
    # the stored occurrences keep their ids, none twice, and the new weeks follow
    assert second[:len(first)] == first
    assert len({x for x, _ in second}) == len(second)
    assert second[-1][0] == "weekly-1#20270301T140000Z"
    assert len(second) == len(first) + 15
    status = david(db, date(2027, 3, 1))
    assert status["status"] == "engaged"
    assert status["last_interaction"].startswith("2027-03-01")


def test_an_exdate_edit_removes_a_stored_occurrence_and_skips_a_future_one(
        tmp_path: Path, later, capsys: pytest.CaptureFixture) -> None:
    config = configured(tmp_path)
    db = tmp_path / "t.db"
    later("2026-11-22")
    assert main(["--config", config, "sync"]) == 0
    # the user removes a past week (stored) and a coming one (not yet stored)
    exdate = "EXDATE;TZID=America/Montreal:20261109T090000,20261207T090000\r\n"
    (tmp_path / "weekly.ics").write_bytes(WEEKLY.format(exdate=exdate).encode())
    assert main(["--config", config, "sync"]) == 0
    ids = {x for x, _ in live_occurrences(db)}
    assert "weekly-1#20261109T140000Z" not in ids
    assert "weekly-1#20261116T140000Z" in ids
    later("2026-12-20")
    assert main(["--config", config, "sync"]) == 0
    ids = {x for x, _ in live_occurrences(db)}
    assert "weekly-1#20261207T140000Z" not in ids
    assert {"weekly-1#20261130T140000Z", "weekly-1#20261214T140000Z"} <= ids
