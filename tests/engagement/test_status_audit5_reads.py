"""The whole-directory events read (QA5 #1) gives what the contact-by-contact read gave.

The events query used to walk `interaction_links_contact` contact by contact,
fetching each interaction by rowid in random order from the largest table; it now
reads in table order and lets SQLite sort. Nothing a contact's events say may
change: the same rows, in the same order within a contact (the order decides the
row kept among copies of one interaction and the order of events at one instant).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pytest

from reseausync.engagement import annotate, status

from .conftest import Directory

AS_OF = date(2026, 11, 20)
# The query as it stood before QA5 #1: through the contact index, in its order.
OLD_EVENTS_SQL = (status._EVENTS_SQL
                  .replace("+l.contact_id IS NOT NULL", "l.contact_id IS NOT NULL")
                  .replace("ORDER BY +l.contact_id, l.rowid", "ORDER BY l.contact_id"))
KINDS = ("email", "message", "meeting", "call", "invitation", "note")
DIRECTIONS = ("in", "out", "both", "none")


def random_directory(path: Path, seed: int) -> Directory:
    """Contacts sharing emails with interactions of every kind, copies of one mail
    in two sources, several events at one instant, and links stored in an order
    that is neither the interactions' nor the contacts'."""
    rng = random.Random(seed)
    d = Directory(path)
    emails = [f"p{n}@example.org" for n in range(30)]
    for n in range(20):
        d.person(f"c{n:03d}", f"Person {n}", emails=tuple(rng.sample(emails, 2)))
    instants = [(AS_OF - timedelta(days=rng.randrange(900))).isoformat() + "T09:00:00+00:00"
                for _ in range(25)]
    for n in range(250):
        people = [{"email": e} for e in rng.sample(emails, rng.randint(1, 4))]
        if rng.random() < 0.3:
            people.insert(0, {"email": "marie@example.com"})
        kind, at = rng.choice(KINDS), rng.choice(instants)
        thread = rng.choice(["", f"t{rng.randrange(20)}"])
        extra = {"automated": True} if rng.random() < 0.05 else None
        for source in rng.sample(["mail", "gmail"], rng.randint(1, 2)):
            iid = d.interaction(kind, at, rng.choice(DIRECTIONS), *people, thread=thread,
                                extra=extra, source=source)
            d.db.execute("UPDATE interactions SET external_id = ? WHERE id = ?",
                         (f"x{n}", iid))
    d.link()
    rows = d.db.execute("SELECT interaction_id, participant, contact_id, method "
                        "FROM interaction_links").fetchall()
    rng.shuffle(rows)
    d.db.execute("DELETE FROM interaction_links")
    d.db.executemany("INSERT INTO interaction_links VALUES (?, ?, ?, ?)", rows)
    return d


def events_of(d: Directory, ids: list[str] | None) -> list[tuple[str, list[status.Event]]]:
    return list(status.contact_events(d.store, ids, status.cutoff_of(AS_OF)))


@pytest.mark.parametrize("seed", range(6))
def test_the_table_order_read_gives_the_index_order_events(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    d = random_directory(tmp_path / "d.db", seed)
    try:
        whole, some = events_of(d, None), events_of(d, ["c003", "c011", "c017"])
        annotated = annotate(d.store, d.contacts(), AS_OF, d.settings)
        monkeypatch.setattr(status, "_SCAN_ABOVE", 0)      # every contact: the scan
        scanned = annotate(d.store, d.contacts(), AS_OF, d.settings)
        monkeypatch.setattr(status, "_EVENTS_SQL", OLD_EVENTS_SQL)
        assert whole == events_of(d, None)
        assert some == events_of(d, ["c003", "c011", "c017"])
        assert annotated == scanned == annotate(d.store, d.contacts(), AS_OF, d.settings)
        assert sum(len(events) for _, events in whole) > 100
        assert any(event.copies for _, events in whole for event in events)
    finally:
        d.store.close()


def test_the_whole_directory_read_does_not_walk_the_contact_index(tmp_path: Path) -> None:
    """What made it slow: the plan searched interaction_links_contact and fetched
    each interaction in the index's order."""
    d = random_directory(tmp_path / "d.db", 0)
    try:
        plan = d.db.execute("EXPLAIN QUERY PLAN " + status._EVENTS_SQL.format(scope=""),
                            (status.cutoff_of(AS_OF),)).fetchall()
    finally:
        d.store.close()
    assert "interaction_links_contact" not in " ".join(str(step[-1]) for step in plan)
