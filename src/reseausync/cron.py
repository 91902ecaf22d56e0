"""A source's `schedule = "..."`: a standard crontab expression, as APScheduler 3 triggers.

Why not `CronTrigger.from_crontab` alone (APScheduler issues 286, 455, 495):
- APScheduler 3 numbers weekdays from 0 = Monday and refuses 7, where crontab
  (`man 5 crontab`) counts 0 and 7 = Sunday, 1 = Monday: `"0 9 * * 1-5"` ran
  Tuesday to Saturday. It cannot change that in 3.x; its weekday *names* are
  right, so the weekday field is translated into names (`mon,tue,...`).
- APScheduler ANDs the day-of-month and day-of-week fields; cron ORs them when
  both are restricted (`"0 9 1 * mon"`: the 1st of each month *and* every
  Monday). Following Vixie cron, a field that starts with `*` counts as
  unrestricted (then the other field alone decides); two restricted fields
  become an `OrTrigger` of two CronTriggers.
- On the autumn night the clock goes back, APScheduler fires a job set at a
  fixed time in the repeated hour twice (`"30 1 * * *"`: 01:30 EDT, then 01:30
  EST); Vixie cron runs such a job once, in the first pass, and repeats only the
  jobs whose minute or hour field is a wildcard (`"0 * * * *"`, `"*/15 * * * *"`).
  So does `OncePerWallTime`, around a trigger with a fixed minute and hour
  (QA8 dates #8). The spring-forward night runs the skipped hour's jobs once,
  when the clock reaches them (03:30 for 02:30), as APScheduler does.
The minute, hour, day-of-month and month fields mean the same in both and are
passed through as they are.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import UTC, datetime, timedelta

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.combining import OrTrigger
from apscheduler.triggers.cron import CronTrigger

CRON_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")   # crontab: 0 = Sunday
APS_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")    # APScheduler: Monday first
_PART = re.compile(r"^(?P<range>\*|[0-9a-z]+(?:-[0-9a-z]+)?)(?:/(?P<step>\d+))?$")
LEAP_YEAR = 2028    # a year with a 29 February, to ask which (month, day) ever exist


def cron_trigger(expr: str, timezone: object = None) -> BaseTrigger:
    """The trigger firing when crontab would run `expr`; ValueError naming what is wrong."""
    fields = expr.split()
    if len(fields) != 5:
        raise ValueError("write 5 fields (minute hour day month weekday), e.g. '0 */6 * * *'")
    minute, hour, day, month, weekday = fields
    days = weekday_names(weekday)
    common = {"minute": minute, "hour": hour, "month": month, "timezone": timezone}
    trigger: BaseTrigger
    if day.startswith("*") or weekday.startswith("*"):
        trigger = CronTrigger(day=day, day_of_week=days, **common)
    else:
        trigger = OrTrigger([CronTrigger(day=day, day_of_week="*", **common),
                             CronTrigger(day="*", day_of_week=days, **common)])
    if minute.startswith("*") or hour.startswith("*"):
        return trigger      # a wildcard job runs in the repeated hour too, as in cron
    return OncePerWallTime(trigger)


class OncePerWallTime(BaseTrigger):
    """`inner`, without the fires in the second pass of an hour the clock repeats
    (the autumn DST change): a job set at a fixed wall time runs once that night,
    as cron runs it."""

    def __init__(self, inner: BaseTrigger) -> None:
        self.inner = inner

    def get_next_fire_time(self, previous_fire_time: datetime | None,
                           now: datetime) -> datetime | None:
        fire = self.inner.get_next_fire_time(previous_fire_time, now)
        while fire is not None and repeated_wall_time(fire):
            fire = self.inner.get_next_fire_time(
                None, fire.astimezone(UTC) + timedelta(microseconds=1))
        return fire

    def __str__(self) -> str:
        return str(self.inner)


def repeated_wall_time(moment: datetime) -> bool:
    """True when `moment` is the second time its wall-clock time happens that
    night: the clock went back over it (01:30 EST after 01:30 EDT)."""
    if not moment.fold:
        return False
    return moment.replace(fold=0).utcoffset() != moment.utcoffset()


def weekday_names(field: str) -> str:
    """Crontab's weekday field as APScheduler day names: `1-5` -> `mon,tue,wed,thu,fri`.

    Accepts what crontab accepts: `*`, numbers 0-7 (0 and 7 are Sunday), names
    `sun`..`sat`, ranges, lists and steps (`*/2`, `1-5/2`)."""
    if field == "*":
        return "*"
    days: set[int] = set()
    for part in field.lower().split(","):
        days |= _weekday_part(part)
    return ",".join(name for name in APS_DAYS if CRON_DAYS.index(name) in days)


def _weekday_part(part: str) -> set[int]:
    """The crontab weekdays (0 = Sunday) one comma-separated part names."""
    match = _PART.match(part)
    if match is None:
        raise ValueError(f"weekday {part!r}: use 0-7 (0 and 7 are Sunday) or sun-sat, "
                         "with ranges (1-5), lists (1,3) and steps (*/2)")
    step = int(match["step"] or 1)
    if step < 1:
        raise ValueError(f"weekday {part!r}: the step must be 1 or more")
    text = match["range"]
    if text == "*":
        first, last = 0, 7
    elif "-" in text:
        low, high = text.split("-")
        first, last = _weekday(low), _weekday(high, high=True)
        if first > last:
            raise ValueError(f"weekday range {part!r} goes backwards: write it from the "
                             "earlier day to the later (Sunday is 0 or 7)")
    else:
        first = _weekday(text)
        last = 7 if match["step"] else first      # `1/2`: from Monday to the week's end
    return {day % 7 for day in range(first, last + 1, step)}


def _weekday(text: str, high: bool = False) -> int:
    """A weekday number or name, 0-7; `sun` ending a range is 7 (`fri-sun`)."""
    if text.isdigit():
        value = int(text)
        if value > 7:
            raise ValueError(f"weekday {text}: use 0-7 (0 and 7 are Sunday)")
        return value
    if text not in CRON_DAYS:
        raise ValueError(f"weekday {text!r}: use 0-7 or sun, mon, tue, wed, thu, fri, sat")
    value = CRON_DAYS.index(text)
    return 7 if high and value == 0 else value


def never_fires(expr: str) -> bool:
    """Whether `expr` (already valid) names no date at all, like 31 February.

    Asked of the day and month fields alone over a leap year, twelve cheap
    questions: APScheduler itself only finds out by searching up to the year
    9999, which takes a second and returns None ("next run None" for ever). A
    restricted weekday field ORed with the day field always fires."""
    _minute, _hour, day, month, weekday = expr.split()
    if not day.startswith("*") and not weekday.startswith("*"):
        return False
    probe = CronTrigger(day=day, month=month, timezone="UTC")
    day_field, month_field = (next(f for f in probe.fields if f.name == name)
                              for name in ("day", "month"))
    for number in range(1, 13):
        first = datetime(LEAP_YEAR, number, 1)
        if month_field.get_next_value(first) != number:
            continue
        found = day_field.get_next_value(first)
        if found is not None and found <= monthrange(LEAP_YEAR, number)[1]:
            return False
    return True
