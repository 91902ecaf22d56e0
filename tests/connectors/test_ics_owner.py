"""Events the owner is not on are not the owner's meetings, once the file shows
the calendar is theirs (QA F19: a shared calendar's event counted as a meeting)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reseausync.connector import ReadContext
from reseausync.models import Interaction
from reseausync_connectors.ics import IcsConnector

ME = frozenset({"marie@example.com"})

MINE = """BEGIN:VEVENT\r
UID:mine@test\r
DTSTART:20260105T150000Z\r
SUMMARY:Mine\r
ORGANIZER:mailto:Marie@Example.com\r
ATTENDEE;CN=Ann Lee:mailto:ann@acme.ca\r
END:VEVENT\r
"""
SHARED = """BEGIN:VEVENT\r
UID:shared@test\r
DTSTART:20260106T150000Z\r
SUMMARY:Not mine\r
ORGANIZER:mailto:other@example.com\r
ATTENDEE:mailto:other2@example.com\r
END:VEVENT\r
"""
DECLINED = """BEGIN:VEVENT\r
UID:declined@test\r
DTSTART:20260107T150000Z\r
SUMMARY:Declined\r
ORGANIZER:mailto:bob@acme.ca\r
ATTENDEE;PARTSTAT=DECLINED:mailto:marie@example.com\r
END:VEVENT\r
"""
GROUP = """BEGIN:VEVENT\r
UID:group@test\r
DTSTART:20260108T150000Z\r
SUMMARY:Team\r
ORGANIZER:mailto:bob@acme.ca\r
ATTENDEE;CUTYPE=GROUP:mailto:ventes@acme.ca\r
END:VEVENT\r
"""
FOLDED = """BEGIN:VEVENT\r
UID:folded@test\r
DTSTART:20260109T150000Z\r
SUMMARY:Folded\r
ORGANIZER;CN=Bob:mailto:bob@acme.ca\r
ATTENDEE;CN="Marie Example";PARTSTAT=ACCEPTED:mailto:marie@exa\r
 mple.com\r
END:VEVENT\r
"""


def subjects(tmp_path: Path, *events: str, me: frozenset[str] = ME) -> list[str]:
    path = tmp_path / "cal.ics"
    path.write_bytes(("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + "".join(events)
                      + "END:VCALENDAR\r\n").encode())
    conn = IcsConnector({}, ReadContext(source="t", me_emails=me, as_of=date(2026, 11, 30)))
    items = list(conn.read(list(conn.discover(str(path)))))
    assert all(isinstance(i, Interaction) and i.direction == "both" for i in items), items
    return [i.subject for i in items]


def test_an_event_the_owner_is_not_on_is_skipped(tmp_path: Path) -> None:
    # before: "Not mine" counted as a meeting with other@ and other2@
    assert subjects(tmp_path, MINE, SHARED) == ["Mine"]
    assert subjects(tmp_path, SHARED, MINE) == ["Mine"]     # whatever the order


def test_an_event_the_owner_declined_is_skipped(tmp_path: Path) -> None:
    assert subjects(tmp_path, MINE, DECLINED) == ["Mine"]


def test_a_group_invitation_and_a_folded_owner_address_are_kept(tmp_path: Path) -> None:
    assert subjects(tmp_path, MINE, GROUP, FOLDED) == ["Mine", "Team", "Folded"]
    assert subjects(tmp_path, SHARED, FOLDED) == ["Folded"]   # folded line seen as the owner


def test_when_the_owner_is_on_no_event_every_event_counts(tmp_path: Path) -> None:
    # an address missing from [me], or no [me] at all: keep what the file says
    assert subjects(tmp_path, SHARED) == ["Not mine"]
    assert subjects(tmp_path, MINE, SHARED, me=frozenset()) == ["Mine", "Not mine"]
