"""The match state kept between runs: features, blocking keys, scored pairs.

`match_records` holds each live record's comparison features with the content hash
they were built from, `match_keys` its blocking keys, `match_pairs` the candidate
pairs that were merged or need a review. A sync compares `records` with
`match_records` to find what changed, reloads only the features of the records it
touches, and finds a record's block through the key index, so it never reads the
whole directory.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

import numpy as np

from ..sqlbatch import CHUNK as CHUNK  # re-exported: the matcher's modules import them here
from ..sqlbatch import chunks as chunks
from ..sqlbatch import marks as marks
from .blocking import KeyLists
from .features import Features

KEY_SLICE = 100_000  # key rows made Python ints at a time by add_all_keys


class _Members(list):
    """A key's members as fetched, remembering the LIMIT they were fetched with."""

    limit = 0


class MatchState:
    """Reads and writes the match tables of one directory (inside the run's transaction)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self._members: dict[int, _Members] = {}

    def clear(self) -> None:
        for table in ("match_records", "match_keys", "match_pairs"):
            self.db.execute(f"DELETE FROM {table}")
        self._members.clear()

    # features ---------------------------------------------------------------

    def features(self, rids: Iterable[int]) -> dict[int, Features]:
        out: dict[int, Features] = {}
        for batch in chunks(sorted(set(rids))):
            for rid, text in self.db.execute(
                    f"SELECT record_id, features FROM match_records WHERE record_id IN "
                    f"({marks(batch)})", batch):
                out[rid] = Features.from_json(rid, text)
        return out

    def save_features(self, rows: Iterable[tuple[int, str, str]]) -> None:
        """(record id, content hash, features JSON) rows."""
        self.db.executemany("INSERT OR REPLACE INTO match_records VALUES (?, ?, ?)", rows)

    def drop_features(self, rids: Iterable[int]) -> None:
        self.db.executemany("DELETE FROM match_records WHERE record_id=?",
                            ((r,) for r in rids))

    # keys -------------------------------------------------------------------

    def add_keys(self, rows: Iterable[tuple[int, int]]) -> None:
        """(key id, record id) rows."""
        self._members.clear()
        self.db.executemany("INSERT INTO match_keys VALUES (?, ?)", rows)

    def add_all_keys(self, rids: Sequence[int], keys_of: KeyLists,
                     extra: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        """Every record's keys (`keys_of[p]` for record `rids[p]`) into an empty
        table, in key order (then record order: KeyLists.by_key): each row goes on
        the last page of match_keys' B-tree, which a million records' keys in record
        order would hit at random. Written a slice at a time, so the rows never all
        exist as Python ints. `extra`: more (key, position) rows ordered the same way
        (match/terms.py), each slice of them written with the blocking keys of its
        key range."""
        self._members.clear()
        keys, positions = keys_of.by_key()
        ids = np.asarray(rids, dtype=np.int64)
        if extra is None:
            extra = (np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64))
        done = 0
        for start in range(0, max(len(keys), 1), KEY_SLICE):
            end = min(start + KEY_SLICE, len(keys))
            cut = (len(extra[0]) if end >= len(keys)
                   else int(np.searchsorted(extra[0], keys[end], side="left")))
            k, p = keys[start:end], positions[start:end]
            if cut > done:          # both sorted: each extra row goes in at its place
                at = np.searchsorted(k, extra[0][done:cut], side="right")
                k = np.insert(k, at, extra[0][done:cut])
                p = np.insert(p, at, extra[1][done:cut])
            done = cut
            self.db.executemany("INSERT INTO match_keys VALUES (?, ?)", zip(
                k.tolist(), ids[p].tolist(), strict=True))

    def drop_keys(self, rows: Iterable[tuple[int, int]]) -> None:
        self._members.clear()
        self.db.executemany("DELETE FROM match_keys WHERE key=? AND record_id=?", rows)

    def members(self, key: int, limit: int) -> list[int]:
        """The records holding a key, at most `limit` of them: a caller deciding
        whether a block is usable needs one more than the cap, not the thousands of
        records a common name holds. Cached until the keys change."""
        found = self._members.get(key)
        if found is None or (len(found) == found.limit < limit):
            found = _Members(r[0] for r in self.db.execute(
                "SELECT record_id FROM match_keys WHERE key=? LIMIT ?", (key, limit)))
            found.limit = limit
            self._members[key] = found
        return found[:limit]

    def key_counts(self, keys: Sequence[int]) -> dict[int, int]:
        """How many records hold each of a few hundred keys (none: left out)."""
        return dict(self.db.execute(
            f"SELECT key, COUNT(*) FROM match_keys WHERE key IN ({marks(keys)}) GROUP BY key",
            list(keys)).fetchall())

    def holders(self, key: int) -> list[int]:
        """Every record holding a key, however many."""
        return [r[0] for r in self.db.execute(
            "SELECT record_id FROM match_keys WHERE key=?", (key,))]

    # pairs ------------------------------------------------------------------

    def pairs_touching(self, rids: Iterable[int], decision: str | None = None
                       ) -> list[tuple[int, int, float, str]]:
        """Stored pairs with an end in `rids` (each once)."""
        out: dict[tuple[int, int], tuple[int, int, float, str]] = {}
        extra = " AND decision=?" if decision else ""
        for batch in chunks(sorted(set(rids))):
            args = list(batch) + ([decision] if decision else [])
            for column in ("a", "b"):
                for a, b, score, d in self.db.execute(
                        f"SELECT a, b, score, decision FROM match_pairs WHERE {column} IN "
                        f"({marks(batch)}){extra}", args):
                    out[(a, b)] = (a, b, score, d)
        return list(out.values())

    def delete_pairs_touching(self, rids: Iterable[int]) -> None:
        for batch in chunks(sorted(set(rids))):
            for column in ("a", "b"):
                self.db.execute(f"DELETE FROM match_pairs WHERE {column} IN ({marks(batch)})",
                                batch)

    def add_pairs(self, rows: Iterable[tuple[int, int, float, str, str]]) -> None:
        """(a, b, score, decision, explanation JSON) rows, a < b."""
        self.db.executemany("INSERT OR REPLACE INTO match_pairs VALUES (?, ?, ?, ?, ?)", rows)
