"""Invitations, endorsements and recommendations: evidence weaker than a conversation.

Each becomes an interaction of its own kind so the engagement stage can weigh it:
an accepted invitation alone is collection, not engagement; a recommendation says
more. Direction comes from the file (`Endorsement_Given_Info.csv` is "out") or,
for invitations, from the `Direction` column. Column names differ between the
endorsement files (`Endorser First Name`, `Endorsement Date`) and the
recommendation files (`First Name`, `Creation Date`): they are looked up by name.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from reseausync.connector import Connector, Unit
from reseausync.models import Direction, Interaction, Participant, SourceItem

from ..csvfile.rows import RowProblem, to_line
from .dates import DateError, parse_datetime
from .table import Table
from .urls import canonical_profile_url

INVITATION_REQUIRED = [("From",), ("To",), ("Direction",)]
INVITATION_DIRECTIONS: dict[str, Direction] = {"incoming": "in", "outgoing": "out"}

FIRST = ("First Name", "Endorser First Name", "Endorsee First Name",
         "Recommender First Name", "Recommendee First Name")
LAST = ("Last Name", "Endorser Last Name", "Endorsee Last Name",
        "Recommender Last Name", "Recommendee Last Name")
URL = ("Endorser Public Url", "Endorsee Public Url", "Profile Url", "Public Url", "URL")
DATE = ("Creation Date", "Endorsement Date", "Date", "Created At")
EVIDENCE_REQUIRED = [FIRST, DATE]

# unit kind -> (interaction kind, direction)
EVIDENCE_KINDS: dict[str, tuple[str, Direction]] = {
    "endorsements_received": ("endorsement", "in"),
    "endorsements_given": ("endorsement", "out"),
    "recommendations_received": ("recommendation", "in"),
    "recommendations_given": ("recommendation", "out"),
}


def stable_id(prefix: str, *parts: str) -> str:
    blob = "\x1f".join(parts).encode("utf-8", "replace")
    return f"{prefix}:" + hashlib.sha1(blob, usedforsecurity=False).hexdigest()[:24]


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index].strip() if index is not None else ""


def read_invitations(conn: Connector, unit: Unit) -> Iterator[SourceItem]:
    table = Table(unit, INVITATION_REQUIRED)
    h = table.header
    i_from, i_to, i_dir = h.find("From"), h.find("To"), h.find("Direction")
    i_sent, i_message = h.find("Sent At", "Sent", "Date"), h.find("Message")
    i_inviter, i_invitee = h.find("inviterProfileUrl"), h.find("inviteeProfileUrl")
    for item in table:
        if isinstance(item, RowProblem):
            yield conn.reject(unit, table.locator(item.line), item.reason, item.message)
            continue
        line, cells = item
        locator = table.locator(line)
        raw_direction = _cell(cells, i_dir)
        direction = INVITATION_DIRECTIONS.get(raw_direction.casefold())
        if direction is None:
            yield conn.reject(unit, locator, "bad-direction",
                              f"{locator}: Direction {raw_direction!r} is neither INCOMING "
                              "nor OUTGOING", to_line(cells))
            continue
        raw_date = _cell(cells, i_sent)
        try:
            when = parse_datetime(raw_date)
        except DateError as exc:
            yield conn.reject(unit, locator, "bad-date", f"{locator}: Sent At {exc}",
                              to_line(cells))
            continue
        if direction == "in":
            other, url = _cell(cells, i_from), _cell(cells, i_inviter)
        else:
            other, url = _cell(cells, i_to), _cell(cells, i_invitee)
        url = canonical_profile_url(url) if url else ""
        message = _cell(cells, i_message)
        yield Interaction(
            source=conn.source, connector=conn.name,
            external_id=stable_id("invitation", raw_direction.casefold(), _cell(cells, i_from),
                                  _cell(cells, i_to), raw_date),
            locator=locator, unit=unit.id, kind="invitation", occurred_at=when,
            direction=direction, participants=[Participant(name=other, linkedin_url=url)],
            extra={"message": message} if message else {},
        )


def read_evidence(conn: Connector, unit: Unit, unit_kind: str) -> Iterator[SourceItem]:
    kind, direction = EVIDENCE_KINDS[unit_kind]
    table = Table(unit, EVIDENCE_REQUIRED)
    h = table.header
    i_first, i_last, i_url, i_date = h.find(*FIRST), h.find(*LAST), h.find(*URL), h.find(*DATE)
    i_company, i_title = h.find("Company"), h.find("Job Title", "Title")
    i_text, i_skill, i_status = h.find("Text"), h.find("Skill Name"), \
        h.find("Status", "Endorsement Status")
    for item in table:
        if isinstance(item, RowProblem):
            yield conn.reject(unit, table.locator(item.line), item.reason, item.message)
            continue
        line, cells = item
        locator = table.locator(line)
        raw_date = _cell(cells, i_date)
        try:
            when = parse_datetime(raw_date)
        except DateError as exc:
            yield conn.reject(unit, locator, "bad-date", f"{locator}: {exc}", to_line(cells))
            continue
        name = f"{_cell(cells, i_first)} {_cell(cells, i_last)}".strip()
        url = _cell(cells, i_url)
        url = canonical_profile_url(url) if url else ""
        if not (name or url):
            yield conn.reject(unit, locator, "no-identity",
                              f"{locator}: {kind} naming nobody", to_line(cells))
            continue
        extra = {key: value for key, value in (
            ("company", _cell(cells, i_company)), ("title", _cell(cells, i_title)),
            ("skill", _cell(cells, i_skill)), ("status", _cell(cells, i_status)),
            ("text", _cell(cells, i_text))) if value}
        yield Interaction(
            source=conn.source, connector=conn.name,
            external_id=stable_id(kind, direction, name, url, raw_date,
                                  extra.get("skill", ""), extra.get("text", "")),
            locator=locator, unit=unit.id, kind=kind, occurred_at=when, direction=direction,
            participants=[Participant(name=name, linkedin_url=url)],
            subject=extra.get("skill", ""), extra=extra,
        )
