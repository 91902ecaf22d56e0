"""A mapping resolved against one header: column positions, then rows to records.

Resolving once per file (templates expanded, names turned into positions) keeps
the per-row work to list indexing, which matters for a 200,000-row export.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from reseausync.models import Address, Labeled, SourceRecord

from ..linkedin.urls import canonical_profile_url
from .mapping import ADDRESS_PARTS, Mapping, expand, header_keys

# Google's built-in groups say nothing about the person.
SYSTEM_CATEGORIES = frozenset({"mycontacts", "my contacts", "starred"})


@dataclass(slots=True)
class ValueColumns:
    value: int
    label: int | None
    label_text: str
    separator: str


@dataclass(slots=True)
class AddressColumns:
    label: int | None
    label_text: str
    parts: dict[str, int]


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
        self.empty = frozenset(mapping.empty_values)
        self.scalars: list[tuple[str, list[int]]] = []
        for name, cols in mapping.fields.items():
            positions = [pos for col in ([cols] if isinstance(cols, str) else cols)
                         for _, pos in expand(col, keys)]
            if positions:
                self.scalars.append((name, positions))
        self.lists = {kind: self._values(getattr(mapping, kind), keys)
                      for kind in ("emails", "phones", "urls", "categories")}
        self.addresses = self._addresses(mapping, keys)
        found = expand(mapping.key, keys) if mapping.key else []
        self.key = found[0][1] if found else None

    def _values(self, specs: list, keys: dict[str, int]) -> list[ValueColumns]:
        out: list[ValueColumns] = []
        for spec in specs:
            labels = dict(expand(spec.label, keys)) if spec.label else {}
            sep = spec.separator if spec.separator is not None else self.mapping.separator
            for n, pos in expand(spec.value, keys):
                out.append(ValueColumns(pos, labels.get(n), spec.label_text, sep))
        return out

    def _addresses(self, mapping: Mapping, keys: dict[str, int]) -> list[AddressColumns]:
        groups: dict[tuple[int, str], AddressColumns] = {}
        for index, spec in enumerate(mapping.addresses):
            labels = dict(expand(spec.label, keys)) if spec.label else {}
            for part in ADDRESS_PARTS:
                template = getattr(spec, part)
                for n, pos in expand(template, keys) if template else []:
                    group = groups.setdefault(
                        (index, n), AddressColumns(labels.get(n), spec.label_text, {}))
                    group.parts[part] = pos
        return list(groups.values())

    def _cell(self, cells: list[str], pos: int) -> str:
        value = cells[pos].strip()
        return "" if value in self.empty else value

    def labeled(self, cells: list[str], columns: list[ValueColumns]) -> list[Labeled]:
        out: list[Labeled] = []
        for col in columns:
            values = _split(self._cell(cells, col.value), col.separator)
            if not values:
                continue
            labels = (_split(cells[col.label], col.separator) if col.label is not None else [])
            for i, value in enumerate(values):
                label = labels[i] if i < len(labels) else (labels[0] if len(labels) == 1
                                                           else col.label_text)
                out.append(Labeled(value, _clean_label(label)))
        return out

    def fill(self, record: SourceRecord, cells: list[str]) -> None:
        """Set the record's mapped fields from one row."""
        for name, positions in self.scalars:
            for pos in positions:
                value = self._cell(cells, pos)
                if value:
                    setattr(record, name, value)
                    break
        record.emails = self.labeled(cells, self.lists["emails"])
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
            address = Address(**{part: self._cell(cells, pos)
                                 for part, pos in group.parts.items()})
            if not address.is_empty():
                label = cells[group.label] if group.label is not None else group.label_text
                address.label = _clean_label(label)
                record.addresses.append(address)
        if not record.display_name:
            record.display_name = " ".join(
                p for p in (record.given_name, record.middle_name, record.family_name) if p)

    def key_of(self, cells: list[str]) -> str:
        return cells[self.key].strip() if self.key is not None else ""


def row_hash(cells: list[str]) -> str:
    blob = "\x1f".join(c.strip() for c in cells).encode("utf-8", "replace")
    return hashlib.sha256(blob).hexdigest()[:16]
