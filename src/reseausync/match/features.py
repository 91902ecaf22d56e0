"""What matching reads from a record: its normalized comparison forms.

Built once per record from the fields of `records.data` that matching reads
(FIELDS, extracted by SQLite: `extract_sql`); every normalizer is cached by raw
value, so a directory full of Maries and Tremblays folds each spelling once (the
nearly unique values, addresses and numbers, in small caches).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from .. import jsonfast
from ..normalize.companies import normalize_company
from ..normalize.emails import normalize_email, organization_domain
from ..normalize.names import split_name
from ..normalize.phones import normalize_phone
from ..normalize.text import fold
from ..normalize.urls import normalize_linkedin

EMPTY: frozenset[str] = frozenset()
"""The one empty set every record without phones (or emails, or domains) shares: a
frozenset costs 216 bytes even empty, and a directory holds three per record."""


class Features:
    """Comparison forms of one record. `identity` is False when nothing names a person.

    A directory holds one per live record during a full build, so repeated parts are
    shared, not copied: the empty sets (EMPTY) and the employer (`employer_of`)."""

    __slots__ = ("rid", "given", "family", "gkey", "fkey", "emails", "phones", "linkedin",
                 "org", "city", "identity", "employer")

    def __init__(self, rid: int, given: str, family: str, emails: frozenset[str],
                 phones: frozenset[str], linkedin: str, org: str, city: str) -> None:
        self.rid = rid
        self.given = given
        self.family = family
        self.gkey = given.replace(" ", "")        # names.compact, inlined
        self.fkey = family.replace(" ", "")
        self.emails = emails or EMPTY
        self.phones = phones or EMPTY
        self.linkedin = linkedin
        self.org = org
        self.city = city
        self.identity = bool(given or family or emails or phones or linkedin)
        self.employer = employer_of(org, emails)

    def swapped(self) -> Features:
        return Features(self.rid, self.family, self.given, self.emails, self.phones,
                        self.linkedin, self.org, self.city)

    def to_json(self) -> str:
        """The compact stored form (match_records.features): a sync reloads the
        features of the records it touches instead of re-reading their full data.
        Tab-separated, emails and phones space-separated: normalized values hold
        neither, and it is several times cheaper than JSON both ways."""
        return "\t".join((self.given, self.family, " ".join(sorted(self.emails)),
                          " ".join(sorted(self.phones)), self.linkedin, self.org, self.city))

    @classmethod
    def from_json(cls, rid: int, text: str) -> Features:
        g, f, e, p, li, org, city = text.split("\t")
        return cls(rid, g, f, frozenset(e.split()), frozenset(p.split()), li, org, city)

    def __repr__(self) -> str:
        return f"Features({self.rid}, {self.given!r}, {self.family!r}, {sorted(self.emails)})"


class Employer:
    """Where a record says the person works: its organization (compact) and the first
    label of its addresses at organizations' domains ("acme" for j.roy@acme.com).
    Compared across the two: a card saying "Acme Inc." and another with an address
    at acme.com point at one employer even when neither says both."""

    __slots__ = ("org", "domains")

    def __init__(self, org: str, emails: frozenset[str]) -> None:
        self.org = org.replace(" ", "")
        self.domains = _labels(emails)

    def __bool__(self) -> bool:
        return bool(self.org or self.domains)


def _labels(emails: frozenset[str]) -> frozenset[str]:
    labels = set()
    for e in emails:
        domain = organization_domain(e)
        if domain:
            labels.add(domain.rsplit(".", 2)[-2] if "." in domain else domain)
    return frozenset(labels) if labels else EMPTY


@lru_cache(maxsize=1 << 14)
def _shared_employer(org: str, labels: frozenset[str]) -> Employer:
    employer = Employer.__new__(Employer)
    employer.org = org.replace(" ", "")
    employer.domains = labels
    return employer


def employer_of(org: str, emails: frozenset[str]) -> Employer:
    """The Employer of a record, one object for every record naming the same
    organization and mail domains (a company's staff share it): Employer is never
    changed after it is built."""
    return _shared_employer(org, _labels(emails))


def phone_key(phone: str) -> str:
    """What a normalized phone compares on. A North American number, and national
    digits without their trunk "0" (read before a region was configured), compare on
    their last ten digits, so "+15145551234" meets "5145551234". Any other country's
    number keeps its country code: the last ten digits of +33 6 12 34 56 78 are
    those of +1 (361) 234-5678, and of +31 6 12345678 those of +41 61 234 56 78, and
    two different people met on them (QA9 phones #1). Digits after "00" (dialled
    from abroad) are that international number; digits with a trunk "0" compare whole.
    """
    if phone.startswith("+"):
        digits = phone[1:]
    elif phone.startswith("00"):
        digits = phone[2:]
    elif phone.startswith("0"):
        return phone
    elif len(phone) > 10 and phone[0] != "1":
        digits = phone                          # an international number without its "+"
    else:
        return phone[-10:]
    return digits[-10:] if digits.startswith("1") else "+" + digits


FIELDS = ("given_name", "family_name", "display_name", "emails", "phones", "linkedin_url",
          "urls", "organization", "addresses")
"""What matching reads of a record's data (SourceRecord.fields_dict()), in order."""


def extract_sql(column: str = "data") -> str:
    """SQL giving a JSON array of FIELDS' values of a records.data column (null when
    absent), for `features_of`. SQLite reads a record's whole JSON in C and hands
    back only these fields: a full build no longer decodes every note, label and
    extra of every record in Python (json.loads was a third of the features pass).
    One path list, one parse per record."""
    return f"json_extract({column}, " + ", ".join(f"'$.{f}'" for f in FIELDS) + ")"


def features_from_sql(rid: int, values: str, region: str | None) -> Features:
    """The features of one record from extract_sql's JSON text of its values: what
    every build and sync reads records with."""
    return features_of(rid, jsonfast.loads(values), region)


def record_features(rid: int, data: dict[str, Any], region: str | None) -> Features:
    """The features of one record's data (SourceRecord.fields_dict())."""
    get = data.get
    return features_of(rid, [get(f) for f in FIELDS], region)


def features_of(rid: int, values: Sequence[Any], region: str | None) -> Features:
    """The features of one record from its FIELDS values (extract_sql's row, decoded).
    Run on every record of a full build: absent and empty fields skip their
    normalizer."""
    given, family, display, found_emails, found_phones, url, urls, org, addresses = values
    parts = split_name(given or "", family or "", display or "")
    emails = EMPTY
    if found_emails:
        emails = frozenset([e for e in map(normalize_email, [x["value"] for x in found_emails])
                            if e])
    phones = EMPTY
    if found_phones:
        phones = frozenset([phone_key(p)
                            for p in [normalize_phone(x["value"], region) for x in found_phones]
                            if len(p) >= 7])
    linkedin = normalize_linkedin(url) if url else ""
    if not linkedin:
        for url in urls or ():
            linkedin = normalize_linkedin(url)
            if linkedin:
                break
    org = normalize_company(org) if org else ""
    city = ""
    for address in addresses or ():
        city = address.get("locality")
        if city:
            city = fold(city)
            if city:
                break
        city = ""
    return Features(rid, parts.given, parts.family, emails, phones, linkedin, org, city)
