"""One VEVENT block: parsed with vobject, turned into meeting interactions.

vobject does the content-line work (unfolding, quoted parameters such as
`CN="Tremblay, Jean-François"`, text unescaping); values are read with
`transform=False` so that dates go through `when.py`, which knows more zones.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

import vobject

from reseausync.errors import ItemError
from reseausync.models import Interaction, Participant

from .bounds import MAX_VOBJECT_CHARS, BoundsError, clip, essentials
from .recurrence import RecurrenceError, expand
from .when import When, ZoneBook, parse_list, parse_value

SKIPPED_CUTYPES = ("ROOM", "RESOURCE")
# A meeting of more people than this is a broadcast (a town hall, a webinar, a
# conference session): nobody meets each of 300 attendees. 25 keeps a large team
# or a workshop a meeting with each person, and leaves out what is larger.
DEFAULT_MAX_ATTENDEES = 25
# Every property this module reads from an event: a large event reaches vobject
# with these alone (`bounds.essentials`). One read elsewhere must be added here.
READ_PROPERTIES = frozenset({
    "DTSTART", "UID", "STATUS", "SUMMARY", "ORGANIZER", "ATTENDEE", "RRULE", "RDATE",
    "EXDATE", "RECURRENCE-ID",
})


class EventError(ItemError):
    """The event cannot be read: a reject with this reason code."""


@dataclass(slots=True)
class EventContext:
    source: str
    connector: str
    unit: str
    unit_name: str
    me: frozenset[str]
    limit: datetime
    zones: ZoneBook
    # (UID, original start UTC) of occurrences an override event replaces
    overrides: set[tuple[str, datetime]] = field(default_factory=set)
    # the owner's address is on some event of the file: the calendar is theirs, so
    # an event they are not on (a shared or subscribed calendar's) is not their meeting
    owner_in_file: bool = False
    # more people invited than this: a broadcast (a town hall), not a meeting with each
    max_attendees: int = DEFAULT_MAX_ATTENDEES


def names_owner(text: str, me: frozenset[str]) -> bool:
    """Whether an event's raw text holds `mailto:` one of the owner's addresses, or
    names it in an `EMAIL=` parameter (folded lines joined first). A cheap look at
    the text, for the first pass."""
    lowered = text.lower()
    if "mailto:" not in lowered and "email=" not in lowered:
        return False
    unfolded = lowered.replace("\r\n ", "").replace("\r\n\t", "")
    return any(f"{prefix}{address}" in unfolded for address in me
               for prefix in ("mailto:", "email=", 'email="'))


def email_as_address(component: vobject.base.Component) -> None:
    """ORGANIZER and ATTENDEE lines whose value is no `mailto:` (Apple's CalendarServer
    and iCloud write `urn:uuid:...`, a principal path, or `invalid:nomail`) but whose
    `EMAIL` parameter (RFC 6638, RFC 7986) gives the address: the value becomes
    `mailto:` that address, so everything that reads an address (the people, the
    owner's own line, who organizes) reads it."""
    for name in ("organizer", "attendee"):
        for line in component.contents.get(name, []):
            value = str(line.value).strip()
            email = param(line, "EMAIL").strip()
            if email and "@" in email and not value.lower().startswith("mailto:"):
                line.value = f"mailto:{email}"


# Properties never read whose values are long (an invitation's Teams or Zoom text,
# Outlook's HTML copy of it, an inline attachment), with their folded lines.
_UNREAD_BODIES = re.compile(r"^(?:DESCRIPTION|X-ALT-DESC|ATTACH|COMMENT)[;:][^\r\n]*"
                            r"(?:\r\n[ \t][^\r\n]*)*\r\n", re.IGNORECASE | re.MULTILINE)


def parse_block(text: str, first_line: int = 1) -> vobject.base.Component:
    """The event parsed; a large one with only the properties read (`bounds.py`:
    vobject's memory is 150 times the text it is given). `first_line`, the line
    of the BEGIN in the file, locates a line that is not a property. Other events
    reach vobject without their descriptions and attachments: never stored, they
    were two-thirds of a calendar import's time, vobject unescaping each 5 KB
    description character by character (QA8 big files #3: 1 MB/s)."""
    if len(text) > MAX_VOBJECT_CHARS:
        try:
            text = essentials(text, first_line, READ_PROPERTIES)
        except BoundsError as exc:
            raise EventError(exc.reason, exc.message) from exc
    else:
        text = _UNREAD_BODIES.sub("", text)
    try:
        component = vobject.readOne(text, transform=False)
    except Exception as exc:    # vobject raises ParseError, but also ValueError, IndexError
        raise EventError("bad-event", f"unreadable event: {clip(str(exc))}") from exc
    if component.name != "VEVENT":
        raise EventError("bad-event", f"expected a VEVENT, found {component.name}")
    email_as_address(component)
    return component


def first(component: vobject.base.Component, name: str) -> vobject.base.ContentLine | None:
    lines = component.contents.get(name)
    return lines[0] if lines else None


def param(line: vobject.base.ContentLine, name: str) -> str:
    values = line.params.get(name) or line.params.get(name.lower()) or []
    return str(values[0]) if values else ""


def text_value(component: vobject.base.Component, name: str) -> str:
    line = first(component, name)
    return str(line.value).strip() if line is not None else ""


def when_of(line: vobject.base.ContentLine, zones: ZoneBook, what: str) -> When:
    try:
        return parse_value(str(line.value), param(line, "TZID"), zones)
    except ValueError as exc:
        raise EventError("bad-date", f"{what}: {exc}") from exc


def recurrence_id(component: vobject.base.Component, zones: ZoneBook) -> datetime | None:
    line = first(component, "recurrence-id")
    return when_of(line, zones, "RECURRENCE-ID").utc if line is not None else None


@dataclass(slots=True)
class Invitees:
    """Who an event names, rooms and resources left out, each person once.

    `people`: the participants of the meeting, the ORGANIZER and the ATTENDEEs
    other than the owner who answered and did not decline (or whose answer the
    file does not record). `unanswered`: those marked PARTSTAT=NEEDS-ACTION, who
    never answered the invitation. `invited`: how many people the invitation went
    to, the owner and those who declined included: the size of the event, not of
    its audience."""

    people: list[Participant] = field(default_factory=list)
    unanswered: list[Participant] = field(default_factory=list)
    invited: int = 0


def invitees(component: vobject.base.Component, me: frozenset[str]) -> Invitees:
    """The people of an event. The organizer is usually listed again as an
    attendee, and is at the meeting they called whatever that line says; a person
    listed twice is at the meeting when any of their lines says so."""
    met: dict[str, Participant] = {}
    waiting: dict[str, Participant] = {}
    invited: set[str] = set()
    organizers = list(component.contents.get("organizer", []))
    for index, line in enumerate(organizers + list(component.contents.get("attendee", []))):
        if param(line, "CUTYPE").upper() in SKIPPED_CUTYPES:
            continue
        value = str(line.value).strip()
        email = value[7:].strip().lower() if value.lower().startswith("mailto:") else ""
        name = param(line, "CN").strip()
        if name.lower() == email:
            name = ""
        key = email or name.lower()
        if not key:
            continue
        invited.add(key)
        status = param(line, "PARTSTAT").upper()
        if email in me or status == "DECLINED":
            continue
        where = waiting if status == "NEEDS-ACTION" and index >= len(organizers) else met
        where.setdefault(key, Participant(name=name, email=email))
    return Invitees(list(met.values()),
                    [p for key, p in waiting.items() if key not in met], len(invited))


def owner_organizes(component: vobject.base.Component, me: frozenset[str]) -> bool:
    """Whether the invitation is the owner's: their address as ORGANIZER, or no
    ORGANIZER at all (an event on their own calendar that names nobody else as
    its author)."""
    line = first(component, "organizer")
    if line is None:
        return True
    value = str(line.value).strip().lower()
    return value.startswith("mailto:") and value[7:].strip() in me


def crowd(invited: int, cap: int) -> dict[str, object]:
    """The mark of an event too large to be a meeting with each person: the mail
    connector's automated contract (kept, never engagement, not in `unknown`)."""
    if invited <= cap:
        return {}
    return {"automated": True,
            "automated_by": f"{invited} people invited (more than max_attendees {cap})"}


def owner_attends(component: vobject.base.Component, me: frozenset[str]) -> bool:
    """Whether the owner may be at the event: named as ORGANIZER or an ATTENDEE who
    did not decline, or invited through a group (CUTYPE=GROUP, a mailing list they
    may be on)."""
    lines = list(component.contents.get("organizer", [])) \
        + list(component.contents.get("attendee", []))
    for line in lines:
        if param(line, "CUTYPE").upper() == "GROUP":
            return True
        value = str(line.value).strip().lower()
        if value.startswith("mailto:") and value[7:].strip() in me \
                and param(line, "PARTSTAT").upper() != "DECLINED":
            return True
    return False


def owner_unanswered(component: vobject.base.Component, me: frozenset[str]) -> bool:
    """Whether the owner is invited and never answered: an ATTENDEE line of theirs
    marked PARTSTAT=NEEDS-ACTION and none that answered (Google exports an
    invitation left unanswered so). They were not at the meeting: the invitation
    is an attempt of its organizer's, as an attendee's unanswered line is no
    presence either."""
    answers = [param(line, "PARTSTAT").upper()
               for line in component.contents.get("attendee", [])
               if _mailto(line) in me]
    return bool(answers) and all(answer == "NEEDS-ACTION" for answer in answers)


def _mailto(line: vobject.base.ContentLine) -> str:
    value = str(line.value).strip().lower()
    return value[7:].strip() if value.startswith("mailto:") else ""


def organizers(component: vobject.base.Component, me: frozenset[str]) -> list[Participant]:
    """The ORGANIZER as a participant (rooms and the owner left out)."""
    found = []
    for line in component.contents.get("organizer", []):
        email = _mailto(line)
        name = param(line, "CN").strip()
        if param(line, "CUTYPE").upper() in SKIPPED_CUTYPES or email in me \
                or not (email or name):
            continue
        found.append(Participant(name="" if name.lower() == email else name, email=email))
    return found[:1]


def who_met(component: vobject.base.Component, found: Invitees, me: frozenset[str]
            ) -> tuple[list[Participant], list[Participant], Literal["in", "out"]]:
    """(the people met, the people of an unanswered invitation, its direction).

    An invitation of the owner's that someone never answered is an attempt of the
    owner's ("out") to them; someone else's invitee who did not answer is no
    evidence about the owner. An invitation the owner never answered is no meeting
    at all: an attempt of its organizer's ("in")."""
    if owner_organizes(component, me):
        return found.people, found.unanswered, "out"
    if owner_unanswered(component, me):
        return [], organizers(component, me), "in"
    return found.people, [], "out"


def event_id(component: vobject.base.Component, text: str) -> str:
    """The UID, or for an event without one a digest of its text (stable per content)."""
    uid = text_value(component, "uid")
    return uid or "sha256:" + hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:24]


def stamp(moment: datetime, all_day: bool) -> str:
    return moment.strftime("%Y%m%d" if all_day else "%Y%m%dT%H%M%SZ")


def interactions(text: str, line: int, ctx: EventContext) -> Iterator[Interaction]:
    """The meeting interactions of one event block; raises EventError when broken.

    Everything that can fail is done before the first yield, so a broken event
    yields nothing but its reject.
    """
    component = parse_block(text, line)
    if text_value(component, "status").upper() == "CANCELLED":
        return
    start_line = first(component, "dtstart")
    if start_line is None:
        raise EventError("no-start", "event has no DTSTART")
    start = when_of(start_line, ctx.zones, "DTSTART")
    uid = event_id(component, text)
    found = invitees(component, ctx.me)
    replaced = recurrence_id(component, ctx.zones)
    rules = [str(r.value) for r in component.contents.get("rrule", [])]
    extra: dict = crowd(found.invited, ctx.max_attendees)
    if replaced is not None:            # an override stands for one occurrence
        starts, slots = [start.utc], [replaced]
    elif rules:
        exdates = _dates(component, "exdate", ctx.zones)
        rdates = _dates(component, "rdate", ctx.zones)
        skip = {moment for (owner, moment) in ctx.overrides if owner == uid}
        try:
            expansion = expand(start, rules, rdates, exdates, ctx.limit, skip)
        except RecurrenceError as exc:
            raise EventError(exc.reason, exc.message) from exc
        starts = slots = expansion.starts
        extra["recurring"] = True
        if expansion.truncated:
            extra["truncated"] = True
    else:
        starts, slots = [start.utc], [start.utc]
    people, invitation, toward = who_met(component, found, ctx.me)
    if not (people or invitation):  # the owner's own appointment: documented
        return
    if ctx.owner_in_file and not owner_attends(component, ctx.me):
        return          # someone else's meeting on a shared calendar: documented
    if start.all_day:
        extra["all_day"] = True
    if start.floating:
        extra["floating"] = True
    if start.unknown_tzid:
        extra["unknown_tzid"] = start.unknown_tzid
    subject = text_value(component, "summary")[:500]
    locator = f"{ctx.unit_name}:{line}"
    for moment, slot in zip(starts, slots, strict=True):
        occurrence = f"{uid}#{stamp(slot, start.all_day)}"
        if people:
            yield Interaction(
                source=ctx.source, connector="ics", external_id=occurrence,
                locator=locator, kind="meeting", occurred_at=moment, unit=ctx.unit,
                direction="both", participants=list(people), thread=uid, subject=subject,
                extra=dict(extra))
        if invitation:
            yield Interaction(
                source=ctx.source, connector="ics", external_id=f"{occurrence}#unanswered",
                locator=locator, kind="invitation", occurred_at=moment, unit=ctx.unit,
                direction=toward, participants=list(invitation), thread=uid,
                subject=subject, extra=dict(extra, partstat="NEEDS-ACTION"))


def _dates(component: vobject.base.Component, name: str, zones: ZoneBook) -> list[When]:
    found: list[When] = []
    for line in component.contents.get(name, []):
        try:
            found += parse_list(str(line.value), param(line, "TZID"), zones)
        except ValueError as exc:
            raise EventError("bad-date", f"{name.upper()}: {exc}") from exc
    return found
