"""Rows whose empty last cells were left out with their delimiters, as Excel writes
them past the 16th row (qa3_csv F2): read, padded; a file cut inside its last row
and rows with too many cells are still rejected."""

from __future__ import annotations

import io
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reseausync.connector import ReadContext
from reseausync.models import Reject, SourceRecord
from reseausync_connectors.csvfile import CsvConnector
from reseausync_connectors.csvfile.rows import RowProblem, fit_rows, open_rows

HEADER = "First Name;Last Name;E-mail Address;Mobile Phone;Job Title;Company;Notes"


def _read(path: Path) -> tuple[list[SourceRecord], list[Reject]]:
    conn = CsvConnector({}, ReadContext(source="test"))
    items = list(conn.read(list(conn.discover(str(path)))))
    return ([i for i in items if isinstance(i, SourceRecord)],
            [i for i in items if isinstance(i, Reject)])


def _excel_rows(count: int) -> list[str]:
    """Excel past row 16: the three empty last cells and their `;` left out."""
    lines = [HEADER]
    for i in range(1, count + 1):
        cells = [f"Person{i}", "Roy", f"p{i}@roy.ca", f"514-555-{i:04d}", "", "", ""]
        lines.append(";".join(cells) if i <= 16 else ";".join(cells[:4]))
    return lines


def test_excel_rows_without_their_empty_last_cells_are_imported(tmp_path: Path) -> None:
    """The QA file: cp1252, `;`, CRLF, no line end after the last row."""
    path = tmp_path / "excel_short_rows.csv"
    path.write_bytes("\r\n".join(_excel_rows(20)).encode("cp1252"))
    records, rejects = _read(path)
    assert rejects == []
    assert [r.given_name for r in records] == [f"Person{i}" for i in range(1, 21)]
    last = records[-1]
    assert (last.emails[0].value, last.phones[0].value, last.locator) == (
        "p20@roy.ca", "514-555-0020", f"{path}:21")


def test_a_file_cut_inside_its_last_row_still_rejects_that_row(tmp_path: Path) -> None:
    path = tmp_path / "cut.csv"
    lines = [HEADER, "Ana;Roy;ana@roy.ca;514-555-0001;;;", "Ben;Roy;ben@ro"]
    path.write_bytes("\r\n".join(lines).encode())
    records, rejects = _read(path)
    assert [r.given_name for r in records] == ["Ana"]
    (cut,) = rejects
    assert (cut.locator, cut.reason) == (f"{path}:3", "cell-count")
    assert cut.message.endswith(": 3 cells where the header has 7 (a truncated or badly "
                                "quoted line?): Ben;Roy;ben@ro")   # the file's delimiter


def test_a_short_last_row_with_its_line_end_is_read(tmp_path: Path) -> None:
    path = tmp_path / "short_last.csv"
    path.write_bytes(("\r\n".join([HEADER, "Ana;Roy;ana@roy.ca;514-555-0001;;;",
                                   "Ben;Roy;ben@roy.ca"]) + "\r\n").encode())
    records, rejects = _read(path)
    assert rejects == [] and [r.given_name for r in records] == ["Ana", "Ben"]


def test_a_cut_last_row_shorter_than_the_short_rows_before_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "cut_block.csv"
    lines = _excel_rows(18) + ["Person19;Roy;p1"]
    path.write_bytes("\r\n".join(lines).encode())
    records, rejects = _read(path)
    assert len(records) == 18
    assert [(r.locator, r.reason) for r in rejects] == [(f"{path}:20", "cell-count")]


def test_too_many_cells_still_rejected(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_bytes("\r\n".join([HEADER, "Ana;Roy;ana@roy.ca;1;2;3;4;5", "Ben;Roy;ben@roy.ca",
                                  ""]).encode())
    records, rejects = _read(path)
    assert [r.given_name for r in records] == ["Ben"]
    assert [(r.locator, r.reason) for r in rejects] == [(f"{path}:2", "cell-count")]


def test_a_piece_of_a_runaway_quote_is_not_read_as_a_short_row() -> None:
    """The line that closes an unbalanced quote, read again on its own, is what is
    left of the bad row's cell: padding it would make "end of note" a contact."""
    text = ('a,b,c,d,e,f\r\n'
            'Ana,"Roy,ana@roy.ca,1,2,3\r\n'
            'end of note"\r\n'
            'Ben,Roy,ben@roy.ca,1,2,3\r\n')
    got = list(fit_rows(open_rows(io.StringIO(text, newline=""), ","), 6))
    header, bad, piece, ben = got
    assert header == (1, ["a", "b", "c", "d", "e", "f"])
    assert isinstance(bad, RowProblem) and (bad.line, bad.reason) == (2, "unbalanced-quote")
    assert isinstance(piece, RowProblem) and (piece.line, piece.reason) == (3, "cell-count")
    assert ben == (4, ["Ben", "Roy", "ben@roy.ca", "1", "2", "3"])


_CELL = st.text(st.sampled_from("abcé -@."), max_size=6)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(_CELL, min_size=1, max_size=5), min_size=1, max_size=30),
       st.booleans())
def test_every_row_no_wider_than_the_header_comes_back_padded(rows: list[list[str]],
                                                              final_line_end: bool) -> None:
    """Nothing is lost: each non-blank row of at most the header's width is yielded
    with its own cells first, empty cells after, on its own line number; only a
    short last row cut by the end of the file may be a problem instead."""
    width = 5
    lines = [",".join(cells) for cells in rows]
    text = "\n".join(lines) + ("\n" if final_line_end else "")
    got = list(fit_rows(open_rows(io.StringIO(text, newline=""), ","), width))
    wanted = [(n, cells) for n, cells in enumerate(rows, 1) if any(c.strip() for c in cells)]
    if not final_line_end and wanted and len(wanted[-1][1]) < width \
            and wanted[-1][0] == len(rows) and isinstance(got[-1], RowProblem):
        assert got[-1].line == wanted[-1][0]
        got, wanted = got[:-1], wanted[:-1]
    assert got == [(n, cells + [""] * (width - len(cells))) for n, cells in wanted]
