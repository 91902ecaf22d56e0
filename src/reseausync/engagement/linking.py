"""Linking interaction participants to canonical contacts.

Rebuilt whole on every run (the contacts it points at were just rebuilt too).
Keys are tried from the most to the least specific the evidence usually carries:
email, phone, profile URL, then the name. A key shared by several contacts (a
couple's home phone, a family address) links only when the participant's name
picks exactly one of them; otherwise the next key is tried. A name alone links
only when exactly one contact has that full name (two words or more), so a
homonym never steals another person's history. The owner of the directory is
never a contact participant (method "owner"). Participants that match nobody stay
in the table with a NULL contact (method "none", or "ambiguous" when a key named
several contacts and nothing decided), so `unknown_people` can list them.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..store import Store
from .context import Context, context
from .keys import email_key, name_key, phone_key, url_key

BATCH = 20000
_CACHE_LIMIT = 200_000

Match = tuple[str | None, str]   # (contact id or None, method)


@dataclass
class ContactIndex:
    """Key -> contact ids, for every live contact."""

    emails: dict[str, set[str]] = field(default_factory=dict)
    phones: dict[str, set[str]] = field(default_factory=dict)
    urls: dict[str, set[str]] = field(default_factory=dict)
    names: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, store: Store, region: str | None) -> ContactIndex:
        index = cls()
        rows = store.db.execute("SELECT id, data FROM contacts WHERE removed_at IS NULL")
        for cid, blob in rows:
            data = json.loads(blob)
            for value in data.get("emails") or []:
                _put(index.emails, email_key(_value(value)), cid)
            for value in data.get("phones") or []:
                _put(index.phones, phone_key(_value(value), region), cid)
            _put(index.urls, url_key(data.get("linkedin_url")), cid)
            for name in contact_names(data):
                _put(index.names, name, cid)
        return index


def _value(item: Any) -> str:
    return item.get("value", "") if isinstance(item, dict) else str(item or "")


def _put(table: dict[str, set[str]], key: str, cid: str) -> None:
    if key:
        table.setdefault(key, set()).add(cid)


def contact_names(data: dict[str, Any]) -> set[str]:
    """Full-name keys of a contact (display name, given + family); one word is no name."""
    names = {name_key(data.get("display_name")),
             name_key(f"{data.get('given_name') or ''} {data.get('family_name') or ''}")}
    return {n for n in names if " " in n}


class Linker:
    """Matches one participant at a time against a ContactIndex."""

    def __init__(self, index: ContactIndex, ctx: Context) -> None:
        self.index = index
        self.ctx = ctx

    def match(self, participant: dict[str, Any]) -> Match:
        email = email_key(participant.get("email"))
        url = url_key(participant.get("linkedin_url"))
        if self.ctx.is_owner(email, url):
            return None, "owner"
        phone = phone_key(participant.get("phone"), self.ctx.region)
        name = name_key(participant.get("name"))
        named = self.index.names.get(name) if " " in name else None
        ambiguous = False
        for method, key, table in (("email", email, self.index.emails),
                                   ("phone", phone, self.index.phones),
                                   ("url", url, self.index.urls)):
            ids = table.get(key) if key else None
            if not ids:
                continue
            if len(ids) == 1:
                return next(iter(ids)), method
            both = ids & named if named else set()
            if len(both) == 1:
                return next(iter(both)), method
            ambiguous = True
        if ambiguous:
            return None, "ambiguous"
        if named and len(named) == 1:
            return next(iter(named)), "name"
        return None, "none"


def link_interactions(store: Store, settings: Any = None) -> dict[str, int]:
    """Rebuild `interaction_links` for every live interaction; returns counts per method.

    Meant to run inside the run's transaction, after the contacts were rebuilt;
    called on its own it opens (and commits) a transaction of its own.
    """
    ctx = context(settings)
    with store.transaction() as db:
        linker = Linker(ContactIndex.load(store, ctx.region), ctx)
        db.execute("DELETE FROM interaction_links")
        counts: Counter[str] = Counter()
        by_participant: dict[tuple[str, str, str, str], Match] = {}
        by_blob: dict[str, list[tuple[int, str | None, str]]] = {}
        cursor = db.cursor()
        cursor.row_factory = None     # plain tuples: sqlite3.Row costs at 2M rows
        cursor.execute("SELECT id, participants FROM interactions WHERE removed_at IS NULL")
        rows: list[tuple[int, int, str | None, str]] = []
        while batch := cursor.fetchmany(BATCH):
            for iid, blob in batch:
                links = by_blob.get(blob)
                if links is None:
                    links = _links_of(blob, linker, by_participant)
                    if len(by_blob) >= _CACHE_LIMIT:
                        by_blob.clear()
                    by_blob[blob] = links
                for position, cid, method in links:
                    rows.append((iid, position, cid, method))
                    counts[method] += 1
            db.executemany("INSERT INTO interaction_links VALUES (?, ?, ?, ?)", rows)
            rows = []
    counts["participants"] = sum(counts.values())
    return dict(counts)


def _links_of(blob: str, linker: Linker,
              cache: dict[tuple[str, str, str, str], Match]) -> list[tuple[int, str | None, str]]:
    try:
        participants = json.loads(blob)
    except ValueError:
        return []
    links = []
    for position, p in enumerate(participants if isinstance(participants, list) else []):
        if not isinstance(p, dict):
            continue
        key = (p.get("name") or "", p.get("email") or "", p.get("phone") or "",
               p.get("linkedin_url") or "")
        if not any(key):
            continue      # an empty participant names nobody
        found = cache.get(key)
        if found is None:
            found = linker.match(p)
            if len(cache) >= _CACHE_LIMIT:
                cache.clear()
            cache[key] = found
        links.append((position, found[0], found[1]))
    return links
