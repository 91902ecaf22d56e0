"""Parsed properties to a `SourceRecord`: the meaning of a card, whoever parsed it.

Both the fast line parser and the vobject reference produce `Prop`s, and this one
mapping turns them into a record, so the two paths can be compared field by field.

Photos: inline bytes (2.1 `ENCODING=BASE64`, 3.0 `ENCODING=b`, 4.0 `data:` URI)
become a `Photo`; a URL goes to `photo_url` and is never fetched. A photo whose
decoded size would exceed `MAX_PHOTO_BYTES` (5 MiB) is not kept: the record still
imports and `extra["photo_dropped"]` says why ("too-large: N bytes"); an
unreadable base64 block is dropped the same way ("bad-base64: ...").
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from reseausync.models import Address, Labeled, Photo, SourceRecord
from reseausync.normalize.birthdays import month_day

from .contentline import LineError, Prop, decode_base64
from .extras import EXTRA_PROPS, contact_person, read_extra, read_social_profile

MAX_PHOTO_BYTES = 5 * 1024 * 1024
CONNECTOR = "vcard"

_APPLE_LABEL = re.compile(r"_\$!<(.*)>!\$_")
_LABEL_WORDS = {"mobile": "cell", "cellular": "cell", "iphone": "cell", "main": "main",
                "homepage": "home", "workfax": "work,fax", "homefax": "home,fax"}
_NOISE_TYPES = {"pref", "internet", "voice", "x400", "x-internet", "text", "msg", "uri"}
_MEDIA = {"JPEG": "image/jpeg", "JPG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif",
          "BMP": "image/bmp", "WEBP": "image/webp", "HEIC": "image/heic"}
_LINKEDIN = re.compile(r"linkedin\.com/in/", re.IGNORECASE)
_BASIC_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})(?:T.*)?\Z")
_EXTENDED_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:T.*)?\Z")


# Words that are a vCard TYPE (RFC 2426, RFC 6350 and its RELATED types) or one of
# Apple's own labels: stored lower-cased whoever wrote them, as a TYPE parameter is.
_STANDARD_LABELS = frozenset((
    "work", "home", "cell", "fax", "pager", "voice", "text", "video", "textphone", "main",
    "other", "msg", "bbs", "modem", "car", "isdn", "pcs", "dom", "intl", "postal",
    "parcel", "internet", "pref", "school", "anniversary", "contact", "acquaintance",
    "friend", "met", "co-worker", "colleague", "co-resident", "neighbor", "child",
    "parent", "sibling", "spouse", "kin", "muse", "crush", "date", "sweetheart", "me",
    "agent", "emergency", "brother", "sister", "mother", "father", "partner",
    "assistant", "manager"))


def normalize_label(raw: str) -> str:
    """"_$!<Mobile>!$_" -> "cell", "WORK" -> "work", "Bureau" and "Chalet" as
    written: a label the user typed keeps its case (the CSV importer keeps it, and
    the export writes it back to the phone as it was); Apple's own labels and
    vCard's TYPE words are folded, as TYPE parameters are."""
    match = _APPLE_LABEL.fullmatch(raw.strip())
    text = (match.group(1) if match else raw).strip()
    folded = text.lower()
    if match or folded in _LABEL_WORDS or folded in _STANDARD_LABELS:
        return _LABEL_WORDS.get(folded, folded)
    return text


def label_of(prop: Prop, group_labels: dict[str, str]) -> str:
    if prop.group and prop.group.upper() in group_labels:
        return group_labels[prop.group.upper()]
    words: list[str] = []
    for word in prop.types():
        word = _LABEL_WORDS.get(word, word)
        if word not in _NOISE_TYPES and word not in words:
            words.append(word)
    return ",".join(words)


_UNPREFERRED = 101      # after every PREF=1..100


def preference(prop: Prop) -> int:
    """How much the card prefers this value, lowest first: 4.0 `PREF=1`..`100`,
    3.0 `TYPE=pref` and 2.1's bare `PREF` count as 1, anything else after them."""
    params = prop.params
    pref = params.get("PREF")
    if pref:
        try:
            return min(max(int(pref[0]), 1), 100)
        except ValueError:
            return 1
    types = params.get("TYPE")
    if types:       # TYPE=pref, TYPE=INTERNET,pref or 2.1's bare PREF: a whole word
        joined = ",".join(types).lower()
        if "pref" in joined and "pref" in joined.replace(" ", "").split(","):
            return 1
    return _UNPREFERRED


def _by_preference(values: list[Labeled], ranks: list[int]) -> None:
    """The card's preferred e-mail or phone first (INTERFACE: "primary first"),
    the others in the card's order. Order in the file used to decide: the export
    then wrote PREF=1 on an address the user had not preferred, and a round trip
    swapped their default address. A card without a marker, or with it on the
    first value already (most of them), is left as it is."""
    if len(ranks) > 1 and ranks != sorted(ranks):
        order = sorted(range(len(values)), key=ranks.__getitem__)
        values[:] = [values[i] for i in order]


def _text(value: str | list[str] | bytes) -> str:
    if isinstance(value, bytes):
        return ""
    if isinstance(value, list):
        return ",".join(v for v in value if v)
    return value.strip()


def _parts(value: str | list[str] | bytes, count: int) -> list[str]:
    if isinstance(value, bytes):
        parts: list[str] = []
    elif isinstance(value, str):
        parts = [value]
    else:
        parts = list(value)
    parts = [p.strip() for p in parts[:count]]
    return parts + [""] * (count - len(parts))


def _birthday(raw: str, prop: Prop) -> str:
    """A BDAY (or an anniversary) as "YYYY-MM-DD" when it is a date, "--MM-DD"
    when its year is omitted (4.0's "--MMDD" too), else the text as written."""
    raw = raw.strip()
    no_year = month_day(raw)
    if no_year:
        return no_year
    basic = _BASIC_DATE.match(raw)
    if basic:
        day = "-".join(basic.groups())
    else:
        extended = _EXTENDED_DATE.match(raw)
        if not extended:
            return raw
        day = extended.group(1)
    if "X-APPLE-OMIT-YEAR" in prop.params:
        return _omit_year(day, prop.param("X-APPLE-OMIT-YEAR"))
    return day


def _omit_year(day: str, omitted: list[str]) -> str:
    """Apple's birthday without a year: macOS and iOS write a placeholder year
    and name it, `BDAY;X-APPLE-OMIT-YEAR=1604:1604-09-12`. Kept as it was, every
    other client showed the person born in 1604; the day alone is "--09-12", as
    vCard 4.0 and Google write a year-less birthday. A date whose year is not the
    one named (the year was filled in since) keeps it."""
    year, _, month_day = day.partition("-")
    return f"--{month_day}" if year in omitted else day


def _media_type(prop: Prop, data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return "image/png"
    if data.startswith(b"\xff\xd8"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    for word in prop.types():
        if word.upper() in _MEDIA:
            return _MEDIA[word.upper()]
        if "/" in word:
            return word
    return "image/jpeg"


def _apply_photo(record: SourceRecord, prop: Prop) -> None:
    """Bytes become a Photo (unless too large or unreadable); a URL becomes photo_url."""
    value = prop.value
    media = ""
    if isinstance(value, str):
        text = value.strip()
        if text.lower().startswith("data:"):
            header, _, payload = text.partition(",")
            media = header[5:].split(";")[0]
            if ";base64" not in header.lower():
                record.extra["photo_dropped"] = "unsupported: data URI without base64"
                return
            value = payload
        elif text.lower().startswith(("http://", "https://")) or \
                any(v.upper() in ("URI", "URL") for v in prop.param("VALUE")):
            record.photo_url = record.photo_url or text
            return
        elif not text:
            return
        if len(value) * 3 // 4 > MAX_PHOTO_BYTES + 3:
            record.extra["photo_dropped"] = f"too-large: about {len(value) * 3 // 4} bytes"
            return
        try:
            value = decode_base64(value)
        except LineError as exc:
            record.extra["photo_dropped"] = f"bad-base64: {exc.message}"
            return
    if len(value) > MAX_PHOTO_BYTES:
        record.extra["photo_dropped"] = f"too-large: {len(value)} bytes"
        return
    if record.photo is None and value:
        record.photo = Photo(data=value, media_type=media or _media_type(prop, value))


def content_id(text: str) -> str:
    """External id of a card without UID: a hash of its unfolded content lines."""
    return "sha256:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def build_record(props: Iterable[Prop], *, source: str, unit: str, locator: str,
                 raw: str, external_id: str | None = None) -> SourceRecord:
    props = list(props)
    group_labels = {p.group.upper(): normalize_label(_text(p.value)) for p in props
                    if p.name == "X-ABLABEL" and p.group}
    record = SourceRecord(source=source, connector=CONNECTOR, external_id="",
                          locator=locator, unit=unit, raw=raw)
    uid = ""
    notes: list[str] = []
    n_parts: list[str] = []
    email_ranks: list[int] = []
    phone_ranks: list[int] = []
    for prop in props:
        name = prop.name
        if name == "FN":
            record.display_name = record.display_name or _text(prop.value)
        elif name == "N":
            n_parts = n_parts or _parts(prop.value, 5)
        elif name == "NICKNAME":
            record.nickname = record.nickname or _text(prop.value)
        elif name == "EMAIL":
            value = _text(prop.value)
            if value.lower().startswith("mailto:"):
                value = value[7:]
            if value:
                record.emails.append(Labeled(value, label_of(prop, group_labels)))
                email_ranks.append(preference(prop))
        elif name == "TEL":
            value = _text(prop.value)
            if value.lower().startswith("tel:"):
                value = value[4:]
            if value:
                record.phones.append(Labeled(value, label_of(prop, group_labels)))
                phone_ranks.append(preference(prop))
        elif name == "ORG":
            parts = [p for p in _parts(prop.value, 8) if p]
            if parts and not record.organization:
                record.organization = parts[0]
                if parts[1:]:
                    record.extra["org_units"] = parts[1:]
        elif name == "TITLE":
            record.title = record.title or _text(prop.value)
        elif name == "ROLE":
            record.extra.setdefault("role", _text(prop.value))
        elif name in ("URL", "X-SOCIALPROFILE", "X-LINKEDIN"):
            value = _text(prop.value)
            if _LINKEDIN.search(value) and record.linkedin_url in ("", value):
                record.linkedin_url = value
            elif name == "URL" and value and value not in record.urls:
                record.urls.append(value)
            elif name == "X-SOCIALPROFILE":
                read_social_profile(record, value, prop)
        elif name == "ADR":
            box, extended, street, city, region, code, country = _parts(prop.value, 7)
            street = "\n".join(x for x in (box, extended, street) if x)
            address = Address(street, city, region, code, country,
                              label_of(prop, group_labels))
            if not address.is_empty():
                record.addresses.append(address)
        elif name == "NOTE":
            note = _text(prop.value)
            if note:
                notes.append(note.replace("\r\n", "\n"))
        elif name == "BDAY":
            record.birthday = record.birthday or _birthday(_text(prop.value), prop)
        elif name == "CATEGORIES":
            values = prop.value if isinstance(prop.value, list) else [_text(prop.value)]
            for value in values:
                value = value.strip()
                if value.casefold() in SYSTEM_CATEGORIES:
                    continue
                if value and value not in record.categories:
                    record.categories.append(value)
        elif name == "PHOTO":
            _apply_photo(record, prop)
        elif name == "UID":
            uid = uid or _text(prop.value)
        elif name == "REV":
            record.extra["rev"] = _text(prop.value)
        elif name == "VERSION":
            record.extra["version"] = _text(prop.value)
        elif name in _KIND_PROPS:
            kind = _text(prop.value).lower()
            if kind in _ORG_KINDS:
                record.extra["kind"] = "org"
            elif kind == "group":
                record.extra["kind"] = "group"
        elif name in _MEMBER_PROPS:
            record.extra["members"] = record.extra.get("members", 0) + 1
            record.extra.setdefault("member_refs", []).append(_text(prop.value))
        elif name in EXTRA_PROPS:
            read_extra(record, prop, label_of(prop, group_labels), _birthday)
    _by_preference(record.emails, email_ranks)
    _by_preference(record.phones, phone_ranks)
    if record.extra.get("kind") == "org":
        _as_organization(record, n_parts)
        return _finish(record, notes, external_id, uid, raw)
    if n_parts:
        (record.family_name, record.given_name, record.middle_name, record.prefix,
         record.suffix) = n_parts
    if not record.display_name:
        record.display_name = " ".join(
            p for p in (record.prefix, record.given_name, record.middle_name,
                        record.family_name, record.suffix) if p)
    elif not any(n_parts) and _is_an_address(record.display_name, record.emails):
        record.display_name = ""    # FN is required: writers fill it with the address
    return _finish(record, notes, external_id, uid, raw)


def _is_an_address(display: str, emails: list[Labeled]) -> bool:
    """Whether a card's FN is one of its own e-mail addresses: no name (a contact
    known only by its address, exported and read back, was named by it)."""
    folded = display.strip().casefold()
    return "@" in folded and any(e.value.strip().casefold() == folded for e in emails)


def _finish(record: SourceRecord, notes: list[str], external_id: str | None, uid: str,
            raw: str) -> SourceRecord:
    record.note = "\n".join(notes)
    record.external_id = external_id or uid or content_id(raw)
    return record


# Google Contacts writes its system groups into CATEGORIES ("myContacts",
# "starred"): not the user's groups, dropped as the CSV connector drops them from
# Google's Labels, so one account gives the same categories in either export.
SYSTEM_CATEGORIES = frozenset({"mycontacts", "my contacts", "starred"})
_ORG_KINDS = ("org", "company")     # vCard 4.0 KIND:org; Apple's X-ABShowAs:COMPANY
# A contact group's card (see `card.read_card`): vCard 4.0 KIND:group with MEMBER
# lines; Apple (iCloud, macOS, CardDAV servers) X-ADDRESSBOOKSERVER-KIND:group.
_KIND_PROPS = ("KIND", "X-ABSHOWAS", "X-ADDRESSBOOKSERVER-KIND")
_MEMBER_PROPS = ("MEMBER", "X-ADDRESSBOOKSERVER-MEMBER")


def _as_organization(record: SourceRecord, n_parts: list[str]) -> None:
    """A card that names a company, not a person (Apple writes its name in FN and
    often in N too): no given or family name to match people by; the contact is
    listed under the organization. A person named in N (Apple's company card
    keeps its contact person there) is `extra["contact_person"]`."""
    person = contact_person(n_parts, record.display_name, record.organization)
    if person:
        record.extra["contact_person"] = person
    record.organization = record.organization or record.display_name
    record.display_name = record.given_name = record.family_name = ""
