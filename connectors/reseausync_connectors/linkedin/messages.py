"""`messages.csv`: one interaction per message actually sent.

The thread is the `CONVERSATION ID`, so the engagement stage can tell an answered
message from one nobody answered. The sender of a received message is its first
participant, before the recipients (the engagement stage credits a reply to its
sender only, not to everyone in a group conversation). Drafts (`IS MESSAGE DRAFT`, `IS CONVERSATION
DRAFT`, folder `DRAFT`) were never sent: they are not interactions. Columns are
found by name because export versions add (`ATTACHMENTS`) or lack
(`RECIPIENT PROFILE URLS`) some. The external id hashes conversation, date, sender
and content: LinkedIn gives messages no id of their own, and two messages sent by
the same person in the same second must stay two.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from reseausync.connector import Connector, Unit
from reseausync.models import Direction, Interaction, Participant, SourceItem

from ..csvfile.rows import RowProblem, to_line
from .dates import DateError, parse_datetime
from .owner import Owner, fold, split_people
from .table import Table
from .urls import canonical_profile_url

REQUIRED = [("CONVERSATION ID",), ("FROM",), ("DATE",)]
TRUE = frozenset({"true", "yes", "1", "y"})


def message_id(conversation: str, date: str, sender: str, content: str) -> str:
    blob = "\x1f".join((conversation, date, sender, content)).encode("utf-8", "replace")
    return "msg:" + hashlib.sha1(blob, usedforsecurity=False).hexdigest()[:24]


def read_messages(conn: Connector, unit: Unit, owner: Owner) -> Iterator[SourceItem]:
    """Interactions of one messages file, in file order.

    The loop is the hot path of an export (a million rows): per-row work that only
    depends on a few repeated cells (draft flags, the folder, who took part) is
    computed once per distinct value and reused, and everything else is local.
    """
    table = Table(unit, REQUIRED)
    h = table.header
    i_conv, i_from, i_date = h.find("CONVERSATION ID"), h.find("FROM"), h.find("DATE")
    i_title, i_subject = h.find("CONVERSATION TITLE"), h.find("SUBJECT")
    i_sender_url = h.find("SENDER PROFILE URL")
    i_to, i_rcpt = h.find("TO"), h.find("RECIPIENT PROFILE URLS")
    i_content, i_folder = h.find("CONTENT"), h.find("FOLDER")
    i_draft, i_conv_draft = h.find("IS MESSAGE DRAFT"), h.find("IS CONVERSATION DRAFT")
    source, name, unit_id = conn.source, conn.name, unit.id
    flags: dict[str, bool] = {}               # raw draft cell -> says "true"
    folders: dict[str, tuple[bool, str]] = {}  # raw folder cell -> (draft, folder to keep)
    people = _People(owner)
    for item in table:
        if isinstance(item, RowProblem):
            yield conn.reject(unit, table.locator(item.line), item.reason, item.message)
            continue
        line, cells = item
        if i_draft is not None and _flag(flags, cells[i_draft]):
            continue
        if i_conv_draft is not None and _flag(flags, cells[i_conv_draft]):
            continue
        if i_folder is not None:
            raw_folder = cells[i_folder]
            known = folders.get(raw_folder)
            if known is None:
                known = folders[raw_folder] = _folder(raw_folder)
            if known[0]:
                continue
            folder = known[1]
        else:
            folder = ""
        locator = f"{unit_id}:{line}"
        raw_date = cells[i_date]
        try:
            when = parse_datetime(raw_date)
        except DateError as exc:
            yield conn.reject(unit, locator, "bad-date", f"{locator}: DATE {exc}",
                              to_line(cells))
            continue
        sender = cells[i_from].strip()
        direction, pairs = people.of(
            sender, cells[i_sender_url] if i_sender_url is not None else "",
            cells[i_to] if i_to is not None else "", cells[i_rcpt] if i_rcpt is not None else "")
        conversation = cells[i_conv].strip()
        subject = cells[i_subject].strip() if i_subject is not None else ""
        if not subject and i_title is not None:
            subject = cells[i_title].strip()
        yield Interaction(
            source, name,
            message_id(conversation, raw_date.strip(), sender,
                       cells[i_content] if i_content is not None else ""),
            locator, "message", when, unit_id, direction,
            [Participant(person, "", "", url) for person, url in pairs],
            conversation, subject, {"folder": folder} if folder else {},
        )


def _flag(memo: dict[str, bool], cell: str) -> bool:
    """Whether a draft-flag cell says true; memoized, since it holds two values."""
    value = memo.get(cell)
    if value is None:
        value = memo[cell] = cell.strip().casefold() in TRUE
    return value


def _folder(cell: str) -> tuple[bool, str]:
    """(a draft, the folder kept in `extra`: none for the usual INBOX)."""
    folder = cell.strip()
    if folder.casefold() == "draft":
        return True, ""
    return False, folder if folder.upper() != "INBOX" else ""


class _People:
    """Direction and other participants of a message, from its people cells.

    A conversation repeats the same sender and recipient cells on every message,
    so the answer is memoized by those cells. It depends on what is known of the
    owner, which grows when a sent message teaches the owner's URL: then the memo
    starts over, so every answer is the one the plain computation would give.
    """

    LIMIT = 65536

    def __init__(self, owner: Owner) -> None:
        self.owner = owner
        self.memo: dict[tuple[str, str, str, str],
                        tuple[Direction, tuple[tuple[str, str], ...]]] = {}

    def of(self, sender: str, raw_sender_url: str, to: str, rcpt: str
           ) -> tuple[Direction, tuple[tuple[str, str], ...]]:
        key = (sender, raw_sender_url, to, rcpt)
        found = self.memo.get(key)
        if found is None:
            known = len(self.owner.urls)
            found = self._compute(sender, raw_sender_url.strip(), to, rcpt)
            if len(self.memo) >= self.LIMIT or len(self.owner.urls) != known:
                self.memo.clear()
            self.memo[key] = found
        return found

    def _compute(self, sender: str, sender_url: str, to: str, rcpt: str
                 ) -> tuple[Direction, tuple[tuple[str, str], ...]]:
        owner = self.owner
        if sender_url:
            sender_url = canonical_profile_url(sender_url)
        recipients = split_people(to, rcpt)
        direction: Direction
        if owner.is_me(sender, sender_url):
            direction = "out"
            if sender_url and owner.names and sender_url not in owner.urls:
                owner.urls.add(sender_url)   # learn the owner's URL from their own messages
            people = recipients
        else:
            # The sender comes first: engagement credits a received message to the
            # first participant only (the others were copied). A sender who names
            # nobody (no FROM, no URL) leaves nobody to credit: direction unknown.
            direction = "in" if owner.known and (fold(sender) or sender_url) else "none"
            people = ((sender, sender_url), *recipients)
        kept: list[tuple[str, str]] = []
        seen: set[str] = set()
        for person, url in people:
            if owner.is_me(person, url):
                continue
            key = url or fold(person)
            if key and key not in seen:
                seen.add(key)
                kept.append((person, url))
        return direction, tuple(kept)
