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
from .directory import encode_contact


def relocate(db: sqlite3.Connection, run: int, moved: dict[int, str]) -> int:
    """Point the contacts of `moved` (record id -> its new `resolve._seen` digest,
    differing from the matched one only in the locator) at where their
    records are now, and store the new digests; returns the contacts updated.

    A moved record is live, so its contact is: each contact's text is read once,
    patched and written back, with no other lookup (200,000 moved records of a
    LinkedIn re-import are 200,000 contacts)."""
    moves: dict[str, dict[tuple[str, str], str]] = {}
    for batch in chunks(sorted(moved)):
        for source, external_id, locator, cid in db.execute(
                "SELECT r.source, r.external_id, r.locator, cr.contact_id FROM records r "
                "JOIN contact_records cr ON cr.record_id = r.id "
                f"WHERE r.id IN ({marks(batch)})", batch):
            moves.setdefault(cid, {})[(source, external_id)] = locator
    updated = 0
    for batch in chunks(sorted(moves)):
        updates = []     # a batch at a time: 200,000 contact texts at once are 100 MiB
        for cid, text in db.execute(
                f"SELECT id, data FROM contacts WHERE id IN ({marks(batch)})", batch
                ).fetchall():
            data = jsonfast.loads(text)
            if _patch(data.get("sources", []), moves[cid]):
                updates.append((encode_contact(data), run, cid))
        db.executemany("UPDATE contacts SET data=?, updated_run=? WHERE id=?", updates)
        updated += len(updates)
    db.executemany("UPDATE match_records SET content_hash=? WHERE record_id=?",
                   ((digest, rid) for rid, digest in moved.items()))
    return updated


def _patch(sources: list[dict], where: dict[tuple[str, str], str]) -> bool:
    """Set the locators of `sources` entries named in `where`; whether one changed."""
    changed = False
    for entry in sources:
        locator = where.get((entry.get("source"), entry.get("external_id")))
        if locator is not None and entry.get("locator") != locator:
            entry["locator"] = locator
            changed = True
    return changed
