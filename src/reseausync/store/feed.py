"""Reading a large source in a forked worker while the run writes.

Parsing (the connector) and preparing each item (rows.prepared: its JSON and
content hash) are pure Python; adding the items (ids seen, hashes compared,
counts) and the SQLite writes are in this process. On two cores a large read is
cut in two: a forked worker runs the connector, prepares each item and sends them
in batches through a pipe, in order; this process adds them exactly as it adds
the items of a read done here. The database is written only here (the worker
never touches the inherited connection and leaves through os._exit), so the
stored rows, the counts and every tombstone are those of a single-process read.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Iterator
from multiprocessing.connection import Connection
from typing import Any

from ..connector import Connector, Unit
from .rows import Prepared, prepared

WORKER_ENV = "RESEAUSYNC_READ_WORKER"   # "0": never; "1": always (tests); unset: by size
MIN_WORKER_BYTES = 8 << 20               # below this, a fork does not pay for itself
SEND = 2000                              # items per message to this process


def read_worker(connector: Connector, units: list[Unit]) -> bool:
    """Whether reading `units` should be done by a forked worker.

    Only for connectors that say their read may run in another process (class
    attribute `read_in_worker = True`): what a read leaves on the connector object,
    other than `cursor`, stays in the worker, and a connector holding a network
    session or a thread should not be forked at all.
    """
    setting = os.environ.get(WORKER_ENV, "").strip()
    if (setting == "0" or not connector.read_in_worker
            or "fork" not in multiprocessing.get_all_start_methods()):
        return False
    if setting == "1":
        return True
    if (os.cpu_count() or 1) < 2:
        return False
    size = 0
    for path in {u.path for u in units if u.path is not None and u.problem is None}:
        try:
            size += path.stat().st_size
        except OSError:
            continue
    return size >= MIN_WORKER_BYTES


def read_in_worker(connector: Connector, units: list[Unit]) -> Iterator[Prepared]:
    """The prepared items of `connector.read(units)`, read by a forked worker; the
    connector's cursor is set from the worker's when the read ends."""
    context = multiprocessing.get_context("fork")
    reader, sender = context.Pipe(duplex=False)
    gc.freeze()          # the worker does not copy pages just to scan shared objects
    try:
        proc = context.Process(target=_worker, args=(sender, connector, units), daemon=True)
        proc.start()
    finally:
        gc.unfreeze()
    sender.close()
    try:
        while True:
            try:
                message = reader.recv()
            except (EOFError, OSError) as exc:
                raise OSError(f"the read worker stopped unexpectedly ({exc!r})") from exc
            kind = message[0]
            if kind == "items":
                yield from message[1]
            elif kind == "end":
                connector.cursor = message[1]
                break
            else:
                raise _rebuilt(message[1], message[2], message[3])
        proc.join()
    finally:
        reader.close()
        if proc.is_alive():      # this side failed: leave no worker behind
            proc.terminate()
            proc.join()


def _worker(pipe: Connection, connector: Connector, units: list[Unit]) -> None:
    """The worker's whole life; it ends with os._exit, so no finalizer runs on the
    parent's SQLite connection or transaction."""
    code = 0
    try:
        batch: list[Prepared] = []
        for item in connector.read(units):
            batch.append(prepared(item))
            if len(batch) >= SEND:
                pipe.send(("items", batch))
                batch = []
        pipe.send(("items", batch))
        pipe.send(("end", connector.cursor))
    except BaseException as exc:  # noqa: BLE001 - every failure goes to the parent
        code = 1
        try:
            pipe.send(("items", batch))   # what was read before the failure is added
            pipe.send(("error", type(exc), exc.args, dict(getattr(exc, "__dict__", {}))))
        except Exception:  # noqa: BLE001 - an exception that cannot be pickled
            pipe.send(("error", RuntimeError, (f"{type(exc).__name__}: {exc}",), {}))
    finally:
        pipe.close()
        os._exit(code)


def _rebuilt(kind: type[BaseException], args: tuple[Any, ...], attrs: dict[str, Any]
             ) -> BaseException:
    """The worker's exception as the connector raised it (args and attributes: a
    SourceError keeps its hint), so the run fails the way a single process fails."""
    exc = kind.__new__(kind)
    exc.args = args
    exc.__dict__.update(attrs)
    return exc
