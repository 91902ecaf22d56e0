"""Canonical contact ids: stable across runs, deterministic in a fresh directory.

A new cluster keeps the id most of its records had before; when a contact is
split, the part holding more of its records keeps the id. A cluster with no
previous id gets one derived from its smallest (source, external id), so two
fresh directories built from the same records agree. An id once given out is
never given to someone else; but a removed contact's id derived from this same
smallest record comes back to it (a link withdrawn: the part that lost its id to
the merge gets it back).

An id two groups both held goes to the group holding more of its records, then to
the group one of whose records derives it (QA6 #1: after `link --undo`, both sides
held the kept id once each, and the group met first took it, whoever it was
derived from). A group that lost such a contest gets back the removed contact
that was merged into the id it held and was derived from one of its records.

Lineage comes before the majority: in a contest over an id other contacts were
merged into (a link, or the matcher, joined them), a group that can take back one
of those merged ids, derived from its own records and not from the contested one,
yields the contested id to the groups that cannot (QA7 #1: after `link A B`, a
sync that gave B's side one more record made it the larger part, and on
`link --undo` B took A's id while A got a new one). A contest with no such
lineage (an ordinary split by the matcher) is decided by the majority as before.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Protocol


class Given(Protocol):
    """The ids a directory gave out (merge/directory.TakenIds)."""

    def __contains__(self, cid: object) -> bool: ...
    def removed(self, cid: str) -> bool: ...


def contact_id_for(source: str, external_id: str, salt: int = 0) -> str:
    text = f"{source}\0{external_id}" + (f"\0{salt}" if salt else "")
    return "c" + hashlib.sha1(text.encode()).hexdigest()[:11]


Offer = tuple[int, int, int, int, str, int]   # (yields, -count, derived, -size, cid, g)


def keep_ids(groups: Sequence[Sequence[int]], previous: Sequence[str | None],
             derives: Callable[[int, str], bool] | None = None,
             reclaims: Callable[[int, str], bool] | None = None
             ) -> tuple[list[str | None], set[str]]:
    """The ids groups keep from before (None where a group must mint one), and the set
    of ids so used. A contested id goes first to the groups that cannot take back
    an id merged into it (`reclaims(g, cid)`: see the module), then to the group
    holding more of its records, then to the one a record of which derives it
    (`derives(g, cid)`); both are asked only of groups in a contest."""
    ids: list[str | None] = [None] * len(groups)
    offers: list[Offer] = []
    for g, members in enumerate(groups):
        if len(members) == 1:
            cid = previous[members[0]]
            if cid is not None:
                offers.append((0, -1, 0, -1, cid, g))
            continue
        counts = Counter(previous[p] for p in members if previous[p] is not None)
        for cid, count in counts.items():
            offers.append((0, -count, 0, -len(members), cid, g))
    offers = _contested(offers, derives, reclaims)
    used: set[str] = set()
    offers.sort()
    for *_, cid, g in offers:
        if ids[g] is None and cid not in used:
            ids[g] = cid
            used.add(cid)
    return ids, used


def _contested(offers: list[Offer], derives: Callable[[int, str], bool] | None,
               reclaims: Callable[[int, str], bool] | None) -> list[Offer]:
    """Rank the offers of each contested id: a group that reclaims an id merged into
    it and does not derive it yields (1), unless every group in the contest does;
    then whether the group derives it (0 before 1). Uncontested offers are left as
    they are, so nothing is asked of them."""
    by_cid: dict[str, list[int]] = {}
    for i, offer in enumerate(offers):
        by_cid.setdefault(offer[4], []).append(i)
    out = list(offers)
    for cid, where in by_cid.items():
        if len(where) == 1:
            continue
        derived = {i: derives is not None and derives(offers[i][5], cid) for i in where}
        yields = {i: reclaims is not None and not derived[i] and reclaims(offers[i][5], cid)
                  for i in where}
        if all(yields.values()):
            yields = dict.fromkeys(where, False)
        for i in where:
            _, count, _, size, _, g = offers[i]
            out[i] = (int(yields[i]), count, 0 if derived[i] else 1, size, cid, g)
    return out


class Lineage:
    """What the database knows of a regroup's records for `keep_ids` and `revive`:
    each record's (source, external id) and the removed contacts merged into an id."""

    def __init__(self, db: sqlite3.Connection, rids: Sequence[int]) -> None:
        self.db = db
        self.rids = rids
        self._predecessors: dict[int, list[int]] | None = None

    def keys(self, members: Sequence[int]) -> list[tuple[str, str]]:
        """The (source, external id) of records at these positions and of the records
        they succeeded (merge/succession.py), smallest first: a card re-keyed since
        its contact's id was minted still derives that id (review7 #2: a link
        undone after the absorbed side's card was re-keyed gave it a new id)."""
        batch = self._with_predecessors([self.rids[p] for p in members])
        marks = ",".join("?" * len(batch))
        return sorted((row[0], row[1]) for row in self.db.execute(
            f"SELECT source, external_id FROM records WHERE id IN ({marks})", batch))

    def _with_predecessors(self, rids: list[int]) -> list[int]:
        if self._predecessors is None:     # few records are ever re-keyed: read once
            self._predecessors = {}
            for old, new in self.db.execute(
                    "SELECT id, succeeded_by FROM records WHERE succeeded_by IS NOT NULL"):
                self._predecessors.setdefault(new, []).append(old)
        out, todo = list(rids), list(rids)
        while todo:
            for old in self._predecessors.get(todo.pop(), ()):
                if old not in out:
                    out.append(old)
                    todo.append(old)
        return out

    def derives(self, members: Sequence[int], cid: str) -> bool:
        """Whether a record of the group derives `cid` (unsalted): the contact that id
        was minted for held that record."""
        return any(contact_id_for(*key) == cid for key in self.keys(members))

    def reclaims(self, members: Sequence[int], cid: str) -> bool:
        """Whether a record of the group derives a removed contact merged into `cid`:
        the group held that id before the merge and can take it back (`revive`)."""
        absorbed = set(self.absorbed({cid}))
        return bool(absorbed) and any(contact_id_for(*key) in absorbed
                                      for key in self.keys(members))

    def absorbed(self, cids: set[str]) -> list[str]:
        """Removed contacts a merge folded into one of `cids`."""
        marks = ",".join("?" * len(cids))
        return sorted(row[0] for row in self.db.execute(
            f"SELECT id FROM contacts WHERE removed_at IS NOT NULL "
            f"AND merged_into IN ({marks})", sorted(cids)))

    def repoint(self, moves: dict[str, str]) -> None:
        """Record that removed contacts (keys) are now merged into other contacts."""
        self.db.executemany("UPDATE contacts SET merged_into=? WHERE id=?",
                            [(target, cid) for cid, target in sorted(moves.items())])


def revive(groups: Sequence[Sequence[int]], previous: Sequence[str | None],
           ids: list[str | None], used: set[str], lineage: Lineage) -> None:
    """Give a group that lost the id its records held the removed contact merged into
    that id and derived from one of its records (a withdrawn link's absorbed side),
    before it mints a new one; `ids` and `used` are updated in place. The other
    contacts merged into that id and derived from the group's records now point to
    the id the group took (QA7 #1: after `link A B`, `link B C`, `link --undo A B`,
    `show` of C's id said it was in A's contact)."""
    moves: dict[str, str] = {}
    for g, members in enumerate(groups):
        held = {previous[p] for p in members} - {None}
        if ids[g] is not None or not held or not held <= used:
            continue
        absorbed = lineage.absorbed(held)
        candidates = [cid for cid in absorbed if cid not in used]
        derived = list(dict.fromkeys(cid for key in lineage.keys(members)
                                     if (cid := contact_id_for(*key)) in candidates))
        if not derived:
            continue
        ids[g] = derived[0]
        used.add(derived[0])
        moves.update((cid, derived[0]) for cid in derived[1:])
    if moves:
        lineage.repoint(moves)


def mint_id(key: tuple[str, str], used: set[str], given: Given) -> tuple[str, bool]:
    """An id derived from a group's smallest (source, external id), salted past any id
    already used in this regroup or given out to a live contact; added to `used`.
    Returns (id, fresh): not fresh when it revives a removed contact derived from
    this same record. Groups must mint in group order for a fresh directory to get
    the same ids every time."""
    source, external_id = key
    salt = 0
    cid = contact_id_for(source, external_id)
    while cid in used or (cid in given and not given.removed(cid)):
        salt += 1
        cid = contact_id_for(source, external_id, salt)
    used.add(cid)
    return cid, cid not in given
