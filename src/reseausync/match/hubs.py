"""Shared values: a phone or address many people bear weighs less, counted live.

An office switchboard printed on every employee's card, or info@company.com, is
an exact phone or e-mail agreement between colleagues who are different people.
The model's u for an exact phone (P(agreement | two different people)) comes
from random pairs, which almost never share a number, so an agreement weighed
+13 to +20 bits whatever the value: two colleagues with the same given name and
the same switchboard merged at 0.98, and a thousand employees sharing a main
line became one contact per given name.

The fix is a term-frequency adjustment, as names and organizations have one, but
counted in the directory as it is now (not in the stored model, which a hub that
arrives after it was estimated would not be in) and counted in people, not
records:

- a value's *bearers* are the distinct name sounds (the family name's phonetic
  code; the given name's for a record without one) among the live records naming
  someone that carry it. Copies of one person mostly share their name's sound, so
  a mobile on five copies of one card has one bearer, while a switchboard has one
  per colleague. A value held by more than `max_block` records (a blocking key
  too common to use) counts `max_block` bearers: it is that common at least, and
  the count stays cheap to keep up to date;
- for a pair sharing the value, the *other* bearers are the bearers besides the
  two records' own sounds (one when they share it, two when not): what the pair
  itself shows (two family names) is already weighed by the name comparisons and
  must not be counted twice. Two cards alone sharing a number have no other
  bearer, and weigh as before;
- the chance that a different person has the value is then at least
  others / N (N: the records the model was estimated on), so the agreement weighs
  log2(m / max(u, others / N)) instead of log2(m / u): the adjustment is
  -max(0, log2(others / (N * u))). A household line with a third person on it
  costs a duplicate pair about 8 bits out of 20 (it still merges); a switchboard
  with thirty colleagues on it leaves an agreement on it worth about what the
  same organization is, and two of them with the same first name stay apart.

Where several values are shared the rarest one (fewest other bearers) counts: it
is the best evidence the pair has. Relatives sharing a landline are kept apart by
their given names (a conflict level), as before; two copies of one person sharing
their mobile have no other bearer and merge as before.

Because the counts are live, a score also depends on the bearers of the values
the pair shares: when a value's bearer count changes, every record bearing it is
scored again (resolve._bearers_changed), which is what keeps an
incremental run equal to a full rebuild.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from .blocking import key_id, phonetic
from .features import Features

FIELDS = {"phones": "p:", "emails": "e:"}     # hub-weighted fields and their key prefix


def sound(f: Features) -> str:
    """The name sound a bearer is counted by: copies of one person share it."""
    if f.fkey:
        return phonetic(f.fkey)
    return "~" + phonetic(f.gkey)


def value_key(field: str, value: str) -> int:
    """The blocking key id of one value: its block in match_keys is its bearers."""
    return key_id(FIELDS[field] + value)


def count_bearers(feats: Sequence[Features], cap: int) -> dict[str, dict[str, int]]:
    """Per hub field, the bearers (distinct name sounds) of every value more than one
    record naming someone carries; a value carried by more than `cap` records
    counts `cap`. Values carried once are left out (one bearer)."""
    out: dict[str, dict[str, int]] = {}
    people = [f for f in feats if f.identity]
    for field in FIELDS:
        get = getattr
        records = Counter(v for f in people for v in get(f, field))
        shared = {v for v, n in records.items() if n > 1}
        sounds: dict[str, set[str]] = {}
        for f in people:
            values = get(f, field)
            if values and not shared.isdisjoint(values):
                s = sound(f)
                for v in values & shared:
                    sounds.setdefault(v, set()).add(s)
        out[field] = {v: (cap if records[v] > cap else len(s)) for v, s in sounds.items()
                      if len(s) > 1 or records[v] > cap}
    return out


def bearers_of(members: Sequence[int], sounds: Callable[[int], str],
               cap: int) -> int:
    """One value's bearers from the records holding it (`members`, at most a few
    more than `cap` of them: more than `cap` is all that matters)."""
    if len(members) > cap:
        return cap
    return len({sounds(r) for r in members})


class LiveCounts:
    """Counts of (field, value) read from the directory on demand: `load` reads many
    at once into `_found` (one query or read for all), a single miss loads alone.
    Shared by the bearers of phones and e-mails and the organizations' counts."""

    def __init__(self) -> None:
        self._found: dict[tuple[str, str], int] = {}

    def _cached(self, field: str, value: str) -> int:
        found = self._found.get((field, value))
        if found is None:
            self.load(field, [value])
            found = self._found[(field, value)]
        return found

    def load(self, field: str, values: Iterable[str]) -> None:
        raise NotImplementedError


class LiveBearers(LiveCounts):
    """Bearer counts read from a directory's match state on demand (an incremental
    run), for the values two of its loaded records share: same counts as
    count_bearers over every live record."""

    def __init__(self, members: Callable[[int, int], list[int]],
                 features: Callable[[Iterable[int]], dict[int, Features]],
                 known: dict[int, Features], cap: int) -> None:
        super().__init__()
        self._members = members
        self._features = features
        self.known = known        # features already in memory, by record id (not written)
        self.read: dict[int, Features] = {}      # features read here
        self.cap = cap

    def get(self, field: str, value: str) -> int:
        return self._cached(field, value)

    def load(self, field: str, values: Iterable[str]) -> None:
        """Count the bearers of many values at once (one features read for all)."""
        todo = [v for v in values if (field, v) not in self._found]
        if not todo:
            return
        held = {v: self._members(value_key(field, v), self.cap + 1) for v in todo}
        known, read = self.known, self.read
        missing = {r for rs in held.values() if len(rs) <= self.cap for r in rs
                   if r not in known and r not in read}
        if missing:
            read.update(self._features(missing))

        def sound_of(r: int) -> str:
            return sound(known[r] if r in known else read[r])

        for v, rs in held.items():
            self._found[(field, v)] = bearers_of(rs, sound_of, self.cap)


class FixedBearers:
    """Bearer counts computed over every record at once (a full build)."""

    def __init__(self, counts: dict[str, dict[str, int]]) -> None:
        self.counts = counts

    def get(self, field: str, value: str) -> int:
        return self.counts.get(field, {}).get(value, 1)

    def load(self, field: str, values: Iterable[str]) -> None:
        """Nothing to read: every count is known."""
