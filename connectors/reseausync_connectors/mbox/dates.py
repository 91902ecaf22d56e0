"""A mail's date: its Date header, checked against the date its transport gives.

The Date header is written by the sender's machine, whose clock may be wrong (a
laptop four years fast, an unset clock at 1970) and whose zone may be written in
a form `email.utils` does not know ("CEST", "9:00:00 AM -0500"). Read as they
were, such mails were stored years in the future, where no report as of today
sees them, or hours off, after the reply to them. The transport dates a mail
too: the mbox From_ line (the delivery or filing time) and the top `Received:`
header (added by the server that delivered the mail to the mailbox, so by the
owner's provider, not the sender).

The rules (README "Mail dates"):

- a Date read with its zone is the mail's date, unless it is more than
  `AHEAD` (one day) after the transport's date, or before `EARLIEST` (1980: no
  mail was dated so; an unset clock or a year typed "1026"); then the transport's
  date is used and the interaction's extra says so (`date_from`, `date_problem`).
  A Date *before* the transport's is normal (a delayed mail, a mailbox refiled
  later: Thunderbird stamps the refiling time) and is kept;
- the zone names RFC 5322 does not list but mail clients write (CET, CEST, BST,
  IST, JST...) are read as their offsets (`NAMED_ZONES`), and a 12-hour time
  ("9:00:00 AM -0500") as the 24-hour one; a zone still unknown ("PST8PDT"), or
  none at all, is read as UTC with a `date_problem` note, never silently;
- no Date, or one that cannot be read: the From_ line's date, else the top
  Received: header's, with the note; neither is a reject (`date_of`).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

AHEAD = timedelta(days=1)
EARLIEST = datetime(1980, 1, 1, tzinfo=UTC)
# Zone abbreviations mail clients write that RFC 5322 (and so email.utils) does not
# know, as offsets. IST is India's (the clients that write it are mostly there).
NAMED_ZONES = {
    "WET": "+0000", "WEST": "+0100", "BST": "+0100", "IST": "+0530", "CET": "+0100",
    "CEST": "+0200", "MET": "+0100", "MEST": "+0200", "MEZ": "+0100", "MESZ": "+0200",
    "EET": "+0200", "EEST": "+0300", "MSK": "+0300", "JST": "+0900", "KST": "+0900",
    "HKT": "+0800", "SGT": "+0800", "AWST": "+0800", "ACST": "+0930", "AEST": "+1000",
    "AEDT": "+1100", "NZST": "+1200", "NZDT": "+1300", "NST": "-0330", "NDT": "-0230",
    "AKST": "-0900", "AKDT": "-0800", "HST": "-1000", "BRT": "-0300", "ART": "-0300",
    "SAST": "+0200", "WAT": "+0100", "CAT": "+0200", "EAT": "+0300",
}
_KNOWN_ZONES = frozenset({"UT", "UTC", "GMT", "Z", "AST", "ADT", "EST", "EDT", "CST",
                          "CDT", "MST", "MDT", "PST", "PDT"})
# the time, an optional AM/PM, and what follows up to the end: the zone, if any
_CLOCK = re.compile(r"(?<!\S)(?P<hour>\d{1,2})(?P<rest>[:.]\d{2}(?:[:.]\d{2})?)"
                    r"(?:\s*(?P<half>[AaPp])\.?[Mm]\.?)?(?P<tail>(?:\s+\S+)?)\s*\Z")
_NUMERIC_ZONE = re.compile(r"[+-]\d{4}\Z")
_NO_ZONE = "no time zone in Date, read as UTC"


def clock_and_zone(text: str) -> tuple[str, str]:
    """`text` with a 12-hour time made 24-hour and a named zone of `NAMED_ZONES`
    made numeric, and the note to keep if the date is read without a zone ("" when
    its zone is "-0000" or a military letter, which say nothing by RFC 5322). Text
    that does not end in a time and a zone (the ISO form) is returned as it is."""
    match = _CLOCK.search(text)
    if match is None:
        return text, _NO_ZONE
    hour = int(match["hour"])
    if match["half"]:
        hour = hour % 12 + (12 if match["half"] in "Pp" else 0)
    zone = match["tail"].strip()
    zone = NAMED_ZONES.get(zone.upper(), zone)
    note = _zone_note(zone)
    fixed = f"{text[:match.start()]}{hour:02d}{match['rest']}" + (f" {zone}" if zone else "")
    return fixed, note


def _zone_note(zone: str) -> str:
    """Why a date without a zone was read as UTC: its zone is unknown, or not written."""
    if not zone:
        return _NO_ZONE
    if _NUMERIC_ZONE.match(zone) or zone.upper() in _KNOWN_ZONES or len(zone) == 1:
        return ""       # a military letter is "-0000" for RFC 5322: no zone said
    if zone.isdigit():
        return _NO_ZONE      # asctime: the year ends it
    return f"zone {zone[:20]!r} in Date unknown, read as UTC"


def rfc_date(text: str) -> datetime | None:
    try:
        return parsedate_to_datetime(text) if text else None
    except (ValueError, OverflowError):
        return None


def received_date(value: str) -> str:
    """The date of a Received: header: the text after its last ";" ("" for none)."""
    head, sep, tail = value.rpartition(";")
    return tail.strip() if sep else ""


def implausible(moment: datetime, transport: datetime | None) -> str:
    """Why a Date cannot be the mail's date given the transport's date, or ""."""
    if transport is None or transport < EARLIEST:
        return ""
    if moment - transport > AHEAD:
        days = (moment - transport).days
        return (f"Date {moment:%Y-%m-%d %H:%M}Z is {days} day(s) after the mail's "
                f"delivery ({transport:%Y-%m-%d %H:%M}Z): the sender's clock was wrong")
    if moment < EARLIEST:
        return f"Date {moment:%Y-%m-%d} is before 1980 (an unset clock or a typo)"
    return ""
