"""Linking again only the interactions a run's changes can reach.

A participant's link depends on nothing but its own keys (e-mail, phone, profile
URL, full name: linking.blob_keys), the live contacts holding each of them, each
key's holders over time (history.py), the owner's contacts, the `[me]` section,
the region and the interaction's date. So after a run, the links that can differ
are those of the interactions that are new or changed, and of the interactions
naming a key whose holders changed: a contact added, edited, removed, merged or
split holds or held it, or its history moved. Everything else keeps its links; the
result equals linking every interaction again (tests/engagement/
test_relink_incremental.py checks it on random histories), and a sync that edits
one card of 33,000 with 300,000 interactions links a handful of them instead of
all (about 5 s of CPU).

What the last linking saw is stored (migrations 022 and 026): `link_keys` (every
live contact's keys as ContactIndex.rows gives them), `link_blob_keys` (the keys
each distinct participants list names), `link_history` (a digest of each key's
history) and `links.state` in meta (the settings it was computed with and the
last run it saw). The contacts a run can have changed are found by their runs
(`created_run`, `updated_run`, and the contacts of records added, edited or
removed since), the interactions by theirs (`last_run`, `removed_run`) and by
their participants list.

A list is named in `link_blob_keys` by an interaction that carried it and the
list's digest, not by its text: storing the text of each distinct list (about
250 bytes for a LinkedIn message) beside each key cost a first import of a
million messages 4-7 s of CPU and 160 MiB of peak memory; the rows are written in
chunks as the full linking meets the lists (BlobWriter), never held whole. A relink
reads the text of the named interactions and, when the digest says it is still
the list it was, takes the interactions with that text (SQLite compares them, as
it compared the stored texts). An interaction whose list changed or that is gone
since says nothing of the list's other carriers: then every interaction whose
list has that digest is taken (its length in bytes, which SQLite reads, then its
checksums), one more at worst, never one less.

When in doubt everything is linked again, as before: no stored state (a first
build, an upgrade), another `[me]`, region or schema, another link format, or a
contact that became or stopped being the owner's.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from ..store import Store
from .context import Context
from .history import KeyHistory, load_history
from .linking import (
    OWNER_KEY,
    PREFIX,
    ContactIndex,
    Linker,
    LinkRow,
    _new_links,
    blob_keys,
)

STATE = "links.state"
LINK_FORMAT = 1
"""Bump when the same interactions and contacts would get other links (linking.py,
history.py, keys.py): the next linking is then a full one."""

_CHUNK = 500
_FLUSH = 20_000       # link_blob_keys rows written at once
_SEEN_LIMIT = 200_000  # lists BlobWriter remembers (linking._CACHE_LIMIT)
_HASH_BITS = 43
MAX_LENGTH = (1 << 20) - 1   # a list's length as its digest holds it: 63 bits in all


def _mark(db: sqlite3.Connection, ctx: Context) -> dict[str, Any]:
    """What stored link state is valid for: this code, these settings, this schema."""
    migrations = db.execute("SELECT COUNT(*) FROM migrations").fetchone()[0]
    return {"format": LINK_FORMAT, "owner": sorted(ctx.owner_emails), "url": ctx.owner_url,
            "region": ctx.region or "", "migrations": migrations}


def _last_run(db: sqlite3.Connection) -> int:
    return int(db.execute("SELECT COALESCE(MAX(id), 0) FROM runs").fetchone()[0])


def save_state(store: Store, ctx: Context, index: ContactIndex, blobs: BlobWriter,
               history: KeyHistory) -> None:
    """Store the rest of what a full linking saw (every live contact's keys, every
    key's history; `blobs` written the lists as it met them), replacing what was
    there."""
    db = store.db
    blobs.flush()
    for table in ("link_keys", "link_history"):
        db.execute(f"DELETE FROM {table}")
    db.executemany("INSERT INTO link_keys VALUES (?, ?)", sorted(index.rows()))
    db.executemany("INSERT INTO link_history VALUES (?, ?)", sorted(digests(history).items()))
    _save_mark(store, ctx)


def _save_mark(store: Store, ctx: Context) -> None:
    store.set_meta(STATE, json.dumps({**_mark(store.db, ctx), "run": _last_run(store.db)}))


def digest(blob: str) -> int:
    """A participants list's digest in `link_blob_keys`: its length in UTF-8 bytes
    (capped at MAX_LENGTH) above 43 bits of checksums (its CRC-32 and the low bits
    of its Adler-32). SQLite reads the length of a stored list without Python
    (_AFFECTED_SQL), so only the lists of a length some lost list has are hashed
    again. Deterministic across processes, unlike hash(); checksums where blake2b
    cost 0.3 s more per million messages. Two lists of one digest relink each
    other's interactions; the one thing a shared digest could hide is a carrier
    rewritten in place with another list of the same digest (odds about 2**-43)."""
    data = blob.encode("utf-8", "surrogatepass")
    return (min(len(data), MAX_LENGTH) << _HASH_BITS | zlib.crc32(data) << 11
            | zlib.adler32(data) & 0x7FF)


def _sql_digest(blob: str | bytes) -> int:
    """digest() as SQLite hands a stored list over (text; bytes if stored as a blob)."""
    return digest(blob if isinstance(blob, str) else blob.decode("utf-8", "surrogateescape"))


class BlobWriter:
    """Writes the keys each distinct participants list names to `link_blob_keys`
    (beside an interaction carrying it and its digest) as the linking meets the
    lists (linking.BlobSink), in chunks of _FLUSH rows: a million messages' state
    is never held whole. A list met again is skipped by its text (the last
    _SEEN_LIMIT remembered, as linking's caches do: the texts are theirs); past
    that it is written again with another carrier, which costs rows, not
    exactness."""

    def __init__(self, db: sqlite3.Connection, fresh: bool = False) -> None:
        self.db = db
        self.rows: list[tuple[str, int, int]] = []
        self.seen: set[str] = set()
        if fresh:                   # a full linking: what was stored goes
            db.execute("DELETE FROM link_blob_keys")

    def add(self, iid: int, blob: str, keys: list[str]) -> None:
        """The keys `keys` the list `blob` of interaction `iid` names."""
        if not keys or blob in self.seen:
            return
        if len(self.seen) >= _SEEN_LIMIT:
            self.seen.clear()
        self.seen.add(blob)
        found = digest(blob)
        self.rows += [(key, iid, found) for key in keys]
        if len(self.rows) >= _FLUSH:
            self.flush()

    def flush(self) -> None:
        """Write the rows gathered (as met: sorting each chunk cost more than it
        saved)."""
        self.db.executemany("INSERT OR IGNORE INTO link_blob_keys VALUES (?, ?, ?)",
                            self.rows)   # a carrier rewritten with another list: a row more
        self.rows = []


class _Known:
    """The lists a relink links again: their keys were stored before (_relink)."""

    def add(self, iid: int, blob: str, keys: list[str]) -> None:
        pass


def digests(history: KeyHistory) -> dict[str, str]:
    """Prefixed key -> its holders over time and the names of its removed holders
    (all that KeyHistory.holders and Linker._named read of it)."""
    out = {}
    for kind, table in history.tables.items():
        for key, holdings in table.items():
            out[PREFIX[kind] + key] = json.dumps(
                [[h.cid, h.start, h.end, h.ever, sorted(history.names.get(h.cid, ()))]
                 for h in holdings])
    return out


def relink_changed(store: Store, ctx: Context) -> dict[str, int] | None:
    """Link again the interactions whose links the changes since the last linking
    can reach; None when everything must be linked again (the module's docstring
    says when). Inside the caller's transaction."""
    db = store.db
    text = store.get_meta(STATE)
    state = json.loads(text) if text else None
    if not isinstance(state, dict) or {k: v for k, v in state.items() if k != "run"} \
            != _mark(db, ctx):
        return None
    since = int(state.get("run", 0))
    changed = _changed_keys(db, store, ctx, since)
    if changed is None:
        return None
    history = load_history(db, {kind: _Stored(db, prefix) for kind, prefix in PREFIX.items()},
                           _Stored(db, "n:"), ctx.region)
    changed |= _changed_history(db, history)
    counts = _relink(store, ctx, history, changed, since)
    _save_mark(store, ctx)
    return counts


def _changed_keys(db: sqlite3.Connection, store: Store, ctx: Context,
                  since: int) -> set[str] | None:
    """The keys some contact a run since `since` may have changed gained or lost;
    `link_keys` updated. None when the owner's contacts changed (a participant
    linked by a former key to a contact that became the owner's would not show)."""
    ids = sorted(_changed_contacts(db, since))
    index = ContactIndex.load(store, ctx.region, ids)
    new = set(index.rows())
    old = set(_rows(db, "SELECT key, contact_id FROM link_keys WHERE contact_id IN ({})",
                    ids))
    if any(key == OWNER_KEY for key, _ in new ^ old):
        return None
    db.executemany("DELETE FROM link_keys WHERE key=? AND contact_id=?", sorted(old - new))
    db.executemany("INSERT INTO link_keys VALUES (?, ?)", sorted(new - old))
    return {key for key, _ in new ^ old}


def _changed_contacts(db: sqlite3.Connection, since: int) -> set[str]:
    """Contacts written since run `since` (added, changed, removed: regroup and
    relocate stamp `updated_run`), and the contacts of records added, edited or
    removed since (their names are the contact's too; a successor joins its
    predecessor's contact)."""
    found = {r[0] for r in db.execute(
        "SELECT id FROM contacts WHERE created_run > ?1 OR updated_run > ?1", (since,))}
    found.update(r[0] for r in db.execute(
        "SELECT cr.contact_id FROM records r JOIN contact_records cr ON cr.record_id = r.id "
        "WHERE (r.last_run > ?1 AND (r.first_run > ?1 OR r.changed_run > ?1)) "
        "OR r.removed_run > ?1", (since,)))
    return found


def _rows(db: sqlite3.Connection, sql: str, items: list[Any]) -> Iterator[tuple[Any, ...]]:
    """The rows of `sql` (an IN list "{}") for `items`, in chunks."""
    for start in range(0, len(items), _CHUNK):
        chunk = items[start:start + _CHUNK]
        yield from map(tuple, db.execute(sql.format(",".join("?" * len(chunk))), chunk))


class _Stored:
    """The live holders of one kind of key, read from `link_keys` as load_history
    asks for them (it asks only of the keys some contact held formerly)."""

    def __init__(self, db: sqlite3.Connection, prefix: str) -> None:
        self.db = db
        self.prefix = prefix
        self.cache: dict[str, set[str]] = {}

    def get(self, key: str, default: Any = None) -> Any:
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = {r[0] for r in self.db.execute(
                "SELECT contact_id FROM link_keys WHERE key=?", (self.prefix + key,))}
        return found or default

    def __getitem__(self, key: str) -> set[str]:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found


def _changed_history(db: sqlite3.Connection, history: KeyHistory) -> set[str]:
    """The keys whose history differs from the stored one; `link_history` updated."""
    new = digests(history)
    old = dict(db.execute("SELECT key, digest FROM link_history"))
    changed = {key for key in new.keys() | old.keys() if new.get(key) != old.get(key)}
    db.executemany("DELETE FROM link_history WHERE key=?", [(k,) for k in sorted(changed)])
    db.executemany("INSERT INTO link_history VALUES (?, ?)",
                   [(k, new[k]) for k in sorted(changed) if k in new])
    return changed


_AFFECTED_SQL = f"""
SELECT id, participants, occurred_at FROM interactions
WHERE removed_at IS NULL AND (last_run > ?1
    OR participants IN (SELECT participants FROM temp.relink_lists)
    OR CASE WHEN min(length(CAST(participants AS BLOB)), {MAX_LENGTH})
                 IN (SELECT digest >> {_HASH_BITS} FROM temp.relink_lost)
            THEN relink_digest(participants) IN (SELECT digest FROM temp.relink_lost)
            ELSE 0 END)
ORDER BY id
"""
"""The live interactions written since the last linking, and those naming a key
whose holders changed: those with a list named by a carrier that still has it
(`relink_lists`), and those with a list of a digest whose carrier changed
(`relink_lost`; a list of such a length only is hashed: the CASE keeps that
order. Hashing every list of a million messages would cost 2-3 s)."""

_TEMP = ("relink_keys (key TEXT PRIMARY KEY)", "relink_lists (participants TEXT PRIMARY KEY)",
         "relink_lost (digest INTEGER PRIMARY KEY)",
         "relink_stale (interaction_id INTEGER, digest INTEGER)")


def _relink(store: Store, ctx: Context, history: KeyHistory, changed: set[str],
            since: int) -> dict[str, int]:
    db = store.db
    rows = _affected(db, changed, since)
    # the keys of each list linked: read again (a few), and stored for a new list
    linker = Linker(ContactIndex(), ctx)
    carrier = {blob: iid for iid, blob, _ in reversed(rows)}
    keys = {blob: blob_keys(blob, linker) for blob in carrier}
    blobs = BlobWriter(db)
    for blob, found in keys.items():
        if found and not _carried(db, blob, found):
            blobs.add(carrier[blob], blob, found)
    blobs.flush()
    index = ContactIndex.from_rows(_rows(
        db, "SELECT key, contact_id FROM link_keys WHERE key IN ({})",
        sorted({k for found in keys.values() for k in found} | {OWNER_KEY})))
    counts: Counter[str] = Counter()
    new = [row for batch in _new_links(_Batches(rows), Linker(index, ctx, history), counts,
                                       _Known()) for row in batch]
    gone = [r[0] for r in db.execute(
        "SELECT id FROM interactions WHERE removed_run > ?1 AND removed_at IS NOT NULL",
        (since,))]
    written, dropped = _replace(db, [r[0] for r in rows] + gone, new)
    relinked = counts.pop("interactions", 0)
    counts["participants"] = sum(counts.values())
    counts["written"], counts["dropped"], counts["relinked"] = written, dropped, relinked
    return dict(counts)


def _carried(db: sqlite3.Connection, blob: str, keys: list[str]) -> bool:
    """Whether the list `blob` is stored under an interaction that still carries it
    (a conversation's new messages then store nothing more). A list's rows are
    written and dropped together (BlobWriter, _affected), so one key tells: the
    first that is not a name, which few lists share."""
    key = next((k for k in keys if not k.startswith("n:")), keys[0])
    return db.execute(
        "SELECT 1 FROM link_blob_keys b JOIN interactions i ON i.id = b.interaction_id "
        "WHERE b.key=? AND b.digest=? AND i.participants=? LIMIT 1",
        (key, digest(blob), blob)).fetchone() is not None


def _affected(db: sqlite3.Connection, changed: set[str], since: int
              ) -> list[tuple[int, str, str]]:
    """(id, participants, date) of the interactions to link again (_AFFECTED_SQL).
    The rows of lists whose carrier changed are dropped: the lists found by their
    digest are stored again with a carrier of now (_relink)."""
    for table in _TEMP:
        db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table}")
    db.create_function("relink_digest", 1, _sql_digest, deterministic=True)
    db.executemany("INSERT INTO temp.relink_keys VALUES (?)", [(k,) for k in sorted(changed)])
    named = db.execute("SELECT DISTINCT interaction_id, digest FROM link_blob_keys "
                       "WHERE key IN (SELECT key FROM temp.relink_keys)").fetchall()
    texts = dict(_rows(db, "SELECT id, participants FROM interactions WHERE id IN ({})",
                       sorted({iid for iid, _ in named})))
    lists, lost = _still_carried(named, texts)
    db.executemany("INSERT OR IGNORE INTO temp.relink_lists VALUES (?)",
                   [(text,) for text in sorted(lists)])
    db.executemany("INSERT OR IGNORE INTO temp.relink_lost VALUES (?)",
                   sorted({(found,) for _, found in lost}))
    cursor = db.cursor()
    cursor.row_factory = None
    rows = cursor.execute(_AFFECTED_SQL, (since,)).fetchall()
    if lost:      # one scan of link_blob_keys (its key is the key), rarely
        db.executemany("INSERT INTO temp.relink_stale VALUES (?, ?)", sorted(lost))
        db.execute("DELETE FROM link_blob_keys WHERE (interaction_id, digest) IN "
                   "(SELECT interaction_id, digest FROM temp.relink_stale)")
    for table in _TEMP:
        db.execute(f"DELETE FROM temp.{table.split()[0]}")
    return rows


def _still_carried(named: list[tuple[int, int]], texts: dict[int, str]
                   ) -> tuple[set[str], set[tuple[int, int]]]:
    """The lists (texts) the named interactions still carry, and the (interaction,
    digest) pairs whose interaction changed its list or is gone."""
    lists: set[str] = set()
    lost: set[tuple[int, int]] = set()
    digested: dict[str, int] = {}
    for iid, found in named:
        text = texts.get(iid)
        if text is not None and text not in digested:
            digested[text] = digest(text)
        if text is not None and digested[text] == found:
            lists.add(text)
        else:
            lost.add((iid, found))
    return lists, lost


class _Batches:
    """Fetched rows served the way linking._new_links reads a cursor."""

    def __init__(self, rows: list[tuple[int, str, str]]) -> None:
        self.rows = rows
        self.at = 0

    def fetchmany(self, size: int) -> list[tuple[int, str, str]]:
        batch = self.rows[self.at:self.at + size]
        self.at += size
        return batch


def _replace(db: sqlite3.Connection, ids: Iterable[int], new: list[LinkRow]
             ) -> tuple[int, int]:
    """Make the stored links of interactions `ids` the `new` ones; returns (rows
    written, rows dropped), only the differing ones counted and written."""
    old: dict[tuple[int, int], tuple[str | None, str]] = {}
    for iid, position, cid, method in _rows(
            db, "SELECT interaction_id, participant, contact_id, method "
                "FROM interaction_links WHERE interaction_id IN ({})", sorted(set(ids))):
        old[(iid, position)] = (cid, method)
    changed = [row for row in new if old.get((row[0], row[1])) != (row[2], row[3])]
    kept = {(row[0], row[1]) for row in new}
    gone = sorted(key for key in old if key not in kept)
    db.executemany("DELETE FROM interaction_links WHERE interaction_id=? AND participant=?",
                   gone)
    db.executemany("INSERT OR REPLACE INTO interaction_links VALUES (?, ?, ?, ?)", changed)
    return len(changed), len(gone)
