"""The CardDAV connector: a server's address books as units, one card per unit.

Units are cards: id = the card's href (normalized path), fingerprint = its ETag.
The core skips units whose ETag it has already read and hands the others to
`read`, which fetches them in `addressbook-multiget` batches of `batch_size`.

Sync tokens and the cursor. `discover` must list every current card (the core
tombstones what vanishes from a full listing), yet a second sync should not ask
the server for thousands of ETags it already knows. So the cursor the core keeps
for us holds, per address book, the RFC 6578 sync token AND the listing it
stands for (href -> ETag), as JSON:

    {"v": 1, "books": {"<book url>": {"token": "<sync-token>",
                                      "etags": {"<href>": "<etag>", ...},
                                      "groups": {"<href>": ["<name>", ["<uid>", ...]]},
                                      "uids": {"<href>": "<uid>"}}}}

(`groups` and `uids` only for a book with contact groups: groups.py, which says
how a group card's members get its name as a category, also when only the group
card changed.)

With a token, one `sync-collection` REPORT returns only what changed (new
ETags, 404s for deletions), applied to the stored listing to give the full
current one. Without a token (first run, or a cursor from another version) an
initial sync-collection with an empty token lists everything and yields a
token. A rejected token (valid-sync-token, 403/409) falls back to that initial
listing; a server without sync-collection falls back to PROPFIND Depth 1 every
run and the ETag comparison the core does. Either way, no card body is fetched
unless its ETag changed.

A book's URL always ends in `/` (client.collection_url); a cursor saved under
another spelling of it is found by `same_book`'s key. A card the server lists
without an ETag keeps its place in the listing (client.fingerprint). For an account
`url`, the books Nextcloud generates are skipped unless `books` names them.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import unquote, urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

from reseausync.connector import Connector, Unit
from reseausync.durations import parse_duration
from reseausync.errors import SourceError, UnitError
from reseausync.files import anchored
from reseausync.models import Reject, SourceItem

from .client import (
    GENERATED_BOOKS,
    LAST_MODIFIED,
    CardDavClient,
    SyncTokenRejected,
    SyncUnsupported,
    book_name,
    real_etag,
)
from .groups import BookGroups
from .http import Answer, ForeignRedirect, Http, HttpStatusError, ResponseTooLarge, redact
from .xml import ADDRESS_DATA, DavResponse, XmlError, looks_like_html

log = logging.getLogger(__name__)

CURSOR_VERSION = 1


def is_http_url(target: str) -> bool:
    return target.lower().startswith(("http://", "https://"))


# Cards read whole that hold no contact (a contact group): a plain reject, not
# "unread", which would fetch them again every sync and keep what they held.
READ_NOT_A_CONTACT = frozenset({"contact-group"})

# Card answers a read keeps between learning the groups and yielding the records
# (groups.py): past this many characters a batch is fetched again instead.
KEPT_CHARS = 64 * 1024 * 1024
_FAILED = "failed"        # a batch whose multiget failed: its cards are fetched one by one


class _ByGet(dict):
    """A batch fetched card by card (its multiget failed): href -> text or reject."""


Kept = dict[str, DavResponse] | _ByGet | str     # a batch's answers, as _prefetch keeps them

class CardDavOptions(BaseModel):
    """Where the server is and how to log in; the password itself is never here."""

    model_config = ConfigDict(extra="forbid")

    url: str
    username: str = ""
    password_env: str = Field(
        default="", description="NAME of the environment variable holding the password")
    verify_tls: bool = True
    ca_file: str = Field(
        default="", description="PEM file of the CA that signed the server's certificate")
    timeout: float = Field(default=30.0, gt=0, le=600, description="seconds, or '30s'")
    batch_size: int = Field(default=100, ge=1, le=1000)
    max_response_bytes: int = Field(default=64 * 1024 * 1024, ge=4096)
    books: list[str] = Field(
        default_factory=list,
        description="for an account `url`: read only these books (path name or "
                    "display name)")
    exclude_books: list[str] = Field(
        default_factory=list,
        description="for an account `url`: books not to read (path name or display name)")

    @field_validator("timeout", mode="before")
    @classmethod
    def _seconds(cls, value: object) -> object:
        """Written like every other duration ("30s", "2m"); a bare number stays
        seconds, as this key always took it (QA round 4: "30s" was refused by a
        message saying durations are written 45s)."""
        return parse_duration(value).total_seconds() if isinstance(value, str) else value

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not is_http_url(value):
            raise ValueError("must start with http:// or https://")
        if "@" in value.split("/", 3)[2]:
            raise ValueError("must not contain a user name or password; use `username` "
                             "and `password_env`")
        return value


def trust(options: CardDavOptions, source: str) -> bool | str:
    """What the server's certificate is checked against: `ca_file` (a private CA:
    self-hosted Nextcloud, Radicale, Baïkal), else the CA bundle that
    REQUESTS_CA_BUNDLE or SSL_CERT_FILE names, else requests' own bundle. The
    session ignores the environment otherwise (no .netrc, no proxy), which made
    `verify_tls = false` the only way to reach a private CA's server (QA5 #4)."""
    if not options.verify_tls:
        return False
    if options.ca_file:
        path = os.path.expanduser(options.ca_file)
        if not os.path.isfile(path):     # requests would say it mid-request, as an OSError
            raise SourceError(f"{source}: ca_file {path}: no such file",
                              hint="name the PEM file of the CA that signed the server's "
                                   "certificate (relative to the config file's folder)")
        return path
    for name in ("REQUESTS_CA_BUNDLE", "SSL_CERT_FILE"):
        if os.environ.get(name):
            return os.environ[name]
    return True


def clear_text_host(url: str) -> str | None:
    """The host an http:// URL sends the password to in clear, None for https://
    or a loopback host (the machine itself)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme.lower() != "http" or host == "localhost" or host.endswith(".localhost"):
        return None
    try:
        return None if ipaddress.ip_address(host).is_loopback else host
    except ValueError:
        return host


def make_http(options: CardDavOptions, source: str, password: str | None = None,
              url_key: str = "the source's `url`") -> Http:
    """An `Http` for these options, the password read from the environment now.

    Reading it here (not in the options) keeps it out of anything that gets
    printed, validated or stored.
    """
    if password is None and options.password_env:
        password = os.environ.get(options.password_env)
        if password is None:
            raise SourceError(
                f"{source}: the environment variable {options.password_env} is not set",
                hint=f"export {options.password_env} with the password of "
                     f"{options.username or 'the CardDAV user'}")
    if not options.verify_tls:
        log.warning("%s: TLS certificate verification is OFF for %s (verify_tls = false)",
                    source, redact(options.url))
    if password is not None and (host := clear_text_host(options.url)) is not None:
        log.warning("%s: the password is sent in clear over http:// to %s: anyone on the "
                    "network between can read it and every card; use an https:// URL",
                    source, host)
    return Http(source=source, username=options.username, password=password,
                password_env=options.password_env or "(none configured)",
                verify_tls=trust(options, source), timeout=options.timeout,
                max_response_bytes=options.max_response_bytes, url_key=url_key)


class CardDavConnector(Connector):
    name: ClassVar[str] = "carddav"
    reads_owner: ClassVar[bool] = False   # the region and [me] change nothing it reads
    Options: ClassVar[type[BaseModel]] = CardDavOptions
    read_version: ClassVar[int] = 3       # 1: relatives, anniversary, IMPP, company contact;
    # 2: labels of the user's own keep their case ("Chalet"), "--MMDD" is "--MM-DD";
    # 3: a contact group's name is a category of its members (every card's UID and
    # group learned once)
    description: ClassVar[str] = "CardDAV address books (RFC 6352), incremental with sync tokens"

    options: CardDavOptions

    def __init__(self, options: Any = None, context: Any = None) -> None:
        super().__init__(options, context)
        self._http: Http | None = None
        # What the last discover/read did: for `check`, logs and the benchmark.
        self.stats: dict[str, Any] = {"listing": "", "bodies_fetched": 0,
                                      "discover_seconds": 0.0, "books": [],
                                      "skipped_books": []}
        # per book: its cursor state, its groups now, and as the last sync left them
        self._states: dict[str, dict[str, Any]] = {}
        self._groups: dict[str, BookGroups] = {}
        self._before: dict[str, BookGroups] = {}
        self._members: dict[str, dict[str, list[str]]] = {}   # book -> href -> groups

    @classmethod
    def open_publish_target(cls, options: dict[str, Any], password: str | None) -> Any:
        """The address book `reseausync publish` writes to (see target.py)."""
        from .target import CardDavTarget
        return CardDavTarget(options, password)

    @classmethod
    def check_publish_target(cls, options: dict[str, Any], password: str | None) -> str:
        """Reach the publish target without writing (`reseausync check`)."""
        from .target import check_target
        return check_target(options, password)

    @classmethod
    def anchor_options(cls, options: dict[str, Any], folder: Path) -> dict[str, Any]:
        """`ca_file` is read against the config file's folder, as `path` is."""
        out = dict(options)
        if isinstance(out.get("ca_file"), str) and out["ca_file"]:
            out["ca_file"] = anchored(os.path.expanduser(out["ca_file"]), folder)
        return out

    @classmethod
    def can_open(cls, target: str) -> bool:
        return is_http_url(target)

    @property
    def http(self) -> Http:
        if self._http is None:
            self._http = make_http(self.options, self.source)
        return self._http

    def client(self, url: str | None = None) -> CardDavClient:
        return CardDavClient(self.http, url or self.options.url)

    # discover --------------------------------------------------------------

    def discover(self, target: str = "") -> Iterator[Unit]:
        started = time.perf_counter()
        url = target if target and is_http_url(target) else self.options.url
        client = self.client(url)
        previous = _by_book_key(_load_cursor(self.cursor))
        books_state: dict[str, dict[str, Any]] = {}
        units: list[Unit] = []
        modes = []
        for book in self._source_books(client, url):
            before = previous.get(_book_key(book))
            state, mode = self._listing(client, book, before)
            groups = BookGroups.load(before)
            self._before[book] = groups.copy()
            groups.keep_only(state["etags"])
            groups.dump(state)
            self._groups[book] = groups
            books_state[book] = state
            modes.append(mode)
            units.extend(Unit(id=href, fingerprint=etag, meta={"book": book})
                         for href, etag in sorted(state["etags"].items()))
        self._states = books_state
        self._save_cursor()
        self.stats["listing"] = ",".join(modes)
        self.stats["discover_seconds"] = round(time.perf_counter() - started, 3)
        return iter(units)

    def _save_cursor(self) -> None:
        """The listing and the groups, for the next sync (a read without a
        discover before it, as in the contract tests, leaves the cursor alone)."""
        if not self._states:
            return
        for book, groups in self._groups.items():
            if book in self._states:
                groups.dump(self._states[book])
        self.cursor = json.dumps({"v": CURSOR_VERSION, "books": self._states},
                                 separators=(",", ":"), sort_keys=True)

    def _source_books(self, client: CardDavClient, url: str) -> list[str]:
        """The books to read at `url`, never the `[publish]` one: read back, the
        published copy of a person deleted from the source kept them alive. A source
        `url` that is that book is an error; an account `url` skips it."""
        published = self.context.publish_target
        if published and same_book(url, published):
            raise SourceError(
                f"{self.source}: `url` {redact(url)} is the [publish] address book; "
                "reading it would feed the directory's own output back into it",
                hint="set this source's `url` to the address book people edit, and "
                     "[publish] url to another one")
        books = client.find_addressbooks(url)
        if published:
            skipped = [b for b in books if same_book(b, published)]
            if skipped:
                log.info("%s: not reading %s: it is the [publish] address book",
                         self.source, redact(skipped[0]))
                books = [b for b in books if b not in skipped]
        return self._chosen(client, books)

    def _chosen(self, client: CardDavClient, books: list[str]) -> list[str]:
        """The books `books` / `exclude_books` leave; of an account, without the
        books Nextcloud generates (its users, the people lately written to: QA8 #5)
        unless `books` names them. A name in `books` that no book bears is an error:
        read as "no book", it would remove every contact of the source."""
        opts = self.options

        def names(book: str) -> set[str]:
            return {n.casefold() for n in (book_name(book), client.displaynames.get(book, ""))
                    if n}

        wanted = {n.casefold() for n in opts.books}
        unknown = wanted - set().union(*(names(b) for b in books))
        if unknown:
            raise SourceError(
                f"{self.source}: no address book named {', '.join(sorted(unknown))} at "
                f"{redact(self.options.url)} (found: "
                f"{', '.join(self._label(client, b) for b in books) or 'none'})",
                hint="check `books`: a book's name is the last part of its URL or its "
                     "display name")
        excluded = {n.casefold() for n in opts.exclude_books}
        chosen, skipped = [], []
        for book in books:
            mine = names(book)
            generated = client.from_home and book_name(book).startswith(GENERATED_BOOKS)
            if (wanted and not mine & wanted) or mine & excluded or (
                    generated and not mine & wanted):
                skipped.append(book)
            else:
                chosen.append(book)
        self.stats["books"] = [self._label(client, b) for b in chosen]
        self.stats["skipped_books"] = [self._label(client, b) for b in skipped]
        return chosen

    @staticmethod
    def _label(client: CardDavClient, book: str) -> str:
        """How `check` names a book: its path name, with its display name if other."""
        name, shown = book_name(book), client.displaynames.get(book, "")
        return f"{name} ({shown})" if shown and shown != name else name

    def _listing(self, client: CardDavClient, book: str,
                 before: dict[str, Any] | None) -> tuple[dict[str, Any], str]:
        """The full current listing of `book` and how it was obtained."""
        if before and before.get("token") and isinstance(before.get("etags"), dict):
            try:
                delta = client.sync(book, before["token"])
            except SyncTokenRejected:
                log.info("%s: sync token rejected for %s; listing everything",
                         self.source, redact(book))
            except SyncUnsupported:
                pass
            else:
                etags = dict(before["etags"])
                for href in delta.deleted:
                    etags.pop(href, None)
                etags.update(delta.changed)
                return {"token": delta.token, "etags": etags}, "sync-delta"
        try:
            full = client.sync(book, "")
        except (SyncUnsupported, SyncTokenRejected):
            return {"token": "", "etags": client.list_etags(book)}, "propfind"
        return {"token": full.token, "etags": dict(full.changed)}, "sync-initial"

    # read ------------------------------------------------------------------

    def read(self, units: Iterable[Unit]) -> Iterator[SourceItem]:
        """Fetch changed cards in multiget batches; a bad card is a reject.

        Every batch is fetched before the first record is yielded, so the groups
        the fetched cards define are known to each record (groups.py): a member
        read before its group's new version still gets the group. The answers
        are kept up to KEPT_CHARS; a batch past it is fetched again."""
        steps: list[tuple[str, list[Unit]] | Unit] = []
        for unit in units:
            if unit.problem is not None:
                steps.append(unit)
                continue
            unit_book = unit.meta.get("book") or unit.id.rsplit("/", 1)[0] + "/"
            last = steps[-1] if steps else None
            if (isinstance(last, tuple) and last[0] == unit_book
                    and len(last[1]) < self.options.batch_size):
                last[1].append(unit)
            else:
                steps.append((unit_book, [unit]))
        kept = self._prefetch([(i, *s) for i, s in enumerate(steps) if isinstance(s, tuple)])
        for index, step in enumerate(steps):
            if isinstance(step, Unit):
                yield self.reject(step, step.id, *step.problem)
            else:
                yield from self._read_batch(*step, kept.pop(index, None))
        self._save_cursor()

    def _prefetch(self, batches: list[tuple[int, str, list[Unit]]]) -> dict[int, Kept]:
        """Fetch each (index, book, units) batch and learn its cards' groups and
        UIDs; the answers kept by index: the multiget's, else (it failed) each
        card's text or reject by GET, else _FAILED (past KEPT_CHARS: fetched again
        card by card)."""
        kept: dict[int, Kept] = {}
        size = 0
        for index, book, units in batches:
            client = self.client(book)
            texts: dict[str, str] = {}
            answers: Kept
            try:
                answers = client.multiget(book, [u.id for u in units])
            except (XmlError, HttpStatusError, ResponseTooLarge) as exc:
                # One broken answer must not cost the whole batch: fetch card by card.
                log.info("%s: multiget on %s failed (%s); fetching %d card(s) one by one",
                         self.source, redact(book), exc, len(units))
                answers = _ByGet((u.id, self._fetch_one(client, u)) for u in units)
                texts = {h: t for h, t in answers.items() if isinstance(t, str)}
            else:
                for unit in units:
                    answer = answers.get(unit.id)
                    text = answer.text(ADDRESS_DATA) if answer is not None else None
                    if text is not None:
                        self.stats["bodies_fetched"] += 1
                        texts[unit.id] = text
            for href, text in texts.items():
                size += len(text)
                self._learn(book, href, text)
            if size <= KEPT_CHARS:
                kept[index] = answers
            elif isinstance(answers, _ByGet):
                kept[index] = _FAILED
        self._members.clear()
        return kept

    def _learn(self, book: str, href: str, text: str) -> None:
        groups = self._groups.setdefault(book, BookGroups())
        groups.learn(href, text)
        self._members.pop(book, None)

    def _groups_of(self, book: str, href: str) -> list[str]:
        """The names of the groups of the book that hold the card, as learned so far."""
        groups = self._groups.get(book)
        if groups is None or not groups.groups:
            return []
        if book not in self._members:
            listed = self._states.get(book, {}).get("etags") or {}
            self._members[book] = groups.membership([*listed, href])
        return self._members[book].get(href, [])

    def reread(self) -> list[str]:
        """The cards, of the books discovered, whose groups this sync changed (a
        member added or removed, a group renamed or deleted): read again in the
        same run, though their own ETag did not change."""
        out = []
        for book, groups in self._groups.items():
            listed = list(self._states.get(book, {}).get("etags") or {})
            before = self._before.get(book, BookGroups()).membership(listed)
            now = groups.membership(listed)
            out += [href for href in listed if before.get(href) != now.get(href)]
        return out

    def _read_batch(self, book: str, units: list[Unit],
                    kept: Kept | None = None) -> Iterator[SourceItem]:
        client = self.client(book)
        if kept == _FAILED:
            for unit in units:
                yield from self._read_one(client, unit)
            return
        if isinstance(kept, _ByGet):
            for unit in units:              # fetched one by one by _prefetch
                found = kept[unit.id]
                if isinstance(found, Reject):
                    yield found
                else:
                    yield from self._parse(unit, found)
            return
        try:
            answers = kept if isinstance(kept, dict) else client.multiget(
                book, [u.id for u in units])
        except (XmlError, HttpStatusError, ResponseTooLarge) as exc:
            log.info("%s: multiget on %s failed (%s); fetching %d card(s) one by one",
                     self.source, redact(book), exc, len(units))
            for unit in units:
                yield from self._read_one(client, unit)
            return
        for unit in units:
            answer = answers.get(unit.id)
            if answer is None:
                yield self._unread(unit, "card-missing",
                                  f"{unit.id}: the server left this card out of its "
                                  "multiget answer")
                continue
            yield from self._from_multiget(unit, answer, counted=kept is not None)

    def _unread(self, unit: Unit, reason: str, message: str, excerpt: str = "") -> Reject:
        """A card the server would not send, or sent garbled: a reject that keeps the
        card's last good version and has it fetched again next sync (its ETag is not
        stored as read). Taking it as removed lost the contact until the card was
        edited again, and `publish` then deleted it from the published book."""
        return self.reject(unit, unit.id, reason, message, excerpt, unread=True)

    def _from_multiget(self, unit: Unit, answer: DavResponse,
                       counted: bool = False) -> Iterator[SourceItem]:
        if answer.status is not None and answer.status != 200:
            yield self._unread(unit, "card-not-found",
                              f"{unit.id}: the server answered {answer.status} for this "
                              "card (deleted since the listing?)")
            return
        text = answer.text(ADDRESS_DATA)
        if text is None:
            code = answer.prop_status.get(ADDRESS_DATA, "none")
            yield self._unread(unit, "card-not-found",
                              f"{unit.id}: no card data in the answer (status {code})")
            return
        if not counted:
            self.stats["bodies_fetched"] += 1
        yield from self._parse(unit, text)

    def _read_one(self, client: CardDavClient, unit: Unit) -> Iterator[SourceItem]:
        found = self._fetch_one(client, unit)
        if isinstance(found, Reject):
            yield found
        else:
            yield from self._parse(unit, found)

    def _fetch_one(self, client: CardDavClient, unit: Unit) -> str | Reject:
        """One card by GET: its text, or the reject that says why it has none."""
        try:
            answer = client.get(unit.id)
        except (ForeignRedirect, HttpStatusError, ResponseTooLarge) as exc:
            return self._unread(unit, "card-unreadable", f"{unit.id}: {exc.message}")
        if answer.status in (404, 410):
            return self._unread(unit, "card-not-found",
                                f"{unit.id}: the server answered {answer.status}")
        if looks_like_html(answer.body, answer.content_type):
            return self._unread(unit, "not-vcard",
                                f"{unit.id}: the server answered an HTML page, not a vCard",
                                answer.text()[:200])
        self.stats["bodies_fetched"] += 1
        return card_text(answer)

    def _parse(self, unit: Unit, text: str) -> Iterator[SourceItem]:
        if "BEGIN:VCARD" not in text[:4096].upper():
            yield self._unread(unit, "not-vcard",
                              f"{unit.id}: the card body is not a vCard", _excerpt(text))
            return
        from reseausync_connectors.vcard import parse_card  # one parser in the project

        try:
            record = parse_card(text, source=self.source, unit=unit.id, locator=unit.id,
                                external_id=unit.id)
        except UnitError as exc:
            if exc.reason in READ_NOT_A_CONTACT:
                # read, and nothing in it for the directory: fetched again only when
                # it changes, and a person an older version made of it leaves
                yield self.reject(unit, unit.id, exc.reason, exc.message)
            else:
                yield self._unread(unit, exc.reason, exc.message,
                                  _excerpt(exc.excerpt or text))
            return
        record.connector = self.name
        for name in self._groups_of(_book_of(unit), unit.id):
            if all(name.casefold() != c.casefold() for c in record.categories):
                record.categories.append(name)
        yield record

    def read_unit(self, unit: Unit) -> Iterator[SourceItem]:
        return self.read([unit])

    def check(self, target: str = "") -> str:
        """How many books and cards, which books were read and which skipped (QA8
        #5), and whether the server gives ETags (QA8 #4: without them a card is
        fetched again at every sync)."""
        units = list(self.discover(target))
        books = self.stats.get("books", [])
        out = f"{len(books)} address book(s) ({', '.join(books)}), {len(units)} card(s)"
        if self.stats.get("skipped_books"):
            out += f"; not read: {', '.join(self.stats['skipped_books'])}"
        return out + _etag_note(units, "propfind" in self.stats["listing"])


def _etag_note(units: list[Unit], listed: bool) -> str:
    """What `check` says of cards listed without an ETag, "" when every card has one.
    `listed`: a book without sync tokens, whose ETag-less cards are fetched again at
    every sync unless a last-modified date says they did not change."""
    blind = [u for u in units if not real_etag(u.fingerprint)]
    if not blind:
        return ""
    dated = sum(1 for u in blind if u.fingerprint.startswith(LAST_MODIFIED))
    note = f"; the server gives no ETag for {len(blind)} card(s)"
    if dated:
        note += f" ({dated} compared by their last-modified date)"
    undated = len(blind) - dated
    if listed and undated:
        note += (": they are fetched again at every sync" if not dated else
                 f"; {undated} card(s) are fetched again at every sync")
    return note


def _book_of(unit: Unit) -> str:
    return unit.meta.get("book") or unit.id.rsplit("/", 1)[0] + "/"


def card_text(answer: Answer) -> str:
    """A card's bytes as the vCard parser wants them: in the charset the server
    names when it names one other than UTF-8, else UTF-8 with the bytes that are
    not kept as surrogates. `parse_card` then re-decodes each such line as cp1252
    (vcard.cards.redecode), as for a .vcf file: a card an old Windows client
    stored keeps its accents instead of U+FFFD everywhere, with no reject."""
    charset = _charset(answer.headers.get("Content-Type", ""))
    if charset and charset.replace("-", "").replace("_", "") != "utf8":
        try:
            return answer.body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass        # a charset that lies or that Python does not know: as UTF-8
    return answer.body.decode("utf-8", errors="surrogateescape")


def _charset(content_type: str) -> str:
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return ""


def _excerpt(text: str) -> str:
    """At most 200 characters, storable (no lone surrogates from undecoded bytes)."""
    return text[:200].encode("utf-8", "replace").decode("utf-8")


def same_book(a: str, b: str) -> bool:
    """Whether two URLs name the same collection: scheme, host and port as the
    server sees them (a default port written or not), path percent-decoded, one
    trailing slash."""
    return _book_key(a) == _book_key(b)


def _book_key(url: str) -> tuple[str, str, int | None, str]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or {"http": 80, "https": 443}.get(scheme)
    except ValueError:
        port = None
    path = unquote(parts.path).rstrip("/") + "/"
    return scheme, (parts.hostname or "").lower(), port, path


def _by_book_key(books: dict[str, Any]) -> dict[tuple[str, str, int | None, str], Any]:
    """A cursor's books keyed as `same_book` compares them: a cursor saved when the
    book's URL lacked its trailing slash still serves (QA8 #1)."""
    return {_book_key(url): state for url, state in books.items()}


def _load_cursor(cursor: str) -> dict[str, dict[str, Any]]:
    """The per-book state of a previous run; anything unreadable means 'none'."""
    if not cursor:
        return {}
    try:
        data = json.loads(cursor)
    except ValueError:
        return {}
    if not isinstance(data, dict) or data.get("v") != CURSOR_VERSION:
        return {}
    books = data.get("books")
    return books if isinstance(books, dict) else {}
