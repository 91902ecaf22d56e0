"""A CSV file whose last line, without a line end, stops inside a quoted cell is
still being written or was cut short (QA7 #1): the rows before the cut are kept,
the broken line is a reject, nothing of the file is removed, and it is read again
next run. A finished file is read as before."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reseausync import api
from reseausync.errors import UNREADABLE, UnitError
from reseausync_connectors.csvfile.rows import fit_rows, numbered_rows

from .conftest import live_ids, sync_folder, write_stamped

HEADER = ["First Name", "Last Name", "Labels", "E-mail 1 - Label", "E-mail 1 - Value", "Notes"]


def _csv(count: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for i in range(count):
        writer.writerow([f"Ann{i}", f"Roy{i}", "* myContacts", "Home", f"ann{i}@example.com",
                         f"met at the fair, {i}\nsecond line of the note"])
    return out.getvalue().encode()






def test_an_export_cut_inside_a_note_removes_nobody(tmp_path: Path) -> None:
    folder = tmp_path / "google"
    folder.mkdir()
    book = folder / "contacts.csv"
    full = _csv(200)
    write_stamped(book, full, 1_700_000_000_000_000_000)
    db = str(tmp_path / "d.db")
    assert sync_folder(db, folder, connector="csv", source="google").counts["added"] == 200

    cut = full[: full.index(b"met at the fair, 120") + 10]   # inside the 121st note
    write_stamped(book, cut, 1_700_000_100_000_000_000)
    second = sync_folder(db, folder, connector="csv", source="google")
    assert second.counts["removed"] == 0 and len(live_ids(db)) == 200
    reasons = [r["reason"] for r in api.rejects(db, second.run)]
    assert any("ends inside a quoted cell" in r for r in reasons), reasons

    write_stamped(book, full, 1_700_000_200_000_000_000)            # the copy finished
    third = sync_folder(db, folder, connector="csv", source="google")
    assert third.counts["rejected"] == 0 and third.counts["removed"] == 0
    assert third.counts["unchanged"] == 200


def test_a_finished_export_that_lost_rows_still_removes_them(tmp_path: Path) -> None:
    folder = tmp_path / "google"
    folder.mkdir()
    book = folder / "contacts.csv"
    write_stamped(book, _csv(100), 1_700_000_000_000_000_000)
    db = str(tmp_path / "d.db")
    sync_folder(db, folder, connector="csv", source="google")
    write_stamped(book, _csv(80).rstrip(b"\r\n"), 1_700_000_100_000_000_000)  # no final line end
    second = sync_folder(db, folder, connector="csv", source="google")
    assert second.counts["removed"] == 20 and second.counts["rejected"] == 0


CELL = st.text(alphabet=st.characters(blacklist_categories=("Cs",),
                                      blacklist_characters="\x00"), max_size=12)
TABLE = st.integers(1, 5).flatmap(
    lambda width: st.lists(st.lists(CELL, min_size=width, max_size=width),
                           min_size=2, max_size=8))


def _text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL).writerows(rows)
    return out.getvalue()


def _read(text: str, width: int) -> list:
    rows = numbered_rows(io.StringIO(text, newline=""))
    next(iter(rows))                      # the header
    return list(fit_rows(rows, width))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(TABLE, st.booleans())
def test_a_finished_file_is_never_taken_for_a_cut_one(table: list[list[str]],
                                                      final_line_end: bool) -> None:
    text = _text(table)
    if not final_line_end:
        text = text.rstrip("\r\n")
    _read(text, len(table[0]))            # raises nothing


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(TABLE, st.data())
def test_a_file_cut_inside_its_last_quoted_cell_is_unread(table: list[list[str]],
                                                         data: st.DataObject) -> None:
    text = _text(table)
    last = text.rstrip("\r\n")
    start = last.rindex('"', 0, len(last) - 1)      # the last cell's opening quote
    cut = data.draw(st.integers(start + 1, len(last) - 1))
    text = last[:cut]
    if text.endswith(("\n", "\r")) or text.endswith('"') and not text.endswith('""'):
        return    # a line end in the cell, or a quote that may close it: not this case
    with pytest.raises(UnitError) as info:
        _read(text, len(table[0]))
    assert info.value.reason == UNREADABLE and "ends inside a quoted cell" in str(info.value)
