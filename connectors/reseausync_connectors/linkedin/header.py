"""Finding the header row of a LinkedIn CSV by what it says, not where it is.

`Connections.csv` starts with a preamble whose shape changed over the years: a
`Notes:` line (sometimes padded with commas), a sentence about missing email
addresses (quoted, or wrapped over several unquoted lines), blank lines, rows of
only commas, a byte-order mark. Skipping a fixed number of lines breaks on the
next variant, so the header is the first row that contains every required column
name. Columns are then looked up by name, never by position.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..csvfile.rows import RowProblem, column_key

__all__ = ["Header", "column_key", "find_header"]

SCAN_LIMIT = 200  # rows looked at before deciding a file has no header


@dataclass(slots=True)
class Header:
    line: int
    names: list[str]
    index: dict[str, int]

    @property
    def width(self) -> int:
        return len(self.names)

    def find(self, *names: str) -> int | None:
        """Position of the first of `names` present (export versions rename columns)."""
        for name in names:
            pos = self.index.get(column_key(name))
            if pos is not None:
                return pos
        return None


Requirement = str | tuple[str, ...]


def find_header(rows: Iterator[tuple[int, list[str]] | RowProblem],
                required: Iterable[Requirement],
                limit: int = SCAN_LIMIT) -> Header | None:
    """Consume `rows` up to and including the header; None when none was found.

    Each requirement is a column name, or a tuple of names of which one must be
    present (export versions rename columns). The rows after the header are left
    in the iterator for the caller.
    """
    wanted = [tuple(column_key(n) for n in ((r,) if isinstance(r, str) else r))
              for r in required]
    for seen, item in enumerate(rows):
        if seen >= limit:
            return None
        if isinstance(item, RowProblem):
            continue
        line, cells = item
        keys = [column_key(cell) for cell in cells]
        present = set(keys)
        if all(not present.isdisjoint(names) for names in wanted):
            index: dict[str, int] = {}
            for pos, key in enumerate(keys):
                index.setdefault(key, pos)
            return Header(line=line, names=[c.replace("\ufeff", "").strip() for c in cells],
                          index=index)
    return None
