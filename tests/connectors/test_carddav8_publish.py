"""QA8 #2, #3, #4 on the publish side.

#2 Google's CardDAV stores a new card under a name of its own (201 + Location):
   the name we asked for was recorded, never listed, so each publish wrote every
   card again (3 publishes, 3 copies of each person on the phones).
#3 A 403 to a PUT or DELETE (a read-only book, CARDDAV:no-uid-conflict) was "wrong
   password" and stopped the publish, run after run.
#4 A server listing no getetag: every card looked gone, was re-created, 412, and
   was reported as someone else's.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import responses
from hypothesis import given
from hypothesis import strategies as st

from reseausync.errors import ReseausyncError, SourceError
from reseausync.publish import card_uid, publish
from reseausync.store import Store

from ..carddav8_server import BOOK, DavServer
from .carddav_fakes import BOOK as FAKE_BOOK
from .carddav_fakes import (  # noqa: F401 (dav_password: an autouse fixture)
    BOOK_PATH,
    PASSWORD,
    PASSWORD_ENV,
    XML,
    collection_response,
    dav_password,
    multistatus,
    person,
)

PEOPLE = [person("c1", "Ann"), person("c2", "Bob"), person("c3", "Chloé")]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "d.db")


@pytest.fixture
def google() -> Iterator[DavServer]:
    dav = DavServer(google_put=True)
    yield dav
    dav.stop()


def target(url: str) -> dict:
    return {"connector": "carddav", "url": url, "username": "marie",
            "password_env": PASSWORD_ENV}


def hrefs(store: Store) -> dict[str, str]:
    return dict(store.db.execute("SELECT contact_id, href FROM published").fetchall())


def test_a_card_stored_under_the_servers_name_is_recorded_there(
        google: DavServer, store: Store) -> None:
    first = publish(store, target(google.url()), contacts=PEOPLE)
    assert first.created == 3 and len(google.cards) == 3
    assert set(hrefs(store).values()) == {BOOK + name for name in google.cards}
    for _ in range(2):
        again = publish(store, target(google.url()), contacts=PEOPLE)
        assert (again.created, again.unchanged) == (0, 3)
    assert len(google.cards) == 3

    changed = publish(store, target(google.url()), contacts=[person("c1", "Anne"),
                                                             *PEOPLE[1:2]])
    assert (changed.updated, changed.deleted, changed.created) == (1, 1, 0)
    assert len(google.cards) == 2 and any("Anne" in t for _, t in google.cards.values())


def test_a_card_of_ours_under_another_name_is_taken_over_not_copied(
        google: DavServer, store: Store) -> None:
    """Rows an earlier version recorded under our own name (never listed): the card
    holding the contact's UID is found and taken over; no fourth copy."""
    publish(store, target(google.url()), contacts=PEOPLE)
    with store.transaction() as db:
        for cid in ("c1", "c2", "c3"):
            db.execute("UPDATE published SET href=? WHERE contact_id=?",
                       (f"{BOOK}{card_uid(cid)}.vcf", cid))
    again = publish(store, target(google.url()), contacts=PEOPLE)
    assert again.created == 0 and again.unchanged == 3
    assert len(google.cards) == 3
    assert set(hrefs(store).values()) == {BOOK + name for name in google.cards}


def test_a_card_with_our_uid_that_we_never_wrote_is_left_alone(
        google: DavServer, store: Store) -> None:
    google.put("foreign.vcf", f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{card_uid('c1')}\r\n"
                              "FN:Someone\r\nEND:VCARD\r\n")
    result = publish(store, target(google.url()), contacts=PEOPLE[:1])
    assert result.created == 0 and len(result.conflicts) == 1
    assert "foreign.vcf" in result.conflicts[0] and len(google.cards) == 1


def test_a_book_without_etags_keeps_our_cards(store: Store) -> None:
    dav = DavServer(omit_etag=True)
    try:
        first = publish(store, target(dav.url()), contacts=PEOPLE)
        assert first.created == 3
        again = publish(store, target(dav.url()), contacts=PEOPLE)
        assert (again.unchanged, again.created, again.conflicts) == (3, 0, [])
        gone = publish(store, target(dav.url()), contacts=PEOPLE[:1])
        assert gone.deleted == 2 and len(dav.cards) == 1
    finally:
        dav.stop()


def book_exists() -> None:
    responses.add("PROPFIND", FAKE_BOOK, status=207, content_type=XML,
                  body=multistatus(collection_response(BOOK_PATH)))


def card_url(cid: str) -> str:
    return f"{FAKE_BOOK}{card_uid(cid)}.vcf"


def refusal(name: str, ns: str = "urn:ietf:params:xml:ns:carddav") -> str:
    return ('<?xml version="1.0" encoding="utf-8"?><D:error xmlns:D="DAV:" '
            f'xmlns:C="{ns}"><C:{name}><D:href>/x/old.vcf</D:href></C:{name}></D:error>')


TARGET = {"connector": "carddav", "url": FAKE_BOOK, "username": "marie"}


@responses.activate
def test_a_403_precondition_refuses_that_card_and_the_others_go_on(store: Store) -> None:
    book_exists()
    responses.add("PUT", card_url("c1"), status=201, headers={"ETag": '"e1"'})
    responses.add("PUT", card_url("c2"), status=403, content_type=XML,
                  body=refusal("no-uid-conflict"))
    responses.add("PUT", card_url("c3"), status=201, headers={"ETag": '"e3"'})
    result = publish(store, TARGET, password=PASSWORD, contacts=PEOPLE)
    assert result.created == 2 and len(result.errors) == 1
    assert "c2" in result.errors[0] and "no-uid-conflict" in result.errors[0]
    assert "password" not in result.errors[0]
    assert set(hrefs(store)) == {"c1", "c3"}


@responses.activate
def test_a_book_refusing_every_write_is_called_read_only(store: Store) -> None:
    book_exists()
    many = [person(f"c{i}", f"P{i}") for i in range(12)]
    for one in many:
        responses.add("PUT", card_url(one["id"]), status=403, content_type=XML,
                      body=refusal("need-privileges", "DAV:"))
    with pytest.raises(ReseausyncError, match="read-only for this user") as info:
        publish(store, TARGET, password=PASSWORD, contacts=many)
    assert "need-privileges" in str(info.value) and "password" not in str(info.value)
    puts = [c for c in responses.calls if c.request.method == "PUT"]
    assert len(puts) == 5                  # stopped: 12 refusals say nothing more
    assert hrefs(store) == {}


def test_one_card_refused_alone_is_no_read_only_book(store: Store) -> None:
    """A no-uid-conflict is that card's: when it is the only write of a publish
    (the others unchanged), the publish still ends, reporting that card refused."""
    dav = DavServer(refuse="Bob")
    try:
        first = publish(store, target(dav.url()), contacts=PEOPLE)
        assert first.created == 2 and len(first.errors) == 1 and "c2" in first.errors[0]
        again = publish(store, target(dav.url()), contacts=PEOPLE)
        assert (again.unchanged, len(again.errors)) == (2, 1)
        assert "no-uid-conflict" in again.errors[0]
    finally:
        dav.stop()


@responses.activate
def test_a_403_on_delete_refuses_that_card_and_keeps_its_row(store: Store) -> None:
    book_exists()
    responses.add("PUT", card_url("c1"), status=201, headers={"ETag": '"e1"'})
    responses.add("PUT", card_url("c2"), status=201, headers={"ETag": '"e2"'})
    publish(store, TARGET, password=PASSWORD, contacts=PEOPLE[:2])
    responses.add("DELETE", card_url("c1"), status=403)
    responses.add("DELETE", card_url("c2"), status=204)
    result = publish(store, TARGET, password=PASSWORD, contacts=[])
    assert result.deleted == 1 and len(result.errors) == 1 and "403" in result.errors[0]
    assert set(hrefs(store)) == {"c1"}


@responses.activate
def test_a_403_on_a_read_is_still_an_access_error(store: Store) -> None:
    responses.add("PROPFIND", FAKE_BOOK, status=403)
    with pytest.raises(SourceError, match="refused access"):
        publish(store, TARGET, password=PASSWORD, contacts=PEOPLE)


@given(st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=200)
       .filter(lambda u: u.strip() == u), st.sampled_from(["UID", "uid", "UID;VALUE=text"]))
def test_a_cards_uid_is_read_back_folded_or_not(uid: str, name: str) -> None:
    """The UID the publish finds a card of ours by, read from the card's text as a
    server returns it: folded at 75 characters, CRLF or LF, any property case."""
    from reseausync_connectors.carddav.target import _uid_of

    line = f"{name}:{uid}"
    folded = "\r\n ".join(line[i:i + 74] for i in range(0, len(line), 74))
    text = f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:X\r\n{folded}\r\nEND:VCARD\r\n"
    assert _uid_of(text) == uid
    assert _uid_of(text.replace("\r\n", "\n")) == uid
