"""What each interaction counts as: engagement, an attempt, or nothing.

Engagement means reciprocity or presence:
- a meeting, a call: presence (a hand-logged coffee is a meeting too);
- a recommendation: someone wrote a testimony, which takes a real working relationship;
- a message or an email that is part of an exchange: an "out" and an "in" message of
  the same thread (same kind and thread id) no more than `reply_window` apart. In a
  mail thread (its id from In-Reply-To/References: a mail there was written as an
  answer) also however far apart: a mail and the other side's next one in that
  thread. An answer after the holidays is an answer (every mail the answer follows
  counts as answered, the answer as a reply), while a follow-up after one's own
  reply answers nothing. (A LinkedIn conversation is one thread per pair of people
  for ever: a message there years later is a new approach, not an answer.) Both the
  message and its answer count. A message with no thread id pairs with the
  contact's whole channel (every message of its kind, whatever the thread) within
  the window, and so
  does a reply that lost its thread: a mail that starts a thread of its own (its
  thread is its own id: no In-Reply-To, no References) while its subject says it
  answers ("Re:", "RE:", "Réf:", "AW:", "SV:"...), as some phones, web mails and
  gateways send. Its parent cannot be named, so any message of that kind the other
  way within the window (ours to them, or theirs to us) is taken as the one it
  answers (`lost_thread`; status.contact_events applies it).
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

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
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
# kinds whose thread id comes from reply headers (a mail's In-Reply-To/References):
# a message in that thread was written as an answer, however late. A LinkedIn
# conversation is one thread per pair of people for ever: a message there years
# later is a new approach, so its thread pairs within the window only.
_REPLY_HEADERS = frozenset({"email"})
_CHANNEL = None   # thread key of a kind's every message, whatever its thread
_NONE: list[datetime] = []
# "Re:" as mail clients write it in English, French, German, Scandinavian, Dutch,
# Polish, Italian and Finnish, with Outlook's counts ("RE[2]:"); "Fwd:"/"TR:" are
# forwards, not answers.
_REPLY_PREFIX = re.compile(r"\s*(?:re|ré|réf|ref|rép|aw|sv|antw|odp|r|vs)\s*"
                           r"(?:\[\d+\]|\(\d+\))?\s*:", re.IGNORECASE)


def lost_thread(subject: str | None) -> bool:
    """Whether a message that starts a thread of its own is in fact a reply (its
    subject says so): its thread is then unknown, not its own."""
    return bool(subject) and _REPLY_PREFIX.match(subject) is not None


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
    # the same interaction carried by other sources (status.contact_events): counted
    # once, listed together by `show`
    copies: list[int] = field(default_factory=list)


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
            verdicts.append((IGNORED, "automated (mailing list, no-reply sender, or an "
                                      "event larger than max_attendees)"))
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


Times = dict[tuple[str, str | None, str], list[datetime]]


def _conversation_times(events: list[Event]) -> Times:
    """(kind, thread, direction) -> sorted times of the non-automated messages of the
    exchange. Thread `_CHANNEL`, all of them whatever their thread, is added only
    when a threadless message needs it (rare: most contacts have none)."""
    times: Times = {}
    loose = False
    for event in events:
        if (event.kind in _CONVERSATION and not event.automated
                and event.direction in _OPPOSITE and _of_the_exchange(event)):
            times.setdefault((event.kind, event.thread, event.direction), []).append(event.at)
            loose = loose or not event.thread
    if loose:
        channel: Times = {}
        for (kind, _, direction), found in times.items():
            channel.setdefault((kind, _CHANNEL, direction), []).extend(found)
        times.update((key, sorted(found)) for key, found in channel.items())
    return times


def _of_the_exchange(event: Event) -> bool:
    """Sent by the owner (to everyone on it), or received from this contact."""
    return event.direction != "in" or event.sender


def _conversation(event: Event, threads: Times, window: timedelta) -> tuple[str, str]:
    if event.direction == "both":
        return ENGAGEMENT, f"two-way {event.kind}"
    if event.direction not in _OPPOSITE:
        return ATTEMPT, f"{event.kind} with unknown direction"
    if not _of_the_exchange(event):
        return ATTEMPT, f"copied on someone else's {event.kind}"
    opposite = _OPPOSITE[event.direction]
    # no thread: the whole channel; a thread: its own messages and the threadless ones
    if event.thread:
        own = threads.get((event.kind, event.thread, opposite), _NONE)
        loose = threads.get((event.kind, "", opposite), _NONE)
    else:
        own, loose = threads.get((event.kind, _CHANNEL, opposite), _NONE), _NONE
    at = event.at
    headers = bool(event.thread) and event.kind in _REPLY_HEADERS
    if ((own and _answered_after(own, at, window)) or (loose and _answered_after(loose, at, window))
            or (headers and own and own[-1] >= at)):
        return ENGAGEMENT, ("answered" if event.direction == "out" else "you replied")
    if (_answers_before(own, at, window) or (loose and _answers_before(loose, at, window))
            or (headers and _takes_turn(event, own, threads))):
        return ENGAGEMENT, ("your reply" if event.direction == "out" else "their reply")
    return ATTEMPT, ("sent, never answered" if event.direction == "out"
                     else "received, never answered")


def _takes_turn(event: Event, opposite: list[datetime], threads: Times) -> bool:
    """In a known thread, whether `event` answers the other side's last message,
    however late: that message came before it, and none of its own direction came
    in between (a follow-up after one's own reply answers nothing). An answer after
    the holidays is an answer; a nudge a year after the last exchange is not."""
    earlier = bisect_right(opposite, event.at) - 1
    if earlier < 0:
        return False
    same = threads.get((event.kind, event.thread, event.direction), _NONE)
    before = bisect_left(same, event.at) - 1
    return before < 0 or same[before] <= opposite[earlier]


def _answered_after(times: list[datetime], at: datetime, window: timedelta) -> bool:
    """One of the sorted `times` is at or after `at`, within `window`."""
    later = bisect_left(times, at)
    return later < len(times) and times[later] - at <= window


def _answers_before(times: list[datetime], at: datetime, window: timedelta) -> bool:
    """One of the sorted `times` is at or before `at`, within `window`."""
    earlier = bisect_right(times, at) - 1
    return earlier >= 0 and at - times[earlier] <= window
