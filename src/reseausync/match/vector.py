"""Scoring millions of candidate pairs at once, with the same result as pair by pair.

`Comparator.gamma` and `Engine.judge` cost a few microseconds per pair in Python;
a fresh directory of a million records has about ten million candidate pairs. Here
each record's values are coded as integers once, and the pairs are compared as
columns (numpy):

- a comparison that reads one value per record (names, organization, city,
  employer) reaches a level that depends only on the two values, so each distinct
  pair of values is compared once, by the compiled Python comparison itself, and
  the level is spread to every pair showing it;
- the common declarations on addresses and phones (missing, a shared value, a
  shared personal mailbox at an organization, the same organization's domain,
  else) are set intersections, computed as equalities between padded code columns;
  any other declaration falls back to the Python comparison, pair by pair;
- the decision is taken once per distinct (levels, term-frequency values) key by
  `Engine.judge` itself, so the probabilities are the very floats the pair-by-pair
  path computes, and rounding them for storage gives the same rows.

`tests/match/test_vector.py` checks both against the pair-by-pair path.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

import numpy as np

from ..forking import Helpers, parts
from ..normalize.emails import is_role_address, organization_domain
from .blocking import Blocks
from .compare import _org_is_domain
from .features import Features
from .hubs import count_bearers, sound

if TYPE_CHECKING:
    from .engine import Engine

SINGLE = {"org": lambda f: f.org, "city": lambda f: f.city, "linkedin": lambda f: f.linkedin}
SET_KINDS = frozenset({"missing", "exact", "exact_work", "same_domain", "else"})
MAX_SET = 4          # wider address sets are compared by the Python path
DECISIONS = ("distinct", "review", "merge")


def _codes(values: Sequence[object]) -> np.ndarray:
    """Each value's integer code (equal values, equal codes)."""
    table: dict[object, int] = {}
    return np.fromiter((table.setdefault(v, len(table)) for v in values), dtype=np.int64,
                       count=len(values))


def _flags(values: Iterable[object]) -> np.ndarray:
    """Which values are present (truthy), as a boolean column."""
    return np.fromiter(map(bool, values), dtype=bool)


def _per_distinct(code: np.ndarray, a: np.ndarray, b: np.ndarray,
                  compute: Callable[[int, int], object]) -> tuple[np.ndarray, np.ndarray]:
    """Calls compute(position_a, position_b) once per distinct (code[a], code[b]);
    returns the results (one per distinct pair) and each pair's index into them."""
    width = int(code.max()) + 1 if len(code) else 1
    key = code[a] * width + code[b]
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    results = [compute(x, y) for x, y in zip(a[first].tolist(), b[first].tolist(),
                                                 strict=True)]
    return np.asarray(results), inverse.reshape(-1)


def _set_columns(sets: Sequence[frozenset[str]], value: Callable[[str], object],
                 table: dict[object, int] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Padded code columns (records x widest set up to MAX_SET, -1 = none) of each
    record's set, by `value` of each element (None: no code), and each set's size;
    `table`, when given, is filled with each value's code.
    Most records have no address or one phone: only the cells that hold a code are
    visited, and written to the array at once."""
    if table is None:
        table = {}
    sizes = np.fromiter(map(len, sets), dtype=np.int64, count=len(sets))
    width = min(MAX_SET, int(sizes.max()) if len(sizes) else 1) or 1
    out = np.full((len(sets), width), -1, dtype=np.int64)
    rows: list[int] = []
    cols: list[int] = []
    codes: list[int] = []
    for row, items in enumerate(sets):
        if not items or len(items) > MAX_SET:
            continue
        for col, item in enumerate(sorted(items) if len(items) > 1 else items):
            v = value(item)
            if v is not None:
                rows.append(row)
                cols.append(col)
                codes.append(table.setdefault(v, len(table)))
    if rows:
        out[rows, cols] = codes
    return out, sizes


def _any_equal(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Per pair: do the two padded code rows share a code (-1 never matches)?"""
    hit = np.zeros(len(left), dtype=bool)
    for i in range(left.shape[1]):
        column = left[:, i]
        valid = column >= 0
        for j in range(right.shape[1]):
            hit |= valid & (column == right[:, j])
    return hit


class PairScorer:
    """Codes a fixed list of records once; scores any arrays of positions into it."""

    def __init__(self, engine: Engine, feats: Sequence[Features]) -> None:
        self.engine = engine
        self.feats = feats
        comparator = engine.comparator
        self.comparator = comparator
        self.names = _codes([(f.given, f.family) for f in feats])
        self.single: dict[int, np.ndarray] = {}
        self.present: dict[int, np.ndarray] = {}
        self.plain: set[int] = set()     # single values compared for equality only
        self.employer = -1
        self.sets: dict[int, dict[str, np.ndarray]] = {}
        self.set_values: dict[str, list[object]] = {}
        for i, c in enumerate(comparator.comparisons):
            if i in comparator.named:
                continue
            kinds = [lv.kind for lv in c.levels]
            if c.field in SINGLE:
                values = [SINGLE[c.field](f) for f in feats]
                self.single[i] = _codes(values)
                self.present[i] = _flags(values)
                if kinds == ["missing", "exact", "else"]:
                    self.plain.add(i)
            elif c.field == "employer":
                self.employer = i
                self.employer_codes = (_codes([f.employer.org for f in feats]),
                                       _codes([f.employer.domains for f in feats]))
                self.employer_has = (_flags(f.employer.org for f in feats),
                                     _flags(f.employer.domains for f in feats))
            elif c.field in ("emails", "phones") and set(kinds) <= SET_KINDS:
                self.sets[i] = self._set_codes(c.field, kinds)
        # term-frequency values, coded; judged once per distinct key
        self.tf = [(i, exact, _codes([getter(f) for f in feats]))
                   for i, exact, getter in engine.term_fields]
        # the model and live counts the adjustments belong to
        self._adjusted_by: tuple[object, object] = (None, None)
        self._adjusted: dict[int, np.ndarray] = {}

    def _set_codes(self, field: str, kinds: list[str]) -> dict[str, np.ndarray]:
        sets = [getattr(f, field) for f in self.feats]
        table: dict[object, int] = {}
        values, sizes = _set_columns(sets, lambda e: e, table)
        out = {"values": values, "sizes": sizes}
        self.set_values[field] = list(table)      # code -> value
        if "exact_work" in kinds:
            out["work"], _ = _set_columns(sets, lambda e: e if organization_domain(e) and
                                          not is_role_address(e) else None)
        if "same_domain" in kinds:
            out["domains"], _ = _set_columns(
                sets, lambda e: organization_domain(e) or None)
        return out

    # levels ------------------------------------------------------------------

    def gammas(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """The level every pair (a[k], b[k]) reaches, one column per comparison:
        row k equals comparator.gamma(feats[a[k]], feats[b[k]])."""
        comparator, feats = self.comparator, self.feats
        out = np.empty((len(a), len(comparator.comparisons)), dtype=np.int8)
        if not len(a):
            return out
        names, index = _per_distinct(self.names, a, b, lambda x, y: comparator.name_levels(
            feats[x], feats[y]))
        out[:, list(comparator.named)] = names.reshape(len(names), -1)[index]
        for i, function in enumerate(comparator.functions):
            if i in comparator.named:
                continue
            if i in self.single:
                out[:, i] = self._single_levels(i, function, a, b)
            elif i in self.sets:
                out[:, i] = self._set_levels(i, a, b)
            elif i == self.employer:
                out[:, i] = self._employer_levels(a, b)
            else:
                out[:, i] = [function(feats[x], feats[y]) for x, y in zip(a, b, strict=True)]
        return out

    def _single_levels(self, i: int, function: Callable, a: np.ndarray, b: np.ndarray
                       ) -> np.ndarray:
        """Missing when either lacks the value; equality for a plain declaration;
        else each distinct pair of values through the compiled comparison."""
        code, present = self.single[i], self.present[i]
        both = present[a] & present[b]
        level = np.zeros(len(a), dtype=np.int8)
        if i in self.plain:
            level[both] = np.where(code[a[both]] == code[b[both]], 1, 2)
            return level
        pa, pb = a[both], b[both]
        if len(pa):
            feats = self.feats
            levels, index = _per_distinct(code, pa, pb, lambda x, y: function(feats[x],
                                                                            feats[y]))
            level[both] = levels[index]
        return level

    def _employer_levels(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """compare._employer on columns: only a record without an organization
        offers its mail domains against the other's organization; each distinct
        (organization, domains) meeting is tested once."""
        org, domains = self.employer_codes
        has_org, has_dom = self.employer_has
        feats = self.feats
        level = np.zeros(len(a), dtype=np.int8)
        for offers, other in ((a, b), (b, a)):
            side = has_org[offers] & ~has_org[other] & has_dom[other]
            if not side.any():
                continue
            po, pd = offers[side], other[side]
            key = org[po] * (int(domains.max()) + 1) + domains[pd]
            _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
            found = [1 if any(_org_is_domain(feats[x].employer.org, d)
                              for d in feats[y].employer.domains) else 2
                     for x, y in zip(po[first].tolist(), pd[first].tolist(), strict=True)]
            level[side] = np.asarray(found, dtype=np.int8)[inverse.reshape(-1)]
        return level

    def _set_levels(self, i: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        levels = self.comparator.comparisons[i].levels
        codes = self.sets[i]
        sizes = codes["sizes"]
        level = np.full(len(a), len(levels) - 1, dtype=np.int8)
        tests = {"exact": lambda: _any_equal(codes["values"][a], codes["values"][b]),
                 "exact_work": lambda: _any_equal(codes["work"][a], codes["work"][b]),
                 "same_domain": lambda: _any_equal(codes["domains"][a], codes["domains"][b])}
        # the first level that holds wins: assign from the last middle level back
        for index in range(len(levels) - 2, 0, -1):
            level[tests[levels[index].kind]()] = index
        level[(sizes[a] == 0) | (sizes[b] == 0)] = 0
        wide = np.flatnonzero((sizes[a] > MAX_SET) | (sizes[b] > MAX_SET))
        function = self.comparator.functions[i]
        for k in wide:
            level[k] = function(self.feats[a[k]], self.feats[b[k]])
        return level

    # decisions ---------------------------------------------------------------

    def judge(self, a: np.ndarray, b: np.ndarray, gammas: np.ndarray,
              hubs: list[np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(probability, decision index into DECISIONS) of every pair (a[k], b[k]):
        Engine.judge's arithmetic on columns, in its order (the pattern's weight,
        then each term-frequency adjustment in turn, then each shared value's
        (hubs.py), then each cap, then 1 / (1 + 2^-w)), so each float is the one
        the pair-by-pair path computes. `hubs`: hub_adjustments, when known."""
        engine = self.engine
        if not len(a):
            return np.empty(0), np.empty(0, dtype=np.int8)
        _, first, inverse = np.unique(self.pattern_codes(gammas), return_index=True,
                                      return_inverse=True)
        verdicts = [engine.verdict(tuple(int(g) for g in gammas[k])) for k in first]
        inverse = inverse.reshape(-1)
        weight = np.array([v.weight for v in verdicts])[inverse]
        conflict = np.array([v.conflict for v in verdicts], dtype=bool)[inverse]
        for k, (i, exact, values) in enumerate(self.tf):
            adjust = self.adjustments(k)
            weight = weight + np.where(gammas[:, i] == exact, adjust[values[a]], 0.0)
        if hubs is None:
            hubs = self.hub_adjustments(a, b, gammas)
        for adjust in hubs:
            weight = weight + adjust
        for k, i, levels, _ in engine.capped:
            capped = np.isin(gammas[:, i], list(levels))
            if capped.any():
                weight = weight - np.where(capped, self.excess(k, i, a, b, gammas[:, i]), 0.0)
        with np.errstate(over="ignore"):
            probability = np.where(weight > -60, 1.0 / (1.0 + np.power(2.0, -weight)), 0.0)
        s = engine.settings
        decision = np.where(probability >= s.review, 1, 0).astype(np.int8)
        decision[(probability >= s.auto_merge) & ~conflict] = 2
        return probability, decision

    def hub_adjustments(self, a: np.ndarray, b: np.ndarray, gammas: np.ndarray
                        ) -> list[np.ndarray]:
        """Per hub comparison, Engine.hub_adjustment of every pair (0 where it shares
        no value): the fewest bearers among the values a pair shares, taken from the
        padded code columns; only the pairs at a sharing level (duplicates, mostly)
        are looked at, so well-formed directories pay next to nothing."""
        engine = self.engine
        out = []
        for i, field, levels in engine.hubs:
            adjust = np.zeros(len(a))
            out.append(adjust)
            rows = np.flatnonzero(np.isin(gammas[:, i], list(levels)))
            if not len(rows):
                continue
            ra, rb = a[rows], b[rows]
            fewest = self._fewest(i, field, ra, rb)
            positions = np.unique(np.concatenate((ra, rb)))
            codes = _codes([sound(self.feats[p]) for p in positions.tolist()])
            same = codes[np.searchsorted(positions, ra)] == codes[np.searchsorted(positions, rb)]
            others = np.maximum(fewest - np.where(same, 1, 2), 0)
            level = gammas[rows, i].astype(np.int64)
            key = level * (int(others.max()) + 1) + others
            _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
            weights = np.array([engine.hub_adjustment(i, int(level[n]), int(others[n]))
                                for n in first.tolist()])
            adjust[rows] = weights[inverse.reshape(-1)]
        return out

    def _fewest(self, i: int, field: str, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Per pair (sharing a value of `field`), the bearers of its rarest shared
        value; pairs with a set wider than the columns are read value by value."""
        bearers = self.engine.bearers
        big = np.iinfo(np.int64).max
        fewest = np.full(len(a), big, dtype=np.int64)
        codes = self.sets.get(i)
        if codes is None:
            wide = np.arange(len(a))
        else:
            left, right = codes["values"][a], codes["values"][b]
            hits = [(left[:, x], (left[:, x] >= 0) & (left[:, x] == right[:, y]))
                    for x in range(left.shape[1]) for y in range(right.shape[1])]
            shared = np.unique(np.concatenate([column[hit] for column, hit in hits]))
            names = self.set_values[field]
            values = [names[c] for c in shared.tolist()]
            bearers.load(field, values)
            counts = np.array([bearers.get(field, v) for v in values], dtype=np.int64)
            for column, hit in hits:
                if hit.any():
                    found = counts[np.searchsorted(shared, column[hit])]
                    fewest[hit] = np.minimum(fewest[hit], found)
            sizes = codes["sizes"]
            wide = np.flatnonzero((sizes[a] > MAX_SET) | (sizes[b] > MAX_SET))
        feats = self.feats
        for k in wide.tolist():
            common = getattr(feats[a[k]], field) & getattr(feats[b[k]], field)
            bearers.load(field, common)
            fewest[k] = min(bearers.get(field, v) for v in common)
        return fewest

    def bearer_counts(self, cap: int) -> dict[str, dict[str, int]]:
        """hubs.count_bearers over every record, from the padded code columns: a
        value's records counted with numpy, the name sounds read only for the
        records holding a value another record holds (a duplicate's, mostly).
        The few sets wider than the columns are added value by value."""
        out: dict[str, dict[str, int]] = {}
        feats = self.feats
        identity = np.fromiter((f.identity for f in feats), dtype=bool, count=len(feats))
        for i, field, _ in self.engine.hubs:
            codes = self.sets.get(i)
            if codes is None:
                out[field] = count_bearers(feats, cap)[field]
                continue
            values = codes["values"]
            rows, columns = np.nonzero((values >= 0) & identity[:, None])
            cells = values[rows, columns]
            names = list(self.set_values[field])
            wide = np.flatnonzero((codes["sizes"] > MAX_SET) & identity).tolist()
            if wide:
                index = {v: c for c, v in enumerate(names)}
                extra = [(r, index.setdefault(v, len(index)))
                         for r in wide for v in getattr(feats[r], field)]
                names = list(index)
                rows = np.concatenate((rows, np.array([r for r, _ in extra], dtype=np.int64)))
                cells = np.concatenate((cells, np.array([c for _, c in extra], dtype=np.int64)))
            records = np.bincount(cells, minlength=len(names))
            shared = records[cells] > 1
            rows, cells = rows[shared], cells[shared]
            holders = np.unique(rows)
            sounds = _codes([sound(feats[r]) for r in holders.tolist()])
            width = int(sounds.max(initial=0)) + 1
            pairs = np.unique(cells * width + sounds[np.searchsorted(holders, rows)])
            people = np.bincount(pairs // width, minlength=len(records))
            counted = np.where(records > cap, cap, people)
            out[field] = {names[c]: int(counted[c])
                          for c in np.flatnonzero((people > 1) | (records > cap)).tolist()}
        return out

    def excess(self, k: int, i: int, a: np.ndarray, b: np.ndarray,
               levels: np.ndarray) -> np.ndarray:
        """Engine.excess of every pair, on columns: what the level each pair reached
        on comparison `i` weighs above an exact agreement on the commoner value."""
        values = self.tf[k][2]
        adjust = self.adjustments(k)
        weights = np.array(self.engine.model.weights[i])
        exact = self.tf[k][1]
        cap = weights[exact] + np.minimum(adjust[values[a]], adjust[values[b]])
        return np.maximum(weights[levels] - cap, 0.0)

    def pattern_codes(self, gammas: np.ndarray) -> np.ndarray:
        """Each row of levels as one integer (levels in mixed radix)."""
        radix = np.int64(max(len(c.levels) for c in self.comparator.comparisons))
        code = np.zeros(len(gammas), dtype=np.int64)
        for column in range(gammas.shape[1]):
            code = code * radix + gammas[:, column]
        return code

    def adjustments(self, k: int) -> np.ndarray:
        """The k-th term-frequency adjustment of every distinct value, by code:
        computed once per model (and live counts), not once per chunk of pairs."""
        engine = self.engine
        by = (engine.model, engine.live_terms)
        if self._adjusted_by[0] is not by[0] or self._adjusted_by[1] is not by[1]:
            self._adjusted_by, self._adjusted = by, {}
        found = self._adjusted.get(k)
        if found is None:
            values = self.tf[k][2]
            feats, getter = self.feats, self.engine.term_fields[k][2]
            first = np.unique(values, return_index=True)[1]
            self.engine.load_terms(k, (getter(feats[p]) for p in first.tolist()))
            found = self._adjusted[k] = np.empty(len(first))
            for position in first.tolist():
                found[values[position]] = self.engine.tf_adjustment(k, getter(feats[position]))
        return found


Gammas = Callable[[np.ndarray, np.ndarray], np.ndarray]


class SharedGammas:
    """`scorer.gammas` on this process and forked helpers (holding the scorer
    copy-on-write), same arrays as one process gives. Comparing each distinct pair
    of names is the Python loop of a large build (1M records: about 25 s of CPU)."""

    def __init__(self, scorer: PairScorer, helpers: Helpers | None) -> None:
        self.scorer = scorer
        self.helpers = helpers
        self.n = 1 + (len(helpers) if helpers else 0)
        self.sent: list[bool] = []       # which helpers hold a part of the next chunk

    def __call__(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """The levels of pairs (a, b), cut in n even parts done at once."""
        if self.n == 1 or self.helpers is None:
            return self.scorer.gammas(a, b)
        return np.concatenate(self.helpers.map([(a[s], b[s]) for s in parts(len(a), self.n)]))

    def chunks(self, a: np.ndarray, b: np.ndarray, size: int
               ) -> Iterator[tuple[int, np.ndarray]]:
        """(start, levels of pairs start..start + size) of every chunk, in order.
        The caller turns each chunk into rows here, alone; so the helpers get their
        parts of the next chunk before a chunk is handed over, and this process
        keeps the smaller part of each (half a helper's): with 2 processes, a
        third of the comparing, plus the rows."""
        starts = range(0, len(a), size)
        cuts = [self._cuts(start, min(start + size, len(a))) for start in starts]
        if cuts:
            self._send(a, b, cuts[0])
        for i, start in enumerate(starts):
            here, *theirs = cuts[i]
            levels = [self.scorer.gammas(a[here], b[here])]
            for k, part in enumerate(theirs):
                got = self.helpers.receive(k) if self.helpers and self.sent[k] else None
                levels.append(got if got is not None else self.scorer.gammas(a[part], b[part]))
            if i + 1 < len(cuts):
                self._send(a, b, cuts[i + 1])
            yield start, np.concatenate(levels)

    def _cuts(self, start: int, end: int) -> list[slice]:
        """This process's slice, then one per helper twice as long."""
        weights = [1] + [2] * (self.n - 1)
        total, bounds, acc = sum(weights), [start], 0
        for w in weights:
            acc += w
            bounds.append(start + (end - start) * acc // total)
        return [slice(bounds[k], bounds[k + 1]) for k in range(self.n)]

    def _send(self, a: np.ndarray, b: np.ndarray, cut: list[slice]) -> None:
        helpers = self.helpers
        self.sent = [bool(helpers) and helpers.send(k, (a[part], b[part]))
                     for k, part in enumerate(cut[1:])]


@contextmanager
def shared_gammas(scorer: PairScorer, n: int) -> Iterator[SharedGammas]:
    """A SharedGammas with n - 1 helpers (none for n <= 1)."""
    if n <= 1:
        yield SharedGammas(scorer, None)
        return
    with Helpers(lambda pair: scorer.gammas(*pair), n - 1) as helpers:
        yield SharedGammas(scorer, helpers)


def pair_rows(scorer: PairScorer, a: np.ndarray, b: np.ndarray,
              gammas: np.ndarray | None = None) -> list[tuple[int, int, float, str, str]]:
    """The stored rows (a.rid, b.rid, rounded probability, decision, explanation)
    of the pairs that are not distinct, in the order given: what scoring each pair
    on its own gives, row for row. An explanation is its pattern's text with the
    term-frequency-adjusted weights filled in (_Templates). `gammas`: the pairs'
    levels when already computed (SharedGammas.chunks), else scorer.gammas."""
    if gammas is None:
        gammas = scorer.gammas(a, b)
    hubs = scorer.hub_adjustments(a, b, gammas)
    probability, decision = scorer.judge(a, b, gammas, hubs)
    keep = np.flatnonzero(decision > 0)
    if not len(keep):
        return []
    feats = scorer.feats
    kept_a = a[keep]
    codes = scorer.pattern_codes(gammas[keep]).tolist()
    templates = _Templates(scorer.engine)
    patterns = {code: gammas[keep[n]] for n, code in enumerate(codes)}
    kept_b = b[keep]
    adjust = [scorer.adjustments(k)[values[kept_a]].tolist()
              for k, (_, _, values) in enumerate(scorer.tf)]
    adjust_b = [scorer.adjustments(k)[values[kept_b]].tolist()
                for k, (_, _, values) in enumerate(scorer.tf)]
    shared = [adjust[keep].tolist() for adjust in hubs]
    texts = []
    for n, code in enumerate(codes):
        parts, slots = templates.get(code, patterns[code])
        if not slots:
            texts.append(parts[0])
            continue
        pieces = [parts[0]]
        for (k, base, level), part in zip(slots, parts[1:], strict=True):
            if k < 0:                                  # a shared value's bearers
                value = base + shared[-k - 1][n]
            elif level is None:                        # exact: adjusted by a's value
                value = base + adjust[k][n]
            else:                                      # capped: Engine.excess
                value = level - max(0.0, level - (base + min(adjust[k][n], adjust_b[k][n])))
            pieces.append(repr(round(value, 2)))
            pieces.append(part)
        texts.append("".join(pieces))
    rid = np.fromiter((f.rid for f in feats), dtype=np.int64, count=len(feats))
    names = [DECISIONS[d] for d in decision[keep].tolist()]
    rounded = [round(p, 6) for p in probability[keep].tolist()]
    return list(zip(rid[kept_a].tolist(), rid[kept_b].tolist(), rounded, names, texts,
                    strict=True))


Slot = tuple[int, float, float | None]   # (tf index, exact weight, capped level's weight)


class _Templates:
    """The stored explanation of each pattern of levels, as text with a slot for
    every weight a term frequency adjusts: json.dumps(engine.explain(...),
    sort_keys=True) of a million pairs was ten seconds of a 1M build; filling
    slots is a few string joins. The text is what json.dumps writes (sorted keys,
    its separators, float repr), which tests/match/test_vector.py checks."""

    def __init__(self, engine: Engine) -> None:
        self.comparisons = engine.comparator.comparisons
        self.weights = engine.model.weights
        self.order = sorted(range(len(self.comparisons)), key=lambda i: self.comparisons[i].name)
        self.adjusted = {i: (k, exact) for k, (i, exact, _) in enumerate(engine.term_fields)}
        self.capped = {i: levels for _, i, levels, _ in engine.capped}
        self.hubs = {i: (j, levels) for j, (i, _, levels) in enumerate(engine.hubs)}
        self.cache: dict[int, tuple[list[str], list[Slot]]] = {}

    def get(self, code: int, gamma: np.ndarray) -> tuple[list[str], list[Slot]]:
        found = self.cache.get(code)
        if found is None:
            found = self.cache[code] = self._build(gamma.tolist())
        return found

    def _build(self, gamma: list[int]) -> tuple[list[str], list[Slot]]:
        parts: list[str] = []
        slots: list[Slot] = []
        text = "{"
        for n, i in enumerate(self.order):
            c, g = self.comparisons[i], gamma[i]
            text += (", " if n else "") + json.dumps(c.name) + ': {"level": ' + \
                json.dumps(c.levels[g].label) + ', "weight": '
            k, exact = self.adjusted.get(i, (-1, -1))
            j, sharing = self.hubs.get(i, (-1, frozenset()))
            if g in sharing:                  # slot k = -1 - j: hub j's adjustment
                parts.append(text)
                slots.append((-1 - j, self.weights[i][g], None))
                text = "}"
            elif g == exact or g in self.capped.get(i, ()):
                parts.append(text)
                slots.append((k, self.weights[i][exact],
                              None if g == exact else self.weights[i][g]))
                text = "}"
            else:
                text += repr(round(self.weights[i][g], 2)) + "}"
        parts.append(text + "}")
        return parts, slots


def candidate_arrays(blocks: Blocks, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Every candidate pair (a < b) of the blocks, each once, ordered by (a, b) as
    Blocks.pairs gives them. The usable blocks of one size are expanded together,
    as a grid of their members: a block's members are ascending, so its pairs are
    its members at the grid's upper-triangle column pairs."""
    keys, starts, members = (np.frombuffer(x, dtype=np.int64) if len(x) else
                             np.empty(0, dtype=np.int64) for x in blocks.runs())
    sizes = np.diff(starts)
    caps = np.where(keys & 1, blocks.max_block, blocks.max_name_block)
    usable = (sizes > 1) & (sizes <= caps)
    counts = np.bincount(sizes[usable])
    total = int(sum(count * n * (n - 1) // 2 for n, count in enumerate(counts.tolist())))
    # every block's pairs written into one array (no list of parts to concatenate),
    # sorted in place, each run kept once: the peak is about twice the raw pairs
    pairs = np.empty(total, dtype=np.int64)
    filled = 0
    for n in np.flatnonzero(counts).tolist():
        begin = starts[:-1][usable & (sizes == n)]
        grid = members[begin[:, None] + np.arange(n)]
        first, second = np.triu_indices(n, k=1)
        part = grid[:, first]
        part *= size
        part += grid[:, second]
        pairs[filled:filled + part.size] = part.ravel()
        filled += part.size
        del grid, part
    pairs.sort()
    if len(pairs):
        keep = np.empty(len(pairs), dtype=bool)
        keep[0] = True
        np.not_equal(pairs[1:], pairs[:-1], out=keep[1:])
        pairs = pairs[keep]
        del keep
    # positions fit 32 bits for any directory this process can hold: half the memory
    first_of = (pairs // size).astype(np.int32)
    pairs %= size
    return first_of, pairs.astype(np.int32)
