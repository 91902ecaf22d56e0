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
from email.utils import getaddresses

from reseausync.errors import ItemError
from reseausync.models import Interaction, Participant
from reseausync.normalize.emails import normalize_email

from .dates import clock_and_zone, implausible, received_date, rfc_date

_PARSER = BytesHeaderParser(policy=compat32)
_MSG_ID = re.compile(r"<([^<>\s]+)>")
_LINE_BREAK = re.compile(r"[\r\n]")
_AUTOMATED_SENDER = re.compile(
    r"^(no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer[-_.]?daemon|postmaster)([-+_.].*)?$"
    r"|^microsoftexchange[0-9a-f]{32}$",        # Exchange's delivery reports
    re.IGNORECASE)
_BULK = ("bulk", "list", "junk", "auto_reply")
_AUTOREPLY_HEADERS = ("X-Autoreply", "X-Autorespond")
_NOT_SET = ("no", "false", "0")
# Gmail labels (X-Gmail-Labels of a Takeout mbox), as Gmail names them in the
# languages of the users here; compared case-folded.
DRAFT_LABELS = frozenset({"drafts", "draft", "brouillons", "brouillon", "entwürfe",
                          "borradores", "bozze", "rascunhos"})
SENT_LABELS = frozenset({"sent", "sent mail", "envoyés", "messages envoyés", "gesendet",
                         "enviados", "inviati"})
SPAM_LABELS = frozenset({"spam", "pourriel", "pourriels", "junk", "courrier indésirable"})
_ADDRESS_FIELDS = ("from", "to", "cc", "bcc", "date")
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
_COMMENT = re.compile(r"\s*\([^()]*\)\s*$")      # "(Eastern Standard Time)"
_GMT_OFFSET = re.compile(
    r"\b(?:GMT|UTC|UT)\s*(?P<sign>[+-])(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?\b")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_WORD = re.compile(r"[^\W\d_]+\.?")
_LEADING_WEEKDAY = re.compile(r"^\s*[^\W\d_]+\.?,?\s+(?=\d)")
# Month names of the mail clients that localise the Date header (French, German,
# Spanish), full or abbreviated, accents or not; English ones are read as they are.
_MONTHS = {name: english for english, names in {
    "Jan": "janvier janv jänner januar jan enero ene",
    "Feb": "février fevrier févr fevr februar feb febrero",
    "Mar": "mars märz marz mär marzo",
    "Apr": "avril avr april abril abr",
    "May": "mai mayo",
    "Jun": "juin juni junio",
    "Jul": "juillet juil juli julio",
    "Aug": "août aout august agosto ago",
    "Sep": "septembre sept september septiembre sep",
    "Oct": "octobre octob oktober okt octubre",
    "Nov": "novembre november noviembre",
    "Dec": "décembre decembre déc dezember dez diciembre dic",
}.items() for name in [english.lower(), *names.split()]}

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
    # what the mailbox file is, from its name (`connector.mailbox_role`): "drafts"
    # (never sent: left out), "sent", or "" for any other
    role: str = ""


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


@dataclass(slots=True)
class Dated:
    """A mail's date, and where it came from when not from its Date header as
    written: `source` ("mbox From_ line", "Received: header"; "" for the Date),
    `problem` (why, for the interaction's extra; "" when nothing was wrong) and
    `floating` (no zone was read: the wall time as written, stored as UTC)."""

    moment: datetime
    source: str = ""
    problem: str = ""
    floating: bool = False


def date_of(headers: Headers, envelope: str = "") -> Dated:
    """The mail's date by the rules of `dates.py`: the first Date header in UTC,
    unless missing, unreadable or implausible next to the transport's date (the
    From_ line `envelope`, from `split.envelope_date`, or the top Received:
    header); MessageError when nothing dates the mail. Errors other than
    ValueError from the date parser go up, as they did from `policy.default`, and
    become a bad-header reject."""
    values = headers.fields.get("date")
    value = values[0] if values else ""
    moment, note = read_date(value) if value else (None, "")
    transport = _transport(headers, envelope)
    if moment is not None:
        wrong = implausible(moment, transport.moment if transport else None)
        if not wrong:
            return Dated(moment, "", note, floating=bool(note))
        assert transport is not None        # implausible() needs one
        return Dated(transport.moment, transport.source, wrong, transport.floating)
    if not values:
        error = MessageError("no-date", "message has no Date header")
    else:
        error = MessageError("bad-date",
                             f"undecodable Date: {fix_text(value).strip()[:60]!r}")
    if transport is None:
        raise error
    return Dated(transport.moment, transport.source, error.message, transport.floating)


def _transport(headers: Headers, envelope: str) -> Dated | None:
    """The date the mail's delivery gives: its From_ line's when it has a zone
    (Gmail Takeout), else the top Received: header's (written by the last server,
    the owner's provider, with its zone), else the From_ line's read as UTC
    (Thunderbird, mutt: local time, `floating`); None when nothing gives one."""
    line, zoneless = read_date(envelope) if envelope else (None, "")
    if line is not None and not zoneless:
        return Dated(line, "mbox From_ line")
    received = received_date(headers.first.get("received", ""))
    moment, note = read_date(received) if received else (None, "")
    if moment is not None and not note:
        return Dated(moment, "Received: header")
    return Dated(line, "mbox From_ line", floating=True) if line is not None else None


def parse_date(value: str) -> datetime | None:
    """A mail date in UTC, None when it is none (see `read_date`)."""
    return read_date(value)[0]


def read_date(value: str) -> tuple[datetime | None, str]:
    """A mail date in UTC (None when it is none), and the note to keep when its zone
    was not read ("" when it was): RFC 5322 (and the obsolete forms `email.utils`
    reads), with a zone written "GMT-0500" or "UTC+01:00" (read as GMT and the
    offset dropped before), a zone name of `dates.NAMED_ZONES` ("CEST") or a
    12-hour time ("9:00 AM -0500"); ISO 8601 ("2026-11-10T09:00:00-05:00");
    French, German or Spanish day and month names ("mar., 10 nov. 2026")."""
    text = _COMMENT.sub("", fix_text(value)).strip()
    fixed, note = clock_and_zone(_GMT_OFFSET.sub(_offset, text))
    moment = rfc_date(fixed)
    if moment is None:
        moment = _iso_date(text)
    if moment is None:
        fixed, note = clock_and_zone(_english_names(text))
        moment = rfc_date(fixed)
    if moment is None:
        return None, ""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC), note
    return moment.astimezone(UTC), ""


def _offset(match: re.Match[str]) -> str:
    """"GMT-0500", "UTC+1", "GMT +01:00" as the numeric zone "-0500", "+0100"."""
    hours, minutes = int(match["hours"]), int(match["minutes"] or 0)
    return f"{match['sign']}{hours:02d}{minutes:02d}"


def _iso_date(text: str) -> datetime | None:
    if not _ISO_DATE.match(text):
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T", 1))
    except ValueError:
        return None


def _english_names(text: str) -> str:
    """A localised date with its weekday dropped and its month in English, or ""
    when no foreign month name is in it."""
    words = _WORD.findall(text)
    months = [w for w in words if w.casefold().rstrip(".") in _MONTHS]
    if not months:
        return ""
    out = _WORD.sub(lambda m: _MONTHS.get(m[0].casefold().rstrip("."), m[0]), text)
    weekday = _LEADING_WEEKDAY.match(out)
    if weekday and weekday[0].strip(" \t.,") not in _MONTHS.values():
        out = out[weekday.end():]
    return out


def message_ids(value: str) -> list[str]:
    return _MSG_ID.findall(value)


def automated_by(raw: dict[str, str], sender: str) -> str:
    """Why a message is not engagement (a list, a robot, an auto-reply, a delivery
    report, spam), or "" for a person's mail. `raw` maps lower-case header names to
    their first unfolded value. Vacation responders (cPanel/Exim, many others)
    often write no Auto-Submitted, only X-Autoreply / X-Autorespond / Precedence:
    auto_reply; bounces and read receipts are multipart/report, or come from the
    null sender `Return-Path: <>`."""
    for name in ("List-Id", "List-Unsubscribe"):
        if name.lower() in raw:
            return name
    precedence = raw.get("precedence", "").strip().lower()
    if precedence in _BULK:
        return f"Precedence: {precedence}"
    auto = raw.get("auto-submitted", "").strip().lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    for name in _AUTOREPLY_HEADERS:
        if name.lower() in raw and raw[name.lower()].strip().lower() not in _NOT_SET:
            return name
    if raw.get("content-type", "").strip().lower().startswith("multipart/report"):
        return "Content-Type: multipart/report"
    if raw.get("return-path", "x").replace(" ", "") == "<>":
        return "Return-Path: <>"
    if _AUTOMATED_SENDER.match(sender.split("@", 1)[0]):
        return "sender"
    if gmail_labels(raw) & SPAM_LABELS:
        return "X-Gmail-Labels: Spam"
    return ""


def gmail_labels(raw: dict[str, str]) -> set[str]:
    """The Gmail labels of a Takeout message (X-Gmail-Labels), case-folded."""
    value = raw.get("x-gmail-labels", "")
    if not value:
        return set()
    labels = (decode_words(label).strip().strip('"').casefold() for label in value.split(","))
    return {label for label in labels if label}


def is_draft(raw: dict[str, str], role: str) -> bool:
    """A draft was never sent: Gmail's Drafts label (without Sent), or a message of a
    Drafts mailbox. Thunderbird's X-Mozilla-Draft-Info is no sign: it stays on mail
    Thunderbird sent, so a reply in someone's Inbox or the owner's mail moved to
    Archives carries it (review: such mail vanished with no reject)."""
    labels = gmail_labels(raw)
    if labels & DRAFT_LABELS and not labels & SENT_LABELS:
        return True
    return role == "drafts"


def interaction(raw: bytes, locator: str, ctx: MessageContext, envelope: str = ""
                ) -> Interaction | None:
    """The interaction of one message, None for a mail with nobody but the owner on
    it (a note to self) and for a draft, never sent; raises MessageError for a
    message that cannot be placed. `envelope` is the date of its From_ line, the
    date used when the Date header is missing or unreadable."""
    headers = raw_headers(parse(raw))
    if is_draft(headers.first, ctx.role):
        return None
    unreadable: list[str] = []
    senders = addresses(headers, "From", unreadable)
    if not senders:
        shown = f" ({unreadable[0][:60]!r} is not an address)" if unreadable else ""
        raise MessageError("bad-header", f"no readable address in From{shown}")
    dated = date_of(headers, envelope)
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
    if dated.source:
        extra["date_from"] = dated.source
    if dated.problem:
        extra["date_problem"] = dated.problem
    if dated.floating:
        extra["floating"] = True
    return Interaction(
        source=ctx.source, connector="mbox", external_id=external_id, locator=locator,
        kind="email", occurred_at=dated.moment, unit=ctx.unit,
        direction="out" if sender in ctx.me else "in" if ctx.me else "none",
        participants=people,
        thread=thread, subject=header_text(headers, "Subject").strip()[:500],
        extra=extra)


def _digest(headers: dict[str, str]) -> str:
    """A stable id for a message without Message-ID: its identifying headers."""
    parts = [headers.get(name, "") for name in ("from", "to", "cc", "date", "subject")]
    blob = "\x1f".join(parts).encode("utf-8", "surrogatepass")
    return "sha256:" + hashlib.sha256(blob).hexdigest()[:24]
