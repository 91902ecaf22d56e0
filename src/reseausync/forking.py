"""Forked helper processes for the pure-Python parts of a large resolve.

Survivorship and the comparison of distinct value pairs are Python loops over data
the parent already holds. On Linux a forked child gets that data copy-on-write, so
nothing is pickled on the way in; each child answers `handler(message)` for every
message it is sent, in order. A child never touches the parent's SQLite
connection and leaves through the end of its loop, never through the parent's
code. A child that fails (or dies) answers None and stops: the caller then does
that piece of work itself, so a failure costs time, never a difference.

`RESEAUSYNC_MATCH_WORKERS` sets the processes (unset: every CPU); `1` turns the
helpers off.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

ENV = "RESEAUSYNC_MATCH_WORKERS"
MIN_RECORDS = 20_000     # below this a fork does not pay for itself


def end_as_default(signum: int) -> None:
    """In a forked child that inherited a command's handler for `signum`: do what the
    signal did before any handler (SIGTERM ends the process), so a pool that
    terminates a stuck or failed worker (`proc.terminate(); proc.join()`) is not
    left waiting on it. The parent's handler decides for the command."""
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def workers(records: int) -> int:
    """How many processes should share the work on `records` records."""
    text = os.environ.get(ENV, "").strip()
    try:
        n = int(text) if text else (os.cpu_count() or 1)
    except ValueError:
        n = 1
    if n <= 1 or records < MIN_RECORDS or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return n


def parts(size: int, n: int) -> list[slice]:
    """`size` items cut in n contiguous slices, as even as can be."""
    return [slice(size * k // n, size * (k + 1) // n) for k in range(n)]


class Helpers:
    """Up to `n` forked children serving `handler`; `len()` says how many started
    (none inside a daemon process, which may not have children).

    One message in flight per child: send, then receive before sending it more (a
    child blocked writing a large answer while the parent blocks writing it a large
    message would wait forever).
    """

    def __init__(self, handler: Callable[[Any], Any], n: int) -> None:
        self.handler = handler
        self.children: list[tuple[Any, Connection] | None] = []
        context = multiprocessing.get_context("fork")
        gc.freeze()          # children do not copy pages just to scan the shared objects
        try:
            for _ in range(n):
                parent_end, child_end = context.Pipe()
                proc = context.Process(target=_serve, args=(child_end, handler), daemon=True)
                try:
                    proc.start()
                except (OSError, AssertionError):   # no fork here (a daemon process)
                    parent_end.close()
                    break
                finally:
                    child_end.close()
                self.children.append((proc, parent_end))
        finally:
            gc.unfreeze()

    def __len__(self) -> int:
        return len(self.children)

    def __enter__(self) -> Helpers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def map(self, messages: list[Any], here: Callable[[Any], Any] | None = None
            ) -> list[Any]:
        """handler(message) of each message, in order: the first done here while
        helper k does message k + 1 (here too when that helper is gone), so n
        messages keep this process and n - 1 helpers busy at once. `here` does this
        process's share instead of the handler when the result wanted here differs
        from what is worth sending over a pipe (default: the handler)."""
        local = here or self.handler
        sent = [self.send(k, m) for k, m in enumerate(messages[1:])]
        out = [local(messages[0])]
        for k, m in enumerate(messages[1:]):
            got = self.receive(k) if sent[k] else None
            out.append(got if got is not None else local(m))
        return out

    def send(self, k: int, message: Any) -> bool:
        """Hand child k a message; False when it is gone or never started (do the
        work yourself)."""
        child = self.children[k] if k < len(self.children) else None
        if child is None:
            return False
        try:
            child[1].send(message)
            return True
        except (OSError, ValueError):
            self._drop(k)
            return False

    def receive(self, k: int) -> Any | None:
        """Child k's answer to its message; None when it failed (it gets no more)."""
        child = self.children[k] if k < len(self.children) else None
        if child is None:
            return None
        try:
            answer = child[1].recv()
        except (EOFError, OSError):
            answer = None
        if answer is None:
            self._drop(k)
        return answer

    def close(self) -> None:
        for k, child in enumerate(self.children):
            if child is not None:
                try:
                    child[1].send(None)
                except (OSError, ValueError):
                    pass
                self._drop(k)

    def _drop(self, k: int) -> None:
        proc, conn = self.children[k]  # type: ignore[misc]
        self.children[k] = None
        conn.close()
        proc.join(timeout=5)
        if proc.is_alive():       # failed or stuck: leave no worker behind
            proc.terminate()
            proc.join()


def _serve(conn: Connection, handler: Callable[[Any], Any]) -> None:
    """A child's life: answer each message until told to stop (None)."""
    try:
        while True:
            message = conn.recv()
            if message is None:
                return
            conn.send(handler(message))
    except BaseException:         # the parent does the work again (and raises, if it fails)
        try:
            conn.send(None)
        except OSError:
            pass
    finally:
        conn.close()
