"""A record's stored JSON text, written field by field.

The stored `data` of a record and its content hash are `json.dumps(fields,
sort_keys=True, ensure_ascii=False, default=str)` without the locator and the
unit (both have columns of their own: a card moving down its file, or an export
saved under another name, is not a change). Directories hold those bytes, and a
changed byte would make every record of a re-import an update. Producing them
through the json module costs about 10 us a record (a dict of 25 keys built,
then sorted and walked by the encoder), half the read worker's time on a
200,000-row Connections.csv. The keys of a record are fixed, so their order is
known here; each string goes through json's own C escaper, the one `json.dumps`
uses. A record holding anything else than the declared types (a connector's
bug, an `extra` value) is encoded by `json.dumps` itself, so the text never
depends on which path ran.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from json.encoder import encode_basestring as _string  # json's own (C) escaper
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import SourceRecord

_STR = str


class _Unusual(Exception):
    """A value not of its declared type: json.dumps encodes the record instead."""


def record_text(record: SourceRecord) -> str:
    """`json.dumps` of the record's fields without the locator and unit, same bytes."""
    try:
        return _fast(record)
    except _Unusual:
        data = record.fields_dict()
        del data["locator"], data["unit"]
        return fields_text(data)


def fields_text(data: dict[str, Any]) -> str:
    """The stored text of a record's fields as a dict: what `_fast` writes by hand,
    and what a migration rewriting stored records writes."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)


def _fast(r: SourceRecord) -> str:
    for value in (r.birthday, r.connector, r.display_name, r.external_id, r.family_name,
                  r.given_name, r.linkedin_url, r.middle_name, r.nickname, r.note,
                  r.organization, r.photo_url, r.prefix, r.source, r.suffix, r.title):
        if type(value) is not _STR:
            raise _Unusual
    collected = r.collected_at
    s = _string
    return "".join((
        '{"addresses": ', _array(r.addresses, _address), ', "birthday": ', s(r.birthday),
        ', "categories": ', _array(r.categories, _text),
        ', "collected_at": ', s(collected.isoformat()) if collected else "null",
        ', "connector": ', s(r.connector), ', "display_name": ', s(r.display_name),
        ', "emails": ', _array(r.emails, _labeled), ', "external_id": ', s(r.external_id),
        ', "extra": ', _extra(r.extra), ', "family_name": ', s(r.family_name),
        ', "given_name": ', s(r.given_name), ', "linkedin_url": ', s(r.linkedin_url),
        ', "middle_name": ', s(r.middle_name), ', "nickname": ', s(r.nickname),
        ', "note": ', s(r.note), ', "organization": ', s(r.organization),
        ', "phones": ', _array(r.phones, _labeled),
        ', "photo_digest": ', s(r.photo.digest) if r.photo else '""',
        ', "photo_url": ', s(r.photo_url), ', "prefix": ', s(r.prefix),
        ', "source": ', s(r.source), ', "suffix": ', s(r.suffix), ', "title": ', s(r.title),
        ', "urls": ', _array(r.urls, _text), "}"))


def _array(values: Any, item: Callable[[Any], str]) -> str:
    """A JSON array of `values`, each written by `item` (which raises _Unusual for
    a value not of its declared type)."""
    if type(values) is not list:
        raise _Unusual
    if not values:
        return "[]"
    return "[" + ", ".join(map(item, values)) + "]"


def _text(value: Any) -> str:
    if type(value) is not _STR:
        raise _Unusual
    return _string(value)


def _labeled(item: Any) -> str:
    """An email or a phone: {"label", "value"}, keys sorted."""
    label, value = getattr(item, "label", None), getattr(item, "value", None)
    return '{"label": ' + _text(label) + ', "value": ' + _text(value) + "}"


def _address(item: Any) -> str:
    country, label, locality, postal_code, region, street = (
        _text(getattr(item, key, None)) for key in _ADDRESS_KEYS)
    return ('{"country": ' + country + ', "label": ' + label + ', "locality": ' + locality
            + ', "postal_code": ' + postal_code + ', "region": ' + region + ', "street": '
            + street + "}")


_ADDRESS_KEYS = ("country", "label", "locality", "postal_code", "region", "street")


def _extra(extra: Any) -> str:
    """`extra` holds what a connector chose to keep: usually nothing or a few
    strings (written here); anything else goes through json.dumps, which nests the
    same way."""
    if type(extra) is not dict:
        raise _Unusual
    if not extra:
        return "{}"
    for key, value in extra.items():
        if type(key) is not _STR or type(value) is not _STR:
            return json.dumps(extra, sort_keys=True, ensure_ascii=False, default=str)
    return "{" + ", ".join(_string(key) + ": " + _string(extra[key])
                           for key in sorted(extra)) + "}"
