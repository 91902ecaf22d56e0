"""Mail dates (QA round 4, engagement finding 7): a mail with no Date header, or
an ISO or French one, was rejected although its mbox From_ line carries a usable
date (the owner's reply lost, the contact left never_engaged); "GMT-0500" was
read as UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from reseausync.connector import ReadContext
from reseausync.models import Reject
from reseausync_connectors.mbox import MboxConnector
from reseausync_connectors.mbox.message import parse_date
from reseausync_connectors.mbox.split import envelope_date

from .audit4_mailcal import ME, imported, interactions

# The QA's in/odd-dates.mbox, Frank's ten messages, as the Date header forms.
DATES = ["2026-11-10T09:00:00-05:00", "Tue, 10 Nov 2026 09:00:00 +0000 (GMT+00:00)",
         "Tue Nov 10 09:00:00 2026", "10 Nov 2026 09:00 EST", "Tue, 10 Nov 2026 9:00:00 -0500",
         "Thu, 01 Jan 1970 00:00:00 +0000", None, "Tue, 10 Nov 2026 09:00:00 GMT-0500",
         "mar., 10 nov. 2026 09:00:00 -0500",
         "Tue, 10 Nov 2026 09:00:00 -0500 (Eastern Standard Time)"]


def odd_dates() -> bytes:
    out = []
    for n, date in enumerate(DATES):
        out.append(f"From 17800000000000010{n:02d}@xxx Tue Nov 10 14:00:00 +0000 2026\n"
                   f"Message-ID: <odd-{n}@kpmg.ca>\n"
                   + (f"Date: {date}\n" if date else "")
                   + "From: Luc Gagnon <luc.gagnon@example.net>\n"
                   f"To: {ME}\nSubject: test {n}\n\nBody.\n\n")
    return "".join(out).encode()


def read(path: Path) -> list:
    conn = MboxConnector({}, ReadContext(source="t", me_emails=frozenset({ME})))
    return list(conn.read(list(conn.discover(str(path)))))


def test_odd_dates_are_read_and_none_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "odd.mbox").write_bytes(odd_dates())
    items = read(tmp_path / "odd.mbox")
    assert [i for i in items if isinstance(i, Reject)] == []
    when = {i.external_id: i.occurred_at.isoformat() for i in items}
    for n in (0, 3, 4, 7, 8, 9):            # 09:00 in Montréal
        assert when[f"odd-{n}@kpmg.ca"] == "2026-11-10T14:00:00+00:00", n
    assert when["odd-6@kpmg.ca"] == "2026-11-10T14:00:00+00:00"   # its From_ line's
    dated = next(i for i in items if i.external_id == "odd-6@kpmg.ca")
    assert dated.extra["date_from"] == "mbox From_ line"
    assert dated.extra["date_problem"] == "message has no Date header"


def test_an_owner_reply_without_date_engages(tmp_path: Path) -> None:
    """A script's or a client's reply written without a Date header."""
    box = tmp_path / "box.mbox"
    box.write_bytes(
        b"From luc Thu Nov 12 14:00:00 2026\nMessage-ID: <luc-1@example.net>\n"
        b"Date: Thu, 12 Nov 2026 09:00:00 -0500\nFrom: Luc Gagnon <luc.gagnon@example.net>\n"
        b"To: " + ME.encode() + b"\nSubject: cafe?\n\n?\n\n"
        b"From marie Fri Nov 13 14:00:00 2026\nMessage-ID: <marie-2@gmail.com>\n"
        b"From: Marie <" + ME.encode() + b">\nTo: luc.gagnon@example.net\n"
        b"Subject: Re: cafe?\nIn-Reply-To: <luc-1@example.net>\n\noui\n")
    seen = imported(tmp_path, box)
    assert seen.rejects == []
    assert seen.status["Luc Gagnon"] == "engaged"
    assert [i["occurred_at"] for i in interactions(tmp_path, "Luc Gagnon")] == [
        "2026-11-12T14:00:00+00:00", "2026-11-13T14:00:00+00:00"]


def test_an_eml_without_date_is_still_a_reject(tmp_path: Path) -> None:
    """No From_ line, no date: nothing to place the mail in time."""
    (tmp_path / "m.eml").write_bytes(b"Message-ID: <x@y.ca>\nFrom: a@b.ca\nTo: c@d.ca\n\nx\n")
    assert [i.reason for i in read(tmp_path / "m.eml")] == ["no-date"]


moments = st.datetimes(min_value=datetime(1980, 1, 1), max_value=datetime(2090, 12, 31),
                       timezones=st.sampled_from([UTC, *(timezone(timedelta(minutes=m))
                                                         for m in (-300, -210, 60, 330, 840))]))
FR_DAYS = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."]
FR_MONTHS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.",
             "oct.", "nov.", "déc."]


def _zone(moment: datetime) -> str:
    offset = int(moment.utcoffset().total_seconds() // 60)
    sign = "-" if offset < 0 else "+"
    return f"{sign}{abs(offset) // 60:02d}{abs(offset) % 60:02d}"


@given(moments.map(lambda m: m.replace(microsecond=0)))
def test_every_written_form_gives_the_same_instant(moment: datetime) -> None:
    utc = moment.astimezone(UTC)
    assert parse_date(format_datetime(moment)) == utc
    assert parse_date(moment.isoformat()) == utc
    gmt = moment.strftime("%a, %d %b %Y %H:%M:%S") + " GMT" + _zone(moment)
    assert parse_date(gmt) == utc
    french = (f"{FR_DAYS[moment.weekday()]}, {moment.day} {FR_MONTHS[moment.month - 1]} "
              f"{moment.year} {moment:%H:%M:%S} {_zone(moment)}")
    assert parse_date(french) == utc


@given(moments.map(lambda m: m.replace(microsecond=0, tzinfo=None)))
def test_a_from_line_date_is_read_as_written(moment: datetime) -> None:
    line = f"From bob@x.ca {moment:%a %b} {moment.day:2d} {moment:%H:%M:%S %Y}".encode()
    assert parse_date(envelope_date(line)) == moment.replace(tzinfo=UTC)
    takeout = f"From 1849@xxx {moment:%a %b %d %H:%M:%S} +0000 {moment:%Y}".encode()
    assert parse_date(envelope_date(takeout)) == moment.replace(tzinfo=UTC)


@given(st.text(max_size=60))
def test_any_text_is_a_date_or_none(text: str) -> None:
    found = parse_date(text)
    assert found is None or found.tzinfo is UTC
