"""The contact-CSV connector: Google Contacts, Outlook, or any CSV a mapping describes.

A file is read as a stream: encoding sniffed by `reseausync.files` (UTF-8, BOM,
UTF-16, cp1252 or Mac Roman from the first byte that is not UTF-8), delimiter
sniffed from the header (`,` `;` tab), the mapping picked from the header unless
the `mapping` option names one. A row with too many cells, a truncated last line,
or a row naming nobody (no name, no email, no phone), is a reject with its line
(a short row is padded: Excel leaves out empty last cells; csvfile/rows.py); the
next row is still read. An unknown header rejects the unit and says which mapping
came closest and which of its columns were missing.

Locators are `<unit>:<line>`, the unit as the vCard connector names it: the file's
absolute path (`/home/you/exports/google.csv:7`) or `…/export.zip!contacts.csv:7`, so with several
exports a reject says which file it means. The locator is not content: a file
moved or renamed changes where records are, not what they say.

A column the header names twice is read from both copies (see `record`): a
multi-valued field keeps every copy's values; a single-valued one the first
non-empty copy, with a "duplicate-column" reject on a row whose copies disagree.

A cell the writer guarded against formulas ("'=…", "'-Minus Corp": reseausync's
own export does it) is read without that `'`; a row whose name is its organization
and that names no person is a company (no display name of its own), as a vCard
marked KIND:org is, so a CSV export imported back does not turn it into a person.

External ids: the mapped key column, else the first email (lower-cased), else a
hash of the row. Rows sharing that key in one file (a family's mailbox) are each
keyed by it plus their name, "famille@x.ca#louise-tremblay", and namesakes on it
also by their row's hash: a row's id never depends on the rows around it (Google
sorts by first name, so a new member sorted first took another's id, and the
user's decisions with it). The file is read twice for that: once for the keys
its rows share, once for the records (`_shared_keys`).
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from reseausync.connector import Connector, Unit
from reseausync.errors import SourceError, UnitError
from reseausync.files import anchored, open_text, suffix_filter, walk
from reseausync.models import SourceItem, SourceRecord

from .birthdays import BirthdayOrder
from .mapping import (
    Mapping,
    choose_mapping,
    fit,
    header_keys,
    mapping_by_name_or_path,
    shipped_mappings,
    user_mappings,
)
from .record import Plan, as_company, row_hash
from .rows import RowProblem, fit_rows, is_blank, open_rows, to_line

SUFFIXES = (".csv", ".tsv")
HEADER_SCAN = 50  # blank or delimiter-only rows tolerated before the header
# A change of what a read yields (short-date birthdays read as dates): every CSV is
# read again once.
READING = "c2"
# The way out of an unknown header, for a one-off `import` as for a configured source.
MAPPING_HINT = ("name a mapping with `import --mapping NAME|FILE.toml` (a shipped name "
                "or your TOML file), or `mapping =` in a configured source, whose "
                "`mappings =` adds your own files to the automatic choice")


class CsvOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    mapping: str | None = None
    """A mapping's name (shipped: google, google_legacy, outlook, outlook_fr,
    outlook_de; or one of `mappings`) or a TOML file path. Unset: picked from each
    file's header."""
    mappings: list[str] = []
    """The user's own mapping files, or folders of them: matched against headers
    with the shipped ones (the user's wins a tie) and nameable by `mapping`."""


class CsvConnector(Connector):
    name = "csv"
    reads_owner = False   # the region and [me] change nothing it reads
    Options = CsvOptions
    priority = 5
    read_in_worker = True  # a read keeps no state on the object: a large one may be forked
    read_version = 1       # 1: the bearers of a key shared in a file keyed by their names
    description = "contact CSV with a declarative column mapping (Google, Outlook, your own)"

    def __init__(self, options: BaseModel | dict | None = None, context=None) -> None:
        super().__init__(options, context)
        self.own = user_mappings(self.options.mappings)  # type: ignore[attr-defined]
        spec = self.options.mapping  # type: ignore[attr-defined]
        self.forced: Mapping | None = mapping_by_name_or_path(spec, self.own) if spec else None

    @classmethod
    def anchor_options(cls, options: dict[str, Any], folder: Path) -> dict[str, Any]:
        """`mappings` are files or folders; `mapping` is one when it is not a name
        (it ends in .toml or holds a path separator)."""
        out = dict(options)
        if isinstance(out.get("mappings"), list):
            out["mappings"] = [anchored(m, folder) if isinstance(m, str) else m
                               for m in out["mappings"]]
        spec = out.get("mapping")
        if isinstance(spec, str) and (spec.lower().endswith(".toml") or "/" in spec
                                      or "\\" in spec):
            out["mapping"] = anchored(spec, folder)
        return out

    @classmethod
    def can_open(cls, target: str) -> bool:
        """A .csv/.tsv file, or a folder or zip holding one (names only, nothing read)."""
        path = Path(target)
        if path.is_dir():
            return any(p.suffix.lower() in SUFFIXES for p in path.iterdir())
        if path.suffix.lower() in SUFFIXES:
            return True
        if path.is_file() and zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                return any(n.lower().endswith(SUFFIXES) for n in archive.namelist())
        return False

    def discover(self, target: str) -> Iterator[Unit]:
        units = list(walk(target, suffix_filter(*SUFFIXES)))
        if not units:
            raise SourceError(f"{target}: no .csv or .tsv file found")
        for unit in units:
            yield unit if unit.problem is not None else \
                replace(unit, fingerprint=f"{unit.fingerprint};{READING}")

    def read_unit(self, unit: Unit) -> Iterator[SourceItem]:
        shared = self._shared_keys(unit)
        stream, _encoding = open_text(unit)
        with stream:
            rows = open_rows(stream, _delimiter(unit))
            width, plan = self._plan(unit, rows)
            plan.birthday_order = BirthdayOrder(lambda: self._birthdays(unit),
                                                plan.mapping.date_order)
            yield from self._records(unit, rows, width, plan, shared)

    def _plan(self, unit: Unit, rows: Iterator) -> tuple[int, Plan]:
        """The header's width and the plan of its mapping (the header row read)."""
        header = self._header(unit, rows)
        mapping = (self._check(unit, header, self.forced) if self.forced
                   else self._choose(unit, header))
        return len(header), Plan(mapping, header)

    def _shared_keys(self, unit: Unit) -> Counter[str]:
        """How many rows of the file bear each key and each (key, name) that more
        than one row bears: a first read of the file, so that every bearer of a
        shared key is keyed alike, whatever its place (see the module's text)."""
        counts: Counter[str] = Counter()
        stream, _encoding = open_text(unit)
        with stream:
            rows = open_rows(stream, _delimiter(unit))
            width, plan = self._plan(unit, rows)
            try:
                _count_keys(plan, fit_rows(rows, width), counts)
            except UnitError:     # damaged past some row: the read proper reports it
                pass
        return Counter({k: n for k, n in counts.items() if n > 1})

    def _birthdays(self, unit: Unit) -> Iterator[str]:
        """The file's birthdays, read again to decide their order; a file that
        cannot be read to its end gives those before the break."""
        stream, _encoding = open_text(unit)
        with stream:
            rows = open_rows(stream, _delimiter(unit))
            width, plan = self._plan(unit, rows)
            try:
                for item in fit_rows(rows, width):
                    if not isinstance(item, RowProblem):
                        yield plan.scalar(item[1], "birthday")
            except UnitError:     # damaged past some row: the read proper reports it
                return

    def _header(self, unit: Unit, rows: Iterator) -> list[str]:
        for seen, item in enumerate(rows):
            if seen >= HEADER_SCAN:
                break
            if isinstance(item, RowProblem) or is_blank(item[1]):
                continue
            return [cell.replace("\ufeff", "").strip() for cell in item[1]]
        raise UnitError("no-header", f"{unit.name}: no header row (the file is empty?)")

    def _check(self, unit: Unit, header: list[str], forced: Mapping) -> Mapping:
        """The mapping the user named, unless the header lacks columns it requires
        while another mapping fits it whole: Outlook's mapping on a Google export
        reads the names and nothing else (its email and phone columns are not
        there), a loss no row would report. A header no mapping fits whole (an
        Outlook variant without one of its columns) is read with the named one:
        that is what naming it is for."""
        missing = fit(forced, header_keys(header)).missing
        if not missing:
            return forced
        choice = choose_mapping(header, self._candidates())
        if choice.mapping is None or choice.mapping is forced:
            return forced
        raise UnitError("mapping-mismatch",
                        f"{unit.name}: the {forced.name!r} mapping needs the column(s) "
                        f"{', '.join(missing)}, which the header lacks; it fits the "
                        f"{choice.mapping.name!r} mapping (name that one, or none)",
                        excerpt=", ".join(header)[:200])

    def _candidates(self) -> list[Mapping]:
        return [*self.own.values(), *shipped_mappings().values()]

    def _choose(self, unit: Unit, header: list[str]) -> Mapping:
        choice = choose_mapping(header, self._candidates())
        if choice.mapping is None:
            raise UnitError("unknown-header", f"{unit.name}: {choice.explain()}; "
                            f"{MAPPING_HINT}", excerpt=", ".join(header)[:200])
        return choice.mapping

    def _records(self, unit: Unit, rows: Iterator, width: int, plan: Plan,
                 shared: Counter[str]) -> Iterator[SourceItem]:
        source, name, unit_id = self.source, self.name, unit.id
        used: set[str] = set()
        for item in fit_rows(rows, width):
            if isinstance(item, RowProblem):
                locator = f"{unit_id}:{item.line}"
                yield self.reject(unit, locator, item.reason, f"{locator}: {item.message}")
                continue
            line, cells = item
            locator = f"{unit_id}:{line}"
            record = SourceRecord(source=source, connector=name, external_id="",
                                  locator=locator, unit=unit_id, raw=to_line(cells))
            problems = plan.fill(record, cells)
            if not (record.display_name or record.emails or record.phones):
                yield self.reject(unit, locator, "no-identity",
                                  f"{locator}: no name, no email and no phone",
                                  record.raw)
                continue
            as_company(record)
            key = _key(plan, cells, record, shared)
            if key in used:     # the same row twice: the writer keeps the first
                key = f"{key}#{row_hash(cells)}"
            used.add(key)
            record.external_id = key
            yield record
            for reason, message, excerpt in problems:
                yield self.reject(unit, locator, reason, f"{locator}: {message}", excerpt)
            if plan.conflicts:
                for message, value in plan.conflict_messages(cells):
                    yield self.reject(unit, locator, "duplicate-column",
                                      f"{locator}: {message} (the record is imported)",
                                      value)



def _delimiter(unit: Unit) -> str | None:
    return "\t" if unit.name.lower().endswith(".tsv") else None


def _count_keys(plan: Plan, rows: Iterator, counts: Counter[str]) -> None:
    """Count each row's key, and key + name, into `counts`."""
    for item in rows:
        if isinstance(item, RowProblem):
            continue
        cells = item[1]
        key = plan.key_of(cells) or _first_email(plan, cells)
        if key:
            counts[key] += 1
            counts[f"{key}#{_name_part(plan, cells)}"] += 1


def _first_email(plan: Plan, cells: list[str]) -> str:
    """The row's first e-mail, lower-cased, as `Plan.fill` reads it (an Exchange
    directory name taken from the display column); "" when none."""
    emails = plan.labeled(cells, plan.lists["emails"], [])
    return emails[0].value.lower() if emails else ""


_NAME_FIELDS = ("display_name", "given_name", "middle_name", "family_name", "organization")


def _name_part(plan: Plan, cells: list[str]) -> str:
    """The row's name (else its organization) folded to one word, "louise-tremblay":
    read from the cells alone, so the first read of the file costs no record."""
    found: dict[str, str] = {}
    for name, positions in plan.scalars:
        if name in _NAME_FIELDS:
            found[name] = next((v for pos in positions if (v := plan.cell(cells, pos))), "")
    name = found.get("display_name") or " ".join(
        found[f] for f in ("given_name", "middle_name", "family_name") if found.get(f)
    ) or found.get("organization", "")
    return "-".join(re.findall(r"\w+", name.casefold())) or "-"


def _key(plan: Plan, cells: list[str], record: SourceRecord, shared: Counter[str]) -> str:
    """The row's external id: its key, plus its name when other rows of the file
    bear the key, plus the row's hash when a namesake bears it too."""
    key = plan.key_of(cells) or (record.emails[0].value.lower() if record.emails else "")
    if not key:
        return f"row:{row_hash(cells)}"
    if key not in shared:
        return key
    named = f"{key}#{_name_part(plan, cells)}"
    return f"{named}#{row_hash(cells)}" if named in shared else named
