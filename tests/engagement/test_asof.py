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
        if shaped and text.strip() != date.max.isoformat():
            # the right shape is refused only when it is no calendar day
            with pytest.raises(ValueError):
                date.fromisoformat(text.strip())
        return
    assert day.isoformat() == text.strip()


@pytest.mark.parametrize(("local", "utc"), [(date(2026, 11, 22), date(2026, 11, 23)),
                                            (date(2026, 11, 23), date(2026, 11, 22)),
                                            (date(2026, 11, 23), date(2026, 11, 23))])
def test_the_default_date_is_the_utc_date(monkeypatch, local, utc) -> None:
    """Montreal at 22:00 is already tomorrow in UTC, where stored instants live: a
    default of the local date left out the records an import had just written
    (collected when first seen) and the messages of the last hours; the later of
    the two counted tomorrow's meetings at UTC+14 (QA8 dates #2): the UTC date."""
    from datetime import datetime

    from reseausync.engagement import asof

    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(utc.year, utc.month, utc.day, 3, 0, tzinfo=tz)

    class Calendar(date):
        @classmethod
        def today(cls):
            return local

    monkeypatch.setattr(asof, "datetime", Clock)
    monkeypatch.setattr(asof, "date", Calendar)
    assert asof.today() == utc


def test_a_day_that_does_not_exist_says_so() -> None:
    with pytest.raises(UsageError, match="no such day exists"):
        parse_as_of("2026-02-29")


def test_the_last_representable_day_is_a_usage_error_not_a_crash() -> None:
    """QA: `contacts --as-of 9999-12-31` crashed every read command (OverflowError)."""
    with pytest.raises(UsageError) as info:
        parse_as_of("9999-12-31")
    assert info.value.exit_code == 2
    assert parse_as_of("9999-12-30") == date(9999, 12, 30)
