"""`reseausync sync` and `check`: bring every configured source up to date.

Why it is this thin: the incremental work (unchanged units skipped, fingerprints
saved with their records, tombstones and revivals, the mass-removal guard, one
transaction per run) lives in `pipeline.run_source`, which `import` uses too. What
`sync` adds is the config: which sources, with which connector and options, read
as a *full listing* (what the source no longer lists is tombstoned), under the
directory's one-writer lock. A source that fails (its path vanished, 401, a
truncated export caught by the guard) is recorded as a failed run and the others
still run: one broken export must not stop the phone book from syncing.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from .api import read_context
from .config import Settings, SourceSettings
from .connector import Connector
from .errors import MassRemovalError, ReseausyncError, Terminated, UsageError
from .files import storable
from .lock import DirectoryLock
from .pipeline import INTERRUPTED, Progress, RunResult, rebuild_if_dirty, run_source
from .registry import registry
from .retire import held, removal_hint, retired_connector
from .store import Store

logger = logging.getLogger(__name__)

Log = Callable[[str], None]


def build_connector(source: SourceSettings, settings: Settings,
                    region: str | None = None) -> Connector:
    """The configured connector of `source`, with its options and the run context."""
    cls = registry.get(source.connector)
    options = source.connector_options()
    return cls(options, read_context(source.name, settings, region))


def selected_sources(settings: Settings, source: str | None) -> list[SourceSettings]:
    if source is None:
        return list(settings.sources)
    for configured in settings.sources:
        if configured.name == source:
            return [configured]
    known = ", ".join(s.name for s in settings.sources) or "none configured"
    raise UsageError(f"no source named {source!r} in the config (known: {known})",
                     hint="run `reseausync check` to list the configured sources")


def sync_sources(settings: Settings, *, db: str, source: str | None = None,
                 dry_run: bool = False, allow_mass_removal: bool = False,
                 log: Log | None = None, region: str | None = None,
                 command: str = "sync", progress: Progress | None = None) -> list[RunResult]:
    """Run every configured source (or the one named) once; one RunResult each.

    Failed sources come back with status "failed" and a message instead of raising,
    so the caller sees every source's outcome; the lock and an unknown `source`
    name still raise, since then nothing ran at all. A named source the config
    does not list but the directory holds is removed (retire.py).
    """
    retiring = source is not None and all(s.name != source for s in settings.sources)
    chosen = [] if retiring else selected_sources(settings, source)
    if not chosen and not retiring:
        raise UsageError("the config has no [[sources]] to sync",
                         hint="add a [[sources]] entry (see config/reseausync.example.toml)")
    options = _RunOptions(settings, dry_run, allow_mass_removal, command, progress)
    with DirectoryLock(db, command, settings.sync.lock_timeout):
        store = Store.open(db, dry_run=dry_run)
        try:
            store.close_interrupted_runs()
            results = _run_all(store, chosen, source if retiring else None, options,
                               region, log)
            if not dry_run:     # at once when built; else this run's or an earlier
                _build_rest(store, results, settings)   # killed one's records, an upgrade
            if not dry_run:
                prune_history(store, settings)
        except BaseException as stop:
            _fail_unbuilt(store, stop)
            raise
        finally:
            store.close()
    return results


PRUNED = "runs_pruned_on"      # meta: the day the run history was last pruned


def prune_history(store: Store, settings: Settings) -> int:
    """Prune the run history (`[sync] keep_runs_for`, `keep_last_runs`; see
    Store.prune_runs) at most once a day, after the sync's own work: a schedule
    syncing every 5 minutes pays for it once, and a prune that fails (a full
    disk) costs the sync nothing. How many runs went."""
    today = datetime.now(UTC).date().isoformat()
    if store.get_meta(PRUNED) == today:
        return 0
    keep = settings.sync
    try:
        with store.transaction():
            pruned = store.prune_runs(keep.keep_runs_for, keep.keep_last_runs)
            store.set_meta(PRUNED, today)
    except (ReseausyncError, sqlite3.Error) as exc:
        logger.warning("the run history was not pruned: %s", exc)
        return 0
    return pruned


def _run_all(store: Store, chosen: list[SourceSettings], retiring: str | None,
             options: _RunOptions, region: str | None, log: Log | None) -> list[RunResult]:
    """One run per source. The last one builds the contacts (everyone's, once) in
    its own transaction, as an import's last run does: a run is "ok" in `runs`
    only once its people are in the directory, and the runs before it wait,
    "running", for that build (Store.await_build). A build that fails or is
    stopped rolls the last run back with it, recorded failed."""
    results: list[RunResult] = []
    if retiring is not None:
        results.append(_retire(store, retiring, options))
    for i, configured in enumerate(chosen):
        results.append(_sync_one(store, configured, options, region,
                                 rebuild=i == len(chosen) - 1))
        if log is not None:
            log(f"run {results[-1].run}: {results[-1].summary()}")
    return results


def _build_rest(store: Store, results: list[RunResult], settings: Settings) -> None:
    """The build the last run did not do (it failed, or its connector could not be
    set up), for the runs before it; a build that fails fails them."""
    try:
        rebuild_if_dirty(store, results[-1].run, settings)
    except (ReseausyncError, OSError) as exc:
        _unbuilt(store, results, _with_hint(exc))
    except Exception as exc:  # a bug: the runs say so instead of a traceback mid-sync
        logger.exception("building the contacts: unexpected error")
        _unbuilt(store, results, f"unexpected {type(exc).__name__}: {exc}")


def _unbuilt(store: Store, results: list[RunResult], reason: str) -> None:
    message = storable(f"the contacts could not be built ({reason}): {KEPT}")
    failed = set(store.fail_unbuilt_runs(message))
    if not failed:       # no run of this sync waited: the failure must still show
        logger.warning("%s", message)
    for result in results:
        if result.run in failed:
            result.status, result.message = "failed", message


KEPT = "what this run read is kept and the next run builds the contacts"


def _fail_unbuilt(store: Store, stop: BaseException) -> None:
    """Runs of this sync still "running" when it is stopped (Ctrl-C, SIGTERM) or
    fails unexpectedly are closed now, not left "running" until the next writer:
    those waiting for the build keep what they read; one the stop caught before
    run_source could close it (just after its row was committed) kept nothing."""
    if isinstance(stop, KeyboardInterrupt):
        how = "SIGTERM" if isinstance(stop, Terminated) else "Ctrl-C"
        unbuilt = f"interrupted ({how}) before the contacts were built: {KEPT}"
        stopped = getattr(stop, "run_message", INTERRUPTED)
    else:
        cause = f"unexpected {type(stop).__name__}: {stop}"
        unbuilt = storable(f"the contacts could not be built ({cause}): {KEPT}")
        stopped = storable(cause)
    try:
        store.close_interrupted_runs(stopped, unbuilt)
    except Exception:  # noqa: BLE001 - the stop or the first error is what to report
        # (a read-only or full directory): the next writer closes them
        logger.debug("could not record the stopped runs as failed", exc_info=True)


@dataclass(frozen=True)
class _RunOptions:
    settings: Settings
    dry_run: bool
    allow_mass_removal: bool
    command: str
    progress: Progress | None


def _sync_one(store: Store, configured: SourceSettings, options: _RunOptions,
              region: str | None, rebuild: bool) -> RunResult:
    try:
        connector = build_connector(configured, options.settings, region)
    except (ReseausyncError, ValueError) as exc:
        return _record_failure(store, configured.name, configured.connector,
                               f"cannot set up the connector: {exc}")
    return _run(store, connector, configured.target(), options, rebuild=rebuild)


def _retire(store: Store, source: str, options: _RunOptions) -> RunResult:
    """Remove what a source the config no longer names holds, as a sync of a source
    that lists nothing; a name the directory does not hold either is a typo."""
    if not any(held(store, source)):
        selected_sources(options.settings, source)   # raises: no such source
    return _run(store, retired_connector(source), "", options, hint=removal_hint(source),
                rebuild=True)


def _run(store: Store, connector: Connector, target: str, options: _RunOptions,
         hint: str = "", rebuild: bool = False) -> RunResult:
    before = _last_run_id(store)
    try:
        return run_source(store, connector, [target], command=options.command,
                          full_listing=True, allow_mass_removal=options.allow_mass_removal,
                          max_removal_share=options.settings.sync.max_removal_share,
                          dry_run=options.dry_run, settings=options.settings,
                          progress=options.progress, rebuild=rebuild)
    except (ReseausyncError, OSError) as exc:
        if hint and isinstance(exc, MassRemovalError):
            exc.hint = hint
        return _record_failure(store, connector.source, connector.name, _with_hint(exc), before)
    except Exception as exc:  # a connector bug must not stop the other sources
        logger.exception("source %s: unexpected error", connector.source)
        return _record_failure(store, connector.source, connector.name,
                               f"unexpected {type(exc).__name__}: {exc}", before)


def _last_run_id(store: Store) -> int:
    row = store.db.execute("SELECT MAX(id) FROM runs").fetchone()
    return int(row[0] or 0)


def _with_hint(exc: BaseException) -> str:
    hint = getattr(exc, "hint", "")
    return f"{exc} ({hint})" if hint else str(exc)


def _record_failure(store: Store, source: str, connector: str, message: str,
                    before: int = -1) -> RunResult:
    """The failed run as `runs` shows it; run_source may already have started it."""
    row = store.db.execute(
        "SELECT id FROM runs WHERE source=? AND id>? ORDER BY id DESC LIMIT 1",
        (source, before)).fetchone() if before >= 0 else None
    if store.db.in_transaction:       # an unexpected error escaped mid-transaction
        store.db.execute("ROLLBACK")
    with store.transaction():
        if row is not None:
            run = int(row["id"])
        else:
            run = store.start_run(source, connector, "sync")
        store.finish_run(run, "failed", {}, message)
    return RunResult(run, source, connector, status="failed", message=message)


def check_sources(settings: Settings,
                  region: str | None = None) -> list[tuple[str, bool, str]]:
    """Reach each source without importing it: (name, reachable, one-line summary)."""
    out: list[tuple[str, bool, str]] = []
    for configured in settings.sources:
        try:
            connector = build_connector(configured, settings, region)
            out.append((configured.name, True, connector.check(configured.target())))
        except (ReseausyncError, OSError, ValueError) as exc:
            out.append((configured.name, False, _with_hint(exc)))
        except Exception as exc:  # report a connector bug as that source's failure
            out.append((configured.name, False, f"unexpected {type(exc).__name__}: {exc}"))
    if settings.publish is not None:
        out.append(("[publish]", *_check_publish(settings)))
    return out


def _check_publish(settings: Settings) -> tuple[bool, str]:
    """Reach the [publish] target, writing nothing, when its connector can say how
    (`check_publish_target`); its password comes from its `password_env`, as for
    `publish`."""
    section = settings.publish
    cls = registry.get(section.connector)
    probe = getattr(cls, "check_publish_target", None)
    if probe is None:
        return True, "not reachable from check (this connector has no probe)"
    try:
        return True, probe(section.effective_options(), None)
    except (ReseausyncError, OSError, ValueError) as exc:
        return False, _with_hint(exc)
    except Exception as exc:  # a connector bug: that target's failure, not a traceback
        return False, f"unexpected {type(exc).__name__}: {exc}"
