"""Matching keys for participants and contacts: email, phone, profile URL, name.

Interaction participants arrive as the evidence wrote them ("<JF@Acme.ca>",
"514-555-1234", "ca.linkedin.com/in/JFTremblay/?trk=x"); contacts hold values the
normalize stage produced. Both sides go through the same normalizers
(`reseausync.normalize`, idempotent), so a key compares equal exactly when the
normalizer would have made the values equal. These wrappers only add what linking
needs on top: None-safety and an order-free name key.
"""

from __future__ import annotations

from typing import Any

from .. import jsonfast
from ..normalize import fold as _fold
from ..normalize import normalize_email, normalize_linkedin, normalize_phone


def email_key(text: str | None) -> str:
    """`"Mailto:<JF@Acme.CA> "` -> `jf@acme.ca`; "" when it is no address."""
    return normalize_email(text) if text else ""


def phone_key(text: str | None, region: str | None = None) -> str:
    """E.164 when the number can be placed (with `region`), else its digits."""
    return normalize_phone(text, region) if text else ""


def url_key(text: str | None) -> str:
    """The canonical LinkedIn profile URL; "" for anything else."""
    return normalize_linkedin(text) if text else ""


def name_key(text: str | None) -> str:
    """Accents, case, punctuation and word order removed: "Tremblay, Jean-François" and
    "jean francois TREMBLAY" give the same key."""
    if not text:
        return ""
    return " ".join(sorted(_fold(text).split()))


def fold(text: str) -> str:
    """Case and accents removed, for comparing categories ("Équipe" == "equipe")."""
    return _fold(text) if text else ""


def stored_values(blob: str | None) -> list[str]:
    """Values of a stored JSON list of strings (a contact's) or of {"value": ...}
    objects (a record's); [] for anything else."""
    if not blob or blob == "[]":
        return []
    try:
        items = jsonfast.loads(blob)
    except ValueError:
        return []
    return [_value(item) for item in items] if isinstance(items, list) else []


def _value(item: Any) -> str:
    return item.get("value", "") if isinstance(item, dict) else str(item or "")
