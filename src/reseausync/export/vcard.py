"""Canonical contacts to vCard 4.0 or 3.0, for `export --format vcf` and CardDAV publish.

The output is meant to be read back by any client and by our own importer, so
that import -> export -> import into a fresh directory gives the same contacts:
CRLF line endings, lines folded at 75 octets without splitting a UTF-8 character,
text values escaped (backslash, comma, semicolon, newline), URIs left unescaped.

Choices: the LinkedIn profile is written as `X-SOCIALPROFILE;TYPE=linkedin` (what
Apple and Google read); phones already in E.164 become `tel:` URIs in 4.0;
birthdays are written in the basic ISO form 4.0 requires (19800415, --0415 without
a year); an
organization-only contact is marked `KIND:org` (4.0) or `X-ABShowAs:COMPANY` (3.0,
Apple's marker) so that it comes back a company, not a person. The canonical
contact holds only a photo digest, not its bytes, so no PHOTO is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

VERSIONS = ("4.0", "3.0")
_E164 = re.compile(r"\+[1-9]\d{4,14}\Z")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})\Z")
_NO_YEAR = re.compile(r"--(\d{2})-?(\d{2})\Z")
_ADR_TYPES = {"work", "home"}


def escape(text: str) -> str:
    """Escape a text value (RFC 6350 3.4): backslash, comma, semicolon, newline."""
    return (str(text).replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _uri(text: str) -> str:
    return "".join(str(text).split())


def fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    pieces: list[str] = []
    current: list[str] = []
    size, limit = 0, 75
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, 74   # a continuation starts with one space
        current.append(ch)
        size += width
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


def _display_name(contact: dict[str, Any]) -> str:
    name = contact.get("display_name") or " ".join(
        x for x in (contact.get("given_name"), contact.get("family_name")) if x)
    if name:
        return str(name)
    emails = contact.get("emails") or []
    return str(contact.get("organization") or (emails[0] if emails else "") or "")


def is_organization(contact: dict[str, Any]) -> bool:
    """Whether the contact is a company, not a person: no record named a person, so
    survivorship listed it under its organization (display name = organization,
    no given or family name). Written as vCard 4.0 `KIND:org` or Apple's
    `X-ABShowAs:COMPANY` in 3.0, the two markers our importer (and address books)
    read, so that a re-import does not split "Acme Widgets" into a given and a
    family name."""
    org = contact.get("organization")
    if not org or contact.get("given_name") or contact.get("family_name"):
        return False
    return (contact.get("display_name") or org) == org


def _birthday(value: str, version: str) -> str:
    """4.0 wants a date in the basic form: 19800415, and --0415 for a day without
    its year (RFC 6350 4.3.1), which as text (`VALUE=text`) clients show as a note,
    not a birthday. 3.0 keeps the extended form its sources write."""
    iso = _ISO_DATE.match(value)
    if version == "4.0":
        if iso:
            return "BDAY:" + "".join(iso.groups())
        no_year = _NO_YEAR.match(value)
        if no_year:
            return "BDAY:--" + "".join(no_year.groups())
        return "BDAY;VALUE=text:" + escape(value)
    return "BDAY:" + (value if iso else escape(value))


def _phone(value: str, version: str) -> str:
    if version == "4.0":
        if _E164.match(value):
            return f"TEL;VALUE=uri;TYPE=voice:tel:{value}"
        return "TEL;VALUE=text;TYPE=voice:" + escape(value)
    return "TEL;TYPE=VOICE:" + escape(value)


def _address(addr: dict[str, Any], version: str) -> str:
    label = str(addr.get("label") or "").lower()
    params = ""
    if label in _ADR_TYPES:
        params = f";TYPE={label}" if version == "4.0" else f";TYPE={label.upper()}"
    parts = ("", "", addr.get("street", ""), addr.get("locality", ""), addr.get("region", ""),
             addr.get("postal_code", ""), addr.get("country", ""))
    return f"ADR{params}:" + ";".join(escape(p or "") for p in parts)


def contact_to_vcard(contact: dict[str, Any], version: str = "4.0",
                     uid: str | None = None) -> str:
    """One canonical contact (the `contacts.data` shape plus "id") as a vCard."""
    if version not in VERSIONS:
        raise ValueError(f"vCard version must be one of {VERSIONS}, not {version!r}")
    lines = ["BEGIN:VCARD", f"VERSION:{version}", "PRODID:-//reseausync//export//EN"]
    card_uid = uid or contact.get("id")
    if card_uid:
        lines.append("UID:" + escape(str(card_uid)))
    company = is_organization(contact)
    if company and version == "4.0":
        lines.append("KIND:org")
    lines.append("FN:" + escape(_display_name(contact)))
    family, given = contact.get("family_name") or "", contact.get("given_name") or ""
    if family or given or version == "3.0":   # N is required in 3.0
        lines.append(f"N:{escape(family)};{escape(given)};;;")
    for index, email in enumerate(contact.get("emails") or []):
        if version == "4.0":
            lines.append(("EMAIL;PREF=1:" if index == 0 else "EMAIL:") + escape(email))
        else:
            pref = ",PREF" if index == 0 else ""
            lines.append(f"EMAIL;TYPE=INTERNET{pref}:" + escape(email))
    for phone in contact.get("phones") or []:
        lines.append(_phone(str(phone), version))
    if contact.get("organization"):
        lines.append("ORG:" + escape(contact["organization"]))
    if contact.get("title"):
        lines.append("TITLE:" + escape(contact["title"]))
    if contact.get("linkedin_url"):
        lines.append("X-SOCIALPROFILE;TYPE=linkedin:" + _uri(contact["linkedin_url"]))
    for url in contact.get("urls") or []:
        lines.append("URL:" + _uri(url))
    for addr in contact.get("addresses") or []:
        if any(addr.get(k) for k in ("street", "locality", "region", "postal_code", "country")):
            lines.append(_address(addr, version))
    categories = [c for c in contact.get("categories") or [] if c]
    if categories:
        lines.append("CATEGORIES:" + ",".join(escape(c) for c in categories))
    if contact.get("note"):
        lines.append("NOTE:" + escape(contact["note"]))
    if contact.get("birthday"):
        lines.append(_birthday(str(contact["birthday"]), version))
    if company and version == "3.0":
        lines.append("X-ABShowAs:COMPANY")
    lines.append("END:VCARD")
    return "".join(fold(line) + "\r\n" for line in lines)


def contacts_to_vcf(contacts: Iterable[dict[str, Any]], version: str = "4.0") -> Iterator[str]:
    """One vCard string per contact, for streaming into a file or stdout."""
    for contact in contacts:
        yield contact_to_vcard(contact, version)
