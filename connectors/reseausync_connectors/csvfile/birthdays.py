"""Birthdays an address book's CSV writes in its locale's short form.

Outlook writes the Birthday column as Windows' short date: `4/15/1985` (en-US),
`15/04/1985` (fr-FR, en-GB), `15.04.1985` (de-DE). Kept as written, such a value
was exported as vCard `BDAY;VALUE=text` (a note, for the clients) and published
so: a phone book moved through reseausync lost every birthday (QA8 dates #4).
Here it becomes an ISO date (`1985-04-15`), which the vCard export writes as a
real BDAY.

Which number is the day is decided once per file, as for the other CSVs people
re-save (`dateorder`): a first number above 12 is a day, a second one above 12
makes the first a month, and the order more of the file's birthdays can only be
read in wins. When none tells (every day is 12 or less) or they tie, the
mapping's `date_order` does (`mdy` for the English Outlook, `dmy` for the French
and German ones); a mapping without one keeps an undecided value as written
(`5/4/1985` could be either). A two-digit year is kept too (1905 or 2005), as
is a value that is no day in the order chosen; ISO dates and `--MM-DD` (a
birthday without its year, Google's) are already dates and stay as they are.
The file's birthdays are read again only when a short date is met
(`BirthdayOrder`): a Google export pays nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date

from ..dateorder import FileOrder, leaning

_MAPPING_ORDER = {"dmy": True, "mdy": False}
_SHORT_DATE = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})\Z")


def file_order(values: Iterable[str], date_order: str) -> bool | None:
    """True when the file's birthdays are day first, False month first, None when
    neither they nor the mapping's `date_order` ("dmy", "mdy", "") tell."""
    return BirthdayOrder(lambda: values, date_order).decide()


class BirthdayOrder(FileOrder):
    """One file's birthday order (`values` reads them again): when none of them
    tells, the mapping's `date_order` does, else it stays undecided."""

    def __init__(self, values: Callable[[], Iterable[str]], date_order: str) -> None:
        super().__init__(values, _MAPPING_ORDER.get(date_order))


def iso_birthday(value: str, order: BirthdayOrder | None) -> str:
    """`value` as `YYYY-MM-DD` when it is a short date with a four-digit year that
    names a real day in the file's order (or, when nothing tells it, in the only
    order it can be read in); else `value` as it is."""
    match = _SHORT_DATE.match(value.strip())
    if match is None:
        return value
    first, second, year = int(match[1]), int(match[3]), int(match[4])
    day_first = order.decide() if order is not None else None
    order_read = day_first if day_first is not None else leaning(value)
    if order_read is None:
        return value
    day, month = (first, second) if order_read else (second, first)
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return value
