"""Publish's exact exchanges: preconditions sent, 412 on delete, refused cards."""

from __future__ import annotations

from pathlib import Path

import pytest
import responses

from reseausync.errors import ConfigError, SourceError, UsageError
from reseausync.publish import card_uid, publish
from reseausync.store import Store

from .carddav_fakes import BOOK, BOOK_PATH, PASSWORD, XML, collection_response, multistatus, person

TARGET = {"connector": "carddav", "url": BOOK, "username": "marie"}


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "d.db")


def book_exists() -> None:
    responses.add("PROPFIND", BOOK, status=207, content_type=XML,
                  body=multistatus(collection_response(BOOK_PATH)))


def card_url(cid: str) -> str:
    return f"{BOOK}{card_uid(cid)}.vcf"


@responses.activate
def test_new_cards_use_if_none_match_and_updates_if_match(store: Store) -> None:
    book_exists()
    responses.add("PUT", card_url("c1"), status=201, headers={"ETag": '"e1"'})
    first = publish(store, TARGET, password=PASSWORD, contacts=[person("c1", "Ann")])
    assert first.created == 1
    put = [c.request for c in responses.calls if c.request.method == "PUT"][0]
    assert put.headers["If-None-Match"] == "*" and "If-Match" not in put.headers
    assert f"UID:{card_uid('c1')}" in put.body.decode()

    responses.add("PUT", card_url("c1"), status=204, headers={"ETag": '"e2"'})
    second = publish(store, TARGET, password=PASSWORD, contacts=[person("c1", "Anne")])
    assert second.updated == 1
    put = [c.request for c in responses.calls if c.request.method == "PUT"][-1]
    assert put.headers["If-Match"] == '"e1"' and "If-None-Match" not in put.headers
    etag = store.db.execute("SELECT etag FROM published").fetchone()[0]
    assert etag == '"e2"'


@responses.activate
def test_delete_refused_with_412_is_a_conflict_and_the_row_stays(store: Store) -> None:
    book_exists()
    responses.add("PUT", card_url("c1"), status=201, headers={"ETag": '"e1"'})
    publish(store, TARGET, password=PASSWORD, contacts=[person("c1", "Ann")])
    responses.add("DELETE", card_url("c1"), status=412)
    result = publish(store, TARGET, password=PASSWORD, contacts=[])
    assert result.deleted == 0 and len(result.conflicts) == 1
    delete = [c.request for c in responses.calls if c.request.method == "DELETE"][0]
    assert delete.headers["If-Match"] == '"e1"'
    row = store.db.execute("SELECT conflict FROM published").fetchone()
    assert row is not None and "not deleted" in row[0]


@responses.activate
def test_a_refused_card_is_an_error_and_the_others_go_on(store: Store) -> None:
    book_exists()
    responses.add("PUT", card_url("c1"), status=400)
    responses.add("PUT", card_url("c2"), status=201, headers={"ETag": '"e2"'})
    result = publish(store, TARGET, password=PASSWORD,
                     contacts=[person("c1", "Ann"), person("c2", "Bob")])
    assert result.created == 1 and len(result.errors) == 1 and "c1" in result.errors[0]


@responses.activate
def test_missing_target_is_created_and_a_plain_folder_is_refused(store: Store) -> None:
    responses.add("PROPFIND", BOOK, status=404)
    responses.add("MKCOL", BOOK, status=201)
    assert publish(store, TARGET, password=PASSWORD, contacts=[]).created == 0
    assert "addressbook" in responses.calls[1].request.body.decode()

    responses.replace("PROPFIND", BOOK, status=207, content_type=XML,
                      body=multistatus(collection_response(BOOK_PATH, addressbook=False)))
    with pytest.raises(SourceError, match="not an address book"):
        publish(store, TARGET, password=PASSWORD, contacts=[])


def test_bad_target_options_are_config_errors(store: Store) -> None:
    with pytest.raises(UsageError, match="connector 'vcard' cannot publish"):
        publish(store, {**TARGET, "connector": "vcard"}, password=PASSWORD)
    with pytest.raises(ConfigError):
        publish(store, {**TARGET, "pasword_env": "X"}, password=PASSWORD)
