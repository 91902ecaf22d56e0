"""Birthdays: telling a date that names no real day from text we cannot judge.

Sources write birthdays many ways ("1980-04-15", "19800415", "--04-15" without a
year, "15/04/1980", "le 15 avril"); the record keeps what the source said. The
canonical contact must not present an impossible date ("1990-02-30") as a date:
export would write it as a vCard BDAY every client rejects or shifts. Only values
written as numbers can be judged; any other text is left alone.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

_YEAR_FIRST = re.compile(r"(\d{4})[-/.]?(\d{1,2})[-/.]?(\d{1,2})\Z")
_NO_YEAR = re.compile(r"--(\d{2})-?(\d{2})\Z")
_YEAR_LAST = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\Z")
_LEAP = 2000      # a day without its year is real if some year has it (Feb 29)


def month_day(value: str) -> str | None:
    """A day without its year as "--MM-DD", whether written so or in the basic form
    "--MMDD" (vCard 4.0, RFC 6350 4.3.1; ez-vcard, DAVx5 and our own export write
    it): one stored form, so `show` and a 3.0 export never see "--0912"; None when
    `value` is not such a day."""
    m = _NO_YEAR.match(value.strip())
    return f"--{m[1]}-{m[2]}" if m else None


def _real(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


@lru_cache(maxsize=1 << 12)
def impossible_date(value: str) -> bool:
    """True when `value` is written as a date but names no real day: "1990-02-30",
    "--13-01", "31/31/1990" (neither day-first nor month-first is a date). Text that
    is not a numeric date is not judged (False)."""
    text = value.strip()
    if (m := _YEAR_FIRST.match(text)) and (len(text) == 8 or not text.isdigit()):
        return not _real(int(m[1]), int(m[2]), int(m[3]))
    if m := _NO_YEAR.match(text):
        return not _real(_LEAP, int(m[1]), int(m[2]))
    if m := _YEAR_LAST.match(text):
        a, b, year = int(m[1]), int(m[2]), int(m[3])
        return not (_real(year, b, a) or _real(year, a, b))
    return False
