"""Cutting an iCalendar stream into its events and time zones, line by line.

vobject parses a whole calendar or nothing: one event with a bad line takes every
other event of the file down with it. So the stream is cut here first, into
`VEVENT` and `VTIMEZONE` blocks that remember the line where they began, and each
block is parsed on its own; a broken one becomes one reject. Reading line by line
keeps a large calendar export out of memory.

What lies between the blocks is looked at too: the calendar's own properties
(`VERSION`, `PRODID`, `X-WR-CALNAME`...) and the components the connector does not
read (`VTODO`, `VJOURNAL`) are passed over, anything else is a "stray" block. A
damaged `BEGIN:VEVENT` (`BEGXN:VEVENT`, a NUL byte in it) leaves its event's lines
there, ending in an `END:VEVENT` that closes nothing: without this, the event (a
whole recurring series) vanished with no reject.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

WANTED = ("VEVENT", "VTIMEZONE")
# Characters (line ends counted) kept of one block: beyond, the event is not
# buffered and is one reject. Bounds memory whatever the damage (a 10 MB garbage
# line, a million blank lines), and leaves room for an event carrying an
# attachment, which `bounds.py` keeps away from vobject.
MAX_BLOCK_CHARS = 16 * 1024 * 1024
STRAY_LINES = 3              # lines of a stray run kept for its reject's excerpt
STRAY_CHARS = 80             # characters kept of each
# Properties of the calendar itself (RFC 5545, RFC 7986, vCalendar 1.0); `X-` ones
# are accepted whatever their name.
CALENDAR_PROPERTIES = frozenset({
    "VERSION", "PRODID", "CALSCALE", "METHOD", "NAME", "DESCRIPTION", "UID", "URL",
    "LAST-MODIFIED", "CATEGORIES", "REFRESH-INTERVAL", "SOURCE", "COLOR", "IMAGE",
    "TZ", "DAYLIGHT", "GEO",
})
# Components the connector does not read: skipped whole, their lines are theirs.
OTHER_COMPONENTS = frozenset({
    "VTODO", "VJOURNAL", "VFREEBUSY", "VAVAILABILITY", "AVAILABLE", "VALARM",
    "STANDARD", "DAYLIGHT", "VLOCATION", "VRESOURCE", "PARTICIPANT",
})
STRAY = "stray"


@dataclass(slots=True)
class Block:
    """One top-level component: its kind, the line of its BEGIN, its raw lines.

    `problem` is set when the block cannot be trusted as a whole: "unterminated"
    (another component began, or the file ended, before its END) or "too-large".
    A `STRAY` block (kind "") is a run of lines outside any component, from `line`
    to `last`, of which `lines` keeps the first few, shortened.
    """

    kind: str
    line: int
    lines: list[str] = field(default_factory=list)
    problem: str = ""
    last: int = 0
    method: str = ""       # the METHOD of its VCALENDAR (an invitation's REQUEST, CANCEL)

    def text(self) -> str:
        return "\r\n".join(self.lines) + "\r\n"


class BlockSplitter:
    """Iterates the blocks of a calendar; `saw_calendar` tells whether the stream
    had a BEGIN:VCALENDAR or an event at all (a .ics holding a vCard is not a
    calendar; one whose BEGIN:VCALENDAR is damaged still is)."""

    def __init__(self) -> None:
        self.saw_calendar = False
        self.method = ""

    def split(self, lines: Iterable[str]) -> Iterator[Block]:
        current: Block | None = None
        outside = _Outside()
        depth = size = 0
        for number, raw in enumerate(lines, start=1):
            line = raw.rstrip("\r\n")
            if number == 1:
                line = line.lstrip("\ufeff")
            folded = line[:1] in (" ", "\t")
            key = "" if folded else line.strip().upper()
            if key == "BEGIN:VCALENDAR":
                self.saw_calendar = True
                self.method = ""
            if current is None:
                begun = _begun(key)
                if begun:
                    self.saw_calendar = True
                    yield from outside.close()
                    current, depth, size = Block(begun, number, [line.strip()]), 0, 0
                    current.method = self.method
                else:
                    if key.startswith("METHOD:"):
                        self.method = key[7:].strip()
                    yield from outside.feed(number, line, key)
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
                current, depth, size = (Block(begun, number, [line.strip()], method=self.method)
                                        if begun else None), 0, 0
                continue
            if key.startswith("BEGIN:"):
                depth += 1
            elif key.startswith("END:") and depth > 0:
                depth -= 1
            size += len(line) + 2
            if size <= MAX_BLOCK_CHARS:
                current.lines.append(line)
            else:
                current.problem = "too-large"
        yield from outside.close()
        if current is not None:
            current.problem = current.problem or "unterminated"
            yield current


class _Outside:
    """The lines between blocks. The calendar's properties, blank lines and the
    components not read pass; any other line starts (or continues) a stray run,
    which ends at the next block, at a BEGIN/END:VCALENDAR, or at an END:VEVENT
    (or END:VTIMEZONE) that closes nothing, so that two damaged events in a row
    are two rejects. Only lines outside blocks come here: no cost for the rest."""

    def __init__(self) -> None:
        self.others: list[str] = []      # components open that are not read (VTODO)
        self.run: Block | None = None

    def feed(self, number: int, line: str, key: str) -> Iterator[Block]:
        if key in ("BEGIN:VCALENDAR", "END:VCALENDAR"):
            self.others = []
            yield from self.close()
        elif key.startswith("END:") and key[4:].strip() in WANTED:
            self.others = []           # its BEGIN was damaged: the end of a stray run
            self._stray(number, line)
            yield from self.close()
        elif self.others:
            self._nest(key)
        elif key.startswith("BEGIN:") and _other(key[6:].strip()):
            self.others.append(key[6:].strip())
        elif not self._passes(line, key):
            self._stray(number, line)

    def close(self) -> Iterator[Block]:
        if self.run is not None:
            yield self.run
            self.run = None

    def _passes(self, line: str, key: str) -> bool:
        """A line that is no damage: blank, a calendar property, or the folded
        continuation of a line that passed."""
        if not key:
            return self.run is None or not line.strip()
        if not line.strip(" \t\x00\x1a"):
            return True
        name = key.split(":", 1)[0].split(";", 1)[0].strip() if ":" in key else ""
        return name in CALENDAR_PROPERTIES or name.startswith("X-")

    def _stray(self, number: int, line: str) -> None:
        if self.run is None:
            self.run = Block("", number, problem=STRAY)
        if len(self.run.lines) < STRAY_LINES:
            self.run.lines.append(line[:STRAY_CHARS])
        self.run.last = number

    def _nest(self, key: str) -> None:
        if key.startswith("BEGIN:"):
            self.others.append(key[6:].strip())
        elif key.startswith("END:") and key[4:].strip() in self.others:
            kind = key[4:].strip()
            while self.others and self.others.pop() != kind:
                pass


def _begun(key: str) -> str:
    """The kind of a wanted top-level BEGIN line, else ""."""
    if key.startswith("BEGIN:"):
        kind = key[6:].strip()
        if kind in WANTED:
            return kind
    return ""


def _other(kind: str) -> bool:
    """A component the connector does not read, known or an extension."""
    return kind in OTHER_COMPONENTS or kind.startswith("X-")
