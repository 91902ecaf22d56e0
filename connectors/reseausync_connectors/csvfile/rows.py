"""CSV rows with the line they start on, for connectors that stream large files.

Both the contact-CSV and the LinkedIn connectors read spreadsheets exported by
other programs: they need the same three things, in one place. The delimiter is
guessed from the header line (`,` `;` or tab: French spreadsheets use `;`), every
row carries the number of the physical line it starts on (a quoted cell may span
lines, so `csv.reader.line_num` alone points at the row's end), and a row the csv
module cannot parse becomes a `RowProblem` instead of ending the read. An
unbalanced quote costs its own line only: see `Rows`. A file whose last line,
without a line end, stops inside a quoted cell is still being written or was cut
short: once its rows are read, it raises an `unreadable` UnitError (see `cut_short`).
"""

from __future__ import annotations

import collections
import csv
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO

from reseausync.errors import UNREADABLE, UnitError

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


def open_rows(stream: IO[str], delimiter: str | None = None) -> Rows:
    """Rows of a text stream, the delimiter sniffed from the first non-blank line."""
    lines: Iterable[str] = _without_bom(stream)
    if delimiter is None:
        head: list[str] = []
        for line in lines:
            head.append(line)
            if line.strip().strip(",;\t"):
                break
        delimiter = sniff_delimiter(head[-1]) if head else ","
        lines = itertools.chain(head, lines)
    return numbered_rows(lines, delimiter)


def _without_bom(stream: Iterable[str]) -> Iterator[str]:
    """The lines with a byte-order mark left at the start of the text dropped: read
    as part of the first cell, it kept a quote there from opening a quoted cell
    (`\ufeff"Notes:\n..."`), which then swallowed the header."""
    lines = iter(stream)
    first = next(lines, None)
    return itertools.chain(() if first is None else (first.lstrip("\ufeff"),), lines)


def numbered_rows(lines: Iterable[str], delimiter: str = ",") -> Rows:
    """(first line number, cells) per row; a csv error is yielded, not raised."""
    return Rows(lines, delimiter)


class Rows:
    """(first line number, cells) per row, or a `RowProblem`; resynchronising after
    a runaway quote.

    One unbalanced quote (`"Acme, inc` never closed) makes the csv module read every
    following line into that cell until some later quote closes it: one bad line
    would take the good rows after it down with it. Legitimate quoted cells span
    lines too (notes, addresses, message bodies), so once the header's `width` is
    known (`fit_rows` sets it) a row that spans lines is a runaway when

    - it fails strict parsing: a quote closed and followed by more text (where a
      runaway usually meets the next row's quoted cell), or the file ends inside
      the quote; or
    - it does not have the header's width (nor is blank); or
    - it has the width, but it spans three lines or more and every one reads as
      a full row on its own (the first with its quote taken literally): the
      quote swallowed whole rows. Made only from `EVIDENCE_WIDTH` columns, where
      prose lines of a legitimate cell holding that many delimiters each are
      implausible.

    Not caught: a runaway closed cleanly (by a quote that ends a later line's cell,
    or opens one that starts with a delimiter or a line break) after one line,
    whose row then has the header's width by chance; its one swallowed row is
    lost inside the bad row's cell. Writers quote such cells, so it is rare.

    A runaway's first line is a `RowProblem` ("unbalanced-quote") and the lines it
    swallowed are read again from the next physical line, so each keeps its own
    line number and its own fate. A single-line row that fails strict parsing
    (`"Acme" inc`) is read leniently, as the csv module does by default.

    Raw lines are kept for replay by an `itertools.tee` that lags at most
    `CATCH_UP` lines behind the reader and is caught up in bulk: a well-formed
    single-line row costs a comparison more than plain `csv.reader`.
    """

    CATCH_UP = 4096
    EVIDENCE_WIDTH = 6

    def __init__(self, lines: Iterable[str], delimiter: str = ",") -> None:
        self.width = 0  # the header's, once known; 0: no row is judged
        self.delimiter = delimiter
        # lines up to this one were read again after an unbalanced quote
        self.replayed_to = 0
        # once read to the end: whether the last line has no line end (the file
        # stops inside a row, as a truncated file does)
        self.unterminated = False
        self.cut_at = 0     # the line of a quoted cell the end of the file cut (0: none)
        self._rows = self._read(iter(lines))

    def __iter__(self) -> Iterator[tuple[int, list[str]] | RowProblem]:
        return self._rows

    def __next__(self) -> tuple[int, list[str]] | RowProblem:
        return next(self._rows)

    def _read(self, stream: Iterator[str]) -> Iterator[tuple[int, list[str]] | RowProblem]:
        pending: list[str] = []  # lines to read again before the rest of the stream
        base = 0                 # physical lines before the current reader's first
        while True:
            feed, lag = itertools.tee(itertools.chain(pending, stream) if pending else stream)
            reader = csv.reader(feed, delimiter=self.delimiter, strict=True)
            lagged = end = 0  # lines taken from `lag`; lines read by `reader`
            catch_up = self.CATCH_UP  # when `lag` is next caught up
            lines: list[str] = []     # the last lines taken from `lag`
            while True:
                start = end + 1
                try:
                    cells = next(reader)
                except StopIteration:
                    tail = list(lag) or lines   # lines read since `lag` was caught up
                    self.unterminated = bool(tail) and not tail[-1].endswith(("\n", "\r"))
                    if self.cut_at:
                        raise cut_short(self.cut_at) from None
                    return
                except csv.Error as exc:
                    end = reader.line_num
                    lines = _take(lag, start - 1 - lagged, end - start + 1)
                    lagged, catch_up = end, end + self.CATCH_UP
                    if _ends_in_quote(exc, lines):
                        if end == start or not self.width:   # the last row, alone
                            raise cut_short(base + start) from exc
                        # a cell spanning lines, cut; or a runaway quote: the lines
                        # are read again on their own first (see below)
                        self.cut_at = self.cut_at or base + start
                    if end == start or not self.width:
                        yield from self._lenient(lines, base + start, exc)
                        continue
                    break
                end = reader.line_num
                if end != start and self.width and self._suspect(cells, end - start):
                    lines = _take(lag, start - 1 - lagged, end - start + 1)
                    lagged, catch_up = end, end + self.CATCH_UP
                    if self._runaway(cells, lines):
                        break
                elif end > catch_up:   # the last line stays in `lag`, for `unterminated`
                    _take(lag, end - 1 - lagged, 0)
                    lagged, catch_up = end - 1, end + self.CATCH_UP
                yield base + start, cells
            yield RowProblem(base + start, "unbalanced-quote",
                             f"a quoted cell opened on this line runs over the next "
                             f"{end - start} line(s) (an unbalanced quote?); they are read "
                             f"again on their own: {lines[0].rstrip()[:120]}")
            pending = lines[1:] + pending[end:]
            self.replayed_to = max(self.replayed_to, base + end)
            base += start

    def _lenient(self, lines: list[str], first: int, exc: csv.Error
                 ) -> Iterator[tuple[int, list[str]] | RowProblem]:
        """The rows of `lines` (starting at line `first`) read as the csv module does
        by default, without `strict`."""
        reader = csv.reader(lines, delimiter=self.delimiter)
        end = 0
        while True:
            start = end + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error:
                end = reader.line_num
                yield RowProblem(first + start - 1, "bad-csv", f"cannot parse the row: {exc}")
                continue
            end = reader.line_num
            yield first + start - 1, cells

    def _suspect(self, cells: list[str], spanned: int) -> bool:
        """Whether a row spanning `spanned` + 1 lines may be a runaway: cheap, from the
        cells alone, so a legitimate multi-line cell costs next to nothing."""
        width = self.width
        if not fits(cells, width):
            return not is_blank(cells)
        # swallowed full rows put at least `width - 1` more delimiters in the row
        return (spanned >= 2 and width >= self.EVIDENCE_WIDTH
                and self.delimiter.join(cells).count(self.delimiter) >= 2 * (width - 1))

    def _runaway(self, cells: list[str], lines: list[str]) -> bool:
        """Whether a `_suspect` row, read from `lines`, is a quote that ran away."""
        if not fits(cells, self.width):
            return True
        if lines[-1].count(self.delimiter) < self.width - 1:
            return False
        return all(self._full_row(line, first=n == 0) for n, line in enumerate(lines)
                   if line.strip())

    def _full_row(self, line: str, first: bool) -> bool:
        """Whether `line` alone is a row of the header's width; for the `first` line,
        also when its last cell (the one an unclosed quote runs to the line's end)
        is split on the delimiter as if the quote were a plain character."""
        try:
            cells = next(csv.reader([line], delimiter=self.delimiter))
        except (csv.Error, StopIteration):
            return False
        if fits(cells, self.width):
            return True
        return first and bool(cells) and fits(
            cells[:-1] + cells[-1].split(self.delimiter), self.width)


def _ends_in_quote(exc: csv.Error, lines: list[str]) -> bool:
    """Whether the csv module stopped because the input ended inside a quoted cell
    (strict mode's "unexpected end of data", from lines fed one by one) on a last
    line with no line end: a file still being written, or cut short. A finished
    file's last line ends with its line end, or closes its quotes."""
    return (str(exc) == "unexpected end of data" and bool(lines)
            and not lines[-1].endswith(("\n", "\r")))


def cut_short(line: int) -> UnitError:
    """The error of a file that ends inside the quoted cell opened on `line` (QA7
    #1): the rows before it are kept, and, as for any unreadable unit, nothing of
    the file is removed and it is read again next run, instead of taking the rows
    the copy has not reached yet for removed."""
    return UnitError(UNREADABLE, f"line {line}: the file ends inside a quoted cell (still "
                                 "being written, or cut short): the rows before it are "
                                 "kept, nothing of the file is removed, and it is read "
                                 "again next run", line=line)


def _take(iterator: Iterator[str], skip: int, count: int) -> list[str]:
    """`count` items of `iterator` after skipping `skip` (at C speed)."""
    if skip:
        collections.deque(itertools.islice(iterator, skip), maxlen=0)
    return list(itertools.islice(iterator, count)) if count else []


def fits(cells: list[str], width: int) -> bool:
    """Whether a row has the header's width, extra cells all empty allowed."""
    return len(cells) == width or (len(cells) > width and is_blank(cells[width:]))


def is_blank(cells: list[str]) -> bool:
    """A row of nothing, or of only delimiters: spreadsheets pad exports with them."""
    return not any(cell.strip() for cell in cells)


def to_line(cells: list[str], delimiter: str = ",") -> str:
    """The row written back as one CSV line, for `raw`: quoting only where needed."""
    out = []
    for cell in cells:
        if '"' in cell or delimiter in cell or "\n" in cell or "\r" in cell:
            cell = '"' + cell.replace('"', '""') + '"'
        out.append(cell)
    return delimiter.join(out)


Row = tuple[int, list[str]]


def fit_rows(items: Iterable[Row | RowProblem], width: int) -> Iterator[Row | RowProblem]:
    """Rows cut or padded to the header's `width`; blank rows skipped; a row with
    cells that cannot be placed is a problem the caller rejects, and it goes on.

    Extra cells that are all empty are trailing delimiters a spreadsheet added and
    are dropped. A short row is one whose empty last cells were left out with
    their delimiters: Excel does it past the 16th row (KB 77295), hand-edited and
    other tools' files too, so the row is padded with empty cells and read. It
    is a problem ("cell-count") only where it may be a piece of a row instead:

    - the file ends inside it, without a line end (a truncated file), unless the
      row before it was short by as many cells (a spreadsheet's block of short
      rows, saved without a final line end);
    - it is a line read again after an unbalanced quote (see `Rows`), a piece of
      the bad row's quoted cell more likely than a row.

    (A short row spanning lines never gets here: `Rows` reads it as an unbalanced
    quote.) Too many cells that are not empty are a problem too.
    """
    rows = items if isinstance(items, Rows) else None
    if rows is not None:
        rows.width = width  # from here on, rows spanning lines are judged
    delimiter = rows.delimiter if rows is not None else ","
    held: Row | None = None  # a short row, until the next line shows it is not cut
    before = 0               # the cell count of the row before, when it was short
    for item in items:
        if held is not None:
            yield held[0], _padded(held[1], width)
            before, held = len(held[1]), None
        else:
            before = 0
        if isinstance(item, RowProblem):
            yield item
            continue
        line, cells = item
        if len(cells) != width:
            if is_blank(cells):
                continue
            if len(cells) > width and is_blank(cells[width:]):
                cells = cells[:width]
            elif len(cells) < width and (rows is None or line > rows.replayed_to):
                held = item
                continue
            else:
                yield _cell_count(item, width, delimiter)
                continue
        elif not cells[0].strip() and is_blank(cells):
            continue
        yield line, cells
    if held is not None:
        if rows is not None and rows.unterminated and len(held[1]) != before:
            yield _cell_count(held, width, delimiter)
        else:
            yield held[0], _padded(held[1], width)


def _padded(cells: list[str], width: int) -> list[str]:
    return cells + [""] * (width - len(cells))


def _cell_count(row: Row, width: int, delimiter: str) -> RowProblem:
    line, cells = row
    return RowProblem(line, "cell-count",
                      f"{len(cells)} cells where the header has {width} (a truncated or "
                      f"badly quoted line?): {to_line(cells, delimiter)[:120]}")
