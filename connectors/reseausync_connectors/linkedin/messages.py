"""`messages.csv`: one interaction per message actually sent.

The thread is the `CONVERSATION ID`, so the engagement stage can tell an answered
message from one nobody answered. Drafts (`IS MESSAGE DRAFT`, `IS CONVERSATION
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
from reseausync.models import Interaction, Participant, SourceItem

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
    table = Table(unit, REQUIRED)
    h = table.header
    i_conv, i_from, i_date = h.find("CONVERSATION ID"), h.find("FROM"), h.find("DATE")
    i_title, i_subject = h.find("CONVERSATION TITLE"), h.find("SUBJECT")
    i_sender_url = h.find("SENDER PROFILE URL")
    i_to, i_rcpt = h.find("TO"), h.find("RECIPIENT PROFILE URLS")
    i_content, i_folder = h.find("CONTENT"), h.find("FOLDER")
    i_draft, i_conv_draft = h.find("IS MESSAGE DRAFT"), h.find("IS CONVERSATION DRAFT")
    source, name, unit_id = conn.source, conn.name, unit.id
    for item in table:
        if isinstance(item, RowProblem):
            yield conn.reject(unit, table.locator(item.line), item.reason, item.message)
            continue
        line, cells = item
        folder = cells[i_folder].strip() if i_folder is not None else ""
        if ((i_draft is not None and cells[i_draft].strip().casefold() in TRUE)
                or (i_conv_draft is not None and cells[i_conv_draft].strip().casefold() in TRUE)
                or folder.casefold() == "draft"):
            continue
        locator = table.locator(line)
        raw_date = cells[i_date]
        try:
            when = parse_datetime(raw_date)
        except DateError as exc:
            yield conn.reject(unit, locator, "bad-date", f"{locator}: DATE {exc}",
                              to_line(cells))
            continue
        sender = cells[i_from].strip()
        sender_url = cells[i_sender_url].strip() if i_sender_url is not None else ""
        if sender_url:
            sender_url = canonical_profile_url(sender_url)
        recipients = split_people(cells[i_to] if i_to is not None else "",
                                  cells[i_rcpt] if i_rcpt is not None else "")
        if owner.is_me(sender, sender_url):
            direction = "out"
            if sender_url and owner.names and sender_url not in owner.urls:
                owner.urls.add(sender_url)   # learn the owner's URL from their own messages
            people = recipients
        else:
            direction = "in" if owner.known else "none"
            people = [(sender, sender_url), *recipients]
        participants: list[Participant] = []
        seen: set[str] = set()
        for person, url in people:
            if owner.is_me(person, url):
                continue
            key = url or fold(person)
            if key and key not in seen:
                seen.add(key)
                participants.append(Participant(name=person, linkedin_url=url))
        conversation = cells[i_conv].strip()
        subject = cells[i_subject].strip() if i_subject is not None else ""
        if not subject and i_title is not None:
            subject = cells[i_title].strip()
        extra = {"folder": folder} if folder and folder.upper() != "INBOX" else {}
        yield Interaction(
            source=source, connector=name,
            external_id=message_id(conversation, raw_date.strip(), sender,
                                   cells[i_content] if i_content is not None else ""),
            locator=locator, unit=unit_id, kind="message", occurred_at=when,
            direction=direction, participants=participants, thread=conversation,
            subject=subject, extra=extra,
        )
