"""A source never reads the [publish] address book back (qa3_dav F2).

With the account's URL as a source `url`, discovery listed every book, the published
one among them: each published card came back as a record of its own contact, so a
person deleted from the source was never removed.
"""

from __future__ import annotations

import pytest
import responses

from reseausync.api import read_context
from reseausync.config import Settings
from reseausync.connector import ReadContext
from reseausync.errors import SourceError
from reseausync_connectors.carddav import CardDavConnector
from reseausync_connectors.carddav.connector import same_book

from .carddav_fakes import (  # noqa: F401 (dav_password: an autouse fixture)
    BOOK,
    BOOK_PATH,
    PASSWORD,
    PASSWORD_ENV,
    SERVER,
    XML,
    collection_response,
    dav_password,
    etag_response,
    multistatus,
)

HOME = f"{SERVER}/dav/marie/"
CLEAN_PATH = "/dav/marie/clean/"
CLEAN = SERVER + CLEAN_PATH


def connector(url: str, publish_target: str) -> CardDavConnector:
    conn = CardDavConnector({"url": url, "username": "marie", "password_env": PASSWORD_ENV},
                            ReadContext(source="team", publish_target=publish_target))
    conn.http.sleep = lambda seconds: None
    return conn


def account_with_two_books() -> None:
    responses.add("PROPFIND", HOME, status=207, content_type=XML, body=multistatus(
        collection_response("/dav/marie/", False, (
            "<card:addressbook-home-set><d:href>/dav/marie/</d:href>"
            "</card:addressbook-home-set>"))))
    responses.add("PROPFIND", HOME, status=207, content_type=XML,
                  body=multistatus(collection_response("/dav/marie/", False),
                                   collection_response(BOOK_PATH),
                                   collection_response(CLEAN_PATH)))
    responses.add("REPORT", BOOK, status=207, content_type=XML,
                  body=multistatus(etag_response(BOOK_PATH + "a.vcf", '"1"'), token="t1"))
    responses.add("REPORT", CLEAN, status=207, content_type=XML, body=multistatus(
        etag_response(CLEAN_PATH + "reseausync-c1.vcf", '"p"'), token="t2"))


@responses.activate
def test_an_account_url_skips_the_publish_book() -> None:
    account_with_two_books()
    units = list(connector(HOME, "https://DAV.example.test:443/dav/marie/clean").discover(HOME))
    assert [u.id for u in units] == [BOOK_PATH + "a.vcf"]
    assert not [c for c in responses.calls if c.request.url == CLEAN]


@responses.activate
def test_without_publish_every_book_of_the_account_is_read() -> None:
    account_with_two_books()
    units = list(connector(HOME, "").discover(HOME))
    assert {u.id for u in units} == {BOOK_PATH + "a.vcf", CLEAN_PATH + "reseausync-c1.vcf"}


@responses.activate
def test_a_source_url_that_is_the_publish_book_is_refused_before_any_request() -> None:
    conn = connector(BOOK, BOOK.rstrip("/"))
    with pytest.raises(SourceError, match=r"is the \[publish\] address book") as info:
        conn.check(BOOK)
    assert "[publish] url" in info.value.hint
    assert not responses.calls


def test_the_run_context_carries_the_publish_url() -> None:
    settings = Settings(publish={"connector": "carddav", "url": CLEAN, "username": "m"})
    assert read_context("team", settings).publish_target == CLEAN
    assert read_context("team", Settings()).publish_target == ""


def test_same_book() -> None:
    assert same_book("http://h/a/b/", "http://H:80/a/b")
    assert same_book("https://h/a%20b/", "https://h:443/a b/")
    assert not same_book("http://h/a/b/", "https://h/a/b/")
    assert not same_book("http://h/a/b/", "http://h/a/")
