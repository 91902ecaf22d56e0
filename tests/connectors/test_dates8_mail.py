"""Mail dates (QA round 8, dates findings 1, 6 and 7): a sender's clock years fast
hid their mail until then and made the owner's reply "you wrote, no answer"; zone
names RFC 5322 does not list (CEST) and 12-hour times lost their zone silently; an
.eml without Date was rejected although its Received: header dates it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from reseausync.connector import ReadContext
from reseausync.models import Interaction, Reject
from reseausync_connectors.mbox import MboxConnector
from reseausync_connectors.mbox.dates import NAMED_ZONES
from reseausync_connectors.mbox.message import parse_date, read_date

from .audit4_mailcal import ME, imported, interactions

# The QA's in/future/takeout.mbox, with the owner's address of these tests.
FAST_CLOCK = (
    "From 1781234567890123456@xxx Mon Nov 16 14:00:05 +0000 2026\n"
    "X-GM-THRID: 1781234567890123456\nX-Gmail-Labels: Inbox,Important\n"
    "Received: by 2002:a05:6a10:1234 with SMTP id abc; Mon, 16 Nov 2026 06:00:05 -0800 (PST)\n"
    "From: Luc Gagnon <luc.gagnon@example.net>\nTo: " + ME + "\nSubject: Projet\n"
    "Date: Sat, 16 Nov 2030 14:00:00 +0000\nMessage-ID: <o1@acme.ca>\n\nBonjour.\n\n"
    "From 1781234567890123457@xxx Mon Nov 16 15:00:05 +0000 2026\n"
    "X-GM-THRID: 1781234567890123456\nX-Gmail-Labels: Sent\n"
    "From: Marie <" + ME + ">\nTo: Luc Gagnon <luc.gagnon@example.net>\n"
    "Subject: Re: Projet\nDate: Mon, 16 Nov 2026 10:00:00 -0500\n"
    "Message-ID: <o2@example.com>\nIn-Reply-To: <o1@acme.ca>\nReferences: <o1@acme.ca>\n"
    "\nBonjour.\n")
# The QA's in/eml/nodate.eml
NO_DATE = (b"Received: from mx.acme.ca (mx.acme.ca [192.0.2.1])\n"
           b"\tby mx.example.com with ESMTPS id abc\n"
           b"\tfor <marie@example.com>; Tue, 10 Nov 2026 09:12:44 -0500\n"
           b"From: Pat Received <pat.rcv@acme.ca>\nTo: marie@example.com\n"
           b"Subject: sans date\nMessage-ID: <p1@acme.ca>\n\nBonjour\n")


def read(path: Path) -> list:
    conn = MboxConnector({}, ReadContext(source="t", me_emails=frozenset({ME})))
    return list(conn.read(list(conn.discover(str(path)))))


def one(path: Path, date: str, envelope: str = "Tue Nov 10 14:00:00 +0000 2026") -> Interaction:
    """The interaction of one mail with this Date header (and From_ line date)."""
    path.write_text(f"From luc@example.net {envelope}\nFrom: luc.gagnon@example.net\n"
                    f"To: {ME}\nDate: {date}\nMessage-ID: <m@x.ca>\n\nx\n", encoding="utf-8")
    found = read(path)
    assert len(found) == 1 and isinstance(found[0], Interaction), found
    return found[0]


def test_a_sender_clock_years_fast_is_dated_by_its_delivery(tmp_path: Path) -> None:
    (tmp_path / "takeout.mbox").write_text(FAST_CLOCK, encoding="utf-8")
    seen = imported(tmp_path, tmp_path / "takeout.mbox")
    assert seen.status["Luc Gagnon"] == "engaged"       # was never_engaged
    shown = interactions(tmp_path, "Luc Gagnon")
    assert [(i["occurred_at"], i["direction"]) for i in shown] == [
        ("2026-11-16T14:00:05+00:00", "in"), ("2026-11-16T15:00:00+00:00", "out")]
    mail = next(i for i in read(tmp_path / "takeout.mbox") if i.external_id == "o1@acme.ca")
    assert mail.extra["date_from"] == "mbox From_ line"
    assert "1460 day(s) after the mail's delivery" in mail.extra["date_problem"]


def test_a_date_a_few_hours_ahead_is_kept(tmp_path: Path) -> None:
    """Within a day of the delivery: the sender's Date, as written, no note."""
    mail = one(tmp_path / "a.mbox", "Tue, 10 Nov 2026 20:00:00 +0000")
    assert mail.occurred_at == datetime(2026, 11, 10, 20, tzinfo=UTC)
    assert mail.extra == {}


def test_a_date_before_its_delivery_is_kept(tmp_path: Path) -> None:
    """A mailbox refiled later (Thunderbird stamps the refiling time): the Date."""
    mail = one(tmp_path / "a.mbox", "Tue, 10 Nov 2015 09:00:00 -0500")
    assert mail.occurred_at == datetime(2015, 11, 10, 14, tzinfo=UTC)
    assert "date_problem" not in mail.extra


def test_a_year_typo_and_an_unset_clock_take_the_delivery_date(tmp_path: Path) -> None:
    for date in ("Tue, 10 Nov 1026 09:00:00 -0500", "Thu, 01 Jan 1970 00:00:00 +0000"):
        mail = one(tmp_path / "a.mbox", date)
        assert mail.occurred_at == datetime(2026, 11, 10, 14, tzinfo=UTC), date
        assert "before 1980" in mail.extra["date_problem"]


def test_an_eml_without_date_is_dated_by_its_received_header(tmp_path: Path) -> None:
    (tmp_path / "nodate.eml").write_bytes(NO_DATE)
    [mail] = read(tmp_path / "nodate.eml")
    assert isinstance(mail, Interaction), mail          # was a no-date reject
    assert mail.occurred_at == datetime(2026, 11, 10, 14, 12, 44, tzinfo=UTC)
    assert mail.extra == {"date_from": "Received: header",
                          "date_problem": "message has no Date header"}


def test_an_eml_with_a_fast_clock_is_dated_by_its_received_header(tmp_path: Path) -> None:
    (tmp_path / "m.eml").write_bytes(NO_DATE.replace(
        b"Subject:", b"Date: Sat, 16 Nov 2030 14:00:00 +0000\nSubject:"))
    [mail] = read(tmp_path / "m.eml")
    assert mail.occurred_at == datetime(2026, 11, 10, 14, 12, 44, tzinfo=UTC)
    assert mail.extra["date_from"] == "Received: header"


def test_an_eml_with_neither_date_nor_received_is_a_located_reject(tmp_path: Path) -> None:
    (tmp_path / "m.eml").write_bytes(b"Message-ID: <x@y.ca>\nFrom: a@b.ca\nTo: c@d.ca\n\nx\n")
    [reject] = read(tmp_path / "m.eml")
    assert isinstance(reject, Reject) and reject.reason == "no-date"
    assert reject.locator.endswith("m.eml:1")


def test_named_zones_and_12_hour_times_keep_their_offset() -> None:
    assert parse_date("Tue, 10 Nov 2026 9:00:00 AM -0500") == datetime(2026, 11, 10, 14, tzinfo=UTC)
    assert parse_date("Tue, 10 Nov 2026 9:00:00 PM -0500") == datetime(2026, 11, 11, 2, tzinfo=UTC)
    assert parse_date("Tue, 10 Nov 2026 12:30:00 AM +0000") == datetime(2026, 11, 10, 0, 30,
                                                                        tzinfo=UTC)
    assert parse_date("Tue, 10 Nov 2026 09:00:00 CEST") == datetime(2026, 11, 10, 7, tzinfo=UTC)
    assert parse_date("Sat, 28 Feb 2026 23:50:00 CET") == datetime(2026, 2, 28, 22, 50,
                                                                   tzinfo=UTC)
    assert parse_date("Tue, 10 Nov 2026 09:00:00 IST") == datetime(2026, 11, 10, 3, 30,
                                                                   tzinfo=UTC)


def test_an_unknown_or_missing_zone_is_noted_never_silent(tmp_path: Path) -> None:
    mail = one(tmp_path / "a.mbox", "Tue, 10 Nov 2026 09:00:00 PST8PDT")
    assert mail.occurred_at == datetime(2026, 11, 10, 9, tzinfo=UTC)
    assert mail.extra["date_problem"] == "zone 'PST8PDT' in Date unknown, read as UTC"
    assert mail.extra["floating"] is True
    mail = one(tmp_path / "b.mbox", "Tue Nov 10 09:00:00 2026")
    assert mail.extra["date_problem"] == "no time zone in Date, read as UTC"
    assert read_date("Tue, 10 Nov 2026 09:00:00 -0000")[1] == ""    # "no zone said": RFC


def test_a_zoneless_from_line_marks_the_time_floating(tmp_path: Path) -> None:
    path = tmp_path / "a.mbox"
    path.write_text(f"From - Tue Nov 10 09:00:00 2026\nFrom: luc.gagnon@example.net\n"
                    f"To: {ME}\nMessage-ID: <m@x.ca>\n\nx\n", encoding="utf-8")
    [mail] = read(path)
    assert mail.extra == {"date_from": "mbox From_ line", "floating": True,
                          "date_problem": "message has no Date header"}


zones = st.sampled_from(sorted(NAMED_ZONES))
moments = st.datetimes(min_value=datetime(1980, 1, 2), max_value=datetime(2090, 12, 31))


@given(moments.map(lambda m: m.replace(microsecond=0)), zones)
def test_every_named_zone_is_its_offset(moment: datetime, name: str) -> None:
    offset = NAMED_ZONES[name]
    zone = timezone((-1 if offset[0] == "-" else 1)
                    * timedelta(hours=int(offset[1:3]), minutes=int(offset[3:])))
    written = format_datetime(moment.replace(tzinfo=zone))[:-5] + name
    assert read_date(written) == (moment.replace(tzinfo=zone).astimezone(UTC), "")


@given(moments.map(lambda m: m.replace(second=0, microsecond=0)))
def test_a_12_hour_time_is_the_24_hour_one(moment: datetime) -> None:
    hour = moment.hour % 12 or 12
    written = (f"{moment:%a, %d %b %Y} {hour}:{moment:%M:%S} "
               f"{'PM' if moment.hour >= 12 else 'AM'} -0500")
    assert parse_date(written) == (moment + timedelta(hours=5)).replace(tzinfo=UTC)
