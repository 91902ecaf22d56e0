"""`--as-of`: one format, a usage error naming it otherwise."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reseausync.engagement import parse_as_of
from reseausync.errors import UsageError


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)))
@settings(max_examples=60)
def test_iso_dates_round_trip(day: date) -> None:
    assert parse_as_of(day.isoformat()) == day
    assert parse_as_of(f"  {day.isoformat()}\n") == day


@pytest.mark.parametrize("text", ["20/11/2026", "11/20/2026", "2026-11-20T10:00", "2026-02-30",
                                  "2026-13-01", "20261120", "today", "", "2026-1-5",
                                  "２０２６-１１-２０"])
def test_other_shapes_are_usage_errors_naming_the_format(text: str) -> None:
    with pytest.raises(UsageError, match="YYYY-MM-DD") as info:
        parse_as_of(text)
    assert info.value.exit_code == 2


@given(st.text(max_size=20))
@settings(max_examples=100)
def test_any_text_is_a_date_or_a_usage_error(text: str) -> None:
    try:
        day = parse_as_of(text)
    except UsageError:
        shaped = re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text.strip())
        if shaped:   # the right shape is refused only when it is no calendar day
            with pytest.raises(ValueError):
                date.fromisoformat(text.strip())
        return
    assert day.isoformat() == text.strip()
