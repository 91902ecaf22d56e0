"""The `--as-of DATE` argument: one format, refused loudly otherwise.

Results must be reproducible, so a date that could be read two ways (03/04/2026)
is refused rather than guessed.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from ..errors import UsageError

_FORMAT = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def parse_as_of(text: str) -> date:
    """`YYYY-MM-DD` -> date; anything else raises UsageError naming the format."""
    value = (text or "").strip()
    if _FORMAT.match(value):
        try:
            found = date.fromisoformat(value)
        except ValueError:
            raise UsageError(f"--as-of {text!r} is written YYYY-MM-DD but no such day "
                             "exists", hint="check the month and the day") from None
        if found >= date.max:     # everything "before the next day" needs a next day
            raise UsageError(f"--as-of {text!r} (YYYY-MM-DD) is the last day a date can "
                             "hold: its next day, the report's end, does not exist",
                             hint="give a date before 9999-12-31")
        return found
    raise UsageError(f"--as-of {text!r} is not a date in the expected format YYYY-MM-DD",
                     hint="write the date like 2026-11-20")


def today() -> date:
    """The as-of date when none is given: the later of the local date and the UTC date.

    Stored instants are UTC (an interaction's time, the moment the directory first
    saw a record) and an as-of date takes everything before the next UTC day.
    West of Greenwich, in the evening, the local date is already yesterday in UTC
    terms: `contacts` right after an import would leave out every record the
    import just brought without a date of its own, and the messages of the last
    hours. The later date never leaves out what has already happened."""
    return max(date.today(), datetime.now(UTC).date())
