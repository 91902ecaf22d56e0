"""CardDAV operations on top of `Http`: find address books, list, sync, fetch, write.

Every href leaving this module is normalized (`xml.normalize_href`: absolute path,
percent-decoded) so that the connector, the store and publish compare one form;
`url_for` turns it back into a request URL on the configured server.

Discovery follows RFC 6352 section 7 / RFC 6764: the URL itself when it is an
address book; else its `addressbook-home-set`, or its `current-user-principal`'s;
else the same from `/.well-known/carddav`; then the address books one level below
the home set.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from reseausync.errors import SourceError

from .http import Answer, Http, HttpStatusError, redact
from .xml import (
    ADDRESSBOOK_HOME_SET,
    CURRENT_USER_PRINCIPAL,
    GETETAG,
    RESOURCETYPE,
    DavResponse,
    XmlError,
    error_names,
    multiget_body,
    normalize_href,
    parse_multistatus,
    propfind_body,
    sync_collection_body,
)

log = logging.getLogger(__name__)

XML_HEADERS = {"Content-Type": 'application/xml; charset="utf-8"'}
# Statuses by which servers say "no such REPORT here" (RFC 6578 section 3.5, and
# what servers without sync-collection actually answer).
SYNC_UNSUPPORTED = (400, 403, 404, 405, 409, 412, 415, 422, 501)
# RFC 6578 truncation (507): paging goes on while each page brings cards not seen
# in this sync; a page that brings none (a server looping) or this many pages end
# it, and the book is listed with PROPFIND instead. Counting pages alone failed
# every book larger than 100 x the server's page size (Nextcloud truncates).
MAX_SYNC_PAGES = 100_000


class SyncTokenRejected(Exception):
    """The server no longer accepts the token (valid-sync-token precondition)."""


class SyncUnsupported(Exception):
    """The collection does not do sync-collection: list with PROPFIND instead."""


@dataclass
class SyncResult:
    token: str
    changed: dict[str, str] = field(default_factory=dict)   # href -> etag
    deleted: set[str] = field(default_factory=set)


class CardDavClient:
    def __init__(self, http: Http, base_url: str) -> None:
        self.http = http
        self.base_url = base_url
        parts = urlsplit(base_url)
        self._origin = (parts.scheme, parts.netloc)

    # urls ------------------------------------------------------------------

    def url_for(self, href: str) -> str:
        """A request URL for a normalized href (or any href) on the configured server."""
        path = normalize_href(self.base_url, href)
        return urlunsplit((*self._origin, quote(path, safe="/:@!$&'()*+,;=~"), "", ""))

    def _multistatus(self, answer: Answer, what: str):
        try:
            return parse_multistatus(answer.body, answer.content_type)
        except XmlError as exc:
            raise SourceError(f"{self.http.source}: {what} at {redact(answer.url)}: {exc}",
                              hint="check that `url` points at a CardDAV server") from None

    def propfind(self, url: str, props: Iterable[str], depth: str) -> Answer:
        return self.http.request("PROPFIND", url, body=propfind_body(*props),
                                 headers={**XML_HEADERS, "Depth": depth})

    # discovery -------------------------------------------------------------

    def find_addressbooks(self, url: str) -> list[str]:
        """The address-book URLs to pull from `url` (an address book or a root)."""
        specific = bool(urlsplit(url).path.strip("/"))
        for candidate in (url, urljoin(url, "/.well-known/carddav")):
            try:
                books = self._books_from(candidate)
            except HttpStatusError as exc:
                if exc.status == 404 and specific and candidate == url:
                    # a mistyped, renamed or deleted book: never fall back to every
                    # book of the account (the published one among them)
                    raise SourceError(
                        f"{self.http.source}: no address book at {redact(url)} (404)",
                        hint="check `url`: the address book may have been renamed or "
                             "deleted") from None
                if exc.status in (404, 405, 501) and candidate == url:
                    continue
                raise
            if books:
                return books
            if candidate == url and specific:
                break     # a specific path that is no address book: do not guess further
        raise SourceError(
            f"{self.http.source}: no address book found at {redact(url)}",
            hint="give the address book's own URL in `url`")

    def _books_from(self, url: str) -> list[str]:
        props = (RESOURCETYPE, CURRENT_USER_PRINCIPAL, ADDRESSBOOK_HOME_SET)
        answer = self.propfind(url, props, "0")
        here = self._first(answer, "PROPFIND")
        if here is None:
            return []
        if here.is_addressbook():
            return [self.url_for(answer.url)]
        home = here.href_in(ADDRESSBOOK_HOME_SET)
        if home is None:
            principal = here.href_in(CURRENT_USER_PRINCIPAL)
            if principal is None:
                return []
            principal_url = self.url_for(urljoin(answer.url, principal))
            found = self._first(self.propfind(principal_url, (ADDRESSBOOK_HOME_SET,), "0"),
                                "PROPFIND")
            home = found.href_in(ADDRESSBOOK_HOME_SET) if found else None
            if home is None:
                return []
        home_url = self.url_for(urljoin(answer.url, home))
        listing = self._multistatus(self.propfind(home_url, (RESOURCETYPE,), "1"), "PROPFIND")
        home_path = normalize_href(home_url, home_url)
        books = [self.url_for(r.href) for r in listing.responses
                 if r.is_addressbook() and normalize_href(home_url, r.href) != home_path]
        if not books and here.is_addressbook():
            books = [home_url]
        return sorted(books)

    def _first(self, answer: Answer, what: str) -> DavResponse | None:
        status = self._multistatus(answer, what)
        return status.responses[0] if status.responses else None

    # listing ---------------------------------------------------------------

    def list_etags(self, book: str) -> dict[str, str]:
        """Every card in `book` with its ETag (PROPFIND Depth 1)."""
        answer = self.propfind(book, (RESOURCETYPE, GETETAG), "1")
        status = self._multistatus(answer, "PROPFIND")
        book_path = normalize_href(book, book)
        cards: dict[str, str] = {}
        for response in status.responses:
            href = normalize_href(book, response.href)
            if href == book_path or href.endswith("/") or response.status == 404:
                continue
            etag = response.text(GETETAG)
            if etag is None or response.is_addressbook():
                continue
            cards[href] = etag
        return cards

    def sync(self, book: str, token: str) -> SyncResult:
        """RFC 6578 sync-collection from `token` ("" for the initial full listing)."""
        result = SyncResult(token=token)
        book_path = normalize_href(book, book)
        for _ in range(MAX_SYNC_PAGES):
            answer = self.http.request(
                "REPORT", book, body=sync_collection_body(result.token),
                headers={**XML_HEADERS, "Depth": "0"}, allow=SYNC_UNSUPPORTED)
            if answer.status != 207:
                names = error_names(answer.body)
                if result.token and (any(n.endswith("valid-sync-token") for n in names)
                                     or answer.status in (403, 409, 412)):
                    raise SyncTokenRejected(answer.status)
                raise SyncUnsupported(answer.status)
            try:
                status = parse_multistatus(answer.body, answer.content_type)
            except XmlError as exc:
                raise SyncUnsupported(str(exc)) from None
            if status.sync_token is None:
                raise SyncUnsupported("no sync-token in the answer")
            before = len(result.changed) + len(result.deleted)
            truncated = False
            for response in status.responses:
                href = normalize_href(book, response.href)
                if href == book_path:
                    truncated = truncated or response.status == 507
                    continue
                if href.endswith("/"):
                    continue
                if response.status == 404:
                    result.deleted.add(href)
                    result.changed.pop(href, None)
                    continue
                etag = response.text(GETETAG)
                if etag is not None:
                    result.changed[href] = etag
                    result.deleted.discard(href)
            result.token = status.sync_token
            if not truncated:
                return result
            if len(result.changed) + len(result.deleted) == before:
                break
        log.info("%s: sync-collection on %s stopped making progress (truncated, no new "
                 "card); listing with PROPFIND", self.http.source, redact(book))
        raise SyncUnsupported("truncated without progress")

    # cards -----------------------------------------------------------------

    def multiget(self, book: str, hrefs: list[str]) -> dict[str, DavResponse]:
        """addressbook-multiget of `hrefs`; answers keyed by normalized href."""
        paths = [urlsplit(self.url_for(h)).path for h in hrefs]
        answer = self.http.request("REPORT", book, body=multiget_body(paths),
                                   headers={**XML_HEADERS, "Depth": "1"})
        status = parse_multistatus(answer.body, answer.content_type)   # XmlError: caller
        return {normalize_href(book, r.href): r for r in status.responses}

    def get(self, href: str) -> Answer:
        return self.http.request("GET", self.url_for(href), allow=(404, 410))

    def put(self, href: str, body: str, *, etag: str | None) -> Answer:
        """PUT a vCard: If-None-Match: * when `etag` is None (create only), else
        If-Match: etag (replace only what we last saw). 412 is returned, not raised."""
        headers = {"Content-Type": "text/vcard; charset=utf-8"}
        if etag is None:
            headers["If-None-Match"] = "*"
        else:
            headers["If-Match"] = etag
        return self.http.request("PUT", self.url_for(href), body=body, headers=headers,
                                 allow=(412,))

    def delete(self, href: str, etag: str) -> Answer:
        return self.http.request("DELETE", self.url_for(href), headers={"If-Match": etag},
                                 allow=(404, 410, 412))

    def etag_of(self, href: str) -> str | None:
        """The current ETag of one card (when a PUT answer carried none)."""
        answer = self.http.request("PROPFIND", self.url_for(href),
                                   body=propfind_body(GETETAG),
                                   headers={**XML_HEADERS, "Depth": "0"}, allow=(404,))
        if answer.status == 404:
            return None
        first = self._first(answer, "PROPFIND")
        return first.text(GETETAG) if first else None

