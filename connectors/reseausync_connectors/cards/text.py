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

from .words import COMPANY_WORDS, TITLE_WORDS

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
# A line of one repeated rule character: `---` is the documented separator; `===`,
# `***`, `___`, `~~~` (and the same spaced out) are what people type between cards.
SEPARATOR = re.compile(r"^\s*(?:-{3,}|={3,}|\*{3,}|_{3,}|~{3,}|(?:[-=*_~] ){2,}[-=*_~])\s*$")
_SEPARATOR_CHARS = frozenset("-=*_~")
FORM_FEED = "\f"
# Every line break str.splitlines knows except the form feed, which starts a page.
_LINE_BREAK = re.compile(r"\r\n|[\n\r\v\x1c\x1d\x1e\x85\u2028\u2029]")
_SHORT_TAIL = re.compile(r"[a-z]{1,3}")
_NAME_WORD = re.compile(r"^(?:[^\W\d_]|['’.\-])+$")


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
    sites = _sites(lines)
    lines = _join(lines, lambda text, nxt: _email_join(text, nxt, sites))
    brands = _brands(lines)
    return _join(lines, lambda text, nxt: _text_join(text, nxt, brands))


def _brands(lines: list[Line]) -> frozenset[str]:
    """The folded first labels of the card's email domains ("shopify"): a lower-case
    logo line that spells one is the company, never the end of the title above it."""
    out: set[str] = set()
    for line in lines:
        for token in line.text.split(" "):
            if "@" in token:
                out.add(fold(token.partition("@")[2].split(".")[0]))
    return frozenset(out)


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


def _email_join(text: str, nxt: str, sites: frozenset[str] = frozenset()) -> str | None:
    if "@" in text and _email_tail_incomplete(text) and _DOMAINISH.match(nxt.split(" ")[0]):
        head, _, rest = nxt.partition(" ")
        return repair_email_markers(text + head + (" " + rest if rest else ""))
    if "@" in text and _short_tld_tail(text, nxt):
        return text + nxt
    if "@" not in text and "@" in nxt and _EMAIL_REST.match(nxt) \
            and _starts_the_email(text, nxt, sites):
        return text + nxt
    return None


def _starts_the_email(text: str, nxt: str, sites: frozenset[str] = frozenset()) -> bool:
    """Whether `text` is the start of the email on `nxt` ("jf.trem" + "blay@acme.ca").

    A lower-case line above an email is sometimes the logo or the brand: "shopify"
    above "kate.obrien@shopify.com" (the email's own domain label), or
    "asbelanger.photo" when the card prints "www.asbelanger.photo" (one of its web
    sites). Gluing those invents an address that splits the person from their other
    records, so they are never glued; any other address-like head is, as before.
    """
    head = _bare_email_head(text)
    if head is None:
        return False
    local, _, domain = nxt.partition("@")
    if not local or head.endswith((".", "-", "_")) or local.startswith((".", "-", "_")) \
            or head != text.strip():
        return True         # the split is visible, or a label ("Courriel :") precedes
    return head != domain.split(".")[0].lower() and head not in sites


def _sites(lines: list[Line]) -> frozenset[str]:
    """The web hosts a card prints with `www.` or `http` ("asbelanger.photo")."""
    out: set[str] = set()
    for line in lines:
        for token in line.text.lower().split(" "):
            if token.startswith(("www.", "http")):
                host = token.split("://")[-1].removeprefix("www.").split("/")[0]
                out.add(host.rstrip(".,;"))
    return frozenset(out)


def _text_join(text: str, nxt: str, brands: frozenset[str] = frozenset()) -> str | None:
    if not _continues(text, nxt) or fold(nxt) in brands:
        return None
    if text.endswith("-") and text[-2:-1].isalpha() and nxt[:1].isalpha():
        return text + nxt                       # "Jean-" + "Philippe": no space
    return text + " " + nxt


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
            and not nxt.startswith(("www", "http")) and text[:1].isupper()
            and not stands_as_name(text))


def stands_as_name(text: str) -> bool:
    """Two to four capitalised words, none of them a title or company word ("Marie
    Lambert"): a name line, which a lower-case line under it ("designer ux",
    "koala studio" on a minimalist card) never continues."""
    words = text.split(" ")
    if not 2 <= len(words) <= 4:
        return False
    for word in words:
        folded = fold(word)
        if not word[:1].isupper() or not _NAME_WORD.match(word) \
                or folded in TITLE_WORDS or folded in COMPANY_WORDS:
            return False
    return True


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
    """Split a file into cards.

    At separator lines (`---` as documented, and the `===`, `***`, `___`, `~~~` people
    type), at form feeds (the page break of a multi-page OCR export), and at a run of
    two blank lines or more when the text on each side reads as a card of its own
    person. Two people must never become one record; one person's two sides (a run of
    blank lines between the French and the English side, same email) stay one card.
    Blank blocks (a trailing separator) are not cards and are dropped. Line numbers
    are those str.splitlines gives (a form feed does not start a new line number).
    """
    blocks: list[Block] = []
    for piece in _pieces(text):
        blocks.extend(_split_at_blank_runs(piece))
    return blocks


def _pieces(text: str) -> list[list[tuple[int, str]]]:
    """The file's (line number, text) cut at separator lines and form feeds."""
    pieces: list[list[tuple[int, str]]] = [[]]
    for number, source in enumerate(_LINE_BREAK.split(text), start=1):
        pages = source.split(FORM_FEED)
        for k, page in enumerate(pages):
            if k:
                pieces.append([])
            if _is_separator(page):
                pieces.append([])
            elif page or len(pages) == 1:
                pieces[-1].append((number, page))
    return [p for p in pieces if any(clean_line(t) for _, t in p)]


def _is_separator(source: str) -> bool:
    """A line of one rule character repeated (`---`, `===`, `* * *`)."""
    return bool(source) and source.strip()[:1] in _SEPARATOR_CHARS \
        and SEPARATOR.match(source) is not None


def _split_at_blank_runs(piece: list[tuple[int, str]]) -> list[Block]:
    """The piece as one card, or as several where two blank lines or more part texts
    that each hold a name and a contact detail of a different person."""
    sections: list[list[tuple[int, str]]] = [[]]
    blanks = 0
    for number, source in piece:
        if not clean_line(source):
            blanks += 1
        else:
            if blanks >= 2 and sections[-1]:
                sections.append([])
            blanks = 0
        sections[-1].append((number, source))
    merged: list[list[tuple[int, str]]] = [sections[0]]
    for section in sections[1:]:
        if _stands_alone(merged[-1]) and _stands_alone(section) \
                and not _same_person(merged[-1], section):
            merged.append(section)
        else:
            merged[-1] = merged[-1] + section
    return [_block(section) for section in merged]


def _block(section: list[tuple[int, str]]) -> Block:
    lines = [Line(n, cleaned) for n, cleaned in ((n, clean_line(t)) for n, t in section)
             if cleaned]
    return Block(lines[0].number, lines, "\n".join(t for _, t in section).strip())


def _details(section: list[tuple[int, str]]) -> tuple[set[str], set[str], bool]:
    """(emails, phone digit strings, whether some line is plain text) of a section."""
    emails: set[str] = set()
    phones: set[str] = set()
    plain = False
    for _, source in section:
        line = repair_email_markers(clean_line(source))
        digits = "".join(c for c in line if c.isdigit())
        emails.update(t.strip(".,;:<>()").lower() for t in line.split() if "@" in t)
        if len(digits) >= 7:
            phones.add(digits[-9:])
        elif line and "@" not in line and not digits:
            plain = True
    return emails, phones, plain


def _stands_alone(section: list[tuple[int, str]]) -> bool:
    """A name-like line and a way to reach someone: what a card of its own has."""
    emails, phones, plain = _details(section)
    return plain and bool(emails or phones)


def _same_person(a: list[tuple[int, str]], b: list[tuple[int, str]]) -> bool:
    """Two sides of one card: they share their emails (or, without an email on one
    side, a phone)."""
    emails_a, phones_a, _ = _details(a)
    emails_b, phones_b, _ = _details(b)
    if emails_a and emails_b:
        return bool(emails_a & emails_b)
    return bool(phones_a & phones_b)
