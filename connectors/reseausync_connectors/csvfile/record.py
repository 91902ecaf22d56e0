"""A mapping resolved against one header: column positions, then rows to records.

Resolving once per file (templates expanded, names turned into positions) keeps
the per-row work to list indexing, which matters for a 200,000-row export.

A header that names a column twice (two "E-mail 1 - Value", a spreadsheet column
pasted twice) is read from every copy, so no cell is lost unsaid: a multi-valued
field (emails, phones, urls, categories) keeps the values of each copy, in header
order; a single-valued field (a name part, organization, note, an address part,
the key) takes the first non-empty copy, and a row whose copies disagree is
imported with a "duplicate-column" reject naming the column and the value not read
(`Plan.conflicts`). A header without a repeated name pays nothing for this.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from reseausync.models import Address, Labeled, SourceRecord
from reseausync.report.output import unguarded

from ..linkedin.urls import canonical_profile_url
from .birthdays import BirthdayOrder, iso_birthday
from .mapping import ADDRESS_COLUMNS, ADDRESS_PARTS, OCCURRENCE, Mapping, expand, header_keys
from .rows import column_key

ADDRESS_FIELDS = frozenset(ADDRESS_PARTS)
# Google's built-in groups say nothing about the person.
SYSTEM_CATEGORIES = frozenset({"mycontacts", "my contacts", "starred"})


@dataclass(slots=True)
class ValueColumns:
    value: int
    label: int | None
    label_text: str
    separator: str
    kind: int | None = None       # the address type column (Outlook's "E-mail Type")
    display: int | None = None    # the display name column ("Name (address)")


Problem = tuple[str, str, str]    # (reason, message, excerpt) of a reject on a kept row

# An Exchange directory name ("/o=ExchangeLabs/ou=.../cn=Recipients/cn=...") stands
# where Outlook's SMTP address would be; the address, if any, is in the display name.
EXCHANGE_TYPE = "EX"
_ADDRESS_IN_TEXT = re.compile(r"[^\s()<>\[\]\"',;:]+@[^\s()<>\[\]\"',;:]+\.[^\s()<>\[\]\"',;:]+")


@dataclass(slots=True)
class AddressColumns:
    label: int | None
    label_text: str
    parts: dict[str, int]
    # po_box, extended or formatted among the parts: the address needs assembling
    assembled: bool = False


def _split(cell: str, separator: str) -> list[str]:
    if separator and separator.strip() and separator.strip() in cell:
        return [v.strip() for v in cell.split(separator.strip()) if v.strip()]
    value = cell.strip()
    return [value] if value else []


def _clean_label(label: str) -> str:
    """Google marks the preferred value's label with "* " ("* Work")."""
    return label.strip().lstrip("*").strip()


class Plan:
    """`mapping` applied to `header`; `build(cells)` gives the record's fields."""

    def __init__(self, mapping: Mapping, header: list[str]) -> None:
        keys = header_keys(header)
        self.mapping = mapping
        self.header = header
        self.empty = frozenset(mapping.empty_values)
        # first position of a repeated column name -> the positions of its other copies
        self.copies = _repeated(header, keys)
        self.scalars: list[tuple[str, list[int]]] = []
        # positions a mapping names by copy ("Titre #1"): read alone, not as one
        # value spread over the column's copies
        self.pinned: set[int] = set()
        for name, cols in mapping.fields.items():
            positions = self._scalar_positions(cols, keys)
            if positions:
                self.scalars.append((name, positions))
        self.fallback = self._with_copies(self._positions(mapping.fallback_display_name, keys))
        self.lists = {kind: self._values(getattr(mapping, kind), keys)
                      for kind in ("emails", "phones", "urls", "categories")}
        self.addresses = self._addresses(mapping, keys)
        found = expand(mapping.key, keys) if mapping.key else []
        self.keys = self._with_copies([found[0][1]]) if found else []
        self.key = self.keys[0] if self.keys else None
        # the order of the file's short-date birthdays, set by the connector (it
        # reads them all again when needed); None: each as it alone can be read
        self.birthday_order: BirthdayOrder | None = None
        # single-valued columns read from several copies: checked on each row
        self.conflicts = [[pos, *self.copies[pos]] for pos in self._single_positions()
                          if pos in self.copies and pos not in self.pinned]

    @staticmethod
    def _positions(cols: str | list[str], keys: dict[str, int]) -> list[int]:
        """The header positions of a field's column (or list of columns), in order."""
        return [pos for col in ([cols] if isinstance(cols, str) else cols)
                for _, pos in expand(col, keys)]

    def _scalar_positions(self, cols: str | list[str], keys: dict[str, int]) -> list[int]:
        """A scalar field's positions, each followed by its column's other copies,
        except a copy the mapping names itself ("Titre #2")."""
        out: list[int] = []
        named = {column_key(h) for h in self.header} if self.copies else set()
        for col in [cols] if isinstance(cols, str) else cols:
            positions = [pos for _, pos in expand(col, keys)]
            if self.copies and OCCURRENCE.fullmatch(col) and column_key(col) not in named:
                self.pinned.update(positions)
                out += positions
            else:
                out += self._with_copies(positions)
        return out

    def _with_copies(self, positions: list[int]) -> list[int]:
        """`positions`, each followed by the positions of its column's other copies."""
        if not self.copies:
            return positions
        return [p for pos in positions for p in (pos, *self.copies.get(pos, ()))]

    def _single_positions(self) -> list[int]:
        """The first positions of the columns that feed a single-valued field."""
        out: list[int] = []
        for _, positions in self.scalars:
            out += positions
        out += self.fallback
        for group in self.addresses:
            out += [pos for pos in group.parts.values() if isinstance(pos, int)]
        out += self.keys
        return list(dict.fromkeys(out))

    def conflict_messages(self, cells: list[str]) -> list[tuple[str, str]]:
        """(message, value not read) for each single-valued column whose copies
        disagree on this row; [] on a header without repeated names."""
        out: list[tuple[str, str]] = []
        for positions in self.conflicts:
            values = [v for pos in positions if (v := self._cell(cells, pos))]
            for other in values[1:]:
                if other != values[0]:
                    out.append((f"the column {self.header[positions[0]]!r} appears "
                                f"{len(positions)} times in the header; its first "
                                f"non-empty value {values[0][:60]!r} is kept, "
                                f"{other[:60]!r} is not read", other))
        return out

    def _values(self, specs: list, keys: dict[str, int]) -> list[ValueColumns]:
        out: list[ValueColumns] = []
        for spec in specs:
            labels = dict(expand(spec.label, keys)) if spec.label else {}
            kinds = dict(expand(spec.type, keys)) if spec.type else {}
            displays = dict(expand(spec.display, keys)) if spec.display else {}
            sep = spec.separator if spec.separator is not None else self.mapping.separator
            for n, pos in expand(spec.value, keys):
                label = labels.get(n)
                out.append(ValueColumns(pos, label, spec.label_text, sep, kinds.get(n),
                                        displays.get(n)))
                # another copy of the column: its own values, with the label copy of
                # the same rank when the label column is repeated too
                label_copies = self.copies.get(label, []) if label is not None else []
                for rank, copy in enumerate(self.copies.get(pos, ())):
                    out.append(ValueColumns(copy, label_copies[rank] if rank < len(
                        label_copies) else label, spec.label_text, sep))
        return out

    def _addresses(self, mapping: Mapping, keys: dict[str, int]) -> list[AddressColumns]:
        groups: dict[tuple[int, str], AddressColumns] = {}
        for index, spec in enumerate(mapping.addresses):
            labels = dict(expand(spec.label, keys)) if spec.label else {}
            for part in ADDRESS_COLUMNS:
                template = getattr(spec, part)
                for n, pos in expand(template, keys) if template else []:
                    group = groups.setdefault(
                        (index, n), AddressColumns(labels.get(n), spec.label_text, {}))
                    group.parts[part] = pos
                    group.assembled = group.assembled or part not in ADDRESS_FIELDS
        return list(groups.values())

    def scalar(self, cells: list[str], name: str) -> str:
        """A single-valued field's value in this row, as `fill` reads it ("" none)."""
        for field, positions in self.scalars:
            if field == name:
                return next((v for pos in positions if (v := self._cell(cells, pos))), "")
        return ""

    def cell(self, cells: list[str], pos: int) -> str:
        """`_cell`, for the connector's reading of a row's name alone."""
        return self._cell(cells, pos)

    def _cell(self, cells: list[str], pos: int) -> str:
        """The cell's value: stripped, without the formula guard a CSV writer put
        before = + - @ (reseausync's own export writes "'-Minus Corp")."""
        value = unguarded(cells[pos].strip()).strip()
        return "" if value in self.empty else value

    def labeled(self, cells: list[str], columns: list[ValueColumns],
                problems: list[Problem] | None = None) -> list[Labeled]:
        out: list[Labeled] = []
        for col in columns:
            values = _split(self._cell(cells, col.value), col.separator)
            if not values:
                continue
            if col.display is not None and problems is not None:
                values = self._exchange(cells, col, col.display, values, problems)
            labels = (_split(cells[col.label], col.separator) if col.label is not None else [])
            for i, value in enumerate(values):
                label = labels[i] if i < len(labels) else (labels[0] if len(labels) == 1
                                                           else col.label_text)
                out.append(Labeled(value, _clean_label(label)))
        return out

    def _exchange(self, cells: list[str], col: ValueColumns, display: int,
                  values: list[str], problems: list[Problem]) -> list[str]:
        """`values` with an Exchange directory name replaced by the address its
        display name holds ("Jean Tremblay (jtremblay@acme.com)"), as Outlook
        writes a contact from an organization's directory (type "EX"). A directory
        name is no address: without one in the display name it is not kept, and
        the row gets a reject saying so (the record is still imported)."""
        kind = cells[col.kind].strip().upper() if col.kind is not None else ""
        out: list[str] = []
        for value in values:
            if kind != EXCHANGE_TYPE and not value[:3].lower() == "/o=":
                out.append(value)
                continue
            found = _ADDRESS_IN_TEXT.findall(cells[display])
            if found:
                out.append(found[-1])
                continue
            problems.append(("exchange-address", (
                f"{self.header[col.value]!r} holds an Exchange directory name, not an "
                f"address, and {self.header[display]!r} holds none: the address is "
                "not kept (the record is imported)"), value))
        return out

    def fill(self, record: SourceRecord, cells: list[str]) -> list[Problem]:
        """Set the record's mapped fields from one row; the problems a kept row
        still has, each for a reject (usually none)."""
        problems: list[Problem] = []
        for name, positions in self.scalars:
            for pos in positions:
                value = self._cell(cells, pos)
                if value:
                    setattr(record, name, value)
                    break
        if record.birthday:
            record.birthday = iso_birthday(record.birthday, self.birthday_order)
        record.emails = self.labeled(cells, self.lists["emails"], problems)
        record.phones = self.labeled(cells, self.lists["phones"])
        record.urls = [v.value for v in self.labeled(cells, self.lists["urls"])]
        for url in record.urls:  # a profile URL kept as a website still identifies
            if "linkedin.com/" in url.lower() and (canonical := canonical_profile_url(url)):
                record.linkedin_url = canonical
                break
        categories: list[str] = []
        for item in self.labeled(cells, self.lists["categories"]):
            name = _clean_label(item.value)
            if name and name.casefold() not in SYSTEM_CATEGORIES and name not in categories:
                categories.append(name)
        record.categories = categories
        for group in self.addresses:
            address = (self._assemble(cells, group) if group.assembled else
                       Address(**{part: self._first(cells, pos)
                                  for part, pos in group.parts.items()}))
            if not address.is_empty():
                label = cells[group.label] if group.label is not None else group.label_text
                address.label = _clean_label(label)
                record.addresses.append(address)
        if not record.display_name:
            record.display_name = " ".join(
                p for p in (record.given_name, record.middle_name, record.family_name) if p)
            if not record.display_name and self.fallback:
                record.display_name = next(
                    (v for pos in self.fallback if (v := self._cell(cells, pos))), "")
        return problems

    def _assemble(self, cells: list[str], group: AddressColumns) -> Address:
        """An address from its parts when the mapping also names a PO box, an
        extended address or the formatted text (Google's "Address 1 - PO Box", "-
        Extended Address", "- Formatted"): the record has no field for the first two,
        so they become lines before the street, as the vCard connector reads ADR's
        components; the formatted text is the street when no part is filled (an
        address a phone or a vCard gave as one label), so no address is dropped."""
        values = {part: self._first(cells, pos) for part, pos in group.parts.items()}
        lines = [values.pop(part, "") for part in ("po_box", "extended")]
        formatted = values.pop("formatted", "")
        address = Address(**values)
        if any(lines):
            address.street = "\n".join(x for x in (*lines, address.street) if x)
        if formatted and address.is_empty():
            address.street = formatted.replace("\r\n", "\n")
        return address

    def _first(self, cells: list[str], pos: int) -> str:
        """The cell at `pos`, or the first non-empty other copy of its column."""
        value = self._cell(cells, pos)
        if value or pos not in self.copies:
            return value
        return next((v for copy in self.copies[pos] if (v := self._cell(cells, copy))), "")

    def key_of(self, cells: list[str]) -> str:
        if self.key is None:
            return ""
        key = cells[self.key].strip()
        if key or len(self.keys) == 1:
            return key
        return next((v for pos in self.keys[1:] if (v := cells[pos].strip())), "")


def _repeated(header: list[str], keys: dict[str, int]) -> dict[int, list[int]]:
    """First position of each column name the header repeats -> its other positions."""
    copies: dict[int, list[int]] = {}
    if len(keys) == len(header):
        return copies
    for pos, name in enumerate(header):
        first = keys[column_key(name)]
        if first != pos:
            copies.setdefault(first, []).append(pos)
    return copies


def as_company(record: SourceRecord) -> None:
    """A row whose name is its organization and that names no person (reseausync's
    own CSV export of a company, Google's "File As" of one) is a company, as the
    vCard connector reads a KIND:org card: no display name, so the name is not
    split into a given and a family name and the contact is listed under the
    organization, as it was before the export."""
    if (record.organization and record.display_name.strip() == record.organization.strip()
            and not (record.given_name or record.middle_name or record.family_name)):
        record.display_name = ""


def row_hash(cells: list[str]) -> str:
    blob = "\x1f".join(c.strip() for c in cells).encode("utf-8", "replace")
    return hashlib.sha256(blob).hexdigest()[:16]
