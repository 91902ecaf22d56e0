"""Connectors written from the README's "Writing a connector" alone, as the fourth
audit's new user wrote them: `read_unit` lets `json.loads` raise, the priority is
left at 0, and a careless one yields items of the wrong type.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from reseausync.connector import Connector, Unit
from reseausync.models import Interaction, Labeled, Participant, Reject, SourceRecord


def _files(target: str, suffix: str) -> list[Path]:
    path = Path(target)
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.name.endswith(suffix))
    return [path]


class PeopleConnector(Connector):
    """people as a JSON array (`*.people.json`)"""

    name = "people4"
    suffix = ".people.json"

    @classmethod
    def can_open(cls, target: str) -> bool:
        return str(target).endswith(cls.suffix)

    def discover(self, target: str) -> Iterator[Unit]:
        for path in _files(target, self.suffix):
            stat = path.stat()
            yield Unit(id=str(path), fingerprint=f"{stat.st_size}-{stat.st_mtime_ns}",
                       path=path)

    def read_unit(self, unit: Unit) -> Iterator[Any]:
        assert unit.path is not None
        data = json.loads(unit.path.read_text(encoding="utf-8"))
        for number, person in enumerate(data, 1):
            locator = f"{unit.name}#{number}"
            if "name" not in person:
                yield Reject(source=self.source, locator=locator, reason="no-name",
                             message="entry has no name", unit=unit.id)
                continue
            key = person.get("id") or person["name"]
            yield SourceRecord(source=self.source, connector=self.name, external_id=key,
                               locator=locator, unit=unit.id, display_name=person["name"],
                               emails=[Labeled(e) for e in person.get("emails", [])],
                               organization=person.get("org", ""))
            for when in person.get("met", []):
                yield Interaction(source=self.source, connector=self.name,
                                  external_id=f"{key}@{when}", locator=locator,
                                  kind="meeting", occurred_at=datetime.fromisoformat(when),
                                  unit=unit.id, direction="both",
                                  participants=[Participant(name=person["name"])])


class RaisingConnector(PeopleConnector):
    """`read_unit` yields one person then raises; `discover` raises for a file
    whose name holds "discover"."""

    name = "raiser4"
    suffix = ".raise.json"

    def discover(self, target: str) -> Iterator[Unit]:
        if "discover" in Path(target).name:
            raise RuntimeError("boom in discover")
        return super().discover(target)

    def read_unit(self, unit: Unit) -> Iterator[Any]:
        yield SourceRecord(source=self.source, connector=self.name, external_id="r1",
                           locator=f"{unit.name}#1", unit=unit.id, display_name="Before Boom",
                           emails=[Labeled("before@example.com")])
        raise ValueError("boom in read_unit")


class BadRecordConnector(PeopleConnector):
    """Yields the wrong item the file names (its whole text), after a good one."""

    name = "badrec4"
    suffix = ".bad.json"

    def read_unit(self, unit: Unit) -> Iterator[Any]:
        assert unit.path is not None
        mode = unit.path.read_text(encoding="utf-8").strip()
        yield SourceRecord(source=self.source, connector=self.name, external_id="good",
                           locator=f"{unit.name}#0", unit=unit.id, display_name="Good One",
                           emails=[Labeled("good@example.com")])
        common = {"source": self.source, "connector": self.name, "locator": f"{unit.name}#1",
                  "unit": unit.id}
        if mode == "strs":
            yield SourceRecord(**common, external_id="b1", display_name="Plain Strings",
                               emails=["plain@example.com"])  # type: ignore[list-item]
        elif mode == "date-text":
            yield Interaction(**common, external_id="i1", kind="meeting",
                              occurred_at="2026-11-01T10:00:00+00:00")  # type: ignore[arg-type]
        elif mode == "none":
            yield None
        elif mode == "noid":
            yield SourceRecord(**common, external_id="", display_name="No Id")


class ClashConnector(PeopleConnector):
    """A plugin that takes the name of a built-in connector."""

    name = "vcard"


class TwinConnector(PeopleConnector):
    """A second distribution's connector under the name `people4`."""
