"""Batches of ids for `IN (...)` queries.

Kept apart from the matcher (match/persist.py, which re-exports them) so that the
commands that only read the directory do not load numpy and the matcher to split
a list of ids: their start-up is most of what a user waits for.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")
CHUNK = 900          # ids per IN (...) query: under SQLite's variable limit


def chunks(values: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    batch: list[T] = []
    for v in values:
        batch.append(v)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def marks(batch: Sequence[object]) -> str:
    return ",".join("?" * len(batch))
