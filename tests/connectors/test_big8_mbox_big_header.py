"""A mail with a huge header (a mass mailing's 70,000-address Cc, 2 MB) is read,
not rejected as "not a mail header" (QA8 big files #6)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from reseausync import api
from reseausync.connector import ReadContext
from reseausync.models import Interaction, Reject
from reseausync_connectors.mbox import MboxConnector
from reseausync_connectors.mbox.split import MAX_HEADER_BYTES


def _mail(n: int, cc: str = "") -> str:
    return (f"From {n}@xxx Tue Nov 19 10:00:00 +0000 2024\n"
            f"From: Sender {n} <sender{n}@example.com>\nTo: marie@example.com\n"
            + (f"Cc: {cc}\n" if cc else "")
            + f"Date: Tue, 19 Nov 2024 10:0{n}:00 +0000\nMessage-ID: <m{n}@example.com>\n"
            f"Subject: mail {n}\n\nbody\n\n")


def test_a_two_megabyte_cc_is_read(tmp_path: Path) -> None:
    cc = ",\n ".join(f"Person {i} <person{i}@example.org>" for i in range(60_000))
    assert len(cc) > 2_000_000
    box = tmp_path / "All mail.mbox"
    box.write_text(_mail(1) + _mail(2, cc) + _mail(3))
    db = str(tmp_path / "d.db")
    [result] = api.import_paths([str(box)], db=db, region="CA")
    assert (result.counts["interactions"], result.counts["rejected"]) == (3, 0)
    con = sqlite3.connect(db)
    try:
        [(participants,)] = con.execute(
            "SELECT participants FROM interactions WHERE external_id='m2@example.com'")
    finally:
        con.close()
    assert "sender2@example.com" in participants and "person59999@example.org" in participants


def test_a_header_past_the_cap_is_a_reject_that_says_so(tmp_path: Path) -> None:
    box = tmp_path / "odd.mbox"
    junk = "X-Junk: " + "x" * (MAX_HEADER_BYTES + 10)
    box.write_text(_mail(1) + _mail(2).replace("Subject:", f"{junk}\nSubject:") + _mail(3))
    conn = MboxConnector({}, ReadContext(source="t", me_emails=frozenset({"marie@example.com"})))
    items = list(conn.read(list(conn.discover(str(box)))))
    assert len([i for i in items if isinstance(i, Interaction)]) == 2
    [reject] = [i for i in items if isinstance(i, Reject)]
    assert reject.message == "message 2: header block over 16 MiB, message skipped"
