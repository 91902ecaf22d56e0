"""Display names written family name first: Vietnamese, Korean and Chinese.

A display name given alone (a vCard with FN and no N, a CSV or LinkedIn "Name"
column) says its order only through its words. "Nguyễn Văn An", "Kim Min-jun" and
"王小明" are written family name first, as their cultures write them; "Kim Smith",
"Lee Anderson" and "Park Williams" are not, though their first word is a Korean
family name. So a Latin-script name is read family first only when the whole of it
reads as that culture's name: a listed family name, then words that are that
culture's given names (Vietnamese syllables; one or two Korean syllables each), and
none of them a Western name. Han and Hangul are read family first by their script;
unspaced, the family name (one character, or two for a compound one such as 欧阳)
is split from the given name when it is a listed one. The lists are
data/family_first_names.toml.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import NamedTuple

from .text import fold

# A Vietnamese syllable without its accents: initial consonant, vowels, final.
_VI_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?")
# A romanized Korean syllable (Revised Romanization and the usual older spellings).
_KO = (r"(?:kk|tt|pp|ss|jj|ch|sh|[bcdghjklmnprst])?[wy]?"
       r"(?:eo|eu|ae|oe|ui|oo|ee|ou|ea|[aeiou])(?:ng|[klmnpt])?")
_KO_ONE = re.compile(_KO)
_KO_TWO = re.compile(_KO + _KO)
# Marks only Vietnamese spelling puts on Latin letters: dot below, hook above, horn
# (ơ, ư), breve (ă). A base letter with two marks (ễ, ầ) is Vietnamese too.
_VI_MARKS = frozenset("\u0323\u0309\u031b\u0306")
_MAX_GIVEN = 3   # characters of a Han or Hangul given name: one or two, rarely three


class Tables(NamedTuple):
    """The family names of data/family_first_names.toml, in the forms looked up."""

    vi_family: frozenset[str]       # folded
    vi_spelled: frozenset[str]      # casefolded, as written with their accents
    vi_ambiguous: frozenset[str]    # folded, read only with an accent or a middle name
    vi_middle: frozenset[str]
    ko_family: frozenset[str]
    hangul: frozenset[str]          # one syllable, or two for a compound name
    han: frozenset[str]             # one character, or two for a compound name
    western: frozenset[str]
    first: frozenset[str]           # vi_family | ko_family: most names stop at this


@cache
def tables() -> Tables:
    """Loaded once: the lists are consulted for every display name of a build."""
    text = (resources.files("reseausync") / "data" / "family_first_names.toml").read_text(
        encoding="utf-8")
    data = tomllib.loads(text)
    vi, ko, zh = data["vietnamese"], data["korean"], data["chinese"]
    return Tables(
        vi_family=frozenset(fold(n) for n in vi["family"]),
        vi_spelled=frozenset(n.casefold() for n in vi["family"] if not n.isascii()),
        vi_ambiguous=frozenset(vi["ascii_ambiguous"]),
        vi_middle=frozenset(vi["middle"]),
        ko_family=frozenset(ko["family"]),
        hangul=frozenset(ko["hangul"]),
        han=frozenset("".join(zh["single"].split())) | frozenset(zh["compound"]),
        western=frozenset(data["western"]["family"]),
        first=frozenset(fold(n) for n in vi["family"]) | frozenset(ko["family"]),
    )


def _script(ch: str) -> str:
    """"han", "hangul", "kana" or "" for one character."""
    code = ord(ch)
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF \
            or 0x20000 <= code <= 0x3134F:
        return "han"
    if 0xAC00 <= code <= 0xD7A3:
        return "hangul"
    if 0x3040 <= code <= 0x30FF:
        return "kana"
    return ""


def east_asian(word: str) -> bool:
    """True when a word has a Han, Hangul or kana character: each one a syllable
    or a word of the name, never an initial standing for one."""
    return not word.isascii() and any(_script(ch) for ch in word)


def word_script(word: str) -> str:
    """The East Asian script a whole word is written in ("han", "hangul", "japanese":
    Han with kana), or "" when any of its letters is of another script."""
    if word.isascii():      # most words of most directories: no set to build
        return ""
    scripts = {_script(ch) for ch in word if ch.isalnum()}
    if not scripts or "" in scripts:
        return ""
    if "kana" in scripts:
        return "japanese" if scripts <= {"kana", "han"} else ""
    return scripts.pop() if len(scripts) == 1 else ""


def east_asian_parts(words: Sequence[str]) -> tuple[str, str] | None:
    """(given, family) of a display name written in Han, Hangul or kana, or None
    for any other. Spaced ("王 小明", "김 민준", "田中 太郎"): the first word is the
    family name. Unspaced: split after a listed family name, else None."""
    script = word_script(words[0]) if words else ""
    if not script or any(word_script(w) != script for w in words[1:]):
        return None
    if len(words) > 1:
        return " ".join(words[1:]), words[0]
    return _split_unspaced(words[0], script)


def _split_unspaced(word: str, script: str) -> tuple[str, str] | None:
    """"王小明" -> ("小明", "王"), "欧阳娜娜" -> ("娜娜", "欧阳"), "김민준" -> ("민준",
    "김"). A compound family name is read first in Han ("司马光"); in Hangul, where
    its first syllable is also a family name of its own (선우 / 선), only when a
    two-syllable given name is left ("남궁민수")."""
    names = tables().hangul if script == "hangul" else tables().han if script == "han" else None
    if names is None or len(word) < 2 or any(_script(ch) != script for ch in word):
        return None
    if word[:2] in names and len(word) >= 3 and (
            script == "han" or len(word) >= 4 or word[0] not in names):
        split = 2
    elif word[0] in names:
        split = 1
    else:
        return None
    if len(word) - split > _MAX_GIVEN:
        return None
    return word[split:], word[:split]


def latin_family_first(raw: Sequence[str], folded: Sequence[str],
                       known_given: frozenset[str]) -> bool:
    """True when a Latin-script display name of two or more words is a Vietnamese
    or Korean name written family name first: "Nguyễn Văn An", "Kim Min-jun"; not
    "Kim Smith", "Lee Anderson", "Park Williams" (`known_given`: the Western given
    names known, which are not a Korean given name either: "Jo Ellen")."""
    if len(folded) < 2 or folded[0] not in tables().first:
        return False
    rest = [w for f in folded[1:] for w in f.split()]
    if not rest:
        return False
    return _vietnamese(raw, folded[0], rest) or _korean(folded[0], rest, known_given)


def _vietnamese(raw: Sequence[str], first: str, rest: list[str]) -> bool:
    """A listed family name, then Vietnamese syllables, the last not a Western
    family name. Family names that begin other names too ("Le", "Mai", "Ho") count
    when written with their accents ("Lê") or accents elsewhere, or before a middle
    name ("Le Van Tam")."""
    t = tables()
    if first not in t.vi_family or not all(_VI_SYLLABLE.fullmatch(w) for w in rest):
        return False
    if len(rest) == 1 and rest[0] in t.western:
        return False
    return (first not in t.vi_ambiguous or raw[0].casefold() in t.vi_spelled
            or (len(rest) >= 2 and rest[0] in t.vi_middle)
            or any(map(_vietnamese_spelling, raw)))


def _vietnamese_spelling(word: str) -> bool:
    """True for a word with a mark only Vietnamese spelling uses ("Văn", "Thị", "Đức",
    "Nguyễn"): French "Côté" or "Benoît" has none."""
    if "đ" in word or "Đ" in word:
        return True
    marks = 0
    for ch in unicodedata.normalize("NFD", word):
        if unicodedata.combining(ch):
            marks += 1
            if ch in _VI_MARKS or marks > 1:
                return True
        else:
            marks = 0
    return False


def _korean(first: str, rest: list[str], known_given: frozenset[str]) -> bool:
    """A listed family name, then a Korean given name: two syllables, as one word
    ("Seoyeon") or two ("Min-jun", "Ji Sung"), or three one-syllable words. One
    word that is a Western name ("Mason", "Ellen") is not one."""
    if first not in tables().ko_family:
        return False
    if len(rest) == 1:
        word = rest[0]
        return (bool(_KO_TWO.fullmatch(word)) and word not in tables().western
                and word not in known_given)
    return len(rest) <= 3 and all(_KO_ONE.fullmatch(w) for w in rest)


def after_middle_name(a: Sequence[str], b: Sequence[str]) -> bool:
    """True when one folded given name is the other after a Vietnamese middle name:
    "van an" and "an", "thi mai" and "mai". Vietnamese write the middle name with
    the given name ("Nguyễn Văn An") or apart (N given "An", middle "Văn"), as
    "jean francois" and "jean" are one person's two ways of writing theirs."""
    if len(a) < len(b):
        a, b = b, a
    return len(a) == 2 and len(b) == 1 and a[1] == b[0] and a[0] in tables().vi_middle
