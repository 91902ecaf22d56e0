"""Building the canonical JSON of many contacts, in one process or several.

On a first import every record goes through survivorship once: decode its JSON,
normalize its values, rank, encode the contact. That is pure Python and the same
for every batch of contacts, so a large regroup shares its batches out between
forked workers (Linux `fork`: the features are shared copy-on-write, nothing is
pickled on the way in): the parent reads each batch's rows from its open
transaction (a child never touches the sqlite connection), worker k of n builds
batches k, k+n, ..., and the parent writes the results strictly in batch order.
The parent builds nothing itself: reading and writing the batches (SQLite) is as
much work as a worker's share of the building, and a parent that also built kept
the workers waiting on its writes (1M records: 20 s of its regroup). Ids are
minted by the parent, in that order, from the key each contact comes back with,
so contacts, links and ids are byte for byte what one process writes.

The children are `forking.Helpers`: one that fails or dies has its batches built
by the parent, so a failure costs time, never a difference.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .. import jsonfast
from ..forking import Helpers
from ..match.features import Features
from .directory import encode_contact
from .survivorship import Member, canonical

Row = tuple[Any, ...]                       # a records row as state.record_rows reads it
Built = tuple[tuple[str, str], str]         # (smallest (source, external id), contact JSON)

@dataclass
class Builder:
    """Everything survivorship needs besides the records' rows; a forked worker gets
    it copy-on-write, nothing pickled."""

    rids: Sequence[int]
    feats: Sequence[Features]
    in_review: set[int]
    me_emails: set[str]
    priority: dict[str, int]
    region_code: str | None

    def build(self, groups: Sequence[Sequence[int]], rows: dict[int, Row]) -> list[Built]:
        """(key, JSON) of each group, from its members' rows."""
        loads = jsonfast.loads
        rids = self.rids
        out: list[Built] = []
        for group in groups:
            members = []
            for p in group:
                r = rows[rids[p]]
                members.append(Member(r[0], r[1], r[2], r[3], r[4], loads(r[5]), r[6], r[7],
                                      r[8], r[9], r[10], r[11]))
            key = min([(m.source, m.external_id) for m in members])
            flags = self.flags(group, members)
            out.append((key, encode_contact(canonical(members, self.priority, self.region_code,
                                              flags))))
        return out

    def flags(self, group: Sequence[int], members: Sequence[Member]) -> list[str]:
        feats = self.feats
        flags = []
        if not any([feats[p].identity for p in group]):
            flags.append("no_identity")
            if any([m.data.get("organization") for m in members]):
                flags.append("organization_only")
        if self.in_review and not self.in_review.isdisjoint(group):
            flags.append("review")
        if self.me_emails and any([not self.me_emails.isdisjoint(feats[p].emails)
                                   for p in group]):
            flags.append("me")
        return flags


def build_all(builder: Builder, batches: Iterator[Sequence[Sequence[int]]],
              rows_of: Callable[[Sequence[Sequence[int]]], dict[int, Row]], n: int
              ) -> Iterator[tuple[Sequence[Sequence[int]], list[Built]]]:
    """Each batch of groups with its contacts built, in batch order, by n processes.
    `rows_of(batch)` reads a batch's rows (in the parent only)."""
    if n <= 1:
        for batch in batches:
            yield batch, builder.build(batch, rows_of(batch))
        return
    with Helpers(lambda message: builder.build(*message), n) as helpers:
        spawned = max(len(helpers), 1)
        pending: deque[tuple[Sequence[Sequence[int]], dict[int, Row], int]] = deque()
        for b, batch in enumerate(batches):
            rows = rows_of(batch)
            while len(pending) >= spawned:    # this batch's child has answered its last
                yield _finish(builder, helpers, pending.popleft())
            k = b % spawned
            if not (helpers and helpers.send(k, (batch, rows))):
                k = -1                        # no child for it: built here when its turn comes
            pending.append((batch, rows, k))
        while pending:
            yield _finish(builder, helpers, pending.popleft())


def _finish(builder: Builder, helpers: Helpers, item: tuple
            ) -> tuple[Sequence[Sequence[int]], list[Built]]:
    """A batch's contacts: its child's answer, or built here when it has none."""
    batch, rows, k = item
    built = helpers.receive(k) if k >= 0 else None
    return batch, built if built is not None else builder.build(batch, rows)
