"""Cutting an iCalendar stream into its events and time zones, line by line.

vobject parses a whole calendar or nothing: one event with a bad line takes every
other event of the file down with it. So the stream is cut here first, into
`VEVENT` and `VTIMEZONE` blocks that remember the line where they began, and each
block is parsed on its own; a broken one becomes one reject. Reading line by line
keeps a large calendar export out of memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

WANTED = ("VEVENT", "VTIMEZONE")
MAX_BLOCK_LINES = 20_000     # an event longer than this is garbage, not a meeting


@dataclass(slots=True)
class Block:
    """One top-level component: its kind, the line of its BEGIN, its raw lines.

    `problem` is set when the block cannot be trusted as a whole: "unterminated"
    (another component began, or the file ended, before its END) or "too-large".
    """

    kind: str
    line: int
    lines: list[str] = field(default_factory=list)
    problem: str = ""

    def text(self) -> str:
        return "\r\n".join(self.lines) + "\r\n"


class BlockSplitter:
    """Iterates the blocks of a calendar; `saw_calendar` tells whether the stream
    had a BEGIN:VCALENDAR at all (a .ics holding a vCard is not a calendar)."""

    def __init__(self) -> None:
        self.saw_calendar = False

    def split(self, lines: Iterable[str]) -> Iterator[Block]:
        current: Block | None = None
        depth = 0
        for number, raw in enumerate(lines, start=1):
            line = raw.rstrip("\r\n")
            if number == 1:
                line = line.lstrip("\ufeff")
            folded = line[:1] in (" ", "\t")
            key = "" if folded else line.strip().upper()
            if key == "BEGIN:VCALENDAR":
                self.saw_calendar = True
            if current is None:
                begun = _begun(key)
                if begun:
                    current, depth = Block(begun, number, [line.strip()]), 0
                continue
            if key == f"END:{current.kind}" and depth == 0:
                current.lines.append(line.strip())
                yield current
                current = None
                continue
            begun = _begun(key)
            if begun or key in ("BEGIN:VCALENDAR", "END:VCALENDAR"):
                current.problem = current.problem or "unterminated"
                yield current
                current, depth = (Block(begun, number, [line.strip()]) if begun else None), 0
                continue
            if key.startswith("BEGIN:"):
                depth += 1
            elif key.startswith("END:") and depth > 0:
                depth -= 1
            if len(current.lines) < MAX_BLOCK_LINES:
                current.lines.append(line)
            else:
                current.problem = "too-large"
        if current is not None:
            current.problem = current.problem or "unterminated"
            yield current


def _begun(key: str) -> str:
    """The kind of a wanted top-level BEGIN line, else ""."""
    if key.startswith("BEGIN:"):
        kind = key[6:].strip()
        if kind in WANTED:
            return kind
    return ""
