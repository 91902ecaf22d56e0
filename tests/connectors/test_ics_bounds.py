"""A huge or damaged event costs memory in proportion to what is read of it, and a
reject quotes a bounded part of it (QA round 2, fuzzing #6: a 10 MB garbage line
inside an event took 1.5 GB, and its reject carried the whole line)."""

from __future__ import annotations

import tracemalloc
from datetime import date
from pathlib import Path

import pytest

from reseausync.connector import ReadContext
from reseausync.models import Interaction, Reject
from reseausync_connectors.ics import IcsConnector, blocks, event
from reseausync_connectors.ics.bounds import MAX_VOBJECT_CHARS

ROOT = Path(__file__).resolve().parents[2]
ME = frozenset({"marie@example.com", "marie.example@gmail.com"})


def read(path: Path) -> list[Interaction | Reject]:
    conn = IcsConnector({}, ReadContext(source="t", me_emails=ME, as_of=date(2026, 11, 30)))
    return list(conn.read(list(conn.discover(str(path)))))


def calendar(tmp_path: Path, *middle: str) -> Path:
    """Event a@x holding `middle`, then a good event b@x."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "BEGIN:VEVENT", "DTSTART:20260917T170000Z",
             "UID:a@x", "ORGANIZER:mailto:marie@example.com",
             "ATTENDEE;CN=Kate:mailto:kate@shopify.com", *middle, "END:VEVENT",
             "BEGIN:VEVENT", "DTSTART:20260918T170000Z", "UID:b@x",
             "ORGANIZER:mailto:marie@example.com", "ATTENDEE:mailto:paul@kpmg.ca",
             "END:VEVENT", "END:VCALENDAR"]
    path = tmp_path / "big.ics"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    return path


def outcome(items: list[Interaction | Reject]) -> tuple[list[str], list[tuple[str, str]]]:
    return ([i.thread for i in items if isinstance(i, Interaction)],
            [(r.locator.rsplit("/", 1)[-1], r.reason)    # a reject's locator is the path
             for r in items if isinstance(r, Reject)])


def test_garbage_line_in_a_large_event_is_a_short_reject_in_little_memory(
        tmp_path: Path) -> None:
    path = calendar(tmp_path, "- " * (1 << 20))          # 2 MB, no property
    tracemalloc.start()
    try:
        items = read(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert outcome(items) == (["b@x"], [("big.ics:3", "bad-event")])
    reject = items[0]
    assert isinstance(reject, Reject)
    assert "line 8 is not a property" in reject.message
    assert len(reject.message) < 300 and len(reject.excerpt) <= 200
    assert peak < 40 * 2**20, peak       # vobject alone took ~300 MB for it


def test_vobject_messages_are_clipped(tmp_path: Path) -> None:
    path = calendar(tmp_path, "x" * 100_000)             # under the bound: vobject reads it
    (reject,) = [r for r in read(path) if isinstance(r, Reject)]
    assert reject.reason == "bad-event" and len(reject.message) < 300


def test_event_with_a_large_attachment_is_read(tmp_path: Path) -> None:
    data = "QUJD" * (MAX_VOBJECT_CHARS // 2)               # 512 KiB of base64, folded
    folded = "\r\n ".join(data[i:i + 74] for i in range(0, len(data), 74))
    path = calendar(tmp_path, f"ATTACH;ENCODING=BASE64;VALUE=BINARY:{folded}",
                    "X-ALT-DESC;FMTTYPE=text/html:" + "<p>hi</p>" * 40_000,
                    "BEGIN:VALARM", "ACTION:EMAIL", "ATTENDEE:mailto:alarm@x.ca",
                    "END:VALARM", "SUMMARY:Revue", "  du budget", "RRULE:FREQ=WEEKLY;COUNT=2")
    items = read(path)
    assert outcome(items) == (["a@x", "a@x", "b@x"], [])
    first = items[0]
    assert isinstance(first, Interaction)
    assert first.subject == "Revue du budget"
    assert [(p.name, p.email) for p in first.participants] == [("Kate", "kate@shopify.com")]


def test_an_event_over_the_block_bound_is_one_reject(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(blocks, "MAX_BLOCK_CHARS", 4096)
    path = calendar(tmp_path, *["X-PAD:" + "y" * 70] * 100)
    assert outcome(read(path)) == (["b@x"], [("big.ics:3", "too-large-event")])
    path = calendar(tmp_path, *[""] * 5000)               # blank lines count too
    assert outcome(read(path))[1] == [("big.ics:3", "too-large-event")]


FILES = [ROOT / "samples" / "calendar.ics",
         *sorted((ROOT / "tests" / "fixtures" / "ics").glob("*.ics"))]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_the_properties_kept_for_large_events_are_all_that_is_read(
        path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every event read through `essentials` (as a large one is) gives the same
    interactions as read whole: `READ_PROPERTIES` misses nothing."""
    whole = [i for i in read(path) if isinstance(i, Interaction)]
    monkeypatch.setattr(event, "MAX_VOBJECT_CHARS", 0)
    trimmed = [i for i in read(path) if isinstance(i, Interaction)]
    assert trimmed == whole
