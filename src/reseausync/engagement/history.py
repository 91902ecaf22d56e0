"""Who held an e-mail address, phone number or profile URL, and when.

Linking by the live contacts' keys alone loses what the directory knew: a person
who changed employer keeps the old address only on a removed (tombstoned) record,
so the mails of the old job linked to nobody and a real exchange read as "never
answered" (QA5 #3); a recycled number credited the previous owner's calls to the
new one (QA5 #4). Here each key that some contact held formerly gets its holders,
each with the period it held the key: from its records' first collection to their
removal (or still held). Linking an interaction then asks who held the key at the
interaction's date (`KeyHistory.holders`).

Only keys with a former holder are kept: a directory nothing was removed from (a
first import) has none, and links exactly as before, at no cost.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field

from .keys import email_key, name_key, phone_key, stored_values, url_key

KINDS = ("email", "phone", "url")

_FORMER_SQL = """
SELECT cr.contact_id, r.data->'emails', r.data->'phones', r.data->>'linkedin_url',
       min(r.first_seen, coalesce(r.collected_at, r.first_seen)), r.removed_at,
       r.first_run, r.removed_run
FROM records r JOIN contact_records cr ON cr.record_id = r.id
WHERE r.removed_at IS NOT NULL
"""
"""The removed records' keys, with the contact each was last part of (it may be live,
when the person kept other records, or removed with them)."""

_EDITED_SQL = """
SELECT cr.contact_id, f.field, f.value,
       min(r.first_seen, coalesce(r.collected_at, r.first_seen)), f.until,
       r.first_run, f.until_run
FROM record_former_values f JOIN records r ON r.id = f.record_id
JOIN contact_records cr ON cr.record_id = f.record_id
"""
"""The values edits took off records (migration 020), with the record's contact."""

_LIVE_SQL = """
SELECT cr.contact_id, r.data->'emails', r.data->'phones', r.data->>'linkedin_url',
       min(r.first_seen, coalesce(r.collected_at, r.first_seen)), r.first_run
FROM contact_records cr JOIN records r ON r.id = cr.record_id
WHERE r.removed_at IS NULL AND cr.contact_id IN ({marks})
"""
"""The live records of some contacts: when each started to hold its keys."""

_NAMES_SQL = """
SELECT c.id, c.removed_at, c.merged_into, c.data->>'display_name', c.data->>'given_name',
       c.data->>'family_name'
FROM contacts c WHERE c.id IN ({marks})
"""

_RECORD_NAMES_SQL = """
SELECT cr.contact_id, r.data->>'display_name', r.data->>'given_name', r.data->>'family_name'
FROM contact_records cr JOIN records r ON r.id = cr.record_id
WHERE cr.contact_id IN ({marks})
"""

_CHUNK = 500


@dataclass(slots=True)
class Holding:
    """A contact holding a key from `start` (ISO UTC) to `end` (None: still held),
    from the run `first_run` that first read it to the run `end_run` that took it
    away; `ever`: it also holds the key before `start` (_merged says when)."""

    cid: str
    start: str
    end: str | None
    first_run: int = 0
    end_run: int | None = None
    ever: bool = False


Tables = dict[str, dict[str, list[Holding]]]


@dataclass
class KeyHistory:
    """Kind ("email", "phone", "url") -> key -> its holdings sorted by start, for the
    keys some contact held formerly; `names`: the full names of removed holders."""

    tables: Tables = field(default_factory=lambda: {kind: {} for kind in KINDS})
    names: dict[str, set[str]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return any(self.tables.values())

    def timed(self, kind: str, key: str) -> bool:
        return bool(key) and key in self.tables[kind]

    def holders(self, kind: str, key: str, at: str) -> set[str] | None:
        """Who held `key` at `at`; None when the key has no former holder (the live
        contacts holding it decide, as always). The first holders known also hold it
        before their own first collection (`Holding.ever`): a directory built today
        from old exports credits older interactions to the people it holds. A date
        no holding covers
        (between a holder's removal and the next one's first collection) goes to
        the current holders, or else to the latest former one."""
        holdings = self.tables[kind].get(key) if key else None
        if holdings is None:
            return None
        inside = {h.cid for h in holdings
                  if (h.ever or h.start <= at) and (h.end is None or at <= h.end)}
        if inside:
            return inside
        current = {h.cid for h in holdings if h.end is None}
        if current:
            return current
        return {max(holdings, key=lambda h: h.end or "").cid}


def load_history(db: sqlite3.Connection, live: dict[str, dict[str, set[str]]],
                 live_names: dict[str, set[str]], region: str | None) -> KeyHistory:
    """The history of every key some contact held formerly: on a removed record, or
    taken off a record by an edit. `live`: kind -> key -> live contact ids
    (ContactIndex's tables), `live_names`: full name -> live contact ids."""
    cursor = db.cursor()
    cursor.row_factory = None
    former: Tables = {kind: {} for kind in KINDS}
    for kind, key, holding in _former(cursor, region):
        former[kind].setdefault(key, []).append(holding)
    if not any(former.values()):
        return KeyHistory()
    contacts = _contacts(cursor, {h.cid for t in former.values() for hs in t.values()
                                  for h in hs})
    for table in former.values():
        for holdings in table.values():
            for h in holdings:
                h.cid = contacts.follow(h.cid)
    _drop_unchanged(former, live)
    if not any(former.values()):
        return KeyHistory()
    _add_live(cursor, former, live, region)
    _alias(former, live, live_names, contacts)
    _drop_unchanged(former, live)
    history = KeyHistory(tables={kind: {key: _merged(hs) for key, hs in table.items()}
                                 for kind, table in former.items()})
    history.names = {h.cid: contacts.names.get(h.cid, set())
                     for table in former.values() for hs in table.values() for h in hs
                     if h.cid in contacts.removed}
    return history


def _former(cursor: sqlite3.Cursor, region: str | None
            ) -> Iterator[tuple[str, str, Holding]]:
    """(kind, key, holding) of every value a record no longer carries."""
    for cid, emails, phones, url, start, end, run, end_run in cursor.execute(
            _FORMER_SQL).fetchall():
        for kind, key in _keys(emails, phones, url, region):
            yield kind, key, Holding(cid, start or "", end or "", run, end_run or run)
    for cid, name, value, start, end, run, end_run in cursor.execute(_EDITED_SQL).fetchall():
        kind, key = _key(name, value, region)
        if key:
            yield kind, key, Holding(cid, start or "", end or "", run, end_run)


def _key(name: str, value: str, region: str | None) -> tuple[str, str]:
    """(kind, key) of one stored value of a record's field `name`."""
    if name == "emails":
        return "email", email_key(value)
    if name == "phones":
        return "phone", phone_key(value, region)
    return "url", url_key(value)


def _keys(emails: str | None, phones: str | None, url: str | None,
          region: str | None) -> Iterator[tuple[str, str]]:
    """(kind, key) of a record's values (stored as JSON lists of {"value": ...})."""
    for value in stored_values(emails):
        if key := email_key(value):
            yield "email", key
    for value in stored_values(phones):
        if key := phone_key(value, region):
            yield "phone", key
    if key := url_key(url):
        yield "url", key


@dataclass
class _Contacts:
    """What the history needs of the contacts that held a key: which are removed,
    where a merged one went, and every full name each carried."""

    removed: set[str] = field(default_factory=set)
    merged_into: dict[str, str] = field(default_factory=dict)
    names: dict[str, set[str]] = field(default_factory=dict)

    def follow(self, cid: str) -> str:
        """A contact merged into another stands for it (a few hops at most)."""
        seen = {cid}
        while cid in self.merged_into and self.merged_into[cid] not in seen:
            cid = self.merged_into[cid]
            seen.add(cid)
        return cid


def _contacts(cursor: sqlite3.Cursor, ids: set[str]) -> _Contacts:
    """Removed state, merge target and names of `ids` and of the contacts they were
    merged into."""
    found = _Contacts()
    todo = set(ids)
    done: set[str] = set()
    while todo:
        batch = sorted(todo)
        done |= todo
        todo = set()
        for chunk in _chunks(batch):
            marks = ",".join("?" * len(chunk))
            for cid, removed, merged, display, given, family in cursor.execute(
                    _NAMES_SQL.format(marks=marks), chunk):
                if removed:
                    found.removed.add(cid)
                if removed and merged:
                    found.merged_into[cid] = merged
                    if merged not in done:
                        todo.add(merged)
                _add_names(found.names.setdefault(cid, set()), display, given, family)
            for cid, display, given, family in cursor.execute(
                    _RECORD_NAMES_SQL.format(marks=marks), chunk):
                _add_names(found.names.setdefault(cid, set()), display, given, family)
    return found


def _add_names(names: set[str], display: str | None, given: str | None,
               family: str | None) -> None:
    for text in (display, f"{given or ''} {family or ''}"):
        key = name_key(text)
        if " " in key:
            names.add(key)


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]


def _drop_unchanged(former: Tables, live: dict[str, dict[str, set[str]]]) -> None:
    """Keys whose every holder still holds them: nothing of their past differs (a
    record re-keyed inside its contact, a removed duplicate card)."""
    for kind, table in former.items():
        current = live[kind]
        for key in [k for k, hs in table.items()
                    if all(h.cid in current.get(k, ()) for h in hs)]:
            del table[key]


def _add_live(cursor: sqlite3.Cursor, former: Tables, live: dict[str, dict[str, set[str]]],
              region: str | None) -> None:
    """Add the live holders of the kept keys, each from the first collection of its
    live records carrying the key (else of its earliest live record)."""
    wanted = {cid for kind, table in former.items() for key in table
              for cid in live[kind].get(key, ())}
    starts: dict[tuple[str, str, str], tuple[str, int]] = {}
    earliest: dict[str, tuple[str, int]] = {}
    for chunk in _chunks(sorted(wanted)):
        marks = ",".join("?" * len(chunk))
        for cid, emails, phones, url, start, run in cursor.execute(
                _LIVE_SQL.format(marks=marks), chunk):
            since = (start or "", run)
            earliest[cid] = min(earliest.get(cid, since), since)
            for kind, key in _keys(emails, phones, url, region):
                slot = (cid, kind, key)
                starts[slot] = min(starts.get(slot, since), since)
    for kind, table in former.items():
        for key, holdings in table.items():
            for cid in live[kind].get(key, ()):
                start, run = starts.get((cid, kind, key), earliest.get(cid, ("", 0)))
                holdings.append(Holding(cid, start, None, run))


def _alias(former: Tables, live: dict[str, dict[str, set[str]]],
           live_names: dict[str, set[str]], contacts: _Contacts) -> None:
    """A removed holder that is one of the live contacts under another id (the same
    full name: an Android card edited, so re-keyed and given a new contact) is that
    contact: among the key's live holders, else the one live contact with its name.
    Only a removed holder named like nobody live (another person: the previous
    owner of a recycled number) keeps its own periods."""
    for kind, table in former.items():
        for key, holdings in table.items():
            current = live[kind].get(key, set())
            for h in holdings:
                if h.cid in contacts.removed:
                    h.cid = _same_person(contacts.names.get(h.cid, set()), current,
                                         live_names, contacts) or h.cid


def _same_person(names: set[str], current: set[str], live_names: dict[str, set[str]],
                 contacts: _Contacts) -> str | None:
    among = {cid for name in names for cid in live_names.get(name, ()) if cid in current}
    if len(among) == 1:
        return next(iter(among))
    if among:
        return None
    alone = {cid for name in names for cid in live_names.get(name, ())
             if len(live_names[name]) == 1}
    return next(iter(alone)) if len(alone) == 1 else None


def _merged(holdings: list[Holding]) -> list[Holding]:
    """One holding per contact (earliest start; still held if any is), by start.

    A holding is `ever` (it holds the key since before anything the directory
    knows) when it began on the first holder's day and no other holder's record
    lost the key before the run that brought it: the people of one first build
    (read seconds apart, by several runs) hold a shared number together, while a
    card added in the run that removed the previous holder's is a successor."""
    by_cid: dict[str, Holding] = {}
    for h in holdings:
        found = by_cid.get(h.cid)
        if found is None:
            by_cid[h.cid] = Holding(h.cid, h.start, h.end, h.first_run, h.end_run)
            continue
        found.start = min(found.start, h.start)
        found.first_run = min(found.first_run, h.first_run)
        if found.end is None or h.end is None:
            found.end = found.end_run = None
        else:
            found.end, found.end_run = max(found.end, h.end), max(found.end_run or 0,
                                                                  h.end_run or 0)
    merged = sorted(by_cid.values(), key=lambda h: (h.start, h.cid))
    first_day = merged[0].start[:10]
    for h in merged:
        h.ever = h.start[:10] == first_day and not any(
            o.end_run is not None and o.end_run <= h.first_run for o in merged if o is not h)
    return merged
