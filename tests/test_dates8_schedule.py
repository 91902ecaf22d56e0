"""A daily job at a fixed time runs once on the autumn DST night (QA round 8, dates
finding 8): APScheduler fired `30 1 * * *` at 01:30 EDT and again at 01:30 EST;
cron runs it once, and repeats only the jobs with a wildcard minute or hour."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.base import BaseTrigger

from reseausync.cron import cron_trigger
from reseausync.schedule import next_after

ZONE = "America/Montreal"
AUTUMN = datetime(2026, 11, 1, 3, 0, tzinfo=UTC)     # 23:00 EDT, the night before
SPRING = datetime(2026, 3, 8, 5, 0, tzinfo=UTC)      # 00:00 EST


def fires(trigger: BaseTrigger, start: datetime, hours: int = 5) -> list[str]:
    """The wall times the schedule loop runs the job at over `hours`, as it asks
    the trigger (`next_after` from the moment each run starts, in UTC as the loop's
    clock: wall-clock arithmetic on 01:30 EST would go back to 01:30 EDT)."""
    found: list[str] = []
    when = next_after(trigger, start)
    while when is not None and when < start + timedelta(hours=hours) and len(found) < 500:
        found.append(when.astimezone(UTC).astimezone(ZoneInfo(ZONE)).isoformat())
        when = next_after(trigger, when.astimezone(UTC))
    return found


@pytest.mark.parametrize(("expr", "expected"), [
    ("30 1 * * *", ["2026-11-01T01:30:00-04:00"]),
    ("0,30 1 * * *", ["2026-11-01T01:00:00-04:00", "2026-11-01T01:30:00-04:00"]),
    ("30 1 * * 0", ["2026-11-01T01:30:00-04:00"]),
    ("30 1 1 * 0", ["2026-11-01T01:30:00-04:00"]),          # the OrTrigger form
    ("0 * * * *", ["2026-11-01T00:00:00-04:00", "2026-11-01T01:00:00-04:00",
                   "2026-11-01T01:00:00-05:00", "2026-11-01T02:00:00-05:00"]),
])
def test_the_autumn_night_runs_a_fixed_time_job_once(expr: str, expected: list[str]) -> None:
    assert fires(cron_trigger(expr, timezone=ZONE), AUTUMN) == expected


def test_every_quarter_hour_repeats_with_the_clock() -> None:
    found = fires(cron_trigger("*/15 * * * *", timezone=ZONE), AUTUMN)
    assert len(found) == 19 and found.count("2026-11-01T01:30:00-05:00") == 1


def test_the_spring_night_runs_the_skipped_job_once() -> None:
    assert fires(cron_trigger("30 2 * * *", timezone=ZONE), SPRING) == [
        "2026-03-08T03:30:00-04:00"]


def test_ordinary_days_are_unchanged() -> None:
    found = fires(cron_trigger("30 1 * * *", timezone=ZONE), AUTUMN, hours=24 * 3)
    assert found == ["2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00",
                     "2026-11-03T01:30:00-05:00"]
