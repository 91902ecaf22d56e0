"""What a publish that stopped part-way says (QA7 #7): "interrupted (SIGTERM)" as
`sync` says it; a server that keeps failing is named with the card changes
already made on it, and the hint says a publish, not a sync, goes on from there."""

from __future__ import annotations

import pytest
import responses

from reseausync.errors import ReseausyncError, Terminated
from reseausync.publish import PublishInterrupted, publish
from reseausync.store import Store

from .carddav_fakes import PASSWORD
from .test_carddav_publish import TARGET, book_exists, card_url, person

pytestmark = pytest.mark.usefixtures("no_backoff")    # tests/connectors/conftest.py


@responses.activate
def test_a_server_failing_part_way_names_the_changes_made(store: Store) -> None:
    book_exists()
    responses.add("PUT", card_url("c1"), status=201, headers={"ETag": '"e1"'})
    responses.add("PUT", card_url("c2"), status=201, headers={"ETag": '"e2"'})
    responses.add("PUT", card_url("c3"), status=500)
    people = [person("c1", "Ann"), person("c2", "Bob"), person("c3", "Cy")]
    with pytest.raises(ReseausyncError) as info:
        publish(store, TARGET, password=PASSWORD, contacts=people)
    assert "still failing" in str(info.value)
    assert "after 2 card change(s) (2 created" in str(info.value)
    assert "next sync" not in info.value.hint
    assert "reseausync publish` again" in info.value.hint


def sigterm(_request):
    raise Terminated


@responses.activate
def test_a_publish_stopped_by_sigterm_says_so(store: Store) -> None:
    book_exists()
    responses.add("PUT", card_url("c1"), status=201, headers={"ETag": '"e1"'})
    responses.add_callback("PUT", card_url("c2"), callback=sigterm)
    with pytest.raises(PublishInterrupted) as info:
        publish(store, TARGET, password=PASSWORD,
                contacts=[person("c1", "Ann"), person("c2", "Bob")])
    assert info.value.how == " (SIGTERM)"
    assert "after 1 card change(s)" in str(info.value)
