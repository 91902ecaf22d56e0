"""A cancellation cancels the invitation it cancels (QA round 4, mail/calendar
finding 5): Google's METHOD:CANCEL, SEQUENCE:1, STATUS:CANCELLED copy of an
invitation, in the same file (a saved invitation thread) or in another file of the
folder, left the SEQUENCE:0 copy alive, and Bob engaged by a meeting never held."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from reseausync.connector import ReadContext
from reseausync.models import Interaction
from reseausync_connectors.ics import IcsConnector
from reseausync_connectors.ics.blocks import BlockSplitter
from reseausync_connectors.ics.versions import Versions

from .audit4_mailcal import ME, imported

UID = "7kukuqrfedlm2f9t3vt2e6v0pr@google.com"


def invitation(method: str, sequence: int, status: str, start: str = "20261112T150000Z",
               stamp: str = "20261101T120000Z", partstat: str = "ACCEPTED") -> str:
    return "\r\n".join([
        "BEGIN:VCALENDAR", "PRODID:-//Google Inc//Google Calendar 70.9054//EN", "VERSION:2.0",
        f"METHOD:{method}", "BEGIN:VEVENT", f"DTSTART:{start}", f"DTSTAMP:{stamp}",
        "ORGANIZER;CN=Bob Martin:mailto:bob.martin@acme.ca", f"UID:{UID}",
        "ATTENDEE;PARTSTAT=ACCEPTED;CN=Bob Martin:mailto:bob.martin@acme.ca",
        f"ATTENDEE;PARTSTAT={partstat};CN={ME}:mailto:{ME}",
        f"SEQUENCE:{sequence}", f"STATUS:{status}", "SUMMARY:Kickoff",
        "END:VEVENT", "END:VCALENDAR", ""])


INVITE = invitation("REQUEST", 0, "CONFIRMED")
# Google's cancellation says STATUS:CANCELLED; some clients only METHOD:CANCEL
CANCELS = {"status": invitation("CANCEL", 1, "CANCELLED", stamp="20261105T120000Z",
                                partstat="NEEDS-ACTION"),
           "method": invitation("CANCEL", 1, "CONFIRMED", stamp="20261105T120000Z")}


def write(path: Path, *texts: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(texts), encoding="utf-8", newline="")
    return path


def meetings(path: Path) -> list[Interaction]:
    conn = IcsConnector({}, ReadContext(source="t", me_emails=frozenset({ME}),
                                        as_of=date(2026, 11, 22)))
    return [i for i in conn.read(list(conn.discover(str(path)))) if isinstance(i, Interaction)]


@pytest.mark.parametrize("cancel", sorted(CANCELS))
@pytest.mark.parametrize("cancel_first", [False, True])
def test_a_thread_of_invitations_in_one_file(tmp_path: Path, cancel: str,
                                             cancel_first: bool) -> None:
    texts = [CANCELS[cancel], INVITE] if cancel_first else [INVITE, CANCELS[cancel]]
    seen = imported(tmp_path, write(tmp_path / "thread.ics", *texts))
    assert seen.status["Bob Martin"] == "never_engaged"
    assert "0 interactions" in seen.summary


def test_a_cancellation_in_another_file_of_the_folder(tmp_path: Path) -> None:
    write(tmp_path / "invites" / "invite.ics", INVITE)
    write(tmp_path / "invites" / "invite-cancel.ics", CANCELS["status"])
    seen = imported(tmp_path, tmp_path / "invites")
    assert seen.status["Bob Martin"] == "never_engaged"


def test_a_cancellation_arriving_later_removes_the_meeting(tmp_path: Path) -> None:
    """The invitation was imported, the cancellation is saved beside it afterwards:
    the folder's next import reads both and the meeting goes."""
    folder = tmp_path / "invites"
    write(folder / "invite.ics", INVITE)
    others = [invitation("REQUEST", 0, "CONFIRMED", start=f"202611{day}T150000Z").replace(
        UID, f"other-{day}").replace("bob.martin@acme.ca", "luc.gagnon@example.net")
        for day in ("02", "03")]
    write(folder / "other.ics", *others)      # so the mass-removal guard lets one go
    assert imported(tmp_path, folder).status["Bob Martin"] == "engaged"
    write(folder / "invite-cancel.ics", CANCELS["status"])
    seen = imported(tmp_path, folder)
    assert seen.status["Bob Martin"] == "never_engaged"
    assert "1 removed)" in seen.summary


def test_a_rescheduled_invitation_keeps_only_its_new_time(tmp_path: Path) -> None:
    moved = invitation("REQUEST", 2, "CONFIRMED", start="20261113T150000Z",
                       stamp="20261106T120000Z")
    path = write(tmp_path / "thread.ics", moved, INVITE)
    assert [i.occurred_at.isoformat() for i in meetings(path)] == ["2026-11-13T15:00:00+00:00"]


def test_two_equal_copies_are_one_meeting(tmp_path: Path) -> None:
    """The control: the same version twice is read once, as before."""
    assert len(meetings(write(tmp_path / "twice.ics", INVITE, INVITE))) == 1


def blocks(text: str) -> list:
    return [b for b in BlockSplitter().split(text.splitlines(keepends=True))
            if b.kind == "VEVENT"]


def test_a_cancelled_series_takes_its_older_overrides() -> None:
    series = invitation("CANCEL", 3, "CANCELLED")
    override = invitation("REQUEST", 2, "CONFIRMED").replace(
        "SEQUENCE:2", "RECURRENCE-ID:20261119T150000Z\r\nSEQUENCE:2")
    later = override.replace("SEQUENCE:2", "SEQUENCE:4")
    versions = Versions()
    found = blocks(series) + blocks(override) + blocks(later)
    for block in found:
        versions.note(block)
    assert [versions.skipped(b) for b in found] == [True, True, False]
