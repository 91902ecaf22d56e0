"""Blocking: which pairs are worth comparing at all.

Two records become a candidate pair when they share a key: an email, a phone (last
ten digits), a LinkedIn profile, or a name key. Name keys are built to survive the
variations sources introduce: first initial + phonetic family name (initials,
"JF", typos), the two name parts sorted (swapped order), a phonetic code of both
parts sorted (typos, dropped accents, swaps; Latin letters only: a name in
another script is its own code), a nickname family + phonetic family name ("Bob" /
"Robert"), and initial + family name + employer, city or mail
domain (so that a
common name, whose own block is too large, is still compared within a company
or a town). Work grows with the true candidates, not with n²; a key
shared by more than its cap is skipped and counted, since it could not tell
anyone apart anyway. Name keys have a lower cap (`max_name_block`) than keys that
name one person or one person at one place (`max_block`: an email, a phone, a
name at an employer, by its organization or its work mail domain); the
typo-tolerant employer keys (the given name's sound, or
the family name's first letters, at an employer) are name keys, with the lower
cap. In a directory full of Tremblays, a name block is mostly
homonyms, and the pairs worth scoring in it also share an employer, a town or a
mail domain, which the sub-block keys find.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Iterator, Sequence
from functools import lru_cache
from itertools import combinations

import numpy as np

from ..normalize.nicknames import Nicknames
from .features import Employer, Features

_CODES = str.maketrans("bfpvcgjkqsxzdtlmnr", "111122222222334556", "aeiouyhw ")


@lru_cache(maxsize=1 << 18)
def phonetic(word: str) -> str:
    """A Soundex-like code with the first letter kept and no length cut
    ("tremblay" and "trembley" agree; accents are already folded). The code knows
    Latin letters only: a word of another script ("王", "김", "петров") is its own
    code, so the keys built on it hold the exact name."""
    if not word or not word.isascii():
        return word
    coded = word[1:].translate(_CODES)
    out = [word[0]]
    last = word[0].translate(_CODES) if word[0] not in "aeiouyhw" else ""
    for ch in coded:
        if ch != last and not ch.isalpha():
            out.append(ch)
        last = ch
    return "".join(out)


STEM = 6
"""How many leading letters of an employer's name or mail domain name it in a
blocking key: enough to keep two companies apart, few enough that "banquenation"
(a domain) and "banquenationale" (an organization) agree. Four letters found a few
more pairs at 100k records for 1% more candidates, and more at scale."""


@lru_cache(maxsize=1 << 14)
def employer_stems(employer: Employer) -> tuple[str, ...]:
    """The employer's leading letters, from the organization and the work addresses.
    Cached by Employer object: a company's staff share one (features.employer_of)."""
    stems = {d[:STEM] for d in employer.domains if len(d) >= 4}
    if len(employer.org) >= 4:
        stems.add(employer.org[:STEM])
    return tuple(sorted(stems))


def record_keys(f: Features, nicknames: Nicknames) -> list[str]:
    """Every blocking key of one record. Run on every record of a full build, so
    the parts shared by several keys (the initial and the family name's sound) are
    joined once, and two-part keys are ordered by comparison, not sorted()."""
    emails = f.emails
    keys = ["e:" + e for e in emails]
    if f.phones:
        keys += ["p:" + p for p in f.phones]
    if f.linkedin:
        keys.append("l:" + f.linkedin)
    g, fam = f.gkey, f.fkey
    if g and fam:
        pg, pf = phonetic(g), phonetic(fam)
        head = g[0] + "|" + pf
        keys += ("i:" + head,                             # initial + family, typos too
                 "s:" + (g + "|" + fam if g <= fam else fam + "|" + g))    # sorted parts
        if g.isascii() or fam.isascii():    # else both are their own codes: "s:" again
            keys.append("f:" + (pg + "|" + pf if pg <= pf else pf + "|" + pg))
        families = nicknames.families.get(f.given)
        if families:
            keys += [f"n:{family}|{pf}" for family in families]
        # A common name is too large a block on its own; with the employer, the
        # city or the mail domain it is small again.
        org = f.org
        if org:
            # Within one employer a typo in either name part must not hide a pair:
            # the given name's sound with the employer, and the family name's
            # first letters with it.
            keys += ("o:" + head + "|" + org, "q:" + pg + "|" + org,
                     "r:" + fam[:3] + "|" + org)
        # One employer named two ways: the organization on one card, the work
        # address's domain on the other ("Banque Nationale", @banquenation.com).
        # Both cut to the letters they share (compare._org_is_domain).
        keys += ["w:" + head + "|" + stem for stem in employer_stems(f.employer)]
        if f.city:
            keys.append("c:" + head + "|" + f.city)
        if emails:
            keys += ["d:" + head + "|" + domain
                     for domain in {e.rpartition("@")[2] for e in emails}]
    return keys


_STRONG = frozenset("eplocdw")     # key kinds capped by max_block; the others are names


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
    # key_id, inlined: a full build hashes some eight keys per record
    crc, adler, strong = zlib.crc32, zlib.adler32, _STRONG
    ids: dict[int, None] = {}
    for k in record_keys(f, nicknames):
        raw = k.encode()
        ids[(crc(raw) << 31) | (adler(raw) & 0x7FFFFFFE) | (k[0] in strong)] = None
    return list(ids)


class KeyLists:
    """Each record's key ids, flat in one array: a list of Python ints per record
    costs about forty bytes a key, this costs eight."""

    def __init__(self) -> None:
        self.flat = array("q")
        self.starts = array("q", [0])
        self._by_key: tuple[np.ndarray, np.ndarray] | None = None

    def append(self, keys: Sequence[int]) -> None:
        self._by_key = None
        self.flat.extend(keys)
        self.starts.append(len(self.flat))

    def extend(self, other: KeyLists) -> None:
        """Append another list's records after these."""
        self._by_key = None
        offset = len(self.flat)
        self.flat.extend(other.flat)
        self.starts.extend(start + offset for start in other.starts[1:])

    def by_key(self) -> tuple[np.ndarray, np.ndarray]:
        """(key id, record position) of every key of every record, ordered by key
        and, within a key, by position (a stable sort): the order a full build
        makes its blocks in and writes match_keys in. Kept until the lists change,
        so the two ask for one sort of some eight million keys, not two."""
        if self._by_key is None:
            counts = np.diff(_int64(self.starts))
            positions = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
            self._by_key = _sorted_by_key(_int64(self.flat), positions)
        return self._by_key

    def __len__(self) -> int:
        return len(self.starts) - 1

    def __getitem__(self, position: int) -> array:
        return self.flat[self.starts[position]:self.starts[position + 1]]

    def __iter__(self) -> Iterator[array]:
        for p in range(len(self)):
            yield self[p]


class Blocks:
    """Which records share which usable keys (a whole directory in memory).

    Built in two steps. Records' (key, position) pairs are appended to two flat
    arrays (or handed over whole: `of`). The first question asked (runs, groups,
    pairs, ...) freezes them into flat arrays, with numpy: every block of two
    records or more as a run of positions in one array, blocks in key order, a
    block's positions in the order they were added (so ascending). A few bytes
    per key instead of a dict entry and an int object per key, no Python loop
    over the keys (a million records hold some eight million), and the candidate
    pairs are expanded from it as arrays (match/vector.py). Nothing can be added
    once frozen."""

    def __init__(self, max_block: int, max_name_block: int) -> None:
        self.max_block = max_block
        self.max_name_block = max_name_block
        self._added: tuple[array, array] | None = (array("q"), array("q"))
        self._keys = array("q")              # block -> its key id
        self._starts = array("q", [0])       # block -> its run in _members
        self._members = array("q")
        self._skipped = 0
        self._bound = 0

    @classmethod
    def of(cls, keys_of: KeyLists, max_block: int, max_name_block: int) -> Blocks:
        """The blocks of records 0..n-1 whose keys are keys_of[0..n-1]."""
        blocks = cls(max_block, max_name_block)
        blocks._added = None
        blocks._index(*keys_of.by_key())
        return blocks

    def usable(self, key: int, size: int) -> bool:
        return 1 < size <= cap_of(key, self.max_block, self.max_name_block)

    def add(self, position: int, keys: Sequence[int]) -> None:
        """Add one record's keys (each once)."""
        if self._added is None:
            raise RuntimeError("records cannot be added to blocks already read")
        added_keys, added_positions = self._added
        added_keys.extend(keys)
        added_positions.extend([position] * len(keys))

    def _freeze(self) -> None:
        if self._added is None:
            return
        keys, positions = _int64(self._added[0]), _int64(self._added[1])
        self._added = None
        self._index(*_sorted_by_key(keys, positions))

    def _index(self, keys: np.ndarray, positions: np.ndarray) -> None:
        """The runs of (key, position) columns sorted by key (KeyLists.by_key)."""
        if not len(keys):
            return
        bounds = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1], [True])))
        sizes = np.diff(bounds)
        multi = sizes > 1
        self._members = _array(positions[np.repeat(multi, sizes)])
        block_keys = keys[bounds[:-1][multi]]
        sizes = sizes[multi]
        self._keys = _array(block_keys)
        self._starts = _array(np.concatenate(([0], np.cumsum(sizes))))
        usable = sizes <= np.where(block_keys & 1, self.max_block, self.max_name_block)
        self._bound = int((sizes[usable] * (sizes[usable] - 1) // 2).sum())
        self._skipped = int(len(sizes) - usable.sum())

    def groups(self) -> Iterator[tuple[int, array]]:
        """(key, members) of every key held by two records or more."""
        self._freeze()
        keys, starts, members = self._keys, self._starts, self._members
        for b in range(len(keys)):
            yield keys[b], members[starts[b]:starts[b + 1]]

    def runs(self) -> tuple[array, array, array]:
        """(key of each block, start of each block's run in members, members): every
        block of two records or more, flat, for callers that work on whole arrays.
        Block b's members are members[starts[b]:starts[b + 1]], ascending."""
        self._freeze()
        return self._keys, self._starts, self._members

    @property
    def skipped(self) -> int:
        """Keys too common to use."""
        self._freeze()
        return self._skipped

    @property
    def bound(self) -> int:
        """An upper bound on the candidate pairs (a pair sharing several keys counts
        more than once): the pairs of every usable block."""
        self._freeze()
        return self._bound

    def pairs(self) -> Iterator[tuple[int, int]]:
        """Every candidate pair (a < b) once, in (a, b) order: the definition, in
        plain Python, for tests and the benchmark's blocking recall. A build takes
        them as arrays (match/vector.py candidate_arrays)."""
        found: set[tuple[int, int]] = set()
        for key, members in self.groups():
            if self.usable(key, len(members)):
                found.update(combinations(members, 2))
        yield from sorted(found)


def _sorted_by_key(keys: np.ndarray, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(keys, kind="stable")     # positions stay in the order given
    return keys[order], positions[order]


def _int64(values: array) -> np.ndarray:
    return np.frombuffer(values, dtype=np.int64) if len(values) else np.empty(0, np.int64)


def _array(values: np.ndarray) -> array:
    out = array("q")
    out.frombytes(values.astype(np.int64).tobytes())
    return out
