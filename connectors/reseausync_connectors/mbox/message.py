"""One message's header block turned into an email interaction.

Headers are parsed with the standard library (`email`, `policy.default`), which
decodes RFC 2047 words and parses address lists and dates, recording defects
instead of raising. The defects that make a message unusable become a
`MessageError`, hence a reject; the others are tolerated.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC
from email import errors, policy
from email.message import EmailMessage
from email.parser import BytesHeaderParser

from reseausync.models import Interaction, Participant

_PARSER = BytesHeaderParser(policy=policy.default)
_MSG_ID = re.compile(r"<([^<>\s]+)>")
_AUTOMATED_SENDER = re.compile(
    r"^(no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer[-_.]?daemon|postmaster)([-+_.].*)?$",
    re.IGNORECASE)
_BULK = ("bulk", "list", "junk")


class MessageError(ValueError):
    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(slots=True)
class MessageContext:
    source: str
    unit: str
    me: frozenset[str]


def parse(headers: bytes) -> EmailMessage:
    message = _PARSER.parsebytes(headers)
    if any(isinstance(d, errors.MissingHeaderBodySeparatorDefect) for d in message.defects):
        raise MessageError("bad-header", "a line in the header block is not a header "
                                         "(the headers after it would be lost)")
    return message  # type: ignore[return-value]


def fix_text(text: str) -> str:
    """Undo the surrogate escapes left by raw 8-bit headers: UTF-8, else cp1252."""
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:     # surrogates that no byte produced
        return text.encode("utf-8", "replace").decode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace")


def header_text(message: EmailMessage, name: str) -> str:
    """A text header decoded: RFC 2047 words by the parser, raw 8-bit bytes (which
    the parser turns into U+FFFD) from the raw value, UTF-8 else cp1252."""
    for key, raw in message.raw_items():
        if key.lower() == name.lower():
            if any("\udc80" <= c <= "\udcff" for c in raw):
                return " ".join(fix_text(raw).split())
            return str(message.get(name, ""))
    return ""


def addresses(message: EmailMessage, name: str) -> list[Participant]:
    found = []
    for header in message.get_all(name, []):
        for address in getattr(header, "addresses", ()):
            email = fix_text(address.addr_spec).strip().lower()
            if "@" not in email or email.startswith("@") or email.endswith("@"):
                continue
            display = fix_text(address.display_name).strip()
            found.append(Participant(name="" if display.lower() == email else display,
                                     email=email))
    return found


def message_ids(value: str) -> list[str]:
    return _MSG_ID.findall(value)


def automated_by(message: EmailMessage, sender: str) -> str:
    """Why a message is not engagement (a list, a robot), or "" for a person's mail."""
    for name in ("List-Id", "List-Unsubscribe"):
        if message.get(name) is not None:
            return name
    precedence = str(message.get("Precedence", "")).strip().lower()
    if precedence in _BULK:
        return f"Precedence: {precedence}"
    auto = str(message.get("Auto-Submitted", "")).strip().lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    if _AUTOMATED_SENDER.match(sender.split("@", 1)[0]):
        return "sender"
    return ""


def interaction(raw: bytes, locator: str, ctx: MessageContext
                ) -> Interaction | None:
    """The interaction of one message, None for a mail with nobody but the owner on
    it (a note to self); raises MessageError for a message that cannot be placed."""
    message = parse(raw)
    senders = addresses(message, "From")
    if not senders:
        raise MessageError("bad-header", "no readable address in From")
    date_header = message.get("Date")
    if date_header is None:
        raise MessageError("no-date", "message has no Date header")
    moment = getattr(date_header, "datetime", None)
    if moment is None:
        raise MessageError("bad-date", f"undecodable Date: {str(date_header)[:60]!r}")
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    sender = senders[0].email
    people: list[Participant] = []
    seen: set[str] = set()
    for person in senders[:1] + addresses(message, "To") + addresses(message, "Cc"):
        if person.email in ctx.me or person.email in seen:
            continue
        seen.add(person.email)
        people.append(person)
    if not people:
        return None
    own_id = next(iter(message_ids(str(message.get("Message-ID", "")))), "")
    references = message_ids(str(message.get("References", "")))
    replied = message_ids(str(message.get("In-Reply-To", "")))
    external_id = own_id or _digest(message)
    thread = (references or replied or [external_id])[0]
    extra: dict = {}
    why = automated_by(message, sender)
    if why:
        extra = {"automated": True, "automated_by": why}
    return Interaction(
        source=ctx.source, connector="mbox", external_id=external_id, locator=locator,
        kind="email", occurred_at=moment, unit=ctx.unit,
        direction="out" if sender in ctx.me else "in", participants=people,
        thread=thread, subject=header_text(message, "Subject").strip()[:500],
        extra=extra)


def _digest(message: EmailMessage) -> str:
    """A stable id for a message without Message-ID: its identifying headers."""
    parts = [str(message.get(name, "")) for name in ("From", "To", "Cc", "Date", "Subject")]
    blob = "\x1f".join(parts).encode("utf-8", "surrogatepass")
    return "sha256:" + hashlib.sha256(blob).hexdigest()[:24]
