"""`show` prints dates as dates and zone-less times as written (QA round 8, dates
finding 3): converted to the machine's zone, an all-day offsite of 15 September
showed as 2026-09-14T20:00-04:00 in Montréal, a coffee logged on 2 November as
1 November 19:00, and a 5 à 7 logged at 18:00 as 13:00."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from reseausync.report.output import local_time
from reseausync_connectors.interactions.row import written_as
from tests.conftest import run_cli

PEOPLE = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Quinn Allday\r\nN:Allday;Quinn;;;\r\n"
          "EMAIL:quinn.allday@acme.ca\r\nEND:VCARD\r\n")
CALENDAR = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\n"
    "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260915\r\nDTEND;VALUE=DATE:20260916\r\n"
    "UID:offsite@google.com\r\nORGANIZER:mailto:marie@example.com\r\n"
    "ATTENDEE;PARTSTAT=ACCEPTED:mailto:quinn.allday@acme.ca\r\nSUMMARY:Offsite\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\nDTSTART:20261012T150000\r\nDTEND:20261012T160000\r\n"
    "UID:floating@google.com\r\nORGANIZER:mailto:marie@example.com\r\n"
    "ATTENDEE;PARTSTAT=ACCEPTED:mailto:quinn.allday@acme.ca\r\nSUMMARY:Floating\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\nDTSTART:20261020T130000Z\r\nDTEND:20261020T140000Z\r\n"
    "UID:zoned@google.com\r\nORGANIZER:mailto:marie@example.com\r\n"
    "ATTENDEE;PARTSTAT=ACCEPTED:mailto:quinn.allday@acme.ca\r\nSUMMARY:Zoned\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n")
LOG = ("date,who,channel,note\n"
       "2026-11-02,Quinn Allday <quinn.allday@acme.ca>,coffee,café au Olimpico\n"
       "2026-11-05 18:00,Quinn Allday <quinn.allday@acme.ca>,5 à 7,bar\n")


def test_show_prints_dates_and_wall_times_as_written(tmp_path: Path) -> None:
    (tmp_path / "me.toml").write_text('[me]\nemails = ["marie@example.com"]\n', "utf-8")
    (tmp_path / "people.vcf").write_text(PEOPLE, "utf-8", newline="")
    (tmp_path / "cal.ics").write_text(CALENDAR, "utf-8", newline="")
    (tmp_path / "log.csv").write_text(LOG, "utf-8")
    db = ["--db", str(tmp_path / "d.db"), "--config", str(tmp_path / "me.toml")]
    for path, named in (("people.vcf", []), ("cal.ics", []),
                        ("log.csv", ["--connector", "interactions"])):
        done = run_cli(*db, "import", str(tmp_path / path), *named)
        assert done.returncode == 0, done.stderr
    [quinn] = json.loads(run_cli(*db, "contacts", "--format", "json").stdout)
    for zone in ("America/Montreal", "Pacific/Kiritimati"):
        shown = run_cli(*db, "show", quinn["id"], env={"TZ": zone}).stdout
        lines = [line.split()[0] for line in shown.splitlines() if "meeting" in line]
        zoned = "2026-10-20T09:00-04:00" if zone == "America/Montreal" \
            else "2026-10-21T03:00+14:00"
        assert lines == ["2026-09-15", "2026-10-12T15:00", zoned, "2026-11-02",
                         "2026-11-05T18:00"], (zone, shown)
    as_json = json.loads(run_cli(*db, "show", quinn["id"], "--format", "json").stdout)
    items = as_json["engagement"]["interactions"]
    assert [i["occurred_at"] for i in items][:2] == [      # JSON keeps UTC, as stored
        "2026-09-15T00:00:00+00:00", "2026-10-12T15:00:00+00:00"]
    assert [i.get("written_as") for i in items] == ["date", "floating", None, "date",
                                                    "floating"]


def test_local_time_keeps_a_date_and_a_wall_time() -> None:
    assert local_time("2026-09-15T00:00:00+00:00", "date") == "2026-09-15"
    assert local_time("2026-10-12T15:00:00+00:00", "floating") == "2026-10-12T15:00"
    assert local_time("not a time", "date") == "not a time"


days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
clocks = st.times().map(lambda t: t.replace(second=0, microsecond=0))


@given(days)
def test_a_log_date_alone_is_a_date(day: date) -> None:
    assert written_as(day.isoformat()) == "date"
    assert written_as(f"{day.day}/{day.month}/{day.year}") == "date"


@given(days, clocks)
def test_a_log_time_without_zone_is_floating_with_one_an_instant(day: date, clock: time
                                                                  ) -> None:
    moment = datetime.combine(day, clock)
    assert written_as(f"{moment:%Y-%m-%d %H:%M}") == "floating"
    assert written_as(f"{moment:%Y-%m-%d}T{moment:%H:%M}:00-05:00") == ""
    assert written_as(f"{moment:%Y-%m-%dT%H:%M}Z") == ""


@given(st.text(max_size=40))
def test_any_cell_has_a_written_form(text: str) -> None:
    assert written_as(text) in ("", "date", "floating")
