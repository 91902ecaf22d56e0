"""Linking interaction participants to canonical contacts.

Rebuilt whole when in doubt (a first build, an upgrade, other `[me]` or region);
after an ordinary run only the interactions whose links the run could change are
linked again (relink.py), with the same result.
Keys are tried from the most to the least specific the evidence usually carries:
email, phone, profile URL, then the name. A key shared by several contacts (a
couple's home phone, a family address) links only when the participant's name
picks exactly one of them; otherwise the next key is tried. A name alone links
only when exactly one contact has that full name (two words or more), so a
homonym never steals another person's history. A contact's names are its own
(display name, given + family) and those of its member records: a merged contact
shown as "Robert Chen" is also the "Bob Chen" of its phone-book card. The owner of the directory is
never a contact participant (method "owner"): a `[me]` address or profile (no contact),
or any key of the owner's own contact (flag "me"; the row keeps that contact, so
status.contact_events knows the owner sent a mail the connector, not knowing the
address, called received). A participant a key named several
contacts for, with nothing to decide, stays in the table with a NULL contact
(method "ambiguous"). A participant who matches nobody (method "none") has no row:
a mailbox or a large messages export is mostly people the directory does not hold,
and a row each was a third of such an import's writing; UNLINKED_SQL finds them,
for `unknown_people` and the link counts.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, Protocol

from .. import jsonfast
from ..gcpause import gc_paused
from ..store import Store
from .context import Context, context
from .history import KeyHistory, load_history
from .keys import email_key, name_key, phone_key, stored_values, url_key
from .summary import BULK, bulk_links

BATCH = 20000
_CACHE_LIMIT = 200_000

Match = tuple[str | None, str]   # (contact id or None, method)
Keys = tuple[str, str, str, str]  # a participant's email, phone, url and name keys
NONE = "none"

UNLINKED_SQL = """
SELECT i.id AS interaction_id, CAST(j.key AS INTEGER) AS participant, j.value AS participant_json
FROM interactions i
JOIN json_each(CASE WHEN json_valid(i.participants) AND json_type(i.participants) = 'array'
                    THEN i.participants ELSE '[]' END) j
LEFT JOIN interaction_links l ON l.interaction_id = i.id AND l.participant = j.key
WHERE i.removed_at IS NULL AND l.interaction_id IS NULL AND j.type = 'object'
  AND (coalesce(json_extract(j.value, '$.name'), '') <> ''
       OR coalesce(json_extract(j.value, '$.email'), '') <> ''
       OR coalesce(json_extract(j.value, '$.phone'), '') <> ''
       OR coalesce(json_extract(j.value, '$.linkedin_url'), '') <> '')
"""
"""The participants of live interactions linked to nobody (method "none"): every
participant naming someone (what _links_of reads) that has no row."""


_MEMBER_NAMES_SQL = """
SELECT cr.contact_id, r.data->>'display_name', r.data->>'given_name', r.data->>'family_name'
FROM contact_records cr JOIN records r ON r.id = cr.record_id
WHERE r.removed_at IS NULL AND cr.contact_id IN (
    SELECT contact_id FROM contact_records {only} GROUP BY contact_id HAVING COUNT(*) > 1)
"""
"""The names on the live records of merged contacts (ContactIndex._add_member_names)."""


@dataclass
class ContactIndex:
    """Key -> contact ids, for every live contact."""

    emails: dict[str, set[str]] = field(default_factory=dict)
    phones: dict[str, set[str]] = field(default_factory=dict)
    urls: dict[str, set[str]] = field(default_factory=dict)
    names: dict[str, set[str]] = field(default_factory=dict)
    # the owner's own contact (flag "me": a record carrying a `[me]` address); its
    # other addresses, an old job's, are the owner's too (Linker.match)
    owners: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, store: Store, region: str | None,
             ids: list[str] | None = None) -> ContactIndex:
        """Every live contact's keys, or those of the live contacts among `ids` (a
        sync's changed contacts: relink.py compares them with the stored ones)."""
        index = cls()
        cursor = store.db.cursor()
        cursor.row_factory = None
        live: set[str] = set()
        for only, args in _restricted(ids):
            # Only the keys, extracted by SQLite: parsing whole contacts (provenance,
            # addresses) in Python would cost more than the linking itself.
            rows = cursor.execute(
                "SELECT id, data->'emails', data->'phones', data->>'linkedin_url', "
                "data->>'display_name', data->>'given_name', data->>'family_name', "
                "EXISTS (SELECT 1 FROM json_each(data->'flags') WHERE value = 'me') "
                f"FROM contacts WHERE removed_at IS NULL {only.replace('contact_id', 'id')}",
                args)
            for cid, emails, phones, url, display, given, family, me in rows:
                live.add(cid)
                if me:
                    index.owners.add(cid)
                for value in stored_values(emails):
                    _put(index.emails, email_key(value), cid)
                for value in stored_values(phones):
                    _put(index.phones, phone_key(value, region), cid)
                _put(index.urls, url_key(url), cid)
                for name in contact_names({"display_name": display, "given_name": given,
                                           "family_name": family}):
                    _put(index.names, name, cid)
        for only, args in _restricted(ids):
            index._add_member_names(cursor, live, only, args)
        return index

    def _add_member_names(self, cursor: sqlite3.Cursor, live: set[str], only: str = "",
                          args: list[str] | None = None) -> None:
        """The names on a contact's own records name it too: a log saying "Bob Chen"
        means the contact whose phone-book card says so, whichever spelling the
        merged contact displays ("Robert Chen", from LinkedIn). A contact of one
        record has its record's names already: only merged contacts' live records
        are read (about 5 µs a record), and the records of one person mostly
        repeat a name, so each spelling is folded once."""
        keys: dict[str, str] = {}
        sql = _MEMBER_NAMES_SQL.format(only=only.replace("AND", "WHERE", 1))
        for cid, display, given, family in cursor.execute(sql, args or []):
            if cid not in live:
                continue
            for text in (display, f"{given or ''} {family or ''}"):
                key = keys.get(text) if text else ""
                if key is None:
                    key = keys[text] = name_key(text)
                if " " in key:
                    _put(self.names, key, cid)

    def rows(self) -> Iterator[tuple[str, str]]:
        """(prefixed key, contact id) of every key, and ("o:", id) of the owner's
        contacts: what relink.py stores in `link_keys`."""
        for prefix, table in self._tables():
            for key, ids in table.items():
                for cid in ids:
                    yield prefix + key, cid
        for cid in self.owners:
            yield OWNER_KEY, cid

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str]]) -> ContactIndex:
        """The index of stored `link_keys` rows (only the keys a relink needs)."""
        index = cls()
        tables = dict(index._tables())
        for key, cid in rows:
            if key == OWNER_KEY:
                index.owners.add(cid)
            else:
                tables[key[:2]].setdefault(key[2:], set()).add(cid)
        return index

    def _tables(self) -> tuple[tuple[str, dict[str, set[str]]], ...]:
        return (("e:", self.emails), ("p:", self.phones), ("u:", self.urls),
                ("n:", self.names))


OWNER_KEY = "o:"
PREFIX = {"email": "e:", "phone": "p:", "url": "u:"}
_CHUNK = 500


def _restricted(ids: list[str] | None) -> Iterator[tuple[str, list[str]]]:
    """SQL conditions on contact_id for `ids` in chunks; one empty one for all."""
    if ids is None:
        yield "", []
        return
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        yield f"AND contact_id IN ({','.join('?' * len(chunk))})", chunk


def _put(table: dict[str, set[str]], key: str, cid: str) -> None:
    if key:
        table.setdefault(key, set()).add(cid)


def contact_names(data: dict[str, Any]) -> set[str]:
    """Full-name keys of a contact (display name, given + family); one word is no name."""
    names = {name_key(data.get("display_name")),
             name_key(f"{data.get('given_name') or ''} {data.get('family_name') or ''}")}
    return {n for n in names if " " in n}


class Linker:
    """Matches one participant at a time against a ContactIndex, and against the
    KeyHistory for a key some contact held formerly (then the match depends on the
    interaction's date: `timed`)."""

    def __init__(self, index: ContactIndex, ctx: Context,
                 history: KeyHistory | None = None) -> None:
        self.index = index
        self.ctx = ctx
        self.history = history or KeyHistory()

    def keys_of(self, participant: dict[str, Any]) -> Keys:
        """(email, phone, url, name) keys of a participant. Not cached here: _links_of
        keeps them with the participant's match (a cache of every spelling's keys
        was 100 MiB of a million messages' linking); the normalizers cache theirs."""
        return (email_key(participant.get("email")),
                phone_key(participant.get("phone"), self.ctx.region),
                url_key(participant.get("linkedin_url")), name_key(participant.get("name")))

    def match(self, participant: dict[str, Any], at: str = "") -> Match:
        """(contact, method) at the interaction's date `at`. A participant who links
        to the owner's own contact is the owner (the contact kept with method
        "owner"): an address on the owner's card that `[me]` does not list is still
        theirs, never a third person."""
        return self.match_timed(participant, at)[0]

    def match_timed(self, participant: dict[str, Any], at: str,
                    keys: Keys | None = None) -> tuple[Match, bool]:
        """The match, and whether it depends on `at` (then it is not cached);
        `keys`: the participant's (keys_of), when read already."""
        email, phone, url, name = keys or self.keys_of(participant)
        if self.ctx.is_owner(email, url):
            return (None, "owner"), False
        keys = (("email", email, self.index.emails), ("phone", phone, self.index.phones),
                ("url", url, self.index.urls))
        timed = bool(self.history) and any(self.history.timed(k, key) for k, key, _ in keys)
        found, method = self._match(name, keys, at if timed else None)
        if found is not None and found in self.index.owners:
            return (found, "owner"), timed
        return (found, method), timed

    def _match(self, name: str, keys: tuple[tuple[str, str, dict[str, set[str]]], ...],
               at: str | None) -> Match:
        named = self.index.names.get(name) if " " in name else None
        ambiguous = False
        for method, key, table in keys:
            ids = table.get(key) if key else None
            if at is not None:
                ids = self.history.holders(method, key, at) or ids
            if not ids:
                continue
            if len(ids) == 1:
                return next(iter(ids)), method
            both = ids & self._named(name, named, ids)
            if len(both) == 1:
                return next(iter(both)), method
            ambiguous = True
        if ambiguous:
            return None, "ambiguous"
        if named and len(named) == 1:
            return next(iter(named)), "name"
        return None, "none"

    def _named(self, name: str, named: set[str] | None, ids: set[str]) -> set[str]:
        """The contacts among `ids` the participant's full name names: live ones by
        the index, removed former holders by their own names."""
        found = set(named or ())
        if " " in name and self.history.names:
            found |= {cid for cid in ids if name in self.history.names.get(cid, ())}
        return found


def link_interactions(store: Store, settings: Any = None, *,
                      incremental: bool = False) -> dict[str, int]:
    """Rebuild `interaction_links` for every live interaction; returns counts per method
    (and "participants", "written": rows inserted or changed, "dropped": rows removed;
    "relinked": the interactions linked again, when only some were).

    Meant to run inside the run's transaction, after the contacts were rebuilt;
    called on its own it opens (and commits) a transaction of its own. The result is
    always the full rebuild, but only the rows that differ are written: a sync that
    changed nothing rewrites nothing. `incremental` (the pipeline after an ordinary
    run): link again only the interactions whose links the changes since the last
    linking can reach (relink.py), unless something says to redo them all.
    """
    from .relink import STATE, BlobWriter, relink_changed, save_state
    ctx = context(settings)
    with store.transaction() as db, gc_paused():
        if incremental:
            found = relink_changed(store, ctx)
            if found is not None:
                return found
        if _nothing_to_link(db):
            # an address book import: no interactions, and no links to drop; the
            # index of every contact would be the run's largest allocation (what
            # the last linking saw is forgotten: the next one links everything)
            store.set_meta(STATE, "")
            return {"participants": 0, "written": 0, "dropped": 0}
        index = ContactIndex.load(store, ctx.region)
        history = load_history(db, {"email": index.emails, "phone": index.phones,
                                    "url": index.urls}, index.names, ctx.region)
        linker = Linker(index, ctx, history)
        counts: Counter[str] = Counter()
        blobs = BlobWriter(db, fresh=True)
        cursor = db.cursor()
        cursor.row_factory = None     # plain tuples: sqlite3.Row costs at 2M rows
        cursor.execute("SELECT id, participants, occurred_at FROM interactions "
                       "WHERE removed_at IS NULL ORDER BY id")
        new = _new_links(cursor, linker, counts, blobs)
        if db.execute("SELECT 1 FROM interaction_links LIMIT 1").fetchone() is None:
            written, dropped = _insert_all(db, new), 0
        else:
            written, dropped = _apply_changes(db, new)
        save_state(store, ctx, index, blobs, history)
    del counts["interactions"]       # all of them
    counts["participants"] = sum(counts.values())
    counts["written"], counts["dropped"] = written, dropped
    return dict(counts)


def _nothing_to_link(db: sqlite3.Connection) -> bool:
    return (db.execute("SELECT 1 FROM interactions WHERE removed_at IS NULL LIMIT 1")
            .fetchone() is None
            and db.execute("SELECT 1 FROM interaction_links LIMIT 1").fetchone() is None)


LinkRow = tuple[int, int, str | None, str]


class BlobSink(Protocol):
    """Where _new_links hands each participants list it links anew, with the
    interaction it met it in and the keys it names (blob_keys), for relink.py
    (relink.BlobWriter)."""

    def add(self, iid: int, blob: str, keys: list[str]) -> None: ...


def _new_links(cursor: sqlite3.Cursor, linker: Linker, counts: Counter[str],
               blobs: BlobSink) -> Iterator[list[LinkRow]]:
    """Link rows of the interactions `cursor` returns (id, participants, date) in
    primary-key order (interaction id, participant position), in batches of about
    BATCH rows: one Python loop per interaction, counted per batch (a generator
    step and a Counter update per row were half the linking time). Participants
    linked to nobody are counted, not kept (UNLINKED_SQL); "interactions" counts
    the interactions. `blobs` is handed each participants list linked anew and the
    keys it names (blob_keys, from the participants _links_of parsed already)."""
    by_participant: dict[tuple[str, str, str, str], Cached] = {}
    # per participants blob: the rows to keep (position, contact, method) and the
    # method of every participant, "none" included (counted, never written); a blob
    # naming a key with a history is linked again for each interaction's date
    by_blob: dict[str, tuple[list[tuple[int, str | None, str]], list[str]]] = {}
    while rows := cursor.fetchmany(BATCH):
        batch: list[LinkRow] = []
        methods: list[str] = []
        append = batch.append
        for iid, blob, at in rows:
            found = by_blob.get(blob)
            if found is None:
                links, timed, keys = _links_of(blob, linker, by_participant, at)
                blobs.add(iid, blob, keys)
                found = ([link for link in links if link[2] != NONE], [m for _, _, m in links])
                if len(by_blob) >= _CACHE_LIMIT:
                    by_blob.clear()
                if not timed:
                    by_blob[blob] = found
            for position, cid, method in found[0]:
                append((iid, position, cid, method))
            methods += found[1]
        counts.update(methods)
        counts["interactions"] += len(rows)
        yield batch


def blob_keys(blob: str, linker: Linker) -> list[str]:
    """The prefixed keys (PREFIX, "n:") the participants of one interaction name, on
    which their links depend: a change to who holds one of them (now or formerly)
    may change the links, nothing else can (prefixed_keys)."""
    try:
        participants = jsonfast.loads(blob)
    except ValueError:
        return []
    keys: set[str] = set()
    for p in participants if isinstance(participants, list) else []:
        if isinstance(p, dict):
            keys.update(prefixed_keys(linker.keys_of(p), linker.ctx))
    return sorted(keys)


def prefixed_keys(keys: Keys, ctx: Context) -> tuple[str, ...]:
    """The prefixed keys of one participant's `keys` (Linker.keys_of). A participant
    the `[me]` section names is the owner whatever the directory holds: it names
    none."""
    email, phone, url, name = keys
    if ctx.is_owner(email, url):
        return ()
    return tuple(prefix + key for prefix, key in (
        ("e:", email), ("p:", phone), ("u:", url), ("n:", name if " " in name else ""))
        if key)


def _insert_all(db: sqlite3.Connection, batches: Iterator[list[LinkRow]]) -> int:
    written = 0
    with bulk_links(db, BULK):      # every link is new: summary.py computes all again
        for batch in batches:
            db.executemany("INSERT INTO interaction_links VALUES (?, ?, ?, ?)", batch)
            written += len(batch)
    return written


def _apply_changes(db: sqlite3.Connection, batches: Iterator[list[LinkRow]]
                   ) -> tuple[int, int]:
    """Merge the new rows against the stored ones (both in key order); write the
    difference once both scans are done, so no table is written while it is read."""
    cursor = db.cursor()
    cursor.row_factory = None
    old_rows = iter(cursor.execute(
        "SELECT interaction_id, participant, contact_id, method FROM interaction_links "
        "ORDER BY interaction_id, participant"))
    changed: list[LinkRow] = []
    gone: list[tuple[int, int]] = []
    old = next(old_rows, None)
    for row in chain.from_iterable(batches):
        key = (row[0], row[1])
        while old is not None and (old[0], old[1]) < key:
            gone.append((old[0], old[1]))
            old = next(old_rows, None)
        if old is not None and (old[0], old[1]) == key:
            if (old[2], old[3]) != (row[2], row[3]):
                changed.append(row)
            old = next(old_rows, None)
        else:
            changed.append(row)
    while old is not None:
        gone.append((old[0], old[1]))
        old = next(old_rows, None)
    with bulk_links(db, len(gone) + len(changed)):
        db.executemany("DELETE FROM interaction_links WHERE interaction_id=? AND participant=?",
                       gone)
        db.executemany("INSERT OR REPLACE INTO interaction_links VALUES (?, ?, ?, ?)", changed)
    return len(changed), len(gone)


Cached = tuple[Match, bool, tuple[str, ...] | None]
"""A participant's match, whether it depends on the date, and the keys it names
(prefixed_keys) once met in a second list: most people of a messages export are
in one conversation, and keeping everyone's keys was 40 MiB of a million
messages' linking."""


def _links_of(blob: str, linker: Linker, cache: dict[tuple[str, str, str, str], Cached],
              at: str) -> tuple[list[tuple[int, str | None, str]], bool, list[str]]:
    """(position, contact, method) of each participant naming someone, whether any
    of them was linked by a key with a history (the result holds for `at` only), and
    the keys the list names (blob_keys: read here, each participant's keys
    normalized once for its match and its first list, and once more for all its
    other lists)."""
    try:
        participants = jsonfast.loads(blob)
    except ValueError:
        return [], False, []
    links = []
    timed = False
    keys: list[str] = []
    for position, p in enumerate(participants if isinstance(participants, list) else []):
        if not isinstance(p, dict):
            continue
        key = (p.get("name") or "", p.get("email") or "", p.get("phone") or "",
               p.get("linkedin_url") or "")
        if not any(key):
            continue      # an empty participant names nobody
        cached = cache.get(key)
        if cached is None or cached[1]:
            four = linker.keys_of(p)
            cached = (*linker.match_timed(p, at, four), None)
            if len(cache) >= _CACHE_LIMIT:
                cache.clear()
            cache[key] = cached
            keys += prefixed_keys(four, linker.ctx)
        else:
            if cached[2] is None:       # met in a second list: its keys are kept
                cached = cache[key] = (*cached[:2], prefixed_keys(linker.keys_of(p),
                                                                  linker.ctx))
            keys += cached[2]
        found = cached[0]
        timed = timed or cached[1]
        links.append((position, found[0], found[1]))
    return links, timed, sorted(set(keys))
