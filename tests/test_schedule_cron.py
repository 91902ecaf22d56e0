"""`schedule = "..."` means what crontab means (QA round 3, S1 and S15).

APScheduler 3 counts weekday 0 as Monday: "0 9 * * 1-5" (weekdays) ran Tuesday to
Saturday and 7 (Sunday) was refused. Fire times are asked of the trigger from a
fixed Sunday, 2026-11-22, so the weekday of each is known.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from reseausync.config import Settings
from reseausync.cron import cron_trigger, never_fires, weekday_names

SUNDAY = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]


def fire_times(expr: str, count: int, start: datetime = SUNDAY) -> list[datetime]:
    trigger = cron_trigger(expr, timezone="UTC")
    out: list[datetime] = []
    now = start
    while len(out) < count:
        fire = trigger.get_next_fire_time(None, now)
        assert fire is not None
        out.append(fire)
        now = fire + timedelta(microseconds=1)
    return out


def cron_weekdays(expr: str, days: int = 14) -> set[int]:
    """The crontab weekday numbers (0 = Sunday) `expr` fires on over `days` days."""
    end = SUNDAY + timedelta(days=days)
    found: set[int] = set()
    trigger = cron_trigger(expr, timezone="UTC")
    now = SUNDAY
    while (fire := trigger.get_next_fire_time(None, now)) is not None and fire < end:
        found.add(fire.isoweekday() % 7)
        now = fire + timedelta(microseconds=1)
    return found


def test_weekdays_at_nine_run_monday_to_friday():
    fires = fire_times("0 9 * * 1-5", 6)
    assert [f.strftime("%a %d") for f in fires] == [
        "Mon 23", "Tue 24", "Wed 25", "Thu 26", "Fri 27", "Mon 30"]
    assert all(f.hour == 9 and f.minute == 0 for f in fires)


@pytest.mark.parametrize(("field", "days"), [
    ("1", {1}),
    ("0", {0}),
    ("7", {0}),                         # refused before: "higher than the maximum value (6)"
    ("sun", {0}),
    ("SAT", {6}),
    ("mon-fri", {1, 2, 3, 4, 5}),
    ("fri-sun", {5, 6, 0}),             # a range ending on Sunday
    ("5-7", {5, 6, 0}),
    ("0,6", {0, 6}),
    ("*/2", {0, 2, 4, 6}),
    ("1-5/2", {1, 3, 5}),
    ("1/3", {1, 4, 7 % 7}),
    ("*", {0, 1, 2, 3, 4, 5, 6}),
])
def test_weekday_field_follows_crontab(field, days):
    assert cron_weekdays(f"0 9 * * {field}") == days


def test_day_of_month_or_weekday_when_both_are_given():
    """Crontab runs "0 9 1 * mon" on the 1st of each month *and* every Monday."""
    fires = fire_times("0 9 1 * mon", 4)
    assert [f.strftime("%a %d %b") for f in fires] == [
        "Mon 23 Nov", "Mon 30 Nov", "Tue 01 Dec", "Mon 07 Dec"]


def test_a_weekday_field_starting_with_a_star_restricts_nothing_more():
    """Vixie cron: a `*`-led field leaves the other alone to decide (AND)."""
    fires = fire_times("0 9 */10 * mon", 2)
    assert all(f.weekday() == 0 and (f.day - 1) % 10 == 0 for f in fires)


@pytest.mark.parametrize(("field", "problem"), [
    ("8", "use 0-7"),
    ("6-0", "goes backwards"),
    ("mo", "sun, mon"),
    ("1-", "use 0-7"),
    ("*/0", "step must be 1 or more"),
])
def test_bad_weekdays_are_refused_with_the_key(field, problem):
    with pytest.raises(ValidationError) as info:
        Settings.model_validate({"sources": [
            {"name": "a", "connector": "vcard", "path": "a.vcf",
             "schedule": f"0 9 * * {field}"}]})
    text = str(info.value)
    assert "not a cron expression" in text and problem in text, text


def test_sunday_as_seven_is_a_valid_config():
    settings = Settings.model_validate({"sources": [
        {"name": "a", "connector": "vcard", "path": "a.vcf", "schedule": "0 9 * * 7"}]})
    assert settings.sources[0].schedule == "0 9 * * 7"


_day = st.integers(0, 7)
_token = st.one_of(
    _day.map(lambda d: (str(d), {d % 7})),
    _day.map(lambda d: (NAMES[d % 7], {d % 7})),
    st.tuples(_day, _day, st.integers(1, 4)).filter(lambda t: t[0] <= t[1]).map(
        lambda t: (f"{t[0]}-{t[1]}/{t[2]}", {d % 7 for d in range(t[0], t[1] + 1, t[2])})),
)


@given(st.lists(_token, min_size=1, max_size=4))
def test_any_list_of_days_ranges_and_steps_fires_on_its_crontab_days(tokens):
    field = ",".join(text for text, _ in tokens)
    expected = set().union(*(days for _, days in tokens))
    assert cron_weekdays(f"30 6 * * {field}") == expected
    names = weekday_names(field)
    assert names == "*" or len(names.split(",")) == len(expected)


@pytest.mark.parametrize("expr", ["0 0 31 2 *", "0 0 30 2 *", "0 0 31 4,6,9,11 *",
                                  "0 0 30-31 feb *", "0 0 31 2 */2"])
def test_a_date_that_never_comes_never_fires(expr):
    assert never_fires(expr)


@pytest.mark.parametrize("expr", ["0 0 29 2 *", "0 0 31 * *", "0 0 31 2 mon",
                                  "0 0 31 2,3 *", "0 0 last 2 *", "*/5 * * * *"])
def test_dates_that_come_fire(expr):
    assert not never_fires(expr)
    assert fire_times(expr, 1)


def test_a_cron_that_never_fires_is_a_config_error_naming_the_key():
    """"31 February" passed `check` and idled for ever ("next run None")."""
    with pytest.raises(ValidationError) as info:
        Settings.model_validate({"sources": [
            {"name": "a", "connector": "vcard", "path": "a.vcf", "schedule": "0 0 31 2 *"}]})
    [error] = info.value.errors()
    assert error["loc"] == ("sources", 0, "schedule")
    assert "'0 0 31 2 *' never fires" in error["msg"]


def test_the_scheduler_uses_the_crontab_reading():
    from reseausync.schedule import trigger_for

    settings = Settings.model_validate({"sources": [
        {"name": "a", "connector": "vcard", "path": "a.vcf", "schedule": "0 9 * * 1"}]})
    fire = trigger_for(settings.sources[0]).get_next_fire_time(None, SUNDAY)
    assert fire.strftime("%a") == "Mon" and fire.hour == 9
