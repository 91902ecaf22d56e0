"""Canonical contact ids: stable across runs, deterministic in a fresh directory.

A new cluster keeps the id most of its records had before; when a contact is
split, the part holding more of its records keeps the id. A cluster with no
previous id gets one derived from its smallest (source, external id), so two
fresh directories built from the same records agree. An id once given out is
never given to someone else; but a removed contact's id derived from this same
smallest record comes back to it (a link withdrawn: the part that lost its id to
the merge gets it back).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from typing import Protocol


class Given(Protocol):
    """The ids a directory gave out (merge/directory.TakenIds)."""

    def __contains__(self, cid: object) -> bool: ...
    def removed(self, cid: str) -> bool: ...


def contact_id_for(source: str, external_id: str, salt: int = 0) -> str:
    text = f"{source}\0{external_id}" + (f"\0{salt}" if salt else "")
    return "c" + hashlib.sha1(text.encode()).hexdigest()[:11]


def keep_ids(groups: Sequence[Sequence[int]], previous: Sequence[str | None]
             ) -> tuple[list[str | None], set[str]]:
    """The ids groups keep from before (None where a group must mint one), and the set
    of ids so used. Contested ids go to the group holding more of their records."""
    ids: list[str | None] = [None] * len(groups)
    offers: list[tuple[int, int, str, int]] = []
    for g, members in enumerate(groups):
        if len(members) == 1:
            cid = previous[members[0]]
            if cid is not None:
                offers.append((-1, -1, cid, g))
            continue
        counts = Counter(previous[p] for p in members if previous[p] is not None)
        for cid, count in counts.items():
            offers.append((-count, -len(members), cid, g))
    used: set[str] = set()
    offers.sort()
    for _, _, cid, g in offers:
        if ids[g] is None and cid not in used:
            ids[g] = cid
            used.add(cid)
    return ids, used


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
