"""One LinkedIn CSV file as a stream of checked rows under a found header.

Every file of the export is read the same way: decode (BOM, encoding sniffed),
find the header by its column names, then stream rows one by one, skipping blank
and comma-only rows and turning a row of the wrong width (a truncated tail line,
a stray quote) into a problem the caller rejects, so the next row is still read.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator

from reseausync.connector import Unit
from reseausync.errors import UNREADABLE, UnitError
from reseausync.files import open_text

from ..csvfile.rows import RowProblem, fit_rows, open_rows
from .header import SCAN_LIMIT, Header, Requirement, find_header


def _describe(required: Iterable[Requirement]) -> str:
    return ", ".join(r if isinstance(r, str) else " or ".join(r) for r in required)


class Table:
    """Open with `Table(unit, required)`, then iterate: (line, cells) or RowProblem."""

    def __init__(self, unit: Unit, required: list[Requirement]) -> None:
        self.unit = unit
        self._stream, self.encoding = open_text(unit)
        try:
            self._rows = open_rows(self._stream)
            header = find_header(self._rows, required)
        except (OSError, EOFError) as exc:
            self._stream.close()
            raise UnitError(UNREADABLE, f"{unit.name}: cannot read ({exc})") from exc
        if header is None:
            self._stream.close()
            raise UnitError("no-header", f"{unit.name}: no header row naming "
                            f"{_describe(required)} in its first {SCAN_LIMIT} rows")
        self.header: Header = header

    @property
    def delimiter(self) -> str:
        """The delimiter sniffed from the file (`;` from a European spreadsheet)."""
        return self._rows.delimiter

    def locator(self, line: int) -> str:
        """`<unit>:<line>`: the folder's path or `export.zip!member`, not the bare
        member name, which every export of every month shares."""
        return f"{self.unit.id}:{line}"

    def __iter__(self) -> Iterator[tuple[int, list[str]] | RowProblem]:
        try:
            yield from fit_rows(self._rows, self.header.width)
        except (OSError, EOFError, zipfile.BadZipFile) as exc:
            # the stream itself broke (a corrupt zip member): the rows already
            # yielded stand, the rest of the unit becomes one reject
            raise UnitError(UNREADABLE, f"{self.unit.name}: read stopped ({exc})") from exc
        finally:
            self._stream.close()
