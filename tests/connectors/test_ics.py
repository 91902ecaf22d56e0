"""The ics connector: the shared contract, one fixture per real-world oddity, and
hypothesis on the splitter and on recurrence expansion."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reseausync.connector import ReadContext
from reseausync.models import Interaction, Reject
from reseausync_connectors.ics import IcsConnector
from reseausync_connectors.ics.recurrence import (
    MAX_OCCURRENCES,
    RecurrenceError,
    as_of_limit,
    expand,
)
from reseausync_connectors.ics.when import When

from .contract import ConnectorContract

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "ics"
ME = frozenset({"marie@example.com", "marie.example@gmail.com"})
AS_OF = date(2026, 11, 30)


def read(path: Path, as_of=AS_OF) -> list:
    conn = IcsConnector({}, ReadContext(source="test", me_emails=ME, as_of=as_of))
    return list(conn.read(list(conn.discover(str(path)))))


def interactions(path: Path, as_of=AS_OF) -> list[Interaction]:
    return [i for i in read(path, as_of) if isinstance(i, Interaction)]


def rejects(path: Path, as_of=AS_OF) -> list[Reject]:
    return [i for i in read(path, as_of) if isinstance(i, Reject)]


class TestIcsContract(ConnectorContract):
    connector_cls = IcsConnector
    good_target = ROOT / "samples" / "calendar.ics"
    broken_target = FIXTURES / "broken_event.ics"
    expected_records = 0
    # JF 2026-10-02, Thomas 2026-11-05, Fred 2023-06, and the standup: Tuesdays
    # 2026-09-08 .. 2026-11-24 (12) minus the EXDATE of 2026-10-13 = 11.
    expected_interactions = 14
    after_bad_external_id = "after-bad@test#20260305T150000Z"
    context = ReadContext(source="test", me_emails=ME, as_of=AS_OF)


def test_sample_people_and_times() -> None:
    items = interactions(ROOT / "samples" / "calendar.ics")
    by_subject: dict[str, list[Interaction]] = {}
    for item in items:
        by_subject.setdefault(item.subject, []).append(item)
    jf = by_subject["Suivi Acme, offre 2027"][0]
    # 10:00 in Montréal (EDT, -4) is 14:00 UTC; the room and Marie are not people.
    assert jf.occurred_at == datetime(2026, 10, 2, 14, 0, tzinfo=UTC)
    assert [(p.name, p.email) for p in jf.participants] == [
        ("Tremblay, Jean-François", "jf.tremblay@acme.ca")]
    assert jf.kind == "meeting" and jf.direction == "both"
    assert jf.locator == "calendar.ics:25" and jf.thread == "3k9f2jf-acme-suivi@google.com"
    standups = by_subject["Standup hebdo"]
    assert len(standups) == 11
    # 09:30 local stays 09:30 across the end of daylight saving (Nov 1st).
    assert {s.occurred_at.hour for s in standups if s.occurred_at.month < 11} == {13}
    assert {s.occurred_at.hour for s in standups if s.occurred_at.month == 11} == {14}
    assert date(2026, 10, 13) not in {s.occurred_at.date() for s in standups}
    assert "Café avec Kate" not in by_subject          # cancelled
    assert "Dentiste" not in by_subject                # the owner's own appointment


def test_as_of_bounds_recurrence_but_not_single_events() -> None:
    items = interactions(ROOT / "samples" / "calendar.ics", as_of=date(2026, 9, 20))
    standups = [i for i in items if i.subject == "Standup hebdo"]
    assert [s.occurred_at.day for s in standups] == [8, 15]
    assert any(i.subject == "Revue de l'API" for i in items)   # 2026-11-05 kept


def test_as_of_datetime_is_inclusive() -> None:
    limit = datetime(2026, 9, 15, 13, 30, tzinfo=UTC)
    items = interactions(ROOT / "samples" / "calendar.ics", as_of=limit)
    standups = [i.occurred_at for i in items if i.subject == "Standup hebdo"]
    assert standups[-1] == limit


def test_broken_events_are_rejected_at_their_line() -> None:
    found = {r.locator.removeprefix(f"{FIXTURES}/"): r.reason     # rejects: the path
             for r in rejects(FIXTURES / "broken_event.ics")}
    assert found == {"broken_event.ics:10": "bad-event", "broken_event.ics:16": "bad-date",
                     "broken_event.ics:21": "no-start"}
    ids = [i.external_id for i in interactions(FIXTURES / "broken_event.ics")]
    assert ids == ["good-before@test#20260301T150000Z", "after-bad@test#20260305T150000Z"]


def test_unterminated_event_does_not_swallow_the_next() -> None:
    items = read(FIXTURES / "unterminated.ics")
    assert [(type(i).__name__, i.locator) for i in items] == [
        ("Reject", f"{FIXTURES / 'unterminated.ics'}:3"), ("Interaction", "unterminated.ics:7")]
    assert items[0].reason == "unterminated-event"


def test_count_and_exdate() -> None:
    items = interactions(FIXTURES / "recurring_exdate_count.ics")
    assert [i.occurred_at.date() for i in items] == [
        date(2026, 10, 6), date(2026, 10, 13), date(2026, 10, 27), date(2026, 11, 10)]
    assert items[0].subject == "Six standups, two skipped"
    assert all(i.extra.get("recurring") for i in items)


def test_recurrence_id_overrides_replace_and_cancel_occurrences() -> None:
    items = interactions(FIXTURES / "recurring_override.ics")
    got = sorted((i.external_id, i.occurred_at, i.subject) for i in items)
    assert got == [
        ("moved@test#20260908T133000Z", datetime(2026, 9, 8, 13, 30, tzinfo=UTC), "Standup"),
        ("moved@test#20260915T133000Z", datetime(2026, 9, 16, 18, 0, tzinfo=UTC),
         "Standup moved to Wednesday"),
        ("moved@test#20260929T133000Z", datetime(2026, 9, 29, 13, 30, tzinfo=UTC), "Standup"),
    ]


def test_all_day_floating_and_unknown_zones_are_utc_and_flagged() -> None:
    items = {i.subject: i for i in interactions(FIXTURES / "all_day_and_floating.ics")}
    assert items["Tournoi"].occurred_at == datetime(2026, 7, 4, tzinfo=UTC)
    assert items["Tournoi"].external_id == "all-day@test#20260704"
    assert items["Tournoi"].extra == {"all_day": True}
    assert items["Floating time"].occurred_at == datetime(2026, 7, 5, 18, tzinfo=UTC)
    assert items["Floating time"].extra == {"floating": True}
    unknown = items["Nobody knows this zone"]
    assert unknown.extra["unknown_tzid"] == "Mars/Olympus_Mons"
    assert unknown.occurred_at == datetime(2026, 7, 6, 18, tzinfo=UTC)


def test_windows_mozilla_and_file_defined_zones() -> None:
    items = {i.external_id.split("#")[0]: i for i in interactions(FIXTURES / "outlook_zones.ics")}
    outlook = items["040000008200E00074C5B7101A82E0080000000outlook1"]
    assert outlook.occurred_at == datetime(2026, 1, 15, 15, tzinfo=UTC)     # EST, -5
    assert outlook.participants[0].name == "O'Brien, Kate"
    assert items["mozilla-zone@test"].occurred_at == datetime(2026, 7, 15, 14, tzinfo=UTC)
    custom = items["custom-zone@test"]
    assert custom.occurred_at == datetime(2026, 1, 15, 15, tzinfo=UTC)
    assert "unknown_tzid" not in custom.extra


def test_participants_exclude_owner_declined_rooms_and_duplicates() -> None:
    items = interactions(FIXTURES / "participants.ics")
    assert [i.subject for i in items] == ["Demo Nimbus"]
    people = [(p.name, p.email) for p in items[0].participants]
    assert people == [("Chen, Robert", "bob@nimbuslabs.io"), ("", "alex.dubois@elementai.com")]


def test_endless_rules_are_bounded_and_sub_daily_rules_rejected() -> None:
    items = read(FIXTURES / "endless_daily.ics")
    daily = [i for i in items if isinstance(i, Interaction) and i.subject == "Daily forever"]
    assert len(daily) == MAX_OCCURRENCES
    assert daily[-1].occurred_at == datetime(2026, 11, 30, 14, tzinfo=UTC)   # the latest kept
    assert all(i.extra.get("truncated") for i in daily)
    assert [(r.locator, r.reason) for r in items if isinstance(r, Reject)] == [
        (f"{FIXTURES / 'endless_daily.ics'}:10", "unsupported-recurrence")]
    # A rule whose filters match no day still has its DTSTART, and ends quickly.
    [impossible] = [i for i in items if isinstance(i, Interaction) and i not in daily]
    assert impossible.occurred_at == datetime(1900, 1, 1, 14, tzinfo=UTC)


def test_vcard_saved_as_ics_is_not_a_calendar() -> None:
    assert not IcsConnector.can_open(str(FIXTURES / "vcard_named_ics.ics"))
    assert [r.reason for r in rejects(FIXTURES / "vcard_named_ics.ics")] == ["not-a-calendar"]


def test_cp1252_crlf_and_folded_lines() -> None:
    [item] = interactions(FIXTURES / "cp1252_crlf_folded.ics")
    assert item.subject == "Réunion Bombardier"
    assert [(p.name, p.email) for p in item.participants] == [
        ("Fred Lavoie", "fred.lavoie@bombardier.com")]


def test_can_open_folder_and_refuses_other_files() -> None:
    assert IcsConnector.can_open(str(FIXTURES))
    assert not IcsConnector.can_open(str(ROOT / "samples" / "interactions.csv"))
    assert not IcsConnector.can_open(str(FIXTURES / "no-such-file.ics"))


def test_as_of_limit_rules() -> None:
    assert as_of_limit(date(2026, 1, 2)) == datetime(2026, 1, 2, 23, 59, 59, 999999, tzinfo=UTC)
    assert as_of_limit(datetime(2026, 1, 2, 8)) == datetime(2026, 1, 2, 8, tzinfo=UTC)
    assert as_of_limit("2026-01-02") == as_of_limit(date(2026, 1, 2))
    assert as_of_limit(None) >= datetime.now(UTC) - timedelta(seconds=5)


# --- hypothesis ------------------------------------------------------------------

FIXTURE_OK = [HealthCheck.function_scoped_fixture]
_LINES = st.sampled_from([
    "BEGIN:VCALENDAR", "END:VCALENDAR", "BEGIN:VEVENT", "END:VEVENT", "BEGIN:VALARM",
    "END:VALARM", "BEGIN:VTIMEZONE", "END:VTIMEZONE", "TZID:Eastern Standard Time",
    "DTSTART:20260101T100000Z", "DTSTART;VALUE=DATE:20260102", "DTSTART;TZID=X/Y:2026",
    "RRULE:FREQ=WEEKLY;COUNT=3", "RRULE:FREQ=DAILY;INTERVAL=0", "RRULE:FREQ=YEARLY;BYDAY=XX",
    "EXDATE:20260108T100000Z", "RECURRENCE-ID:20260108T100000Z", "UID:u1",
    "ATTENDEE;CN=\"A, B\":mailto:a@b.c", "ORGANIZER:mailto:marie@example.com",
    "STATUS:CANCELLED", " folded", "no colon here", "",
])


@settings(max_examples=60, deadline=None, suppress_health_check=FIXTURE_OK)
@given(lines=st.lists(st.one_of(_LINES, st.text(max_size=40)), max_size=30))
def test_never_raises_on_arbitrary_text(tmp_path: Path, lines: list[str]) -> None:
    path = tmp_path / "fuzz.ics"
    path.write_text("\r\n".join(lines), encoding="utf-8", errors="surrogatepass")
    for item in read(path):
        assert isinstance(item, Interaction | Reject)
        if isinstance(item, Interaction):
            assert item.occurred_at.tzinfo is not None


@settings(max_examples=40, deadline=None, suppress_health_check=FIXTURE_OK)
@given(data=st.binary(max_size=2000))
def test_never_raises_on_arbitrary_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.ics"
    path.write_bytes(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n" + data)
    assert all(isinstance(i, Interaction | Reject) for i in read(path))


_RULES = st.builds(
    lambda freq, interval, end, byday: ";".join(
        p for p in (f"FREQ={freq}", f"INTERVAL={interval}", end, byday) if p),
    st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]),
    st.integers(1, 5),
    st.one_of(st.just(""), st.integers(1, 2000).map(lambda n: f"COUNT={n}"),
              st.dates(date(1990, 1, 1), date(2040, 1, 1)).map(
                  lambda d: f"UNTIL={d:%Y%m%d}T000000Z")),
    st.sampled_from(["", "BYDAY=MO,WE", "BYMONTHDAY=1,15", "BYMONTH=2;BYMONTHDAY=29",
                     "BYMONTH=2;BYMONTHDAY=30"]),
)


@settings(max_examples=80, deadline=None)
@given(start=st.datetimes(datetime(1980, 1, 1), datetime(2035, 1, 1)).map(
           lambda d: d.replace(microsecond=0)),
       rule=_RULES,
       as_of=st.datetimes(datetime(1985, 1, 1), datetime(2040, 1, 1)),
       exdays=st.lists(st.integers(0, 3000), max_size=5))
def test_expansion_is_bounded_and_stops_at_as_of(start, rule, as_of, exdays) -> None:
    when = When(start.replace(tzinfo=UTC))
    exdates = [When(when.local + timedelta(days=d)) for d in exdays]
    limit = as_of_limit(as_of)
    try:
        expansion = expand(when, [rule], [], exdates, limit)
    except RecurrenceError:
        return
    assert len(expansion.starts) <= MAX_OCCURRENCES
    assert all(s <= limit for s in expansion.starts)
    assert expansion.starts == sorted(set(expansion.starts))
    assert not {e.utc for e in exdates} & set(expansion.starts)
    if when.utc <= limit and when.utc not in {e.utc for e in exdates} \
            and not expansion.truncated:
        assert expansion.starts[0] == when.utc      # DTSTART is the first occurrence
