"""The shared day-first / month-first decision (`reseausync_connectors.dateorder`)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reseausync_connectors.dateorder import ColumnOrder, day_first, leaning


def test_leaning() -> None:
    assert leaning("15/01/2024") is True and leaning("15.01.24 18:00") is True
    assert leaning("1/15/2024") is False and leaning("01-15-2024") is False
    assert leaning("03/02/2024") is None and leaning("13/13/2024") is None
    assert leaning("2024-01-15") is None and leaning("15 Jan 2024") is None
    assert leaning("15/01-2024") is None          # two different separators: no date


def test_the_majority_decides_and_a_tie_follows_the_delimiter() -> None:
    assert day_first(["15/01/2024", "20/01/2024", "1/15/2024"], ",") is True
    assert day_first(["1/15/2024", "1/20/2024", "15/01/2024"], ";") is False
    assert day_first(["03/02/2024", "15/01/2024", "1/15/2024"], ";") is True
    assert day_first(["03/02/2024", "15/01/2024", "1/15/2024"], ",") is False
    assert day_first([], ";") is True and day_first(["x", ""], "\t") is False


def test_the_column_is_read_once_and_only_when_asked() -> None:
    reads: list[int] = []

    def column() -> list[str]:
        reads.append(1)
        return ["25/12/2023"]

    order = ColumnOrder(column, ",")
    assert order.day_first is None and reads == []
    assert order.decide() is True and order.decide() is True and reads == [1]


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 31), st.integers(1, 31), st.sampled_from(["/", ".", "-"]),
       st.integers(0, 2099))
def test_leaning_says_only_what_one_value_proves(first: int, second: int, sep: str,
                                                 year: int) -> None:
    found = leaning(f"{first}{sep}{second}{sep}{year:04d}")
    assert found is (True if first > 12 and second <= 12 else
                     False if second > 12 and first <= 12 else None)
