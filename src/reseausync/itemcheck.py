"""What a third-party connector yields, checked before the store sees it.

The models are plain dataclasses (models.py): nothing stops a plugin from putting
a string where a `Labeled` goes, a date as text, or yielding None. Unchecked, such
an item crashed deep in the writer with an AttributeError and no word of which
connector, file or field (QA round 4). The built-in connectors are tested against
the contract and are not checked: a million-row import pays nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from .models import Address, Interaction, Labeled, Participant, Photo, Reject, SourceRecord

_RECORD_TEXT = ("source", "connector", "external_id", "locator", "unit", "display_name",
                "given_name", "family_name", "middle_name", "prefix", "suffix", "nickname",
                "organization", "title", "linkedin_url", "note", "birthday", "photo_url",
                "raw")
_RECORD_LISTS: dict[str, type] = {"emails": Labeled, "phones": Labeled, "urls": str,
                                  "categories": str, "addresses": Address}
_INTERACTION_TEXT = ("source", "connector", "external_id", "locator", "kind", "unit",
                     "direction", "thread", "subject")
_REJECT_TEXT = ("source", "locator", "reason", "message", "unit", "excerpt")
_PARTS: dict[type, tuple[str, ...]] = {
    Labeled: ("value", "label"), Participant: ("name", "email", "phone", "linkedin_url"),
    Address: ("street", "locality", "region", "postal_code", "country", "label")}


def is_builtin(cls: type) -> bool:
    """Whether `cls` ships with reseausync (its items are trusted unchecked)."""
    return cls.__module__.split(".")[0] in ("reseausync", "reseausync_connectors")


def item_problem(item: object) -> str:
    """What is wrong with `item` as a connector's output ('' when nothing): the
    first field of the wrong type, named as a person finds it ("emails[0] is a
    str, expected Labeled")."""
    if isinstance(item, SourceRecord):
        return _first(item, _record_problems(item))
    if isinstance(item, Interaction):
        return _first(item, _interaction_problems(item))
    if isinstance(item, Reject):
        return _first(item, _texts(item, _REJECT_TEXT))
    return (f"yielded {_kind(item)}, expected a SourceRecord, an Interaction "
            "or a Reject")


def _first(item: object, problems: list[str]) -> str:
    return f"yielded {_kind(item)} whose {problems[0]}" if problems else ""


def _record_problems(record: SourceRecord) -> list[str]:
    problems = _texts(record, _RECORD_TEXT) + _id(record.external_id)
    for name, cls in _RECORD_LISTS.items():
        problems += _list(name, getattr(record, name), cls)
    if not isinstance(record.collected_at, (date, type(None))):
        problems.append(f"collected_at is {_kind(record.collected_at)}, "
                        "expected a date, a datetime or None")
    photo = record.photo
    if photo is not None and not (isinstance(photo, Photo) and isinstance(photo.data, bytes)
                                  and isinstance(photo.media_type, str)):
        problems.append(f"photo is {_kind(photo)}, expected a Photo of bytes or None")
    if not isinstance(record.extra, dict):
        problems.append(f"extra is {_kind(record.extra)}, expected a dict")
    return problems


def _interaction_problems(event: Interaction) -> list[str]:
    problems = _texts(event, _INTERACTION_TEXT) + _id(event.external_id)
    if not isinstance(event.occurred_at, datetime):
        problems.append(f"occurred_at is {_kind(event.occurred_at)}, expected a datetime")
    problems += _list("participants", event.participants, Participant)
    if not isinstance(event.extra, dict):
        problems.append(f"extra is {_kind(event.extra)}, expected a dict")
    return problems


def _texts(item: object, names: tuple[str, ...]) -> list[str]:
    return [f"{name} is {_kind(value)}, expected a str" for name in names
            if not isinstance(value := getattr(item, name), str)]


def _id(external_id: Any) -> list[str]:
    """An empty id names no record: the second one was a duplicate of the first."""
    return ["external_id is empty"] if external_id == "" else []


def _list(name: str, values: Any, cls: type) -> list[str]:
    if not isinstance(values, list):
        return [f"{name} is {_kind(values)}, expected a list of {cls.__name__}"]
    for index, value in enumerate(values):
        if not isinstance(value, cls):
            return [f"{name}[{index}] is {_kind(value)}, expected {cls.__name__}"]
        bad = [part for part in _PARTS.get(cls, ()) if not isinstance(getattr(value, part), str)]
        if bad:
            return [f"{name}[{index}].{bad[0]} is {_kind(getattr(value, bad[0]))}, "
                    "expected a str"]
    return []


def _kind(value: object) -> str:
    """"None", "a str", "an Interaction"."""
    name = type(value).__name__
    return "None" if value is None else f"{'an' if name[0] in 'AEIOUaeiou' else 'a'} {name}"
