"""The `interactions` connector: the hand-kept log of meetings that leave no file."""

from __future__ import annotations

import csv
import hashlib
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from reseausync.connector import Connector, Unit
from reseausync.errors import UnitError
from reseausync.files import open_text, sniff_encoding, suffix_filter, walk
from reseausync.models import Interaction, SourceItem

from ..csvfile.rows import RowProblem, numbered_rows
from ..dateorder import ColumnOrder
from .columns import (
    COLUMNS,
    direction_of,
    header_roles,
    is_log_header,
    kind_of,
    roles_of_line,
    sniff_delimiter,
)
from .row import OrderUnknown, RowError, parse_date, participants, written_as

SUFFIXES = (".csv", ".tsv", ".txt")
# A change of what a read yields (a date alone or a time without zone marked in
# `extra`, for `show`): every log is read again once.
READING = "i2"
PEEK_BYTES = 4096


class InteractionsLogConnector(Connector):
    name = "interactions"
    reads_owner = False   # the region and [me] change nothing it reads
    # Above the generic csv connector (5): a log's header is specific enough; the
    # registry only asks when can_open said yes.
    priority = 6
    claims_from = ("csv",)   # a log kept among contact CSVs is read as a log
    description = "hand-kept interactions log (CSV: date, who, channel, note)"

    @classmethod
    def can_open(cls, target: str) -> bool:
        path = Path(target)
        if not (path.is_file() and path.name.lower().endswith(SUFFIXES)):
            return False
        try:
            with open(path, "rb") as handle:
                head = handle.read(PEEK_BYTES)
        except OSError:
            return False
        text = head.decode(sniff_encoding(head), errors="replace")
        first_line = text.splitlines()[0] if text else ""
        return is_log_header(roles_of_line(first_line))

    def discover(self, target: str) -> Iterator[Unit]:
        for unit in walk(target, suffix_filter(*SUFFIXES)):
            yield unit if unit.problem is not None else \
                replace(unit, fingerprint=f"{unit.fingerprint};{READING}")

    def read_unit(self, unit: Unit) -> Iterator[SourceItem]:
        stream, _encoding = open_text(unit)
        with stream:
            header_line = stream.readline()
            delimiter = sniff_delimiter(header_line)
            cells = next(csv.reader([header_line.rstrip("\r\n")], delimiter=delimiter), [])
            roles = header_roles(cells)
            if not is_log_header(roles):
                yield self.reject(unit, f"{unit.id}:1", "not-an-interactions-log",
                                  "header needs a date column and a who/email/phone/name "
                                  f"column (accepted: {_accepted()})", header_line)
                return
            # the contact CSVs' row reader: an unbalanced quote rejects its line, not
            # every row after it (which the csv module swallows into one cell)
            rows = numbered_rows(stream, delimiter)
            rows.width = len(cells)
            order = ColumnOrder(lambda: _column(unit, delimiter, len(cells), roles["date"]),
                                delimiter)
            counts: dict[str, int] = {}
            for found in rows:
                if isinstance(found, RowProblem):
                    yield self.reject(unit, f"{unit.id}:{found.line + 1}", "bad-row",
                                      f"unreadable CSV row: {found.message}")
                    continue
                start, row = found[0] + 1, found[1]      # the header was line 1
                if not any(cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
                    continue    # blank lines and "# comments" in a hand-kept file
                try:
                    item = self._interaction(unit, row, roles, f"{unit.id}:{start}", order)
                except RowError as exc:
                    yield self.reject(unit, f"{unit.id}:{start}", exc.reason, exc.message,
                                      delimiter.join(row))
                    continue
                counts[item.external_id] = counts.get(item.external_id, 0) + 1
                if counts[item.external_id] > 1:     # the same row written twice
                    item.external_id += f"-{counts[item.external_id]}"
                yield item

    def _interaction(self, unit: Unit, row: list[str], roles: dict[str, int],
                     locator: str, order: ColumnOrder) -> Interaction:
        def cell(role: str) -> str:
            index = roles.get(role)
            return row[index].strip() if index is not None and index < len(row) else ""

        if not cell("date"):
            raise RowError("bad-date", "row has no date")
        try:
            occurred_at = parse_date(cell("date"), order.day_first)
        except OrderUnknown:
            occurred_at = parse_date(cell("date"), order.decide())
        people = participants(cell("who"), cell("email"), cell("phone"), cell("name"))
        if not people:
            raise RowError("no-who", "row names nobody (who, email, phone or name)")
        channel = cell("channel")
        direction = direction_of(cell("direction"))
        extra: dict = {}
        if channel:
            extra["channel"] = channel
        written = written_as(cell("date"))
        if written:     # as the calendars mark theirs: `show` prints it as written
            extra["all_day" if written == "date" else "floating"] = True
        if direction is None:
            extra["direction_written"] = cell("direction")
            direction = "both"
        content = "\x1f".join(value.strip() for value in row)
        digest = hashlib.sha256(content.encode("utf-8", "replace")).hexdigest()[:16]
        return Interaction(
            source=self.source, connector=self.name, external_id=f"row-{digest}",
            locator=locator, kind=kind_of(channel), occurred_at=occurred_at, unit=unit.id,
            direction=direction, participants=people, subject=cell("note")[:500],  # type: ignore[arg-type]
            extra=extra)


def _column(unit: Unit, delimiter: str, width: int, index: int) -> Iterator[str]:
    """The date cells of the log, read again on their own to decide the order of its
    numeric dates. A file that cannot be read to its end gives the cells before the
    break."""
    try:
        stream, _encoding = open_text(unit)
    except UnitError:
        return
    with stream:
        try:
            stream.readline()
            rows = numbered_rows(stream, delimiter)
            rows.width = width
            for found in rows:
                if not isinstance(found, RowProblem) and index < len(found[1]):
                    yield found[1][index]
        except (UnitError, OSError, EOFError, zipfile.BadZipFile):
            return      # the main read meets the same break and reports it


def _accepted() -> str:
    return "; ".join(f"{role}: {', '.join(sorted(names))}" for role, names in COLUMNS.items())
