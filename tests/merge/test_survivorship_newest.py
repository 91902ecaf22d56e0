"""Survivorship's "newest" rule for records whose source gives no date (vCard, CSV,
CardDAV): such a record is as new as the directory first saw it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from reseausync import api
from reseausync.merge.survivorship import Member, canonical


def jean(rid: int, title: str, collected_at: str | None, first_seen: str) -> Member:
    return Member(rid, "s", "vcard", f"x{rid}", f"f.vcf:{rid}", {
        "given_name": "Jean", "family_name": "Dupont", "title": title,
        "emails": [{"value": "jd@acme.com"}]}, "", collected_at, first_seen)


def title_of(*members: Member) -> str:
    return canonical(list(members), {}, "CA")["title"]


def test_an_undated_record_seen_later_wins_the_tie() -> None:
    old = jean(1, "Analyst", None, "2026-01-05T10:00:00+00:00")
    new = jean(2, "Director", None, "2026-11-22T17:03:19+00:00")
    assert title_of(old, new) == title_of(new, old) == "Director"


def test_dated_and_undated_records_are_compared_by_their_dates() -> None:
    # undated records used to rank ahead of every dated one, whatever their ages
    seen = jean(1, "Analyst", None, "2026-01-05T10:00:00+00:00")
    dated = jean(2, "Director", "2026-06-01", "2026-11-22T17:03:19+00:00")
    assert title_of(seen, dated) == "Director"
    older = jean(3, "Intern", "2019-03-01", "2026-11-22T17:03:19+00:00")
    assert title_of(seen, older) == "Analyst"


def test_same_date_falls_to_the_oldest_record() -> None:
    a = jean(5, "Analyst", None, "2026-01-05T10:00:00+00:00")
    b = jean(9, "Director", None, "2026-01-05T10:00:00+00:00")
    assert title_of(b, a) == "Analyst"


def test_the_card_imported_later_gives_the_title(tmp_path: Path) -> None:
    card = ("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:Jean Dupont\r\nN:Dupont;Jean;;;\r\n"
            "EMAIL:jd@acme.com\r\nORG:Acme\r\nTITLE:{title}\r\nEND:VCARD\r\n")
    (tmp_path / "old.vcf").write_bytes(card.format(uid="old", title="Analyst").encode())
    (tmp_path / "new.vcf").write_bytes(card.format(uid="new", title="Director").encode())
    db = str(tmp_path / "d.db")
    api.import_paths([str(tmp_path / "old.vcf")], db=db, source="phone", region="CA")
    with sqlite3.connect(db) as con:     # seen months ago, not a second ago
        con.execute("UPDATE records SET first_seen='2026-01-05T10:00:00+00:00'")
    api.import_paths([str(tmp_path / "new.vcf")], db=db, source="tablet", region="CA")
    (contact,) = api.contacts(db)
    assert contact["title"] == "Director"
