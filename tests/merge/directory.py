"""Building a real directory file for merge tests: records written the way a run writes them."""

from __future__ import annotations

import json
from typing import Any

from reseausync.models import Address, Labeled, SourceRecord
from reseausync.resolve import resolve_contacts
from reseausync.store import RunWriter, Store


def person(source: str, external_id: str, name: str = "", *, given: str = "",
           family: str = "", emails: tuple[str, ...] = (), phones: tuple[str, ...] = (),
           org: str = "", linkedin: str = "", city: str = "", title: str = "",
           collected: str | None = None) -> SourceRecord:
    from datetime import date
    return SourceRecord(
        source=source, connector="test", external_id=external_id, locator=f"{source}:1",
        unit=f"{source}.txt", display_name=name, given_name=given, family_name=family,
        emails=[Labeled(e) for e in emails], phones=[Labeled(p) for p in phones],
        organization=org, linkedin_url=linkedin, title=title,
        addresses=[Address(locality=city)] if city else [],
        collected_at=date.fromisoformat(collected) if collected else None)


def write(store: Store, records: list[SourceRecord], *, remove: tuple[tuple[str, str], ...] = (),
          settings: Any = None) -> dict[str, int]:
    """One run: upsert `records`, tombstone `remove` ((source, external_id)), resolve."""
    with store.transaction():
        run = store.start_run("test", "test", "import")
        by_source: dict[str, list[SourceRecord]] = {}
        for r in records:
            by_source.setdefault(r.source, []).append(r)
        stamp = None
        for source in sorted(set(by_source) | {s for s, _ in remove}):
            writer = RunWriter(store, run, source)
            # one run, one time: the product gives each source a run of its own,
            # and two sources' writers straddling a second made "newest" (and the
            # display name) depend on the clock
            stamp = writer.now = stamp or writer.now
            for r in by_source.get(source, []):
                writer.add(r)
            writer.flush()
            writer.tombstone([x for s, x in remove if s == source])
        counts = resolve_contacts(store, run, settings)
        store.finish_run(run, "ok", {})
    check_links(store)
    return counts


def check_links(store: Store) -> None:
    """What the dropped foreign keys of contact_records (migration 014) checked, and
    more: every link names a stored record and a stored contact, every live record
    has one, and a contact is live exactly when one of its records is."""
    db = store.db
    orphans = db.execute(
        "SELECT cr.record_id, cr.contact_id FROM contact_records cr "
        "LEFT JOIN records r ON r.id = cr.record_id LEFT JOIN contacts c ON c.id = cr.contact_id "
        "WHERE r.id IS NULL OR c.id IS NULL").fetchall()
    assert orphans == [], f"links naming no record or no contact: {orphans}"
    unlinked = db.execute(
        "SELECT id FROM records WHERE removed_at IS NULL "
        "AND id NOT IN (SELECT record_id FROM contact_records)").fetchall()
    assert unlinked == [], f"live records without a contact: {unlinked}"
    live = {r[0] for r in db.execute("SELECT id FROM contacts WHERE removed_at IS NULL")}
    held = {r[0] for r in db.execute(
        "SELECT DISTINCT cr.contact_id FROM contact_records cr "
        "JOIN records r ON r.id = cr.record_id WHERE r.removed_at IS NULL")}
    assert live == held, f"live contacts without live records: {live - held}; " \
                         f"removed contacts holding live records: {held - live}"


def contacts(store: Store) -> dict[str, dict[str, Any]]:
    """Live contacts by id."""
    return {r[0]: json.loads(r[1]) for r in store.db.execute(
        "SELECT id, data FROM contacts WHERE removed_at IS NULL")}


def members(store: Store) -> dict[str, set[str]]:
    """Live contact id -> its records as "source:external_id"."""
    out: dict[str, set[str]] = {}
    for cid, source, ext in store.db.execute(
            "SELECT cr.contact_id, r.source, r.external_id FROM contact_records cr "
            "JOIN records r ON r.id = cr.record_id WHERE r.removed_at IS NULL"):
        out.setdefault(cid, set()).add(f"{source}:{ext}")
    return out


def partition(store: Store) -> set[frozenset[str]]:
    return {frozenset(m) for m in members(store).values()}


PAIRS = ("SELECT r1.source || ':' || r1.external_id, r2.source || ':' || r2.external_id, "
         "score, decision, explanation FROM match_pairs JOIN records r1 ON r1.id = a "
         "JOIN records r2 ON r2.id = b ORDER BY 1, 2")


def assert_same_as_rebuild(synced: Store, rebuilt: Store, settings: Any = None) -> None:
    """`rebuilt` holds the synced directory's live records: given the model the syncs
    used, its full build must give the same contacts and the same scored pairs."""
    rebuilt.set_meta("match.model", synced.get_meta("match.model"))
    rebuilt.set_meta("match.state", "{}")
    assert write(rebuilt, [], settings=settings)["mode"] == 2
    assert partition(synced) == partition(rebuilt)
    assert synced.db.execute(PAIRS).fetchall() == rebuilt.db.execute(PAIRS).fetchall()


def together(store: Store, a: str, b: str) -> bool:
    return any(a in m and b in m for m in members(store).values())


def dump(store: Store) -> str:
    return json.dumps(contacts(store), indent=1, sort_keys=True)
