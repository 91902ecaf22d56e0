"""Writing the canonical directory: contacts, their member links, the scored pairs.

Only what changed is written: a contact whose canonical JSON is unchanged keeps
its row (and its `updated_run`), a contact that lost every live record is marked
removed (kept, not deleted: "nothing is lost", and its id is never given to
someone else), and a record's link to its contact is rewritten only when it
moved. Tombstoned records keep their last link, so a record that comes back
returns to the contact it left.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..store import Store, now_iso
from .survivorship import Member


def write_directory(store: Store, run: int, members: Sequence[Member], ids: Sequence[str],
                    groups: Sequence[Sequence[int]], contacts: Sequence[tuple[str, dict]],
                    reasons: dict[int, int],
                    pairs: Sequence[tuple[int, int, float, str, str]]
                    ) -> dict[str, int]:
    db = store.db
    dumps = json.dumps
    old: dict[str, tuple[int, bool]] = {
        r[0]: (hash(r[1]), r[2] is not None)
        for r in db.execute("SELECT id, data, removed_at FROM contacts")}
    inserts, updates = [], []
    for cid, data in contacts:
        text = dumps(data, ensure_ascii=False)
        known = old.pop(cid, None)
        if known is None:
            inserts.append((cid, text, run, run))
        elif known[0] != hash(text) or known[1]:
            updates.append((text, run, cid))
    removed = [(now_iso(), run, cid) for cid, (_, gone) in old.items() if not gone]
    db.executemany("INSERT INTO contacts (id, data, created_run, updated_run) "
                   "VALUES (?, ?, ?, ?)", inserts)
    db.executemany("UPDATE contacts SET data=?, updated_run=?, removed_at=NULL WHERE id=?",
                   updates)
    db.executemany("UPDATE contacts SET removed_at=?, updated_run=? WHERE id=?", removed)

    links: dict[int, tuple[str, str]] = {
        r[0]: (r[1], r[2]) for r in db.execute(
            "SELECT cr.record_id, cr.contact_id, cr.reason FROM contact_records cr "
            "JOIN records r ON r.id = cr.record_id WHERE r.removed_at IS NULL")}
    link_rows = []
    for cid, group in zip(ids, groups, strict=True):
        for p in group:
            rid = members[p].rid
            other = reasons.get(p)
            reason = dumps({"with": other}) if other is not None else "{}"
            if links.pop(rid, None) != (cid, reason):
                link_rows.append((rid, cid, reason))
    db.executemany("INSERT INTO contact_records (record_id, contact_id, reason) "
                   "VALUES (?, ?, ?) ON CONFLICT (record_id) DO UPDATE SET "
                   "contact_id=excluded.contact_id, reason=excluded.reason", link_rows)

    db.execute("DELETE FROM match_pairs")
    rows = [(min(a, b), max(a, b), round(probability, 6), decision, explanation)
            for a, b, probability, decision, explanation in pairs]
    db.executemany("INSERT INTO match_pairs VALUES (?, ?, ?, ?, ?)", rows)
    return {"contacts": len(contacts), "contacts_added": len(inserts),
            "contacts_updated": len(updates), "contacts_removed": len(removed),
            "review_pairs": sum(1 for r in rows if r[3] == "review")}
