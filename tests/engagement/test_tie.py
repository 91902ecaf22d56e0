"""Tie strength: bounded, and moving the right way with each component."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from reseausync.engagement.tie import tie_strength

AS_OF = date(2026, 11, 20)


def at(days_ago: int) -> datetime:
    return datetime(2026, 11, 20, 12, tzinfo=UTC) - timedelta(days=days_ago)


@given(st.one_of(st.none(), st.integers(0, 5000)), st.integers(0, 500), st.integers(0, 500),
       st.integers(0, 500))
@settings(max_examples=100)
def test_components_and_score_stay_in_0_1(age: int | None, days: int, engagements: int,
                                          attempts: int) -> None:
    tie = tie_strength(None if age is None else at(age), days, engagements, attempts, AS_OF, 90)
    for value in (tie.score, tie.recency, tie.frequency, tie.reciprocity, tie.past):
        assert 0.0 <= value <= 1.0


@given(st.integers(0, 3000), st.integers(1, 50))
@settings(max_examples=60)
def test_older_engagement_never_scores_higher(age: int, step: int) -> None:
    newer = tie_strength(at(age), 3, 3, 1, AS_OF, 90)
    older = tie_strength(at(age + step), 3, 3, 1, AS_OF, 90)
    assert older.score <= newer.score
    assert older.past == newer.past


def test_documented_values() -> None:
    never = tie_strength(None, 0, 0, 4, AS_OF, 90)
    assert (never.score, never.recency, never.reciprocity) == (0.0, 0.0, 0.0)
    half = tie_strength(at(90), 24, 6, 2, AS_OF, 90)
    assert half.recency == 0.5 and half.frequency == 1.0 and half.reciprocity == 0.75
    assert half.score == round(0.5 * 0.5 + 0.3 * 1.0 + 0.2 * 0.75, 4)
    assert half.past == round(1.0 * (0.5 + 0.5 * 0.75), 4)
    more = tie_strength(at(90), 30, 6, 0, AS_OF, 90)
    assert more.score > half.score
