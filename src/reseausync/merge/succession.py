"""A record re-keyed by its source hands its contact id and the user's decisions on.

A source's external id is how a record is known from run to run, and an id can
change while the person does not: a phone book exported again from a new phone
gives every card a new UID, an upgrade keys cards without UID by name instead of
by their text, a CSV row shared by a family is keyed again. The run then
tombstones the old record and adds a new one; the contact id and the user's
link or split followed the record id only, so the contact got a new id and a
split between father and son no longer held: they were merged again, silently
(qa5_lifecycle #1, #2).

The rule: a record a run removed and one it added in the same source are one
record re-keyed when they say the same (everything but the external id), or
when they bear the same name and share an e-mail or a phone. The new one is its
*successor* (`records.succeeded_by` on the old one): it joins every side of the
user's decisions the old one was on, and is linked to the old one's contact,
which the resolve then reads as the contact it held before (merge/ids.keep_ids).
It also takes the old one's first sight (`first_seen`, `first_run`): the person
was collected then, not today, which survivorship's "newest" and the contact's
engagement status read.
Ties go to the closest pair (same content, then the most values shared), then
to the lower record ids, so a run pairs the same records whatever the order.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass

__all__ = ["hand_over", "rebind_lapsed"]


@dataclass(slots=True)
class _Side:
    rid: int
    name: str
    body: str                 # the data without the external id
    values: frozenset[str]    # e-mails and phones, comparable


def hand_over(db: sqlite3.Connection, source: str, run: int) -> int:
    """Pair what `run` removed from `source` with what it added, mark each pair's
    succession, and carry the decisions and the contact over; returns the pairs."""
    gone = _sides(db, "SELECT id, data FROM records WHERE source=? AND removed_run=?",
                  (source, run))
    if not gone:
        return 0
    came = _sides(db, "SELECT id, data FROM records WHERE source=? AND first_run=? "
                      "AND removed_at IS NULL", (source, run))
    pairs = _pairs(gone, came)
    _succeed_all(db, pairs)
    return len(pairs)


# A decision whose side left (overrides.lapsed) waited for "a record that comes
# back", meaning the same external id; a card deleted in one sync and created again
# in a later one with a new UID came back as a stranger, and merged into the very
# contact the user had split it from, silently (QA7 #2). The successor test is
# therefore also applied to what a run adds against the records of such a side.
_LAPSED_SIDES = (
    "SELECT r.id, r.data FROM records r "
    "JOIN override_records m ON m.record_id = r.id "
    "WHERE r.source = ?1 AND r.removed_at IS NOT NULL AND r.succeeded_by IS NULL "
    "AND r.removed_run < ?2 AND NOT EXISTS (SELECT 1 FROM override_records m2 "
    "JOIN records r2 ON r2.id = m2.record_id AND r2.removed_at IS NULL "
    "WHERE m2.override_id = m.override_id AND m2.side = m.side) GROUP BY r.id")


def rebind_lapsed(db: sqlite3.Connection, source: str, run: int) -> int:
    """Pair the records `run` added to `source` (and that succeed nothing) with the
    removed records of decision sides that have no live record left, as
    `hand_over` pairs a run's own removals. The new record joins the decision
    again and takes the removed contact's id back. Returns how many decisions
    hold again: the run's summary says so, as it says when one stops holding."""
    gone = _sides(db, _LAPSED_SIDES, (source, run))
    if not gone:
        return 0
    came = _sides(db, "SELECT id, data FROM records WHERE source=? AND first_run=? "
                      "AND removed_at IS NULL AND id NOT IN (SELECT succeeded_by FROM "
                      "records WHERE succeeded_by IS NOT NULL)", (source, run))
    return len(_succeed_all(db, _pairs(gone, came)))


def _succeed_all(db: sqlite3.Connection, pairs: list[tuple[int, int, bool]]) -> set[int]:
    """Mark each (old, new, same) pair; returns the decisions the old records named,
    which the new ones now carry."""
    decisions: set[int] = set()
    for old, new, same in pairs:
        decisions.update(oid for (oid,) in db.execute(
            "SELECT override_id FROM override_records WHERE record_id=?", (old,)))
        _succeed(db, old, new, same)
    return decisions


def _succeed(db: sqlite3.Connection, old: int, new: int, same: bool) -> None:
    """Mark `new` the successor of `old`: its first sight, its decisions and its
    contact carry over."""
    db.execute("UPDATE records SET succeeded_by=? WHERE id=?", (new, old))
    db.execute("UPDATE records SET (first_seen, first_run) = (SELECT first_seen, "
               "first_run FROM records WHERE id=?) WHERE id=?", (old, new))
    if same:    # re-keyed, not edited: not "newest" for survivorship nor a bridge
        db.execute("UPDATE records SET (changed_at, changed_run) = (SELECT "
                   "COALESCE(changed_at, first_seen), COALESCE(changed_run, first_run) "
                   "FROM records WHERE id=?) WHERE id=?", (old, new))
    db.execute("INSERT OR IGNORE INTO override_records (override_id, side, record_id) "
               "SELECT override_id, side, ? FROM override_records WHERE record_id=?",
               (new, old))
    db.execute("INSERT OR IGNORE INTO contact_records (record_id, contact_id, reason) "
               "SELECT ?, contact_id, '{}' FROM contact_records WHERE record_id=?",
               (new, old))


def _sides(db: sqlite3.Connection, sql: str, args: tuple) -> list[_Side]:
    out = []
    for rid, text in db.execute(sql, args):
        data = json.loads(text)
        data.pop("external_id", None)
        out.append(_Side(rid, _name(data), json.dumps(data, sort_keys=True),
                         _values(data)))
    return out


def _name(data: dict) -> str:
    """The record's name as words ("daniel roy"); "" when it names nobody."""
    name = " ".join(data.get(f) or "" for f in ("given_name", "family_name")).strip()
    name = name or data.get("display_name") or data.get("organization") or ""
    return " ".join(re.findall(r"\w+", name.casefold()))


def _values(data: dict) -> frozenset[str]:
    emails = {f"@{e['value'].strip().lower()}" for e in data.get("emails") or []}
    phones = {f"#{digits[-10:]}" for p in data.get("phones") or []
              if len(digits := re.sub(r"\D", "", p["value"])) >= 7}
    return frozenset(emails | phones)


def _pairs(gone: list[_Side], came: list[_Side]) -> list[tuple[int, int, bool]]:
    """(old, new) record ids and whether they say the same, each record in one pair
    at most (see the module)."""
    by_name: dict[str, list[_Side]] = {}
    by_body: dict[str, list[_Side]] = {}
    for side in came:
        by_body.setdefault(side.body, []).append(side)
        if side.name:
            by_name.setdefault(side.name, []).append(side)
    offers = set()
    for old in gone:
        for new in by_body.get(old.body, ()):
            offers.add((False, 0, old.rid, new.rid))
        for new in by_name.get(old.name, ()) if old.name else ():
            if old.body != new.body and (shared := len(old.values & new.values)):
                offers.add((True, -shared, old.rid, new.rid))
    offers = sorted(offers)
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    pairs = []
    for differs, _, old_rid, new_rid in offers:
        if old_rid not in taken_old and new_rid not in taken_new:
            taken_old.add(old_rid)
            taken_new.add(new_rid)
            pairs.append((old_rid, new_rid, not differs))
    return pairs
