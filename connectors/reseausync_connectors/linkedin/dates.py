"""The date forms LinkedIn exports use, parsed without the locale.

`time.strptime("%b")` follows the process locale: on a French machine "Jan" is not
a month. These parsers use their own month table and fixed patterns, and they are
fast, since a messages file may hold a million dates. Times without a zone
(`Sent At` in Invitations.csv) are UTC: that is what LinkedIn writes everywhere
else in the export.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from functools import lru_cache

from ..dateorder import full_year, order_name

MONTHS = {name: i for i, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
    start=1)}
MONTHS["sept"] = 9


class DateError(ValueError):
    """A date cell in none of the known forms."""


class OrderUnknown(DateError):
    """A numeric date (`03/02/2024`) read before its file's order was decided: the
    caller decides it (`dateorder.ColumnOrder`) and parses again."""


_year = full_year


def _month(text: str) -> int:
    month = MONTHS.get(text[:4].casefold().rstrip(".")) or MONTHS.get(text[:3].casefold())
    if month is None:
        raise DateError(f"unknown month {text!r}")
    return month


_DAY_MON_YEAR = re.compile(r"(\d{1,2})[ \-/.]([A-Za-z]{3,9})\.?[ \-/.,]+(\d{4}|\d{2})")
_MON_DAY_YEAR = re.compile(r"([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})")
_ISO_DATE = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})")
_NUMERIC_DATE = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})")


@lru_cache(maxsize=8192)
def parse_date(text: str, day_first: bool | None = False) -> date:
    """`15 Jan 2024`, `29-Mar-21`, `Jan 15, 2024`, `2024-01-15`, `1/15/24` -> date.

    A numeric date (`1/15/24`, `15/01/2024`, `15.01.2024`) is read day first when
    `day_first`, month first when False (LinkedIn's own numeric form); None raises
    `OrderUnknown`, for a caller that decides its file's order only when needed.
    Cached: a connections file has far fewer distinct dates than rows.
    """
    value = text.strip()
    try:
        if m := _DAY_MON_YEAR.fullmatch(value):
            return date(_year(m[3]), _month(m[2]), int(m[1]))
        if m := _MON_DAY_YEAR.fullmatch(value):
            return date(int(m[3]), _month(m[1]), int(m[2]))
        if m := _ISO_DATE.fullmatch(value):
            return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError as exc:  # day 31 of February, month 13
        raise DateError(f"not a date: {text!r} ({exc})") from exc
    if m := _NUMERIC_DATE.fullmatch(value):
        if day_first is None:
            raise OrderUnknown(f"{text!r}: the file's date order is not decided yet")
        day, month = (m[1], m[3]) if day_first else (m[3], m[1])
        try:
            return date(_year(m[4]), int(month), int(day))
        except ValueError as exc:
            raise DateError(f"not a date: {text!r} ({exc}; read {order_name(day_first)}, "
                            "as the file's other numeric dates)") from exc
    raise DateError(f"not a date: {text!r}")


_ISO_TIME = re.compile(
    r"(\d{4})[-/](\d{2})[-/](\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
    r"\s*(UTC|GMT|Z|[+-]00:?00)?")
_US_TIME = re.compile(
    r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?"
    r"\s*(UTC|GMT|Z)?")


def parse_datetime(text: str) -> datetime:
    """`2023-05-01 14:22:10 UTC`, `2020/05/11 11:45:46 UTC`, `1/29/26, 2:37 PM`
    -> aware UTC datetime. A bare date means midnight UTC."""
    value = text.strip()
    if len(value) == 23 and value[19:] == " UTC" and value[10] == " ":
        # The messages.csv form, a million times: the C parser, no regex, and the
        # zone written into the text (`.replace(tzinfo=)` costs five times the parse).
        try:
            return datetime.fromisoformat(value[:19] + "+00:00")
        except ValueError:
            pass  # an odd first 19 characters: the slow path below decides
        try:
            return datetime.fromisoformat(value[:19]).replace(tzinfo=UTC)
        except ValueError:
            pass  # fall through to the patterns, which say what is wrong
    try:
        if m := _ISO_TIME.fullmatch(value):
            return datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]),
                            int(m[6] or 0), tzinfo=UTC)
        if m := _US_TIME.fullmatch(value):
            hour = int(m[4])
            if m[7]:
                if not 1 <= hour <= 12:
                    raise DateError(f"not a 12-hour time: {text!r}")
                hour = hour % 12 + (12 if m[7].casefold() == "pm" else 0)
            return datetime(_year(m[3]), int(m[1]), int(m[2]), hour, int(m[5]),
                            int(m[6] or 0), tzinfo=UTC)
    except ValueError as exc:
        raise DateError(f"not a date and time: {text!r} ({exc})") from exc
    try:
        day = parse_date(value)
    except DateError:
        raise DateError(f"not a date and time: {text!r}") from None
    return datetime(day.year, day.month, day.day, tzinfo=UTC)
