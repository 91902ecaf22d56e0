"""What keeps one huge or damaged event from taking the machine's memory, or a
reject from quoting megabytes.

vobject needs about 150 bytes of memory per character it is given, whether the
text is good or not: a 10 MB garbage line inside an event cost 1.5 GB (20 MB,
3 GB), and a legitimate 10 MB attachment would cost as much. An event over
`MAX_VOBJECT_CHARS` (the vcard connector's bound: the same parser, the same
reason) is therefore handed to vobject with only the properties this connector
reads (`essentials`): an attachment, an HTML description or an alarm never reach
it. A line that is not a property at all (the garbage line) makes the event a
reject, as vobject would have; the properties read may fill `MAX_KEPT_CHARS` (a
town hall with thousands of attendees), beyond that the event is a reject.
Normal events are far below the bound and pay one length test.

`clip` shortens what a reject quotes of the input (vobject's messages quote the
whole line they failed on).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from reseausync.errors import ItemError

from ..vcard.card import MAX_VOBJECT_CHARS

MAX_KEPT_CHARS = 4 * MAX_VOBJECT_CHARS     # ~150 MB of vobject at most
MAX_QUOTE = 200
_NAME = re.compile(r"[A-Za-z0-9-]+(?=[;:])")

__all__ = ["MAX_KEPT_CHARS", "MAX_VOBJECT_CHARS", "BoundsError", "clip", "essentials"]


class BoundsError(ItemError):
    """A large event that cannot be read: a reject with this reason code."""


def clip(text: str, limit: int = MAX_QUOTE) -> str:
    """`text`, or its start and how long it was."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text):,} characters)"


def essentials(text: str, first_line: int, names: frozenset[str]) -> str:
    """The event's BEGIN and END lines and its own properties named in `names`
    (upper case), folded lines kept as they are; nested components (VALARM) left
    out. `first_line` is the file line of the BEGIN, for the messages.

    Raises `BoundsError` for a line that is not a property (no name followed by
    `;` or `:`, or no `:` once unfolded) and when what is kept is over
    `MAX_KEPT_CHARS`.
    """
    kept: list[str] = []
    size = depth = 0
    for number, folded in _logical(text.split("\r\n"), first_line):
        head = folded[0]
        found = _NAME.match(head)
        if found is None or not any(":" in part for part in folded):
            raise BoundsError("bad-event", f"unreadable event: line {number} "
                                           f"is not a property: {clip(head, 80)!r}")
        name = found.group().upper()
        if name in ("BEGIN", "END"):
            depth += 1 if name == "BEGIN" else -1
            keep = (name == "BEGIN" and depth == 1) or (name == "END" and depth == 0)
        else:
            keep = depth == 1 and name in names
        if keep:
            kept += folded
            size += sum(len(part) for part in folded)
            if size > MAX_KEPT_CHARS:
                raise BoundsError("too-large", "the properties read of this event are over "
                                               f"{MAX_KEPT_CHARS // 1024} KiB: not a meeting")
    return "\r\n".join(kept) + "\r\n"


def _logical(lines: list[str], first_line: int) -> Iterator[tuple[int, list[str]]]:
    """Each content line as its file line number and its physical lines (the
    first, then its folded continuations); blank lines skipped."""
    group: list[str] = []
    start = first_line
    for offset, line in enumerate(lines):
        if line[:1] in (" ", "\t") and group:
            group.append(line)
            continue
        if group:
            yield start, group
        group, start = ([line], first_line + offset) if line else ([], 0)
    if group:
        yield start, group
