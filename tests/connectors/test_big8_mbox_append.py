"""A mailbox that only grew is read from where the last read ended (QA8 big files
#4: one message appended to a 500 MB mailbox read the whole file again, 27 s).
Real mbox files, a real directory: what the resumed read stores is what a whole
read of the grown file stores; a file changed otherwise is read whole."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reseausync import api
from reseausync.connector import ReadContext
from reseausync_connectors.mbox import MboxConnector
from reseausync_connectors.mbox.split import messages


def _message(n: int, newline: str = "\n") -> str:
    lines = [f"From {n}@xxx Tue Nov 19 10:00:00 +0000 2024",
             f"From: Person {n} <p{n % 7}@example.com>", "To: Marie <marie@example.com>",
             f"Subject: note {n}", f"Date: Tue, 19 Nov 2024 10:{n % 60:02d}:00 +0000",
             f"Message-ID: <m{n}@example.com>", "", f"Body of {n}.",
             "From 10:30 to 12:00 I'm free.", ""]
    return newline.join(lines) + newline


def _live(db: str) -> set[tuple[str, str]]:
    con = sqlite3.connect(db)
    try:
        return set(con.execute("SELECT external_id, locator FROM interactions "
                               "WHERE removed_at IS NULL").fetchall())
    finally:
        con.close()


def _import(path: Path, db: str) -> dict[str, int]:
    return api.import_paths([str(path)], db=db, region="CA")[0].counts


def test_appended_messages_are_read_from_the_old_end(tmp_path: Path) -> None:
    box = tmp_path / "Inbox.mbox"
    box.write_text("".join(_message(n) for n in range(1, 41)))
    db = str(tmp_path / "d.db")
    assert _import(box, db)["interactions"] == 40
    with box.open("a") as handle:
        handle.write(_message(41, "\r\n") + _message(42))
    again = _import(box, db)
    # the last message read before, then the two new ones: not the 40 again
    assert (again["interactions"], again["interactions_new"]) == (3, 2)
    assert again.get("interactions_removed", 0) == 0
    whole = str(tmp_path / "whole.db")
    _import(box, whole)
    assert _live(db) == _live(whole) and len(_live(db)) == 42


def test_a_message_cut_at_the_old_end_is_read_whole_after_growth(tmp_path: Path) -> None:
    """The writer was still writing the last message: it is read again."""
    box = tmp_path / "Inbox.mbox"
    text = "".join(_message(n) for n in range(1, 6))
    cut = text.index("Subject: note 5")
    box.write_text(text[:cut])
    db = str(tmp_path / "d.db")
    _import(box, db)
    with box.open("a") as handle:
        handle.write(text[cut:] + _message(6))
    _import(box, db)
    whole = str(tmp_path / "whole.db")
    _import(box, whole)
    assert _live(db) == _live(whole) and len(_live(db)) == 6


def test_a_mailbox_changed_otherwise_is_read_whole(tmp_path: Path) -> None:
    """Its first message deleted (and a new one appended): read whole, the deleted
    message removed. Compacted (shorter): read whole too."""
    box = tmp_path / "Inbox.mbox"
    box.write_text("".join(_message(n) for n in range(1, 21)))
    db = str(tmp_path / "d.db")
    _import(box, db)
    box.write_text("".join(_message(n) for n in range(2, 23)))
    grown = _import(box, db)
    assert grown["interactions"] == 21 and grown["interactions_removed"] == 1
    box.write_text("".join(_message(n) for n in range(2, 16)))
    shrunk = _import(box, db)
    assert shrunk["interactions"] == 14 and shrunk["interactions_removed"] == 7


def test_growth_twice_and_an_unchanged_run_between(tmp_path: Path) -> None:
    box = tmp_path / "Inbox.mbox"
    box.write_text("".join(_message(n) for n in range(1, 11)))
    db = str(tmp_path / "d.db")
    _import(box, db)
    for first in (11, 13):
        with box.open("a") as handle:
            handle.write(_message(first) + _message(first + 1))
        assert _import(box, db)["interactions"] == 3
        assert _import(box, db).get("interactions", 0) == 0     # unchanged: not read
    assert len(_live(db)) == 14


@settings(max_examples=40, deadline=None)
@given(count=st.integers(1, 12), cut=st.integers(0, 11),
       crlf=st.lists(st.booleans(), min_size=12, max_size=12))
def test_a_split_resumed_at_a_message_gives_what_a_whole_split_gives(
        count: int, cut: int, crlf: list[bool]) -> None:
    """Numbers, lines and offsets of the messages after the resume point are those
    of a split of the whole file."""
    data = "".join(_message(n, "\r\n" if crlf[n] else "\n") for n in range(count)).encode()
    import io
    whole = list(messages(io.BytesIO(data)))
    at = whole[min(cut, len(whole) - 1)]
    resumed = list(messages(io.BytesIO(data[at.offset:]), offset=at.offset,
                            number=at.number - 1, lines=at.line - 1))
    assert resumed == whole[at.number - 1:]


def test_the_cursor_is_the_connectors_only_state(tmp_path: Path) -> None:
    """A connector given the cursor a read left reads only the appended part."""
    box = tmp_path / "Sent.mbox"
    box.write_text("".join(_message(n) for n in range(1, 4)))
    first = MboxConnector({}, ReadContext(source="mail"))
    list(first.read(list(first.discover(str(box)))))
    with box.open("a") as handle:
        handle.write(_message(4))
    second = MboxConnector({}, ReadContext(source="mail"))
    second.cursor = first.cursor
    read = list(second.read(list(second.discover(str(box)))))
    assert [i.locator for i in read] == ["Sent.mbox#3", "Sent.mbox#4"]
