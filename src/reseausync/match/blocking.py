"""Blocking: which pairs are worth comparing at all.

Two records become a candidate pair when they share a key: an email, a phone (last
ten digits), a LinkedIn profile, or a name key. Name keys are built to survive the
variations sources introduce: first initial + phonetic family name (initials,
"JF", typos), the two name parts sorted (swapped order), a phonetic code of both
parts sorted (typos, dropped accents, swaps), a nickname family + phonetic family
name ("Bob" / "Robert"), and initial + family name + employer, city or mail
domain (so that a
common name, whose own block is too large, is still compared within a company
or a town). Work grows with the true candidates, not with n²; a key
shared by more than its cap is skipped and counted, since it could not tell
anyone apart anyway. Name keys have a lower cap (`max_name_block`) than keys that
name one person or one person at one place (`max_block`: an email, a phone, a
name at an employer); the typo-tolerant employer keys (the given name's sound, or
the family name's first letters, at an employer) are name keys, with the lower
cap. In a directory full of Tremblays, a name block is mostly
homonyms, and the pairs worth scoring in it also share an employer, a town or a
mail domain, which the sub-block keys find.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

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
        pg, pf = phonetic(g), phonetic(fam)
        keys.append(f"i:{g[0]}|{pf}")        # initial + family, typos too
        keys.append("s:" + "|".join(sorted((g, fam))))
        keys.append("f:" + "|".join(sorted((pg, pf))))
        for family in nicknames.families.get(f.given, ()):
            keys.append(f"n:{family}|{pf}")
        # A common name is too large a block on its own; with the employer, the
        # city or the mail domain it is small again.
        if f.org:
            keys.append(f"o:{g[0]}|{pf}|{f.org}")
            # Within one employer a typo in either name part must not hide a pair:
            # the given name's sound with the employer, and the family name's
            # first letters with it.
            keys.append(f"q:{pg}|{f.org}")
            keys.append(f"r:{fam[:3]}|{f.org}")
        if f.city:
            keys.append(f"c:{g[0]}|{pf}|{f.city}")
        for domain in {e.rpartition("@")[2] for e in f.emails}:
            keys.append(f"d:{g[0]}|{pf}|{domain}")
    return keys


_STRONG = frozenset("eplocd")     # key kinds capped by max_block; the others are names


def key_id(key: str) -> int:
    """A blocking key as a 63-bit integer: compact in memory and in `match_keys`, and
    stable across processes (Python's own str hash is salted per process). Two keys
    meeting on one id only make a block a little larger.
    The lowest bit says which cap applies (1: max_block, 0: max_name_block)."""
    raw = key.encode()
    return ((zlib.crc32(raw) << 31) | (zlib.adler32(raw) & 0x7FFFFFFE)) | (key[0] in _STRONG)


def cap_of(key: int, max_block: int, max_name_block: int) -> int:
    """How many records a block may hold and still be used."""
    return max_block if key & 1 else max_name_block


def record_key_ids(f: Features, nicknames: Nicknames) -> list[int]:
    """The distinct key ids of one record (none for a record naming nobody)."""
    if not f.identity:
        return []
    return list(dict.fromkeys(key_id(k) for k in record_keys(f, nicknames)))


class KeyLists:
    """Each record's key ids, flat in one array: a list of Python ints per record
    costs about forty bytes a key, this costs eight."""

    def __init__(self) -> None:
        self.flat = array("q")
        self.starts = array("q", [0])

    def append(self, keys: Sequence[int]) -> None:
        self.flat.extend(keys)
        self.starts.append(len(self.flat))

    def __len__(self) -> int:
        return len(self.starts) - 1

    def __getitem__(self, position: int) -> array:
        return self.flat[self.starts[position]:self.starts[position + 1]]

    def __iter__(self) -> Iterator[array]:
        for p in range(len(self)):
            yield self[p]


class Blocks:
    """Key id -> the positions of the records holding it (a whole directory in
    memory). A key held by one record (most emails, phones and profiles) maps to the
    bare position, not to a list of one."""

    def __init__(self, max_block: int, max_name_block: int) -> None:
        self.index: dict[int, int | list[int]] = {}
        self.max_block = max_block
        self.max_name_block = max_name_block

    def usable(self, key: int, size: int) -> bool:
        return 1 < size <= cap_of(key, self.max_block, self.max_name_block)

    def add(self, position: int, keys: Iterable[int]) -> None:
        index = self.index
        for key in keys:
            members = index.get(key)
            if members is None:
                index[key] = position
            elif members.__class__ is int:
                index[key] = [members, position]
            else:
                members.append(position)

    def groups(self) -> Iterator[tuple[int, list[int]]]:
        """(key, members) of every key held by two records or more."""
        for key, members in self.index.items():
            if members.__class__ is not int:
                yield key, members

    @property
    def skipped(self) -> int:
        """Keys too common to use."""
        return sum(1 for k, m in self.groups() if not self.usable(k, len(m)))

    def partners(self, position: int, keys: Iterable[int]) -> set[int]:
        """Records after `position` that share a usable block with it: each candidate
        pair is produced once, by its first record, without a set of all pairs."""
        out: set[int] = set()
        index, usable = self.index, self.usable
        for key in keys:
            members = index[key]
            if members.__class__ is not int and usable(key, len(members)):
                out.update(m for m in members if m > position)
        return out

    def pairs(self, keys_of: Iterable[Sequence[int]]) -> Iterator[tuple[int, int]]:
        """Every candidate pair (a < b), in order of a."""
        for a, keys in enumerate(keys_of):
            for b in sorted(self.partners(a, keys)):
                yield a, b
