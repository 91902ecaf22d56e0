"""Classifying interactions: properties of the reciprocity rule on random threads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from reseausync.engagement.evidence import (
    ATTEMPT,
    ENGAGEMENT,
    IGNORED,
    Event,
    classify,
    lost_thread,
)

WINDOW = timedelta(days=30)
START = datetime(2025, 1, 1, tzinfo=UTC)

events_strategy = st.lists(
    st.tuples(st.sampled_from(["message", "email"]), st.sampled_from(["in", "out"]),
              st.sampled_from(["", "t1", "t2"]), st.integers(0, 200), st.booleans(),
              st.booleans()),
    max_size=12)


def build(spec: list[tuple]) -> list[Event]:
    """Events from (kind, direction, thread, day, automated[, copied]) tuples; copied:
    a received message the contact was only copied on."""
    events = [Event(i, kind, START + timedelta(days=day), direction, thread, automated,
                    not (rest and rest[0]))
              for i, (kind, direction, thread, day, automated, *rest) in enumerate(spec)]
    return sorted(events, key=lambda e: e.at)


def theirs(event: Event) -> bool:
    """A message of the exchange: ours, or one the contact wrote (not one they were
    copied on)."""
    return event.direction == "out" or event.sender


def same_conversation(a: Event, b: Event) -> bool:
    """Same thread, or one has no thread (it pairs with the contact's whole channel)."""
    return a.thread == b.thread or not a.thread or not b.thread


def answered(event: Event, events: list[Event]) -> bool:
    """Brute force: any non-automated opposite message of the same conversation in the
    window, both sent by the owner or by the contact."""
    return theirs(event) and any(
        o.kind == event.kind and same_conversation(o, event) and not o.automated
        and theirs(o) and o.direction != event.direction and abs(o.at - event.at) <= WINDOW
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


def test_a_reply_is_credited_to_its_sender_only() -> None:
    """QA finding B: the owner writes to Alice and Bruno, Alice answers with Bruno in
    Cc. Seen from Bruno, Alice's answer is not his: both mails are attempts."""
    bruno = build([("email", "out", "t", 0, False), ("email", "in", "t", 0, False, True)])
    assert classify(bruno, WINDOW) == [(ATTEMPT, "sent, never answered"),
                                       (ATTEMPT, "copied on someone else's email")]
    alice = build([("email", "out", "t", 0, False), ("email", "in", "t", 0, False)])
    assert [v for v, _ in classify(alice, WINDOW)] == [ENGAGEMENT, ENGAGEMENT]
    # the owner's reply to a mail Bruno was copied on is no exchange with him either
    later = build([("email", "in", "t", 0, False, True), ("email", "out", "t", 1, False)])
    assert [v for v, _ in classify(later, WINDOW)] == [ATTEMPT, ATTEMPT]


def test_a_message_without_thread_pairs_with_the_whole_channel() -> None:
    """A threadless message (a hand-logged mail, a reply that lost its headers) is
    answered by any opposite message of its kind in the window, whatever its thread;
    a threaded one by its own thread's and by threadless ones."""
    events = build([("email", "out", "t1", 0, False), ("email", "in", "", 1, False),
                    ("email", "out", "t2", 40, False), ("email", "in", "t3", 41, False),
                    ("message", "in", "", 42, False)])
    assert classify(events, WINDOW) == [
        (ENGAGEMENT, "answered"), (ENGAGEMENT, "their reply"),
        (ATTEMPT, "sent, never answered"), (ATTEMPT, "received, never answered"),
        (ATTEMPT, "received, never answered")]


def test_a_reply_that_lost_its_thread_is_told_by_its_subject() -> None:
    for subject in ("RE: question", "Re:question", "re : x", "RE[2]: x", "Réf : x",
                    "AW: x", "SV: x", "Antw: x"):
        assert lost_thread(subject), subject
    for subject in ("question", "TR: x", "Fwd: x", "Reunion: x", "Re x", "", None):
        assert not lost_thread(subject), subject
