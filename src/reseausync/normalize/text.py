"""Folding text for comparison: accents, case, punctuation and spacing.

Folding is cached by raw value: a directory repeats the same given names, family
names and companies thousands of times, and NFKD decomposition is the costly part.
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


@lru_cache(maxsize=1 << 18)
def fold(text: str) -> str:
    """Lower-case ASCII words separated by single spaces ("Jean-François" -> "jean francois")."""
    if text.isascii():
        return " ".join(_NON_WORD.split(_APOSTROPHES.sub("", text.lower()))).strip()
    lowered = _APOSTROPHES.sub("", text.casefold().translate(_SPECIAL))
    decomposed = unicodedata.normalize("NFKD", lowered)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.split(stripped)).strip()
