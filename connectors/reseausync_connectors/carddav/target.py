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

A server may store a new card under a name of its own (Google: 201 + Location):
the write's result carries that location, which publish records. A 403 to a PUT or
DELETE is a refused card naming the server's precondition (a read-only book's
need-privileges, no-uid-conflict), not a wrong password. A card the book lists
without an ETag is in the listing all the same, with "" for its ETag.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from reseausync.connector import PublishTarget, WriteResult
from reseausync.errors import ConfigError, SourceError

from .client import CardDavClient, real_etag
from .connector import CardDavOptions, make_http
from .http import Http, HttpStatusError
from .xml import (
    ADDRESS_DATA,
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
            return _refused(location, exc)
        if answer.status == 412:
            held = None
            if etag is not None or answer.resent:
                held = self._holding(location, text)
            return WriteResult(etag=held) if held else WriteResult(conflict=True)
        stored = self._stored_at(location, answer.headers.get("Location", ""))
        new = answer.headers.get("ETag") or self.client.etag_of(stored) or ""
        return WriteResult(etag=new, location=stored if stored != location else "")

    def _stored_at(self, location: str, given: str) -> str:
        """Where the server stored a card: the Location it answered (Google names a
        new card itself, QA8 #2: recording our own name wrote a copy at every
        publish), else where we asked."""
        if not given:
            return location
        stored = normalize_href(self.client.url_for(location), given)
        if stored != location:
            log.info("publish: the server stored %s as %s", location, stored)
        return stored

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
            return _refused(location, exc)
        return WriteResult(conflict=answer.status == 412)

    def current_etag(self, location: str) -> str | None:
        return self.client.etag_of(location)

    def listing(self) -> dict[str, str] | None:
        """Every card of the book with its ETag (one PROPFIND Depth 1). A server that
        will not list the book gives None: publish then trusts its own records, as
        before, rather than failing."""
        try:
            listed = self.client.list_etags(self.target_id)
        except SourceError as exc:     # HttpStatusError, a garbled answer, cut short
            log.warning("publish: could not list %s (%s); cards removed on the server "
                        "are not noticed this time", self.target_id, exc)
            return None
        # a card listed without an ETag is there all the same: "" (QA8 #4)
        return {href: real_etag(found) for href, found in listed.items()}

    def uids(self, locations: list[str]) -> dict[str, str]:
        """The UIDs of these cards, by addressbook-multiget in batches; a batch the
        server will not answer is left out (publish then writes as before)."""
        out: dict[str, str] = {}
        for start in range(0, len(locations), UID_BATCH):
            try:
                answers = self.client.multiget(self.target_id,
                                               locations[start:start + UID_BATCH])
            except (SourceError, XmlError) as exc:
                log.info("publish: could not read the UIDs of %s's cards (%s)",
                         self.target_id, exc)
                continue
            for href, answer in answers.items():
                uid = _uid_of(answer.text(ADDRESS_DATA) or "")
                if uid:
                    out[href] = uid
        return out

    def close(self) -> None:
        self.http.close()


def _refused(location: str, exc: HttpStatusError) -> WriteResult:
    """A write the server refused. A 403 names the URL itself; it is `forbidden` (the
    user may not write here) unless it names a precondition of this card alone
    (no-uid-conflict, valid-address-data...): need-privileges or none."""
    if exc.status != 403:
        return WriteResult(error=f"{location}: {exc}")
    return WriteResult(error=exc.message,
                       forbidden=not set(exc.preconditions) - {"need-privileges"})


_IGNORED = re.compile(r"(?:PRODID|REV)[;:]", re.IGNORECASE)
_UID = re.compile(r"^UID(?:;[^:\r\n]*)?:(.*)$", re.IGNORECASE | re.MULTILINE)
UID_BATCH = 100


def _uid_of(text: str) -> str:
    """A card's UID ("" when it has none); folded lines are rare in UIDs but joined."""
    unfolded = text.replace("\r\n", "\n").replace("\n ", "").replace("\n\t", "")
    found = _UID.search(unfolded)
    return found.group(1).strip() if found else ""


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
