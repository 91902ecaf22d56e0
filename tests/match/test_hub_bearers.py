"""Bearer counts (match/hubs.py): the column-wise count of a full build is the
definition's, wide sets and values past the cap included."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reseausync.match.engine import Engine
from reseausync.match.features import Features
from reseausync.match.hubs import count_bearers
from reseausync.match.vector import PairScorer

NAMES = [("marie", "tremblay"), ("marie", "trembley"), ("luc", "gagnon"), ("ann", ""),
         ("", ""), ("paul", "roy")]
PHONES = [f"514555{n:04d}" for n in range(8)]
EMAILS = [f"m{n}@acme.com" for n in range(8)]

record = st.tuples(st.sampled_from(NAMES),
                   st.sets(st.sampled_from(PHONES), max_size=6),     # wider than MAX_SET too
                   st.sets(st.sampled_from(EMAILS), max_size=6))


@settings(max_examples=150, deadline=None)
@given(st.lists(record, max_size=30), st.integers(2, 6))
def test_column_counts_equal_the_definition(records, cap: int) -> None:
    feats = [Features(rid, g, f, frozenset(e), frozenset(p), "", "", "")
             for rid, ((g, f), p, e) in enumerate(records)]
    assert PairScorer(Engine(), feats).bearer_counts(cap) == count_bearers(feats, cap)


def test_copies_count_once_and_a_crowd_counts_the_cap() -> None:
    """Three copies of one person (one name sound, typos included) bear their mobile
    once; a line on more records than the cap counts the cap."""
    copies = [Features(r, "marie", fam, frozenset(), frozenset({"4385550001"}), "", "", "")
              for r, fam in enumerate(("tremblay", "trembley", "tremblay"))]
    crowd = [Features(10 + r, "luc", f"name{chr(97 + r)}", frozenset(), frozenset({"5145550000"}),
                      "", "", "") for r in range(6)]
    counts = count_bearers(copies + crowd, 4)
    assert counts["phones"] == {"5145550000": 4}     # the copies' value: one bearer, left out
