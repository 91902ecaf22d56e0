"""The cold list: who to get back to, most worth acting on first.

Contacts whose status is `never_engaged` or `cold` (and that were collected by the
as-of date). Order: ties that used to be strong and went cold first (by their past
strength, then the most recent last engagement), then contacts never engaged, the
most recently collected first (a card from last week's event is easier to follow
up than one from 2015), undated ones last. Each gets a `group` a person can act on,
decided from its evidence, then its sources:

    cold           "strong tie gone cold"   past strength >= 0.5
                   "phone contact, no trace for years" / "address-book contact, no
                   trace for years"  from an address book, last engagement >= 2 years
                   "gone cold"
    never_engaged  by the latest message or mail nobody answered (`last_written`):
                   "wrote to you, never answered" (the most actionable: they
                   reached out), "you wrote, no answer", "copied on a thread, never
                   written to"; else "business card never followed up" (a business
                   card: collected face to face), then "LinkedIn connection never
                   messaged", then an address book: "phone contact, no trace for
                   years" when collected >= 2 years ago, else "address-book contact
                   never engaged"; else "collected, never engaged"

A record is collected on the date its source gives, or else when the directory
first saw it (`collected_on`): a phone book imported today is not "years" old.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ..normalize.text import name_order
from .asof import today

STRONG_PAST = 0.5
YEARS = 730
_PHONE = {"vcard", "carddav"}
_BOOK = {"csv"}


def _connectors(contact: dict[str, Any]) -> set[str]:
    return {s.get("connector", "") for s in contact.get("sources") or []}


def _as_of(contact: dict[str, Any]) -> date:
    value = contact.get("as_of")
    return date.fromisoformat(value) if value else today()


def _days_since(value: str | None, as_of: date) -> int | None:
    if not value:
        return None
    return (as_of - date.fromisoformat(str(value)[:10])).days


def _book_label(connectors: set[str]) -> str:
    return "phone contact" if connectors & _PHONE else "address-book contact"


_WRITTEN = {"in": "wrote to you, never answered", "out": "you wrote, no answer",
            "copied": "copied on a thread, never written to"}


def group_of(contact: dict[str, Any]) -> str:
    connectors = _connectors(contact)
    as_of = _as_of(contact)
    if contact["status"] == "cold":
        if (contact.get("tie") or {}).get("past", 0.0) >= STRONG_PAST:
            return "strong tie gone cold"
        age = _days_since(contact.get("last_interaction"), as_of)
        if connectors & (_PHONE | _BOOK) and age is not None and age >= YEARS:
            return f"{_book_label(connectors)}, no trace for years"
        return "gone cold"
    if contact.get("last_written") in _WRITTEN:
        return _WRITTEN[contact["last_written"]]
    if "cards" in connectors:
        return "business card never followed up"
    if "linkedin" in connectors:
        return "LinkedIn connection never messaged"
    if connectors & (_PHONE | _BOOK):
        age = _days_since(_collected(contact), as_of)
        if age is not None and age >= YEARS:
            return f"{_book_label(connectors)}, no trace for years"
        return "address-book contact never engaged"
    return "collected, never engaged"


def _collected(contact: dict[str, Any]) -> str | None:
    """The source's collection date, else when the directory first saw the record."""
    return contact.get("first_collected") or contact.get("collected_on")


def _order(contact: dict[str, Any]) -> tuple[Any, ...]:
    if contact["status"] == "cold":
        last = contact.get("last_interaction")
        stamp = datetime.fromisoformat(last).timestamp() if last else 0.0
        return (0, -(contact.get("tie") or {}).get("past", 0.0), -stamp,
                *name_order(contact.get("display_name") or ""), contact["id"])
    first = _collected(contact)
    ordinal = date.fromisoformat(str(first)[:10]).toordinal() if first else 0
    return (1, 0 if first else 1, -ordinal, *name_order(contact.get("display_name") or ""),
            contact["id"])


def cold_contacts(annotated: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """never_engaged + cold contacts from `annotate`, ordered, each with a `group`."""
    picked = [dict(c, group=group_of(c)) for c in annotated
              if c.get("status") in ("never_engaged", "cold") and c.get("collected_as_of", True)]
    picked.sort(key=_order)
    return picked
