"""A third-party connector, installed only for the tests: one person per line.

It lives outside the package and reaches the registry through its own
distribution's entry point (the dist-info folder beside it), exactly as a
plugin installed from PyPI would.
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict

from reseausync.connector import Connector, Unit
from reseausync.files import read_text, suffix_filter, walk
from reseausync.models import Labeled, SourceItem, SourceRecord


class LinesOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    separator: str = ","


class LinesConnector(Connector):
    """name,email per line; a line starting with ! is unreadable."""

    name = "lines"
    Options = LinesOptions
    priority = 1

    @classmethod
    def can_open(cls, target: str) -> bool:
        return target.endswith(".people")

    def discover(self, target: str) -> Iterator[Unit]:
        return walk(target, suffix_filter(".people"))

    def read_unit(self, unit: Unit) -> Iterator[SourceItem]:
        text, _ = read_text(unit)
        for number, line in enumerate(text.splitlines(), 1):
            locator = f"{unit.name}:{number}"
            if not line.strip():
                continue
            if line.startswith("!"):
                yield self.reject(unit, locator, "bad-line", "line starts with !", line)
                continue
            name, _, email = line.partition(self.options.separator)
            yield SourceRecord(source=self.source, connector=self.name,
                               external_id=email.strip() or name.strip(), locator=locator,
                               unit=unit.id, display_name=name.strip(),
                               emails=[Labeled(email.strip())] if email.strip() else [],
                               raw=line)
