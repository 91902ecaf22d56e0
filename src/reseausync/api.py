"""The Python API: what the CLI does, callable from code.

Each function opens the directory, does one job and closes it. The CLI is a thin
layer over these; no SQL or parsing lives in CLI code.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any

from . import jsonfast
from .connector import Connector, ReadContext
from .errors import UsageError
from .files import absolute
from .lock import DirectoryLock
from .models import Reject
from .registry import registry
from .routing import Route, not_read, routes
from .sqlbatch import chunks, marks
from .store import Store

if TYPE_CHECKING:   # the matcher and numpy load only for commands that write
    from .pipeline import Progress, RunResult


@contextmanager
def open_store(db: str, dry_run: bool = False) -> Iterator[Store]:
    """The directory at `db`; with `dry_run`, one that needs an upgrade is read from
    an upgraded temporary copy and the file is left as it was (Store.open)."""
    store = Store.open(db, dry_run=dry_run)
    try:
        yield store
    finally:
        store.close()


@contextmanager
def writer_lock(db: str, command: str, settings: Any) -> Iterator[None]:
    """One writer at a time on a directory (see reseausync.lock); the wait is the
    config's `sync.lock_timeout` (DirectoryLock's default without a config)."""
    sync = getattr(settings, "sync", None)
    lock = (DirectoryLock(db, command, sync.lock_timeout) if sync is not None
            else DirectoryLock(db, command))
    with lock:
        yield


def read_context(source: str, settings: Any = None, region: str | None = None,
                 as_of: date | None = None) -> ReadContext:
    me = getattr(settings, "me", None)
    publish = getattr(settings, "publish", None)
    return ReadContext(source=source, region=region or getattr(settings, "region", None),
                       me_emails=frozenset(getattr(me, "emails", None) or ()),
                       me_linkedin_url=getattr(me, "linkedin_url", "") or "", as_of=as_of,
                       publish_target=publish.target() if publish is not None else "")


def make_connector(name: str | None, target: str, *, source: str | None = None,
                   options: dict[str, Any] | None = None, settings: Any = None,
                   region: str | None = None) -> Connector:
    cls = registry.get(name) if name else registry.detect(target)
    context = read_context(source or cls.name, settings, region)
    try:
        return cls(options or {}, context)
    except ValueError as exc:  # pydantic ValidationError is a ValueError
        raise UsageError(f"invalid options for connector {cls.name!r}: {exc}") from exc


def import_paths(paths: list[str], *, db: str, connector: str | None = None,
                 source: str | None = None, options: dict[str, Any] | None = None,
                 settings: Any = None, region: str | None = None,
                 progress: Progress | None = None) -> list[RunResult]:
    """One-off import of files, folders or zips.

    Paths read by the same connector under the same source name form one run;
    the connector is detected per path when not named, and a mixed folder's files
    go to the connectors that read them (routing.py).
    """
    if not paths:
        raise UsageError("nothing to import", hint="give one or more files, folders or zips")
    groups: dict[tuple[str, str], list[str]] = {}
    conns: dict[tuple[str, str], Connector] = {}
    notes: dict[tuple[str, str], list[Reject]] = {}
    skips: dict[tuple[str, str], set[str]] = {}
    for path in paths:
        conn = make_connector(connector, path, source=source, options=options,
                              settings=settings, region=region)
        path = absolute(path)
        for route in (routes(path, conn) if connector is None else [Route(type(conn), path)]):
            if route.cls is not type(conn):    # the options (--mapping) were for the first
                conn = make_connector(route.cls.name, route.path, source=source,
                                      settings=settings, region=region)
            key = (conn.name, conn.source)
            groups.setdefault(key, []).append(route.path)
            conns.setdefault(key, conn)
            skips.setdefault(key, set()).update(route.skip)
            if route.unread:
                notes.setdefault(key, []).append(
                    not_read(conn.source, route.path, route.unread))
    from .pipeline import run_source
    results = []
    last = list(groups)[-1]
    with writer_lock(db, "import", settings), open_store(db) as store:
        store.close_interrupted_runs()
        try:
            for key, targets in groups.items():
                # The last run builds the contacts (everyone's, once) in its own
                # transaction: a run is "ok" in `runs` only once its people are in
                # the directory, and a build that fails or is stopped takes the run
                # with it (QA S2: "ok, 50000 added" while `contacts` showed none).
                results.append(run_source(store, conns[key], targets, command="import",
                                          full_listing=False, settings=settings,
                                          progress=progress, rebuild=key == last,
                                          notes=notes.get(key, ()),
                                          skip=frozenset(skips[key])))
        except KeyboardInterrupt:
            raise     # the user asked to stop: the dirty flag keeps the resolve for later
        except BaseException:
            _rebuild(store, settings)   # what the runs before a failed one brought in
            raise
        _rebuild(store, settings)
    return results


def _rebuild(store: Store, settings: Any) -> None:
    from .pipeline import rebuild_if_dirty
    last = store.db.execute("SELECT MAX(id) FROM runs").fetchone()[0]
    rebuild_if_dirty(store, int(last or 0), settings)


OWNER_FLAG = "me"


def is_owner(contact: dict[str, Any]) -> bool:
    """Whether a canonical contact is the owner (`[me]`): the directory never lists
    them as a contact, so `contacts`, `export` and `publish` all leave them out."""
    return OWNER_FLAG in (contact.get("flags") or ())


def unconfigured_sources(db: str, configured: Iterable[str]) -> list[tuple[str, int, int]]:
    """(source, live records, live interactions) of the sources a `sync` read once
    and the config no longer names: what they hold stays, as last read, in the
    directory and its exports; `sync` says so rather than keep them in silence. One-off
    imports' sources are not the config's business."""
    names = sorted(set(configured))
    held: dict[str, list[int]] = {}
    with open_store(db) as store:
        for i, table in enumerate(("records", "interactions")):
            for source, count in store.db.execute(
                    f"SELECT source, COUNT(*) FROM {table} WHERE removed_at IS NULL "
                    f"AND source NOT IN ({marks(names) if names else ''}) "
                    "AND source IN (SELECT source FROM runs WHERE command='sync') "
                    "GROUP BY source", names):
                held.setdefault(source, [0, 0])[i] = count
    return [(source, held[source][0], held[source][1]) for source in sorted(held)]


def listed_contacts(store: Store) -> list[dict[str, Any]]:
    """Every live contact but the owner: what `contacts` lists, `stats` counts,
    `export` writes and `publish` sends (a card published before for the owner is
    deleted like any contact that left), so they always name the same people."""
    return [r for r in load_contacts(store, provenance=False) if not is_owner(r)]


def load_contacts(store: Store, ids: Iterable[str] | None = None, *,
                  provenance: bool = True) -> list[dict[str, Any]]:
    """Live canonical contacts as stored (without engagement, which depends on a
    date): every one, or those of `ids`. A listing passes provenance=False: only
    `show` reads where each value came from, and on a directory of 200,000 people
    it is half of what the listing holds in memory."""
    if ids is None:
        rows = store.db.execute(
            "SELECT id, data FROM contacts WHERE removed_at IS NULL ORDER BY id").fetchall()
    else:
        rows = []
        for batch in chunks(sorted(set(ids))):
            rows += store.db.execute(
                "SELECT id, data FROM contacts WHERE removed_at IS NULL AND id IN "
                f"({marks(batch)}) ORDER BY id", batch).fetchall()
    out = []
    loads = jsonfast.loads
    for cid, text in rows:
        row = {"id": cid}
        row.update(loads(text))
        if not provenance:
            row.pop("provenance", None)
        out.append(row)
    return out


def contacts(db: str) -> list[dict[str, Any]]:
    with open_store(db) as store:
        return load_contacts(store)


def runs(db: str, last: int | None = None) -> list[dict[str, Any]]:
    """The runs, oldest first: every one, or the `last` most recent."""
    with open_store(db) as store:
        return [{"run": r["id"], "source": r["source"], "started": r["started"],
                 "finished": r["finished"], "status": r["status"], "added": r["added"],
                 "updated": r["updated"], "unchanged": r["unchanged"],
                 "removed": r["removed"], "rejected": r["rejected"],
                 "command": r["command"], "connector": r["connector"],
                 "message": r["message"], "dry_run": bool(r["dry_run"])}
                for r in store.runs(last)]


def rejects(db: str, run: int | None = None) -> list[dict[str, Any]]:
    """What `run` (else every run) could not read. A run that does not exist is an
    error: "(none)" would tell a script with a mistyped number that all was read."""
    with open_store(db) as store:
        if run is not None and store.db.execute("SELECT 1 FROM runs WHERE id=?",
                                                (run,)).fetchone() is None:
            raise UsageError(f"no run {run} in this directory",
                             hint="`reseausync runs` lists the runs")
        return [{"run": r["run"], "source": r["source"], "location": r["location"],
                 "reason": r["message"], "code": r["reason"], "unit": r["unit"],
                 "excerpt": r["excerpt"]} for r in store.rejects(run)]
