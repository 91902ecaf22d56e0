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

A worker that fails or dies has its batches built again by the parent: a failure
costs time, never a difference. `RESEAUSYNC_MATCH_WORKERS` sets the processes
(unset: every CPU); `1` turns this off.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from ..match.features import Features
from .directory import encode_contact
from .survivorship import Member, canonical

ENV = "RESEAUSYNC_MATCH_WORKERS"
MIN_RECORDS = 20_000     # below this a fork does not pay for itself

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
        loads = json.loads
        rids = self.rids
        out: list[Built] = []
        for group in groups:
            members = []
            for p in group:
                r = rows[rids[p]]
                members.append(Member(r[0], r[1], r[2], r[3], r[4], loads(r[5]), r[6], r[7]))
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


def workers(records: int) -> int:
    """How many processes should build the contacts of `records` records."""
    text = os.environ.get(ENV, "").strip()
    try:
        n = int(text) if text else (os.cpu_count() or 1)
    except ValueError:
        n = 1
    if n <= 1 or records < MIN_RECORDS or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return n


def _worker(conn: Connection, builder: Builder) -> None:
    """A child's life: build each batch it is sent until told to stop (None)."""
    try:
        while True:
            message = conn.recv()
            if message is None:
                return
            conn.send(builder.build(*message))
    except BaseException:         # the parent builds the batch again (and raises, if it fails)
        try:
            conn.send(None)
        except OSError:
            pass
    finally:
        conn.close()


def build_all(builder: Builder, batches: Iterator[Sequence[Sequence[int]]],
              rows_of: Callable[[Sequence[Sequence[int]]], dict[int, Row]], n: int
              ) -> Iterator[tuple[Sequence[Sequence[int]], list[Built]]]:
    """Each batch of groups with its contacts built, in batch order, by n processes.
    `rows_of(batch)` reads a batch's rows (in the parent only)."""
    if n <= 1:
        for batch in batches:
            yield batch, builder.build(batch, rows_of(batch))
        return
    context = multiprocessing.get_context("fork")
    children: list[tuple[Any, Connection] | None] = []
    gc.freeze()          # children do not copy pages just to scan the shared objects
    try:
        for _ in range(n):
            parent_end, child_end = context.Pipe()
            proc = context.Process(target=_worker, args=(child_end, builder), daemon=True)
            try:
                proc.start()
            except (OSError, AssertionError):   # no fork here (e.g. inside a daemon process)
                parent_end.close()
                break
            finally:
                child_end.close()
            children.append((proc, parent_end))
    finally:
        gc.unfreeze()
    spawned = len(children)
    # (batch, its rows, the child building it or None, the result when built here)
    pending: deque[tuple[Sequence[Sequence[int]], dict[int, Row], int | None,
                         list[Built] | None]] = deque()
    try:
        for b, batch in enumerate(batches):
            rows = rows_of(batch)
            # one batch in flight per child: the child of this batch has handed back
            # its last one (a child blocked sending a result while the parent blocks
            # sending it more would wait forever)
            while len(pending) >= max(spawned, 1):
                yield _finish(builder, children, pending.popleft())
            k = b % spawned if spawned else -1
            child = children[k] if k >= 0 else None
            if child is not None and _send(child[1], (batch, rows)):
                pending.append((batch, rows, k, None))
            else:
                pending.append((batch, rows, None, builder.build(batch, rows)))
        while pending:
            yield _finish(builder, children, pending.popleft())
    finally:
        for child in children:
            if child is None:
                continue
            proc, conn = child
            _send(conn, None)
            conn.close()
            proc.join(timeout=5)
            if proc.is_alive():       # the parent failed mid-way: leave no worker behind
                proc.terminate()
                proc.join()


def _send(conn: Connection, message: Any) -> bool:
    try:
        conn.send(message)
        return True
    except (OSError, ValueError):
        return False


def _finish(builder: Builder, children: list, item: tuple) -> tuple[Sequence[Sequence[int]],
                                                                  list[Built]]:
    batch, rows, k, built = item
    if built is None and children[k] is not None:
        proc, conn = children[k]
        try:
            built = conn.recv()
        except (EOFError, OSError):
            built = None
        if built is None:             # the child failed: send it no more
            conn.close()
            proc.join(timeout=5)
            if proc.is_alive():
                proc.terminate()
                proc.join()
            children[k] = None
    if built is None:                 # its child failed (on this batch or an earlier one)
        built = builder.build(batch, rows)
    return batch, built
