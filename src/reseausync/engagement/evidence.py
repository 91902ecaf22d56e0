"""What each interaction counts as: engagement, an attempt, or nothing.

Engagement means reciprocity or presence:
- a meeting, a call: presence (a hand-logged coffee is a meeting too);
- a recommendation: someone wrote a testimony, which takes a real working relationship;
- a message or an email that is part of an exchange: an "out" and an "in" message of
  the same thread (same kind and thread id; no thread id means the contact's whole
  channel) no more than `reply_window` apart; both the message and its answer count.
  The "in" message must be the contact's own: a received message is credited to its
  sender only (`Event.sender`), never to the people copied on it, so one answer in
  a group thread engages the person who wrote it, not the whole To/Cc line;
- a message with direction "both" (the source already saw a two-way exchange);
- a note from the hand-kept log with direction "both" (we were together).
Attempts (shown as `last_attempt`, never engagement):
- a message or email nobody answered within the window, either way, or with an
  unknown direction;
- a received message the contact was only copied on (someone else wrote it);
- an invitation (accepted or not: a connection is collection, not a conversation);
- an endorsement: one click on a skill, no exchange needed (decided here; it still
  adds to the attempt count and lowers reciprocity);
- a business card exchange (collection), a one-sided note.
Ignored entirely: interactions flagged `automated` by their connector (mailing
lists, no-reply senders).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

ENGAGEMENT = "engagement"
ATTEMPT = "attempt"
IGNORED = "ignored"

_PRESENCE = {"meeting": "meeting (presence)", "call": "call (presence)",
             "recommendation": "recommendation (a written testimony)"}
_ATTEMPTS = {"invitation": "invitation (a connection, not a conversation)",
             "endorsement": "endorsement (one click, no exchange)",
             "card_exchange": "business card exchanged (collection)"}
_CONVERSATION = ("message", "email")
_OPPOSITE = {"in": "out", "out": "in"}


@dataclass(slots=True)
class Event:
    """One interaction as seen from one contact."""

    id: int
    kind: str
    at: datetime
    direction: str
    thread: str
    automated: bool
    # For a received ("in") message: this contact wrote it. False when they were only
    # on its To/Cc: then it is no answer of theirs (status.contact_events says how
    # the sender is known).
    sender: bool = True


def parse_instant(text: str) -> datetime:
    """Stored instants are ISO 8601 UTC; a naive one is taken as UTC."""
    value = datetime.fromisoformat(text)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def classify(events: list[Event], reply_window: timedelta) -> list[tuple[str, str]]:
    """(verdict, reason) for each event; `events` sorted by time."""
    threads = _conversation_times(events)
    verdicts: list[tuple[str, str]] = []
    for event in events:
        if event.automated:
            verdicts.append((IGNORED, "automated (mailing list or no-reply sender)"))
        elif event.kind in _PRESENCE:
            verdicts.append((ENGAGEMENT, _PRESENCE[event.kind]))
        elif event.kind in _ATTEMPTS:
            verdicts.append((ATTEMPT, _ATTEMPTS[event.kind]))
        elif event.kind in _CONVERSATION:
            verdicts.append(_conversation(event, threads, reply_window))
        elif event.kind == "note":
            verdicts.append((ENGAGEMENT, "hand-logged, together") if event.direction == "both"
                            else (ATTEMPT, "hand-logged note, one-sided"))
        else:
            verdicts.append((ATTEMPT, f"{event.kind or 'unknown kind'} (not known to engage)"))
    return verdicts


def _conversation_times(events: list[Event]) -> dict[tuple[str, str, str], list[datetime]]:
    """(kind, thread, direction) -> sorted times of the non-automated messages."""
    times: dict[tuple[str, str, str], list[datetime]] = {}
    for event in events:
        if (event.kind in _CONVERSATION and not event.automated
                and event.direction in _OPPOSITE and _of_the_exchange(event)):
            times.setdefault((event.kind, event.thread, event.direction), []).append(event.at)
    return times


def _of_the_exchange(event: Event) -> bool:
    """Sent by the owner (to everyone on it), or received from this contact."""
    return event.direction != "in" or event.sender


def _conversation(event: Event, threads: dict[tuple[str, str, str], list[datetime]],
                  window: timedelta) -> tuple[str, str]:
    if event.direction == "both":
        return ENGAGEMENT, f"two-way {event.kind}"
    if event.direction not in _OPPOSITE:
        return ATTEMPT, f"{event.kind} with unknown direction"
    if not _of_the_exchange(event):
        return ATTEMPT, f"copied on someone else's {event.kind}"
    other = threads.get((event.kind, event.thread, _OPPOSITE[event.direction]), [])
    later = bisect_left(other, event.at)
    if later < len(other) and other[later] - event.at <= window:
        return ENGAGEMENT, ("answered" if event.direction == "out" else "you replied")
    earlier = bisect_right(other, event.at) - 1
    if earlier >= 0 and event.at - other[earlier] <= window:
        return ENGAGEMENT, ("your reply" if event.direction == "out" else "their reply")
    return ATTEMPT, ("sent, never answered" if event.direction == "out"
                     else "received, never answered")
