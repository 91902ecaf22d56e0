"""One run of one source, end to end, in one transaction.

    discover units ─► skip unchanged ─► read ─► write ─► tombstone ─► resolve ─► link

This is the only module that chains the stages; the CLI, `sync` and the
scheduler all come through `run_source`. The run row is committed first (so a
failed run is still listed in `runs`), then everything the run changes is one
transaction: a crash, a kill or an exception leaves the previous state whole,
and re-running converges.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .connector import Connector, Unit
from .engagement.linking import link_interactions
from .engagement.summary import refresh as refresh_summaries
from .errors import MassRemovalError, ReseausyncError, SourceError
from .files import APPENDED_FROM, read_progress, storable
from .itemcheck import is_builtin
from .merge.overrides import lapsed_in_run
from .merge.succession import hand_over, rebind_lapsed
from .models import Reject
from .resolve import outdated, resolve_contacts
from .store import RunWriter, Store

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]   # (units done, units total, current unit)


def _interaction_detail(c: dict[str, int]) -> str:
    """How many of a run's interactions are new, when some were only read again (a
    mailbox with one new message is read whole), and how many it removed."""
    parts = []
    new = c.get("interactions_new", 0)
    if new != c.get("interactions", 0):
        parts.append(f"{new} new")
    if c.get("interactions_removed"):
        parts.append(f"{c['interactions_removed']} removed")
    return f" ({', '.join(parts)})" if parts else ""


@dataclass
class RunResult:
    run: int
    source: str
    connector: str
    status: str = "ok"
    counts: dict[str, int] = field(default_factory=dict)
    message: str = ""
    dry_run: bool = False
    changed: bool = False      # records or interactions changed: contacts were rebuilt

    def summary(self) -> str:
        c = self.counts
        text = (f"{self.source}: {c.get('added', 0)} added, {c.get('updated', 0)} updated, "
                f"{c.get('unchanged', 0)} unchanged, {c.get('removed', 0)} removed, "
                f"{c.get('rejected', 0)} rejected, {c.get('interactions', 0)} interactions")
        text += _interaction_detail(c)
        if c.get("decisions_lapsed"):      # merge/overrides.py: lapsed decisions
            n = c["decisions_lapsed"]
            text += (f"; {n} of your link/split decisions no longer "
                     f"hold{'s' if n == 1 else ''}: every record one side named left "
                     "(see `reseausync review`)")
        if c.get("decisions_rebound"):     # merge/succession.rebind_lapsed
            n = c["decisions_rebound"]
            text += (f"; {n} of your link/split decisions hold{'s' if n == 1 else ''} "
                     "again: a record one side named came back under a new key")
        if self.dry_run:
            text += " (dry run: nothing written)"
        if self.status != "ok":
            text += f" — FAILED: {self.reason}"
        return text

    @property
    def reason(self) -> str:
        """The failure's message without the source's name in front (the line that
        shows it names the source already: "book: book: this run would remove")."""
        return self.message.removeprefix(f"{self.source}: ")


def run_source(store: Store, connector: Connector, targets: list[str], *, command: str,
               full_listing: bool, allow_mass_removal: bool = False,
               max_removal_share: float = 0.5, dry_run: bool = False,
               settings: Any = None, progress: Progress | None = None,
               rebuild: bool = True, notes: Sequence[Reject] = (),
               skip: frozenset[str] = frozenset()) -> RunResult:
    """Read `targets` with `connector` into the store as one run.

    `full_listing` says the targets are the whole source (a configured sync): units
    that no longer exist are tombstoned. A one-off import is not a full listing:
    importing b.vcf must not remove what a.vcf brought under the same source name.
    Raises the connector's SourceError after recording the run as failed.

    A run that changed nothing does not rebuild the contacts. With `rebuild=False`
    (the runs of a sync or import before the last one) the run only marks the
    directory dirty, in its own transaction, and stays "running" (Store.await_build)
    until the caller's one build (`rebuild_if_dirty`, or the last run's) makes it
    "ok" in the build's transaction: "ok" means its people are in the directory. A
    crash in between still converges, since the flag survives it. `notes` are
    rejects the caller found before reading (files of an import nobody reads);
    `skip` the files of the targets that another connector reads (routing.py).
    """
    source = connector.source
    with store.transaction():
        run = store.start_run(source, connector.name, command, dry_run)
    result = RunResult(run, source, connector.name, dry_run=dry_run)
    try:
        with store.transaction():
            writer = RunWriter(store, run, source, dry_run=dry_run)
            for note in notes:
                writer.add_reject(note)
            _read_all(store, connector, targets, writer, full_listing, progress, skip)
            _guard_mass_removal(store, source, writer, allow_mass_removal, max_removal_share)
            result.counts = dict(writer.counts)
            if dry_run:
                raise _DryRun()
            result.changed = writer.changed
            if writer.changed or writer.touched:
                # records re-read unchanged may have moved: their contacts say where
                store.set_meta(DIRTY, "1")
            if writer.changed:
                store.set_meta(LINKS_DIRTY, "1")
            if rebuild:
                writer.release()
                rebuild_if_dirty(store, run, settings)
                store.finish_run(run, "ok", result.counts)
            else:         # "ok" once the contacts are built with it (rebuild_if_dirty)
                store.await_build(run, result.counts)
    except _DryRun:
        with store.transaction():      # what it found unreadable is kept, nothing else
            store.finish_run(run, "ok", result.counts, "dry run: nothing written")
            store.add_rejects(writer.dry_rejects)
    except (ReseausyncError, OSError) as exc:
        result.status, result.message = "failed", str(exc)
        with store.transaction():
            store.finish_run(run, "failed", {}, str(exc))
        raise
    except KeyboardInterrupt as stop:
        # Ctrl-C (or SIGTERM, errors.Terminated): the run's transaction is rolled
        # back; say so now rather than leave a run "running" until the next writer
        # finds it (`runs` would show it live)
        with store.transaction():
            store.finish_run(run, "failed", {}, getattr(stop, "run_message", INTERRUPTED))
        raise
    except Exception as exc:
        # a bug (ours or a plugin's): the traceback still reaches the user, and the
        # run says it failed instead of staying "running" until the next writer
        result.status = "failed"
        result.message = storable(f"unexpected {type(exc).__name__}: {exc}")
        with store.transaction():
            store.finish_run(run, "failed", {}, result.message)
        raise
    return result


INTERRUPTED = "interrupted (Ctrl-C): nothing of this run was kept"


class _DryRun(Exception):
    """Rolls the run's transaction back after counting what it would change."""


def _read_all(store: Store, connector: Connector, targets: list[str], writer: RunWriter,
              full_listing: bool, progress: Progress | None,
              skip: frozenset[str] = frozenset()) -> None:
    source = connector.source
    read_with = _read_settings(connector)
    stale = store.get_meta(f"read_with:{source}") not in ("", read_with)
    connector.cursor = "" if stale else store.get_meta(f"cursor:{source}")
    known = store.unit_fingerprints(source)
    units: list[Unit] = []
    for target in targets:
        units.extend(u for u in _discover(connector, target) if u.id not in skip)
    units = _with_settings(store, source, units, known, read_with,
                           _read_settings(connector, read_version=0))
    listed = {u.id for u in units}
    todo = [u for u in units if known.get(u.id) != u.fingerprint or u.problem]
    writer.count_unchanged_units({u.id for u in units} - {u.id for u in todo})
    writer.listing = {u.id: i for i, u in enumerate(units)}
    writer.reading = {u.id for u in todo}
    _read_units(store, connector, todo, writer, progress)
    _reread(store, connector, units, writer, progress)
    # Rows another file held until this run now say they come from the file read
    # here. That file, if unchanged, would be skipped next time, and whatever
    # tombstones this one would take them along: it is read again next time.
    for unit_id in writer.rehomed - {u.id for u in todo}:
        store.stale_unit(source, unit_id)
    if full_listing:
        vanished = [u for u in known if u not in listed and not writer.kept(u)]
        writer.tombstone_missing(set(vanished))
        for unit_id in vanished:
            store.forget_unit(source, unit_id)
    _hand_over(store, writer)
    if writer.counts["removed"]:     # a side emptied: its decision stops holding
        writer.counts["decisions_lapsed"] = lapsed_in_run(store, writer.run)
    store.set_meta(f"cursor:{source}", connector.cursor)
    store.set_meta(f"read_with:{source}", read_with)


def _reread(store: Store, connector: Connector, units: list[Unit], writer: RunWriter,
            progress: Progress | None) -> None:
    """Read again the listed units the connector says its reading made stale
    (Connector.reread), that this run did not read: counted as read, not as
    unchanged."""
    wanted = set(connector.reread()) - writer.reading
    again = [u for u in units if u.id in wanted]
    if not again:
        return
    ids = {u.id for u in again}
    writer.counts["unchanged"] -= sum(n for unit, n in store.db.execute(
        "SELECT unit, COUNT(*) FROM records WHERE source=? AND removed_at IS NULL "
        "GROUP BY unit", (writer.source,)) if unit in ids)
    writer.reading |= ids
    _read_units(store, connector, again, writer, progress)


def _hand_over(store: Store, writer: RunWriter) -> None:
    """Records the run re-keyed (removed and added again under a new external id:
    merge/succession.py) keep their contact and the user's decisions, and count
    as updated, not as removed and added: an upgrade that keys every card anew is
    no mass removal. (A dry run writes no record to pair: it counts them apart.)"""
    if writer.dry_run:
        return
    if writer.counts["removed"]:
        handed = hand_over(store.db, writer.source, writer.run)
        for key, delta in (("added", -handed), ("removed", -handed), ("updated", handed)):
            writer.counts[key] += delta
    if writer.counts["added"]:      # a lapsed decision's record back under a new key
        rebound = rebind_lapsed(store.db, writer.source, writer.run)
        if rebound:
            writer.counts["decisions_rebound"] = rebound


def _discover(connector: Connector, target: str) -> list[Unit]:
    """The units of `target`. A third-party connector whose `discover` raises an
    ordinary exception fails this source's run with a sentence naming it, instead
    of a traceback (`sync` goes on with the other sources); a built-in one's is a
    bug of ours and keeps its traceback."""
    try:
        return list(connector.discover(target))
    except (ReseausyncError, OSError):
        raise
    except Exception as exc:
        if is_builtin(type(connector)):
            raise
        raise SourceError(f"connector {connector.name!r} failed listing {target}: "
                          f"{type(exc).__name__}: {str(exc)[:300]}",
                          hint=f"a bug of the connector {connector.name!r}: "
                               "`reseausync connectors` names the distribution "
                               "it comes from") from exc


def _read_settings(connector: Connector, read_version: int | None = None) -> str:
    """A digest of what a read depends on besides the file: the connector's options,
    and the region and the owner for a connector that reads them.

    An unchanged file is not read again; but what was read from it depends on
    these: the owner's sent mail was "in" until `[me]` named the address, a CSV
    rejected for its header stayed rejected after `--mapping` named the right
    mapping (QA: "0 added, 0 rejected"). The digest is part of each file's stored
    fingerprint, so a file is read again, once, by the first run that reads its
    source with other settings (a one-off import of one file re-reads that file;
    the others follow when they are next given). A change also drops a CardDAV
    book's sync token, so the book is listed whole. `read_version` stands for the
    connector's own (0: the digest of what releases before read_version read)."""
    ctx = connector.context
    owner = ([ctx.region, sorted(ctx.me_emails), ctx.me_linkedin_url]
             if connector.reads_owner else [])
    parts = [connector.name, connector.options.model_dump(mode="json"), owner]
    version = connector.read_version if read_version is None else read_version
    if version:                      # 0: the digest every earlier version stored
        parts.append(version)
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _with_settings(store: Store, source: str, units: list[Unit], known: dict[str, str],
                   read_with: str, read_before: str) -> list[Unit]:
    """`units` with the read settings' digest in their fingerprints. A file stored
    by a version without it is taken as read with `read_before`, the present
    settings at read_version 0 (its stored fingerprint is completed): nothing is
    read again on upgrade, except by a connector that reads more than those
    versions did (read_version > 0), once (QA6 #3: a direct upgrade from the first
    release took its reads as today's and never read a vCard or CSV file again)."""
    out, adopted = [], []
    for unit in units:
        salted = replace(unit, fingerprint=f"{unit.fingerprint} read:{read_with}")
        if known.get(unit.id) == unit.fingerprint:
            known[unit.id] = f"{unit.fingerprint} read:{read_before}"
            adopted.append((known[unit.id], source, unit.id))
        out.append(salted)
    if adopted:
        store.db.executemany("UPDATE units SET fingerprint=? WHERE source=? AND unit=?",
                             adopted)
    return out



def _read_units(store: Store, connector: Connector, todo: list[Unit], writer: RunWriter,
                progress: Progress | None) -> None:
    """Read units in order; a unit's fingerprint is saved once it was read to the end,
    and its records this run did not see are tombstoned then, not when its reading
    failed part-way.

    Items of one unit arrive contiguously, so when the first item of the next unit
    shows up (or the stream ends) the previous unit is complete.
    """
    by_id = {u.id: u for u in todo}
    before = {u.id: _file_state(u) for u in todo if u.path is not None and not u.problem}
    done: list[str] = []
    current = ""

    def close(unit_id: str) -> None:
        unit = by_id.get(unit_id)
        if unit is None:
            return
        if unit_id in before and _file_state(unit) != before[unit_id]:
            writer.add_reject(changed_while_read(writer.source, unit))
        if unit_id not in writer.unread:
            if not unit.meta.get(APPENDED_FROM):    # read past its old end: nothing unseen
                writer.tombstone_missing({unit_id})
            if not unit.problem:
                store.save_unit(writer.source, unit_id, unit.fingerprint, writer.run)
        # else its reading failed part-way: what it holds past the failure is unknown,
        # so nothing of it is tombstoned, and it is read again next run (a damaged
        # zip member keeps its CRC: a healthy copy would pass for unchanged)
        done.append(unit_id)
        if progress:
            progress(len(done), len(todo), unit_id)

    for unit_id, count in writer.add_all(connector, todo):
        if unit_id != current:
            if current:
                close(current)
            current = unit_id
        elif progress:          # one big file is one unit: show items and bytes too
            read = read_progress(by_id[current]) if current in by_id else ""
            progress(len(done), len(todo),
                     f"{current} ({count} items{', ' + read if read else ''})")
    writer.flush()
    if current:
        close(current)
    for unit in todo:              # units that yielded nothing at all (empty files)
        if unit.id not in done:
            close(unit.id)
    writer.flush()                 # the rejects `close` added after the last flush


CHANGED_WHILE_READ = "changed-while-read"


def _file_state(unit: Unit) -> tuple[int, int] | None:
    """The size and modification time of the file `unit` lies in (a zip's for its
    members); None when it cannot be looked at (gone: its read says so)."""
    try:
        st = unit.path.stat() if unit.path is not None else None
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns) if st is not None else None


def changed_while_read(source: str, unit: Unit) -> Reject:
    """The unread reject of a file whose size or time changed while it was read: a
    backup still being copied in, an export still being written. What was read of
    it may stop anywhere, so nothing of it is removed and it is read again next run
    (QA7 #1), as a file that ends inside a card is."""
    return Reject(source=source, locator=unit.id, reason=CHANGED_WHILE_READ,
                  message=f"{unit.name}: changed while it was read (still being written "
                          "or copied?): nothing of it is removed, and it is read again "
                          "next run", unit=unit.id, unread=True)


def _guard_mass_removal(store: Store, source: str, writer: RunWriter, allowed: bool,
                        max_share: float) -> None:
    """Refuse a run that would tombstone more than `max_share` of what the source
    held before it: its records, and its interactions (a mailbox or calendar
    source has no records; moved away, it took every contact's engagement). The
    run's own new rows are not part of the share: a file replaced by another one
    would otherwise remove everything it held at 50%."""
    if allowed:
        return
    for table, removed in (("records", writer.counts["removed"]),
                           ("interactions", writer.counts.get("interactions_removed", 0))):
        if not removed:
            continue
        row = store.db.execute(
            f"SELECT COUNT(*) FROM {table} WHERE source=?1 AND first_run<?2 AND "
            "(removed_at IS NULL OR removed_run=?3)" + _SUCCESSORS.get(table, ""),
            (source, writer.run, writer.run)).fetchone()
        before = max(row[0] or 1, removed)
        share = removed / before
        if removed == before or share > max_share:
            raise MassRemovalError(
                f"{source}: this run would remove {removed} of {before} {table} "
                f"({share:.0%}, limit {max_share:.0%}); nothing was changed",
                hint="if the source really shrank, run again with --allow-mass-removal")


# A successor took its predecessor's first run (merge/succession.py): counted with
# it, one re-keyed record would be two held before, and a run removing 60% of a
# book while re-keying the rest passed a 50% limit.
_SUCCESSORS = {"records": " AND id NOT IN (SELECT succeeded_by FROM records WHERE "
                          "source=?1 AND removed_run=?3 AND succeeded_by IS NOT NULL)"}

DIRTY = "contacts_dirty"
LINKS_DIRTY = "links_dirty"   # unset (a directory from before it): as if set


def rebuild_if_dirty(store: Store, run: int, settings: Any = None) -> bool:
    """Rebuild contacts and engagement links when a run changed records or interactions,
    or re-read records that may have moved, or when the match state is outdated
    (resolve.outdated: an upgrade, new match settings)."""
    with store.transaction():
        if store.get_meta(DIRTY) != "1" and not outdated(store, settings):
            refresh_summaries(store, settings)   # none stored yet (an upgrade), or stale
            store.finish_built_runs()
            return False
        _rebuild(store, run, settings)
        refresh_summaries(store, settings)       # after the links: engagement/summary.py
        store.set_meta(DIRTY, "0")
        store.finish_built_runs()       # the runs that waited for this build: "ok" now
    return True


def _rebuild(store: Store, run: int, settings: Any) -> None:
    """Links follow the contacts' identities and the interactions: a resolve that
    matched nothing again (records that only moved) leaves them as they are, so
    re-reading a changed file of unchanged records does not relink a million
    messages; one that changed a card relinks the messages naming its keys."""
    counts = resolve_contacts(store, run, settings)
    if counts.get("mode") != 0 or store.get_meta(LINKS_DIRTY) != "0":
        # only the interactions the run's changes reach (engagement/relink.py),
        # unless the contacts were rebuilt whole (an upgrade, new match settings)
        link_interactions(store, settings, incremental=counts.get("mode") != 2)
        store.set_meta(LINKS_DIRTY, "0")
