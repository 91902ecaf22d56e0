"""Which way a file writes its numeric dates: day first (15/01/2024) or month first
(1/15/2024). Shared by the LinkedIn connector (`Connected On`) and the hand-kept
interactions log, the two CSVs people re-save in a spreadsheet.

A spreadsheet that re-saves a CSV writes every date it recognised in its locale's
short form: `1/15/2024` (en-US), `15/01/2024` (fr-FR, en-GB), `15.01.2024` (de-DE).
One value cannot say which order it is in (`03/02/2024` is 3 February or 2 March),
but the column can: a first number above 12 is a day, and so is a second number
above 12. So the order is decided once per file from all its numeric dates: the
order more of them can only be read in wins. When none decides (every day is 12 or
less) or they tie, a `;`-separated file is read day first (a spreadsheet writes `;`
in the locales whose decimal mark is a comma, and none of those writes the month
first) and any other month first, as US spreadsheets and LinkedIn's own numeric
dates do. A value that does not exist in the chosen order is the caller's reject.

The decision reads the column again only when a numeric date is met
(`FileOrder.decide`): a file as LinkedIn exports it (`15 Jan 2024`) or a log in
ISO dates is read once, as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

# day-or-month, separator, month-or-day, same separator, year (the start of a cell:
# a time may follow)
NUMERIC_DATE = re.compile(r"\s*(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})(?!\d)")


def full_year(text: str) -> int:
    """Two-digit years are this century up to 69, as spreadsheets assume."""
    year = int(text)
    if len(text) <= 2:
        year += 2000 if year < 70 else 1900
    return year


def leaning(text: str) -> bool | None:
    """True when `text` is a numeric date that reads only day first, False when only
    month first, None when either (or neither, or it is no numeric date)."""
    match = NUMERIC_DATE.match(text)
    if match is None:
        return None
    first, second = int(match[1]), int(match[3])
    if first > 12 and 1 <= second <= 12:
        return True
    if second > 12 and 1 <= first <= 12:
        return False
    return None


def evidence(cells: Iterable[str]) -> bool | None:
    """The order more of the cells can only be read in: True day first, False month
    first, None when none tells or they tie (the caller's fallback decides)."""
    days = months = 0
    for cell in cells:
        found = leaning(cell)
        if found is True:
            days += 1
        elif found is False:
            months += 1
    return days > months if days != months else None


def day_first(cells: Iterable[str], delimiter: str) -> bool:
    """The order of a column's numeric dates, by the rule in the module docstring."""
    return ColumnOrder(lambda: cells, delimiter).decide()


class FileOrder:
    """One file's date order, decided from all its dates the first time a numeric
    date needs it: `cells` reads them again (the file is read a second time only
    then), and `fallback` is the order when none of them tells (None: undecided,
    the value stays as written). `day_first` is None until decided."""

    def __init__(self, cells: Callable[[], Iterable[str]], fallback: bool | None) -> None:
        self._cells = cells
        self._fallback = fallback
        self._decided = False
        self.day_first: bool | None = None

    def decide(self) -> bool | None:
        if not self._decided:
            found = evidence(self._cells())
            self.day_first = found if found is not None else self._fallback
            self._decided = True
        return self.day_first


class ColumnOrder(FileOrder):
    """A date column's order: when none of its dates tells, the delimiter does (the
    rule in the module docstring), so it is always decided."""

    def __init__(self, column: Callable[[], Iterable[str]], delimiter: str) -> None:
        super().__init__(column, delimiter == ";")

    def decide(self) -> bool:
        return bool(super().decide())


def order_name(first_is_day: bool) -> str:
    """How a reject names the order: "day first (D/M/Y)"."""
    return "day first (D/M/Y)" if first_is_day else "month first (M/D/Y)"
