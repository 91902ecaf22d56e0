"""Turning source records into canonical contacts: normalize, match, merge.

`resolve_contacts` is called by the pipeline inside the run's transaction, after
the records are written, and leaves `contacts` / `contact_records` describing
every live record, `match_pairs` holding the pairs that were merged or need a
review, and the estimated model in `meta`. The steps are the stages' own
modules: features (normalize), blocking, comparison, the Fellegi–Sunter model
(match), clustering, ids, survivorship (merge). The model is re-estimated when
the directory has grown or shrunk by `retrain_growth` since it was estimated;
otherwise the stored one is reused, so a sync scores pairs exactly as a rebuild
of the same directory would.
"""

from __future__ import annotations

import json
from typing import Any

from .match.comparisons import DEFAULT_COMPARISONS
from .match.engine import Engine
from .match.features import record_features
from .match.model import Model
from .merge.clusters import cluster
from .merge.directory import write_directory
from .merge.ids import assign_ids, contact_id_for
from .merge.state import MODEL_KEY, live_members, overrides, previous_ids, resolve_settings
from .merge.survivorship import canonical
from .normalize.emails import normalize_email
from .store import Store

__all__ = ["contact_id_for", "resolve_contacts"]


def _model(store: Store, engine: Engine, feats: list, compared: list) -> Model:
    people = sum(1 for f in feats if f.identity)
    stored = Model.from_json(store.get_meta(MODEL_KEY), DEFAULT_COMPARISONS) \
        if store.get_meta(MODEL_KEY) else None
    growth = engine.settings.retrain_growth
    if stored is not None and stored.trained_on and \
            abs(people - stored.trained_on) <= growth * stored.trained_on:
        engine.use(stored)
        return stored
    model = engine.train(feats, compared)
    store.set_meta(MODEL_KEY, model.to_json())
    return model


def resolve_contacts(store: Store, run: int, settings: Any = None) -> dict[str, int]:
    match_settings, region, me = resolve_settings(store, settings)
    members = live_members(store)
    feats = [record_features(m.rid, m.data, region) for m in members]
    engine = Engine(match_settings)
    blocks, candidates = engine.block(feats)
    compared = engine.gammas(feats, candidates)
    _model(store, engine, feats, compared)
    engine.count_terms(feats)

    position = {m.rid: i for i, m in enumerate(members)}
    edges: list[tuple[float, int, int]] = []
    kept: list[tuple[int, int, tuple[int, ...]]] = []
    judged: list[tuple[float, str]] = []
    judge = engine.judge
    for a, b, gamma in compared:
        probability, decision = judge(feats[a], gamma)
        if decision == "distinct":
            continue
        kept.append((a, b, gamma))
        judged.append((probability, decision))
        if decision == "merge":
            edges.append((probability, a, b))
    links, splits = overrides(store)
    pos_links = [(position[a], position[b]) for a, b in links if a in position and b in position]
    pos_splits = {(min(position[a], position[b]), max(position[a], position[b]))
                  for a, b in splits if a in position and b in position}
    conflict_cache: dict[tuple[int, int], bool] = {}

    def conflict(x: int, y: int) -> bool:
        key = (x, y) if x < y else (y, x)
        found = conflict_cache.get(key)
        if found is None:
            found = conflict_cache[key] = engine.conflict(feats[key[0]], feats[key[1]])
        return found

    clusters, joined = cluster(len(members), edges, pos_links, pos_splits, conflict)
    groups = clusters.groups()
    previous = previous_ids(store)
    reserved = {r[0] for r in store.db.execute("SELECT id FROM contacts")}
    ids = assign_ids(groups, [previous.get(m.rid) for m in members],
                     [(m.source, m.external_id) for m in members], reserved)

    in_review = {x for (a, b, _), (_, d) in zip(kept, judged, strict=True)
                 if d == "review" and clusters.find(a) != clusters.find(b) for x in (a, b)}
    me_emails = {normalize_email(e) for e in me} - {""}
    priority = {s: i for i, s in enumerate(match_settings.source_priority)}
    contacts: list[tuple[str, dict[str, Any]]] = []
    for cid, group in zip(ids, groups, strict=True):
        flags = []
        if not any(feats[p].identity for p in group):
            flags.append("no_identity")
            if any(members[p].data.get("organization") for p in group):
                flags.append("organization_only")
        if any(p in in_review for p in group):
            flags.append("review")
        if me_emails and any(not me_emails.isdisjoint(feats[p].emails) for p in group):
            flags.append("me")
        contacts.append((cid, canonical([members[p] for p in group], priority, region, flags)))
    reasons = {}
    for a, b in joined:
        for x, y in ((a, b), (b, a)):
            reasons.setdefault(x, members[y].rid)
    pair_rows = [(members[a].rid, members[b].rid, probability, decision,
                  json.dumps(engine.explain(feats[a], g), sort_keys=True))
                 for (a, b, g), (probability, decision) in zip(kept, judged, strict=True)]
    counts = write_directory(store, run, members, ids, groups, contacts, reasons, pair_rows)
    counts.update({"candidates": len(candidates), "skipped_blocks": blocks.skipped,
                   "merged_pairs": len(joined)})
    return counts
