"""Migration 014 rebuilds contact_records (no declared foreign keys) and match_keys
(clustered by key): a directory written before it keeps every link and key, and
goes on syncing incrementally. The links' integrity, which the foreign keys
checked, is checked after every run of the merge tests (directory.check_links)."""

from __future__ import annotations

import sqlite3

from reseausync.config import Settings
from reseausync.match.engine import Engine
from reseausync.match.persist import MatchState
from reseausync.match.terms import bearing, term_key
from reseausync.store import Store
from reseausync.store.schema import MIGRATIONS, migrate

from .directory import check_links, partition, person, write
from .test_resolve import cast

REGION = Settings(region="CA")
LINKS = "SELECT record_id, contact_id, reason FROM contact_records ORDER BY record_id"
KEYS = "SELECT key, record_id FROM match_keys ORDER BY key, record_id"


def _before_014(path: str) -> Store:
    """A directory file upgraded only to migration 013, as the previous release left it,
    plus 017's to 027's additions, which this code needs to write it (tables and
    columns: they do not touch what 014 rebuilds)."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA foreign_keys=ON")
    db.row_factory = sqlite3.Row
    index = [name for name, _ in MIGRATIONS].index("014_lean_match_tables")
    saved = MIGRATIONS[:]
    MIGRATIONS[:] = saved[:index] + [m for m in saved if m[0] in (
        "017_decisions_by_contact", "018_merged_into", "019_succeeded_by",
        "020_record_former_values", "021_records_changed", "022_link_state",
        "023_older_writers_refused", "024_content_without_locator",
        "025_engagement_summaries", "026_link_blob_digests",
        "027_former_values_in_upserts")]
    try:
        migrate(db)
    finally:
        MIGRATIONS[:] = saved
    return Store(db, path)


def test_an_older_directory_keeps_its_links_and_keys(tmp_path) -> None:
    old = _before_014(str(tmp_path / "old.db"))
    assert old.db.execute("PRAGMA foreign_key_list(contact_records)").fetchall() != []
    write(old, cast()[:30], settings=REGION)
    links, keys = old.db.execute(LINKS).fetchall(), old.db.execute(KEYS).fetchall()
    people = partition(old)
    assert len(links) == 30 and len(keys) > 30

    assert migrate(old.db) == ["014_lean_match_tables", "015_content_without_unit",
                               "016_runs_dry_run"]
    assert old.db.execute(LINKS).fetchall() == links
    assert old.db.execute(KEYS).fetchall() == keys
    assert old.db.execute("PRAGMA foreign_key_list(contact_records)").fetchall() == []
    table = old.db.execute("SELECT sql FROM sqlite_master WHERE name='match_keys'").fetchone()
    assert "WITHOUT ROWID" in table[0]
    indexes = {r[0] for r in old.db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "contact_records_contact" in indexes and "match_keys_key" not in indexes
    check_links(old)
    assert partition(old) == people

    # and it goes on with an incremental sync, not a rebuild
    counts = write(old, [person("phone", "new-1", "Zoé Nouvelle", phones=("514 555 0199",))],
                   settings=REGION)
    assert counts["mode"] == 1
    assert len(partition(old)) == len(people) + 1


def test_a_full_build_stores_each_records_own_keys(tmp_path) -> None:
    """add_all_keys sorts a million keys as columns: each must stay with its record."""
    store = Store.open(tmp_path / "d.db")
    assert store.db.execute("PRAGMA foreign_key_list(contact_records)").fetchall() == []
    assert write(store, cast(), settings=REGION)["mode"] == 2
    rids = [r[0] for r in store.db.execute("SELECT id FROM records")]
    engine = Engine(REGION.match)
    # each record's blocking keys, and its organization's term key (match/terms.py)
    expected = {(k, rid) for rid, f in MatchState(store.db).features(rids).items()
                for k in engine.keys(f) + [term_key("org", f.org)] * bool(bearing(f, "org"))}
    stored = [tuple(r) for r in store.db.execute(KEYS)]
    assert set(stored) == expected and len(stored) == len(expected)
    assert len({rid for _, rid in stored}) > 1


def test_check_links_finds_a_link_to_a_missing_contact(tmp_path) -> None:
    store = Store.open(tmp_path / "d.db")
    write(store, cast()[:5], settings=REGION)
    store.db.execute("UPDATE contact_records SET contact_id='nobody' WHERE record_id="
                     "(SELECT MIN(record_id) FROM contact_records)")
    try:
        check_links(store)
    except AssertionError as exc:
        assert "naming no record or no contact" in str(exc)
    else:
        raise AssertionError("check_links missed a link to no contact")


def test_a_contact_stored_by_the_older_writer_is_not_an_update(tmp_path) -> None:
    """Contacts were json.dumps' spaced text before encode_contact used orjson: the
    same data in the other spelling is rewritten, not counted or dated as a change."""
    import json

    store = Store.open(tmp_path / "d.db")
    write(store, cast()[:10], settings=REGION)
    with store.transaction():
        rows = store.db.execute("SELECT id, data, updated_run FROM contacts").fetchall()
        store.db.executemany("UPDATE contacts SET data=? WHERE id=?",
                             [(json.dumps(json.loads(d), ensure_ascii=False), cid)
                              for cid, d, _ in rows])
        store.set_meta("match.state", "{}")          # every contact regrouped
    counts = write(store, [], settings=REGION)
    assert counts["mode"] == 2 and counts["contacts_updated"] == 0
    after = store.db.execute("SELECT id, data, updated_run FROM contacts").fetchall()
    assert [(cid, run) for cid, _, run in after] == [(cid, run) for cid, _, run in rows]
    assert [d for _, d, _ in after] == [d for _, d, _ in rows]     # the current spelling
