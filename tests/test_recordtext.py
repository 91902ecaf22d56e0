"""record_text writes exactly the bytes json.dumps writes for a record: stored
records and their content hashes must not depend on which encoder ran."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from reseausync.models import Address, Labeled, Photo, SourceRecord
from reseausync.recordtext import record_text

text = st.text(max_size=12)
labeled = st.builds(Labeled, text, text)
address = st.builds(Address, text, text, text, text, text, text)
scalars = st.none() | st.booleans() | st.integers() | text | \
    st.floats(allow_nan=False, allow_infinity=False)
extra_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                            | st.dictionaries(text, inner, max_size=3), max_leaves=8)
extras = st.dictionaries(text, text, max_size=3) | st.dictionaries(text, extra_values,
                                                                    max_size=3)
when = st.none() | st.dates() | st.datetimes(timezones=st.just(UTC))


def old_text(record: SourceRecord) -> str:
    """What SourceRecord.content() stores, through json.dumps."""
    data = record.fields_dict()
    del data["locator"], data["unit"]
    return json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)


@given(st.builds(
    SourceRecord, source=text, connector=text, external_id=text, locator=text, unit=text,
    display_name=text, given_name=text, family_name=text, middle_name=text, prefix=text,
    suffix=text, nickname=text, emails=st.lists(labeled, max_size=3),
    phones=st.lists(labeled, max_size=3), organization=text, title=text,
    linkedin_url=text, urls=st.lists(text, max_size=3),
    addresses=st.lists(address, max_size=2), categories=st.lists(text, max_size=3),
    note=text, birthday=text, collected_at=when,
    photo=st.none() | st.builds(Photo, st.binary(max_size=8)), photo_url=text, extra=extras,
    raw=text))
def test_same_bytes_as_json_dumps(record: SourceRecord) -> None:
    assert record_text(record) == old_text(record)
    assert record.content()[0] == old_text(record)


def test_escapes_and_non_bmp_characters() -> None:
    record = SourceRecord("s", "c", "x", "l", display_name='Zoé "Z" \\ 🙂\n\t\x00',
                          emails=[Labeled("zoé@exemple.ca", "_$!<Home>!$_")],
                          addresses=[Address(street="1 rue\u2028Nord", country="CA")],
                          extra={"b": "2", "a": "1"}, collected_at=date(2024, 1, 15))
    assert record_text(record) == old_text(record)
    assert '"extra": {"a": "1", "b": "2"}' in record_text(record)


def test_values_not_of_their_declared_type_are_encoded_by_json_dumps() -> None:
    """A connector that puts a number in a str field or a dict in a list still
    gets json.dumps' text (and its `default=str` for what JSON cannot hold)."""
    odd = [
        SourceRecord("s", "c", "x", "l", title=42),                       # type: ignore[arg-type]
        SourceRecord("s", "c", "x", "l", urls=["a", None]),               # type: ignore[list-item]
        SourceRecord("s", "c", "x", "l", urls=("a",)),                    # type: ignore[arg-type]
        SourceRecord("s", "c", "x", "l", emails=[Labeled(3)]),           # type: ignore[arg-type]
        SourceRecord("s", "c", "x", "l", addresses=[Address(street=None)]),  # type: ignore[arg-type]
        SourceRecord("s", "c", "x", "l", extra={"n": Decimal("1.5"), "d": date(2020, 1, 2)}),
        SourceRecord("s", "c", "x", "l", extra={"k": 1, "j": "x"}),
        SourceRecord("s", "c", "x", "l",
                     collected_at=datetime(2024, 3, 1, 12, 30, tzinfo=UTC)),
    ]
    for record in odd:
        assert record_text(record) == old_text(record)
