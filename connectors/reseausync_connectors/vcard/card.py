"""One raw card to one `SourceRecord`: fast parser first, vobject second, else an error.

`CardError` carries a reject code and the line that could not be read, so the
connector can report `file:line` and go on with the next card.
"""

from __future__ import annotations

from reseausync.models import SourceRecord

from .cards import RawCard, redecode, unfold
from .contentline import LineError, Prop, parse_line
from .record import build_record
from .reference import vobject_props


class CardError(Exception):
    def __init__(self, reason: str, message: str, line: int) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.line = line


def fast_props(logical: list[tuple[int, str]]) -> list[Prop]:
    return [parse_line(text, number) for number, text in logical]


def card_props(card: RawCard) -> tuple[list[Prop], str]:
    """The card's properties and its text (as read, decoded).

    The cp1252 re-decoding happens here, per card, so one Windows card inside a
    UTF-8 file keeps its accents.
    """
    raw = card.text()
    fixed = redecode(raw)
    if fixed is not raw:
        texts = fixed.split("\n")[1:-2]
        card = RawCard(card.line, [(n, t) for (n, _), t in zip(card.lines, texts, strict=True)])
        raw = fixed
    logical = unfold(card.lines)
    try:
        return fast_props(logical), raw
    except LineError as exc:
        failed = exc
        bad_line = _failing_line(logical)
    try:
        return vobject_props(logical), raw
    except Exception as exc:  # vobject raises many types; any of them means "unreadable"
        raise CardError(failed.reason, f"line {bad_line}: {failed.message} "
                        f"(vobject: {type(exc).__name__})", bad_line) from exc


def _failing_line(logical: list[tuple[int, str]]) -> int:
    for number, text in logical:
        try:
            parse_line(text, number)
        except LineError:
            return number
    return 0


def read_card(card: RawCard, *, source: str, unit: str, locator: str,
              external_id: str | None = None) -> SourceRecord:
    props, raw = card_props(card)
    return build_record(props, source=source, unit=unit, locator=locator, raw=raw,
                        external_id=external_id)
