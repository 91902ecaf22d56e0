"""vobject as the reference parser, and the fallback of the fast path.

The fast line parser (`contentline`) must agree with vobject on every fixture (a
test parses each one both ways and compares the records), and a card whose lines
the fast parser cannot read is handed to vobject before it is rejected. vobject
sees the card after the line-level repairs of `cards` (unfolded, QP soft breaks
joined, empty parameters dropped, a VERSION when none was written): that is the
"repair before parsing" FORMATS.md asks for (base64 padding included), since
plain vobject fails on about half of real vCard 2.1 cards.

Known vobject quirks this adapter does not hide: it splits NOTE on unescaped commas
and keeps the first piece, and it cuts a 4.0 `data:` URI at its first comma.
"""

from __future__ import annotations

import re
from typing import Any

import vobject

from .contentline import Prop

_ENCODINGS = {"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"}
_EMPTY_PARAMS = re.compile(r";(?:[A-Za-z-]+=)?(?=;|\Z)")
_BASE64_PARAM = re.compile(r"ENCODING=(?:B|BASE64)\b|;BASE64\b", re.IGNORECASE)


def repaired_text(lines: list[tuple[int, str]]) -> str:
    """The card as vobject should see it: one physical line per property."""
    body = []
    for _, line in lines:
        colon = line.find(":")
        if colon > 0 and ";" in line[:colon]:
            line = _EMPTY_PARAMS.sub("", line[:colon]) + line[colon:]
            colon = line.find(":")
            if _BASE64_PARAM.search(line[:colon]):
                line = line[:colon + 1] + _padded(line[colon + 1:])
        body.append(line)
    if not any(line[:8].upper() == "VERSION:" for line in body):
        body.insert(0, "VERSION:3.0")
    return "BEGIN:VCARD\r\n" + "\r\n".join(body) + "\r\nEND:VCARD\r\n"


def _padded(value: str) -> str:
    compact = "".join(value.split()).rstrip("=")
    return compact + "=" * (-len(compact) % 4)


def _value(value: Any) -> str | list[str] | bytes:
    if isinstance(value, vobject.vcard.Name):
        fields = (value.family, value.given, value.additional, value.prefix, value.suffix)
        return [_joined(f) for f in fields]
    if isinstance(value, vobject.vcard.Address):
        fields = (value.box, value.extended, value.street, value.city, value.region,
                  value.code, value.country)
        return [_joined(f) for f in fields]
    if isinstance(value, (bytes, str)):
        return value
    if isinstance(value, list):
        return [str(v) for v in value]
    return str(value)


def _joined(field: Any) -> str:
    return ",".join(field) if isinstance(field, list) else str(field or "")


def vobject_props(lines: list[tuple[int, str]]) -> list[Prop]:
    """Parse one card with vobject; raises whatever vobject raises."""
    component = vobject.readOne(repaired_text(lines))
    props: list[Prop] = []
    for child in component.getChildren():
        params: dict[str, list[str]] = {k.upper(): list(v) for k, v in child.params.items()}
        for single in child.singletonparams:
            key = "ENCODING" if single.upper() in _ENCODINGS else "TYPE"
            params.setdefault(key, []).append(single)
        props.append(Prop(name=child.name.upper(), value=_value(child.value),
                          group=child.group or "", params=params))
    return props
