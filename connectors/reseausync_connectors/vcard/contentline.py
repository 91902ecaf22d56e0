"""The fast path: vCard content lines to properties, by hand, without vobject.

A 100,000-card import spends most of its time here, so the common case (no
quotes in the parameters) is a couple of `str.partition` / `str.split` calls.
The grammar is the union of what vCard 2.1, 3.0 and 4.0 writers produce:
`[group.]NAME *(;param) : value`, where a 2.1 parameter may be a bare word
(`TEL;CELL;PREF:`), parameter values may be quoted (`TYPE="work,voice"`) and
empty parameters (`TEL;;TYPE=:`) are dropped rather than refused.

A line this module cannot read raises `LineError`; the caller decides whether
the card goes to vobject (the reference parser) or becomes a reject.
"""

from __future__ import annotations

import base64
import binascii
import quopri
import re
from dataclasses import dataclass, field

from reseausync.charsets import single_byte_encoding
from reseausync.errors import ItemError

# Bare 2.1 parameters that name an encoding or a charset rather than a type.
_ENCODINGS = {"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"}
_NAME_OK = re.compile(r"[A-Za-z0-9-]+\Z")
_PARAM_OK = re.compile(r"[A-Za-z0-9-]+\Z")

# Properties whose value is split on unescaped ";" (structured) or "," (lists).
STRUCTURED = frozenset({"N", "ADR", "ORG", "GENDER", "X-GENDER"})
LISTS = frozenset({"CATEGORIES", "NICKNAME"})
BINARY = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})


class LineError(ItemError):
    """A content line that cannot be read: `reason` is a reject code."""


@dataclass(slots=True)
class Prop:
    """One property, decoded: `value` is a str, a list of str (N, ADR, ORG,
    CATEGORIES, NICKNAME) or bytes (an inline PHOTO)."""

    name: str
    value: str | list[str] | bytes
    group: str = ""
    params: dict[str, list[str]] = field(default_factory=dict)
    line: int = 0

    def param(self, key: str) -> list[str]:
        return self.params.get(key, [])

    def types(self) -> list[str]:
        """TYPE values, lower-cased, whether written TYPE=a,b, TYPE=a;TYPE=b or bare."""
        out: list[str] = []
        for value in self.params.get("TYPE", []):
            out.extend(v.strip().lower() for v in value.split(",") if v.strip())
        return out


def split_head(line: str) -> tuple[str, str]:
    """Split a logical line at the colon that ends the name and parameters."""
    colon = line.find(":")
    if colon < 0:
        raise LineError("bad-line", "no ':' in this line")
    head = line[:colon]
    if '"' not in head:
        return head, line[colon + 1:]
    quoted = False
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == ":" and not quoted:
            return line[:i], line[i + 1:]
    raise LineError("bad-parameter", "unbalanced quote in the parameters")


def _split_unquoted(text: str, sep: str) -> list[str]:
    if '"' not in text:
        return text.split(sep)
    parts, current, quoted = [], [], False
    for ch in text:
        if ch == '"':
            quoted = not quoted
            current.append(ch)
        elif ch == sep and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    if quoted:
        raise LineError("bad-parameter", "unbalanced quote in the parameters")
    parts.append("".join(current))
    return parts


def parse_head(head: str) -> tuple[str, str, dict[str, list[str]]]:
    """`[group.]NAME;params` -> (group, NAME, params with upper-case keys)."""
    pieces = _split_unquoted(head, ";")
    name = pieces[0].strip()
    group = ""
    if "." in name:
        group, _, name = name.rpartition(".")
    if not _NAME_OK.match(name):
        raise LineError("bad-property", f"invalid property name {name[:40]!r}")
    params: dict[str, list[str]] = {}
    for piece in pieces[1:]:
        piece = piece.strip()
        if not piece:
            continue  # empty parameter (";;"): dropped, as a repair
        key, eq, raw = piece.partition("=")
        key = key.strip().upper()
        if not _PARAM_OK.match(key):
            raise LineError("bad-parameter", f"invalid parameter {piece[:40]!r}")
        if not eq:
            target = "ENCODING" if key in _ENCODINGS else "TYPE"
            params.setdefault(target, []).append(key)
            continue
        values = [v.strip().strip('"') for v in _split_unquoted(raw, ",")]
        values = [v for v in values if v]
        if values:  # TYPE= with nothing: dropped, as a repair
            params.setdefault(key, []).extend(values)
    return group, name.upper(), params


def is_quoted_printable(params: dict[str, list[str]]) -> bool:
    return any(v.upper() == "QUOTED-PRINTABLE" for v in params.get("ENCODING", ()))


def decode_qp(value: str, charset: str) -> str:
    """QP bytes decoded with the declared charset, UTF-8 when none, cp1252 or Mac
    Roman (as `charsets.single_byte_encoding` reads the bytes) when the bytes are
    not what the charset says (old Windows phones lie).

    An unknown charset name falls back like a lying one; a name no codec lookup
    can even take (a NUL byte in it: a damaged file) is a `LineError`, so the line
    becomes a reject instead of a `ValueError` that stopped the whole import.
    """
    data = quopri.decodestring(value.encode("utf-8", "surrogateescape"))
    for name in (charset or "utf-8", "utf-8"):
        try:
            return data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        except ValueError as exc:
            raise LineError("bad-parameter",
                            f"unreadable CHARSET {charset[:40]!r} ({exc})") from exc
    return data.decode(single_byte_encoding(data), errors="replace")


def decode_base64(value: str) -> bytes:
    """Base64 with whitespace removed and the padding repaired."""
    compact = "".join(value.split())
    compact = compact.rstrip("=")
    compact += "=" * (-len(compact) % 4)
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise LineError("bad-base64", f"unreadable base64 ({exc})") from exc


def unescape(text: str) -> str:
    if "\\" not in text:
        return text
    out, i, n = [], 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n:
            nxt = text[i + 1]
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def split_escaped(text: str, sep: str) -> list[str]:
    """Split on `sep` unless backslash-escaped, then unescape each part."""
    if "\\" not in text:
        return text.split(sep)
    parts, current, i, n = [], [], 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n:
            current.append(text[i:i + 2])
            i += 2
            continue
        if ch == sep:
            parts.append(unescape("".join(current)))
            current = []
        else:
            current.append(ch)
        i += 1
    parts.append(unescape("".join(current)))
    return parts


def parse_line(line: str, lineno: int = 0) -> Prop:
    """One unfolded content line (QP soft breaks already joined) to a `Prop`."""
    head, raw = split_head(line)
    group, name, params = parse_head(head)
    charset = (params.get("CHARSET") or [""])[0]
    if is_quoted_printable(params):
        raw = decode_qp(raw, charset)
    encodings = {v.upper() for v in params.get("ENCODING", ())}
    value: str | list[str] | bytes
    if name in BINARY and encodings & {"B", "BASE64"}:
        try:
            value = decode_base64(raw)
        except LineError:
            value = raw.strip()   # kept as text: `record` drops it with extra["photo_dropped"]
    elif name in STRUCTURED:
        value = split_escaped(raw, ";")
    elif name in LISTS:
        value = [v.strip() for v in split_escaped(raw, ",") if v.strip()]
    elif name in BINARY:
        value = raw.strip()
    else:
        value = unescape(raw)
    return Prop(name=name, value=value, group=group, params=params, line=lineno)
