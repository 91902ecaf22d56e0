"""Publish's listing of the book, exchange by exchange (qa4_roundtrip #1).

The listing decides which of our cards are gone; a server that leaves a card out
of it (a listing cut short) must not make publish write that card again, and a
server that will not list at all leaves publish as it was: trusting its records.
"""

from __future__ import annotations

import pytest
import responses

from reseausync.publish import publish
from reseausync.store import Store

from .carddav_fakes import BOOK, BOOK_PATH, PASSWORD, XML, collection_response, etag_response
from .carddav_fakes import multistatus as answer
from .test_carddav_publish import TARGET, card_url, person

pytestmark = pytest.mark.usefixtures("no_backoff")    # tests/connectors/conftest.py


def first_publish(store: Store) -> None:
    """c1 and c2 written, ETags e1 and e2; every later request registered anew."""
    responses.add("PROPFIND", BOOK, status=207, content_type=XML,
                  body=answer(collection_response(BOOK_PATH)))
    for cid in ("c1", "c2"):
        responses.add("PUT", card_url(cid), status=201, headers={"ETag": f'"e{cid[1]}"'})
    done = publish(store, TARGET, password=PASSWORD,
                   contacts=[person("c1", "Ann"), person("c2", "Bob")])
    assert done.created == 2
    responses.reset()


def book_lists(*cards: tuple[str, str]) -> None:
    """The book (Depth 0, then Depth 1) with `cards` (cid, etag) in its listing."""
    body = answer(collection_response(BOOK_PATH),
                  *(etag_response(BOOK_PATH + card_url(c).rsplit("/", 1)[1], e)
                    for c, e in cards))
    responses.add("PROPFIND", BOOK, status=207, content_type=XML, body=body)


def puts() -> list:
    return [c.request for c in responses.calls if c.request.method == "PUT"]


@responses.activate
def test_a_card_the_listing_leaves_out_is_asked_about_before_it_is_written(
        store: Store) -> None:
    first_publish(store)
    book_lists(("c1", '"e1"'))                              # c2 left out of the listing
    responses.add("PROPFIND", card_url("c2"), status=207, content_type=XML,
                  body=answer(etag_response(BOOK_PATH + "reseausync-c2.vcf", '"e2"')))
    done = publish(store, TARGET, password=PASSWORD,
                   contacts=[person("c1", "Ann"), person("c2", "Bob")])
    assert (done.created, done.unchanged, done.conflicts) == (0, 2, [])
    assert puts() == []


@responses.activate
def test_a_card_gone_from_the_book_is_created_again(store: Store) -> None:
    first_publish(store)
    book_lists(("c1", '"e1"'))
    responses.add("PROPFIND", card_url("c2"), status=404)
    responses.add("PUT", card_url("c2"), status=201, headers={"ETag": '"e9"'})
    done = publish(store, TARGET, password=PASSWORD,
                   contacts=[person("c1", "Ann"), person("c2", "Bob")])
    assert (done.created, done.unchanged) == (1, 1)
    (put,) = puts()
    assert put.headers["If-None-Match"] == "*"
    etag = store.db.execute("SELECT etag FROM published WHERE contact_id='c2'").fetchone()
    assert etag[0] == '"e9"'


@responses.activate
def test_a_book_that_cannot_be_listed_leaves_publish_trusting_its_records(
        store: Store) -> None:
    first_publish(store)
    responses.add("PROPFIND", BOOK, status=207, content_type=XML,
                  body=answer(collection_response(BOOK_PATH)))    # the probe (Depth 0)
    responses.add("PROPFIND", BOOK, status=403)                   # the listing
    done = publish(store, TARGET, password=PASSWORD,
                   contacts=[person("c1", "Ann"), person("c2", "Bob")])
    assert (done.unchanged, done.errors) == (2, [])
    assert puts() == []
