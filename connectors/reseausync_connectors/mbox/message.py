"""One message's header block turned into an email interaction.

Only the header block is parsed, with the standard library's `BytesHeaderParser`
under `policy.compat32`: it splits and unfolds the header lines and records
defects instead of raising, but builds no header objects. `policy.default` parses
every header it is asked for into a structured object (an address list, a date, a
decoded text), which cost about a millisecond per message, more than everything
else; here the few headers that need decoding are decoded directly:
`email.utils.getaddresses` for From/To/Cc, `email.header.decode_header` for RFC
2047 names and subjects, `email.utils.parsedate_to_datetime` for the Date. The
defects that make a message unusable become a `MessageError`, hence a reject;
the others are tolerated.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email import errors
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import getaddresses, parsedate_to_datetime

from reseausync.errors import ItemError
from reseausync.models import Interaction, Participant
from reseausync.normalize.emails import normalize_email

_PARSER = BytesHeaderParser(policy=compat32)
_MSG_ID = re.compile(r"<([^<>\s]+)>")
_LINE_BREAK = re.compile(r"[\r\n]")
_AUTOMATED_SENDER = re.compile(
    r"^(no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer[-_.]?daemon|postmaster)([-+_.].*)?$",
    re.IGNORECASE)
_BULK = ("bulk", "list", "junk")
_ADDRESS_FIELDS = ("from", "to", "cc", "bcc", "date")
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")

# The address shapes nearly every mail has, read by one regex; anything else (comments,
# groups, escapes, empty entries, odd spacing) goes to getaddresses, whose result the
# fast path must equal exactly (a property test holds them together).
_ADDR_SPEC = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-]+)*" \
             r"@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+"
_PHRASE_ATOM = r"[^\s\"(),:;<>@\[\]\\]+"
_ONE_ADDRESS = re.compile(
    r"[ \t]*(?:"
    rf"(?P<bare>{_ADDR_SPEC})"
    rf"|<(?P<angle>{_ADDR_SPEC})>"
    rf"|\"(?P<quoted>[^\"\\\r\n]*)\"[ \t]*<(?P<qaddr>{_ADDR_SPEC})>"
    rf"|(?P<phrase>{_PHRASE_ATOM}(?:[ \t]+{_PHRASE_ATOM})*)[ \t]*<(?P<paddr>{_ADDR_SPEC})>"
    r")[ \t]*(?:,|$)")


class MessageError(ItemError):
    """One item cannot be read: a reject with this reason code."""


@dataclass(slots=True)
class MessageContext:
    """Where the messages come from, and the owner's addresses: configured or guessed
    (`owner.py`); empty when nobody knows, and then every direction is "none"."""

    source: str
    unit: str
    me: frozenset[str]


@dataclass(slots=True)
class Headers:
    """A header block as text: `first` holds each header's first value by lower-case
    name, unfolded and blank-collapsed (ids, list markers, subject, the digest);
    `fields` every value, line breaks removed, of From, To, Cc, Bcc and Date."""

    first: dict[str, str]
    fields: dict[str, list[str]]


def parse(headers: bytes) -> Message:
    message = _PARSER.parsebytes(headers)
    if any(isinstance(d, errors.MissingHeaderBodySeparatorDefect) for d in message.defects):
        raise MessageError("bad-header", "a line in the header block is not a header "
                                         "(the headers after it would be lost)")
    return message


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


def raw_headers(message: Message) -> Headers:
    """The header block's raw values (see Headers), read once."""
    first: dict[str, str] = {}
    fields: dict[str, list[str]] = {}
    for key, value in message.raw_items():
        name = key.lower()
        text = str(value)
        if name not in first:
            first[name] = " ".join(text.split())
        if name in _ADDRESS_FIELDS:
            fields.setdefault(name, []).append(_LINE_BREAK.sub("", text))
    return Headers(first, fields)


def decode_words(text: str) -> str:
    """RFC 2047 encoded words decoded ("=?utf-8?q?=C3=89lise?=" -> "Élise"), then raw
    8-bit bytes (surrogate escapes) as UTF-8, else cp1252. An encoded word in an
    unknown charset is read as ASCII with replacements, as `policy.default` did."""
    if "=?" in text:
        try:
            text = str(make_header(decode_header(text)))
        except (LookupError, UnicodeError, errors.HeaderParseError, ValueError):
            text = _decode_loosely(text)
    if not text.isascii() and _ESCAPED_BYTE.search(text):
        return fix_text(text)
    return text


def _decode_loosely(text: str) -> str:
    """Encoded words one by one, each in its charset when known, else as ASCII."""
    try:
        chunks = decode_header(text)
    except (errors.HeaderParseError, ValueError):
        return text
    out = []
    for chunk, charset in chunks:
        if isinstance(chunk, str):
            out.append(chunk)
            continue
        try:
            out.append(chunk.decode(charset or "ascii", "replace"))
        except LookupError:
            out.append(chunk.decode("ascii", "surrogateescape"))
    return "".join(out)


def header_text(headers: Headers, name: str) -> str:
    """A text header decoded: RFC 2047 words, and raw 8-bit bytes as UTF-8 else cp1252."""
    return decode_words(headers.first.get(name.lower(), ""))


def addresses(headers: Headers, name: str, unreadable: list[str] | None = None
              ) -> list[Participant]:
    """The people of one address header. An entry whose address does not have the
    shape of one (`normalize_email` gives ""), such as the `marie@exa` of a file
    cut short, is not a person: it is left out, and added to `unreadable` when
    it has an "@" (the message then says so in its extra, so it is not lost
    silently); entries without "@" are the group syntax and empty list items."""
    found = []
    for value in headers.fields.get(name.lower(), []):
        for display, addr in split_addresses(value):
            raw = fix_text(addr).strip()
            email = normalize_email(raw)
            if not email:
                if "@" in raw and unreadable is not None:
                    unreadable.append(raw)
                continue
            if display and "(" in value and _named_by_comment(value, addr):
                display = ""
            display = decode_words(display).strip()
            found.append(Participant(name="" if display.lower() == email else display,
                                     email=email))
    return found


def split_addresses(value: str) -> list[tuple[str, str]]:
    """(display name, address) pairs of one address-list header, as getaddresses
    gives them; its character-by-character parser cost more than the rest of the
    message, so the common shapes are read by `_ONE_ADDRESS` and only the others
    by getaddresses."""
    found: list[tuple[str, str]] = []
    at, end = 0, len(value)
    while at < end:
        match = _ONE_ADDRESS.match(value, at)
        if match is None or match.end() == at:
            return getaddresses([value])
        bare, angle, quoted, qaddr, phrase, paddr = match.groups()
        if bare or angle:
            found.append(("", bare or angle))
        elif qaddr:
            found.append((quoted, qaddr))
        else:
            found.append((" ".join(phrase.split()), paddr))
        at = match.end()
        if value.endswith(",") and at == end:
            return getaddresses([value])    # a trailing comma: what getaddresses makes of it
    return found if found else getaddresses([value])


def _named_by_comment(value: str, addr: str) -> bool:
    """True for a bare address whose "name" is its comment ("jo@x.ca (Jo)"), which
    getaddresses offers as the display name; `policy.default` gave none and so do we."""
    bracketed = re.compile(r"<\s*" + re.escape(addr) + r"\s*>", re.IGNORECASE)
    return bracketed.search(value) is None


def date_of(headers: Headers) -> datetime:
    """The first Date header in UTC (no zone: UTC); MessageError when missing or
    undecodable. Errors other than ValueError from the date parser go up, as they
    did from `policy.default`, and become a bad-header reject."""
    values = headers.fields.get("date")
    if not values:
        raise MessageError("no-date", "message has no Date header")
    value = values[0]
    try:
        moment = parsedate_to_datetime(value) if value else None
    except ValueError:
        moment = None
    if moment is None:
        raise MessageError("bad-date", f"undecodable Date: {fix_text(value).strip()[:60]!r}")
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def message_ids(value: str) -> list[str]:
    return _MSG_ID.findall(value)


def automated_by(raw: dict[str, str], sender: str) -> str:
    """Why a message is not engagement (a list, a robot), or "" for a person's mail.
    `raw` maps lower-case header names to their first unfolded value."""
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
    headers = raw_headers(parse(raw))
    unreadable: list[str] = []
    senders = addresses(headers, "From", unreadable)
    if not senders:
        shown = f" ({unreadable[0][:60]!r} is not an address)" if unreadable else ""
        raise MessageError("bad-header", f"no readable address in From{shown}")
    moment = date_of(headers)
    sender = senders[0].email
    recipients = addresses(headers, "To", unreadable) + addresses(headers, "Cc", unreadable)
    if sender in ctx.me and "bcc" in headers.fields:
        # Only the sender's copy keeps a Bcc: the owner wrote to these people too.
        recipients += addresses(headers, "Bcc", unreadable)
    people: list[Participant] = []
    seen: set[str] = set()
    for person in senders[:1] + recipients:     # the sender first: engagement relies on it
        if person.email in ctx.me or person.email in seen:
            continue
        seen.add(person.email)
        people.append(person)
    if not people:
        return None
    first = headers.first
    own_id = next(iter(message_ids(first.get("message-id", ""))), "")
    references = message_ids(first.get("references", ""))
    replied = message_ids(first.get("in-reply-to", ""))
    external_id = own_id or _digest(first)
    thread = (references or replied or [external_id])[0]
    extra: dict = {}
    why = automated_by(first, sender)
    if why:
        extra = {"automated": True, "automated_by": why}
    if unreadable:
        extra["unreadable_addresses"] = unreadable
    return Interaction(
        source=ctx.source, connector="mbox", external_id=external_id, locator=locator,
        kind="email", occurred_at=moment, unit=ctx.unit,
        direction="out" if sender in ctx.me else "in" if ctx.me else "none",
        participants=people,
        thread=thread, subject=header_text(headers, "Subject").strip()[:500],
        extra=extra)


def _digest(headers: dict[str, str]) -> str:
    """A stable id for a message without Message-ID: its identifying headers."""
    parts = [headers.get(name, "") for name in ("from", "to", "cc", "date", "subject")]
    blob = "\x1f".join(parts).encode("utf-8", "surrogatepass")
    return "sha256:" + hashlib.sha256(blob).hexdigest()[:24]
