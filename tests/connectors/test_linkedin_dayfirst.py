"""LinkedIn `Connections.csv` re-saved by a spreadsheet: numeric `Connected On`
dates in the file's own order, and an unreadable date costs the date, not the
person."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reseausync.connector import ReadContext
from reseausync.models import Reject, SourceRecord
from reseausync_connectors.linkedin import LinkedInConnector, connections

HEADER = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position",
          "Connected On"]


def write_export(folder: Path, dates: list[str], delimiter: str = ",",
                 encoding: str = "utf-8", urls: bool = True) -> Path:
    """A Connections.csv as a spreadsheet saves it: CRLF, one row per date."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [f"Notes:{delimiter * 6}", delimiter * 6, delimiter.join(HEADER)]
    for n, when in enumerate(dates):
        url = f"https://www.linkedin.com/in/p{n}" if urls else ""
        lines.append(delimiter.join([f"P{n}", "Roy", url, "", "Acme", "CPA", when]))
    (folder / "Connections.csv").write_bytes("\r\n".join(lines).encode(encoding))
    return folder


def read(target: Path) -> list:
    conn = LinkedInConnector({}, ReadContext(source="test"))
    return list(conn.read(list(conn.discover(str(target)))))


def collected(items: list) -> list[date | None]:
    return [i.collected_at for i in items if isinstance(i, SourceRecord)]


def rejects(items: list) -> list[Reject]:
    return [i for i in items if isinstance(i, Reject)]


def test_a_french_resave_is_read_day_first(tmp_path: Path) -> None:
    """QA3 F3: `15/01/2024` was a reject that dropped Luc Gagné whole, and
    `03/02/2024` (3 February) was stored as 2 March."""
    folder = tmp_path / "li_fr"
    folder.mkdir()
    lines = ["Notes:;;;;;;",
             '"When exporting your connection data, you may notice that some of the email '
             'addresses are missing.";;;;;;', ";;;;;;",
             "First Name;Last Name;URL;Email Address;Company;Position;Connected On",
             "Luc;Gagné;https://www.linkedin.com/in/lucgagne;;Desjardins;Analyste;15/01/2024",
             "Sam;Roy;https://www.linkedin.com/in/samroy;;KPMG;CPA;03/02/2024"]
    (folder / "Connections.csv").write_bytes("\r\n".join(lines).encode("cp1252"))
    items = read(folder)
    assert rejects(items) == []
    assert [(r.display_name, r.collected_at) for r in items] == [
        ("Luc Gagné", date(2024, 1, 15)), ("Sam Roy", date(2024, 2, 3))]


def test_a_us_resave_is_read_month_first(tmp_path: Path) -> None:
    items = read(write_export(tmp_path / "us", ["1/15/2024", "3/2/2024", "12/31/23"]))
    assert rejects(items) == []
    assert collected(items) == [date(2024, 1, 15), date(2024, 3, 2), date(2023, 12, 31)]


def test_the_evidence_may_come_late_in_the_file(tmp_path: Path) -> None:
    """The first rows cannot tell; the last one can: the whole column decides."""
    dates = ["03/02/2024"] * 50 + ["25/12/2023"]
    items = read(write_export(tmp_path / "late", dates))
    assert collected(items) == [date(2024, 2, 3)] * 50 + [date(2023, 12, 25)]


def test_german_dots_are_day_first(tmp_path: Path) -> None:
    items = read(write_export(tmp_path / "de", ["15.01.2024", "03.02.2024"], ";"))
    assert collected(items) == [date(2024, 1, 15), date(2024, 2, 3)]


@pytest.mark.parametrize(("delimiter", "expected"), [
    (";", date(2024, 2, 3)),    # a European-locale spreadsheet: day first
    (",", date(2024, 3, 2)),    # US spreadsheets and LinkedIn's own numeric form
])
def test_a_column_that_cannot_tell_follows_the_delimiter(tmp_path: Path, delimiter: str,
                                                         expected: date) -> None:
    items = read(write_export(tmp_path / "x", ["03/02/2024", "03/02/2024"], delimiter))
    assert collected(items) == [expected, expected] and rejects(items) == []


def test_an_unreadable_date_costs_the_date_not_the_person(tmp_path: Path) -> None:
    """A date that does not exist in the column's order (the majority is day first)
    or in any form: the connection is imported without `collected_at` and the cell
    is a reject at its line; the next row is still read."""
    folder = write_export(tmp_path / "mixed",
                          ["15/01/2024", "20/03/2024", "01/15/2024", "someday", "02/04/2024"],
                          urls=False)
    items = read(folder)
    assert collected(items) == [date(2024, 1, 15), date(2024, 3, 20), None, None,
                                date(2024, 4, 2)]
    where = folder / "Connections.csv"
    assert [(r.locator, r.reason) for r in rejects(items)] == [
        (f"{where}:6", "bad-date"), (f"{where}:7", "bad-date")]
    first = rejects(items)[0].message
    assert "'01/15/2024'" in first and "day first" in first and "without its date" in first
    ids = [i.external_id for i in items if isinstance(i, SourceRecord)]
    assert ids[2:4] == ["p2 roy (no date)", "p3 roy (no date)"]


def test_a_zipped_resave_is_read_in_its_order(tmp_path: Path) -> None:
    folder = write_export(tmp_path / "z", ["03/02/2024", "25/12/2023"], ";")
    archive = tmp_path / "Basic_LinkedInDataExport.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.write(folder / "Connections.csv", "Connections.csv")
    assert collected(read(archive)) == [date(2024, 2, 3), date(2023, 12, 25)]


def test_a_file_as_linkedin_writes_it_is_read_once(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The column is read again only when a numeric date needs its order."""
    def never(*_args: object) -> list[str]:
        raise AssertionError("the date column was read again")

    monkeypatch.setattr(connections, "_column", never)
    items = read(write_export(tmp_path / "plain", ["15 Jan 2024", "29-Mar-21", "2024-02-03"]))
    assert collected(items) == [date(2024, 1, 15), date(2021, 3, 29), date(2024, 2, 3)]


@settings(max_examples=60, deadline=None)
@given(days=st.lists(st.dates(min_value=date(1990, 1, 1), max_value=date(2069, 12, 31)),
                     min_size=1, max_size=12),
       first_is_day=st.booleans(), separator=st.sampled_from(["/", ".", "-"]),
       pad=st.booleans(), delimiter=st.sampled_from([",", ";"]))
def test_any_column_with_evidence_reads_back(tmp_path_factory: pytest.TempPathFactory,
                                             days: list[date], first_is_day: bool,
                                             separator: str, pad: bool,
                                             delimiter: str) -> None:
    """Written day first or month first, with one date that can only be read that
    way among them, every date comes back as written, whatever the delimiter."""
    telling = date(2024, 5, 28)
    days = [*days, telling]

    def written(day: date) -> str:
        d, m = (f"{day.day:02d}", f"{day.month:02d}") if pad else (str(day.day), str(day.month))
        first, second = (d, m) if first_is_day else (m, d)
        return f"{first}{separator}{second}{separator}{day.year}"

    folder = tmp_path_factory.mktemp("prop")
    items = read(write_export(folder, [written(d) for d in days], delimiter))
    assert collected(items) == days and rejects(items) == []
