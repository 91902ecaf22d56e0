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
    """The as-of date when none is given: today's UTC date, whatever the machine's
    time zone (stored instants are UTC and `--as-of` days are UTC days).

    It was the later of the local and the UTC date, so that a report right after
    an import, west of Greenwich in the evening, still listed what the import had
    just brought; the local date made the same directory give other statuses on a
    machine in another zone (Kiritimati, a day ahead of UTC, counted tomorrow's
    meetings: QA8 dates #2). What an import has just written is in all the same:
    it was written before now, within today's UTC date; and interactions count
    only once they have happened (`status.evidence_cutoff`)."""
    return datetime.now(UTC).date()
