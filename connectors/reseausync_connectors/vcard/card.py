"""One raw card to one `SourceRecord`: fast parser first, vobject second, else an error.

`CardError` carries a reject code and the line that could not be read, so the
connector can report `file:line` and go on with the next card.
"""

from __future__ import annotations

from reseausync.models import SourceRecord

from .cards import RawCard, join_base64_runs, redecode, rejoin_split_characters, unfold
from .contentline import LineError, Prop, parse_line
from .record import build_record
from .reference import vobject_props

# vobject needs about 150 bytes of memory per character of a card it cannot read
# (a 10 MB garbage line inside a card cost 1.5 GB): a larger card with an
# unreadable line is not handed to it; the line is left out with its reject.
MAX_VOBJECT_CHARS = 256 * 1024


class CardError(Exception):
    def __init__(self, reason: str, message: str, line: int) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.line = line


def fast_props(logical: list[tuple[int, str]]) -> list[Prop]:
    return [parse_line(text, number) for number, text in logical]


def card_props(card: RawCard, dropped: list[CardError] | None = None
               ) -> tuple[list[Prop], str]:
    """The card's properties and its text (as read, decoded).

    The cp1252 re-decoding happens here, per line of the card (`redecode`), so
    one Windows card or line inside a UTF-8 file keeps its accents; a UTF-8
    character a fold cut in two is put back together before (`_decoded`).

    Well-formed cards take the fast parser alone. A card it cannot read whole is
    repaired (`join_base64_runs`: a 2.1 photo continued on unindented lines) and
    read line by line; if a line is still unreadable, vobject gets the whole card
    (it reads a few things the fast parser does not); if vobject fails too, the
    unreadable lines are dropped into `dropped` and the card keeps the rest
    (FORMATS.md: reject only what cannot be repaired). Without a `dropped` list,
    or when nothing but VERSION would be left, the card is a `CardError`.
    vobject is skipped for a card over `MAX_VOBJECT_CHARS` (its memory grows at
    about 150x the card's size): a well-formed card never reaches it, and a huge
    damaged one keeps its memory in proportion to its size.
    """
    raw = card.text()
    fixed = redecode(raw)
    if fixed is not raw:
        card, raw = _decoded(card)
    logical = unfold(card.lines)
    try:
        return fast_props(logical), raw
    except LineError:
        pass
    logical = join_base64_runs(logical)
    props, errors = _readable_props(logical)
    if not errors:
        return props, raw
    vobject_error: Exception | None = None
    if len(raw) <= MAX_VOBJECT_CHARS:
        try:
            return vobject_props(logical), raw
        except Exception as exc:  # vobject raises many types; any of them means "unreadable"
            vobject_error = exc
    if dropped is None or all(p.name == "VERSION" for p in props):
        first = errors[0]
        tried = (f"vobject: {type(vobject_error).__name__}" if vobject_error else
                 f"card over {MAX_VOBJECT_CHARS // 1024} KiB, vobject not tried")
        raise CardError(first.reason, f"line {first.line}: {first.message} ({tried})",
                        first.line) from vobject_error
    dropped.extend(errors)
    return props, raw


def _decoded(card: RawCard) -> tuple[RawCard, str]:
    """A card that is not valid UTF-8 (surrogate-escaped bytes): characters a fold
    cut in two put back together first, then each line that is still not UTF-8
    read as cp1252 (`redecode`); the card and its text."""
    lines = rejoin_split_characters(card.lines)
    raw = redecode(RawCard(card.line, lines).text())
    texts = raw.split("\n")[1:-2]
    card = RawCard(card.line, [(n, t) for (n, _), t in zip(lines, texts, strict=True)],
                   card.end_missing)
    return card, raw


def _readable_props(logical: list[tuple[int, str]]) -> tuple[list[Prop], list[CardError]]:
    """Every line the fast parser can read, and a `CardError` for each other one."""
    props: list[Prop] = []
    errors: list[CardError] = []
    for number, text in logical:
        try:
            props.append(parse_line(text, number))
        except LineError as exc:
            errors.append(CardError(exc.reason, exc.message, number))
    return props, errors


def read_card(card: RawCard, *, source: str, unit: str, locator: str,
              external_id: str | None = None,
              dropped: list[CardError] | None = None) -> SourceRecord:
    """`dropped`, when given, receives the lines left out of the record (see
    `card_props`); without it a card with an unreadable line is a `CardError`.
    A contact group's card is a `CardError` too (`not_a_group`)."""
    props, raw = card_props(card, dropped)
    record = build_record(props, source=source, unit=unit, locator=locator, raw=raw,
                          external_id=external_id)
    not_a_group(record, card.line)
    if card.end_missing:
        record.extra["end_missing"] = "closed at the next BEGIN:VCARD"
    return record


def not_a_group(record: SourceRecord, line: int) -> None:
    """Raise a "contact-group" `CardError` when the card is a contact group, not a
    person: vCard 4.0 `KIND:group`, Apple's `X-ADDRESSBOOKSERVER-KIND:group`
    (iCloud and macOS exports, CardDAV books). Imported as it was, each group was
    a person ("Amis du hockey", even split into a given and a family name):
    listed, counted, called never engaged, exported and published. The directory
    is of people, so the card is a reject naming the group and its member count,
    and the people in it come from their own cards (a vCard file gives them the
    group's name as a category: `groups`)."""
    if record.extra.get("kind") != "group":
        return
    name = record.display_name or record.organization or "(no name)"
    count = record.extra.get("members", 0)
    raise CardError("contact-group",
                    f"contact group {name!r} ({count} member{'' if count == 1 else 's'}): "
                    "a group is not a person, not imported as a contact", line)
