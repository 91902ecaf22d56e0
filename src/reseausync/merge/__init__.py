"""Merging: clusters, survivorship, stable ids, the user's overrides, explanations.

The functions the CLI calls:

    review_pairs(store) -> list[dict]     pairs that may be one person, with reasons
    link(store, a, b, settings=None)      same person (contact ids or SOURCE:EXTERNAL_ID)
    split(store, a, b, settings=None)     never the same person
    undo(store, kind, a, b, settings=None) withdraw a link or a split
    explain(store, contact_id) -> dict    member records and why they were merged

`link` and `split` store the decision and re-resolve the directory in one
transaction, so the directory reflects it at once.
"""

from __future__ import annotations

from typing import Any

from ..store import Store
from .overrides import store_override, withdraw_override
from .review import explain, review_pairs

__all__ = ["explain", "link", "review_pairs", "split", "undo"]


def _decide(store: Store, kind: str, a: str, b: str, settings: Any, *,
            withdraw: bool = False) -> None:
    from ..resolve import resolve_contacts  # resolve imports this package
    with store.transaction():
        if withdraw:
            # the pair's records must be regrouped though no decision names them now
            touched = withdraw_override(store, kind, a, b)
        else:
            touched = store_override(store, kind, a, b)
        row = store.db.execute("SELECT MAX(id) FROM runs").fetchone()
        resolve_contacts(store, int(row[0] or 0), settings, touched=touched)


def link(store: Store, a: str, b: str, settings: Any = None) -> None:
    """Record that `a` and `b` are the same person, and rebuild the directory."""
    _decide(store, "link", a, b, settings)


def split(store: Store, a: str, b: str, settings: Any = None) -> None:
    """Record that `a` and `b` are never the same person, and rebuild the directory."""
    _decide(store, "split", a, b, settings)


def undo(store: Store, kind: str, a: str, b: str, settings: Any = None) -> None:
    """Withdraw the user's `kind` ("link" or "split") between `a` and `b`, and
    rebuild: the matcher's own decision holds for the pair again."""
    _decide(store, kind, a, b, settings, withdraw=True)
