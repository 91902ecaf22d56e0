"""The contract every connector runs (STYLE.md: one shared suite, as vdirsyncer does).

A connector's test module subclasses `ConnectorContract` with a class name
starting with `Test` and fills in the class attributes. The suite checks what the
core relies on: the connector is registered under its name, it reads its good
sample with the expected counts, a bad item becomes a reject with a locator and
the items after it still arrive, and two reads give the same ids.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest
from pydantic import ValidationError

from reseausync.connector import Connector, ReadContext
from reseausync.models import Interaction, Reject, SourceRecord
from reseausync.registry import registry


class ConnectorContract:
    connector_cls: ClassVar[type[Connector]]
    good_target: ClassVar[Path]
    broken_target: ClassVar[Path]
    expected_records: ClassVar[int]           # from good_target
    expected_interactions: ClassVar[int] = 0  # from good_target
    expected_good_rejects: ClassVar[int] = 0  # rejects from good_target
    after_bad_external_id: ClassVar[str]      # in broken_target, after a bad item
    options: ClassVar[dict] = {}
    context: ClassVar[ReadContext | None] = None

    def read(self, target: Path) -> list:
        ctx = self.context or ReadContext(source="test")
        conn = self.connector_cls(self.options, ctx)
        units = list(conn.discover(str(target)))
        return list(conn.read(units))

    def test_registered_under_its_name(self) -> None:
        assert registry.get(self.connector_cls.name) is self.connector_cls

    def test_can_open_its_sample(self) -> None:
        assert self.connector_cls.can_open(str(self.good_target))

    def test_good_sample_counts(self) -> None:
        items = self.read(self.good_target)
        records = [i for i in items if isinstance(i, SourceRecord)]
        interactions = [i for i in items if isinstance(i, Interaction)]
        rejects = [i for i in items if isinstance(i, Reject)]
        assert len(records) == self.expected_records, [r.message for r in rejects]
        assert len(interactions) == self.expected_interactions
        assert len(rejects) == self.expected_good_rejects, [r.message for r in rejects]

    def test_items_say_where_they_come_from(self) -> None:
        for item in self.read(self.good_target):
            assert item.locator, item
            assert item.unit, item
            if not isinstance(item, Reject):
                assert item.source == "test"
                assert item.connector == self.connector_cls.name
                assert item.external_id

    def test_records_name_somebody(self) -> None:
        for item in self.read(self.good_target):
            if isinstance(item, SourceRecord):
                assert item.has_identity(), item

    def test_broken_sample_rejects_with_location(self) -> None:
        items = self.read(self.broken_target)
        rejects = [i for i in items if isinstance(i, Reject)]
        assert rejects, "the broken sample produced no reject"
        for reject in rejects:
            assert reject.locator and reject.reason and reject.message

    def test_item_after_a_bad_one_still_arrives(self) -> None:
        ids = {i.external_id for i in self.read(self.broken_target)
               if not isinstance(i, Reject)}
        assert self.after_bad_external_id in ids

    def test_two_reads_give_the_same_ids(self) -> None:
        def ids(items: list) -> list[tuple[str, str]]:
            return [(type(i).__name__, i.external_id) for i in items
                    if not isinstance(i, Reject)]
        assert ids(self.read(self.good_target)) == ids(self.read(self.good_target))

    def test_unique_ids_in_one_read(self) -> None:
        items = [i for i in self.read(self.good_target) if isinstance(i, SourceRecord)]
        assert len({i.external_id for i in items}) == len(items)

    def test_options_refuse_unknown_keys(self) -> None:
        with pytest.raises(ValidationError):
            self.connector_cls.Options(**{**self.options, "no_such_option_xyz": 1})
