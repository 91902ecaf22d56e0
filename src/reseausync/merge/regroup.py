"""Regrouping a closed set of records into contacts: cluster, ids, survivorship, write.

The set handed in is closed (resolve.py sees to it): it holds every record linked
to one of its members by a merge decision or a user's link, and every live
record of every contact its members belonged to. Outside such a set nothing can
move, so regrouping it alone gives what regrouping the whole directory would: the
clustering sees the same edges in the same order (strongest first, then by
record id), and the ids it takes are ids only its own records held.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..match.engine import Engine
from ..match.features import Features
from ..normalize.emails import normalize_email
from ..store import Store
from .clusters import cluster
from .directory import (
    TakenIds,
    previous_links,
    remove_contacts,
    write_contacts,
    write_links,
)
from .ids import assign_ids
from .state import members_for, overrides, record_keys_for
from .survivorship import canonical

BATCH = 5000          # contacts built and written at a time: bounded memory


@dataclass
class Region:
    """The records to regroup and what the clustering needs to know about them."""

    rids: list[int]                                   # live records, sorted
    feats: dict[int, Features]
    merges: list[tuple[float, int, int]]              # (score, a, b), both ends in rids
    reviews: list[tuple[int, int]]                    # review pairs with an end in rids
    old_contacts: set[str] = field(default_factory=set)   # ids the records held before


def regroup(store: Store, run: int, engine: Engine, region: Region, *, region_code: str | None,
            me: Sequence[str], priority: dict[str, int]) -> dict[str, int]:
    rids = region.rids
    pos = {rid: i for i, rid in enumerate(rids)}
    feats = [region.feats[rid] for rid in rids]
    links, splits = overrides(store)
    pos_links = [(pos[a], pos[b]) for a, b in links if a in pos and b in pos]
    pos_splits = {(min(pos[a], pos[b]), max(pos[a], pos[b]))
                  for a, b in splits if a in pos and b in pos}
    edges = [(score, pos[a], pos[b]) for score, a, b in region.merges]
    conflict_cache: dict[tuple[int, int], bool] = {}

    def conflict(x: int, y: int) -> bool:
        key = (x, y) if x < y else (y, x)
        found = conflict_cache.get(key)
        if found is None:
            found = conflict_cache[key] = engine.conflict(feats[key[0]], feats[key[1]])
        return found

    clusters, joined = cluster(len(rids), edges, pos_links, pos_splits, conflict)
    groups = clusters.groups()
    previous = previous_links(store.db, rids)
    keys = record_keys_for(store, rids)
    ids = assign_ids(groups, [previous.get(r, (None,))[0] for r in rids],
                     [keys[r] for r in rids], TakenIds(store.db))

    in_review = set()
    for a, b in region.reviews:
        pa, pb = pos.get(a), pos.get(b)
        if pa is not None and pb is not None and clusters.find(pa) == clusters.find(pb):
            continue
        in_review.update(p for p in (pa, pb) if p is not None)
    reasons: dict[int, int] = {}
    for a, b in joined:
        for x, y in ((a, b), (b, a)):
            reasons.setdefault(x, rids[y])
    me_emails = {normalize_email(e) for e in me} - {""}

    added = updated = 0
    order = list(zip(ids, groups, strict=True))
    for start in range(0, len(order), BATCH):
        batch = order[start:start + BATCH]
        members = members_for(store, (rids[p] for _, group in batch for p in group))
        contacts: list[tuple[str, dict[str, Any]]] = []
        for cid, group in batch:
            flags = _flags(group, feats, members, rids, in_review, me_emails)
            contacts.append((cid, canonical([members[rids[p]] for p in group], priority,
                                            region_code, flags)))
        a, u = write_contacts(store.db, run, contacts)
        added, updated = added + a, updated + u
    write_links(store.db, _link_rows(ids, groups, rids, reasons), previous)
    removed = remove_contacts(store.db, run, region.old_contacts - set(ids))
    return {"contacts": len(ids), "contacts_added": added, "contacts_updated": updated,
            "contacts_removed": removed, "merged_pairs": len(joined)}


def _flags(group: Sequence[int], feats: Sequence[Features], members: dict, rids: Sequence[int],
           in_review: set[int], me_emails: set[str]) -> list[str]:
    flags = []
    if not any(feats[p].identity for p in group):
        flags.append("no_identity")
        if any(members[rids[p]].data.get("organization") for p in group):
            flags.append("organization_only")
    if any(p in in_review for p in group):
        flags.append("review")
    if me_emails and any(not me_emails.isdisjoint(feats[p].emails) for p in group):
        flags.append("me")
    return flags


def _link_rows(ids: Sequence[str], groups: Sequence[Sequence[int]], rids: Sequence[int],
               reasons: dict[int, int]) -> Iterable[tuple[int, str, str]]:
    for cid, group in zip(ids, groups, strict=True):
        for p in group:
            other = reasons.get(p)
            yield rids[p], cid, (json.dumps({"with": other}) if other is not None else "{}")
