"""The writer's hand-written participants JSON is byte for byte what json.dumps gives.

Stored `interactions.participants` and the interactions' content hashes depend on
that text: a single differing escape would make every re-imported message look
changed.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from reseausync.models import Interaction, Participant
from reseausync.store.rows import people_json, prepared

text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
participant = st.builds(Participant, name=text, email=text, phone=text, linkedin_url=text)


def _interaction(people: list[Participant]) -> Interaction:
    return Interaction(source="s", connector="c", external_id="x", locator="l",
                       kind="message", occurred_at=datetime(2025, 1, 1, tzinfo=UTC),
                       participants=people)


@settings(max_examples=100, deadline=None)
@given(people=st.lists(participant, max_size=4))
def test_participants_json_is_json_dumps(people: list[Participant]) -> None:
    item = _interaction(people)
    expected = json.dumps(item.participants_dicts(), ensure_ascii=False)
    assert people_json(prepared(item)[10]) == expected
    assert json.loads(expected) == item.participants_dicts()


def test_a_value_that_is_not_text_is_encoded_by_json_itself() -> None:
    people = [Participant(name="Ana"), Participant(name=None)]  # type: ignore[arg-type]
    got = people_json(prepared(_interaction(people))[10])
    assert json.loads(got) == [
        {"name": "Ana", "email": "", "phone": "", "linkedin_url": ""},
        {"name": None, "email": "", "phone": "", "linkedin_url": ""}]
