"""Person names: folded parts, particles, order, initials.

Sources disagree on how they write one name: "Jean-François Tremblay",
"TREMBLAY, Jean-Francois", "JF Tremblay", "Jean François" in the given field.
`split_name` turns whatever the record has into folded (given, family) parts; the
comparison forms drop spaces so hyphenated and spaced compounds agree. Whether
two names are swapped is a property of a pair, decided by the comparison.
"""

from __future__ import annotations

from functools import cache, lru_cache
from importlib import resources
from typing import NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from .name_cultures import east_asian, east_asian_parts, latin_family_first
from .text import fold

PARTICLES = frozenset({"de", "du", "des", "del", "della", "di", "da", "dos", "das", "van",
                       "von", "der", "den", "ter", "le", "la", "st", "saint", "sainte", "mc",
                       "al", "el", "bin", "ben", "ibn"})
TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "m", "mme", "mlle", "me", "sir",
                    "madame", "monsieur", "docteur", "pr"})
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md", "esq", "mba", "cpa", "eng",
                      "ing", "fils", "pere"})
# Credentials and generational suffixes people write after a comma ("Lévesque, CPA",
# "Roy, P.Eng., MBA"), in their compact folded form ("P.Eng." -> "peng"). Only a
# whole comma-separated segment of them is a suffix: "Chan, Eng" alone is still
# read as family, given where the display name allows it (see `split_credentials`).
CREDENTIALS = SUFFIXES | frozenset({
    "peng", "ca", "cma", "cga", "cfa", "fcpa", "fca", "cpaca", "cpacma", "cpacga", "crha",
    "cria", "adma", "pmp", "cfp", "plfin", "llb", "llm", "lld", "bsc", "msc", "dba", "mpa",
    "dds", "dmd", "rn", "arch", "urb", "notaire", "avocat", "avocate", "qc", "kc", "cd"})
_VOWELS = frozenset("aeiouy")


@cache
def given_names() -> frozenset[str]:
    """Folded common given names (data/given_names.txt) and every name of the
    shipped nickname table: enough to tell "Trumarra Michael" is written family
    first, which a sorted-tokens key alone cannot say."""
    names: set[str] = set()
    data = resources.files("reseausync") / "data"
    for file, separator in (("given_names.txt", None), ("nicknames.txt", ",")):
        for line in (data / file).read_text(encoding="utf-8").splitlines():
            if not line.startswith("#"):
                names.update(fold(n) for n in line.split(separator))
    names.discard("")
    return frozenset(names)


def _family_first(first: str, last: str) -> bool:
    """True when a two-part display name is written family name first: the last
    part is a known given name and the first is not, nor a misspelling of one. A
    name that is both ("Martin Richard") stays as written, and so do an initial
    ("L Roy" is L. Roy, though Roy is a given name too) and a misspelt given name
    ("Maie Roy" is Marie Roy, not a Roy of family Maie)."""
    known = given_names()
    if not first or last not in known or first in known or is_initials(first):
        return False
    return not _near_given(first)


@lru_cache(maxsize=1 << 14)
def _near_given(word: str) -> bool:
    """True when `word` is within a typo of a known given name. Cached by word: the
    first word of family-first displays is a family name, and those repeat."""
    return process.extractOne(word, given_names(), scorer=JaroWinkler.normalized_similarity,
                              score_cutoff=0.9) is not None


class NameParts(NamedTuple):
    """Folded given and family names ("jean francois", "tremblay"); "" when unknown."""

    given: str
    family: str


def _credential(segment: str) -> bool:
    """True when every word of `segment` is a credential ("CPA", "P.Eng.", "Ph. D.")."""
    words = segment.split()
    if not words:
        return False
    return (all(compact(fold(w)) in CREDENTIALS for w in words)
            or compact(fold(segment)) in CREDENTIALS)


def split_credentials(text: str) -> tuple[str, str]:
    """(name, credentials) of a raw name with credentials after a comma:
    "Lévesque, CPA" -> ("Lévesque", "CPA"), "Paul Roy, P.Eng., MBA" -> ("Paul Roy",
    "P.Eng., MBA"). Text without such a tail comes back whole, with "" credentials;
    so does text that would be left with no name."""
    name, credentials = text, ""
    while "," in name:
        head, _, tail = name.rpartition(",")
        if not head.strip() or not _credential(tail):
            break
        name = head.rstrip()
        credentials = tail.strip() + (", " + credentials if credentials else "")
    return name, credentials


def is_title(word: str) -> bool:
    """True for a raw word that is a title ("Dr.", "Mme", "Me", "M."): a one-letter
    title only with its period, since in "M Silva" the M is an initial."""
    folded = fold(word)
    return folded in TITLES and (len(folded) > 1 or "." in word)


def split_title(text: str) -> tuple[str, str]:
    """(titles, rest) of a raw name: "Dr. Amélie St-Pierre" -> ("Dr.", "Amélie
    St-Pierre"). A name that is only a title stays whole: "Me" alone may be a name."""
    words = text.split()
    taken = 0
    while taken < len(words) - 1 and is_title(words[taken]):
        taken += 1
    if not taken:
        return "", text
    return " ".join(words[:taken]), " ".join(words[taken:])


def _strip_affixes(words: list[str]) -> list[str]:
    while len(words) > 1 and words[0] in TITLES and len(words[0]) > 1:
        words = words[1:]
    while len(words) > 1 and words[-1] in SUFFIXES:
        words = words[:-1]
    return words


# Bounded below the directory size: common names stay cached, the long tail of
# unique display names is not all kept alive through a full build.
@lru_cache(maxsize=1 << 15)
def split_name(given: str, family: str, display: str = "") -> NameParts:
    """The folded parts of a name from whatever fields a record filled in."""
    if given or family:
        if "," in family:       # "Lévesque, CPA": the credential is not the family name
            family = split_credentials(family)[0]
        g = " ".join(_strip_affixes(fold(given).split())) if given else ""
        f = " ".join(_strip_affixes(fold(family).split())) if family else ""
        return NameParts(g, f)
    given, family, commaed = _display_parts(display)
    if commaed:
        return split_name(given, family)
    return NameParts(fold(given), fold(family))


def display_parts(display: str) -> tuple[str, str]:
    """The raw given and family parts of a display name, as written, read by the
    rules `split_name` matches with (README "Name order", "Name affixes"): titles
    and credentials are neither part, a title or credentials before a single word
    make it the family name ("Dr Smith", "Lévesque, CPA"), "Trumarra Michael" is
    family first. The contact's name parts come from here (merge.survivorship), so
    what the directory shows and what the matcher compares are one reading."""
    given, family, _ = _display_parts(display)
    return given, family


def _display_parts(display: str) -> tuple[str, str, bool]:
    """(given, family, from the comma form) of a display name, raw words kept: in
    the comma form ("Tremblay, Jean Jr") the parts are as written and `split_name`
    treats them as fields; otherwise affixes are already left out."""
    if not display or "@" in display:
        return "", "", False
    credentialed = False
    if "," in display:
        stripped = without_credentials(display)
        credentialed = stripped != display
        display = stripped
    if display.count(",") == 1:
        fam, _, giv = display.partition(",")
        if fold(fam) and fold(giv):
            return giv.strip(), fam.strip(), True
    # Each whitespace-separated word of the display is one name part, so a
    # hyphenated compound stays whole: "Tremblay Jean-Philippe" is the family name
    # then "Jean-Philippe", not "Tremblay Jean" and "Philippe". A word with no
    # letter or digit (a lone "&") is none.
    raw = [(w, f) for w in display.split()
           if (f := fold(w)) or any(c.isalnum() for c in w)]
    # A one-letter title ("M." for Monsieur) is a title only with its period: in
    # "M Silva" the M is an initial.
    titled = False
    while len(raw) > 1 and raw[0][1] in TITLES and (len(raw[0][1]) > 1 or "." in raw[0][0]):
        raw = raw[1:]
        titled = True
    raw = _strip_affix_pairs(raw)
    if not raw:
        return "", "", False
    east_asian = east_asian_parts([w for w, _ in raw])
    if east_asian:
        return east_asian[0], east_asian[1], False
    words = [f for _, f in raw]
    if len(words) == 1:
        # "Dr Smith", "Me Tremblay", "Lévesque, CPA": a title goes before the family
        # name, and credentials after it.
        return ("", raw[0][0], False) if titled or credentialed else (raw[0][0], "", False)
    trailing = 0
    while trailing < len(words) and is_initial_letter(words[-1 - trailing]):
        trailing += 1
    if 0 < trailing < len(words):
        # "Tremblay M", "Roy J F": trailing initials abbreviate the given name, so
        # the family name came first.
        return _joined(raw[-trailing:]), _joined(raw[:-trailing]), False
    if latin_family_first([w for w, _ in raw], words, given_names()):
        # "Nguyễn Văn An", "Kim Min-jun": written family name first (name_cultures).
        return _joined(raw[1:]), raw[0][0], False
    if len(words) == 2 and _family_first(*words):
        return raw[1][0], raw[0][0], False
    start = len(words) - 1
    while start > 1 and words[start - 1] in PARTICLES:
        start -= 1
    return _joined(raw[:start]), _joined(raw[start:]), False


def _joined(pairs: list[tuple[str, str]]) -> str:
    return " ".join(w for w, _ in pairs)


def _strip_affix_pairs(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """`_strip_affixes` on (raw, folded) word pairs, judged on the folded word."""
    while len(pairs) > 1 and pairs[0][1] in TITLES and len(pairs[0][1]) > 1:
        pairs = pairs[1:]
    while len(pairs) > 1 and pairs[-1][1] in SUFFIXES:
        pairs = pairs[:-1]
    return pairs


def without_credentials(display: str) -> str:
    """A display name without its credentials ("Paul Lévesque, CPA" -> "Paul
    Lévesque").

    With one word left ("Chan, Eng", "Rahman, Md") the tail may be the given name
    of a family-first display, so it is taken off only when it is written as
    credentials are and given names are not (`_written_as_credentials`):
    "Lévesque, CPA", "Tremblay, Jr.", "Roy, P.Eng., MBA" lose it.
    """
    name, credentials = split_credentials(display)
    if credentials and ("," in name or len(name.split()) > 1
                        or _written_as_credentials(name, credentials)):
        return name
    return display


# Generational suffixes: never a given name, however written ("Tremblay, Jr").
_GENERATIONAL = frozenset({"jr", "sr", "ii", "iii", "iv"})


def _written_as_credentials(name: str, credentials: str) -> bool:
    """True when a credentials tail after one word cannot be a given name: several
    of them ("P.Eng., MBA"), an abbreviation's period ("Jr.", "Ph.D."), capitals
    that the name before it does not have ("CPA" after "Lévesque", not "ENG" after
    "CHAN"), or a generation ("Jr", "III")."""
    if "," in credentials or "." in credentials:
        return True
    if compact(fold(credentials)) in _GENERATIONAL:
        return True
    letters = [c for c in credentials if c.isalpha()]
    return len(letters) > 1 and credentials.isupper() and not name.isupper()


def compact(folded: str) -> str:
    """The comparison form: "jean francois" -> "jeanfrancois", "van der berg" -> "vanderberg"."""
    return folded.replace(" ", "")


def initials(folded_given: str) -> str:
    """The initials a given name is abbreviated to ("jean francois" -> "jf")."""
    return "".join(word[0] for word in folded_given.split())


def is_initials(folded_given: str) -> bool:
    """True for "j", "j f", "jf", "jp", "и": letters that abbreviate a name rather
    than name one. A Han or Hangul character is a whole syllable of the name ("伟"
    is a given name), and the no-vowel test ("jf") knows Latin vowels only."""
    words = folded_given.split()
    if not words:
        return False
    if all(is_initial_letter(w) for w in words):
        return True
    word = words[0]
    return (len(words) == 1 and len(word) <= 3 and word.isascii()
            and not (_VOWELS & set(word)))


def is_initial_letter(folded_word: str) -> bool:
    """One letter of an alphabet ("j", "и"), not a Han or Hangul syllable ("伟")."""
    return len(folded_word) == 1 and not east_asian(folded_word)
