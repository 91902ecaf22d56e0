"""Scoring a full build's candidate pairs on several cores.

The first import of a large source spends most of its time comparing candidate
pairs (gamma + judge, pure Python). Each pair's score depends only on its two
records and the model, so the pairs can be shared out between processes and the
results put back in the single-process order: the stored `match_pairs` and the
clustering are then byte for byte what one process gives.

Workers are forked (Linux `fork` start method) so they share the features, the
blocks and the engine copy-on-write, with nothing pickled on the way in. Worker k
scores the pairs whose first record's position p has p % n == k (interleaved, so
each worker gets a fair share of the large and small blocks); the parent scores
share 0 itself while the children score theirs. A worker sends back only the rows
that are not distinct, already in (a, b) order, and a heap merge restores the
global order. The parent holds the run's open sqlite connection inside a
transaction: children never touch it and leave through os._exit (multiprocessing
does that for fork children), so no finalizer closes or rolls back anything.

Used only for a full build, when the directory's pair bound exceeds MIN_PAIRS and
more than one CPU is available; `RESEAUSYNC_MATCH_WORKERS` sets the number of
processes (`1` or `0` turns parallel scoring off; unset: os.cpu_count()). A child
that fails or dies has its share scored again by the parent, so a failure is never
silent and never changes the result.
"""

from __future__ import annotations

import gc
import heapq
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection
from typing import Any

from .blocking import Blocks

ENV = "RESEAUSYNC_MATCH_WORKERS"
MIN_PAIRS = 50_000        # below this many (bounded) pairs a fork does not pay for itself
SEND = 5_000              # rows per message from a worker: bounded pickling memory

Row = tuple[int, int, float, str, str]
Score = Callable[[int, int], "Row | None"]


def pair_bound(blocks: Blocks) -> int:
    """An upper bound on the candidate pairs (pairs sharing several keys count more
    than once): cheap, known before any pair is produced."""
    return blocks.bound


def workers(bound: int) -> int:
    """How many processes should score a full build whose pair bound is `bound`."""
    text = os.environ.get(ENV, "").strip()
    try:
        n = int(text) if text else (os.cpu_count() or 1)
    except ValueError:
        n = 1
    if n <= 1 or bound <= MIN_PAIRS:
        return 1
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return n


def _share(score: Score, blocks: Blocks, keys_of: Sequence[Sequence[int]] | None,
           size: int, k: int, n: int) -> tuple[list[Row], int]:
    """Rows (not distinct) of the pairs whose first position is k modulo n, in (a, b)
    order, and how many candidate pairs that share holds. `keys_of` is not read:
    the blocks know each record's keys (None is fine)."""
    rows: list[Row] = []
    candidates = 0
    for a in range(k, size, n):
        for b in sorted(blocks.partners(a)):
            candidates += 1
            row = score(a, b)
            if row is not None:
                rows.append(row)
    return rows, candidates


def _child(conn: Connection, score: Score, blocks: Blocks,
           keys_of: Sequence[Sequence[int]] | None,
           size: int, k: int, n: int) -> None:
    """A worker's whole life: score its share, then send it in bounded messages. It
    computes everything before sending so that it never waits on the parent, which
    is busy with its own share meanwhile."""
    try:
        rows, candidates = _share(score, blocks, keys_of, size, k, n)
        for start in range(0, len(rows), SEND):
            conn.send(rows[start:start + SEND])
        conn.send(candidates)
    except BaseException:        # the parent scores this share again and sees the error
        conn.send(None)
    finally:
        conn.close()


def _receive(conn: Connection) -> tuple[list[Row], int] | None:
    rows: list[Row] = []
    try:
        while True:
            message: Any = conn.recv()
            if message is None:
                return None
            if isinstance(message, int):
                return rows, message
            rows.extend(message)
    except (EOFError, OSError):
        return None


def score_parallel(score: Score, blocks: Blocks, keys_of: Sequence[Sequence[int]] | None,
                   size: int, n: int) -> tuple[Iterator[Row], int]:
    """Every candidate pair's row (not distinct), in the order a single process
    yields them, scored by n processes; and the number of candidate pairs."""
    context = multiprocessing.get_context("fork")
    procs = []
    gc.freeze()        # children do not copy pages just to scan the shared objects
    try:
        for k in range(1, n):
            reader, writer = context.Pipe(duplex=False)
            proc = context.Process(target=_child, args=(writer, score, blocks, keys_of,
                                                        size, k, n), daemon=True)
            proc.start()
            writer.close()
            procs.append((k, proc, reader))
    finally:
        gc.unfreeze()
    try:
        shares = [_share(score, blocks, keys_of, size, 0, n)]
        for k, proc, reader in procs:
            got = _receive(reader)
            proc.join()
            shares.append(got if got is not None else _share(score, blocks, keys_of, size, k, n))
    finally:
        for _, proc, reader in procs:
            reader.close()
            if proc.is_alive():      # the parent failed: do not leave a worker behind
                proc.terminate()
                proc.join()
    candidates = sum(c for _, c in shares)
    return heapq.merge(*(rows for rows, _ in shares), key=lambda r: (r[0], r[1])), candidates
