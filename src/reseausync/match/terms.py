"""An organization's term frequency counted live, not only when the model was estimated.

An exact agreement on an organization is weighed by how common it is
(engine.tf_adjustment): two people "at Acme" say little when Acme is half the
directory. The counts came from the stored model alone, so a company that
arrived after the model was estimated was as rare as a value seen once: 2,000
employees imported into a directory of 10,000 generated records made "works at
Zorbatek" worth 12.5 bits (2.5 now), and colleagues with the same given name and
close family names (a typo level) merged on it.

So an organization's count is now the larger of the model's and the live
directory's: the live records naming someone that carry it, copies included, as the
model counts them (a share of the records that fill the field when the model was
estimated, whose number stays the model's). The live count moves the weight in
steps: the model's count is doubled each time the live directory holds twice as many
(effective). A step changes the score of every pair at the organization, and all of
them are scored again (terms_changed), which is what keeps an incremental run equal
to a full rebuild; in steps, that happens when a company has doubled since the model
was estimated, not on each newcomer (rounded to powers of two instead, a 1% sync of
100,000 generated records scored twice the pairs: each small company passing one, 7
to 8 records, had all its pairs scored again). The steps cost at most one bit of the
adjustment. The model's own counts stay as they were, so a fresh build (whose live
counts are the model's) scores exactly as before.

The live counts are kept in `match_keys` as one row per record under a key of
its own for the organization (`term_key`: "t:org|" + the value), which no blocking
reads: its rows are the organization's bearers, found and counted through the
key index.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from .blocking import key_id
from .features import Features
from .hubs import LiveCounts
from .persist import MatchState, chunks

if TYPE_CHECKING:
    from .engine import Engine

FIELDS = ("org",)     # term-frequency tables (and feature attributes) counted live


def term_key(field: str, value: str) -> int:
    """The match_keys id under which the records bearing a value are listed."""
    return key_id(f"t:{field}|{value}")


def effective(model: int, live: int) -> int:
    """The count an agreement is weighed by: the model's, doubled as many times as
    the live count holds it (the model's count times the largest power of two not
    above live / model). Within a factor of two of the live count, so at most one
    bit off, and it moves only when a company doubles."""
    if live < 2 * model:
        return model
    return model << ((live // model).bit_length() - 1)


def bearing(f: Features, field: str) -> str:
    """The value of `field` a record is counted under ("" for none): only records
    naming someone count, as in the model (Engine.term_counts)."""
    return getattr(f, field) if f.identity else ""


def _values(feats: Sequence[Features], field: str) -> list[str]:
    """bearing() of every record, in a list comprehension: a full build asks it of
    a million records, where a call per record costs a second."""
    return [getattr(f, field) if f.identity else "" for f in feats]


class FixedTerms:
    """Live counts known for every value at once (a full build, or none: then an
    organization counts as the model says)."""

    def __init__(self, counts: dict[str, dict[str, int]] | None = None) -> None:
        self.counts = counts or {}

    @classmethod
    def of(cls, feats: Sequence[Features]) -> FixedTerms:
        out = {}
        for field in FIELDS:
            counted = Counter(_values(feats, field))
            counted.pop("", None)
            out[field] = dict(counted)
        return cls(out)

    def count(self, field: str, value: str) -> int:
        return self.counts.get(field, {}).get(value, 0)

    def load(self, field: str, values: Iterable[str]) -> None:
        """Nothing to read: every count is known."""


class LiveTerms(LiveCounts):
    """Live counts read from a directory's match_keys on demand (an incremental run):
    the same counts FixedTerms.of gives over every live record."""

    def __init__(self, state: MatchState) -> None:
        super().__init__()
        self.state = state

    def count(self, field: str, value: str) -> int:
        return self._cached(field, value) if value else 0

    def load(self, field: str, values: Iterable[str]) -> None:
        """Count many values at once (one query per few hundred)."""
        todo = {term_key(field, v): v for v in set(values)
                if v and (field, v) not in self._found}
        for batch in chunks(sorted(todo)):
            counts = self.state.key_counts(batch)
            for key in batch:
                self._found[(field, todo[key])] = counts.get(key, 0)


def term_rows(feats: Sequence[Features]) -> tuple[np.ndarray, np.ndarray]:
    """(key, position) of every record's term keys, ordered by key then position:
    what a full build writes into match_keys beside the blocking keys. Each
    distinct value's key is hashed once, and the rows are gathered as columns."""
    keys, positions = [], []
    for field in FIELDS:
        values = _values(feats, field)
        table = {v: n for n, v in enumerate(dict.fromkeys(values))}
        codes = np.fromiter(map(table.__getitem__, values), dtype=np.int64, count=len(values))
        ids = np.fromiter((term_key(field, v) if v else 0 for v in table),
                          dtype=np.int64, count=len(table))
        held = np.flatnonzero(ids[codes] != 0) if len(codes) else np.empty(0, np.int64)
        keys.append(ids[codes[held]])
        positions.append(held)
    k, pos = np.concatenate(keys), np.concatenate(positions)
    order = np.lexsort((pos, k))
    return k[order], pos[order]


def terms_changed(state: MatchState, engine: Engine, old_feats: dict[int, Features],
                  new_feats: dict[int, Features]) -> set[int]:
    """Move the changed records' term rows in match_keys (`old_feats`: what they
    were, `new_feats`: what they are now), and return the records bearing a value
    whose weighed count (effective) the change moved: every pair at it is scored
    again."""
    out: set[int] = set()
    for field in FIELDS:
        moves: dict[str, int] = Counter()
        for sign, found in ((-1, old_feats), (1, new_feats)):
            for f in found.values():
                value = bearing(f, field)
                if value:
                    moves[value] += sign
        state.drop_keys(sorted((term_key(field, bearing(f, field)), rid)
                               for rid, f in old_feats.items() if bearing(f, field)))
        state.add_keys(sorted((term_key(field, bearing(f, field)), rid)
                              for rid, f in new_feats.items() if bearing(f, field)))
        model = engine.model.terms.get(field, {})
        moved = {term_key(field, v): v for v, d in moves.items() if d}
        for batch in chunks(sorted(moved)):
            now = state.key_counts(batch)
            for key in batch:
                value = moved[key]
                m = model.get(value, 1)
                after = now.get(key, 0)
                if effective(m, after) != effective(m, after - moves[value]):
                    out.update(state.holders(key))
    return out
