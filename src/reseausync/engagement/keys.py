"""Matching keys for participants and contacts: email, phone, profile URL, name.

Interaction participants arrive as the evidence wrote them ("<JF@Acme.ca>",
"514-555-1234", "ca.linkedin.com/in/JFTremblay/?trk=x"); contacts hold normalized
values. Both sides go through these functions so a key compares equal whenever
the normalizer would have made the values equal. This is a small local copy of
the rules of the normalize stage (lower-case email, E.164 phone with the default
region else digits, canonical LinkedIn URL); every function is idempotent, so
applying it to an already normalized contact value changes nothing.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import unquote, urlsplit

import phonenumbers

_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_NOT_DIGIT = re.compile(r"\D")
_NAME_SPLIT = re.compile(r"[^0-9a-z]+")
_PROFILE = re.compile(r"^/(?:in|pub)/([^/?#]+)")


def email_key(text: str | None) -> str:
    """`"Mailto:<JF@Acme.CA> "` -> `jf@acme.ca`; anything without an @ -> ""."""
    if not text:
        return ""
    value = text.strip().strip("<>").strip()
    if value[:7].lower() == "mailto:":
        value = value[7:].strip("<>").strip()
    value = value.lower()
    return value if "@" in value[1:-1] else ""


@lru_cache(maxsize=65536)
def phone_key(text: str | None, region: str | None = None) -> str:
    """E.164 when the number parses (with `region` for national numbers), else digits."""
    if not text:
        return ""
    value = text.strip()
    compact = re.sub(r"[\s().\-/]", "", value)
    if _E164.match(compact):
        return compact
    if compact.startswith("00") and compact[2:].isdigit():
        compact = "+" + compact[2:]
        if _E164.match(compact):
            return compact
    if region or value.startswith("+"):
        try:
            number = phonenumbers.parse(value, region.upper() if region else None)
        except phonenumbers.NumberParseException:
            number = None
        if number is not None and phonenumbers.is_possible_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return _NOT_DIGIT.sub("", value)


def url_key(text: str | None) -> str:
    """A LinkedIn profile URL in canonical form `https://www.linkedin.com/in/<slug>`.

    Any subdomain (ca., fr.), scheme, query, fragment or trailing slash is dropped and
    the slug is lower-cased (LinkedIn slugs are case-insensitive). Other URLs are
    lower-cased without scheme and trailing slash so they still compare.
    """
    if not text:
        return ""
    value = text.strip()
    if "://" not in value:
        value = "https://" + value
    parts = urlsplit(value)
    host = parts.hostname or ""
    if host == "linkedin.com" or host.endswith(".linkedin.com"):
        match = _PROFILE.match(parts.path)
        if match:
            return f"https://www.linkedin.com/in/{unquote(match.group(1)).lower()}"
    rest = (host + parts.path).rstrip("/")
    return rest.lower()


def name_key(text: str | None) -> str:
    """Accents, case, punctuation and word order removed: "Tremblay, Jean-François" and
    "jean francois TREMBLAY" give the same key."""
    if not text:
        return ""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    tokens = [t for t in _NAME_SPLIT.split(folded) if t]
    return " ".join(sorted(tokens))


def fold(text: str) -> str:
    """Case and accents removed, for comparing categories ("Équipe" == "equipe")."""
    folded = unicodedata.normalize("NFKD", text.strip())
    return "".join(c for c in folded if not unicodedata.combining(c)).casefold()
