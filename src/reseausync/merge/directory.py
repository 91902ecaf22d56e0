"""Writing the canonical directory: contacts and their member links, for a set of records.

Only what changed is written: a contact whose canonical JSON is unchanged keeps
its row (and its `updated_run`), a contact that lost every live record is marked
removed (kept, not deleted: "nothing is lost", and its id is never given to
someone else), and a record's link to its contact is rewritten only when it
moved. Tombstoned records keep their last link, so a record that comes back
returns to the contact it left. Every function works on the contacts it is
given, so a sync that regroups a hundred records reads and writes a hundred rows.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Container, Iterable, Sequence

import orjson

from .. import jsonfast
from ..match.persist import chunks, marks
from ..store import now_iso


def encode_contact(data: dict) -> str:
    """A contact's stored JSON: compact, UTF-8, keys in canonical()'s order. orjson
    writes it six to seven times faster than json.dumps (a full build encodes a
    contact per person: 600,000 at 1M records). Directories written before this
    hold json.dumps' spaced text of the same data: write_contact_texts compares
    such a text by what it decodes to, so the change of writer is no update."""
    return orjson.dumps(data).decode()


def write_contact_texts(db: sqlite3.Connection, run: int, texts: Sequence[tuple[str, str]],
                        new: Container[str] = ()) -> tuple[int, int]:
    """Insert or update contacts (id, canonical JSON) whose JSON changed; returns
    (added, updated). Ids in `new` were just minted (never given out), so they are
    inserted without a lookup."""
    old: dict[str, tuple[str, bool]] = {}
    for batch in chunks([cid for cid, _ in texts if cid not in new]):
        for cid, text, removed in db.execute(
                f"SELECT id, data, removed_at FROM contacts WHERE id IN ({marks(batch)})",
                batch):
            old[cid] = (text, removed is not None)
    inserts, updates, rewrites = [], [], []
    for cid, text in texts:
        known = old.get(cid)
        if known is None:
            inserts.append((cid, text, run, run))
        elif known[1] or (known[0] != text and not _same_data(known[0], text)):
            updates.append((text, run, cid))
        elif known[0] != text:
            rewrites.append((text, cid))      # the same contact in the current writing
    db.executemany("INSERT INTO contacts (id, data, created_run, updated_run) "
                   "VALUES (?, ?, ?, ?)", inserts)
    db.executemany("UPDATE contacts SET data=?, updated_run=?, removed_at=NULL, "
                   "merged_into=NULL WHERE id=?", updates)
    db.executemany("UPDATE contacts SET data=? WHERE id=?", rewrites)
    return len(inserts), len(updates)


def _same_data(stored: str, text: str) -> bool:
    """Whether two stored texts of a contact hold the same data (one may be an older
    writer's spacing)."""
    return jsonfast.loads(stored) == jsonfast.loads(text)


def remove_contacts(db: sqlite3.Connection, run: int, ids: Iterable[str],
                    merged: dict[str, str] | None = None) -> int:
    """Mark removed the given contacts that are still live; returns how many.
    `merged`: the contact that took the records of a contact removed by a merge
    (`show` of the old id says where it went)."""
    merged = merged or {}
    gone = []
    for batch in chunks(sorted(ids)):
        gone.extend(r[0] for r in db.execute(
            f"SELECT id FROM contacts WHERE removed_at IS NULL AND id IN ({marks(batch)})",
            batch))
    stamp = now_iso()
    db.executemany("UPDATE contacts SET removed_at=?, updated_run=?, merged_into=? WHERE id=?",
                   [(stamp, run, merged.get(cid), cid) for cid in gone])
    return len(gone)


def merge_targets(db: sqlite3.Connection, moved: dict[int, str]) -> dict[str, str]:
    """For contacts that lost every record to others (`moved`: record id -> the
    contact it was in before this regroup), the contact now holding most of them
    (ties: the smallest id); read from the links just written."""
    counts: dict[str, Counter] = {}
    for batch in chunks(sorted(moved)):
        for rid, cid in db.execute(
                f"SELECT record_id, contact_id FROM contact_records "
                f"WHERE record_id IN ({marks(batch)})", batch):
            counts.setdefault(moved[rid], Counter())[cid] += 1
    return {old: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0]
            for old, c in counts.items()}


def write_links(db: sqlite3.Connection, links: Iterable[tuple[int, str, str]],
                previous: dict[int, tuple[str, str]] | None = None) -> None:
    """(record id, contact id, reason) rows; a row equal to what is stored (or to
    `previous`, when given) is left alone."""
    rows = links if previous is None else (
        (rid, cid, reason) for rid, cid, reason in links if previous.get(rid) != (cid, reason))
    db.executemany("INSERT INTO contact_records (record_id, contact_id, reason) "
                   "VALUES (?, ?, ?) ON CONFLICT (record_id) DO UPDATE SET "
                   "contact_id=excluded.contact_id, reason=excluded.reason "
                   "WHERE contact_id IS NOT excluded.contact_id "
                   "OR reason IS NOT excluded.reason", rows)


def previous_ids(db: sqlite3.Connection, pos: dict[int, int]) -> list[str | None]:
    """The contact id each record was last linked to, by position (`pos`: record id ->
    position), None for a record never linked; one shared string per contact id."""
    out: list[str | None] = [None] * len(pos)
    shared: dict[str, str] = {}
    for batch in chunks(pos):
        for rid, cid in db.execute(
                f"SELECT record_id, contact_id FROM contact_records "
                f"WHERE record_id IN ({marks(batch)})", batch):
            out[pos[rid]] = shared.setdefault(cid, cid)
    return out


class TakenIds:
    """`id in taken`: whether the directory had given out a contact id when this was
    made, asked of the database one id at a time instead of loading every id. A
    fresh directory (no contact yet, the first import) answers without a query."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.empty = db.execute("SELECT 1 FROM contacts LIMIT 1").fetchone() is None

    def __contains__(self, cid: object) -> bool:
        if self.empty:
            return False
        return self.db.execute("SELECT 1 FROM contacts WHERE id=?", (cid,)).fetchone() is not None

    def removed(self, cid: str) -> bool:
        """Whether `cid` names a removed contact (asked only of ids given out)."""
        row = self.db.execute("SELECT removed_at FROM contacts WHERE id=?", (cid,)).fetchone()
        return row is not None and row[0] is not None
