"""The `--as-of DATE` argument: one format, refused loudly otherwise.

Results must be reproducible, so a date that could be read two ways (03/04/2026)
is refused rather than guessed.
"""

from __future__ import annotations

import re
from datetime import date

from ..errors import UsageError

_FORMAT = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def parse_as_of(text: str) -> date:
    """`YYYY-MM-DD` -> date; anything else raises UsageError naming the format."""
    value = (text or "").strip()
    if _FORMAT.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise UsageError(f"--as-of {text!r} is not a date in the expected format YYYY-MM-DD",
                     hint="write the date like 2026-11-20")
