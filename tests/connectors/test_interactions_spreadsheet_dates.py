"""A hand-kept interactions log opened and saved in a spreadsheet: its dates come
back in the locale's short form (3/1/2026, 01/03/2026 18:00) and are read in the
file's own order."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reseausync.connector import ReadContext
from reseausync.models import Interaction, Reject
from reseausync_connectors.interactions import InteractionsLogConnector, connector
from reseausync_connectors.interactions.row import OrderUnknown, RowError, parse_date


def write_log(path: Path, dates: list[str], delimiter: str = ",",
              encoding: str = "utf-8") -> Path:
    header = delimiter.join(["date", "who", "channel", "note"])
    rows = [delimiter.join([when, "Luc Gagné", "café", f"row {n}"])
            for n, when in enumerate(dates)]
    path.write_bytes("\r\n".join([header, *rows, ""]).encode(encoding))
    return path


def read(path: Path) -> list:
    conn = InteractionsLogConnector({}, ReadContext(source="test"))
    return list(conn.read(list(conn.discover(str(path)))))


def moments(items: list) -> list[datetime]:
    return [i.occurred_at for i in items if isinstance(i, Interaction)]


def rejects(items: list) -> list[Reject]:
    return [i for i in items if isinstance(i, Reject)]


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_an_excel_us_resave_is_read_month_first(tmp_path: Path) -> None:
    """QA3 F14: every row was `bad-date` ("not one of YYYY-MM-DD, ...")."""
    items = read(write_log(tmp_path / "journal.csv",
                           ["3/1/2026", "3/15/2026 18:00", "4/2/2026 6:30 PM"]))
    assert rejects(items) == []
    assert moments(items) == [utc(2026, 3, 1), utc(2026, 3, 15, 18), utc(2026, 4, 2, 18, 30)]


def test_an_excel_french_resave_is_read_day_first(tmp_path: Path) -> None:
    items = read(write_log(tmp_path / "journal.csv",
                           ["01/03/2026", "15/03/2026 18:00", "02/04/2026 09:15"], ";",
                           "cp1252"))
    assert rejects(items) == []
    assert moments(items) == [utc(2026, 3, 1), utc(2026, 3, 15, 18), utc(2026, 4, 2, 9, 15)]


def test_iso_rows_and_spreadsheet_rows_mix(tmp_path: Path) -> None:
    """Rows typed after the re-save are ISO again; both kinds are read."""
    items = read(write_log(tmp_path / "journal.csv",
                           ["2026-03-01", "20.03.2026", "2026-04-01 18h00", "02.04.2026"], ";"))
    assert moments(items) == [utc(2026, 3, 1), utc(2026, 3, 20), utc(2026, 4, 1, 18),
                              utc(2026, 4, 2)]


@pytest.mark.parametrize(("delimiter", "expected"), [
    (";", utc(2025, 4, 1)),     # a European-locale spreadsheet: day first
    (",", utc(2025, 1, 4)),     # as US spreadsheets write it
])
def test_a_log_whose_dates_cannot_tell_follows_the_delimiter(
        tmp_path: Path, delimiter: str, expected: datetime) -> None:
    items = read(write_log(tmp_path / "journal.csv", ["2025-03-01", "01/04/2025"], delimiter))
    assert moments(items) == [utc(2025, 3, 1), expected] and rejects(items) == []


def test_a_date_against_the_files_order_is_rejected_at_its_line(tmp_path: Path) -> None:
    path = write_log(tmp_path / "journal.csv",
                     ["15/01/2026", "20/01/2026", "1/25/2026", "03/02/2026"])
    items = read(path)
    assert moments(items) == [utc(2026, 1, 15), utc(2026, 1, 20), utc(2026, 2, 3)]
    [bad] = rejects(items)
    assert (bad.locator, bad.reason) == (f"{path}:4", "bad-date")
    assert "'1/25/2026'" in bad.message and "day first" in bad.message


def test_a_log_in_iso_dates_is_read_once(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    def never(*_args: object) -> list[str]:
        raise AssertionError("the date column was read again")

    monkeypatch.setattr(connector, "_column", never)
    items = read(write_log(tmp_path / "journal.csv", ["2026-03-01", "2026-03-02 18:00"]))
    assert moments(items) == [utc(2026, 3, 1), utc(2026, 3, 2, 18)]


def test_one_numeric_date_alone_needs_its_order() -> None:
    with pytest.raises(OrderUnknown):
        parse_date("3/1/2026")
    assert parse_date("3/1/2026 12:05 AM", False) == utc(2026, 3, 1, 0, 5)
    assert parse_date("3/1/26", True) == utc(2026, 1, 3)
    with pytest.raises(RowError, match="AM/PM"):
        parse_date("3/1/2026 13:00 PM", False)


@settings(max_examples=60, deadline=None)
@given(moments_in=st.lists(st.datetimes(min_value=datetime(2000, 1, 1),
                                        max_value=datetime(2069, 12, 31)).map(
                                            lambda m: m.replace(second=0, microsecond=0)),
                           min_size=1, max_size=10),
       first_is_day=st.booleans(), separator=st.sampled_from(["/", ".", "-"]),
       twelve_hour=st.booleans(), delimiter=st.sampled_from([",", ";"]))
def test_any_log_with_evidence_reads_back(tmp_path_factory: pytest.TempPathFactory,
                                          moments_in: list[datetime], first_is_day: bool,
                                          separator: str, twelve_hour: bool,
                                          delimiter: str) -> None:
    telling = datetime(2024, 5, 28, 9, 30)
    moments_in = [*moments_in, telling]

    def written(moment: datetime) -> str:
        first, second = (moment.day, moment.month) if first_is_day else \
            (moment.month, moment.day)
        clock = moment.strftime("%I:%M %p") if twelve_hour else moment.strftime("%H:%M")
        return f"{first}{separator}{second}{separator}{moment.year} {clock}"

    path = tmp_path_factory.mktemp("prop") / "journal.csv"
    items = read(write_log(path, [written(m) for m in moments_in], delimiter))
    assert rejects(items) == []
    assert moments(items) == [m.replace(tzinfo=UTC) for m in moments_in]
