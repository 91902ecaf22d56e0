"""A run's summary says how many of its interactions are new.

A mailbox or a messages export is read whole when one message is added, so the
count of interactions read says nothing about what changed: the README listed it
as a gap ("N interactions" after an upgrade listed every message again)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli

MESSAGE = """From {sender} Sat Dec  6 01:05:00 2025
Message-ID: <{mid}@mail.example.org>
Date: Fri, {day} Dec 2025 20:05:00 -0500
From: Elise Gagnon <{sender}>
To: Marie Example <marie@example.org>
Subject: Re: souper
Content-Type: text/plain; charset="UTF-8"

Merci.

"""


def _message(n: int) -> str:
    return MESSAGE.format(sender="elise@example.org", mid=f"m{n}", day=n)


def _import(db: Path, folder: Path) -> str:
    done = run_cli("import", str(folder), "--db", str(db))
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_mailbox_with_one_more_message_says_one_new(tmp_path: Path) -> None:
    box = tmp_path / "mail" / "marie.mbox"
    box.parent.mkdir()
    box.write_text(_message(1) + _message(2), encoding="utf-8")
    db = tmp_path / "dir.db"

    first = _import(db, box.parent)
    assert "2 interactions\n" in first       # all new: nothing to tell apart

    box.write_text(_message(1) + _message(2) + _message(3), encoding="utf-8")
    again = _import(db, box.parent)
    # only grown: read from its last message on (QA8 big files #4), not whole
    assert "2 interactions (1 new)" in again

    box.write_text(_message(1) + _message(3), encoding="utf-8")
    fewer = _import(db, box.parent)
    assert "2 interactions (0 new, 1 removed)" in fewer
