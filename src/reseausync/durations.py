"""Durations as people write them in the config: `45s`, `30m`, `6h`, `1d`, `2w`."""

from __future__ import annotations

import re
from datetime import timedelta

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_PATTERN = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$")
# No setting means anything past a century, and dates a century away are still
# dates: "99999999999d" overflowed `timedelta` and every command died with a
# traceback instead of naming the key (QA round 4).
MAX_DURATION = timedelta(days=36500)


def parse_duration(text: str) -> timedelta:
    """Parse `45s`, `30m`, `6h`, `1d`, `2w` up to 100 years; a ValueError names the
    accepted forms (a config error, never an OverflowError)."""
    match = _PATTERN.match(str(text))
    if not match:
        raise ValueError(f"{text!r} is not a duration; write it like 45s, 30m, 6h, 1d or 2w")
    seconds = int(match.group(1)) * _UNITS[match.group(2)]
    if seconds > MAX_DURATION.total_seconds():
        raise ValueError(f"{text!r} is longer than 100 years ({format_duration(MAX_DURATION)})")
    return timedelta(seconds=seconds)


def duration_value(value: object, example: str) -> object:
    """What a config duration field gets before pydantic converts it.

    Text is parsed; a `timedelta` (settings built in Python) passes. A bare number is
    refused rather than left to pydantic, which would read it as seconds:
    `cooling_after = 90` meant 90 days, and as 90 seconds it turns every engaged
    contact cold, `every = 1` syncs every second. `example` is a value of that key
    as it should be written, shown in the message."""
    if isinstance(value, str):
        return parse_duration(value)
    if isinstance(value, (int, float)):          # bool is an int: refused too
        raise ValueError(f"write a duration such as {example!r} "
                         "(a bare number has no unit)")
    return value


def format_duration(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    for unit in ("w", "d", "h", "m"):
        if seconds and seconds % _UNITS[unit] == 0:
            return f"{seconds // _UNITS[unit]}{unit}"
    return f"{seconds}s"
