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
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from reseausync.errors import SourceError

from .http import Answer, Http, HttpStatusError, redact
from .xml import (
    ADDRESSBOOK_HOME_SET,
    CURRENT_USER_PRINCIPAL,
    DISPLAYNAME,
    GETETAG,
    GETLASTMODIFIED,
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
# The fingerprint of a listed card the server gives no ETag for (SmarterMail, Kerio:
# QA8 #4). Dropping such a card read a whole book as empty. Its last-modified date
# stands in when there is one; else a marker new at every listing, so the card is
# fetched again at each sync rather than never.
LAST_MODIFIED = "last-modified:"
NO_ETAG = "no-etag:"
# Books Nextcloud generates in every account home: the instance's users and the
# people lately written to (QA8 #5). Read only when named (`url` or `books`).
GENERATED_BOOKS = ("z-server-generated--", "z-app-generated--")


def real_etag(fingerprint: str) -> str:
    """The ETag in a listing's fingerprint, "" for a card the server gave none."""
    return "" if fingerprint.startswith((LAST_MODIFIED, NO_ETAG)) else fingerprint


def collection_url(url: str) -> str:
    """A collection's URL with its trailing slash: servers write a book's own href
    so, and compared without it the 507 that truncates a sync went unseen (QA8 #1)."""
    parts = urlsplit(url)
    if parts.path.endswith("/"):
        return url
    return urlunsplit((*parts[:2], parts.path + "/", parts.query, parts.fragment))


def book_name(url: str) -> str:
    """A book's last path segment, percent-decoded: what `books` names it by."""
    return normalize_href(url, url).rstrip("/").rsplit("/", 1)[-1]


class ListingCut(SourceError):
    """A PROPFIND listing the server cut short (507): read as whole, it would remove
    every card past the cut."""


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
        self._nonce = str(time.time_ns())
        # what the last find_addressbooks saw: display names, and whether the books
        # came from an account's home (the URL was no book itself)
        self.displaynames: dict[str, str] = {}
        self.from_home = False

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
            return [self.url_for(collection_url(answer.url))]
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
        return self._home_books(self.url_for(collection_url(urljoin(answer.url, home))))

    def _home_books(self, home_url: str) -> list[str]:
        """The address books one level below an account's home, with their names."""
        listing = self._multistatus(self.propfind(home_url, (RESOURCETYPE, DISPLAYNAME), "1"),
                                    "PROPFIND")
        home_path = normalize_href(home_url, home_url).rstrip("/")
        books = []
        for response in listing.responses:
            if (not response.is_addressbook()
                    or normalize_href(home_url, response.href).rstrip("/") == home_path):
                continue
            url = self.url_for(collection_url(response.href))
            books.append(url)
            if response.text(DISPLAYNAME):
                self.displaynames[url] = (response.text(DISPLAYNAME) or "").strip()
        self.from_home = True
        return sorted(books)

    def _first(self, answer: Answer, what: str) -> DavResponse | None:
        status = self._multistatus(answer, what)
        return status.responses[0] if status.responses else None

    # listing ---------------------------------------------------------------

    def fingerprint(self, response: DavResponse) -> str:
        """A listed card's ETag, else its stand-in (LAST_MODIFIED, NO_ETAG): a card
        is never dropped from a listing for want of an ETag."""
        etag = response.text(GETETAG)
        if etag:
            return etag
        modified = response.text(GETLASTMODIFIED)
        if modified:
            return LAST_MODIFIED + modified.strip()
        return NO_ETAG + self._nonce

    def list_etags(self, book: str) -> dict[str, str]:
        """Every card in `book` with its fingerprint (PROPFIND Depth 1); ListingCut
        when the server says it left some out (507)."""
        answer = self.propfind(book, (RESOURCETYPE, GETETAG, GETLASTMODIFIED), "1")
        status = self._multistatus(answer, "PROPFIND")
        book_path = normalize_href(book, book).rstrip("/")
        cards: dict[str, str] = {}
        for response in status.responses:
            if response.status == 507:
                raise ListingCut(
                    f"{self.http.source}: the server cut its listing of {redact(book)} "
                    "short (HTTP 507); nothing was changed",
                    hint="the server limits its answers: raise that limit, or split "
                         "the address book")
            href = normalize_href(book, response.href)
            if (href.rstrip("/") == book_path or href.endswith("/")
                    or response.status == 404 or response.is_collection()):
                continue
            cards[href] = self.fingerprint(response)
        return cards

    def sync(self, book: str, token: str) -> SyncResult:
        """RFC 6578 sync-collection from `token` ("" for the initial full listing)."""
        result = SyncResult(token=token)
        book_path = normalize_href(book, book).rstrip("/")
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
                # RFC 6578 puts the 507 on the request URI; whatever href a server
                # writes it with, the answer is partial (QA8 #1)
                if response.status == 507:
                    truncated = True
                    continue
                href = normalize_href(book, response.href)
                if href.rstrip("/") == book_path or href.endswith("/"):
                    continue
                if response.status == 404:
                    result.deleted.add(href)
                    result.changed.pop(href, None)
                    continue
                if response.is_collection():
                    continue
                result.changed[href] = self.fingerprint(response)
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
        """The current ETag of one card (when a PUT answer carried none), None when
        the card is not there. A server that lists no ETag is asked for the card
        itself, whose ETag header it may give; "" when it gives none at all."""
        answer = self.http.request("PROPFIND", self.url_for(href),
                                   body=propfind_body(GETETAG),
                                   headers={**XML_HEADERS, "Depth": "0"}, allow=(404, 410))
        if answer.status in (404, 410):
            return None
        first = self._first(answer, "PROPFIND")
        if first is None or first.status in (404, 410):
            return None
        etag = first.text(GETETAG)
        if etag:
            return etag
        got = self.get(href)
        return None if got.status in (404, 410) else got.headers.get("ETag", "")

