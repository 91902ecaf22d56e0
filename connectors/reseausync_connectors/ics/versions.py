"""Which copy of an event is the one that holds: the newest version of each.

An invitation comes in versions: Google's `METHOD:REQUEST` with SEQUENCE:0, then
its cancellation, the same UID with `METHOD:CANCEL`, SEQUENCE:1 and
`STATUS:CANCELLED`. Mail clients save an invitation thread as several VCALENDARs
in one file, and two exports of one calendar end up in one folder. Each copy read
on its own, the confirmed one kept the meeting alive after it was cancelled.

So before any event is read, each event's version is noted (`Versions.note`), by
its UID and RECURRENCE-ID (an override is an event of its own): SEQUENCE, then
DTSTAMP, decide which is newer (RFC 5545 3.8.7.4, RFC 5546). A copy older than the
newest one is not read; when the newest is cancelled (STATUS:CANCELLED, or sent
with METHOD:CANCEL), no copy is, and a cancelled series takes its overrides of an
earlier or the same sequence with it. Copies of equal rank are all read, as
before (the same occurrence twice is yielded once). Only the raw lines are looked
at: no parsing, a few properties per event.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .blocks import Block

Key = tuple[str, str]        # UID, RECURRENCE-ID as written ("" for the series)
_WANTED = ("UID", "SEQUENCE", "DTSTAMP", "STATUS", "RECURRENCE-ID")


@dataclass(frozen=True, slots=True)
class Version:
    sequence: int
    stamp: str           # DTSTAMP as written (UTC, YYYYMMDDTHHMMSSZ: sorts as text)
    cancelled: bool

    @property
    def rank(self) -> tuple[int, str]:
        return (self.sequence, self.stamp)


@dataclass
class Versions:
    """The newest version of each event of the files noted."""

    newest: dict[Key, Version] = field(default_factory=dict)

    def note(self, block: Block) -> None:
        found = version_of(block)
        if found is None:
            return
        key, version = found
        held = self.newest.get(key)
        if held is None or version.rank > held.rank \
                or (version.rank == held.rank and version.cancelled):
            self.newest[key] = version

    def skipped(self, block: Block) -> bool:
        """Whether the event of `block` is not to be read: an older copy of an event,
        or a copy of an event whose newest version is cancelled."""
        found = version_of(block)
        if found is None:
            return False
        key, version = found
        newest = self.newest.get(key, version)
        if newest.cancelled or version.rank < newest.rank:
            return True
        series = self.newest.get((key[0], "")) if key[1] else None
        return series is not None and series.cancelled and version.sequence <= series.sequence


def version_of(block: Block) -> tuple[Key, Version] | None:
    """The event's key and version from its raw lines; None without a UID."""
    found = _properties(block.lines)
    uid = found.get("UID", "")
    if not uid:
        return None
    try:
        sequence = int(found.get("SEQUENCE", "0").split(":", 1)[-1].strip() or 0)
    except ValueError:
        sequence = 0
    cancelled = found.get("STATUS", "").split(":", 1)[-1].strip().upper() == "CANCELLED" \
        or block.method.upper() == "CANCEL"
    stamp = found.get("DTSTAMP", "").split(":", 1)[-1].strip()
    return (uid.split(":", 1)[-1].strip(), found.get("RECURRENCE-ID", "")), \
        Version(sequence, stamp, cancelled)


def _properties(lines: list[str]) -> dict[str, str]:
    """The first of each wanted property of the event itself (not of a VALARM in
    it), unfolded, as `NAME;PARAMS:VALUE` without the name."""
    found: dict[str, str] = {}
    depth = 0
    current = ""
    for line in lines[1:]:
        if line[:1] in (" ", "\t"):
            if current:
                found[current] += line[1:]
            continue
        current = ""
        upper = line.upper()
        if upper.startswith("BEGIN:"):
            depth += 1
        elif upper.startswith("END:"):
            depth -= 1
        elif depth == 0:
            name = upper.split(":", 1)[0].split(";", 1)[0].strip()
            if name in _WANTED and name not in found:
                found[name] = line[len(name):]
                current = name
    return found
