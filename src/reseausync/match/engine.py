"""Match a set of records: block, compare, estimate the model, score, decide.

The engine works on `Features` held in memory, by position; the resolve stage
maps positions to record ids. Each distinct gamma pattern (the tuple of levels a
pair reached) is weighed once: a million candidate pairs show only a few thousand
patterns, so scoring costs one dictionary look-up per pair.

The model is estimated once and stored with its term frequencies (how common each
name is when it was estimated): scores then depend only on the two records, the
stored model, for a phone or address the two share, how many people bear it in
the directory now (`bearers`, match/hubs.py), and for their organization how many
records bear it now when that is more than the model counted (`live_terms`,
match/terms.py), which is what lets a sync re-score only the pairs it touches (and
those on a value whose bearers or count changed) and still give exactly what a
rebuild would. Training reads a bounded sample (at most
RANDOM_PAIRS random pairs for u, EM_PAIRS candidate pairs for m), so it costs the
same on a directory of ten thousand records or a million.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter

from ..forking import Helpers, parts
from ..normalize.names import is_initial_letter
from ..normalize.nicknames import Nicknames
from .blocking import Blocks, KeyLists, record_key_ids
from .compare import Comparator
from .comparisons import DEFAULT_COMPARISONS, Comparison
from .features import Features
from .hubs import FIELDS as HUB_FIELDS
from .hubs import FixedBearers, LiveBearers, sound
from .model import LAMBDA_PRIOR_PAIRS, Model, estimate_m, estimate_u, lambda_prior
from .settings import MatchSettings
from .terms import FIELDS as LIVE_TERMS
from .terms import FixedTerms, LiveTerms, effective

RANDOM_PAIRS = 20_000
EM_PAIRS = 150_000
NAMES = "names"       # given and family names share one term-frequency table
INITIALS = "initials"  # given names counted by their first letter (an initial's frequency)
# Fields whose disagreement, in a pair nothing else makes likely, keeps two records
# out of one contact (engine.conflict): another phone, another employer. Not the
# email: one person keeps a work and a personal address on different cards.
IDENTIFIER_FIELDS = ("phones", "org", "employer")
EMPLOYER_FIELDS = frozenset({"org", "employer"})
BRIDGE_FIELDS = frozenset({"emails", "phones", "linkedin"})   # name one person
EMPLOYER = "employer"          # Engine.conflict_kind: only the employer differs
TWO_PEOPLE = "two people"      # Engine.conflict_kind: anything stronger


@dataclass(frozen=True)
class Verdict:
    """What a gamma pattern means before term frequencies: its weight, probability,
    decision, and whether it is strong evidence of two different people."""

    weight: float
    probability: float
    decision: str          # merge | review | distinct
    conflict: bool


class Engine:
    def __init__(self, settings: MatchSettings | None = None,
                 comparisons: Sequence[Comparison] = DEFAULT_COMPARISONS,
                 nicknames: Nicknames | None = None) -> None:
        self.settings = settings or MatchSettings()
        self.comparisons = tuple(comparisons)
        self.nicknames = nicknames or Nicknames.load(self.settings.nicknames or None)
        self.comparator = Comparator(self.comparisons, self.nicknames)
        self._verdicts: dict[tuple[int, ...], Verdict] = {}
        self.model = Model.initial(self.comparisons)
        # term frequencies: (comparison index, exact level, feature attr, table name)
        self._tf: list[tuple[int, int, str, str]] = []
        for i, c in enumerate(self.comparisons):
            if c.term_frequency:
                exact = next(j for j, lv in enumerate(c.levels) if lv.kind == "exact")
                attr = {"given": "gkey", "family": "fkey"}.get(c.field, c.field)
                table = NAMES if c.field in ("given", "family") else c.field
                self._tf.append((i, exact, attr, table))
        # (comparison index, its exact level, the getter of the value whose
        # frequency adjusts an exact agreement): what judge and the column-wise
        # scorer (vector.py) read
        self.term_fields = [(i, exact, attrgetter(attr)) for i, exact, attr, _ in self._tf]
        # (term-frequency index, comparison, its agreeing levels short of exact,
        # getter): such a level weighs no more than an exact agreement on the
        # commoner of the two values ("Marue" / "Marie" is no stronger than
        # "Marie" / "Marie"; "N" / "Nathalie" than two N initials)
        self.capped = [(k, i, frozenset(
            j for j, lv in enumerate(self.comparisons[i].levels)
            if lv.kind not in ("missing", "exact", "else") and not lv.conflict), getter)
            for k, (i, _, getter) in enumerate(self.term_fields)]
        self._tf_weights: list[dict[str, float]] = []
        self._terms: list[dict[str, int]] = []
        # (comparison, its "else" level) for the fields that name one person
        self._identifiers = [(i, len(c.levels) - 1, c.field)
                             for i, c in enumerate(self.comparisons)
                             if c.field in IDENTIFIER_FIELDS]
        # (comparison, its levels of one value both hold): what a record bridging
        # a job change shares with the record of the old employer (bridge)
        self._shared = [(i, frozenset(j for j, lv in enumerate(c.levels)
                                      if lv.kind in ("exact", "exact_work")))
                        for i, c in enumerate(self.comparisons) if c.field in BRIDGE_FIELDS]
        # (comparison index, field, its levels that need a value both records hold):
        # agreements weighed by how many people bear the shared value (hubs.py)
        self.hubs = [(i, c.field, frozenset(j for j, lv in enumerate(c.levels)
                                            if lv.kind in ("exact", "exact_work")))
                     for i, c in enumerate(self.comparisons) if c.field in HUB_FIELDS]
        self.bearers: FixedBearers | LiveBearers = FixedBearers({})
        self._live: FixedTerms | LiveTerms = FixedTerms()
        self.use(self.model)

    @property
    def live_terms(self) -> FixedTerms | LiveTerms:
        """The live counts an organization is weighed by besides the model's
        (terms.py): setting them forgets every weight computed with others."""
        return self._live

    @live_terms.setter
    def live_terms(self, terms: FixedTerms | LiveTerms) -> None:
        self._live = terms
        self._tf_weights = [{} for _ in self._tf]
        self._judged = {}

    def term_counts(self, feats: Iterable[Features]
                    ) -> tuple[dict[str, dict[str, int]], int, dict[str, int]]:
        """Every term-frequency table's value counts over the records naming someone,
        how many those are, and per table how many of them had a value in it. A
        frequency is a share of the records that have the field, as in splink: two
        records reach an exact level only when both have it, and an organization
        that 600 of 1,000 records fill is counted out of 600. Name parts are counted
        together: a source that writes "Tremblay Pierre" puts Tremblay in the given
        slot, and it is no rarer there. Values seen once are left out (a missing
        value counts as one). Given names are also counted by their first letter: a
        given name that is an initial ("N. Morin") is as common as the names it
        may stand for, not as rare as the letter written alone."""
        tables: dict[str, Counter] = {t: Counter() for _, _, _, t in self._tf}
        filled: Counter = Counter()
        initials: Counter = Counter()
        people = 0
        for f in feats:
            if not f.identity:
                continue
            people += 1
            for table, counter in tables.items():
                if table == NAMES:
                    counter[f.gkey] += 1
                    counter[f.fkey] += 1
                    filled[table] += bool(f.gkey or f.fkey)
                    if f.gkey:
                        initials[f.gkey[0]] += 1
                else:
                    value = getattr(f, table)
                    counter[value] += 1
                    filled[table] += bool(value)
        out = {t: {v: n for v, n in c.items() if n > 1 and v} for t, c in tables.items()}
        if NAMES in tables:
            out[INITIALS] = dict(initials)
        return out, people, {t: filled[t] for t in tables}

    # blocking ---------------------------------------------------------------

    def keys(self, f: Features) -> list[int]:
        return record_key_ids(f, self.nicknames)

    def block(self, feats: Sequence[Features], processes: int = 1) -> tuple[Blocks, KeyLists]:
        """The directory's blocks, and each record's key ids; the keys computed by
        `processes` processes (forked helpers take contiguous parts: the keys are
        the same, in the same order)."""
        keys_of = self._key_lists(feats, processes)
        return Blocks.of(keys_of, self.settings.max_block, self.settings.max_name_block), keys_of

    def _key_lists(self, feats: Sequence[Features], processes: int) -> KeyLists:
        def part(positions: slice) -> KeyLists:
            out = KeyLists()
            for f in feats[positions]:
                out.append(self.keys(f))
            return out

        if processes <= 1:
            return part(slice(None))
        with Helpers(part, processes - 1) as helpers:
            first, *rest = helpers.map(parts(len(feats), processes))
        for more in rest:
            first.extend(more)
        return first

    # comparing ---------------------------------------------------------------

    def gamma(self, a: Features, b: Features) -> tuple[int, ...]:
        """The levels a pair reaches; `a` is always the pair's lower record id, so a
        pair gives the same gamma (and explanation) whichever run compares it."""
        return self.comparator.gamma(a, b)

    def gammas(self, feats: Sequence[Features], pairs: Iterable[tuple[int, int]]
               ) -> list[tuple[int, int, tuple[int, ...]]]:
        gamma = self.comparator.gamma
        return [(a, b, gamma(feats[a], feats[b])) for a, b in pairs]

    # the model ---------------------------------------------------------------

    def train(self, feats: Sequence[Features], compared: Iterable[tuple[int, ...]],
              candidates: int | None = None,
              pairs: Sequence[tuple[int, int]] | None = None) -> Model:
        """Estimate u on random pairs, then m by EM on (a sample of) the candidate
        pairs' gammas, then λ; `candidates` is how many candidate pairs the whole
        directory has, when `compared` is a sample of them; `pairs`, when given, the
        positions in `feats` of each compared pair's records, whose values weigh its
        agreements (term frequencies). Term frequencies are counted here and stored
        with the model."""
        model = Model.initial(self.comparisons)
        people = [f for f in feats if f.identity]
        estimate_u(model, self.comparisons, self._random_gammas(people),
                   lam=min(0.5, 2.0 / max(len(people), 2)))
        strong = [i for i, c in enumerate(self.comparisons)
                  if c.field in ("emails", "phones", "linkedin")]
        exact = [next(j for j, lv in enumerate(c.levels) if lv.kind == "exact")
                 for c in self.comparisons]
        compared = list(compared)
        everything: Counter = Counter(compared)
        conflicts = frozenset(g for g in everything if self.comparator.conflict(g))
        all_levels = frozenset(range(len(self.comparisons)))

        def agreeing(fields: list[int]) -> Counter:
            return Counter({g: n for g, n in everything.items()
                            if any(g[i] == exact[i] for i in fields)})

        estimate_m(model, self.comparisons, agreeing(strong), frozenset(strong),
                   conflicts=conflicts)
        for f in strong:
            others = [i for i in strong if i != f]
            estimate_m(model, self.comparisons, agreeing(others), all_levels - {f},
                       conflicts=conflicts)
        model.trained_on = len(people)
        model.terms, model.terms_total, model.term_totals = self.term_counts(people)
        self.use(model)
        scale = (candidates or len(compared)) / max(len(compared), 1)
        model.lam = self._match_share(feats, compared, pairs, scale, len(people))
        self.use(model)
        return model

    def _match_share(self, feats: Sequence[Features], compared: Sequence[tuple[int, ...]],
                     pairs: Sequence[tuple[int, int]] | None, scale: float,
                     people: int) -> float:
        """λ, the chance that two records drawn at random are one person: the matches
        expected among all pairs of records, over their number. Expected with λ
        itself as the prior (a fixed point), each compared pair weighed by all its
        evidence, term frequencies included, and every pair blocking left out
        counted as no match. Estimating it as the match share of the candidates
        instead (EM on them) counted the namesakes a name block brings together
        as mostly matches, their name agreement being all that is known of them:
        at 100,000 generated records that λ was six times the true one (1.4e-5)
        and a probability of 0.9 meant 0.7; this one is 1.2e-5.

        The update is EM's with a Beta prior on λ (model.lambda_prior): a few
        records say next to nothing about how many duplicates a directory holds,
        and five cards without a duplicate among them made the plain estimate 0
        (floored at 1e-9), a prior weight of -30 bits under which a later card
        with the same name and e-mail as one of them did not merge. From a few
        hundred records on, the pairs outweigh the prior."""
        weights: Counter = Counter()
        prior = self.model.prior_weight()
        for n, gamma in enumerate(compared):
            v = self.verdict(gamma)
            if v.conflict:                       # two people, whatever else agrees
                continue
            if pairs is None:
                weight = v.weight - prior
            else:
                a, b = pairs[n]
                weight = self.weight(feats[a], feats[b], gamma) - prior
            weights[min(weight, 60.0)] += 1
        all_pairs = max(people * (people - 1) // 2, 1)
        factors = [(2.0 ** w, n * scale) for w, n in weights.items()]
        # the Beta prior's pseudo-pairs: LAMBDA_PRIOR_PAIRS matches among as many
        # pairs as make its mean the prior λ (lambda_prior)
        matches, pseudo = LAMBDA_PRIOR_PAIRS, LAMBDA_PRIOR_PAIRS / lambda_prior(people)
        lam = min((sum(n for _, n in factors) + matches) / (all_pairs + pseudo), 0.5)
        for _ in range(500):
            expected = sum(n * lam * bf / (lam * bf + 1.0 - lam) for bf, n in factors)
            new = (expected + matches) / (all_pairs + pseudo)
            if abs(new - lam) <= lam * 1e-9:
                lam = new
                break
            lam = new
        return min(max(lam, 1e-9), 0.5)

    def _random_gammas(self, people: Sequence[Features]) -> Iterable[tuple[int, ...]]:
        n = len(people)
        gamma = self.comparator.gamma
        if n * (n - 1) // 2 <= RANDOM_PAIRS:
            for i in range(n):
                for j in range(i + 1, n):
                    yield gamma(people[i], people[j])
            return
        rng = random.Random(n)
        for _ in range(RANDOM_PAIRS):
            i, j = rng.randrange(n), rng.randrange(n)
            if i != j:
                yield gamma(people[i], people[j])

    def use(self, model: Model) -> None:
        self.model = model
        self._verdicts.clear()
        self._judged: dict[tuple, tuple[float, str]] = {}
        self._tf_weights = [{} for _ in self._tf]
        self._terms = [model.terms.get(table, {}) for _, _, _, table in self._tf]
        self._term_totals = [max(model.term_totals.get(table, 0), 1)
                             for _, _, _, table in self._tf]
        self._initials = model.terms.get(INITIALS, {})
        self._weights = model.weights
        self._hub_weights: dict[tuple[int, int, int], float] = {}

    def others(self, field: str, a: Features, b: Features) -> int:
        """How many people besides the two records bear the rarest value of `field`
        they share (hubs.py): the bearers less the pair's own name sounds."""
        shared = getattr(a, field) & getattr(b, field)
        if not shared:
            return 0
        get = self.bearers.get
        fewest = min(get(field, v) for v in shared)
        return max(0, fewest - (1 if sound(a) == sound(b) else 2))

    def hub_adjustment(self, i: int, level: int, others: int) -> float:
        """-max(0, log2(others / (N u))): the agreement's u raised to the chance that
        another person bears the value, others / N (0 when nobody else does)."""
        key = (i, level, others)
        found = self._hub_weights.get(key)
        if found is None:
            u = max(self.model.u[i][level], 1e-12)
            people = max(self.model.trained_on, 1)
            found = self._hub_weights[key] = (
                -max(0.0, math.log2(others / (people * u))) if others else 0.0)
        return found

    def hub_others(self, a: Features, b: Features, gamma: tuple[int, ...]) -> list[int]:
        """Per hub comparison, the other bearers of the value the pair shares (0 when
        it reached no sharing level)."""
        return [self.others(field, a, b) if gamma[i] in levels else 0
                for i, field, levels in self.hubs]

    def tf_adjustment(self, k: int, value: str) -> float:
        """log2(u_exact / frequency of the value): negative for common values. An
        organization is as common as the model or the live directory says, the
        larger (terms.py)."""
        cache = self._tf_weights[k]
        found = cache.get(value)
        if found is None:
            i, exact, _, table = self._tf[k]
            # a one-letter given name is an initial ("N."), as common as the names
            # it may stand for; a Han or Hangul one ("王", "伟") is a whole name
            initial = table == NAMES and is_initial_letter(value)
            counts = self._initials if initial else self._terms[k]
            count = counts.get(value, 1)
            if value and table in LIVE_TERMS:
                count = effective(count, self._live.count(table, value))
            frequency = count / self._term_totals[k]
            u = max(self.model.u[i][exact], 1e-12)
            found = cache[value] = math.log2(u / frequency)
        return found

    def load_terms(self, k: int, values: Iterable[str]) -> None:
        """Read the live counts of many values of the k-th term-frequency table at
        once, before their adjustments are asked one by one."""
        table = self._tf[k][3]
        if table in LIVE_TERMS:
            self._live.load(table, values)

    def judge(self, a: Features, b: Features, gamma: tuple[int, ...]) -> tuple[float, str]:
        """(probability, decision) of a compared pair whose first record is `a`.
        Memoised on the gamma and the values whose frequency adjusts it: a million
        pairs show a few thousand such combinations."""
        key = (gamma, *[get(a) if gamma[i] == exact else None
                        for i, exact, get in self.term_fields],
               *[(get(a), get(b)) if gamma[i] in levels else None
                 for _, i, levels, get in self.capped],
               *self.hub_others(a, b, gamma))
        found = self._judged.get(key)
        if found is None:
            if len(self._judged) > 1_000_000:
                self._judged.clear()
            found = self._judged[key] = self.decide(self.weight(a, b, gamma),
                                                    self.verdict(gamma).conflict)
        return found

    def weight(self, a: Features, b: Features, gamma: tuple[int, ...]) -> float:
        """A pair's match weight: its pattern's, each exact agreement adjusted by the
        frequency of `a`'s value, each shared phone or address by its other bearers,
        each capped level brought down to its cap."""
        weight = self.verdict(gamma).weight
        for k, (i, exact, attr, _) in enumerate(self._tf):
            if gamma[i] == exact:
                weight += self.tf_adjustment(k, getattr(a, attr))
        for (i, _, _), others in zip(self.hubs, self.hub_others(a, b, gamma), strict=True):
            if others:
                weight += self.hub_adjustment(i, gamma[i], others)
        for k, i, levels, get in self.capped:
            g = gamma[i]
            if g in levels:
                weight -= self.excess(k, i, g, get(a), get(b))
        return weight

    def excess(self, k: int, i: int, g: int, x: str, y: str) -> float:
        """How much level `g` of comparison `i` outweighs an exact agreement on the
        commoner of `x` and `y` (0 when it does not)."""
        exact = self.term_fields[k][1]
        weights = self._weights[i]
        cap = weights[exact] + min(self.tf_adjustment(k, x), self.tf_adjustment(k, y))
        return max(0.0, weights[g] - cap)

    def decide(self, weight: float, conflict: bool) -> tuple[float, str]:
        probability = 1.0 / (1.0 + math.pow(2.0, -weight)) if weight > -60 else 0.0
        s = self.settings
        if probability >= s.auto_merge and not conflict:
            return probability, "merge"
        if probability >= s.review:
            return probability, "review"
        return probability, "distinct"

    # deciding ----------------------------------------------------------------

    def verdict(self, gamma: tuple[int, ...]) -> Verdict:
        found = self._verdicts.get(gamma)
        if found is not None:
            return found
        weights = self._weights
        weight = self.model.prior_weight() + sum(w[g] for w, g in zip(weights, gamma,
                                                                          strict=True))
        conflict = self.comparator.conflict(gamma)
        probability, decision = self.decide(weight, conflict)
        found = Verdict(weight, probability, decision, conflict)
        self._verdicts[gamma] = found
        return found

    def explain(self, a: Features, b: Features, gamma: tuple[int, ...]
                ) -> dict[str, dict[str, object]]:
        """Per comparison: the level reached and the weight it carried (term
        frequency and caps included)."""
        weights = self._weights
        out = {c.name: {"level": c.levels[g].label, "weight": weights[i][g]}
               for i, (c, g) in enumerate(zip(self.comparisons, gamma, strict=True))}
        for k, (i, exact, attr, _) in enumerate(self._tf):
            if gamma[i] == exact:
                out[self.comparisons[i].name]["weight"] = (
                    weights[i][exact] + self.tf_adjustment(k, getattr(a, attr)))
        for (i, _, _), others in zip(self.hubs, self.hub_others(a, b, gamma), strict=True):
            if others:
                out[self.comparisons[i].name]["weight"] = (
                    weights[i][gamma[i]] + self.hub_adjustment(i, gamma[i], others))
        for k, i, levels, get in self.capped:
            g = gamma[i]
            if g in levels:
                out[self.comparisons[i].name]["weight"] = (
                    weights[i][g] - self.excess(k, i, g, get(a), get(b)))
        for level in out.values():
            level["weight"] = round(level["weight"], 2)
        return out

    def conflict(self, a: Features, b: Features) -> bool:
        """Whether two records are kept out of one contact (`conflict_kind`)."""
        return bool(self.conflict_kind(a, b))

    def conflict_kind(self, a: Features, b: Features) -> str:
        """Strong evidence that two records are two people, which keeps them out of
        one contact whatever links them: a conflict level (two given names, two
        profiles, two mailboxes at one employer), or a phone or employer each has and
        the other does not share, in a pair that would not merge on its own (a pair
        the user is asked to review is not enough to join two phones). A household
        member or a namesake at the same employer is reached through a third record
        that resembles both; this is what stops the chain. "" when there is none,
        EMPLOYER when all that differs is the employer (people change jobs:
        `bridge` says when a third record makes it one person's two jobs),
        TWO_PEOPLE otherwise."""
        if a.rid > b.rid:
            a, b = b, a
        gamma = self.comparator.gamma(a, b)
        if self.comparator.conflict(gamma):
            return TWO_PEOPLE
        clashing = {field for i, last, field in self._identifiers if gamma[i] == last}
        if not clashing or self.judge(a, b, gamma)[0] >= self.settings.auto_merge:
            return ""
        return EMPLOYER if clashing <= EMPLOYER_FIELDS else TWO_PEOPLE

    def bridge(self, z: Features, x: Features, y: Features) -> Features | None:
        """Whether `z` makes `x` and `y`, whose employers differ, one person's records
        from before and after a job change; if so, the one of the two from before
        (the employer `z` does not share), which the caller must find older than
        both others (merge/regroup.py). `z` merges with each of them on its own,
        works where one of them does, and shares a phone, an e-mail address or a
        profile with the other: a record that merges with both on a name alone
        bridges nothing, so namesakes at two companies stay apart."""
        old = None
        for other in (x, y):
            first, second = (z, other) if z.rid < other.rid else (other, z)
            gamma = self.comparator.gamma(first, second)
            if self.judge(first, second, gamma)[1] != "merge":
                return None
            if not any(0 < gamma[i] < last for i, last, field in self._identifiers
                       if field in EMPLOYER_FIELDS):
                if old is not None or not any(gamma[i] in levels for i, levels in self._shared):
                    return None
                old = other
        return old
