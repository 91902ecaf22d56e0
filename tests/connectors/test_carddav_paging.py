"""sync-collection truncated (RFC 6578, 507) into many pages (qa3_dav F4).

Paging stopped after 100 pages and failed the source ("kept truncating"), though
every page brought new cards: a book larger than 100 x the server's page size could
never be read. Paging now goes on while pages bring new cards, and a server that
loops without progress gets a PROPFIND listing instead.
"""

from __future__ import annotations

import re

import responses

from reseausync.connector import ReadContext
from reseausync_connectors.carddav import CardDavConnector

from .carddav_fakes import (  # noqa: F401 (dav_password: an autouse fixture)
    BOOK,
    BOOK_PATH,
    PASSWORD,
    PASSWORD_ENV,
    XML,
    collection_response,
    dav_password,
    etag_response,
    multistatus,
)

CARDS = [f"{BOOK_PATH}c{i:04d}.vcf" for i in range(250)]


def truncated(href: str) -> str:
    return (f"<d:response><d:href>{href}</d:href>"
            "<d:status>HTTP/1.1 507 Insufficient Storage</d:status></d:response>")


class PagingServer:
    """A server answering `page` changes per sync-collection, as Nextcloud does."""

    def __init__(self, page: int, stuck: bool = False) -> None:
        self.page = page
        self.stuck = stuck           # always the first page: no progress ever
        self.reports = 0

    def report(self, request):
        self.reports += 1
        body = request.body.decode() if isinstance(request.body, bytes) else request.body
        found = re.search(r"<d:sync-token>(\d+)</d:sync-token>", body)
        start = 0 if self.stuck or not found else int(found.group(1))
        end = min(start + self.page, len(CARDS))
        items = [etag_response(h, '"1"') for h in CARDS[start:end]]
        if end < len(CARDS):
            items.append(truncated(BOOK_PATH))
        return 207, {"Content-Type": XML}, multistatus(*items, token=str(end))

    def register(self) -> None:
        responses.add_callback("REPORT", BOOK, callback=self.report)
        responses.add("PROPFIND", BOOK, status=207, content_type=XML,
                      body=multistatus(collection_response(BOOK_PATH)))
        responses.add("PROPFIND", BOOK, status=207, content_type=XML, body=multistatus(
            collection_response(BOOK_PATH), *[etag_response(h, '"1"') for h in CARDS]))


def connector() -> CardDavConnector:
    conn = CardDavConnector({"url": BOOK, "username": "marie", "password_env": PASSWORD_ENV},
                            ReadContext(source="team"))
    conn.http.sleep = lambda seconds: None
    return conn


@responses.activate
def test_more_than_100_pages_are_followed() -> None:
    server = PagingServer(page=2)
    server.register()
    conn = connector()
    units = list(conn.discover(BOOK))
    assert [u.id for u in units] == CARDS
    assert server.reports == 125 and conn.stats["listing"] == "sync-initial"


@responses.activate
def test_a_server_truncating_without_progress_is_listed_with_propfind() -> None:
    server = PagingServer(page=2, stuck=True)
    server.register()
    conn = connector()
    units = list(conn.discover(BOOK))
    assert [u.id for u in units] == CARDS
    assert server.reports == 2 and conn.stats["listing"] == "propfind"
