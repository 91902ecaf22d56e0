"""Regrouping a closed set of records into contacts: cluster, ids, survivorship, write.

The set handed in is closed (resolve.py sees to it): it holds every record linked
to one of its members by a merge decision or a user's link, and every live
record of every contact its members belonged to. Outside such a set nothing can
move, so regrouping it alone gives what regrouping the whole directory would: the
clustering sees the same edges in the same order (strongest first, then by
record id), and the ids it takes are ids only its own records held.

A first import regroups every record, so the work per record is kept to one read
of its row, one decode, survivorship, one encode and two inserts: contacts are
built and written BATCH at a time in the order of their first record (build.py,
on several cores for a large set), ids are decided up front where a contact keeps
one and minted batch by batch otherwise, and nothing holds every record's data.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field

from ..forking import workers
from ..gcpause import gc_paused
from ..match.engine import Engine
from ..match.features import Features
from ..normalize.emails import normalize_email
from ..store import Store, index_dropped
from .build import Builder, build_all
from .clusters import cluster
from .directory import (
    TakenIds,
    merge_targets,
    previous_ids,
    remove_contacts,
    write_contact_texts,
    write_links,
)
from .ids import Lineage, keep_ids, mint_id, revive
from .state import overrides, record_dates, record_rows

BATCH = 5000          # contacts built and written at a time: bounded memory
BULK = 20_000         # a regroup of this many records rebuilds the links' contact index


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
    with gc_paused():
        return _regroup(store, run, engine, region, region_code, me, priority)


def _regroup(store: Store, run: int, engine: Engine, region: Region, region_code: str | None,
             me: Sequence[str], priority: dict[str, int]) -> dict[str, int]:
    rids = region.rids
    pos = {rid: i for i, rid in enumerate(rids)}
    feats = [region.feats[rid] for rid in rids]
    links, splits = overrides(store)
    pos_links = [(pos[a], pos[b]) for a, b in links if a in pos and b in pos]
    pos_splits = {(min(pos[a], pos[b]), max(pos[a], pos[b]))
                  for a, b in splits if a in pos and b in pos}
    edges = [(score, pos[a], pos[b]) for score, a, b in region.merges]
    conflict_cache: dict[tuple[int, int], str] = {}

    def conflict(x: int, y: int) -> bool:
        key = (x, y) if x < y else (y, x)
        found = conflict_cache.get(key)
        if found is None:
            found = conflict_cache[key] = engine.conflict_kind(feats[key[0]], feats[key[1]])
        return found

    dates: dict[int, tuple[str, int]] = {}

    def bridged(z: int, x: int, y: int) -> bool:
        """`z` bridges a job change (Engine.bridge) whose record of the old employer
        is older than both others: the directory read the new employer after the
        old one (records dated alike, as a first import of everything, stay apart)."""
        old = engine.bridge(feats[z], feats[x], feats[y])
        if old is None:
            return False
        missing = [rids[p] for p in (z, x, y) if rids[p] not in dates]
        if missing:
            dates.update(record_dates(store, missing))
        first = dates[old.rid]
        return all(first < dates[rids[p]] for p in (z, x, y) if rids[p] != old.rid)

    clusters, joined = cluster(len(rids), edges, pos_links, pos_splits, conflict, bridged)
    del edges
    conflict_cache.clear()
    groups = clusters.groups()
    previous = previous_ids(store.db, pos)
    lineage = Lineage(store.db, rids)
    kept, used = keep_ids(groups, previous, lambda g, cid: lineage.derives(groups[g], cid),
                          lambda g, cid: lineage.reclaims(groups[g], cid))
    revive(groups, previous, kept, used, lineage)
    taken = TakenIds(store.db)

    in_review = set()
    for a, b in region.reviews:
        pa, pb = pos.get(a), pos.get(b)
        if pa is not None and pb is not None and clusters.find(pa) == clusters.find(pb):
            continue
        in_review.update(p for p in (pa, pb) if p is not None)
    del clusters, pos
    reasons: dict[int, str] = {}
    for a, b in joined:
        for x, y in ((a, b), (b, a)):
            if x not in reasons:
                reasons[x] = f'{{"with": {rids[y]}}}'     # = json.dumps({"with": rid})
    me_emails = {normalize_email(e) for e in me} - {""}
    builder = Builder(rids, feats, in_review, me_emails, priority, region_code)

    def rows_of(batch: Sequence[Sequence[int]]) -> dict:
        return record_rows(store, [rids[p] for group in batch for p in group])

    added = updated = 0
    batches = (groups[start:start + BATCH] for start in range(0, len(groups), BATCH))
    g = 0
    links_index = (index_dropped(store.db, "contact_records_contact")
                   if _bulk(store.db, len(rids)) else nullcontext())
    with links_index:
        for batch, built in build_all(builder, batches, rows_of, workers(len(rids))):
            texts = []
            minted = set()
            link_rows = []
            for group, (key, text) in zip(batch, built, strict=True):
                cid = kept[g]
                g += 1
                if cid is None:
                    cid, fresh = mint_id(key, used, taken)
                    if fresh:
                        minted.add(cid)
                texts.append((cid, text))
                for p in group:
                    link_rows.append((rids[p], cid, reasons.get(p, "{}")))
            a, u = write_contact_texts(store.db, run, texts, minted)
            added, updated = added + a, updated + u
            write_links(store.db, link_rows)
    gone = region.old_contacts - used
    moved = {rids[p]: cid for p, cid in enumerate(previous) if cid in gone} if gone else {}
    removed = remove_contacts(store.db, run, gone, merge_targets(store.db, moved))
    return {"contacts": len(groups), "contacts_added": added, "contacts_updated": updated,
            "contacts_removed": removed, "merged_pairs": len(joined)}


def _bulk(db: sqlite3.Connection, size: int) -> bool:
    """Whether a regroup of `size` records writes enough links that the index on
    their contact ids is cheaper built afterwards (index_dropped) than kept up to
    date row by row: contact ids are hashes, so each insert lands on a random page,
    and a first import of a million records spent 14 s there."""
    if size < BULK:
        return False
    stored = db.execute("SELECT COUNT(*) FROM contact_records").fetchone()[0]
    return size * 2 >= stored
