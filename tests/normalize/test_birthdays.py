"""A birthday written as a date that names no real day is not a date (QA F19)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reseausync.merge.survivorship import Member, canonical
from reseausync.normalize.birthdays import impossible_date


@pytest.mark.parametrize("value", [
    "1990-02-30", "19900230", "1990/13/01", "--02-30", "--1301", "30/02/1990",
    "31/31/1990", "0000-00-00"])
def test_impossible_dates(value: str) -> None:
    assert impossible_date(value)


@pytest.mark.parametrize("value", [
    "1980-04-15", "19800415", "--04-15", "--0229", "1988-02-29", "15/04/1980",
    "04/15/1980", "1604-04-15", "15 avril", "April 15", "", "1980"])
def test_real_dates_and_text_that_cannot_be_judged(value: str) -> None:
    assert not impossible_date(value)


@given(st.dates())
def test_every_real_day_in_every_numeric_form_is_possible(day) -> None:
    for text in (day.isoformat(), day.strftime("%Y%m%d"), f"--{day:%m-%d}",
                 f"{day.day}/{day.month}/{day.year}"):
        if day.year >= 1000:
            assert not impossible_date(text), text


def _member(rid: int, birthday: str, collected: str) -> Member:
    return Member(rid, "s", "csv", str(rid), f"c.csv:{rid}",
                  {"display_name": "Samir Benali", "birthday": birthday}, "", collected)


def test_the_contact_does_not_keep_an_impossible_birthday() -> None:
    # Google CSV: Birthday "1990-02-30"
    assert canonical([_member(1, "1990-02-30", "2026-01-01")], {}, "CA")["birthday"] == ""
    # another record's real birthday wins over the newer impossible one
    out = canonical([_member(1, "1990-02-30", "2026-01-01"),
                     _member(2, "1990-02-03", "2020-01-01")], {}, "CA")
    assert out["birthday"] == "1990-02-03" and out["provenance"]["birthday"] == 2
    assert canonical([_member(1, "--03-15", "2026-01-01")], {}, "CA")["birthday"] == "--03-15"
