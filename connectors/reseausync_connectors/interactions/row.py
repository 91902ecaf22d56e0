"""One row of the hand-kept log: its date, the people in it, its channel.

Pure functions from cells to values, so that they can be tested on their own and
with hypothesis; the connector only walks the file.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

from reseausync.errors import ItemError
from reseausync.models import Participant

from ..dateorder import full_year, order_name

# hour, minute, second, AM/PM, zone: what may follow a date
_TIME = (r"(?:[ T]+(\d{1,2})(?:[:h](\d{2})?)?(?::(\d{2})(?:\.\d+)?)?"
         r"(?:\s*([ap])\.?m\.?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$")
_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME, re.IGNORECASE)
# as a spreadsheet re-saves a date it recognised: 3/1/2026 (en-US), 01/03/2026 18:00
# (fr-FR), 01.03.2026 (de-DE); which number is the day is the file's (`dateorder`)
_NUMERIC_DATE = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})" + _TIME,
                           re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
_NAMED_EMAIL = re.compile(r"^(.*?)\s*<([^<>]+)>$")
_PHONE = re.compile(r"^\+?[\d\s().\-/]+$")
_ADDRESS_IN = re.compile(r"[^@\s<>,\"]+@[^@\s<>,\"]+\.[^@\s<>,\"]+")
DATE_FORMATS = ("YYYY-MM-DD, YYYY-MM-DD HH:MM, YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM], or "
                "D/M/YYYY or M/D/YYYY [HH:MM] as a spreadsheet writes them")


class RowError(ItemError):
    """One item cannot be read: a reject with this reason code."""


class OrderUnknown(RowError):
    """A numeric date (`01/03/2026`) read before its file's order was decided: the
    caller decides it (`dateorder.ColumnOrder`) and parses again."""


def parse_date(text: str, day_first: bool | None = None) -> datetime:
    """An ISO-like date or date-time as aware UTC. A date alone is 00:00 UTC; a time
    without zone is read as UTC, so the day written is the day stored.

    A numeric date (`3/1/2026 18:00`) is read day first when `day_first`, month
    first when False; None raises `OrderUnknown`, as one value cannot say which."""
    value = text.strip()
    if match := _DATE.match(value):
        year, month, day, *clock = match.groups()
    elif match := _NUMERIC_DATE.match(value):
        if day_first is None:
            raise OrderUnknown("bad-date", f"date {value[:40]!r}: the file's date order "
                               "is not decided yet")
        first, _separator, second, year, *clock = match.groups()
        day, month = (first, second) if day_first else (second, first)
        year = str(full_year(year))
    else:
        raise RowError("bad-date", f"date {value[:40]!r} is not one of {DATE_FORMATS}")
    try:
        return _moment(int(year), int(month), int(day), *clock)
    except (ValueError, OverflowError) as exc:
        read = "" if day_first is None or match.re is _DATE else \
            f"; read {order_name(day_first)}, as the file's other numeric dates"
        raise RowError("bad-date", f"date {value[:40]!r} does not exist ({exc}{read})") \
            from None


def written_as(text: str) -> str:
    """How a date cell gives its time, for `show` (which prints such a time as
    written, not converted to the reader's zone): "date" for a date alone (stored
    at 00:00 UTC), "floating" for a time without a zone (the wall time, stored as
    UTC), "" for an instant (a zone is written) or a cell that is no date."""
    value = text.strip()
    match = _DATE.match(value) or _NUMERIC_DATE.match(value)
    if match is None:
        return ""
    hour, zone = match.groups()[-5], match.groups()[-1]
    return "" if zone else "date" if hour is None else "floating"


def _moment(year: int, month: int, day: int, hour: str | None, minute: str | None,
            second: str | None, meridiem: str | None, zone: str | None) -> datetime:
    """The UTC moment of a matched date and its optional clock (12-hour when
    `meridiem` is "a" or "p")."""
    hours = int(hour or 0)
    if meridiem:
        if not 1 <= hours <= 12:
            raise ValueError(f"hour {hours} with AM/PM")
        hours = hours % 12 + (12 if meridiem.lower() == "p" else 0)
    moment = datetime(year, month, day, hours, int(minute or 0), int(second or 0))
    tz = UTC if zone is None or zone.upper() == "Z" else _offset(zone)
    return moment.replace(tzinfo=tz).astimezone(UTC)


def _offset(zone: str) -> timezone:
    digits = zone[1:].replace(":", "")
    delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return timezone(-delta if zone[0] == "-" else delta)


def split_cell(text: str) -> list[str]:
    return [piece.strip() for piece in text.split(";") if piece.strip()]


def split_people(piece: str) -> list[str]:
    """The people of one `;`-piece of the `who` column, also split at commas when
    the piece holds email addresses: people copy "Paul <paul@kpmg.ca>, Zoé
    <zoe@example.com>" from a mail client, where the comma separates addresses.

    A comma also sits inside a name written "Last, First <addr>", so a part with
    no address is kept with the part after it ("Tremblay" + "Jean <jf@acme.ca>"
    is one person), and parts with no address after the last address stay one
    name. A piece without any address is never split ("Tremblay, Jean" is one
    name), and commas inside quotes or angle brackets never split.
    """
    if "," not in piece or "@" not in piece:
        return [piece]
    people: list[str] = []
    pending: list[str] = []
    for part in _top_level_parts(piece):
        pending.append(part)
        if _ADDRESS_IN.search(part):
            people.append(", ".join(pending))
            pending = []
    if pending:
        people.append(", ".join(pending))
    return people


def _top_level_parts(text: str) -> list[str]:
    """`text` cut at the commas outside double quotes and angle brackets, each part
    stripped, empty parts left out."""
    parts: list[str] = []
    start, quoted, angled = 0, False, False
    for index, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif char == "<" and not quoted:
            angled = True
        elif char == ">" and not quoted:
            angled = False
        elif char == "," and not quoted and not angled:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return [part.strip() for part in parts if part.strip()]


def split_positions(text: str) -> list[str]:
    """Like `split_cell`, but an empty piece keeps its place (";418-555-3030")."""
    return [piece.strip() for piece in text.split(";")] if text.strip() else []


def person(text: str) -> Participant:
    """One entry of the `who` column: an email (optionally `Name <email>`), a
    LinkedIn profile URL, a phone number (7 digits or more), else a name."""
    named = _NAMED_EMAIL.match(text)
    if named and _EMAIL.match(named.group(2).strip()):
        return Participant(name=named.group(1).strip().strip('"'),
                           email=named.group(2).strip().lower())
    if _EMAIL.match(text):
        return Participant(email=text.lower())
    if "linkedin.com/in/" in text.lower():
        return Participant(linkedin_url=text)
    if _PHONE.match(text) and sum(c.isdigit() for c in text) >= 7:
        return Participant(phone=text)
    return Participant(name=text)


def participants(who: str, emails: str, phones: str, names: str) -> list[Participant]:
    """People from the `who` column and from separate email/phone/name columns.

    The separate columns describe the same people position by position
    ("Mike Rossi;Thomas Nguyen" with "mike@...;thomas@..."); when `who` names one
    person and the columns describe one, they are the same person.
    """
    found = [person(entry) for piece in split_cell(who) for entry in split_people(piece)]
    email_list, phone_list, name_list = split_positions(emails), split_positions(phones), \
        split_positions(names)
    described = []
    for index in range(max(len(email_list), len(phone_list), len(name_list))):
        entry = Participant(
            name=name_list[index] if index < len(name_list) else "",
            email=email_list[index].lower() if index < len(email_list) else "",
            phone=phone_list[index] if index < len(phone_list) else "")
        if not entry.is_empty():
            described.append(entry)
    if len(found) == 1 and len(described) == 1:
        one, other = found[0], described[0]
        return [Participant(name=one.name or other.name, email=one.email or other.email,
                            phone=one.phone or other.phone, linkedin_url=one.linkedin_url)]
    return found + described
