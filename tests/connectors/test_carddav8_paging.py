"""QA8 #1: a book URL without its trailing slash ignored the server's 507 truncation.

The server writes the book's own 507 response as `/…/contacts/`; compared with the
slashless configured URL it was skipped as "some collection", so the first page of
a truncated sync-collection was taken as the whole book: 30 of 100 contacts read,
and when a full listing was needed again (token rejected) 40 contacts removed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import responses

from reseausync.connector import ReadContext
from reseausync.errors import SourceError
from reseausync.pipeline import run_source
from reseausync.store import Store
from reseausync_connectors.carddav import CardDavConnector
from reseausync_connectors.carddav.client import CardDavClient

from ..carddav8_server import BOOK, DavServer
from .carddav_fakes import BOOK as FAKE_BOOK
from .carddav_fakes import (  # noqa: F401 (dav_password: an autouse fixture)
    BOOK_PATH,
    PASSWORD_ENV,
    XML,
    collection_response,
    dav_password,
    etag_response,
    multistatus,
)


def vcard(i: int) -> str:
    return (f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:u{i:04d}\r\nFN:Person {i:04d}\r\n"
            f"EMAIL:p{i:04d}@example.org\r\nEND:VCARD\r\n")


@pytest.fixture
def server() -> Iterator[DavServer]:
    dav = DavServer(page=30)
    for i in range(100):
        dav.put(f"u{i:04d}.vcf", vcard(i))
    yield dav
    dav.stop()


def pull(store: Store, url: str) -> tuple[dict, CardDavConnector]:
    conn = CardDavConnector({"url": url, "username": "marie", "password_env": PASSWORD_ENV},
                            ReadContext(source="team"))
    conn.http.sleep = lambda _s: None
    result = run_source(store, conn, [url], command="sync", full_listing=True)
    return result.counts, conn


def test_a_slashless_book_url_follows_every_page(server: DavServer, tmp_path: Path) -> None:
    store = Store.open(tmp_path / "d.db")
    url = server.url(BOOK.rstrip("/"))
    counts, conn = pull(store, url)
    assert counts["added"] == 100 and conn.stats["listing"] == "sync-initial"
    reports = [r for r in server.requests if r[0] == "REPORT"]
    assert len(reports) >= 4          # 4 pages of 30, then the multigets


def test_a_full_listing_after_a_rejected_token_removes_nothing(
        server: DavServer, tmp_path: Path) -> None:
    store = Store.open(tmp_path / "d.db")
    url = server.url(BOOK.rstrip("/"))
    pull(store, url)
    server.modes.update(token_reject=True, page=60)
    counts, conn = pull(store, url)
    assert (counts["removed"], counts["unchanged"]) == (0, 100)
    assert conn.stats["listing"] in ("sync-initial", "propfind")


def test_a_cursor_saved_under_the_slashless_url_still_serves(
        server: DavServer, tmp_path: Path) -> None:
    """The book's URL now ends in `/`; the cursor an earlier version saved under the
    URL as configured is found all the same: a delta, not a whole listing."""
    store = Store.open(tmp_path / "d.db")
    url = server.url(BOOK.rstrip("/"))
    pull(store, url)
    cursor = store.get_meta("cursor:team")
    assert server.url(BOOK) in cursor
    store.set_meta("cursor:team", cursor.replace(server.url(BOOK), url))
    counts, conn = pull(store, url)
    assert conn.stats["listing"] == "sync-delta" and counts["unchanged"] == 100


def cut_short(href: str) -> str:
    return (f"<d:response><d:href>{href}</d:href>"
            "<d:status>HTTP/1.1 507 Insufficient Storage</d:status></d:response>")


def client() -> CardDavClient:
    conn = CardDavConnector({"url": FAKE_BOOK, "username": "marie",
                             "password_env": PASSWORD_ENV}, ReadContext(source="team"))
    return conn.client()


@responses.activate
def test_a_507_under_any_href_is_truncation() -> None:
    """A server writing its 507 with the full URL, or with another spelling of the
    book, still truncated the answer: the next page is asked for."""
    first = multistatus(etag_response(f"{BOOK_PATH}a.vcf", '"1"'),
                        cut_short("https://dav.example.test/dav/marie/contacts;x"),
                        token="t1")
    second = multistatus(etag_response(f"{BOOK_PATH}b.vcf", '"1"'), token="t2")
    responses.add("REPORT", FAKE_BOOK, status=207, content_type=XML, body=first)
    responses.add("REPORT", FAKE_BOOK, status=207, content_type=XML, body=second)
    result = client().sync(FAKE_BOOK, "")
    assert sorted(result.changed) == [f"{BOOK_PATH}a.vcf", f"{BOOK_PATH}b.vcf"]
    assert result.token == "t2"


@responses.activate
def test_a_propfind_listing_cut_short_is_an_error_not_a_smaller_book() -> None:
    body = multistatus(collection_response(BOOK_PATH),
                       etag_response(f"{BOOK_PATH}a.vcf", '"1"'), cut_short(BOOK_PATH))
    responses.add("PROPFIND", FAKE_BOOK, status=207, content_type=XML, body=body)
    with pytest.raises(SourceError, match="507"):
        client().list_etags(FAKE_BOOK)
