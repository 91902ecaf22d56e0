"""Damaged structure lines in a calendar: an event whose BEGIN:VEVENT, END:VEVENT or
whose calendar's BEGIN:VCALENDAR was damaged is a reject at its line, never an
event gone in silence (QA round 2, fuzzing #4)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reseausync.connector import ReadContext
from reseausync.models import Interaction, Reject
from reseausync_connectors.ics import IcsConnector

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "ics"
ME = frozenset({"marie@example.com"})


def read(path: Path) -> list[Interaction | Reject]:
    conn = IcsConnector({}, ReadContext(source="t", me_emails=ME, as_of=date(2026, 11, 30)))
    return list(conn.read(list(conn.discover(str(path)))))


def event(uid: str, day: int, who: str, *, begin: str = "BEGIN:VEVENT",
          end: str = "END:VEVENT", extra: tuple[str, ...] = ()) -> list[str]:
    return [begin, f"DTSTART:202609{day:02d}T170000Z", f"UID:{uid}",
            "ORGANIZER:mailto:marie@example.com", f"ATTENDEE:mailto:{who}",
            *extra, end]


def calendar(tmp_path: Path, *lines: str, head: str = "BEGIN:VCALENDAR") -> Path:
    path = tmp_path / "cal.ics"
    path.write_bytes(("\r\n".join([head, "VERSION:2.0", *lines, "END:VCALENDAR"]) + "\r\n")
                     .encode("utf-8", "surrogatepass"))
    return path


def summary(items: list[Interaction | Reject]) -> tuple[list[str], list[tuple[str, str]]]:
    uids = sorted({i.thread for i in items if isinstance(i, Interaction)})
    # a reject names the file by its path (two calendar.ics apart): its name is enough here
    return uids, [(r.locator.rsplit("/", 1)[-1], r.reason) for r in items if isinstance(r, Reject)]


def test_damaged_begin_vevent_is_a_reject_at_its_line() -> None:
    items = read(FIXTURES / "damaged_begin.ics")
    assert summary(items) == (["a@x", "c@x"], [("damaged_begin.ics:10", "garbage")])
    reject = next(i for i in items if isinstance(i, Reject))
    assert "lines 10-16" in reject.message and reject.excerpt.startswith("BEGXN:VEVENT")


def test_a_nul_in_the_begin_of_a_recurring_series_is_a_reject(tmp_path: Path) -> None:
    path = calendar(tmp_path, *event("weekly@x", 1, "paul@kpmg.ca", begin="BEGI\x00N:VEVENT",
                                     extra=("RRULE:FREQ=WEEKLY",)),
                    *event("b@x", 2, "kate@shopify.com"))
    assert summary(read(path)) == (["b@x"], [("cal.ics:3", "garbage")])


def test_two_damaged_events_in_a_row_are_two_rejects(tmp_path: Path) -> None:
    path = calendar(tmp_path, *event("a@x", 1, "a@a.ca", begin="BEGIN:VEVXNT"),
                    *event("b@x", 2, "b@b.ca", begin="BEGIN:"),
                    *event("c@x", 3, "c@c.ca"))
    assert summary(read(path)) == (["c@x"], [("cal.ics:3", "garbage"), ("cal.ics:9", "garbage")])


def test_damaged_end_vevent_rejects_that_event_and_reads_the_next(tmp_path: Path) -> None:
    path = calendar(tmp_path, *event("a@x", 1, "a@a.ca", end="END:VEVXNT"),
                    *event("b@x", 2, "b@b.ca"))
    assert summary(read(path)) == (["b@x"], [("cal.ics:3", "unterminated-event")])


def test_a_damaged_begin_vcalendar_keeps_its_events(tmp_path: Path) -> None:
    path = calendar(tmp_path, *event("a@x", 1, "a@a.ca"), head="BEGXN:VCALENDAR")
    assert summary(read(path)) == (["a@x"], [("cal.ics:1", "garbage")])


def test_event_properties_outside_any_event_are_a_reject(tmp_path: Path) -> None:
    path = calendar(tmp_path, "ATTENDEE:mailto:lost@x.ca", *event("a@x", 1, "a@a.ca"))
    path.write_bytes(path.read_bytes() + b"DTSTART:20260901T170000Z\r\n")
    assert summary(read(path)) == (["a@x"], [("cal.ics:3", "garbage"), ("cal.ics:11", "garbage")])


def test_calendar_properties_and_components_not_read_are_no_reject(tmp_path: Path) -> None:
    path = calendar(
        tmp_path, "PRODID:-//Google Inc//Google Calendar 70.9054//EN", "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH", "X-WR-CALNAME:Marie", " continued", "X-WR-TIMEZONE:America/Toronto",
        "", "BEGIN:VTODO", "UID:t@x", "SUMMARY:a todo", "BEGIN:VALARM", "ACTION:DISPLAY",
        "END:VALARM", "END:VTODO", "BEGIN:X-THING", "FOO:bar", "END:X-THING",
        *event("a@x", 1, "a@a.ca", extra=("BEGIN:VALARM", "TRIGGER:-PT10M", "END:VALARM")))
    assert summary(read(path)) == (["a@x"], [])


# --- hypothesis: whatever happens to one event's BEGIN line, it is read or rejected ----

EVENTS = 3
SPAN = len(event("u", 1, "x@y.ca"))
FIRST = 3                                   # line of the first BEGIN:VEVENT


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(victim=st.integers(0, EVENTS - 1), which=st.sampled_from(["begin", "end"]),
       cut=st.integers(0, 11), junk=st.text(max_size=3))
def test_every_event_is_read_or_rejected_within_its_lines(
        tmp_path: Path, victim: int, which: str, cut: int, junk: str) -> None:
    lines: list[str] = []
    for n in range(EVENTS):
        marker = "BEGIN:VEVENT" if which == "begin" else "END:VEVENT"
        damaged = marker[:cut] + junk + marker[cut + 1:] if n == victim else marker
        lines += event(f"e{n}@x", n + 1, f"p{n}@x.ca",
                       **({which: damaged.replace("\r", "").replace("\n", "")}))
    items = read(calendar(tmp_path, *lines))
    uids, found = summary(items)
    for n in range(EVENTS):
        begin = FIRST + n * SPAN
        rejected = [loc for loc, _ in found if begin <= int(loc.rsplit(":", 1)[1]) < begin + SPAN]
        assert f"e{n}@x" in uids or rejected, (n, uids, found)
