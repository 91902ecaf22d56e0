"""An invitation nobody answered is an attempt, not a meeting (QA J: attendees
with PARTSTAT=NEEDS-ACTION counted as met)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reseausync import directory
from reseausync.cli import main
from reseausync.connector import ReadContext
from reseausync.models import Interaction
from reseausync_connectors.ics import IcsConnector
from reseausync_connectors.ics.event import invitees, parse_block

ME = frozenset({"marie@example.com"})


def event(uid: str, organizer: str, *attendees: str, extra: str = "") -> str:
    lines = ["BEGIN:VEVENT", f"UID:{uid}", "DTSTART:20261101T150000Z", f"SUMMARY:{uid}"]
    if organizer:
        lines.append(f"ORGANIZER:mailto:{organizer}")
    lines += [f"ATTENDEE;{a}" for a in attendees]
    if extra:
        lines.append(extra)
    return "\r\n".join([*lines, "END:VEVENT"])


def calendar(*events: str) -> str:
    return "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", *events, "END:VCALENDAR"]) + "\r\n"


MARIE = "PARTSTAT=ACCEPTED:mailto:marie@example.com"
GINA_WAITING = "PARTSTAT=NEEDS-ACTION;CN=Gina Paquet:mailto:gina@acme.ca"
HUGO_TENTATIVE = "PARTSTAT=TENTATIVE;CN=Hugo Morin:mailto:hugo@acme.ca"
IVAN_ACCEPTED = "PARTSTAT=ACCEPTED;CN=Ivan Roy:mailto:ivan@acme.ca"
JO_UNSAID = "CN=Jo Tan:mailto:jo@acme.ca"


def read(tmp_path: Path, text: str) -> list[Interaction]:
    path = tmp_path / "cal.ics"
    path.write_text(text)
    conn = IcsConnector({}, ReadContext(source="t", me_emails=ME, as_of=date(2026, 11, 30)))
    return [i for i in conn.read(list(conn.discover(str(path)))) if isinstance(i, Interaction)]


def who(item: Interaction) -> list[str]:
    return [p.email for p in item.participants]


def test_the_owners_unanswered_invitation_is_an_invitation_not_a_meeting(
        tmp_path: Path) -> None:
    items = read(tmp_path, calendar(event("needs-1", "marie@example.com", GINA_WAITING, MARIE)))
    [invitation] = items
    assert invitation.kind == "invitation" and invitation.direction == "out"
    assert who(invitation) == ["gina@acme.ca"]
    assert invitation.external_id == "needs-1#20261101T150000Z#unanswered"
    assert invitation.thread == "needs-1" and invitation.extra["partstat"] == "NEEDS-ACTION"


def test_those_who_answered_still_met_and_tentative_counts(tmp_path: Path) -> None:
    items = read(tmp_path, calendar(event(
        "team", "marie@example.com", GINA_WAITING, HUGO_TENTATIVE, IVAN_ACCEPTED, JO_UNSAID)))
    by_kind = {i.kind: i for i in items}
    assert sorted(by_kind) == ["invitation", "meeting"]
    # no PARTSTAT written is read as before: most files that omit it mean "there"
    assert who(by_kind["meeting"]) == ["hugo@acme.ca", "ivan@acme.ca", "jo@acme.ca"]
    assert by_kind["meeting"].external_id == "team#20261101T150000Z"   # unchanged id
    assert who(by_kind["invitation"]) == ["gina@acme.ca"]


def test_the_organizer_and_a_person_listed_twice_are_met(tmp_path: Path) -> None:
    items = read(tmp_path, calendar(event(
        "bobs", "bob@acme.ca", MARIE, "PARTSTAT=NEEDS-ACTION:mailto:bob@acme.ca",
        GINA_WAITING, "PARTSTAT=ACCEPTED;CN=Gina:mailto:GINA@acme.ca")))
    [meeting] = items
    assert meeting.kind == "meeting" and who(meeting) == ["bob@acme.ca", "gina@acme.ca"]


def test_someone_elses_invitee_who_did_not_answer_is_left_out(tmp_path: Path) -> None:
    items = read(tmp_path, calendar(event("bobs", "bob@acme.ca", MARIE, GINA_WAITING)))
    [meeting] = items
    assert meeting.kind == "meeting" and who(meeting) == ["bob@acme.ca"]


def test_no_organizer_means_the_owners_own_event(tmp_path: Path) -> None:
    items = read(tmp_path, calendar(event("mine", "", GINA_WAITING)))
    assert [(i.kind, who(i)) for i in items] == [("invitation", ["gina@acme.ca"])]


def test_a_recurring_invitation_keeps_one_id_per_occurrence(tmp_path: Path) -> None:
    items = read(tmp_path, calendar(event(
        "weekly", "marie@example.com", GINA_WAITING, IVAN_ACCEPTED,
        extra="RRULE:FREQ=WEEKLY;COUNT=3")))
    ids = sorted(i.external_id for i in items)
    assert ids == ["weekly#20261101T150000Z", "weekly#20261101T150000Z#unanswered",
                   "weekly#20261108T150000Z", "weekly#20261108T150000Z#unanswered",
                   "weekly#20261115T150000Z", "weekly#20261115T150000Z#unanswered"]


def test_gina_who_never_answered_is_not_engaged(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "book.vcf").write_bytes(
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Gina Paquet\r\nEMAIL:gina@acme.ca\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Hugo Morin\r\nEMAIL:hugo@acme.ca\r\nEND:VCARD\r\n")
    (tmp_path / "cal.ics").write_text(calendar(
        event("needs-1", "marie@example.com", GINA_WAITING, MARIE),
        event("tent-1", "marie@example.com", HUGO_TENTATIVE)))
    config = tmp_path / "me.toml"
    config.write_text('[me]\nemails = ["marie@example.com"]\n')
    db = str(tmp_path / "t.db")
    for target in ("book.vcf", "cal.ics"):
        assert main(["--db", db, "--config", str(config), "import",
                     str(tmp_path / target)]) == 0
    rows = {r["display_name"]: r for r in directory.contacts(db, date(2026, 11, 30))}
    assert rows["Gina Paquet"]["status"] == "never_engaged"
    assert rows["Hugo Morin"]["status"] == "engaged"
    shown = directory.show(db, rows["Gina Paquet"]["id"], date(2026, 11, 30))
    [attempt] = shown["engagement"]["interactions"]
    assert attempt["kind"] == "invitation" and attempt["counts_as"] == "attempt"
    assert shown["engagement"]["last_attempt"].startswith("2026-11-01")


STATUSES = ("", "ACCEPTED", "TENTATIVE", "DECLINED", "NEEDS-ACTION", "DELEGATED")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 5), st.sampled_from(STATUSES)), max_size=8),
       st.sampled_from(("marie@example.com", "p0@acme.ca", "")))
def test_each_person_is_met_waiting_or_out_and_the_count_is_everyone(
        lines: list[tuple[int, str]], organizer: str) -> None:
    attendees = [f"PARTSTAT={s}:mailto:p{n}@acme.ca" if s else f"CN=P{n}:mailto:p{n}@acme.ca"
                 for n, s in lines]
    text = event("x", organizer, MARIE, *attendees)
    component = parse_block(text + "\r\n")
    found = invitees(component, ME)
    met = {p.email for p in found.people}
    waiting = {p.email for p in found.unanswered}
    assert not met & waiting and "marie@example.com" not in met | waiting
    everyone = {f"p{n}@acme.ca" for n, _ in lines} | {organizer, "marie@example.com"} - {""}
    assert found.invited == len(everyone)
    for n in {n for n, _ in lines}:
        email, said = f"p{n}@acme.ca", {s for m, s in lines if m == n}
        if email == organizer or said - {"DECLINED", "NEEDS-ACTION"}:
            assert email in met
        elif "NEEDS-ACTION" in said:
            assert email in waiting
        else:
            assert email not in met | waiting
