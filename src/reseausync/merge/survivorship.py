"""Survivorship: one canonical contact from its member records, with provenance.

Records are ranked once per contact: the sources the config lists first (`[match]
source_priority`), then the most complete record, then the newest, then the oldest
record id (so the result never depends on read order). A record is as new as the
time the directory read its content changed, when it changed after its first
read; else as the date its source gives it, else as the time the directory first
saw it (vCard, CSV and CardDAV records carry no date): the card read later wins a
tie, and a card edited today beats an export nobody refreshed.
A single-valued field takes the first ranked value;
a multi-valued field (emails, phones, addresses, categories, urls) keeps every
distinct value, first ranked first. Every canonical value names the record(s) it
came from in `provenance`: a single-valued field its record id, a multi-valued one
a map of value -> record ids, except addresses (dicts, no map key): a list of
record-id lists, one per canonical address in the same order.

What a value's sources said of it beyond the value is kept beside the lists the
INTERFACE shapes (`emails`, `phones`: plain values, so scripts reading them are
unchanged): `email_labels` and `phone_labels` map a value to the label the first
ranked record that gave one wrote ("work", "cell", "work,fax", "Chalet"), and
`phone_extensions` a number to its extension ("2210": E.164 has no place for it). A fax
stays in `phones`, a number of the person like any other (found by search, by the
matcher's rules alike); its label says it is a fax, and the export writes it as
one. The name's other parts (`middle_name`, `prefix`, `suffix`) come from the record
that gave the given and family names, `org_units` (the department) from the one
that gave the organization, `nickname` from the first ranked record with one; a
contact that nothing else names is displayed by its nickname. What a record keeps
in `extra` of the address book beyond these fields (`EXTRA_LISTS`: relatives,
messaging accounts, social profiles; `EXTRA_SCALARS`: anniversary, gender, a company
card's contact person) is carried the same way, lists by their "value", so that
export and publish write it back. These keys are written only when they hold
something: a contact without any is stored as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from ..normalize.birthdays import impossible_date
from ..normalize.emails import normalize_email
from ..normalize.names import (
    display_parts,
    given_names,
    is_initials,
    split_credentials,
    split_title,
)
from ..normalize.phones import normalize_phone, phone_extension
from ..normalize.text import fold
from ..normalize.urls import normalize_linkedin

_SCALARS = ("organization", "title", "note", "birthday")
EXTRA_LISTS = ("related", "impp", "social_profiles")     # of {"value": ..., ...}
EXTRA_SCALARS = ("anniversary", "gender", "contact_person")
_EXTRA_KEYS = frozenset(EXTRA_LISTS + EXTRA_SCALARS)
_NAME_PARTS = ("middle_name", "prefix", "suffix")   # from the record that names the contact
_COMPLETENESS = ("given_name", "family_name", "display_name", "emails", "phones",
                 "organization", "title", "linkedin_url", "addresses")


@dataclass(slots=True)
class Member:
    """One live record as the merge stage reads it."""

    rid: int
    source: str
    connector: str
    external_id: str
    locator: str
    data: dict[str, Any]
    photo: str
    collected_at: str | None
    first_seen: str = ""       # when the directory first read it (records.first_seen)
    first_run: int = 0         # the run that first read it (records.first_run)
    changed_at: str = ""       # when its content last changed (records.changed_at)
    changed_run: int = 0       # the run that read that change (records.changed_run)

    @property
    def dated(self) -> tuple[str, int]:
        """How new the record's content is: when the directory read it changed, if
        it changed after its first read (a card the user edited, a name a new
        export spells otherwise); else the date its source gives (a LinkedIn
        connection, a card's scan), else when the directory first saw it, the date
        `contacts --as-of` counts it collected from; on the same date, the later
        run's. A vCard, CSV or CardDAV record gives no date: without the fallback
        the newest-record rule never applied to them. Dating a record by its first
        read only made an export read once, years ago, newer than the user's edit
        of today (QA5 #6). The run number settles two runs in the same second, so
        the result does not depend on the clock's pace."""
        return content_date(self.collected_at, self.first_seen, self.first_run,
                            self.changed_at, self.changed_run)


def content_date(collected_at: str | None, first_seen: str, first_run: int,
                 changed_at: str | None, changed_run: int | None) -> tuple[str, int]:
    """(date, run) of a record's content (`Member.dated` says how); also what tells
    the record of a former employer from its successors (merge/regroup.py)."""
    if changed_at and changed_run and changed_run > first_run:
        return max(collected_at or "", changed_at), changed_run
    return collected_at or first_seen, first_run


def _rank(members: Sequence[Member], priority: dict[str, int]) -> list[Member]:
    """Listed sources first, then the most complete, then the newest (`dated`), then
    the oldest record id. Stable sorts, least significant key first: newest-first
    needs no inverted string key, and an undated record ranks after dated ones."""
    unlisted = len(priority)

    def key(m: Member) -> tuple[int, int]:
        filled = sum(map(bool, map(m.data.get, _COMPLETENESS)))
        return priority.get(m.source, unlisted), -filled
    ranked = sorted(members, key=attrgetter("rid"))
    ranked.sort(key=attrgetter("dated"), reverse=True)
    ranked.sort(key=key)
    return ranked


def split_display(display: str) -> tuple[str, str]:
    """Raw given and family parts of a display name ("Jean de la Fontaine"), read
    as the matcher reads it: the one reading is `normalize.names.display_parts`
    (credentials, titles, "Trumarra Michael" written family first)."""
    return display_parts(display)


def _clean_parts(given: str, family: str) -> tuple[str, str]:
    """A record's own given and family names without what belongs in the prefix or
    suffix: "Dr. Amélie" is Amélie, "Lévesque, CPA" is Lévesque (the record keeps
    what the source said). Both checks cost a character test on a plain name."""
    if " " in given:
        given = split_title(given)[1]
    if "," in family:
        family = split_credentials(family)[0]
    return given, family


def _name(ranked: Sequence[Member]) -> tuple[str, str, str, int | None]:
    """(display, given, family, record id) from the best-ranked record naming a person,
    preferring one that fills both parts and spells the given name out ("JF" loses
    to "Jean-François" whatever the ranking), and of those one whose given name is
    a known name: a misread card's "Mlke Rossi" joins Mike Rossi's contact by its
    phone but does not rename it."""
    best: tuple[str, str, str, int] | None = None
    full: tuple[str, str, str, int] | None = None
    known = given_names()
    for m in ranked:
        d = m.data
        given, family = d.get("given_name") or "", d.get("family_name") or ""
        display = d.get("display_name") or ""
        if given or family:
            given, family = _clean_parts(given, family)
        elif display and "@" not in display:
            given, family = split_display(display)
        if not (given or family or display):
            continue
        display = display or " ".join(x for x in (given, family) if x)
        if given and family and not is_initials(folded := fold(given)):
            if folded in known or folded.partition(" ")[0] in known:
                return display, given, family, m.rid
            full = full or (display, given, family, m.rid)
        if best is None:
            best = (display, given, family, m.rid)
    return full or best or ("", "", "", None)


def _address_key(a: dict[str, Any]) -> tuple[str, str, str, str, str]:
    """What makes two addresses the same one: their folded parts."""
    get = a.get
    return (fold(str(get("street") or "")), fold(str(get("locality") or "")),
            fold(str(get("region") or "")), fold(str(get("postal_code") or "")),
            fold(str(get("country") or "")))


def _collect(out: dict[str, list[int]], value: str, rid: int) -> None:
    rids = out.setdefault(value, [])
    if rid not in rids:
        rids.append(rid)


def _fold_categories(categories: dict[str, list[int]]) -> tuple[list[str], dict[str, list[int]]]:
    """Categories that differ only by case or accents are one ("Clients", "clients"):
    the first ranked spelling, with the records of every spelling."""
    if len(categories) < 2:
        return list(categories), categories
    out: dict[str, list[int]] = {}
    spelling: dict[str, str] = {}
    for c, rids in categories.items():
        first = spelling.setdefault(fold(c), c)
        kept = out.setdefault(first, [])
        for rid in rids:
            if rid not in kept:
                kept.append(rid)
    return list(out), out


def canonical(members: Sequence[Member], priority: dict[str, int], region: str | None,
              flags: Sequence[str] = ()) -> dict[str, Any]:
    """The canonical contact of `members` (one or more live records): rank the
    records, take each field from the best, keep every distinct value of the
    multi-valued ones with the records it came from. Most contacts are one record:
    they are neither ranked nor sorted."""
    ranked = _rank(members, priority) if len(members) > 1 else members
    provenance: dict[str, Any] = {}
    display, given, family, name_rid = _name(ranked)
    if name_rid is not None:
        for f in ("display_name", "given_name", "family_name"):
            provenance[f] = name_rid
    out: dict[str, Any] = {"display_name": display, "given_name": given, "family_name": family}
    if name_rid is not None:
        _name_parts(out, provenance, _member(ranked, name_rid))

    emails: dict[str, list[int]] = {}
    phones: dict[str, list[int]] = {}
    categories: dict[str, list[int]] = {}
    urls: dict[str, list[int]] = {}
    addresses: list[dict[str, Any]] = []
    address_rids: list[list[int]] = []   # the records of addresses[i], in the same order
    seen_addresses: dict[tuple[str, ...], int] = {}
    normalized: dict[str, str] = {}      # members of one contact repeat the same values
    email_labels: dict[str, str] = {}
    phone_labels: dict[str, str] = {}
    extensions: dict[str, str] = {}
    for m in ranked:
        d = m.data
        for e in d.get("emails") or ():
            raw = e["value"]
            value = normalized.get(raw)
            if value is None:
                value = normalized[raw] = normalize_email(raw)
            if value:
                _collect(emails, value, m.rid)
                if e.get("label") and value not in email_labels:
                    email_labels[value] = e["label"]
        for p in d.get("phones") or ():
            raw = "\0" + p["value"]
            value = normalized.get(raw)
            if value is None:
                value = normalized[raw] = normalize_phone(p["value"], region)
            if value:
                _collect(phones, value, m.rid)
                if p.get("label") and value not in phone_labels:
                    phone_labels[value] = p["label"]
                if value not in extensions and (ext := phone_extension(p["value"])):
                    extensions[value] = ext
        for c in d.get("categories") or ():
            if c.strip():
                _collect(categories, c.strip(), m.rid)
        for u in d.get("urls") or ():
            if u.strip():
                _collect(urls, u.strip(), m.rid)
        for a in d.get("addresses") or ():
            key = _address_key(a)
            if not any(key):
                continue
            index = seen_addresses.get(key)
            if index is None:
                seen_addresses[key] = len(addresses)
                addresses.append(a)
                address_rids.append([m.rid])
            elif m.rid not in address_rids[index]:
                address_rids[index].append(m.rid)
    out["emails"], out["phones"] = list(emails), list(phones)
    if email_labels:
        out["email_labels"] = email_labels
    if phone_labels:
        out["phone_labels"] = phone_labels
    if extensions:
        out["phone_extensions"] = extensions
    for f in _SCALARS:
        out[f] = ""
        for m in ranked:
            value = m.data.get(f) or ""
            # "1990-02-30" is no birthday: the record keeps it, the contact does not
            if value and not (f == "birthday" and impossible_date(value)):
                out[f], provenance[f] = value, m.rid
                break
    _organization_units(out, ranked, provenance)
    _extras(out, ranked, provenance)
    nickname_rid = _nickname(out, ranked, provenance)
    if not display and nickname_rid is not None:
        # Saved under a nickname only ("Dédé"): that is the name the user knows.
        out["display_name"], provenance["display_name"] = out["nickname"], nickname_rid
    elif not display and out["organization"]:
        # An organization-only contact (flag organization_only) is listed by its
        # organization, as address books show a company card, not as a blank name.
        out["display_name"] = out["organization"]
        provenance["display_name"] = provenance["organization"]
    out["linkedin_url"] = None
    for m in ranked:
        value = normalize_linkedin(m.data.get("linkedin_url") or "")
        if value:
            out["linkedin_url"], provenance["linkedin_url"] = value, m.rid
            break
    out["addresses"] = addresses
    out["categories"], categories = _fold_categories(categories)
    out["urls"] = list(urls)
    out["photo"] = ""
    for m in ranked:
        if m.photo:
            out["photo"], provenance["photo"] = m.photo, m.rid
            break
    collected = [m.collected_at[:10] for m in members if m.collected_at]
    out["first_collected"] = min(collected) if collected else None
    out["sources"] = [{"source": m.source, "connector": m.connector,
                       "external_id": m.external_id, "locator": m.locator}
                      for m in (sorted(members, key=lambda m: (m.source, m.external_id))
                                if len(members) > 1 else members)]
    provenance["emails"], provenance["phones"] = emails, phones
    provenance["categories"], provenance["urls"] = categories, urls
    provenance["addresses"] = address_rids
    out["provenance"] = provenance
    out["flags"] = sorted(set(flags))
    return out


def _name_parts(out: dict[str, Any], provenance: dict[str, Any], named: Member) -> None:
    """The middle name, prefix and suffix of the record that names the contact: parts
    of one name, never mixed from two records ("Dr." of one card before the given
    name of another)."""
    d = named.data
    for f in _NAME_PARTS:
        value = d.get(f)
        if value:
            out[f], provenance[f] = value, named.rid


def _organization_units(out: dict[str, Any], ranked: Sequence[Member],
                        provenance: dict[str, Any]) -> None:
    """The department and sub-units (vCard `ORG:Banque;Marchés financiers`) of the
    record that gave the organization: units of another company would be wrong."""
    org_rid = provenance.get("organization")
    if org_rid is None:
        return
    extra = _member(ranked, org_rid).data.get("extra")
    units = extra.get("org_units") if extra else None
    if units and (units := [u for u in units if u]):
        out["org_units"], provenance["org_units"] = units, org_rid


def _extras(out: dict[str, Any], ranked: Sequence[Member],
            provenance: dict[str, Any]) -> None:
    """The address book's own fields a record keeps in `extra` (see the module
    docstring): every distinct value of a list, first ranked first, with the records
    of each (by its "value"); a single value from the first ranked record with one.
    Without this they stopped at the record: export and publish lost them. (Most
    contacts hold none: one plain loop tells, a microsecond per contact.)"""
    for m in ranked:
        extra = m.data.get("extra")
        if extra and not _EXTRA_KEYS.isdisjoint(extra):
            break
    else:
        return
    extras = [(m.rid, extra) for m in ranked if (extra := m.data.get("extra"))]
    for key in EXTRA_LISTS:
        items: dict[str, Any] = {}
        rids: dict[str, list[int]] = {}
        for rid, extra in extras:
            for item in extra.get(key) or ():
                items.setdefault(item["value"], item)
                _collect(rids, item["value"], rid)
        if items:
            out[key], provenance[key] = list(items.values()), rids
    for key in EXTRA_SCALARS:
        found = next(((rid, extra[key]) for rid, extra in extras if extra.get(key)), None)
        if found:
            provenance[key], out[key] = found


def _member(ranked: Sequence[Member], rid: int) -> Member:
    """The member with record id `rid`: most often the first ranked."""
    first = ranked[0]
    return first if first.rid == rid else next(m for m in ranked if m.rid == rid)


def _nickname(out: dict[str, Any], ranked: Sequence[Member],
              provenance: dict[str, Any]) -> int | None:
    """The first ranked nickname (with its record id), or None."""
    for m in ranked:
        value = (m.data.get("nickname") or "").strip()
        if value:
            out["nickname"], provenance["nickname"] = value, m.rid
            return m.rid
    return None
