"""OCR repair of card text, before any field is looked for.

Scanners make the same few mistakes on every card: an email broken over two lines
or with `(at)` for `@`, `O` for `0` and `l` for `1` inside phone numbers, stray
spaces. Repairing them here, once, keeps the field extractors simple: they see
text as the card printed it. Every function is pure and total (arbitrary text in,
text out) because the connector must never fail on what a scanner produced.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

# Top-level domains seen on cards; a domain must end with one of them to count as
# finished (what tells "acme" + ".ca" on the next line from a complete address).
TLDS = frozenset("""
com ca fr io org net co ai us uk de ch be info biz app dev tech me eu quebec qc
edu gov ly tv nl es it pt lu mc ma sn tn dz ci cm ht jp cn in au nz br mx ar cl
pro xyz cloud agency studio consulting design digital solutions systems group
law legal finance capital health media global online site store shop team
""".split())

EMAIL_LABELS = frozenset({"e", "email", "e-mail", "courriel", "mail", "courrier", "adresse",
                          "electronique", "@"})

_AT = re.compile(r"\s*[\(\[\{<]\s*(?:at|arobase|a)\s*[\)\]\}>]\s*", re.I)
_DOT = re.compile(r"\s*[\(\[\{<]\s*(?:dot|point|pt)\s*[\)\]\}>]\s*", re.I)
_SPACED_AT = re.compile(r"\s*@\s*")
_SPACE = re.compile(r"[ \t\u00a0\u2009\u202f]+")
_EMAILISH = re.compile(r"^[A-Za-z0-9._%+\-]+$")
_DOMAINISH = re.compile(r"^[A-Za-z0-9.\-]+$")
_ANY_DIGIT = re.compile(r"\d")
_EMAIL_REST = re.compile(r"^[A-Za-z0-9._%+\-]*@")
SEPARATOR = re.compile(r"^\s*-{3,}\s*$")
_SHORT_TAIL = re.compile(r"[a-z]{1,3}")


@dataclass(slots=True)
class Line:
    """A non-empty line of a card with its 1-based line number in the file."""

    number: int
    text: str


_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_WORD_SPLIT = re.compile(r"[\s\-'’.,&/]+")


_COMMON_MARKS = {c: None for c in range(0x300, 0x370) if unicodedata.combining(chr(c))}


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case, no accents, letters and digits only: for comparing, never for showing.

    Cached: the same words (labels, vocabulary, names) come back on every card.
    """
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = decomposed.translate(_COMMON_MARKS)     # the accents of Latin scripts
        if not text.isascii():      # other marks or letters: the general, slower way
            text = "".join(c for c in decomposed if not unicodedata.combining(c))
        if not text.isascii():
            return "".join(c for c in text if c.isalnum()).lower()
    return _NOT_ALNUM.sub("", text.lower())


_NOT_ALNUM_OR_NUL = re.compile(r"[^0-9a-z\x00]+")


@lru_cache(maxsize=65536)
def _fold_words(text: str) -> tuple[str, ...]:
    """`fold` of each piece, computed on the whole text at once.

    The pieces are joined with NUL (never produced by NFKD, and a starter that
    canonical reordering does not cross), so one normalization and one regex fold
    them all; text holding NUL, or non-Latin letters, takes the piece-by-piece way.
    """
    pieces = _WORD_SPLIT.split(text)
    if "\x00" not in text:
        joined = "\x00".join(pieces)
        if not joined.isascii():
            joined = unicodedata.normalize("NFKD", joined).translate(_COMMON_MARKS)
        if joined.isascii():
            return tuple(w for w in _NOT_ALNUM_OR_NUL.sub("", joined.lower()).split("\x00")
                         if w)
    return tuple(w for w in (fold(p) for p in pieces) if w)


def fold_words(text: str) -> list[str]:
    """The folded words of `text`, hyphenated parts split ("Jean-François" -> 2 words)."""
    return list(_fold_words(text))


def clean_line(text: str) -> str:
    """Collapse blanks and drop control characters OCR sometimes leaves behind."""
    if not text.isprintable():      # rare: a character-by-character pass only then
        text = "".join(c if c.isprintable() else " " for c in text)
    return _SPACE.sub(" ", text).strip()


def domain_is_complete(domain: str) -> bool:
    """True when `domain` has a dot and ends with a known top-level domain."""
    if "." not in domain:
        return False
    tld = domain.rsplit(".", 1)[1].lower()
    return tld in TLDS


def repair_email_markers(text: str) -> str:
    """`jf (at) acme (dot) ca`, `jf[at]acme.ca`, `jf @ acme.ca` -> `jf@acme.ca`.

    Only markers are replaced; the bare word " at " is left alone because it also
    occurs in titles ("Head of Sales at Acme").
    """
    if "(" in text or "[" in text or "{" in text or "<" in text:
        text = _AT.sub("@", text)
        text = _DOT.sub(".", text)
    if "@" in text:
        text = _SPACED_AT.sub("@", text)
        text = _close_email_gaps(text)
    return text


def _close_email_gaps(text: str) -> str:
    """Join the pieces of an email that OCR split with a space.

    Left of the `@`, lower-case address-like tokens are glued back until a label
    ("Courriel :") or a capitalised word; right of it, tokens are glued while the
    domain does not yet end with a known top-level domain.
    """
    at = text.find("@")
    left, right = text[:at], text[at + 1:]
    ltoks = left.split(" ")
    keep = len(ltoks)
    while keep > 1:
        tok = ltoks[keep - 2]
        if not tok or not _EMAILISH.match(tok) or tok != tok.lower() \
                or fold(tok) in EMAIL_LABELS or tok.endswith(":"):
            break
        keep -= 1
    if keep < len(ltoks):
        left = " ".join(ltoks[:keep - 1] + ["".join(ltoks[keep - 1:])])
    rtoks = right.split(" ")
    domain = rtoks[0]
    used = 1
    while used < len(rtoks) and used <= 3 and not domain_is_complete(domain.rstrip(".,;")) \
            and _DOMAINISH.match(rtoks[used]):
        domain += rtoks[used]
        used += 1
    if used < len(rtoks) and domain_is_complete(domain) and rtoks[used].startswith(".") \
            and _DOMAINISH.match(rtoks[used]) and domain_is_complete(domain + rtoks[used]):
        domain += rtoks[used]       # "acme.co" + ".uk"
        used += 1
    return left + "@" + " ".join([domain] + rtoks[used:])


def _email_tail_incomplete(text: str) -> bool:
    """A line whose email stops before its top-level domain ("jf@acme", "jf@")."""
    at = text.rfind("@")
    if at < 0:
        return False
    domain = text[at + 1:].split(" ")[0].rstrip(",;")
    return not domain_is_complete(domain)


def _bare_email_head(text: str) -> str | None:
    """The start of an email alone on a line ("jf.trem", "Courriel : jf.trem"), or None."""
    toks = text.split(" ")
    last = toks[-1]
    if not last or not _EMAILISH.match(last) or last != last.lower() or "@" in last \
            or not any(c.isalpha() for c in last) or sum(c.isdigit() for c in last) >= 5:
        return None
    if any(fold(t) not in EMAIL_LABELS and t not in (":", "-") for t in toks[:-1]):
        return None
    if fold(last) in EMAIL_LABELS or domain_is_complete(last.rstrip(".")):
        return None         # a web site alone on its line is not an email's start
    return last


def join_split_lines(lines: list[Line]) -> list[Line]:
    """Undo the line splits OCR makes inside emails and long lines.

    Emails first, in their own pass (an email whose domain goes on on the next
    line; the start of an email alone on a line, before the line holding the rest
    and its `@`), so that the generic rule cannot glue an email's start to the
    line above it. Then lines ending with a connector ("&", ",", "de", "of") or
    followed by a line that starts in lower case (a title broken after "Directeur").
    """
    return _join(_join(lines, _email_join), _text_join)


def _join(lines: list[Line], rule: Callable[[str, str], str | None]) -> list[Line]:
    out: list[Line] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        text = line.text
        start = i
        while i + 1 < len(lines):
            merged = rule(text, lines[i + 1].text)
            if merged is None:
                break
            text = merged
            i += 1
        out.append(line if i == start else Line(line.number, text))
        i += 1
    return out


def _email_join(text: str, nxt: str) -> str | None:
    if "@" in text and _email_tail_incomplete(text) and _DOMAINISH.match(nxt.split(" ")[0]):
        head, _, rest = nxt.partition(" ")
        return repair_email_markers(text + head + (" " + rest if rest else ""))
    if "@" in text and _short_tld_tail(text, nxt):
        return text + nxt
    if "@" not in text and "@" in nxt and _EMAIL_REST.match(nxt) \
            and _bare_email_head(text) is not None:
        return text + nxt
    return None


def _text_join(text: str, nxt: str) -> str | None:
    return text + " " + nxt if _continues(text, nxt) else None


def _short_tld_tail(text: str, nxt: str) -> bool:
    """"jf@acme.co" then "m": a split inside a top-level domain that looked finished."""
    if not _SHORT_TAIL.fullmatch(nxt) or not text[-1:].isalpha():
        return False
    domain = text.rsplit("@", 1)[1].split(" ")[0]
    return " " not in text.rsplit("@", 1)[1] and domain_is_complete(domain + nxt)


_LONE_SUFFIXES = frozenset({"inc", "ltd", "ltee", "llc", "corp", "sarl", "sas", "sencrl", "gmbh",
                            "limited", "limitee", "co", "cie"})
_TRAILING_CONNECTORS = ("&", ",", "-", "–", "/", " de", " des", " du", " d'", " of", " and",
                        " et", " for", " pour", " la", " le", " les", " en", " the", " in")


def _continues(text: str, nxt: str) -> bool:
    if not nxt or "@" in nxt or "@" in text or _ANY_DIGIT.search(text) \
            or _ANY_DIGIT.search(nxt):
        return False
    low = text.lower()
    if low.endswith(_TRAILING_CONNECTORS) and len(text) > 2:
        return True
    if nxt.startswith(("& ", "et ", "and ")) or fold(nxt) in _LONE_SUFFIXES:
        return True
    first = nxt.split(" ")[0]
    return (first[:1].islower() and first.isalpha() and len(first) > 1
            and not nxt.startswith(("www", "http")) and text[:1].isupper())


_DIGITISH = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "|": "1", "i": "1"})


def repair_digits(token: str) -> str:
    """`5l4-555-O142` -> `514-555-0142`: letters that OCR confuses with digits."""
    return token.translate(_DIGITISH)


@dataclass(slots=True)
class Block:
    """One card of a file: its first line number, its cleaned lines and its raw text."""

    first_line: int
    lines: list[Line]
    raw: str


def split_cards(text: str) -> list[Block]:
    """Split a file into cards at lines of `---`.

    Blank blocks (a trailing separator) are not cards and are dropped.
    """
    blocks: list[Block] = []
    current: list[Line] = []
    raw: list[str] = []
    for number, source in enumerate(text.splitlines(), start=1):
        if "---" in source and SEPARATOR.match(source):
            if current:
                blocks.append(Block(current[0].number, current, "\n".join(raw).strip()))
            current, raw = [], []
            continue
        raw.append(source)
        line = clean_line(source)
        if line:
            current.append(Line(number, line))
    if current:
        blocks.append(Block(current[0].number, current, "\n".join(raw).strip()))
    return blocks
