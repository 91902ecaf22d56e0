"""A mailbox that only grew is read from where the last read ended (QA8 big files #4).

A mail spool, a Thunderbird Inbox or a Takeout mbox kept up to date grows by
appended messages; its size and time change, and it used to be read whole again
(500 MB for one new message: 27 s; a 10 GB Inbox about 10 minutes per sync).

After each read of a mailbox file the connector keeps, in its cursor (one JSON
object per source, saved by the core after a complete run), what the read covered:
the bytes read, SHA-256 digests of the first and of the last `PROBE` bytes of them,
where the last message started (its byte, number and line), the owner the read used
and the connector's READING. A later listing finds the file larger and both digests
still those bytes: only appends happened, and the read starts at the last message
read (read again: it may have been cut by the writer), numbered and located as a
whole read would. What was read before is not removed for being unseen
(files.APPENDED_FROM). Any other change (a shorter file, compacted, rewritten, other
bytes at either probe, another READING or other read settings, which reset the
cursor) reads the file whole, as before. Zip members and .eml files are always read
whole, and so is a file whose last message was cut inside its header block (being
written while read: what was stored of it may not be what it says once whole).

The owner guessed from the mailbox's head (owner.py) is the one the earlier read
used: the appended messages are read with the same directions as the earlier ones.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from reseausync.connector import Unit

PROBE = 64 * 1024


@dataclass(slots=True)
class Covered:
    """What a read of one mailbox file covered (module text)."""

    size: int                  # bytes read
    head: str                  # digest of the first PROBE bytes
    tail: str                  # digest of the PROBE bytes before `size`
    offset: int                # where the last message read starts
    number: int                # messages before it
    lines: int                 # lines before it
    owner: list[str]           # the owner the read used
    reading: str               # the connector's READING then


def _digest(path: Path, start: int, end: int) -> str:
    with open(path, "rb") as handle:
        handle.seek(start)
        return hashlib.sha256(handle.read(max(0, end - start))).hexdigest()


def probes(path: Path, size: int) -> tuple[str, str]:
    """(digest of the first PROBE bytes, of the PROBE bytes before `size`)."""
    return _digest(path, 0, min(size, PROBE)), _digest(path, max(0, size - PROBE), size)


def load(cursor: str) -> dict[str, Any]:
    """The cursor's entries by unit id ({} for an empty or foreign cursor)."""
    try:
        found = json.loads(cursor) if cursor else {}
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def grown(unit: Unit, cursor: str, reading: str) -> Covered | None:
    """What an earlier read of `unit` covered, when the file only grew since."""
    if unit.path is None or unit.member is not None or unit.problem is not None:
        return None
    entry = load(cursor).get(unit.id)
    try:
        covered = Covered(**entry) if isinstance(entry, dict) else None
        if covered is None or covered.reading != reading or covered.size <= 0:
            return None
        if unit.path.stat().st_size <= covered.size:
            return None
        head, tail = probes(unit.path, covered.size)
    except (TypeError, OSError):
        return None
    return covered if (head, tail) == (covered.head, covered.tail) else None


def remember(cursor: str, unit: Unit, covered: Covered | None) -> str:
    """The cursor with `unit`'s entry set to `covered` (dropped when None)."""
    entries = load(cursor)
    entries.pop(unit.id, None)
    if covered is not None:
        entries[unit.id] = asdict(covered)
    return json.dumps(entries, sort_keys=True)
