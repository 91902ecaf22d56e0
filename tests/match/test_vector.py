"""The column-wise scorer gives exactly what the pair-by-pair path gives."""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reseausync.match.blocking import Blocks
from reseausync.match.engine import Engine
from reseausync.match.features import record_features
from reseausync.match.vector import (
    DECISIONS,
    MAX_SET,
    PairScorer,
    SharedGammas,
    candidate_arrays,
    pair_rows,
    shared_gammas,
)

from .reference import score_pair

NAMES = ["Marie Tremblay", "Tremblay, Marie", "M Tremblay", "Marie Trembley", "Kate Roy",
         "Catherine Roy", "Roy Catherine", "Thmoas Bergeron", "Tom Bergeron", "JF Gagnon",
         "Jean-François Gagnon", "Lucas Tremblay", "Priya Natarajan", "", "Bob Chen"]
EMAILS = ["marie.tremblay@acme.com", "mt@gmail.com", "famille.tremblay@videotron.ca",
          "info@acme.com", "kate.roy@acme.com", "jf@gagnon.ca", "bob@nimbus.io",
          "priya@coveo.com"]
PHONES = ["514 555 1234", "+1 438 555 7788", "418-555-3030", "5145550000"]
ORGS = ["", "Acme Inc.", "ACME", "Acme Labs", "Coveo", "Nimbus Labs", "Gagnon"]
CITIES = ["", "Montréal", "Montreal", "Québec"]
LINKEDIN = ["", "https://www.linkedin.com/in/marie-t", "https://linkedin.com/in/kroy/"]

record = st.fixed_dictionaries({
    "display_name": st.sampled_from(NAMES),
    "emails": st.lists(st.sampled_from(EMAILS), max_size=MAX_SET + 1, unique=True),
    "phones": st.lists(st.sampled_from(PHONES), max_size=2, unique=True),
    "organization": st.sampled_from(ORGS),
    "city": st.sampled_from(CITIES),
    "linkedin_url": st.sampled_from(LINKEDIN),
})


def features(rows: list[dict]) -> list:
    out = []
    for rid, r in enumerate(rows):
        data = {"display_name": r["display_name"], "organization": r["organization"],
                "linkedin_url": r["linkedin_url"],
                "emails": [{"value": e} for e in r["emails"]],
                "phones": [{"value": p} for p in r["phones"]],
                "addresses": [{"locality": r["city"]}]}
        out.append(record_features(rid, data, "CA"))
    return out


def every_pair(n: int) -> list[tuple[int, int]]:
    return [(a, b) for a in range(n) for b in range(a + 1, n)]


def columns(pairs: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """The pairs as the two position arrays the scorer takes."""
    return (np.array([p[0] for p in pairs], dtype=np.int64),
            np.array([p[1] for p in pairs], dtype=np.int64))


def trained(feats: list) -> Engine:
    """An engine whose model has term frequencies, estimated on these very records."""
    engine = Engine()
    engine.train(feats, [engine.gamma(feats[0], feats[1])])
    return engine


def check(feats: list, engine: Engine) -> None:
    pairs = every_pair(len(feats))
    a, b = columns(pairs)
    scorer = PairScorer(engine, feats)
    gammas = scorer.gammas(a, b)
    probability, decision = scorer.judge(a, b, gammas)
    for k, (x, y) in enumerate(pairs):
        gamma = engine.gamma(feats[x], feats[y])
        assert tuple(int(g) for g in gammas[k]) == gamma, (feats[x], feats[y])
        p, d = engine.judge(feats[x], feats[y], gamma)
        assert probability[k] == p and DECISIONS[decision[k]] == d


@settings(max_examples=60, deadline=None)
@given(st.lists(record, min_size=2, max_size=12))
def test_columns_equal_pairs_with_the_starting_model(rows: list[dict]) -> None:
    check(features(rows), Engine())


@settings(max_examples=30, deadline=None)
@given(st.lists(record, min_size=2, max_size=12))
def test_columns_equal_pairs_with_a_trained_model(rows: list[dict]) -> None:
    feats = features(rows)
    check(feats, trained(feats))


def test_no_pairs() -> None:
    feats = features([{"display_name": "Bob Chen", "emails": [], "phones": [],
                       "organization": "", "city": "", "linkedin_url": ""}])
    scorer = PairScorer(Engine(), feats)
    empty = np.empty(0, dtype=np.int64)
    assert scorer.gammas(empty, empty).shape == (0, len(Engine().comparisons))
    assert len(scorer.judge(empty, empty, scorer.gammas(empty, empty))[0]) == 0


@settings(max_examples=30, deadline=None)
@given(st.lists(record, min_size=2, max_size=12))
def test_rows_equal_the_pair_by_pair_rows(rows: list[dict]) -> None:
    feats = features(rows)
    engine = trained(feats)
    pairs = every_pair(len(feats))
    a, b = columns(pairs)
    expected = [row for row in (score_pair(engine, feats[x], feats[y]) for x, y in pairs)
                if row is not None]
    assert pair_rows(PairScorer(engine, feats), a, b) == expected


def test_rows_of_merges_and_reviews_carry_their_explanation() -> None:
    same = {"display_name": "Marie Tremblay", "emails": ["marie.tremblay@acme.com"],
            "phones": ["514 555 1234"], "organization": "Acme Inc.", "city": "Montréal",
            "linkedin_url": ""}
    other = dict(same, display_name="Kate Roy", emails=["kate.roy@acme.com"], phones=[])
    feats = features([same, dict(same, display_name="Tremblay, Marie"), other,
                      dict(same, emails=[], phones=[], city="")])
    engine = Engine()
    pairs = [(0, 1), (0, 2), (0, 3), (1, 3), (2, 3)]
    a, b = columns(pairs)
    rows = pair_rows(PairScorer(engine, feats), a, b)
    assert (0, 1) in [(r[0], r[1]) for r in rows]
    assert all(r[3] in ("merge", "review") for r in rows)
    assert rows == [r for r in (score_pair(engine, feats[x], feats[y]) for x, y in pairs) if r]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(st.integers(0, 30), max_size=6), min_size=1, max_size=30),
       st.integers(2, 5))
def test_candidate_arrays_equal_the_blocks_pairs(keys: list[list[int]], cap: int) -> None:
    blocks = Blocks(cap, cap)
    for position, held in enumerate(keys):
        blocks.add(position, list(dict.fromkeys(k * 2 + (k % 2) for k in held)))
    a, b = candidate_arrays(blocks, len(keys))
    assert list(zip(a.tolist(), b.tolist(), strict=True)) == list(blocks.pairs())


@pytest.mark.parametrize("helpers_fail", [False, True])
def test_shared_gammas_equal_one_process(monkeypatch, helpers_fail: bool) -> None:
    """Levels computed by forked helpers, put back in order, are the array one
    process computes; a helper that fails has its part computed here."""
    rows = [{"display_name": n, "emails": [EMAILS[i % len(EMAILS)]], "phones": [],
             "organization": ORGS[i % len(ORGS)], "city": CITIES[i % len(CITIES)],
             "linkedin_url": ""} for i, n in enumerate(NAMES * 3)]
    feats = features(rows)
    a, b = columns(every_pair(len(feats)))
    scorer = PairScorer(Engine(), feats)
    alone = scorer.gammas(a, b)
    if helpers_fail:
        parent, original = os.getpid(), PairScorer.gammas

        def failing(self, x, y):
            if os.getpid() != parent:
                raise RuntimeError("helper failure")
            return original(self, x, y)
        monkeypatch.setattr(PairScorer, "gammas", failing)
    with shared_gammas(scorer, 3) as gammas:
        assert np.array_equal(gammas(a, b), alone)
        assert np.array_equal(gammas(a[:5], b[:5]), alone[:5])    # fewer pairs than parts
        assert gammas(a[:0], b[:0]).shape == (0, alone.shape[1])
        # chunk by chunk, the helpers a chunk ahead: the same levels, in order
        for size in (1, 4, 37, len(a) - 1, len(a), len(a) * 2):
            got = list(gammas.chunks(a, b, size))
            assert [start for start, _ in got] == list(range(0, len(a), size))
            assert np.array_equal(np.concatenate([levels for _, levels in got]), alone)
        assert list(gammas.chunks(a[:0], b[:0], 10)) == []
        gammas(a[:7], b[:7])          # and plain calls still work after chunks
    with shared_gammas(scorer, 1) as alone_here:
        assert np.array_equal(np.concatenate([lv for _, lv in alone_here.chunks(a, b, 50)]),
                              alone)


def test_chunk_cuts_give_this_process_half_a_helpers_part() -> None:
    shared = SharedGammas(PairScorer(Engine(), []), None)
    shared.n = 3
    cuts = shared._cuts(100, 600)
    assert [(c.start, c.stop) for c in cuts] == [(100, 200), (200, 400), (400, 600)]
    assert [(c.start, c.stop) for c in shared._cuts(0, 2)] == [(0, 0), (0, 1), (1, 2)]
