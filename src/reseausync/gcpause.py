"""Pausing the cyclic garbage collector around bulk loops.

Matching, regrouping, linking and annotating create millions of small objects
(features, tuples, rows) that live until the loop ends; each time the allocation
count crosses a threshold the collector walks all of them again, which at 2M
interactions or 1M records costs more than the work itself. These objects form no
cycles (reference counting frees them), so collection can wait until the loop is
over.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
