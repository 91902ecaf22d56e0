"""Classifying interactions: properties of the reciprocity rule on random threads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from reseausync.engagement.evidence import ATTEMPT, ENGAGEMENT, IGNORED, Event, classify

WINDOW = timedelta(days=30)
START = datetime(2025, 1, 1, tzinfo=UTC)

events_strategy = st.lists(
    st.tuples(st.sampled_from(["message", "email"]), st.sampled_from(["in", "out"]),
              st.sampled_from(["", "t1", "t2"]), st.integers(0, 200), st.booleans()),
    max_size=12)


def build(spec: list[tuple[str, str, str, int, bool]]) -> list[Event]:
    events = [Event(i, kind, START + timedelta(days=day), direction, thread, automated)
              for i, (kind, direction, thread, day, automated) in enumerate(spec)]
    return sorted(events, key=lambda e: e.at)


def answered(event: Event, events: list[Event]) -> bool:
    """Brute force: any non-automated opposite message of the same thread in the window."""
    return any(o.kind == event.kind and o.thread == event.thread and not o.automated
               and o.direction != event.direction and abs(o.at - event.at) <= WINDOW
               for o in events)


@given(events_strategy)
@settings(max_examples=100)
def test_a_message_engages_exactly_when_answered_within_the_window(spec: list) -> None:
    events = build(spec)
    for event, (verdict, _) in zip(events, classify(events, WINDOW), strict=True):
        if event.automated:
            assert verdict == IGNORED
        else:
            assert verdict == (ENGAGEMENT if answered(event, events) else ATTEMPT)


@given(events_strategy, events_strategy)
@settings(max_examples=60)
def test_more_evidence_never_undoes_an_engagement(spec: list, more: list) -> None:
    before = build(spec)
    after = build(spec + more)
    engaged_before = {e.id for e, (v, _) in zip(before, classify(before, WINDOW), strict=True)
                      if v == ENGAGEMENT}
    engaged_after = {e.id for e, (v, _) in zip(after, classify(after, WINDOW), strict=True)
                     if v == ENGAGEMENT}
    assert engaged_before <= engaged_after


def test_reasons_say_who_answered() -> None:
    events = build([("email", "out", "t", 0, False), ("email", "in", "t", 2, False),
                    ("email", "in", "", 50, False), ("message", "out", "", 60, False),
                    ("invitation", "out", "", 61, False), ("weird", "in", "", 62, False)])
    assert [why for _, why in classify(events, WINDOW)] == [
        "answered", "their reply", "received, never answered", "sent, never answered",
        "invitation (a connection, not a conversation)", "weird (not known to engage)"]
