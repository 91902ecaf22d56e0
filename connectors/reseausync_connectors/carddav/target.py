"""CardDAV as a publish target: conditional PUT and DELETE on one address book.

The core's publish stage decides what to write and remembers what it wrote;
this module only speaks HTTP: If-None-Match: * to create, If-Match to replace or
delete, a 412 reported as a conflict, a refused card reported as an error for
that card alone.

A 412 is not always someone else's card. A PUT the server carried out but answered
too late (a timeout, then our retry) meets our own first write: the retry of a
create finds the card there, the retry of an update finds a new ETag. So a 412 on
an update, or on a create that had to be sent again, is checked: when the card on
the server already holds what we meant to write, the write is done and its ETag is
returned. The comparison ignores property order and line folding (Radicale stores
a card re-serialized) and PRODID/REV. A create answered 412 at the first attempt
is never adopted: it is another writer's card (a second directory publishing the
same contacts to the same book writes the very same card).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from reseausync.connector import PublishTarget, WriteResult
from reseausync.errors import ConfigError, SourceError

from .client import CardDavClient
from .connector import CardDavOptions, make_http
from .http import Http, HttpStatusError
from .xml import (
    RESOURCETYPE,
    XmlError,
    mkcol_addressbook_body,
    normalize_href,
    parse_multistatus,
    propfind_body,
)

log = logging.getLogger(__name__)
SOURCE = "publish"


class CardDavTarget(PublishTarget):
    def __init__(self, options: dict[str, Any], password: str | None) -> None:
        self.options, self.http = _connect(options, password)
        try:
            self.client = CardDavClient(self.http, self.options.url)
            self.target_id = _ensure_addressbook(self.client, self.options.url)
        except BaseException:
            self.http.close()
            raise
        self.book_path = normalize_href(self.target_id, self.target_id)

    def location_for(self, name: str) -> str:
        return self.book_path + name + ".vcf"

    def put(self, location: str, text: str, etag: str | None) -> WriteResult:
        try:
            answer = self.client.put(location, text, etag=etag)
        except HttpStatusError as exc:
            return WriteResult(error=f"{location}: {exc}")
        if answer.status == 412:
            held = None
            if etag is not None or answer.resent:
                held = self._holding(location, text)
            return WriteResult(etag=held) if held else WriteResult(conflict=True)
        new = answer.headers.get("ETag") or self.client.etag_of(location) or ""
        return WriteResult(etag=new)

    def _holding(self, location: str, text: str) -> str | None:
        """The card's ETag when the server already holds `text` there, else None."""
        try:
            answer = self.client.get(location)
        except HttpStatusError:
            return None
        if answer.status != 200 or not same_card(answer.text(), text):
            return None
        return answer.headers.get("ETag") or self.client.etag_of(location)

    def delete(self, location: str, etag: str) -> WriteResult:
        try:
            answer = self.client.delete(location, etag)
        except HttpStatusError as exc:
            return WriteResult(error=f"{location}: {exc}")
        return WriteResult(conflict=answer.status == 412)

    def current_etag(self, location: str) -> str | None:
        return self.client.etag_of(location)

    def listing(self) -> dict[str, str] | None:
        """Every card of the book with its ETag (one PROPFIND Depth 1). A server that
        will not list the book gives None: publish then trusts its own records, as
        before, rather than failing."""
        try:
            return self.client.list_etags(self.target_id)
        except SourceError as exc:     # HttpStatusError, a garbled answer
            log.warning("publish: could not list %s (%s); cards removed on the server "
                        "are not noticed this time", self.target_id, exc)
            return None

    def close(self) -> None:
        self.http.close()


_IGNORED = re.compile(r"(?:PRODID|REV)[;:]", re.IGNORECASE)


def same_card(a: str, b: str) -> bool:
    """Whether two vCards say the same: the same unfolded lines in any order, PRODID
    and REV aside (servers re-serialize what they store)."""
    return _card_lines(a) == _card_lines(b)


def _card_lines(text: str) -> list[str]:
    unfolded = text.replace("\r\n", "\n").replace("\n ", "").replace("\n\t", "")
    lines = (line.rstrip() for line in unfolded.split("\n"))
    return sorted(line for line in lines
                  if line and not _IGNORED.match(line))


def check_target(options: dict[str, Any], password: str | None) -> str:
    """`reseausync check` for [publish]: reach the address book, change nothing (a
    missing one is created by the first publish, not here)."""
    parsed, http = _connect(options, password)
    try:
        book, exists = _probe(CardDavClient(http, parsed.url), parsed.url)
    finally:
        http.close()
    return (f"address book {book} reachable" if exists
            else f"no address book at {book} yet: the first publish creates it")


def _connect(options: dict[str, Any], password: str | None) -> tuple[CardDavOptions, Http]:
    """The [publish] options, checked, and an HTTP session with its credentials."""
    try:
        parsed = CardDavOptions(**options)
    except ValueError as exc:
        raise ConfigError([f"publish: {exc}"]) from None
    return parsed, make_http(parsed, SOURCE, password, url_key="[publish] url")


def _ensure_addressbook(client: CardDavClient, url: str) -> str:
    """The target must be an address book; one that does not exist yet is created."""
    book, exists = _probe(client, url)
    if not exists:
        client.http.request("MKCOL", book, body=mkcol_addressbook_body("reseausync"),
                            headers={"Content-Type": 'application/xml; charset="utf-8"'})
        log.info("publish: created the address book %s", book)
    return book


def _probe(client: CardDavClient, url: str) -> tuple[str, bool]:
    """(the book's URL, whether it exists); an error when it is something else."""
    book = client.url_for(url if url.endswith("/") else url + "/")
    answer = client.http.request("PROPFIND", book, body=propfind_body(RESOURCETYPE),
                                 headers={"Depth": "0"}, allow=(404,))
    if answer.status == 404:
        return book, False
    try:
        status = parse_multistatus(answer.body, answer.content_type)
    except XmlError as exc:
        raise SourceError(f"publish: {book}: {exc}") from None
    if not status.responses or not status.responses[0].is_addressbook():
        raise SourceError(f"publish: {book} is not an address book",
                          hint="set [publish] url to the address book itself")
    return book, True
