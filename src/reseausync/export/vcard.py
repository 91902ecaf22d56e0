"""Canonical contacts to vCard 4.0 or 3.0, for `export --format vcf` and CardDAV publish.

The output is meant to be read back by any client and by our own importer, so
that import -> export -> import into a fresh directory gives the same contacts:
CRLF line endings, lines folded at 75 octets without splitting a UTF-8 character,
text values escaped (backslash, comma, semicolon, newline), URIs too (`_uri`:
vobject, and so Radicale, which re-saves each card with it, reads an unescaped
comma in a URL as a list and keeps its first piece, and a Google Maps link lost its
coordinates; escaped, vobject, sabre/vobject and our importer read it back whole;
the colon, which Google escapes and Nextcloud then shows, is not escaped).

Choices: the LinkedIn profile is written as `X-SOCIALPROFILE;TYPE=linkedin` (what
Apple and Google read); phones already in E.164 become `tel:` URIs in 4.0, with
their extension as the URI's `;ext=` (3.0, or a number not in E.164: " ext. 2210"
after the number, the text form our importer and address books read); a value's
label becomes its TYPE when it names one vCard knows (cell, work, home, fax,
pager...; a fax is never written as a voice number), and a label of the user's own
("Chalet") goes in an Apple label group (`item1.X-ABLabel`), for addresses as for
phones and e-mails; birthdays are written in the basic ISO form 4.0 requires
(19800415, --0415 without a year), and in 3.0, which has no date without a year,
as Apple writes one (`BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-15`); an
organization-only contact is marked `KIND:org` (4.0) or `X-ABShowAs:COMPANY` (3.0,
Apple's marker) so that it comes back a company, not a person. N carries every part
of the name the contact holds (middle name, prefix, suffix), ORG the department
after the organization, NICKNAME the nickname. The canonical contact holds only a
photo digest; `export` hands a lookup (`photos`: digest -> (media type, bytes)),
and each card carries its photo as 4.0 `PHOTO:data:image/jpeg;base64,...` or 3.0
`PHOTO;ENCODING=b;TYPE=JPEG:...`, the forms our importer and phones read back (QA8
big files #1: a cleaned iPhone book exported without its 3,000 photos). One card's
photo is encoded at a time, so an export of photo-heavy books stays small in
memory. `publish` hands no lookup: its cards stay without photos.

What the address book held beyond those fields goes back in each version's own
words (`_extra_lines`): relatives as 4.0 `RELATED` (text values as `VALUE=text`; a
label RFC 6350 has no TYPE for, "brother", as its nearest TYPE plus an Apple label
group) and in 3.0, which has no RELATED, as Apple's `X-ABRELATEDNAMES` with its
label (`_$!<Spouse>!$_`); the anniversary as 4.0 `ANNIVERSARY`, in 3.0 as Apple's
labelled `X-ABDATE` and the `X-ANNIVERSARY` other clients read; the gender as 4.0
`GENDER`, `X-GENDER` in 3.0; messaging accounts as `IMPP` (RFC 4770 made it 3.0's
too) with Apple's `X-SERVICE-TYPE`; other social profiles as `X-SOCIALPROFILE`. A
company card's contact person is its N, where macOS and iOS Contacts keep it.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any

from ..normalize.text import fold as fold_text

# digest -> (media type, bytes), or None when the directory has no such photo
PhotoLookup = Callable[[str], "tuple[str, bytes] | None"]

VERSIONS = ("4.0", "3.0")
_E164 = re.compile(r"\+[1-9]\d{4,14}\Z")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})\Z")
_NO_YEAR = re.compile(r"--(\d{2})-?(\d{2})\Z")
_ADR_TYPES = {"work", "home"}
# A source's label words (folded) to the vCard TYPE they mean, phones and e-mails.
_WORK = dict.fromkeys(("work", "business", "office", "bureau", "travail", "direct",
                       "company", "pro", "professional", "professionnel"), "work")
_HOME = dict.fromkeys(("home", "domicile", "maison", "personal", "personnel", "perso",
                       "private", "prive"), "home")
_PHONE_KINDS = {**_WORK, **_HOME, **dict.fromkeys(
    ("cell", "mobile", "cellular", "cellulaire", "portable", "iphone", "gsm"), "cell"),
    **dict.fromkeys(("fax", "telecopieur", "telecopie", "telec", "facsimile", "workfax",
                     "homefax"), "fax"),
    "pager": "pager", "teleavertisseur": "pager", "text": "text", "sms": "text",
    "video": "video", "textphone": "textphone"}
_EMAIL_KINDS = {**_WORK, **_HOME}
_PLAIN_WORDS = frozenset(("x", "voice", "internet", "pref"))    # say nothing of a value


def escape(text: str) -> str:
    """Escape a text value (RFC 6350 3.4): backslash, comma, semicolon, newline."""
    return (str(text).replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _uri(text: str) -> str:
    """A URL on one line, escaped as text is (see the module docstring)."""
    return escape("".join(str(text).split()))


def fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    if len(data) == len(line):   # ASCII (a photo's base64): cut by slices, not by char
        return "\r\n ".join([line[:75], *(line[i:i + 74] for i in range(75, len(line), 74))])
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


def _birthday(value: str, version: str, name: str = "BDAY") -> str:
    """4.0 wants a date in the basic form: 19800415, and --0415 for a day without
    its year (RFC 6350 4.3.1), which as text (`VALUE=text`) clients show as a note,
    not a birthday. 3.0 keeps the extended form its sources write, but for a BDAY
    without its year: RFC 2426 has none, so Apple's (`X-APPLE-OMIT-YEAR=1604`, also
    what sabre/vobject writes converting 4.0 to 3.0), which iOS and macOS show as a
    birthday without a year. (`name`: BDAY, or ANNIVERSARY and X-ANNIVERSARY, the
    latter as written: the clients reading it do not know Apple's marker.)"""
    iso = _ISO_DATE.match(value)
    no_year = _NO_YEAR.match(value)
    if version == "3.0" and name == "BDAY" and no_year:
        return f"{name};X-APPLE-OMIT-YEAR=1604:1604-" + "-".join(no_year.groups())
    if version == "4.0":
        if iso:
            return f"{name}:" + "".join(iso.groups())
        if no_year:
            return f"{name}:--" + "".join(no_year.groups())
        return f"{name};VALUE=text:" + escape(value)
    return f"{name}:" + (value if iso else escape(value))


@lru_cache(maxsize=256)
def _reading(label: str, table: str) -> tuple[tuple[str, ...], bool]:
    """(the vCard types a source's label names, whether it says more than they do).
    "_$!<Mobile>!$_" was read as "cell"; "Work Fax" -> work, fax; "Chalet" names
    none and is the user's own, as is "portable France" (cell, and more)."""
    known = _PHONE_KINDS if table == "phone" else _EMAIL_KINDS
    out: list[str] = []
    own = False
    for word in fold_text(label).replace(",", " ").split():
        kind = known.get(word)
        if kind is None:
            own = own or word not in _PLAIN_WORDS
        elif kind not in out:
            out.append(kind)
    return tuple(out), own


def _kinds(label: str, table: str) -> tuple[str, ...]:
    return _reading(label, table)[0]


def _grouped(line: str, label: str, table: str, items: list[int]) -> list[str]:
    """`line` alone, or, for a label of the user's own, in an Apple label group
    (`item1.TEL...` + `item1.X-ABLabel:Chalet`): Apple shows it, our importer reads it
    back as the value's label, other clients read the line and its TYPE."""
    if not label or not _reading(label, table)[1]:
        return [line]
    items[0] += 1
    group = f"item{items[0]}."
    return [group + line, f"{group}X-ABLabel:" + escape(label)]


def _types(kinds: Iterable[str], version: str) -> str:
    """The TYPE parameter: `TYPE=cell`, `TYPE="work,fax"` (4.0, RFC 6350's own
    quoting of a list), `TYPE=WORK,FAX` (3.0)."""
    kinds = list(kinds)
    if version == "4.0":
        return f';TYPE="{",".join(kinds)}"' if len(kinds) > 1 else f";TYPE={kinds[0]}"
    return ";TYPE=" + ",".join(k.upper() for k in kinds)


def _phone(value: str, version: str, label: str = "", ext: str = "") -> str:
    """One TEL line: the number's kinds from its label (voice when it names none),
    its extension in the tel: URI (4.0) or after the number (3.0, or a number not in
    E.164)."""
    kinds = _kinds(label, "phone") if label else ()
    types = _types(kinds or ("voice",), version)
    ext = "".join(ch for ch in ext if ch.isdigit())
    if version == "4.0" and _E164.match(value):
        return f"TEL;VALUE=uri{types}:tel:{value}" + (f";ext={ext}" if ext else "")
    text = escape(value) + (f" ext. {ext}" if ext else "")
    return f"TEL;VALUE=text{types}:{text}" if version == "4.0" else f"TEL{types}:{text}"


def _email(value: str, version: str, label: str, first: bool) -> str:
    """One EMAIL line: home/work from its label, the primary (first) one preferred."""
    kinds = _kinds(label, "email") if label else ()
    if version == "4.0":
        types = _types(kinds, version) if kinds else ""
        return f"EMAIL{types}{';PREF=1' if first else ''}:" + escape(value)
    words = ["INTERNET", *(k.upper() for k in kinds)] + (["PREF"] if first else [])
    return f"EMAIL;TYPE={','.join(words)}:" + escape(value)


_N_PARTS = ("family_name", "given_name", "middle_name", "prefix", "suffix")


def _name_lines(contact: dict[str, Any], version: str, company: bool) -> list[str]:
    """N with every part the contact holds (family; given; middle; prefix; suffix),
    and NICKNAME: what the user's address book showed before the round trip. A
    company's N names its contact person, as Apple's company cards do."""
    get = contact.get
    named = (get("contact_person") or {}) if company else contact
    parts = [named.get(k) or "" for k in _N_PARTS]
    lines = []
    if any(parts) or version == "3.0":   # N is required in 3.0
        lines.append("N:" + ";".join(escape(p) for p in parts))
    if get("nickname"):
        lines.append("NICKNAME:" + escape(get("nickname")))
    return lines


def _address(addr: dict[str, Any], version: str, items: list[int]) -> list[str]:
    """One ADR, its label read as an e-mail's is: work or home as TYPE ("Bureau" is
    work), a label of the user's own ("Chalet") in an Apple label group. Only
    work and home were kept before, and a round trip lost every other label."""
    label = str(addr.get("label") or "")
    kinds = _kinds(label, "email") if label else ()
    params = _types(kinds, version) if kinds else ""
    parts = ("", "", addr.get("street", ""), addr.get("locality", ""), addr.get("region", ""),
             addr.get("postal_code", ""), addr.get("country", ""))
    line = f"ADR{params}:" + ";".join(escape(p or "") for p in parts)
    return _grouped(line, label, "email", items)


def _photo(contact: dict[str, Any], version: str, photos: PhotoLookup | None) -> list[str]:
    """The contact's PHOTO line, its bytes found by digest (none without a lookup,
    or when the directory no longer holds them)."""
    digest = contact.get("photo")
    found = photos(str(digest)) if photos is not None and digest else None
    if not found:
        return []
    media_type, data = found
    encoded = base64.b64encode(data).decode("ascii")
    if version == "4.0":
        return [f"PHOTO:data:{media_type or 'image/jpeg'};base64,{encoded}"]
    kind = (media_type or "image/jpeg").rpartition("/")[2].upper() or "JPEG"
    return [f"PHOTO;ENCODING=b;TYPE={kind}:{encoded}"]


def contact_to_vcard(contact: dict[str, Any], version: str = "4.0",
                     uid: str | None = None, photos: PhotoLookup | None = None) -> str:
    """One canonical contact (the `contacts.data` shape plus "id") as a vCard;
    with `photos`, its photo too (see the module docstring)."""
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
    lines += _name_lines(contact, version, company)
    items = [0]                          # Apple label groups written so far
    labels = contact.get("email_labels") or {}
    for index, email in enumerate(contact.get("emails") or []):
        label = labels.get(email, "")
        lines += _grouped(_email(str(email), version, label, index == 0), label, "email",
                          items)
    labels = contact.get("phone_labels") or {}
    extensions = contact.get("phone_extensions") or {}
    for phone in contact.get("phones") or []:
        label = labels.get(phone, "")
        lines += _grouped(_phone(str(phone), version, label, extensions.get(phone, "")),
                          label, "phone", items)
    if contact.get("organization"):
        units = [str(u) for u in contact.get("org_units") or () if u]
        lines.append("ORG:" + ";".join(escape(p) for p in (contact["organization"], *units)))
    if contact.get("title"):
        lines.append("TITLE:" + escape(contact["title"]))
    if contact.get("linkedin_url"):
        lines.append("X-SOCIALPROFILE;TYPE=linkedin:" + _uri(contact["linkedin_url"]))
    for url in contact.get("urls") or []:
        lines.append("URL:" + _uri(url))
    for addr in contact.get("addresses") or []:
        if any(addr.get(k) for k in ("street", "locality", "region", "postal_code", "country")):
            lines += _address(addr, version, items)
    categories = [c for c in contact.get("categories") or [] if c]
    if categories:
        lines.append("CATEGORIES:" + ",".join(escape(c) for c in categories))
    if contact.get("note"):
        lines.append("NOTE:" + escape(contact["note"]))
    if contact.get("birthday"):
        lines.append(_birthday(str(contact["birthday"]), version))
    lines += _extra_lines(contact, version, items)
    lines += _photo(contact, version, photos)
    if company and version == "3.0":
        lines.append("X-ABShowAs:COMPANY")
    lines.append("END:VCARD")
    return "".join(fold(line) + "\r\n" for line in lines)


def photo_lookup(db: Any) -> PhotoLookup:
    """The directory's photos by digest (the `photos` table), read one at a time as
    the export streams, so that no export holds every photo's bytes at once."""
    def lookup(digest: str) -> tuple[str, bytes] | None:
        row = db.execute("SELECT media_type, data FROM photos WHERE digest=?",
                         (digest,)).fetchone()
        return (str(row[0]), bytes(row[1])) if row else None
    return lookup


def contacts_to_vcf(contacts: Iterable[dict[str, Any]], version: str = "4.0",
                    photos: PhotoLookup | None = None) -> Iterator[str]:
    """One vCard string per contact, for streaming into a file or stdout: one
    card's photo is in memory at a time."""
    for contact in contacts:
        yield contact_to_vcard(contact, version, photos=photos)


# RFC 6350's RELATED types; Apple's relation labels, and the type nearest each.
_RELATED_TYPES = frozenset((
    "contact", "acquaintance", "friend", "met", "co-worker", "colleague", "co-resident",
    "neighbor", "child", "parent", "sibling", "spouse", "kin", "muse", "crush", "date",
    "sweetheart", "me", "agent", "emergency"))
_NEAREST_TYPE = {"brother": "sibling", "sister": "sibling", "mother": "parent",
                 "father": "parent", "partner": "sweetheart", "assistant": "agent",
                 "manager": "co-worker"}
_APPLE_LABELS = frozenset(("father", "mother", "parent", "brother", "sister", "child",
                           "friend", "spouse", "partner", "assistant", "manager", "other",
                           "home", "work", "anniversary"))
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s\\,;]+\Z")    # written as is


def _apple_label(label: str) -> str:
    """Apple's own form of the labels it knows (shown in the user's language), else
    the label as written: our importer reads both back as `label`."""
    return f"_$!<{label.capitalize()}>!$_" if label in _APPLE_LABELS else escape(label)


def _labelled(line: str, label: str, items: list[int]) -> list[str]:
    """`line` in an Apple label group (`item3.X-ABRELATEDNAMES` +
    `item3.X-ABLabel:_$!<Spouse>!$_`), or alone without a label."""
    if not label:
        return [line]
    items[0] += 1
    return [f"item{items[0]}.{line}", f"item{items[0]}.X-ABLabel:{_apple_label(label)}"]


def _param(value: str) -> str:
    """A parameter value, quoted when it holds what ends one."""
    value = value.replace('"', "'")
    return f'"{value}"' if any(c in value for c in ";:,") else value


def _uri_value(value: str) -> str:
    """A URI value on one line, escaped as `_uri` escapes a URL (a comma would
    cut it for vobject)."""
    return escape(" ".join(str(value).splitlines()))


def _related(item: dict[str, Any], version: str, items: list[int]) -> list[str]:
    """One relative: 4.0 RELATED with its TYPE, plus Apple's label when RFC 6350 has
    no word for it ("brother" is TYPE=sibling and the label); 3.0
    X-ABRELATEDNAMES, Apple's only form."""
    value, label = str(item.get("value") or ""), str(item.get("label") or "")
    if version == "3.0":
        return _labelled("X-ABRELATEDNAMES:" + escape(value), label, items)
    words = [w for w in label.split(",") if w]
    kinds = list(dict.fromkeys(
        k for w in words if (k := w if w in _RELATED_TYPES else _NEAREST_TYPE.get(w))))
    types = _types(kinds, version) if kinds else ""
    text = f":{_uri_value(value)}" if _URI.match(value) else ";VALUE=text:" + escape(value)
    line = f"RELATED{types}{text}"
    if all(w in _RELATED_TYPES for w in words):
        return [line]
    return _labelled(line, label, items)


def _anniversary(value: str, version: str, items: list[int]) -> list[str]:
    """4.0 ANNIVERSARY; 3.0 Apple's `X-ABDATE` labelled anniversary (a day without
    its year under Apple's placeholder year, as it writes a birthday) and the
    `X-ANNIVERSARY` Evolution, KDE and Thunderbird read."""
    if version == "4.0":
        return [_birthday(value, version, "ANNIVERSARY")]
    iso, no_year = _ISO_DATE.match(value), _NO_YEAR.match(value)
    lines = []
    if iso:
        lines = _labelled(f"X-ABDATE:{value}", "anniversary", items)
    elif no_year:
        day = "-".join(no_year.groups())
        lines = _labelled(f"X-ABDATE;X-APPLE-OMIT-YEAR=1604:1604-{day}", "anniversary",
                          items)
    return [*lines, _birthday(value, version, "X-ANNIVERSARY")]


def _gender(gender: dict[str, Any], version: str) -> str:
    """GENDER (4.0) or X-GENDER (3.0): `F`, `F;femme`, `;non-binaire`."""
    sex, identity = str(gender.get("sex") or ""), str(gender.get("identity") or "")
    name = "GENDER" if version == "4.0" else "X-GENDER"
    return f"{name}:{escape(sex)}" + (f";{escape(identity)}" if identity else "")


def _impp(account: dict[str, Any], version: str, items: list[int]) -> list[str]:
    """IMPP with Apple's X-SERVICE-TYPE; home and work as TYPE, another label in
    an Apple label group."""
    service, label = str(account.get("service") or ""), str(account.get("label") or "")
    params = f";X-SERVICE-TYPE={_param(service)}" if service else ""
    words = [w for w in label.split(",") if w]
    plain = all(w in _ADR_TYPES for w in words)
    if words and plain:
        params += _types(words, version)
    line = f"IMPP{params}:{_uri_value(account.get('value') or '')}"
    return [line] if plain else _labelled(line, label, items)


def _social_profile(profile: dict[str, Any]) -> str:
    """X-SOCIALPROFILE as Apple writes it: the service as TYPE, the user as X-USER."""
    service, user = str(profile.get("service") or ""), str(profile.get("user") or "")
    params = (f";TYPE={_param(service)}" if service else "") + \
        (f";X-USER={_param(user)}" if user else "")
    return f"X-SOCIALPROFILE{params}:{_uri_value(profile.get('value') or '')}"


def _extra_lines(contact: dict[str, Any], version: str, items: list[int]) -> list[str]:
    """What the address book held beyond the common fields (see the module
    docstring): relatives, anniversary, gender, messaging accounts, profiles."""
    lines: list[str] = []
    for item in contact.get("related") or ():
        lines += _related(item, version, items)
    if contact.get("anniversary"):
        lines += _anniversary(str(contact["anniversary"]), version, items)
    if contact.get("gender"):
        lines.append(_gender(contact["gender"], version))
    for account in contact.get("impp") or ():
        lines += _impp(account, version, items)
    for profile in contact.get("social_profiles") or ():
        lines.append(_social_profile(profile))
    return lines
