"""Tables line up on a terminal whatever the names hold (QA: widths counted in
characters put every column after a CJK or emoji name out of line)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reseausync.report.output import shown_width, to_table


def test_wide_and_combining_characters_take_their_columns() -> None:
    assert shown_width("王小明") == 6
    assert shown_width("Zoé 🎉") == 6
    assert shown_width("Zoe\u0301") == 3            # e + a combining acute accent
    assert shown_width("Ann") == 3


def test_columns_after_wide_names_line_up() -> None:
    rows = [{"name": "王小明", "city": "Montréal"}, {"name": "Ann Lee", "city": "Laval"},
            {"name": "Zoé 🎉", "city": "Québec"}]
    lines = to_table(rows, [("name", "NAME"), ("city", "CITY")], width=80).splitlines()
    starts = {shown_width(line[: line.index(city)])
              for line, city in zip(lines[2:], ("Montréal", "Laval", "Québec"), strict=True)}
    assert len(starts) == 1


@given(st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=5),
       st.integers(min_value=20, max_value=60))
def test_no_line_is_wider_than_the_terminal(names: list[str], width: int) -> None:
    rows = [{"a": n, "b": n[::-1]} for n in names]
    for line in to_table(rows, [("a", "A"), ("b", "B")], width=width).splitlines():
        assert shown_width(line) <= max(width, 8 + 2 + 8)
