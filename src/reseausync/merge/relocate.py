"""Records that only moved: same content, another line (or file) of their source.

A contact lists where each of its records was read (`sources[].locator`), so a
record that moved must reach its contact; but its fields, and so every score,
block and cluster, are what they were. LinkedIn writes the newest connections
first: next month's export shifts every line of Connections.csv, and matching
200,000 unchanged records again to learn that would cost a full rebuild. Here
the contact's text is rewritten in place instead, exactly as a regroup would
write it (the sources are ordered by source and external id, not by locator),
which tests/merge/test_incremental.py checks against a rebuild.
"""

from __future__ import annotations

import sqlite3

from .. import jsonfast
from ..match.persist import chunks, marks
from .directory import encode_contact, write_contact_texts


def only_moved(matched: str, current: str) -> bool:
    """Whether two digests of `resolve._seen` differ in nothing but the locator:
    "content hash|locator|connector|photo|collected" (only the locator may hold
    a "|")."""
    return (matched.split("|", 1)[0] == current.split("|", 1)[0]
            and matched.rsplit("|", 3)[1:] == current.rsplit("|", 3)[1:])


def relocate(db: sqlite3.Connection, run: int, moved: dict[int, str]) -> int:
    """Point the contacts of `moved` (record id -> its new digest) at where their
    records are now, and store the new digests; returns the contacts updated."""
    where: dict[int, tuple[str, str, str]] = {}
    contact_of: dict[int, str] = {}
    for batch in chunks(sorted(moved)):
        for rid, source, external_id, locator in db.execute(
                f"SELECT id, source, external_id, locator FROM records WHERE id IN "
                f"({marks(batch)})", batch):
            where[rid] = (source, external_id, locator)
        for rid, cid in db.execute(
                f"SELECT record_id, contact_id FROM contact_records WHERE record_id IN "
                f"({marks(batch)})", batch):
            contact_of[rid] = cid
    moves: dict[str, dict[tuple[str, str], str]] = {}
    for rid, cid in contact_of.items():
        source, external_id, locator = where[rid]
        moves.setdefault(cid, {})[(source, external_id)] = locator
    texts = []
    for batch in chunks(sorted(moves)):
        for cid, text in db.execute(
                f"SELECT id, data FROM contacts WHERE id IN ({marks(batch)})", batch):
            data = jsonfast.loads(text)
            for entry in data.get("sources", []):
                locator = moves[cid].get((entry.get("source"), entry.get("external_id")))
                if locator is not None:
                    entry["locator"] = locator
            texts.append((cid, encode_contact(data)))
    _, updated = write_contact_texts(db, run, texts)
    db.executemany("UPDATE match_records SET content_hash=? WHERE record_id=?",
                   [(digest, rid) for rid, digest in moved.items()])
    return updated
