"""Calendars as real servers and clients write them (QA round 4, mail/calendar
findings 4, 8, 10, 12): Apple's `EMAIL=...:urn:uuid:` attendees were not read;
a fold cutting a UTF-8 character gave "C√¥té"; rejects named only the file's base
name; a VTIMEZONE whose TZID escapes its commas was not matched."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from reseausync.connector import ReadContext
from reseausync.models import Interaction
from reseausync_connectors.ics import IcsConnector
from reseausync_connectors.ics.connector import _tzid
from reseausync_connectors.ics.lines import repaired

from .audit4_mailcal import ME, imported

APPLE = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Apple Inc.//macOS 15.1//EN\r
BEGIN:VEVENT\r
UID:5A1C6E9F-0C3B-4B8E-9E57-3A8F1D3C2B10\r
DTSTART;TZID=America/Toronto:20261117T113000\r
DTSTAMP:20261101T181220Z\r
SUMMARY:Lunch planning\r
ORGANIZER;CN="Marie Example";EMAIL=marie.example@gmail.com:urn:uuid:C3B38B00-41\r
 66-11DD-B22C-A07C87E02F6A\r
ATTENDEE;CN="Marie Example";CUTYPE=INDIVIDUAL;EMAIL=marie.example@gmail.com;PA\r
 RTSTAT=ACCEPTED:urn:uuid:C3B38B00-4166-11DD-B22C-A07C87E02F6A\r
ATTENDEE;CN="Luc G.";CUTYPE=INDIVIDUAL;EMAIL=luc.gagnon@example.net;PARTSTAT=A\r
 CCEPTED:urn:uuid:4DB528DC-3E60-44FA-9546-2A00FCDCFFAB\r
ATTENDEE;CN="Carole";CUTYPE=INDIVIDUAL;EMAIL=carole.roy@example.org;PARTSTAT=D\r
 ECLINED:urn:uuid:A592CF8B-4FC8-4E4F-B543-B2F29A7EEB0B\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:someone-else\r
DTSTART:20261118T150000Z\r
SUMMARY:Not Marie's\r
ORGANIZER;CN=Sophie;EMAIL=sophie.tremblay@example.com:/principals/users/sophie/\r
ATTENDEE;CN=Bob;EMAIL=bob.martin@acme.ca;PARTSTAT=ACCEPTED:/principals/users/bob/\r
END:VEVENT\r
END:VCALENDAR\r
"""
NAME = "xxFrédérique Bélanger-Séguin Lévêque-Côté"
CUT = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART:20261119T170000Z\r\n"
       b"UID:cut-utf8@google.com\r\nORGANIZER;CN=Marie Example:mailto:marie.example@gmail.com\r\n"
       ) + (f"ATTENDEE;PARTSTAT=ACCEPTED;CN={NAME}:mailto:frederique@example.org"
                     ).encode()
OUTLOOK_ZONE = """BEGIN:VCALENDAR\r
VERSION:2.0\r
BEGIN:VTIMEZONE\r
TZID:(UTC+01:00) Amsterdam\\, Berlin\\, Bern\\, Rome\\, Stockholm\\, Vienna\r
BEGIN:STANDARD\r
DTSTART:16011028T030000\r
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r
TZOFFSETFROM:+0200\r
TZOFFSETTO:+0100\r
END:STANDARD\r
BEGIN:DAYLIGHT\r
DTSTART:16010325T020000\r
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r
TZOFFSETFROM:+0100\r
TZOFFSETTO:+0200\r
END:DAYLIGHT\r
END:VTIMEZONE\r
BEGIN:VEVENT\r
UID:berlin\r
ATTENDEE;CN=bob.martin@acme.ca;RSVP=TRUE:MAILTO:Bob.Martin@ACME.ca\r
DTSTART;TZID="(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna":20261116T090000\r
ORGANIZER;CN="Marie Example":mailto:marie.example@gmail.com\r
SUMMARY:Berlin call\r
END:VEVENT\r
END:VCALENDAR\r
"""
BROKEN = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART:2026111\r\n"
          "ORGANIZER:mailto:marie.example@gmail.com\r\nATTENDEE:mailto:x@example.com\r\n"
          "UID:bad-1\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


def fold_octets(line: bytes, width: int = 75) -> bytes:
    """RFC 5545 folding done wrong: every `width` octets, whatever they cut."""
    pieces = [line[:width]] + [line[i:i + width - 1] for i in range(width, len(line), width - 1)]
    return b"\r\n ".join(pieces) + b"\r\n"


def read(path: Path) -> list:
    conn = IcsConnector({}, ReadContext(source="t", me_emails=frozenset({ME}),
                                        as_of=date(2026, 11, 22)))
    return list(conn.read(list(conn.discover(str(path)))))


def test_apple_attendees_are_read_by_their_email_parameter(tmp_path: Path) -> None:
    (tmp_path / "apple.ics").write_text(APPLE, encoding="utf-8", newline="")
    seen = imported(tmp_path, tmp_path / "apple.ics")
    assert seen.status["Luc Gagnon"] == "engaged"            # accepted, linked by email
    assert seen.status["Carole Roy"] == "never_engaged"      # declined
    # the owner is recognised: not listed as unknown, and the event she is not on
    # (someone else's, on a shared calendar) is skipped
    assert seen.unknown == []
    assert seen.status["Bob Martin"] == "never_engaged"


def test_a_fold_cutting_a_character_keeps_the_name(tmp_path: Path) -> None:
    cut = CUT.replace(b"ATTENDEE", b"\r\nATTENDEE").split(b"\r\n")
    body = b"\r\n".join(cut[:-1]) + b"\r\n" + fold_octets(cut[-1])
    assert b"\xc3\r\n \xb4" in body       # the fold falls inside the "ô"
    (tmp_path / "cut.ics").write_bytes(body + b"END:VEVENT\r\nEND:VCALENDAR\r\n")
    seen = imported(tmp_path, tmp_path / "cut.ics")
    assert [u["name"] for u in seen.unknown] == [NAME]


def test_a_cp1252_calendar_is_still_read_as_cp1252(tmp_path: Path) -> None:
    text = CUT.decode().replace(NAME, "Hélène Côté") + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    (tmp_path / "old.ics").write_bytes(text.encode("cp1252"))
    [meeting] = [i for i in read(tmp_path / "old.ics") if isinstance(i, Interaction)]
    assert meeting.participants[0].name == "Hélène Côté"


def test_rejects_name_the_file_by_its_path(tmp_path: Path) -> None:
    for folder in ("work", "perso"):
        (tmp_path / "cal" / folder).mkdir(parents=True)
        (tmp_path / "cal" / folder / "calendar.ics").write_text(BROKEN, newline="")
    seen = imported(tmp_path, tmp_path / "cal")
    assert sorted(r["location"] for r in seen.rejects) == [
        f"{tmp_path / 'cal' / 'perso' / 'calendar.ics'}:3",
        f"{tmp_path / 'cal' / 'work' / 'calendar.ics'}:3"]


def test_an_escaped_tzid_names_its_vtimezone(tmp_path: Path) -> None:
    (tmp_path / "outlook.ics").write_text(OUTLOOK_ZONE, newline="")
    [meeting] = [i for i in read(tmp_path / "outlook.ics") if isinstance(i, Interaction)]
    assert meeting.occurred_at.isoformat() == "2026-11-16T08:00:00+00:00"
    assert meeting.extra == {}


@given(st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=40))
def test_a_tzid_reads_back_as_written(name: str) -> None:
    escaped = re.sub(r"([\\,;])", r"\\\1", name.strip())
    line = f"TZID:{escaped}"
    folded = [line[:20]] + [" " + line[i:i + 20] for i in range(20, len(line), 20)]
    assert _tzid(folded) == name.strip()


@given(st.text(min_size=1, max_size=80).filter(lambda t: "\r" not in t and "\n" not in t),
       st.integers(min_value=8, max_value=75))
def test_a_fold_anywhere_gives_back_the_text(value: str, width: int) -> None:
    line = ("SUMMARY:" + value).encode("utf-8", "surrogatepass")
    if not line.decode("utf-8", "replace") == "SUMMARY:" + value:
        return        # a lone surrogate has no UTF-8 form
    out = b"".join(repaired(io.BytesIO(fold_octets(line, width))))
    physical = out.split(b"\r\n")[:-1]
    for piece in physical:
        piece.decode("utf-8")                 # every physical line is whole UTF-8
    assert b"".join([physical[0]] + [p[1:] for p in physical[1:]]) == line


@given(st.binary(max_size=300))
def test_repair_only_moves_bytes_across_folds(data: bytes) -> None:
    out = b"".join(repaired(io.BytesIO(data)))
    assert len(out) == len(data)
    unfold = re.compile(rb"\r?\n[ \t]")
    assert unfold.sub(b"", out) == unfold.sub(b"", data)
