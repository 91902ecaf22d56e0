"""A crowd is not a meeting with each person (QA I: a 300-person town hall made
every attendee "engaged" and put 301 strangers in `unknown`)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from reseausync import directory
from reseausync.cli import main
from reseausync.connector import ReadContext
from reseausync.models import Interaction
from reseausync_connectors.ics import IcsConnector
from reseausync_connectors.ics.event import DEFAULT_MAX_ATTENDEES

ME = frozenset({"marie@example.com"})


def calendar(uid: str, others: int, *, declined: int = 0, extra: str = "") -> str:
    """One event organised by ceo@bigcorp.com for the owner, Jules and `others`
    more attendees (`declined` of them declined)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "BEGIN:VEVENT", f"UID:{uid}",
             "DTSTART:20261110T150000Z", "SUMMARY:All hands",
             "ORGANIZER;CN=The CEO:mailto:ceo@bigcorp.com",
             "ATTENDEE;PARTSTAT=ACCEPTED;CN=Marie Example:mailto:marie@example.com",
             "ATTENDEE;PARTSTAT=ACCEPTED;CN=Jules Fortin:mailto:jules@bigcorp.com",
             "ATTENDEE;CUTYPE=ROOM;CN=Auditorium:mailto:audi@resource.bigcorp.com"]
    for n in range(others):
        status = "DECLINED" if n < declined else "ACCEPTED"
        lines.append(f"ATTENDEE;PARTSTAT={status};CN=Person {n}:mailto:p{n}@bigcorp.com")
    lines += [extra, "END:VEVENT", "END:VCALENDAR"] if extra else ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(lines) + "\r\n"


def read(path: Path, **options) -> list[Interaction]:
    conn = IcsConnector(options, ReadContext(source="t", me_emails=ME, as_of=date(2026, 11, 30)))
    return [i for i in conn.read(list(conn.discover(str(path)))) if isinstance(i, Interaction)]


def test_a_town_hall_is_kept_but_flagged_like_a_mailing_list(tmp_path: Path) -> None:
    path = tmp_path / "allhands.ics"
    path.write_text(calendar("allhands", 297))
    [event] = read(path)
    assert event.kind == "meeting" and len(event.participants) == 299   # nothing dropped
    assert event.extra["automated"] is True
    assert "300 people invited" in event.extra["automated_by"]


def test_the_cap_counts_everyone_invited_and_is_inclusive(tmp_path: Path) -> None:
    # the organizer, the owner and Jules are 3; the room is no person
    at_cap = tmp_path / "team.ics"
    at_cap.write_text(calendar("team", DEFAULT_MAX_ATTENDEES - 3))
    assert "automated" not in read(at_cap)[0].extra
    above = tmp_path / "dept.ics"
    above.write_text(calendar("dept", DEFAULT_MAX_ATTENDEES - 2))
    assert read(above)[0].extra["automated"] is True
    # those who declined were invited too: the event is as large as its invitation
    mostly_declined = tmp_path / "webinar.ics"
    mostly_declined.write_text(calendar("webinar", 100, declined=95))
    [event] = read(mostly_declined)
    assert len(event.participants) == 7 and event.extra["automated"] is True


def test_max_attendees_is_an_option(tmp_path: Path) -> None:
    path = tmp_path / "board.ics"
    path.write_text(calendar("board", 8))
    assert "automated" not in read(path)[0].extra
    assert read(path, max_attendees=5)[0].extra["automated"] is True
    assert "automated" not in read(path, max_attendees=11)[0].extra
    for bad in (1, 0, -3, "many"):
        with pytest.raises(ValidationError):
            IcsConnector({"max_attendees": bad})
    with pytest.raises(ValidationError):
        IcsConnector({"max_atendees": 10})


def test_changing_max_attendees_has_the_calendar_read_again(tmp_path: Path) -> None:
    path = tmp_path / "board.ics"
    path.write_text(calendar("board", 8))
    context = ReadContext(source="t", me_emails=ME, as_of=date(2026, 11, 30))
    default = [u.fingerprint for u in IcsConnector({}, context).discover(str(path))]
    five = [u.fingerprint for u in IcsConnector({"max_attendees": 5}, context)
            .discover(str(path))]
    assert default != five


def test_a_town_hall_neither_engages_nor_fills_unknown(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "book.vcf").write_bytes(
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jules Fortin\r\nEMAIL:jules@bigcorp.com\r\n"
        b"END:VCARD\r\n")
    (tmp_path / "allhands.ics").write_text(calendar("allhands", 298))
    (tmp_path / "coffee.ics").write_text(calendar("coffee", 0).replace(
        "UID:coffee", "UID:coffee\r\nDTSTART:20261112T150000Z").replace(
        "DTSTART:20261110T150000Z\r\n", ""))
    config = tmp_path / "me.toml"
    config.write_text('[me]\nemails = ["marie@example.com"]\n')
    db = str(tmp_path / "t.db")
    for target in ("book.vcf", "allhands.ics"):
        assert main(["--db", db, "--config", str(config), "import",
                     str(tmp_path / target)]) == 0
    [jules] = directory.contacts(db, date(2026, 11, 30), search="Jules")
    assert jules["status"] == "never_engaged"
    capsys.readouterr()
    assert main(["--db", db, "--config", str(config), "unknown", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    # a small meeting with the same people still counts
    assert main(["--db", db, "--config", str(config), "import",
                 str(tmp_path / "coffee.ics")]) == 0
    [jules] = directory.contacts(db, date(2026, 11, 30), search="Jules")
    assert jules["status"] == "engaged"
    assert jules["last_interaction"].startswith("2026-11-12")
