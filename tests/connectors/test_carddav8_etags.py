"""QA8 #4: a server that lists cards without `getetag` (SmarterMail, Kerio).

Each listed card without an ETag was dropped: a fresh directory read 0 contacts
and an existing one was told to remove them all. Such a card now stands in the
listing with its last-modified date, else with a marker new at every listing (the
card is fetched at every sync), and `check` says the server gives no ETags.
"""

from __future__ import annotations

from pathlib import Path

import responses

from reseausync.connector import ReadContext
from reseausync.pipeline import run_source
from reseausync.store import Store
from reseausync_connectors.carddav import CardDavConnector

from ..carddav8_server import DavServer
from .carddav_fakes import (  # noqa: F401 (dav_password: an autouse fixture)
    BOOK,
    BOOK_PATH,
    PASSWORD_ENV,
    XML,
    collection_response,
    dav_password,
    etag_response,
    multistatus,
)


def connector(url: str = BOOK) -> CardDavConnector:
    conn = CardDavConnector({"url": url, "username": "marie", "password_env": PASSWORD_ENV},
                            ReadContext(source="team"))
    conn.http.sleep = lambda _s: None
    return conn


def bare(href: str, modified: str = "") -> str:
    """A listed card with no getetag (a getlastmodified when given)."""
    prop = f"<d:getlastmodified>{modified}</d:getlastmodified>" if modified else ""
    return (f"<d:response><d:href>{href}</d:href><d:propstat><d:prop><d:resourcetype/>"
            f"{prop}</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>"
            "</d:response>")


DATE = "Mon, 06 Jan 2025 10:00:00 GMT"


@responses.activate
def test_a_propfind_listing_without_etags_keeps_every_card() -> None:
    responses.add("REPORT", BOOK, status=415)
    responses.add("PROPFIND", BOOK, status=207, content_type=XML,
                  body=multistatus(collection_response(BOOK_PATH)))
    responses.add("PROPFIND", BOOK, status=207, content_type=XML, body=multistatus(
        collection_response(BOOK_PATH), bare(f"{BOOK_PATH}a.vcf", DATE),
        bare(f"{BOOK_PATH}b.vcf"), etag_response(f"{BOOK_PATH}c.vcf", '"3"')))
    from reseausync_connectors.carddav.client import LAST_MODIFIED, NO_ETAG

    conn = connector()
    units = {u.id: u.fingerprint for u in conn.discover(BOOK)}
    assert set(units) == {f"{BOOK_PATH}{n}.vcf" for n in "abc"}
    assert units[f"{BOOK_PATH}a.vcf"] == LAST_MODIFIED + DATE
    assert units[f"{BOOK_PATH}b.vcf"].startswith(NO_ETAG)
    assert units[f"{BOOK_PATH}c.vcf"] == '"3"'


@responses.activate
def test_a_sync_collection_without_etags_keeps_every_card() -> None:
    responses.add("PROPFIND", BOOK, status=207, content_type=XML,
                  body=multistatus(collection_response(BOOK_PATH)))
    responses.add("REPORT", BOOK, status=207, content_type=XML, body=multistatus(
        bare(f"{BOOK_PATH}a.vcf"), bare(f"{BOOK_PATH}b.vcf", DATE), token="t1"))
    conn = connector()
    assert {u.id for u in conn.discover(BOOK)} == {f"{BOOK_PATH}a.vcf", f"{BOOK_PATH}b.vcf"}
    assert conn.stats["listing"] == "sync-initial"


def card(i: int) -> str:
    return (f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:u{i}\r\nFN:Person {i}\r\n"
            f"EMAIL:p{i}@example.org\r\nEND:VCARD\r\n")


def sync(store: Store, dav: DavServer) -> tuple[dict, CardDavConnector]:
    conn = connector(dav.url())
    counts = run_source(store, conn, [dav.url()], command="sync", full_listing=True).counts
    return counts, conn


def test_a_book_without_etags_or_tokens_is_read_whole_each_sync(tmp_path: Path) -> None:
    """Against a server: 20 contacts read (not 0); the next sync removes none and
    reads them again (nothing else tells a changed card); `check` says why."""
    dav = DavServer(omit_etag=True, no_sync=True)
    try:
        for i in range(20):
            dav.put(f"u{i}.vcf", card(i))
        store = Store.open(tmp_path / "d.db")
        for run in range(2):
            counts, conn = sync(store, dav)
            assert counts["removed"] == 0 and conn.stats["bodies_fetched"] == 20
            assert counts["added" if run == 0 else "unchanged"] == 20
        summary = connector(dav.url()).check(dav.url())
        assert "20 card(s)" in summary and "no ETag for 20 card(s)" in summary
        assert "fetched again at every sync" in summary
    finally:
        dav.stop()


def test_a_book_without_etags_with_tokens_reads_what_changed(tmp_path: Path) -> None:
    """With sync tokens the server names what changed: only that is read again."""
    dav = DavServer(omit_etag=True)
    try:
        for i in range(20):
            dav.put(f"u{i}.vcf", card(i))
        store = Store.open(tmp_path / "d.db")
        counts, conn = sync(store, dav)
        assert counts["added"] == 20
        dav.put("u3.vcf", card(3).replace("Person 3", "Personne 3"))
        counts, conn = sync(store, dav)
        assert (counts["updated"], counts["removed"], conn.stats["bodies_fetched"]) == (1, 0, 1)
        assert "no ETag for 20 card(s)" in connector(dav.url()).check(dav.url())
    finally:
        dav.stop()
