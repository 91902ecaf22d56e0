"""The vCard connector: .vcf files, folders of them and zips, vCard 2.1, 3.0 and 4.0.

Cards are read incrementally (a 1 GB export is never held whole): `cards` cuts the
byte stream into cards and repairs what breaks plain parsers, `contentline` parses
the common properties by hand (fast), vobject (`reference`) is the fallback for a
card the fast parser cannot read and the reference the tests compare it with, and
`record` turns properties into a `SourceRecord`.

Choices a reader of the store should know:

- external_id is the card's UID; a card without one (Android's exports) is keyed
  by its name, "name:daniel-roy" (N's parts, else FN, else a company's name), so
  an edit of the card (a phone added) keeps its id and the user's decisions on
  it; cards of one file sharing a name are each "name:…#sha256:…" (the hash of
  the card), whatever the other cards say, and a card naming nobody is
  "sha256:" + the hash of its text. The names are counted by a first, light
  read of the file (`_names`: only the lines that name). A UID already used by
  an earlier, different card of the same file gets "#sha256:..." (the hash of
  the card) appended, so both cards are kept (a UID is not identity).
  The same UID in two files of one source is still one id: the store keeps the
  first card read in a run, and takes it as the same record moving between
  files across runs (the same export zipped or not).
  locator is "<unit>:<line of BEGIN:VCARD>" ("export.zip!contacts.vcf:12" in a zip).
- A card never closed but followed by BEGIN:VCARD is closed there when it names
  someone (FN or N) and does not stop inside a value; the record says so in
  `extra["end_missing"]`.
- Rejected, with the line: any other card never closed (no END:VCARD before the
  next BEGIN:VCARD, or before the end of the file), text between cards, a card
  with no property at all (or none readable). A file that ends inside a card is
  still being written or was cut short: its reject is `unread` (the cards after
  the cut are not taken as removed, and the file is read again next run).
- A property line that neither parser can read (no colon, a bad parameter) is
  left out and the rest of the card imports; the line gets a reject of its own at
  "<unit>:<line>" ("... left out, the rest of the card imported: ..."). A vCard 2.1
  photo whose base64 goes on over unindented lines is joined, not left out.
- A zip member whose data is damaged (a bad CRC, corrupt deflate data): the cards
  read before the damage stay, and the rest of the member is one reject at
  "export.zip!contacts.vcf" naming the line where reading stopped.
- A photo larger than 5 MiB decoded, or whose base64 cannot be read, is not kept;
  the record still imports with `extra["photo_dropped"]` saying why. A photo URL
  goes to `photo_url` and is never fetched.
- A contact group's card (vCard 4.0 `KIND:group`, Apple's
  `X-ADDRESSBOOKSERVER-KIND:group`) is not a person: a "contact-group" reject at
  the card's line naming the group and its member count (`card.not_a_group`).
  Its name is a category of each member card of the same file (`groups`), as
  iOS and macOS file people in groups, never in CATEGORIES.
- Google's system groups "myContacts" and "starred" in CATEGORIES are left out.
- An empty file (or one of blank lines only) is one "empty-file" reject, as for
  the other file connectors: an export cut to 0 bytes is not an empty book.
- REV is kept in `extra["rev"]`; `collected_at` stays None (a vCard does not say
  when its owner met the person).
- Relatives, the anniversary, the gender, messaging accounts and social profiles
  other than LinkedIn are kept in `extra` ("related", "anniversary", "gender",
  "impp", "social_profiles"), whether written as vCard 4.0, Apple or older X-
  properties (`extras`); the contact keeps them and export writes them back.
- A company card (4.0 `KIND:org`, Apple's `X-ABShowAs:COMPANY`) names no person:
  the company is its organization, and a person named in its N (Apple keeps a
  company's contact person there) is `extra["contact_person"]`, never the
  record's name.
- Lines that are not UTF-8 are read as cp1252 or Mac Roman, as the card's bytes
  point to (`charsets.single_byte_encoding`, the CSV reader's choice).

`parse_card` is the one vCard parser of the project: the CardDAV connector calls it.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from reseausync.connector import Connector, Unit
from reseausync.errors import UnitError
from reseausync.files import open_binary, sniff_encoding, suffix_filter, walk
from reseausync.models import Reject, SourceItem, SourceRecord

from .card import CardError, read_card
from .cards import Problem, RawCard, iter_lines, lines_of, split_cards
from .groups import add_group_categories, group_categories
from .rawphoto import without_photo_bytes
from .record import MAX_PHOTO_BYTES, content_id

__all__ = ["VCardConnector", "parse_card", "MAX_PHOTO_BYTES"]

SUFFIXES = (".vcf", ".vcard", ".vcs")
_SNIFFED_SUFFIXES = (".ics", "")


def parse_card(text: str, *, source: str, unit: str, locator: str,
               external_id: str | None = None) -> SourceRecord:
    """One vCard (text already decoded, e.g. a CardDAV resource) to a record.

    Raises `UnitError(reason, message)` when the card cannot be read. Only the
    first card of `text` is read.
    """
    for item in split_cards(lines_of(text)):
        if isinstance(item, Problem):
            raise UnitError(item.reason, f"{locator}: {item.message}", item.excerpt)
        if not item.lines:
            raise UnitError("empty-card", f"{locator}: the card has no property")
        try:
            record = read_card(item, source=source, unit=unit, locator=locator,
                               external_id=external_id)
        except CardError as exc:
            raise UnitError(exc.reason, f"{locator}: {exc.message}") from exc
        record.raw = without_photo_bytes(record.raw, record.photo)   # stored once (rawphoto)
        return record
    raise UnitError("no-card", f"{locator}: no BEGIN:VCARD in this text", text[:200])


class VCardConnector(Connector):
    name: ClassVar[str] = "vcard"
    reads_owner: ClassVar[bool] = False   # the region and [me] change nothing it reads
    priority: ClassVar[int] = 10
    read_version: ClassVar[int] = 4       # 1: relatives, anniversary, IMPP, company contact;
    # 2: labels of the user's own keep their case ("Chalet"), "--MMDD" is "--MM-DD";
    # 3: a contact group's name is a category of its members, Google's "myContacts"
    # and "starred" are no categories; 4: a card without UID keyed by its name
    # (a file ending inside a card is now an unread unit: the same records, so
    # no bump: files already read need not be read again)
    description: ClassVar[str] = "vCard 2.1/3.0/4.0 files (.vcf), folders and zips of them"

    @classmethod
    def can_open(cls, target: str) -> bool:
        path = Path(target)
        if path.is_dir():
            return any(p.is_file() and p.name.lower().endswith(SUFFIXES)
                       for p in path.rglob("*"))
        lower = path.name.lower()
        if lower.endswith(SUFFIXES):
            return True
        if lower.endswith(".zip") and path.is_file() and zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                return any(n.lower().endswith(SUFFIXES) for n in archive.namelist())
        if path.suffix.lower() in _SNIFFED_SUFFIXES and path.is_file():
            return _head_has_vcard(path)
        return False

    def discover(self, target: str) -> Iterator[Unit]:
        return walk(target, suffix_filter(*SUFFIXES))

    def read_unit(self, unit: Unit) -> Iterator[SourceItem]:
        dropped: list[CardError] = []
        uids: dict[str, int] = {}
        item: RawCard | Problem | None = None
        groups = group_categories(unit)
        shared = _names(unit)
        with open_binary(unit) as stream:
            for item in split_cards(iter_lines(stream)):
                found = self._item(unit, item, dropped)
                if isinstance(found, SourceRecord):
                    add_group_categories(found, groups)
                    if found.external_id.startswith("sha256:"):     # no UID
                        _by_name(found, shared)
                        shared.add(found.external_id)   # should the first read miss one
                    else:
                        _distinct_uid(found, uids)
                    found.raw = without_photo_bytes(found.raw, found.photo)   # ids known
                yield found
                if dropped:
                    yield from self._dropped(unit, item, dropped)
                    dropped.clear()
        if item is None:    # not a card nor a line of text: a phone export cut to 0 bytes
            raise UnitError("empty-file", f"{unit.name}: the file is empty")

    def _item(self, unit: Unit, item: RawCard | Problem,
              dropped: list[CardError]) -> SourceRecord | Reject:
        if isinstance(item, Problem):
            return self.reject(unit, f"{unit.id}:{item.line}", item.reason, item.message,
                               item.excerpt, unread=item.cut)
        locator = f"{unit.id}:{item.line}"
        if not item.lines:
            return self.reject(unit, locator, "empty-card", "the card has no property")
        try:
            return read_card(item, source=self.source, unit=unit.id, locator=locator,
                             dropped=dropped)
        except CardError as exc:
            excerpt = next((t for n, t in item.lines if n == exc.line), "")
            return self.reject(unit, f"{unit.id}:{exc.line or item.line}", exc.reason,
                               f"card at line {item.line}: {exc.message}", excerpt)

    def _dropped(self, unit: Unit, item: RawCard | Problem,
                 dropped: list[CardError]) -> Iterator[Reject]:
        """One reject per line left out of an imported card, at that line."""
        lines = dict(item.lines) if isinstance(item, RawCard) else {}
        for error in dropped:
            yield self.reject(unit, f"{unit.id}:{error.line}", error.reason,
                              f"card at line {item.line}: line {error.line} left out, "
                              f"the rest of the card imported: {error.message}",
                              lines.get(error.line, ""))


def _distinct_uid(record: SourceRecord, uids: dict[str, int]) -> None:
    """A UID seen earlier in the same file on another card gets the card's
    content hash appended.

    The store keeps one record per external id and source, and used to reject the
    second card with a UID already used (two people a phone gave one UID, or one
    contact listed twice with different data): its data was lost. FORMATS.md:
    a UID is not identity. "<uid>#sha256:..." is stable across re-imports of the
    same file; matching merges the two records if they are one person. A card
    identical to the first one keeps the UID: the store keeps one of the two
    (a "duplicate-id" reject), and nothing is lost. `uids` maps a UID to the
    (in-process) hash of its first card's text.
    """
    uid = record.external_id
    if uid.startswith("sha256:"):       # no UID: already the content hash
        return
    first = uids.setdefault(uid, hash(record.raw))
    if first != hash(record.raw):
        record.external_id = f"{uid}#{content_id(record.raw)}"


# What a card's name depends on (`record.build_record`): the first read keeps these
# lines alone, so a card's photo is neither decoded nor parsed twice.
_NAMING = frozenset({"N", "FN", "EMAIL", "ORG", "KIND", "X-ABSHOWAS",
                     "X-ADDRESSBOOKSERVER-KIND", "VERSION"})


def name_key(record: SourceRecord) -> str:
    """A card's name folded to one word of letters, digits and "-" ("daniel-roy",
    "kate-o-brien": typed in a shell as is): N's parts, else FN, else a company's
    name; "" when it names nobody."""
    name = " ".join(p for p in (record.prefix, record.given_name, record.middle_name,
                                record.family_name, record.suffix) if p)
    name = name or record.display_name or record.organization
    return "-".join(re.findall(r"\w+", name.casefold()))


def _naming_lines(card: RawCard) -> RawCard | None:
    """The card with only the lines its name depends on (and their folds); None
    for a card with a UID, which is keyed by it."""
    kept: list[tuple[int, str]] = []
    keep = soft = False
    for number, text in card.lines:
        if text[:1] in (" ", "\t") or soft:   # a fold, or 2.1's quoted-printable "=" break
            if keep:
                kept.append((number, text))
            soft = soft and text.endswith("=")
            continue
        soft = text.endswith("=") and "QUOTED-PRINTABLE" in text.split(":", 1)[0].upper()
        name = text.split(":", 1)[0].split(";", 1)[0].rsplit(".", 1)[-1].strip().upper()
        if name == "UID":
            return None
        keep = name in _NAMING
        if keep:
            kept.append((number, text))
    return RawCard(card.line, kept, card.end_missing)


def _names(unit: Unit) -> set[str]:
    """The names more than one card without UID of the file bears (see `name_key`):
    such cards are told apart by their own content, never by their place."""
    counts: Counter[str] = Counter()
    try:
        with open_binary(unit) as stream:
            for item in split_cards(iter_lines(stream)):
                if isinstance(item, RawCard) and item.lines:
                    _count_name(item, counts)
    except UnitError:     # damaged past some card: the read proper reports it
        pass
    return {name for name, n in counts.items() if n > 1}


def _count_name(card: RawCard, counts: Counter[str]) -> None:
    naming = _naming_lines(card)
    if naming is None:
        return
    try:
        record = read_card(naming, source="", unit="", locator="", dropped=[])
    except CardError:
        return
    if record.external_id.startswith("sha256:") and (name := name_key(record)):
        counts[name] += 1


def _by_name(record: SourceRecord, shared: set[str]) -> None:
    """Key a card without UID by its name (module text); its content hash stays
    its id when it names nobody, and follows the name when others share it."""
    name = name_key(record)
    if name:
        record.external_id = (f"name:{name}#{record.external_id}"
                              if name in shared or f"name:{name}" in shared
                              else f"name:{name}")


def _head_has_vcard(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            head = handle.read(1024)
    except OSError:
        return False
    text = head.decode(sniff_encoding(head), errors="replace")
    return "BEGIN:VCARD" in text.upper()
