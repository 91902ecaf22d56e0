"""Whose mailbox it is, when the config does not say: what tells sent from received.

The rule, as the LinkedIn connector's (`linkedin/owner.py`):

1. The configured `[me] emails` (`ReadContext.me_emails`).
2. Else a guess from the mailbox itself: its owner is on nearly every message of
   it (as the sender or a recipient), so the address found in the most messages
   among the first `GUESS_MESSAGES` is taken as the owner's, when it is on more
   than half of them and on more than any other address. Reading a bounded head
   keeps the guess cheap on a Takeout mailbox of gigabytes.
3. Else nobody: a single .eml, a mailbox of two messages between the same two
   people, a tie. Directions are then "none", never "in": a mail the owner sent
   is not a mail received, and the engagement stage counts a message of unknown
   direction as an attempt, never as an unanswered mail. The owner, unknown, is
   then listed among the participants like anybody else.

Only one address is guessed; an owner who writes from two addresses should say so
in `[me]`.
"""

from __future__ import annotations

from collections import Counter

from reseausync.connector import Unit
from reseausync.files import open_binary

from .message import addresses, parse, raw_headers
from .split import messages

GUESS_MESSAGES = 2000
_PEOPLE_FIELDS = ("From", "To", "Cc")


def guess_owner(unit: Unit) -> frozenset[str]:
    """Rule 2: the address on most messages of the mailbox's head, else none."""
    counts: Counter[str] = Counter()
    counted = 0
    with open_binary(unit) as stream:
        for raw in messages(stream):
            if counted >= GUESS_MESSAGES:
                break
            people = _people(raw.headers) if not raw.problem else set()
            if people:
                counted += 1
                counts.update(people)
    top = counts.most_common(2)
    if not top or top[0][1] * 2 <= counted or (len(top) == 2 and top[0][1] == top[1][1]):
        return frozenset()      # no honest guess: directions are "none"
    return frozenset({top[0][0]})


def _people(header_block: bytes) -> set[str]:
    """The addresses of one message but a mailing list's own (an archive has the
    list's address on every message: it would pass for the owner); none for a
    message the reader would reject."""
    try:
        headers = raw_headers(parse(header_block))
    except Exception:   # the message is rejected when it is read for real
        return set()
    people = {person.email for name in _PEOPLE_FIELDS for person in addresses(headers, name)}
    return people - _list_addresses(headers.first, people) if people else people


def _list_addresses(first: dict[str, str], people: set[str]) -> set[str]:
    """The list's own address among `people`: List-Post's mailto, or the address
    List-Id spells with a dot for its "@" (RFC 2919: <devs.lists.example.org>)."""
    post = first.get("list-post", "").lower()
    list_id = first.get("list-id", "").lower()
    if not (post or list_id):
        return set()
    return {p for p in people
            if f"mailto:{p}" in post or f"<{p.replace('@', '.')}>" in list_id}
