"""iCalendar date and date-time values, turned into aware datetimes.

Parsed here rather than by vobject because real files name time zones vobject
cannot resolve (Outlook's "Eastern Standard Time", Mozilla's
"/mozilla.org/20050126_1/America/Montreal"), and vobject then logs to stderr and
returns naive times. The rules, documented in the package docstring:

- `20261002T140000Z` is UTC; `TZID=America/Montreal` is resolved through the IANA
  database, then the file's own VTIMEZONE, then a few Windows names;
- an all-day `DATE` value is 00:00 UTC that day;
- a floating time (no Z, no TZID) or a TZID nobody knows is read as UTC, and the
  interaction says so in `extra` ("floating", "unknown_tzid"): the hour may be off,
  the day is what engagement needs.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo

from dateutil import tz as dateutil_tz

_VALUE = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?(Z)?)?$")

WINDOWS_ZONES = {
    "eastern standard time": "America/Toronto",
    "central standard time": "America/Chicago",
    "mountain standard time": "America/Denver",
    "pacific standard time": "America/Los_Angeles",
    "atlantic standard time": "America/Halifax",
    "gmt standard time": "Europe/London",
    "romance standard time": "Europe/Paris",
    "w. europe standard time": "Europe/Berlin",
    "utc": "UTC",
}


@dataclass(frozen=True, slots=True)
class When:
    """A start: `local` is aware (its own zone, for recurrence arithmetic that keeps
    9:00 at 9:00 across daylight saving); `utc` is what the interaction stores."""

    local: datetime
    all_day: bool = False
    floating: bool = False
    unknown_tzid: str = ""

    @property
    def utc(self) -> datetime:
        return self.local.astimezone(UTC)


class ZoneBook:
    """The time zones one calendar file can name: IANA, its VTIMEZONEs, Windows."""

    def __init__(self) -> None:
        self._definitions: dict[str, str] = {}
        self._cache: dict[str, tzinfo | None] = {}

    def add_definition(self, tzid: str, text: str) -> None:
        self._definitions.setdefault(tzid, text)

    def get(self, tzid: str) -> tzinfo | None:
        tzid = tzid.strip().strip('"')
        if tzid not in self._cache:
            self._cache[tzid] = self._resolve(tzid)
        return self._cache[tzid]

    def _resolve(self, tzid: str) -> tzinfo | None:
        candidates = [tzid]
        parts = [p for p in tzid.split("/") if p]
        if len(parts) > 2:      # /mozilla.org/20050126_1/America/Montreal
            candidates += ["/".join(parts[-2:]), "/".join(parts[-3:])]
        windows = WINDOWS_ZONES.get(tzid.lower())
        if windows:
            candidates.append(windows)
        for name in candidates:
            zone = _zoneinfo(name)
            if zone is not None:
                return zone
        text = self._definitions.get(tzid)
        if text is not None:
            try:
                book = dateutil_tz.tzical(io.StringIO(text))
                # dateutil names the zone by its TZID as written: escaped ("\\,")
                return book.get(tzid) if tzid in book.keys() else book.get()
            except Exception:   # a broken VTIMEZONE only costs us its zone
                return None
        return None


def _zoneinfo(name: str) -> tzinfo | None:
    if not name or len(name) > 100 or name.startswith(("/", ".")) or ".." in name:
        return None
    try:
        return ZoneInfo(name)
    except Exception:   # ZoneInfoNotFoundError, ValueError, IsADirectoryError...
        return None


def parse_value(value: str, tzid: str, zones: ZoneBook) -> When:
    """One DATE or DATE-TIME value; ValueError names what was wrong."""
    cleaned = value.strip().replace("-", "").replace(":", "")
    match = _VALUE.match(cleaned)
    if not match:
        raise ValueError(f"not an iCalendar date or date-time: {value[:40]!r}")
    year, month, day, hour, minute, second, zulu = match.groups()
    if hour is None:
        day_value = date(int(year), int(month), int(day))
        return When(datetime(day_value.year, day_value.month, day_value.day, tzinfo=UTC),
                    all_day=True)
    naive = datetime(int(year), int(month), int(day), int(hour), int(minute),
                     int(second or 0))
    if zulu:
        return When(naive.replace(tzinfo=UTC))
    if tzid:
        zone = zones.get(tzid)
        if zone is not None:
            return When(naive.replace(tzinfo=zone))
        return When(naive.replace(tzinfo=UTC), floating=True, unknown_tzid=tzid[:80])
    return When(naive.replace(tzinfo=UTC), floating=True)


def parse_list(value: str, tzid: str, zones: ZoneBook) -> list[When]:
    """An EXDATE/RDATE value: comma-separated dates; PERIOD values keep their start."""
    found = []
    for item in value.split(","):
        item = item.strip()
        if item:
            found.append(parse_value(item.split("/", 1)[0], tzid, zones))
    return found
