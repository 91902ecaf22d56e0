"""The pair-by-pair reference the column-wise scorer is checked against."""

from __future__ import annotations

import json

from reseausync.match.engine import Engine
from reseausync.match.features import Features


def score_pair(engine: Engine, a: Features, b: Features
               ) -> tuple[int, int, float, str, str] | None:
    """The stored row of one pair (a has the lower record id), or None when it is
    distinct: Engine.gamma, judge and explain, one pair at a time."""
    gamma = engine.gamma(a, b)
    probability, decision = engine.judge(a, b, gamma)
    if decision == "distinct":
        return None
    return (a.rid, b.rid, round(probability, 6), decision,
            json.dumps(engine.explain(a, b, gamma), sort_keys=True))
