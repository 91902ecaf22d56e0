"""The `ics` connector: calendar files and folders of them."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import IO, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from reseausync.connector import Connector, Unit
from reseausync.errors import UnitError
from reseausync.files import open_binary, suffix_filter, walk
from reseausync.models import Reject, SourceItem

from .blocks import STRAY, Block, BlockSplitter
from .bounds import clip
from .event import (
    DEFAULT_MAX_ATTENDEES,
    EventContext,
    EventError,
    event_id,
    interactions,
    names_owner,
    parse_block,
    recurrence_id,
)
from .lines import open_lines
from .recurrence import as_of_limit
from .versions import Versions
from .when import ZoneBook

SUFFIXES = (".ics", ".ical", ".ifb")
PEEK_BYTES = 1024
FOLDER_PEEK_FILES = 20
SCAN_BYTES = 1 << 20
# What a read yields beyond the file's bytes, by this version of the connector: a
# change of meaning (a crowd is no meeting, an unanswered invitation an attempt)
# has every calendar read again once. r4: an invitation the owner never answered
# is an attempt from its organizer, not a meeting; only an event's newest version
# counts; Apple's EMAIL= attendees; folds cutting a UTF-8 character.
READING = "r4"
_TEXT_ESCAPE = re.compile(r"\\(.)")
_UNESCAPED = {"n": "\n", "N": "\n"}


class IcsOptions(BaseModel):
    """`max_attendees`: an event inviting more people than this (the owner and those
    who declined counted) is a broadcast, a town hall or a webinar: kept, but not a
    meeting with each person (flagged automated, like a mailing list's mail)."""

    model_config = ConfigDict(extra="forbid")
    max_attendees: int = Field(default=DEFAULT_MAX_ATTENDEES, ge=2)


class IcsConnector(Connector):
    name = "ics"
    Options: ClassVar[type[BaseModel]] = IcsOptions
    priority = 5
    description = "calendar files (.ics): each event a meeting with its attendees"

    @classmethod
    def can_open(cls, target: str) -> bool:
        path = Path(target)
        if path.is_file():
            return path.name.lower().endswith(SUFFIXES) and _is_calendar(path)
        if path.is_dir():
            return any(_is_calendar(p) for p in _some_calendar_files(path))
        return False

    def discover(self, target: str) -> Iterator[Unit]:
        """The files' units, each fingerprint saying what a read of it depends on
        besides its bytes (see `_fingerprint`). The expansion limit is decided once
        here and travels in `meta`, so a read that crosses midnight reads what the
        fingerprint says. The calendars of one folder are read together: a file's
        cancellation cancels the invitation another file holds (`versions.py`), so
        each fingerprint also carries a digest of its siblings' (`set=`), and a
        changed file has them all read again."""
        limit = as_of_limit(self.context.as_of)
        reading = f"{READING};max={self._max_attendees}"
        units = list(walk(target, suffix_filter(*SUFFIXES)))
        together = _digest(units) if len(units) > 1 else ""
        for unit in units:
            yield replace(unit, fingerprint=f"{_fingerprint(unit, limit)};{reading}{together}",
                          meta={**unit.meta, "limit": limit})

    def read(self, units: Iterable[Unit]) -> Iterator[SourceItem]:
        """The units' items; with several units, every event's version is noted
        first, across them all, so that only the newest copy of an event is read
        whichever file holds it."""
        units = list(units)
        if len(units) > 1:
            self._versions = Versions()
            for unit in units:
                if unit.problem is None:
                    _note_versions(unit, self._versions)
        try:
            yield from super().read(units)
        finally:
            self._versions = None

    # the versions noted across the units of one `read`, None when it reads one
    _versions: Versions | None = None

    @property
    def _max_attendees(self) -> int:
        return getattr(self.options, "max_attendees", DEFAULT_MAX_ATTENDEES)

    def read_unit(self, unit: Unit) -> Iterator[SourceItem]:
        zones = ZoneBook()
        limit = unit.meta.get("limit") or as_of_limit(self.context.as_of)
        ctx = EventContext(source=self.source, connector=self.name, unit=unit.id,
                           unit_name=unit.name,
                           me=self.context.me_emails,
                           limit=limit, zones=zones, max_attendees=self._max_attendees)
        splitter = BlockSplitter()
        versions = self._versions or Versions()
        # First pass: time zones, RECURRENCE-ID overrides, which may come after
        # the events that use them, and each event's newest version; only blocks
        # that need it are parsed.
        with _lines(unit) as stream:
            for block in splitter.split(stream):
                if block.kind == "VTIMEZONE" and not block.problem:
                    tzid = _tzid(block.lines)
                    if tzid:
                        zones.add_definition(tzid, block.text())
                elif block.kind == "VEVENT" and not block.problem:
                    versions.note(block)
                    if any(line.upper().startswith("RECURRENCE-ID") for line in block.lines):
                        _note_override(block.text(), block.line, ctx)
                    if ctx.me and not ctx.owner_in_file:
                        ctx.owner_in_file = names_owner(block.text(), ctx.me)
        if not splitter.saw_calendar:
            yield self.reject(unit, unit.id, "not-a-calendar",
                              f"{unit.name}: no BEGIN:VCALENDAR (a vCard? try --connector vcard)")
            return
        seen: set[str] = set()
        with _lines(unit) as stream:
            for block in BlockSplitter().split(stream):
                if block.problem == STRAY:
                    yield self._stray(unit, block)
                    continue
                if block.kind != "VEVENT":
                    continue
                locator = f"{unit.id}:{block.line}"    # the path: two calendar.ics apart
                if block.problem:
                    why = ("has no END:VEVENT" if block.problem == "unterminated"
                           else "is too large to be a meeting")
                    yield self.reject(unit, locator, f"{block.problem}-event",
                                      f"event at line {block.line} {why}",
                                      "\n".join(line[:80] for line in block.lines[:3]))
                    continue
                if versions.skipped(block):
                    continue    # an older copy, or a cancelled event: documented
                try:
                    found = list(interactions(block.text(), block.line, ctx))
                except EventError as exc:
                    yield self.reject(unit, locator, exc.reason, clip(exc.message),
                                      "\n".join(line[:80] for line in block.lines[:3]))
                    continue
                for item in found:
                    if item.external_id not in seen:    # the same event twice in a file
                        seen.add(item.external_id)
                        yield item

    def _stray(self, unit: Unit, block: Block) -> Reject:
        """Lines outside any event that are not the calendar's own: what is left
        of an event whose BEGIN:VEVENT was damaged (its lines, an END:VEVENT that
        closes nothing), or other damage. Never passed over in silence."""
        where = (f"line {block.line}" if block.last == block.line
                 else f"lines {block.line}-{block.last}")
        return self.reject(unit, f"{unit.id}:{block.line}", "garbage",
                           f"text outside any BEGIN:VEVENT ... END:VEVENT event ({where}, "
                           "a damaged BEGIN line?): not read", "\n".join(block.lines))


def _fingerprint(unit: Unit, limit: datetime) -> str:
    """The file's own fingerprint, plus the expansion limit when it holds a
    recurrence rule.

    A series is expanded up to the as-of date (today), so what an unchanged file
    yields grows day by day: without the date, the first read's occurrences were
    all a weekly meeting ever had, and its contact drifted to cooling, then cold.
    With it, the first sync of each day (UTC) reads such a file again: stored
    occurrences keep their ids (`UID#start`), the new ones are added. A file with
    no RRULE yields the same thing whatever the day (single events are kept
    whatever their date) and is not read again. Finding out costs one scan of the
    bytes for "RRULE" per sync, far less than the read (a 4 MB calendar: 5 ms to
    scan, 6 s to read); an unreadable file counts as recurring, its read reports
    the problem.
    """
    if unit.problem is None and _has_rule(unit):
        return f"{unit.fingerprint};through={limit.isoformat(timespec='seconds')}"
    return unit.fingerprint


def _note_versions(unit: Unit, versions: Versions) -> None:
    try:
        with _lines(unit) as stream:
            for block in BlockSplitter().split(stream):
                if block.kind == "VEVENT" and not block.problem:
                    versions.note(block)
    except UnitError:
        return      # its own read reports it


def _digest(units: list[Unit]) -> str:
    """`;set=` and a digest of the units' ids and fingerprints."""
    listing = "\n".join(f"{u.id}\t{u.fingerprint}" for u in units)
    return ";set=" + hashlib.sha256(listing.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def _has_rule(unit: Unit) -> bool:
    """Whether the unit's bytes mention RRULE, in any case, in UTF-8, a legacy
    code page or UTF-16/32 (their NUL bytes dropped)."""
    try:
        with open_binary(unit) as stream:
            tail = b""
            while chunk := stream.read(SCAN_BYTES):
                text = tail + chunk.replace(b"\x00", b"").upper()
                if b"RRULE" in text:
                    return True
                tail = text[-4:]
    except UnitError:
        return True
    return False


def _note_override(text: str, line: int, ctx: EventContext) -> None:
    try:
        component = parse_block(text, line)
        moment = recurrence_id(component, ctx.zones)
    except EventError:
        return      # the second pass rejects it with its location
    if moment is not None:
        ctx.overrides.add((event_id(component, text), moment))


def _tzid(lines: list[str]) -> str:
    """The VTIMEZONE's TZID, unfolded and unescaped: its property is TEXT (RFC 5545
    3.3.11), so Outlook writes "(UTC+01:00) Amsterdam\\, Berlin" there while the
    events' TZID parameter, quoted, says "(UTC+01:00) Amsterdam, Berlin"."""
    for index, line in enumerate(lines):
        if line.upper().startswith("TZID"):
            for more in lines[index + 1:]:
                if more[:1] not in (" ", "\t"):
                    break
                line += more[1:]
            return _TEXT_ESCAPE.sub(lambda m: _UNESCAPED.get(m[1], m[1]),
                                    line.split(":", 1)[-1].strip())
    return ""


def _lines(unit: Unit) -> IO[str]:
    return open_lines(unit)


def _is_calendar(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            head = handle.read(PEEK_BYTES)
    except OSError:
        return False
    upper = head.replace(b"\x00", b"").upper()
    return b"BEGIN:VCALENDAR" in upper and b"BEGIN:VCARD" not in upper


def _some_calendar_files(root: Path) -> Iterator[Path]:
    """A few calendar-named files under `root`, found without walking it all."""
    found = 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.lower().endswith(SUFFIXES) and not name.startswith("."):
                yield Path(folder) / name
                found += 1
                if found >= FOLDER_PEEK_FILES:
                    return
