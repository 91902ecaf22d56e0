"""The items that flow between stages.

Connectors yield `SourceRecord`, `Interaction` and `Reject`; the store keeps them;
match/merge turn records into canonical `Contact`s. These are plain dataclasses,
not pydantic models: a 100,000-card import creates them by the hundred thousand and
validation belongs at the edges (config, connector options, JSON output), not in
the inner loop.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from .recordtext import record_text

Direction = Literal["in", "out", "both", "none"]

# Interaction kinds. The engagement stage weighs them; connectors only name them.
INTERACTION_KINDS = (
    "message",          # a chat or LinkedIn message
    "email",            # a mail in a mailbox
    "meeting",          # a calendar event, a coffee from the hand-kept log
    "call",
    "invitation",       # a LinkedIn invitation: an attempt, not engagement
    "endorsement",
    "recommendation",
    "card_exchange",    # a business card: collection, not engagement
    "note",             # anything else from the hand-kept log
)


@dataclass(slots=True)
class Labeled:
    """A value with the label its source gave it ("work", "Cell.", "_$!<Home>!$_")."""

    value: str
    label: str = ""


@dataclass(slots=True)
class Address:
    street: str = ""
    locality: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""
    label: str = ""

    def is_empty(self) -> bool:
        return not any((self.street, self.locality, self.region, self.postal_code, self.country))


@dataclass(slots=True)
class Photo:
    """Photo bytes travel once from the connector to the store, which keeps them by hash."""

    data: bytes
    media_type: str = "image/jpeg"

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(slots=True)
class SourceRecord:
    """One person as one source describes them, before any matching.

    `external_id` is the source's own stable key (vCard UID, profile URL, CSV key
    column, card file name, CardDAV href): the same person read twice from the same
    source gets the same id, which is what makes imports idempotent. `unit` names
    the file, zip member or href the record came from, so a later sync that skips an
    unchanged unit knows the record is still there. `raw` is the text as read, kept
    so that nothing the source said is lost to a normalizer.
    """

    source: str
    connector: str
    external_id: str
    locator: str
    unit: str = ""
    display_name: str = ""
    given_name: str = ""
    family_name: str = ""
    middle_name: str = ""
    prefix: str = ""
    suffix: str = ""
    nickname: str = ""
    emails: list[Labeled] = field(default_factory=list)
    phones: list[Labeled] = field(default_factory=list)
    organization: str = ""
    title: str = ""
    linkedin_url: str = ""
    urls: list[str] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    note: str = ""
    birthday: str = ""
    collected_at: date | datetime | None = None
    photo: Photo | None = None
    photo_url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    raw: str = ""

    def fields_dict(self) -> dict[str, Any]:
        """The record's content without bulky or volatile parts (photo bytes, raw).

        Written out by hand: `dataclasses.asdict` deep-copies recursively and was
        the largest cost of a 200,000-row import.
        """
        return {
            "source": self.source, "connector": self.connector,
            "external_id": self.external_id, "locator": self.locator, "unit": self.unit,
            "display_name": self.display_name, "given_name": self.given_name,
            "family_name": self.family_name, "middle_name": self.middle_name,
            "prefix": self.prefix, "suffix": self.suffix, "nickname": self.nickname,
            "emails": [{"value": e.value, "label": e.label} for e in self.emails],
            "phones": [{"value": p.value, "label": p.label} for p in self.phones],
            "organization": self.organization, "title": self.title,
            "linkedin_url": self.linkedin_url, "urls": list(self.urls),
            "addresses": [_address_dict(a) for a in self.addresses],
            "categories": list(self.categories), "note": self.note,
            "birthday": self.birthday,
            "collected_at": self.collected_at.isoformat() if self.collected_at else None,
            "photo_digest": self.photo.digest if self.photo else "",
            "photo_url": self.photo_url, "extra": self.extra,
        }

    def content(self) -> tuple[str, str]:
        """(what the record says as JSON, its SHA-256): the stored `data` and the
        content hash are one encoding. The locator and the unit are left out of both
        (they have columns of their own), so a card moving down its file, or an
        export saved under another name, is not a change."""
        text = record_text(self)
        return text, hashlib.sha256(text.encode("utf-8")).hexdigest()

    def has_identity(self) -> bool:
        """A record with no name, email, phone, URL or organization names nobody."""
        return bool(
            self.display_name or self.given_name or self.family_name or self.emails
            or self.phones or self.linkedin_url or self.organization
        )


@dataclass(slots=True)
class Participant:
    """Someone on the other side of an interaction, as the evidence names them."""

    name: str = ""
    email: str = ""
    phone: str = ""
    linkedin_url: str = ""

    def is_empty(self) -> bool:
        return not (self.name or self.email or self.phone or self.linkedin_url)


@dataclass(slots=True)
class Interaction:
    """Evidence of contact with people: a message, a meeting, an invitation.

    `direction` is seen from the directory owner: "out" they sent it, "in" they
    received it, "both" (a meeting, a call), "none" unknown. `thread` groups a
    conversation so the engagement stage can tell an answered message from one
    nobody answered.
    """

    source: str
    connector: str
    external_id: str
    locator: str
    kind: str
    occurred_at: datetime
    unit: str = ""
    direction: Direction = "none"
    participants: list[Participant] = field(default_factory=list)
    thread: str = ""
    subject: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def participants_dicts(self) -> list[dict[str, str]]:
        return [{"name": p.name, "email": p.email, "phone": p.phone,
                 "linkedin_url": p.linkedin_url} for p in self.participants]


@dataclass(slots=True)
class Reject:
    """An item a connector could not read: where it was and why, never silently dropped.

    `reason` is a short stable code ("unterminated-card", "bad-date") for filtering;
    `message` is the sentence a person reads; `excerpt` a few characters of the input.
    `unread`: the unit could not be read to its end (a damaged file, a card the
    server garbled or would not send): what it held is kept, and it is read again
    next run, instead of taking what was not seen as removed.
    """

    source: str
    locator: str
    reason: str
    message: str
    unit: str = ""
    excerpt: str = ""
    unread: bool = field(default=False, repr=False)    # how the run treats its unit

    @property
    def location(self) -> str:
        return self.locator


def _address_dict(a: Address) -> dict[str, str]:
    return {"street": a.street, "locality": a.locality, "region": a.region,
            "postal_code": a.postal_code, "country": a.country, "label": a.label}


SourceItem = SourceRecord | Interaction | Reject
