"""CSV rows with the line they start on, for connectors that stream large files.

Both the contact-CSV and the LinkedIn connectors read spreadsheets exported by
other programs: they need the same three things, in one place. The delimiter is
guessed from the header line (`,` `;` or tab: French spreadsheets use `;`), every
row carries the number of the physical line it starts on (a quoted cell may span
lines, so `csv.reader.line_num` alone points at the row's end), and a row the csv
module cannot parse becomes a `RowProblem` instead of ending the read.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO

DELIMITERS = (",", ";", "\t")


@dataclass(slots=True)
class RowProblem:
    """A row the csv module refused; reading goes on with the next one."""

    line: int
    reason: str
    message: str


def column_key(cell: str) -> str:
    """The comparable form of a column name: no BOM, no padding, case-folded."""
    return " ".join(cell.replace("\ufeff", "").split()).casefold()


def sniff_delimiter(line: str) -> str:
    """The delimiter that splits `line` (a header) into the most cells, outside quotes.

    `csv.Sniffer` is avoided: it guesses from letter frequencies and is fooled by a
    header full of spaces and hyphens ("E-mail 1 - Value").
    """
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def open_rows(stream: IO[str], delimiter: str | None = None
              ) -> Iterator[tuple[int, list[str]] | RowProblem]:
    """Rows of a text stream, the delimiter sniffed from the first non-blank line."""
    lines: Iterable[str] = stream
    if delimiter is None:
        head: list[str] = []
        for line in stream:
            head.append(line)
            if line.strip().strip(",;\t"):
                break
        delimiter = sniff_delimiter(head[-1]) if head else ","
        lines = itertools.chain(head, stream)
    return numbered_rows(lines, delimiter)


def numbered_rows(lines: Iterable[str], delimiter: str = ","
                  ) -> Iterator[tuple[int, list[str]] | RowProblem]:
    """(first line number, cells) per row; a csv error is yielded, not raised."""
    reader = csv.reader(lines, delimiter=delimiter)
    end = 0
    while True:
        start = end + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            end = reader.line_num
            yield RowProblem(start, "bad-csv", f"cannot parse the row: {exc}")
            continue
        end = reader.line_num
        yield start, cells


def is_blank(cells: list[str]) -> bool:
    """A row of nothing, or of only delimiters: spreadsheets pad exports with them."""
    return not any(cell.strip() for cell in cells)


def to_line(cells: list[str]) -> str:
    """The row written back as one CSV line, for `raw`: quoting only where needed."""
    out = []
    for cell in cells:
        if '"' in cell or "," in cell or "\n" in cell or "\r" in cell:
            cell = '"' + cell.replace('"', '""') + '"'
        out.append(cell)
    return ",".join(out)


def fit_rows(items: Iterable[tuple[int, list[str]] | RowProblem], width: int
             ) -> Iterator[tuple[int, list[str]] | RowProblem]:
    """Rows cut to the header's `width`: blank rows skipped, wrong widths are problems.

    Extra cells that are all empty are trailing delimiters a spreadsheet added and
    are dropped; any other width mismatch (a truncated tail line, a stray quote that
    swallowed a line break) is reported so the caller rejects that row and goes on.
    """
    for item in items:
        if isinstance(item, RowProblem):
            yield item
            continue
        line, cells = item
        if len(cells) != width:
            if is_blank(cells):
                continue
            if len(cells) > width and is_blank(cells[width:]):
                cells = cells[:width]
            else:
                yield RowProblem(line, "cell-count",
                                 f"{len(cells)} cells where the header has {width} "
                                 f"(a truncated or badly quoted line?): {to_line(cells)[:120]}")
                continue
        elif not cells[0].strip() and is_blank(cells):
            continue
        yield line, cells
