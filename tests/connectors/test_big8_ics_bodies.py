"""A calendar's event descriptions never reach vobject (QA8 big files #3: two-thirds
of a 50,000-event import was vobject unescaping 1-8 KB Teams descriptions that are
never stored): the interactions are the same with or without them."""

from __future__ import annotations

from pathlib import Path

import vobject
from hypothesis import given, settings
from hypothesis import strategies as st

from reseausync.connector import ReadContext
from reseausync.models import Interaction
from reseausync_connectors.ics import event as event_module
from reseausync_connectors.ics.connector import IcsConnector

ME = frozenset({"marie@example.com"})


def _fold(line: str) -> str:
    return "\r\n ".join(line[i:i + 70] for i in range(0, len(line), 70)) or line


def _calendar(body_lines: list[str], uid: bool = True) -> str:
    event = ["BEGIN:VEVENT", *(["UID:ev1@example.com"] if uid else []),
             "DTSTART:20240105T150000Z", "DTEND:20240105T160000Z",
             "SUMMARY:Budget\\, DESCRIPTION: review", "ORGANIZER:mailto:marie@example.com",
             "ATTENDEE;PARTSTAT=ACCEPTED:mailto:bob@example.com", *body_lines,
             "ATTENDEE;PARTSTAT=ACCEPTED:mailto:carol@example.com", "END:VEVENT"]
    return "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", *event, "END:VCALENDAR"]) + "\r\n"


def _read(path: Path, text: str) -> list[Interaction]:
    path.write_bytes(text.encode("utf-8"))
    conn = IcsConnector({}, ReadContext(source="cal", me_emails=ME))
    return [i for i in conn.read(list(conn.discover(str(path))))
            if isinstance(i, Interaction)]


def _shape(items: list[Interaction]) -> list[tuple]:
    return [(i.external_id, i.occurred_at, i.direction, i.subject,
             [p.email for p in i.participants]) for i in items]


def test_vobject_never_sees_descriptions_or_attachments(tmp_path: Path, monkeypatch) -> None:
    given_texts: list[str] = []
    real = vobject.readOne

    def spy(text: str, *args, **kwargs):
        given_texts.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(event_module.vobject, "readOne", spy)
    body = ["DESCRIPTION:" + _fold("Join on your computer\\, mobile app or room device " * 60),
            "X-ALT-DESC;FMTTYPE=text/html:" + _fold("<html><body>" + "<p>x</p>" * 300),
            "ATTACH;FMTTYPE=application/pdf;ENCODING=BASE64;VALUE=BINARY:" + _fold("QUJD" * 500)]
    found = _read(tmp_path / "cal.ics", _calendar(body))
    assert _shape(found) == _shape(_read(tmp_path / "plain.ics", _calendar([])))
    assert given_texts and not any("Join on your" in t or "<html>" in t or "QUJD" in t
                                   for t in given_texts)
    assert found[0].subject == "Budget, DESCRIPTION: review"


@settings(max_examples=40, deadline=None)
@given(text=st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=300),
       name=st.sampled_from(["DESCRIPTION", "description", "X-ALT-DESC;FMTTYPE=text/html",
                             "COMMENT;LANGUAGE=fr"]))
def test_any_description_leaves_the_interactions_as_they_were(tmp_path_factory, text: str,
                                                               name: str) -> None:
    folder = tmp_path_factory.mktemp("ics")
    escaped = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    with_body = _read(folder / "a.ics", _calendar([f"{name}:" + _fold(escaped)]))
    assert _shape(with_body) == _shape(_read(folder / "b.ics", _calendar([])))


def test_an_event_without_uid_keeps_its_digest_of_the_whole_text(tmp_path: Path) -> None:
    """Its id is a digest of its text, descriptions included, as before: two events
    differing only by description stay two."""
    one = _read(tmp_path / "a.ics", _calendar(["DESCRIPTION:first"], uid=False))
    two = _read(tmp_path / "b.ics", _calendar(["DESCRIPTION:second"], uid=False))
    assert one[0].external_id.startswith("sha256:")
    assert one[0].external_id != two[0].external_id
