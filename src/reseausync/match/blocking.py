"""Blocking: which pairs are worth comparing at all.

Two records become a candidate pair when they share a key: an email, a phone (last
ten digits), a LinkedIn profile, or a name key. Name keys are built to survive the
variations sources introduce: first initial + family name (initials, "JF"),
the two name parts sorted (swapped order), a phonetic code of both parts
(typos, dropped accents), the full given name + the start of the family name
(a typo late in the family name), and a nickname family + family name
("Bob" / "Robert"), and initial + family name + employer or city (so that a
common name, whose own block is too large, is still compared within a company
or a town). Work grows with the true candidates, not with n²; a key
shared by more than `max_block` records (a generic mailbox, the commonest name)
is skipped and counted, since it could not tell anyone apart anyway.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import combinations

from ..normalize.nicknames import Nicknames
from .features import Features

_CODES = str.maketrans("bfpvcgjkqsxzdtlmnr", "111122222222334556", "aeiouyhw ")


@lru_cache(maxsize=1 << 18)
def phonetic(word: str) -> str:
    """A Soundex-like code with the first letter kept and no length cut
    ("tremblay" and "trembley" agree; accents are already folded)."""
    if not word:
        return ""
    coded = word[1:].translate(_CODES)
    out = [word[0]]
    last = word[0].translate(_CODES) if word[0] not in "aeiouyhw" else ""
    for ch in coded:
        if ch != last and not ch.isalpha():
            out.append(ch)
        last = ch
    return "".join(out)


def record_keys(f: Features, nicknames: Nicknames) -> list[str]:
    """Every blocking key of one record."""
    keys = [f"e:{e}" for e in f.emails]
    keys.extend(f"p:{p}" for p in f.phones)
    if f.linkedin:
        keys.append(f"l:{f.linkedin}")
    g, fam = f.gkey, f.fkey
    if g and fam:
        keys.append(f"i:{g[0]}|{fam}")
        keys.append("s:" + "|".join(sorted((g, fam))))
        keys.append("f:" + "|".join(sorted((phonetic(g), phonetic(fam)))))
        keys.append(f"g:{g}|{fam[:3]}")
        keys.append(f"i:{fam[0]}|{g}")       # swapped initial + family
        for family in nicknames.families.get(f.given, ()):
            keys.append(f"n:{family}|{fam}")
        # A common name is too large a block on its own; with the employer or the
        # city it is small again.
        if f.org:
            keys.append(f"o:{g[0]}|{fam}|{f.org}")
        if f.city:
            keys.append(f"c:{g[0]}|{fam}|{f.city}")
    return keys


class Blocks:
    """Key -> positions of the records holding it."""

    def __init__(self) -> None:
        self.index: dict[str, list[int]] = {}
        self.skipped = 0

    def add(self, position: int, keys: Iterable[str]) -> None:
        index = self.index
        for key in keys:
            members = index.get(key)
            if members is None:
                index[key] = [position]
            else:
                members.append(position)

    def pairs(self, max_block: int) -> set[tuple[int, int]]:
        """All candidate pairs (i < j) within usable blocks."""
        out: set[tuple[int, int]] = set()
        skipped = 0
        for members in self.index.values():
            n = len(members)
            if n < 2:
                continue
            if n > max_block:
                skipped += 1
                continue
            if n == 2:
                a, b = members
                out.add((a, b) if a < b else (b, a))
            else:
                out.update(combinations(sorted(set(members)), 2))
        self.skipped = skipped
        return out

    def pairs_with(self, positions: Sequence[int], keys_of: Iterator[list[str]] | list[list[str]],
                   max_block: int) -> set[tuple[int, int]]:
        """Candidate pairs involving the given records only (incremental matching)."""
        out: set[tuple[int, int]] = set()
        for pos, keys in zip(positions, keys_of, strict=True):
            for key in keys:
                members = self.index.get(key, ())
                if len(members) > max_block:
                    continue
                for other in members:
                    if other != pos:
                        out.add((pos, other) if pos < other else (other, pos))
        return out
