"""JSON from a card-scanning app: its raw text and its own guessed fields.

Accepted shapes: one object, a list of objects, or an object holding such a list
under "cards", "contacts", "scans" or "items". Keys are matched without case,
accents, "_" or "-" (so `raw_text`, `rawText` and `RawText` are one key):

    text        text, raw_text, ocr_text, ocr, full_text, raw
    name        name, full_name, display_name   (or first_name + last_name)
    company     company, organization, organisation, org, company_name, entreprise
    title       title, job_title, position, poste, fonction
    emails      emails, email            a string, or a list of strings or
                                         {"value"|"address"|"email", "label"|"type"}
    phones      phones, phone, phone_numbers, telephones, tel
                                         the same, {"number"|"value", "label"|"type"},
                                         or an object {label: number}
    urls        website, websites, url, urls, web
    linkedin    linkedin, linkedin_url
    address     address, addresses       a string (lines separated by "\n" or ", ")
    scanned_at  scanned_at, scan_date, created_at, date, timestamp
                                         ISO 8601 date or date-time, or Unix seconds

The app's fields are used, but checked against the text: a value the text
confirms gets a high confidence; one the text does not contain is kept with a
low one (flagged), because the app sometimes guesses from nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from reseausync.models import Labeled

from . import fields as F
from .extract import CardFields, _note, _regions, extract
from .layout import split_name
from .text import Line, clean_line, fold, repair_email_markers

_KEYS = {
    "text": ("text", "rawtext", "ocrtext", "ocr", "fulltext", "raw"),
    "name": ("name", "fullname", "displayname"),
    "given": ("firstname", "givenname", "prenom"),
    "family": ("lastname", "familyname", "surname", "nom"),
    "company": ("company", "organization", "organisation", "org", "companyname", "entreprise"),
    "title": ("title", "jobtitle", "position", "poste", "fonction"),
    "emails": ("emails", "email", "mail", "courriel"),
    "phones": ("phones", "phone", "phonenumbers", "telephones", "telephone", "tel"),
    "urls": ("website", "websites", "url", "urls", "web", "site"),
    "linkedin": ("linkedin", "linkedinurl"),
    "address": ("address", "addresses", "adresse"),
    "scanned_at": ("scannedat", "scandate", "createdat", "date", "timestamp", "scanned"),
}
_LIST_KEYS = ("cards", "contacts", "scans", "items", "results")
CONFIRMED, UNCONFIRMED, UNCHECKED = 0.95, 0.5, 0.75


class ScanError(ValueError):
    """One scan in the JSON is not usable (wrong type, bad date)."""


@dataclass(slots=True)
class Scan:
    """One card of a JSON file: where it is, its text and the app's fields."""

    index: int
    text: str
    app: dict[str, Any] = field(default_factory=dict)
    scanned_at: date | None = None


def scans_of(data: Any) -> list[Any]:
    """The list of card objects in a parsed JSON document (shape described above)."""
    if isinstance(data, dict):
        for key, value in data.items():
            if fold(key) in _LIST_KEYS and isinstance(value, list):
                return value
        return [data]
    if isinstance(data, list):
        return data
    raise ScanError(f"expected an object or a list of objects, got {type(data).__name__}")


def read_scan(index: int, obj: Any) -> Scan:
    """One card object to a `Scan`; raises ScanError when it cannot be one."""
    if not isinstance(obj, dict):
        raise ScanError(f"card {index} is a {type(obj).__name__}, not an object")
    found: dict[str, Any] = {}
    for key, value in obj.items():
        folded = fold(key)
        for name, aliases in _KEYS.items():
            if folded in aliases and name not in found and value not in (None, "", []):
                found[name] = value
    text = found.pop("text", "")
    if not isinstance(text, str):
        raise ScanError(f"card {index}: the text is a {type(text).__name__}, not a string")
    return Scan(index, text, found, _scan_date(found.pop("scanned_at", None), index))


def _scan_date(value: Any, index: int) -> date | None:
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, tz=UTC).date()
        except (OverflowError, OSError, ValueError) as exc:
            raise ScanError(f"card {index}: scan date {value!r} is out of range") from exc
    if isinstance(value, str):
        text = value.strip().replace("Z", "+00:00")
        try:
            return datetime.fromisoformat(text).date()
        except ValueError:
            match = re.match(r"^(\d{4})-(\d{2})-(\d{2})", text)
            if match:
                try:
                    return date(*map(int, match.groups()))
                except ValueError:
                    pass
    raise ScanError(f"card {index}: scan date {value!r} is not an ISO date")


def _strings(value: Any, keys: tuple[str, ...]) -> list[tuple[str, str]]:
    """(value, label) pairs from a string, a list, a list of objects or a {label: value}."""
    if isinstance(value, str):
        return [(value, "")]
    if isinstance(value, dict):
        if any(fold(k) in keys for k in value):
            value = [value]
        else:
            return [(str(v), str(k)) for k, v in value.items() if isinstance(v, str | int)]
    out: list[tuple[str, str]] = []
    if isinstance(value, list):
        for item in value:
            if isinstance(item, str | int) and not isinstance(item, bool):
                out.append((str(item), ""))
            elif isinstance(item, dict):
                got = {fold(k): v for k, v in item.items()}
                text = next((got[k] for k in keys if isinstance(got.get(k), str | int)), None)
                label = got.get("label") or got.get("type") or ""
                if text is not None:
                    out.append((str(text), str(label)))
    return out


def _in_text(value: str, text_fold: str) -> bool:
    words = [fold(w) for w in value.split()]
    return bool(words) and all(w in text_fold for w in words if w)


def fields_of(scan: Scan, region: str | None) -> CardFields:
    """The card's fields: extracted from its text, then the app's, cross-checked."""
    lines = [Line(i, clean_line(t)) for i, t in enumerate(scan.text.splitlines(), 1)]
    lines = [ln for ln in lines if ln.text]
    card = extract(lines, region) if lines else CardFields()
    app, conf = scan.app, card.confidence
    text_fold = fold(scan.text)
    has_text = bool(text_fold)

    def check(value: str) -> float:
        if not has_text:
            return UNCHECKED
        return CONFIRMED if _in_text(value, text_fold) else UNCONFIRMED

    name = app.get("name")
    if not isinstance(name, str):
        parts = [app.get("given"), app.get("family")]
        name = " ".join(p for p in parts if isinstance(p, str) and p.strip())
    if name.strip():
        display, given, family, prefix, suffix = split_name(clean_line(name))
        if display:
            card.display_name, card.given_name, card.family_name = display, given, family
            card.prefix, card.suffix = prefix or card.prefix, suffix or card.suffix
            conf["name"] = check(name)
    for key, attr in (("company", "organization"), ("title", "title")):
        value = app.get(key)
        if isinstance(value, str) and value.strip():
            setattr(card, attr, clean_line(value))
            conf[attr] = check(value)
    _merge_emails(card, app.get("emails"), has_text)
    _merge_phones(card, app.get("phones"), region, has_text)
    for url, _ in _strings(app.get("urls"), ("value", "url")):
        url = url.strip()
        if url and url not in card.urls:
            card.urls.append(url)
            _note(conf, "urls", check(url.split("//")[-1]))
    linkedin = app.get("linkedin")
    if isinstance(linkedin, str):
        found = F.find_linkedin(linkedin if "linkedin" in linkedin.lower()
                                else f"linkedin.com/in/{linkedin.strip('/')}")
        if found is not None:
            card.linkedin_url = found.value
            _note(conf, "linkedin_url", CONFIRMED if found.value.rsplit("/", 1)[1] in
                  scan.text.lower() else check(found.value))
    chosen = {card.display_name, card.title, card.organization}
    card.unclaimed = [line for line in card.unclaimed if line not in chosen]
    address = app.get("address")
    if address and not card.addresses:
        lines_of = [a for a, _ in _strings(address, ("value", "address", "formatted"))]
        split = [Line(i, clean_line(p)) for i, p in
                 enumerate(re.split(r"\n|,\s+(?=\S)", "\n".join(lines_of)), 1)]
        card.addresses = extract([ln for ln in split if ln.text], region).addresses
        if card.addresses:
            _note(conf, "addresses", UNCHECKED)
    return card


def _merge_emails(card: CardFields, value: Any, has_text: bool) -> None:
    known = {e.value for e in card.emails}
    for raw, label in _strings(value, ("value", "address", "email")):
        for email in F.find_emails(repair_email_markers(clean_line(raw)), False):
            if email.value in known:
                _note(card.confidence, "emails", CONFIRMED)
                continue
            known.add(email.value)
            if email.label:                     # an OCR repair of the domain
                card.repairs.append(email.label)
            card.emails.append(Labeled(email.value, label or "work"))
            _note(card.confidence, "emails", UNCONFIRMED if has_text else UNCHECKED)


def _merge_phones(card: CardFields, value: Any, region: str | None, has_text: bool) -> None:
    known = {p.value for p in card.phones}
    regions = _regions(region, card, [])
    for raw, label in _strings(value, ("number", "value", "phone")):
        text = clean_line(raw)
        for phone in F.find_phones(f"{label} {text}" if label else text, regions):
            if phone.value in known:
                _note(card.confidence, "phones", CONFIRMED)
                continue
            known.add(phone.value)
            card.phones.append(Labeled(phone.value, phone.label or label))
            _note(card.confidence, "phones", min(phone.confidence,
                                                 UNCONFIRMED if has_text else UNCHECKED))
