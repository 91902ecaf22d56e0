"""The Fellegi–Sunter model: m and u probabilities per level, estimated from the data.

For each comparison level, m = P(level | same person) and u = P(level | different
people); a pair's match weight is log2(λ/(1-λ)) + Σ log2(m/u) over its levels, and
its match probability follows. The missing level weighs nothing: absent data is
not a disagreement.

Estimation follows splink's recipe. u comes from random pairs of records, which
are almost all different people. m comes from expectation-maximisation on the
candidate pairs, with u held fixed; λ is then the matches expected over all pairs
(Engine._match_share), not EM's match share among the candidates, which a name
block's namesakes inflate. Each EM session runs on pairs selected by
agreement on other fields and estimates only the comparisons that selection does
not force: m for names and the organization is learnt on pairs that share an
email, phone or profile; m for the email on pairs that share a phone or profile,
and so on. Selecting on shared names instead would train on homonyms: with a
common name the pairs agreeing on it are mostly strangers, EM takes them for a
class of matches, and learns that a matching person usually has another phone.
Pairs reaching a conflict level (two given names, two profiles: a household
sharing a landline) are held out of the match class, as the clustering holds
them apart. Dirichlet pseudo-counts from
the declared starting values keep a small directory (a few dozen records) from
learning extremes out of a handful of pairs; a Beta prior on λ (lambda_prior)
does the same for the share of pairs that are one person.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .comparisons import Comparison

PRIOR_STRENGTH = 20.0      # pseudo-pairs behind the declared starting m and u
FLOOR = 1e-6
# The prior on λ (lambda_prior): one matching pair per ten records, as strong as
# one matching pair. What a directory of a handful of records cannot tell.
LAMBDA_PRIOR_DUPLICATES = 0.1   # matching pairs per record
LAMBDA_PRIOR_PAIRS = 1.0        # the prior's matching pseudo-pairs
# How the model is estimated. A stored model of another recipe is estimated again
# (a full rebuild): 2 estimates λ over all pairs and counts term frequencies among
# the records that fill the field, with initials; its scores are not comparable to
# recipe 1's. 3: λ has a Beta prior (lambda_prior): a small directory estimated
# by 2 without a duplicate kept λ = 1e-9, under which no later duplicate merged.
RECIPE = 3


@dataclass
class Model:
    """Estimated parameters; `weights[c][l]` = log2(m/u) (0 for missing)."""

    lam: float
    m: list[list[float]]
    u: list[list[float]]
    trained_on: int = 0          # live records when estimated
    # term-frequency tables as counted when estimated: {table: {value: count}}
    terms: dict[str, dict[str, int]] = field(default_factory=dict)
    terms_total: int = 0
    # per table, the records that had a value in it: what a frequency is a share of
    term_totals: dict[str, int] = field(default_factory=dict)

    @classmethod
    def initial(cls, comparisons: Sequence[Comparison], lam: float = 0.01) -> Model:
        return cls(lam, [[lv.m for lv in c.levels] for c in comparisons],
                   [[lv.u for lv in c.levels] for c in comparisons])

    @property
    def weights(self) -> list[list[float]]:
        out = []
        for ms, us in zip(self.m, self.u, strict=True):
            row = [0.0]
            for m, u in zip(ms[1:], us[1:], strict=True):
                row.append(math.log2(max(m, FLOOR) / max(u, FLOOR)))
            out.append(row)
        return out

    def prior_weight(self) -> float:
        lam = min(max(self.lam, FLOOR), 1 - FLOOR)
        return math.log2(lam / (1 - lam))

    def to_json(self) -> str:
        return json.dumps({"lam": self.lam, "m": self.m, "u": self.u,
                           "trained_on": self.trained_on, "terms": self.terms,
                           "terms_total": self.terms_total,
                           "term_totals": self.term_totals, "recipe": RECIPE},
                          ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str, comparisons: Sequence[Comparison]) -> Model | None:
        """The stored model, or None when it no longer fits the declared comparisons
        (or was estimated by another recipe, RECIPE)."""
        try:
            data = json.loads(text)
            if data.get("recipe") != RECIPE:
                return None
            model = cls(float(data["lam"]), data["m"], data["u"], int(data["trained_on"]),
                        data["terms"], int(data["terms_total"]),
                        {str(k): int(v) for k, v in data["term_totals"].items()})
        except (ValueError, KeyError, TypeError):
            return None
        shape = [len(c.levels) for c in comparisons]
        if [len(r) for r in model.m] != shape or [len(r) for r in model.u] != shape:
            return None
        return model


def lambda_prior(people: int) -> float:
    """The mean of the Beta prior on λ for a directory of `people` records:
    LAMBDA_PRIOR_DUPLICATES matching pairs per record, over the pairs of records.
    λ falls as a directory grows (each person has a few records, not a share of
    all of them), so a prior that did not would be either nothing on a phone book
    or everything on a million records. Its strength is LAMBDA_PRIOR_PAIRS
    matching pseudo-pairs among LAMBDA_PRIOR_PAIRS / lambda_prior pairs: five
    duplicate-free records (10 pairs) give λ = 1/30 (a prior weight of -4.9
    bits) instead of 0 (-30 bits, under which nothing merged); past a few dozen
    records the directory's own pairs outweigh it (at 10,000 records it moves λ
    by 0.1%; the dedup benchmark's figures are unchanged). On a handful of
    cards an exact e-mail, phone or profile with the name merges; a name alone,
    or a first name and employer against another family name, does not (the
    term frequencies of so few records make every name look common)."""
    pairs = max(people * (people - 1) / 2, 1.0)
    return min(LAMBDA_PRIOR_DUPLICATES * max(people, 1) / pairs, 0.5)


def _smoothed(counts: Sequence[float], prior: Sequence[float]) -> list[float]:
    """Level probabilities over the non-missing levels, with Dirichlet pseudo-counts."""
    total_prior = sum(prior[1:]) or 1.0
    pseudo = [PRIOR_STRENGTH * p / total_prior for p in prior[1:]]
    denom = sum(counts[1:]) + PRIOR_STRENGTH
    return [1.0] + [(c + q) / denom for c, q in zip(counts[1:], pseudo, strict=True)]


def posterior(model: Model, gamma: tuple[int, ...], lam: float) -> float:
    pm, pu = lam, 1.0 - lam
    for c, g in enumerate(gamma):
        if g:
            pm *= max(model.m[c][g], FLOOR)
            pu *= max(model.u[c][g], FLOOR)
    return pm / (pm + pu) if pm + pu > 0 else 0.0


def estimate_u(model: Model, comparisons: Sequence[Comparison],
               gammas: Iterable[tuple[int, ...]], lam: float) -> None:
    """u from random pairs: their level frequencies, each pair counted by how likely it
    is to be two different people under the current model. On a large directory the
    random pairs are all but all different people and the weighting changes nothing;
    on an address book of fifty cards (where every pair is compared) it keeps the
    duplicates themselves from teaching that a shared email is common."""
    patterns = Counter(gammas)
    counts = [[0.0] * len(c.levels) for c in comparisons]
    for gamma, n in patterns.items():
        weight = n * (1.0 - posterior(model, gamma, lam))
        for c, g in enumerate(gamma):
            counts[c][g] += weight
    model.u = [_smoothed(counts[c], [lv.u for lv in comp.levels])
               for c, comp in enumerate(comparisons)]


def estimate_m(model: Model, comparisons: Sequence[Comparison], patterns: Counter,
               fixed: frozenset[int], iterations: int = 25,
               conflicts: frozenset[tuple[int, ...]] = frozenset()) -> float:
    """EM for m (comparisons not in `fixed`) and λ on one session's gamma patterns,
    u held fixed. Patterns in `conflicts` reach a level declared as strong evidence
    of two people and are held out of the match class. Returns the session's λ."""
    if not patterns:
        return model.lam
    items = list(patterns.items())
    lam = 0.1
    priors = [[lv.m for lv in c.levels] for c in comparisons]
    for _ in range(iterations):
        counts = [[0.0] * len(c.levels) for c in comparisons]
        matched = total = 0.0
        for gamma, n in items:
            p = 0.0 if gamma in conflicts else posterior(model, gamma, lam)
            matched += p * n
            total += n
            for c, g in enumerate(gamma):
                counts[c][g] += p * n
        lam = min(max(matched / total, FLOOR), 1 - FLOOR)
        for c in range(len(comparisons)):
            if c not in fixed:
                model.m[c] = _smoothed(counts[c], priors[c])
    return lam
