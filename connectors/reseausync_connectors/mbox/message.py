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


def raw_headers(message: EmailMessage) -> dict[str, str]:
    """Each header's first raw value, by lower-case name, unfolded. Parsing a header
    through policy.default costs about a millisecond; ids, list markers and most
    subjects need only the raw text, so only From/To/Cc/Date go through it."""
    found: dict[str, str] = {}
    for key, value in message.raw_items():
        found.setdefault(key.lower(), " ".join(str(value).split()))
    return found


def header_text(message: EmailMessage, raw: dict[str, str], name: str) -> str:
    """A text header decoded: RFC 2047 words by the parser, raw 8-bit bytes (which
    the parser turns into U+FFFD) from the raw value, UTF-8 else cp1252."""
    value = raw.get(name.lower(), "")
    if "=?" in value:
        return str(message.get(name, ""))
    if any("\udc80" <= c <= "\udcff" for c in value):
        return fix_text(value)
    return value


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


def automated_by(raw: dict[str, str], sender: str) -> str:
    """Why a message is not engagement (a list, a robot), or "" for a person's mail."""
    for name in ("List-Id", "List-Unsubscribe"):
        if name.lower() in raw:
            return name
    precedence = raw.get("precedence", "").strip().lower()
    if precedence in _BULK:
        return f"Precedence: {precedence}"
    auto = raw.get("auto-submitted", "").strip().lower()
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
    headers = raw_headers(message)
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
    own_id = next(iter(message_ids(headers.get("message-id", ""))), "")
    references = message_ids(headers.get("references", ""))
    replied = message_ids(headers.get("in-reply-to", ""))
    external_id = own_id or _digest(headers)
    thread = (references or replied or [external_id])[0]
    extra: dict = {}
    why = automated_by(headers, sender)
    if why:
        extra = {"automated": True, "automated_by": why}
    return Interaction(
        source=ctx.source, connector="mbox", external_id=external_id, locator=locator,
        kind="email", occurred_at=moment, unit=ctx.unit,
        direction="out" if sender in ctx.me else "in", participants=people,
        thread=thread, subject=header_text(message, headers, "Subject").strip()[:500],
        extra=extra)


def _digest(headers: dict[str, str]) -> str:
    """A stable id for a message without Message-ID: its identifying headers."""
    parts = [headers.get(name, "") for name in ("from", "to", "cc", "date", "subject")]
    blob = "\x1f".join(parts).encode("utf-8", "surrogatepass")
    return "sha256:" + hashlib.sha256(blob).hexdigest()[:24]
