"""Contact groups of a vCard file, turned into the categories of their members.

iOS, macOS and iCloud never write CATEGORIES: a user files people in groups, and a
group is a card of its own (`X-ADDRESSBOOKSERVER-KIND:group` with one
`X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:...` line per person; vCard 4.0 `KIND:group`
with `MEMBER` lines). The group card stays a reject (it is not a person), but its
name becomes a category of each member card of the same file, as a Google label
or a CATEGORIES value would, so the layer rules see "Famille".

Apple writes the groups after the people, and a file is read as a stream (a 1 GB
export is never held whole), so the groups are found first: a scan of the text
for a group's KIND line (cheap, and nothing more for a file without one), then a
pass reading only the group cards. Members are named by UID (`urn:uuid:` or not,
any case); a member named otherwise (`mailto:`) is not followed.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterator
from typing import IO

from reseausync.connector import Unit
from reseausync.errors import UnitError
from reseausync.files import open_binary, sniff_encoding
from reseausync.models import SourceRecord

from .card import CardError, card_props
from .cards import CHUNK, RawCard, iter_lines, split_cards
from .record import build_record

_GROUP_LINE = re.compile(r"^[ \t]*(?:[\w-]+\.)?(?:X-ADDRESSBOOKSERVER-)?KIND(?:;[^:\n]*)?:"
                         r"[ \t]*group[ \t\r]*$", re.IGNORECASE | re.MULTILINE)
_CANDIDATE = re.compile(r"kind(?:;[^:\n]*)?:[ \t]*group[ \t\r]*$", re.MULTILINE)
_OVERLAP = 256      # characters kept between chunks, so a line cut by a chunk is found


def member_key(reference: str) -> str:
    """A UID as a group names it ("urn:uuid:7E1B...") and as a card writes it
    ("7E1B..." or "urn:uuid:7e1b..."), compared alike."""
    text = reference.strip().lower()
    return text.removeprefix("urn:uuid:")


def group_categories(unit: Unit) -> dict[str, list[str]]:
    """For each member UID (`member_key`) of the unit's contact groups, the names
    of its groups in file order; empty for a file without a group card.

    A unit that cannot be read through (a damaged zip member) gives what was found
    before the damage: the reading pass then reports the damage at its place and
    keeps the cards before it, as without groups."""
    found: dict[str, list[str]] = {}
    try:
        with open_binary(unit) as stream:
            if not _has_group_line(stream):
                return found
        with open_binary(unit) as stream:
            for name, members in _groups(stream):
                for member in members:
                    names = found.setdefault(member_key(member), [])
                    if name not in names:
                        names.append(name)
    except UnitError:
        pass
    return found


def add_group_categories(record: SourceRecord, groups: dict[str, list[str]]) -> None:
    """The record's groups become categories (after its own, none twice)."""
    if not groups or not record.external_id:
        return
    for name in groups.get(member_key(record.external_id), ()):
        if all(name.casefold() != c.casefold() for c in record.categories):
            record.categories.append(name)


def _has_group_line(stream: IO[bytes]) -> bool:
    """Whether the text holds a group's KIND line: decoded by chunks, not by line."""
    data = stream.read(CHUNK)
    encoding = sniff_encoding(data[:65536])
    if not encoding.startswith(("utf-16", "utf-32")):
        encoding = "utf-8"
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    tail = ""
    while data:
        text = tail + decoder.decode(data)
        if _names_a_group(text):
            return True
        tail = text[-_OVERLAP:]
        data = stream.read(CHUNK)
    return False


def _names_a_group(text: str) -> bool:
    """A regex starting with a literal ("kind", on the lowered text) is scanned for
    fast; only its hits are tried as whole lines. `_GROUP_LINE` tried at every
    line start took 3 s per 56 MB of a book without groups."""
    for hit in _CANDIDATE.finditer(text.lower()):
        begin = text.rfind("\n", 0, hit.start()) + 1
        if _GROUP_LINE.match(text, begin, hit.end()):
            return True
    return False


def _groups(stream: IO[bytes]) -> Iterator[tuple[str, list[str]]]:
    """(name, member references) of each readable group card of the stream."""
    for item in split_cards(iter_lines(stream)):
        if not isinstance(item, RawCard) or not _is_group(item):
            continue
        try:
            props, raw = card_props(item, [])
        except CardError:   # an unreadable group card is already the card's reject
            continue
        record = build_record(props, source="", unit="", locator="", raw=raw)
        name = (record.display_name or record.organization).strip()
        members = record.extra.get("member_refs", [])
        if name and members:
            yield name, members


def _is_group(card: RawCard) -> bool:
    return any(_GROUP_LINE.match(text) for _, text in card.lines)


_UID = re.compile(r"^(?:[\w-]+\.)?UID(?:;[^:\r\n]*)?:[ \t]*(.*?)[ \t\r]*$",
                  re.IGNORECASE | re.MULTILINE)
_FOLD = re.compile(r"\r?\n[ \t]")


def card_membership(text: str) -> tuple[str, tuple[str, list[str]] | None]:
    """(member key of the card's UID or "", (group name, member keys) when the card
    is a contact group with a name and members): what a CardDAV book, one card per
    resource, keeps to file each card under its groups (carddav/groups.py)."""
    unfolded = _FOLD.sub("", text)
    found = _UID.search(unfolded)
    uid = member_key(found.group(1)) if found else ""
    if not _names_a_group(unfolded):
        return uid, None
    data = text.encode("utf-8", "surrogateescape")
    for name, members in _groups(io.BytesIO(data)):
        return uid, (name, list(dict.fromkeys(member_key(m) for m in members)))
    return uid, None
