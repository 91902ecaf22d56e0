"""Folding text for comparison: accents, case, punctuation and spacing.

Folding is cached by raw value: a directory repeats the same given names, family
names and companies thousands of times, and NFKD decomposition is the costly part.

Letters of every script are kept, lower-cased: "王小明", "김민준", "Иван" and
"Νίκος" fold to themselves (lower-cased, Greek's tonos dropped), not to nothing,
so the matcher, the blocking keys, the directory search and the categories can
tell them apart. Only combining marks are dropped (the accents of "é", Hebrew and
Arabic vowel points), except the kana voicing marks, which make another syllable
("が" is not "か"). Hangul syllables, which NFKD splits into their jamo, are
composed again, so a folded Korean name is the syllables a user typed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_WORD = re.compile(r"[^0-9a-z]+")
_APOSTROPHES = re.compile(r"['’ʼ`]")   # O'Brien, D’Amour: one word
# Letters NFKD does not decompose into a base letter plus an accent.
_SPECIAL = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l",
                          "ı": "i", "þ": "th", "ð": "d"})
# The kana voiced and semi-voiced marks: a combining mark that is no accent.
_SYLLABLE_MARKS = frozenset("\u3099\u309a")


@lru_cache(maxsize=1 << 18)
def fold(text: str) -> str:
    """Lower-case words separated by single spaces ("Jean-François" -> "jean
    francois", "王小明" -> "王小明", "ИВАН" -> "иван"): ASCII for Latin script,
    the letters themselves for any other."""
    if text.isascii():
        return " ".join(_NON_WORD.split(_APOSTROPHES.sub("", text.lower()))).strip()
    # decomposed before lower-casing too: "𝒜" (a mathematical letter) is an "A"
    lowered = unicodedata.normalize("NFKD", text).casefold().translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", _APOSTROPHES.sub("", lowered))
    stripped = "".join(ch for ch in decomposed
                       if not unicodedata.combining(ch) or ch in _SYLLABLE_MARKS)
    if stripped.isascii():      # Latin with accents ("Côté"): the common case
        return " ".join(_NON_WORD.split(stripped)).strip()
    return _words(unicodedata.normalize("NFC", stripped))


def name_order(name: str) -> tuple[str, str, str]:
    """A display name's place in a list a reader scans: accents and case folded
    first ("Élise" among the E's, not after "Zoé"), then the case-folded spelling,
    then the spelling itself, so equal names always come out in one order."""
    return fold(name), name.casefold(), name

def _words(text: str) -> str:
    """The letters and digits of `text` as single-spaced words. A spacing mark
    (a Devanagari vowel sign) belongs to the letter before it; an invisible format
    character (a zero-width joiner, a soft hyphen) and a variation selector are
    dropped without splitting the word; anything else separates words."""
    out: list[str] = []
    in_word = False
    for ch in text:
        category = unicodedata.category(ch)
        kind = category[0]
        if kind in "LN" or (kind == "M" and in_word and not _selector(ch)):
            if not in_word and out:
                out.append(" ")
            out.append(ch)
            in_word = True
        elif category == "Cf" or _selector(ch):
            continue
        else:
            in_word = False
    return "".join(out)


def _selector(ch: str) -> bool:
    """A variation selector: it picks a glyph (an emoji's colour), not a letter."""
    code = ord(ch)
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


# Han characters, whose Unicode names begin "CJK UNIFIED IDEOGRAPH".
_SCRIPT_NAMES = {"CJK": "han"}
_LATIN = frozenset({"latin"})


@lru_cache(maxsize=1 << 16)
def scripts(folded: str) -> frozenset[str]:
    """The scripts of a folded value's letters ("latin", "han", "hangul", "cyrillic",
    "hiragana", ...): names in two scripts are two spellings ("王小明" and "Wang
    Xiaoming"), which the matcher does not compare. Digits belong to no script."""
    if folded.isascii():
        return _LATIN if any(c.isalpha() for c in folded) else frozenset()
    found = set()
    for ch in folded:
        if ch.isalpha():
            word = unicodedata.name(ch, "").partition(" ")[0]
            found.add(_SCRIPT_NAMES.get(word, word.lower()))
    return frozenset(found)
