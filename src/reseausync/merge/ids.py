"""Canonical contact ids: stable across runs, deterministic in a fresh directory.

A new cluster keeps the id most of its records had before; when a contact is
split, the part holding more of its records keeps the id. A cluster with no
previous id gets one derived from its smallest (source, external id), so two
fresh directories built from the same records agree.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Container, Sequence


def contact_id_for(source: str, external_id: str, salt: int = 0) -> str:
    text = f"{source}\0{external_id}" + (f"\0{salt}" if salt else "")
    return "c" + hashlib.sha1(text.encode()).hexdigest()[:11]


def assign_ids(groups: Sequence[Sequence[int]], previous: Sequence[str | None],
               keys: Sequence[tuple[str, str]], reserved: Container[str]) -> list[str]:
    """One id per group of positions.

    `previous[p]` is the contact id position p belonged to (None if new), `keys[p]`
    its (source, external id); `reserved` are ids that must not be minted anew
    (every id the directory ever gave out, so a removed contact's id is not reused
    for someone else).
    """
    ids: list[str | None] = [None] * len(groups)
    offers: list[tuple[int, int, str, int]] = []
    for g, members in enumerate(groups):
        counts = Counter(previous[p] for p in members if previous[p] is not None)
        for cid, count in counts.items():
            offers.append((-count, -len(members), cid, g))
    used: set[str] = set()
    for _, _, cid, g in sorted(offers):
        if ids[g] is None and cid not in used:
            ids[g] = cid
            used.add(cid)
    for g, members in enumerate(groups):
        if ids[g] is not None:
            continue
        source, external_id = min(keys[p] for p in members)
        salt = 0
        cid = contact_id_for(source, external_id)
        while cid in used or cid in reserved:
            salt += 1
            cid = contact_id_for(source, external_id, salt)
        ids[g] = cid
        used.add(cid)
    return [cid for cid in ids if cid is not None]
