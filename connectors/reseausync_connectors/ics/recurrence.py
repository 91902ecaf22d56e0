"""Expanding a recurring event into its occurrences, up to the as-of date, bounded.

A weekly standup since 2019 is hundreds of meetings, and an RRULE without an end
is infinite, so expansion has hard limits (documented in the package docstring):

- only occurrences at or before the as-of limit are produced;
- at most `MAX_OCCURRENCES` per event are kept, the most recent ones: the latest
  meetings are what decides whether a tie is engaged or cold;
- an RRULE without COUNT that recurs DAILY or WEEKLY is scanned over its last
  `WINDOW_PERIODS` periods only (dateutil walks every day from DTSTART, and a rule
  whose filters match nothing would otherwise walk centuries);
- SECONDLY, MINUTELY and HOURLY rules are not meetings: the event is rejected;
- no rule scans more than `MAX_SCAN` occurrences.

DTSTART always counts as the first occurrence (RFC 5545), EXDATEs remove
occurrences, RDATEs add some, and occurrences replaced by a RECURRENCE-ID override
are left to the override.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from dateutil.rrule import rrulestr

from reseausync.errors import ItemError

from .when import When

MAX_OCCURRENCES = 500
WINDOW_PERIODS = 1000
MAX_SCAN = 200_000
MAX_COUNT_SPAN_YEARS = 100
SUPPORTED = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")


class RecurrenceError(ItemError):
    """A recurrence rule that cannot be expanded: the event becomes a reject."""


@dataclass(slots=True)
class Expansion:
    starts: list[datetime]          # aware UTC, sorted, at most MAX_OCCURRENCES
    truncated: bool = False


def as_of_limit(as_of: Any) -> datetime:
    """The last instant (inclusive, UTC) an occurrence may have.

    A date means the whole of that day (UTC); a naive datetime is UTC; None is
    today. A string is read as ISO 8601.
    """
    if isinstance(as_of, str):
        as_of = datetime.fromisoformat(as_of) if "T" in as_of or " " in as_of.strip() \
            else date.fromisoformat(as_of)
    if as_of is None:
        as_of = datetime.now(UTC).date()
    if isinstance(as_of, datetime):
        return as_of.replace(tzinfo=UTC) if as_of.tzinfo is None else as_of.astimezone(UTC)
    return datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC) \
        + timedelta(days=1, microseconds=-1)


def expand(start: When, rules: list[str], rdates: list[When], exdates: list[When],
           limit: datetime, skip: Collection[datetime] = ()) -> Expansion:
    """The occurrence starts (UTC) of an event, newest `MAX_OCCURRENCES` kept."""
    excluded = {w.utc for w in exdates} | set(skip)
    keep = MAX_OCCURRENCES + len(excluded)
    truncated = False
    found: set[datetime] = set()
    if start.utc <= limit:
        found.add(start.utc)
    found.update(w.utc for w in rdates if w.utc <= limit)
    for text in rules:
        latest, cut = _expand_rule(start, text, limit, keep)
        found.update(latest)
        truncated = truncated or cut
    starts = sorted(found - excluded)
    if len(starts) > MAX_OCCURRENCES:
        starts, truncated = starts[-MAX_OCCURRENCES:], True
    return Expansion(starts, truncated)


def _expand_rule(start: When, text: str, limit: datetime, keep: int
                 ) -> tuple[list[datetime], bool]:
    parts = _parts(text)
    freq = parts.get("FREQ", "")
    if freq not in SUPPORTED:
        raise RecurrenceError("unsupported-recurrence",
                              f"RRULE FREQ={freq or '?'} is not a meeting rhythm "
                              f"(supported: {', '.join(SUPPORTED)})")
    count = _int(parts.pop("COUNT", None), "COUNT")
    until = _until(parts.pop("UNTIL", None), start)
    interval = _int(parts.get("INTERVAL"), "INTERVAL") or 1
    if interval < 1:
        raise RecurrenceError("bad-recurrence", f"RRULE INTERVAL={interval} must be >= 1")
    cap = limit if until is None else min(limit, until)
    dtstart = start.local
    if freq in ("DAILY", "WEEKLY"):
        period = timedelta(days=interval * (7 if freq == "WEEKLY" else 1))
        try:
            if count is None:
                dtstart = _shift(dtstart, period, cap - WINDOW_PERIODS * period)
            elif cap - start.utc > timedelta(days=365 * MAX_COUNT_SPAN_YEARS):
                cap = start.utc + timedelta(days=365 * MAX_COUNT_SPAN_YEARS)
        except OverflowError:   # an absurd INTERVAL: nothing to shift, dateutil stops soon
            pass
    body = ";".join(f"{k}={v}" for k, v in parts.items())
    if freq in ("DAILY", "WEEKLY") and _matches_no_day(parts, start):
        return [], False
    try:
        rule = rrulestr(body, dtstart=dtstart).replace(until=cap.astimezone(dtstart.tzinfo))
    except Exception as exc:    # dateutil raises many kinds on a malformed rule
        raise RecurrenceError("bad-recurrence", f"unreadable RRULE {text[:80]!r}: {exc}") \
            from exc
    latest: deque[datetime] = deque(maxlen=keep)
    seen = 0
    cut = False
    try:
        for occurrence in rule:
            moment = occurrence.astimezone(UTC)
            if moment > limit:
                break
            seen += 1
            if count is not None and seen > count:
                break
            if seen > MAX_SCAN:
                cut = True
                break
            latest.append(moment)
    except (ValueError, OverflowError) as exc:    # year 10000, or a bad BYxxx value
        if not latest:
            raise RecurrenceError("bad-recurrence",
                                  f"unreadable RRULE {text[:80]!r}: {exc}") from exc
    if len(latest) == keep and seen > keep:
        cut = True
    return list(latest), cut


def _matches_no_day(parts: dict[str, str], start: When) -> bool:
    """True when the rule's day filters match no day of a whole 400-year Gregorian
    cycle (February 30th): dateutil only checks UNTIL when an occurrence is found, so
    such a rule would walk day by day to the year 9999. The probe is the same
    filters as a YEARLY rule on the last cycle before 9999: cheap, and it ends."""
    filters = {k: v for k, v in parts.items()
               if k in ("BYMONTH", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYDAY")}
    if not filters:
        return False
    if parts.get("FREQ") == "WEEKLY" and "BYDAY" not in filters:
        filters["BYDAY"] = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[start.local.weekday()]
    body = "FREQ=YEARLY;" + ";".join(f"{k}={v}" for k, v in filters.items())
    try:
        probe = rrulestr(body, dtstart=datetime(9599, 1, 1))
        return next(iter(probe), None) is None
    except Exception:   # let the real expansion report the rule's problem
        return False


def _shift(dtstart: datetime, period: timedelta, window_start: datetime) -> datetime:
    """Move DTSTART forward by whole periods to the window start: same rhythm, same
    weekday and wall-clock time, fewer days for dateutil to walk."""
    gap = window_start - dtstart.astimezone(UTC)
    if gap <= period:
        return dtstart
    return dtstart + (gap // period) * period


def _parts(text: str) -> dict[str, str]:
    parts: dict[str, str] = {}
    for piece in text.replace("\\", "").strip().split(";"):
        if not piece.strip():
            continue
        key, sep, value = piece.partition("=")
        if not sep:
            raise RecurrenceError("bad-recurrence", f"RRULE part {piece[:40]!r} has no '='")
        parts[key.strip().upper()] = value.strip().upper()
    return parts


def _int(value: str | None, name: str) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise RecurrenceError("bad-recurrence", f"RRULE {name}={value[:20]!r} is not a number") \
            from None


def _until(value: str | None, start: When) -> datetime | None:
    """UNTIL as an aware UTC instant. A date UNTIL includes that whole day; a floating
    UNTIL is read in DTSTART's zone (both are common in the wild, though RFC 5545
    wants UTC)."""
    if value is None:
        return None
    cleaned = value.replace("-", "").replace(":", "")
    try:
        if len(cleaned) == 8:
            day = datetime.strptime(cleaned, "%Y%m%d")
            end = day + timedelta(days=1, microseconds=-1)
            return end.replace(tzinfo=start.local.tzinfo).astimezone(UTC)
        zulu = cleaned.endswith("Z")
        moment = datetime.strptime(cleaned.rstrip("Z"), "%Y%m%dT%H%M%S")
    except ValueError:
        raise RecurrenceError("bad-recurrence", f"RRULE UNTIL={value[:30]!r} is not a date") \
            from None
    zone = UTC if zulu else start.local.tzinfo
    return moment.replace(tzinfo=zone).astimezone(UTC)
