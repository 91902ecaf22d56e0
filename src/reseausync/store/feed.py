"""Reading a large source in a forked worker while the run writes.

Parsing (the connector) and preparing rows (hashes, JSON) are pure Python; the
SQLite writes and the rest of the run are in this process. On two cores a large
read is cut in two: a forked worker runs the connector and `RunWriter.add` on its
copy of the writer and sends what a flush would write, in order, through a pipe;
this process applies the batches, learns the ids the worker has seen and answers
the unit changes exactly where a single process would. The database is written
only here (the worker never touches the inherited connection and leaves through
os._exit), so the stored rows, the counts and every tombstone are those of a
single-process read.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Iterator
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from ..connector import Connector, Unit
from ..models import Interaction, SourceItem, SourceRecord

if TYPE_CHECKING:
    from .writer import RunWriter

WORKER_ENV = "RESEAUSYNC_READ_WORKER"   # "0": never; "1": always (tests); unset: by size
MIN_WORKER_BYTES = 8 << 20               # below this, a fork does not pay for itself


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


def read_in_worker(writer: RunWriter, connector: Connector, units: list[Unit]
                    ) -> Iterator[tuple[str, int]]:
    context = multiprocessing.get_context("fork")
    reader, sender = context.Pipe(duplex=False)
    gc.freeze()          # the worker does not copy pages just to scan shared objects
    try:
        proc = context.Process(target=_worker, args=(sender, writer, connector, units),
                           daemon=True)
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
            if kind == "rows":
                if not writer.dry_run:
                    writer._apply(message[1])
            elif kind == "seen":
                writer.seen_records.update(message[1])
                writer.seen_interactions.update(message[2])
            elif kind == "at":
                yield message[1], message[2]
            elif kind == "end":
                _, counts, changed, cursor = message
                for key, value in counts.items():
                    writer.counts[key] += value
                writer.interactions_changed += changed
                connector.cursor = cursor
                break
            else:
                raise _rebuilt(message[1], message[2], message[3])
        proc.join()
    finally:
        reader.close()
        if proc.is_alive():      # this side failed: leave no worker behind
            proc.terminate()
            proc.join()


def _worker(pipe: Connection, writer: RunWriter, connector: Connector,
            units: list[Unit]) -> None:
    """The worker's whole life; it ends with os._exit, so no finalizer runs on the
    parent's SQLite connection or transaction."""
    code = 0
    try:
        writer.counts = dict.fromkeys(writer.counts, 0)
        writer.interactions_changed = 0
        fresh: list[SourceItem] = []   # added since the last message; at most PROGRESS

        def send_seen() -> None:
            records = [i.external_id for i in fresh if isinstance(i, SourceRecord)]
            interactions = [i.external_id for i in fresh if isinstance(i, Interaction)]
            fresh.clear()
            if records or interactions:
                pipe.send(("seen", records, interactions))

        def flush() -> None:
            pipe.send(("rows", writer._take()))

        writer.flush = flush  # type: ignore[method-assign]
        for unit, count in writer._add_stream(connector.read(units), fresh.append):
            send_seen()     # every unit change and every PROGRESS items
            pipe.send(("at", unit, count))
        flush()
        send_seen()
        pipe.send(("end", writer.counts, writer.interactions_changed, connector.cursor))
    except BaseException as exc:  # noqa: BLE001 - every failure goes to the parent
        code = 1
        try:
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
