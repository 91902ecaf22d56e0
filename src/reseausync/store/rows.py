"""An item as the plain values a run writes: the part of adding it that needs no state.

`prepared(item)` is what `RunWriter.add_prepared` takes. It depends on the item
alone, so a forked reader (feed.py) computes it next to the connector and sends it
over a pipe: a tuple of strings pickles several times faster than the dataclass
it comes from. What is left to the writer is what needs the run's state (ids
already seen, content hashes already stored) and, for interactions, encoding the
participants and hashing: on a million messages that balances the two processes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from hashlib import sha256
from json.encoder import encode_basestring as _string  # json's own (C) escaper
from typing import Any

from ..models import Interaction, Reject, SourceItem, SourceRecord

Prepared = tuple[Any, ...]     # (kind "r" | "i" | "x", unit, ...)
Person = tuple[str, str, str, str]    # a participant: name, email, phone, LinkedIn URL


def prepared(item: SourceItem) -> Prepared:
    """("r", unit, external id, locator, connector, data JSON, content hash, raw,
    photo (digest, media type, bytes) or None, collected ISO date or None);
    ("i", unit, external id, locator, connector, kind, occurred ISO, direction,
    thread, subject, participants as Person tuples, extra); ("x", unit, reject)."""
    kind = type(item)
    if kind is Interaction or (kind is not SourceRecord and isinstance(item, Interaction)):
        return ("i", item.unit, item.external_id, item.locator, item.connector, item.kind,
                item.occurred_at.isoformat(), item.direction, item.thread, item.subject,
                [(p.name, p.email, p.phone, p.linkedin_url) for p in item.participants],
                item.extra)
    if isinstance(item, SourceRecord):
        text, digest = item.content()
        photo = item.photo
        return ("r", item.unit, item.external_id, item.locator, item.connector, text, digest,
                item.raw, (photo.digest, photo.media_type, photo.data) if photo else None,
                item.collected_at.isoformat() if item.collected_at else None)
    assert isinstance(item, Reject)
    return ("x", item.unit, item)


def interaction_digest(connector: str, kind: str, occurred: str, direction: str, thread: str,
                       subject: str, people: str, extra: str) -> str:
    """An interaction's content hash, over its stored texts. Where it was read (unit,
    locator) is not content: the same messages in next month's export, saved under
    another name, are not changes."""
    return sha256("\x1f".join((connector, kind, occurred, direction, thread, subject,
                               people, extra)).encode("utf-8")).hexdigest()


def people_json(people: Sequence[Person]) -> str:
    """`json.dumps` of the participants as dicts (Interaction.participants_dicts()),
    written by hand: the json module's encoder costs 3.5 us for one participant,
    the C string escaper it uses 0.5 us for the four fields (same escaping, same
    text)."""
    parts = []
    for name, email, phone, url in people:
        if not (type(name) is type(email) is type(phone) is type(url) is str):
            return json.dumps([{"name": n, "email": e, "phone": p, "linkedin_url": u}
                               for n, e, p, u in people], ensure_ascii=False)
        parts.append('{"name": ' + _string(name) + ', "email": ' + _string(email)
                     + ', "phone": ' + _string(phone) + ', "linkedin_url": '
                     + _string(url) + "}")
    return "[" + ", ".join(parts) + "]"
