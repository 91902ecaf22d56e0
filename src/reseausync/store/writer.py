"""Writing one run's items into the store, in batches, counting what changed.

The writer is handed items one by one (a connector streams them) and flushes in
batches with executemany: per-row INSERTs would make SQLite, not parsing, the
bottleneck of a 100,000-card import. It must be used inside the run's
transaction; it never commits.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from typing import Any

from ..connector import Connector, Unit
from ..files import storable
from ..models import Reject, SourceItem
from .db import INSERT_REJECT, Store, now_iso
from .feed import read_in_worker, read_worker
from .rows import Prepared, interaction_digest, people_json, prepared

BATCH = 2000
PROGRESS = 1000       # `add_all` reports progress every this many items
PHOTO_BYTES = 8 << 20  # photo bytes buffered before a flush (a batch of photos is large)

Row = tuple[Any, ...]
Batch = tuple[list[Row], list[Row], list[Row], list[Row], list[Row], list[Row], list[Row],
              list[Row]]


class RunWriter:
    """Upserts one source's records and interactions for one run.

    `seen_records` / `seen_interactions` hold the external ids read in this run, so
    the caller can tombstone what a fully read unit no longer contains.
    """

    def __init__(self, store: Store, run: int, source: str, dry_run: bool = False) -> None:
        self.store = store
        self.run = run
        self.source = source
        self.dry_run = dry_run
        # a dry run's rejects, kept out of its transaction (rolled back): the caller
        # writes them after, so `rejects --run N` matches its `rejected` count
        self.dry_rejects: list[tuple[Any, ...]] = []
        self.now = now_iso()
        # + "interactions_removed" when a run removed some
        self.counts = {"added": 0, "updated": 0, "unchanged": 0, "removed": 0, "rejected": 0,
                       "interactions": 0}
        self.seen_records: set[str] = set()
        self.seen_interactions: set[str] = set()
        store.widen_page_cache()
        self._known = self._load_known("records")
        self._known_interactions = self._load_known("interactions")
        self._record_rows: list[tuple[Any, ...]] = []       # rows the table holds
        self._new_record_rows: list[tuple[Any, ...]] = []   # rows it does not yet
        self._interaction_rows: list[tuple[Any, ...]] = []       # as records: held
        self._new_interaction_rows: list[tuple[Any, ...]] = []   # and not yet held
        self._reject_rows: list[tuple[Any, ...]] = []
        self._touch_rows: list[tuple[Any, ...]] = []
        self._photo_rows: list[tuple[Any, ...]] = []
        self._interaction_places: list[tuple[Any, ...]] = []
        self.interactions_changed = 0
        self.touched = 0     # records re-read unchanged: their locator may have moved
        self.rehomed: set[str] = set()   # units rows were read from before, not this run
        self.unread: set[str] = set()    # units not read to their end (Reject.unread)
        self._kept_prefixes: tuple[str, ...] | None = None   # what lies in them (kept)
        self.listing: dict[str, int] = {}   # every listed unit: its place in the listing
        self.reading: set[str] = set()      # the listed units this run reads
        self._pending = 0   # rows buffered since the last flush
        self._photo_bytes = 0   # photo bytes buffered since the last flush

    def _held_first(self, known: tuple[str, bool, str, int], unit: str) -> bool:
        """Whether a live row of another unit, listed before `unit` and not read this
        run, keeps the item: what a read of the whole listing in order gives (the
        first copy is kept, the second is a duplicate). Without it two copies of one
        record in a source (a card's backup beside it, two months' exports in one
        folder) took the record from each other on every sync: the unit that lost
        it was read again the next run and took it back."""
        holder = known[2]
        if known[1] or holder in self.reading:
            return False
        place = self.listing.get(holder)
        return place is not None and place < self.listing.get(unit, place)

    def _taken(self, external_id: str, unit: str) -> bool:
        """Whether another file of this run, or one held before it, has the id."""
        if external_id in self.seen_records:
            return True
        known = self._known.get(external_id)
        return known is not None and known[2] != unit and self._held_first(known, unit)

    def release(self) -> None:
        """Drop what the run held to tell seen from gone, once its tombstones are
        written: an import's last run builds the contacts in its own transaction,
        and a million message ids held through that build took 100 MiB more."""
        self.seen_records, self.seen_interactions = set(), set()
        self._known, self._known_interactions = {}, {}

    def _load_known(self, table: str) -> dict[str, tuple[str, bool, str, int]]:
        """external id -> (content hash, removed, unit, row id); a source reads a
        few files, so each unit's name is held once. A row found unchanged is
        touched by its row id: in file order that walks the table's pages in
        order, where the (source, external id) index of a million hashed message
        ids is read at random."""
        rows = self.store.db.execute(
            f"SELECT external_id, content_hash, removed_at IS NOT NULL, unit, id FROM {table} "
            "WHERE source=?", (self.source,))
        units: dict[str, str] = {}
        return {r[0]: (r[1], bool(r[2]), units.setdefault(r[3], r[3]), r[4]) for r in rows}

    def add(self, item: SourceItem) -> None:
        self.add_prepared(prepared(item))

    def add_prepared(self, item: Prepared) -> None:
        """Add an item as `rows.prepared` gives it (here or in a forked reader)."""
        kind = item[0]
        if kind == "i":
            self._add_interaction(item)
        elif kind == "r":
            self._add_record(item)
        else:
            self.add_reject(item[2])

    def _add_record(self, item: Prepared) -> None:
        _, unit, external_id, locator, connector, text, digest, raw, photo, collected = item
        if external_id.startswith("name:") and "#" not in external_id \
                and self._taken(external_id, unit):
            # Cards without UID are keyed by their name, which only one file can
            # tell apart: a namesake in another file of the source (a folder of
            # one-card files) is another person, told apart by its content.
            external_id = f"{external_id}#sha256:{digest[:32]}"
        if external_id in self.seen_records:
            self.add_reject(Reject(
                source=self.source, locator=locator, reason="duplicate-id",
                message=f"a second record with id {external_id!r} in this source; "
                        "the first one was kept", unit=unit))
            return
        self.seen_records.add(external_id)
        known = self._known.get(external_id)
        if known is not None and known[2] != unit:
            if self._held_first(known, unit):
                self.add_reject(Reject(
                    source=self.source, locator=locator, reason="duplicate-id",
                    message=f"a second record with id {external_id!r} in this source; "
                            f"the one in {known[2]} was kept", unit=unit))
                return
            self.rehomed.add(known[2])
        if known is not None and known[0] == digest and not known[1]:
            self.counts["unchanged"] += 1
            self.touched += 1
            self._touch_rows.append((self.now, self.run, locator, unit, known[3]))
        else:
            self.counts["added" if known is None or known[1] else "updated"] += 1
            rows = self._new_record_rows if known is None else self._record_rows
            rows.append((
                self.source, connector, external_id, unit, locator, digest, text, raw,
                photo[0] if photo else "", collected, self.now, self.now, self.run, self.run,
                self.now, self.run))
            if photo is not None:
                self._photo_rows.append(photo)
                self._photo_bytes += len(photo[2])
                if self._photo_bytes >= PHOTO_BYTES:   # photos are big: flush early
                    self.flush()
                    return
        self._maybe_flush()

    def _add_interaction(self, item: Prepared) -> None:
        (_, unit, external_id, locator, connector, kind, occurred, direction, thread,
         subject, people, extra) = item
        if external_id in self.seen_interactions:
            return  # the same message listed twice by an export: one interaction
        self.seen_interactions.add(external_id)
        known = self._known_interactions.get(external_id)
        moved = known is not None and known[2] != unit
        if moved and self._held_first(known, unit):
            return  # the same message in an earlier file of the listing, unchanged
        # Encode each part once and hash the encodings: three json.dumps per
        # message were a third of a messages.csv import.
        people = people_json(people)
        extra = json.dumps(extra, ensure_ascii=False, default=str, sort_keys=True) \
            if extra else "{}"
        digest = interaction_digest(connector, kind, occurred, direction, thread, subject,
                                    people, extra)
        self.counts["interactions"] += 1
        if known is None or known[1]:       # never seen, or back after its removal
            self.counts["interactions_new"] = self.counts.get("interactions_new", 0) + 1
        if moved:
            self.rehomed.add(known[2])
        if known is not None and known[0] == digest and not known[1]:
            # Not a change, but where it is now: `show` cites its line, and the
            # tombstones of its file must find it. Written only if it moved (a
            # row id look-up when it did not: about 2 us a message).
            self._interaction_places.append((unit, locator, self.run, known[3], locator, unit))
            self._maybe_flush()
            return
        self.interactions_changed += 1
        rows = self._new_interaction_rows if known is None else self._interaction_rows
        rows.append((
            self.source, connector, external_id, unit, locator, kind, occurred, direction,
            thread, subject, people, extra, digest, self.run, self.run))
        self._pending += 1
        if self._pending >= BATCH:
            self.flush()

    def add_reject(self, reject: Reject) -> None:
        self.counts["rejected"] += 1
        if reject.unread and reject.unit:
            self.unread.add(reject.unit)
            self._kept_prefixes = None
        self._reject_rows.append((self.run, storable(reject.source or self.source),
                                  storable(reject.unit), storable(reject.locator),
                                  storable(reject.reason), storable(reject.message),
                                  storable(reject.excerpt)))
        self._maybe_flush()

    def kept(self, unit: str) -> bool:
        """Whether `unit` lies in a unit not read to its end (Reject.unread): a folder
        that could not be listed, whose files are missing from the listing but not
        gone. Nothing of them is removed."""
        if not self.unread:
            return False
        if self._kept_prefixes is None:
            self._kept_prefixes = tuple(p for u in self.unread   # a folder's files, a zip's
                                        for p in (u.rstrip(os.sep) + os.sep, u + "!"))
        return unit.startswith(self._kept_prefixes)

    def _maybe_flush(self) -> None:
        self._pending += 1
        if self._pending >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Write the buffered rows (a dry run drops them but keeps its rejects in
        `dry_rejects`); the buffers start again."""
        batch = (self._record_rows, self._interaction_rows, self._reject_rows,
                 self._touch_rows, self._photo_rows, self._interaction_places,
                 self._new_record_rows, self._new_interaction_rows)
        self._record_rows, self._interaction_rows, self._new_record_rows = [], [], []
        self._new_interaction_rows = []
        self._reject_rows, self._touch_rows, self._photo_rows = [], [], []
        self._interaction_places = []
        self._pending = self._photo_bytes = 0
        if not self.dry_run:
            self._apply(batch)
        else:
            self.dry_rejects.extend(batch[2])

    def _apply(self, batch: Batch) -> None:
        db = self.store.db
        records, interactions, rejects, touches, photos, places, new_records, \
            new_interactions = batch
        if photos:
            db.executemany("INSERT OR IGNORE INTO photos VALUES (?, ?, ?)", photos)
        # A row new to the source is a plain INSERT: an upsert's DO UPDATE carries
        # the update triggers (records: the former values of migration 020;
        # interactions: the engagement summaries' of 025), and SQLite pays for them
        # on every row, conflict or not (200,000 records: 3.2 -> 7.2 s).
        db.executemany(_INSERT_RECORD, new_records)
        db.executemany(_UPSERT_RECORD, records)
        db.executemany(_INSERT_INTERACTION, new_interactions)
        db.executemany(_UPSERT_INTERACTION, interactions)
        db.executemany(INSERT_REJECT, rejects)
        db.executemany(_TOUCH_RECORD, touches)
        db.executemany(_PLACE_INTERACTION, places)

    def add_all(self, connector: Connector, units: list[Unit]) -> Iterator[tuple[str, int]]:
        """Add every item of `connector.read(units)`, in order.

        Yields (unit id, items so far) when an item of another unit than the last
        one arrives, before it is added, so the caller can close the previous unit;
        and every PROGRESS items, after the add. A large read (see `read_worker`) is
        parsed and prepared in a forked worker while this process adds and writes:
        the same items in the same order, so the same rows.
        """
        if read_worker(connector, units):
            yield from self.add_stream(read_in_worker(connector, units))
        else:
            yield from self.add_stream(map(prepared, connector.read(units)))

    def add_stream(self, items: Iterable[Prepared]) -> Iterator[tuple[str, int]]:
        """`add_all` of prepared items."""
        current = ""
        add = self.add_prepared
        for count, item in enumerate(items, 1):
            unit = item[1] or current
            if unit != current:
                current = unit
                yield current, count
            add(item)
            if count % PROGRESS == 0:
                yield current, count

    def tombstone_missing(self, units: set[str]) -> list[str]:
        """Tombstone live records of fully read `units` that this run did not see.

        A row this run wrote or touched has `last_run` = this run and was seen, so
        only older rows are read back: a first import of a million messages
        checks none instead of fetching every id it has just written."""
        gone: list[str] = []
        for unit in units:
            rows = self.store.db.execute(
                "SELECT external_id FROM records WHERE source=? AND unit=? "
                "AND removed_at IS NULL AND last_run<?", (self.source, unit, self.run))
            gone.extend(r[0] for r in rows if r[0] not in self.seen_records)
        self.tombstone(gone)
        self._tombstone_interactions(units)
        return gone

    def tombstone(self, external_ids: list[str]) -> None:
        self.counts["removed"] += len(external_ids)
        if self.dry_run or not external_ids:
            return
        self.store.db.executemany(
            "UPDATE records SET removed_at=?, removed_run=? WHERE source=? AND external_id=?",
            [(self.now, self.run, self.source, x) for x in external_ids])

    def _tombstone_interactions(self, units: set[str]) -> None:
        """Counted in a dry run too: the mass-removal guard weighs them (a mailbox
        moved away takes every contact's engagement with it)."""
        for unit in units:
            rows = self.store.db.execute(
                "SELECT external_id FROM interactions WHERE source=? AND unit=? "
                "AND removed_at IS NULL AND last_run<?", (self.source, unit, self.run))
            gone = [(self.now, self.run, self.source, r[0]) for r in rows
                    if r[0] not in self.seen_interactions]
            if gone:
                self.counts["interactions_removed"] = (
                    self.counts.get("interactions_removed", 0) + len(gone))
            if self.dry_run:
                continue
            self.interactions_changed += len(gone)
            self.store.db.executemany(
                "UPDATE interactions SET removed_at=?, removed_run=? "
                "WHERE source=? AND external_id=?", gone)

    @property
    def changed(self) -> bool:
        """Whether this run changed anything the contacts or engagement depend on."""
        c = self.counts
        return bool(c["added"] or c["updated"] or c["removed"] or self.interactions_changed)

    def count_unchanged_units(self, units: set[str]) -> None:
        """Units skipped for an unchanged fingerprint: their live records are unchanged.

        One grouped query for the whole source: a folder of 30,000 one-card files
        would otherwise cost 30,000 queries."""
        if not units:
            return
        rows = self.store.db.execute(
            "SELECT unit, COUNT(*) FROM records WHERE source=? AND removed_at IS NULL "
            "GROUP BY unit", (self.source,))
        self.counts["unchanged"] += sum(n for unit, n in rows if unit in units)


# changed_at / changed_run move only when the content does (a record back from its
# tombstone unchanged keeps them): survivorship's "newest" is the newest content
# (migration 021). SET reads the row as it was before the update.
_INSERT_RECORD = """
INSERT INTO records (source, connector, external_id, unit, locator, content_hash, data, raw,
                     photo, collected_at, first_seen, last_seen, first_run, last_run,
                     changed_at, changed_run)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""

_UPSERT_RECORD = _INSERT_RECORD + """ON CONFLICT (source, external_id) DO UPDATE SET
    connector=excluded.connector, unit=excluded.unit, locator=excluded.locator,
    content_hash=excluded.content_hash, data=excluded.data, raw=excluded.raw,
    photo=excluded.photo, collected_at=excluded.collected_at,
    last_seen=excluded.last_seen, last_run=excluded.last_run,
    removed_at=NULL, removed_run=NULL,
    changed_at=CASE WHEN records.content_hash = excluded.content_hash
                    THEN records.changed_at ELSE excluded.changed_at END,
    changed_run=CASE WHEN records.content_hash = excluded.content_hash
                     THEN records.changed_run ELSE excluded.changed_run END
"""

_TOUCH_RECORD = """
UPDATE records SET last_seen=?, last_run=?, locator=?, unit=? WHERE id=?
"""

_PLACE_INTERACTION = """
UPDATE interactions SET unit=?, locator=?, last_run=? WHERE id=? AND (locator<>? OR unit<>?)
"""

_INSERT_INTERACTION = """
INSERT INTO interactions (source, connector, external_id, unit, locator, kind, occurred_at,
                          direction, thread, subject, participants, extra, content_hash,
                          first_run, last_run)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""

_UPSERT_INTERACTION = _INSERT_INTERACTION + """ON CONFLICT (source, external_id) DO UPDATE SET
    connector=excluded.connector, unit=excluded.unit, locator=excluded.locator,
    kind=excluded.kind, occurred_at=excluded.occurred_at, direction=excluded.direction,
    thread=excluded.thread, subject=excluded.subject, participants=excluded.participants,
    extra=excluded.extra, content_hash=excluded.content_hash, last_run=excluded.last_run,
    removed_at=NULL, removed_run=NULL
"""
