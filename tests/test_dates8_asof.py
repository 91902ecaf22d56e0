"""Evidence counts once it has happened, whatever the machine's time zone (QA round
8, dates finding 2): a first coffee booked for tomorrow showed "engaged, 0 days
ago" on a machine at UTC+14 (and later today everywhere), since the default as-of
date was the later of the local and the UTC date and the cutoff the next day."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from reseausync.engagement.asof import today
from reseausync.engagement.status import evidence_cutoff
from tests.conftest import run_cli

CARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Tom Demain\r\nN:Demain;Tom;;;\r\n" \
       "EMAIL:tom.demain@acme.ca\r\nEND:VCARD\r\n"
ZONES = ("UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago", "America/Montreal")


def event(uid: str, start: datetime) -> str:
    """One accepted meeting with Tom, as Google Calendar writes it."""
    return ("BEGIN:VEVENT\r\n"
            f"DTSTART:{start:%Y%m%dT%H%M%SZ}\r\n"
            f"DTEND:{start + timedelta(hours=1):%Y%m%dT%H%M%SZ}\r\n"
            "DTSTAMP:20261120T120000Z\r\nORGANIZER:mailto:marie@example.com\r\n"
            f"UID:{uid}\r\n"
            "ATTENDEE;PARTSTAT=ACCEPTED;CN=Tom Demain:mailto:tom.demain@acme.ca\r\n"
            "ATTENDEE;PARTSTAT=ACCEPTED:mailto:marie@example.com\r\n"
            "STATUS:CONFIRMED\r\nSUMMARY:Premier café\r\nEND:VEVENT\r\n")


def directory(tmp_path: Path, *starts: datetime) -> str:
    """A directory holding Tom and accepted meetings with him at `starts`."""
    (tmp_path / "me.toml").write_text('[me]\nemails = ["marie@example.com"]\n', "utf-8")
    (tmp_path / "tom.vcf").write_text(CARD, "utf-8", newline="")
    events = "".join(event(f"m{n}@google.com", s) for n, s in enumerate(starts))
    (tmp_path / "cal.ics").write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//G//EN\r\n"
                                      f"{events}END:VCALENDAR\r\n", "utf-8", newline="")
    db = str(tmp_path / "d.db")
    done = run_cli("--db", db, "--config", str(tmp_path / "me.toml"), "import",
                   str(tmp_path / "tom.vcf"), str(tmp_path / "cal.ics"))
    assert done.returncode == 0, done.stderr
    return db


def listed(db: str, zone: str, *args: str) -> str:
    out = run_cli("contacts", "--db", db, "--format", "csv", *args, env={"TZ": zone})
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_a_meeting_still_to_come_is_no_engagement_in_any_zone(tmp_path: Path) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    db = directory(tmp_path, now + timedelta(hours=2), now + timedelta(hours=33))
    seen = {zone: listed(db, zone) for zone in ZONES}
    assert len(set(seen.values())) == 1, seen        # Kiritimati counted them
    [tom] = [c for c in json.loads(run_cli("contacts", "--db", db, "--format", "json").stdout)
             if c["display_name"] == "Tom Demain"]
    assert (tom["status"], tom["interaction_count"], tom["last_interaction"]) == (
        "never_engaged", 0, None)
    as_of_today = listed(db, "Pacific/Kiritimati", "--as-of", now.date().isoformat())
    assert as_of_today == seen["UTC"]


def test_a_meeting_that_happened_counts_at_once(tmp_path: Path) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    db = directory(tmp_path, now - timedelta(minutes=5), now + timedelta(hours=2))
    for zone in ("UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago"):
        shown = json.loads(run_cli("contacts", "--db", db, "--format", "json",
                                   env={"TZ": zone}).stdout)
        [tom] = [c for c in shown if c["display_name"] == "Tom Demain"]
        assert (tom["status"], tom["interaction_count"]) == ("engaged", 1), zone


def test_the_cutoff_is_the_end_of_the_day_or_now_whichever_first() -> None:
    now = datetime(2026, 11, 23, 11, 2, 30, 500, tzinfo=UTC)
    assert evidence_cutoff(date(2026, 11, 22), now) == "2026-11-23"      # a past day: all of it
    assert evidence_cutoff(date(2026, 11, 23), now) == "2026-11-23T11:02:31+00:00"
    assert evidence_cutoff(date(2027, 1, 1), now) == "2026-11-23T11:02:31+00:00"
    # what happened this second is in; an all-day value of today is in
    assert "2026-11-23T11:02:30+00:00" < evidence_cutoff(date(2026, 11, 23), now)
    assert "2026-11-23T00:00:00+00:00" < evidence_cutoff(date(2026, 11, 23), now)


def test_the_default_date_is_the_utc_one(monkeypatch) -> None:
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    import time
    time.tzset()
    try:
        assert today() == datetime.now(UTC).date()
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
