"""The connector contract: the one seam between a source format and the core.

A connector only reads. It never touches the store, keeps no state between runs
and never prints: the core owns state (which units were read, with what
fingerprint), counting and reporting. This is what lets a third party write a
connector in a page, and what lets the same contract test suite run on every one.

The life of a read:

    connector = Cls(options, context)
    units = list(connector.discover(target))   # cheap: names + fingerprints
    for item in connector.read(units_to_read): # SourceRecord | Interaction | Reject
        ...

`read` is implemented here: it calls `read_unit` once per unit inside its own
try, so one unreadable unit becomes one reject and the others are still read.
Connectors catch per item inside `read_unit` for the same reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from .errors import UNREADABLE, ReseausyncError, UnitError
from .itemcheck import is_builtin, item_problem
from .models import Reject, SourceItem


class NoOptions(BaseModel):
    """Options model for connectors that take none; unknown keys are errors."""

    model_config = ConfigDict(extra="forbid")


@dataclass(frozen=True, slots=True)
class Unit:
    """One readable piece of a source: a file, a zip member, a CardDAV href.

    `id` is stable and readable ("phone.vcf", "export.zip!Connections.csv", an
    href); `fingerprint` changes when the content changes (size and mtime, a zip
    member's CRC, an ETag). `problem` is set by `discover` for a unit that must not
    be opened (a zip member escaping its root): `read` turns it into a reject.
    """

    id: str
    fingerprint: str
    path: Path | None = None
    member: str | None = None
    problem: tuple[str, str] | None = None
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def name(self) -> str:
        """The file name a person recognises, without folders."""
        base = self.member if self.member else self.id
        return base.rsplit("/", 1)[-1]


@dataclass(frozen=True, slots=True)
class ReadContext:
    """What a connector may know about the run: never the store, never secrets.

    `me_emails` / `me_linkedin_url` identify the directory owner, so a connector can
    tell sent from received. `region` is the default phone region (ISO code) or None.
    `as_of` bounds work that would otherwise be unbounded (recurring events).
    `publish_target` is where `[publish]` writes (its URL or path, "" without one): a
    source must never read that back, or the directory's output feeds its input
    (a person deleted from the source lives on through the published copy).
    """

    source: str
    region: str | None = None
    me_emails: frozenset[str] = frozenset()
    me_linkedin_url: str = ""
    as_of: Any = None
    publish_target: str = ""

    def __post_init__(self) -> None:
        # Folded once here, so no connector compares the owner's addresses raw.
        folded = frozenset(e.strip().lower() for e in self.me_emails if e and e.strip())
        object.__setattr__(self, "me_emails", folded)


class Connector:
    """Base class of every connector, built-in or third-party.

    Subclasses set `name` (the entry-point name), optionally `Options` (a pydantic
    model with extra="forbid") and `priority` (when several connectors can open a
    target, the highest wins: a LinkedIn export is also a folder of CSV files), and
    implement `can_open`, `discover` and `read_unit`.
    """

    name: ClassVar[str] = ""
    Options: ClassVar[type[BaseModel]] = NoOptions
    priority: ClassVar[int] = 0
    description: ClassVar[str] = ""
    # True when a read keeps no state on the object but `cursor`: a large read may
    # then run in a forked worker while the run writes (store/feed.py).
    read_in_worker: ClassVar[bool] = False
    # True when a folder this connector opens is one export, its other files not
    # for other connectors (a LinkedIn export's Positions.csv is no contact list):
    # an import does not hand them out (routing.py).
    whole_folder: ClassVar[bool] = False
    # Connectors whose folders may hold a file this one reads instead, recognised
    # by its content (an interactions log is a .csv beside contact CSVs): a mixed
    # folder's import hands it here (routing.py). Only the named connectors' files
    # are asked, so a folder of 100,000 cards costs nothing more to route.
    claims_from: ClassVar[tuple[str, ...]] = ()
    # False when a read does not depend on the region or the owner (`[me]`): a
    # change of them then does not read this connector's files again (pipeline).
    reads_owner: ClassVar[bool] = True
    # Bump when this connector reads the same file into other records (a vCard
    # property it did not keep before): each file is then read again, once, by the
    # next run of each source (pipeline._read_settings); 0 adds nothing to the digest.
    read_version: ClassVar[int] = 0

    def __init__(self, options: BaseModel | dict[str, Any] | None = None,
                 context: ReadContext | None = None) -> None:
        """Runs at every config load (config.setup_problems builds each source's
        connector to check its options): no network, no reading of `path`/`url`."""
        if options is None or isinstance(options, dict):
            options = self.Options(**(options or {}))
        self.options = options
        self.context = context or ReadContext(source=self.name)
        # Opaque resume point (a CardDAV sync token). The core sets it from the
        # store before `discover` and saves it after a complete run: connectors
        # keep no state of their own between runs.
        self.cursor: str = ""

    @property
    def source(self) -> str:
        return self.context.source

    @classmethod
    def anchor_options(cls, options: dict[str, Any], folder: Path) -> dict[str, Any]:
        """`options` with the relative file paths among them made absolute against
        `folder` (the config file's), as `path` is: a config file means the same
        wherever `reseausync` is started. Only the connector knows which of its
        options name files."""
        return options

    @classmethod
    def can_open(cls, target: str) -> bool:
        """Cheap guess from the target's name or a peek at its first bytes."""
        return False

    def discover(self, target: str) -> Iterator[Unit]:
        """List the units of `target` with fingerprints, without reading them whole.

        Raise `SourceError` when the target itself is unusable (missing, 401).
        """
        raise NotImplementedError

    def read_unit(self, unit: Unit) -> Iterator[SourceItem]:
        """Yield the records, interactions and rejects of one unit."""
        raise NotImplementedError

    def read(self, units: Iterable[Unit]) -> Iterator[SourceItem]:
        """Every unit's items; one that cannot be read is one reject, the others go on.

        A third-party connector's unit is also a reject when `read_unit` raises any
        exception or yields an item of the wrong type (named, with its field): a
        plugin written from the README raises what `json.loads` raises, not
        `UnitError`, and one truncated file failed its whole source with a
        traceback (QA round 4). A `SourceError` or an OSError still fails the run
        (the source went away), and so does a built-in connector's unexpected
        exception: a bug of ours, traceback included."""
        guarded = not is_builtin(type(self))
        for unit in units:
            if unit.problem is not None:
                reason, message = unit.problem     # unreadable: what it held is kept
                yield self.reject(unit, unit.id, reason, message,
                                  unread=reason == UNREADABLE)
                continue
            try:
                items = self.read_unit(unit)
                yield from (self._checked(unit, items) if guarded else items)
            except UnitError as exc:
                where = f"{unit.id}:{exc.line}" if exc.line else unit.id
                yield self.reject(unit, where, exc.reason, exc.message, exc.excerpt,
                                  unread=exc.reason == UNREADABLE)
            except (ReseausyncError, OSError):
                raise             # the source itself is unusable (SourceError): the run fails
            except Exception as exc:
                if not guarded:
                    raise
                yield self.reject(unit, unit.id, UNREADABLE,
                                  f"connector {self.name!r} failed reading {unit.name}: "
                                  f"{type(exc).__name__}: {str(exc)[:300]}", unread=True)

    def _checked(self, unit: Unit, items: Iterable[Any]) -> Iterator[SourceItem]:
        """`items`, stopped by a UnitError at the first one of the wrong type."""
        for item in items:
            problem = item_problem(item)
            if problem:
                raise UnitError(UNREADABLE, f"connector {self.name!r} {problem} "
                                            f"(reading {unit.name})")
            yield item

    def reread(self) -> list[str]:
        """Units the last `read` made stale though their fingerprint stands (a
        CardDAV group card that changed its members: the members' cards get the
        group's category): the core reads the listed ones it did not read yet
        again, in the same run. Called once, after the run's reading."""
        return []

    def check(self, target: str) -> str:
        """Reach the source without importing it; return a one-line summary."""
        count = sum(1 for _ in self.discover(target))
        return f"{count} unit(s) found"

    def reject(self, unit: Unit, locator: str, reason: str, message: str,
               excerpt: str = "", *, unread: bool = False) -> Reject:
        return Reject(source=self.source, locator=locator, reason=reason, message=message,
                      unit=unit.id, excerpt=excerpt[:200], unread=unread)


@dataclass(frozen=True, slots=True)
class WriteResult:
    """What a publish target answered to one write.

    `conflict` means a precondition failed: the item changed (or appeared) on the
    target since we last wrote it, so nothing was overwritten. `error` is set when
    the target refused this one item; the others still go.
    """

    etag: str = ""
    conflict: bool = False
    error: str = ""
    # Where the target stored the item when not where it was asked to (Google's
    # CardDAV names a new card itself: 201 + Location): the item's location from now on.
    location: str = ""
    # The refusal was the target's denying this user the write (HTTP 403): when every
    # write of a publish is, the target is read-only for this user.
    forbidden: bool = False


class PublishTarget:
    """Where `reseausync publish` writes the canonical directory.

    A connector that can publish returns one from `open_publish_target`. The
    target only performs conditional writes; the core owns the state (which item
    it wrote, with which etag), so that publish never touches items it did not
    create and the connector still keeps no state of its own.
    """

    target_id: str = ""     # stable name of the target, e.g. the address book URL

    def location_for(self, name: str) -> str:
        raise NotImplementedError

    def put(self, location: str, text: str, etag: str | None) -> WriteResult:
        """Create (etag None: only if absent) or replace (only if still at etag)."""
        raise NotImplementedError

    def delete(self, location: str, etag: str) -> WriteResult:
        raise NotImplementedError

    def current_etag(self, location: str) -> str | None:
        """The item's etag now, or None when it no longer exists."""
        raise NotImplementedError

    def listing(self) -> dict[str, str] | None:
        """Every item on the target now, location -> etag, in one request; None when
        the target cannot list (publish then trusts what it recorded). Publish reads
        it once per run so that an item removed on the target (a book deleted and
        created again) is written again instead of counted unchanged."""
        return None

    def uids(self, locations: list[str]) -> dict[str, str]:
        """The UID of each of these items (location -> UID), for the items publish
        has no record of: a card of ours the target stored under a name of its own
        is found by its UID instead of written again. {} when the target cannot say."""
        return {}

    def close(self) -> None:
        pass


def can_publish(cls: type[Connector]) -> bool:
    """Whether the connector writes a directory out (it has `open_publish_target`)."""
    return getattr(cls, "open_publish_target", None) is not None


def open_publish_target(cls: type[Connector], options: dict[str, Any],
                        password: str | None) -> PublishTarget:
    """The connector's publish target, or a clear error when it cannot publish."""
    if not can_publish(cls):
        from .errors import UsageError
        raise UsageError(f"connector {cls.name!r} cannot publish",
                         hint="set [publish] connector to one that can (carddav)")
    return cls.open_publish_target(options, password)  # type: ignore[attr-defined]
