"""Bytes to cards, incrementally: lines, card boundaries, and line-level repairs.

A 1 GB phone export must not be held in memory, so a file is read in chunks and
cut into cards as it goes; only the current card is kept. Everything here works
on lines, before any property is parsed, because that is where real files break
plain parsers (FORMATS.md): byte-order marks, CR-only or mixed line endings,
UTF-16 without a BOM, `begin:vcard ` in lower case with trailing spaces, a card
never closed, garbage between cards, quoted-printable soft line breaks whose
continuation is not indented (and may split a multi-byte UTF-8 character, which
is why QP lines are joined *before* the bytes are decoded).

Encoding: UTF-16/32 (BOM or NUL pattern) is decoded as a stream; anything else is
decoded as UTF-8 with `surrogateescape`, and a line that turns out not to be
UTF-8 is re-decoded on its own (`redecode`) as cp1252 or Mac Roman, as the CSV
reader chooses between them. One cp1252 card in a
UTF-8 file, or one cp1252 line in a UTF-8 card, therefore keeps its accents, and
does not garble the lines around it. Before that, a UTF-8 character that a fold
cut in two is put back together (`rejoin_split_characters`): a property is judged
UTF-8 or not on its unfolded bytes, not line by line.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO

from reseausync.charsets import single_byte_encoding
from reseausync.errors import UnitError
from reseausync.files import sniff_encoding

from ..folding import rejoin_split_characters

__all__ = ["rejoin_split_characters"]     # card.py's, and the vCard tests', name for it

CHUNK = 1 << 20
MAX_CARD_CHARS = 64 * 1024 * 1024   # a card larger than this is refused, not buffered
_BOM = "\ufeff"


@dataclass(slots=True)
class RawCard:
    """The physical lines of one card, BEGIN and END excluded; `line` is BEGIN's number."""

    line: int
    lines: list[tuple[int, str]]
    # no END:VCARD: the card was closed at the next BEGIN:VCARD (see `_closable`)
    end_missing: bool = False

    def text(self) -> str:
        body = "\n".join(line for _, line in self.lines)
        return f"BEGIN:VCARD\n{body}\nEND:VCARD\n"


@dataclass(slots=True)
class Problem:
    """Something between or around cards that cannot be read."""

    line: int
    reason: str
    message: str
    excerpt: str = ""
    # the file ends inside this card: it is being written or was cut short, so what
    # it held past the cut is unknown (Reject.unread: nothing of it is removed)
    cut: bool = False


def iter_lines(stream: IO[bytes]) -> Iterator[str]:
    """Decoded lines of a binary stream, whatever the line endings (CRLF, LF, CR)."""
    head = stream.read(CHUNK)
    encoding = sniff_encoding(head[:65536])
    if encoding.startswith(("utf-16", "utf-32")):
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    else:
        decoder = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
    carry = ""
    data = head
    first = True
    while True:
        final = not data
        text = carry + decoder.decode(data, final)
        if first:
            text = text.lstrip(_BOM)
            first = False
        trailing_cr = ""
        if not final and text.endswith("\r"):
            text, trailing_cr = text[:-1], "\r"
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        parts = text.split("\n")
        carry = parts.pop() + trailing_cr
        yield from parts
        if final:
            if carry:
                yield carry
            return
        data = stream.read(CHUNK)


def lines_of(text: str) -> Iterator[str]:
    """The same line cutting for text already in memory (a CardDAV card)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return iter(text.lstrip(_BOM).split("\n"))


def _is_marker(line: str, marker: str) -> bool:
    stripped = line.strip().lstrip(_BOM)
    return len(stripped) == len(marker) and stripped.upper() == marker


def split_cards(lines: Iterable[str]) -> Iterator[RawCard | Problem]:
    """Cut numbered lines into cards; garbage and unclosed cards become `Problem`s.

    A BEGIN:VCARD inside a card means the card before it was never closed (one of
    the commonest defects of real files, FORMATS.md): a card that names someone
    and does not stop inside a value is closed there (`end_missing`), any other
    is reported; either way the new one is read, so one broken card does not
    take the next ones with it. A card still open at the end of the file is
    reported: a file cut short may have lost any of its lines.

    When the stream itself breaks (`UnitError`: a damaged zip member), the cards
    already yielded stand and the error is raised again naming the first line
    lost: the open card's BEGIN, else the line after the last one read. (One
    loop with the try around it: a per-line helper call would cost a 100,000-card
    import about a second.)
    """
    card: RawCard | None = None
    size = 0
    oversized = False
    garbage_at = 0
    garbage_excerpt = ""
    number = 0
    try:
        for number, line in enumerate(lines, 1):
            if card is None:
                if _is_marker(line, "BEGIN:VCARD"):
                    if garbage_at:
                        yield _garbage(garbage_at, garbage_excerpt)
                        garbage_at = 0
                    card, size, oversized = RawCard(number, []), 0, False
                elif line.strip() and not garbage_at:
                    garbage_at, garbage_excerpt = number, line[:80]
                continue
            if _is_marker(line, "END:VCARD"):
                if oversized:
                    yield Problem(card.line, "card-too-large",
                                  f"card larger than {MAX_CARD_CHARS // 2**20} MiB: not read")
                else:
                    yield card
                card = None
            elif _is_marker(line, "BEGIN:VCARD"):
                if not oversized and _closable(card):
                    card.end_missing = True
                    yield card
                else:
                    yield _unterminated(card, before=number)
                card, size, oversized = RawCard(number, []), 0, False
            elif not oversized:
                size += len(line)
                if size > MAX_CARD_CHARS:
                    oversized, card.lines = True, []
                else:
                    card.lines.append((number, line))
    except UnitError as exc:
        lost = card.line if card is not None else number + 1
        raise UnitError(exc.reason, f"{exc.message} (line {lost}): the rest of the "
                        "file is not read", exc.excerpt) from exc
    if garbage_at:
        yield _garbage(garbage_at, garbage_excerpt)
    if card is not None:
        yield _unterminated(card, before=None)


_NAME_LINE = re.compile(r"(?:[A-Za-z0-9-]+\.)?(?:FN|N)[;:]", re.IGNORECASE)


def _closable(card: RawCard) -> bool:
    """True when a card cut off by the next BEGIN:VCARD is whole enough to keep:
    it has a name (FN or N) and its last line does not end inside a value (a
    quoted-printable soft break). Runs only for a card never closed."""
    if not card.lines or card.lines[-1][1].rstrip().endswith("="):
        return False
    return any(_NAME_LINE.match(text) for _, text in card.lines)


def _garbage(line: int, excerpt: str) -> Problem:
    return Problem(line, "garbage", "text outside any BEGIN:VCARD ... END:VCARD card",
                   excerpt)


def _unterminated(card: RawCard, before: int | None) -> Problem:
    """A card never closed. One still open at the end of the file says the file
    ends inside a card: a phone backup still being copied in, a download cut short
    (QA7 #1: a cron sync of a copy at 60% took the cards after the cut for
    removed, and a publish deleted them from the server)."""
    excerpt = "\n".join(line for _, line in card.lines[:3])[:200]
    if before:
        return Problem(card.line, "unterminated-card",
                       f"no END:VCARD before the BEGIN:VCARD of line {before}", excerpt)
    return Problem(card.line, "unterminated-card", CUT_MESSAGE, excerpt, cut=True)


CUT_MESSAGE = ("no END:VCARD before the end of file: the file ends inside a card (still "
               "being written, or cut short); nothing of it is removed, and it is read "
               "again next run")


def redecode(text: str) -> str:
    """Text decoded as UTF-8 with surrogateescape, each line that was not UTF-8
    re-decoded as cp1252 or Mac Roman, whichever the card's non-UTF-8 bytes read
    as the more plausible text.

    Line by line, not the whole card: one Windows-typed line (a NOTE pasted from
    an old export) in a UTF-8 card must not turn the card's valid UTF-8 name
    into mojibake ("JosÃ©e"). The single-byte encoding is the CSV reader's choice
    (`charsets.single_byte_encoding`, one rule for every file the project reads),
    made on this card's bytes alone: a card reads the same whatever file or place
    in a file it comes from, so moving it is no change to its record. (Read as
    cp1252, an Entourage or Outlook for Mac export's "Frédéric" was "FrŽdŽric".)
    A card that is all UTF-8 costs one encode.
    """
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    lines = [line.encode("utf-8", "surrogateescape") for line in text.split("\n")]
    foreign = [data for data in lines if not _is_utf8(data)]
    encoding = single_byte_encoding(b"\n".join(foreign))
    return "\n".join(data.decode(encoding, "replace") if not _is_utf8(data)
                     else data.decode("utf-8") for data in lines)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True




_BASE64_TEXT = re.compile(r"[A-Za-z0-9+/]+=*\Z")


def join_base64_runs(logical: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Logical lines with a 2.1 base64 block continued on unindented lines joined.

    Older vCard 2.1 writers put `PHOTO;ENCODING=BASE64:` and then the base64 on
    lines of their own, not indented, ended by a blank line (which `unfold`
    already dropped). A line without a colon made only of base64 characters,
    right after a base64 property, is therefore more of it. Only called for a
    card the fast parser could not read: a well-formed card never pays for it.
    """
    out: list[tuple[int, str]] = []
    in_base64 = False
    for number, text in logical:
        stripped = text.strip()
        if in_base64 and ":" not in text and _BASE64_TEXT.match(stripped):
            start, head = out[-1]
            out[-1] = (start, head + stripped)
            continue
        out.append((number, text))
        colon = text.find(":")
        head = text[:colon].upper() if colon > 0 else ""
        in_base64 = "BASE64" in head or "ENCODING=B" in head
    return out


def _is_qp_head(line: str) -> bool:
    colon = line.find(":")
    return colon > 0 and "QUOTED-PRINTABLE" in line[:colon].upper()


def unfold(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Logical lines: folded continuations (leading space or tab) joined, and
    quoted-printable soft line breaks (`=` at line end) joined with the next line
    whether it is indented or not.

    Each logical line is gathered as a list of pieces and joined once: adding
    each continuation to a growing string copied the whole line again, O(n²) on
    a folded PHOTO (QA5 #2: an 8 MB photo took 61 s to import)."""
    out: list[tuple[int, str]] = []
    current: _Logical | None = None
    for number, line in lines:
        if current is not None and current.qp_open():
            current.drop_soft_break()
            current.add(line[1:] if line[:1] in " \t" else line)
        elif line[:1] in " \t" and current is not None:
            current.add(line[1:])
        elif not line.strip():
            continue
        else:
            if current is not None:
                out.append(current.done())
            current = _Logical(number, line)
    if current is not None:
        out.append(current.done())
    return out


class _Logical:
    """One logical line being unfolded: its pieces (never an empty one), and
    whether its head (the text before the first colon) says QUOTED-PRINTABLE,
    decided once, when the first colon arrives."""

    def __init__(self, number: int, first: str) -> None:
        self.number = number
        self.pieces: list[str] = []
        self.qp_head: bool | None = None       # None: no colon seen yet
        self.add(first)

    def add(self, piece: str) -> None:
        if not piece:
            return
        if self.qp_head is None and ":" in piece:
            head = "".join(self.pieces) + piece[:piece.index(":")]
            self.qp_head = bool(head) and "QUOTED-PRINTABLE" in head.upper()
        self.pieces.append(piece)

    def qp_open(self) -> bool:
        """Whether the line so far ends with a QP soft line break."""
        return bool(self.qp_head) and bool(self.pieces) and self.pieces[-1].endswith("=")

    def drop_soft_break(self) -> None:
        self.pieces[-1] = self.pieces[-1][:-1]
        if not self.pieces[-1]:
            self.pieces.pop()

    def done(self) -> tuple[int, str]:
        return self.number, "".join(self.pieces)
