"""The properties a card holds beyond the contact shape, kept in `SourceRecord.extra`.

Address books hold more about a person than the fields every source shares: who
they are related to, their anniversary, their gender, their messaging accounts and
social profiles. Read as unknown properties, they were lost at import, and so at
export and publish: a round trip through the directory erased them from the user's
own address book. Each is kept under one `extra` key, in one shape whatever the
writer (vCard 4.0's own property, Apple's, or the older X- names):

- `related`: [{"value": "Marie Roy", "label": "spouse"}] from 4.0 `RELATED`
  (a URI or `VALUE=text`) and Apple's `itemN.X-ABRELATEDNAMES` with its
  `itemN.X-ABLabel:_$!<Spouse>!$_` (Apple's and vCard's words lower-cased, a label
  of the user's own as written, as phone labels are);
- `anniversary`: "2004-08-14" (or "--08-14" without a year) from 4.0
  `ANNIVERSARY`, `X-ANNIVERSARY` (Evolution, KDE, Android) and Apple's
  `itemN.X-ABDATE` labelled `_$!<Anniversary>!$_`; read as a birthday is;
- `gender`: {"sex": "F", "identity": "femme"} (the parts written) from 4.0
  `GENDER`, `X-GENDER` and Outlook's `X-WAB-GENDER` (1 female, 2 male);
- `impp`: [{"value": "xmpp:jean@jabber.org", "service": "Jabber", "label": "home"}]
  from `IMPP` (RFC 4770, vCard 3.0 and 4.0; Apple names the service in
  `X-SERVICE-TYPE`) and the older `X-AIM`, `X-JABBER`, `X-SKYPE`… whose bare user
  name becomes the service's URI, so an account Apple writes both ways is one;
- `social_profiles`: [{"value": "https://twitter.com/jroy", "service": "twitter",
  "user": "jroy"}] from `X-SOCIALPROFILE` other than LinkedIn (a LinkedIn profile
  is the record's `linkedin_url`).

Only what a card holds is written: a card without any of them has the same record
(and content hash) as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reseausync.models import SourceRecord

from .contentline import Prop, split_escaped

# The older one-property-per-service names: (URI scheme, service name).
_IM_PROPS = {"X-AIM": ("aim", "AIM"), "X-ICQ": ("icq", "ICQ"), "X-JABBER": ("xmpp", "Jabber"),
             "X-GOOGLE-TALK": ("xmpp", "GoogleTalk"), "X-GTALK": ("xmpp", "GoogleTalk"),
             "X-MSN": ("msnim", "MSN"), "X-YAHOO": ("ymsgr", "Yahoo"),
             "X-SKYPE": ("skype", "Skype"), "X-SKYPE-USERNAME": ("skype", "Skype"),
             "X-QQ": ("x-apple", "QQ"), "X-GADUGADU": ("x-apple", "GaduGadu")}
_SEX_WORDS = {"male": "M", "man": "M", "m": "M", "female": "F", "woman": "F", "f": "F",
              "other": "O", "o": "O", "none": "N", "n": "N", "unknown": "U", "u": "U"}
_WAB_GENDER = {"1": "F", "2": "M"}
EXTRA_PROPS = frozenset({"RELATED", "X-ABRELATEDNAMES", "ANNIVERSARY", "X-ANNIVERSARY",
                         "X-ABDATE", "GENDER", "X-GENDER", "X-WAB-GENDER", "IMPP",
                         *_IM_PROPS})


def _text(value: str | list[str] | bytes) -> str:
    if isinstance(value, bytes):
        return ""
    if isinstance(value, list):
        return ";".join(value).strip()
    return value.strip()


def read_extra(record: SourceRecord, prop: Prop, label: str,
               as_date: Callable[[str, Prop], str]) -> None:
    """Keep `prop` (one of `EXTRA_PROPS`) in `record.extra`; `label` is the value's
    label as `record.label_of` reads it (Apple's group label first), `as_date` the
    birthday reader (a date as "YYYY-MM-DD" or "--MM-DD")."""
    name, extra = prop.name, record.extra
    value = _text(prop.value) if name not in ("GENDER", "X-GENDER") else ""
    if name in ("RELATED", "X-ABRELATEDNAMES"):
        _append(extra, "related", {"value": value, "label": label})
    elif name in ("ANNIVERSARY", "X-ANNIVERSARY") or (name == "X-ABDATE"
                                                      and label == "anniversary"):
        if value and "anniversary" not in extra:
            extra["anniversary"] = as_date(value, prop)
    elif name in ("GENDER", "X-GENDER", "X-WAB-GENDER"):
        gender = _gender(prop)
        if gender and "gender" not in extra:
            extra["gender"] = gender
    elif name == "IMPP" or name in _IM_PROPS:
        _append(extra, "impp", _account(prop, value, label))


def read_social_profile(record: SourceRecord, value: str, prop: Prop) -> None:
    """A non-LinkedIn `X-SOCIALPROFILE;TYPE=twitter;X-USER=jroy:https://…`."""
    service = ",".join(prop.types())
    user = (prop.param("X-USER") or [""])[0]
    profile = {"value": value or (f"x-apple:{user}" if user else ""), "service": service}
    if user:
        profile["user"] = user
    _append(record.extra, "social_profiles", profile)


def _append(extra: dict[str, Any], key: str, item: dict[str, str]) -> None:
    """Add `item` to the list `extra[key]` unless its value is empty or already
    there (Apple writes an account as `IMPP` and as `X-AIM`): the first wins."""
    if not item["value"]:
        return
    items = extra.setdefault(key, [])
    if all(i["value"] != item["value"] for i in items):
        items.append({k: v for k, v in item.items() if v or k == "value"})


def _account(prop: Prop, value: str, label: str) -> dict[str, str]:
    """An IM account as a URI with its service: `X-SKYPE:jean.roy` is
    `skype:jean.roy`, the form `IMPP` writes."""
    service = (prop.param("X-SERVICE-TYPE") or [""])[0]
    if prop.name in _IM_PROPS:
        scheme, known = _IM_PROPS[prop.name]
        service = service or known
        if value and ":" not in value:
            value = f"{scheme}:{value}"
    return {"value": value, "service": service, "label": label}


def _gender(prop: Prop) -> dict[str, str]:
    """{"sex": "M|F|O|N|U", "identity": "..."} with only the parts written."""
    if prop.name == "X-WAB-GENDER":
        sex = _WAB_GENDER.get(_text(prop.value), "")
        return {"sex": sex} if sex else {}
    value = prop.value
    if isinstance(value, bytes):
        return {}
    parts = split_escaped(value, ";") if isinstance(value, str) else list(value)
    sex, identity = (parts + ["", ""])[:2]
    sex, identity = sex.strip(), identity.strip()
    letter = _SEX_WORDS.get(sex.lower(), "")
    if sex and not letter and not identity:      # X-GENDER:non-binaire: an identity
        sex, identity = "", sex
    out = {"sex": letter or sex.upper()[:1]} if sex else {}
    if identity:
        out["identity"] = identity
    return out


def contact_person(parts: list[str], *company: str) -> dict[str, str]:
    """The person named in a company card's N, or {} when N names nobody or only
    the company (`company`: its FN and ORG).

    macOS and iOS Contacts keep a company card's contact person in N (the first
    and last name fields of a card marked "Company"), the company in FN and ORG.
    The card describes the company: the person is kept beside it, never its name
    (a name alone must not merge the company with that person's own card)."""
    keys = ("family_name", "given_name", "middle_name", "prefix", "suffix")
    person = {k: v for k, v in zip(keys, parts, strict=False) if v}
    words = " ".join(v for v in parts if v).casefold()
    if not person or words in {c.strip().casefold() for c in company}:
        return {}
    return person
