"""Counts by status, layer and source, and how well interactions were linked."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..store import Store
from .linking import NONE, UNLINKED_SQL
from .settings import LAYERS
from .status import STATUSES


def stats(store: Store, annotated: list[dict[str, Any]]) -> dict[str, Any]:
    """`annotated` comes from `annotate`; contacts not yet collected on its as-of date
    are counted apart (`not_collected`), not in the status and layer counts. A contact
    in several sources counts once in each of them."""
    by_status: Counter[str] = Counter({s: 0 for s in STATUSES})
    by_layer: Counter[str] = Counter({layer: 0 for layer in LAYERS})
    by_source: dict[str, Counter[str]] = {}
    not_collected = 0
    for contact in annotated:
        if not contact.get("collected_as_of", True):
            not_collected += 1
            continue
        by_status[contact["status"]] += 1
        by_layer[contact["layer"]] += 1
        names = {s.get("source", "") for s in contact.get("sources") or []} or {""}
        for name in names:
            counts = by_source.setdefault(name, Counter({"contacts": 0}))
            counts["contacts"] += 1
            counts[contact["status"]] += 1
    return {
        "contacts": sum(by_status.values()),
        "not_collected": not_collected,
        "by_status": dict(by_status),
        "by_layer": dict(by_layer),
        "by_source": {name: {"contacts": c["contacts"], **{s: c[s] for s in STATUSES}}
                      for name, c in sorted(by_source.items())},
        "participants": _links(store),
    }


def _links(store: Store) -> dict[str, int]:
    """Participant links of live interactions by method (email, phone, url, name,
    none, ambiguous, owner); "none" has no rows (UNLINKED_SQL)."""
    rows = store.db.execute(
        "SELECT l.method, COUNT(*) FROM interaction_links l JOIN interactions i "
        "ON i.id = l.interaction_id WHERE i.removed_at IS NULL GROUP BY l.method")
    out = {method: count for method, count in rows}
    unlinked = store.db.execute(f"SELECT COUNT(*) FROM ({UNLINKED_SQL})").fetchone()[0]
    if unlinked:
        out[NONE] = unlinked
    return out
