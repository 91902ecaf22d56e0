"""The `cards` connector: business-card transcriptions as source records.

A card is collection, not engagement: it yields records only, whose
`collected_at` is the scan date (from the JSON, else the file's modification
date), and never an interaction. One card per `.txt` file or several separated by
a line of `---`; or JSON from a scanning app (see scan.py for the keys accepted).

External ids are the file name relative to the target folder (a file named
alone, or routed alone out of a mixed folder: its name), with `#N` for the N-th
card when a file holds several. Two files of one run that would share an id (two
`card.txt` in two subfolders of a mixed folder) are each named by their path from
the folder they share (`montreal/card.txt`, `quebec/card.txt`, `./card.txt` for
one directly in that folder); every other card
keeps the id it always had, so a directory's card contacts keep theirs.

Locators are `<unit>:<line>` for text cards and `<unit>#N` for JSON ones, the unit
as the vCard and CSV connectors name it (the path as given,
`export.zip!cards/ann.txt` in a zip), so two folders holding a card file of the
same name are told apart in `rejects` and `sources`. Neither
the locator nor the unit is part of a record's content hash: a card file moved
to another folder is not a change.

A card must name somebody and give a way to reach them: one with neither a
person's name nor an email, phone, web site, LinkedIn profile or address (only a
line of text the layout would call a company) is a `no-contact-details` reject.
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from reseausync.connector import Connector, ReadContext, Unit
from reseausync.errors import UnitError
from reseausync.files import decode, path_text, read_bytes, suffix_filter, walk, zip_archive
from reseausync.models import Reject, SourceItem, SourceRecord

from .extract import CardFields, extract
from .people import SeveralPeople, check, people_of
from .scan import ScanError, fields_of, read_scan, scans_of
from .text import Block, fold, split_cards

CARD_SUFFIXES = (".txt", ".json")
FOREIGN_SUFFIXES = (".vcf", ".vcard", ".csv", ".ics", ".mbox", ".eml")
_PEEK_BYTES = 4096
_VCARD_BEGIN = re.compile(r"^[ \t]*BEGIN:VCARD[ \t]*$", re.I | re.M)
_VCARD_END = re.compile(r"^[ \t]*END:VCARD[ \t]*$", re.I | re.M)
_PEEK_ENTRIES = 200


class CardsOptions(BaseModel):
    """`min_confidence`: fields scored under it are kept but listed in
    extra["low_confidence"], for a person to check."""

    model_config = ConfigDict(extra="forbid")
    min_confidence: float = Field(default=0.6, ge=0.0, le=1.0)


class CardsConnector(Connector):
    name: ClassVar[str] = "cards"
    Options: ClassVar[type[BaseModel]] = CardsOptions
    priority: ClassVar[int] = 8
    description: ClassVar[str] = "business-card transcriptions (OCR text or scanning-app JSON)"
    # 1: two people of one file or card apart, OCR joins kept inside a field, a QR
    # code's vCard read as one, the scan date in UTC, countries beyond FR/CA/US
    read_version: ClassVar[int] = 1

    @classmethod
    def can_open(cls, target: str) -> bool:
        path = Path(target)
        if path.is_dir():
            return _folder_of_cards(path)
        if path.is_file() and path.suffix.lower() in CARD_SUFFIXES:
            return looks_like_card(_peek(path), path.suffix.lower())
        return False

    def __init__(self, options: BaseModel | dict[str, object] | None = None,
                 context: ReadContext | None = None) -> None:
        super().__init__(options, context)
        # The files listed in this run under each name: a run lists every target
        # before it reads any, so a name two files share is known when they are read.
        self._listed: dict[str, set[str]] = {}

    def discover(self, target: str) -> Iterator[Unit]:
        root = Path(target)
        for unit in walk(target, suffix_filter(*CARD_SUFFIXES)):
            name = _relative(root, unit)
            fingerprint = unit.fingerprint
            if unit.member is None and unit.path is not None:
                listed = self._listed.setdefault(name, set())
                listed.add(str(unit.path))
                if len(listed) > 1 and fingerprint:
                    # a file listed after another of its name is read again when its
                    # name changes: one an older version rejected as a duplicate id
                    # becomes a person on the next import, untouched
                    fingerprint += f" as:{_from_shared_folder(unit.path, listed)}"
            yield replace(unit, fingerprint=fingerprint, meta={**unit.meta, "name": name})

    def _name(self, unit: Unit) -> str:
        """The name a card's external id starts with: its listed name, unless another
        file of the run is listed under the same name (README "Choices")."""
        name = unit.meta.get("name") or unit.name
        if unit.path is None or unit.member is not None \
                or len(self._listed.get(name, ())) < 2:
            return name
        return _from_shared_folder(unit.path, self._listed[name])

    def read_unit(self, unit: Unit) -> Iterator[SourceItem]:
        name = self._name(unit)
        data = read_bytes(unit)
        if not data.strip():
            raise UnitError("empty-file", f"{name}: the file is empty")
        if _is_binary(data):
            raise UnitError("binary-file", f"{name}: not text (binary content)",
                            excerpt=repr(data[:40]))
        text, _ = decode(data)
        collected = _file_date(unit)
        if name.lower().endswith(".json") or text.lstrip()[:1] in ("{", "["):
            yield from self._read_json(unit, name, text, collected)
        else:
            yield from self._read_text(unit, name, text, collected)

    def _read_text(self, unit: Unit, name: str, text: str,
                   collected: date | None) -> Iterator[SourceItem]:
        blocks = split_cards(text)
        if not blocks:
            raise UnitError("empty-file", f"{name}: no card text in the file")
        cards = [card for n, block in enumerate(blocks, start=1)
                 for card in self._cards_of(unit, name, n, block)]
        several = len(cards) > 1
        for n, (block, line, card) in enumerate(cards, start=1):
            ext_id = f"{name}#{n}" if several else name
            locator = f"{unit.id}:{line}"
            if isinstance(card, CardFields):
                yield self._record_or_reject(unit, card, ext_id, locator, block.raw,
                                             collected)
            elif card is None:
                yield self._read_vcard(unit, block.raw, ext_id, locator, collected)
            else:
                yield card

    def _cards_of(self, unit: Unit, name: str, n: int, block: Block
                  ) -> list[tuple[Block, int, CardFields | Reject | None]]:
        """The cards of one block: one, one per person it names (people.py), a
        reject, or None for a QR code's vCard (read by `_read_vcard`)."""
        locator = f"{unit.id}:{block.first_line}"
        if _VCARD_BEGIN.search(block.raw):
            return [(block, block.first_line, None)]
        try:
            persons = people_of(block.lines)
            if not persons:
                return [(block, block.first_line, extract(block.lines, self.context.region))]
            cards = []
            for person in persons:
                card = extract(person.lines, self.context.region)
                check(person, card.display_name)
                cards.append((block, person.line, card))
            return cards
        except SeveralPeople as exc:
            return [(block, exc.line, self.reject(
                unit, f"{unit.id}:{exc.line}", "several-people",
                f"{name}:{exc.line}: card {n} names several people and which details "
                f"are whose is not clear ({exc}); put each person on a card of their own, "
                "separated by a line of ---", block.raw))]
        except Exception as exc:  # noqa: BLE001 - one bad card must not stop the file
            return [(block, block.first_line, self.reject(
                unit, locator, "unreadable-card",
                f"{name}: card {n} could not be read ({exc})", block.raw))]

    def _read_vcard(self, unit: Unit, raw: str, ext_id: str, locator: str,
                    collected: date | None) -> SourceItem:
        """A QR code's vCard payload pasted into a card file (what a scanner app
        copies): read by the vCard reader, never as OCR lines ("ORG:Shopify" made a
        company of the property name). The text around it is kept as unclaimed
        lines; a payload the vCard reader refuses is a reject saying so."""
        from reseausync_connectors.vcard import parse_card  # only for such cards
        begin = _VCARD_BEGIN.search(raw)
        end = _VCARD_END.search(raw, begin.start() if begin else 0)
        payload = raw[begin.start() if begin else 0:end.end() if end else len(raw)]
        try:
            record = parse_card(payload, source=self.source, unit=unit.id, locator=locator,
                                external_id=ext_id)
        except UnitError as exc:
            return self.reject(unit, locator, "unreadable-vcard",
                               f"{ext_id}: a vCard (QR code) in the card text could not be "
                               f"read ({exc}); import it alone with --connector vcard",
                               payload[:200])
        record.connector, record.collected_at, record.raw = self.name, collected, raw
        around = [line for line in (raw[:begin.start() if begin else 0]
                                    + "\n" + raw[end.end() if end else len(raw):]).splitlines()
                  if line.strip()]
        record.extra.update({"from_vcard": True, "confidence": {}, "low_confidence": [],
                             "organization_only": not record.display_name})
        if around:
            record.extra["unclaimed_lines"] = around
        return record

    def _read_json(self, unit: Unit, name: str, text: str,
                   collected: date | None) -> Iterator[SourceItem]:
        try:
            data = json.loads(text)
            objects = scans_of(data)
        except json.JSONDecodeError as exc:
            raise UnitError("bad-json", f"{name}:{exc.lineno}: not valid JSON ({exc.msg})",
                            excerpt=text[max(exc.pos - 40, 0):exc.pos + 40]) from exc
        except ScanError as exc:
            raise UnitError("bad-json", f"{name}: {exc}") from exc
        several = len(objects) > 1
        for n, obj in enumerate(objects, start=1):
            ext_id = f"{name}#{n}" if several else name
            locator = f"{unit.id}#{n}"
            try:
                scan = read_scan(n, obj)
                card = fields_of(scan, self.context.region)
            except ScanError as exc:
                yield self.reject(unit, locator, "bad-scan", f"{name}: {exc}",
                                  json.dumps(obj, ensure_ascii=False, default=str)[:200])
                continue
            except Exception as exc:  # noqa: BLE001 - one bad card must not stop the file
                yield self.reject(unit, locator, "unreadable-card",
                                  f"{name}: card {n} could not be read ({exc})")
                continue
            raw = scan.text or json.dumps(obj, ensure_ascii=False, sort_keys=True, default=str)
            yield self._record_or_reject(unit, card, ext_id, locator, raw,
                                         scan.scanned_at or collected)

    def _record_or_reject(self, unit: Unit, card: CardFields, ext_id: str, locator: str,
                          raw: str, collected: date | None) -> SourceItem:
        if not card.names_somebody():
            return self.reject(unit, locator, "no-person",
                               f"{ext_id}: no person or organization found on the card", raw)
        if not card.reaches_somebody():
            return self.reject(unit, locator, "no-contact-details",
                               f"{ext_id}: no contact details found (no name, email, phone "
                               f"or web site; only {card.organization!r})", raw)
        threshold = self.options.min_confidence  # type: ignore[attr-defined]
        confidence = dict(sorted(card.confidence.items()))
        extra: dict[str, object] = {
            "confidence": confidence,
            "low_confidence": [k for k, v in confidence.items() if v < threshold],
            "organization_only": not card.display_name,
        }
        if card.unclaimed:
            extra["unclaimed_lines"] = card.unclaimed
        if card.repairs:
            extra["ocr_repairs"] = card.repairs
        return SourceRecord(
            source=self.source, connector=self.name, external_id=ext_id, locator=locator,
            unit=unit.id, display_name=card.display_name, given_name=card.given_name,
            family_name=card.family_name, prefix=card.prefix, suffix=card.suffix,
            emails=card.emails, phones=card.phones, organization=card.organization,
            title=card.title, linkedin_url=card.linkedin_url, urls=card.urls,
            addresses=card.addresses, collected_at=collected, extra=extra, raw=raw)


def _relative(root: Path, unit: Unit) -> str:
    """The name people see in ids: relative to the folder imported, or the file name."""
    if unit.member is not None:
        return unit.member
    if unit.path is not None and root.is_dir():
        try:
            return path_text(unit.path.relative_to(root).as_posix())
        except ValueError:
            pass
    return unit.name


def _from_shared_folder(path: Path, paths: set[str]) -> str:
    """`path` from the deepest folder holding all of `paths` ("quebec/card.txt"), the
    same whatever order the run lists them in. A file directly in that folder is
    "./card.txt", never the bare name: a card stored under it before (read when it
    was the only one of its name, and unchanged since) keeps it alone."""
    try:
        common = os.path.commonpath(sorted(paths))
        relative = Path(path).relative_to(common).as_posix()
    except ValueError:          # different drives, or relative and absolute paths
        return path_text(path)
    return path_text(relative if "/" in relative else f"./{relative}")


def _file_date(unit: Unit) -> date | None:
    """The modification date of the file (or zip member): when the card was scanned."""
    if unit.path is None:
        return None
    try:
        if unit.member is not None:
            info = zip_archive(unit.path).getinfo(unit.member)    # parsed once per zip
            return date(*info.date_time[:3])
        # in UTC, as cards/scan.py reads a scan's time: the same file gives the same
        # date whatever the zone of the machine that imports it
        return datetime.fromtimestamp(unit.path.stat().st_mtime, UTC).date()
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return None


def _is_binary(data: bytes) -> bool:
    """NUL bytes that are not UTF-16, or mostly control bytes: not a transcription."""
    head = data[:_PEEK_BYTES]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    if b"\x00" in head:
        even, odd = head[0::2].count(0), head[1::2].count(0)
        half = max(len(head) // 2, 1)
        utf16 = (even > half * 0.3 and odd < half * 0.05) or (odd > half * 0.3
                                                               and even < half * 0.05)
        return not utf16
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > len(head) * 0.05


def _peek(path: Path) -> bytes:
    try:
        with open(path, "rb") as stream:
            return stream.read(_PEEK_BYTES)
    except OSError:
        return b""


def looks_like_card(head: bytes, suffix: str) -> bool:
    """A cheap guess from the first bytes: JSON with card keys, or short card-like text."""
    if not head.strip() or _is_binary(head):
        return False
    text, _ = decode(head)
    if suffix == ".json" or text.lstrip()[:1] in ("{", "["):
        keys = {fold(k) for k in _json_keys(text)}
        return bool(keys & {"rawtext", "text", "ocrtext", "company", "emails", "scannedat",
                            "phones", "jobtitle", "title"}) and bool(
            keys & {"rawtext", "ocrtext", "text", "company", "name", "fullname", "emails"})
    lines = [ln for ln in text.splitlines() if ln.strip()]
    hits = sum(1 for ln in lines[:60] if "@" in ln or "(at)" in ln.lower()
               or sum(c.isdigit() for c in ln) >= 7)
    return bool(lines) and hits >= 1 and len(lines[0]) < 120


def _json_keys(text: str) -> list[str]:
    return re.findall(r'"([A-Za-z_\- ]{2,30})"\s*:', text)


def _folder_of_cards(path: Path) -> bool:
    seen_card = False
    for i, child in enumerate(path.rglob("*")):
        if i >= _PEEK_ENTRIES:
            break
        if any(part.startswith(".") for part in child.relative_to(path).parts):
            continue
        suffix = child.suffix.lower()
        if suffix in FOREIGN_SUFFIXES:
            return False
        if suffix in CARD_SUFFIXES and child.is_file():
            seen_card = True
    return seen_card
